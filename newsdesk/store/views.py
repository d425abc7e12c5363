"""Read-side queries over the analysis tables: stories, entities, documents, themes, sources.

Used by the CLI, the API and the workspace's pages. Design decisions:

* **Lists are paged in SQL**: every ``list_*`` takes ``limit`` and ``offset`` and has a
  ``count_*`` with the same filters, so a page never loads the whole table (stories are
  ordered by their number of outlets in SQL, through ``json_array_length``, which both
  backends have).
* **Time series are one grouped query each**: articles are counted per *local* day (or
  hour) — the offices' day in Vietnam, UTC+7 all year, the day a search's ``date_from`` /
  ``date_to`` means — and rolled up to weeks or months in Python (:func:`periods`). Empty
  periods are filled with zeros, so a chart's bars are evenly spaced in time.
* **Detail views cap their lists** (recent articles, co-occurring entities, stories): a
  place named in half the archive costs about what a rare name costs.
* **Themes' attention for all themes at once** (:func:`themes_attention`): three grouped
  queries whatever the number of themes; a parent theme counts the distinct articles that
  carry it or any subtheme.
* **Accent-insensitive names**: what is typed becomes a regular expression with one class
  of accented forms per letter (:func:`name_pattern`), run by the database on the stored
  names, so ``"nguyen van"`` finds ``Nguyễn Văn …`` (20–35 ms over 17,000 names on either
  backend; folding every name in SQL with ``translate`` took 370 ms on PostgreSQL).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, literal_column, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from newsdesk.errors import NotFound
from newsdesk.store.tables import (
    ArticleDocumentRow,
    ArticleEntityRow,
    ArticleRow,
    ArticleThemeRow,
    DocumentRow,
    EntityRow,
    SourceRow,
    StoryRow,
)

__all__ = [
    "LOCAL_OFFSET",
    "Attention",
    "Bucket",
    "Period",
    "Series",
    "choose_bucket",
    "count_documents",
    "count_entities",
    "count_stories",
    "document_detail",
    "document_overview",
    "document_types",
    "entity_detail",
    "entity_overview",
    "fit_bucket",
    "latest_time",
    "list_documents",
    "list_entities",
    "list_stories",
    "list_themes",
    "local_date",
    "name_pattern",
    "periods",
    "source_overview",
    "source_volumes",
    "story_detail",
    "story_row",
    "story_timeline",
    "theme_attention",
    "theme_overview",
    "themes_attention",
]

Bucket = Literal["hour", "day", "week", "month"]
LOCAL_OFFSET = timedelta(hours=7)
"""Vietnam's time (Asia/Ho_Chi_Minh) is UTC+7 all year: a fixed offset buckets the same on both backends."""
_LOCAL_ZONE: ColumnElement[str] = literal_column("'Asia/Ho_Chi_Minh'")
RECENT = 20
"""Articles, stories and co-occurring names a detail view lists."""
API_ARTICLES = 200
"""Articles of an entity the API's detail lists (most recent first); ``total_articles`` says how many."""


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _article_brief(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "outlet": row.outlet,
        "language": row.language,
        "published_at": _iso(row.published_at),
        "story_id": row.story_id,
    }


_BRIEF = (
    ArticleRow.id,
    ArticleRow.title,
    ArticleRow.outlet,
    ArticleRow.language,
    ArticleRow.published_at,
    ArticleRow.story_id,
    ArticleRow.sort_time,
)


def _brief_with_time(row: Any) -> dict[str, Any]:
    return {**_article_brief(row), "sort_time": _iso(row.sort_time)}


def _brief_for_page(row: Any) -> dict[str, Any]:
    """An article's line on a page: its times stay datetimes, for the page's own formats."""
    return dict(row._mapping)


# --- time series ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """One bar of a chart: a local hour, day, week (from Monday) or month, and its articles."""

    start: date | datetime
    """The first day of the period; for hours, the local (naive) start of the hour."""
    last_day: date
    """The last local day of the period, inclusive: the ``date_to`` of its search."""
    articles: int

    @property
    def first_day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start


@dataclass(frozen=True, slots=True)
class Series:
    """A chart's periods and the bucket they were counted in."""

    bucket: Bucket
    periods: list[Period]

    @property
    def total(self) -> int:
        return sum(p.articles for p in self.periods)


def _local_key(conn: Connection, column: Any, *, hourly: bool = False) -> ColumnElement[str]:
    """The local day (``2026-11-20``) or hour (``2026-11-20 09``) of a stored UTC time, as text.

    Constants are literal SQL, not parameters, so PostgreSQL sees the same expression in
    ``SELECT`` and ``GROUP BY``.
    """
    pattern: ColumnElement[str]
    if conn.dialect.name == "sqlite":
        pattern = literal_column("'%Y-%m-%d %H'" if hourly else "'%Y-%m-%d'")
        return func.strftime(pattern, column, literal_column("'+7 hours'"))
    pattern = literal_column("'YYYY-MM-DD HH24'" if hourly else "'YYYY-MM-DD'")
    return func.to_char(func.timezone(_LOCAL_ZONE, column), pattern)


def _counts(conn: Connection, stmt: Select[*tuple[Any, ...]]) -> dict[str, int]:
    """``{key: count}`` from a ``SELECT key, count`` statement."""
    return {str(key): int(n) for key, n in conn.execute(stmt) if key is not None}


def choose_bucket(first: date, last: date) -> Bucket:
    """Days up to three months, weeks up to two years, months beyond."""
    span = (last - first).days
    return "day" if span <= 92 else "week" if span <= 730 else "month"


def fit_bucket(
    conn: Connection, bucket: Bucket, since: datetime | None, until: datetime | None, most: int
) -> Bucket:
    """``bucket``, or a coarser one when the range (``since`` defaults to the oldest article)
    would hold more than ``most`` periods."""
    first = since or conn.execute(select(func.min(ArticleRow.sort_time))).scalar()
    if first is None:
        return bucket
    days = ((until or datetime.now(UTC)) - _aware(first)).days + 1
    if bucket == "day" and days > most:
        bucket = "week"
    if bucket == "week" and days > 7 * most:
        bucket = "month"
    return bucket


def _bucket_start(day: date, bucket: Bucket) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def _next_start(start: date, bucket: Bucket) -> date:
    if bucket == "week":
        return start + timedelta(days=7)
    if bucket == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def periods(
    daily: dict[str, int], bucket: Bucket, *, first: date | None = None, last: date | None = None
) -> list[Period]:
    """Day counts (``{"2026-11-20": 3}``) rolled up into ``bucket``, empty periods included.

    The periods run from ``first`` (default: the first day with a count) to ``last``.
    """
    if bucket == "hour":
        return _hours(daily)
    rolled: dict[date, int] = defaultdict(int)
    for key, n in daily.items():
        rolled[_bucket_start(date.fromisoformat(key[:10]), bucket)] += n
    if not rolled and (first is None or last is None):
        return []
    start = _bucket_start(first or min(rolled), bucket)
    end = last or max(rolled)
    out: list[Period] = []
    while start <= end:
        following = _next_start(start, bucket)
        out.append(Period(start, following - timedelta(days=1), rolled.get(start, 0)))
        start = following
    return out


def _hours(hourly: dict[str, int]) -> list[Period]:
    if not hourly:
        return []
    counts = {datetime.strptime(k, "%Y-%m-%d %H"): n for k, n in hourly.items()}
    hour, last = min(counts), max(counts)
    out: list[Period] = []
    while hour <= last:
        out.append(Period(hour, hour.date(), counts.get(hour, 0)))
        hour += timedelta(hours=1)
    return out


def _daily_series(conn: Connection, stmt: Select[*tuple[Any, ...]], *, hourly: bool = False) -> Series:
    """A time series from ``SELECT key, count``, bucketed by its own span."""
    counts = _counts(conn, stmt)
    if hourly:
        return Series("hour", periods(counts, "hour"))
    if not counts:
        return Series("day", [])
    days = [date.fromisoformat(k) for k in counts]
    bucket = choose_bucket(min(days), max(days))
    return Series(bucket, periods(counts, bucket))


def _series_of(conn: Connection, ids: Select[*tuple[Any, ...]]) -> Series:
    """Articles per period among ``ids`` (a subquery of article ids), bucketed by their span."""
    day = _local_key(conn, ArticleRow.sort_time)
    return _daily_series(
        conn, select(day, func.count()).where(_scanned(conn, ArticleRow.id).in_(ids)).group_by(day)
    )


def local_date(moment: datetime) -> date:
    """The local (Vietnam) day of an instant."""
    return (_aware(moment).astimezone(UTC) + LOCAL_OFFSET).date()


def latest_time(conn: Connection, now: datetime | None = None) -> datetime | None:
    """The newest article's time (not after ``now``): where an archive's periods end."""
    now = now or datetime.now(UTC)
    latest = conn.execute(select(func.max(ArticleRow.sort_time)).where(ArticleRow.sort_time <= now)).scalar()
    return _aware(latest) if latest is not None else None


# --- documents --------------------------------------------------------------------------------


def _document_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "canonical_id": row.id,
        "base_id": row.base_id,
        "type": row.type,
        "type_name_vi": row.type_name_vi,
        "type_name_en": row.type_name_en,
        "number": row.number,
        "issuer": row.issuer,
        "code": row.code,
        "year": row.year,
        "date": row.date,
        "term": row.term,
        "title": row.title,
    }


def _document_filter(stmt: Select[*tuple[Any, ...]], type_: str | None) -> Select[*tuple[Any, ...]]:
    return stmt.where(DocumentRow.type == type_.upper()) if type_ else stmt


def list_documents(
    conn: Connection, *, limit: int = 100, type_: str | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Documents by number of citing articles, most cited first."""
    articles = func.count(ArticleDocumentRow.article_id).label("articles")
    stmt = (
        select(DocumentRow, articles)
        .join(ArticleDocumentRow, ArticleDocumentRow.document_id == DocumentRow.id)
        .group_by(DocumentRow.id)
        .order_by(articles.desc(), DocumentRow.id)
        .limit(limit)
        .offset(offset)
    )
    return [
        {**_document_dict(r), "articles": r.articles} for r in conn.execute(_document_filter(stmt, type_))
    ]


def count_documents(conn: Connection, *, type_: str | None = None) -> int:
    """How many documents :func:`list_documents` lists with this filter."""
    cited = select(ArticleDocumentRow.document_id).where(ArticleDocumentRow.document_id == DocumentRow.id)
    stmt = _document_filter(select(func.count()).select_from(DocumentRow).where(cited.exists()), type_)
    return int(conn.execute(stmt).scalar_one())


def document_types(conn: Connection) -> list[dict[str, Any]]:
    """The document types present, with their names and number of documents, commonest first."""
    n = func.count().label("documents")
    rows = conn.execute(
        select(DocumentRow.type, DocumentRow.type_name_vi, DocumentRow.type_name_en, n)
        .group_by(DocumentRow.type, DocumentRow.type_name_vi, DocumentRow.type_name_en)
        .order_by(n.desc(), DocumentRow.type)
    )
    merged: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = merged.setdefault(
            r.type, {"type": r.type, "name_vi": r.type_name_vi, "name_en": r.type_name_en}
        )
        entry["documents"] = entry.get("documents", 0) + r.documents
    return list(merged.values())


def _document_row(conn: Connection, document_id: str) -> Any:
    row = conn.execute(select(DocumentRow).where(DocumentRow.id == document_id)).first()
    if row is None:
        raise NotFound(f"document {document_id!r} not found")
    return row


def _variants(row: Any) -> Select[*tuple[Any, ...]]:
    return select(DocumentRow.id).where(DocumentRow.base_id == row.base_id)


def document_detail(conn: Connection, document_id: str) -> dict[str, Any]:
    """One document with the articles and stories that cite it (also by its base id)."""
    row = _document_row(conn, document_id)
    same = _variants(row)
    citing = conn.execute(
        select(*_BRIEF)
        .join(ArticleDocumentRow, ArticleDocumentRow.article_id == ArticleRow.id)
        .where(ArticleDocumentRow.document_id.in_(same))
        .distinct()
        .order_by(ArticleRow.sort_time.desc())
    ).all()
    articles = [_article_brief(r) for r in citing]
    stories = sorted({a["story_id"] for a in articles if a["story_id"] is not None})
    variants = sorted(conn.execute(same).scalars())
    ids = select(ArticleDocumentRow.article_id).where(ArticleDocumentRow.document_id.in_(same))
    return {
        **_document_dict(row),
        "variants": variants,
        "articles": articles,
        "stories": stories,
        "co_occurring": _entities_in(conn, ids),
    }


def document_overview(conn: Connection, document_id: str) -> dict[str, Any]:
    """What the document page shows: mentions over time, co-cited documents, stories, articles, surfaces."""
    row = _document_row(conn, document_id)
    same = _variants(row)
    link = ArticleDocumentRow
    ids = select(link.article_id).where(link.document_id.in_(same))
    series = _series_of(conn, ids)
    surfaces = conn.execute(
        select(link.surface, func.count())
        .where(link.document_id.in_(same))
        .group_by(link.surface)
        .order_by(func.count().desc(), link.surface)
        .limit(RECENT)
    )
    return {
        **_document_dict(row),
        "variants": sorted(conn.execute(same).scalars()),
        "articles_total": series.total,
        "series": series,
        "co_cited": _co_cited(conn, same, ids),
        "entities": _entities_in(conn, ids),
        "stories": _top_stories(conn, ids),
        "articles": _recent(conn, ids),
        "surfaces": [{"surface": surface, "articles": n} for surface, n in surfaces],
    }


def _co_cited(
    conn: Connection, same: Select[*tuple[Any, ...]], ids: Select[*tuple[Any, ...]]
) -> list[dict[str, Any]]:
    link = ArticleDocumentRow
    n = func.count(func.distinct(link.article_id)).label("articles")
    top = (
        select(link.document_id, n)
        .where(link.article_id.in_(ids), link.document_id.not_in(same))
        .group_by(link.document_id)
        .order_by(n.desc(), link.document_id)
        .limit(RECENT)
        .subquery()
    )
    rows = conn.execute(
        select(
            DocumentRow.id,
            DocumentRow.type_name_vi,
            DocumentRow.type_name_en,
            DocumentRow.code,
            top.c.articles,
        )
        .join(top, top.c.document_id == DocumentRow.id)
        .order_by(top.c.articles.desc(), DocumentRow.id)
    )
    return [dict(r._mapping) for r in rows]


def _top_stories(
    conn: Connection, ids: Select[*tuple[Any, ...]], *where: ColumnElement[bool]
) -> list[dict[str, Any]]:
    """The stories with most articles among ``ids`` (and ``where``), grouped before they are joined."""
    n = func.count().label("articles")
    top = (
        select(ArticleRow.story_id, n)
        .where(_scanned(conn, ArticleRow.id).in_(ids), ArticleRow.story_id.is_not(None), *where)
        .group_by(ArticleRow.story_id)
        .order_by(n.desc(), ArticleRow.story_id.desc())
        .limit(RECENT)
        .subquery()
    )
    rows = conn.execute(
        select(StoryRow.id, StoryRow.title, StoryRow.size, StoryRow.last_at, top.c.articles)
        .join(top, top.c.story_id == StoryRow.id)
        .order_by(top.c.articles.desc(), StoryRow.id.desc())
    )
    return [dict(r._mapping) for r in rows]


def _recent(
    conn: Connection, ids: Select[*tuple[Any, ...]], *where: ColumnElement[bool]
) -> list[dict[str, Any]]:
    """The most recent articles among ``ids`` (and ``where``)."""
    rows = conn.execute(
        select(*_BRIEF)
        .where(_scanned(conn, ArticleRow.id).in_(ids), *where)
        .order_by(ArticleRow.sort_time.desc(), ArticleRow.id.desc())
        .limit(RECENT)
    )
    return [_brief_for_page(r) for r in rows]


# --- entities ---------------------------------------------------------------------------------


def _letter_variants() -> dict[str, str]:
    """Each ASCII letter with every Latin letter that folds to it, both cases (``d``: ``dDđĐ``)."""
    variants = {c: c + c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)).lower()
        if len(bare) == 1 and bare in variants:
            variants[bare] += char
    variants["d"] += "đĐ"
    return variants


_VARIANTS = _letter_variants()
_REGEX_SPECIAL = set(".^$*+?()[]{}|\\")


def name_pattern(typed: str) -> str:
    """A regular expression matching ``typed`` in a name whatever its accents and case.

    ``"nguyen"`` → ``[nNñ…][gG…][uUùúủũụưứừửữự…]…``: one class per letter holding every
    accented form, so the match runs in the database's own regex engine on the stored (NFC)
    names — ``~`` on PostgreSQL, Python's ``re`` behind SQLite's ``REGEXP`` — with no folded
    copy of the names to keep.
    """
    folded = unicodedata.normalize("NFD", " ".join(typed.split()))
    out = []
    for char in "".join(c for c in folded if not unicodedata.combining(c)).lower():
        char = "d" if char == "đ" else char
        out.append(
            f"[{_VARIANTS[char]}]" if char in _VARIANTS else "\\" + char if char in _REGEX_SPECIAL else char
        )
    return "".join(out)


def _entity_filter(
    conn: Connection, stmt: Select[*tuple[Any, ...]], kind: str | None, q: str | None
) -> Select[*tuple[Any, ...]]:
    if kind:
        stmt = stmt.where(EntityRow.kind == kind)
    if q and q.strip():
        stmt = stmt.where(EntityRow.name.regexp_match(name_pattern(q)))
    return stmt


def list_entities(
    conn: Connection, *, kind: str | None = None, limit: int = 100, offset: int = 0, q: str | None = None
) -> list[dict[str, Any]]:
    """Entities by number of articles mentioning them; ``q`` matches names without accents.

    The links are counted per entity first (from the entity index alone), then joined.
    """
    link = ArticleEntityRow
    counted = select(link.entity_id, func.count().label("articles")).group_by(link.entity_id).subquery()
    stmt = (
        select(EntityRow.id, EntityRow.kind, EntityRow.canonical, EntityRow.name, counted.c.articles)
        .join(counted, counted.c.entity_id == EntityRow.id)
        .order_by(counted.c.articles.desc(), EntityRow.id)
        .limit(limit)
        .offset(offset)
    )
    return [dict(r._mapping) for r in conn.execute(_entity_filter(conn, stmt, kind, q))]


def count_entities(conn: Connection, *, kind: str | None = None, q: str | None = None) -> int:
    """How many entities :func:`list_entities` lists with these filters."""
    named = select(ArticleEntityRow.entity_id).where(ArticleEntityRow.entity_id == EntityRow.id)
    stmt = select(func.count()).select_from(EntityRow).where(named.exists())
    return int(conn.execute(_entity_filter(conn, stmt, kind, q)).scalar_one())


def _entity_row(conn: Connection, entity_id: int) -> Any:
    row = conn.execute(select(EntityRow).where(EntityRow.id == entity_id)).first()
    if row is None:
        raise NotFound(f"entity {entity_id} not found")
    return row


def entity_detail(conn: Connection, entity_id: int) -> dict[str, Any]:
    """One entity: its most recent articles, positions seen in them, the entities named with it."""
    row = _entity_row(conn, entity_id)
    mentions = conn.execute(
        select(*_BRIEF, ArticleEntityRow.positions)
        .join(ArticleEntityRow, ArticleEntityRow.article_id == ArticleRow.id)
        .where(ArticleEntityRow.entity_id == entity_id)
        .order_by(ArticleRow.sort_time.desc())
        .limit(API_ARTICLES)
    ).all()
    total = conn.execute(
        select(func.count()).select_from(ArticleEntityRow).where(ArticleEntityRow.entity_id == entity_id)
    ).scalar_one()
    return {
        "id": row.id,
        "kind": row.kind,
        "canonical": row.canonical,
        "name": row.name,
        "positions": _positions(mentions),
        "total_articles": int(total),
        "articles": [_article_brief(m) for m in mentions],
        "co_occurring": _co_occurring(conn, entity_id),
    }


def _positions(mentions: Sequence[Any]) -> list[dict[str, Any]]:
    positions: list[dict[str, Any]] = []
    for m in mentions:
        positions.extend(p for p in m.positions or [] if p not in positions)
    return positions


def _named_positions(conn: Connection, positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Positions with the names of their organisation and place (stored as ids), for display."""
    ids = {p[k] for p in positions for k in ("organisation", "place") if p.get(k)}
    names: dict[str, str] = {}
    if ids:
        rows = conn.execute(select(EntityRow.canonical, EntityRow.name).where(EntityRow.canonical.in_(ids)))
        names = {canonical: name for canonical, name in rows}
    return [
        {
            **p,
            "organisation_name": names.get(p.get("organisation") or ""),
            "place_name": names.get(p.get("place") or ""),
        }
        for p in positions
    ]


def _entities_in(conn: Connection, ids: Select[Any], exclude: int | None = None) -> list[dict[str, Any]]:
    """The entities named most often in the articles ``ids`` (an entity's co-occurring ones, a
    document's), by the number of those articles."""
    link = ArticleEntityRow
    together = func.count().label("articles")
    where = [link.article_id.in_(ids)] + ([link.entity_id != exclude] if exclude is not None else [])
    top = (
        select(link.entity_id, together)
        .where(*where)
        .group_by(link.entity_id)
        .order_by(together.desc(), link.entity_id)
        .limit(RECENT)
        .subquery()
    )
    rows = conn.execute(
        select(EntityRow.id, EntityRow.kind, EntityRow.name, top.c.articles)
        .join(top, top.c.entity_id == EntityRow.id)
        .order_by(top.c.articles.desc(), EntityRow.id)
    )
    return [dict(r._mapping) for r in rows]


def _co_occurring(conn: Connection, entity_id: int) -> list[dict[str, Any]]:
    ids = select(ArticleEntityRow.article_id).where(ArticleEntityRow.entity_id == entity_id)
    return _entities_in(conn, ids, exclude=entity_id)


def entity_overview(conn: Connection, entity_id: int) -> dict[str, Any]:
    """What the entity page shows: mentions over time, co-occurring entities, stories, recent articles."""
    row = _entity_row(conn, entity_id)
    link = ArticleEntityRow
    ids = select(link.article_id).where(link.entity_id == entity_id)
    series = _series_of(conn, ids)
    articles = _recent(conn, ids)
    recent = conn.execute(
        select(link.positions).where(
            link.entity_id == entity_id, link.article_id.in_([a["id"] for a in articles])
        )
    ).all()
    return {
        "id": row.id,
        "kind": row.kind,
        "canonical": row.canonical,
        "name": row.name,
        "positions": _named_positions(conn, _positions(recent)),
        "articles_total": series.total,
        "series": series,
        "co_occurring": _co_occurring(conn, entity_id),
        "stories": _top_stories(conn, ids),
        "articles": articles,
    }


# --- stories ----------------------------------------------------------------------------------


def _story_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "first_at": _iso(row.first_at),
        "last_at": _iso(row.last_at),
        "size": row.size,
        "outlets": row.outlets,
        "languages": row.languages,
        "representative_id": row.representative_id,
    }


def _story_filter(
    stmt: Select[*tuple[Any, ...]], since: datetime | None, min_size: int
) -> Select[*tuple[Any, ...]]:
    stmt = stmt.where(StoryRow.size >= min_size)
    return stmt.where(StoryRow.last_at >= since) if since is not None else stmt


def list_stories(
    conn: Connection,
    *,
    since: datetime | None = None,
    limit: int = 50,
    min_size: int = 1,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Stories active since ``since``, biggest (by outlets, then articles, then recency) first."""
    stmt = select(StoryRow).order_by(
        func.json_array_length(StoryRow.outlets).desc(),
        StoryRow.size.desc(),
        StoryRow.last_at.desc(),
        StoryRow.id.desc(),
    )
    stmt = _story_filter(stmt, since, min_size).limit(limit).offset(offset)
    return [_story_dict(r) for r in conn.execute(stmt)]


def count_stories(conn: Connection, *, since: datetime | None = None, min_size: int = 1) -> int:
    """How many stories :func:`list_stories` lists with these filters."""
    stmt = _story_filter(select(func.count()).select_from(StoryRow), since, min_size)
    return int(conn.execute(stmt).scalar_one())


def story_row(conn: Connection, story_id: int) -> Any:
    row = conn.execute(select(StoryRow).where(StoryRow.id == story_id)).first()
    if row is None:
        raise NotFound(f"story {story_id} not found")
    return row


def story_articles(conn: Connection, story_id: int) -> list[Any]:
    """The story's articles in time order (without their bodies)."""
    rows = conn.execute(
        select(*_BRIEF, ArticleRow.url, ArticleRow.dup_of, ArticleRow.dup_kind)
        .where(ArticleRow.story_id == story_id)
        .order_by(ArticleRow.sort_time, ArticleRow.id)
    ).all()
    return list(rows)


def story_entities(conn: Connection, article_ids: list[int], limit: int = 20) -> list[dict[str, Any]]:
    articles = func.count(ArticleEntityRow.article_id).label("articles")
    rows = conn.execute(
        select(EntityRow.id, EntityRow.kind, EntityRow.name, articles)
        .join(ArticleEntityRow, ArticleEntityRow.entity_id == EntityRow.id)
        .where(ArticleEntityRow.article_id.in_(article_ids))
        .group_by(EntityRow.id, EntityRow.kind, EntityRow.name)
        .order_by(articles.desc(), EntityRow.id)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]


def _story_summary(conn: Connection, row: Any, members: list[Any]) -> str:
    """The stored summary, or one made from the originals' bodies (and stored) when the story grew."""
    from newsdesk.analyze.summarize import SummaryDoc, summarize_story

    if row.summary is not None and row.summary_size == len(members):
        return str(row.summary)
    originals = [m.id for m in members if m.dup_of is None]
    bodies = dict(
        conn.execute(select(ArticleRow.id, ArticleRow.body).where(ArticleRow.id.in_(originals))).all()
    )
    docs = [
        SummaryDoc(str(m.id), m.title, bodies.get(m.id, ""), m.published_at, m.language)
        for m in members
        if m.dup_of is None
    ]
    summary = summarize_story(docs, max_words=120).text if docs else ""
    conn.execute(
        update(StoryRow).where(StoryRow.id == row.id).values(summary=summary, summary_size=len(members))
    )
    return summary


def story_detail(conn: Connection, story_id: int) -> dict[str, Any]:
    """A story: its articles in time order, copies grouped under their original, entities, summary."""
    row = story_row(conn, story_id)
    members = story_articles(conn, story_id)
    summary = _story_summary(conn, row, members)
    copies: dict[int, list[int]] = {}
    for m in members:
        if m.dup_of is not None:
            copies.setdefault(m.dup_of, []).append(m.id)
    return {
        **_story_dict(row),
        "summary": summary,
        "articles": [
            {**_brief_with_time(m), "url": m.url, "dup_of": m.dup_of, "dup_kind": m.dup_kind} for m in members
        ],
        "duplicates": [{"original": k, "copies": v} for k, v in copies.items()],
        "entities": story_entities(conn, [m.id for m in members]),
    }


def story_timeline(conn: Connection, story_id: int) -> Series:
    """The story's articles per local hour (when it spans three days at most) or per day or week."""
    row = story_row(conn, story_id)
    hourly = (
        row.first_at is not None
        and row.last_at is not None
        and _aware(row.last_at) - _aware(row.first_at) <= timedelta(days=3)
    )
    key = _local_key(conn, ArticleRow.sort_time, hourly=hourly)
    stmt = select(key, func.count()).where(ArticleRow.story_id == story_id).group_by(key)
    return _daily_series(conn, stmt, hourly=hourly)


# --- themes -----------------------------------------------------------------------------------


def list_themes(conn: Connection) -> list[dict[str, Any]]:
    """Every theme of the taxonomy with its labels and the number of articles carrying it."""
    from newsdesk.analyze.themes import load_taxonomy

    counts = dict(
        conn.execute(select(ArticleThemeRow.theme_id, func.count()).group_by(ArticleThemeRow.theme_id)).all()
    )
    return [
        {
            "id": theme.id,
            "parent": theme.parent,
            "label_vi": theme.label_vi,
            "label_en": theme.label_en,
            "articles": int(counts.get(theme.id, 0)),
        }
        for theme in load_taxonomy()
    ]


@dataclass
class Attention:
    """Articles per period for every theme, aligned on the same periods."""

    bucket: Bucket
    periods: list[Period]
    """Every period of the range with *all* its articles (the denominator of a share)."""
    series: dict[str, list[int]] = field(default_factory=dict)
    """Theme id → articles carrying it (or a subtheme) per period; themes without any are absent."""

    def total(self, theme_id: str) -> int:
        return sum(self.series.get(theme_id, ()))

    def shares(self, theme_id: str) -> list[float]:
        counts = self.series.get(theme_id, [0] * len(self.periods))
        return [n / p.articles if p.articles else 0.0 for n, p in zip(counts, self.periods, strict=True)]


def _root(conn: Connection, column: Any) -> ColumnElement[str]:
    """The top-level theme of a theme id (``"diplomacy.bilateral"`` → ``"diplomacy"``)."""
    dot: ColumnElement[str] = literal_column("'.'")
    if conn.dialect.name == "sqlite":
        return func.substr(
            column, literal_column("1"), func.instr(column.concat(dot), dot) - literal_column("1")
        )
    return func.split_part(column, dot, literal_column("1"))


def _range(
    stmt: Select[*tuple[Any, ...]], since: datetime | None, until: datetime | None
) -> Select[*tuple[Any, ...]]:
    if since is not None:
        stmt = stmt.where(ArticleRow.sort_time >= since)
    if until is not None:
        stmt = stmt.where(ArticleRow.sort_time <= until)
    return stmt


def themes_attention(
    conn: Connection,
    bucket: Bucket = "day",
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    theme: str | None = None,
) -> Attention:
    """Articles per local day, week or month for every theme (or only ``theme`` and its subthemes).

    Three grouped queries whatever the number of themes: all articles per day; articles per
    day and theme; per day and top-level theme, the articles that carry a subtheme but not
    the theme itself (the themes stage gives a parent every article of its subthemes, so this
    is normally empty — it keeps a parent's count exact for data written otherwise).
    """
    day = _local_key(conn, ArticleRow.sort_time)
    totals = _counts(conn, _range(select(day, func.count()).group_by(day), since, until))
    window = {"first": local_date(since) if since else None, "last": local_date(until) if until else None}
    attention = Attention(bucket, periods(totals, bucket, **window))
    if not attention.periods:
        return attention
    link = ArticleThemeRow
    joined = select(day).select_from(link).join(ArticleRow, _scanned(conn, ArticleRow.id) == link.article_id)
    if theme is not None:
        joined = joined.where(or_(link.theme_id == theme, link.theme_id.like(theme + ".%")))
    exact = joined.add_columns(link.theme_id, func.count()).group_by(day, link.theme_id)
    by_theme: dict[str, dict[str, int]] = defaultdict(dict)
    for key, theme_id, n in conn.execute(_range(exact, since, until)):
        by_theme[theme_id][key] = int(n)
    for key, theme_id, n in conn.execute(_range(_orphans(conn, joined, day), since, until)):
        by_theme[theme_id][key] = by_theme[theme_id].get(key, 0) + int(n)
    first, last = _as_date(attention.periods[0].start), _as_date(attention.periods[-1].start)
    for theme_id, daily in by_theme.items():
        attention.series[theme_id] = [p.articles for p in periods(daily, bucket, first=first, last=last)]
    return attention


def _scanned(conn: Connection, column: Any) -> ColumnElement[Any]:
    """On SQLite, ``+column``: the planner cannot look article rows up by it, so it walks the
    small covering indexes of ``articles`` (``sort_time``, ``story_id``) and probes the other
    side, instead of reading one wide article row per link (2–5× faster on 20k articles)."""
    if conn.dialect.name != "sqlite":
        return column
    return UnaryExpression(column.expression, operator=custom_op("+"), type_=column.type)


def _orphans(
    conn: Connection, joined: Select[*tuple[Any, ...]], day: ColumnElement[str]
) -> Select[*tuple[Any, ...]]:
    """Per day and parent theme, the distinct articles with a subtheme but without the parent."""
    link = ArticleThemeRow
    parent = ArticleThemeRow.__table__.alias("parent")
    root = _root(conn, link.theme_id)
    has_parent = select(parent.c.article_id).where(
        parent.c.article_id == link.article_id, parent.c.theme_id == root
    )
    return (
        joined.add_columns(root, func.count(func.distinct(link.article_id)))
        .where(link.theme_id.like("%.%"), ~has_parent.exists())
        .group_by(day, root)
    )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def theme_attention(
    conn: Connection,
    theme_id: str,
    bucket: str = "day",
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """Articles per period carrying the theme (or a subtheme), and their share of all articles."""
    from newsdesk.analyze.themes import load_taxonomy

    taxonomy = load_taxonomy()
    if theme_id not in taxonomy:
        raise NotFound(f"theme {theme_id!r} not found")
    if bucket not in ("day", "week", "month"):
        raise ValueError(f"bucket must be 'day', 'week' or 'month', not {bucket!r}")
    attention = themes_attention(conn, bucket, since, until, theme=theme_id)  # type: ignore[arg-type]
    counts = attention.series.get(theme_id, [0] * len(attention.periods))
    theme = taxonomy[theme_id]
    return {
        "id": theme_id,
        "label_vi": theme.label_vi,
        "label_en": theme.label_en,
        "bucket": bucket,
        "points": [
            {"start": _as_date(p.start).isoformat(), "articles": n, "share": round(s, 4)}
            for p, n, s in zip(attention.periods, counts, attention.shares(theme_id), strict=True)
        ],
    }


def theme_overview(
    conn: Connection, theme_id: str, since: datetime | None = None, until: datetime | None = None
) -> dict[str, Any]:
    """A theme's top stories and most recent articles in a period."""
    link = ArticleThemeRow
    ids = select(link.article_id).where(or_(link.theme_id == theme_id, link.theme_id.like(theme_id + ".%")))
    in_range = []
    if since is not None:
        in_range.append(ArticleRow.sort_time >= since)
    if until is not None:
        in_range.append(ArticleRow.sort_time <= until)
    return {"stories": _top_stories(conn, ids, *in_range), "articles": _recent(conn, ids, *in_range)}


# --- sources ----------------------------------------------------------------------------------


def _day_range(days: int, now: datetime | None) -> tuple[date, date, datetime]:
    """The last ``days`` local days up to ``now`` and the UTC instant the first one starts."""
    local_now = (now or datetime.now(UTC)).astimezone(UTC) + LOCAL_OFFSET
    last = local_now.date()
    first = last - timedelta(days=days - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC) - LOCAL_OFFSET
    return first, last, start


def source_volumes(conn: Connection, *, days: int = 30, now: datetime | None = None) -> dict[int, list[int]]:
    """Articles per local day of every source over the last ``days`` days, in one grouped query."""
    first, last, start = _day_range(days, now)
    day = _local_key(conn, ArticleRow.sort_time)
    rows = conn.execute(
        select(ArticleRow.source_id, day, func.count())
        .where(ArticleRow.source_id.is_not(None), ArticleRow.sort_time >= start)
        .group_by(ArticleRow.source_id, day)
    )
    by_source: dict[int, dict[str, int]] = defaultdict(dict)
    for source_id, key, n in rows:
        if source_id is not None:
            by_source[source_id][key] = int(n)
    ids = conn.execute(select(SourceRow.id)).scalars()
    return {
        source_id: [p.articles for p in periods(by_source.get(source_id, {}), "day", first=first, last=last)]
        for source_id in ids
    }


def source_overview(
    conn: Connection, source_id: int, *, days: int = 30, now: datetime | None = None
) -> dict[str, Any]:
    """A source's articles per day over the last ``days`` days, its commonest outlet and recent articles."""
    first, last, start = _day_range(days, now)
    day = _local_key(conn, ArticleRow.sort_time)
    daily = _counts(
        conn,
        select(day, func.count())
        .where(ArticleRow.source_id == source_id, ArticleRow.sort_time >= start)
        .group_by(day),
    )
    outlet = conn.execute(
        select(ArticleRow.outlet)
        .where(ArticleRow.source_id == source_id, ArticleRow.outlet.is_not(None))
        .group_by(ArticleRow.outlet)
        .order_by(func.count().desc())
        .limit(1)
    ).scalar()
    recent = conn.execute(
        select(*_BRIEF)
        .where(ArticleRow.source_id == source_id)
        .order_by(ArticleRow.sort_time.desc(), ArticleRow.id.desc())
        .limit(RECENT)
    )
    return {
        "series": Series("day", periods(daily, "day", first=first, last=last)),
        "outlet": outlet,
        "articles": [_brief_for_page(r) for r in recent],
    }
