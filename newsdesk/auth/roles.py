"""Roles and what each may do.

Four roles, each including the one before it:

===============  ==============================================================
viewer           reads the workspace: today, search, stories, articles, entities,
                 documents, themes; saves their own queries
analyst          + exports search results (CSV), downloads raw input, sees the
                 quarantine and the sources' health
editor           + writes publications of their own unit (issue 5)
administrator    + manages users and sources, sees every unit's drafts
===============  ==============================================================

A permission is checked with :func:`allowed`; pages and API routes declare the
permission they need (``Permission.EXPORT`` …), never a role name.
"""

from __future__ import annotations

from enum import StrEnum

from newsdesk.errors import NewsdeskError

__all__ = ["ROLES", "Permission", "allowed", "check_role"]

ROLES: tuple[str, ...] = ("viewer", "analyst", "editor", "administrator")


class Permission(StrEnum):
    READ = "read"
    SAVE_QUERIES = "save_queries"
    EXPORT = "export"
    RAW = "raw"
    OPERATIONS = "operations"
    """Sources' health, the quarantine."""
    EDIT_OWN_UNIT = "edit_own_unit"
    ADMIN = "admin"


_LEAST_ROLE: dict[Permission, str] = {
    Permission.READ: "viewer",
    Permission.SAVE_QUERIES: "viewer",
    Permission.EXPORT: "analyst",
    Permission.RAW: "analyst",
    Permission.OPERATIONS: "analyst",
    Permission.EDIT_OWN_UNIT: "editor",
    Permission.ADMIN: "administrator",
}


def check_role(role: str) -> str:
    if role not in ROLES:
        raise NewsdeskError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    return role


def allowed(role: str, permission: Permission) -> bool:
    """True when ``role`` includes ``permission`` (unknown roles get nothing)."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(_LEAST_ROLE[permission])
