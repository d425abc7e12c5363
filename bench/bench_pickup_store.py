"""Pickup of one publication against a 100,000-article stored archive (SQLite), end to end.

The archive (built once, cached under bench/out/pickup-100k/) holds 100,000 articles made
from vietnews-20k: the 20,000 originals and 80,000 *mixtures* — the first two paragraphs
of four random articles each — so that every distinctive phrase of a text occurs about
five times, as it would in an archive five times larger (the mixtures that hold a
publication's paragraphs are real partial pickups, too). 40 vietnews articles become
publications; for each, a verbatim copy, a trimmed one (lead paragraphs, ≥ 60 words)
and one quoting paragraphs (≥ 40 words) inside other text are stored as pickups.

Timed: ``newsdesk.measure.archive.pickups`` per publication (full-text candidate query,
reading the candidates, matching): median, p95 and max, target < 1 s; and whether its
three planted pickups were all found.

    .venv/bin/python bench/bench_pickup_store.py [--rebuild]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import VIETNEWS, _machine

OUT = Path(__file__).resolve().parent / "out" / "pickup-100k"
SIZE = 100_000
PUBLICATIONS = 40
console = Console()


def _corpus() -> list[dict[str, Any]]:
    with gzip.open(VIETNEWS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _paragraphs(record: dict[str, Any]) -> list[str]:
    return [p for p in record["text"].split("\n") if len(p.split()) >= 8]


def _lead(paragraphs: list[str], words: int) -> list[str]:
    """The first paragraphs that hold at least ``words`` words (the labelled set's definition of a
    trimmed copy and of a quotation: shorter quotes are below the decision rule by design, D19)."""
    kept: list[str] = []
    for paragraph in paragraphs:
        kept.append(paragraph)
        if sum(len(p.split()) for p in kept) >= words:
            break
    return kept


def _rows(corpus: list[dict[str, Any]], chosen: list[int]) -> Iterator[dict[str, Any]]:
    rng = random.Random(11)
    published = set(chosen)
    n = 0
    for i, record in enumerate(corpus):
        if i in published:
            continue  # a publication's own text is not in the archive; its pickups are
        yield {"id": f"v{i}", "title": record["title"], "text": record["text"], "n": n}
        n += 1
    for i in chosen:
        paragraphs = _paragraphs(corpus[i])
        other = _paragraphs(corpus[(i + 7) % len(corpus)])
        text = "\n".join(paragraphs)
        yield {"id": f"copy{i}", "title": corpus[i]["title"], "text": text, "n": n}
        yield {
            "id": f"trim{i}",
            "title": corpus[i]["title"],
            "text": "\n".join(_lead(paragraphs, 60)),
            "n": n + 1,
        }
        quoted = other[:2] + _lead(paragraphs[1:], 40) + other[2:4]
        yield {"id": f"quote{i}", "title": "Tin tổng hợp", "text": "\n".join(quoted), "n": n + 2}
        n += 3
    while n < SIZE:
        parts = [p for k in rng.sample(range(len(corpus)), 4) for p in _paragraphs(corpus[k])[:2]]
        rng.shuffle(parts)
        yield {"id": f"mix{n}", "title": " ".join(parts[0].split()[:10]), "text": "\n".join(parts), "n": n}
        n += 1


def _build(corpus: list[dict[str, Any]], chosen: list[int], rebuild: bool) -> Any:
    from newsdesk.ingest.sources import iter_inputs
    from newsdesk.pipeline import Ingestor
    from newsdesk.settings import load_settings
    from newsdesk.store.repo import Store

    settings = load_settings(
        data_dir=OUT,
        analysis_stages=["normalize", "langid"],
        collection_stages=[],
        ingest={"min_text_chars": 80},
    )
    if rebuild:
        for path in OUT.glob("newsdesk.db*"):
            path.unlink()
    store = Store.open(settings.resolved_database_url)
    if store.stats()["articles"] >= SIZE * 0.98:
        return store
    OUT.mkdir(parents=True, exist_ok=True)
    source = OUT / "archive.jsonl"
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with source.open("w", encoding="utf-8") as out:
        for row in _rows(corpus, chosen):
            published = start + timedelta(minutes=row.pop("n"))
            row |= {"url": f"https://bench.example.vn/{row['id']}", "published": published.isoformat()}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    with Progress(console=console) as progress:
        task = progress.add_task("ingesting the 100k archive (spine stages)", total=SIZE)
        Ingestor(store, settings).run(
            iter_inputs([str(source)], settings), on_progress=lambda k: progress.advance(task, k)
        )
    source.unlink()
    return store


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if not VIETNEWS.exists():
        console.print(f"[yellow]{VIETNEWS} absent: skipped[/]")
        return 0
    from newsdesk.measure.archive import pickups
    from newsdesk.publish.publications import Publications
    from newsdesk.publish.workflow import Actor

    corpus = _corpus()
    rng = random.Random(5)
    chosen = sorted(
        i for i in rng.sample(range(len(corpus)), PUBLICATIONS * 3) if len(_paragraphs(corpus[i])) >= 5
    )
    chosen = chosen[:PUBLICATIONS]
    store = _build(corpus, chosen, args.rebuild)
    publications = Publications(store.engine)
    actor = Actor("bench", "central", "administrator")
    times: list[float] = []
    found_all = 0
    for i in chosen:
        pid = publications.add(
            actor,
            unit="central",
            language="vi",
            title=corpus[i]["title"],
            body="\n\n".join(_paragraphs(corpus[i])),
        )
        started = time.perf_counter()
        rows = pickups(store, publications, pid)
        times.append(time.perf_counter() - started)
        urls = {r["url"] for r in rows}
        planted = {f"https://bench.example.vn/{kind}{i}" for kind in ("copy", "trim", "quote")}
        found_all += planted <= urls
    ordered = sorted(times)
    result = {
        "machine": _machine(),
        "archive": store.stats()["articles"],
        "publications": len(times),
        "median_s": round(statistics.median(times), 3),
        "p95_s": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 3),
        "max_s": round(max(times), 3),
        "all_planted_found": f"{found_all}/{len(times)}",
    }
    console.print(result)
    (OUT.parent / "pickup-store.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
