"""The scheduler: last week's and last month's reports, each made once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsdesk.reports import Reports, due_periods, run_scheduled, scheduled_work
from newsdesk.reports.schedule import active_units
from newsdesk.settings import ReportSettings, Settings
from newsdesk.store.repo import Store
from newsdesk.store.tables import PickupRow
from tests.reports.builders import Built


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (  # Monday 15 June 2026, 08:00 in Vietnam
            datetime(2026, 6, 15, 1, tzinfo=UTC),
            [
                ("weekly", date(2026, 6, 8), date(2026, 6, 14)),
                ("monthly", date(2026, 5, 1), date(2026, 5, 31)),
            ],
        ),
        (  # Sunday 14 June 20:00 UTC is already Monday 15 June in Vietnam
            datetime(2026, 6, 14, 20, tzinfo=UTC),
            [
                ("weekly", date(2026, 6, 8), date(2026, 6, 14)),
                ("monthly", date(2026, 5, 1), date(2026, 5, 31)),
            ],
        ),
        (  # Wednesday 1 July: the previous week spans two months
            datetime(2026, 7, 1, 3, tzinfo=UTC),
            [
                ("weekly", date(2026, 6, 22), date(2026, 6, 28)),
                ("monthly", date(2026, 6, 1), date(2026, 6, 30)),
            ],
        ),
        (  # 1 January: December of the previous year
            datetime(2027, 1, 1, 3, tzinfo=UTC),
            [
                ("weekly", date(2026, 12, 21), date(2026, 12, 27)),
                ("monthly", date(2026, 12, 1), date(2026, 12, 31)),
            ],
        ),
    ],
)
def test_the_due_periods(now: datetime, expected: list[tuple[str, date, date]]) -> None:
    assert due_periods(now, ReportSettings()) == expected


def test_either_schedule_can_be_turned_off() -> None:
    now = datetime(2026, 6, 15, 1, tzinfo=UTC)
    assert [k for k, _, _ in due_periods(now, ReportSettings(weekly=False))] == ["monthly"]
    assert due_periods(now, ReportSettings(weekly=False, monthly=False)) == []


def test_reports_are_made_once_per_period_for_the_office_and_active_units(
    store: Store, settings: Settings, built: Built
) -> None:
    monday = datetime(2026, 6, 15, 1, tzinfo=UTC)
    assert active_units(store, date(2026, 6, 8), date(2026, 6, 14)) == ["ha-noi", "hue"]
    assert active_units(store, date(2026, 5, 1), date(2026, 5, 31)) == []
    made = run_scheduled(store, settings, now=monday)
    assert sorted((r["kind"], r["unit"] or "") for r in made) == [
        ("monthly", ""),
        ("weekly", ""),
        ("weekly", "ha-noi"),
        ("weekly", "hue"),
    ]
    assert all(r["pdf"] and r["created_by"] == "scheduler" for r in made)
    assert run_scheduled(store, settings, now=monday) == []  # the same pass again
    assert run_scheduled(store, settings, now=datetime(2026, 6, 16, 5, tzinfo=UTC)) == []  # Tuesday
    july = run_scheduled(store, settings, now=datetime(2026, 7, 1, 1, tzinfo=UTC))
    assert sorted((r["kind"], r["unit"] or "", r["from"]) for r in july) == [
        ("monthly", "", "2026-06-01"),
        ("monthly", "ha-noi", "2026-06-01"),
        ("monthly", "hue", "2026-06-01"),
        ("weekly", "", "2026-06-22"),
    ]
    assert Reports(store, settings.reports).listing()[1] == 8


def test_the_services_pass_refreshes_pickups_then_makes_reports(
    store: Store, settings: Settings, built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.engine.begin() as conn:
        conn.execute(PickupRow.__table__.delete())
    calls: list[str] = []
    import newsdesk.reports.schedule as schedule

    monkeypatch.setattr(schedule, "refresh_pass", lambda s: calls.append("refresh"))
    monkeypatch.setattr(schedule, "run_scheduled", lambda s, st: calls.append("reports") or [])
    scheduled_work(store, settings)()
    assert calls == ["refresh", "reports"]
