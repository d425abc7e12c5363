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

__all__ = [
    "ApiTokenRow",
    "ArticleDocumentRow",
    "ArticleEntityRow",
    "ArticleRow",
    "ArticleThemeRow",
    "Base",
    "DedupRow",
    "DocumentRow",
    "EntityRow",
    "GlossaryEntryRow",
    "MemoryUnitRow",
    "PickupRow",
    "PlanRow",
    "PublicationEventRow",
    "PublicationRow",
    "PublicationVersionRow",
    "QuarantineRow",
    "RawRow",
    "ReportRow",
    "SavedQueryRow",
    "SessionRow",
    "SourceRow",
    "StateRow",
    "StoryRow",
    "UnitRow",
    "UserRow",
    "utcnow",
]

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
    # Added by migration 0002 (so they follow the body on disk; read through indexes).
    story_id: Mapped[int | None] = mapped_column(IdType)
    dup_group: Mapped[int | None] = mapped_column(IdType)
    """Id of the first article of its copy group (itself when it has copies or none)."""
    dup_of: Mapped[int | None] = mapped_column(IdType)
    """The group's canonical (earliest published) article when this one is a copy, else None."""
    dup_kind: Mapped[str | None] = mapped_column(String(8))
    dup_similarity: Mapped[float | None] = mapped_column(Float)
    # Added by migration 0004 (after the body on disk too: facets read it through its index).
    country: Mapped[str | None] = mapped_column(String(2))
    """ISO 3166-1 alpha-2: the registered source's country, else the URL's country domain."""

    __table_args__ = (
        Index("ix_articles_sort_time", "sort_time"),
        Index("ix_articles_language", "language"),
        Index("ix_articles_outlet", "outlet"),
        Index("ix_articles_source", "source_id"),
        Index("ix_articles_story", "story_id", "sort_time"),
        Index("ix_articles_dup_group", "dup_group"),
        Index("ix_articles_country", "country"),
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


class StoryRow(Base):
    """One event across outlets and languages, as the online clustering keeps it."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    """The clusterer's id for the story."""
    title: Mapped[str] = mapped_column(Text, default="")
    first_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    size: Mapped[int] = mapped_column(Integer, default=0)
    outlets: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    representative_id: Mapped[int | None] = mapped_column(IdType)
    summary: Mapped[str | None] = mapped_column(Text)
    summary_size: Mapped[int] = mapped_column(Integer, default=0)
    """How many articles the stored summary was made from (recomputed when the story grows)."""
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_stories_last_at", "last_at"),)


class DedupRow(Base):
    """An article's near-duplicate signature, to rebuild the index after a restart."""

    __tablename__ = "article_dedup"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    exact_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_article_dedup_hash", "exact_hash"),)


class DocumentRow(Base):
    """A cited policy or legal document under its canonical id (``KL-57-TW-XIII``)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    base_id: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(16))
    type_name_vi: Mapped[str] = mapped_column(Text)
    type_name_en: Mapped[str] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(40))
    issuer: Mapped[str | None] = mapped_column(String(40))
    code: Mapped[str | None] = mapped_column(String(80))
    year: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[str | None] = mapped_column(String(10))
    term: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_documents_base", "base_id"),)


class ArticleDocumentRow(Base):
    __tablename__ = "article_documents"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    surface: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_article_documents_document", "document_id"),)


class EntityRow(Base):
    """A person, organisation or place named in published news, by canonical key."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    canonical: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("kind", "canonical", name="uq_entities_kind_canonical"),)


class ArticleEntityRow(Base):
    __tablename__ = "article_entities"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), primary_key=True)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    positions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    __table_args__ = (Index("ix_article_entities_entity", "entity_id"),)


class ArticleThemeRow(Base):
    __tablename__ = "article_themes"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    score: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_article_themes_theme", "theme_id"),)


class StateRow(Base):
    """Saved state of a collection stage (dedup index, story clusterer), versioned so
    two processes sharing a database never overwrite each other's progress."""

    __tablename__ = "analysis_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    watermark: Mapped[int] = mapped_column(IdType, default=0)
    """Highest article id the stage has processed: every run catches up from here."""
    state: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- the workspace: units, users, sessions, API tokens, saved queries -------------------------


class UnitRow(Base):
    """An office: the central one (``central``) or one of the 34 provincial ones (seeded)."""

    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    """``central`` or ``province``."""
    province_code: Mapped[str | None] = mapped_column(String(8))


class UserRow(Base):
    """A person who logs in; belongs to one unit and has one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text, default="")
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A browser session; the cookie holds a secret whose SHA-256 is the key here."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_sessions_user", "user_id"),)


class ApiTokenRow(Base):
    """A token for scripts (``Authorization: Bearer nd_…``); only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_api_tokens_user", "user_id"),)


class SavedQueryRow(Base):
    """A search a user saved: the query string and its facet filters."""

    __tablename__ = "saved_queries"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text, default="")
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_queries_user_name"),)


# --- publications: the office's own articles, their versions, events and language variants ----


class PublicationRow(Base):
    """One publication in one language; a variant points at its source publication."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"))
    author: Mapped[str] = mapped_column(String(100))
    """Who created it: a username, or ``cli:<account>`` for the command line."""
    language: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id", ondelete="SET NULL"))
    source_version: Mapped[int | None] = mapped_column(Integer)
    """The source's version this variant was translated from; behind the source's = stale."""
    url: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_publications_unit", "unit_code", "status"),
        Index("ix_publications_source", "source_id"),
    )


class PublicationVersionRow(Base):
    """Every saved text of a publication, kept for history and diffs."""

    __tablename__ = "publication_versions"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PublicationEventRow(Base):
    """Who did what and when: created, edited, submitted, returned, approved, published."""

    __tablename__ = "publication_events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_publication_events_publication", "publication_id", "at"),)


class GlossaryEntryRow(Base):
    """One concept of the approved glossary: its terms per language (JSON), status, domain."""

    __tablename__ = "glossary_entries"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    terms: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """``[{"lang": "vi", "text": "…", "usage": "preferred"}, …]``"""
    status: Mapped[str] = mapped_column(String(16), default="approved")
    domain: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MemoryUnitRow(Base):
    """One segment of the translation memory: a source and its translation."""

    __tablename__ = "translation_memory"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_translation_memory_pair", "source_lang", "target_lang"),)


class PlanRow(Base):
    """What a unit commits to produce, by when, and how far it got."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    due: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    """planned → in_progress → done, or dropped."""
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_plans_unit", "unit_code", "status"),)


class PickupRow(Base):
    """A monitored article that reuses a publication (or one of its variants): a stored match."""

    __tablename__ = "pickups"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True
    )
    """The source publication of the family (variants' pickups are filed under it)."""
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    variant_language: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    reused_share: Mapped[float] = mapped_column(Float)
    article_share: Mapped[float] = mapped_column(Float)
    delay_hours: Mapped[float | None] = mapped_column(Float)
    passages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    matched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_pickups_article", "article_id"),)


class ReportRow(Base):
    """A generated report (HTML and PDF files under the reports folder)."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    """weekly, monthly or on_demand."""
    unit_code: Mapped[str | None] = mapped_column(String(40))
    theme: Mapped[str | None] = mapped_column(String(120))
    period_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_to: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    html_path: Mapped[str] = mapped_column(Text)
    pdf_path: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_reports_period", "period_from", "period_to"),)
