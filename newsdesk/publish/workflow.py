"""The life of a publication: draft → review → approved → published, and who may move it.

=========  ==========  ===========  ==========================================
action     from        to           who
=========  ==========  ===========  ==========================================
submit     draft       review       an editor of the unit (or an administrator)
return     review      draft        an editor of the unit (or an administrator)
approve    review      approved     an editor of the unit (or an administrator)
publish    approved    published    an editor of the unit (or an administrator)
=========  ==========  ===========  ==========================================

Editing a text makes a new version. Editing an *approved* text withdraws the approval
(back to draft: what was approved is not what would be published); a *published*
text stays published and the edit is recorded as a correction. An editor acts only on
their own unit's publications; an administrator on any, always under their own name.
The command line acts as ``cli:<account>``, with an administrator's rights, since
whoever runs it already holds the database.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from newsdesk.auth import Permission, User, allowed
from newsdesk.errors import Forbidden, NewsdeskError

__all__ = ["ACTIONS", "STATUSES", "Actor", "actions_from", "next_status"]

STATUSES = ("draft", "review", "approved", "published")
ACTIONS: dict[str, tuple[str, str]] = {
    "submit": ("draft", "review"),
    "return": ("review", "draft"),
    "approve": ("review", "approved"),
    "publish": ("approved", "published"),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a workspace user, or the command line's operator."""

    name: str
    unit_code: str | None
    role: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.username, user.unit_code, user.role)

    @classmethod
    def command_line(cls) -> Actor:
        try:
            account = getpass.getuser()
        except (KeyError, OSError):
            account = "unknown"
        return cls(f"cli:{account}", None, "administrator")

    def may_change(self, unit_code: str) -> bool:
        """Whether this actor may write and move ``unit_code``'s publications (pages hide what it may not)."""
        if not allowed(self.role, Permission.EDIT_OWN_UNIT):
            return False
        return self.role == "administrator" or self.unit_code == unit_code

    def check_unit(self, unit_code: str, what: str) -> None:
        """Raise Forbidden unless this actor may change ``unit_code``'s publications."""
        if not allowed(self.role, Permission.EDIT_OWN_UNIT):
            raise Forbidden(f"{self.name} ({self.role}) may not {what}: editors and administrators only")
        if self.role != "administrator" and self.unit_code != unit_code:
            raise Forbidden(
                f"{self.name} may not {what}: it belongs to unit {unit_code}, not {self.unit_code}"
            )


def actions_from(status: str) -> tuple[str, ...]:
    """The actions that apply to a publication in ``status``, in table order."""
    return tuple(action for action, (before, _) in ACTIONS.items() if before == status)


def next_status(status: str, action: str) -> str:
    """The status after ``action``; a clear error when the action does not apply."""
    if action not in ACTIONS:
        raise NewsdeskError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    before, after = ACTIONS[action]
    if status != before:
        raise NewsdeskError(f"cannot {action} a publication that is {status} (only one that is {before})")
    return after
