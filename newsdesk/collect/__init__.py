"""Collection stages: analysis that needs the articles seen before (copies, stories).

Per-article stages (``newsdesk.analyze``) are pure and run before storing.
Collection stages run right after a batch is stored, over its new articles in
arrival order, with state that outlives the process:

* ``dedup``   — copy groups: :class:`newsdesk.collect.dedup.DedupStage`
* ``stories`` — event clustering: :class:`newsdesk.collect.stories.StoryStage`

One transaction per batch. It starts by writing the stage's state row, which
takes the database's write lock (SQLite) or the row lock (PostgreSQL), so two
processes sharing a database (``newsdesk up`` and a CLI ingest) take turns; a
stage whose saved version moved on since it last wrote reloads its state first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from newsdesk.errors import ConfigError
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from newsdesk.store.tables import ArticleRow, StateRow, utcnow

__all__ = ["CollectionStage", "Collector", "StoredArticle", "build_stages"]


@dataclass(slots=True)
class StoredArticle:
    id: int
    title: str
    body: str
    language: str | None
    outlet: str | None
    published: datetime


class CollectionStage(Protocol):
    name: str

    def load(self, conn: Connection, state: bytes | None) -> None:
        """Restore from the saved state (None: start empty)."""

    def process(self, conn: Connection, articles: Sequence[StoredArticle]) -> None:
        """Analyse new articles in arrival order and write the results."""

    def dump(self) -> bytes:
        """The state to save after a batch."""

    def reset(self, conn: Connection) -> None:
        """Forget everything derived (before a full re-run)."""


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def load_articles(conn: Connection, ids: Sequence[int]) -> list[StoredArticle]:
    a = ArticleRow
    rows = conn.execute(
        select(a.id, a.title, a.body, a.language, a.outlet, a.sort_time)
        .where(a.id.in_(list(ids)))
        .order_by(a.id)
    ).all()
    return [StoredArticle(r.id, r.title, r.body, r.language, r.outlet, _aware(r.sort_time)) for r in rows]


class Collector:
    """Runs the collection stages over every stored article they have not seen yet.

    Each stage keeps a watermark (the highest article id it processed), so a run
    after a crash, or after another process stored articles, simply catches up.
    """

    SAVE_INTERVAL = 30.0
    """Seconds between two saves of a stage's state during a long run (and always at its end)."""

    def __init__(
        self, store: Store, settings: Settings, stages: Sequence[CollectionStage] | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.stages = (
            list(stages) if stages is not None else build_stages(settings.collection_stages, settings)
        )
        self._versions: dict[str, int] = {}
        self._marks: dict[str, int] = {}
        """In-memory watermark: articles processed since the last save are not processed again."""
        self._saved_at: dict[str, float] = {}
        self._lock = threading.RLock()
        """The service's poller and inbox threads share one collector; it runs one at a time."""

    def run(self, chunk_size: int = 1000, *, flush: bool = True) -> int:
        """Process new articles in arrival (id) order; returns how many each stage saw.

        Thread-safe. State is saved every ``SAVE_INTERVAL`` seconds and, with ``flush``, at the end.
        Results written to articles and stories are idempotent, so a crash before a save
        only means the next run redoes those articles.
        """
        with self._lock:
            return self._run(chunk_size, flush)

    def _run(self, chunk_size: int, flush: bool) -> int:
        seen = 0
        for stage in self.stages:
            while True:
                with self.store.engine.begin() as conn:
                    watermark = self._sync(conn, stage)
                    ids = list(
                        conn.execute(
                            select(ArticleRow.id)
                            .where(ArticleRow.id > watermark)
                            .order_by(ArticleRow.id)
                            .limit(chunk_size)
                        ).scalars()
                    )
                    if not ids:
                        break
                    stage.process(conn, load_articles(conn, ids))
                    self._marks[stage.name] = ids[-1]
                    seen += len(ids)
                    if time.monotonic() - self._saved_at.get(stage.name, 0.0) >= self.SAVE_INTERVAL:
                        self._save(conn, stage)
            if flush:
                self.flush(stage)
        return seen

    def flush(self, stage: CollectionStage) -> None:
        """Save the stage's state now if it processed articles since its last save."""
        if self._marks.get(stage.name, 0) <= self._saved_mark(stage):
            return
        with self.store.engine.begin() as conn:
            if self._sync(conn, stage) == self._marks[stage.name]:
                self._save(conn, stage)

    def _saved_mark(self, stage: CollectionStage) -> int:
        with self.store.engine.connect() as conn:
            mark = conn.execute(select(StateRow.watermark).where(StateRow.name == stage.name)).scalar()
        return int(mark or 0)

    def reset(self) -> None:
        """Forget every collection result; the next :meth:`run` processes all articles again."""
        with self.store.engine.begin() as conn:
            for stage in self.stages:
                stage.reset(conn)
                conn.execute(delete(StateRow).where(StateRow.name == stage.name))
                stage.load(conn, None)
                for memo in (self._versions, self._marks, self._saved_at):
                    memo.pop(stage.name, None)

    def _sync(self, conn: Connection, stage: CollectionStage) -> int:
        """Take the stage's lock; reload its state if another process saved since. The watermark."""
        claimed = conn.execute(
            update(StateRow).where(StateRow.name == stage.name).values(updated_at=utcnow())
        ).rowcount
        if not claimed:
            conn.execute(
                insert(StateRow).values(
                    name=stage.name, version=0, watermark=0, state=b"", updated_at=utcnow()
                )
            )
        version, watermark, state = conn.execute(
            select(StateRow.version, StateRow.watermark, StateRow.state).where(StateRow.name == stage.name)
        ).one()
        if self._versions.get(stage.name) != version:
            stage.load(conn, state or None)
            self._versions[stage.name] = version
            self._marks[stage.name] = int(watermark)
        return max(int(watermark), self._marks.get(stage.name, 0))

    def _save(self, conn: Connection, stage: CollectionStage) -> None:
        version = self._versions[stage.name] + 1
        conn.execute(
            update(StateRow)
            .where(StateRow.name == stage.name)
            .values(version=version, watermark=self._marks[stage.name], state=stage.dump())
        )
        self._versions[stage.name] = version
        self._saved_at[stage.name] = time.monotonic()


def build_stages(names: Sequence[str], settings: Settings | None = None) -> list[CollectionStage]:
    """The named collection stages, configured from ``settings.collect``."""
    from newsdesk.analyze.dedup import DedupConfig
    from newsdesk.analyze.stories import StoryConfig
    from newsdesk.collect.dedup import DedupStage
    from newsdesk.collect.stories import StoryStage

    cfg = (settings or Settings()).collect
    known: dict[str, Callable[[], CollectionStage]] = {
        "dedup": lambda: DedupStage(
            DedupConfig(window_days=cfg.dedup_window_days, threshold=cfg.dedup_threshold)
        ),
        "stories": lambda: StoryStage(
            StoryConfig(quiet_hours=cfg.story_quiet_hours, threshold=cfg.story_threshold)
        ),
    }
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(f"collection_stages: unknown stage(s) {unknown}; known: {sorted(known)}")
    return [known[n]() for n in names]
