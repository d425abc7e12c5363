"""`newsdesk users …`: accounts from the command line, and the first administrator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from newsdesk.auth import Accounts
from newsdesk.cli import app
from newsdesk.service import first_admin
from newsdesk.settings import Settings, load_settings
from newsdesk.store.repo import Store


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, stdin: str | None = None):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args), input=stdin)
        assert result.exit_code == code, result.output + str(result.exception or "")
        return result

    return invoke


def test_add_list_disable_enable(run) -> None:  # type: ignore[no-untyped-def]
    added = json.loads(
        run("users", "add", "lan.nguyen", "--unit", "hue", "--role", "editor", "--json").stdout
    )
    assert added["unit"] == "hue" and added["role"] == "editor" and len(added["one_time_password"]) >= 12
    assert added["must_change_password"] is True
    run("users", "add", "minh", "--unit", "central", "--password-stdin", stdin="a long secret pass\n")
    listed = json.loads(run("users", "list", "--json").stdout)
    assert [u["username"] for u in listed] == ["minh", "lan.nguyen"]  # central first, then hue
    assert json.loads(run("users", "list", "--unit", "hue", "--json").stdout)[0]["username"] == "lan.nguyen"
    assert json.loads(run("users", "disable", "minh", "--json").stdout)["disabled"] is True
    assert json.loads(run("users", "enable", "minh", "--json").stdout)["disabled"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("users", "add", "x y", "--unit", "central"), "invalid username"),
        (("users", "add", "ok", "--unit", "atlantis"), "unit 'atlantis' not found"),
        (("users", "add", "ok", "--unit", "central", "--role", "boss"), "unknown role 'boss'"),
        (("users", "disable", "nobody"), "user 'nobody' not found"),
    ],
)
def test_bad_requests_name_the_problem(run, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    result = run(*args, code=1)
    assert message in result.output


def test_duplicate_username_and_short_password(run) -> None:  # type: ignore[no-untyped-def]
    run("users", "add", "minh", "--unit", "central")
    assert "already exists" in run("users", "add", "minh", "--unit", "central", code=1).output
    short = run("users", "add", "lan", "--unit", "central", "--password-stdin", stdin="short\n", code=1)
    assert "password too short" in short.output


def test_tokens_and_password_reset(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("users", "add", "minh", "--unit", "central", "--password-stdin", stdin="a long secret pass\n")
    token = json.loads(run("users", "token", "minh", "--name", "báo cáo tuần", "--json").stdout)
    assert token["token"].startswith("nd_") and token["name"] == "báo cáo tuần"
    store = Store.open(f"sqlite:///{tmp_path}/data/newsdesk.db")
    accounts = Accounts(store.engine)
    assert accounts.token_user(token["token"]).username == "minh"  # type: ignore[union-attr]
    reset = run("users", "password", "minh").stdout
    one_time = reset.split()[-1]
    assert accounts.authenticate("minh", one_time).must_change_password
    store.close()


def test_units_are_the_central_office_and_34_provinces(run) -> None:  # type: ignore[no-untyped-def]
    units = json.loads(run("users", "units", "--json").stdout)
    assert len(units) == 35 and units[0]["code"] == "central"
    assert {"ha-noi", "ho-chi-minh", "hue", "da-nang"} <= {u["code"] for u in units}


def test_first_start_creates_the_administrator_once(store: Store, settings: Settings) -> None:
    accounts = Accounts(store.engine, settings.auth)
    console = Console(record=True, width=60)
    one_time = first_admin(accounts, settings, console)
    assert one_time and one_time in console.export_text(styles=False).replace("\n", "")
    admin = accounts.authenticate("admin", one_time)
    assert (admin.role, admin.unit_code, admin.must_change_password) == ("administrator", "central", True)
    assert first_admin(accounts, settings, console) is None and accounts.count_users() == 1


def test_first_start_takes_the_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSDESK_ADMIN_PASSWORD", "from the environment")
    settings = load_settings(data_dir=tmp_path / "d")
    store = Store.open(settings.resolved_database_url)
    accounts = Accounts(store.engine, settings.auth)
    assert first_admin(accounts, settings, None) is None
    assert not accounts.authenticate("admin", "from the environment").must_change_password
    store.close()
