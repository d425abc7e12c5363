"""Stories: the list (``/stories``) and one story (``/stories/{id}``).

A story's page answers "what happened, who reported it, when": its summary, a timeline
(articles per hour when the story spans three days at most, else per day), its outlets
and languages, the people and organisations named, its articles in time order, and its
copies grouped under their originals. Every bar leads to the search of the articles
behind it (``/search?story=ID&…``), so a chart is a way into the coverage, not a picture.

The list's periods end at the newest article, not at "now": an imported archive or a quiet
night still shows the latest stories (the page says up to when).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.store import views
from newsdesk.web.deps import Reader, Ws
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router"]

router = APIRouter()
PAGE_SIZE = 50
DAYS = (1, 7, 30, 0)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request,
    _: Reader,
    ws: Ws,
    days: Annotated[int, Query(ge=0, le=3650)] = 7,
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    with ws.store.engine.connect() as conn:
        anchor = views.latest_time(conn)
        since = anchor - timedelta(days=days) if days and anchor else None
        total = views.count_stories(conn, since=since)
        rows = views.list_stories(conn, since=since, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(
        request,
        "stories.html",
        stories=[_with_times(r) for r in rows],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        days=days,
        choices=DAYS,
        anchor=anchor,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, _: Reader, ws: Ws, story_id: int) -> HTMLResponse:
    with ws.store.engine.begin() as conn:  # may store a fresh summary
        story = views.story_detail(conn, story_id)
        timeline = views.story_timeline(conn, story_id)
    t = Translator(page_language(request))
    articles = [_with_times(a) for a in story["articles"]]
    return render(
        request,
        "story.html",
        story=_with_times(story),
        articles=articles,
        copies=_copies(articles),
        timeline=_timeline_chart(story_id, timeline, t),
        timeline_label=t(f"story.timeline_{timeline.bucket}"),
        outlets=_bars(story_id, "outlet", articles, t("story.by_outlet")),
        languages=_bars(story_id, "language", articles, t("story.by_language")),
        search=qs("/search", story=story_id, order="date"),
    )


def _with_times(item: dict[str, Any]) -> dict[str, Any]:
    """The API-shaped dict with its ISO times as datetimes, for the page's formats."""
    keys = ("first_at", "last_at", "published_at", "sort_time")
    return item | {k: datetime.fromisoformat(item[k]) if item.get(k) else None for k in keys if k in item}


def _timeline_chart(story_id: int, timeline: views.Series, t: Translator) -> Any:
    points = charts.period_points(
        timeline.periods, t, charts.search_link(story=story_id), bucket=timeline.bucket
    )
    return charts.columns(points, label=t(f"story.timeline_{timeline.bucket}"))


def _bars(story_id: int, field: str, articles: list[dict[str, Any]], label: str) -> Any:
    """Articles per outlet (or language), most first, each bar to that part of the story."""
    counts = Counter(a[field] for a in articles if a[field])
    points = [
        charts.Point(name, n, qs("/search", story=story_id, order="date", **{field: name}))
        for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return charts.bars(points, label=label)


def _copies(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each original that has copies in the story, with them (and their kind) under it, in time order."""
    by_id = {a["id"]: a for a in articles}
    groups: dict[int, list[dict[str, Any]]] = {}
    for article in articles:
        if article["dup_of"] is not None:
            groups.setdefault(article["dup_of"], []).append(article)
    return [
        {"id": original, "original": by_id.get(original), "copies": copies}
        for original, copies in groups.items()
    ]
