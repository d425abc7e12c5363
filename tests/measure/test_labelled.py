"""The labelled pickup set (newsdesk.measure.labelled): how it is built, how it is scored, and the scores."""

from __future__ import annotations

from collections import Counter

import pytest

from newsdesk.analyze.dedup import reused_passages, word_hashes
from newsdesk.measure.labelled import (
    MIN_QUOTE_WORDS,
    NEGATIVE_KINDS,
    POSITIVE_KINDS,
    LabelledPair,
    LabelledSet,
    build_labelled_set,
    evaluate,
    read_en_fixtures,
)
from newsdesk.measure.pickup import Candidate, Publication
from tests.conftest import FIXTURES, require_corpus

EN_FIXTURES = FIXTURES / "measure" / "en_releases.json"


# ---------------------------------------------------------------- without the corpus


def test_english_fixtures_are_complete() -> None:
    data = read_en_fixtures(EN_FIXTURES)
    assert len(data["releases"]) == 12 and len(data["reports"]) >= 6 and len(data["hosts"]) >= 10
    topics = Counter(r["topic"] for r in data["releases"])
    assert all(count >= 2 for count in topics.values())  # every release has a same-topic sibling
    assert {r["topic"] for r in data["reports"]} <= set(topics)
    for release in data["releases"]:
        assert len(release["paragraphs"]) >= 4 and all(len(p.split()) >= 25 for p in release["paragraphs"])


def test_english_set_from_fixtures_alone() -> None:
    labelled = build_labelled_set(None, None, EN_FIXTURES, seed=3)
    composition = labelled.composition()
    assert composition["variant"] == 36 and composition["same_topic"] >= 12 and composition["random"] > 100
    ev = evaluate(labelled)
    assert ev.precision == 1.0 and ev.recall == 1.0
    assert ev.kinds["variant"].kind_right == 36  # reprint, lead paragraphs and quote named right


def test_the_set_is_deterministic() -> None:
    first = build_labelled_set(None, None, EN_FIXTURES, seed=7)
    second = build_labelled_set(None, None, EN_FIXTURES, seed=7)
    assert first.pairs == second.pairs
    other = build_labelled_set(None, None, EN_FIXTURES, seed=8)
    assert [p.article.text for p in other.pairs] != [p.article.text for p in first.pairs]


def _pair(pub: str, article_id: str, title: str, text: str, kind: str) -> LabelledPair:
    return LabelledPair(pub, Candidate(article_id, title, text, "en"), kind, "test")


def test_evaluate_counts_mistakes() -> None:
    data = read_en_fixtures(EN_FIXTURES)
    release, other = data["releases"][0], data["releases"][2]
    labelled = LabelledSet(
        publications={
            release["id"]: Publication.single(release["title"], release["text"], "en", release["id"])
        },
        pairs=[
            _pair(release["id"], "copy", release["title"], release["text"], "verbatim"),
            _pair(release["id"], "mislabelled-copy", "", release["text"], "random"),  # a false positive
            _pair(release["id"], "not-a-copy", other["title"], other["text"], "partial"),  # a false negative
            _pair(release["id"], "unrelated", other["title"], other["text"], "same_topic"),
        ],
    )
    ev = evaluate(labelled)
    assert (ev.tp, ev.fp, ev.fn) == (1, 1, 1)
    assert ev.precision == 0.5 and ev.recall == 0.5
    assert (
        ev.kinds["random"].rate == 1.0
        and ev.kinds["partial"].rate == 0.0
        and ev.kinds["verbatim"].rate == 1.0
    )
    assert ev.predicted_precision == {"verbatim": 0.5}  # an empty title counts as the same
    assert {p.article.id for p, _ in ev.errors} == {"mislabelled-copy", "not-a-copy"}


# ---------------------------------------------------------------- on the corpus


@pytest.fixture(scope="module")
def corpus_set() -> LabelledSet:
    return build_labelled_set(
        require_corpus("vietnews-20k.jsonl.gz"),
        require_corpus("vims-dev.articles.jsonl.gz"),
        EN_FIXTURES,
        n_vietnews=60,
        n_vims=60,
        seed=1,
        pool_limit=4000,
    )


@pytest.mark.corpus
def test_precision_and_recall_on_a_moderate_labelled_set(corpus_set: LabelledSet) -> None:
    ev = evaluate(corpus_set)
    assert ev.precision >= 0.9 and ev.recall >= 0.9, (ev.precision, ev.recall)
    for kind in POSITIVE_KINDS:
        assert ev.kinds[kind].rate >= 0.9, (kind, ev.kinds[kind])
    for kind in NEGATIVE_KINDS:
        assert ev.kinds[kind].rate <= 0.05, (kind, ev.kinds[kind])
    assert ev.kinds["same_event"].n >= 100 and ev.kinds["random"].n >= 500
    for kind in ("verbatim", "trimmed", "reheadlined", "partial"):
        assert ev.kinds[kind].kind_right >= 0.9 * ev.kinds[kind].n, kind


@pytest.mark.corpus
def test_generated_pickups_are_what_they_claim(corpus_set: LabelledSet) -> None:
    for pair in corpus_set.pairs:
        if pair.source == "fixtures" or pair.kind not in ("verbatim", "trimmed", "reheadlined", "partial"):
            continue
        pub = corpus_set.publications[pair.publication_id].variants[0]
        words, copy_words = len(word_hashes(pub.text)), len(word_hashes(pair.article.text))
        passages = reused_passages(pub.text, pair.article.text)
        reused, longest = sum(p.words for p in passages), max((p.words for p in passages), default=0)
        same_title = word_hashes(pair.article.title).tobytes() == word_hashes(pub.title).tobytes()
        if pair.kind in ("verbatim", "reheadlined"):
            assert reused >= 0.98 * words and same_title == (pair.kind == "verbatim")
        elif pair.kind == "trimmed":
            assert reused >= 0.95 * copy_words and copy_words < words
        else:
            assert MIN_QUOTE_WORDS - 5 <= longest < 0.6 * words + 5 and copy_words > longest + 20


@pytest.mark.corpus
def test_same_event_negatives_share_only_short_passages(corpus_set: LabelledSet) -> None:
    for pair in corpus_set.pairs:
        if pair.kind == "same_event":
            pub = corpus_set.publications[pair.publication_id].variants[0]
            assert all(p.words < 20 for p in reused_passages(pub.text, pair.article.text))
    assert corpus_set.ambiguous, "vims-dev has partial reuse between outlets; it is set apart"
