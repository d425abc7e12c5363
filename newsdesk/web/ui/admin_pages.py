"""User administration: ``/admin/users`` (administrators only).

Every change is a ``POST`` form carrying the session's CSRF token (checked for every route
by :func:`newsdesk.web.deps.csrf_guard`). A new user gets a one-time password, shown once
on the page that answers the form (never in a URL, never again); they must change it at
their first login. Role and unit changes and disabling redirect back to the list, so a
reload never repeats them. An administrator can neither disable nor demote their own
account — the same guard as the API's ``PATCH /api/users/{username}``
(:func:`newsdesk.web.api.users.check_self_change`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.auth import ROLES, Permission, User
from newsdesk.errors import Conflict, Forbidden, NewsdeskError, NotFound
from newsdesk.web.api.users import UserUpdate, apply_update
from newsdesk.web.deps import Ws, require
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router"]

router = APIRouter()
Admin = Annotated[User, Depends(require(Permission.ADMIN))]


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, admin: Admin, ws: Ws, updated: str = "") -> Response:
    t = Translator(page_language(request))
    notice = t("admin.updated", username=updated) if updated else ""
    return _page(request, ws, admin, notice=notice)


@router.post("/admin/users")
def add_user(
    request: Request,
    admin: Admin,
    ws: Ws,
    username: Annotated[str, Form(max_length=64)],
    unit: Annotated[str, Form()],
    role: Annotated[str, Form()],
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    t = Translator(page_language(request))
    try:
        user, one_time = ws.accounts.add_user(
            username, unit=unit, role=role, display_name=display_name.strip()
        )
    except Conflict as exc:
        return _page(request, ws, admin, problem=str(exc), status=409)
    except (NewsdeskError, ValueError) as exc:
        return _page(request, ws, admin, problem=str(exc), status=400)
    notice = t("admin.created", username=user.username)
    return _page(request, ws, admin, notice=notice, one_time=one_time or "", status=201)


@router.post("/admin/users/{username}")
def update_user(
    request: Request,
    admin: Admin,
    ws: Ws,
    username: str,
    role: Annotated[str, Form()],
    unit: Annotated[str, Form()],
) -> Response:
    return _apply(request, ws, admin, username, role=role, unit=unit)


@router.post("/admin/users/{username}/disable")
def disable_user(request: Request, admin: Admin, ws: Ws, username: str) -> Response:
    return _apply(request, ws, admin, username, disabled=True)


@router.post("/admin/users/{username}/enable")
def enable_user(request: Request, admin: Admin, ws: Ws, username: str) -> Response:
    return _apply(request, ws, admin, username, disabled=False)


def _apply(request: Request, ws: Ws, admin: User, username: str, **change: Any) -> Response:
    try:
        user = apply_update(ws.accounts, admin, username, UserUpdate(**change))
    except Forbidden:
        t = Translator(page_language(request))
        return _page(request, ws, admin, problem=t("admin.self_change"), status=403)
    except NotFound:
        raise
    except (NewsdeskError, ValueError) as exc:
        return _page(request, ws, admin, problem=str(exc), status=400)
    return RedirectResponse(
        qs("/admin/users", updated=user.username) + f"#user-{user.username}", status_code=303
    )


def _page(
    request: Request,
    ws: Ws,
    admin: User,
    *,
    notice: str = "",
    problem: str = "",
    one_time: str = "",
    status: int = 200,
) -> Response:
    t = Translator(page_language(request))
    units = ws.accounts.units()
    names = {u["code"]: u["name_vi"] if t.lang == "vi" else u["name_en"] for u in units}
    return render(
        request,
        "admin_users.html",
        status=status,
        users=[_row(u, names) for u in ws.accounts.list_users()],
        units=[{"code": u["code"], "name": names[u["code"]]} for u in units],
        roles=ROLES,
        me=admin.username,
        notice=notice,
        problem=problem,
        one_time=one_time,
    )


def _row(user: dict[str, Any], unit_names: dict[str, str]) -> dict[str, Any]:
    last = user.get("last_login_at")
    return user | {
        "unit_name": unit_names.get(user["unit"], user["unit"]),
        "last_login": datetime.fromisoformat(last) if last else None,
    }
