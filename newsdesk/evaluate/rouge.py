"""ROUGE-N and ROUGE-L, written out so the measure is exactly the one we document.

Tokens (:func:`rouge_tokens`): the text in Unicode NFC, lower-cased, every character
that is neither a letter, a digit nor white space replaced by a space, then split on
white space. Vietnamese syllables are white-space separated, so a token is a syllable.

* ROUGE-N counts n-gram overlap with clipping: an n-gram the candidate repeats counts
  at most as often as the reference has it. Precision divides the overlap by the
  candidate's n-grams, recall by the reference's; F1 is their harmonic mean.
* ROUGE-L is the F1 of the longest common subsequence of the two token sequences
  (precision ``lcs / len(candidate)``, recall ``lcs / len(reference)``). The LCS uses the
  bit-parallel algorithm of Allison–Dix/Hyyrö, one big-integer step per candidate token.

:func:`score_against_references` is newsdesk's summary measure: the candidate is cut to
the references' mean length in tokens, each metric is the best F1 over the references.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "RougeScores",
    "Score",
    "lcs_length",
    "ngram_counts",
    "rouge_l",
    "rouge_n",
    "rouge_tokens",
    "score_against_references",
]

_NOT_WORD = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 of one comparison."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, hits: int, candidate_total: int, reference_total: int) -> Score:
        precision = hits / candidate_total if candidate_total else 0.0
        recall = hits / reference_total if reference_total else 0.0
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


@dataclass(frozen=True, slots=True)
class RougeScores:
    """F1 of ROUGE-1, ROUGE-2 and ROUGE-L for one summary."""

    rouge1: float
    rouge2: float
    rougeL: float


def rouge_tokens(text: str) -> list[str]:
    """Lower-cased syllable tokens of ``text`` with punctuation and symbols removed."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split()


def ngram_counts(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    """How often each n-gram of ``tokens`` occurs."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(candidate: Sequence[str], reference: Sequence[str], n: int) -> Score:
    """ROUGE-N of two token sequences, with clipped counts."""
    if n < 1:
        raise ValueError(f"ROUGE-N needs n >= 1, got {n}")
    cand, ref = ngram_counts(candidate, n), ngram_counts(reference, n)
    hits = sum((cand & ref).values())
    return Score.from_counts(hits, sum(cand.values()), sum(ref.values()))


def rouge_l(candidate: Sequence[str], reference: Sequence[str]) -> Score:
    """ROUGE-L of two token sequences: F1 of their longest common subsequence."""
    return Score.from_counts(lcs_length(candidate, reference), len(candidate), len(reference))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of ``a`` and ``b`` (bit-parallel)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for position, token in enumerate(b):
        masks[token] = masks.get(token, 0) | (1 << position)
    full = (1 << len(b)) - 1
    row = full
    for token in a:
        matches = row & masks.get(token, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(b) - row.bit_count()


def score_against_references(candidate: str, references: Sequence[str]) -> RougeScores:
    """The summary measure: candidate cut to the references' mean length, best F1 per metric."""
    refs = [rouge_tokens(text) for text in references]
    refs = [tokens for tokens in refs if tokens]
    if not refs:
        raise ValueError("no non-empty reference summary to score against")
    cut = round(sum(len(tokens) for tokens in refs) / len(refs))
    cand = rouge_tokens(candidate)[:cut]
    return RougeScores(
        rouge1=max(rouge_n(cand, ref, 1).f1 for ref in refs),
        rouge2=max(rouge_n(cand, ref, 2).f1 for ref in refs),
        rougeL=max(rouge_l(cand, ref).f1 for ref in refs),
    )
