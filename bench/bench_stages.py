"""Analysis cost per article per stage on vietnews-20k (one core).

Articles get synthetic publication times, 2,000 a day in file order (the corpus has no
dates). Per-article stages are timed on batches of extracted articles (CPU time); the
collection stages (dedup, stories) are timed through the Collector on a SQLite
database holding the same articles, database writes included.
Run: .venv/bin/python bench/bench_stages.py [N]   (default 5,000 articles)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from rich.console import Console
from rich.table import Table

ARTICLES_PER_DAY = 2000
REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")) / "corpus"
VIETNEWS = CORPUS / "vietnews-20k.jsonl.gz"


def main(n: int) -> int:
    from newsdesk.analyze.registry import resolve
    from newsdesk.collect import Collector, build_stages
    from newsdesk.ingest.jsonl import read_jsonl
    from newsdesk.model import Article, RawItem
    from newsdesk.pipeline import Ingestor, _extract
    from newsdesk.settings import load_settings
    from newsdesk.store.repo import Store

    console = Console()
    if not VIETNEWS.exists():
        console.print(f"[yellow]{VIETNEWS} absent; skipped[/]")
        return 0
    raws = [r for r in islice(read_jsonl(VIETNEWS), n) if isinstance(r, RawItem)]
    # vietnews has no dates: give the stream a realistic pace (2,000 articles a day, in file order),
    # so the stories' quiet window holds what it would in service.
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i, raw in enumerate(raws):
        raw.fields["published"] = start + timedelta(days=i / ARTICLES_PER_DAY)
    settings = load_settings()
    articles = [a for a in (_extract(r) for r in raws) if isinstance(a, Article)]
    rows: list[tuple[str, float]] = []
    for st in resolve(settings.analysis_stages):
        started = time.process_time()
        for start in range(0, len(articles), 500):
            st.fn(articles[start : start + 500], settings)
        rows.append((st.name, (time.process_time() - started) / len(articles) * 1000))
    with tempfile.TemporaryDirectory() as tmp:
        plain = load_settings(data_dir=Path(tmp), collection_stages=[])
        store = Store.open(plain.resolved_database_url)
        Ingestor(store, plain).run(raws)
        for name in settings.collection_stages:
            collector = Collector(store, settings, build_stages([name]))
            started = time.process_time()
            seen = collector.run()
            rows.append((name, (time.process_time() - started) / max(seen, 1) * 1000))
        store.close()
    total = sum(ms for _, ms in rows)
    table = Table(
        "stage", "ms / article", title=f"analysis cost per article ({len(articles)} vietnews articles)"
    )
    for name, ms in rows:
        table.add_row(name, f"{ms:.3f}")
    table.add_row("[bold]all stages[/]", f"[bold]{total:.3f}[/]")
    console.print(table)
    print(
        json.dumps(
            {"bench": "stages", "articles": len(articles), "ms_per_article": dict(rows), "total_ms": total}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
