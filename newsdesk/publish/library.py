"""The shared translation library in the database: the glossary and the translation memory.

:mod:`newsdesk.translate` is pure (records, look-ups, file formats); this module
keeps its records in two tables and hands out the in-memory objects the
translation workflow needs.

``GlossaryStore``  one ``glossary_entries`` row per concept (terms as JSON), who
                   changed it last and when. Listing with filters (language,
                   domain, status) and an accent-insensitive search
                   (:func:`newsdesk.text.fold.fold`: ``thong tin`` finds
                   ``thông tin``); CSV/TBX import and export;
                   :meth:`GlossaryStore.glossary` → :class:`~newsdesk.translate.Glossary`.
``MemoryStore``    one ``translation_memory`` row per unit; TMX import/export,
                   counts per language pair, :meth:`MemoryStore.memory` →
                   :class:`~newsdesk.translate.TranslationMemory` of a pair (both
                   directions, as the look-up reads units both ways).

**Who may write the glossary.** It is shared by every unit. Editors *propose*:
what they add or import is stored ``proposed`` (not used by checks and engines)
and they may change or delete proposed entries only. Administrators (and the
command line) change anything and *approve* (status ``approved``). Viewers and
analysts read. Refusals are :class:`newsdesk.errors.Forbidden`.

**One concept, one entry.** Two entries are the same concept when they share a
preferred term in the same language (compared after ``normalize_text`` and case
folding, accents kept: *ban* and *bàn* differ). :meth:`GlossaryStore.add` refuses
a duplicate (:class:`newsdesk.errors.Conflict` naming the entry); an import
*updates* the existing entry instead of doubling it, and counts it. An imported
entry matching two existing entries is rejected as ambiguous; bad rows are
rejected with ``file:line`` (see :mod:`newsdesk.translate.glossary_io`), the
good ones kept — :class:`ImportReport` has the counts and every rejection.

**Caching.** Reads build the ``Glossary`` and each pair's ``TranslationMemory``
once and keep them per database engine (a ``WeakKeyDictionary``, so every store
object of a workspace shares them). Each read first runs one aggregate query
(row count, highest id, latest change) and rebuilds when that fingerprint moved,
so a change made by another process — ``newsdesk glossary import`` while the
service runs — is seen at the next read; changes made here drop the cache at once.
We rejected a time-based expiry: it serves stale terms for its whole lifetime.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update

from newsdesk.auth import Permission, allowed
from newsdesk.errors import Conflict, Forbidden, MalformedInput, NewsdeskError, NotFound
from newsdesk.publish.workflow import Actor
from newsdesk.store.tables import GlossaryEntryRow, MemoryUnitRow
from newsdesk.text.fold import fold
from newsdesk.text.normalize import normalize_text
from newsdesk.translate import (
    DEFAULT_THRESHOLD,
    EntryStatus,
    Glossary,
    ImportResult,
    MemoryMatch,
    Term,
    TermEntry,
    TermUsage,
    TranslationMemory,
    TranslationUnit,
    export_glossary_csv,
    export_glossary_tbx,
    export_tmx,
    import_glossary_csv,
    import_glossary_tbx,
    import_tmx,
)

__all__ = [
    "GlossaryFormat",
    "GlossaryStore",
    "ImportReport",
    "MemoryStore",
    "PairCount",
    "StoredEntry",
    "build_entry",
    "glossary_format",
]

log = logging.getLogger(__name__)

GlossaryFormat = Literal["csv", "tbx"]
_Fingerprint = tuple[Any, ...]
_CHUNK = 500
"""Source segments per ``IN (…)`` when looking for stored units."""


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def glossary_format(name: str) -> GlossaryFormat:
    """``csv`` or ``tbx`` from a file name (``.tbx`` and ``.xml`` are TBX)."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".tbx", ".xml")):
        return "tbx"
    raise NewsdeskError(f"{name}: unknown glossary format; use a .csv or .tbx file")


def build_entry(
    terms: Iterable[tuple[str, str, str]], *, status: str = "approved", domain: str = "", note: str = ""
) -> TermEntry:
    """An entry from plain values — ``(lang, text, usage)`` triples, blank texts skipped — as forms,
    the command line and the API give them; :class:`NewsdeskError` naming the problem."""
    try:
        kept = tuple(
            Term(lang.strip().lower(), " ".join(text.split()), TermUsage(usage.strip().lower()))
            for lang, text, usage in terms
            if text.strip()
        )
        return TermEntry(kept, EntryStatus(status.strip().lower()), note.strip(), " ".join(domain.split()))
    except ValueError as exc:
        raise NewsdeskError(f"invalid glossary entry: {exc}") from exc


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """A glossary entry as stored: its id and who changed it last."""

    id: int
    entry: TermEntry
    updated_by: str
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "id": self.id,
            "terms": [{"lang": t.lang, "text": t.text, "usage": t.usage.value} for t in entry.terms],
            "status": entry.status.value,
            "domain": entry.domain,
            "note": entry.note,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: records added, updated, already there, and every rejection."""

    origin: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: tuple[MalformedInput, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [
                {"where": problem.origin, "reason": problem.reason, "detail": problem.detail}
                for problem in self.rejected
            ],
        }


@dataclass(frozen=True, slots=True)
class PairCount:
    """How many units the memory holds for one directed language pair."""

    source_lang: str
    target_lang: str
    units: int


# --- the per-engine cache -------------------------------------------------------------------------


class _Cache:
    """What one database engine's stores share: the glossary, and one memory per language pair."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.glossary: tuple[_Fingerprint, list[StoredEntry], Glossary] | None = None
        self.memories: dict[tuple[str, str], tuple[_Fingerprint, TranslationMemory]] = {}


_CACHES: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _cache(engine: Engine) -> _Cache:
    with _CACHES_LOCK:
        if engine not in _CACHES:
            _CACHES[engine] = _Cache()
        return _CACHES[engine]


# --- glossary -------------------------------------------------------------------------------------


def _terms_json(entry: TermEntry) -> list[dict[str, str]]:
    return [{"lang": t.lang, "text": t.text, "usage": t.usage.value} for t in entry.terms]


def _row_values(entry: TermEntry, actor: Actor, now: datetime) -> dict[str, Any]:
    return {
        "terms": _terms_json(entry),
        "status": entry.status.value,
        "domain": entry.domain,
        "note": entry.note,
        "updated_by": actor.name,
        "updated_at": now,
    }


def _stored(row: Any) -> StoredEntry | None:
    """The entry of a row; ``None`` (logged) for a row that is not a valid entry any more."""
    try:
        terms = tuple(Term(t["lang"], t["text"], TermUsage(t["usage"])) for t in row.terms)
        entry = TermEntry(terms, EntryStatus(row.status), row.note, row.domain)
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("glossary entry %s is invalid and left out: %s", row.id, exc, extra={"reason": "bad_row"})
        return None
    return StoredEntry(row.id, entry, row.updated_by, _aware(row.updated_at))


def _concept_keys(entry: TermEntry) -> set[tuple[str, str]]:
    """What makes two entries one concept: their preferred terms per language."""
    return {
        (t.lang, normalize_text(t.text).casefold()) for t in entry.terms if t.usage is TermUsage.PREFERRED
    }


def _search_key(entry: TermEntry) -> str:
    return fold(" | ".join([*(t.text for t in entry.terms), entry.note, entry.domain]))


def _headword(entry: TermEntry, lang: str | None) -> str:
    preferred = entry.preferred(lang or "vi") or entry.preferred("vi")
    return (preferred or entry.terms[0]).text


def _sort_key(stored: StoredEntry, lang: str | None) -> tuple[str, int]:
    return fold(_headword(stored.entry, lang)), stored.id


def _matches(
    stored: StoredEntry, lang: str | None, domain: str | None, status: str | None, query: str
) -> bool:
    entry = stored.entry
    return (
        (not lang or lang in entry.languages)
        and (not domain or fold(entry.domain) == fold(domain))
        and (not status or entry.status.value == status)
        and (not query or query in _search_key(entry))
    )


def _check_writer(actor: Actor) -> None:
    if not allowed(actor.role, Permission.EDIT_OWN_UNIT):
        raise Forbidden(
            f"{actor.name} ({actor.role}) may not change the glossary: editors and administrators"
        )


def _approver(actor: Actor) -> bool:
    return allowed(actor.role, Permission.ADMIN)


def _as_allowed(actor: Actor, entry: TermEntry) -> TermEntry:
    """What ``actor`` may store: an editor's entries are proposals."""
    _check_writer(actor)
    if _approver(actor) or entry.status is EntryStatus.PROPOSED:
        return entry
    return replace(entry, status=EntryStatus.PROPOSED)


def _check_may_change(actor: Actor, stored: StoredEntry) -> None:
    _check_writer(actor)
    if stored.entry.status is EntryStatus.APPROVED and not _approver(actor):
        raise Forbidden(
            f"glossary entry {stored.id} is approved: only administrators change approved entries "
            "(propose a new entry instead)"
        )


class _ConceptIndex:
    """Entries by concept key, kept up to date while an import runs."""

    def __init__(self, entries: Iterable[StoredEntry]) -> None:
        self.by_id: dict[int, StoredEntry] = {}
        self.by_key: dict[tuple[str, str], int] = {}
        for stored in entries:
            self.put(stored)

    def put(self, stored: StoredEntry) -> None:
        old = self.by_id.get(stored.id)
        if old is not None:
            for key in _concept_keys(old.entry):
                self.by_key.pop(key, None)
        self.by_id[stored.id] = stored
        for key in _concept_keys(stored.entry):
            self.by_key[key] = stored.id

    def owners(self, entry: TermEntry, *, besides: int | None = None) -> list[StoredEntry]:
        ids = {self.by_key[key] for key in _concept_keys(entry) if key in self.by_key} - {besides}
        return [self.by_id[i] for i in sorted(i for i in ids if i is not None)]


def _duplicate(entry: TermEntry, owners: list[StoredEntry]) -> Conflict:
    shared = sorted(_concept_keys(entry) & set().union(*(_concept_keys(o.entry) for o in owners)))
    lang, _ = shared[0]
    term = entry.preferred(lang)
    ids = ", ".join(str(o.id) for o in owners)
    return Conflict(f"the {lang} term {term.text if term else '?'!r} is already the concept of entry {ids}")


class GlossaryStore:
    """The glossary's rows: list, change, import, export, and the cached :class:`Glossary`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._cache = _cache(engine)

    # -- reading ---------------------------------------------------------------------------------
    def entries(self) -> list[StoredEntry]:
        """Every entry (cached; see the module docstring)."""
        return list(self._current()[1])

    def glossary(self) -> Glossary:
        """The :class:`Glossary` of every entry, proposed ones included (checks skip those)."""
        return self._current()[2]

    def _current(self) -> tuple[_Fingerprint, list[StoredEntry], Glossary]:
        with self.engine.connect() as conn:
            fingerprint = self._fingerprint(conn)
            with self._cache.lock:
                cached = self._cache.glossary
                if cached is not None and cached[0] == fingerprint:
                    return cached
            rows = conn.execute(select(GlossaryEntryRow).order_by(GlossaryEntryRow.id)).all()
        stored = [entry for entry in map(_stored, rows) if entry is not None]
        fresh = (fingerprint, stored, Glossary([s.entry for s in stored]))
        with self._cache.lock:
            self._cache.glossary = fresh
        return fresh

    @staticmethod
    def _fingerprint(conn: Connection) -> _Fingerprint:
        row = conn.execute(
            select(
                func.count(GlossaryEntryRow.id),
                func.max(GlossaryEntryRow.id),
                func.max(GlossaryEntryRow.updated_at),
            )
        ).one()
        return tuple(row)

    def _changed(self) -> None:
        with self._cache.lock:
            self._cache.glossary = None

    def listing(
        self,
        *,
        lang: str | None = None,
        domain: str | None = None,
        status: str | None = None,
        q: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> tuple[int, list[StoredEntry]]:
        """``(total, page)`` of the entries that pass the filters, by headword (accents ignored)."""
        if status and status not in {s.value for s in EntryStatus}:
            raise NewsdeskError(f"unknown status {status!r}: approved or proposed")
        query = fold(q).strip()
        found = [s for s in self.entries() if _matches(s, lang, domain, status, query)]
        found.sort(key=lambda stored: _sort_key(stored, lang))
        end = None if limit is None else offset + limit
        return len(found), found[offset:end]

    def domains(self) -> list[str]:
        """The domain labels in use, sorted."""
        return sorted({s.entry.domain for s in self.entries() if s.entry.domain}, key=fold)

    def get(self, entry_id: int) -> StoredEntry:
        for stored in self.entries():
            if stored.id == entry_id:
                return stored
        raise NotFound(f"glossary entry {entry_id} not found")

    # -- writing ---------------------------------------------------------------------------------
    def add(self, actor: Actor, entry: TermEntry) -> StoredEntry:
        """Store a new concept (a proposal when ``actor`` is an editor); Conflict when it exists."""
        entry = _as_allowed(actor, entry)
        now = _now()
        with self.engine.begin() as conn:
            owners = _ConceptIndex(self._rows(conn)).owners(entry)
            if owners:
                raise _duplicate(entry, owners)
            new_id = self._insert(conn, entry, actor, now)
        self._changed()
        return StoredEntry(new_id, entry, actor.name, now)

    def update(self, actor: Actor, entry_id: int, entry: TermEntry) -> StoredEntry:
        """Replace an entry's content (editors: proposed entries only, and they stay proposed)."""
        entry = _as_allowed(actor, entry)
        now = _now()
        with self.engine.begin() as conn:
            index = _ConceptIndex(self._rows(conn))
            stored = self._existing(index, entry_id)
            _check_may_change(actor, stored)
            owners = index.owners(entry, besides=entry_id)
            if owners:
                raise _duplicate(entry, owners)
            self._write(conn, entry_id, entry, actor, now)
        self._changed()
        return StoredEntry(entry_id, entry, actor.name, now)

    def approve(self, actor: Actor, entry_id: int) -> StoredEntry:
        """Make a proposed entry part of the approved glossary (administrators)."""
        if not _approver(actor):
            raise Forbidden(f"{actor.name} ({actor.role}) may not approve glossary entries: administrators")
        stored = self.get(entry_id)
        return self.update(actor, entry_id, replace(stored.entry, status=EntryStatus.APPROVED))

    def delete(self, actor: Actor, entry_id: int) -> StoredEntry:
        """Remove an entry (editors: proposed entries only); the removed entry is returned."""
        with self.engine.begin() as conn:
            stored = self._existing(_ConceptIndex(self._rows(conn)), entry_id)
            _check_may_change(actor, stored)
            conn.execute(delete(GlossaryEntryRow).where(GlossaryEntryRow.id == entry_id))
        self._changed()
        log.info("glossary entry %s deleted by %s", entry_id, actor.name)
        return stored

    def import_file(
        self, actor: Actor, data: bytes, *, origin: str, fmt: GlossaryFormat | None = None
    ) -> ImportReport:
        """Import a CSV or TBX glossary (format from ``origin``'s extension unless given)."""
        _check_writer(actor)
        reader = import_glossary_csv if (fmt or glossary_format(origin)) == "csv" else import_glossary_tbx
        result = reader(data, origin=origin)
        with self.engine.begin() as conn:
            report = self._merge_all(conn, actor, result)
        self._changed()
        return report

    def _merge_all(self, conn: Connection, actor: Actor, result: ImportResult[TermEntry]) -> ImportReport:
        index = _ConceptIndex(self._rows(conn))
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        rejected = list(result.rejected)
        now = _now()
        for entry in result.items:
            try:
                counts[self._merge(conn, actor, index, _as_allowed(actor, entry), now)] += 1
            except (Conflict, Forbidden) as exc:
                term = _headword(entry, None)
                rejected.append(MalformedInput(result.origin, f"entry {term!r}: {exc}", reason="refused"))
        return ImportReport(result.origin, **counts, rejected=tuple(rejected))

    def _merge(
        self, conn: Connection, actor: Actor, index: _ConceptIndex, entry: TermEntry, now: datetime
    ) -> str:
        owners = index.owners(entry)
        if len(owners) > 1:
            raise Conflict(f"matches entries {', '.join(str(o.id) for o in owners)}: merge them first")
        if not owners:
            index.put(StoredEntry(self._insert(conn, entry, actor, now), entry, actor.name, now))
            return "added"
        stored = owners[0]
        if replace(entry, status=stored.entry.status) == stored.entry and (
            entry.status is stored.entry.status or not _approver(actor)
        ):
            return "unchanged"
        _check_may_change(actor, stored)
        self._write(conn, stored.id, entry, actor, now)
        index.put(StoredEntry(stored.id, entry, actor.name, now))
        return "updated"

    @staticmethod
    def _rows(conn: Connection) -> Iterator[StoredEntry]:
        for row in conn.execute(select(GlossaryEntryRow).order_by(GlossaryEntryRow.id)):
            stored = _stored(row)
            if stored is not None:
                yield stored

    @staticmethod
    def _existing(index: _ConceptIndex, entry_id: int) -> StoredEntry:
        if entry_id not in index.by_id:
            raise NotFound(f"glossary entry {entry_id} not found")
        return index.by_id[entry_id]

    @staticmethod
    def _insert(conn: Connection, entry: TermEntry, actor: Actor, now: datetime) -> int:
        statement = insert(GlossaryEntryRow).values(**_row_values(entry, actor, now))
        return int(conn.execute(statement.returning(GlossaryEntryRow.id)).scalar_one())

    @staticmethod
    def _write(conn: Connection, entry_id: int, entry: TermEntry, actor: Actor, now: datetime) -> None:
        values = _row_values(entry, actor, now)
        conn.execute(update(GlossaryEntryRow).where(GlossaryEntryRow.id == entry_id).values(**values))

    # -- export ----------------------------------------------------------------------------------
    def export(self, fmt: GlossaryFormat, *, status: str | None = None) -> bytes:
        """The glossary as CSV or TBX, by headword; ``status`` keeps only approved or proposed entries."""
        _, entries = self.listing(status=status)
        items = [stored.entry for stored in entries]
        if fmt == "csv":
            return export_glossary_csv(items, languages=("vi", "en", "fr"))
        if fmt == "tbx":
            return export_glossary_tbx(items)
        raise NewsdeskError(f"unknown glossary format {fmt!r}: csv or tbx")


# --- translation memory ---------------------------------------------------------------------------


def _pair_filter(src: str, tgt: str) -> Any:
    return or_(
        and_(MemoryUnitRow.source_lang == src, MemoryUnitRow.target_lang == tgt),
        and_(MemoryUnitRow.source_lang == tgt, MemoryUnitRow.target_lang == src),
    )


def _unit(row: Any) -> TranslationUnit | None:
    try:
        return TranslationUnit(
            row.source_lang, row.target_lang, row.source, row.target, row.origin, _aware(row.created_at)
        )
    except ValueError as exc:
        log.warning("memory unit %s is invalid and left out: %s", row.id, exc, extra={"reason": "bad_row"})
        return None


def _stored_identities(
    conn: Connection, src: str, tgt: str, sources: list[str]
) -> Iterator[tuple[str, str, str, str]]:
    """The stored ``(src, tgt, source, target)`` of the given source segments, in chunks."""
    for start in range(0, len(sources), _CHUNK):
        rows = conn.execute(
            select(MemoryUnitRow.source, MemoryUnitRow.target).where(
                MemoryUnitRow.source_lang == src,
                MemoryUnitRow.target_lang == tgt,
                MemoryUnitRow.source.in_(sources[start : start + _CHUNK]),
            )
        )
        for row in rows:
            yield src, tgt, row.source, row.target


def _unit_values(unit: TranslationUnit) -> dict[str, Any]:
    return {
        "source_lang": unit.source_lang,
        "target_lang": unit.target_lang,
        "source": unit.source,
        "target": unit.target,
        "origin": unit.origin,
        "created_at": unit.created,
    }


class MemoryStore:
    """The translation memory's rows: add, import, export, counts, and cached per-pair memories."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._cache = _cache(engine)

    def add(self, units: Iterable[TranslationUnit]) -> int:
        """Store the units not stored yet (same languages and texts); the number added."""
        fresh = self._fresh(list(units))
        if fresh:
            with self.engine.begin() as conn:
                conn.execute(insert(MemoryUnitRow), [_unit_values(unit) for unit in fresh])
            self._changed({(u.source_lang, u.target_lang) for u in fresh})
        return len(fresh)

    def _fresh(self, units: list[TranslationUnit]) -> list[TranslationUnit]:
        """The units whose identity is neither stored nor repeated earlier in ``units``."""
        wanted: dict[tuple[str, str], set[str]] = {}
        for unit in units:
            wanted.setdefault((unit.source_lang, unit.target_lang), set()).add(unit.source)
        seen: set[tuple[str, str, str, str]] = set()
        with self.engine.connect() as conn:
            for (src, tgt), sources in wanted.items():
                seen.update(_stored_identities(conn, src, tgt, sorted(sources)))
        fresh = []
        for unit in units:
            if unit.identity not in seen:
                seen.add(unit.identity)
                fresh.append(unit)
        return fresh

    def import_tmx(self, data: bytes, *, origin: str) -> ImportReport:
        """Import a TMX file: units added, already stored (``unchanged``), rejected ``tu``s."""
        result = import_tmx(data, origin=origin)
        added = self.add(result.items)
        unchanged = len(result.items) - added
        return ImportReport(result.origin, added, 0, unchanged, tuple(result.rejected))

    def units(self, src: str | None = None, tgt: str | None = None) -> list[TranslationUnit]:
        """Stored units, oldest first; with ``src`` and/or ``tgt``, of those directed languages only."""
        statement = select(MemoryUnitRow).order_by(MemoryUnitRow.id)
        if src:
            statement = statement.where(MemoryUnitRow.source_lang == src)
        if tgt:
            statement = statement.where(MemoryUnitRow.target_lang == tgt)
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        return [unit for unit in map(_unit, rows) if unit is not None]

    def export_tmx(self, src: str | None = None, tgt: str | None = None) -> bytes:
        return export_tmx(self.units(src, tgt))

    def pairs(self) -> list[PairCount]:
        """Units per directed language pair, largest first."""
        count = func.count(MemoryUnitRow.id)
        statement = (
            select(MemoryUnitRow.source_lang, MemoryUnitRow.target_lang, count)
            .group_by(MemoryUnitRow.source_lang, MemoryUnitRow.target_lang)
            .order_by(count.desc(), MemoryUnitRow.source_lang, MemoryUnitRow.target_lang)
        )
        with self.engine.connect() as conn:
            return [PairCount(src, tgt, int(n)) for src, tgt, n in conn.execute(statement)]

    def size(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count(MemoryUnitRow.id))).scalar_one())

    def memory(self, src: str, tgt: str) -> TranslationMemory:
        """The units of ``src→tgt`` and ``tgt→src`` (cached; see the module docstring)."""
        key = (min(src, tgt), max(src, tgt))
        with self.engine.connect() as conn:
            fingerprint = tuple(
                conn.execute(
                    select(func.count(MemoryUnitRow.id), func.max(MemoryUnitRow.id)).where(
                        _pair_filter(src, tgt)
                    )
                ).one()
            )
            with self._cache.lock:
                cached = self._cache.memories.get(key)
                if cached is not None and cached[0] == fingerprint:
                    return cached[1]
            rows = conn.execute(
                select(MemoryUnitRow).where(_pair_filter(src, tgt)).order_by(MemoryUnitRow.id)
            ).all()
        memory = TranslationMemory(unit for unit in map(_unit, rows) if unit is not None)
        with self._cache.lock:
            self._cache.memories[key] = (fingerprint, memory)
        return memory

    def lookup(
        self, segment: str, src: str, tgt: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 5
    ) -> list[MemoryMatch]:
        """Stored translations of ``segment`` into ``tgt``, best first (100 = exact)."""
        return self.memory(src, tgt).lookup(segment, src, tgt, threshold=threshold, limit=limit)

    def _changed(self, pairs: set[tuple[str, str]]) -> None:
        with self._cache.lock:
            for src, tgt in pairs:
                self._cache.memories.pop((min(src, tgt), max(src, tgt)), None)
