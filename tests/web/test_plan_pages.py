"""Plan pages and API: editors of the unit change, everyone reads, CSRF, warnings shown."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from newsdesk.publish.plans import Plans
from newsdesk.publish.publications import Publications, read_publication_file
from newsdesk.publish.workflow import Actor
from newsdesk.store.repo import Store
from tests.reports.builders import HUE, add_published
from tests.web.conftest import csrf_of

ADMIN = Actor("admin", "central", "administrator")
FORM = {
    "title": "Festival Huế 2026",
    "themes": "culture_heritage",
    "languages": "vi, en",
    "due": "2026-07-01",
}


def _create(client: TestClient, **changes: str) -> int:
    token = csrf_of(client.get("/plans").text)
    response = client.post("/plans", data=FORM | {"unit": "hue", "csrf": token} | changes)
    assert response.status_code == 303, response.text
    found = re.match(r"/plans/(\d+)", response.headers["location"])
    assert found
    return int(found.group(1))


@pytest.fixture
def hue(login: Callable[[str], TestClient]) -> TestClient:
    return login("hue-editor")


def test_an_editor_plans_for_their_unit_and_everyone_reads(
    hue: TestClient, login: Callable[[str], TestClient], store: Store
) -> None:
    pid = _create(hue)
    page = hue.get(f"/plans/{pid}?saved=created")
    assert page.status_code == 200 and "Đã tạo kế hoạch" in page.text and 'id="move-in_progress"' in page.text
    plan = Plans(store.engine).get(pid)
    assert (
        plan["unit"] == "hue"
        and plan["languages"] == ["vi", "en"]
        and plan["due"].startswith("2026-06-30T17:00")
    )
    viewer = login("viewer")
    listed = viewer.get("/plans")
    assert f'id="plan-{pid}"' in listed.text and 'method="post" action="/plans"' not in listed.text
    read = viewer.get(f"/plans/{pid}")
    assert (
        'id="read-only"' in read.text and "csrf" not in read.text.split("<main>")[1].split('id="warnings"')[0]
    )
    assert 'value="2026-07-01"' in hue.get(f"/plans/{pid}").text  # the due day, in Vietnam


def test_only_the_units_editors_and_administrators_change_a_plan(
    hue: TestClient, login: Callable[[str], TestClient]
) -> None:
    pid = _create(hue)
    central_editor = login("editor")
    token = csrf_of(central_editor.get("/plans").text)
    assert (
        central_editor.post(f"/plans/{pid}/status", data={"status": "done", "csrf": token}).status_code == 403
    )
    assert central_editor.post("/plans", data=FORM | {"unit": "hue", "csrf": token}).status_code == 403
    analyst = login("analyst")
    token = csrf_of(analyst.get("/plans").text)
    assert analyst.post("/plans", data=FORM | {"unit": "central", "csrf": token}).status_code == 403
    admin = login("administrator")
    token = csrf_of(admin.get("/plans").text)
    moved = admin.post(f"/plans/{pid}/status", data={"status": "in_progress", "csrf": token})
    assert moved.status_code == 303
    assert 'id="plan-status">Đang thực hiện' in admin.get(f"/plans/{pid}").text


def test_changes_need_the_csrf_token(hue: TestClient) -> None:
    pid = _create(hue)
    assert hue.post(f"/plans/{pid}/status", data={"status": "done"}).status_code == 403
    assert hue.post("/plans", data=FORM | {"unit": "hue"}).status_code == 403
    assert hue.post(f"/plans/{pid}", data=FORM | {"csrf": "nope"}).status_code == 403


def test_edit_status_and_link_with_problems_explained(hue: TestClient, store: Store) -> None:
    pid = _create(hue)
    token = csrf_of(hue.get(f"/plans/{pid}").text)
    edited = hue.post(f"/plans/{pid}", data=FORM | {"title": "Festival Huế", "due": "", "csrf": token})
    assert edited.status_code == 303 and Plans(store.engine).get(pid)["due"] is None
    wrong = hue.post(f"/plans/{pid}/status", data={"status": "planned", "csrf": token})
    assert wrong.status_code == 303  # staying put is allowed
    hue.post(f"/plans/{pid}/status", data={"status": "dropped", "csrf": token})
    refused = hue.post(f"/plans/{pid}/status", data={"status": "done", "csrf": token})
    assert refused.status_code == 400 and "can become planned, not done" in refused.text
    garbled = hue.post(f"/plans/{pid}/link", data={"publication_id": "abc", "csrf": token})
    assert garbled.status_code == 400 and "not a number" in garbled.text
    missing = hue.post(f"/plans/{pid}/link", data={"publication_id": "999", "csrf": token})
    assert missing.status_code == 404
    empty = hue.post("/plans", data=FORM | {"unit": "hue", "title": " ", "csrf": token})
    assert empty.status_code == 400 and "needs a title" in empty.text


def test_clashes_and_overlaps_are_shown(
    hue: TestClient, login: Callable[[str], TestClient], store: Store
) -> None:
    pid = _create(hue)
    admin = login("administrator")
    other = _create(admin, unit="ha-noi", title="Lễ hội cố đô", languages="en", due="2026-07-03")
    listed = hue.get("/plans")
    assert "cũng lên kế hoạch «Lễ hội cố đô»" in listed.text and f'href="/plans/{other}"' in listed.text
    assert "«Festival Huế 2026»" in hue.get(f"/plans/{other}").text  # seen from the other side
    pubs = Publications(store.engine)
    title, body = read_publication_file(HUE.read_bytes(), "hue")
    own = add_published(pubs, unit="hue", title=title, body=body)
    theirs = add_published(pubs, unit="ha-noi", title=title, body=body)
    token = csrf_of(hue.get(f"/plans/{pid}").text)
    assert hue.post(f"/plans/{pid}/link", data={"publication_id": str(own), "csrf": token}).status_code == 303
    page = hue.get(f"/plans/{pid}")
    assert "đã đăng bài rất giống" in page.text and f'href="/publications/{theirs}"' in page.text
    refused = hue.post(f"/plans/{pid}/link", data={"publication_id": str(theirs), "csrf": token})
    assert refused.status_code == 400 and "belongs to unit ha-noi" in refused.text


def test_the_plans_api(app, token_for: Callable[[str], dict[str, str]], store: Store) -> None:  # type: ignore[no-untyped-def]
    api = TestClient(app)
    body = {"unit": "hue", "title": "Festival", "themes": ["culture_heritage"], "languages": ["vi"]}
    assert api.post("/api/plans", json=body, headers=token_for("analyst")).status_code == 403
    assert (
        api.post("/api/plans", json=body, headers=token_for("editor")).status_code == 403
    )  # central's editor
    made = api.post(
        "/api/plans", json=body | {"due": "2026-07-01T00:00:00+07:00"}, headers=token_for("hue-editor")
    )
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    other = api.post("/api/plans", json=body | {"unit": "central"}, headers=token_for("administrator")).json()
    listed = api.get("/api/plans", params={"unit": "hue"}, headers=token_for("viewer")).json()
    assert listed["total"] == 1 and listed["results"][0]["id"] == pid
    patched = api.patch(
        f"/api/plans/{pid}",
        json={"status": "in_progress", "due": None, "title": "Festival 2026"},
        headers=token_for("hue-editor"),
    )
    assert (
        patched.status_code == 200
        and patched.json()["status"] == "in_progress"
        and patched.json()["due"] is None
    )
    warnings = api.get("/api/plans/warnings", params={"days": 30}, headers=token_for("viewer")).json()
    assert [(w["plan"]["id"], w["other"]["id"]) for w in warnings] == [(pid, other["id"])]
    assert api.get(f"/api/plans/{pid}", headers=token_for("viewer")).json()["warnings"] == warnings
    bad = api.patch(f"/api/plans/{pid}", json={"status": "finished"}, headers=token_for("hue-editor"))
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    refused = api.patch(f"/api/plans/{pid}", json={"status": "planned"}, headers=token_for("editor"))
    assert refused.status_code == 403
    assert api.get("/api/plans/999", headers=token_for("viewer")).status_code == 404
    pubs = Publications(store.engine)
    title, body_text = read_publication_file(HUE.read_bytes(), "hue")
    first = add_published(pubs, unit="hue", title=title, body=body_text)
    second = add_published(pubs, unit="central", title=title, body=body_text)
    overlaps = api.get(f"/api/overlaps/{first}", headers=token_for("viewer")).json()
    assert [o["id"] for o in overlaps] == [second]
    linked = api.patch(f"/api/plans/{pid}", json={"publication_id": first}, headers=token_for("hue-editor"))
    assert linked.json()["publication_id"] == first
