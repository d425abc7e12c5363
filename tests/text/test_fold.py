"""Tests of newsdesk.text.fold: the accent-insensitive search key."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.text import fold, normalize_text
from newsdesk.text.normalize import VIETNAMESE_VOWELS


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("nhân quyền", "nhan quyen"),
        ("Kết luận số 57-KL/TW", "ket luan so 57-kl/tw"),
        ("ĐÀ NẴNG, Đắk Lắk", "da nang, dak lak"),
        ("Người dân Thừa Thiên Huế", "nguoi dan thua thien hue"),
        ("hoà", "hoa"),
        ("hòa", "hoa"),
        ("hoa\u0300", "hoa"),  # decomposed
        ("Viê\u0323t  Nam\u00a0", "viet nam"),
        ("façade naïve Noël", "facade naive noel"),
        ("Straße, GRÖSSE, ẞ", "strasse, grosse, ss"),
        ("Ærø Œuvre", "aero oeuvre"),
        ("Łódź Þór Øresund", "lodz thor oresund"),
        ("İstanbul ısı", "istanbul isi"),
        ("ﬁnance ＡＢＣ１２３", "finance abc123"),
        ("Hà Nội – Thủ đô — 2020–2025 −5", "ha noi - thu do - 2020-2025 -5"),
        ("Москва, Йошкар-Ола, ЁЖ", "москва, йошкар-ола, ёж"),  # other scripts: lowercased only
        ("Αθήνα", "αθήνα"),
        ("中文 한국어 日本語 ພາສາລາວ", "中文 한국어 日本語 ພາສາລາວ"),
        ("5\u0301 x", "5 x"),
        ("", ""),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_spelling_variants_share_a_key() -> None:
    variants = ["Hoà bình", "Hòa bình", "hoa binh", "HOÀ BÌNH", "Hoa\u0300 bi\u0300nh"]
    assert {fold(v) for v in variants} == {"hoa binh"}


def test_keeps_line_structure() -> None:
    assert fold("Tiêu đề\n\nĐoạn  một.\nDòng hai.") == "tieu de\n\ndoan mot.\ndong hai."


# --- properties -------------------------------------------------------------------------------

_LATIN = [chr(c) for c in range(0x41, 0x7B) if chr(c).isalpha()]
_LATIN += [chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha()] + sorted(VIETNAMESE_VOWELS)
_LATIN += [chr(c) for c in range(0x1E00, 0x1F00)]
_MARKS = [chr(c) for c in range(0x0300, 0x0370)]
_SEPARATORS = [*" \t\n\u00a0\u2009-–—/.,0123456789", "\u200b", "\ufb01"]
latin_text = st.text(alphabet=st.sampled_from(_LATIN + _MARKS + _SEPARATORS), max_size=80)


@settings(max_examples=400, deadline=None)
@given(st.one_of(latin_text, st.text(max_size=80)))
def test_idempotent(text: str) -> None:
    key = fold(text)
    assert fold(key) == key


@settings(max_examples=300, deadline=None)
@given(latin_text)
def test_latin_text_loses_every_mark(text: str) -> None:
    key = fold(text)
    assert not any(unicodedata.combining(char) for char in key)
    assert key == key.lower()


@settings(max_examples=300, deadline=None)
@given(latin_text)
def test_word_boundaries_survive(text: str) -> None:
    assert len(fold(text).split()) == len(normalize_text(text).split())


@settings(max_examples=300, deadline=None)
@given(st.one_of(latin_text, st.text(max_size=80)))
def test_normalizing_first_changes_nothing(text: str) -> None:
    assert fold(normalize_text(text)) == fold(text)


@pytest.mark.slow
def test_speed_on_vietnamese_text() -> None:
    sentence = "Uỷ ban nhân dân tỉnh Khánh Hoà họp về thuỷ lợi, sức khoẻ người dân và hoà bình.\n"
    texts = [sentence * 40] * 300  # ~3 MB
    size = sum(len(text.encode()) for text in texts) / 1e6
    started = time.process_time()
    for text in texts:
        fold(text)
    assert size / (time.process_time() - started) >= 10.0
