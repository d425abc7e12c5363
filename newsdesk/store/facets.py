"""Facet counts of a search and the country an article is counted under.

**Counts in one statement.** A facet page shows, for the articles a search matches,
how many there are per language, outlet, country, theme, entity, cited document and
day. The match set (the full-text match plus the filters) is computed *once*, as a
materialized CTE of article ids with the small columns the counts need, and every
facet is a ``GROUP BY`` over it, the results glued with ``UNION ALL`` into one
statement: one round trip, one FTS evaluation, on SQLite and PostgreSQL alike (both
honour ``AS MATERIALIZED``). Entities and documents, which can be many, are cut to
the top N inside the statement. Rejected: one statement per facet (the match runs
seven times), and counting in Python (thousands of rows cross the driver).

On SQLite, columns added to ``articles`` by later migrations sit after the body on
disk, so ``country`` is read through its index (scanning ``ix_articles_country`` and
probing the match set) rather than by row, which would walk each long body.

**Days in Vietnam.** The histogram counts per calendar day in Vietnam (UTC+7, no
daylight saving; :data:`newsdesk.store.search.LOCAL_TIME`), the same day a date
filter means, so a bar's link finds exactly the bar's articles. :func:`histogram`
rolls days up into months (or years) when the span is long and fills empty periods.

**Country.** ``articles.country`` (ISO 3166-1 alpha-2) is the registered source's
country when the article came from one, else read from the URL's country-code
top-level domain (``.vn`` → VN, ``.uk`` → GB, ``.org.la`` → LA). The table of codes
is Babel's (CLDR) list of territories, less the codes that are not countries (EU,
UN, …). Generic domains (``.com``, ``.org``) and the country domains sold as generic
ones (``.io``, ``.tv``, ``.co`` …) give no country, unless under a national
second-level domain (``.com.co`` is Colombia).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import TextClause, bindparam, select, text
from sqlalchemy.engine import Connection

from newsdesk.store.tables import DocumentRow, EntityRow

__all__ = [
    "Bucket",
    "Count",
    "Facets",
    "article_country",
    "count_facets",
    "country_of_url",
    "histogram",
]

FACETS = ("language", "outlet", "country", "theme", "entity", "document")
Unit = Literal["day", "month", "year"]

# Territory codes CLDR lists that are not ISO 3166-1 countries (or not on their own).
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
_TLD_EXCEPTIONS = {"uk": "GB", "tp": "TL"}
# Country domains mostly sold as generic ones: a country only under a national second level.
_GENERIC_USE = frozenset({"ai", "cc", "co", "fm", "gg", "io", "la", "ly", "me", "nu", "tk", "to", "tv", "ws"})
_NATIONAL_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "go", "gob", "gouv", "gov", "info", "mil", "ne", "net", "nic", "or", "org"}
)


@cache
def _countries() -> frozenset[str]:
    from babel import Locale

    codes = {str(code) for code in Locale("en").territories if len(str(code)) == 2 and str(code).isalpha()}
    return frozenset(codes - _NOT_COUNTRIES)


def country_of_url(url: str | None) -> str | None:
    """The country of a URL's country-code domain (``https://nhandan.vn/…`` → ``"VN"``), else None."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return None
    labels = host.split(".")
    if len(labels) < 2 or not labels[-1].isalpha():
        return None
    tld = labels[-1]
    if tld in _GENERIC_USE and not (len(labels) >= 3 and labels[-2] in _NATIONAL_SECOND_LEVEL):
        return None
    code = _TLD_EXCEPTIONS.get(tld, tld.upper())
    return code if code in _countries() else None


def article_country(source_country: str | None, url: str | None) -> str | None:
    """The source's country when it names one, else the URL's."""
    code = (source_country or "").strip().upper()
    if code in _countries():
        return code
    return country_of_url(url)


# --- counts ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Count:
    """One value of a facet: ``value`` is what the URL filter takes (an id for entities)."""

    value: str
    count: int
    label: str = ""
    """A display name where the value is an id: the entity's name, the document's title."""
    kind: str = ""
    """The entity's kind (person, organisation, place); empty for other facets."""


@dataclass(slots=True)
class Facets:
    total: int = 0
    language: list[Count] = field(default_factory=list)
    outlet: list[Count] = field(default_factory=list)
    country: list[Count] = field(default_factory=list)
    theme: list[Count] = field(default_factory=list)
    entity: list[Count] = field(default_factory=list)
    document: list[Count] = field(default_factory=list)
    days: list[tuple[date, int]] = field(default_factory=list)
    """Articles per day in Vietnam, in day order, days without articles left out."""
    names: dict[str, str] = field(default_factory=dict)
    """Display names of the entities and documents counted or filtered on: ``{"entity:8": "Hà Nội"}``."""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"total": self.total}
        for name in FACETS:
            data[name] = [asdict(c) for c in getattr(self, name)]
        data["dates"] = [
            asdict(b) | {"start": b.start.isoformat(), "end": b.end.isoformat()} for b in histogram(self.days)
        ]
        return data


def _day_sql(column: str, sqlite: bool) -> str:
    if sqlite:  # sort_time is stored as UTC text: "2026-11-01 17:05:00.000000"
        return f"date({column}, '+7 hours')"
    return f"to_char({column} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')"


def _top(facet: str, key: str, source: str) -> str:
    """The ``:top`` most frequent values of one facet, ties broken by value (stable pages)."""
    return (
        f"SELECT * FROM (SELECT '{facet}' AS facet, CAST({key} AS TEXT) AS value, count(*) AS n "
        f"FROM {source} GROUP BY {key} ORDER BY n DESC, {key} LIMIT :top) {facet}_top"
    )


def _linked(table: str, alias: str, sqlite: bool) -> str:
    """The rows of a link table whose article is in the match set, read by primary key
    (article id first) from the match set outwards: SQLite's ``CROSS JOIN`` keeps that
    order, PostgreSQL plans the ``IN`` as a semi-join over index-only scans. Plain joins
    made both scan and hash the whole link table."""
    if sqlite:
        return f"m CROSS JOIN {table} {alias} ON {alias}.article_id = m.id"
    return f"{table} {alias} WHERE {alias}.article_id IN (SELECT id FROM m)"


def _matched_parts(sqlite: bool) -> list[str]:
    # Columns added after the body are read through their index on SQLite (module docstring).
    hint = "INDEXED BY ix_articles_country " if sqlite else ""
    return [
        "SELECT 'total', CAST(NULL AS TEXT), count(*) FROM m",
        "SELECT 'language', m.language, count(*) FROM m WHERE m.language IS NOT NULL GROUP BY m.language",
        _top("outlet", "m.outlet", "m WHERE m.outlet IS NOT NULL"),
        f"SELECT 'country', c.country, count(*) FROM articles c {hint}"
        "WHERE c.country IS NOT NULL AND c.id IN (SELECT id FROM m) GROUP BY c.country",
        _top("theme", "t.theme_id", _linked("article_themes", "t", sqlite)),
        _top("entity", "e.entity_id", _linked("article_entities", "e", sqlite)),
        _top("document", "d.document_id", _linked("article_documents", "d", sqlite)),
        f"SELECT 'day', {_day_sql('m.sort_time', sqlite)}, count(*) FROM m GROUP BY 2",
    ]


def _everything_parts(sqlite: bool) -> list[str]:
    """Nothing narrows the set: every count comes from an index alone, no article row is read."""
    return [
        "SELECT 'total', CAST(NULL AS TEXT), count(*) FROM articles",
        "SELECT 'language', language, count(*) FROM articles WHERE language IS NOT NULL GROUP BY language",
        _top("outlet", "outlet", "articles WHERE outlet IS NOT NULL"),
        "SELECT 'country', country, count(*) FROM articles WHERE country IS NOT NULL GROUP BY country",
        _top("theme", "theme_id", "article_themes"),
        _top("entity", "entity_id", "article_entities"),
        _top("document", "document_id", "article_documents"),
        f"SELECT 'day', {_day_sql('sort_time', sqlite)}, count(*) FROM articles GROUP BY 2",
    ]


def facet_sql(condition: str | None, sqlite: bool) -> str:
    """The one statement counting every facet of the articles ``a`` matching ``condition``
    (``None``: of every article)."""
    if condition is None:
        return " UNION ALL ".join(_everything_parts(sqlite))
    match = (
        "WITH m AS MATERIALIZED (SELECT a.id, a.language, a.outlet, a.sort_time "
        f"FROM articles a WHERE {condition}) "
    )
    return match + " UNION ALL ".join(_matched_parts(sqlite))


def count_facets(
    conn: Connection,
    condition: str | None,
    params: dict[str, Any],
    *,
    top: int = 15,
    typed: Callable[[TextClause, dict[str, Any]], TextClause] | None = None,
    named: dict[str, Any] | None = None,
) -> Facets:
    """Every facet of the articles ``a`` matching the SQL ``condition`` (see the module docstring).

    ``typed`` binds parameters with their column types (the store's date handling);
    ``named`` asks for the names of an entity or document a filter is set to, so the
    page can name it even when it is not among the counts (``{"entity": 8}``).
    """
    stmt = text(facet_sql(condition, conn.dialect.name == "sqlite"))
    if typed is not None:
        stmt = typed(stmt, params)
    facets = Facets()
    for facet, value, n in conn.execute(stmt, params | {"top": top}):
        _add(facets, facet, value, int(n))
    facets.days.sort()
    for name in FACETS:  # the same order on both backends, whatever their collations
        setattr(facets, name, _sorted(getattr(facets, name)))
    named = {k: v for k, v in (named or {}).items() if v is not None}
    _label_entities(conn, facets, named.get("entity"))
    _label_documents(conn, facets, named.get("document"))
    return facets


def _add(facets: Facets, facet: str, value: Any, n: int) -> None:
    if facet == "total":
        facets.total = n
    elif facet == "day":
        facets.days.append((date.fromisoformat(str(value)), n))
    elif value is not None:
        getattr(facets, facet).append(Count(str(value), n))


def _sorted(counts: list[Count]) -> list[Count]:
    return sorted(counts, key=lambda c: (-c.count, c.label or c.value))


def _label_entities(conn: Connection, facets: Facets, active: int | None) -> None:
    ids = {int(c.value) for c in facets.entity} | ({int(active)} if active is not None else set())
    if not ids:
        return
    stmt = select(EntityRow.id, EntityRow.kind, EntityRow.name).where(
        EntityRow.id.in_(bindparam("ids", expanding=True))
    )
    found = {str(i): (kind, name) for i, kind, name in conn.execute(stmt, {"ids": sorted(ids)})}
    facets.names.update({f"entity:{i}": name for i, (_, name) in found.items()})
    labelled = [
        Count(c.value, c.count, found[c.value][1], found[c.value][0])
        for c in facets.entity
        if c.value in found
    ]
    facets.entity = _sorted(labelled)


def _label_documents(conn: Connection, facets: Facets, active: str | None) -> None:
    ids = {c.value for c in facets.document} | ({str(active)} if active is not None else set())
    if not ids:
        return
    d = DocumentRow
    stmt = select(d.id, d.title, d.type_name_vi, d.code, d.number, d.year).where(
        d.id.in_(bindparam("ids", expanding=True))
    )
    found = {r.id: _document_label(r) for r in conn.execute(stmt, {"ids": sorted(ids)})}
    facets.names.update({f"document:{i}": label for i, label in found.items()})
    facets.document = _sorted([Count(c.value, c.count, found.get(c.value, "")) for c in facets.document])


def _document_label(row: Any) -> str:
    """``Kết luận 57-KL/TW``, ``Bộ luật Hình sự 2015``."""
    if row.title:
        parts = [row.type_name_vi, row.title, str(row.year) if row.year else ""]
    else:
        parts = [row.type_name_vi, row.code or row.number or ""]
    return " ".join(p for p in parts if p)


# --- the date histogram ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar of the date histogram: the days ``start`` … ``end`` (inclusive)."""

    start: date
    end: date
    count: int
    unit: Unit


def _unit(first: date, last: date, max_bars: int) -> Unit:
    if (last - first).days < max_bars:
        return "day"
    months = (last.year - first.year) * 12 + last.month - first.month
    return "month" if months < max_bars else "year"


def _period(day: date, unit: Unit) -> tuple[date, date]:
    if unit == "day":
        return day, day
    if unit == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return date(day.year, 1, 1), date(day.year, 12, 31)


def histogram(days: list[tuple[date, int]], *, max_bars: int = 62) -> list[Bucket]:
    """Per-day counts as at most about ``max_bars`` bars (days, months or years), gaps filled."""
    if not days:
        return []
    unit = _unit(days[0][0], days[-1][0], max_bars)
    counts: dict[date, int] = {}
    for day, n in days:
        start, _ = _period(day, unit)
        counts[start] = counts.get(start, 0) + n
    buckets = []
    start, _ = _period(days[0][0], unit)
    last, _ = _period(days[-1][0], unit)
    while start <= last:
        first, end = _period(start, unit)
        buckets.append(Bucket(first, end, counts.get(first, 0), unit))
        start = end + timedelta(days=1)
    return buckets
