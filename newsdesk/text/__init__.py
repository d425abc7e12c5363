"""Text utilities: Vietnamese-first normalization and accent folding for search.

``normalize_text``  the canonical form of a text (NFC, one tone-mark placement,
                    tidy whitespace); ``clean_text`` is the same without the tone step.
``fold``            the accent- and case-insensitive search key.
"""

from __future__ import annotations

from newsdesk.text.fold import fold
from newsdesk.text.normalize import (
    clean_text,
    is_vietnamese_letter,
    normalize_syllable,
    normalize_text,
    split_tone,
)

__all__ = [
    "clean_text",
    "fold",
    "is_vietnamese_letter",
    "normalize_syllable",
    "normalize_text",
    "split_tone",
]
