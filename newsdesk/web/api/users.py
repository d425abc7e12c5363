"""Users and units (administrators manage users; everyone may list units)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from newsdesk.auth import ROLES, Permission, User
from newsdesk.web.deps import Reader, Ws, require

__all__ = ["router"]

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
    user = ws.accounts.user(username)
    if body.role is not None:
        user = ws.accounts.set_role(user.id, body.role)
    if body.unit is not None:
        user = ws.accounts.set_unit(user.id, body.unit)
    if body.disabled is not None:
        user = ws.accounts.set_disabled(user.id, body.disabled)
    return user.as_dict()
