"""The ``stories`` collection stage: every article joins a story (one event across outlets).

New articles go through the online clusterer (:mod:`newsdesk.analyze.stories`) in
arrival order; a copy (``dup_of`` set by ``dedup``) joins its original's story without
clustering. The clusterer may move earlier articles between stories or merge stories;
those changes are written too. A story's counts (size, outlets, languages, time span)
are computed from its articles in the database; its title and representative article
come from the clusterer. Quiet stories leave the clusterer's state once stored, so the
state stays the size of the active window.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from newsdesk.analyze.stories import Story, StoryClusterer, StoryConfig, StoryDoc
from newsdesk.collect import StoredArticle
from newsdesk.store.tables import ArticleRow, StoryRow, utcnow

__all__ = ["StoryStage"]


class StoryStage:
    name = "stories"

    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()
        self.clusterer = StoryClusterer(self.config)

    def load(self, conn: Connection, state: bytes | None) -> None:
        if not state:
            self.clusterer = StoryClusterer(self.config)
            return
        self.clusterer = StoryClusterer.from_state(json.loads(zlib.decompress(state)))

    def dump(self) -> bytes:
        return zlib.compress(json.dumps(self.clusterer.to_state()).encode(), 1)

    def reset(self, conn: Connection) -> None:
        conn.execute(update(ArticleRow).values(story_id=None))
        conn.execute(delete(StoryRow))

    def process(self, conn: Connection, articles: Sequence[StoredArticle]) -> None:
        copies = _copies(conn, [a.id for a in articles])
        touched: set[int] = set()
        for article in articles:
            touched |= self._assign(conn, article, copies.get(article.id))
        current = {s.id: s for s in self.clusterer.stories()}
        retired = {s for s in touched if str(s) not in current}
        conn.execute(delete(StoryRow).where(StoryRow.id.in_(retired)))
        self._write_stories(conn, touched - retired, current)

    def _assign(self, conn: Connection, article: StoredArticle, original: int | None) -> set[int]:
        if original is not None:
            story = conn.execute(select(ArticleRow.story_id).where(ArticleRow.id == original)).scalar()
            if story is not None:
                _set_story(conn, [article.id], story)
                return {story}
        result = self.clusterer.add(
            StoryDoc(
                str(article.id),
                article.title,
                article.body,
                article.published,
                article.language,
                article.outlet,
            )
        )
        story = int(result.story_id)
        _set_story(conn, [article.id], story)
        touched = {story, *(int(s) for s in result.retired)}
        for article_id, story_id in result.moved:
            _set_story(conn, [int(article_id)], int(story_id))
            touched.add(int(story_id))
        for old in result.retired:  # copies follow their original's new story
            conn.execute(
                update(ArticleRow)
                .where(ArticleRow.story_id == int(old), ArticleRow.dup_of.is_not(None))
                .values(story_id=story)
            )
        return touched

    def _write_stories(self, conn: Connection, story_ids: Iterable[int], current: dict[str, Story]) -> None:
        for story_id in story_ids:
            story = current.get(str(story_id))
            stats = _stats(conn, story_id)
            if story is None or stats is None:
                continue
            values = {
                "title": story.title,
                "representative_id": int(story.representative_id),
                "updated_at": utcnow(),
                **stats,
            }
            if conn.execute(update(StoryRow).where(StoryRow.id == story_id).values(**values)).rowcount == 0:
                conn.execute(insert(StoryRow).values(id=story_id, summary_size=0, **values))


def _set_story(conn: Connection, article_ids: list[int], story_id: int) -> None:
    conn.execute(update(ArticleRow).where(ArticleRow.id.in_(article_ids)).values(story_id=story_id))


def _copies(conn: Connection, ids: list[int]) -> dict[int, int]:
    rows = conn.execute(
        select(ArticleRow.id, ArticleRow.dup_of).where(ArticleRow.id.in_(ids), ArticleRow.dup_of.is_not(None))
    )
    return {r.id: r.dup_of for r in rows}


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _stats(conn: Connection, story_id: int) -> dict[str, Any] | None:
    a = ArticleRow
    row = conn.execute(
        select(func.count(), func.min(a.sort_time), func.max(a.sort_time)).where(a.story_id == story_id)
    ).one()
    if not row[0]:
        return None
    outlets = sorted(
        o for o in conn.execute(select(a.outlet).where(a.story_id == story_id).distinct()).scalars() if o
    )
    languages = sorted(
        lang
        for lang in conn.execute(select(a.language).where(a.story_id == story_id).distinct()).scalars()
        if lang
    )
    return {
        "size": int(row[0]),
        "first_at": _aware(row[1]),
        "last_at": _aware(row[2]),
        "outlets": outlets,
        "languages": languages,
    }
