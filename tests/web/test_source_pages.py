"""Sources' health and the quarantine (/sources, /sources/{id}): analysts and above."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from newsdesk.auth import Accounts
from newsdesk.store import views
from newsdesk.store.repo import Store
from newsdesk.store.tables import ArticleRow, QuarantineRow, SourceRow
from tests.web.test_story_pages import archive_app, archive_file, archive_store, both_backends  # noqa: F401


@pytest.fixture
def sources(store: Store) -> dict[str, int]:
    """A healthy wire feed and a failing outlet feed whose three articles came in the last three days."""
    wire = store.add_source(
        name="wire-rss", kind="rss", url="https://wire.example.com/rss", outlet="Example Wire"
    )
    bao = store.add_source(name="bao-a", kind="rss", url="https://bao-a.example.vn/rss")
    store.record_poll(wire["id"])
    store.record_poll(bao["id"])
    store.record_poll(bao["id"], error="HTTP 503 from https://bao-a.example.vn/rss")
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        ids = conn.execute(select(ArticleRow.id).where(ArticleRow.outlet == "Báo A").order_by(ArticleRow.id))
        for days, article_id in enumerate(ids.scalars()):
            conn.execute(
                update(ArticleRow)
                .where(ArticleRow.id == article_id)
                .values(source_id=bao["id"], sort_time=now - timedelta(days=days))
            )
        conn.execute(
            insert(QuarantineRow).values(
                origin="https://bao-a.example.vn/hong.html",
                reason="extract_failed",
                detail="no main text in the page",
                sha256="ab" * 32,
                source_id=bao["id"],
            )
        )
    return {"wire": wire["id"], "bao": bao["id"]}


def test_viewers_get_403_and_no_link(login: Callable[[str], TestClient], sources: dict[str, int]) -> None:
    viewer = login("viewer")
    assert viewer.get("/sources").status_code == 403
    assert viewer.get(f"/sources/{sources['bao']}").status_code == 403
    assert 'href="/sources"' not in viewer.get("/").text
    assert 'href="/sources"' in login("analyst").get("/").text


def test_the_health_table_and_the_quarantine(client: TestClient, sources: dict[str, int]) -> None:
    page = client.get("/sources")
    assert page.status_code == 200
    html = page.text
    assert f'href="/sources/{sources["wire"]}">wire-rss' in html and "https://wire.example.com/rss" in html
    failing = re.search(r'<tr class="failing">(.*?)</tr>', html, re.S)
    assert failing and "bao-a" in failing.group(1) and "HTTP 503" in failing.group(1)
    assert html.count('<svg class="spark"') == 2  # 30 days each; a silent source's line is flat
    quarantine = html.split('id="quarantine"')[1]
    assert "extract_failed" in quarantine and "https://bao-a.example.vn/hong.html" in quarantine


def test_a_source_page_links_each_day_to_its_outlet(client: TestClient, sources: dict[str, int]) -> None:
    html = client.get(f"/sources/{sources['bao']}").text.replace("&amp;", "&")
    today = views.local_date(datetime.now(UTC)).isoformat()
    assert f"/search?outlet=B%C3%A1o+A&date_from={today}&date_to={today}&order=date" in html
    assert html.count('class="chart-link"') == 30
    assert "Báo A" in html and len(re.findall(r'href="/articles/\d+"', html)) == 3
    assert client.get("/sources/999").status_code == 404


def test_source_pages_in_english(client: TestClient, accounts: Accounts, sources: dict[str, int]) -> None:
    accounts.set_language("analyst", "en")
    html = client.get("/sources").text
    assert "Health of the sources" in html and "Quarantine" in html and "Last 30 days" in html


def test_source_volumes_on_both_backends(archive: Store) -> None:
    now = datetime(2026, 11, 21, 10, tzinfo=UTC)  # 17:00 in Hanoi
    with archive.engine.connect() as conn, conn.begin() as transaction:
        source = conn.execute(
            insert(SourceRow)
            .values(name="wire", kind="rss", url="https://wire.example.com/rss")
            .returning(SourceRow.id)
        ).scalar_one()
        conn.execute(
            update(ArticleRow).where(ArticleRow.outlet.in_(["Báo A", "Báo C"])).values(source_id=source)
        )
        volumes = views.source_volumes(conn, days=30, now=now)
        overview = views.source_overview(conn, source, days=7, now=now)
        transaction.rollback()
    series = volumes[source]
    assert len(series) == 30 and sum(series) == 6  # Báo A's and Báo C's articles, 10 to 20 November
    assert series[-2:] == [2, 0]  # 20 November (local days): two conference reports; 21 November: none
    days = overview["series"].periods
    assert (days[0].first_day, days[-1].first_day) == (date(2026, 11, 15), date(2026, 11, 21))
    assert overview["series"].total == 4 and len(overview["articles"]) == 6
