"""Exact and near-duplicate detection (newsdesk.analyze.dedup) on hand-written articles."""

from __future__ import annotations

import json
import random
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from newsdesk.analyze.dedup import (
    DedupConfig,
    DedupDoc,
    DuplicateIndex,
    StoredEntry,
    containment,
    reused_passages,
    signature,
)
from newsdesk.evaluate.dedup import recaption, reheadline, rewrite, truncate
from newsdesk.text.fold import fold
from tests.conftest import FIXTURES

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


@cache
def _records() -> dict[str, dict[str, Any]]:
    lines = (FIXTURES / "dedup" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def record(record_id: str) -> dict[str, Any]:
    return _records()[record_id]


def doc(record_id: str, at: datetime = T0, **changes: Any) -> DedupDoc:
    r = {**record(record_id), **changes}
    return DedupDoc(r.get("new_id", record_id), r["title"], r["text"], at, r.get("outlet"))


ORIGINALS = [i for i, r in _records().items() if not r.get("copy_of")]
COPIES = [i for i, r in _records().items() if r.get("copy_of")]
SAME_EVENT = [
    (a, b) for a in ORIGINALS for b in ORIGINALS if a < b and record(a)["event"] == record(b)["event"]
]


def pair_result(first: DedupDoc, second: DedupDoc, config: DedupConfig | None = None) -> Any:
    index = DuplicateIndex(config)
    index.add(first)
    return index.add(second)


# ---------------------------------------------------------------- exact


def test_exact_copy_joins_the_original() -> None:
    index = DuplicateIndex()
    first = index.add(doc("vi-flood-song"))
    again = index.add(doc("vi-flood-song", T0 + timedelta(hours=2), new_id="copy", outlet="Other"))
    assert (first.kind, first.group_id, first.canonical_id) == (None, "vi-flood-song", "vi-flood-song")
    assert (again.kind, again.similarity, again.matched_id) == ("exact", 1.0, "vi-flood-song")
    assert (again.group_id, again.canonical_id, again.cross_outlet) == (
        "vi-flood-song",
        "vi-flood-song",
        True,
    )
    assert again.exact_hash == first.exact_hash


RETYPED = {
    "extra spaces": lambda t: t.replace(" ", "   "),
    "blank lines and CRLF": lambda t: t.replace("\n", "\r\n\r\n\r\n"),
    "nbsp and tabs": lambda t: t.replace(" ", "\u00a0", 5).replace("\n", "\t\n"),
    "upper case": str.upper,
    "new tone placement": lambda t: t.replace("hòa", "hoà").replace("Hòa", "Hoà").replace("thủy", "thuỷ"),
    "decomposed": lambda t: unicodedata.normalize("NFD", t),
    "no diacritics": lambda t: fold(t),
}


@pytest.mark.parametrize("record_id", ["vi-flood-song", "vi-hcc-hanoi", "en-port-courier"])
@pytest.mark.parametrize("change", RETYPED.values(), ids=RETYPED.keys())
def test_retyped_copy_is_exact(record_id: str, change: Any) -> None:
    r = record(record_id)
    retyped = DedupDoc("copy", change(r["title"]), change(r["text"]), T0 + timedelta(hours=1))
    assert pair_result(doc(record_id), retyped).kind == "exact"


@pytest.mark.parametrize("record_id", ["vi-flood-song", "vi-hcc-hanoi"])
def test_new_tone_placement_changes_the_vietnamese_fixtures(record_id: str) -> None:
    text = record(record_id)["text"]
    assert RETYPED["new tone placement"](text) != text


def test_hand_made_repost_is_exact() -> None:
    result = pair_result(doc("vi-hcc-hanoi"), doc("vi-hcc-hanoi-repost", T0 + timedelta(hours=1)))
    assert (result.kind, result.canonical_id, result.cross_outlet) == ("exact", "vi-hcc-hanoi", False)


# ---------------------------------------------------------------- near


def _variant(kind: str, record_id: str, seed: int) -> DedupDoc:
    r, rng = record(record_id), random.Random(seed)
    title, text = r["title"], r["text"]
    if kind == "truncated":
        text = truncate(text, rng)
    elif kind == "reheadlined":
        title, text = reheadline(title, text, None, r["language"], rng)
    elif kind == "recaptioned":
        text = recaption(text, r["language"], rng)
    elif kind == "rewritten":
        text = rewrite(text, r["language"], rng)
    return DedupDoc(f"{record_id}~{kind}", title, text, T0 + timedelta(hours=3), "Another outlet")


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("record_id", ORIGINALS)
@pytest.mark.parametrize("kind", ["truncated", "reheadlined", "recaptioned", "rewritten"])
def test_generated_variants_are_near_duplicates(kind: str, record_id: str, seed: int) -> None:
    result = pair_result(doc(record_id), _variant(kind, record_id, seed))
    assert result.kind == "near", (kind, record_id, result.similarity)
    assert result.canonical_id == record_id
    assert result.similarity >= DedupConfig().threshold


@pytest.mark.parametrize("copy_id", [c for c in COPIES if record(c)["variant"] != "exact"])
def test_hand_made_copies_are_near_duplicates(copy_id: str) -> None:
    original = record(copy_id)["copy_of"]
    result = pair_result(doc(original), doc(copy_id, T0 + timedelta(hours=1)))
    assert (result.kind, result.group_id) == ("near", original)


def test_reheadlined_copy_scores_one() -> None:
    result = pair_result(doc("en-port-courier"), doc("en-port-courier-wire", T0 + timedelta(hours=1)))
    assert (result.kind, result.similarity) == ("near", 1.0)


def test_truncated_copy_is_found_by_containment() -> None:
    result = pair_result(doc("en-startup-fund"), doc("en-startup-fund-short", T0 + timedelta(hours=1)))
    assert (result.kind, result.similarity) == ("near", 1.0)


@pytest.mark.parametrize(("first", "second"), SAME_EVENT)
def test_same_event_other_outlet_is_not_a_duplicate(first: str, second: str) -> None:
    result = pair_result(doc(first), doc(second, T0 + timedelta(hours=1)))
    assert (result.kind, result.group_id, result.canonical_id) == (None, second, second)
    assert result.similarity < 0.2


def test_all_fixtures_in_one_stream_group_only_the_copies() -> None:
    index = DuplicateIndex()
    results = [index.add(doc(i, T0 + timedelta(minutes=n))) for n, i in enumerate(ORIGINALS + COPIES)]
    grouped = {r.id: r.group_id for r in results if r.duplicate}
    assert grouped == {c: record(c)["copy_of"] for c in COPIES}


def test_short_body_gets_exact_detection_only() -> None:
    short = DedupDoc("a", "Tin ngắn", "Mưa lớn ở Quảng Bình, nhiều xã bị ngập sâu.", T0)
    index = DuplicateIndex()
    index.add(short)
    assert index.add(DedupDoc("b", short.title, short.text, T0)).kind == "exact"
    assert index.add(DedupDoc("c", "Tiêu đề khác", short.text, T0)).kind is None


def test_excerpt_far_shorter_than_the_article_is_not_a_copy() -> None:
    text = record("vi-flood-song")["text"]
    excerpt = " ".join(text.split()[:40])
    config = DedupConfig(min_length_ratio=0.5, min_words=10)
    assert pair_result(doc("vi-flood-song"), DedupDoc("x", "Trích", excerpt, T0), config).kind is None
    loose = DedupConfig(min_length_ratio=0.1, min_words=10)
    assert pair_result(doc("vi-flood-song"), DedupDoc("x", "Trích", excerpt, T0), loose).kind == "near"


# ---------------------------------------------------------------- groups, window, canonical


def test_earlier_copy_becomes_canonical_and_names_the_one_it_replaces() -> None:
    index = DuplicateIndex()
    index.add(doc("vi-flood-song", T0))
    earlier = index.add(doc("vi-flood-song-copy", T0 - timedelta(hours=5)))
    later = index.add(_variant("truncated", "vi-flood-song", 0))
    assert (earlier.group_id, earlier.canonical_id, earlier.previous_canonical_id) == (
        "vi-flood-song",
        "vi-flood-song-copy",
        "vi-flood-song",
    )
    assert (later.group_id, later.canonical_id, later.previous_canonical_id) == (
        "vi-flood-song",
        "vi-flood-song-copy",
        None,
    )
    assert index.canonical_of("vi-flood-song") == "vi-flood-song-copy"


def test_same_time_keeps_the_first_arrival_canonical() -> None:
    index = DuplicateIndex()
    index.add(doc("en-port-courier", T0))
    result = index.add(doc("en-port-courier-wire", T0))
    assert (result.canonical_id, result.previous_canonical_id) == ("en-port-courier", None)


@pytest.mark.parametrize(("days", "found"), [(29, True), (31, False)])
def test_window_evicts_articles_older_than_the_newest(days: int, found: bool) -> None:
    index = DuplicateIndex(DedupConfig(window_days=30))
    index.add(doc("en-climate-times", T0))
    index.add(doc("en-startup-fund", T0 + timedelta(days=days)))
    assert ("en-climate-times" in index) is found
    late_copy = DedupDoc("copy", "x", record("en-climate-times")["text"], T0 + timedelta(days=days))
    assert index.add(late_copy).duplicate is found


def test_eviction_forgets_groups_and_exact_hashes() -> None:
    index = DuplicateIndex(DedupConfig(window_days=1))
    index.add(doc("vi-school-year", T0))
    index.add(doc("vi-school-year", T0 + timedelta(hours=1), new_id="copy"))
    assert len(index) == 2 and index.group_of("copy") == "vi-school-year"
    index.add(doc("vi-coffee-price", T0 + timedelta(days=3)))
    assert len(index) == 1 and index.canonical_of("vi-school-year") is None
    assert index.add(doc("vi-school-year", T0 + timedelta(days=3), new_id="again")).kind is None


def test_article_older_than_the_window_is_matched_then_dropped() -> None:
    index = DuplicateIndex(DedupConfig(window_days=2))
    index.add(doc("vi-coffee-price", T0 + timedelta(days=10)))
    old = index.add(doc("vi-school-year", T0))
    assert old.kind is None and old.group_id == "vi-school-year" and "vi-school-year" not in index


def test_a_repeated_add_changes_nothing() -> None:
    index = DuplicateIndex()
    index.add(doc("vi-flood-song"))
    first = index.add(doc("vi-flood-song-copy", T0 + timedelta(hours=1)))
    again = index.add(doc("vi-flood-song-copy", T0 + timedelta(hours=1)))
    assert again == first and len(index) == 2


def test_missing_time_uses_the_clock_and_naive_time_is_utc() -> None:
    index = DuplicateIndex(clock=lambda: T0)
    index.add(DedupDoc("a", "t", record("vi-coffee-price")["text"], None))
    naive = T0.replace(tzinfo=None) - timedelta(hours=1)
    result = index.add(DedupDoc("b", "t2", record("vi-coffee-price")["text"], naive))
    assert (result.canonical_id, result.previous_canonical_id) == ("b", "a")


def test_unknown_outlet_gives_no_cross_outlet_answer() -> None:
    result = pair_result(doc("vi-coffee-price", outlet=None), doc("vi-coffee-price", new_id="b"))
    assert result.kind == "exact" and result.cross_outlet is None


def test_stream_with_more_articles_than_a_merge_and_evictions() -> None:
    """Hundreds of articles exercise the LSH table's merges and lazy deletions."""
    rng = random.Random(7)
    vocabulary = [f"{a}{b}" for a in "bcdghklmnpqrstvx" for b in ("a", "an", "ăng", "ôi", "ương", "iêt")]
    index = DuplicateIndex(DedupConfig(window_days=2))
    texts = {}
    for n in range(700):
        texts[n] = " ".join(rng.choice(vocabulary) for _ in range(60))
        result = index.add(DedupDoc(f"d{n}", f"t{n}", texts[n], T0 + timedelta(hours=n)))
        assert not result.duplicate
    assert len(index) == 49
    recent = index.add(DedupDoc("copy-recent", "x", texts[690], T0 + timedelta(hours=700)))
    evicted = index.add(DedupDoc("copy-old", "y", texts[600], T0 + timedelta(hours=700)))
    assert (recent.kind, recent.group_id, evicted.kind) == ("near", "d690", None)


# ---------------------------------------------------------------- signatures and rebuild


def _stream() -> list[DedupDoc]:
    docs = [doc(i, T0 + timedelta(minutes=5 * n)) for n, i in enumerate(ORIGINALS)]
    docs += [doc(c, T0 + timedelta(hours=2, minutes=n)) for n, c in enumerate(COPIES)]
    docs.append(doc("vi-flood-song-copy", T0 - timedelta(hours=1), new_id="earliest"))
    return docs


def test_rebuild_from_signatures_gives_the_same_results() -> None:
    docs = _stream()
    live = DuplicateIndex()
    results = [live.add(d) for d in docs[:-3]]
    stored = [
        StoredEntry(r.id, d.published, r.signature, r.exact_hash, outlet=d.outlet)
        for r, d in zip(results, docs[:-3], strict=True)
    ]
    rebuilt = DuplicateIndex.rebuild(stored)
    for d in docs[-3:]:
        assert rebuilt.add(d) == live.add(d)
    assert rebuilt.stale_ids == []


def test_rebuild_from_plain_tuples() -> None:
    first, copy = doc("en-port-courier"), doc("en-port-courier-wire", T0 + timedelta(hours=1))
    sig = signature(first)
    rebuilt = DuplicateIndex.rebuild([(first.id, first.published, sig.data, sig.exact_hash)])
    result = rebuilt.add(copy)
    assert (result.kind, result.group_id, result.cross_outlet) == ("near", "en-port-courier", None)


def test_rebuild_with_groups_restores_them_without_matching() -> None:
    docs = _stream()
    live = DuplicateIndex()
    results = [live.add(d) for d in docs]
    stored = [
        StoredEntry(r.id, d.published, r.signature, r.exact_hash, r.group_id, d.outlet)
        for r, d in zip(results, docs, strict=True)
    ]
    rebuilt = DuplicateIndex.rebuild(stored)
    assert {r.id: rebuilt.group_of(r.id) for r in results} == {r.id: r.group_id for r in results}
    assert rebuilt.canonical_of("vi-flood-song") == "earliest"
    fresh = _variant("recaptioned", "vi-flood-song", 1)
    assert rebuilt.add(fresh) == live.add(fresh)


def test_signatures_from_other_parameters_or_damaged_are_stale() -> None:
    old = signature(doc("vi-coffee-price"), DedupConfig(shingle_words=4))
    good = signature(doc("vi-school-year"))
    rebuilt = DuplicateIndex.rebuild(
        [
            ("vi-coffee-price", T0, old.data, old.exact_hash),
            ("damaged", T0, good.data[:-3], good.exact_hash),
            ("vi-school-year", T0, good.data, good.exact_hash),
        ]
    )
    assert rebuilt.stale_ids == ["vi-coffee-price", "damaged"] and len(rebuilt) == 1
    with pytest.raises(ValueError, match="vi-coffee-price: signature made with other parameters"):
        rebuilt.add_signature("vi-coffee-price", T0, old.data, old.exact_hash)
    with pytest.raises(ValueError, match="other parameters"):
        containment(old.data, good.data)


def test_signature_is_deterministic_and_compact() -> None:
    first, second = signature(doc("vi-school-year")), signature(doc("vi-school-year"))
    assert first == second
    assert abs(first.words - len(record("vi-school-year")["text"].split())) <= 3  # "28/8" is two words
    assert 500 < len(first.data) < 1500


def test_containment_of_two_signatures() -> None:
    full = signature(doc("en-startup-fund")).data
    short = signature(doc("en-startup-fund-short")).data
    other = signature(doc("en-climate-times")).data
    assert containment(full, short) == 1.0 and containment(full, other) < 0.1
    assert containment(full, signature(DedupDoc("s", "t", "too short")).data) == 0.0


WORDS = st.sampled_from(
    [
        "Hà",
        "Nội",
        "hòa",
        "hoà",
        "thủy",
        "khỏe",
        "người",
        "dân",
        "2024",
        "57-KL/TW",
        "port",
        "Đà",
        "Nẵng",
        "ngày",
    ]
)
SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\r\n", " \n\n ", "\u2003", "\u200b "])


@settings(max_examples=60, deadline=None)
@given(words=st.lists(WORDS, min_size=30, max_size=80), data=st.data())
def test_signature_ignores_whitespace(words: list[str], data: st.DataObject) -> None:
    spaced = "".join(w + data.draw(SPACES) for w in words)
    plain = signature(DedupDoc("a", "Tiêu đề", " ".join(words)))
    other = signature(DedupDoc("b", " Tiêu  đề\n", spaced))
    assert (other.data, other.exact_hash) == (plain.data, plain.exact_hash)


def test_config_rejects_bands_that_do_not_divide_the_bins() -> None:
    with pytest.raises(ValidationError):
        DedupConfig(bins=100, band_rows=3)
    with pytest.raises(ValidationError):
        DedupConfig(colour="blue")  # type: ignore[call-arg]


# ---------------------------------------------------------------- reused passages

SHARED = (
    "Theo Ban Chỉ huy phòng chống thiên tai tỉnh Quảng Bình, lượng mưa đo được tại trạm Đồng Tâm "
    "lên tới 420 mm chỉ trong 24 giờ, cao nhất từ đầu mùa."
)


def test_reused_passages_find_the_shared_paragraph_not_the_different_one() -> None:
    a = f"Người dân vùng trũng được sơ tán trong đêm bằng ca nô của bộ đội biên phòng.\n{SHARED}"
    b = f"{SHARED.upper()}\nTỉnh đã xuất kho hai mươi tấn gạo cứu trợ cho các xã bị cô lập hoàn toàn."
    passages = reused_passages(a, b)
    assert len(passages) == 1
    p = passages[0]
    assert p.text == a[p.a_start : p.a_end] and p.text.startswith("Theo Ban") and p.text.endswith("đầu mùa")
    assert fold(b[p.b_start : p.b_end]) == fold(p.text) and p.b_start == 0
    assert p.words == len(SHARED.split())


def test_reused_passages_need_min_words() -> None:
    a = "một hai ba bốn năm sáu bảy tám chín mười"
    b = "xin chào một hai ba bốn năm sáu bảy xin cảm ơn"
    assert reused_passages(a, b) == []
    assert [p.words for p in reused_passages(a, b, min_words=7)] == [7]


def test_reused_passages_of_a_rewrite_cover_the_unchanged_runs() -> None:
    r = record("vi-flood-song")
    copy = record("vi-flood-song-copy")
    passages = reused_passages(copy["text"], r["text"], min_words=5)
    covered = sum(p.words for p in passages) / len(copy["text"].split())
    assert 0.4 < covered < 0.95
    assert all(fold(r["text"][p.b_start : p.b_end]) == fold(p.text) for p in passages)


def test_reused_passages_are_fast_for_thousand_word_articles() -> None:
    rng = random.Random(3)
    text = "\n".join(record(i)["text"] for i in ORIGINALS)
    words = text.split()
    a = " ".join(words[:1000])
    b = rewrite(" ".join(words[200:1200]), "vi", rng)
    timings = []
    for _ in range(5):
        started = time.process_time()
        passages = reused_passages(a, b)
        timings.append(time.process_time() - started)
    assert passages and min(timings) < 0.02
