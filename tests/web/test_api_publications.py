"""The publications API: reading for everyone, writing for editors of the unit and administrators,
versions and diffs, the workflow, pickups and short formats; token and cookie (CSRF) authentication."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import insert, select

from newsdesk.publish.formats import parse_srt, parse_vtt
from newsdesk.publish.publications import Publications
from newsdesk.store.repo import Store
from newsdesk.store.tables import ArticleRow, PickupRow
from tests.web.conftest import csrf_of
from tests.web.test_publication_pages import (  # noqa: F401
    EDITOR,
    HUE_EDITOR,
    add_hue,
    add_variant,
    pickup_app,
    pickup_archive,
    pickup_store,
    publications_service,
)

Headers = Callable[[str], dict[str, str]]
NEW = {"title": "Thông cáo", "body": "Đoạn một.\nĐoạn hai.", "language": "vi", "themes": ["tourism"]}


def _error(response: Response, status: int) -> dict[str, Any]:
    """The one error shape, with ``status``."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    error: dict[str, Any] = body["error"]
    return error


@pytest.fixture
def api(anonymous: TestClient) -> TestClient:
    return anonymous


def test_everyone_reads_and_lists_are_paged_and_filtered(
    api: TestClient, token_for: Headers, pubs: Publications
) -> None:
    first = add_hue(pubs)
    add_variant(pubs, first)
    add_hue(pubs, HUE_EDITOR, unit="hue")
    viewer = token_for("viewer")
    listed = api.get("/api/publications", headers=viewer, params={"page_size": 2}).json()
    assert listed["total"] == 3 and len(listed["results"]) == 2 and listed["page"] == 1
    assert "body" not in listed["results"][0]
    assert api.get("/api/publications", headers=viewer, params={"unit": "hue"}).json()["total"] == 1
    assert api.get("/api/publications", headers=viewer, params={"language": "en"}).json()["total"] == 1
    assert api.get("/api/publications", headers=viewer, params={"status": "published"}).json()["total"] == 0
    _error(api.get("/api/publications", headers=viewer, params={"status": "gone"}), 422)
    one = api.get(f"/api/publications/{first}", headers=viewer).json()
    assert one["author"] == "editor" and one["unit"] == "central" and one["variants"][0]["language"] == "en"
    _error(api.get("/api/publications/999999", headers=viewer), 404)
    _error(api.get("/api/publications"), 401)


def test_create_signs_with_the_caller_and_their_unit(
    api: TestClient, token_for: Headers, pubs: Publications
) -> None:
    created = api.post("/api/publications", headers=token_for("editor"), json=NEW)
    assert created.status_code == 201
    body = created.json()
    assert isinstance(body["id"], int) and created.headers["location"] == f"/api/publications/{body['id']}"
    assert (body["unit"], body["author"], body["status"], body["version"]) == (
        "central",
        "editor",
        "draft",
        1,
    )
    assert (
        body["themes"] == ["tourism"] and body["overlaps"] == [] and body["events"][0]["action"] == "created"
    )
    assert (
        _error(api.post("/api/publications", headers=token_for("viewer"), json=NEW), 403)["code"]
        == "forbidden"
    )
    hue = token_for("hue-editor")
    assert "belongs to unit central" in str(
        _error(api.post("/api/publications", headers=hue, json=NEW | {"unit": "central"}), 403)["message"]
    )
    assert api.post("/api/publications", headers=hue, json=NEW).json()["unit"] == "hue"
    admin = api.post("/api/publications", headers=token_for("administrator"), json=NEW | {"unit": "hue"})
    assert (admin.json()["unit"], admin.json()["author"]) == ("hue", "administrator")
    _error(api.post("/api/publications", headers=hue, json=NEW | {"author": "someone else"}), 422)
    assert "unknown theme ids: nope" in str(
        _error(api.post("/api/publications", headers=hue, json=NEW | {"themes": ["nope"]}), 400)["message"]
    )
    published = api.post(f"/api/publications/{body['id']}/actions/submit", headers=token_for("editor"))
    for action in ("approve", "publish"):
        published = api.post(f"/api/publications/{body['id']}/actions/{action}", headers=token_for("editor"))
    assert published.json()["status"] == "published"
    central_hue = pubs.get(add_hue(pubs))  # published by the central office …
    for action in ("submit", "approve", "publish"):
        pubs.act(EDITOR, central_hue["id"], action)
    same = {"title": central_hue["title"], "body": central_hue["body"], "language": "vi"}
    overlaps = api.post("/api/publications", headers=hue, json=same).json()[
        "overlaps"
    ]  # … written again in Huế
    assert [(o["id"], o["unit"]) for o in overlaps] == [(central_hue["id"], "central")]
    variant = NEW | {"language": "en", "source_id": body["id"]}
    assert (
        api.post("/api/publications", headers=token_for("editor"), json=variant).json()["source_id"]
        == body["id"]
    )


def test_edits_make_versions_and_diffs(api: TestClient, token_for: Headers, pubs: Publications) -> None:
    pid = add_hue(pubs)
    en = add_variant(pubs, pid)
    editor = token_for("editor")
    title, text = pubs.version_text(pid, 1)
    patched = api.patch(
        f"/api/publications/{pid}",
        headers=editor,
        json={"body": text.replace("tám ngày", "chín ngày"), "note": "n"},
    ).json()
    assert patched["version"] == 2 and patched["title"] == title and patched["overlaps"] == []
    assert patched["versions"][-1]["note"] == "n" and patched["variants"][0]["stale"] is True
    assert api.get(f"/api/publications/{en}", headers=editor).json()["stale"] is True
    put = api.put(f"/api/publications/{pid}", headers=editor, json={"title": "Tiêu đề mới", "body": text})
    assert put.json()["version"] == 3
    themes = api.patch(
        f"/api/publications/{pid}", headers=editor, json={"themes": ["culture_heritage"]}
    ).json()
    assert themes["themes"] == ["culture_heritage"] and themes["version"] == 3
    diff = api.get(f"/api/publications/{pid}/diff", headers=editor, params={"from": 1, "to": 2}).json()
    assert any(line.startswith("+") and "chín ngày" in line for line in diff["diff"])
    changed = [p["text"] for r in diff["rows"] if r["kind"] == "insert" for p in r["parts"] if p["changed"]]
    assert changed == ["chín"]
    latest = api.get(f"/api/publications/{pid}/diff", headers=editor).json()
    assert (latest["from"], latest["to"]) == (2, 3)
    hue = token_for("hue-editor")
    _error(api.patch(f"/api/publications/{pid}", headers=hue, json={"title": "x"}), 403)
    _error(
        api.put(f"/api/publications/{pid}", headers=token_for("analyst"), json={"title": "x", "body": "y"}),
        403,
    )
    assert pubs.get(pid)["version"] == 3


def test_the_workflow_by_token_and_by_cookie_with_csrf(
    api: TestClient, token_for: Headers, login: Callable[[str], TestClient], pubs: Publications
) -> None:
    pid = add_hue(pubs)
    editor = token_for("editor")
    assert api.post(f"/api/publications/{pid}/actions/submit", headers=editor).json()["status"] == "review"
    assert "cannot publish" in str(
        _error(api.post(f"/api/publications/{pid}/actions/publish", headers=editor), 400)
    )
    assert "unknown action" in str(
        _error(api.post(f"/api/publications/{pid}/actions/delete", headers=editor), 400)
    )
    _error(api.post(f"/api/publications/{pid}/actions/approve", headers=token_for("hue-editor")), 403)
    browser = login("editor")
    _error(
        browser.post(f"/api/publications/{pid}/actions/approve", json={"note": "ok"}), 403
    )  # no CSRF token
    csrf = csrf_of(browser.get("/account").text)
    approved = browser.post(
        f"/api/publications/{pid}/actions/approve", json={"note": "ok"}, headers={"X-CSRF-Token": csrf}
    )
    assert approved.status_code == 200 and approved.json()["events"][-1]["note"] == "ok"
    bad = api.post(
        f"/api/publications/{pid}/actions/publish", headers=editor, json={"url": "javascript:alert(1)"}
    )
    assert "not an http(s) address" in str(_error(bad, 400)["message"])
    done = api.post(
        f"/api/publications/{pid}/actions/publish",
        headers=token_for("administrator"),
        json={"url": "https://a.vn/x"},
    ).json()
    assert (done["status"], done["url"], done["author"]) == ("published", "https://a.vn/x", "editor")
    assert done["events"][-1]["actor"] == "administrator"


def test_pickups_live_then_stored(
    api: TestClient, token_for: Headers, login: Callable[[str], TestClient], pubs: Publications, store: Store
) -> None:
    pid = add_hue(pubs)
    en = add_variant(pubs, pid)
    viewer = token_for("viewer")
    live = api.get(f"/api/publications/{en}/pickups", headers=viewer).json()
    assert live["origin"] == "live" and live["total"] == 3
    assert {r["outlet"] for r in live["results"]} == {"Báo A", "Báo B", "Daily C"}
    assert all(r["passages"] and 0 < r["reused_share"] <= 1 for r in live["results"])
    with store.engine.begin() as conn:
        article = conn.execute(select(ArticleRow.id).where(ArticleRow.outlet == "Báo D")).scalar_one()
        row = {"publication_id": pid, "article_id": article, "variant_language": "vi", "kind": "partial"}
        figures = {"reused_share": 0.25, "article_share": 0.5, "delay_hours": 3.0}
        passages = [{"publication": [0, 5], "article": [0, 8], "words": 9}]  # as the refresher stores them
        conn.execute(
            insert(PickupRow).values(**row, **figures, passages=passages, matched_at=datetime.now(UTC))
        )
    stored = api.get(f"/api/publications/{pid}/pickups", headers=viewer).json()
    assert stored["origin"] == "stored" and [r["outlet"] for r in stored["results"]] == ["Báo D"]
    row = stored["results"][0]
    assert row["delay_hours"] == 3.0 and row["passages"][0] | {"text": ""} == passages[0] | {"text": ""}
    assert row["passages"][0]["text"] == "Tối qua,"  # read back from the article
    page = login("viewer").get(f"/publications/{pid}").text
    assert "Tối qua," in page and "kết quả đã lưu" in page


def test_short_formats_json_and_subtitles(api: TestClient, token_for: Headers, pubs: Publications) -> None:
    pid = add_hue(pubs, themes=["tourism"])
    add_variant(pubs, pid)
    viewer = token_for("viewer")
    short = api.get(f"/api/publications/{pid}/short", headers=viewer).json()
    assert [v["language"] for v in short["variants"]] == ["vi", "en"]
    vi = short["variants"][0]
    assert vi["posts"]["x"]["length"] <= 280 and vi["posts"]["x"]["counting"] == "weighted"
    assert "#DuLich" in vi["hashtags"] and vi["caption"] and vi["cues"][0]["start_ms"] == 0
    srt = api.get(f"/api/publications/{pid}/short.srt", headers=viewer, params={"lang": "en"})
    assert srt.status_code == 200 and "publication-" in srt.headers["content-disposition"]
    assert len(parse_srt(srt.text)) == len(short["variants"][1]["cues"])
    assert parse_vtt(api.get(f"/api/publications/{pid}/short.vtt", headers=viewer).text)
    _error(api.get(f"/api/publications/{pid}/short.srt", headers=viewer, params={"lang": "de"}), 404)
