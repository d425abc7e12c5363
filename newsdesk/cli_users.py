"""``newsdesk users …``: the workspace's accounts from the command line.

Administrators use it to add people before they have a browser session, to reset a
forgotten password and to issue API tokens for scripts. Passwords are never taken
as arguments (they would land in the shell history): ``--password-stdin`` reads one
line, otherwise a one-time password is generated and printed once.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from newsdesk.auth import ROLES, Accounts

__all__ = ["register", "users_app"]

users_app = typer.Typer(help="Workspace users, units and API tokens.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _accounts() -> Accounts:
    from newsdesk.cli import settings, store

    return Accounts(store().engine, settings().auth)


def _out() -> Any:
    from newsdesk import cli

    return cli


def _read_password() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise typer.BadParameter("--password-stdin: no password on standard input")
    return line


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name: a-z 0-9 . _ -")],
    unit: Annotated[str, typer.Option(help="Unit code: central or a province (see `newsdesk users units`).")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "analyst",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a user; prints a one-time password unless --password-stdin gives one."""
    cli = _out()
    with cli.failures():
        password = _read_password() if password_stdin else None
        user, one_time = _accounts().add_user(
            username, unit=unit, role=role, password=password, display_name=name
        )
    data = user.as_dict() | ({"one_time_password": one_time} if one_time else {})
    if as_json:
        cli.emit_json(data)
        return
    cli.console.print(f"added [bold]{user.username}[/] ({user.role}, {user.unit_code})")
    if one_time:
        cli.console.print(f"one-time password: [bold]{one_time}[/] (to be changed at the first login)")


@users_app.command("list")
def users_list(
    unit: Annotated[str | None, typer.Option(help="Only this unit.")] = None, as_json: JsonOpt = False
) -> None:
    """List users with unit, role and last login."""
    cli = _out()
    with cli.failures():
        rows = _accounts().list_users(unit)
    if as_json:
        cli.emit_json(rows)
        return
    table = Table("username", "name", "unit", "role", "status", "last login")
    for r in rows:
        status = (
            "disabled" if r["disabled"] else ("must change password" if r["must_change_password"] else "")
        )
        table.add_row(
            r["username"],
            r["display_name"],
            r["unit"],
            r["role"],
            status,
            cli._short_time(r["last_login_at"]),
        )
    cli.console.print(table)


def _set_disabled(username: str, disabled: bool, as_json: bool) -> None:
    cli = _out()
    with cli.failures():
        user = _accounts().set_disabled(username, disabled)
    if as_json:
        cli.emit_json(user.as_dict())
    else:
        cli.console.print(f"{'disabled' if disabled else 'enabled'} [bold]{user.username}[/]")


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Disable a user: their sessions end and their API tokens stop working at once."""
    _set_disabled(username, True, as_json)


@users_app.command("enable")
def users_enable(username: Annotated[str, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Enable a disabled user again."""
    _set_disabled(username, False, as_json)


@users_app.command("password")
def users_password(
    username: Annotated[str, typer.Argument()],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from standard input.")
    ] = False,
) -> None:
    """Reset a password: a one-time one is printed unless --password-stdin gives one."""
    import secrets

    cli = _out()
    with cli.failures():
        accounts = _accounts()
        if password_stdin:
            accounts.set_password(username, _read_password())
            cli.console.print(f"password of [bold]{username}[/] changed")
            return
        one_time = secrets.token_urlsafe(12)
        accounts.set_password(username, one_time, must_change=True)
    cli.console.print(f"one-time password of [bold]{username}[/]: [bold]{one_time}[/]")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "script",
    as_json: JsonOpt = False,
) -> None:
    """Issue an API token for scripts (shown once): send it as `Authorization: Bearer …`."""
    cli = _out()
    with cli.failures():
        accounts = _accounts()
        token, entry = accounts.create_token(accounts.user(username), name)
    if as_json:
        cli.emit_json(entry | {"token": token})
    else:
        cli.console.print(f"token for [bold]{username}[/] ({entry['name']}): [bold]{token}[/]")


@users_app.command("units")
def users_units(as_json: JsonOpt = False) -> None:
    """List the units (the central office and the 34 provinces) with their codes."""
    cli = _out()
    with cli.failures():
        rows = _accounts().units()
    if as_json:
        cli.emit_json(rows)
        return
    table = Table("code", "name", "English name")
    for r in rows:
        table.add_row(r["code"], r["name_vi"], r["name_en"])
    cli.console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
