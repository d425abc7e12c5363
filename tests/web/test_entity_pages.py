"""Entity pages (/entities, /entities/{id}) and the entity queries behind them."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.auth import Accounts
from newsdesk.store import views
from newsdesk.store.repo import Store
from newsdesk.store.tables import EntityRow
from tests.web.test_story_pages import archive_app, archive_file, archive_store, both_backends  # noqa: F401


def _entity(store: Store, name: str) -> int:
    with store.engine.connect() as conn:
        found = conn.execute(select(EntityRow.id).where(EntityRow.name == name)).scalar()
    assert found is not None, name
    return int(found)


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/entities/\d+">([^<]+)</a>', html)


def test_the_list_is_ordered_by_articles_and_filtered_by_kind(client: TestClient) -> None:
    everyone = client.get("/entities")
    assert everyone.status_code == 200
    assert {"Hà Nội", "Bộ Ngoại giao", "Lê Thị Hạnh", "Quảng Trị"} <= set(_names(everyone.text))
    people = _names(client.get("/entities", params={"kind": "person"}).text)
    assert "Lê Thị Hạnh" in people and "Hà Nội" not in people
    assert client.get("/entities", params={"kind": "planet"}).status_code == 422


@pytest.mark.parametrize("typed", ["le thi hanh", "Lê Thị Hạnh", "LE THI", "thị hạnh", "  le   thi  "])
def test_names_are_found_without_accents(client: TestClient, typed: str) -> None:
    assert _names(client.get("/entities", params={"q": typed}).text) == ["Lê Thị Hạnh"]


def test_a_name_that_matches_nothing(client: TestClient) -> None:
    page = client.get("/entities", params={"q": "zzz(["})
    assert page.status_code == 200 and "Không tìm thấy" in page.text


def test_an_entity_page_links_its_chart_names_stories_and_articles(client: TestClient, store: Store) -> None:
    hanh = _entity(store, "Lê Thị Hạnh")
    html = client.get(f"/entities/{hanh}").text.replace("&amp;", "&")
    assert "Thứ trưởng · Bộ Ngoại giao" in html  # the position, its organisation by name
    assert f"/search?entity={hanh}&date_from=2026-11-20&date_to=2026-11-20&order=date" in html
    assert "Được nhắc đến trong 5 bài" in html
    co = html.split('id="co-occurring"')[1].split("</section>")[0]
    assert "Bộ Ngoại giao" in co and f'href="/entities/{_entity(store, "Bộ Ngoại giao")}"' in co
    assert re.search(r'href="/stories/\d+">Hội nghị triển khai', html)
    assert len(re.findall(r'href="/articles/\d+"', html.split('id="recent"')[1])) == 5


def test_entity_pages_in_english(client: TestClient, store: Store, accounts: Accounts) -> None:
    accounts.set_language("analyst", "en")
    assert "People &amp; organisations" in client.get("/entities").text
    html = client.get(f"/entities/{_entity(store, 'Quảng Trị')}").text
    assert "Often named with" in html and "Articles naming it: 3" in html


def test_unknown_entity_is_404(client: TestClient) -> None:
    assert client.get("/entities/99999").status_code == 404


def test_entity_queries_on_both_backends(archive: Store) -> None:
    hanh = _entity(archive, "Lê Thị Hạnh")
    with archive.engine.connect() as conn:
        overview = views.entity_overview(conn, hanh)
        found = views.list_entities(conn, q="LE THI HANH")
        counted = views.count_entities(conn, q="hanh")
        places = views.list_entities(conn, kind="place", limit=2, offset=1)
        detail = views.entity_detail(conn, hanh)
    assert overview["articles_total"] == 5 and overview["series"].bucket == "day"
    assert [p.articles for p in overview["series"].periods] == [4, 1]  # 20 and 21 November, local time
    assert overview["stories"][0]["articles"] == 4
    assert [e["name"] for e in found] == ["Lê Thị Hạnh"] and counted == 1
    assert len(places) == 2 and all(p["kind"] == "place" for p in places)
    assert detail["total_articles"] == 5 and len(detail["articles"]) == 5


@pytest.mark.parametrize(
    ("typed", "name", "found"),
    [
        ("nguyen van", "Ông Nguyễn Văn Phong", True),
        ("hoà bình", "tỉnh Hòa Bình", True),  # old and new tone placement
        ("dang", "Đặng Thị Ngọc", True),
        ("a.b", "axb", False),  # punctuation is literal
        ("(", "Bộ (cũ)", True),
    ],
)
def test_name_pattern(typed: str, name: str, found: bool) -> None:
    assert bool(re.search(views.name_pattern(typed), name)) is found
