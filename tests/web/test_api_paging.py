"""/api/stories, /api/entities and /api/documents are paged like /api/articles, with their filters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.test_story_pages import archive_app, archive_file, archive_store  # noqa: F401


@pytest.mark.parametrize(
    ("path", "params", "total"),
    [
        ("/api/stories", {}, 6),
        ("/api/stories", {"min_size": 2}, 2),
        ("/api/entities", {}, 10),
        ("/api/entities", {"kind": "person"}, 2),
        ("/api/entities", {"q": "quang tri"}, 1),
        ("/api/documents", {}, 4),
        ("/api/documents", {"type": "KL"}, 2),
    ],
)
def test_lists_are_paged_with_their_filters(
    client: TestClient, path: str, params: dict[str, object], total: int
) -> None:
    first = client.get(path, params=params | {"page_size": 1}).json()
    assert set(first) == {"total", "page", "page_size", "results"}
    assert (first["total"], first["page"], first["page_size"], len(first["results"])) == (total, 1, 1, 1)
    every = client.get(path, params=params | {"page_size": 200}).json()["results"]
    assert len(every) == total
    if total > 1:
        second = client.get(path, params=params | {"page_size": 1, "page": 2}).json()["results"]
        assert second == every[1:2] and second != first["results"]


def test_lists_keep_their_order(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["results"]
    assert [len(s["outlets"]) for s in stories] == sorted((len(s["outlets"]) for s in stories), reverse=True)
    entities = client.get("/api/entities").json()["results"]
    assert [e["articles"] for e in entities] == sorted((e["articles"] for e in entities), reverse=True)


def test_past_the_end_and_invalid_pages(client: TestClient) -> None:
    late = client.get("/api/documents", params={"page": 9}).json()
    assert late["total"] == 4 and late["results"] == []
    for path in ("/api/stories", "/api/entities", "/api/documents"):
        assert client.get(path, params={"page": 0}).status_code == 422
        assert client.get(path, params={"page_size": 201}).status_code == 422
    # the old "limit" is gone: it changes nothing
    assert len(client.get("/api/entities", params={"limit": 1}).json()["results"]) == 10


def test_details_are_unchanged(client: TestClient) -> None:
    entity = client.get("/api/entities", params={"q": "le thi hanh"}).json()["results"][0]
    detail = client.get(f"/api/entities/{entity['id']}").json()
    assert detail["total_articles"] == 5 and len(detail["articles"]) == 5 and detail["co_occurring"]
    assert client.get("/api/documents/KL-57-TW-XIII").json()["variants"] == ["KL-57-TW", "KL-57-TW-XIII"]
    story = client.get("/api/stories").json()["results"][0]
    assert len(client.get(f"/api/stories/{story['id']}").json()["articles"]) == story["size"]


@pytest.mark.parametrize(
    ("path", "role"), [("/api/themes", "viewer"), ("/api/sources", "analyst"), ("/api/quarantine", "analyst")]
)
def test_every_list_is_paged(app, token_for, path: str, role: str) -> None:  # type: ignore[no-untyped-def]
    """Regression (review, sitting 2): themes, sources and the quarantine were bare lists."""
    from fastapi.testclient import TestClient

    body = TestClient(app).get(path, params={"page": 1, "page_size": 2}, headers=token_for(role)).json()
    assert set(body) >= {"total", "page", "page_size", "results"} and len(body["results"]) <= 2
    assert body["page_size"] == 2


def test_viewers_see_neither_quarantine_counts_nor_input_origins(app, token_for) -> None:  # type: ignore[no-untyped-def]
    """Regression (review, sitting 2): /api/stats and /api/articles/{id} exposed operations data."""
    from fastapi.testclient import TestClient

    client = TestClient(app)
    viewer, analyst = token_for("viewer"), token_for("analyst")
    assert "quarantined" not in client.get("/api/stats", headers=viewer).json()
    assert "quarantined" in client.get("/api/stats", headers=analyst).json()
    first = client.get("/api/articles", headers=viewer).json()["results"][0]["id"]
    assert "origin" not in client.get(f"/api/articles/{first}", headers=viewer).json()
    assert "origin" in client.get(f"/api/articles/{first}", headers=analyst).json()
