"""Publications in the database: create, edit (versions), move through the workflow,
link language variants, compare versions, make their short formats.

Every publication has a real author unit and a real author (the user, or
``cli:<account>``); every change is an event with who, what and when; every text ever
saved is a version. A language variant records which version of its source it was
translated from and is *stale* once the source has a newer version.

**Families.** A source publication and its language variants are one *family*
(:meth:`Publications.family`, source first): pickups are searched for in every
language of the family, and the short formats are made for each member.

**Diffs** (:meth:`Publications.diff`) carry the unified diff lines and, for display,
:func:`diff_rows`: one row per line with its kind, its line numbers in the old and new
text, and its text cut into parts flagged ``changed`` where a deleted line and the
inserted line that replaces it differ word by word. Rows hold plain text; whoever
renders them escapes it.

**Published URLs** must be ``http(s)`` addresses: a ``javascript:`` URL would become a
link on the publication's page.

**Short formats** (:meth:`Publications.short_formats`) are a pure function of a member's
text, language, themes, URL and unit; the last 128 are kept in memory, since making the
subtitles of a long script takes a while and the page and its downloads ask for the same.

**Overlap warnings** (:func:`overlap_warnings`) come from the optional module
``newsdesk.publish.overlap`` (other units' recent publications on the same subject);
without it there are none.
"""

from __future__ import annotations

import difflib
import importlib
import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, Select, func, insert, select, update

from newsdesk.errors import NewsdeskError, NotFound
from newsdesk.publish.formats import Release, ShortFormats, short_formats
from newsdesk.publish.workflow import Actor, next_status
from newsdesk.store.tables import (
    PublicationEventRow,
    PublicationRow,
    PublicationVersionRow,
    UnitRow,
)
from newsdesk.text.normalize import normalize_text

__all__ = ["Publications", "diff_rows", "overlap_warnings", "read_publication_file"]

_LANGUAGE_CHARS = set("abcdefghijklmnopqrstuvwxyz-")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def read_publication_file(data: bytes, origin: str) -> tuple[str, str]:
    """Title and body of a text or Markdown file: the first non-empty line is the title."""
    from newsdesk.errors import EmptyInput, EncodingError

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(origin, "not UTF-8 text", reason="encoding") from exc
    lines = normalize_text(text).splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise EmptyInput(origin, "the file is empty", reason="empty")
    title = lines[0].strip().lstrip("#").strip()
    body = "\n".join(lines[1:]).strip()
    if not title or not body:
        raise EmptyInput(origin, "a publication needs a title line and a body", reason="empty")
    return title, body


def _check_language(language: str) -> str:
    language = language.strip().lower()
    if not (2 <= len(language) <= 8 and set(language) <= _LANGUAGE_CHARS):
        raise NewsdeskError(f"invalid language code {language!r}: use ISO 639-1 such as vi, en, fr")
    return language


def _check_url(url: str | None) -> str | None:
    """A published URL: an absolute http(s) address, or None when not given."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NewsdeskError(f"the published URL {url!r} is not an http(s) address")
    return url


def _release(publication: dict[str, Any]) -> Release:
    return Release(
        publication["title"],
        publication["body"],
        publication["language"],
        tuple(publication["themes"] or ()),
        publication["url"],
    )


@lru_cache(maxsize=128)
def _short_formats(release: Release, province: str | None) -> ShortFormats:
    """The short formats of one text: a pure function of it, kept for the page and its downloads."""
    return short_formats(release, country="VN", province=province)


def overlap_warnings(engine: Engine, publication_id: int) -> list[dict[str, Any]]:
    """Other units' recent publications that overlap strongly with this one (``newsdesk.publish.overlap``).

    Empty when that optional module is absent.
    """
    try:
        module = importlib.import_module("newsdesk.publish.overlap")
    except ModuleNotFoundError as exc:
        if exc.name != "newsdesk.publish.overlap":
            raise
        return []
    found: list[dict[str, Any]] = module.overlapping(engine, publication_id)
    return found


# ---------------------------------------------------------------- diff rows

_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_TOKENS = re.compile(r"\s+|\S+")
_SIMILAR = 0.4
"""A deleted and an inserted line this similar (difflib ratio of their words) are one changed line."""


def _row(kind: str, old: int | None, new: int | None, text: str) -> dict[str, Any]:
    return {"kind": kind, "old": old, "new": new, "parts": [{"text": text, "changed": False}]}


def diff_rows(lines: list[str]) -> list[dict[str, Any]]:
    """Display rows of a unified diff: ``hunk``, ``context``, ``delete`` and ``insert`` lines.

    Each row has its line numbers (``old``, ``new``; None where the line is absent) and
    ``parts``: its text, cut where a replaced line changed word by word.
    """
    rows: list[dict[str, Any]] = []
    headers = len(lines) >= 2 and lines[0].startswith("---") and lines[1].startswith("+++")
    old = new = 0
    for line in lines[2:] if headers else lines:
        hunk = _HUNK.match(line)
        if hunk:
            old, new = int(hunk[1]), int(hunk[2])
            rows.append(_row("hunk", None, None, line))
        elif line.startswith("-"):
            rows.append(_row("delete", old, None, line[1:]))
            old += 1
        elif line.startswith("+"):
            rows.append(_row("insert", None, new, line[1:]))
            new += 1
        else:
            rows.append(_row("context", old, new, line[1:]))
            old, new = old + 1, new + 1
    _mark_changed_words(rows)
    return rows


def _mark_changed_words(rows: list[dict[str, Any]]) -> None:
    """Pair each run of deleted lines with the run of inserted lines after it; mark the words that differ."""
    i = 0
    while i < len(rows):
        deleted = _run(rows, i, "delete")
        inserted = _run(rows, i + deleted, "insert")
        for k in range(min(deleted, inserted)):
            _word_parts(rows[i + k], rows[i + deleted + k])
        i += max(deleted + inserted, 1)


def _run(rows: list[dict[str, Any]], start: int, kind: str) -> int:
    end = start
    while end < len(rows) and rows[end]["kind"] == kind:
        end += 1
    return end - start


def _word_parts(before: dict[str, Any], after: dict[str, Any]) -> None:
    a = _TOKENS.findall(before["parts"][0]["text"])
    b = _TOKENS.findall(after["parts"][0]["text"])
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < _SIMILAR:
        return
    before["parts"], after["parts"] = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            before["parts"].append({"text": "".join(a[i1:i2]), "changed": op != "equal"})
        if j2 > j1:
            after["parts"].append({"text": "".join(b[j1:j2]), "changed": op != "equal"})


class Publications:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- reading -----------------------------------------------------------------------------
    def _row(self, conn: Connection, publication_id: int) -> Any:
        row = conn.execute(select(PublicationRow).where(PublicationRow.id == publication_id)).first()
        if row is None:
            raise NotFound(f"publication {publication_id} not found")
        return row

    def get(self, publication_id: int) -> dict[str, Any]:
        """A publication with its history (events), versions and language variants."""
        with self.engine.connect() as conn:
            row = self._row(conn, publication_id)
            events = conn.execute(
                select(PublicationEventRow)
                .where(PublicationEventRow.publication_id == publication_id)
                .order_by(PublicationEventRow.at, PublicationEventRow.id)
            ).all()
            versions = conn.execute(
                select(
                    PublicationVersionRow.version,
                    PublicationVersionRow.author,
                    PublicationVersionRow.note,
                    PublicationVersionRow.created_at,
                )
                .where(PublicationVersionRow.publication_id == publication_id)
                .order_by(PublicationVersionRow.version)
            ).all()
            variants = conn.execute(
                select(PublicationRow).where(PublicationRow.source_id == publication_id)
            ).all()
            source = self._row(conn, row.source_id) if row.source_id else None
        return self._dict(row, source) | {
            "events": [
                {
                    "actor": e.actor,
                    "action": e.action,
                    "from": e.from_status,
                    "to": e.to_status,
                    "version": e.version,
                    "note": e.note,
                    "at": _iso(e.at),
                }
                for e in events
            ],
            "versions": [
                {"version": v.version, "author": v.author, "note": v.note, "created_at": _iso(v.created_at)}
                for v in versions
            ],
            "variants": [self._dict(v, row, body=False) for v in variants],
        }

    def _dict(self, row: Any, source: Any | None, *, body: bool = True) -> dict[str, Any]:
        stale = bool(
            source is not None and row.source_version is not None and row.source_version < source.version
        )
        data = {
            "id": row.id,
            "unit": row.unit_code,
            "author": row.author,
            "language": row.language,
            "title": row.title,
            "themes": row.themes,
            "status": row.status,
            "version": row.version,
            "source_id": row.source_id,
            "source_version": row.source_version,
            "stale": stale,
            "url": row.url,
            "published_at": _iso(row.published_at),
            "created_at": _iso(row.created_at),
            "updated_at": _iso(row.updated_at),
        }
        if body:
            data["body"] = row.body
        return data

    @staticmethod
    def _filtered(
        stmt: Select[Any], unit: str | None, status: str | None, language: str | None
    ) -> Select[Any]:
        if unit:
            stmt = stmt.where(PublicationRow.unit_code == unit)
        if status:
            stmt = stmt.where(PublicationRow.status == status)
        if language:
            stmt = stmt.where(PublicationRow.language == language)
        return stmt

    def listing(
        self,
        *,
        unit: str | None = None,
        status: str | None = None,
        language: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Publications without their bodies, last changed first."""
        stmt = self._filtered(select(PublicationRow), unit, status, language)
        stmt = stmt.order_by(PublicationRow.updated_at.desc(), PublicationRow.id.desc())
        with self.engine.connect() as conn:
            rows = conn.execute(stmt.limit(limit).offset(offset)).all()
            sources = {r.source_id for r in rows if r.source_id}
            by_id = (
                {s.id: s for s in conn.execute(select(PublicationRow).where(PublicationRow.id.in_(sources)))}
                if sources
                else {}
            )
        return [self._dict(r, by_id.get(r.source_id), body=False) for r in rows]

    def count(
        self, *, unit: str | None = None, status: str | None = None, language: str | None = None
    ) -> int:
        stmt = self._filtered(select(func.count()).select_from(PublicationRow), unit, status, language)
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def family(self, publication_id: int) -> list[dict[str, Any]]:
        """The source publication and all its language variants (with bodies), source first."""
        start = self.get(publication_id)
        source = self.get(start["source_id"]) if start["source_id"] else start
        return [source] + [self.get(v["id"]) for v in source["variants"]]

    def short_formats(
        self, publication_id: int, language: str | None = None
    ) -> list[tuple[dict[str, Any], ShortFormats]]:
        """Every member of the family (or the one in ``language``) with its short formats."""
        members = self.family(publication_id)
        province = self._province(members[0]["unit"])
        chosen = [m for m in members if language is None or m["language"] == language]
        return [(m, _short_formats(_release(m), province)) for m in chosen]

    def _province(self, unit_code: str) -> str | None:
        """The unit's province as :func:`newsdesk.reference.find_province` reads it; None for central."""
        with self.engine.connect() as conn:
            code = conn.execute(select(UnitRow.province_code).where(UnitRow.code == unit_code)).scalar()
        return f"2025/{code}" if code else None

    def version_text(self, publication_id: int, version: int) -> tuple[str, str]:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(PublicationVersionRow.title, PublicationVersionRow.body).where(
                    PublicationVersionRow.publication_id == publication_id,
                    PublicationVersionRow.version == version,
                )
            ).first()
        if row is None:
            raise NotFound(f"publication {publication_id} has no version {version}")
        return row.title, row.body

    def diff(self, publication_id: int, old: int, new: int) -> dict[str, Any]:
        """What changed between two versions: a unified diff of title and body lines, and its rows."""
        old_title, old_body = self.version_text(publication_id, old)
        new_title, new_body = self.version_text(publication_id, new)
        lines = list(
            difflib.unified_diff(
                [old_title, "", *old_body.splitlines()],
                [new_title, "", *new_body.splitlines()],
                fromfile=f"v{old}",
                tofile=f"v{new}",
                lineterm="",
            )
        )
        return {
            "publication": publication_id,
            "from": old,
            "to": new,
            "diff": lines,
            "rows": diff_rows(lines),
        }

    # -- writing -----------------------------------------------------------------------------
    def add(
        self,
        actor: Actor,
        *,
        unit: str,
        language: str,
        title: str,
        body: str,
        themes: list[str] | None = None,
        source_id: int | None = None,
    ) -> int:
        """A new draft (version 1); with ``source_id``, a language variant of that publication."""
        language = _check_language(language)
        title, body = normalize_text(title).strip(), normalize_text(body).strip()
        if not title or not body:
            raise NewsdeskError("a publication needs a title and a body")
        actor.check_unit(unit, f"write for unit {unit}")
        now = _now()
        with self.engine.begin() as conn:
            if conn.execute(select(UnitRow.code).where(UnitRow.code == unit)).first() is None:
                raise NotFound(f"unit {unit!r} not found (see `newsdesk users units`)")
            source_version = None
            if source_id is not None:
                source = self._row(conn, source_id)
                if source.unit_code != unit:
                    raise NewsdeskError(f"a variant belongs to its source's unit ({source.unit_code})")
                if source.language == language:
                    raise NewsdeskError(f"publication {source_id} is already in {language}")
                source_version = source.version
                themes = themes if themes is not None else list(source.themes)
            new_id = conn.execute(
                insert(PublicationRow)
                .values(
                    unit_code=unit,
                    author=actor.name,
                    language=language,
                    title=title,
                    body=body,
                    themes=themes or [],
                    status="draft",
                    version=1,
                    source_id=source_id,
                    source_version=source_version,
                    created_at=now,
                    updated_at=now,
                )
                .returning(PublicationRow.id)
            ).scalar_one()
            self._version(conn, new_id, 1, title, body, actor, "", now)
            note = f"variant of {source_id} v{source_version}" if source_id else ""
            self._event(conn, new_id, actor, "created", None, "draft", 1, note, now)
        return int(new_id)

    def edit(
        self, actor: Actor, publication_id: int, *, title: str, body: str, note: str = ""
    ) -> dict[str, Any]:
        """Save a new version; an approved text goes back to draft, a published one stays."""
        title, body = normalize_text(title).strip(), normalize_text(body).strip()
        if not title or not body:
            raise NewsdeskError("a publication needs a title and a body")
        now = _now()
        with self.engine.begin() as conn:
            row = self._row(conn, publication_id)
            actor.check_unit(row.unit_code, f"edit publication {publication_id}")
            if (title, body) == (row.title, row.body):
                return self.get(publication_id)
            version = row.version + 1
            status = "draft" if row.status == "approved" else row.status
            conn.execute(
                update(PublicationRow)
                .where(PublicationRow.id == publication_id)
                .values(title=title, body=body, version=version, status=status, updated_at=now)
            )
            self._version(conn, publication_id, version, title, body, actor, note, now)
            action = "corrected" if row.status == "published" else "edited"
            self._event(conn, publication_id, actor, action, row.status, status, version, note, now)
        return self.get(publication_id)

    def set_themes(self, actor: Actor, publication_id: int, themes: list[str]) -> None:
        with self.engine.begin() as conn:
            row = self._row(conn, publication_id)
            actor.check_unit(row.unit_code, f"edit publication {publication_id}")
            conn.execute(
                update(PublicationRow).where(PublicationRow.id == publication_id).values(themes=themes)
            )

    def act(
        self, actor: Actor, publication_id: int, action: str, *, note: str = "", url: str | None = None
    ) -> dict[str, Any]:
        """Move a publication through the workflow (see :mod:`newsdesk.publish.workflow`)."""
        now = _now()
        with self.engine.begin() as conn:
            row = self._row(conn, publication_id)
            actor.check_unit(row.unit_code, f"{action} publication {publication_id}")
            status = next_status(row.status, action)
            values: dict[str, Any] = {"status": status, "updated_at": now}
            if action == "publish":
                values |= {"published_at": now, "url": _check_url(url) or row.url}
            conn.execute(update(PublicationRow).where(PublicationRow.id == publication_id).values(**values))
            self._event(conn, publication_id, actor, action, row.status, status, row.version, note, now)
        return self.get(publication_id)

    @staticmethod
    def _version(
        conn: Connection, pid: int, version: int, title: str, body: str, actor: Actor, note: str, at: datetime
    ) -> None:
        conn.execute(
            insert(PublicationVersionRow).values(
                publication_id=pid,
                version=version,
                title=title,
                body=body,
                author=actor.name,
                note=note,
                created_at=at,
            )
        )

    @staticmethod
    def _event(
        conn: Connection,
        pid: int,
        actor: Actor,
        action: str,
        before: str | None,
        after: str | None,
        version: int,
        note: str,
        at: datetime,
    ) -> None:
        conn.execute(
            insert(PublicationEventRow).values(
                publication_id=pid,
                actor=actor.name,
                action=action,
                from_status=before,
                to_status=after,
                version=version,
                note=note,
                at=at,
            )
        )
