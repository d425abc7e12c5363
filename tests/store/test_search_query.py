"""Query parsing and its compilation for FTS5 and PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.store.search import parse_query, search_text, to_fts5, to_tsquery


@pytest.mark.parametrize(
    ("typed", "fts5", "tsquery"),
    [
        ("nhân quyền", '("nhan" AND "quyen")', "(nhan & quyen)"),
        ('"thông tin đối ngoại"', '("thong tin doi ngoai")', "((thong <-> tin <-> doi <-> ngoai))"),
        ("hoi nghi -asiad", '(("hoi" AND "nghi") NOT "asiad")', "(hoi & nghi & !asiad)"),
        ("asean OR apec", '("asean") OR ("apec")', "(asean) | (apec)"),
        ("chuyển*", '("chuyen"*)', "(chuyen:*)"),
        ("57-KL/TW", '("57 kl tw")', "((57 <-> kl <-> tw))"),
        ('Đà Nẵng -"bóng đá"', '(("da" AND "nang") NOT "bong da")', "(da & nang & !(bong <-> da))"),
    ],
)
def test_compiles_the_same_meaning_for_both_backends(typed: str, fts5: str, tsquery: str) -> None:
    query = parse_query(typed)
    assert to_fts5(query) == fts5
    assert to_tsquery(query) == tsquery


@pytest.mark.parametrize("typed", ["", "   ", '""', "-only", "!!! ???", "OR", "-"])
def test_queries_without_positive_words_are_empty(typed: str) -> None:
    assert parse_query(typed).empty


def test_search_text_folds_accents_and_punctuation() -> None:
    assert search_text("Kết luận số 57-KL/TƯ, ngày 15/6/2023") == "ket luan so 57 kl tu ngay 15 6 2023"
    assert search_text("Thuỷ  và   THỦY") == "thuy va thuy"


@given(st.text(max_size=80))
def test_any_typed_text_compiles_to_safe_expressions(typed: str) -> None:
    query = parse_query(typed)
    for clause in query.clauses:
        for term in clause.include + clause.exclude:
            for token in term.tokens:
                assert token.isalnum() or all(ch.isalnum() for ch in token)
    if not query.empty:
        assert '"' not in to_tsquery(query)
        assert to_fts5(query).count('"') % 2 == 0
