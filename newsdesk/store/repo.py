"""The repository: every read and write newsdesk makes to its database.

Writes happen in batches, one transaction each, so an ingest killed at any
moment leaves whole batches behind and a re-run finishes the job: raw items are
unique by the SHA-256 of their bytes, articles by their identity key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, TextClause, bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import InputError, NotFound, StoreError
from newsdesk.model import Article, Discard, RawItem, content_hash
from newsdesk.store import views
from newsdesk.store.db import is_sqlite, open_database
from newsdesk.store.facets import Facets, article_country, count_facets
from newsdesk.store.links import delete_links, write_links
from newsdesk.store.search import Query, SearchFilters, parse_query, search_text, to_fts5, to_tsquery
from newsdesk.store.tables import (
    ArticleRow,
    ArticleThemeRow,
    DedupRow,
    QuarantineRow,
    RawRow,
    SourceRow,
    utcnow,
)

__all__ = [
    "BatchEntry",
    "BatchResult",
    "SearchHit",
    "SearchPage",
    "Store",
    "article_to_dict",
    "source_to_dict",
]

Outcome = Article | Discard | InputError


@dataclass(slots=True)
class BatchEntry:
    """A raw item with what deriving it gave; ``raw`` is None for input that never became one."""

    raw: RawItem | None
    outcome: Outcome


@dataclass(slots=True)
class BatchResult:
    ingested: int = 0
    duplicate: int = 0
    discarded: Counter[str] = field(default_factory=Counter)
    quarantined: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    """``(origin, reason, detail)`` for every quarantined input."""
    article_ids: list[int] = field(default_factory=list)

    def add(self, other: BatchResult) -> None:
        self.ingested += other.ingested
        self.duplicate += other.duplicate
        self.discarded.update(other.discarded)
        self.quarantined.update(other.quarantined)
        self.problems.extend(other.problems)
        self.article_ids.extend(other.article_ids)


@dataclass(slots=True)
class SearchHit:
    id: int
    title: str
    snippet: str
    score: float
    url: str | None
    outlet: str | None
    language: str | None
    published_at: datetime | None
    story_id: int | None = None
    country: str | None = None


@dataclass(slots=True)
class SearchPage:
    total: int
    page: int
    page_size: int
    hits: list[SearchHit]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def article_to_dict(row: ArticleRow, *, body: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "title": row.title,
        "url": row.url,
        "canonical_url": row.canonical_url,
        "outlet": row.outlet,
        "author": row.author,
        "language": row.language,
        "language_confidence": row.lang_confidence,
        "published_at": _iso(row.published_at),
        "fetched_at": _iso(row.fetched_at),
        "ingested_at": _iso(row.ingested_at),
        "source_id": row.source_id,
        "origin": row.origin,
        "kind": row.kind,
        "raw_id": row.raw_id,
        "words": row.words,
        "lead": row.lead,
    }
    if body:
        data["text"] = row.body
        data["sections"] = row.sections
        data["summary"] = article_summary(row)
        data["keyphrases"] = article_keyphrases(row)
        data["story_id"] = row.story_id
        data["dup_of"] = row.dup_of
        data["dup_kind"] = row.dup_kind
    return data


def article_keyphrases(row: ArticleRow) -> list[list[Any]]:
    """Stored keyphrases (the ``keyphrases`` stage) or ones made now: ~1 ms, only when shown."""
    stored = (row.sections or {}).get("keyphrases")
    if stored is not None:
        return list(stored)
    from newsdesk.analyze.builtin import article_keyphrases as make

    return make(row.title, row.body, row.language or "und")


def article_summary(row: ArticleRow) -> str:
    """The stored summary (the ``summary`` stage) or one made now: ~1 ms, only when shown."""
    stored = (row.sections or {}).get("summary")
    if stored:
        return str(stored["text"])
    from newsdesk.analyze.summarize import summarize_article

    return summarize_article(row.body, language=row.language or "und", title=row.title).text


def source_to_dict(row: SourceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "url": row.url,
        "language": row.language,
        "country": row.country,
        "outlet": row.outlet,
        "enabled": row.enabled,
        "last_polled_at": _iso(row.last_polled_at),
        "last_success_at": _iso(row.last_success_at),
        "last_error_at": _iso(row.last_error_at),
        "last_error": row.last_error,
        "polls": row.polls,
        "errors": row.errors,
        "articles": row.articles,
    }


def _article_values(article: Article, raw_id: int, countries: dict[int, str | None]) -> dict[str, Any]:
    """An ``articles`` row; ``countries`` holds the registered sources' countries by id."""
    t, f = article.text, article.fetch
    now = utcnow()
    source_country = countries.get(f.source_id) if f.source_id is not None else None
    return {
        "key": article.key,
        "raw_id": raw_id,
        "source_id": f.source_id,
        "origin": f.origin,
        "kind": f.kind,
        "url": f.url,
        "canonical_url": f.canonical_url,
        "title": t.title,
        "body": t.body,
        "lead": t.lead,
        "author": t.author,
        "outlet": t.outlet,
        "published_at": _utc(t.published),
        "fetched_at": _utc(f.fetched_at),
        "ingested_at": now,
        "sort_time": _utc(t.published) or now,
        "language": article.lang.code if article.lang else None,
        "lang_confidence": article.lang.confidence if article.lang else None,
        "words": len(t.body.split()),
        "sections": article.sections,
        "country": article_country(source_country, f.canonical_url or f.url),
    }


def _source_countries(conn: Connection, articles: Iterable[Article]) -> dict[int, str | None]:
    ids = {a.fetch.source_id for a in articles if a.fetch.source_id is not None}
    if not ids:
        return {}
    rows = conn.execute(select(SourceRow.id, SourceRow.country).where(SourceRow.id.in_(ids)))
    return {source_id: country for source_id, country in rows}


def _raw_values(raw: RawItem, status: str, reason: str | None) -> dict[str, Any]:
    return {
        "sha256": raw.sha256,
        "origin": raw.origin,
        "kind": raw.kind,
        "url": raw.url,
        "content_type": raw.content_type,
        "body": raw.body,
        "fields": _jsonable(raw.fields),
        "meta": _jsonable(raw.meta),
        "source_id": raw.source_id,
        "fetched_at": _utc(raw.fetched_at),
        "received_at": utcnow(),
        "status": status,
        "reason": reason,
    }


def _utc(value: datetime | None) -> datetime | None:
    """Datetimes are stored in UTC; naive ones are taken to be UTC already."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.items()}


def _status(outcome: Outcome) -> tuple[str, str | None]:
    if isinstance(outcome, Article):
        return "article", None
    if isinstance(outcome, Discard):
        return "discarded", outcome.reason
    return "quarantined", outcome.reason


class Store:
    """All database access. Create with :meth:`open`; safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = is_sqlite(engine)

    @classmethod
    def open(cls, url: str) -> Store:
        return cls(open_database(url))

    def close(self) -> None:
        self.engine.dispose()

    # -- sources -----------------------------------------------------------------

    def add_source(self, **values: Any) -> dict[str, Any]:
        with self.engine.begin() as conn:
            try:
                new_id = conn.execute(insert(SourceRow).values(**values).returning(SourceRow.id)).scalar_one()
            except IntegrityError as exc:
                raise StoreError(f"source {values.get('name')!r} already exists") from exc
        return self.get_source(new_id)

    def get_source(self, ident: int | str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(SourceRow).where(self._source_match(ident))).first()
        if row is None:
            raise NotFound(f"source {ident!r} not found")
        return source_to_dict(SourceRow(**row._mapping))

    def _source_match(self, ident: int | str) -> Any:
        if isinstance(ident, int) or (isinstance(ident, str) and ident.isdigit()):
            return SourceRow.id == int(ident)
        return SourceRow.name == ident

    def list_sources(self, *, enabled_only: bool = False) -> list[dict[str, Any]]:
        stmt = select(SourceRow).order_by(SourceRow.id)
        if enabled_only:
            stmt = stmt.where(SourceRow.enabled.is_(True))
        with self.engine.connect() as conn:
            return [source_to_dict(SourceRow(**r._mapping)) for r in conn.execute(stmt)]

    def remove_source(self, ident: int | str) -> dict[str, Any]:
        source = self.get_source(ident)
        with self.engine.begin() as conn:
            conn.execute(delete(SourceRow).where(SourceRow.id == source["id"]))
        return source

    def record_poll(
        self,
        source_id: int,
        *,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        now = utcnow()
        values: dict[str, Any] = {"last_polled_at": now, "polls": SourceRow.polls + 1}
        if error is None:
            values |= {"last_success_at": now}
            if etag is not None:
                values["etag"] = etag
            if last_modified is not None:
                values["last_modified"] = last_modified
        else:
            values |= {"last_error_at": now, "last_error": error[:2000], "errors": SourceRow.errors + 1}
        with self.engine.begin() as conn:
            conn.execute(update(SourceRow).where(SourceRow.id == source_id).values(**values))

    def source_validators(self, source_id: int) -> tuple[str | None, str | None]:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(SourceRow.etag, SourceRow.last_modified).where(SourceRow.id == source_id)
            ).first()
        return (row[0], row[1]) if row else (None, None)

    # -- ingest ------------------------------------------------------------------

    def known_raw(self, shas: Iterable[str]) -> set[str]:
        shas = list(set(shas))
        with self.engine.connect() as conn:
            return self._known_raw(conn, shas)

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """URLs already stored as a raw item or an article (to skip re-fetching pages)."""
        urls = list(set(urls))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(urls, 500):
                for column in (RawRow.url, ArticleRow.url):
                    rows = conn.execute(select(column).where(column.in_(chunk))).scalars()
                    found |= {url for url in rows if url}
        return found

    @staticmethod
    def _known_raw(conn: Connection, shas: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(shas), 500):
            found |= set(conn.execute(select(RawRow.sha256).where(RawRow.sha256.in_(chunk))).scalars())
        return found

    @staticmethod
    def _known_keys(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(keys), 500):
            rows = conn.execute(select(ArticleRow.key, ArticleRow.id).where(ArticleRow.key.in_(chunk)))
            found.update({k: i for k, i in rows})
        return found

    def write_batch(self, entries: Sequence[BatchEntry]) -> BatchResult:
        """Store one batch in one transaction; retried once if a concurrent writer raced us."""
        try:
            return self._write_batch(entries)
        except IntegrityError:
            return self._write_batch(entries)

    def _write_batch(self, entries: Sequence[BatchEntry]) -> BatchResult:
        result = BatchResult()
        with self.engine.begin() as conn:
            known = self._known_raw(conn, [e.raw.sha256 for e in entries if e.raw is not None])
            fresh: list[BatchEntry] = []
            seen: set[str] = set()
            for entry in entries:
                if entry.raw is None:
                    self._quarantine_input(conn, entry.outcome, result)  # type: ignore[arg-type]
                elif entry.raw.sha256 in known or entry.raw.sha256 in seen:
                    result.duplicate += 1
                else:
                    seen.add(entry.raw.sha256)
                    fresh.append(entry)
            self._write_fresh(conn, fresh, result)
        return result

    def _write_fresh(self, conn: Connection, fresh: list[BatchEntry], result: BatchResult) -> None:
        if not fresh:
            return
        keys = [e.outcome.key for e in fresh if isinstance(e.outcome, Article)]
        existing = self._known_keys(conn, keys)
        rows = []
        for entry in fresh:
            status, reason = _status(entry.outcome)
            if isinstance(entry.outcome, Article) and entry.outcome.key in existing:
                status, reason = "duplicate", "same_key"
            elif isinstance(entry.outcome, Article):
                existing[entry.outcome.key] = -1  # claimed by this batch
            assert entry.raw is not None
            rows.append(_raw_values(entry.raw, status, reason))
        raw_ids = list(
            conn.execute(insert(RawRow).returning(RawRow.id, sort_by_parameter_order=True), rows).scalars()
        )
        self._write_outcomes(conn, fresh, rows, raw_ids, existing, result)

    def _write_outcomes(
        self,
        conn: Connection,
        fresh: list[BatchEntry],
        rows: list[dict[str, Any]],
        raw_ids: list[int],
        existing: dict[str, int],
        result: BatchResult,
    ) -> None:
        new_articles: list[tuple[int, Article]] = []
        duplicate_links: list[dict[str, Any]] = []
        for entry, row, raw_id in zip(fresh, rows, raw_ids, strict=True):
            outcome = entry.outcome
            if row["status"] == "article":
                new_articles.append((raw_id, outcome))  # type: ignore[arg-type]
            elif row["status"] == "duplicate":
                result.duplicate += 1
                duplicate_links.append({"rid": raw_id, "aid": existing[outcome.key]})  # type: ignore[union-attr]
            elif isinstance(outcome, Discard):
                result.discarded[outcome.reason] += 1
            else:
                self._quarantine_input(conn, outcome, result, raw_id=raw_id, raw=entry.raw)  # type: ignore[arg-type]
        self._insert_articles(conn, new_articles, result)
        if duplicate_links:
            conn.execute(text("UPDATE raw_items SET article_id = :aid WHERE id = :rid"), duplicate_links)

    def _insert_articles(
        self, conn: Connection, items: list[tuple[int, Article]], result: BatchResult
    ) -> None:
        if not items:
            return
        countries = _source_countries(conn, [a for _, a in items])
        values = [_article_values(article, raw_id, countries) for raw_id, article in items]
        ids = list(
            conn.execute(
                insert(ArticleRow).returning(ArticleRow.id, sort_by_parameter_order=True), values
            ).scalars()
        )
        conn.execute(
            text("UPDATE raw_items SET article_id = :aid WHERE id = :rid"),
            [{"aid": aid, "rid": raw_id} for aid, (raw_id, _) in zip(ids, items, strict=True)],
        )
        self._index(conn, ids, [a for _, a in items])
        write_links(conn, ids, [a for _, a in items])
        self._count_source_articles(conn, [a for _, a in items])
        result.ingested += len(ids)
        result.article_ids.extend(ids)

    def _index(self, conn: Connection, ids: Sequence[int], articles: Sequence[Article]) -> None:
        params = [
            {"id": aid, "t": search_text(a.text.title), "b": search_text(_indexed_body(a))}
            for aid, a in zip(ids, articles, strict=True)
        ]
        if self.sqlite:
            conn.execute(text("INSERT INTO article_fts(rowid, title, body) VALUES (:id, :t, :b)"), params)
        else:
            conn.execute(
                text(
                    "UPDATE articles SET search_vector = "
                    "setweight(to_tsvector('simple', :t), 'A') || setweight(to_tsvector('simple', :b), 'B') "
                    "WHERE id = :id"
                ),
                params,
            )

    def _unindex(self, conn: Connection, ids: Sequence[int]) -> None:
        if self.sqlite and ids:
            conn.execute(text("DELETE FROM article_fts WHERE rowid = :id"), [{"id": i} for i in ids])

    @staticmethod
    def _count_source_articles(conn: Connection, articles: Sequence[Article]) -> None:
        counts = Counter(a.fetch.source_id for a in articles if a.fetch.source_id is not None)
        for source_id, n in counts.items():
            conn.execute(
                update(SourceRow).where(SourceRow.id == source_id).values(articles=SourceRow.articles + n)
            )

    def _quarantine_input(
        self,
        conn: Connection,
        error: InputError,
        result: BatchResult,
        *,
        raw_id: int | None = None,
        raw: RawItem | None = None,
        sha: str | None = None,
    ) -> None:
        """Record one quarantined input: its bytes live in ``raw_items`` when it got that far,
        else in the quarantine row itself (``error.raw``)."""
        body = None if raw_id is not None else error.raw
        if sha is None:
            sha = raw.sha256 if raw is not None else (content_hash(body) if body is not None else "")
        stmt = self._insert_ignore(QuarantineRow).values(
            origin=error.origin,
            reason=error.reason,
            detail=error.detail,
            sha256=sha,
            body=body,
            raw_id=raw_id,
            source_id=raw.source_id if raw else None,
            created_at=utcnow(),
        )
        conn.execute(stmt)
        result.quarantined[error.reason] += 1
        result.problems.append((error.origin, error.reason, error.detail))

    def _insert_ignore(self, table: Any) -> Any:
        if self.sqlite:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            return sqlite_insert(table).on_conflict_do_nothing()
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()

    # -- reprocess ---------------------------------------------------------------

    def raw_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(RawRow)).scalar_one())

    def iter_raw(self, batch_size: int = 500) -> Iterator[list[tuple[int, RawItem, int | None]]]:
        """Raw items in id order, in batches: ``(raw_id, item, article_id)``."""
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(RawRow).where(RawRow.id > last).order_by(RawRow.id).limit(batch_size)
                ).all()
            if not rows:
                return
            last = rows[-1].id
            yield [(r.id, _raw_item(r), r.article_id) for r in rows]

    def replace_derived(self, updates: Sequence[tuple[int, int | None, Outcome]]) -> BatchResult:
        """Reprocess: rewrite what was derived from each raw item ``(raw_id, article_id, outcome)``."""
        result = BatchResult()
        with self.engine.begin() as conn:
            for raw_id, article_id, outcome in updates:
                self._replace_one(conn, raw_id, article_id, outcome, result)
        return result

    def _replace_one(
        self, conn: Connection, raw_id: int, article_id: int | None, outcome: Outcome, result: BatchResult
    ) -> None:
        owned = (
            article_id is not None
            and conn.execute(
                select(ArticleRow.id).where(ArticleRow.id == article_id, ArticleRow.raw_id == raw_id)
            ).first()
            is not None
        )
        conn.execute(delete(QuarantineRow).where(QuarantineRow.raw_id == raw_id))
        if isinstance(outcome, Article):
            self._replace_article(conn, raw_id, article_id if owned else None, outcome, result)
            return
        if owned:
            self._drop_article(conn, article_id)  # type: ignore[arg-type]
        status, reason = _status(outcome)
        conn.execute(
            update(RawRow).where(RawRow.id == raw_id).values(status=status, reason=reason, article_id=None)
        )
        if isinstance(outcome, Discard):
            result.discarded[outcome.reason] += 1
        else:
            sha, source_id = conn.execute(
                select(RawRow.sha256, RawRow.source_id).where(RawRow.id == raw_id)
            ).one()
            stub = RawItem(origin=outcome.origin, kind="text", body=b"", source_id=source_id)
            self._quarantine_input(conn, outcome, result, raw_id=raw_id, raw=stub, sha=sha)

    def _replace_article(
        self, conn: Connection, raw_id: int, article_id: int | None, article: Article, result: BatchResult
    ) -> None:
        other = self._known_keys(conn, [article.key]).get(article.key)
        if other is not None and other != article_id:
            if article_id is not None:
                self._drop_article(conn, article_id)
            conn.execute(
                update(RawRow)
                .where(RawRow.id == raw_id)
                .values(status="duplicate", reason="same_key", article_id=other)
            )
            result.duplicate += 1
            return
        values = _article_values(article, raw_id, _source_countries(conn, [article]))
        if article_id is None:
            article_id = conn.execute(
                insert(ArticleRow).values(**values).returning(ArticleRow.id)
            ).scalar_one()
        else:
            values.pop("ingested_at")
            if article.text.published is None:  # keep the original ingest time as its date
                values["sort_time"] = ArticleRow.ingested_at
            conn.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(**values))
            self._unindex(conn, [article_id])
        self._index(conn, [article_id], [article])
        delete_links(conn, [article_id])
        write_links(conn, [article_id], [article])
        conn.execute(
            update(RawRow)
            .where(RawRow.id == raw_id)
            .values(status="article", reason=None, article_id=article_id)
        )
        result.ingested += 1
        result.article_ids.append(article_id)

    def _drop_article(self, conn: Connection, article_id: int) -> None:
        self._unindex(conn, [article_id])
        delete_links(conn, [article_id])
        conn.execute(delete(DedupRow).where(DedupRow.article_id == article_id))
        conn.execute(update(RawRow).where(RawRow.article_id == article_id).values(article_id=None))
        conn.execute(delete(ArticleRow).where(ArticleRow.id == article_id))

    # -- reading -----------------------------------------------------------------

    def get_article(self, article_id: int) -> ArticleRow:
        with self.engine.connect() as conn:
            row = conn.execute(select(ArticleRow).where(ArticleRow.id == article_id)).first()
        if row is None:
            raise NotFound(f"article {article_id} not found")
        return _article_row(row)

    def article_id_for_key(self, key: str) -> int | None:
        with self.engine.connect() as conn:
            return self._known_keys(conn, [key]).get(key)

    def get_raw(self, raw_id: int) -> RawRow:
        with self.engine.connect() as conn:
            row = conn.execute(select(RawRow).where(RawRow.id == raw_id)).first()
        if row is None:
            raise NotFound(f"raw item {raw_id} not found")
        return RawRow(**row._mapping)

    def articles(self, ids: Sequence[int]) -> list[ArticleRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(ArticleRow).where(ArticleRow.id.in_(list(ids)))).all()
        by_id = {r.id: _article_row(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def quarantine(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    QuarantineRow.id,
                    QuarantineRow.origin,
                    QuarantineRow.reason,
                    QuarantineRow.detail,
                    QuarantineRow.raw_id,
                    QuarantineRow.created_at,
                )
                .order_by(QuarantineRow.id.desc())
                .limit(limit)
            ).all()
        return [{**r._mapping, "created_at": _iso(r.created_at)} for r in rows]

    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            count = lambda t: int(conn.execute(select(func.count()).select_from(t)).scalar_one())  # noqa: E731
            data: dict[str, Any] = {
                "articles": count(ArticleRow),
                "sources": count(SourceRow),
                "quarantined": count(QuarantineRow),
                "raw_items": count(RawRow),
            }
            data["raw_by_status"] = dict(
                conn.execute(select(RawRow.status, func.count()).group_by(RawRow.status)).all()
            )
            data["languages"] = dict(
                conn.execute(
                    select(ArticleRow.language, func.count())
                    .group_by(ArticleRow.language)
                    .order_by(func.count().desc())
                ).all()
            )
            data["outlets"] = dict(
                conn.execute(
                    select(ArticleRow.outlet, func.count())
                    .group_by(ArticleRow.outlet)
                    .order_by(func.count().desc())
                    .limit(20)
                ).all()
            )
            data["quarantine_reasons"] = dict(
                conn.execute(select(QuarantineRow.reason, func.count()).group_by(QuarantineRow.reason)).all()
            )
        return data

    # -- analysis views ------------------------------------------------------------

    def reused(self, first: int, second: int) -> dict[str, Any]:
        """The passages two articles share (syndication, partial reuse), with offsets in each body."""
        from newsdesk.analyze.dedup import reused_passages

        a, b = self.get_article(first), self.get_article(second)
        passages = reused_passages(a.body, b.body)
        shared = sum(p.a_end - p.a_start for p in passages)
        return {
            "first": {"id": a.id, "title": a.title, "outlet": a.outlet},
            "second": {"id": b.id, "title": b.title, "outlet": b.outlet},
            "share_of_first": round(shared / max(len(a.body), 1), 4),
            "passages": [
                {
                    "first": [p.a_start, p.a_end],
                    "second": [p.b_start, p.b_end],
                    "words": p.words,
                    "text": p.text,
                }
                for p in passages
            ],
        }

    def list_documents(self, *, limit: int = 100, type_: str | None = None) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return views.list_documents(conn, limit=limit, type_=type_)

    def get_document(self, document_id: str) -> dict[str, Any]:
        from newsdesk.analyze.documents import canonical_id_of

        with self.engine.connect() as conn:
            try:
                return views.document_detail(conn, document_id)
            except NotFound:
                resolved = canonical_id_of(document_id)  # a typed reference: "Kết luận 57-KL/TW"
                if resolved is None or resolved == document_id:
                    raise
                return views.document_detail(conn, resolved)

    def list_entities(self, *, kind: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return views.list_entities(conn, kind=kind, limit=limit)

    def get_entity(self, entity_id: int) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return views.entity_detail(conn, entity_id)

    def list_themes(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return views.list_themes(conn)

    def theme_attention(
        self, theme_id: str, bucket: str = "day", since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return views.theme_attention(conn, theme_id, bucket, since, until)

    def list_stories(
        self, *, since: datetime | None = None, limit: int = 50, min_size: int = 1
    ) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return views.list_stories(conn, since=since, limit=limit, min_size=min_size)

    def get_story(self, story_id: int) -> dict[str, Any]:
        with self.engine.begin() as conn:  # may cache a fresh summary
            return views.story_detail(conn, story_id)

    # -- search ------------------------------------------------------------------

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        order: Literal["relevance", "date"] = "relevance",
        page: int = 1,
        page_size: int = 20,
    ) -> SearchPage:
        parsed = parse_query(query)
        page, page_size = max(page, 1), max(1, min(page_size, 500))
        count_sql, page_for, params = self._search_sql(parsed, filters or SearchFilters(), order)
        with self.engine.connect() as conn:
            total = conn.execute(count_sql, params).scalar_one()
            page_sql = page_for(int(total))
            rows = conn.execute(
                page_sql, params | {"limit": page_size, "offset": (page - 1) * page_size}
            ).all()
        hits = self._hits([r[0] for r in rows], [float(r[1]) for r in rows], parsed.positive_tokens())
        return SearchPage(total=int(total), page=page, page_size=page_size, hits=hits)

    def best_matches(
        self, query: str, filters: SearchFilters | None = None, *, limit: int = 300
    ) -> list[int]:
        """Ids of the ``limit`` most relevant matches, without counting them all (candidate retrieval)."""
        parsed = parse_query(query)
        if parsed.empty:
            return []
        _, page_for, params = self._search_sql(parsed, filters or SearchFilters(), "relevance")
        with self.engine.connect() as conn:
            rows = conn.execute(page_for(0), params | {"limit": max(1, limit), "offset": 0}).all()
        return [int(r[0]) for r in rows]

    def facets(self, query: str, filters: SearchFilters | None = None, *, top: int = 15) -> Facets:
        """Counts per language, outlet, country, theme, entity, document and day of a search's matches."""
        filters = filters or SearchFilters()
        condition, params = self._match_condition(parse_query(query), filters)
        named = {"entity": filters.entity, "document": filters.document}
        with self.engine.connect() as conn:
            if condition == "1=1":  # nothing narrows it: counted from the indexes alone
                return count_facets(conn, None, params, top=top, named=named)
            return count_facets(conn, condition, params, top=top, typed=_typed, named=named)

    def export(
        self, query: str, filters: SearchFilters | None = None, *, chunk: int = 500
    ) -> Iterator[list[dict[str, Any]]]:
        """Every match of a search, newest first, in chunks of ``chunk`` rows read as they are needed.

        The rows stream from one cursor (a server-side one on PostgreSQL), so memory stays
        constant whatever the number of matches; each chunk's themes are read with it.
        """
        condition, params = self._match_condition(parse_query(query), filters or SearchFilters())
        sql = (
            "SELECT a.id, a.published_at, a.sort_time, a.outlet, a.language, a.country, a.title, "
            f"a.canonical_url, a.url, a.story_id FROM articles a WHERE {condition} "
            "ORDER BY a.sort_time DESC, a.id DESC"
        )
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=chunk).execute(
                _typed(text(sql), params), params
            )
            for rows in result.partitions(chunk):
                themes = _themes_of(conn, [r.id for r in rows])
                yield [_export_row(r, themes.get(r.id, [])) for r in rows]

    def _match_condition(self, parsed: Query, filters: SearchFilters) -> tuple[str, dict[str, Any]]:
        """The SQL condition on ``articles a`` of a search's whole match set, and its parameters."""
        where, params = _filter_sql(filters)
        if not parsed.empty and self.sqlite:
            params["q"] = to_fts5(parsed)
            where.insert(0, "a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH :q)")
        elif not parsed.empty:
            params["q"] = to_tsquery(parsed)
            where.insert(0, "a.search_vector @@ to_tsquery('simple', :q)")
        return " AND ".join(where) or "1=1", params

    def _search_sql(
        self, parsed: Query, filters: SearchFilters, order: str
    ) -> tuple[TextClause, Callable[[int], TextClause], dict[str, Any]]:
        """Count and page statements for both backends."""
        where, params = _filter_sql(filters)
        by_date = "a.sort_time DESC, a.id DESC"
        if parsed.empty:
            source, score, match = "articles a", "0", []
            order_sql = by_date
        elif self.sqlite:
            params["q"] = to_fts5(parsed)
            return (*_sqlite_text_search(where, params, order), params)
        else:
            params["q"] = to_tsquery(parsed)
            score = "-ts_rank_cd(a.search_vector, to_tsquery('simple', :q), 1)"
            match = ["a.search_vector @@ to_tsquery('simple', :q)"]
            source = "articles a"
            order_sql = f"{score}, {by_date}" if order == "relevance" else by_date
        condition = " AND ".join([*match, *where]) or "1=1"
        count_sql = _typed(text(f"SELECT count(*) FROM {source} WHERE {condition}"), params)
        page_sql = _typed(
            text(
                f"SELECT a.id, {score} AS score FROM {source} WHERE {condition} "
                f"ORDER BY {order_sql} LIMIT :limit OFFSET :offset"
            ),
            params,
        )
        return count_sql, lambda total: page_sql, params

    def _hits(self, ids: list[int], scores: list[float], tokens: list[str]) -> list[SearchHit]:
        from newsdesk.store.snippets import snippet

        if not ids:
            return []
        a = ArticleRow
        columns = (
            *(a.id, a.title, a.body, a.canonical_url, a.url, a.outlet, a.language, a.published_at),
            *(a.story_id, a.country),
        )
        with self.engine.connect() as conn:
            rows = {r.id: r for r in conn.execute(select(*columns).where(a.id.in_(ids)))}
        return [
            SearchHit(
                id=i,
                title=rows[i].title,
                snippet=snippet(rows[i].body, tokens),
                score=-s,
                url=rows[i].canonical_url or rows[i].url,
                outlet=rows[i].outlet,
                language=rows[i].language,
                published_at=rows[i].published_at,
                story_id=rows[i].story_id,
                country=rows[i].country,
            )
            for i, s in zip(ids, scores, strict=True)
            if i in rows
        ]

    # -- paged lists of the analysis views (API and workspace) ---------------------------

    def stories_page(
        self, *, since: datetime | None = None, min_size: int = 1, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of :meth:`list_stories` and the total count of its filter."""
        offset = (max(page, 1) - 1) * page_size
        with self.engine.connect() as conn:
            total = views.count_stories(conn, since=since, min_size=min_size)
            rows = views.list_stories(conn, since=since, min_size=min_size, limit=page_size, offset=offset)
        return rows, total

    def entities_page(
        self, *, kind: str | None = None, q: str | None = None, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of :meth:`list_entities` (``q``: part of a name, accents optional) and the total."""
        offset = (max(page, 1) - 1) * page_size
        with self.engine.connect() as conn:
            total = views.count_entities(conn, kind=kind, q=q)
            rows = views.list_entities(conn, kind=kind, q=q, limit=page_size, offset=offset)
        return rows, total

    def documents_page(
        self, *, type_: str | None = None, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of :meth:`list_documents` and the total count of its filter."""
        offset = (max(page, 1) - 1) * page_size
        with self.engine.connect() as conn:
            total = views.count_documents(conn, type_=type_)
            rows = views.list_documents(conn, type_=type_, limit=page_size, offset=offset)
        return rows, total


# Above this many matches, a date-ordered page walks the date index and probes the matches
# (stops after one page); below it, looking up and sorting the matches is cheaper.
_DATE_SCAN_FROM = 2000


def _sqlite_text_search(
    where: list[str], params: dict[str, Any], order: str
) -> tuple[TextClause, Callable[[int], TextClause]]:
    """SQLite plans for a text query: matches come from the FTS table, never probed per article."""
    fts = "SELECT rowid FROM article_fts WHERE article_fts MATCH :q"
    bm25 = "bm25(article_fts, 10.0, 1.0)"
    condition = " AND ".join([f"a.id IN ({fts})", *where])
    if where:
        count = _typed(text(f"SELECT count(*) FROM articles a WHERE {condition}"), params)
    else:
        count = text("SELECT count(*) FROM article_fts WHERE article_fts MATCH :q")
    tail = " LIMIT :limit OFFSET :offset"
    if order == "date":

        def by_date(total: int) -> TextClause:
            hint = "INDEXED BY ix_articles_sort_time" if total >= _DATE_SCAN_FROM else ""
            sql = f"SELECT a.id, 0 FROM articles a {hint} WHERE {condition} "
            return _typed(text(sql + "ORDER BY a.sort_time DESC, a.id DESC" + tail), params)

        return count, by_date
    if where:
        page = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id, {bm25} AS score FROM article_fts "
            f"WHERE article_fts MATCH :q) SELECT m.id, m.score FROM m CROSS JOIN articles a ON a.id = m.id "
            f"WHERE {' AND '.join(where)} ORDER BY m.score, a.sort_time DESC, a.id DESC"
        )
    else:
        page = f"SELECT rowid, {bm25} FROM article_fts WHERE article_fts MATCH :q ORDER BY 2, rowid DESC"
    page_sql = _typed(text(page + tail), params)
    return count, lambda total: page_sql


# Filters on what the analysis tables link to an article: ids come from their indexes.
_LINKED = {
    "theme": "a.id IN (SELECT article_id FROM article_themes "
    "WHERE theme_id = :theme OR theme_id LIKE :theme_sub ESCAPE '\\')",
    "entity": "a.id IN (SELECT article_id FROM article_entities WHERE entity_id = :entity)",
    "document": "a.id IN (SELECT article_id FROM article_documents WHERE document_id IN "
    "(SELECT id FROM documents WHERE base_id = (SELECT base_id FROM documents WHERE id = :document)))",
}


def _filter_sql(filters: SearchFilters) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    for column, value in (
        ("language", filters.language),
        ("outlet", filters.outlet),
        ("source_id", filters.source_id),
        ("country", filters.country),
        ("story_id", filters.story),
    ):
        if value is not None:
            where.append(f"a.{column} = :{column}")
            params[column] = value
    if filters.date_from is not None:
        where.append("a.sort_time >= :date_from")
        params["date_from"] = _utc(filters.date_from)
    if filters.date_to is not None:
        where.append("a.sort_time <= :date_to")
        params["date_to"] = _utc(filters.date_to)
    for name in ("theme", "entity", "document"):
        value = getattr(filters, name)
        if value is not None:
            where.append(_LINKED[name])
            params[name] = value
    if filters.theme is not None:  # and its subthemes
        params["theme_sub"] = _like_escape(filters.theme) + ".%"
    return where, params


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _themes_of(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    themes: dict[int, list[str]] = {}
    if not ids:
        return themes
    rows = conn.execute(
        select(ArticleThemeRow.article_id, ArticleThemeRow.theme_id)
        .where(ArticleThemeRow.article_id.in_(ids))
        .order_by(ArticleThemeRow.article_id, ArticleThemeRow.score.desc())
    )
    for article_id, theme_id in rows:
        themes.setdefault(article_id, []).append(theme_id)
    return themes


def _export_row(row: Any, themes: list[str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "published_at": _iso(_utc(_parsed_time(row.published_at))),
        "outlet": row.outlet,
        "language": row.language,
        "country": row.country,
        "title": row.title,
        "url": row.canonical_url or row.url,
        "story_id": row.story_id,
        "themes": themes,
    }


def _parsed_time(value: Any) -> datetime | None:
    """A datetime column read through ``text()``: SQLite hands back its stored text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _typed(stmt: TextClause, params: dict[str, Any]) -> TextClause:
    """Bind dates with the column's type so SQLite compares them in its stored text format."""
    names = [n for n in ("date_from", "date_to") if n in params]
    return stmt.bindparams(*(bindparam(n, type_=ArticleRow.sort_time.type) for n in names))


def _indexed_body(article: Article) -> str:
    lead = article.text.lead or ""
    return f"{lead}\n{article.text.body}" if lead and lead not in article.text.body else article.text.body


def _article_row(row: Any) -> ArticleRow:
    mapping = dict(row._mapping)
    mapping.pop("search_vector", None)
    return ArticleRow(**mapping)


def _raw_item(row: Any) -> RawItem:
    return RawItem(
        origin=row.origin,
        kind=row.kind,
        body=row.body,
        url=row.url,
        content_type=row.content_type,
        fields=dict(row.fields or {}),
        source_id=row.source_id,
        fetched_at=row.fetched_at,
        meta=dict(row.meta or {}),
    )


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
