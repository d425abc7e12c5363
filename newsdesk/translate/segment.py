"""Sentence segmentation for the translation memory (Vietnamese, English, French).

Built on :func:`newsdesk.analyze.sentences.sentence_spans`, the splitter the
analysis stages use, so a sentence is the same unit everywhere: a line break
always ends a segment; ``.``, ``!``, ``?``, ``…`` end one only before white space
and a capital, digit or opening quote; nothing glued splits (``TP.HCM``,
``1.000,5``, ``3.5``); known abbreviations (``TP.``, ``TS.``, ``PGS.TS.``,
``Mr.``, ``Dr.``) and single initials (``M. Dupont``, ``J. K. Rowling``) do not
end a segment; a quotation closed in the same paragraph stays whole.

On top, three small lists keep a segment whole after a period, each only where
the word cannot be an ordinary sentence end:

* :data:`TITLES`, exactly as written: French ``Mme.``, ``Mgr.``, ``Me.`` (not
  English *me.*), Vietnamese ``KTS.``, ``NXB.``;
* :data:`STREET_WORDS`, any case: ``av.``, ``bd.``, ``env.``;
* :data:`NUMBER_WORDS`, any case, only before a number: ``art. 5``, ``No. 12``,
  ``Tr. 3`` (*trang*), ``p. 7`` — so *"The answer is no. 5 people…"* still splits
  wrongly but *"It was no. Then…"* does not.

Spans index the text as given (white space trimmed), so the UI can put a
suggestion next to its sentence.
"""

from __future__ import annotations

import re

from newsdesk.analyze.sentences import sentence_spans

__all__ = ["NUMBER_WORDS", "STREET_WORDS", "TITLES", "segment", "segment_spans"]

TITLES = frozenset("Mme Mlle MM Mgr Me Ste Vve KTS NXB".split())
"""Case-sensitive: a period after these never ends a segment."""
STREET_WORDS = frozenset("av bd boul env éd hab".split())
"""Case-insensitive: a period after these never ends a segment."""
NUMBER_WORDS = frozenset("art chap no nos tr p tél".split())
"""Case-insensitive: a period after these does not end a segment when a number follows."""

_LAST_WORD = re.compile(r"([^\W\d_]+)\.$")


def segment_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each segment of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        if spans and _joins(text[spans[-1][0] : spans[-1][1]], text[start]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def segment(text: str) -> list[str]:
    """The segments of ``text``, white space trimmed."""
    return [text[start:end] for start, end in segment_spans(text)]


def _joins(sentence: str, following: str) -> bool:
    """Whether ``sentence`` ends in an abbreviation, so the next one (starting ``following``) continues it."""
    match = _LAST_WORD.search(sentence)
    if match is None:
        return False
    word = match[1]
    lowered = word.lower()
    return word in TITLES or lowered in STREET_WORDS or (lowered in NUMBER_WORDS and following.isdigit())
