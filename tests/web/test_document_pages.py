"""Document pages (/documents, /documents/{id}) and the document queries behind them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from newsdesk.auth import Accounts
from newsdesk.store import views
from newsdesk.store.repo import Store
from tests.web.test_story_pages import archive_app, archive_file, archive_store, both_backends  # noqa: F401


def _listed(html: str) -> list[str]:
    return re.findall(r"<code>([^<]+)</code>", html)


def test_the_list_and_its_type_filter(client: TestClient) -> None:
    page = client.get("/documents")
    assert page.status_code == 200
    assert set(_listed(page.text)) == {"KL-57-TW", "KL-57-TW-XIII", "NQ-57-TW-XIII", "LUAT-BAO-CHI-2016"}
    assert "Kết luận (KL, 2)" in page.text  # the type filter names its types
    conclusions = client.get("/documents", params={"type": "kl"}).text
    assert set(_listed(conclusions)) == {"KL-57-TW", "KL-57-TW-XIII"}
    assert client.get("/documents", params={"type": "XX"}).status_code == 200


def test_a_document_page(client: TestClient) -> None:
    html = client.get("/documents/KL-57-TW-XIII").text.replace("&amp;", "&")
    assert "Kết luận 57-KL/TW" in html
    # both ids of the document count: five articles cite KL 57 with or without its term
    assert "Được trích dẫn trong 5 bài" in html
    assert "/search?document=KL-57-TW-XIII&date_from=2026-11-20&date_to=2026-11-20&order=date" in html
    assert "«Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị»" in html  # a surface form
    co = html.split('id="co-cited"')[1].split("</section>")[0]
    assert 'href="/documents/NQ-57-TW-XIII"' in co
    assert re.search(r'href="/stories/\d+">Hội nghị triển khai', html)
    assert 'href="/documents/KL-57-TW"' in html  # the other id of the same document
    named = html.split('id="entities"')[1].split("</section>")[0]
    assert re.search(r'href="/entities/\d+"', named)  # who and what the citing articles name


def test_the_document_api_lists_co_occurring_entities(client: TestClient) -> None:
    """Regression (review, sitting 2): documents had co-cited documents but no entities."""
    detail = client.get("/api/documents/KL-57-TW-XIII").json()
    assert detail["co_occurring"] and {"id", "kind", "name", "articles"} <= set(detail["co_occurring"][0])


def test_ids_with_slashes_and_typed_references(client: TestClient) -> None:
    typed = client.get("/documents/57-KL/TW")
    assert typed.status_code == 303 and typed.headers["location"] == "/documents/KL-57-TW"
    assert client.get("/documents/Kết luận 57-KL/TW").status_code == 303
    assert client.get("/documents/XYZ-1/2/3").status_code == 404


def test_document_pages_in_english(client: TestClient, accounts: Accounts) -> None:
    accounts.set_language("analyst", "en")
    html = client.get("/documents/LUAT-BAO-CHI-2016").text
    assert "Articles citing it: 1" in html and "As written in the articles" in html
    assert "Cited documents" in client.get("/documents").text


def test_document_queries_on_both_backends(archive: Store) -> None:
    with archive.engine.connect() as conn:
        overview = views.document_overview(conn, "KL-57-TW")
        listed = views.list_documents(conn, limit=2)
        counted = views.count_documents(conn), views.count_documents(conn, type_="nq")
        types = {t["type"]: t["documents"] for t in views.document_types(conn)}
    assert overview["variants"] == ["KL-57-TW", "KL-57-TW-XIII"] and overview["articles_total"] == 5
    assert [c["id"] for c in overview["co_cited"]] == ["NQ-57-TW-XIII"]
    assert overview["stories"] and overview["articles"][0]["sort_time"] is not None
    assert listed[0]["articles"] >= listed[1]["articles"] and counted == (4, 1)
    assert types == {"KL": 2, "NQ": 1, "LUAT": 1}
