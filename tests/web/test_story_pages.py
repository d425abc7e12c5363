"""Story pages (/stories, /stories/{id}) and the story and time-series queries behind them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from newsdesk.auth import Accounts
from newsdesk.ingest.sources import iter_inputs
from newsdesk.pipeline import Ingestor
from newsdesk.settings import Settings, load_settings
from newsdesk.store import views
from newsdesk.store.repo import Store
from newsdesk.store.tables import ArticleRow, Base
from newsdesk.web.app import create_app
from tests.conftest import FIXTURES

ARCHIVE = FIXTURES / "web" / "archive.jsonl"
"""Ten invented articles: a conference on external information (four outlets, one exact copy,
an English report), a flood (an original and a near copy, then a follow-up), rice exports, the
press law."""


@pytest.fixture(scope="session", name="archive_db")
def archive_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive ingested once into a SQLite file; every test works on its own copy."""
    folder = tmp_path_factory.mktemp("archive")
    url = f"sqlite:///{folder / 'archive.db'}"
    settings = load_settings(data_dir=folder / "data", database_url=url, ingest={"min_text_chars": 80})
    store = Store.open(url)
    Ingestor(store, settings).run(iter_inputs([str(ARCHIVE)], settings))
    store.close()
    return folder / "archive.db"


@pytest.fixture(name="store")
def archive_store(archive_db: Path, tmp_path: Path) -> Iterator[Store]:
    """A workspace over a fresh copy of the archive (replaces the empty store of tests/conftest.py)."""
    copy = tmp_path / "archive.db"
    shutil.copyfile(archive_db, copy)
    st = Store.open(f"sqlite:///{copy}")
    yield st
    st.close()


@pytest.fixture(name="app")
def archive_app(store: Store, settings: Settings, accounts: Accounts) -> FastAPI:
    return create_app(store, settings, accounts)


@pytest.fixture(scope="module", params=["sqlite", "postgres"], name="archive")
def both_backends(
    request: pytest.FixtureRequest, archive_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The archive on both backends for the queries' tests: read-only (write in a rolled-back transaction)."""
    if request.param == "sqlite":
        copy = tmp_path_factory.mktemp("archive-copy") / "archive.db"
        shutil.copyfile(archive_db, copy)
        st = Store.open(f"sqlite:///{copy}")
    else:
        st = Store.open(request.getfixturevalue("pg_url"))
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with st.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        settings = load_settings(data_dir=tmp_path_factory.mktemp("pg-data"), ingest={"min_text_chars": 80})
        Ingestor(st, settings).run(iter_inputs([str(ARCHIVE)], settings))
    yield st
    st.close()


def _ids_by_url(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(ArticleRow.id, ArticleRow.url))
        return {str(url).rsplit("/", 1)[1][:-5]: i for i, url in rows}


def _story_of(store: Store, key: str) -> int:
    with store.engine.connect() as conn:
        story = conn.execute(
            select(ArticleRow.story_id).where(ArticleRow.id == _ids_by_url(store)[key])
        ).scalar()
    assert story is not None
    return int(story)


def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def test_the_list_shows_the_biggest_stories_first(client: TestClient, store: Store) -> None:
    page = client.get("/stories", params={"days": 0})
    assert page.status_code == 200 and "Sự kiện" in page.text
    conference = _story_of(store, "hn1")
    rows = re.findall(r'<a href="/stories/(\d+)">', page.text)
    assert rows[0] == str(conference)
    assert "Hội nghị triển khai Kết luận 57-KL/TW" in page.text


def test_the_list_period_ends_at_the_newest_article(client: TestClient) -> None:
    week = client.get("/stories", params={"days": 1}).text
    assert "21/11/2026 15:00" in week  # the newest article, not "now"
    assert "Xuất khẩu gạo" not in week  # ten days older
    assert "Xuất khẩu gạo" in client.get("/stories", params={"days": 0}).text


def test_a_story_page_links_every_bar_to_its_articles(client: TestClient, store: Store) -> None:
    story = _story_of(store, "hn1")
    page = client.get(f"/stories/{story}")
    assert page.status_code == 200
    html = page.text
    assert "Bộ Ngoại giao" in html and "Tóm tắt" in html
    hrefs = _hrefs(html)
    # hourly timeline (the story spans 30 hours): the first bar is 09:00–10:00 local time on 20/11
    assert (
        f"/search?story={story}&date_from=2026-11-20T09%3A00%3A00%2B07%3A00"
        "&date_to=2026-11-20T09%3A59%3A59.999999%2B07%3A00&order=date"
    ) in hrefs
    assert "Số bài theo giờ" in html
    assert f"/search?story={story}&order=date&outlet=B%C3%A1o+A" in hrefs
    assert f"/search?story={story}&order=date&language=vi" in hrefs
    assert any(h.startswith("/entities/") for h in hrefs)
    ids = _ids_by_url(store)
    assert f"/articles/{ids['hn1']}" in hrefs and f"/articles/{ids['hn5']}" in hrefs
    assert "20/11/2026 09:00" in html and "21/11/2026 15:00" in html  # first and last seen


def test_copies_are_grouped_under_their_original(client: TestClient, store: Store) -> None:
    ids = _ids_by_url(store)
    html = client.get(f"/stories/{_story_of(store, 'hn1')}").text
    copies = html.split('id="copies"')[1]
    original = copies.index(f'href="/articles/{ids["hn1"]}"')
    copy = copies.index(f'href="/articles/{ids["hn2"]}"')
    assert original < copy and "y nguyên" in copies[original:]
    flood = client.get(f"/stories/{_story_of(store, 'lu1')}").text
    assert "gần giống" in flood.split('id="copies"')[1]


def test_story_pages_in_english(client: TestClient, store: Store, accounts: Accounts) -> None:
    accounts.set_language("analyst", "en")
    html = client.get(f"/stories/{_story_of(store, 'hn1')}").text
    assert "Articles per hour" in html and "By outlet" in html and "Nov 20, 2026" in html
    assert "Copies" in html and "exact" in html
    assert "Stories" in client.get("/stories").text


def test_unknown_story_is_404(client: TestClient) -> None:
    assert client.get("/stories/99999").status_code == 404


def test_stories_need_login(anonymous: TestClient) -> None:
    assert anonymous.get("/stories").status_code == 303


def test_story_queries_on_both_backends(archive: Store) -> None:
    story = _story_of(archive, "hn1")
    with archive.engine.connect() as conn:
        timeline = views.story_timeline(conn, story)
        detail = views.story_detail(conn, story)
        listed = views.list_stories(conn, limit=2)
        total = views.count_stories(conn)
        second = views.list_stories(conn, limit=2, offset=2)
    assert timeline.bucket == "hour" and timeline.total == 4
    assert timeline.periods[0].start == datetime(2026, 11, 20, 9) and len(timeline.periods) == 31
    assert [a["sort_time"] for a in detail["articles"]] == sorted(a["sort_time"] for a in detail["articles"])
    assert detail["duplicates"] == [
        {"original": _ids_by_url(archive)["hn1"], "copies": [_ids_by_url(archive)["hn2"]]}
    ]
    assert listed[0]["id"] == story and total >= 5
    assert not {s["id"] for s in listed} & {s["id"] for s in second}


def test_daily_counts_are_local_days(archive: Store) -> None:
    """An article published at 00:30 in Hanoi is counted on that day, not the UTC day before."""
    with archive.engine.connect() as conn, conn.begin() as transaction:
        conn.execute(
            update(ArticleRow)
            .where(ArticleRow.id == _ids_by_url(archive)["gao"])
            .values(sort_time=datetime.fromisoformat("2026-11-09T17:30:00+00:00"))
        )
        series = views.story_timeline(conn, _story_of(archive, "gao"))
        transaction.rollback()
    assert series.bucket == "hour" and series.periods[0].start == datetime(2026, 11, 10, 0)


@pytest.mark.parametrize(
    ("bucket", "starts", "counts"),
    [
        ("day", [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1)], [1, 0, 2]),
        ("week", [date(2026, 11, 23), date(2026, 11, 30)], [1, 2]),
        ("month", [date(2026, 11, 1), date(2026, 12, 1)], [1, 2]),
    ],
)
def test_periods_roll_days_up_and_fill_gaps(
    bucket: views.Bucket, starts: list[date], counts: list[int]
) -> None:
    daily = {"2026-11-29": 1, "2026-12-01": 2}
    periods = views.periods(daily, bucket)
    assert [p.start for p in periods] == starts and [p.articles for p in periods] == counts
    assert periods[-1].last_day >= date(2026, 12, 1)


@pytest.mark.parametrize(
    ("first", "last", "bucket"),
    [
        (date(2026, 1, 1), date(2026, 3, 1), "day"),
        (date(2026, 1, 1), date(2026, 9, 1), "week"),
        (date(2023, 1, 1), date(2026, 9, 1), "month"),
    ],
)
def test_the_bucket_follows_the_span(first: date, last: date, bucket: str) -> None:
    assert views.choose_bucket(first, last) == bucket


def test_viewers_read_stories(login: Callable[[str], TestClient]) -> None:
    assert login("viewer").get("/stories").status_code == 200


def test_the_pages_messages_exist_in_both_languages() -> None:
    """Every message these pages use, including the families they pick by name, has vi and en."""
    from newsdesk.web.ui.i18n import messages
    from newsdesk.web.ui.render import TEMPLATES

    table = messages()
    names = ["analysis_macros", "stories", "story", "entities", "entity", "documents", "document"]
    names += ["themes", "themes_nav", "theme", "sources", "source", "admin_users"]
    used = {
        k
        for n in names
        for k in re.findall(r"\bt\('([a-z_.0-9]+)'[,)]", (TEMPLATES / f"{n}.html").read_text())
    }
    families = {
        "story.days_": ("1", "7", "30", "all"),
        "story.kind_": ("exact", "near", "other"),
        "story.timeline_": ("hour", "day", "week", "month"),
        "entities.kind.": ("person", "organisation", "place"),
        "entities.one.": ("person", "organisation", "place"),
        "themes.period.": ("30", "90", "365", "0"),
        "themes.bucket.": ("day", "week", "month"),
    }
    used |= {prefix + member for prefix, members in families.items() for member in members}
    assert {k for k in used if set(table.get(k, {})) != {"vi", "en"}} == set()
