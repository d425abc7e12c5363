"""User administration (/admin/users) and the API's guard on an administrator's own account."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsdesk.auth import Accounts
from tests.web.conftest import csrf_of


@pytest.fixture
def admin(login: Callable[[str], TestClient]) -> TestClient:
    return login("administrator")


def _form(client: TestClient) -> dict[str, str]:
    return {"csrf": csrf_of(client.get("/admin/users").text)}


@pytest.mark.parametrize("role", ["viewer", "analyst", "editor"])
def test_only_administrators_manage_users(login: Callable[[str], TestClient], role: str) -> None:
    client = login(role)
    assert client.get("/admin/users").status_code == 403
    csrf = csrf_of(client.get("/").text)
    made = client.post(
        "/admin/users", data={"csrf": csrf, "username": "x1", "unit": "central", "role": "viewer"}
    )
    assert made.status_code == 403
    assert client.post("/admin/users/viewer/disable", data={"csrf": csrf}).status_code == 403
    assert 'href="/admin/users"' not in client.get("/").text


def test_the_list_shows_units_and_roles(admin: TestClient) -> None:
    html = admin.get("/admin/users").text
    assert all(
        f'id="user-{name}"' in html for name in ("viewer", "analyst", "editor", "administrator", "hue-editor")
    )
    row = html.split('id="user-hue-editor"')[1].split("</tr>")[0]
    assert '<option value="hue" selected>' in row and '<option value="editor" selected>' in row
    assert html.count('<option value="ha-noi"') == 6  # the add form and one per user
    own = html.split('id="user-administrator"')[1].split("</tr>")[0]
    assert "/disable" not in own  # no button to disable oneself


def test_adding_a_user_shows_the_one_time_password_once(admin: TestClient, accounts: Accounts) -> None:
    form = _form(admin) | {"username": "Lan.Nguyen", "display_name": "Nguyễn Thị Lan", "unit": "ha-noi"}
    answer = admin.post("/admin/users", data=form | {"role": "analyst"})
    assert answer.status_code == 201
    password = re.search(r'<code id="one-time-password">([^<]+)</code>', answer.text)
    assert password and "Đã tạo tài khoản lan.nguyen" in answer.text
    user = accounts.authenticate("lan.nguyen", password.group(1))
    assert (user.role, user.unit_code, user.must_change_password) == ("analyst", "ha-noi", True)
    assert password.group(1) not in admin.get("/admin/users").text


def test_forms_need_the_csrf_token(admin: TestClient, accounts: Accounts) -> None:
    assert (
        admin.post("/admin/users", data={"username": "x2", "unit": "central", "role": "viewer"}).status_code
        == 403
    )
    assert admin.post("/admin/users/viewer/disable").status_code == 403
    assert (
        admin.post("/admin/users/viewer", data={"role": "administrator", "unit": "central"}).status_code
        == 403
    )
    assert not accounts.user("viewer").disabled and accounts.user("viewer").role == "viewer"


@pytest.mark.parametrize(
    ("username", "status", "message"),
    [("viewer", 409, "already exists"), ("-bad name-", 400, "invalid username")],
)
def test_refused_additions_say_why(admin: TestClient, username: str, status: int, message: str) -> None:
    answer = admin.post(
        "/admin/users", data=_form(admin) | {"username": username, "unit": "central", "role": "viewer"}
    )
    assert answer.status_code == status and message in answer.text


def test_role_unit_and_disabling(admin: TestClient, accounts: Accounts) -> None:
    changed = admin.post("/admin/users/viewer", data=_form(admin) | {"role": "analyst", "unit": "hue"})
    assert (
        changed.status_code == 303
        and changed.headers["location"] == "/admin/users?updated=viewer#user-viewer"
    )
    assert (accounts.user("viewer").role, accounts.user("viewer").unit_code) == ("analyst", "hue")
    assert "Đã cập nhật tài khoản viewer" in admin.get(changed.headers["location"]).text
    assert admin.post("/admin/users/viewer/disable", data=_form(admin)).status_code == 303
    assert accounts.user("viewer").disabled
    assert 'action="/admin/users/viewer/enable"' in admin.get("/admin/users").text
    assert admin.post("/admin/users/viewer/enable", data=_form(admin)).status_code == 303
    assert not accounts.user("viewer").disabled
    bad = admin.post("/admin/users/viewer", data=_form(admin) | {"role": "king", "unit": "hue"})
    assert bad.status_code == 400 and accounts.user("viewer").role == "analyst"
    assert admin.post("/admin/users/nobody/disable", data=_form(admin)).status_code == 404


def test_an_administrator_cannot_disable_or_demote_themselves(admin: TestClient, accounts: Accounts) -> None:
    for action, data in [("/disable", {}), ("", {"role": "editor", "unit": "central"})]:
        answer = admin.post(f"/admin/users/administrator{action}", data=_form(admin) | data)
        assert answer.status_code == 403 and "không thể tự khoá hoặc hạ vai trò" in answer.text
    me = accounts.user("administrator")
    assert me.role == "administrator" and not me.disabled
    moved = admin.post(
        "/admin/users/administrator", data=_form(admin) | {"role": "administrator", "unit": "hue"}
    )
    assert moved.status_code == 303 and accounts.user("administrator").unit_code == "hue"


def test_the_api_has_the_same_guard(app: FastAPI, token_for: Callable[[str], dict[str, str]]) -> None:
    api, headers = TestClient(app), token_for("administrator")
    for change in ({"disabled": True}, {"role": "analyst"}):
        refused = api.patch("/api/users/administrator", json=change, headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert api.patch("/api/users/administrator", json={"unit": "hue"}, headers=headers).status_code == 200
    other = api.patch("/api/users/editor", json={"disabled": True, "role": "viewer"}, headers=headers)
    assert other.status_code == 200 and other.json()["disabled"] and other.json()["role"] == "viewer"


def test_admin_page_in_english(admin: TestClient, accounts: Accounts) -> None:
    accounts.set_language("administrator", "en")
    html = admin.get("/admin/users").text
    assert "Add a user" in html and "Create account" in html and "Administrator" in html
