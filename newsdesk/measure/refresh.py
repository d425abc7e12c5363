"""Stored pickups: the ``pickups`` table kept up to date as publications go out and articles come in.

:mod:`newsdesk.measure.archive` finds the pickups of one publication on demand; reports and
KPIs need them for hundreds of publications at once, so they are stored, one row per
(family, article), filed under the family's *source* publication with the language of the
variant the article reused.

**Which publications.** A family is measured once its source is published; its members
(the source and its language variants) take part when they are published themselves. A
draft's "pickups" would be the articles it duplicates, not reach, and are not stored.

**Two ways in.**

* :func:`refresh_publication` redoes one family in full: for each published member, the
  matcher's distinctive phrases (:func:`newsdesk.measure.pickup.candidate_terms`) make one
  full-text query over the articles of its language published since it went out; those
  candidates and the family's previously stored pickups are compared, and the family's
  rows are *replaced*. Run when a family is published, or by hand after a correction
  (``newsdesk pickup-refresh``).
* :func:`refresh_new_articles` takes the articles stored since a watermark (an article id,
  as the collection stages keep one) and compares each with the families published in the
  last ``days``. A full-text query per family and pass would cost one index scan per
  family every hour; instead the families' word 8-grams (the matcher's passage length) are
  held in one sorted array, and an article is compared only with the families it shares
  an 8-gram with — no pickup is possible without one, so nothing is lost. New matches are
  *upserted*.

:func:`refresh_pass` is the service's hourly work: full refreshes for families published
since the last pass (on the first pass: those of the last ``days``), then the new articles
against the others, then the watermark moves to the highest article id seen at the start.
Its state is the ``analysis_state`` row ``pickups`` (watermark = article id; state = JSON
with the time the pass started). Re-running any of it changes nothing: rows are replaced.

**Time.** ``delay_hours`` is the article's publication time minus the matched variant's.
Articles dated more than ``EARLY_HOURS`` before the publication are not pickups (they came
first: the office reused *them*); the allowance covers a publication recorded as published
after it actually went online. An article without a publication time has no delay.

Two refreshers may run at once (the service's thread and a backfill by hand): rows are written
with INSERT … ON CONFLICT DO UPDATE, so the later write of the same pickup replaces the earlier.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, func, insert, or_, select, tuple_, update

from newsdesk.analyze.dedup import word_hashes
from newsdesk.measure.archive import EARLY_HOURS
from newsdesk.measure.pickup import (
    Candidate,
    Pickup,
    Publication,
    Variant,
    candidate_query,
    candidate_terms,
    find_pickups,
)
from newsdesk.store.repo import Store
from newsdesk.store.search import SearchFilters
from newsdesk.store.tables import ArticleRow, PickupRow, PublicationRow, StateRow, utcnow

__all__ = [
    "EARLY_HOURS",
    "STATE_NAME",
    "RefreshReport",
    "published_families",
    "refresh_new_articles",
    "refresh_pass",
    "refresh_period",
    "refresh_publication",
    "refresh_recent",
]

log = logging.getLogger("newsdesk.measure.refresh")

STATE_NAME = "pickups"
_GRAM = 8
"""Words per n-gram of the pre-filter: the matcher's shortest passage."""
_MUL = np.uint64(0x9E3779B97F4A7C15)
_CHUNK = 500


@dataclass(slots=True)
class RefreshReport:
    """What a refresh did: families redone in full, new articles compared, rows written."""

    families: int = 0
    articles: int = 0
    pickups: int = 0
    watermark: int | None = None
    family_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "families": self.families,
            "articles": self.articles,
            "pickups": self.pickups,
            "watermark": self.watermark,
        }


@dataclass(frozen=True, slots=True)
class _Member:
    id: int
    family: int
    language: str
    title: str
    body: str
    published_at: datetime


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _utc(now: datetime | None) -> datetime:
    """``now`` (default: the current time) in UTC, as the database stores times."""
    return (now or utcnow()).astimezone(UTC)


# ---------------------------------------------------------------- families


def published_families(conn: Connection, since: datetime | None = None) -> list[int]:
    """Ids of the published source publications (published at or after ``since``), oldest first."""
    p = PublicationRow
    stmt = select(p.id).where(p.status == "published", p.source_id.is_(None)).order_by(p.published_at, p.id)
    if since is not None:
        stmt = stmt.where(p.published_at >= since.astimezone(UTC))
    return [int(i) for i in conn.execute(stmt).scalars()]


def _members(conn: Connection, family_ids: Sequence[int]) -> dict[int, list[_Member]]:
    """The published members of the families whose source is published, by family id."""
    p = PublicationRow
    found: dict[int, list[_Member]] = {}
    for chunk in _chunks(family_ids):
        sources = select(p.id).where(p.id.in_(chunk), p.status == "published", p.source_id.is_(None))
        rows = conn.execute(
            select(p.id, p.source_id, p.language, p.title, p.body, p.published_at)
            .where(p.status == "published", or_(p.id.in_(sources), p.source_id.in_(sources)))
            .order_by(p.id)
        ).all()
        for r in rows:
            family = int(r.source_id or r.id)
            published = _aware(r.published_at) or utcnow()
            found.setdefault(family, []).append(
                _Member(int(r.id), family, r.language, r.title, r.body, published)
            )
    for members in found.values():
        members.sort(key=lambda m: (m.id != m.family, m.id))  # the source first
    return found


def _family_of(conn: Connection, publication_id: int) -> int | None:
    row = conn.execute(
        select(PublicationRow.id, PublicationRow.source_id).where(PublicationRow.id == publication_id)
    ).first()
    return None if row is None else int(row.source_id or row.id)


def _publication(members: Sequence[_Member]) -> Publication:
    return Publication(str(members[0].family), tuple(Variant(m.language, m.title, m.body) for m in members))


def _chunks(items: Sequence[int], size: int = _CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# ---------------------------------------------------------------- rows


def _articles(conn: Connection, ids: Iterable[int]) -> dict[int, Any]:
    a = ArticleRow
    wanted, rows = sorted(set(ids)), {}
    for chunk in _chunks(wanted):
        for r in conn.execute(
            select(a.id, a.title, a.body, a.language, a.published_at, a.sort_time).where(a.id.in_(chunk))
        ):
            rows[int(r.id)] = r
    return rows


def _row(family: int, article: Any, pickup: Pickup, members: Sequence[_Member]) -> dict[str, Any] | None:
    """The table row of a match, or None when the article came before the publication."""
    published = next((m.published_at for m in members if m.language == pickup.language), None)
    published = published or members[0].published_at
    when = _aware(article.published_at)
    if (when or _aware(article.sort_time) or published) < published - timedelta(hours=EARLY_HOURS):
        return None
    delay = (when - published).total_seconds() / 3600 if when else None
    match = pickup.match
    return {
        "publication_id": family,
        "article_id": int(article.id),
        "variant_language": pickup.language,
        "kind": match.kind,
        "reused_share": round(match.reused_share, 4),
        "article_share": round(match.article_share, 4),
        "delay_hours": round(delay, 2) if delay is not None else None,
        "passages": [
            {
                "publication": [p.a_start, p.a_end],
                "article": [p.b_start, p.b_end],
                "words": p.words,
                "text": p.text,
            }
            for p in match.passages
        ],
        "matched_at": utcnow(),
    }


def _matches(members: Sequence[_Member], articles: dict[int, Any]) -> list[dict[str, Any]]:
    candidates = (Candidate(str(i), r.title, r.body, r.language) for i, r in articles.items())
    found = find_pickups(_publication(members), candidates)
    rows = (_row(members[0].family, articles[int(p.article_id)], p, members) for p in found)
    return [r for r in rows if r is not None]


# ---------------------------------------------------------------- one family in full


def _candidate_ids(store: Store, member: _Member, limit: int) -> list[int]:
    terms = candidate_terms(member.body, member.title, language=member.language)
    if not terms:
        return []
    filters = SearchFilters(
        language=member.language, date_from=member.published_at - timedelta(hours=EARLY_HOURS)
    )
    page = store.search(candidate_query(terms), filters, order="relevance", page_size=limit)
    return [hit.id for hit in page.hits]


def refresh_publication(store: Store, publication_id: int, *, candidates: int = 300) -> int:
    """Replace the stored pickups of ``publication_id``'s family; the number of rows stored.

    Any member of the family may be given. A family whose source is not (or no longer)
    published keeps no pickups.
    """
    with store.engine.connect() as conn:
        family = _family_of(conn, publication_id)
        if family is None:
            return 0
        members = _members(conn, [family]).get(family, [])
        known = conn.execute(select(PickupRow.article_id).where(PickupRow.publication_id == family))
        ids = {int(i) for i in known.scalars()}
    for member in members:
        ids.update(_candidate_ids(store, member, candidates))
    rows: list[dict[str, Any]] = []
    if members and ids:
        with store.engine.connect() as conn:
            articles = _articles(conn, ids)
        rows = _matches(members, articles)
    with store.engine.begin() as conn:
        conn.execute(delete(PickupRow).where(PickupRow.publication_id == family))
        if rows:
            conn.execute(_insert_or_replace(conn), rows)
    return len(rows)


def refresh_recent(
    store: Store, *, days: int | None = 30, now: datetime | None = None, candidates: int = 300
) -> RefreshReport:
    """Redo every family published in the last ``days`` (all of them with ``days=None``)."""
    since = None if days is None else _utc(now) - timedelta(days=days)
    with store.engine.connect() as conn:
        families = published_families(conn, since)
    report = RefreshReport(family_ids=families)
    for family in families:
        report.pickups += refresh_publication(store, family, candidates=candidates)
        report.families += 1
    return report


def refresh_period(store: Store, start: datetime, end: datetime, *, candidates: int = 300) -> RefreshReport:
    """Match the families published in ``[start, end]`` that have no stored pickup yet.

    What a report or a KPI query calls first: the hourly pass covers recent publications, but a
    report may be made before it ran, or for an older period. Families with stored pickups are
    kept as they are (the hourly pass keeps them current).
    """
    with store.engine.connect() as conn:
        families = [
            int(f)
            for f in conn.execute(
                select(PublicationRow.id).where(
                    PublicationRow.source_id.is_(None),
                    PublicationRow.status == "published",
                    PublicationRow.published_at >= start,
                    PublicationRow.published_at <= end,
                    ~select(PickupRow.article_id)
                    .where(PickupRow.publication_id == PublicationRow.id)
                    .exists(),
                )
            ).scalars()
        ]
    report = RefreshReport(family_ids=families)
    for family in families:
        report.pickups += refresh_publication(store, family, candidates=candidates)
        report.families += 1
    return report


# ---------------------------------------------------------------- new articles


def _gram_keys(text: str) -> np.ndarray:
    """The distinct word 8-grams of ``text`` as 64-bit keys."""
    words = word_hashes(text)
    count = len(words) - _GRAM + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    keys = words[:count].copy()
    for k in range(1, _GRAM):
        keys = keys * _MUL + words[k : count + k]
    return np.unique(keys)


class _GramIndex:
    """Which published members share at least one word 8-gram with a text."""

    def __init__(self, members: Sequence[_Member]) -> None:
        self.members = list(members)
        parts = [_gram_keys(m.body) for m in self.members]
        keys = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
        owners = np.concatenate([np.full(len(k), i) for i, k in enumerate(parts)]) if parts else keys
        order = np.argsort(keys, kind="stable")
        self.keys, self.owners = keys[order], owners[order].astype(np.int64)

    def families(self, text: str, language: str | None) -> set[int]:
        grams = _gram_keys(text)
        if not len(grams) or not len(self.keys):
            return set()
        left = np.searchsorted(self.keys, grams, "left")
        right = np.searchsorted(self.keys, grams, "right")
        found: set[int] = set()
        for lo, hi in zip(left[right > left].tolist(), right[right > left].tolist(), strict=True):
            for owner in set(self.owners[lo:hi].tolist()):
                member = self.members[owner]
                if language is None or member.language == language:
                    found.add(member.family)
        return found


def refresh_new_articles(
    store: Store,
    after_id: int,
    *,
    upto_id: int | None = None,
    days: int = 30,
    now: datetime | None = None,
    skip: Iterable[int] = (),
) -> RefreshReport:
    """Compare the articles with ``after_id < id <= upto_id`` with the families published in the
    last ``days`` (except ``skip``); store what they pick up."""
    since = _utc(now) - timedelta(days=days)
    skipped = set(skip)
    with store.engine.connect() as conn:
        families = [f for f in published_families(conn, since) if f not in skipped]
        members = _members(conn, families)
        top = upto_id if upto_id is not None else conn.execute(select(func.max(ArticleRow.id))).scalar()
    report = RefreshReport(watermark=int(top or after_id))
    if not members or top is None or top <= after_id:
        return report
    index = _GramIndex([m for ms in members.values() for m in ms])
    start = after_id
    while start < top:
        with store.engine.connect() as conn:
            ids = conn.execute(
                select(ArticleRow.id)
                .where(ArticleRow.id > start, ArticleRow.id <= top)
                .order_by(ArticleRow.id)
                .limit(_CHUNK)
            ).scalars()
            articles = _articles(conn, [int(i) for i in ids])
        if not articles:
            break
        report.articles += len(articles)
        report.pickups += _upsert(store, _new_matches(index, members, articles))
        start = max(articles)
    return report


def _new_matches(
    index: _GramIndex, members: dict[int, list[_Member]], articles: dict[int, Any]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for article_id, article in articles.items():
        for family in sorted(index.families(article.body, article.language)):
            rows.extend(_matches(members[family], {article_id: article}))
    return rows


def _upsert(store: Store, rows: Sequence[dict[str, Any]]) -> int:
    if not rows:
        return 0
    keys = [(r["publication_id"], r["article_id"]) for r in rows]
    with store.engine.begin() as conn:
        for start in range(0, len(keys), _CHUNK):
            pairs = keys[start : start + _CHUNK]
            conn.execute(
                delete(PickupRow).where(tuple_(PickupRow.publication_id, PickupRow.article_id).in_(pairs))
            )
        conn.execute(_insert_or_replace(conn), list(rows))
    return len(rows)


def _insert_or_replace(conn: Connection) -> Any:
    """INSERT … ON CONFLICT DO UPDATE: a second refresher writing the same pickup at the same
    time (the service and a backfill by hand) replaces the row instead of failing."""
    from sqlalchemy.dialects import postgresql, sqlite

    stmt: Any = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(PickupRow)
    columns = [c.name for c in PickupRow.__table__.columns if c.name not in ("publication_id", "article_id")]
    return stmt.on_conflict_do_update(
        index_elements=["publication_id", "article_id"], set_={c: stmt.excluded[c] for c in columns}
    )


# ---------------------------------------------------------------- the service's pass


def _read_state(conn: Connection) -> tuple[int, datetime | None] | None:
    row = conn.execute(select(StateRow.watermark, StateRow.state).where(StateRow.name == STATE_NAME)).first()
    if row is None:
        return None
    try:
        through = json.loads(bytes(row.state or b"{}").decode() or "{}").get("through")
    except (ValueError, UnicodeDecodeError):
        through = None
    return int(row.watermark), _aware(datetime.fromisoformat(through)) if through else None


def _save_state(conn: Connection, watermark: int, through: datetime) -> None:
    state = json.dumps({"through": through.isoformat()}).encode()
    values = {"watermark": watermark, "state": state, "updated_at": utcnow()}
    if not conn.execute(update(StateRow).where(StateRow.name == STATE_NAME).values(**values)).rowcount:
        conn.execute(insert(StateRow).values(name=STATE_NAME, version=0, **values))


def refresh_pass(store: Store, *, days: int = 30, now: datetime | None = None) -> RefreshReport:
    """Catch up: families published since the last pass in full, then new articles (see above)."""
    now = _utc(now)
    with store.engine.connect() as conn:
        state = _read_state(conn)
        top = int(conn.execute(select(func.max(ArticleRow.id))).scalar() or 0)
    if state is None or state[1] is None:
        since = now - timedelta(days=days)
    else:
        since = state[1] - timedelta(minutes=10)  # publications committed while the last pass ran
    with store.engine.connect() as conn:
        fresh = published_families(conn, since)
    report = RefreshReport(family_ids=fresh, watermark=top)
    for family in fresh:
        report.pickups += refresh_publication(store, family)
        report.families += 1
    if state is not None and state[0] < top:
        new = refresh_new_articles(store, state[0], upto_id=top, days=days, now=now, skip=fresh)
        report.articles, report.pickups = new.articles, report.pickups + new.pickups
    with store.engine.begin() as conn:
        _save_state(conn, top, now)
    log.info("pickup refresh: %s", report.as_dict())
    return report
