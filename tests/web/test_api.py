"""The JSON API of `newsdesk up` and its one error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsdesk.ingest.sources import iter_inputs
from newsdesk.pipeline import Ingestor
from newsdesk.settings import Settings
from newsdesk.web.app import create_app, error_body
from tests.conftest import FIXTURES


@pytest.fixture
def client(store, settings: Settings) -> TestClient:  # type: ignore[no-untyped-def]
    Ingestor(store, settings).run(iter_inputs([str(FIXTURES / "spine")], settings))
    return TestClient(create_app(store, settings))


def test_stats_and_health(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    stats = client.get("/api/stats").json()
    assert (stats["articles"], stats["quarantined"]) == (5, 3)


def test_search_is_accent_insensitive_and_paged(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "bao ton di san"}).json()
    assert body["total"] == 1 and "di sản" in body["results"][0]["title"]
    page = client.get("/api/articles", params={"page_size": 2, "page": 2}).json()
    assert page["total"] == 5 and len(page["results"]) == 2


def test_article_and_raw(client: TestClient) -> None:
    first = client.get("/api/articles").json()["results"][0]
    article = client.get(f"/api/articles/{first['id']}").json()
    assert article["title"] == first["title"] and article["text"]
    raw = client.get(f"/api/articles/{first['id']}/raw")
    assert raw.status_code == 200 and raw.content


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/articles/999999", 404, "not_found"),
        ("/api/nowhere", 404, "not_found"),
        ("/api/articles?page=0", 422, "invalid_request"),
        ("/api/search?order=sideways", 422, "invalid_request"),
        ("/api/sources/nope", 404, "not_found"),
    ],
)
def test_one_error_shape(client: TestClient, path: str, status: int, code: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert body == error_body(status, code, body["error"]["message"])


def test_status_page_speaks_vietnamese_then_english(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "Bài viết" in page.text and 'lang="vi"' in page.text
    assert "Content-Security-Policy" in page.headers
    english = client.get("/?lang=en")
    assert "Latest articles" in english.text
    assert "Latest articles" in client.get("/").text  # the choice persists (cookie)


def test_status_page_escapes_stored_text(client: TestClient, store) -> None:  # type: ignore[no-untyped-def]
    store.add_source(name="<script>alert(1)</script>", kind="feed", url="https://x.example/rss")
    page = client.get("/").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/search",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/sources",
        "/api/stats",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/entities",
        "/api/documents",
    } <= set(paths)


def test_analysis_endpoints(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    Ingestor(store, settings).run(iter_inputs([str(FIXTURES / "collect" / "typhoon.jsonl")], settings))
    client = TestClient(create_app(store, settings))
    stories = client.get("/api/stories").json()
    assert stories[0]["size"] == 4 and set(stories[0]["languages"]) == {"vi", "en"}
    story = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert story["summary"] and len(story["articles"]) == 4 and story["duplicates"]
    places = client.get("/api/entities", params={"kind": "place"}).json()
    assert "Quảng Ninh" in {p["name"] for p in places}
    entity = client.get(f"/api/entities/{places[0]['id']}").json()
    assert entity["articles"]
    assert client.get("/api/documents").status_code == 200
    missing = client.get("/api/documents/KL-999-TW")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/stories/999999").json()["error"]["code"] == "not_found"
