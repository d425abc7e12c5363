"""Themes: attention over time for all themes (``/themes``) and one theme (``/themes/{id}``).

The overview draws one line per top-level theme — the eight with most articles in the
period, one colour each (the palette's size) — and lists every theme with its articles and
its share of all articles in a table, so nothing is hidden by the chart's cut. Every point
leads to the search of that theme in that period (``/search?theme=ID&date_from=…``).

The period (30 or 90 days, a year, everything) ends at the newest article, as *Today*
does, so an imported archive shows its own last months. Without an explicit bucket the
page picks one that keeps a chart readable: days up to 45 days, weeks up to 400,
months beyond; an explicit one that would draw more than 120 periods is coarsened. The counts come from
:func:`newsdesk.store.views.themes_attention`: three grouped queries for all themes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.engine import Connection

from newsdesk.analyze.themes import Taxonomy, load_taxonomy
from newsdesk.errors import NotFound
from newsdesk.store import views
from newsdesk.web.deps import Reader, Ws
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router"]

router = APIRouter()
PERIODS = (30, 90, 365, 0)
BUCKETS = ("day", "week", "month")
LINES = len(charts.PALETTE)
MAX_POINTS = 120
"""Periods a chart draws at most (four months of days): beyond, the page counts by week or month."""
Period = Annotated[int, Query(ge=0, le=36500, description="days up to the newest article; 0: all")]
Bucket = Literal["day", "week", "month"] | None


@router.get("/themes", response_class=HTMLResponse)
def themes_page(
    request: Request, _: Reader, ws: Ws, period: Period = 90, bucket: Bucket = None
) -> HTMLResponse:
    chosen: Any = bucket or _default_bucket(period)
    with ws.store.engine.connect() as conn:
        since, until = _window(conn, period)
        attention = _attention(conn, chosen, since, until)
    t = Translator(page_language(request))
    taxonomy = load_taxonomy()
    top = [theme.id for theme in taxonomy if theme.parent is None and attention.total(theme.id)]
    top = sorted(top, key=lambda theme_id: -attention.total(theme_id))[:LINES]
    return render(
        request,
        "themes.html",
        **_common(attention, period, attention.bucket, bucket),
        chart=_chart(attention, top, taxonomy, t, since, until),
        legend=_legend(top, taxonomy, t, period, bucket),
        legend_count=len(top),
        rows=_rows(attention, taxonomy, t, since, until),
    )


@router.get("/themes/{theme_id}", response_class=HTMLResponse)
def theme_page(
    request: Request, _: Reader, ws: Ws, theme_id: str, period: Period = 90, bucket: Bucket = None
) -> HTMLResponse:
    taxonomy = load_taxonomy()
    if theme_id not in taxonomy:
        raise NotFound(f"theme {theme_id!r} not found")
    chosen: Any = bucket or _default_bucket(period)
    with ws.store.engine.connect() as conn:
        since, until = _window(conn, period)
        attention = _attention(conn, chosen, since, until, theme=theme_id)
        overview = views.theme_overview(conn, theme_id, since, until)
    t = Translator(page_language(request))
    shown = [theme_id, *[c for c in taxonomy.children(theme_id) if attention.total(c)]][:LINES]
    theme = taxonomy[theme_id]
    return render(
        request,
        "theme.html",
        **_common(attention, period, attention.bucket, bucket),
        theme=theme,
        label=theme.label(t.lang),
        parent=taxonomy[theme.parent] if theme.parent else None,
        chart=_chart(attention, shown, taxonomy, t, since, until),
        legend=_legend(shown, taxonomy, t, period, bucket),
        rows=[r for r in _rows(attention, taxonomy, t, since, until) if r["id"] in shown[1:]],
        articles=attention.total(theme_id),
        share=attention.total(theme_id) / max(sum(p.articles for p in attention.periods), 1),
        overview=overview,
        search=_search(theme_id, since, until),
    )


def _default_bucket(period: int) -> str:
    """Days for a month, weeks up to about a year, months beyond."""
    return "month" if not period or period > 400 else "week" if period > 45 else "day"


def _attention(
    conn: Connection, bucket: Any, since: datetime | None, until: datetime | None, theme: str | None = None
) -> views.Attention:
    """The attention series, in a coarser bucket when the chosen one would draw too many points."""
    fitted = views.fit_bucket(conn, bucket, since, until, MAX_POINTS)
    return views.themes_attention(conn, fitted, since, until, theme=theme)


def _window(conn: Connection, period: int) -> tuple[datetime | None, datetime | None]:
    """``period`` local days ending with the newest article's day (``None`` bounds for all time)."""
    if not period:
        return None, None
    anchor = views.latest_time(conn) or datetime.now(UTC)
    first = views.local_date(anchor) - timedelta(days=period - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC) - views.LOCAL_OFFSET
    return since, anchor


def _local_day(moment: datetime | None) -> str:
    return views.local_date(moment).isoformat() if moment else ""


def _search(theme_id: str, since: datetime | None, until: datetime | None) -> str:
    return qs("/search", theme=theme_id, date_from=_local_day(since), date_to=_local_day(until), order="date")


def _common(attention: views.Attention, period: int, bucket: str, explicit: str | None) -> dict[str, Any]:
    return {
        "period": period,
        "periods": PERIODS,
        "bucket": bucket,
        "bucket_param": explicit,
        "buckets": BUCKETS,
        "first_day": attention.periods[0].first_day if attention.periods else None,
        "last_day": attention.periods[-1].last_day if attention.periods else None,
        "total": sum(p.articles for p in attention.periods),
    }


def _chart(
    attention: views.Attention,
    theme_ids: list[str],
    taxonomy: Taxonomy,
    t: Translator,
    since: datetime | None,
    until: datetime | None,
) -> Any:
    series = []
    for theme_id in theme_ids:
        label = taxonomy[theme_id].label(t.lang)
        counts = attention.series.get(theme_id, [0] * len(attention.periods))
        points = []
        for period, n, share in zip(attention.periods, counts, attention.shares(theme_id), strict=True):
            tick, long = charts.period_label(period, t, attention.bucket)
            first, last = _clamp(period.first_day, period.last_day, since, until)
            href = qs("/search", theme=theme_id, date_from=first, date_to=last, order="date")
            count = t.count(n, "common.article", "common.articles")
            title = f"{label} · {long}: {count} ({t.percent(share)})"
            points.append(charts.Point(tick, n, href, title))
        series.append((label, points))
    return charts.lines(series, label=t("themes.attention"))


def _clamp(first: date, last: date, since: datetime | None, until: datetime | None) -> tuple[str, str]:
    """A period's days cut to the page's window (a week or month may start before it)."""
    low, high = _local_day(since), _local_day(until)
    return max(first.isoformat(), low) if low else first.isoformat(), min(last.isoformat(), high or "9999")


def _legend(theme_ids: list[str], taxonomy: Taxonomy, t: Translator, period: int, bucket: str | None) -> Any:
    return charts.legend(
        [(taxonomy[i].label(t.lang), qs(f"/themes/{i}", period=period, bucket=bucket)) for i in theme_ids]
    )


def _rows(
    attention: views.Attention,
    taxonomy: Taxonomy,
    t: Translator,
    since: datetime | None,
    until: datetime | None,
) -> list[dict[str, Any]]:
    """Every theme in taxonomy order (subthemes after their parent) with its period's numbers."""
    total = max(sum(p.articles for p in attention.periods), 1)
    return [
        {
            "id": theme.id,
            "label": theme.label(t.lang),
            "parent": theme.parent,
            "articles": attention.total(theme.id),
            "share": attention.total(theme.id) / total,
            "trend": attention.series.get(theme.id, []),
            "search": _search(theme.id, since, until),
        }
        for theme in taxonomy
    ]
