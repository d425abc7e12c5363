"""Workspace page render time and search API latency on vietnews-20k (server time, one core).

Builds (once; cached under bench/out/web-20k/) a SQLite archive of vietnews-20k with
every analysis and collection stage, the stream paced at 2,000 articles a day so that
stories and copy groups form as in service. Then, through the ASGI app in-process (no
network: what is measured is the server's work: routing, auth, queries, templates):

* every page, 20 renders each after a warm-up: median and p95 ms (target < 300 ms);
* /api/search with a token: 300 queries typed like users type them (p95 target < 100 ms).

    .venv/bin/python bench/bench_web.py [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import VIETNEWS, _machine, _paced, _queries

OUT = Path(__file__).resolve().parent / "out" / "web-20k"
PASSWORD = "benchmark password"
console = Console()


def _archive(rebuild: bool) -> Any:
    from newsdesk.ingest.sources import iter_inputs
    from newsdesk.pipeline import Ingestor
    from newsdesk.settings import load_settings
    from newsdesk.store.repo import Store

    settings = load_settings(data_dir=OUT, fetch={"allow_private": True})
    db = OUT / "newsdesk.db"
    if rebuild and db.exists():
        for path in OUT.glob("newsdesk.db*"):
            path.unlink()
    store = Store.open(settings.resolved_database_url)
    if store.stats()["articles"] < 19_000:
        with Progress(console=console) as progress:
            task = progress.add_task("ingesting vietnews-20k (all stages)", total=20_000)
            report = Ingestor(store, settings).run(
                _paced(iter_inputs([str(VIETNEWS)], settings)),
                on_progress=lambda n: progress.advance(task, n),
            )
        console.print(f"ingested {report.as_dict()['ingested']} articles")
    return store, settings


def _ids(store: Any) -> dict[str, Any]:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        one = lambda sql: conn.execute(text(sql)).scalar()  # noqa: E731
        return {
            "story": one("SELECT id FROM stories ORDER BY size DESC LIMIT 1"),
            "article": one("SELECT id FROM articles WHERE story_id IS NOT NULL ORDER BY id DESC LIMIT 1"),
            "entity": one(
                "SELECT entity_id FROM article_entities GROUP BY entity_id ORDER BY count(*) DESC LIMIT 1"
            ),
            "document": one(
                "SELECT document_id FROM article_documents GROUP BY document_id "
                "ORDER BY count(*) DESC LIMIT 1"
            ),
            "theme": one(
                "SELECT theme_id FROM article_themes GROUP BY theme_id ORDER BY count(*) DESC LIMIT 1"
            ),
        }


def _pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Today, 24 h", "/"),
        ("Today, 7 days", "/?window=7d"),
        ("Search, broad + facets", "/search?q=viet+nam"),
        ("Search, narrow", "/search?q=%22bien+dong%22"),
        ("Search, filtered by theme", f"/search?q=kinh+te&theme={ids['theme']}"),
        ("Search, empty query (latest)", "/search"),
        ("Story", f"/stories/{ids['story']}"),
        ("Stories", "/stories"),
        ("Article", f"/articles/{ids['article']}"),
        ("Entities", "/entities"),
        ("Entity", f"/entities/{ids['entity']}"),
        ("Documents", "/documents"),
        ("Document", f"/documents/{ids['document']}"),
        ("Themes", "/themes"),
        ("Theme", f"/themes/{ids['theme']}"),
        ("Sources", "/sources"),
        ("Publications", "/publications"),
        ("Publication (with live pickup)", f"/publications/{ids['publication']}"),
        ("Glossary", "/glossary"),
        ("Translation memory", "/memory"),
        ("Plans", "/plans"),
        ("Reports", "/reports"),
        ("Users", "/admin/users"),
        ("Account", "/account"),
    ]


def _publication(store: Any) -> int:
    """One publication quoting an archived article, so its page shows a real pickup."""
    from sqlalchemy import text

    from newsdesk.publish.publications import Publications
    from newsdesk.publish.workflow import Actor

    publications = Publications(store.engine)
    existing = publications.listing(unit="central", limit=1)
    if existing:
        return int(existing[0]["id"])
    with store.engine.connect() as conn:
        title, body = conn.execute(text("SELECT title, body FROM articles ORDER BY id LIMIT 1")).one()
    actor = Actor("bench", "central", "administrator")
    return publications.add(actor, unit="central", language="vi", title=title, body=body)


def _client(store: Any, settings: Any) -> tuple[Any, dict[str, str]]:
    from fastapi.testclient import TestClient

    from newsdesk.auth import Accounts
    from newsdesk.web.app import create_app

    accounts = Accounts(store.engine, settings.auth)
    try:
        accounts.user("bench")
    except Exception:
        accounts.add_user("bench", unit="central", role="administrator", password=PASSWORD)
    client = TestClient(create_app(store, settings, accounts))
    form = client.get("/login").text
    token = form.split('name="login_csrf" value="')[1].split('"')[0]
    client.post("/login", data={"username": "bench", "password": PASSWORD, "login_csrf": token})
    api_token, _ = accounts.create_token(accounts.user("bench"), "bench")
    return client, {"Authorization": f"Bearer {api_token}"}


def _time(client: Any, path: str, repeats: int, **kwargs: Any) -> list[float]:
    client.get(path, **kwargs)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(path, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
    return times


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true", help="ingest the archive again")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    if not VIETNEWS.exists():
        console.print(f"[yellow]{VIETNEWS} absent: skipped[/]")
        return 0
    os.environ.setdefault("NEWSDESK_LOG_LEVEL", "WARNING")
    store, settings = _archive(args.rebuild)
    client, bearer = _client(store, settings)
    ids = _ids(store) | {"publication": _publication(store)}
    table = Table(
        "page",
        "median ms",
        "p95 ms",
        "max ms",
        title=f"page server time ({store.stats()['articles']:,} articles)",
    )
    results: dict[str, Any] = {"machine": _machine(), "pages": [], "api_search": {}}
    for name, path in _pages(ids):
        times = _time(client, path, args.repeats)
        row = {
            "page": name,
            "path": path,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(_p95(times), 1),
            "max_ms": round(max(times), 1),
        }
        results["pages"].append(row)
        table.add_row(name, str(row["median_ms"]), str(row["p95_ms"]), str(row["max_ms"]))
    console.print(table)
    queries = _queries(store)
    for label, extra in (("api_search", {}), ("api_search_facets", {"facets": "true"})):
        times = []
        for q in queries:
            start = time.perf_counter()
            response = client.get("/api/search", params={"q": q, "page_size": 20, **extra}, headers=bearer)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.text
        results[label] = {
            "queries": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(_p95(times), 1),
            "max_ms": round(max(times), 1),
        }
        console.print(f"/api/search {extra or ''}: {results[label]}")
    (OUT.parent / "web.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
