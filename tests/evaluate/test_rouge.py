"""ROUGE on examples computed by hand, and the LCS against the textbook dynamic programme."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.evaluate.rouge import (
    lcs_length,
    ngram_counts,
    rouge_l,
    rouge_n,
    rouge_tokens,
    score_against_references,
)

CAT = ["the", "cat", "sat", "on", "the", "mat"]
CAT_REF = ["the", "cat", "is", "on", "the", "mat"]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Bão số 3 đổ bộ vào TP.HCM.", ["bão", "số", "3", "đổ", "bộ", "vào", "tp", "hcm"]),
        ("“Hòa” – 50% (ngày 20/5)!", ["hòa", "50", "ngày", "20", "5"]),
        ("Hoa\u0300 binh", ["ho\u00e0", "binh"]),  # decomposed accent → NFC
        ("snake_case  MIXED", ["snake", "case", "mixed"]),
        ("", []),
    ],
)
def test_rouge_tokens(text: str, tokens: list[str]) -> None:
    assert rouge_tokens(text) == tokens


def test_ngram_counts() -> None:
    assert ngram_counts(["a", "b", "a", "b"], 2) == {("a", "b"): 2, ("b", "a"): 1}
    assert ngram_counts(["a"], 2) == {}


def test_rouge1_by_hand() -> None:
    # overlap the×2 cat on mat = 5 of 6 on each side
    score = rouge_n(CAT, CAT_REF, 1)
    assert (score.precision, score.recall, score.f1) == pytest.approx((5 / 6, 5 / 6, 5 / 6))


def test_rouge2_by_hand() -> None:
    # shared bigrams: (the cat) (on the) (the mat) = 3 of 5 on each side
    assert rouge_n(CAT, CAT_REF, 2).f1 == pytest.approx(3 / 5)


def test_rouge_n_clips_repeated_ngrams() -> None:
    # "the" four times but once in the reference: overlap 1, P = 1/4, R = 1/2, F = 1/3
    score = rouge_n(["the"] * 4, ["the", "cat"], 1)
    assert (score.precision, score.recall, score.f1) == pytest.approx((1 / 4, 1 / 2, 1 / 3))


def test_rouge_on_vietnamese_syllables_by_hand() -> None:
    cand = rouge_tokens("Bão số 3 đổ bộ vào TP.HCM.")  # 8 tokens, 7 bigrams
    ref = rouge_tokens("Bão đổ bộ TP. HCM!")  # 5 tokens, 4 bigrams
    assert rouge_n(cand, ref, 1).f1 == pytest.approx(10 / 13)  # P 5/8, R 5/5
    assert rouge_n(cand, ref, 2).f1 == pytest.approx(4 / 11)  # (đổ bộ) (tp hcm): P 2/7, R 2/4
    assert rouge_l(cand, ref).f1 == pytest.approx(10 / 13)  # bão đổ bộ tp hcm


def test_rouge_l_by_hand() -> None:
    assert lcs_length(CAT, CAT_REF) == 5
    assert rouge_l(CAT, CAT_REF).f1 == pytest.approx(5 / 6)
    # LCS of a b c d / b d a c is 2 (b d, or a c): P = R = 1/2
    assert rouge_l(list("abcd"), list("bdac")).f1 == pytest.approx(0.5)


def test_empty_and_disjoint_score_zero() -> None:
    assert rouge_n([], CAT_REF, 1).f1 == 0.0
    assert rouge_n(CAT, [], 2).f1 == 0.0
    assert rouge_n(["x", "y"], CAT_REF, 1).f1 == 0.0
    assert rouge_l([], CAT_REF).f1 == 0.0


def test_rouge_n_rejects_n_below_one() -> None:
    with pytest.raises(ValueError, match="n >= 1"):
        rouge_n(CAT, CAT_REF, 0)


def test_score_against_references_cuts_and_takes_the_best() -> None:
    # references of 4 and 6 tokens: the candidate is cut to 5 tokens, "a b c d e"
    scores = score_against_references("A b, c d e f g.", ["a b c d", "a b x y z w"])
    assert scores.rouge1 == pytest.approx(8 / 9)  # vs the first: P 4/5, R 4/4
    assert scores.rouge2 == pytest.approx(6 / 7)  # vs the first: P 3/4, R 3/3
    assert scores.rougeL == pytest.approx(8 / 9)


def test_score_against_references_takes_the_best_per_metric() -> None:
    # Equal lengths (no cut). ROUGE-1 prefers the first reference (4 shared words vs 3),
    # ROUGE-2 the second (2 shared bigrams vs 0).
    scores = score_against_references("a b c d", ["d c b a", "a b c x"])
    assert scores.rouge1 == pytest.approx(1.0)
    assert scores.rouge2 == pytest.approx(2 / 3)
    assert scores.rougeL == pytest.approx(3 / 4)


def test_score_against_references_needs_a_reference() -> None:
    with pytest.raises(ValueError, match="reference"):
        score_against_references("a b", ["", "!!"])


def _lcs_table(a: Sequence[str], b: Sequence[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


@given(st.lists(st.sampled_from("abcd"), max_size=30), st.lists(st.sampled_from("abcd"), max_size=30))
def test_bit_parallel_lcs_equals_dynamic_programme(a: list[str], b: list[str]) -> None:
    assert lcs_length(a, b) == _lcs_table(a, b)
    assert lcs_length(a, b) == lcs_length(b, a)


@given(st.lists(st.sampled_from("abc"), min_size=1, max_size=20))
def test_identical_texts_score_one(tokens: list[str]) -> None:
    assert rouge_n(tokens, tokens, 1).f1 == pytest.approx(1.0)
    assert rouge_l(tokens, tokens).f1 == pytest.approx(1.0)
