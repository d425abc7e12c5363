"""The JSON API of `newsdesk up` and its one error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsdesk.web.app import error_body


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


def test_openapi_documents_every_resource_and_docs_page_is_served(anonymous: TestClient) -> None:
    schema = anonymous.get("/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/articles",
        "/api/search",
        "/api/stories",
        "/api/entities",
        "/api/documents",
        "/api/themes",
        "/api/sources",
        "/api/publications",
    ):
        assert path in paths, path
    assert not any(p.startswith(("/login", "/search", "/stories/")) for p in paths)  # pages are not API
    docs = anonymous.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_security_headers_on_pages_and_api(client: TestClient) -> None:
    for path in ("/", "/api/articles"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"


def test_unexpected_failures_keep_the_error_shape(app) -> None:  # type: ignore[no-untyped-def]
    """Regression (review, sitting 2): an id beyond SQLite's integers gave a text/plain 500."""
    from tests.web.conftest import log_in

    client = log_in(TestClient(app, raise_server_exceptions=False, follow_redirects=False), "analyst")
    response = client.get("/api/articles/99999999999999999999")
    assert response.status_code == 500
    assert response.json() == error_body(500, "internal_error", "internal error: the failure was logged")


def test_attention_series_are_bounded(client: TestClient) -> None:
    """Regression (review, sitting 2): a day series over eight thousand years took 33 s and 157 MB."""
    wide = {"date_from": "1000-01-01", "date_to": "9999-01-01"}
    refused = client.get("/api/themes/culture_heritage/attention", params=wide)
    assert refused.status_code == 400 and "bucket=week or month" in refused.json()["error"]["message"]
    fine = client.get(
        "/api/themes/culture_heritage/attention",
        params={"date_from": "2026-01-01", "date_to": "2026-12-31", "bucket": "week"},
    )
    assert fine.status_code == 200
