"""Summaries: ROUGE of the story summariser and its variants on vims-dev, and speed.

ROUGE is F1 on lower-cased syllable tokens against the better of the human summaries,
the system summary cut to the references' mean length (``newsdesk.evaluate.summaries``).
Speed is wall-clock per call, single process: an article summary (60 words) over every
vims-dev article, a story summary (120 words) over the vims-dev clusters of 10 articles.

Prints a table and one JSON line. Skips with a message when ../shared/corpus is absent.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.analyze.summarize import (
    SummaryConfig,
    SummaryDoc,
    summarize_article,
    summarize_story,
)
from newsdesk.evaluate.summaries import evaluate_summaries, read_jsonl

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")) / "corpus"
ARTICLES = CORPUS / "vims-dev.articles.jsonl.gz"
SUMMARIES = CORPUS / "vims-dev.summaries.jsonl.gz"

VARIANTS: list[tuple[str, str, SummaryConfig]] = [
    ("lead: first sentences of each article in turn", "lead", SummaryConfig()),
    ("centroid: cosine to the story's word centroid", "centroid", SummaryConfig()),
    (
        "coverage: shared bigrams, binary weight, no lead bonus",
        "coverage",
        SummaryConfig(lead_bonus=0, fact_weight="binary"),
    ),
    ("coverage: bigram weight = articles containing it", "coverage", SummaryConfig(fact_weight="articles")),
    (
        "coverage: weight = other articles repeating it, no lead",
        "coverage",
        SummaryConfig(lead_bonus=0),
    ),
    ("coverage: weight = other articles + lead bonus (default)", "coverage", SummaryConfig()),
]


def rouge_rows() -> list[dict[str, Any]]:
    rows = []
    for label, method, config in VARIANTS:
        result = evaluate_summaries(ARTICLES, SUMMARIES, None, method=method, config=config)  # type: ignore[arg-type]
        rows.append({"variant": label, **result})
    return rows


def speed() -> dict[str, Any]:
    records = list(read_jsonl(ARTICLES))
    stories: dict[str, list[SummaryDoc]] = defaultdict(list)
    for record in records:
        stories[record["cluster"]].append(SummaryDoc(record["id"], record["title"], record["text"]))
    tens = [docs for docs in stories.values() if len(docs) == 10]
    summarize_story(tens[0], max_words=120)  # warm-up: loads the language identifier
    article = [lambda r=r: summarize_article(r["text"], language="vi", title=r["title"]) for r in records]
    story = [lambda d=d: summarize_story(d, max_words=120) for d in tens]
    return {
        "article": {**_per_call_ms(article), "calls": len(article)},
        "article_words": round(statistics.mean(len(r["text"].split()) for r in records)),
        "story10": {**_per_call_ms(story), "calls": len(story)},
    }


def _per_call_ms(calls: Sequence[Callable[[], object]]) -> dict[str, float]:
    """Best of three passes (other processes share the cores): wall and CPU milliseconds per call."""
    wall, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        for call in calls:
            call()
        wall.append((time.perf_counter() - started) / len(calls) * 1000)
        cpu.append((time.process_time() - started_cpu) / len(calls) * 1000)
    return {"wall_ms": round(min(wall), 3), "cpu_ms": round(min(cpu), 3)}


def _rouge_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(
        title="Story summaries on vims-dev (ROUGE F1 vs the better human summary, cut to its length)"
    )
    for column in ("variant", "ROUGE-1", "ROUGE-2", "ROUGE-L", "clusters", "seconds"):
        table.add_column(column, justify="left" if column == "variant" else "right")
    for row in rows:
        scores = (f"{row[key]:.4f}" for key in ("rouge1", "rouge2", "rougeL"))
        table.add_row(row["variant"], *scores, str(row["clusters"]), f"{row['seconds']:.2f}")
    return table


def _speed_table(timing: dict[str, Any]) -> Table:
    table = Table(title="Summary speed, one process (best of 3 passes)")
    for column in ("summary", "calls", "wall ms/call", "CPU ms/call"):
        table.add_column(column, justify="left" if column == "summary" else "right")
    labels = {
        "article": f"article, 60 words (articles of {timing['article_words']} words on average)",
        "story10": "story of 10 articles, 120 words",
    }
    for key, label in labels.items():
        row = timing[key]
        table.add_row(label, str(row["calls"]), f"{row['wall_ms']:.2f}", f"{row['cpu_ms']:.2f}")
    return table


def main() -> int:
    console = Console()
    if not (ARTICLES.exists() and SUMMARIES.exists()):
        console.print(
            f"[yellow]skipped: {CORPUS}/vims-dev.* absent (summary benchmark needs ../shared/corpus)"
        )
        return 0
    rows = rouge_rows()
    console.print(_rouge_table(rows))
    timing = speed()
    console.print(_speed_table(timing))
    print(json.dumps({"bench": "summaries", "rouge": rows, "speed": timing}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
