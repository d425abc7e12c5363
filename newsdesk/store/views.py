"""Read-side queries over the analysis tables: documents, entities, stories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection

from newsdesk.errors import NotFound
from newsdesk.store.tables import (
    ArticleDocumentRow,
    ArticleEntityRow,
    ArticleRow,
    ArticleThemeRow,
    DocumentRow,
    EntityRow,
    StoryRow,
)

__all__ = [
    "document_detail",
    "entity_detail",
    "list_documents",
    "list_entities",
    "list_stories",
    "list_themes",
    "story_detail",
    "story_row",
    "theme_attention",
]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


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
)


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


def list_documents(conn: Connection, *, limit: int = 100, type_: str | None = None) -> list[dict[str, Any]]:
    """Documents by number of citing articles, most cited first."""
    articles = func.count(ArticleDocumentRow.article_id).label("articles")
    stmt = (
        select(DocumentRow, articles)
        .join(ArticleDocumentRow, ArticleDocumentRow.document_id == DocumentRow.id)
        .group_by(DocumentRow.id)
        .order_by(articles.desc(), DocumentRow.id)
        .limit(limit)
    )
    if type_:
        stmt = stmt.where(DocumentRow.type == type_.upper())
    return [{**_document_dict(r), "articles": r.articles} for r in conn.execute(stmt)]


def document_detail(conn: Connection, document_id: str) -> dict[str, Any]:
    """One document with the articles and stories that cite it (also by its base id)."""
    row = conn.execute(select(DocumentRow).where(DocumentRow.id == document_id)).first()
    if row is None:
        raise NotFound(f"document {document_id!r} not found")
    same = select(DocumentRow.id).where(DocumentRow.base_id == row.base_id)
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
    return {**_document_dict(row), "variants": variants, "articles": articles, "stories": stories}


def list_entities(conn: Connection, *, kind: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Entities by number of articles mentioning them."""
    articles = func.count(ArticleEntityRow.article_id).label("articles")
    stmt = (
        select(EntityRow.id, EntityRow.kind, EntityRow.canonical, EntityRow.name, articles)
        .join(ArticleEntityRow, ArticleEntityRow.entity_id == EntityRow.id)
        .group_by(EntityRow.id, EntityRow.kind, EntityRow.canonical, EntityRow.name)
        .order_by(articles.desc(), EntityRow.id)
        .limit(limit)
    )
    if kind:
        stmt = stmt.where(EntityRow.kind == kind)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def entity_detail(conn: Connection, entity_id: int) -> dict[str, Any]:
    """One entity: its articles, positions seen, and the entities most often named with it."""
    row = conn.execute(select(EntityRow).where(EntityRow.id == entity_id)).first()
    if row is None:
        raise NotFound(f"entity {entity_id} not found")
    mentions = conn.execute(
        select(*_BRIEF, ArticleEntityRow.positions)
        .join(ArticleEntityRow, ArticleEntityRow.article_id == ArticleRow.id)
        .where(ArticleEntityRow.entity_id == entity_id)
        .order_by(ArticleRow.sort_time.desc())
    ).all()
    positions: list[dict[str, Any]] = []
    for m in mentions:
        positions.extend(p for p in m.positions or [] if p not in positions)
    other = ArticleEntityRow.__table__.alias("other")
    together = func.count().label("articles")
    co = conn.execute(
        select(EntityRow.id, EntityRow.kind, EntityRow.name, together)
        .join(other, other.c.entity_id == EntityRow.id)
        .join(ArticleEntityRow, ArticleEntityRow.article_id == other.c.article_id)
        .where(ArticleEntityRow.entity_id == entity_id, EntityRow.id != entity_id)
        .group_by(EntityRow.id, EntityRow.kind, EntityRow.name)
        .order_by(together.desc())
        .limit(20)
    ).all()
    return {
        "id": row.id,
        "kind": row.kind,
        "canonical": row.canonical,
        "name": row.name,
        "positions": positions,
        "articles": [_article_brief(m) for m in mentions],
        "co_occurring": [dict(c._mapping) for c in co],
    }


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


def list_stories(
    conn: Connection, *, since: datetime | None = None, limit: int = 50, min_size: int = 1
) -> list[dict[str, Any]]:
    """Stories active since ``since``, biggest (by outlets, then articles) first."""
    stmt = select(StoryRow).where(StoryRow.size >= min_size).order_by(StoryRow.last_at.desc()).limit(5000)
    if since is not None:
        stmt = stmt.where(StoryRow.last_at >= since)
    rows = [_story_dict(r) for r in conn.execute(stmt)]
    rows.sort(key=lambda s: (len(s["outlets"]), s["size"], s["last_at"] or ""), reverse=True)
    return rows[:limit]


def story_row(conn: Connection, story_id: int) -> Any:
    row = conn.execute(select(StoryRow).where(StoryRow.id == story_id)).first()
    if row is None:
        raise NotFound(f"story {story_id} not found")
    return row


def story_articles(conn: Connection, story_id: int) -> list[Any]:
    rows = conn.execute(
        select(
            *_BRIEF,
            ArticleRow.body,
            ArticleRow.url,
            ArticleRow.dup_of,
            ArticleRow.dup_kind,
            ArticleRow.sort_time,
        )
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


def story_detail(conn: Connection, story_id: int) -> dict[str, Any]:
    """A story: its articles in time order, copies grouped under their original, entities, summary."""
    from newsdesk.analyze.summarize import SummaryDoc, summarize_story

    row = story_row(conn, story_id)
    members = story_articles(conn, story_id)
    originals = [m for m in members if m.dup_of is None]
    summary, size = row.summary, row.summary_size
    if summary is None or size != len(members):
        docs = [SummaryDoc(str(m.id), m.title, m.body, m.published_at, m.language) for m in originals]
        summary = summarize_story(docs, max_words=120).text if docs else ""
        conn.execute(
            update(StoryRow).where(StoryRow.id == story_id).values(summary=summary, summary_size=len(members))
        )
    copies: dict[int, list[int]] = {}
    for m in members:
        if m.dup_of is not None:
            copies.setdefault(m.dup_of, []).append(m.id)
    return {
        **_story_dict(row),
        "summary": summary,
        "articles": [
            {**_article_brief(m), "url": m.url, "dup_of": m.dup_of, "dup_kind": m.dup_kind} for m in members
        ],
        "duplicates": [{"original": k, "copies": v} for k, v in copies.items()],
        "entities": story_entities(conn, [m.id for m in members]),
    }


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


def theme_attention(
    conn: Connection,
    theme_id: str,
    bucket: str = "day",
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """Articles per period carrying the theme (or a subtheme), and their share of all articles."""
    from newsdesk.analyze.themes import attention, load_taxonomy

    taxonomy = load_taxonomy()
    if theme_id not in {t.id for t in taxonomy}:
        raise NotFound(f"theme {theme_id!r} not found")
    has_theme = (
        select(ArticleThemeRow.article_id)
        .where(
            ArticleThemeRow.article_id == ArticleRow.id,
            or_(ArticleThemeRow.theme_id == theme_id, ArticleThemeRow.theme_id.like(theme_id + ".%")),
        )
        .exists()
    )
    stmt = select(ArticleRow.sort_time, has_theme)
    if since is not None:
        stmt = stmt.where(ArticleRow.sort_time >= since)
    if until is not None:
        stmt = stmt.where(ArticleRow.sort_time <= until)
    records = ((t, [theme_id] if flagged else []) for t, flagged in conn.execute(stmt))
    points = attention(records, theme_id, bucket)  # type: ignore[arg-type]
    theme = taxonomy[theme_id]
    return {
        "id": theme_id,
        "label_vi": theme.label_vi,
        "label_en": theme.label_en,
        "bucket": bucket,
        "points": [
            {"start": p.start.isoformat(), "articles": p.articles, "share": round(p.share, 4)} for p in points
        ],
    }
