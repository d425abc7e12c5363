"""Login, sessions, CSRF, API tokens and roles in the workspace and the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from newsdesk.auth import Accounts
from tests.web.conftest import PASSWORD, csrf_of, log_in


def test_anonymous_pages_lead_to_login_and_api_answers_401(anonymous: TestClient) -> None:
    page = anonymous.get("/?window=7d")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2F%3Fwindow%3D7d"
    api = anonymous.get("/api/articles")
    assert api.status_code == 401 and api.json()["error"]["code"] == "unauthorized"
    assert api.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "path",
    [
        "/api/stats",
        "/api/articles",
        "/api/articles/1",
        "/api/articles/1/raw",
        "/api/search?q=a",
        "/api/stories",
        "/api/entities",
        "/api/documents",
        "/api/themes",
        "/api/sources",
        "/api/quarantine",
        "/api/me",
        "/api/users",
        "/api/units",
    ],
)
def test_every_api_route_refuses_anonymous_callers(anonymous: TestClient, path: str) -> None:
    assert anonymous.get(path).status_code == 401


def test_login_session_and_logout(login: Callable[[str], TestClient]) -> None:
    client = login("viewer")
    assert client.cookies.get("nd_session")
    today = client.get("/")
    assert today.status_code == 200 and "Hôm nay" in today.text
    client.post("/logout", data={"csrf": csrf_of(today.text)})
    assert client.get("/").status_code == 303


def test_wrong_password_is_refused_without_saying_which_part(anonymous: TestClient) -> None:
    form = anonymous.get("/login").text
    token = form.split('name="login_csrf" value="')[1].split('"')[0]
    response = anonymous.post("/login", data={"username": "viewer", "password": "nope", "login_csrf": token})
    assert response.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in response.text
    assert "nd_session" not in response.cookies


def test_login_form_needs_its_own_csrf_token(anonymous: TestClient) -> None:
    anonymous.get("/login")
    response = anonymous.post(
        "/login", data={"username": "viewer", "password": PASSWORD, "login_csrf": "forged"}
    )
    assert response.status_code == 401 and "nd_session" not in response.cookies


def test_repeated_failures_lock_the_username(anonymous: TestClient, accounts: Accounts) -> None:
    for _ in range(accounts.settings.login_attempts):
        token = anonymous.get("/login").text.split('name="login_csrf" value="')[1].split('"')[0]
        anonymous.post("/login", data={"username": "viewer", "password": "wrong", "login_csrf": token})
    token = anonymous.get("/login").text.split('name="login_csrf" value="')[1].split('"')[0]
    locked = anonymous.post("/login", data={"username": "viewer", "password": PASSWORD, "login_csrf": token})
    assert locked.status_code == 401 and "quá nhiều lần" in locked.text


def test_next_never_leaves_the_site(anonymous: TestClient) -> None:
    form = anonymous.get("/login?next=//evil.example/x").text
    assert 'name="next" value="/"' in form


def test_cookie_writes_need_the_csrf_token(client: TestClient) -> None:
    forged = client.post("/account/tokens", data={"name": "x"})
    assert forged.status_code == 403
    api_forged = client.post("/api/me/saved-queries", json={"name": "a", "query": "b"})
    assert api_forged.status_code == 403 and api_forged.json()["error"]["code"] == "forbidden"
    csrf = csrf_of(client.get("/account").text)
    made = client.post(
        "/api/me/saved-queries", json={"name": "a", "query": "b"}, headers={"X-CSRF-Token": csrf}
    )
    assert made.status_code == 201


def test_api_tokens_work_without_cookies_and_can_be_revoked(app, accounts: Accounts) -> None:  # type: ignore[no-untyped-def]
    script = TestClient(app)
    token, entry = accounts.create_token(accounts.user("viewer"), "script")
    headers = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/articles", headers=headers).status_code == 200
    assert (
        script.post("/api/me/saved-queries", json={"name": "n", "query": "q"}, headers=headers).status_code
        == 201
    )
    accounts.revoke_token(accounts.user("viewer"), entry["id"])
    assert script.get("/api/articles", headers=headers).status_code == 401


def test_disabled_users_lose_sessions_and_tokens(
    login: Callable[[str], TestClient], accounts: Accounts, app
) -> None:  # type: ignore[no-untyped-def]
    client = login("viewer")
    token, _ = accounts.create_token(accounts.user("viewer"), "script")
    accounts.set_disabled("viewer")
    assert client.get("/").status_code == 303
    assert (
        TestClient(app).get("/api/articles", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("viewer", "/api/articles/1/raw", 403),
        ("viewer", "/api/sources", 403),
        ("viewer", "/api/quarantine", 403),
        ("viewer", "/api/users", 403),
        ("analyst", "/api/articles/1/raw", 200),
        ("analyst", "/api/users", 403),
        ("editor", "/api/users", 403),
        ("administrator", "/api/users", 200),
    ],
)
def test_roles_decide_what_is_readable(
    token_for: Callable[[str], dict[str, str]],
    app,
    role: str,
    path: str,
    status: int,  # type: ignore[no-untyped-def]
) -> None:
    assert TestClient(app).get(path, headers=token_for(role)).status_code == status


def test_one_time_password_must_be_changed_first(app, accounts: Accounts) -> None:  # type: ignore[no-untyped-def]
    _, one_time = accounts.add_user("newcomer", unit="ha-noi", role="analyst")
    assert one_time
    client = TestClient(app, follow_redirects=False)
    token = client.get("/login").text.split('name="login_csrf" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": "newcomer", "password": one_time, "login_csrf": token})
    assert response.headers["location"] == "/account/password"
    assert client.get("/").status_code == 403
    csrf = csrf_of(client.get("/account/password").text)
    changed = client.post(
        "/account/password",
        data={"csrf": csrf, "current": one_time, "new": "a much better one", "repeat": "a much better one"},
    )
    assert changed.status_code == 200 and "Đã đổi mật khẩu" in changed.text
    assert client.get("/").status_code == 200
    log_in(TestClient(app, follow_redirects=False), "newcomer", "a much better one")


def test_language_switch_persists_for_the_user(login: Callable[[str], TestClient]) -> None:
    client = login("viewer")
    csrf = csrf_of(client.get("/").text)
    client.post("/lang", data={"csrf": csrf, "to": "en", "next": "/"})
    again = login("viewer")  # a new browser: the choice was saved with the user
    page = again.get("/").text
    assert "Today" in page and 'lang="en"' in page
