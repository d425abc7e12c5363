"""The workspace's people: units, users and roles, sessions, API tokens, saved queries."""

from newsdesk.auth.accounts import Accounts, User
from newsdesk.auth.roles import ROLES, Permission, allowed
from newsdesk.auth.units import CENTRAL, unit_rows

__all__ = ["CENTRAL", "ROLES", "Accounts", "Permission", "User", "allowed", "unit_rows"]
