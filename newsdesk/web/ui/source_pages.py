"""Sources' health and the quarantine: ``/sources`` and ``/sources/{id}`` (analysts and above).

The health table answers "is collection working": each source's last success, its last
error and when, its counters, and its articles per day over the last 30 days as a
sparkline (one grouped query for all sources, :func:`newsdesk.store.views.source_volumes`).
Unlike the analysis pages, the 30 days end *now*: a source that went silent must look
silent. Below it, the most recent quarantined inputs with their reasons.

A source's page draws the same 30 days as columns; each bar leads to the search of that
day for the source's outlet (search filters by outlet; a source's outlet is its configured
one, else the commonest among its articles).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from newsdesk.auth import Permission, User
from newsdesk.store import views
from newsdesk.web.deps import Ws, require
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, render

__all__ = ["router"]

router = APIRouter()
Operator = Annotated[User, Depends(require(Permission.OPERATIONS))]
DAYS = 30
QUARANTINE = 50


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, _: Operator, ws: Ws) -> HTMLResponse:
    sources = ws.store.list_sources()
    with ws.store.engine.connect() as conn:
        volumes = views.source_volumes(conn, days=DAYS)
    return render(
        request,
        "sources.html",
        sources=[_with_times(s) | {"volume": volumes.get(s["id"], [])} for s in sources],
        quarantine=[_with_times(q) for q in ws.store.quarantine(QUARANTINE)],
    )


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, _: Operator, ws: Ws, source_id: int) -> HTMLResponse:
    source = _with_times(ws.store.get_source(source_id))
    with ws.store.engine.connect() as conn:
        overview = views.source_overview(conn, source_id, days=DAYS)
    outlet = source["outlet"] or overview["outlet"]
    t = Translator(page_language(request))
    points = charts.period_points(
        overview["series"].periods, t, charts.search_link(outlet=outlet) if outlet else _nowhere
    )
    return render(
        request,
        "source.html",
        source=source,
        outlet=outlet,
        chart=charts.columns(points, label=t("sources.per_day")),
        articles=overview["articles"],
        total=overview["series"].total,
    )


def _with_times(item: dict[str, Any]) -> dict[str, Any]:
    """The store's dict with its ISO times as datetimes, for the page's formats."""
    return item | {k: datetime.fromisoformat(v) for k, v in item.items() if k.endswith("_at") and v}


def _nowhere(period: Any) -> None:
    """No search for a source whose articles have no outlet."""
    return None
