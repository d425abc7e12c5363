"""Translation memory: exact and fuzzy look-up, scores, directions, speed."""

from __future__ import annotations

import random
import time
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from newsdesk.text.normalize import normalize_text
from newsdesk.translate import TranslationMemory, TranslationUnit

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def unit(source: str, target: str, src: str = "vi", tgt: str = "en", **fields: object) -> TranslationUnit:
    return TranslationUnit(src, tgt, source, target, **fields)  # type: ignore[arg-type]


@pytest.fixture
def memory() -> TranslationMemory:
    return TranslationMemory(
        [
            unit(
                "Bộ Ngoại giao tổ chức họp báo thường kỳ.",
                "The Foreign Ministry holds a regular press briefing.",
            ),
            unit(
                "Bộ Ngoại giao tổ chức họp báo quốc tế.",
                "The Foreign Ministry holds an international briefing.",
            ),
            unit("Thủ tướng tiếp Đại sứ Pháp.", "The Prime Minister receives the French Ambassador."),
            unit(
                "Thủ tướng tiếp Đại sứ Pháp.", "Le Premier ministre reçoit l'ambassadeur de France.", tgt="fr"
            ),
            unit("The press briefing was postponed.", "Họp báo đã bị hoãn.", src="en", tgt="vi"),
        ]
    )


def test_exact_match_after_normalization_scores_100(memory: TranslationMemory) -> None:
    query = unicodedata.normalize("NFD", "  Thủ  tướng tiếp\u00a0Đại sứ Pháp. ")
    (match,) = memory.lookup(query, "vi", "en")
    assert match.exact and match.score == 100.0
    assert match.target == "The Prime Minister receives the French Ambassador."


def test_tone_placement_variants_are_exact() -> None:
    memory = TranslationMemory([unit("Hoà bình và hợp tác.", "Peace and cooperation.")])
    assert memory.lookup("Hòa bình và hợp tác.", "vi", "en")[0].score == 100.0


def test_a_case_difference_is_near_but_not_exact(memory: TranslationMemory) -> None:
    (match,) = memory.lookup("THỦ TƯỚNG TIẾP ĐẠI SỨ PHÁP.", "vi", "en")
    assert match.score == 99.9 and not match.exact


def test_fuzzy_matches_come_best_first_with_scores(memory: TranslationMemory) -> None:
    matches = memory.lookup("Bộ Ngoại giao tổ chức họp báo thường kỳ tháng 3.", "vi", "en")
    assert [m.target for m in matches] == [
        "The Foreign Ministry holds a regular press briefing.",
        "The Foreign Ministry holds an international briefing.",
    ]
    first, second = (m.score for m in matches)
    assert 100 > first > second >= 75
    expected = fuzz.ratio(
        normalize_text("Bộ Ngoại giao tổ chức họp báo thường kỳ tháng 3.").casefold(),
        normalize_text("Bộ Ngoại giao tổ chức họp báo thường kỳ.").casefold(),
    )
    assert first == round(expected, 1)


@pytest.mark.parametrize(("threshold", "count"), [(95, 0), (85, 1), (75, 2), (0, 4)])
def test_threshold_filters(memory: TranslationMemory, threshold: float, count: int) -> None:
    query = "Bộ Ngoại giao tổ chức họp báo thường kỳ tháng 3."
    matches = memory.lookup(query, "vi", "en", threshold=threshold)
    assert len(matches) == count and all(m.score >= threshold for m in matches)


def test_limit_and_language_pairs(memory: TranslationMemory) -> None:
    assert len(memory.lookup("Bộ Ngoại giao tổ chức họp báo.", "vi", "en", limit=1)) == 1
    assert [m.target for m in memory.lookup("Thủ tướng tiếp Đại sứ Pháp.", "vi", "fr")] == [
        "Le Premier ministre reçoit l'ambassadeur de France."
    ]
    assert memory.lookup("Thủ tướng tiếp Đại sứ Pháp.", "vi", "zh") == []


def test_units_answer_the_reverse_direction(memory: TranslationMemory) -> None:
    (match,) = memory.lookup("Họp báo đã bị hoãn.", "vi", "en")
    assert match.reverse and match.exact
    assert (match.source, match.target) == ("Họp báo đã bị hoãn.", "The press briefing was postponed.")
    assert match.unit.source_lang == "en"


def test_forward_beats_reverse_and_newer_beats_older() -> None:
    memory = TranslationMemory(
        [
            unit("Hello.", "Xin chào.", src="en", tgt="vi"),
            unit("Xin chào.", "Hello!", created=T0),
            unit("Xin chào.", "Hi.", created=T0 + timedelta(days=1)),
        ]
    )
    assert [(m.target, m.reverse) for m in memory.lookup("Xin chào.", "vi", "en")] == [
        ("Hi.", False),
        ("Hello!", False),
        ("Hello.", True),
    ]


def test_the_same_translation_is_stored_once() -> None:
    memory = TranslationMemory()
    assert memory.add(unit("Xin chào.", "Hello.", origin="a"))
    assert not memory.add(unit("Xin chào.", "Hello.", origin="b"))
    assert memory.extend([unit("Xin chào.", "Hi."), unit("Xin chào.", "Hello.")]) == 1
    assert len(memory) == 2 and memory.units[0].origin == "a"
    assert memory.lookup("Xin chào.", "vi", "en")[0].score == 100.0


def test_an_added_unit_is_found_at_once(memory: TranslationMemory) -> None:
    assert memory.lookup("Quốc hội khai mạc kỳ họp.", "vi", "en") == []
    memory.add(unit("Quốc hội khai mạc kỳ họp.", "The National Assembly opens its session."))
    assert memory.lookup("Quốc hội khai mạc kỳ họp.", "vi", "en")[0].exact


def test_created_is_utc_to_the_second() -> None:
    hanoi = timezone(timedelta(hours=7))
    created = unit("a b", "c", created=datetime(2025, 3, 1, 15, 0, 0, 123456, tzinfo=hanoi)).created
    assert created == T0 and created.tzinfo is UTC


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"src": "vi", "tgt": "vi"}, "both vi"),
        ({"src": "vie"}, "ISO 639-1"),
        ({"source": "  "}, "source segment is empty"),
        ({"target": "a\x0bb"}, "U\\+000B"),
        ({"created": datetime(2025, 1, 1)}, "timezone-aware"),
    ],
)
def test_invalid_units_are_refused(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"source": "Xin chào.", "target": "Hello."} | fields
    with pytest.raises(ValueError, match=message):
        unit(**values)  # type: ignore[arg-type]


_WORDS = "ban chỉ đạo thông tin đối ngoại hòa bình hợp tác quốc tế Bộ Ngoại giao họp báo".split()
_SENTENCES = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(st.lists(_SENTENCES, min_size=1, max_size=25, unique=True), _SENTENCES, st.integers(50, 95))
def test_lookup_equals_brute_force(sources: list[str], query: str, threshold: int) -> None:
    """The length window and the accent-free first pass lose nothing a full scan would find."""
    memory = TranslationMemory(unit(s, f"t{i}") for i, s in enumerate(sources))
    got = {m.source: m.score for m in memory.lookup(query, "vi", "en", threshold=threshold, limit=100)}
    key = normalize_text(query)
    expected = {}
    for source in sources:
        score = fuzz.ratio(key.casefold(), normalize_text(source).casefold())
        if normalize_text(source) == key:
            expected[source] = 100.0
        elif score >= threshold:
            expected[source] = min(round(score, 1), 99.9)
    assert got == expected
    assert list(got.values()) == sorted(got.values(), reverse=True)


def test_lookup_over_50k_segments_is_fast() -> None:
    rng = random.Random(1)
    words = (
        "ban chỉ đạo công tác thông tin đối ngoại họp tại hà nội ngày tháng năm bộ ngoại giao phát biểu "
        "hội nghị kinh tế xã hội phát triển bền vững chính phủ quốc hội thủ tướng đoàn đại biểu hợp tác"
    ).split()

    def sentence() -> str:
        return " ".join(rng.choices(words, k=rng.randint(8, 30))).capitalize() + "."

    units = [unit(sentence(), f"translation {i}") for i in range(50_000)]
    memory = TranslationMemory(units)
    memory.lookup("warm-up builds the index", "vi", "en")
    queries = [units[i].source[:-1] + " mới." for i in range(0, 50_000, 1000)]
    started = time.perf_counter()
    results = [memory.lookup(q, "vi", "en") for q in queries]
    per_lookup = (time.perf_counter() - started) / len(queries)
    assert all(r and r[0].score >= 90 for r in results)
    assert per_lookup < 0.05, f"{per_lookup * 1000:.1f} ms per look-up"
