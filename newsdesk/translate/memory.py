"""Segment-level translation memory: stored pairs, exact and fuzzy look-up.

A :class:`TranslationUnit` is one directed pair — ``(source_lang, target_lang,
source, target, origin, created)`` — a plain frozen dataclass that maps to one SQL
row. ``created`` is kept in UTC to the second, the precision of TMX. Adding the
same four texts twice keeps the first unit.

:meth:`TranslationMemory.lookup` scores every stored segment against a query:

* **exact** — equal after :func:`newsdesk.text.normalize.normalize_text` (NFC,
  one tone placement, tidy white space; case kept): score ``100``;
* **fuzzy** — rapidfuzz's ``fuzz.ratio`` (normalized Indel similarity, 0–100) of
  the case-folded normalized forms, rounded to one decimal and capped at
  ``99.9`` so that 100 always means exact; matches under ``threshold``
  (default 75) are dropped. ``fuzz.ratio`` keeps word order, which matters for
  reusing a translation; token-sorting scorers would not.

Units are searched in both directions: a unit ``en→vi`` answers a ``vi→en``
query with its sides swapped (``MemoryMatch.reverse``). Results come best first;
on equal scores forward before reverse, then newest first; a (source, target)
pair is reported once.

Speed: per directed language pair the fuzzy keys are kept sorted by length. A
ratio of at least *t* needs a length within ``[L·t/(2−t), L·(2−t)/t]`` of the
query's *L*, so only that slice is scored. It is scored twice: first the
accent-stripped :func:`newsdesk.translate._text.skeleton` keys (ASCII, ~5×
faster in rapidfuzz, and never scoring lower than the real keys, so nothing
above the threshold is lost), then the real keys of the survivors only. Over
50,000 Vietnamese segments of 8–30 words a look-up takes about 5 ms on one core
(20 ms with the real keys only; ``tests/translate/test_memory.py`` keeps a loose
bound). The index of a pair is built on its first look-up and after each change
to that pair: 1–2 s for 50,000 segments, mostly ``normalize_text``. Bulk loads
should therefore ``extend`` first and look up afterwards.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz, process

from newsdesk.text.normalize import normalize_text
from newsdesk.translate._text import check_lang, check_text, skeleton

__all__ = ["DEFAULT_THRESHOLD", "MemoryMatch", "TranslationMemory", "TranslationUnit"]

DEFAULT_THRESHOLD = 75.0
_FUZZY_CAP = 99.9


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """One stored translation of one segment."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str = ""
    created: datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        check_lang(self.source_lang)
        check_lang(self.target_lang)
        if self.source_lang == self.target_lang:
            raise ValueError(f"source and target language are both {self.source_lang}")
        check_text(self.source, "source segment")
        check_text(self.target, "target segment")
        check_text(self.origin, "origin", blank=True)
        if not isinstance(self.created, datetime) or self.created.utcoffset() is None:
            raise ValueError("created must be a timezone-aware datetime")
        object.__setattr__(self, "created", self.created.astimezone(UTC).replace(microsecond=0))

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What makes two units the same translation."""
        return self.source_lang, self.target_lang, self.source, self.target


@dataclass(frozen=True, slots=True)
class MemoryMatch:
    """A stored translation for a queried segment, oriented as the query (``source`` is its language)."""

    score: float
    source: str
    target: str
    unit: TranslationUnit
    reverse: bool = False

    @property
    def exact(self) -> bool:
        return self.score == 100.0


@dataclass(slots=True)
class _PairIndex:
    """The units of one directed pair, oriented: exact keys, and fuzzy keys sorted by length."""

    oriented: list[tuple[TranslationUnit, bool]]
    exact: dict[str, list[int]]
    keys: list[str]
    skeletons: list[str]
    lengths: list[int]
    positions: list[int]


def _keys(text: str) -> tuple[str, str]:
    """The exact key (normalized, case kept) and the fuzzy key (case-folded) of a segment."""
    normalized = normalize_text(text)
    return normalized, normalized.casefold()


def _build(oriented: list[tuple[TranslationUnit, bool]]) -> _PairIndex:
    exact: dict[str, list[int]] = {}
    fuzzy: list[tuple[int, str, int]] = []
    for position, (unit, reverse) in enumerate(oriented):
        exact_key, key = _keys(unit.target if reverse else unit.source)
        exact.setdefault(exact_key, []).append(position)
        fuzzy.append((len(key), key, position))
    fuzzy.sort()
    keys = [key for _, key, _ in fuzzy]
    lengths = [length for length, _, _ in fuzzy]
    positions = [position for _, _, position in fuzzy]
    return _PairIndex(oriented, exact, keys, [skeleton(key) for key in keys], lengths, positions)


class TranslationMemory:
    """Translation units with a look-up index per directed language pair, rebuilt lazily."""

    def __init__(self, units: Iterable[TranslationUnit] = ()) -> None:
        self._units: list[TranslationUnit] = []
        self._seen: set[tuple[str, str, str, str]] = set()
        self._indexes: dict[tuple[str, str], _PairIndex] = {}
        self.extend(units)

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[TranslationUnit]:
        return iter(self._units)

    @property
    def units(self) -> list[TranslationUnit]:
        return list(self._units)

    def add(self, unit: TranslationUnit) -> bool:
        """Store ``unit``; ``False`` when the same translation is already stored."""
        if unit.identity in self._seen:
            return False
        self._seen.add(unit.identity)
        self._units.append(unit)
        self._indexes.pop((unit.source_lang, unit.target_lang), None)
        self._indexes.pop((unit.target_lang, unit.source_lang), None)
        return True

    def extend(self, units: Iterable[TranslationUnit]) -> int:
        """Store ``units``; the number actually added."""
        return sum(self.add(unit) for unit in units)

    def lookup(
        self, segment: str, src: str, tgt: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 5
    ) -> list[MemoryMatch]:
        """Stored translations of ``segment`` into ``tgt``, best first (see the module docstring)."""
        index = self._index(src, tgt)
        exact_key, key = _keys(segment)
        exact = index.exact.get(exact_key, [])
        matches = [_match(index, position, 100.0) for position in exact]
        for position, score in _fuzzy(index, key, threshold, limit + len(exact)):
            if position not in exact:
                matches.append(_match(index, position, min(round(score, 1), _FUZZY_CAP)))
        return _best(matches, limit)

    def _index(self, src: str, tgt: str) -> _PairIndex:
        if (src, tgt) not in self._indexes:
            oriented = [
                (unit, unit.source_lang == tgt)
                for unit in self._units
                if (unit.source_lang, unit.target_lang) in ((src, tgt), (tgt, src))
            ]
            self._indexes[(src, tgt)] = _build(oriented)
        return self._indexes[(src, tgt)]


def _fuzzy(index: _PairIndex, query: str, threshold: float, limit: int) -> list[tuple[int, float]]:
    """``(position, score)`` of the best fuzzy candidates within the length window."""
    if not query or not index.keys:
        return []
    low, high = _length_window(len(query), threshold)
    start, stop = bisect_left(index.lengths, low), bisect_right(index.lengths, high)
    coarse = process.extract(
        skeleton(query), index.skeletons[start:stop], scorer=fuzz.ratio, score_cutoff=threshold, limit=None
    )
    survivors = [start + offset for _, _, offset in coarse]
    fine = process.extract(
        query, [index.keys[i] for i in survivors], scorer=fuzz.ratio, score_cutoff=threshold, limit=limit
    )
    return [(index.positions[survivors[i]], score) for _, score, i in fine]


def _length_window(length: int, threshold: float) -> tuple[float, float]:
    """Lengths a candidate needs for ``fuzz.ratio >= threshold`` against a query of ``length``."""
    share = min(max(threshold, 0.0), 100.0) / 100.0
    if share == 0.0:
        return 0, math.inf
    return length * share / (2 - share) - 1e-9, length * (2 - share) / share + 1e-9


def _match(index: _PairIndex, position: int, score: float) -> MemoryMatch:
    unit, reverse = index.oriented[position]
    source, target = (unit.target, unit.source) if reverse else (unit.source, unit.target)
    return MemoryMatch(score, source, target, unit, reverse)


def _best(matches: list[MemoryMatch], limit: int) -> list[MemoryMatch]:
    matches.sort(key=lambda m: (-m.score, m.reverse, -m.unit.created.timestamp()))
    seen: set[tuple[str, str]] = set()
    best = []
    for match in matches:
        if (match.source, match.target) not in seen:
            seen.add((match.source, match.target))
            best.append(match)
    return best[:limit]
