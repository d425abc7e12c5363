"""Pickup matching (newsdesk.measure.pickup) on hand-written fixtures, one test per kind of reuse."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.analyze.dedup import reused_passages, word_hashes
from newsdesk.measure.pickup import (
    Candidate,
    CandidateLike,
    PickupConfig,
    Publication,
    Variant,
    candidate_query,
    candidate_terms,
    compare,
    find_pickups,
    match,
)
from newsdesk.store.search import parse_query, search_text
from newsdesk.text.fold import fold
from tests.conftest import FIXTURES

VI = json.loads((FIXTURES / "measure" / "vi_publication.json").read_text(encoding="utf-8"))
EN = json.loads((FIXTURES / "measure" / "en_releases.json").read_text(encoding="utf-8"))


def _text(record: dict[str, Any]) -> str:
    return "\n".join(record["paragraphs"])


PUB = VI["publication"]
PUB_TITLE, PUB_TEXT, PARAGRAPHS = PUB["title"], _text(PUB), PUB["paragraphs"]
HOST = VI["host"]["paragraphs"]


def _passages_point_at_the_same_words(found: Any, article_text: str) -> None:
    for p in found.passages:
        assert fold(PUB_TEXT[p.a_start : p.a_end]).split() == fold(article_text[p.b_start : p.b_end]).split()


# ---------------------------------------------------------------- the kinds


def test_verbatim_copy() -> None:
    found = match(PUB_TITLE, PUB_TEXT, PUB_TITLE, PUB_TEXT)
    assert found is not None and found.kind == "verbatim" and found.same_title is True
    assert found.reused_share == 1.0 and found.article_share == 1.0
    assert len(found.passages) == 1 and found.passages[0].text == PUB_TEXT.rstrip(".")
    _passages_point_at_the_same_words(found, PUB_TEXT)


def test_retyped_copy_is_still_verbatim() -> None:
    retyped = unicodedata.normalize("NFD", PUB_TEXT.replace("hòa", "hoà").replace(" ", "  ")).replace(
        "\n", "\r\n\r\n"
    )
    found = match(PUB_TITLE, PUB_TEXT, PUB_TITLE.upper(), retyped)
    assert found is not None and found.kind == "verbatim"
    assert found.reused_share == 1.0


def test_reheadlined_copy_with_a_new_first_sentence() -> None:
    article = "Đây là nội dung thông cáo báo chí vừa được phát đi.\n" + PUB_TEXT
    found = match(PUB_TITLE, PUB_TEXT, "Nghệ nhân quan họ hội tụ bên sông Cầu", article)
    assert found is not None and found.kind == "reheadlined" and found.same_title is False
    assert found.reused_share == 1.0 and 0.9 < found.article_share < 1.0
    _passages_point_at_the_same_words(found, article)


@pytest.mark.parametrize(
    "article", ["\n".join(PARAGRAPHS[:3]), PUB_TEXT[: len(PUB_TEXT) // 2].rsplit(" ", 1)[0]]
)
def test_trimmed_copy(article: str) -> None:
    found = match(PUB_TITLE, PUB_TEXT, PUB_TITLE, article)
    assert found is not None and found.kind == "trimmed"
    assert 0.3 < found.reused_share < 0.9 and found.article_share >= 0.95


def test_partial_quote_inside_another_article() -> None:
    article = "\n".join([*HOST[:2], "Thông tin từ cơ quan chức năng cho biết:", *PARAGRAPHS[2:4], HOST[2]])
    found = match(PUB_TITLE, PUB_TEXT, VI["host"]["title"], article)
    assert found is not None and found.kind == "partial"
    assert found.article_share < 0.8 and found.evidence >= 25
    quoted = "\n".join(PARAGRAPHS[2:4])
    start = article.index(quoted)
    assert any(p.b_start >= start and p.b_end <= start + len(quoted) and p.words > 50 for p in found.passages)
    _passages_point_at_the_same_words(found, article)


def test_a_report_of_the_same_event_is_not_a_pickup() -> None:
    report = VI["same_event"]
    verdict = compare(PUB_TITLE, PUB_TEXT, report["title"], _text(report))
    assert verdict.match is None and verdict.reason == "too_little_reuse"
    shared = reused_passages(PUB_TEXT, _text(report))
    assert shared and max(p.words for p in shared) >= 10  # it does share a name with its title


def test_an_unrelated_article_shares_nothing() -> None:
    verdict = compare(PUB_TITLE, PUB_TEXT, VI["host"]["title"], "\n".join(HOST))
    assert verdict.match is None and verdict.reason == "no_shared_passage"


def test_empty_texts() -> None:
    assert compare("t", "", "t", PUB_TEXT).reason == "empty"
    assert compare("t", PUB_TEXT, "t", "  \n ").reason == "empty"


def test_a_short_publication_needs_most_of_it_reused() -> None:
    short = PARAGRAPHS[0]  # 45 words: one passage gives evidence 33 when copied whole
    config = PickupConfig(min_evidence=60)
    assert match("", short, "", f"{HOST[0]}\n{short}", config) is not None  # share rule
    half = " ".join(short.split()[:20])
    assert match("", short, "", f"{HOST[0]}\n{half}", config) is None


def test_the_thresholds_decide() -> None:
    report_text = "\n".join([HOST[0], PARAGRAPHS[4]])  # one quoted paragraph of 50 words
    assert match(PUB_TITLE, PUB_TEXT, "", report_text) is not None
    assert match(PUB_TITLE, PUB_TEXT, "", report_text, PickupConfig(min_evidence=60)) is None


# ---------------------------------------------------------------- language variants

RELEASE = next(r for r in EN["releases"] if r["id"] == "rel-exports-electronics")
RELEASE_PUB = Publication(
    RELEASE["id"],
    (
        Variant("vi", RELEASE["title_vi"], "\n".join(RELEASE["paragraphs_vi"])),
        Variant("en", RELEASE["title"], "\n".join(RELEASE["paragraphs"])),
    ),
)


def _english_article(quoted: list[str]) -> str:
    hosts = [h["text"] for h in EN["hosts"][:3]]
    return "\n".join([hosts[0], "In a statement, officials said:", *quoted, *hosts[1:]])


def test_an_english_outlet_quoting_the_english_variant() -> None:
    article = Candidate("outlet-1", "Vietnam in brief", _english_article(RELEASE["paragraphs"][1:3]), "en")
    (found,) = find_pickups(RELEASE_PUB, [article])
    assert found.article_id == "outlet-1" and found.language == "en" and found.match.kind == "partial"


def test_matching_is_monolingual() -> None:
    article = Candidate("outlet-1", "Vietnam in brief", _english_article(RELEASE["paragraphs"][1:3]), "vi")
    assert find_pickups(RELEASE_PUB, [article]) == []  # said to be Vietnamese: only the vi variant is tried
    vi_copy = Candidate("outlet-2", RELEASE["title_vi"], "\n".join(RELEASE["paragraphs_vi"]), None)
    (found,) = find_pickups(RELEASE_PUB, [vi_copy])  # language unknown: every variant is tried
    assert found.language == "vi" and found.match.kind == "verbatim"


def test_english_reports_on_the_same_topic_are_not_pickups() -> None:
    candidates = [(r["id"], r["title"], _text(r)) for r in EN["reports"]]
    candidates += [(r["id"], r["title"], _text(r)) for r in EN["releases"] if r["id"] != RELEASE["id"]]
    for release in EN["releases"]:
        publication = Publication.single(release["title"], _text(release), "en", release["id"])
        others = [c for c in candidates if c[0] != release["id"]]
        assert find_pickups(publication, others) == [], release["id"]


def test_find_pickups_sorts_by_reuse_and_accepts_plain_tuples() -> None:
    publication = Publication.single(PUB_TITLE, PUB_TEXT, "vi", PUB["id"])
    candidates: list[CandidateLike] = [
        ("partial", "", "\n".join([*HOST, *PARAGRAPHS[1:3]])),
        ("copy", PUB_TITLE, PUB_TEXT),
        ("none", "", "\n".join(HOST)),
        Candidate("lead", PUB_TITLE, "\n".join(PARAGRAPHS[:4]), "vi"),
    ]
    found = find_pickups(publication, candidates)
    assert [p.article_id for p in found] == ["copy", "lead", "partial"]
    assert [p.match.kind for p in found] == ["verbatim", "trimmed", "partial"]


# ---------------------------------------------------------------- the early rejection is safe

fragments = st.lists(
    st.sampled_from([*PARAGRAPHS, *HOST, *_text(VI["same_event"]).split("\n")]), min_size=1, max_size=8
)


@given(parts=fragments, cut=st.integers(min_value=0, max_value=60))
@settings(max_examples=80, deadline=None)
def test_the_upper_bound_never_rejects_a_pickup(parts: list[str], cut: int) -> None:
    """compare() decides as if it had computed every passage: its early rejection is only a bound."""
    article = "\n".join(parts)
    article = " ".join(article.split(" ")[cut:]) or article
    config = PickupConfig()
    passages = reused_passages(PUB_TEXT, article, config.passage_words)
    reused = sum(p.words for p in passages)
    evidence = sum(max(0, p.words - config.name_allowance) for p in passages)
    share = reused / len(word_hashes(PUB_TEXT))
    expected = evidence >= config.min_evidence or (
        share >= config.min_share and reused >= config.min_share_words
    )
    assert (match(PUB_TITLE, PUB_TEXT, "", article) is not None) == expected


# ---------------------------------------------------------------- candidate terms


def _phrases(terms: list[str]) -> list[str]:
    assert all(t.startswith('"') and t.endswith('"') for t in terms)
    return [t.strip('"') for t in terms]


def test_candidate_terms_are_phrases_of_the_indexed_text() -> None:
    terms = candidate_terms(PUB_TEXT, PUB_TITLE, language="vi")
    indexed = f" {search_text(PUB_TITLE)} {search_text(PUB_TEXT)} "
    assert 3 <= len(terms) <= 32
    for phrase in _phrases(terms):
        assert len(phrase.split()) == 5 and f" {phrase} " in indexed
    assert len(set(terms)) == len(terms)


def test_candidate_terms_parse_as_an_or_query() -> None:
    terms = candidate_terms(PUB_TEXT, PUB_TITLE, max_terms=6)
    query = parse_query(candidate_query(terms))
    assert len(query.clauses) == len(terms) <= 6
    assert all(len(c.include) == 1 and len(c.include[0].tokens) == 5 for c in query.clauses)


@pytest.mark.parametrize(
    "record", [PUB, *EN["releases"]], ids=lambda r: r["id"] if isinstance(r, dict) else str(r)
)
def test_any_two_quoted_paragraphs_are_retrieved(record: dict[str, Any]) -> None:
    language = "vi" if record is PUB else "en"
    terms = _phrases(candidate_terms(_text(record), record["title"], language=language))
    paragraphs = record["paragraphs"]
    for start in range(len(paragraphs) - 1):
        quoted = f" {search_text(' '.join(paragraphs[start : start + 2]))} "
        assert any(f" {t} " in quoted for t in terms), (record["id"], start)


@pytest.mark.parametrize("rare", ["khe", "trong", "dan"])
def test_document_frequency_steers_to_rare_phrases(rare: str) -> None:
    def frequency(token: str) -> float:
        return 0.0001 if token == rare else 0.3

    (phrase,) = _phrases(candidate_terms(PARAGRAPHS[3], max_terms=1, document_frequency=frequency))
    assert rare in phrase.split()


def test_stopwords_do_not_start_or_end_a_phrase() -> None:
    for phrase in _phrases(candidate_terms(_text(EN["releases"][0]), language="en")):
        words = phrase.split()
        assert words[0] not in {"the", "of", "and", "a", "to", "in"} and words[-1] not in {"the", "of", "and"}
