"""Server-side SVG charts: every point a link, labels escaped, periods labelled and linked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import pytest
from markupsafe import Markup

from newsdesk.store.views import Period
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator

POINTS = [
    charts.Point("20/11", 3, "/search?story=1&date_from=2026-11-20", "20/11: 3"),
    charts.Point("<b>21/11</b>", 0, None, None),
]


@pytest.mark.parametrize("draw", [charts.columns, charts.bars])
def test_every_point_is_a_link_with_a_tooltip(draw: Callable[..., Markup]) -> None:
    svg = str(draw(POINTS, label='Bài "theo" ngày'))
    assert svg.startswith('<svg class="chart"') and 'aria-label="Bài &quot;theo&quot; ngày"' in svg
    assert re.findall(r'<a href="([^"]+)"', svg) == ["/search?story=1&amp;date_from=2026-11-20"]
    assert "<title>20/11: 3</title>" in svg and "<title>&lt;b&gt;21/11&lt;/b&gt;: 0</title>" in svg
    assert "<b>" not in svg and 'data-value="3"' in svg


def test_lines_draw_one_polyline_per_series_and_link_each_point() -> None:
    svg = str(charts.lines([("A", POINTS), ("B", POINTS[:1]), ("empty", [])], label="x"))
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 3
    assert svg.count('class="chart-link"') == 2
    assert f'stroke="{charts.colour(1)}"' in svg


@pytest.mark.parametrize("draw", [charts.columns, charts.bars])
def test_nothing_to_draw(draw: Callable[..., Markup]) -> None:
    assert str(draw([])) == "" and str(charts.lines([])) == "" and str(charts.sparkline([])) == ""


def test_legend_swatches_use_attributes_not_styles() -> None:
    html = str(charts.legend([("Ngoại giao", "/themes/diplomacy"), ("<x>", None)]))
    assert "style=" not in html and f'fill="{charts.colour(0)}"' in html
    assert '<a href="/themes/diplomacy">Ngoại giao</a>' in html and "&lt;x&gt;" in html


@pytest.mark.parametrize(
    ("period", "bucket", "vi", "en", "href"),
    [
        (
            Period(datetime(2026, 11, 20, 9), date(2026, 11, 20), 2),
            "hour",
            ("20/11 09h", "20/11/2026 09:00: 2 bài"),
            ("Nov 20 09h", "Nov 20, 2026 09:00: 2 articles"),
            "date_from=2026-11-20T09%3A00%3A00%2B07%3A00&date_to=2026-11-20T09%3A59%3A59.999999%2B07%3A00",
        ),
        (
            Period(date(2026, 11, 20), date(2026, 11, 20), 1234),
            "day",
            ("20/11", "20/11/2026: 1.234 bài"),
            ("Nov 20", "Nov 20, 2026: 1,234 articles"),
            "date_from=2026-11-20&date_to=2026-11-20",
        ),
        (
            Period(date(2026, 11, 16), date(2026, 11, 22), 5),
            "week",
            ("16/11", "16/11/2026 – 22/11/2026: 5 bài"),
            ("Nov 16", "Nov 16, 2026 – Nov 22, 2026: 5 articles"),
            "date_from=2026-11-16&date_to=2026-11-22",
        ),
        (
            Period(date(2026, 11, 1), date(2026, 11, 30), 7),
            "month",
            ("11/2026", "11/2026: 7 bài"),
            ("11/2026", "11/2026: 7 articles"),
            "date_from=2026-11-01&date_to=2026-11-30",
        ),
    ],
)
def test_period_points_are_labelled_and_linked(
    period: Period, bucket: str, vi: tuple[str, str], en: tuple[str, str], href: str
) -> None:
    link = charts.search_link(entity=7, outlet="")
    for lang, (label, title) in (("vi", vi), ("en", en)):
        [point] = charts.period_points([period], Translator(lang), link, bucket=bucket)
        assert (point.label, point.title, point.value) == (label, title, period.articles)
        assert point.href == f"/search?entity=7&{href}&order=date"
