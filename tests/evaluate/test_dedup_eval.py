"""The labelled duplicate set (newsdesk.evaluate.dedup): variants, labels, scores."""

from __future__ import annotations

import difflib
import random
import unicodedata
from pathlib import Path

import pytest

from newsdesk.analyze.dedup import DedupDoc, signature
from newsdesk.errors import MalformedInput, UnreadableInput
from newsdesk.evaluate.dedup import (
    VARIANT_KINDS,
    build_stream,
    evaluate_dedup,
    read_articles,
    recaption,
    reformat,
    reheadline,
    reuse_share,
    rewrite,
    truncate,
)
from newsdesk.text.fold import fold
from tests.conftest import FIXTURES, require_corpus

ARTICLES = FIXTURES / "dedup" / "articles.jsonl"
RECORDS = read_articles(ARTICLES)
ORIGINALS = [r for r in RECORDS if not r.get("copy_of")]


def _words_changed(before: str, after: str) -> float:
    a, b = before.split(), after.split()
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in opcodes if op != "equal") / len(a)


# ---------------------------------------------------------------- variants


@pytest.mark.parametrize("seed", range(5))
def test_reformat_keeps_the_folded_words(seed: int) -> None:
    r = RECORDS[0]
    title, text = reformat(r["title"], r["text"], random.Random(seed))
    assert (title, text) != (r["title"], r["text"])
    assert fold(text).split() == fold(r["text"]).split()
    assert fold(title).split() == fold(r["title"]).split()


def test_reformat_moves_tone_marks_to_the_new_style() -> None:
    for seed in range(4):
        _, text = reformat("t", "Ông Hòa khỏe, thủy lợi hòa bình", random.Random(seed))
        assert unicodedata.normalize("NFC", text).split() == [
            "Ông",
            "Hoà",
            "khoẻ,",
            "thuỷ",
            "lợi",
            "hoà",
            "bình",
        ]


@pytest.mark.parametrize("record", ORIGINALS[:6], ids=lambda r: r["id"])
def test_rewrite_changes_ten_to_twenty_percent_of_the_words(record: dict[str, str]) -> None:
    changed = _words_changed(record["text"], rewrite(record["text"], record["language"], random.Random(1)))
    assert 0.07 <= changed <= 0.3


@pytest.mark.parametrize("seed", range(5))
def test_truncate_keeps_forty_to_seventy_percent(seed: int) -> None:
    text = RECORDS[0]["text"]
    short = truncate(text, random.Random(seed))
    assert text.startswith(short)
    assert 0.38 <= len(short.split()) / len(text.split()) <= 0.72


@pytest.mark.parametrize("seed", range(5))
def test_recaption_adds_or_replaces_one_to_three_lines(seed: int) -> None:
    text = RECORDS[8]["text"]
    captioned = recaption(text, "en", random.Random(seed))
    new_lines = set(captioned.split("\n")) - set(text.split("\n"))
    assert 1 <= len(new_lines) <= 3
    assert all(any(m in line for m in ("Photo", "photo", "Video")) for line in new_lines)


@pytest.mark.parametrize("seed", range(6))
def test_reheadline_changes_the_title_and_keeps_the_body(seed: int) -> None:
    r = RECORDS[0]
    title, text = reheadline(
        r["title"], r["text"], "Một đoạn dẫn mới cho bài báo.", "vi", random.Random(seed)
    )
    assert title != r["title"]
    assert text.endswith(r["text"])


def test_reuse_share() -> None:
    a, b = RECORDS[0]["text"], RECORDS[1]["text"]
    assert reuse_share(a, a) == 1.0
    assert reuse_share(a, b) < 0.1
    assert reuse_share(a, a[: len(a) // 2]) > 0.95
    assert reuse_share("", a) == 0.0


# ---------------------------------------------------------------- reading and the stream


def test_read_articles_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match=r"missing\.jsonl"):
        read_articles(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(MalformedInput, match=r"bad\.jsonl#L2"):
        read_articles(bad)
    bad.write_text('{"id": "a", "title": "no text"}\n', encoding="utf-8")
    with pytest.raises(MalformedInput, match=r"bad\.jsonl#a: record without a text"):
        read_articles(bad)
    bad.write_text('{"id": "a", "text": "no title"}\n', encoding="utf-8")
    assert read_articles(bad) == [{"id": "a", "text": "no title", "title": ""}]


def test_fixture_stream_labels() -> None:
    stream, texts, notes = build_stream(ARTICLES, seed=3)
    kinds = [item.kind for item in stream]
    assert notes["skipped"] == ["vietnews", "vims-dev"]
    assert kinds.count("same_event") == 5 and kinds.count("random") == len(ORIGINALS) - 5
    for kind in VARIANT_KINDS:
        hand_made = sum(r.get("variant") == kind for r in RECORDS)
        assert kinds.count(kind) == len(ORIGINALS) + hand_made
    assert [i.doc.published for i in stream] == sorted(i.doc.published for i in stream if i.doc.published)
    by_id = {item.doc.id: item for item in stream}
    for item in stream:
        assert texts[item.doc.id] == item.doc.text
        if item.positive:
            assert by_id[item.gold].doc.published < item.doc.published  # type: ignore[operator]


def test_fixture_evaluation_is_perfect() -> None:
    scores = evaluate_dedup(ARTICLES, seed=0)
    assert (scores["precision"], scores["recall"]) == (1.0, 1.0)
    assert scores["fp"] == 0 and scores["tp"] == sum(v["n"] for v in scores["variants"].values())
    assert scores["variants"]["exact"]["found_as_exact"] == scores["variants"]["exact"]["n"]
    same_event = scores["negatives"]["same_event"]
    assert (same_event["n"], same_event["tn"], same_event["false_positive_rate"]) == (5, 5, 0.0)
    assert scores["articles"] == len(RECORDS) + len(ORIGINALS) * len(VARIANT_KINDS)
    assert scores["ms_per_article"] > 0


def test_missing_sources_are_skipped(tmp_path: Path) -> None:
    scores = evaluate_dedup(tmp_path / "none.jsonl", tmp_path / "vn.jsonl.gz", tmp_path / "vims.jsonl.gz")
    assert scores["skipped"] == ["fixtures", "vietnews", "vims-dev"] and scores["articles"] == 0


def test_signatures_of_generated_copies_differ_from_the_original() -> None:
    r = ORIGINALS[0]
    rng = random.Random(0)
    copy = DedupDoc("c", r["title"], rewrite(r["text"], "vi", rng))
    assert signature(copy).data != signature(DedupDoc("o", r["title"], r["text"])).data


# ---------------------------------------------------------------- the corpus


@pytest.mark.corpus
@pytest.mark.slow
def test_precision_and_recall_on_the_corpus() -> None:
    vietnews = require_corpus("vietnews-20k.jsonl.gz")
    vims = require_corpus("vims-dev.articles.jsonl.gz")
    scores = evaluate_dedup(ARTICLES, vietnews, vims, sample=400, seed=11)
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95
    for kind in (*VARIANT_KINDS, "syndicated"):
        assert scores["variants"][kind]["recall"] >= 0.9, kind
    assert scores["negatives"]["same_event"]["n"] > 400
    assert scores["negatives"]["same_event"]["false_positive_rate"] <= 0.02
    assert scores["ms_per_article"] < 5


@pytest.mark.corpus
def test_precision_and_recall_on_a_small_vietnews_sample() -> None:
    scores = evaluate_dedup(vietnews=require_corpus("vietnews-20k.jsonl.gz"), sample=120, seed=5)
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95
    assert scores["negatives"]["random"]["n"] >= 100


@pytest.mark.corpus
@pytest.mark.slow
def test_vims_pairs_are_labelled_by_reuse() -> None:
    vims = require_corpus("vims-dev.articles.jsonl.gz")
    stream, _, notes = build_stream(vims=vims)
    assert set(notes["vims_pairs"]) == {"copy", "ambiguous", "distinct"}
    assert notes["vims_pairs"]["distinct"] > 10 * notes["vims_pairs"]["copy"]
    kinds = {item.kind for item in stream}
    assert kinds == {"random", "same_event", "syndicated", "partial_reuse"}
