"""The approved multilingual glossary: official names and terms, and finding them in a text.

The records are plain frozen dataclasses, id-less and easy to persist as two SQL
tables (``term_entries`` and ``terms``):

``Term``       one written form in one language with its *usage*: ``preferred`` (the
               approved term — at most one per language), ``admitted`` (an accepted
               synonym or short form, e.g. ``BCĐ``) or ``forbidden`` (a wrong or
               deprecated variant that must not be used).
``TermEntry``  one concept: its terms in any number of languages (ISO 639-1 codes),
               an entry ``status`` (``approved`` or ``proposed``), a free ``note`` and a
               ``domain`` label (``Đối ngoại``, ``Y tế`` …).
``Glossary``   a list of entries with a look-up index.

:meth:`Glossary.find` returns the :class:`TermMatch` spans of a language's terms in
a text. Matching is Vietnamese-aware: both sides go through the match key of
:func:`newsdesk.translate._text.keyed` (NFC, one tone-mark placement, case-folded,
white space collapsed), so ``Ban chỉ đạo`` in an NFD text written ``hoà``-style
finds ``Ban Chỉ đạo``. Only whole words match (``Ban`` never matches inside
``Bank``), and when candidate spans overlap the longest wins, ties to the earlier
one — the policy of spaCy's ``filter_spans``. Entries that share the very same
winning span (homonyms) are all reported. Spans index the original text.

The index is a dict from each term's first key token to the terms starting with
it, so a look-up costs one dict probe per token of the text, whatever the size
of the glossary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from newsdesk.translate._text import Keyed, check_lang, check_term, check_text, keyed

__all__ = ["EntryStatus", "Glossary", "Term", "TermEntry", "TermMatch", "TermUsage"]


class TermUsage(StrEnum):
    """How a term may be used in its language."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    FORBIDDEN = "forbidden"


class EntryStatus(StrEnum):
    """Whether a concept entry is approved for use or only proposed."""

    APPROVED = "approved"
    PROPOSED = "proposed"


ACCEPTED = (TermUsage.PREFERRED, TermUsage.ADMITTED)
"""The usages a correct text may contain."""


@dataclass(frozen=True, slots=True)
class Term:
    """One written form of a concept in one language."""

    lang: str
    text: str
    usage: TermUsage = TermUsage.PREFERRED

    def __post_init__(self) -> None:
        check_lang(self.lang)
        check_term(self.text, f"{self.lang} term")
        object.__setattr__(self, "usage", TermUsage(self.usage))


@dataclass(frozen=True, slots=True)
class TermEntry:
    """One concept with its terms; valid by construction (:class:`ValueError` otherwise).

    ``terms`` are kept in one canonical order — by language code, then preferred,
    admitted, forbidden, then as given — so two entries with the same content are
    equal however they were built or imported.
    """

    terms: tuple[Term, ...]
    status: EntryStatus = EntryStatus.APPROVED
    note: str = ""
    domain: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", tuple(sorted(self.terms, key=_term_order)))
        object.__setattr__(self, "status", EntryStatus(self.status))
        check_text(self.note, "note", blank=True)
        if self.domain:
            check_term(self.domain, "domain")
        _check_terms(self.terms)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the entry, in the order they first appear."""
        return tuple(dict.fromkeys(term.lang for term in self.terms))

    def preferred(self, lang: str) -> Term | None:
        """The approved term of ``lang``, if any."""
        return next(iter(self.in_lang(lang, TermUsage.PREFERRED)), None)

    def in_lang(self, lang: str, *usages: TermUsage) -> tuple[Term, ...]:
        """The terms of ``lang`` (of the given usages; all when none is given), in order."""
        return tuple(t for t in self.terms if t.lang == lang and (not usages or t.usage in usages))


_USAGE_RANK = {usage: rank for rank, usage in enumerate(TermUsage)}


def _term_order(term: Term) -> tuple[str, int]:
    return (term.lang, _USAGE_RANK[term.usage]) if isinstance(term, Term) else ("", 0)


def _check_terms(terms: tuple[Term, ...]) -> None:
    if not terms or not all(isinstance(term, Term) for term in terms):
        raise ValueError("an entry needs at least one Term")
    seen: set[tuple[str, str]] = set()
    for term in terms:
        if (term.lang, term.text) in seen:
            raise ValueError(f"{term.lang} term {term.text!r} is listed twice")
        seen.add((term.lang, term.text))
    preferred = [t.lang for t in terms if t.usage is TermUsage.PREFERRED]
    if not preferred:
        raise ValueError("an entry needs a preferred term in at least one language")
    twice = sorted({lang for lang in preferred if preferred.count(lang) > 1})
    if twice:
        raise ValueError(f"more than one preferred term in {', '.join(twice)}")
    orphans = sorted({t.lang for t in terms if t.usage is TermUsage.ADMITTED} - set(preferred))
    if orphans:
        raise ValueError(f"admitted terms without a preferred term in {', '.join(orphans)}")


@dataclass(frozen=True, slots=True)
class TermMatch:
    """A term of ``entry`` found at ``text[start:end]``."""

    start: int
    end: int
    text: str
    term: Term
    entry: TermEntry


_TOKEN = re.compile(r"\w+|[^\w\s]")

_Candidate = tuple[str, Term, TermEntry]
_Index = dict[str, list[_Candidate]]


@dataclass(slots=True)
class Glossary:
    """Concept entries with a per-language look-up index, rebuilt after each change."""

    entries: list[TermEntry] = field(default_factory=list)
    _indexes: dict[tuple[str, frozenset[TermUsage], bool], _Index] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.entries = list(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[TermEntry]:
        return iter(self.entries)

    def add(self, entry: TermEntry) -> None:
        self.entries.append(entry)
        self._indexes.clear()

    def extend(self, entries: Iterable[TermEntry]) -> None:
        self.entries.extend(entries)
        self._indexes.clear()

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(term.lang for entry in self.entries for term in entry.terms)

    def find(
        self,
        text: str,
        lang: str,
        *,
        usages: Iterable[TermUsage] = ACCEPTED,
        include_proposed: bool = False,
    ) -> list[TermMatch]:
        """Every term of ``lang`` (of ``usages``) in ``text``, longest first on overlaps, in text order."""
        index = self._index(lang, frozenset(usages), include_proposed)
        if not index:
            return []
        source = keyed(text)
        spans = _longest_first(_candidates(source.key, index))
        return [_match(text, source, span, term, entry) for span, term, entry in spans]

    def _index(self, lang: str, usages: frozenset[TermUsage], include_proposed: bool) -> _Index:
        cache_key = (lang, usages, include_proposed)
        if cache_key not in self._indexes:
            self._indexes[cache_key] = _build_index(self.entries, lang, usages, include_proposed)
        return self._indexes[cache_key]


def _build_index(
    entries: Iterable[TermEntry], lang: str, usages: frozenset[TermUsage], include_proposed: bool
) -> _Index:
    index: _Index = {}
    for entry in entries:
        if entry.status is EntryStatus.PROPOSED and not include_proposed:
            continue
        for term in entry.in_lang(lang, *usages):
            key = keyed(term.text).key
            first = _TOKEN.match(key)
            if first is not None:
                index.setdefault(first[0], []).append((key, term, entry))
    return index


_Span = tuple[tuple[int, int], Term, TermEntry]


def _candidates(key: str, index: _Index) -> Iterator[_Span]:
    """Every whole-word occurrence of an indexed term in ``key`` (overlaps included)."""
    for token in _TOKEN.finditer(key):
        for term_key, term, entry in index.get(token[0], ()):
            start, end = token.start(), token.start() + len(term_key)
            if key.startswith(term_key, start) and not _glued(key, end):
                yield (start, end), term, entry


def _glued(key: str, end: int) -> bool:
    """Whether the match ending at ``end`` stops inside a word."""
    return 0 < end < len(key) and (key[end - 1].isalnum() or key[end - 1] == "_") and _is_word(key[end])


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _longest_first(candidates: Iterable[_Span]) -> list[_Span]:
    """Non-overlapping spans, longest first (ties: earlier), plus homonyms of a kept span; in text order."""
    kept: dict[tuple[int, int], list[_Span]] = {}
    taken: set[int] = set()
    ordered = sorted(candidates, key=lambda c: (c[0][0] - c[0][1], c[0][0]))
    for candidate in ordered:
        (start, end) = span = candidate[0]
        if span in kept:
            if all(other[2] != candidate[2] for other in kept[span]):
                kept[span].append(candidate)
        elif not taken.intersection(range(start, end)):
            kept[span] = [candidate]
            taken.update(range(start, end))
    return [c for span in sorted(kept) for c in kept[span]]


def _match(text: str, source: Keyed, span: tuple[int, int], term: Term, entry: TermEntry) -> TermMatch:
    start, end = source.span(*span)
    return TermMatch(start, end, text[start:end], term, entry)
