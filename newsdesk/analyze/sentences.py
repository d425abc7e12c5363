"""Sentence splitting for Vietnamese and English news text.

A rule-based splitter tuned to what news bodies look like:

* a line break always ends a sentence (paragraphs, list items, captions);
* ``.``, ``!``, ``?`` and ``…`` end a sentence when what follows is white space and
  then a capital letter, a digit or an opening quote/bracket — so ``Tô Mậu... huyện``
  stays one sentence;
* nothing without white space after it splits: ``TP.HCM``, ``1.000``, ``3.5``,
  ``vnexpress.net``, except the typo ``vào.Sau`` (small letter, ``.!?``, capitalised word);
* a period after a known abbreviation (``Mr.``, ``Dr.``, ``TP.``, ``Q.``, ``PGS.TS.``) or
  after a single capital initial (``C.T.H.``, ``J. K. Rowling``, ``U.S.``) does not split;
* inside a quotation that closes in the same paragraph nothing splits, so a quoted
  speech of several sentences stays with its speaker; a stray unbalanced quote is ignored.

:func:`sentence_spans` gives ``(start, end)`` character offsets into the original text
(white space trimmed) so callers can link a sentence back to its place;
:func:`split_sentences` gives the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["ABBREVIATIONS", "sentence_spans", "split_sentences"]

_ABBREVIATION_WORDS = (
    # Vietnamese titles and administrative units (lower-cased, without the final period).
    "tp q p tx tt ths ts tskh pgs gs bs bsck cki ckii ks ncs cn đc th.s gđ pgđ ct pct "
    # English titles, organisations, months and Latin abbreviations.
    "mr mrs ms dr prof sr jr st mt ft gen gov sen rep rev lt col capt sgt maj adm cmdr "
    "inc ltd corp dept univ assn bros vol vols pp fig figs approx vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e cf al"
)
ABBREVIATIONS: frozenset[str] = frozenset(_ABBREVIATION_WORDS.split())
"""Words after which a period does not end the sentence."""

_OPENERS = "\"'“‘«(["
_QUOTE_PAIRS = {"“": "”", "«": "»"}
_MAX_QUOTE_CHARS = 600
_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|(?<=[^\W\d_])[.!?](?=[^\W\d_]{2})")
_WORD_BEFORE = re.compile(r"(\S+)$")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, white space trimmed, in order."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each sentence of ``text``; empty sentences are skipped."""
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text):
        spans.extend(_split_line(text, line_start, line_end))
    return spans


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"\n|\r\n?|\u2028|\u2029", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    line = text[start:end]
    quoted = _quoted_regions(line)
    cut = 0
    for match in _CANDIDATE.finditer(line):
        boundary = match.end()
        if _inside(boundary, quoted) or not _is_boundary(line, match.start(), boundary):
            continue
        yield from _trimmed(text, start + cut, start + boundary)
        cut = boundary
    yield from _trimmed(text, start + cut, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _is_boundary(line: str, punct_at: int, boundary: int) -> bool:
    """Whether the punctuation at ``punct_at`` (ending at ``boundary``) ends a sentence."""
    if boundary < len(line) and not line[boundary].isspace():
        return _is_glued(line, punct_at)
    if not _starts_sentence(line[boundary:]):
        return False
    return not (line[punct_at] == "." and _before_is_abbreviation(line[:punct_at]))


def _is_glued(line: str, punct_at: int) -> bool:
    """``vào.Sau``: a typo'd boundary with no space; ``TP.HCM`` and ``Th.Sĩ`` are not."""
    before, after, then = line[punct_at - 1], line[punct_at + 1], line[punct_at + 2]
    return before.islower() and after.isupper() and then.islower()


def _starts_sentence(rest: str) -> bool:
    rest = rest.lstrip(_OPENERS + "-–— ")
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


def _before_is_abbreviation(before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    if match is None:
        return False
    word = match.group(1).lstrip(_OPENERS).lower()
    last = word.rsplit(".", 1)[-1]
    if word in ABBREVIATIONS or last in ABBREVIATIONS:
        return True
    return len(last) == 1 and last.isalpha() and match.group(1)[-1].isupper()


def _quoted_regions(line: str) -> list[tuple[int, int]]:
    """Spans of quotations that open and close within ``line`` (closing quote excluded)."""
    regions: list[tuple[int, int]] = []
    position = 0
    while True:
        opening = _next_opening(line, position)
        if opening is None:
            return regions
        closing = _closing_of(line, opening)
        if closing is None:
            position = opening + 1
            continue
        regions.append((opening + 1, closing))
        position = closing + 1


def _next_opening(line: str, position: int) -> int | None:
    found = [at for at in (line.find(q, position) for q in ('"', "“", "«")) if at >= 0]
    return min(found) if found else None


def _closing_of(line: str, opening: int) -> int | None:
    closer = _QUOTE_PAIRS.get(line[opening], '"')
    closing = line.find(closer, opening + 1)
    if closing < 0 or closing - opening > _MAX_QUOTE_CHARS:
        return None
    return closing


def _inside(boundary: int, regions: list[tuple[int, int]]) -> bool:
    """Whether a cut at ``boundary`` would fall strictly inside a quotation."""
    return any(start < boundary <= end for start, end in regions)
