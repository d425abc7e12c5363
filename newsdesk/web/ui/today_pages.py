"""*Today*: the top stories of the last 24 hours or 7 days."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsdesk.store.today import TodayStory, TodayView, today
from newsdesk.web.deps import Reader, Ws
from newsdesk.web.ui.charts import Point
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
    links = {story.id: _bucket_links(story, view) for story in view.stories}
    return render(request, "today.html", view=view, window_search=window_search, links=links)


def _bucket_links(story: TodayStory, view: TodayView) -> list[Point]:
    """One link per sparkline period: the story's articles of that hour or day."""
    step = (view.end - view.start) / max(len(story.buckets), 1)
    points = []
    for index, count in enumerate(story.buckets):
        start = view.start + step * index
        href = qs(
            "/search",
            story=story.id,
            order="date",
            date_from=start.isoformat(),
            date_to=(start + step).isoformat(),
        )
        points.append(
            Point(start.isoformat(timespec="minutes"), count, href, f"{count} × {story.title[:60]}")
        )
    return points
