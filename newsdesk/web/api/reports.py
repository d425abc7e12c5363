"""Reports and key figures: ``/api/reports`` and ``/api/kpis``.

Everyone logged in lists and reads reports (``/reports/{id}.html`` and ``.pdf`` serve the
files); analysts and above generate one. ``/api/kpis`` computes the figures of a scope now,
with the ids behind every one (see :mod:`newsdesk.measure.kpis`), without making a report.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from newsdesk.auth import Permission, User
from newsdesk.measure.kpis import Scope, compute
from newsdesk.reports import Reports
from newsdesk.reports.archive import KINDS
from newsdesk.web.api.paging import Page, PageSize, paged
from newsdesk.web.deps import Reader, Ws, require

__all__ = ["ReportCreate", "router"]

router = APIRouter(tags=["reports"])
Analyst = Annotated[User, Depends(require(Permission.EXPORT))]


class ReportCreate(BaseModel):
    """An on-demand report: a unit (none: all), a theme (none: any) and a period of days."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    unit: str | None = None
    theme: str | None = Field(None, max_length=120)
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    pdf: bool = True
    lang: Literal["vi", "en"] = "vi"


def _scope(ws: Ws, unit: str | None, theme: str | None, first: date, last: date) -> Scope:
    if unit:
        ws.accounts.unit(unit)  # NotFound for an unknown unit
    return Scope(unit or None, theme or None, first, last)


@router.get("/reports")
def list_reports(
    _: Reader,
    ws: Ws,
    page: Page = 1,
    page_size: PageSize = 50,
    unit: str | None = None,
    kind: Annotated[str | None, Query(pattern="^(" + "|".join(KINDS) + ")$")] = None,
) -> dict[str, Any]:
    items, total = Reports(ws.store, ws.settings.reports).listing(
        unit=unit, kind=kind, page=page, page_size=page_size
    )
    return paged(items, total, page, page_size)


@router.post("/reports", status_code=201)
def generate_report(user: Analyst, ws: Ws, body: ReportCreate) -> dict[str, Any]:
    """Make a report now (a few seconds with its PDF); the answer links its files."""
    scope = _scope(ws, body.unit, body.theme, body.date_from, body.date_to)
    return Reports(ws.store, ws.settings.reports).generate(
        scope, created_by=user.username, pdf=body.pdf, lang=body.lang
    )


@router.get("/reports/{report_id}")
def get_report(_: Reader, ws: Ws, report_id: int) -> dict[str, Any]:
    """A report's row and the figures it was made from, with the ids behind each."""
    reports = Reports(ws.store, ws.settings.reports)
    return reports.get(report_id) | {"figures": reports.kpis(report_id).as_dict()}


@router.get("/kpis")
def kpis(
    _: Reader,
    ws: Ws,
    date_from: Annotated[date, Query(alias="from")],
    date_to: Annotated[date, Query(alias="to")],
    unit: str | None = None,
    theme: str | None = None,
) -> dict[str, Any]:
    """The figures of a unit (or all), a theme (or any) and a period, computed now."""
    from newsdesk.measure.refresh import refresh_pass, refresh_period

    scope = _scope(ws, unit, theme, date_from, date_to)
    refresh_pass(ws.store)  # pickups are counted from the stored ones: bring them up to date (incremental)
    refresh_period(ws.store, scope.start, scope.end)
    with ws.store.engine.connect() as conn:
        return compute(conn, scope).as_dict()
