"""Users, sessions, API tokens and saved queries, over the store's engine.

* **Passwords** are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second
  recommended profile); a hash made with older parameters is upgraded at the next
  login. Repeated failures for one username lock it for a while (per process).
* **Sessions**: the browser's cookie carries a random secret; the table keys the
  session by the secret's SHA-256, so a leaked database does not leak live sessions.
  Each session has its own CSRF token, which every form and every cookie-authenticated
  write must echo. Sessions expire after an idle period and after a maximum age.
* **API tokens** (``nd_`` + 32 random bytes, URL-safe) are shown once; only their
  SHA-256 and a short prefix (to tell them apart in a list) are kept.
* **First start**: :meth:`Accounts.ensure_admin` creates ``admin`` in the central
  unit when there is no user at all, with a one-time password that must be changed
  at the first login (or the one given in ``NEWSDESK_ADMIN_PASSWORD``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.auth.roles import Permission, allowed, check_role
from newsdesk.auth.units import CENTRAL
from newsdesk.errors import Conflict, Forbidden, NewsdeskError, NotAuthenticated, NotFound
from newsdesk.settings import AuthSettings
from newsdesk.store.tables import ApiTokenRow, SavedQueryRow, SessionRow, UnitRow, UserRow

__all__ = ["Accounts", "User"]

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_TOKEN_PREFIX = "nd_"
_HASHER = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown user like a known one's.
_DUMMY_HASH = _HASHER.hash("newsdesk-timing-equaliser")


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    unit_code: str
    role: str
    language: str
    must_change_password: bool
    disabled: bool

    def can(self, permission: Permission) -> bool:
        return not self.disabled and allowed(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(
                f"user {self.username} ({self.role}) may not {permission.value.replace('_', ' ')}"
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "unit": self.unit_code,
            "role": self.role,
            "language": self.language,
            "must_change_password": self.must_change_password,
            "disabled": self.disabled,
        }


def _user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        unit_code=row.unit_code,
        role=row.role,
        language=row.language,
        must_change_password=bool(row.must_change_password),
        disabled=bool(row.disabled),
    )


@dataclass(frozen=True, slots=True)
class SessionInfo:
    user: User
    csrf_token: str


class _Lockout:
    """Failed logins per username within a window; thread-safe, per process."""

    def __init__(self, attempts: int, minutes: float) -> None:
        self.attempts, self.window = attempts, minutes * 60
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def locked(self, username: str) -> bool:
        with self._lock:
            recent = [t for t in self._failures.get(username, []) if time.monotonic() - t < self.window]
            self._failures[username] = recent
            return len(recent) >= self.attempts

    def fail(self, username: str) -> None:
        with self._lock:
            self._failures.setdefault(username, []).append(time.monotonic())

    def clear(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)


class Accounts:
    """Every read and write of the workspace's people, on one engine."""

    def __init__(self, engine: Engine, settings: AuthSettings | None = None) -> None:
        self.engine = engine
        self.settings = settings or AuthSettings()
        self._lockout = _Lockout(self.settings.login_attempts, self.settings.lockout_minutes)

    # -- units -------------------------------------------------------------------------------
    def units(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(UnitRow).order_by(UnitRow.kind, UnitRow.province_code)).all()
        return [{"code": r.code, "name_vi": r.name_vi, "name_en": r.name_en, "kind": r.kind} for r in rows]

    def unit(self, code: str) -> dict[str, Any]:
        for unit in self.units():
            if unit["code"] == code:
                return unit
        raise NotFound(f"unit {code!r} not found (see `newsdesk users units`)")

    # -- users -------------------------------------------------------------------------------
    def check_password(self, password: str) -> None:
        if len(password) < self.settings.min_password_length:
            raise NewsdeskError(
                f"password too short: at least {self.settings.min_password_length} characters"
            )

    def add_user(
        self,
        username: str,
        *,
        unit: str,
        role: str,
        password: str | None = None,
        display_name: str = "",
        language: str = "vi",
    ) -> tuple[User, str | None]:
        """Create a user; without ``password`` a one-time one is generated and returned."""
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise NewsdeskError(
                f"invalid username {username!r}: 2–64 of a-z 0-9 . _ - , starting with a letter or digit"
            )
        check_role(role)
        self.unit(unit)
        generated = None
        if password is None:
            generated = password = secrets.token_urlsafe(12)
        else:
            self.check_password(password)
        values = {
            "username": username,
            "display_name": display_name or username,
            "unit_code": unit,
            "role": role,
            "password_hash": _HASHER.hash(password),
            "must_change_password": generated is not None,
            "disabled": False,
            "language": language if language in ("vi", "en") else "vi",
            "created_at": _now(),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(UserRow).values(**values))
        except IntegrityError as exc:
            raise Conflict(f"user {username!r} already exists") from exc
        return self.user(username), generated

    def user(self, ident: int | str) -> User:
        column = UserRow.id if isinstance(ident, int) else UserRow.username
        key = ident if isinstance(ident, int) else ident.strip().lower()
        with self.engine.connect() as conn:
            row = conn.execute(select(UserRow).where(column == key)).first()
        if row is None:
            raise NotFound(f"user {ident!r} not found")
        return _user(row)

    def list_users(self, unit: str | None = None) -> list[dict[str, Any]]:
        stmt = select(UserRow).order_by(UserRow.unit_code, UserRow.username)
        if unit:
            stmt = stmt.where(UserRow.unit_code == unit)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            _user(r).as_dict() | {"created_at": _iso(r.created_at), "last_login_at": _iso(r.last_login_at)}
            for r in rows
        ]

    def count_users(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(UserRow)).scalar_one())

    def _update_user(self, ident: int | str, **values: Any) -> User:
        user = self.user(ident)
        with self.engine.begin() as conn:
            conn.execute(update(UserRow).where(UserRow.id == user.id).values(**values))
        return self.user(user.id)

    def set_disabled(self, ident: int | str, disabled: bool = True) -> User:
        """Disable (or re-enable) a user; disabling ends their sessions and tokens at once."""
        user = self._update_user(ident, disabled=disabled)
        if disabled:
            with self.engine.begin() as conn:
                conn.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
        return user

    def set_role(self, ident: int | str, role: str) -> User:
        return self._update_user(ident, role=check_role(role))

    def set_unit(self, ident: int | str, unit: str) -> User:
        self.unit(unit)
        return self._update_user(ident, unit_code=unit)

    def set_language(self, ident: int | str, language: str) -> User:
        return self._update_user(ident, language=language if language in ("vi", "en") else "vi")

    def set_password(self, ident: int | str, password: str, *, must_change: bool = False) -> User:
        self.check_password(password)
        return self._update_user(
            ident, password_hash=_HASHER.hash(password), must_change_password=must_change
        )

    def change_password(self, user: User, current: str, new: str) -> User:
        """The user's own change: needs the current password; ends their other sessions."""
        self.authenticate(user.username, current)
        if new == current:
            raise NewsdeskError("the new password must differ from the current one")
        updated = self.set_password(user.id, new)
        return updated

    def authenticate(self, username: str, password: str) -> User:
        """The user for this username and password; NotAuthenticated (one message) otherwise."""
        username = username.strip().lower()
        if self._lockout.locked(username):
            raise NotAuthenticated(
                f"too many failed logins for {username!r}: "
                f"try again in {self.settings.lockout_minutes:g} minutes"
            )
        with self.engine.connect() as conn:
            row = conn.execute(select(UserRow).where(UserRow.username == username)).first()
        stored = row.password_hash if row is not None else _DUMMY_HASH
        try:
            _HASHER.verify(stored, password)
            ok = row is not None and not row.disabled
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None:
            self._lockout.fail(username)
            raise NotAuthenticated("wrong username or password, or the account is disabled")
        self._lockout.clear(username)
        values: dict[str, Any] = {"last_login_at": _now()}
        if _HASHER.check_needs_rehash(row.password_hash):
            values["password_hash"] = _HASHER.hash(password)
        with self.engine.begin() as conn:
            conn.execute(update(UserRow).where(UserRow.id == row.id).values(**values))
        return _user(row)

    def ensure_admin(self, password: str | None = None) -> tuple[User, str | None] | None:
        """On a database without users, create ``admin`` (central, administrator).

        Returns the user and the one-time password when one was generated, ``None``
        when users already exist.
        """
        if self.count_users():
            return None
        if password:
            user, _ = self.add_user("admin", unit=CENTRAL, role="administrator", password=password)
            return user, None
        return self.add_user("admin", unit=CENTRAL, role="administrator", display_name="Administrator")

    # -- sessions ----------------------------------------------------------------------------
    def create_session(self, user: User) -> tuple[str, str]:
        """A new session for ``user``: ``(cookie secret, CSRF token)``."""
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                insert(SessionRow).values(
                    id=_sha256(secret),
                    user_id=user.id,
                    csrf_token=csrf,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + timedelta(hours=self.settings.session_max_hours),
                )
            )
        return secret, csrf

    def session(self, secret: str) -> SessionInfo | None:
        """The live session for a cookie secret (idle and absolute expiry enforced)."""
        if not secret:
            return None
        key, now = _sha256(secret), _now()
        with self.engine.connect() as conn:
            row = conn.execute(
                select(SessionRow.csrf_token, SessionRow.expires_at, SessionRow.last_seen_at, UserRow)
                .join(UserRow, UserRow.id == SessionRow.user_id)
                .where(SessionRow.id == key)
            ).first()
        if row is None:
            return None
        idle = timedelta(minutes=self.settings.session_idle_minutes)
        if row.disabled or _aware(row.expires_at) <= now or _aware(row.last_seen_at) + idle <= now:
            self.end_session(secret)
            return None
        if now - _aware(row.last_seen_at) > timedelta(minutes=1):  # one write a minute at most
            with self.engine.begin() as conn:
                conn.execute(update(SessionRow).where(SessionRow.id == key).values(last_seen_at=now))
        return SessionInfo(_user(row), row.csrf_token)

    def end_session(self, secret: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(SessionRow).where(SessionRow.id == _sha256(secret)))

    def end_other_sessions(self, user: User, keep_secret: str | None = None) -> None:
        stmt = delete(SessionRow).where(SessionRow.user_id == user.id)
        if keep_secret:
            stmt = stmt.where(SessionRow.id != _sha256(keep_secret))
        with self.engine.begin() as conn:
            conn.execute(stmt)

    # -- API tokens --------------------------------------------------------------------------
    def create_token(self, user: User, name: str) -> tuple[str, dict[str, Any]]:
        """A new token for ``user`` (shown once) and its listing entry."""
        name = name.strip() or "token"
        token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            token_id = conn.execute(
                insert(ApiTokenRow)
                .values(
                    user_id=user.id,
                    name=name[:100],
                    token_hash=_sha256(token),
                    prefix=token[:10],
                    created_at=now,
                )
                .returning(ApiTokenRow.id)
            ).scalar_one()
        return token, {"id": token_id, "name": name[:100], "prefix": token[:10], "created_at": _iso(now)}

    def token_user(self, token: str) -> User | None:
        if not token.startswith(_TOKEN_PREFIX):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(ApiTokenRow.id.label("token_id"), ApiTokenRow.last_used_at, UserRow)
                .join(UserRow, UserRow.id == ApiTokenRow.user_id)
                .where(ApiTokenRow.token_hash == _sha256(token), ApiTokenRow.revoked_at.is_(None))
            ).first()
        if row is None or row.disabled:
            return None
        now = _now()
        if row.last_used_at is None or now - _aware(row.last_used_at) > timedelta(minutes=1):
            with self.engine.begin() as conn:
                conn.execute(
                    update(ApiTokenRow).where(ApiTokenRow.id == row.token_id).values(last_used_at=now)
                )
        return _user(row)

    def list_tokens(self, user: User) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ApiTokenRow).where(ApiTokenRow.user_id == user.id).order_by(ApiTokenRow.id)
            ).all()
        return [
            {
                "id": r.id,
                "name": r.name,
                "prefix": r.prefix,
                "created_at": _iso(r.created_at),
                "last_used_at": _iso(r.last_used_at),
                "revoked": r.revoked_at is not None,
            }
            for r in rows
        ]

    def revoke_token(self, user: User, token_id: int) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(ApiTokenRow)
                .where(ApiTokenRow.id == token_id, ApiTokenRow.user_id == user.id)
                .values(revoked_at=_now())
            ).rowcount
        if not done:
            raise NotFound(f"token {token_id} not found for {user.username}")

    # -- saved queries -----------------------------------------------------------------------
    def save_query(self, user: User, name: str, query: str, filters: dict[str, Any]) -> dict[str, Any]:
        """Save (or overwrite, by name) one of the user's searches."""
        name = name.strip()[:200]
        if not name:
            raise NewsdeskError("a saved query needs a name")
        clean = {k: v for k, v in filters.items() if v not in (None, "", [])}
        with self.engine.begin() as conn:
            conn.execute(
                delete(SavedQueryRow).where(SavedQueryRow.user_id == user.id, SavedQueryRow.name == name)
            )
            conn.execute(
                insert(SavedQueryRow).values(
                    user_id=user.id, name=name, query=query, filters=clean, created_at=_now()
                )
            )
        return next(q for q in self.saved_queries(user) if q["name"] == name)

    def saved_queries(self, user: User) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(SavedQueryRow).where(SavedQueryRow.user_id == user.id).order_by(SavedQueryRow.name)
            ).all()
        return [
            {
                "id": r.id,
                "name": r.name,
                "query": r.query,
                "filters": r.filters,
                "created_at": _iso(r.created_at),
            }
            for r in rows
        ]

    def delete_saved_query(self, user: User, query_id: int) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                delete(SavedQueryRow).where(SavedQueryRow.id == query_id, SavedQueryRow.user_id == user.id)
            ).rowcount
        if not done:
            raise NotFound(f"saved query {query_id} not found")


def _iso(value: datetime | None) -> str | None:
    return _aware(value).isoformat() if value else None
