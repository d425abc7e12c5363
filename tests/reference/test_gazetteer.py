"""Gazetteer matching: the aligned fold, leftmost-longest matches, capitalisation and accent checks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.reference.gazetteer import (
    Entry,
    Matcher,
    aligned_fold,
    entity_matcher,
    tail_matcher,
    title_matcher,
    union_pattern,
)
from newsdesk.text.fold import fold

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 .,;:-–()&'\n"


@given(st.text(alphabet=ALPHABET, max_size=80))
def test_aligned_fold_keeps_every_offset_and_folds_like_fold(text: str) -> None:
    folded = aligned_fold(text)
    assert len(folded) == len(text)
    assert folded.split() == fold(text).split()


def test_aligned_fold_of_other_scripts_and_apostrophes() -> None:
    assert aligned_fold("Đà Nẵng’s 😀 Москва") == "da nang's 😀 москва"


def _hits(text: str) -> list[tuple[str, str, bool]]:
    folded = aligned_fold(text)
    return [
        (text[hit.start : hit.end], hit.entry.id, hit.entry.accepts(text[hit.start : hit.end]))
        for hit in entity_matcher().finditer(folded)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ban Tuyên giáo Trung ương họp", [("Ban Tuyên giáo Trung ương", "ban-tuyen-giao-tw", True)]),
        ("Ban Tuyên giáo TƯ họp", [("Ban Tuyên giáo TƯ", "ban-tuyen-giao-tw", True)]),
        ("Báo Hà Nội Mới đưa tin", [("Báo Hà Nội Mới", "ha-noi-moi", True)]),
        ("ở Hà Nội.", [("Hà Nội", "2025/01", True)]),
        ("tại TP.HCM và TP. HCM", [("TP.HCM", "2025/79", True), ("TP. HCM", "2025/79", True)]),
        ("tỉnh Bà Rịa – Vũng Tàu", [("tỉnh Bà Rịa – Vũng Tàu", "pre2025/77", True)]),
        ("Bộ Thông tin & Truyền thông", [("Bộ Thông tin & Truyền thông", "bo-tt-tt", True)]),
        ("Bộ Văn hóa, thể thao và du lịch", [("Bộ Văn hóa, thể thao và du lịch", "bo-vh-tt-dl", True)]),
        ("the Ministry of Foreign Affairs", [("Ministry of Foreign Affairs", "bo-ngoai-giao", True)]),
    ],
)
def test_entity_matcher_finds_the_longest_known_name(
    text: str, expected: list[tuple[str, str, bool]]
) -> None:
    assert _hits(text) == expected


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("Hòa Bình", True),
        ("hòa bình", False),  # peace, not the province
        ("Hoa Binh", True),  # written without accents: matched accent-insensitively
        ("WHO", True),
        ("who", False),
        ("Ban Tuyên giáo TƯ", True),
        ("Ban Tuyên giáo từ", False),  # "từ" (from) is not the abbreviation TƯ
        ("Bỉ", True),
        ("Bí", False),  # one word: the accents must match
        ("Nha Trang", True),
        ("Nhà Trắng", False),  # the White House: vowel marks differ
        ("Hoà Bình", True),  # tone mark placed differently: same name
        ("Asean", True),
    ],
)
def test_entry_accepts_only_names_written_like_the_alias(text: str, accepted: bool) -> None:
    ((surface, _, ok),) = _hits(text)
    assert surface == text and ok is accepted


def test_matcher_on_its_own_entries() -> None:
    entry = Entry("organisation", "x", (1,))
    matcher = Matcher({"ban": entry, "ban chi dao": Entry("organisation", "y", (1, 0, 0))})
    hits = list(matcher.finditer(aligned_fold("Ban Chỉ đạo, Ban, bạn, Bandung")))
    assert [(hit.start, hit.end, hit.entry.id) for hit in hits] == [
        (0, 11, "y"),
        (13, 16, "x"),
        (18, 21, "x"),
    ]
    assert matcher.match(aligned_fold("Ban"), 0) is not None and matcher.match("xban", 0) is None
    assert matcher.get("ban") == entry and len(matcher) == 2
    assert list(Matcher({}).finditer("ban")) == []


def test_title_matcher_is_case_insensitive_and_longest_first() -> None:
    text = "phó trưởng Ban Thường trực; Deputy Prime Minister"
    vi = [hit.entry.id for hit in title_matcher("vi").finditer(aligned_fold(text))]
    en = [hit.entry.id for hit in title_matcher("en").finditer(aligned_fold(text))]
    assert vi == ["Phó Trưởng ban Thường trực"] and en == ["Phó Thủ tướng"]


def test_tail_matcher_reads_names_without_their_head_word() -> None:
    hit = tail_matcher("Bộ").match(aligned_fold("Ngoại giao Nga"), 0)
    assert hit is not None and (hit.end, hit.entry.id) == (10, "bo-ngoai-giao")
    hit = tail_matcher("Ministry of").match(aligned_fold("Public Security said"), 0)
    assert hit is not None and hit.entry.id == "bo-cong-an"


@given(st.lists(st.text(alphabet="abc.đ(", min_size=1, max_size=4), min_size=1, max_size=6))
def test_union_pattern_matches_exactly_its_strings(strings: list[str]) -> None:
    pattern = re.compile(union_pattern(strings))
    for string in strings:
        assert pattern.fullmatch(string)
    assert not pattern.fullmatch("zz")
