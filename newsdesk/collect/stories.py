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
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, func, insert, select, update
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
        originals = _original_keys(conn, [a.id for a in articles])
        assigned: dict[int, str] = {}
        retired: set[str] = set()
        for article in articles:
            original = originals.get(article.id)
            if original is not None:  # a copy: it joins its original's story unclustered
                key = assigned.get(original[0]) or original[1]
                if key is not None:
                    assigned[article.id] = key
                    continue
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
            assigned[article.id] = result.story_id
            assigned.update((int(aid), key) for aid, key in result.moved)
            retired.update(result.retired)
        keys = {*assigned.values(), *retired}
        current = {s.id: s for s in self.clusterer.stories(keys)}
        ids = _story_ids(conn, keys)
        before = _stories_of(conn, list(assigned))  # stories that may have lost members
        _write_assignments(conn, {a: ids[k] for a, k in assigned.items()})
        _copies_follow(conn, list(assigned))
        gone = [k for k in retired if k not in current]
        conn.execute(delete(StoryRow).where(StoryRow.key.in_(gone)))
        touched: dict[int, Story | None] = dict.fromkeys(before - {ids[k] for k in gone})  # counts only
        touched.update({ids[k]: current.get(k) for k in keys if k not in gone})
        _write_stories(conn, touched)
        self.clusterer.pop_quiet()  # stored already: the state keeps only the active window


def _stories_of(conn: Connection, article_ids: list[int]) -> set[int]:
    rows = conn.execute(
        select(ArticleRow.story_id).where(ArticleRow.id.in_(article_ids), ArticleRow.story_id.is_not(None))
    )
    return {r for r in rows.scalars() if r is not None}


def _copies_follow(conn: Connection, article_ids: list[int]) -> None:
    """Copies of articles that were (re)assigned join their own original's story."""
    original = ArticleRow.__table__.alias("original")
    story_of_original = (
        select(original.c.story_id).where(original.c.id == ArticleRow.dup_of).scalar_subquery()
    )
    conn.execute(
        update(ArticleRow).where(ArticleRow.dup_of.in_(article_ids)).values(story_id=story_of_original)
    )


def _original_keys(conn: Connection, ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """For copies among ``ids``: their original's id and the original's story key (if it has one)."""
    original = ArticleRow.__table__.alias("original")
    rows = conn.execute(
        select(ArticleRow.id, ArticleRow.dup_of, StoryRow.key)
        .join(original, original.c.id == ArticleRow.dup_of)
        .outerjoin(StoryRow, StoryRow.id == original.c.story_id)
        .where(ArticleRow.id.in_(ids), ArticleRow.dup_of.is_not(None))
    )
    return {r.id: (r.dup_of, r.key) for r in rows}


def _story_ids(conn: Connection, keys: set[str]) -> dict[str, int]:
    """Database ids of the clusterer's story keys; new keys get a row (filled in by _write_stories)."""
    found: dict[str, int] = {}
    listed = sorted(keys)
    for start in range(0, len(listed), 500):
        rows = conn.execute(
            select(StoryRow.key, StoryRow.id).where(StoryRow.key.in_(listed[start : start + 500]))
        )
        found.update({k: i for k, i in rows})
    missing = [k for k in listed if k not in found]
    if missing:
        now = utcnow()
        rows = conn.execute(
            insert(StoryRow).returning(StoryRow.key, StoryRow.id, sort_by_parameter_order=True),
            [
                {
                    "key": k,
                    "title": "",
                    "size": 0,
                    "outlets": [],
                    "languages": [],
                    "summary_size": 0,
                    "updated_at": now,
                }
                for k in missing
            ],
        )
        found.update({k: i for k, i in rows})
    return found


def _write_assignments(conn: Connection, story_of: dict[int, int]) -> None:
    if story_of:
        conn.execute(
            update(ArticleRow).where(ArticleRow.id == bindparam("aid")).values(story_id=bindparam("sid")),
            [{"aid": a, "sid": s} for a, s in story_of.items()],
        )


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _write_stories(conn: Connection, stories: dict[int, Story | None]) -> None:
    """Counts from the articles in the database, title and representative from the clusterer."""
    if not stories:
        return
    a = ArticleRow
    ids = list(stories)
    counts = {
        r[0]: r[1:]
        for r in conn.execute(
            select(a.story_id, func.count(), func.min(a.sort_time), func.max(a.sort_time))
            .where(a.story_id.in_(ids))
            .group_by(a.story_id)
        )
    }
    outlets: dict[int, set[str]] = {}
    languages: dict[int, set[str]] = {}
    for story_id, outlet, language in conn.execute(
        select(a.story_id, a.outlet, a.language).where(a.story_id.in_(ids)).distinct()
    ):
        if story_id is None:
            continue
        if outlet:
            outlets.setdefault(story_id, set()).add(outlet)
        if language:
            languages.setdefault(story_id, set()).add(language)
    now = utcnow()
    kept = {
        r.id: r
        for r in conn.execute(
            select(StoryRow.id, StoryRow.title, StoryRow.representative_id).where(StoryRow.id.in_(ids))
        )
    }
    rows = [
        {
            "sid": sid,
            "title": story.title if story else kept[sid].title,
            "rep": int(story.representative_id) if story else kept[sid].representative_id,
            "size": counts[sid][0],
            "first": _aware(counts[sid][1]),
            "last": _aware(counts[sid][2]),
            "outlets": sorted(outlets.get(sid, ())),
            "languages": sorted(languages.get(sid, ())),
            "now": now,
        }
        for sid, story in stories.items()
        if sid in counts
    ]
    if rows:
        conn.execute(
            update(StoryRow)
            .where(StoryRow.id == bindparam("sid"))
            .values(
                title=bindparam("title"),
                representative_id=bindparam("rep"),
                size=bindparam("size"),
                first_at=bindparam("first"),
                last_at=bindparam("last"),
                outlets=bindparam("outlets"),
                languages=bindparam("languages"),
                updated_at=bindparam("now"),
            ),
            rows,
        )
    empty = [sid for sid in ids if sid not in counts]
    if empty:
        conn.execute(delete(StoryRow).where(StoryRow.id.in_(empty)))
