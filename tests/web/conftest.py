"""Web fixtures: a workspace over the spine fixtures, one user per role, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from newsdesk.auth import ROLES, Accounts
from newsdesk.ingest.sources import iter_inputs
from newsdesk.pipeline import Ingestor
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from newsdesk.web.app import create_app
from tests.conftest import FIXTURES

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with test-sized costs: the same code, a hundredth of the time."""
    from argon2 import PasswordHasher

    import newsdesk.auth.accounts as module

    monkeypatch.setattr(module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def accounts(store: Store, settings: Settings) -> Accounts:
    accounts = Accounts(store.engine, settings.auth)
    for role in ROLES:
        accounts.add_user(role, unit="central", role=role, password=PASSWORD)
    accounts.add_user("hue-editor", unit="hue", role="editor", password=PASSWORD)
    return accounts


@pytest.fixture
def app(store: Store, settings: Settings, accounts: Accounts):  # type: ignore[no-untyped-def]
    Ingestor(store, settings).run(iter_inputs([str(FIXTURES / "spine")], settings))
    return create_app(store, settings, accounts)


@pytest.fixture
def anonymous(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, follow_redirects=False)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    form = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert token
    response = client.post(
        "/login", data={"username": username, "password": password, "login_csrf": token.group(1), "next": "/"}
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def login(app) -> Callable[[str], TestClient]:  # type: ignore[no-untyped-def]
    def make(username: str) -> TestClient:
        return log_in(TestClient(app, follow_redirects=False), username)

    return make


@pytest.fixture
def client(login: Callable[[str], TestClient]) -> TestClient:
    """An analyst's logged-in browser session."""
    return login("analyst")


@pytest.fixture
def token_for(accounts: Accounts) -> Callable[[str], dict[str, str]]:
    def make(username: str) -> dict[str, str]:
        token, _ = accounts.create_token(accounts.user(username), "tests")
        return {"Authorization": f"Bearer {token}"}

    return make
