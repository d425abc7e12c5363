"""Users and units (administrators manage users; everyone may list units).

An administrator can neither disable nor demote their own account: a workspace must not
lose its last administrator by a slip, and another administrator can always do it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from newsdesk.auth import ROLES, Accounts, Permission, User, allowed
from newsdesk.errors import Forbidden
from newsdesk.web.deps import Reader, Ws, require

__all__ = ["UserUpdate", "apply_update", "check_self_change", "router"]

router = APIRouter(tags=["users"])
Admin = Annotated[User, Depends(require(Permission.ADMIN))]


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    unit: str
    role: str = Field(pattern="^(" + "|".join(ROLES) + ")$")
    display_name: str = ""
    password: str | None = None


class UserUpdate(BaseModel):
    role: str | None = Field(None, pattern="^(" + "|".join(ROLES) + ")$")
    unit: str | None = None
    disabled: bool | None = None


def check_self_change(admin: User, target: User, *, role: str | None, disabled: bool | None) -> None:
    """Refuse an administrator's disabling or demoting of their own account."""
    if admin.id != target.id:
        return
    if disabled:
        raise Forbidden(f"{admin.username} cannot disable their own account: ask another administrator")
    if role is not None and not allowed(role, Permission.ADMIN):
        raise Forbidden(f"{admin.username} cannot demote their own account: ask another administrator")


def apply_update(accounts: Accounts, admin: User, username: str, body: UserUpdate) -> User:
    user = accounts.user(username)
    check_self_change(admin, user, role=body.role, disabled=body.disabled)
    if body.role is not None:
        user = accounts.set_role(user.id, body.role)
    if body.unit is not None:
        user = accounts.set_unit(user.id, body.unit)
    if body.disabled is not None:
        user = accounts.set_disabled(user.id, body.disabled)
    return user


@router.get("/units")
def units(_: Reader, ws: Ws) -> list[dict[str, Any]]:
    return ws.accounts.units()


@router.get("/users")
def users(_: Admin, ws: Ws, unit: str | None = None) -> list[dict[str, Any]]:
    return ws.accounts.list_users(unit)


@router.post("/users", status_code=201)
def add_user(_: Admin, ws: Ws, body: UserCreate) -> dict[str, Any]:
    """Create a user; without ``password`` the answer carries a one-time one."""
    user, one_time = ws.accounts.add_user(
        body.username, unit=body.unit, role=body.role, password=body.password, display_name=body.display_name
    )
    return user.as_dict() | ({"one_time_password": one_time} if one_time else {})


@router.patch("/users/{username}")
def update_user(admin: Admin, ws: Ws, username: str, body: UserUpdate) -> dict[str, Any]:
    """Change a user's role, unit or disabled state (never one's own role or state)."""
    return apply_update(ws.accounts, admin, username, body).as_dict()
