"""Charts as inline SVG, drawn on the server, where every point is a link.

No chart library and no script: each bar or point is an ``<a href>`` to the
articles behind it, with a ``<title>`` tooltip, so a chart works with the strict
Content-Security-Policy, in a printout, and for keyboard users. Every chart also
has an ``aria-label``. Labels and values are escaped.

Time charts are drawn from periods (anything with ``start``, ``last_day`` and
``articles``, as :class:`newsdesk.store.views.Period`): :func:`period_points` labels them
in the reader's language and links each to the search of its days. Colours are
presentation attributes, never ``style``: :func:`legend` draws its swatches as tiny SVGs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from html import escape
from typing import Any, Protocol
from urllib.parse import urlencode

from markupsafe import Markup

__all__ = [
    "PALETTE",
    "Point",
    "bars",
    "colour",
    "columns",
    "legend",
    "lines",
    "period_label",
    "period_points",
    "search_link",
    "sparkline",
]

LOCAL = timezone(timedelta(hours=7), "ICT")
"""The time zone of an hour's naive local start (Vietnam: UTC+7 all year)."""
PALETTE = ("#1f6fb2", "#d0612b", "#2f9e5b", "#8b5cb8", "#c23b5a", "#6b7b1f", "#1a9aa0", "#a0702a")


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    value: float
    href: str | None = None
    title: str | None = None


class _Period(Protocol):
    @property
    def start(self) -> date | datetime: ...
    @property
    def last_day(self) -> date: ...
    @property
    def articles(self) -> int: ...


def colour(index: int) -> str:
    """The colour of the ``index``-th series or bar."""
    return PALETTE[index % len(PALETTE)]


def period_points(
    periods: Sequence[_Period], t: Any, href: Callable[[Any], str | None], *, bucket: str = "day"
) -> list[Point]:
    """One point per period, labelled in the reader's language, linked to ``href(period)``.

    ``t`` is the page's translator (:class:`newsdesk.web.ui.i18n.Translator`); its message
    ``common.articles`` names the unit in the tooltips.
    """
    points = []
    for period in periods:
        label, long = period_label(period, t, bucket)
        title = f"{long}: {t.count(period.articles, 'common.article', 'common.articles')}"
        points.append(Point(label, period.articles, href(period), title))
    return points


def period_label(period: _Period, t: Any, bucket: str) -> tuple[str, str]:
    """A short tick label and a long tooltip label."""
    start = period.start
    if isinstance(start, datetime):
        hour = f"{start:%H}:00"
        return f"{t.date(start.date(), short=True)} {start:%H}h", f"{t.date(start.date())} {hour}"
    if bucket == "month":
        return f"{start:%m/%Y}", f"{start:%m/%Y}"
    if bucket == "week":
        return t.date(start, short=True), f"{t.date(start)} – {t.date(period.last_day)}"
    return t.date(start, short=True), t.date(start)


def search_link(**params: object) -> Callable[[Any], str]:
    """An ``href`` for :func:`period_points`: the search (newest first) of ``params`` in a period.

    A day, week or month searches its local days (``date_from=2026-11-16&date_to=2026-11-22``);
    an hour searches that hour, as local times with their offset (``…T09:00:00+07:00``).
    """
    kept = {k: v for k, v in params.items() if v not in (None, "")}

    def href(period: _Period) -> str:
        start = period.start
        if isinstance(start, datetime):
            first = start.replace(tzinfo=start.tzinfo or LOCAL)
            bounds = {
                "date_from": first.isoformat(),
                "date_to": (first + timedelta(hours=1, microseconds=-1)).isoformat(),
            }
        else:
            bounds = {"date_from": start.isoformat(), "date_to": period.last_day.isoformat()}
        return "/search?" + urlencode({**kept, **bounds, "order": "date"})

    return href


def legend(names: Sequence[tuple[str, str | None]]) -> Markup:
    """A list of series names (each optionally a link) with their line's colour."""
    items = []
    for index, (name, href) in enumerate(names):
        swatch = (
            f'<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
            f'<rect width="12" height="12" rx="2" fill="{colour(index)}"/></svg>'
        )
        text = f'<a href="{escape(href)}">{escape(name)}</a>' if href else escape(name)
        items.append(f"<li>{swatch} {text}</li>")
    return Markup(f'<ul class="legend">{"".join(items)}</ul>')


def _link(inner: str, point: Point) -> str:
    tip = f"<title>{escape(point.title or f'{point.label}: {point.value:g}')}</title>"
    if not point.href:
        return f"<g>{tip}{inner}</g>"
    return f'<a href="{escape(point.href)}" class="chart-link">{tip}{inner}</a>'


def sparkline(
    values: Sequence[float],
    *,
    width: int = 120,
    height: int = 24,
    label: str = "",
    links: Sequence[Point] | None = None,
) -> Markup:
    """A small trend line: the shape of a story's or a source's volume.

    With ``links`` (one :class:`Point` per value), each period is also a transparent band that
    links to the articles of that period, with its tooltip — every point opens what is behind it.
    """
    if not values:
        return Markup("")
    top = max(max(values), 1)
    step = width / max(len(values) - 1, 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    bands = ""
    if links:
        band = width / len(links)
        bands = "".join(
            _link(
                f'<rect x="{i * band:.1f}" y="0" width="{band:.1f}" height="{height}" fill="transparent"/>', p
            )
            for i, p in enumerate(links)
            if p.value
        )
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}"><polyline points="{coords}" fill="none" '
        f'stroke="{PALETTE[0]}" stroke-width="1.5"/>{bands}</svg>'
    )


def columns(points: Sequence[Point], *, width: int = 640, height: int = 180, label: str = "") -> Markup:
    """Vertical bars over time (articles per day …), each bar a link."""
    if not points:
        return Markup("")
    top = max(max(p.value for p in points), 1)
    pad, base = 28, height - 22
    slot = (width - pad) / len(points)
    bar = max(slot * 0.8, 1)
    parts = [_axis(top, pad, base, width)]
    for i, point in enumerate(points):
        h = (point.value / top) * (base - 8)
        x = pad + i * slot + (slot - bar) / 2
        rect = (
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{max(h, 0.5):.1f}" '
            f'fill="{PALETTE[0]}" data-value="{point.value:g}"/>'
        )
        parts.append(_link(rect, point))
    parts.extend(_ticks([p.label for p in points], pad, slot, height))
    return _svg(parts, width, height, label)


def bars(points: Sequence[Point], *, width: int = 420, label: str = "") -> Markup:
    """Horizontal bars with labels (outlets, languages), each bar a link."""
    if not points:
        return Markup("")
    top = max(max(p.value for p in points), 1)
    row, text_w = 22, 150
    height = row * len(points) + 4
    parts = []
    for i, point in enumerate(points):
        y = i * row + 2
        w = (point.value / top) * (width - text_w - 50)
        inner = (
            f'<text x="{text_w - 6}" y="{y + 15}" text-anchor="end" class="lbl">'
            f"{escape(_clip(point.label, 22))}</text>"
            f'<rect x="{text_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row - 6}" '
            f'fill="{colour(i)}" data-value="{point.value:g}"/>'
            f'<text x="{text_w + w + 4:.1f}" y="{y + 15}" class="val">{point.value:g}</text>'
        )
        parts.append(_link(inner, point))
    return _svg(parts, width, height, label)


def lines(
    series: Sequence[tuple[str, Sequence[Point]]],
    *,
    width: int = 720,
    height: int = 220,
    label: str = "",
) -> Markup:
    """Several lines over the same buckets (themes' attention), every point a link."""
    series = [(name, pts) for name, pts in series if pts]
    if not series:
        return Markup("")
    top = max(max(p.value for _, pts in series for p in pts), 1e-9)
    pad, base = 36, height - 22
    count = max(len(pts) for _, pts in series)
    slot = (width - pad - 8) / max(count - 1, 1)
    parts = [_axis(top, pad, base, width)]
    for index, (name, pts) in enumerate(series):
        stroke = colour(index)
        xy = [(pad + i * slot, base - (p.value / top) * (base - 8)) for i, p in enumerate(pts)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{stroke}" stroke-width="2">'
            f"<title>{escape(name)}</title></polyline>"
        )
        for (x, y), point in zip(xy, pts, strict=True):
            dot = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{stroke}" data-value="{point.value:g}"/>'
            parts.append(_link(dot, point))
    parts.extend(_ticks([p.label for p in series[0][1]], pad - slot / 2, slot, height))
    return _svg(parts, width, height, label)


def _axis(top: float, pad: int, base: float, width: int) -> str:
    return (
        f'<line x1="{pad}" y1="{base}" x2="{width}" y2="{base}" class="axis" stroke="#9aa5b1"/>'
        f'<text x="{pad - 4}" y="12" text-anchor="end" class="val">{_short(top)}</text>'
        f'<text x="{pad - 4}" y="{base}" text-anchor="end" class="val">0</text>'
    )


_TICK_CHAR_WIDTH = 5.6
"""Approximate width of one character of a 10px tick label, in chart units."""


def _ticks(labels: Sequence[str], pad: float, slot: float, height: int) -> list[str]:
    """Labels under the bars, thinned so that no two overlap (and never more than eight)."""
    widest = max((len(text) for text in labels), default=1) * _TICK_CHAR_WIDTH + 6
    every = max(1, len(labels) // 8, math.ceil(widest / max(slot, 1e-9)))
    return [
        f'<text x="{pad + i * slot + slot / 2:.1f}" y="{height - 6}" text-anchor="middle" class="tick">'
        f"{escape(text)}</text>"
        for i, text in enumerate(labels)
        if i % every == 0
    ]


def _svg(parts: list[str], width: int, height: int, label: str) -> Markup:
    return Markup(
        f'<svg class="chart" width="100%" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-label="{escape(label)}">{"".join(parts)}</svg>'
    )


def _short(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.2g}"


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
