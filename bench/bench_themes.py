"""Themes and keyphrases: ms per article, the theme distribution, and samples to judge by eye.

Runs on the first 5,000 articles of vietnews-20k (~500 words each). Times are single process,
wall and CPU (``process_time``: the machine may be shared). For the keyphrase design choice it
also times pyvi word segmentation of the title and first 150 words, the alternative that was
rejected (see ``newsdesk/analyze/keyphrases.py``).

Prints tables and one JSON line. Skips with a message when ../shared/corpus is absent.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.analyze.keyphrases import keyphrases
from newsdesk.analyze.themes import ThemeScore, assign_themes, load_taxonomy

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")) / "corpus"
VIETNEWS = CORPUS / "vietnews-20k.jsonl.gz"
ARTICLES, SAMPLES, SEED, PYVI_ARTICLES = 5000, 20, 0, 500


def read_articles(path: Path, limit: int) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in itertools.islice(handle, limit)]


def timed(
    call: Callable[[dict[str, Any]], object], records: Sequence[dict[str, Any]]
) -> tuple[list[Any], float, float]:
    """Results, and (wall, CPU) milliseconds per record."""
    wall, cpu = time.perf_counter(), time.process_time()
    results = [call(record) for record in records]
    count = len(records)
    return results, 1000 * (time.perf_counter() - wall) / count, 1000 * (time.process_time() - cpu) / count


def pyvi_ms(records: Sequence[dict[str, Any]]) -> float:
    """CPU ms per article to segment the title and first 150 words with pyvi."""
    from pyvi import ViTokenizer

    texts = [r["title"] + "\n" + " ".join(r["text"].split()[:150]) for r in records]
    start = time.process_time()
    for text in texts:
        ViTokenizer.tokenize(text)
    return 1000 * (time.process_time() - start) / len(texts)


def distribution(results: list[list[ThemeScore]]) -> dict[str, Any]:
    counts = Counter(score.id for themes in results for score in themes)
    top = Counter(score.id for themes in results for score in themes if "." not in score.id)
    return {
        "articles": len(results),
        "with_theme": sum(1 for themes in results if themes) / len(results),
        "top_level_per_article": sum(top.values()) / len(results),
        "top20": counts.most_common(20),
    }


def samples(
    records: list[dict[str, Any]], themes: list[list[ThemeScore]], phrases: list[Any]
) -> list[dict[str, Any]]:
    picked = random.Random(SEED).sample(range(len(records)), SAMPLES)
    return [
        {
            "title": records[i]["title"],
            "themes": [(s.id, s.score) for s in themes[i][:4]],
            "keyphrases": [p for p, _ in phrases[i][:5]],
        }
        for i in picked
    ]


def _distribution_table(found: dict[str, Any]) -> Table:
    table = Table(title=f"Themes on {found['articles']} vietnews articles (top 20)")
    table.add_column("theme")
    table.add_column("articles", justify="right")
    table.add_column("share", justify="right")
    for theme_id, count in found["top20"]:
        table.add_row(theme_id, str(count), f"{count / found['articles']:.1%}")
    return table


def _samples_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{SAMPLES} random articles (seed {SEED})", show_lines=True)
    table.add_column("title", max_width=45)
    table.add_column("themes", max_width=45)
    table.add_column("keyphrases", max_width=45)
    for row in rows:
        themes = ", ".join(f"{theme_id} {score:.2f}" for theme_id, score in row["themes"])
        table.add_row(row["title"], themes or "—", "; ".join(row["keyphrases"]))
    return table


def main() -> int:
    console = Console()
    if not VIETNEWS.exists():
        console.print(f"[yellow]skipped: {VIETNEWS} absent (the themes benchmark needs ../shared/corpus)")
        return 0
    records = read_articles(VIETNEWS, ARTICLES)
    taxonomy = load_taxonomy()
    taxonomy.matcher("vi")  # compile outside the timing
    themes, themes_wall, themes_cpu = timed(
        lambda r: assign_themes(r["title"], r["text"], "vi", taxonomy), records
    )
    phrases, phrases_wall, phrases_cpu = timed(lambda r: keyphrases(r["title"], r["text"], "vi"), records)
    speed = {
        "themes_ms": themes_wall, "themes_cpu_ms": themes_cpu,
        "keyphrases_ms": phrases_wall, "keyphrases_cpu_ms": phrases_cpu,
        "pyvi_title_150_words_cpu_ms": pyvi_ms(records[:PYVI_ARTICLES]),
        "words_mean": sum(len(r["text"].split()) for r in records) / len(records),
        "themes_in_taxonomy": len(taxonomy),
        "cues": sum(len(t.cues_vi) + len(t.cues_en) for t in taxonomy),
    }  # fmt: skip
    found = distribution(themes)
    rows = samples(records, themes, phrases)
    console.print(_distribution_table(found))
    console.print(
        f"{found['with_theme']:.1%} of articles have at least one theme; "
        f"{found['top_level_per_article']:.2f} top-level themes per article"
    )
    console.print(_samples_table(rows))
    console.print(
        f"assign_themes: {themes_wall:.3f} ms per article (CPU {themes_cpu:.3f}); "
        f"keyphrases: {phrases_wall:.3f} ms (CPU {phrases_cpu:.3f}); "
        f"pyvi on title + 150 words alone: {speed['pyvi_title_150_words_cpu_ms']:.3f} ms; "
        f"{len(records)} articles of {speed['words_mean']:.0f} words; "
        f"{speed['themes_in_taxonomy']} themes, {speed['cues']} cues"
    )
    print(
        json.dumps(
            {"bench": "themes", "speed": speed, "distribution": found, "samples": rows}, ensure_ascii=False
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
