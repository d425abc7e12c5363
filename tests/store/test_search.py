"""Search behaves the same on SQLite and PostgreSQL: accent-insensitive, phrases, filters, paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.model import Article, FetchSection, LangSection, RawItem, TextSection
from newsdesk.store.repo import BatchEntry, Store
from newsdesk.store.search import SearchFilters

DAY = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)

DOCS = [
    (
        "Đẩy mạnh thông tin đối ngoại về nhân quyền",
        "Hội nghị tập huấn công tác thông tin đối ngoại và nhân quyền năm 2024 tại Hòa Bình.",
        "vi",
        "Báo A",
        0,
    ),
    (
        "Bảo đảm quyền con người ở Việt Nam",
        "Thành tựu bảo đảm nhân quyền được ghi nhận; Kết luận số 57-KL/TW được quán triệt.",
        "vi",
        "Báo B",
        1,
    ),
    (
        "Xuất khẩu gạo đạt kỷ lục",
        "Kim ngạch xuất khẩu gạo tăng mạnh nhờ nhu cầu từ Philippines.",
        "vi",
        "Báo A",
        2,
    ),
    (
        "Vietnam human rights dialogue held",
        "Officials discussed human rights and the nhân quyền report in Hanoi.",
        "en",
        "Wire",
        3,
    ),
    (
        "Lũ lụt ở miền Trung",
        "Mưa lớn gây lũ ở Quảng Ngãi và Thừa Thiên Huế; không liên quan tới thông tin đối ngoại.",
        "vi",
        "Báo B",
        4,
    ),
    (
        "Du lịch Khánh Hòa phục hồi",
        "Khách quốc tế đến Khánh Hoà tăng; thuỷ sản và du lịch biển phát triển.",
        "vi",
        "Báo C",
        5,
    ),
]


def _article(i: int, title: str, body: str, lang: str, outlet: str, day: int) -> tuple[RawItem, Article]:
    raw = RawItem(origin=f"doc{i}.txt", kind="text", body=f"{title}\n{body}".encode())
    art = Article(
        key=f"sha256:{raw.sha256}",
        fetch=FetchSection(origin=raw.origin, kind="text"),
        text=TextSection(title=title, body=body, outlet=outlet, published=DAY + timedelta(days=day)),
        lang=LangSection(lang, 0.99),
    )
    return raw, art


@pytest.fixture
def filled(any_store: Store) -> Store:
    entries = [BatchEntry(*_article(i, *doc)) for i, doc in enumerate(DOCS)]
    result = any_store.write_batch(entries)
    assert result.ingested == len(DOCS)
    return any_store


def titles(store: Store, query: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    filters = kw.pop("filters", None)
    return [h.title for h in store.search(query, filters, **kw).hits]


def test_accent_insensitive(filled: Store) -> None:
    assert set(titles(filled, "nhan quyen")) == {
        DOCS[0][0],
        DOCS[1][0],
        DOCS[3][0],
    }
    assert titles(filled, "nhan quyen") == titles(filled, "nhân quyền")


def test_tone_mark_placement_does_not_matter(filled: Store) -> None:
    assert titles(filled, "Khánh Hoà") == titles(filled, "khanh hoa") == [DOCS[5][0]]
    assert titles(filled, "thủy sản") == [DOCS[5][0]]


def test_phrase_and_exclusion(filled: Store) -> None:
    assert set(titles(filled, '"thong tin doi ngoai"')) == {DOCS[0][0], DOCS[4][0]}
    assert titles(filled, '"thong tin doi ngoai" -lu') == [DOCS[0][0]]
    assert titles(filled, '"57-KL/TW"') == [DOCS[1][0]]


def test_or_and_prefix(filled: Store) -> None:
    assert set(titles(filled, "gao OR lut")) == {DOCS[2][0], DOCS[4][0]}
    assert DOCS[0][0] in titles(filled, "đối ngo*")


def test_filters(filled: Store) -> None:
    assert titles(filled, "nhan quyen", filters=SearchFilters(language="en")) == [DOCS[3][0]]
    assert set(titles(filled, "", filters=SearchFilters(outlet="Báo A"))) == {DOCS[0][0], DOCS[2][0]}
    window = SearchFilters(date_from=DAY + timedelta(days=1), date_to=DAY + timedelta(days=3, hours=1))
    assert set(titles(filled, "", filters=window)) == {DOCS[1][0], DOCS[2][0], DOCS[3][0]}


def test_order_by_date_and_paging(filled: Store) -> None:
    newest_first = titles(filled, "", order="date", page_size=100)
    assert newest_first == [d[0] for d in reversed(DOCS)]
    page1 = filled.search("", order="date", page=1, page_size=4)
    page2 = filled.search("", order="date", page=2, page_size=4)
    assert page1.total == page2.total == len(DOCS)
    assert [h.title for h in page1.hits + page2.hits] == newest_first


def test_relevance_prefers_title_matches(filled: Store) -> None:
    ranked = titles(filled, "nhan quyen")
    assert ranked[0] == DOCS[0][0]  # both words in its title
    assert ranked[-1] == DOCS[3][0]  # neither word in its title


def test_snippet_shows_the_matched_words(filled: Store) -> None:
    hit = filled.search("kim ngach").hits[0]
    assert "Kim ngạch" in hit.snippet


def test_no_match_and_empty(filled: Store) -> None:
    assert filled.search("khong co tu nay").total == 0
    assert filled.search("").total == len(DOCS)


def test_backends_agree(store: Store, pg_store: Store) -> None:
    """The same queries give the same result sets on SQLite and PostgreSQL."""
    for target in (store, pg_store):
        target.write_batch([BatchEntry(*_article(i, *doc)) for i, doc in enumerate(DOCS)])
    queries = [
        "nhan quyen",
        '"thong tin doi ngoai"',
        "hoa -khanh",
        "du lich OR gao",
        "viet*",
        "57 kl tw",
        "hue",
    ]
    for q in queries:
        assert set(titles(store, q)) == set(titles(pg_store, q)), q
        assert store.search(q).total == pg_store.search(q).total
