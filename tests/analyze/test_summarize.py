"""Extractive summaries of an article and of a story, and their evaluation on vims-dev."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.analyze.sentences import split_sentences
from newsdesk.analyze.summarize import (
    METHODS,
    Summary,
    SummaryDoc,
    dominant_language,
    summarize_article,
    summarize_story,
)
from newsdesk.errors import MalformedInput, UnreadableInput
from newsdesk.evaluate.summaries import evaluate_summaries
from tests.conftest import require_corpus

CORE_FACT_A = "Trận lũ cuốn trôi 12 ngôi nhà và làm 3 người mất tích ở thôn Nậm Khánh."
CORE_FACT_C = "Trận lũ đã cuốn trôi 12 ngôi nhà và làm 3 người mất tích ở thôn Nậm Khánh!"
ENGLISH_QUOTE = (
    '"We are doing everything we can to find the missing people," a rescue official told reporters.'
)

FLOOD_A = SummaryDoc(
    id="a",
    title="Lũ quét ở Bắc Hà, 3 người mất tích",
    text="\n".join(
        [
            "Rạng sáng 10/9, lũ quét bất ngờ tràn qua thôn Nậm Khánh, huyện Bắc Hà, tỉnh Lào Cai.",
            CORE_FACT_A,
            "Chính quyền địa phương đã huy động 200 cán bộ, chiến sĩ tham gia tìm kiếm người mất tích.",
            "Người dân trong thôn được sơ tán đến trường tiểu học gần đó.",
        ]
    ),
    published=datetime(2024, 9, 10, 8, tzinfo=UTC),
    language="vi",
)
FLOOD_B = SummaryDoc(
    id="b",
    title="Lào Cai: lũ quét cuốn trôi 12 ngôi nhà ở Bắc Hà",
    text=(
        "Lũ quét xảy ra vào rạng sáng 10/9 tại thôn Nậm Khánh, huyện Bắc Hà sau nhiều giờ mưa lớn. "
        "Chủ tịch UBND tỉnh Lào Cai đã đến hiện trường chỉ đạo công tác tìm kiếm người mất tích.\n"
        f"{ENGLISH_QUOTE}\n"
        "Lực lượng cứu hộ đang tìm kiếm 3 người mất tích dọc bờ suối ở huyện Bắc Hà."
    ),
    published=datetime(2024, 9, 10, 10, tzinfo=UTC),
    language="vi",
)
FLOOD_C = SummaryDoc(
    id="c",
    title="Tìm kiếm 3 người mất tích sau lũ quét ở Lào Cai",
    text="\n".join(
        [
            CORE_FACT_C,
            "Mưa lớn kéo dài từ chiều 9/9 khiến nước suối dâng cao rất nhanh.",
            "Tỉnh Lào Cai hỗ trợ mỗi hộ có nhà bị cuốn trôi 50 triệu đồng.",
        ]
    ),
    published=datetime(2024, 9, 11, 7, tzinfo=UTC),
    language="vi",
)
FLOOD_EN = SummaryDoc(
    id="en",
    title="Flash flood in Lao Cai leaves three missing",
    text=(
        "A flash flood swept through Nam Khanh village in Bac Ha district early on September 10. "
        "The flood washed away 12 houses and left three people missing. "
        "Rescuers are searching along the stream for the three missing people."
    ),
    published=datetime(2024, 9, 10, 12, tzinfo=UTC),
    language="en",
)
STORY = [FLOOD_C, FLOOD_B, FLOOD_A, FLOOD_EN]


DOCS = {doc.id: doc for doc in STORY}


def _assert_provenance(summary: Summary, docs: dict[str, SummaryDoc]) -> None:
    for sentence in summary.sentences:
        text = docs[sentence.doc_id].text
        assert split_sentences(text)[sentence.index] == sentence.text
        assert text[sentence.start : sentence.end] == sentence.text
    assert summary.text == " ".join(sentence.text for sentence in summary.sentences)


# --- story -------------------------------------------------------------------------------------------


def test_story_summary_states_a_repeated_fact_once() -> None:
    summary = summarize_story(STORY, language="vi", max_words=60)
    texts = [sentence.text for sentence in summary.sentences]
    assert (CORE_FACT_A in texts) != (CORE_FACT_C in texts)
    assert summary.words <= 60


def test_story_summary_keeps_only_the_story_language() -> None:
    summary = summarize_story(STORY, language="vi", max_words=200)
    assert summary.language == "vi"
    assert "en" not in {sentence.doc_id for sentence in summary.sentences}
    assert ENGLISH_QUOTE not in summary.text
    assert len(summary.sentences) >= 5


def test_story_language_defaults_to_the_dominant_one() -> None:
    english_b = SummaryDoc("en2", "Search goes on", "Rescuers searched the stream for three missing people.")
    docs = [FLOOD_EN, english_b, FLOOD_C]
    assert dominant_language(docs) == "en"
    summary = summarize_story(docs, max_words=200)
    assert summary.language == "en"
    assert {sentence.doc_id for sentence in summary.sentences} <= {"en", "en2"}


def test_dominant_language_guesses_missing_languages() -> None:
    unlabelled = [SummaryDoc(doc.id, doc.title, doc.text) for doc in (FLOOD_A, FLOOD_B, FLOOD_EN)]
    assert dominant_language(unlabelled) == "vi"
    assert dominant_language([]) is None


@pytest.mark.parametrize("method", METHODS)
def test_story_summary_provenance_and_reading_order(method: str) -> None:
    summary = summarize_story(STORY, language="vi-VN", max_words=90, method=method)  # type: ignore[arg-type]
    _assert_provenance(summary, DOCS)
    dates = [DOCS[s.doc_id].published for s in summary.sentences]
    assert dates == sorted(dates)  # type: ignore[type-var]
    assert summary.method == method
    assert 0 < summary.words <= 90


def test_story_sentences_without_dates_are_ordered_leads_first() -> None:
    undated = [SummaryDoc(d.id, d.title, d.text, language=d.language) for d in (FLOOD_A, FLOOD_C)]
    summary = summarize_story(undated, language="vi", max_words=200)
    positions = [s.index / len(split_sentences(DOCS[s.doc_id].text)) for s in summary.sentences]
    assert positions == sorted(positions)


def test_story_summary_prefers_facts_shared_by_several_articles() -> None:
    summary = summarize_story(STORY, language="vi", max_words=20)
    assert len(summary.sentences) == 1
    assert summary.sentences[0].text in (CORE_FACT_A, CORE_FACT_C)


def test_story_summary_of_articles_sharing_nothing_is_not_empty() -> None:
    other = SummaryDoc("o", "Giá lúa tăng", "Giá lúa gạo ở đồng bằng sông Cửu Long tăng mạnh trong tuần qua.")
    summary = summarize_story([FLOOD_C, other], language="vi", max_words=200)
    assert {s.doc_id for s in summary.sentences} == {"c", "o"}


def test_story_summary_of_nothing_is_empty() -> None:
    assert summarize_story([], language="vi").text == ""
    assert summarize_story([FLOOD_EN], language="vi").sentences == ()
    assert summarize_story(STORY, language="vi", max_words=3).text == ""


def test_story_summary_rejects_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown summary method"):
        summarize_story(STORY, method="abstractive")  # type: ignore[arg-type]


POOL = [line for doc in (FLOOD_A, FLOOD_B, FLOOD_C) for line in split_sentences(doc.text)]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(POOL), min_size=1, max_size=6), min_size=1, max_size=5),
    st.integers(min_value=0, max_value=150),
)
def test_story_summary_invariants(texts: list[list[str]], budget: int) -> None:
    docs = [SummaryDoc(str(i), "", "\n".join(lines), language="vi") for i, lines in enumerate(texts)]
    summary = summarize_story(docs, language="vi", max_words=budget)
    assert summary.words <= budget
    assert len({s.text for s in summary.sentences}) == len(summary.sentences)
    _assert_provenance(summary, {doc.id: doc for doc in docs})


# --- article -----------------------------------------------------------------------------------------


def test_article_summary_respects_budget_order_and_provenance() -> None:
    summary = summarize_article(FLOOD_B.text, language="vi", max_words=40, title=FLOOD_B.title, doc_id="b")
    assert 0 < summary.words <= 40
    assert [s.index for s in summary.sentences] == sorted(s.index for s in summary.sentences)
    _assert_provenance(summary, {"b": FLOOD_B})


def test_article_summary_skips_sentences_in_another_language() -> None:
    summary = summarize_article(FLOOD_B.text, language="vi", max_words=500)
    assert ENGLISH_QUOTE not in summary.text
    assert len(summary.sentences) == 3


def test_article_summary_favours_the_lead() -> None:
    summary = summarize_article(FLOOD_A.text, language="vi", max_words=25, title=FLOOD_A.title)
    assert summary.sentences[0].index == 0


NAMES_IN_ENGLISH = "Prime Minister Nguyễn Xuân Phúc visited the flooded village of Nậm Khánh on Monday."


def test_english_article_summary_keeps_vietnamese_names_drops_vietnamese_sentences() -> None:
    text = f"{FLOOD_EN.text}\n{NAMES_IN_ENGLISH}\nNgười dân được sơ tán đến trường tiểu học gần đó trong đêm."
    summary = summarize_article(text, language="en", max_words=500)
    assert [s.index for s in summary.sentences] == [0, 1, 2, 3]
    assert summary.sentences[-1].text == NAMES_IN_ENGLISH


def test_vietnamese_story_drops_an_english_sentence_full_of_vietnamese_names() -> None:
    doc = SummaryDoc("x", FLOOD_A.title, f"{FLOOD_A.text}\n{NAMES_IN_ENGLISH}", language="vi")
    summary = summarize_story([doc, FLOOD_C], language="vi", max_words=500)
    assert len(summary.sentences) >= 5
    assert NAMES_IN_ENGLISH not in summary.text


def test_article_summary_of_empty_text() -> None:
    assert summarize_article("", language="vi") == Summary("", (), "vi", "article")


# --- evaluation --------------------------------------------------------------------------------------


def _write_jsonl_gz(path: Path, records: list[dict[str, str]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    return path


def test_evaluate_summaries_on_a_small_gold_set(tmp_path: Path) -> None:
    articles = [{"id": d.id, "cluster": "lu", "title": d.title, "text": d.text} for d in STORY[:3]]
    references = [
        {"cluster": "lu", "summary_id": "1", "text": f"{CORE_FACT_A} {FLOOD_C.text.splitlines()[2]}"},
        {"cluster": "lu", "summary_id": "2", "text": CORE_FACT_C},
        {"cluster": "khac", "summary_id": "3", "text": "Không có bài nào cho cụm này."},
    ]
    out = tmp_path / "out" / "summaries.jsonl"
    result = evaluate_summaries(
        _write_jsonl_gz(tmp_path / "a.jsonl.gz", articles),
        _write_jsonl_gz(tmp_path / "s.jsonl.gz", references),
        out,
    )
    assert result["clusters"] == 1
    assert result["rouge2"] > 0.5
    assert set(result) == {"rouge1", "rouge2", "rougeL", "clusters", "seconds"}
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["cluster"] for line in lines] == ["lu"] and lines[0]["summary"]


def test_evaluate_summaries_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match=r"missing\.jsonl"):
        evaluate_summaries(tmp_path / "missing.jsonl", tmp_path / "missing.jsonl", None)


def test_evaluate_summaries_names_a_malformed_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "cluster": "c", "text": "t"}\n{not json\n', encoding="utf-8")
    with pytest.raises(MalformedInput, match=r"bad.jsonl#L2"):
        evaluate_summaries(bad, bad, None)


@pytest.mark.corpus
def test_vims_dev_rouge2_reaches_target() -> None:
    corpus = require_corpus()
    articles, summaries = corpus / "vims-dev.articles.jsonl.gz", corpus / "vims-dev.summaries.jsonl.gz"
    if not (articles.exists() and summaries.exists()):
        pytest.skip(f"{corpus}/vims-dev.* absent")
    result = evaluate_summaries(articles, summaries, None)
    assert result["clusters"] == 150
    assert result["rouge2"] >= 0.45
