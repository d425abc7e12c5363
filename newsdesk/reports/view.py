"""What a report document shows: its figures with names, absolute links and charts.

The document is read outside the workspace (a PDF sent by mail, an HTML file on a share),
so every link is absolute, built on ``settings.reports.base_url``:

* a figure → ``{base}/reports/{id}/figure/{name}?key=…``, the workspace page listing the
  publications and articles the report counted (from the report's saved figures);
* a publication → ``{base}/publications/{id}``; an article → ``{base}/articles/{id}``.

Charts are :mod:`newsdesk.web.ui.charts` SVG, each bar linking to its figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from sqlalchemy import Connection, select

from newsdesk.measure.kpis import LOCAL, Figure, Kpis
from newsdesk.store.tables import ArticleRow, PickupRow, PublicationRow, UnitRow
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator

__all__ = ["ReportView", "build_view"]

_TOP_ARTICLES = 20
_BARS = 15
_SHORT_DELAYS = {"under_1h": "<1h", "1_6h": "1–6h", "6_24h": "6–24h", "1_3d": "1–3d", "over_3d": ">3d"}
"""Tick labels of the delay chart (the tables say them in full)."""


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class ReportView:
    """One report as its template reads it."""

    id: int
    kind: str
    kpis: Kpis
    lang: str
    base: str
    created_at: datetime
    unit_names: dict[str, str] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    pickups: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """Per top publication (source id): its pickups, with the article's outlet, title and date."""

    @property
    def t(self) -> Translator:
        return Translator(self.lang)

    # -- links -----------------------------------------------------------------------------
    def figure_href(self, name: str, key: str | None = None) -> str:
        query = f"?key={quote(key, safe='')}" if key is not None else ""
        return f"{self.base}/reports/{self.id}/figure/{name}{query}"

    def publication_href(self, publication_id: int) -> str:
        return f"{self.base}/publications/{publication_id}"

    def article_href(self, article_id: int) -> str:
        return f"{self.base}/articles/{article_id}"

    # -- words -----------------------------------------------------------------------------
    @property
    def unit_name(self) -> str:
        unit = self.kpis.scope.unit
        return self.unit_names.get(unit, unit) if unit else self.t("report.all_units")

    @property
    def title(self) -> str:
        return f"{self.t('report.title.' + self.kind)} · {self.unit_name}"

    @property
    def period(self) -> str:
        scope = self.kpis.scope
        return f"{self.t.date(scope.first)} – {self.t.date(scope.last)}"

    def key_label(self, name: str, figure: Figure) -> str:
        """A breakdown entry's name in the reader's language."""
        if name == "delays":
            return self.t(f"report.delay.{figure.key}")
        if name == "kinds":
            return self.t(f"report.kind.{figure.key}")
        if name == "output":
            return self.t(f"report.status.{figure.key}")
        if name == "units":
            return self.unit_names.get(figure.key, figure.key)
        if name == "weeks":
            return self.t("report.week_of", date=self.t.date(datetime.fromisoformat(figure.key).date()))
        if name == "top":
            return figure.label
        return figure.key

    # -- charts ----------------------------------------------------------------------------
    def _points(self, name: str, figures: Sequence[Figure], short: bool = False) -> list[charts.Point]:
        points = []
        for figure in figures:
            label = self.key_label(name, figure)
            if short and name == "weeks":
                label = self.t.date(datetime.fromisoformat(figure.key).date(), short=True)
            elif short and name == "delays":
                label = _SHORT_DELAYS.get(figure.key, figure.key)
            title = f"{self.key_label(name, figure)}: {self.t.number(figure.value)}"
            points.append(charts.Point(label, figure.value or 0, self.figure_href(name, figure.key), title))
        return points

    def charts(self) -> dict[str, Markup]:
        k, t = self.kpis, self.t
        drawn = {
            "weeks": charts.columns(self._points("weeks", k.weeks, short=True), label=t("report.weeks")),
            "pickup_languages": charts.bars(
                self._points("pickup_languages", k.pickup_languages), label=t("report.pickup_languages")
            ),
            "outlets": charts.bars(self._points("outlets", k.outlets[:_BARS]), label=t("report.outlets")),
            "delays": charts.columns(self._points("delays", k.delays, short=True), label=t("report.delays")),
        }
        if k.units:
            drawn["units"] = charts.bars(self._points("units", k.units[:_BARS]), label=t("report.units"))
        return drawn


def build_view(
    conn: Connection, report_id: int, kind: str, kpis: Kpis, *, lang: str, base: str, created_at: datetime
) -> ReportView:
    """The view of a report, with the names and pickup details it shows read from the database."""
    column = UnitRow.name_vi if lang == "vi" else UnitRow.name_en
    units = {code: name for code, name in conn.execute(select(UnitRow.code, column))}
    top_ids = [int(f.key) for f in kpis.top]
    titles: dict[int, str] = {}
    if top_ids:
        rows = conn.execute(
            select(PublicationRow.id, PublicationRow.title).where(PublicationRow.id.in_(top_ids))
        )
        titles = {int(i): title for i, title in rows}
    return ReportView(
        report_id,
        kind,
        kpis,
        lang,
        base.rstrip("/"),
        created_at,
        units,
        titles,
        _top_pickups(conn, kpis.top),
    )


def _top_pickups(conn: Connection, top: Sequence[Figure]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    k, a = PickupRow, ArticleRow
    for figure in top:
        family = int(figure.key)
        ids = list(figure.articles)
        rows = conn.execute(
            select(a.id, a.title, a.outlet, a.published_at, k.kind, k.delay_hours)
            .join(k, k.article_id == a.id)
            .where(k.publication_id == family, a.id.in_(ids))
        ).all()
        items = [
            {
                "id": int(r.id),
                "title": r.title,
                "outlet": r.outlet or "",
                "published_at": (_aware(r.published_at) or datetime.now(UTC)).astimezone(LOCAL)
                if r.published_at
                else None,
                "kind": r.kind,
                "delay": r.delay_hours,
            }
            for r in rows
        ]
        items.sort(key=lambda item: (item["delay"] is None, item["delay"] or 0.0, item["id"]))
        found[family] = items[:_TOP_ARTICLES]
    return found
