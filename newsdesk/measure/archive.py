"""Pickups of a stored publication in the stored archive of monitored articles.

For each language variant of the publication (the source and its translations), the
distinctive phrases of :func:`newsdesk.measure.pickup.candidate_terms` make one OR'ed
full-text query; the best ``candidates`` articles by relevance are read and compared
by :func:`newsdesk.measure.pickup.find_pickups`. A publication in any status can be
checked (a draft finds the articles it would duplicate); for a published one each
pickup also has its delay after publication.

:func:`publication_pickups` is what the workspace shows: the matches stored in the
``pickups`` table (kept up to date by a refresher, filed under the family's source) when
there are any, else :func:`pickups` computed live. Both give the same rows; a stored
passage keeps only its offsets, so its text is read back from the article.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from newsdesk.measure.pickup import (
    Candidate,
    Publication,
    Variant,
    candidate_query,
    candidate_terms,
    find_pickups,
)
from newsdesk.publish.publications import Publications
from newsdesk.store.repo import Store
from newsdesk.store.search import SearchFilters
from newsdesk.store.tables import ArticleRow, PickupRow

EARLY_HOURS = 6.0
"""Articles dated more than this before a publication are not its pickups (they came first)."""

__all__ = ["family", "pickups", "publication_pickups", "stored_pickups"]


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def family(publications: Publications, publication_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The source publication and all its language variants (with bodies)."""
    members = publications.family(publication_id)
    return members[0], members


def _candidate_ids(store: Store, variant: dict[str, Any], limit: int) -> list[int]:
    words = len(variant["body"].split())
    # One phrase per ~15 words, so that a quotation of ~40 words holds at least two of them.
    terms = candidate_terms(
        variant["body"],
        variant["title"],
        language=variant["language"],
        max_terms=min(96, max(32, words // 15)),
    )
    if not terms:
        return []
    return store.best_matches(
        candidate_query(terms), SearchFilters(language=variant["language"]), limit=limit
    )


def pickups(
    store: Store, publications: Publications, publication_id: int, *, candidates: int = 300
) -> list[dict[str, Any]]:
    """The monitored articles that reuse the publication or one of its variants, most reused first."""
    source, members = family(publications, publication_id)
    ids: list[int] = []
    for member in members:
        ids.extend(i for i in _candidate_ids(store, member, candidates) if i not in ids)
    if not ids:
        return []
    a = ArticleRow
    with store.engine.connect() as conn:
        rows = {
            r.id: r
            for r in conn.execute(
                select(
                    a.id, a.title, a.body, a.language, a.outlet, a.url, a.canonical_url, a.published_at
                ).where(a.id.in_(ids))
            )
        }
    publication = Publication(
        str(source["id"]), tuple(Variant(m["language"], m["title"], m["body"]) for m in members)
    )
    found = find_pickups(
        publication,
        (Candidate(str(i), rows[i].title, rows[i].body, rows[i].language) for i in ids if i in rows),
    )
    published = {
        m["language"]: _aware(datetime.fromisoformat(m["published_at"])) for m in members if m["published_at"]
    }
    found_rows = [_row(rows[int(p.article_id)], p, published.get(p.language)) for p in found]
    # An article dated well before the publication came first: the office reused it, not the reverse
    # (the same rule as the stored pickups, newsdesk.measure.refresh.EARLY_HOURS).
    return [r for r in found_rows if r["delay_hours"] is None or r["delay_hours"] >= -EARLY_HOURS]


def _row(article: Any, pickup: Any, published: datetime | None) -> dict[str, Any]:
    when = _aware(article.published_at)
    delay = (when - published).total_seconds() / 3600 if when and published else None
    match = pickup.match
    return {
        "id": article.id,
        "url": article.canonical_url or article.url,
        "outlet": article.outlet,
        "language": article.language or pickup.language,
        "published_at": when.isoformat() if when else None,
        "delay_hours": round(delay, 1) if delay is not None else None,
        "kind": match.kind,
        "reused_share": round(match.reused_share, 3),
        "article_share": round(match.article_share, 3),
        "variant_language": pickup.language,
        "passages": [
            {
                "publication": [p.a_start, p.a_end],
                "article": [p.b_start, p.b_end],
                "words": p.words,
                "text": p.text,
            }
            for p in match.passages
        ],
    }


def stored_pickups(store: Store, publications: Publications, publication_id: int) -> list[dict[str, Any]]:
    """The pickups of the publication's family stored in the ``pickups`` table, most reused first."""
    source, _ = family(publications, publication_id)
    a, p = ArticleRow, PickupRow
    stmt = (
        select(
            p.article_id,
            p.variant_language,
            p.kind,
            p.reused_share,
            p.article_share,
            p.delay_hours,
            p.passages,
            a.outlet,
            a.url,
            a.canonical_url,
            a.language,
            a.published_at,
            a.body,
        )
        .join(a, a.id == p.article_id)
        .where(p.publication_id == source["id"])
        .order_by(p.reused_share.desc(), p.article_id)
    )
    with store.engine.connect() as conn:
        return [_stored_row(r) for r in conn.execute(stmt)]


def _stored_row(row: Any) -> dict[str, Any]:
    when = _aware(row.published_at)
    return {
        "id": row.article_id,
        "url": row.canonical_url or row.url,
        "outlet": row.outlet,
        "language": row.language or row.variant_language,
        "published_at": when.isoformat() if when else None,
        "delay_hours": row.delay_hours,
        "kind": row.kind,
        "reused_share": row.reused_share,
        "article_share": row.article_share,
        "variant_language": row.variant_language,
        "passages": [_with_text(passage, row.body) for passage in row.passages or []],
    }


def _with_text(passage: dict[str, Any], body: str | None) -> dict[str, Any]:
    """A stored passage with its text, read from the article's body at its ``article`` offsets."""
    if "text" in passage or not body:
        return dict(passage)
    start, end = passage.get("article") or (0, 0)
    return passage | {"text": body[start:end]}


def publication_pickups(
    store: Store, publications: Publications, publication_id: int
) -> tuple[list[dict[str, Any]], str]:
    """The pickups to show and where they come from: ``"stored"`` (the refresher's table) or ``"live"``."""
    stored = stored_pickups(store, publications, publication_id)
    if stored:
        return stored, "stored"
    return pickups(store, publications, publication_id), "live"
