"""Scheduled reports: last week's every Monday, last month's on the 1st — each made once.

``newsdesk up`` runs :func:`scheduled_work` in a background thread about every hour: it
first brings the stored pickups up to date (:func:`newsdesk.measure.refresh.refresh_pass`),
then :func:`run_scheduled` makes whatever report is due and missing.

*Due* is the last complete period in Vietnam's time: the previous ISO week (Monday to
Sunday) and the previous calendar month. So the first pass on a Monday makes last week's
report and the first pass on the 1st last month's; a service that was down on the Monday
makes it on its next pass, and every later pass finds it made and skips it. Each period
gets one report for the whole office and one for every unit that has any publication in
it (quiet units get none). ``settings.reports.weekly`` / ``monthly`` turn either off.

"Made" means a finished ``reports`` row of that kind, unit, (no) theme and period: a
failure removes its row (see :mod:`newsdesk.reports.archive`), so it is retried next pass.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select

from newsdesk.measure.kpis import LOCAL, Scope
from newsdesk.measure.refresh import refresh_pass
from newsdesk.reports.archive import Reports
from newsdesk.settings import ReportSettings, Settings
from newsdesk.store.repo import Store
from newsdesk.store.tables import PublicationRow

__all__ = ["INTERVAL", "SCHEDULER", "active_units", "due_periods", "run_scheduled", "scheduled_work"]

log = logging.getLogger("newsdesk.reports.schedule")

INTERVAL = 3600.0
"""Seconds between two passes of the service's reports thread."""
SCHEDULER = "scheduler"
"""``created_by`` of the scheduled reports."""


def due_periods(now: datetime, settings: ReportSettings) -> list[tuple[str, date, date]]:
    """``(kind, first day, last day)`` of the last complete week and month at ``now`` (in Vietnam)."""
    today = now.astimezone(LOCAL).date()
    due = []
    if settings.weekly:
        monday = today - timedelta(days=today.weekday())
        due.append(("weekly", monday - timedelta(days=7), monday - timedelta(days=1)))
    if settings.monthly:
        last = today.replace(day=1) - timedelta(days=1)
        due.append(("monthly", last.replace(day=1), last))
    return due


def active_units(store: Store, first: date, last: date) -> list[str]:
    """Units with a publication published, or another created, in the period."""
    scope = Scope(None, None, first, last)
    p = PublicationRow
    stmt = (
        select(p.unit_code)
        .where(
            or_(
                and_(p.published_at >= scope.start, p.published_at < scope.end),
                and_(p.created_at >= scope.start, p.created_at < scope.end),
            )
        )
        .distinct()
    )
    with store.engine.connect() as conn:
        return sorted(str(code) for code in conn.execute(stmt).scalars())


def run_scheduled(store: Store, settings: Settings, now: datetime | None = None) -> list[dict[str, Any]]:
    """Make the due reports that are missing; the rows of those made."""
    now = now or datetime.now(UTC)
    reports = Reports(store, settings.reports)
    made = []
    for kind, first, last in due_periods(now, settings.reports):
        for unit in [None, *active_units(store, first, last)]:
            scope = Scope(unit, None, first, last)
            if reports.exists(kind, scope):
                continue
            made.append(reports.generate(scope, kind=kind, created_by=SCHEDULER, now=now))
    if made:
        log.info("scheduled reports made: %s", [r["id"] for r in made])
    return made


def scheduled_work(store: Store, settings: Settings) -> Callable[[], None]:
    """One pass of the service's reports thread: refresh pickups, then make due reports."""

    def work() -> None:
        refresh_pass(store)
        run_scheduled(store, settings)

    return work
