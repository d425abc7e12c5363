"""`make bench`: ingest throughput and search latency on vietnews-20k, SQLite and PostgreSQL.

Prints a table and writes bench/out/results.json. Then runs the analysis
benchmarks (bench/bench_*.py) that exist. Skips with a message when
../shared/corpus is absent. Single process, so figures are for one core.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")) / "corpus"
VIETNEWS = CORPUS / "vietnews-20k.jsonl.gz"
PG_ADMIN = os.environ.get("NEWSDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
console = Console()


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


SPINE = {"analysis_stages": ["normalize", "langid"], "collection_stages": []}
"""Issue 2's target covers reading, normalization, language ID, storing and indexing only."""


def _paced(items: Any, per_day: int = 2000) -> Any:
    """vietnews has no dates: give the stream a realistic pace so story and copy windows hold
    what they would in service (otherwise all 20,000 articles share one 72-hour window)."""
    from datetime import UTC, datetime, timedelta

    from newsdesk.model import RawItem

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i, item in enumerate(items):
        if isinstance(item, RawItem):
            item.fields["published"] = start + timedelta(days=i / per_day)
        yield item


def bench_ingest(url: str, label: str, **overrides: Any) -> tuple[dict[str, Any], Any]:
    from newsdesk.ingest.sources import iter_inputs
    from newsdesk.pipeline import Ingestor
    from newsdesk.settings import load_settings
    from newsdesk.store.repo import Store

    settings = load_settings(database_url=url, **overrides)
    store = Store.open(url)
    started = time.perf_counter()
    report = Ingestor(store, settings).run(_paced(iter_inputs([str(VIETNEWS)], settings)))
    seconds = time.perf_counter() - started
    return {
        "backend": label,
        "articles": report.ingested,
        "seen": report.seen,
        "rejected": sum(report.discarded.values()) + sum(report.quarantined.values()),
        "seconds": round(seconds, 1),
        "articles_per_s": round(report.ingested / seconds, 1),
    }, store


def _queries(store: Any, n: int = 300) -> list[str]:
    from sqlalchemy import text

    rng = random.Random(1)
    with store.engine.connect() as conn:
        titles = [r[0] for r in conn.execute(text("SELECT title FROM articles ORDER BY id LIMIT 3000"))]
    from newsdesk.text.fold import fold

    queries: list[str] = []
    for title in rng.sample(titles, n):
        words = [w for w in title.split() if w.isalpha()]
        if len(words) < 3:
            continue
        start = rng.randrange(0, len(words) - 2)
        kind = rng.random()
        if kind < 0.4:
            queries.append(fold(" ".join(words[start : start + 2])))  # typed without accents
        elif kind < 0.7:
            queries.append(f'"{" ".join(words[start : start + 3])}"')
        else:
            queries.append(words[start])
    return queries


def bench_search(store: Any, label: str) -> dict[str, Any]:
    queries = _queries(store)
    for q in queries[:20]:  # warm caches
        store.search(q)
    times = []
    for q in queries:
        t0 = time.perf_counter()
        store.search(q)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "backend": label,
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        "max_ms": round(times[-1], 2),
    }


def _pg_database() -> str:
    from sqlalchemy import create_engine, text

    name = f"newsdesk_bench_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def main() -> int:
    if not VIETNEWS.exists():
        console.print(f"[yellow]{VIETNEWS} absent: benchmarks need ../shared/corpus; skipped[/]")
        return 0
    results: dict[str, Any] = {"machine": _machine(), "ingest": [], "search": []}
    with tempfile.TemporaryDirectory() as tmp:
        row, store = bench_ingest(f"sqlite:///{tmp}/bench.db", "SQLite, spine", **SPINE)
        results["ingest"].append(row)
        results["search"].append(bench_search(store, "SQLite"))
        store.close()
        row, store = bench_ingest(f"sqlite:///{tmp}/full.db", "SQLite, all analysis stages")
        results["ingest"].append(row)
        store.close()
    pg = _pg_database()
    try:
        row, store = bench_ingest(pg, "PostgreSQL, spine", **SPINE)
        results["ingest"].append(row)
        results["search"].append(bench_search(store, "PostgreSQL"))
        store.close()
    finally:
        _drop_pg(pg)
    _print(results)
    for script in sorted(Path(__file__).parent.glob("bench_*.py")):
        console.rule(script.name)
        subprocess.run([sys.executable, str(script)], check=False)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def _print(results: dict[str, Any]) -> None:
    console.print(f"machine: {results['machine']}")
    table = Table("backend", "articles", "seconds", "articles/s", title="ingest vietnews-20k (JSON Lines)")
    for r in results["ingest"]:
        table.add_row(r["backend"], str(r["articles"]), str(r["seconds"]), str(r["articles_per_s"]))
    console.print(table)
    table = Table("backend", "queries", "p50 ms", "p95 ms", "max ms", title="search latency")
    for r in results["search"]:
        table.add_row(r["backend"], str(r["queries"]), str(r["p50_ms"]), str(r["p95_ms"]), str(r["max_ms"]))
    console.print(table)
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
