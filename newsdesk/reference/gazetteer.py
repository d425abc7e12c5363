"""Gazetteers compiled from the reference data: find every known name in a text at once.

The text is first folded *in place* (:func:`aligned_fold`): lowercase, without accents,
one character for one character, so offsets in the folded text are offsets in the
original. A :class:`Matcher` is one regular expression built as a character trie of
all alias keys (``"ban tuyen giao trung uong"``, ``"tp . hcm"``), so Python's regex
engine scans the text once and returns leftmost-longest matches; the spaces of a key
match any run of spaces or tabs (not line breaks), and punctuation inside a key
(``"TP.HCM"``, ``"Bộ TT&TT"``) may have spaces around it or not.

Folding loses case and accents, so every :class:`Entry` keeps how its aliases were written
and :meth:`Entry.accepts` checks the surface: ``"hòa bình"`` (peace) is not the province
``"Hòa Bình"``, ``"who"`` is not ``"WHO"``, ``"từ"`` is not ``"TƯ"``. A surface written
with accents must carry the alias's vowel marks (``ă â ê ô ơ ư đ``; ``"Nhà Trắng"``, the
White House, is not ``"Nha Trang"``) — tone marks may differ in placement (``Hoà``/``Hòa``)
— and a one-word alias its exact accents (``"Bí"`` is not ``"Bỉ"``, Belgium). A surface
without any accent (English, or Vietnamese typed without them) matches accent-insensitively.

* :func:`entity_matcher` — organisations, provinces (both eras; a name used in both
  gives the 2025 unit), other places, and English demonyms (``"Vietnamese"``) that
  only serve to read titles;
* :func:`title_matcher` — titles and ranks of one language, case-insensitive;
* :func:`tail_matcher` — organisation names without their head word, for titles that
  elide it: ``"Bộ trưởng Ngoại giao"`` = ``"Bộ trưởng Bộ Ngoại giao"``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal, NamedTuple, TypeAlias

import numpy as np

from newsdesk.reference import alias_key, organisations, places, provinces, titles
from newsdesk.reference._tables import spellings
from newsdesk.text.fold import fold

__all__ = [
    "Entry",
    "EntryKind",
    "Hit",
    "Matcher",
    "aligned_fold",
    "entity_matcher",
    "prepare",
    "tail_matcher",
    "title_matcher",
    "union_pattern",
]

EntryKind = Literal["organisation", "province", "place", "demonym", "title"]
_Node: TypeAlias = dict[str, "_Node"]
"""A trie node: next regex atom → child; the key ``""`` marks the end of a string."""

_WORD = re.compile(r"[^\W_]+")
_KEY_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")
_SPACES = r"[^\S\n]+"
_MAYBE_SPACES = r"[^\S\n]*"
_KIND_PRIORITY = {"organisation": 0, "province": 1, "place": 2, "demonym": 3, "title": 4}
_ANY, _CAPITALISED, _CAPITALS = 0, 1, 2
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = "’‘`´"
_RELAXED_WORDS = 3
"""Organisation aliases of this many words or more need only their first word capitalised (and
their all-capitals words in capitals): ``"Bộ Văn hóa, thể thao và du lịch"`` still matches."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What a gazetteer key stands for, and how its aliases were capitalised."""

    kind: EntryKind
    id: str
    shape: tuple[int, ...] = ()
    """Per word of the alias: 0 any case, 1 capitalised (``Bình``), 2 all capitals (``TƯ``, ``WHO``)."""
    exact: frozenset[str] = frozenset()
    """For one-word aliases, their lowercase written forms: the accents must match too."""
    marked: frozenset[str] = frozenset()
    """For longer aliases, their lowercase tokens without tone marks (``"nha trang"``)."""
    org: str | None = None
    """For titles: the organisation the alias implies (``"Foreign Minister"`` → Bộ Ngoại giao)."""

    def accepts(self, surface: str) -> bool:
        """Whether ``surface`` (the original text of a match) is written as this entry needs."""
        if self.exact and surface.lower() not in self.exact:
            return False
        if self.marked and not surface.isascii() and _toneless(surface) not in self.marked:
            return False
        shape = self.shape
        if self.kind == "organisation" and len(shape) >= _RELAXED_WORDS:
            shape = (shape[0], *(_CAPITALS if need == _CAPITALS else _ANY for need in shape[1:]))
        words = _WORD.findall(surface)
        return all(_fits(word, need) for word, need in zip(words, shape, strict=False))


def _toneless(text: str) -> str:
    """Lowercase tokens without Vietnamese tone marks: ``"Hoà Bình"`` → ``"hoa binh"``, ``"ă"`` kept."""
    return " ".join(_KEY_TOKEN.findall(text.lower().translate(_tone_table())))


@cache
def _tone_table() -> dict[int, str]:
    """Precomposed letters → the same letters without a tone mark (grave, acute, hook, tilde, dot);
    dashes → ``-`` and curly apostrophes → ``'`` as in :func:`aligned_fold`."""
    table = {}
    for code in (*range(0xC0, 0x250), *range(0x1EA0, 0x1F00)):
        bare = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if c not in _TONE_MARKS)
        bare = unicodedata.normalize("NFC", bare)
        if bare != chr(code) and len(bare) == 1:
            table[code] = bare
    table.update({ord(dash): "-" for dash in _DASHES})
    table.update({ord(quote): "'" for quote in _QUOTES})
    return table


def _fits(word: str, need: int) -> bool:
    if need == _CAPITALISED:
        return word[0].isupper()
    return need != _CAPITALS or word.isupper()


def _shape(word: str) -> int:
    if len(word) > 1 and word.isupper():
        return _CAPITALS
    return _CAPITALISED if word[0].isupper() else _ANY


class Hit(NamedTuple):
    """One match: ``text[start:end]`` is a name of ``entry``."""

    start: int
    end: int
    entry: Entry


class Matcher:
    """All keys of a gazetteer compiled into one trie-shaped regular expression."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self._entries = entries
        trie = _trie(entries)
        self._pattern = re.compile(r"(?<!\w)(?:" + _emit(trie) + r")(?!\w)") if entries else None

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Entry | None:
        """The entry of an alias key (:func:`~newsdesk.reference.alias_key`)."""
        return self._entries.get(key)

    def finditer(self, folded: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Leftmost-longest, non-overlapping hits in an :func:`aligned_fold`-ed text."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(folded, start, len(folded) if end is None else end):
            yield self._hit(match)

    def match(self, folded: str, position: int) -> Hit | None:
        """The longest hit starting exactly at ``position``, if any."""
        found = self._pattern.match(folded, position) if self._pattern else None
        return self._hit(found) if found else None

    def _hit(self, match: re.Match[str]) -> Hit:
        key = " ".join(_KEY_TOKEN.findall(match[0]))
        return Hit(match.start(), match.end(), self._entries[key])


def _atoms(key: str) -> list[str]:
    """Regex pieces of a key: escaped characters and the separators between tokens."""
    tokens = key.split(" ")
    atoms = [re.escape(char) for char in tokens[0]]
    for previous, token in itertools.pairwise(tokens):
        both_words = previous[-1].isalnum() and token[0].isalnum()
        atoms.append(_SPACES if both_words else _MAYBE_SPACES)
        atoms.extend(re.escape(char) for char in token)
    return atoms


def _trie(keys: Iterable[str]) -> _Node:
    root: _Node = {}
    for key in keys:
        node = root
        for atom in _atoms(key):
            node = node.setdefault(atom, {})
        node[""] = {}
    return root


def _emit(node: _Node) -> str:
    """The regex of a trie node: alternatives per next atom, optional where a key ends."""
    branches = [atom + _emit(child) for atom, child in sorted(node.items()) if atom]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def union_pattern(strings: Iterable[str]) -> str:
    """A regex (no anchors) matching any of ``strings`` literally, shaped as a character trie.

    Faster than ``"|".join(...)`` for hundreds of alternatives; longest first where one
    string extends another.
    """
    root: _Node = {}
    for string in strings:
        node = root
        for char in string:
            node = node.setdefault(re.escape(char), {})
        node[""] = {}
    return "(?:" + _emit(root) + ")"


def _entry(kind: EntryKind, id_: str, written: str, org: str | None = None) -> Entry:
    """The entry of one written alias, with its capitalisation."""
    words = _WORD.findall(written)
    exact = frozenset([written.lower()]) if len(words) == 1 else frozenset()
    marked = frozenset([_toneless(written)]) if len(words) > 1 else frozenset()
    return Entry(kind, id_, tuple(_shape(word) for word in words), exact, marked, org)


def _merge(entries: dict[str, Entry], key: str, entry: Entry) -> None:
    """Add ``entry`` under ``key``; the same target merges to the least strict capitalisation."""
    old = entries.get(key)
    if old is None or _KIND_PRIORITY[entry.kind] < _KIND_PRIORITY[old.kind]:
        entries[key] = entry
    elif (old.kind, old.id) == (entry.kind, entry.id):
        shape = tuple(map(min, old.shape, entry.shape))
        exact, marked = old.exact | entry.exact, old.marked | entry.marked
        entries[key] = replace(old, shape=shape, exact=exact, marked=marked)


def _add(entries: dict[str, Entry], kind: EntryKind, id_: str, names: Iterable[str]) -> None:
    for name in names:
        for spelling in spellings(name):
            _merge(entries, alias_key(spelling), _entry(kind, id_, spelling))


@cache
def _organisation_spellings() -> tuple[tuple[str, str, str], ...]:
    """``(alias key, written form, organisation id)`` for every spelling of every organisation."""
    return tuple(
        (alias_key(spelling), spelling, org.id)
        for org in organisations()
        for name in org.names
        for spelling in spellings(name)
    )


@cache
def entity_matcher() -> Matcher:
    """Organisations, provinces, other places and demonyms (see the module docstring)."""
    entries: dict[str, Entry] = {}
    for key, spelling, org_id in _organisation_spellings():
        _merge(entries, key, _entry("organisation", org_id, spelling))
    for province in provinces("2025") + provinces("pre2025"):
        _add(entries, "province", province.id, province.names)
    for place in places():
        _add(entries, "place", place.id, place.names)
        _add(entries, "demonym", place.id, place.demonyms)
    return Matcher(entries)


@cache
def title_matcher(language: str) -> Matcher:
    """Titles and ranks written in ``language`` (``"vi"`` or ``"en"``); case is not checked."""
    entries: dict[str, Entry] = {}
    for title in titles():
        aliases = title.aliases_vi if language == "vi" else title.aliases_en
        for alias, org in aliases:
            _merge(entries, alias_key(alias), Entry("title", title.title, org=org or title.org))
    return Matcher(entries)


@cache
def tail_matcher(head: str) -> Matcher:
    """Organisation names that start with ``head`` (``"Bộ"``, ``"Ministry of"``), without it."""
    prefix = alias_key(head) + " "
    entries: dict[str, Entry] = {}
    for key, spelling, org_id in _organisation_spellings():
        if key.startswith(prefix):
            tail = spelling.split(" ", len(head.split()))[-1]
            _merge(entries, key[len(prefix) :], _entry("organisation", org_id, tail))
    return Matcher(entries)


@cache
def prepare() -> None:
    """Build every matcher now (about half a second) rather than on first use.

    Worker processes call it once before their first text, so no text pays for it.
    """
    entity_matcher()
    for language in ("vi", "en"):
        title_matcher(language)
    for found in titles():
        for head in found.units:
            if not head.startswith("@"):
                tail_matcher(head)
    _fold_table()


@cache
def _fold_table() -> np.ndarray:
    """One code point per BMP code point: the lowercase, accent-free letter when it is one."""
    table = np.arange(0x10000, dtype=np.uint32)
    for low, high in (
        (0x41, 0x5B),
        (0xC0, 0x250),
        (0x1E00, 0x1F00),
        (0x370, 0x530),
        (0x2010, 0x2016),
        (0x2212, 0x2213),
    ):
        for code in range(low, high):
            folded = fold(chr(code))
            if len(folded) == 1:
                table[code] = ord(folded)
    for quote in _QUOTES:
        table[ord(quote)] = ord("'")
    return table


def aligned_fold(text: str) -> str:
    """:func:`~newsdesk.text.fold.fold` that keeps every character in its place.

    Lowercase and accent-free like ``fold`` (``"Hòa Bình"`` → ``"hoa binh"``), curly
    apostrophes become ``'``, but nothing is inserted or removed, so ``len`` and offsets
    are the original's. Expects NFC text (as :func:`~newsdesk.text.normalize.normalize_text`
    gives); letters that fold to several characters (``ß``) are only lowercased.
    """
    units = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _fold_table()
    folded = np.where(units < 0x10000, table[units & 0xFFFF], units)
    return folded.astype(np.uint32).tobytes().decode("utf-32-le")
