"""The ``dedup`` collection stage: copy groups over the archive, earliest copy canonical.

Each new article gets ``dup_group`` (the first article of its group), and when it is
a copy, ``dup_of`` (the group's canonical, earliest-published article), ``dup_kind``
(``exact`` or ``near``) and ``dup_similarity``. Signatures are stored per article in
``article_dedup``, so the in-memory index is rebuilt from the database (the window of
recent articles only), never re-computed from text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection

from newsdesk.analyze.dedup import DedupConfig, DedupDoc, DedupResult, DuplicateIndex, StoredEntry
from newsdesk.collect import StoredArticle
from newsdesk.store.tables import ArticleRow, DedupRow

__all__ = ["DedupStage"]


class DedupStage:
    name = "dedup"

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self.index = DuplicateIndex(self.config)

    def load(self, conn: Connection, state: bytes | None) -> None:
        """Rebuild the window from stored signatures (the saved state is only a version)."""
        newest = conn.execute(select(func.max(DedupRow.published))).scalar()
        if newest is None:
            self.index = DuplicateIndex(self.config)
            return
        since = newest - timedelta(days=self.config.window_days)
        rows = conn.execute(
            select(
                DedupRow.article_id,
                DedupRow.published,
                DedupRow.signature,
                DedupRow.exact_hash,
                ArticleRow.dup_group,
                ArticleRow.outlet,
            )
            .join(ArticleRow, ArticleRow.id == DedupRow.article_id)
            .where(DedupRow.published >= since)
            .order_by(DedupRow.article_id)
        )
        entries = [
            StoredEntry(
                str(r.article_id),
                r.published,
                r.signature,
                r.exact_hash,
                str(r.dup_group) if r.dup_group is not None else None,
                r.outlet,
            )
            for r in rows
        ]
        self.index = DuplicateIndex.rebuild(entries, self.config)

    def process(self, conn: Connection, articles: Sequence[StoredArticle]) -> None:
        signatures, fields = [], []
        for article in articles:
            result = self.index.add(
                DedupDoc(str(article.id), article.title, article.body, article.published, article.outlet)
            )
            signatures.append(
                {
                    "article_id": article.id,
                    "exact_hash": result.exact_hash,
                    "signature": result.signature,
                    "published": article.published,
                }
            )
            fields.append(self._fields(article.id, result))
            if result.previous_canonical_id is not None:  # write what came before, then re-point
                self._write(conn, fields, signatures)
                fields, signatures = [], []
                self._repoint(conn, int(result.group_id), article.id)
        self._write(conn, fields, signatures)

    @staticmethod
    def _write(
        conn: Connection, fields: list[dict[str, object]], signatures: list[dict[str, object]]
    ) -> None:
        if fields:
            conn.execute(
                update(ArticleRow)
                .where(ArticleRow.id == bindparam("aid"))
                .values(
                    dup_group=bindparam("dup_group"),
                    dup_of=bindparam("dup_of"),
                    dup_kind=bindparam("dup_kind"),
                    dup_similarity=bindparam("dup_similarity"),
                ),
                fields,
            )
        if signatures:  # a process that redoes unsaved work finds its signatures already there
            if conn.dialect.name == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as upsert
            else:
                from sqlalchemy.dialects.postgresql import insert as upsert  # type: ignore[assignment]
            conn.execute(upsert(DedupRow).on_conflict_do_nothing(), signatures)

    @staticmethod
    def _fields(article_id: int, result: DedupResult) -> dict[str, object]:
        copy = result.duplicate and result.canonical_id != str(article_id)
        return {
            "aid": article_id,
            "dup_group": int(result.group_id),
            "dup_of": int(result.canonical_id) if copy else None,
            "dup_kind": result.kind if result.duplicate else None,
            "dup_similarity": result.similarity if result.duplicate else None,
        }

    @staticmethod
    def _repoint(conn: Connection, group: int, canonical: int) -> None:
        """An earlier-dated copy arrived: it becomes canonical and the others point to it."""
        conn.execute(
            update(ArticleRow)
            .where(ArticleRow.dup_group == group, ArticleRow.id != canonical)
            .values(dup_of=canonical)
        )

    def dump(self) -> bytes:
        return b""

    def reset(self, conn: Connection) -> None:
        conn.execute(delete(DedupRow))
        conn.execute(
            update(ArticleRow).values(dup_group=None, dup_of=None, dup_kind=None, dup_similarity=None)
        )
