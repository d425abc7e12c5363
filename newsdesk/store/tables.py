"""SQLAlchemy tables: the schema Alembic migrates.

Raw input (``raw_items``, ``quarantine``) is kept forever; ``articles`` holds
fields derived from it and can be rebuilt by ``newsdesk reprocess``. The search
index (``article_fts`` on SQLite, ``articles.search_vector`` on PostgreSQL) is
created by the migration, not here, because it differs per backend.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["ArticleRow", "Base", "QuarantineRow", "RawRow", "SourceRow", "utcnow"]

# SQLite wants INTEGER PRIMARY KEY for rowid aliasing; PostgreSQL gets BIGINT.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(8))
    outlet: Mapped[str | None] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    polls: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)


class RawRow(Base):
    """One raw input exactly as received; identity is the SHA-256 of its bytes."""

    __tablename__ = "raw_items"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    origin: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """pending → article | duplicate | discarded | quarantined"""
    reason: Mapped[str | None] = mapped_column(String(64))
    article_id: Mapped[int | None] = mapped_column(IdType)


class ArticleRow(Base):
    """Fields derived from one raw item; ``key`` makes ingest idempotent.

    Column order matters on SQLite: small columns used by filters and sorting come
    first, large text last, so reading them never walks a long body's overflow pages.
    """

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    raw_id: Mapped[int] = mapped_column(ForeignKey("raw_items.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    language: Mapped[str | None] = mapped_column(String(16))
    lang_confidence: Mapped[float | None] = mapped_column(Float)
    outlet: Mapped[str | None] = mapped_column(String(200))
    sort_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """Publication time, or ingest time when the article has none: what date filters and order use."""
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    words: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Sections written by later analysis stages, by stage name."""
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_articles_sort_time", "sort_time"),
        Index("ix_articles_language", "language"),
        Index("ix_articles_outlet", "outlet"),
        Index("ix_articles_source", "source_id"),
    )


class QuarantineRow(Base):
    """Input that could not become an article, kept with its reason; never retried automatically."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    origin: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    """SHA-256 of the kept bytes; empty when nothing could be read."""
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    raw_id: Mapped[int | None] = mapped_column(ForeignKey("raw_items.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("origin", "sha256", name="uq_quarantine_origin_sha"),)
