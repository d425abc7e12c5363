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
