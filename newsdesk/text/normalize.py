"""Vietnamese-first text normalization: one spelling per word, tidy whitespace.

:func:`normalize_text` is the canonical form every later stage (dedup, search,
entities, summaries) works on. It is idempotent and does, in order:

1. **Invisible characters and typography.** ``\\r\\n``/``\\r``, U+0085, U+2028,
   U+2029 and the file/group/record separators become ``\\n``; every other Unicode
   space (NBSP, U+2000–U+200A, U+202F, U+3000, tabs …) becomes `` ``. Zero-width
   space, word joiner, BOM, soft hyphen and control characters are removed.
   ZWJ/ZWNJ are removed only next to Latin letters: elsewhere they carry meaning
   (emoji sequences, Persian, Indic scripts).
   Dashes: the hyphen-like U+2010, U+2011, U+2012, U+2212, U+FE63 and U+FF0D
   become ASCII ``-`` (document numbers such as ``57‐KL/TW`` must match); the
   en dash U+2013 is kept, since Vietnamese newsrooms write it as a spaced
   separator and in ranges; U+2015, U+FE58 become the em dash U+2014. Quotes and
   the ellipsis are left alone.
2. **Unicode NFC**, after dropping combining marks that follow no character
   (at the start of a line or after a space), so that decomposed input (macOS,
   cp1258) ends up as precomposed letters.
3. **Whitespace**: runs of spaces collapse to one, lines are stripped, single
   line breaks are kept, three or more line breaks become one paragraph break
   (``\\n\\n``), and the text is stripped.
4. **Vietnamese tone-mark placement.** ``hoà``/``hòa``, ``thuỷ``/``thủy``,
   ``khoẻ``/``khỏe`` are one word written two ways. The canonical form is the
   "old style" most newsrooms use: in an open syllable (no final consonant) the
   tone sits on the first vowel of ``oa``, ``oe``, ``uy`` (``hòa``, ``khỏe``,
   ``thủy``, ``ủy``) and of the other two-vowel rhymes (``của``, ``tài``); on the
   middle vowel of three-vowel rhymes (``ngoài``, ``khuỷu``); on the vowel that
   carries a diacritic (``ă â ê ô ơ ư``; the second one in ``ươ``) when there is
   one; and on the last vowel when a final consonant follows (``hoàng``,
   ``thuyền``, ``quyết``). ``qu`` and ``gi`` are onsets (``quý``, ``già``) except
   that ``gi`` before a consonant or at the end keeps ``i`` as its vowel
   (``gìn``, ``gì``). Misplaced marks are fixed the same way (``hòang`` →
   ``hoàng``, ``qúa`` → ``quá``, ``gìa`` → ``già``). A word is changed only when
   it parses as one Vietnamese syllable (onset, rhyme and final all valid), has
   exactly one tone mark and is not followed by a stray combining mark.

A word is left alone when its letters mix cases (``cũÔng``: two words run
together) or when the mark sits on the final glide of an open ``ai au iu oi ui``:
Vietnamese never writes it there but Italian, Spanish and Portuguese do (``più``,
``caí``, ``baú``), so the rare Vietnamese misspelling ``caí`` stays as typed.
Known limit: other foreign words that parse as a Vietnamese syllable are
rewritten (French ``Noé`` → ``Nóe``). The search key
(:func:`newsdesk.text.fold.fold`) drops accents, so it is unaffected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = [
    "COMBINING_MARKS",
    "TONE_MARKS",
    "VIETNAMESE_VOWELS",
    "clean_text",
    "is_vietnamese_letter",
    "normalize_syllable",
    "normalize_text",
    "split_tone",
]

TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
"""Index = tone: none, huyền (grave), sắc (acute), hỏi (hook), ngã (tilde), nặng (dot)."""

_BASE_VOWELS = "aăâeêioôơuưy"
_DIACRITIC_VOWELS = frozenset("ăâêôơư")
_CONSONANTS = "bcdđghklmnpqrstvx"

COMBINING_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
"""Regex class body of the script-independent combining-diacritics blocks."""

_LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"


def _vowel_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str]]:
    """``split``: vowel → (bare vowel, tone); ``join``: the inverse, both cases."""
    split: dict[str, tuple[str, int]] = {}
    join: dict[tuple[str, int], str] = {}
    for base in _BASE_VOWELS + _BASE_VOWELS.upper():
        for tone, mark in enumerate(TONE_MARKS):
            char = unicodedata.normalize("NFC", base + mark)
            split[char] = (base, tone)
            join[(base, tone)] = char
    return split, join


_SPLIT, _JOIN = _vowel_tables()
VIETNAMESE_VOWELS = frozenset(_SPLIT)
"""All 144 Vietnamese vowel letters (12 vowels × 6 tones × 2 cases), NFC."""
_VIETNAMESE_LETTERS = VIETNAMESE_VOWELS | frozenset(_CONSONANTS + _CONSONANTS.upper())


def is_vietnamese_letter(char: str) -> bool:
    """True for a letter of the Vietnamese alphabet, tone-marked or not (NFC)."""
    return char in _VIETNAMESE_LETTERS


def split_tone(char: str) -> tuple[str, int]:
    """``"ộ"`` → ``("ô", 5)``; a character that is no Vietnamese vowel → ``(char, 0)``."""
    return _SPLIT.get(char, (char, 0))


# --- syllable parsing -------------------------------------------------------------------------

_VOWEL_CLASS = "[" + _BASE_VOWELS + "]"
_SYLLABLE = re.compile(
    rf"(ngh|ng|nh|ch|gh|gi(?={_VOWEL_CLASS})|kh|ph|qu(?={_VOWEL_CLASS})|th|tr|[bcdđghklmnprstvx])?"
    rf"({_VOWEL_CLASS}+)(c|ch|k|m|n|ng|nh|p|t)?"
)


def _rhymes(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_NUCLEI = frozenset(_BASE_VOWELS) | _rhymes(
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê"
    " iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu"
)
"""Every vowel cluster of a Vietnamese rhyme (the glide of ``qu``/``gi`` belongs to the onset)."""
_CLOSABLE = frozenset(_BASE_VOWELS) | _rhymes("iê oa oă oe oo uâ uê uô uy ươ yê uyê")
"""Rhymes that may take a final consonant; the others end in a glide (``ai``, ``êu`` …)."""
_ROMANCE_GLIDES = _rhymes("ai au iu oi ui")
"""Open rhymes whose glide Vietnamese never accents but Romance words do (più, caí, baú)."""


def _tone_slots(bare: str) -> tuple[int, int] | None:
    """(canonical, tolerated) tone index in lowercase toneless ``bare``; None if not one syllable.

    ``tolerated`` is a second placement left alone because it is more likely a
    foreign word than a misspelling (see ``_ROMANCE_GLIDES``); else it equals
    ``canonical``.
    """
    match = _SYLLABLE.fullmatch(bare)
    if match is None or match[2] not in (_CLOSABLE if match[3] else _NUCLEI):
        return None
    nucleus, start = match[2], match.start(2)
    marked = [i for i, char in enumerate(nucleus) if char in _DIACRITIC_VOWELS]
    if marked:
        offset = marked[-1]
    elif match[3]:
        offset = len(nucleus) - 1
    else:
        offset = 1 if len(nucleus) == 3 else 0
    tolerated = start + 1 if nucleus in _ROMANCE_GLIDES and not match[3] else start + offset
    return start + offset, tolerated


def _single_case(word: str) -> bool:
    """Lower, upper or title case: ``cũÔng`` is two words run together, not one syllable."""
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


def normalize_syllable(word: str) -> str:
    """Put the tone mark of one NFC syllable where :mod:`normalize` says (``"hoà"`` → ``"hòa"``).

    Anything that is not one Vietnamese syllable with exactly one tone mark is
    returned unchanged.
    """
    parts = [_SPLIT.get(char, (char, 0)) for char in word]
    tones = [(i, tone) for i, (_, tone) in enumerate(parts) if tone]
    if len(tones) != 1 or not _single_case(word):
        return word
    bare = "".join(base for base, _ in parts)
    lowered = bare.lower()
    slots = _tone_slots(lowered) if len(lowered) == len(bare) else None
    if slots is None or tones[0][0] in slots:
        return word
    chars = list(bare)
    chars[slots[0]] = _JOIN[(chars[slots[0]], tones[0][1])]
    return "".join(chars)


# --- the tone pass over a text ----------------------------------------------------------------


def _chars(test: Callable[[str, int], bool]) -> str:
    return "".join(sorted(char for char, (base, tone) in _SPLIT.items() if test(base.lower(), tone)))


_LETTER = r"[^\W\d_]"
_VI_LETTERS = "a-zA-ZđĐ" + _chars(lambda base, tone: True)


def _anchor_pattern() -> re.Pattern[str]:
    """Where a tone mark may be misplaced, through to the end of its word.

    A syllable can only need a change where a tone-marked plain vowel touches
    another vowel, or a tone-marked ``ă â ê ô ơ ư`` precedes another of those
    (``ừơ``); ``việt``, ``người``, ``quyền`` never match. The word must end there
    and not be followed by a stray combining mark.
    """
    vowels = _chars(lambda base, tone: True)
    plain = _chars(lambda base, tone: tone > 0 and base not in _DIACRITIC_VOWELS)
    marked = _chars(lambda base, tone: tone > 0 and base in _DIACRITIC_VOWELS)
    diacritic = _chars(lambda base, tone: base in _DIACRITIC_VOWELS)
    pair = f"(?:[{vowels}][{plain}]|[{plain}][{vowels}]|[{marked}][{diacritic}])"
    return re.compile(rf"{pair}[{_VI_LETTERS}]{{0,4}}(?![{_VI_LETTERS}{COMBINING_MARKS}]|{_LETTER})")


_ANCHOR = _anchor_pattern()
_HEAD = re.compile(rf"(?<!{_LETTER})[{_VI_LETTERS}]{{0,6}}\Z")
"""The start of the word before an anchor (searched with ``endpos`` at the anchor)."""
_CACHE_LIMIT = 100_000
_fixed: dict[str, str] = {}


def _fixed_syllable(word: str) -> str:
    try:
        return _fixed[word]
    except KeyError:
        if len(_fixed) >= _CACHE_LIMIT:
            _fixed.clear()
        result = _fixed[word] = normalize_syllable(word)
        return result


def _fix_anchor(match: re.Match[str]) -> str:
    """Replacement for one anchor: the anchored part of its word, tone placed."""
    start = match.start()
    head = _HEAD.search(match.string, max(0, start - 6), start)
    if head is None:
        return match[0]
    word = match.string[head.start() : match.end()]
    return _fixed_syllable(word)[start - head.start() :]


def _fix_tones(text: str) -> str:
    return _ANCHOR.sub(_fix_anchor, text)


# --- characters and whitespace ----------------------------------------------------------------

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_REMOVED = "\u00ad\u200b\u2060\ufeff"
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-"}
_DASHES |= {"\u2015": "\u2014", "\ufe58": "\u2014"}


def _char_table() -> dict[str, str]:
    """Every special character :func:`clean_text` rewrites, with its replacement (``""``: removed)."""
    table: dict[str, str] = dict(_DASHES)
    for code in range(0x10000):  # every whitespace and control character is in the BMP
        char = chr(code)
        if char in _LINE_BREAKS:
            table[char] = "\n"
        elif char.isspace() and char != " ":
            table[char] = " "
        elif unicodedata.category(char) == "Cc" or char in _REMOVED:
            table[char] = ""
    del table["\n"]
    return table


_TABLE = _char_table()
_SPECIAL = re.compile("[" + re.escape("".join(_TABLE)) + "]")
_ZW_LATIN = re.compile(f"(?<=[{_LATIN_LETTERS}])[\u200c\u200d]+|[\u200c\u200d]+(?=[{_LATIN_LETTERS}])")
_ORPHAN_MARKS = re.compile(f"(?<![^ \n])[{COMBINING_MARKS}]+")
_ANY_MARK = re.compile(f"[{COMBINING_MARKS}]")
_BLANK_LINES = re.compile("\n{3,}")


def _replace_special(match: re.Match[str]) -> str:
    return _TABLE[match[0]]


def _substitute(
    pattern: re.Pattern[str],
    repl: str | Callable[[re.Match[str]], str],
    text: str,
    probe: re.Pattern[str] | None = None,
) -> str:
    """``pattern.sub`` only when ``probe`` (default: ``pattern``) finds something: scanning is cheap."""
    return pattern.sub(repl, text) if (probe or pattern).search(text) else text


def _tidy_whitespace(text: str) -> str:
    while "  " in text:  # halves every run of spaces: log2(longest run) passes at C speed
        text = text.replace("  ", " ")
    if " \n" in text or "\n " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip(" \n")


def clean_text(text: str) -> str:
    """Steps 1–3 of :func:`normalize_text`: characters, NFC, whitespace — tone marks untouched."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    text = _substitute(_SPECIAL, _replace_special, text)
    if "\u200c" in text or "\u200d" in text:
        text = _ZW_LATIN.sub("", text)
    text = _substitute(_ORPHAN_MARKS, "", text, _ANY_MARK)
    text = unicodedata.normalize("NFC", text)
    if "\u200c" in text or "\u200d" in text:
        # A joiner after a letter *and its combining mark* ("A\u0323\u200c") is next to a letter only
        # once NFC has composed them ("Ạ\u200c"): remove it now too, or a second pass would.
        text = unicodedata.normalize("NFC", _ZW_LATIN.sub("", text))
    return _tidy_whitespace(text)


def normalize_text(text: str) -> str:
    """The canonical form of ``text``: clean characters and whitespace, NFC, one tone placement."""
    return _fix_tones(clean_text(text))
