"""The *Today* view: the stories that matter now, by outlets and growth.

A window (24 hours or 7 days) ends at an *anchor*: now, or — when the archive has
nothing that recent (an imported archive, a quiet night) — the newest article's time,
so the page always shows the latest period there is and says which. For each story
with articles in the window: articles, distinct outlets, languages, the articles of
the window before (growth) and the articles per hour (24 h) or per day (7 days) for a
sparkline. Ordered by outlets, then articles, then growth.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from newsdesk.store.tables import ArticleRow, StoryRow

__all__ = ["TodayStory", "TodayView", "today"]

WINDOWS = {"24h": (timedelta(hours=24), timedelta(hours=1)), "7d": (timedelta(days=7), timedelta(days=1))}


@dataclass
class TodayStory:
    id: int
    title: str
    articles: int
    outlets: int
    languages: list[str]
    previous: int
    buckets: list[int]
    first_at: datetime | None
    last_at: datetime | None

    @property
    def growth(self) -> float | None:
        """Articles in this window over the window before (None when it is new)."""
        return self.articles / self.previous if self.previous else None


@dataclass
class TodayView:
    window: str
    start: datetime
    end: datetime
    anchored_on_latest: bool
    stories: list[TodayStory] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _anchor(conn: Connection, now: datetime, span: timedelta) -> tuple[datetime, bool]:
    recent = conn.execute(
        select(ArticleRow.id).where(ArticleRow.sort_time > now - span, ArticleRow.sort_time <= now).limit(1)
    ).first()
    if recent is not None:
        return now, False
    latest = conn.execute(select(func.max(ArticleRow.sort_time)).where(ArticleRow.sort_time <= now)).scalar()
    return (_aware(latest), True) if latest is not None else (now, False)


def today(
    conn: Connection, window: str = "24h", *, now: datetime | None = None, limit: int = 20
) -> TodayView:
    span, step = WINDOWS[window]
    anchor, latest = _anchor(conn, now or datetime.now(UTC), span)
    start = anchor - span
    view = TodayView(window, start, anchor, latest)
    a = ArticleRow
    in_window = (a.sort_time > start, a.sort_time <= anchor)
    ranked = conn.execute(
        select(
            a.story_id,
            func.count().label("n"),
            func.count(func.distinct(a.outlet)).label("outlets"),
        )
        .where(*in_window, a.story_id.is_not(None))
        .group_by(a.story_id)
        .order_by(func.count(func.distinct(a.outlet)).desc(), func.count().desc(), a.story_id.desc())
        .limit(limit)
    ).all()
    totals = conn.execute(
        select(
            func.count(), func.count(func.distinct(a.outlet)), func.count(func.distinct(a.story_id))
        ).where(*in_window)
    ).one()
    view.totals = {"articles": totals[0], "outlets": totals[1], "stories": totals[2]}
    if not ranked:
        return view
    ids = [r.story_id for r in ranked]
    buckets, languages = _buckets(conn, ids, start, anchor, step)
    previous = dict(
        conn.execute(
            select(a.story_id, func.count())
            .where(a.story_id.in_(ids), a.sort_time > start - span, a.sort_time <= start)
            .group_by(a.story_id)
        ).all()
    )
    titles = {r.id: r for r in conn.execute(select(StoryRow).where(StoryRow.id.in_(ids)))}
    for r in ranked:
        story = titles.get(r.story_id)
        view.stories.append(
            TodayStory(
                id=r.story_id,
                title=story.title if story else "",
                articles=r.n,
                outlets=r.outlets,
                languages=sorted(languages[r.story_id]),
                previous=int(previous.get(r.story_id, 0)),
                buckets=buckets[r.story_id],
                first_at=story.first_at if story else None,
                last_at=story.last_at if story else None,
            )
        )
    return view


def _buckets(
    conn: Connection, ids: list[int], start: datetime, end: datetime, step: timedelta
) -> tuple[dict[int, list[int]], dict[int, set[str]]]:
    size = round((end - start) / step)
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    languages: dict[int, set[str]] = defaultdict(set)
    a = ArticleRow
    rows = conn.execute(
        select(a.story_id, a.sort_time, a.language).where(
            a.story_id.in_(ids), a.sort_time > start, a.sort_time <= end
        )
    )
    for story_id, moment, language in rows:
        if story_id is None:
            continue
        index = min(int((_aware(moment) - start) / step), size - 1)
        counts[story_id][index] += 1
        if language:
            languages[story_id].add(language)
    return counts, languages
