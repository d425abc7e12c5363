"""Keyphrases: the few phrases that say what one article is about, from the article alone.

``keyphrases(title, text, "vi")`` → ``[("thông tin đối ngoại", 1.0), ("nhân quyền", 0.83), …]``.

No corpus statistics are used — nothing is shipped but the hand-written stopword lists
``data/stopwords_vi.txt`` and ``data/stopwords_en.txt`` — so the evidence is within the article:

1. **Stretches.** Title and text are cut into stretches at punctuation, numbers, line breaks
   and stopwords (function words, pronouns, date words, reporting verbs such as
   ``cho biết``/``said``, generic words of official prose such as ``công tác``). Stopword
   entries may be several words; entries marked ``+`` are compounds kept whole although their
   syllables are stopwords (``không gian``, ``từ thiện``). In Vietnamese a stopword capitalised
   in mid-sentence belongs to a name (``Năm Du lịch quốc gia``, ``Anh`` for Britain). A line
   in capitals (a banner) is read in lower case. A keyphrase lies inside one stretch.
2. **Candidates** are the n-grams of 1–:data:`MAX_TOKENS` tokens (Vietnamese tokens are
   syllables) that occur at least twice, found level by level (an n-gram can only repeat if its
   prefix does, which keeps this linear), plus each whole stretch of the title. Vietnamese
   words are mostly two syllables written apart, so instead of a word segmenter the
   candidates are filtered by their **boundaries**: an n-gram whose every occurrence has the
   same word on its left (or right) is a piece of a longer phrase (``tin đối`` of
   ``thông tin đối ngoại``), and so is one that always starts or ends inside a repeated pair
   of syllables (``tác kinh tế`` of ``hợp tác kinh tế`` and ``đối tác kinh tế``) or mostly
   continues a capitalised name. A single Vietnamese syllable is a candidate only when it is
   mostly capitalised in mid-sentence and mostly not part of a repeated pair (``Nga``, ``Mỹ``).
3. **Score** = (1 + ln frequency) × length factor × position (first occurrence early in the
   text scores up to 2×) × title bonus × capitalisation bonus; scores are divided by the best.
   The phrase is shown as written where it carries the most capitals.
4. **Selection**: best first, skipping a phrase that contains or is contained in one already
   chosen, so the list has no duplicates.

Why not pyvi: segmenting just the title and first 150 words takes ≈ 2.2 ms, over the 1 ms
budget; these statistics take ≈ 0.8 ms for a whole 500-word article (``bench/bench_themes.py``).
The text works best normalized (:func:`newsdesk.text.normalize.normalize_text`), as the
pipeline has it: ``hoà`` and ``hòa`` are otherwise two spellings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from newsdesk.errors import ConfigError

__all__ = ["MAX_TOKENS", "keyphrases", "stopwords"]

MAX_TOKENS = 8
"""Longest candidate, in tokens (Vietnamese syllables, English words)."""
MAX_CHARS = 3000
"""Only the first ~600 words of a text are read: keyphrases of news come early (on vietnews, the top five
keyphrases of the first 3,000 characters are 96 % those of the whole text), and long texts cost no more."""
TITLE_BONUS = 1.5
CAPITAL_BONUS = 1.25
CAPITAL_SAMPLE = 4
"""A phrase is capitalised when at least half of its first occurrences (up to this many) are."""
POSITION_SPAN = 40
"""A phrase first seen at token p gets a position factor of 1 + 1 / (1 + p / POSITION_SPAN)."""
_LENGTH = {
    "vi": (0.0, 0.7, 1.0, 1.2, 1.35, 1.4, 1.4, 1.35, 1.3),
    "en": (0.0, 0.8, 1.15, 1.3, 1.3, 1.25, 1.2, 1.1, 1.0),
}
"""Length factor by syllable/word count (index), capped at the last."""
_SENTENCE_END = frozenset(".!?:;\x00…\"“”'‘’()[]•-–—|")


# --- stopword lists ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lexicon:
    stops: frozenset[str]
    """Every stopword, multi-word ones joined by single spaces."""
    single: frozenset[str]
    """One-word stopwords."""
    pairs: dict[tuple[str, str], tuple[tuple[tuple[str, ...], bool], ...]]
    """First two words → (words, is a stopword) of the multi-word entries they start, longest first."""


@cache
def _lexicon(language: str) -> _Lexicon:
    name = f"stopwords_{language}.txt"
    text = resources.files("newsdesk.analyze").joinpath("data", name).read_text(encoding="utf-8")
    stops: set[str] = set()
    multi: dict[tuple[str, str], list[tuple[tuple[str, ...], bool]]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        words = tuple(entry.lstrip("+").lower().split())
        if not words:
            raise ConfigError(f"newsdesk/analyze/data/{name}: line {number}: empty compound")
        is_stop = not entry.startswith("+")
        if is_stop:
            stops.add(" ".join(words))
        if len(words) > 1:
            multi.setdefault((words[0], words[1]), []).append((words, is_stop))
    longest_first = {first: tuple(sorted(group, key=lambda e: -len(e[0]))) for first, group in multi.items()}
    return _Lexicon(frozenset(stops), frozenset(w for w in stops if " " not in w), longest_first)


def stopwords(language: str) -> frozenset[str]:
    """Every stopword of ``language`` (``vi`` or ``en``), multi-word entries joined by spaces."""
    return _lexicon(_language(language)).stops


def _language(language: str) -> str:
    return "en" if (language or "").lower().startswith("en") else "vi"


# --- stretches --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Doc:
    """The article as one flat token list: stretches of lower-case words, ``None`` between them."""

    keys: list[str | None] = field(default_factory=lambda: [None])
    surfaces: list[str] = field(default_factory=lambda: [""])
    """The words as written (``""`` at the ``None`` separators)."""
    initial: list[bool] = field(default_factory=lambda: [False])
    """The word opens a sentence, so its capital says nothing."""
    title_end: int = 0
    """Positions before this one are the title."""

    def capital(self, position: int) -> bool:
        """Is this word capitalised in mid-sentence (a name, an institution)?"""
        return self.surfaces[position][:1].isupper() and not self.initial[position]


def _read(title: str, text: str, language: str) -> _Doc:
    doc = _Doc()
    _Reader(doc, _lexicon(language), names=language == "vi").read(title, title=True)
    doc.title_end = len(doc.keys)
    _Reader(doc, _lexicon(language), names=language == "vi").read(text[:MAX_CHARS])
    return doc


_MARKS = {mark: mark in _SENTENCE_END for mark in ",.:;!?()[]\"“”'‘’…-–—•|/\x00"}
"""Punctuation tokens met alone, and whether they open a sentence."""
_LINE_BREAK = " \x00 "
"""Line breaks become this token, which cuts a stretch and opens a sentence."""


def _unshouted(line: str, *, mixed: bool = False) -> str:
    """A line in capitals (a banner, a shouted headline) in lower case: its capitals name nothing.

    With ``mixed`` (for titles), also a line whose words are mostly in capitals.
    """
    if line.isupper():
        return line.lower() if line.count(" ") >= 2 else line
    if not mixed:
        return line
    words = line.split()
    shouted = sum(map(str.isupper, words))
    return line.lower() if shouted >= 3 and 2 * shouted >= len(words) else line


_PARTS = re.compile(r"\w+(?:[-'\u2019.]\w+)*|[^\w\s]+")
"""Cuts a whitespace token with punctuation into words and marks (``Covid-19``, ``TP.HCM`` stay whole)."""


@dataclass(slots=True)
class _Reader:
    """Cuts one text into stretches at stopwords, numbers and punctuation, into a :class:`_Doc`.

    Words are whitespace tokens; only tokens with a mark or digit in them go through a regex.
    With ``names`` (Vietnamese), a stopword capitalised in mid-sentence is kept: it belongs to a
    name (``Năm Du lịch quốc gia``, ``Anh``).
    """

    doc: _Doc
    lexicon: _Lexicon
    names: bool
    opening: bool = True
    """The next word opens a sentence."""

    def read(self, text: str, *, title: bool = False) -> None:
        text = _LINE_BREAK.join(_unshouted(line, mixed=title) for line in text.split("\n"))
        lowered = text.lower()
        keys, written = lowered.split(), text.split()
        if len(keys) != len(written):
            written = keys
        doc, pairs, single, names = self.doc, self.lexicon.pairs, self.lexicon.single, self.names
        add_key, add_surface, add_initial = doc.keys.append, doc.surfaces.append, doc.initial.append
        i, last = 0, len(keys) - 1
        while i <= last:
            key = keys[i]
            if not key.isalpha():
                if key in _MARKS or key.isdigit():  # plain punctuation or a number: cut (inline for speed)
                    self._cut()
                    self.opening = self.opening or _MARKS.get(key, False)
                else:
                    self._marked(key, written[i])
            elif i < last and (key, keys[i + 1]) in pairs:
                i += self._entry(keys, written, i) - 1
            elif key in single and not (names and written[i][0].isupper() and not self.opening):
                if doc.keys[-1] is not None:  # a stopword: cut (inline for speed)
                    add_key(None), add_surface(""), add_initial(False)
                self.opening = False
            else:  # a plain word (inline for speed)
                add_key(key), add_surface(written[i]), add_initial(self.opening)
                self.opening = False
            i += 1
        self._cut()

    def _entry(self, keys: list[str], written: list[str], i: int) -> int:
        """Take the lexicon entry starting at ``i``, else the word there; how many words were taken."""
        for entry, is_stop in self.lexicon.pairs[keys[i], keys[i + 1]]:
            if tuple(keys[i : i + len(entry)]) == entry:
                if is_stop:
                    self._cut()
                    self.opening = False
                else:
                    for offset in range(len(entry)):
                        self._keep(keys[i + offset], written[i + offset])
                return len(entry)
        self._single(keys[i], written[i])
        return 1

    def _single(self, key: str, written: str) -> None:
        if key in self.lexicon.single and not (self.names and written[0].isupper() and not self.opening):
            self._cut()
            self.opening = False
        else:
            self._keep(key, written)

    def _marked(self, key: str, written: str) -> None:
        """A token with marks or digits: its words are taken, its marks and numbers cut."""
        parts = _PARTS.findall(key)
        shown = _PARTS.findall(written) if len(written) == len(key) else parts
        for part, form in zip(parts, shown, strict=False):
            if part[0].isalpha() or (part[0].isalnum() and not part.replace(".", "").isdigit()):
                self._single(part, form)
            else:
                self._cut()
                self.opening = self.opening or any(char in _SENTENCE_END for char in part)

    def _keep(self, key: str, written: str) -> None:
        doc = self.doc
        doc.keys.append(key)
        doc.surfaces.append(written)
        doc.initial.append(self.opening)
        self.opening = False

    def _cut(self) -> None:
        doc = self.doc
        if doc.keys[-1] is not None:
            doc.keys.append(None)
            doc.surfaces.append("")
            doc.initial.append(False)


# --- candidates -------------------------------------------------------------------------------

_Gram = tuple[str, ...]


def _repeated(keys: list[str | None]) -> dict[_Gram, list[int]]:
    """Every n-gram (n ≤ MAX_TOKENS) within a stretch occurring at least twice, with its positions.

    Level by level: an n-gram can only repeat if its (n−1)-prefix and its last word do.
    """
    counts = Counter(keys)
    repeated: dict[_Gram, list[int]] = {}
    pairs: dict[_Gram, list[int]] = {}
    previous = None
    for position, key in enumerate(keys):
        if key is None or counts[key] < 2:
            previous = None
            continue
        repeated.setdefault((key,), []).append(position)
        if previous is not None:
            pairs.setdefault((previous, key), []).append(position - 1)
        previous = key
    level = {gram: positions for gram, positions in pairs.items() if len(positions) > 1}
    for n in range(3, MAX_TOKENS + 1):
        repeated.update(level)
        longer: dict[_Gram, list[int]] = {}
        for gram, positions in level.items():
            for position in positions:
                following = keys[position + n - 1]
                if following is not None and counts[following] > 1:
                    longer.setdefault((*gram, following), []).append(position)
        level = {gram: positions for gram, positions in longer.items() if len(positions) > 1}
    repeated.update(level)
    return repeated


def _is_piece(gram: _Gram, positions: list[int], doc: _Doc, pairs: set[_Gram]) -> bool:
    """Is ``gram`` a piece of a longer phrase rather than a phrase?

    True when every occurrence has the same word on its left (or right); when every occurrence
    starts (or ends) inside a repeated pair of words, so that the gram cuts a word in two
    (``tác kinh tế`` of ``hợp tác kinh tế`` and ``đối tác kinh tế``); or when it mostly continues
    a capitalised name (``Thường trực Ban`` of ``… Ban Tuyên giáo``).
    """
    keys, size = doc.keys, len(gram)
    lefts = {keys[p - 1] for p in positions}
    rights = {keys[p + size] for p in positions}
    if None not in lefts and (len(lefts) == 1 or all((left, gram[0]) in pairs for left in lefts)):
        return True
    if None not in rights and (len(rights) == 1 or all((gram[-1], right) in pairs for right in rights)):
        return True
    first = positions[0]
    if not (doc.capital(first) or doc.capital(first + size - 1)):
        return False
    inside = sum(_joins_name(doc, p - 1, p) or _joins_name(doc, p + size - 1, p + size) for p in positions)
    return 2 * inside >= len(positions)


def _joins_name(doc: _Doc, left: int, right: int) -> bool:
    """Are the words at ``left`` and ``right`` both capitalised parts of one name?"""
    return (
        doc.keys[left] is not None
        and doc.keys[right] is not None
        and doc.capital(left)
        and doc.capital(right)
    )


def _mostly_inside(word: str, count: int, pairs: dict[str, int]) -> bool:
    return pairs.get(word, 0) * 5 >= count * 2


def _candidates(doc: _Doc) -> dict[_Gram, list[int]]:
    """Repeated n-grams that are not pieces, single words that are not mostly inside a repeated
    pair, and the whole stretches of the title."""
    repeated = _repeated(doc.keys)
    pairs: set[_Gram] = {gram for gram in repeated if len(gram) == 2}
    in_pairs: dict[str, int] = {}
    for pair in pairs:
        for word in pair:
            in_pairs[word] = max(in_pairs.get(word, 0), len(repeated[pair]))
    found = {
        gram: positions
        for gram, positions in repeated.items()
        if not (len(gram) == 1 and _mostly_inside(gram[0], len(positions), in_pairs))
        and not _is_piece(gram, positions, doc, pairs)
    }
    keys, start = doc.keys, 1
    for position in range(1, doc.title_end):
        if keys[position] is None:
            gram = tuple(k for k in keys[start:position] if k is not None)
            if len(gram) <= MAX_TOKENS and gram not in found:
                found[gram] = [start]
            start = position + 1
    return found


# --- scoring and selection --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scored:
    key: str
    surface: str
    score: float


def _score(gram: _Gram, positions: list[int], doc: _Doc, language: str) -> _Scored | None:
    sample = positions[:CAPITAL_SAMPLE]
    capitals = sum(doc.capital(p) for p in sample)
    capital = capitals / len(sample)
    if not _acceptable(gram, capital, language):
        return None
    first = positions[0]
    factors = _LENGTH[language][min(len(gram), MAX_TOKENS)] * (1 + 1 / (1 + first / POSITION_SPAN))
    if first < doc.title_end:
        factors *= TITLE_BONUS
    if capital >= 0.5:
        factors *= CAPITAL_BONUS
    shown = max(sample, key=lambda p: (_capitals(doc, p, len(gram)), -p)) if len(sample) > 1 else first
    surface = " ".join(doc.surfaces[shown : shown + len(gram)])
    return _Scored(" ".join(gram), surface, (1 + math.log(len(positions))) * factors)


def _capitals(doc: _Doc, position: int, size: int) -> int:
    """Capital letters of an occurrence, not counting the one that opens a sentence."""
    written = "".join(doc.surfaces[position : position + size])
    return sum(map(str.isupper, written)) - (doc.initial[position] and written[:1].isupper())


def _acceptable(gram: _Gram, capital: float, language: str) -> bool:
    """Not a run of single letters; a single Vietnamese syllable only as a name (``Nga``, ``Mỹ``)."""
    if all(len(key) < 2 for key in gram):
        return False
    if len(gram) > 1:
        return True
    return capital >= 0.5 if language == "vi" else len(gram[0]) >= 3


def _select(ranked: Iterable[_Scored], k: int) -> list[tuple[str, float]]:
    chosen: list[_Scored] = []
    for candidate in ranked:
        if len(chosen) == k:
            break
        padded = f" {candidate.key} "
        if not any(padded in f" {c.key} " or f" {c.key} " in padded for c in chosen):
            chosen.append(candidate)
    top = chosen[0].score if chosen else 1.0
    return [(c.surface, round(c.score / top, 4)) for c in chosen]


def keyphrases(title: str, text: str, language: str, k: int = 8) -> list[tuple[str, float]]:
    """Up to ``k`` keyphrases of an article as ``(phrase, score)``, best first, scores in (0, 1]."""
    language = _language(language)
    doc = _read(title, text, language)
    scored = (_score(gram, positions, doc, language) for gram, positions in _candidates(doc).items())
    ranked = sorted((s for s in scored if s is not None), key=lambda s: (-s.score, s.key))
    return _select(ranked, k)
