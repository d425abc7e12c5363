"""Tests of newsdesk.text.normalize: tone placement, NFC, whitespace and typography."""

from __future__ import annotations

import gzip
import json
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.text import (
    clean_text,
    is_vietnamese_letter,
    normalize_syllable,
    normalize_text,
    split_tone,
)
from newsdesk.text.normalize import VIETNAMESE_VOWELS

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "vietnews-20k.jsonl.gz"

# --- tone placement ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("hoà", "hòa"),
        ("hoá", "hóa"),
        ("hoạ", "họa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("uỷ", "ủy"),
        ("toà", "tòa"),
        ("luỹ", "lũy"),
        ("tuý", "túy"),
        ("xoè", "xòe"),
        ("HOÀ", "HÒA"),
        ("Thuỷ", "Thủy"),
        ("THUỶ", "THỦY"),
        ("Uỷ", "Ủy"),
        ("Khoẻ", "Khỏe"),
    ],
)
def test_new_style_becomes_old_style(variant: str, canonical: str) -> None:
    assert normalize_syllable(variant) == canonical
    assert normalize_syllable(canonical) == canonical
    assert normalize_text(variant) == normalize_text(canonical) == canonical


@pytest.mark.parametrize(
    "word",
    [
        "hoàng", "thuyền", "quyết", "nghiêng", "giữ", "giữa", "quý", "quả", "quốc", "gìn", "gì", "già",
        "người", "được", "Nguyễn", "Việt", "của", "khuya", "khuỷu", "ngoài", "xoáy", "hoạch", "tuần",
        "huỳnh", "hoặc", "ngoằn", "thuở", "bướu", "nhiều", "khuấy", "tuổi", "Đoòng", "moóc", "HOÀNG",
        "Đắk", "Lắk",
    ],
)  # fmt: skip
def test_standard_placement_is_kept(word: str) -> None:
    assert normalize_syllable(word) == word
    assert normalize_text(word) == word


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("hòang", "hoàng"),
        ("tòan", "toàn"),
        ("qúa", "quá"),
        ("Qủa", "Quả"),
        ("qúy", "quý"),
        ("gìa", "già"),
        ("gíam", "giám"),
        ("cuả", "của"),
        ("điạ", "địa"),
        ("phiá", "phía"),
        ("yêú", "yếu"),
        ("triêụ", "triệu"),
        ("ừơi", "ười"),
        ("Đòong", "Đoòng"),
        ("thùyên", "thuyền"),
    ],
)
def test_misplaced_marks_are_fixed(typo: str, fixed: str) -> None:
    assert normalize_text(typo) == fixed


@pytest.mark.parametrize(
    "word",
    [
        "più",  # Italian: Vietnamese never accents the glide of an open ai/au/iu/oi/ui
        "caí",
        "baú",
        "café",
        "São",
        "Xêút",  # two syllables run together (Xê-út): êu takes no final consonant
        "cũÔng",  # mixed case: two words run together
        "hoàà",  # two tone marks
        "straße",
    ],
)
def test_non_syllables_are_left_alone(word: str) -> None:
    assert normalize_text(word) == word


def test_sentence() -> None:
    text = "Uỷ ban nhân dân  tỉnh Khánh Hoà   họp về  thuỷ lợi, sức khoẻ và hoà bình."
    assert normalize_text(text) == "Ủy ban nhân dân tỉnh Khánh Hòa họp về thủy lợi, sức khỏe và hòa bình."


# --- decomposed input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoa\u0300", "hòa"),  # macOS NFD of "hoà"
        ("Vie\u0302\u0323t Nam", "Việt Nam"),  # fully decomposed
        ("Viê\u0323t Nam", "Việt Nam"),  # cp1258: base letters precomposed, tones combining
        ("thuy\u0309", "thủy"),
        ("kho\u0309e", "khỏe"),
        ("ngu\u031bo\u031b\u0300i", "người"),
        ("\u0301hoà", "hòa"),  # orphan mark at the start
        ("a \u0301b", "a b"),  # orphan mark after a space
    ],
)
def test_decomposed_input_ends_the_same(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_nfd_of_a_sentence_round_trips() -> None:
    text = "Thủ tướng chủ trì hội nghị về hòa bình, thủy lợi và sức khỏe người dân."
    assert normalize_text(unicodedata.normalize("NFD", text)) == text


# --- whitespace and typography ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a \t b  ", "a b"),
        ("a\u00a0b", "a b"),
        ("a\u202fb\u3000c\u2009d", "a b c d"),
        ("a\u200bb", "ab"),
        ("\ufeffa", "a"),
        ("a\u00adb", "ab"),
        ("a\u2060b", "ab"),
        ("a\x00b\x07c", "abc"),
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("a\n\nb", "a\n\nb"),
        ("a\n\n\n\n b", "a\n\nb"),
        (" a \n  b \n", "a\nb"),
        ("a \n \n \n b", "a\n\nb"),
        ("\n\n a", "a"),
    ],
)
def test_whitespace(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("57\u2010KL/TW", "57-KL/TW"),  # hyphen
        ("57\u2011KL/TW", "57-KL/TW"),  # non-breaking hyphen
        ("0\u2012 1", "0- 1"),  # figure dash
        ("\u22125°C", "-5°C"),  # minus sign
        ("\uff0d", "-"),  # full-width hyphen-minus
        ("2020\u20132025", "2020\u20132025"),  # en dash kept
        ("Hà Nội \u2013 Huế", "Hà Nội \u2013 Huế"),
        ("a \u2014 b", "a \u2014 b"),  # em dash kept
        ("a \u2015 b", "a \u2014 b"),  # horizontal bar → em dash
        ("“trích dẫn” «x» ‘y’ …", "“trích dẫn” «x» ‘y’ …"),  # quotes and ellipsis stay
    ],
)
def test_dashes_and_quotes(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nhân\u200dquyền", "nhânquyền"),  # ZWJ between Latin letters: noise
        ("a\u200c\u200cb", "ab"),
        ("👨\u200d💻", "👨\u200d💻"),  # emoji sequence kept
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian ZWNJ kept
    ],
)
def test_joiners(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_clean_text_leaves_tones_alone() -> None:
    assert clean_text(" hoà\u00a0 thuỷ ") == "hoà thuỷ"


# --- letters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "expected"),
    [("ộ", ("ô", 5)), ("Ữ", ("Ư", 4)), ("à", ("a", 1)), ("ý", ("y", 2)), ("ả", ("a", 3)), ("x", ("x", 0))],
)
def test_split_tone(char: str, expected: tuple[str, int]) -> None:
    assert split_tone(char) == expected


@pytest.mark.parametrize(
    ("char", "expected"), [("đ", True), ("Ơ", True), ("ỹ", True), ("f", False), ("é", True)]
)
def test_is_vietnamese_letter(char: str, expected: bool) -> None:
    assert is_vietnamese_letter(char) is expected


def test_vowel_inventory() -> None:
    assert len(VIETNAMESE_VOWELS) == 144
    assert all(unicodedata.is_normalized("NFC", v) and len(v) == 1 for v in VIETNAMESE_VOWELS)


# --- properties -------------------------------------------------------------------------------

_VI_ALPHABET = sorted(VIETNAMESE_VOWELS) + list("bcdđghklmnpqrstvxĐQGKH")
_MARKS = [chr(c) for c in range(0x0300, 0x0370)] + ["\u1dc4", "\u20d7", "\ufe20"]
_SPACES = [" ", "\t", "\n", "\r", "\u00a0", "\u200b", "\u200c", "\u200d", "\u2028", "\ufeff", "\u00ad"]
_PUNCT = [*".,;:!?-–—“”'\"()0123456789", "\u2010", "\u2212", "\u2015", "ß", "é", "ñ", "中", "й", "😀"]
mixed_text = st.text(alphabet=st.sampled_from(_VI_ALPHABET + _MARKS + _SPACES + _PUNCT), max_size=80)


@settings(max_examples=400, deadline=None)
@given(st.one_of(mixed_text, st.text(max_size=80)))
def test_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=200, deadline=None)
@given(mixed_text)
def test_output_is_nfc_and_tidy(text: str) -> None:
    out = normalize_text(text)
    assert unicodedata.is_normalized("NFC", out)
    assert "  " not in out and "\n\n\n" not in out and "\t" not in out and "\r" not in out
    assert out == out.strip()
    assert all(line == line.strip(" ") for line in out.split("\n"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["hoà", "hòa", "thuỷ", "thủy", "khoẻ", "khỏe", "uỷ", "ủy"]), max_size=8))
def test_spelling_variants_collapse(words: list[str]) -> None:
    out = normalize_text(" ".join(words))
    assert not re.search("o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ]", out)


# --- corpus and speed -------------------------------------------------------------------------


def _corpus_texts(limit: int) -> list[str]:
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS.parent} absent (../shared/corpus)")
    texts = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    return texts


@pytest.mark.corpus
def test_corpus_has_one_spelling_after_normalizing() -> None:
    new_style = re.compile(r"(?<![qQ])[oO][àáảãạèéẻẽẹ](?![^\W\d_])|(?<![qQ])[uU][ỳýỷỹỵ](?![^\W\d_])")
    for text in _corpus_texts(200):
        out = normalize_text(text)
        assert normalize_text(out) == out
        assert not new_style.search(out)


def _throughput(function: object, texts: list[str]) -> float:
    assert callable(function)
    size = sum(len(text.encode()) for text in texts) / 1e6
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for text in texts:
            function(text)
        best = min(best, time.process_time() - started)
    return size / best


@pytest.mark.slow
def test_speed_on_vietnamese_text() -> None:
    sentence = "Uỷ ban nhân dân tỉnh Khánh Hoà họp về thuỷ lợi, sức khoẻ người dân và hoà bình.\n"
    texts = [sentence * 40] * 300  # ~3 MB
    assert _throughput(normalize_text, texts) >= 5.0


def test_a_joiner_after_a_letter_and_its_combining_mark_goes_in_one_pass() -> None:
    """Regression (hypothesis, sitting 2): "A\u0323\u200c" kept its ZWNJ until a second pass."""
    once = normalize_text("A\u0323\u200c")
    assert once == "Ạ" and normalize_text(once) == once
