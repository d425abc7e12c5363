"""The comparison keys of the translate package, and the checks every stored text passes.

Both keys follow :func:`newsdesk.text.normalize.normalize_text`, so that
``hoà``/``hòa``, NFD/NFC input and odd white space compare equal:

* :func:`keyed` — the *match key* of a text for glossary look-ups: cleaned, NFC,
  case-folded, one tone placement, runs of white space as one space — **plus an
  offset map** from every key character back to the characters of the original
  text it came from, so a match in the key is a span of what the user sees.
  It is built cluster by cluster (a character and its combining marks), and the
  tone pass (:func:`newsdesk.text.normalize.normalize_syllable`) only moves a
  mark inside a word, so the map survives it. Accents are **not** folded away:
  ``ban`` and ``bàn`` are different Vietnamese words.
* :func:`skeleton` — for the translation memory's fuzzy keys (the segment's
  ``normalize_text``, case-folded): maps one character to one character onto
  ASCII where it can (``ế`` → ``e``, ``đ`` → ``d``): since
  the map is a function of single characters it never lowers a similarity, so
  it is a sound first filter, and rapidfuzz compares ASCII ~5× faster.

:func:`check_text` rejects what XML 1.0 cannot carry (most C0 controls,
surrogates, U+FFFE/U+FFFF), so everything stored here survives a TMX/TBX round
trip; :func:`check_lang` accepts ISO 639-1 codes only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.text.normalize import COMBINING_MARKS, clean_text, normalize_syllable

__all__ = [
    "Keyed",
    "check_lang",
    "check_term",
    "check_text",
    "keyed",
    "skeleton",
]

_CLUSTER = re.compile(rf"\s+|.[{COMBINING_MARKS}]*", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+")
_LANG = re.compile(r"[a-z]{2}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Keyed:
    """A match key and, per key character, the ``[start, end)`` it came from in the original."""

    key: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of key characters ``[start, end)`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    """One character with its marks → its key fragment (``""`` for invisible characters)."""
    if cluster.isspace():
        return " "
    return unicodedata.normalize("NFC", clean_text(cluster).casefold())


@lru_cache(maxsize=65536)
def _place_tone(word: str) -> str:
    fixed = normalize_syllable(word)
    return fixed if len(fixed) == len(word) else word


def keyed(text: str) -> Keyed:
    """The match key of ``text`` with its offset map (see the module docstring)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _CLUSTER.finditer(text):
        fragment = _fold_cluster(match[0])
        if fragment == " " and (not chars or chars[-1] == " "):
            continue
        chars.extend(fragment)
        starts.extend([match.start()] * len(fragment))
        ends.extend([match.end()] * len(fragment))
    if chars and chars[-1] == " ":
        del chars[-1], starts[-1], ends[-1]
    key = _WORD.sub(lambda word: _place_tone(word[0]), "".join(chars))
    return Keyed(key, tuple(starts), tuple(ends))


def _skeleton_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for low, high in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(low, high):
            decomposed = unicodedata.normalize("NFD", chr(code))
            base = "".join(char for char in decomposed if not unicodedata.combining(char))
            if len(base) == 1 and base.isascii() and base != chr(code):
                table[code] = base
    return table


_SKELETON = _skeleton_table()


def skeleton(key: str) -> str:
    """``key`` with each accented Latin letter replaced by its ASCII base letter; same length."""
    return key.translate(_SKELETON)


def check_lang(code: str) -> str:
    """``code`` if it is an ISO 639-1 code (two lower-case letters), else :class:`ValueError`."""
    if not isinstance(code, str) or not _LANG.fullmatch(code):
        raise ValueError(f"language code {code!r} is not ISO 639-1 (two lower-case letters)")
    return code


def check_text(text: str, what: str, *, blank: bool = False) -> str:
    """``text`` if XML can carry it (and it is not blank unless ``blank``), else :class:`ValueError`."""
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a string, not {type(text).__name__}")
    if not blank and not text.strip():
        raise ValueError(f"{what} is empty")
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(f"{what} contains the control character U+{ord(bad[0]):04X}")
    return text


def check_term(text: str, what: str) -> str:
    """A term or one-line label: not blank, no surrounding white space, no line break, no ``|``."""
    check_text(text, what)
    if text != text.strip():
        raise ValueError(f"{what} {text!r} has white space around it")
    if _LINE_BREAK.search(text):
        raise ValueError(f"{what} {text!r} contains a line break")
    if "|" in text:
        raise ValueError(f"{what} {text!r} contains '|', the separator of variants")
    return text
