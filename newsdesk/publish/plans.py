"""Plans: what each unit commits to produce, by when, and how far it got — and where two clash.

A plan belongs to one unit, has a title, a description, themes, the languages it will come
out in and a due date. Its status moves

============  ===================================  =======================================
from          to                                   meaning
============  ===================================  =======================================
planned       in_progress, done, dropped           work starts, is finished, or abandoned
in_progress   planned, done, dropped               put back, finished, abandoned
done          in_progress                          reopened (a correction, a new variant)
dropped       planned                              taken up again
============  ===================================  =======================================

and it may be linked to the publication that fulfils it (one of the unit's own). Who may
change a plan follows the publications' rule (:meth:`newsdesk.publish.workflow.Actor.check_unit`):
an editor their own unit's, an administrator any; everyone logged in reads all of them, so
units see each other's plans.

**Clashes.** Two *active* plans (planned or in progress) of different units *clash* when
they share a theme and a language and their dates lie within ``days`` (7) of each other —
two provinces about to publish the same story in the same language, which the central
office would rather coordinate. A plan's date is its due date, else the day it was made.
Plans without themes or languages clash with nothing: there is nothing to compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from newsdesk.errors import NewsdeskError, NotFound
from newsdesk.measure.kpis import has_theme
from newsdesk.publish.workflow import Actor
from newsdesk.store.tables import PlanRow, PublicationRow, UnitRow

__all__ = ["ACTIVE", "PLAN_STATUSES", "TRANSITIONS", "Plans", "clashes"]

PLAN_STATUSES = ("planned", "in_progress", "done", "dropped")
ACTIVE = ("planned", "in_progress")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("in_progress", "done", "dropped"),
    "in_progress": ("planned", "done", "dropped"),
    "done": ("in_progress",),
    "dropped": ("planned",),
}
_EDITABLE = ("title", "description", "themes", "languages", "due")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(value: datetime | None) -> str | None:
    aware = _aware(value)
    return aware.isoformat() if aware else None


def _words(values: Iterable[str] | None, what: str) -> list[str]:
    """Trimmed, lower-case, unique, in order; refuses anything but slug characters."""
    kept: list[str] = []
    for value in values or ():
        item = value.strip().lower()
        if not item:
            continue
        if not all(c.isalnum() or c in "-._" for c in item) or len(item) > 120:
            raise NewsdeskError(f"invalid {what} {value!r}: letters, digits, - . _ only")
        if item not in kept:
            kept.append(item)
    return kept


def _dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "unit": row.unit_code,
        "title": row.title,
        "description": row.description,
        "themes": list(row.themes or []),
        "languages": list(row.languages or []),
        "due": _iso(row.due),
        "status": row.status,
        "publication_id": row.publication_id,
        "created_by": row.created_by,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


class Plans:
    """Plans in the database: create, edit, move, link; list and find clashes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- reading -----------------------------------------------------------------------------
    def _row(self, conn: Connection, plan_id: int) -> Any:
        row = conn.execute(select(PlanRow).where(PlanRow.id == plan_id)).first()
        if row is None:
            raise NotFound(f"plan {plan_id} not found")
        return row

    def get(self, plan_id: int) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return _dict(self._row(conn, plan_id))

    def listing(
        self, *, unit: str | None = None, status: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        """Plans by due date (undated last), then newest first."""
        stmt = select(PlanRow).order_by(PlanRow.due.is_(None), PlanRow.due, PlanRow.id.desc()).limit(limit)
        if unit:
            stmt = stmt.where(PlanRow.unit_code == unit)
        if status:
            stmt = stmt.where(PlanRow.status == _status(status))
        with self.engine.connect() as conn:
            return [_dict(r) for r in conn.execute(stmt)]

    # -- writing -----------------------------------------------------------------------------
    def add(
        self,
        actor: Actor,
        *,
        unit: str,
        title: str,
        description: str = "",
        themes: Sequence[str] | None = None,
        languages: Sequence[str] | None = None,
        due: datetime | None = None,
    ) -> int:
        """A new plan (status ``planned``) of ``unit``; its id."""
        title = title.strip()
        if not title:
            raise NewsdeskError("a plan needs a title")
        actor.check_unit(unit, f"plan for unit {unit}")
        now = _now()
        with self.engine.begin() as conn:
            _check_unit(conn, unit)
            new_id = conn.execute(
                insert(PlanRow)
                .values(
                    unit_code=unit,
                    title=title,
                    description=description.strip(),
                    themes=_words(themes, "theme"),
                    languages=_words(languages, "language"),
                    due=_aware(due),
                    status="planned",
                    created_by=actor.name,
                    created_at=now,
                    updated_at=now,
                )
                .returning(PlanRow.id)
            ).scalar_one()
        return int(new_id)

    def edit(self, actor: Actor, plan_id: int, **changes: Any) -> dict[str, Any]:
        """Change any of title, description, themes, languages, due (None clears the due date)."""
        unknown = set(changes) - set(_EDITABLE)
        if unknown:
            raise NewsdeskError(f"cannot edit {', '.join(sorted(unknown))} of a plan")
        values = _clean(changes)
        with self.engine.begin() as conn:
            row = self._row(conn, plan_id)
            actor.check_unit(row.unit_code, f"edit plan {plan_id}")
            self._update(conn, plan_id, values)
        return self.get(plan_id)

    def set_status(self, actor: Actor, plan_id: int, status: str) -> dict[str, Any]:
        """Move a plan to ``status`` (see the table above)."""
        status = _status(status)
        with self.engine.begin() as conn:
            row = self._row(conn, plan_id)
            actor.check_unit(row.unit_code, f"change plan {plan_id}")
            if status != row.status and status not in TRANSITIONS[row.status]:
                allowed = ", ".join(TRANSITIONS[row.status])
                raise NewsdeskError(f"a plan that is {row.status} can become {allowed}, not {status}")
            self._update(conn, plan_id, {"status": status})
        return self.get(plan_id)

    def link(self, actor: Actor, plan_id: int, publication_id: int | None) -> dict[str, Any]:
        """Link the plan to one of its unit's publications (None unlinks)."""
        with self.engine.begin() as conn:
            row = self._row(conn, plan_id)
            actor.check_unit(row.unit_code, f"change plan {plan_id}")
            if publication_id is not None:
                unit = conn.execute(
                    select(PublicationRow.unit_code).where(PublicationRow.id == publication_id)
                ).scalar()
                if unit is None:
                    raise NotFound(f"publication {publication_id} not found")
                if unit != row.unit_code:
                    raise NewsdeskError(
                        f"publication {publication_id} belongs to unit {unit}, "
                        f"plan {plan_id} to {row.unit_code}"
                    )
            self._update(conn, plan_id, {"publication_id": publication_id})
        return self.get(plan_id)

    @staticmethod
    def _update(conn: Connection, plan_id: int, values: dict[str, Any]) -> None:
        conn.execute(update(PlanRow).where(PlanRow.id == plan_id).values(**values, updated_at=_now()))

    # -- clashes -----------------------------------------------------------------------------
    def clashes(self, *, days: int = 7, plan_id: int | None = None) -> list[dict[str, Any]]:
        """Clashing pairs among the active plans (those involving ``plan_id`` if given)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(PlanRow).where(PlanRow.status.in_(ACTIVE))).all()
        found = clashes([_dict(r) for r in rows], days=days)
        if plan_id is not None:
            found = [c for c in found if plan_id in (c["plan"]["id"], c["other"]["id"])]
        return found


def _status(status: str) -> str:
    if status not in PLAN_STATUSES:
        raise NewsdeskError(f"unknown plan status {status!r}: one of {', '.join(PLAN_STATUSES)}")
    return status


def _check_unit(conn: Connection, unit: str) -> None:
    if conn.execute(select(UnitRow.code).where(UnitRow.code == unit)).first() is None:
        raise NotFound(f"unit {unit!r} not found (see `newsdesk users units`)")


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            if not str(value).strip():
                raise NewsdeskError("a plan needs a title")
            values[name] = str(value).strip()
        elif name == "description":
            values[name] = str(value).strip()
        elif name in ("themes", "languages"):
            values[name] = _words(value, name[:-1])
        else:
            values[name] = _aware(value)
    return values


def _when(plan: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(plan["due"] or plan["created_at"])


def _shared(first: Sequence[str], second: Sequence[str], *, themes: bool = False) -> list[str]:
    if themes:  # a theme clashes with its subthemes
        return sorted({a for a in first for b in second if has_theme([a], b) or has_theme([b], a)})
    return sorted(set(first) & set(second))


def clashes(plans: Sequence[dict[str, Any]], *, days: int = 7) -> list[dict[str, Any]]:
    """Pairs of active plans of different units with a shared theme and language, ``days`` apart at most."""
    active = sorted((p for p in plans if p["status"] in ACTIVE), key=lambda p: p["id"])
    found = []
    for i, plan in enumerate(active):
        for other in active[i + 1 :]:
            if plan["unit"] == other["unit"]:
                continue
            themes = _shared(plan["themes"], other["themes"], themes=True)
            languages = _shared(plan["languages"], other["languages"])
            gap = abs(_when(plan) - _when(other))
            if themes and languages and gap <= timedelta(days=days):
                found.append(
                    {
                        "plan": plan,
                        "other": other,
                        "themes": themes,
                        "languages": languages,
                        "days_apart": round(gap.total_seconds() / 86400, 1),
                    }
                )
    return found
