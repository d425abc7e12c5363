"""What every route shares: the workspace, the current user, permissions, CSRF.

A request is authenticated by an API token (``Authorization: Bearer nd_…``) or by
the session cookie. Routes declare what they need with ``Annotated`` aliases::

    def articles(user: Reader, ws: Ws) -> …          # any logged-in user
    def export(user: Annotated[User, Depends(require(Permission.EXPORT))]) -> …

A cookie-authenticated request that changes something (POST, PUT, PATCH, DELETE)
must carry the session's CSRF token, in the form field ``csrf`` or the header
``X-CSRF-Token``; token-authenticated requests need none (no browser sends them on
its own).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from newsdesk.auth import Accounts, Permission, User
from newsdesk.auth.accounts import SessionInfo
from newsdesk.errors import Forbidden, NotAuthenticated
from newsdesk.settings import Settings
from newsdesk.store.repo import Store

__all__ = [
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "Reader",
    "Workspace",
    "Ws",
    "csrf_guard",
    "current_session",
    "optional_user",
    "require",
]

SESSION_COOKIE = "nd_session"
LANG_COOKIE = "nd_lang"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Workspace:
    store: Store
    settings: Settings
    accounts: Accounts


def workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


Ws = Annotated[Workspace, Depends(workspace)]


def current_session(request: Request) -> SessionInfo | None:
    """The session behind the request's cookie, looked up once per request."""
    if not hasattr(request.state, "session"):
        secret = request.cookies.get(SESSION_COOKIE, "")
        request.state.session = workspace(request).accounts.session(secret) if secret else None
    session: SessionInfo | None = request.state.session
    return session


def optional_user(request: Request) -> User | None:
    """The user by API token or session cookie, or ``None``."""
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    user: User | None = None
    token = _bearer(request)
    if token is not None:
        user = workspace(request).accounts.token_user(token)
        if user is None:
            raise NotAuthenticated("invalid or revoked API token")
        request.state.by_token = True
    else:
        session = current_session(request)
        user = session.user if session else None
    request.state.user = user
    return user


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


async def csrf_guard(request: Request) -> None:
    """Every cookie-authenticated write must echo the session's CSRF token.

    Runs for every route (an app-wide dependency). Token-authenticated and anonymous
    requests pass here: the routes refuse the anonymous ones themselves, and the
    login form carries its own token (there is no session yet).
    """
    if request.method not in _UNSAFE or _bearer(request) is not None:
        return
    session = current_session(request)
    if session is None:
        return
    sent = request.headers.get("x-csrf-token", "")
    content_type = request.headers.get("content-type", "")
    if not sent and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
        raise Forbidden("missing or wrong CSRF token: reload the page and try again")


def logged_in(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise NotAuthenticated("log in or send an API token (Authorization: Bearer …)")
    if user.must_change_password and not getattr(request.state, "by_token", False):
        allowed_paths = ("/account/password", "/logout", "/lang", "/static/")
        if not request.url.path.startswith(allowed_paths):
            raise Forbidden("change the one-time password first (/account/password)")
    return user


def require(permission: Permission) -> Callable[[Request], User]:
    """A dependency that returns the user when their role has ``permission``."""

    def dependency(request: Request) -> User:
        user = logged_in(request)
        user.require(permission)
        return user

    dependency.__name__ = f"require_{permission.value}"
    return dependency


Reader = Annotated[User, Depends(require(Permission.READ))]
