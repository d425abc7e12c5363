"""Login, logout, the language switch and the account page (password, API tokens).

The login form is protected against login CSRF by a double-submit token (a cookie
and a form field that must agree), since there is no session yet; every other form
carries the session's CSRF token (checked by :func:`newsdesk.web.deps.csrf_guard`).
The ``next`` parameter only ever leads to a path of this site.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.auth import Permission
from newsdesk.errors import NewsdeskError, NotAuthenticated
from newsdesk.web.deps import LANG_COOKIE, SESSION_COOKIE, Ws, current_session, logged_in, optional_user
from newsdesk.web.ui.i18n import Translator, choose_language
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router", "safe_next"]

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "nd_login"


def safe_next(value: str | None) -> str:
    """A local path to go to after login; anything else (``//evil``, ``https://…``) is ``/``."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or "\n" in value:
        return "/"
    return value


def _cookie_flags(ws: Ws) -> dict[str, object]:
    return {"httponly": True, "samesite": "lax", "secure": ws.settings.auth.secure_cookies, "path": "/"}


def _login_page(
    request: Request, ws: Ws, *, next_path: str, problem: str = "", username: str = ""
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status=401 if problem else 200,
        login_csrf=token,
        next=next_path,
        problem=problem,
        username=username,
    )
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, **_cookie_flags(ws))  # type: ignore[arg-type]
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, ws: Ws, next: str = "/") -> Response:
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, ws, next_path=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    ws: Ws,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    login_csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    t = Translator(page_language(request))
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), login_csrf.encode()):
        return _login_page(
            request, ws, next_path=safe_next(next), problem=t("login.expired"), username=username
        )
    try:
        user = ws.accounts.authenticate(username, password)
    except NotAuthenticated as exc:
        locked = "too many" in str(exc)
        minutes = f"{ws.settings.auth.lockout_minutes:g}"
        problem = t("login.locked", minutes=minutes) if locked else t("login.failed")
        return _login_page(request, ws, next_path=safe_next(next), problem=problem, username=username)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        ws.accounts.end_session(old)
    secret, _ = ws.accounts.create_session(user)
    target = "/account/password" if user.must_change_password else safe_next(next)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, secret, **_cookie_flags(ws))  # type: ignore[arg-type]
    response.set_cookie(LANG_COOKIE, user.language, max_age=365 * 86400, samesite="lax", path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, ws: Ws) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret and current_session(request) is not None:
        ws.accounts.end_session(secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/lang")
def switch_language(
    request: Request, ws: Ws, to: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    """Switch language; remembered for the user (and in a cookie, for the login page)."""
    lang = choose_language(to)
    user = optional_user(request)
    if user is not None:
        ws.accounts.set_language(user.id, lang)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    return response


def _account_page(
    request: Request, ws: Ws, *, notice: str = "", problem: str = "", new_token: str = ""
) -> Response:
    user = logged_in(request)
    t = Translator(page_language(request))
    unit = ws.accounts.unit(user.unit_code)
    tokens = [
        tok
        | {
            "created_at_text": t.datetime(_parse(tok["created_at"])),
            "last_used_text": t.datetime(_parse(tok["last_used_at"])),
        }
        for tok in ws.accounts.list_tokens(user)
    ]
    saved = [
        q | {"href": qs("/search", q=q["query"], **q["filters"])} for q in ws.accounts.saved_queries(user)
    ]
    return render(
        request,
        "account.html",
        status=400 if problem else 200,
        unit_name=unit["name_vi"] if t.lang == "vi" else unit["name_en"],
        notice=notice,
        problem=problem,
        new_token=new_token,
        tokens=tokens,
        saved=saved,
        min_password=ws.settings.auth.min_password_length,
    )


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, ws: Ws) -> Response:
    return _account_page(request, ws)


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, ws: Ws) -> Response:
    return _account_page(request, ws)


@router.post("/account/password")
def change_password(
    request: Request,
    ws: Ws,
    current: Annotated[str, Form()],
    new: Annotated[str, Form()],
    repeat: Annotated[str, Form()],
) -> Response:
    user = logged_in(request)
    t = Translator(page_language(request))
    if new != repeat:
        return _account_page(request, ws, problem=t("account.passwords_differ"))
    try:
        updated = ws.accounts.change_password(user, current, new)
    except NotAuthenticated:
        return _account_page(request, ws, problem=t("login.failed"))
    except NewsdeskError as exc:
        return _account_page(request, ws, problem=str(exc))
    ws.accounts.end_other_sessions(updated, keep_secret=request.cookies.get(SESSION_COOKIE))
    request.state.user = updated
    return _account_page(request, ws, notice=t("account.password_changed"))


@router.post("/account/tokens")
def create_token(request: Request, ws: Ws, name: Annotated[str, Form()]) -> Response:
    user = logged_in(request)
    user.require(Permission.READ)
    token, _ = ws.accounts.create_token(user, name)
    return _account_page(request, ws, new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, ws: Ws, token_id: int) -> Response:
    user = logged_in(request)
    ws.accounts.revoke_token(user, token_id)
    return RedirectResponse("/account#tokens", status_code=303)
