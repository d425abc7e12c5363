"""Write what per-article stages found into queryable tables: documents, entities, themes.

The article's ``sections`` JSON is the record; these tables are its index, rewritten
whenever the article is (re)derived, so "which articles cite KL-57-TW-XIII" or "who is
mentioned with whom" are SQL queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from newsdesk.model import Article
from newsdesk.store.tables import (
    ArticleDocumentRow,
    ArticleEntityRow,
    ArticleThemeRow,
    DocumentRow,
    EntityRow,
)

__all__ = ["delete_links", "write_links"]

_DOCUMENT_FIELDS = ("base_id", "type", "type_name_vi", "type_name_en", "number", "issuer", "code", "year")


def _insert_ignore(conn: Connection, table: Any) -> Any:
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    return insert(table).on_conflict_do_nothing()


def delete_links(conn: Connection, article_ids: Sequence[int]) -> None:
    for table in (ArticleDocumentRow, ArticleEntityRow, ArticleThemeRow):
        conn.execute(delete(table).where(table.article_id.in_(list(article_ids))))


def write_links(conn: Connection, ids: Sequence[int], articles: Sequence[Article]) -> None:
    pairs = list(zip(ids, articles, strict=True))
    _write_documents(conn, pairs)
    _write_entities(conn, pairs)
    _write_themes(conn, pairs)


def _write_documents(conn: Connection, pairs: list[tuple[int, Article]]) -> None:
    documents: dict[str, dict[str, Any]] = {}
    links = []
    for article_id, article in pairs:
        for doc in article.sections.get("documents", []):
            documents.setdefault(
                doc["id"],
                {
                    "id": doc["id"],
                    **{k: doc.get(k) for k in _DOCUMENT_FIELDS},
                    "date": doc.get("date"),
                    "term": doc.get("term"),
                    "title": doc.get("title"),
                },
            )
            links.append(
                {
                    "article_id": article_id,
                    "document_id": doc["id"],
                    "mentions": doc["mentions"],
                    "surface": doc["surface"],
                }
            )
    if documents:
        conn.execute(_insert_ignore(conn, DocumentRow), list(documents.values()))
    if links:
        conn.execute(_insert_ignore(conn, ArticleDocumentRow), links)


def _write_entities(conn: Connection, pairs: list[tuple[int, Article]]) -> None:
    found = {
        (e["kind"], e["canonical"]): e["name"]
        for _, article in pairs
        for e in article.sections.get("entities", [])
    }
    if not found:
        return
    conn.execute(
        _insert_ignore(conn, EntityRow),
        [{"kind": kind, "canonical": canonical, "name": name} for (kind, canonical), name in found.items()],
    )
    ids: dict[tuple[str, str], int] = {}
    canonicals = sorted({c for _, c in found})
    for start in range(0, len(canonicals), 500):
        rows = conn.execute(
            select(EntityRow.id, EntityRow.kind, EntityRow.canonical).where(
                EntityRow.canonical.in_(canonicals[start : start + 500])
            )
        )
        ids.update({(kind, canonical): entity_id for entity_id, kind, canonical in rows})
    links = [
        {
            "article_id": article_id,
            "entity_id": ids[(e["kind"], e["canonical"])],
            "mentions": e["mentions"],
            "positions": e["positions"],
        }
        for article_id, article in pairs
        for e in article.sections.get("entities", [])
    ]
    conn.execute(_insert_ignore(conn, ArticleEntityRow), links)


def _write_themes(conn: Connection, pairs: list[tuple[int, Article]]) -> None:
    links = [
        {"article_id": article_id, "theme_id": theme["id"], "score": theme["score"]}
        for article_id, article in pairs
        for theme in article.sections.get("themes", [])
    ]
    if links:
        conn.execute(_insert_ignore(conn, ArticleThemeRow), links)
