"""*Today*: the top stories of the last 24 hours or 7 days."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.store.today import today
from newsdesk.web.deps import Reader, Ws
from newsdesk.web.ui.render import qs, render

__all__ = ["router"]

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def today_page(request: Request, _: Reader, ws: Ws, window: Literal["24h", "7d"] = "24h") -> HTMLResponse:
    with ws.store.engine.connect() as conn:
        view = today(conn, window)
    window_search = qs(
        "/search", order="date", date_from=view.start.isoformat(), date_to=view.end.isoformat()
    )
    return render(request, "today.html", view=view, window_search=window_search)
