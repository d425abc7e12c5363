"""Facet counts, the new filters, CSV rows and the article's country, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from newsdesk.model import Article, FetchSection, LangSection, RawItem, TextSection
from newsdesk.store.facets import Bucket, Facets, article_country, count_facets, country_of_url, histogram
from newsdesk.store.repo import BatchEntry, Store
from newsdesk.store.search import SearchFilters, parse_when

# 08:00 UTC is 15:00 in Vietnam; +10 h is 01:00 on the 2nd in Vietnam but still the 1st in UTC.
T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
KL57 = {
    "id": "KL-57-TW-XIII", "base_id": "KL-57-TW", "type": "KL", "type_name_vi": "Kết luận",
    "type_name_en": "Conclusion", "number": "57", "issuer": "TW", "code": "57-KL/TW", "year": 2023,
    "date": None, "term": "XIII", "title": None, "surface": "Kết luận 57-KL/TW", "mentions": 1,
    "spans": [[0, 4]],
}  # fmt: skip
KL57_BARE = KL57 | {"id": "KL-57-TW", "term": None, "year": None}
LAW = KL57 | {
    "id": "LUAT-BAO-CHI-2016", "base_id": "LUAT-BAO-CHI-2016", "type": "LUAT", "type_name_vi": "Luật",
    "title": "Báo chí", "year": 2016, "code": None, "number": None,
}  # fmt: skip


def _entity(kind: str, canonical: str, name: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "canonical": canonical,
        "name": name,
        "mentions": 1,
        "spans": [[0, 3]],
        "positions": [],
    }


HANOI = _entity("place", "pre2025/01", "Hà Nội")
VN = _entity("place", "VN", "Việt Nam")
MOFA = _entity("organisation", "bo-ngoai-giao", "Bộ Ngoại giao")

# title, body, language, outlet, hours after T0, url, themes, entities, documents
DOCS: list[tuple[Any, ...]] = [
    (
        *("Thông tin đối ngoại về nhân quyền", "Hội nghị tại Hà Nội về nhân quyền.", "vi", "Báo A", 0),
        *(
            "https://baoa.example.vn/1",
            ["foreign_affairs", "foreign_affairs.human_rights"],
            [HANOI, VN],
            [KL57],
        ),
    ),
    (
        *("Quán triệt Kết luận 57", "Việt Nam quán triệt Kết luận 57-KL/TW về thông tin đối ngoại.", "vi"),
        *("Báo B", 10, "https://baob.example.vn/2", ["foreign_affairs"], [VN], [KL57_BARE]),
    ),
    (
        *(
            "Vietnam human rights dialogue",
            "Officials met in Hanoi on human rights (nhân quyền).",
            "en",
            "Wire",
        ),
        *(24, "https://wire.example.co.uk/3", ["foreign_affairs.human_rights"], [HANOI, MOFA], []),
    ),
    (
        *("Luật Báo chí sửa đổi", "Dự thảo sửa đổi Luật Báo chí 2016 được công bố ở Hà Nội.", "vi", "Báo A"),
        *(48, "https://example.com/4", ["press"], [HANOI], [LAW]),
    ),
    (
        *("La presse vietnamienne", "Un article sur la presse au Vietnam et les droits humains.", "fr"),
        *("Le Journal", 72, "https://journal.example.fr/5", [], [VN], []),
    ),
]


def _article(i: int, doc: tuple[Any, ...], source_id: int | None = None) -> tuple[RawItem, Article]:
    title, body, lang, outlet, hours, url, themes, entities, documents = doc
    raw = RawItem(origin=f"doc{i}.txt", kind="text", body=f"{title}\n{body}".encode(), url=url)
    sections = {
        "themes": [{"id": t, "score": 0.9 - 0.1 * n} for n, t in enumerate(themes)],
        "entities": entities,
        "documents": documents,
    }
    article = Article(
        key=f"url:{url}",
        fetch=FetchSection(origin=raw.origin, kind="text", url=url, source_id=source_id),
        text=TextSection(title=title, body=body, outlet=outlet, published=T0 + timedelta(hours=hours)),
        lang=LangSection(lang, 0.99),
        sections=sections,
    )
    return raw, article


@pytest.fixture
def filled(any_store: Store) -> Store:
    assert any_store.write_batch([BatchEntry(*_article(i, d)) for i, d in enumerate(DOCS)]).ingested == len(
        DOCS
    )
    with any_store.engine.begin() as conn:
        conn.execute(
            text("UPDATE articles SET story_id = 7 WHERE title LIKE '%nhân quyền%' OR outlet = 'Báo B'")
        )
    return any_store


def counts(items: list[Any]) -> dict[str, int]:
    return {c.value: c.count for c in items}


def ids(store: Store, query: str = "", **filters: Any) -> set[str]:
    return {h.title for h in store.search(query, SearchFilters(**filters), page_size=100).hits}


# --- country ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://nhandan.vn/chinh-tri/1.html", "VN"),
        ("HTTPS://VNEXPRESS.NET.VN/", "VN"),
        ("https://www.bbc.co.uk/news", "GB"),
        ("https://www.lemonde.fr/", "FR"),
        ("https://www3.nhk.or.jp/", "JP"),
        ("https://bao.example.vn:8080/a?b=c", "VN"),
        ("https://vientianetimes.org.la/", "LA"),
        ("https://www.eltiempo.com.co/", "CO"),
        ("https://startup.io/", None),
        ("https://news.tv/", None),
        ("https://example.com/", None),
        ("https://europa.eu/", None),
        ("http://127.0.0.1:8000/", None),
        ("not a url", None),
        ("", None),
        (None, None),
    ],
)
def test_country_of_url(url: str | None, country: str | None) -> None:
    assert country_of_url(url) == country


def test_a_registered_source_country_wins() -> None:
    assert article_country("vn", "https://www.bbc.co.uk/") == "VN"
    assert article_country(None, "https://www.bbc.co.uk/") == "GB"
    assert article_country("Vietnam", "https://www.bbc.co.uk/") == "GB"  # not a code: the URL decides


def test_ingest_sets_the_country(any_store: Store) -> None:
    source = any_store.add_source(name="vov", kind="feed", url="https://vov.example/rss", country="VN")
    raw, article = _article(9, DOCS[4], source_id=source["id"])  # a .fr URL from a Vietnamese source
    any_store.write_batch([BatchEntry(raw, article), BatchEntry(*_article(8, DOCS[2]))])
    found = {h.title: h.country for h in any_store.search("", page_size=10).hits}
    assert found == {DOCS[4][0]: "VN", DOCS[2][0]: "GB"}


def _migration() -> Any:
    path = Path(__file__).parents[2] / "newsdesk/store/migrations/versions/0004_article_country.py"
    spec = importlib.util.spec_from_file_location("migration_0004", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_backfills_existing_rows(filled: Store) -> None:
    with filled.engine.begin() as conn:
        conn.execute(text("UPDATE articles SET country = NULL"))
        _migration()._backfill(conn)
    assert counts(filled.facets("").country) == {"VN": 2, "GB": 1, "FR": 1}


# --- filters ---------------------------------------------------------------------------------------


def test_new_filters(filled: Store) -> None:
    with filled.engine.connect() as conn:
        hanoi = conn.execute(text("SELECT id FROM entities WHERE canonical = 'pre2025/01'")).scalar_one()
    assert ids(filled, country="VN") == {DOCS[0][0], DOCS[1][0]}
    assert ids(filled, "nhan quyen", country="GB") == {DOCS[2][0]}
    assert ids(filled, entity=hanoi) == {DOCS[0][0], DOCS[2][0], DOCS[3][0]}
    assert ids(filled, "luat", entity=hanoi) == {DOCS[3][0]}
    assert ids(filled, theme="foreign_affairs") == {DOCS[0][0], DOCS[1][0], DOCS[2][0]}  # + subthemes
    assert ids(filled, theme="foreign_affairs.human_rights") == {DOCS[0][0], DOCS[2][0]}
    assert ids(filled, theme="foreign%") == ids(filled, theme="foreign_") == set()  # no LIKE wildcards
    assert ids(filled, document="KL-57-TW-XIII") == {DOCS[0][0], DOCS[1][0]}  # and the bare citation
    assert ids(filled, document="LUAT-BAO-CHI-2016") == {DOCS[3][0]}
    assert ids(filled, document="NOPE") == set()
    assert ids(filled, story=7) == {DOCS[0][0], DOCS[1][0]}


def test_a_date_means_a_day_in_vietnam(filled: Store) -> None:
    first_day = {"date_from": parse_when("2026-10-01"), "date_to": parse_when("2026-10-01", end=True)}
    assert ids(filled, **first_day) == {DOCS[0][0]}  # doc 1 is 01:00 on the 2nd in Vietnam
    second = {"date_from": parse_when("2026-10-02"), "date_to": parse_when("2026-10-02", end=True)}
    assert ids(filled, **second) == {DOCS[1][0], DOCS[2][0]}
    assert ids(filled, date_to=parse_when("2026-10-02", end=True)) == {DOCS[0][0], DOCS[1][0], DOCS[2][0]}


# --- facets ----------------------------------------------------------------------------------------


def test_facets_of_everything(filled: Store) -> None:
    facets = filled.facets("")
    assert facets.total == len(DOCS)
    assert counts(facets.language) == {"vi": 3, "en": 1, "fr": 1}
    assert counts(facets.outlet) == {"Báo A": 2, "Báo B": 1, "Wire": 1, "Le Journal": 1}
    assert facets.outlet[0].value == "Báo A"
    assert counts(facets.theme) == {"foreign_affairs": 2, "foreign_affairs.human_rights": 2, "press": 1}
    assert [(c.label, c.kind, c.count) for c in facets.entity] == [
        ("Hà Nội", "place", 3), ("Việt Nam", "place", 3), ("Bộ Ngoại giao", "organisation", 1),
    ]  # fmt: skip
    assert {c.value: c.label for c in facets.document} == {
        "KL-57-TW-XIII": "Kết luận 57-KL/TW",
        "KL-57-TW": "Kết luận 57-KL/TW",
        "LUAT-BAO-CHI-2016": "Luật Báo chí 2016",
    }
    assert facets.days == [
        (date(2026, 10, 1), 1),
        (date(2026, 10, 2), 2),
        (date(2026, 10, 3), 1),
        (date(2026, 10, 4), 1),
    ]


def test_facets_of_a_search_count_only_its_matches(filled: Store) -> None:
    facets = filled.facets("nhan quyen")
    assert facets.total == filled.search("nhan quyen").total == 2
    assert counts(facets.language) == {"vi": 1, "en": 1}
    assert counts(facets.country) == {"VN": 1, "GB": 1}
    assert {c.label: c.count for c in facets.entity} == {"Hà Nội": 2, "Việt Nam": 1, "Bộ Ngoại giao": 1}
    assert [d for d, _ in facets.days] == [date(2026, 10, 1), date(2026, 10, 2)]
    narrowed = filled.facets("nhan quyen", SearchFilters(language="en"))
    assert narrowed.total == 1 and counts(narrowed.outlet) == {"Wire": 1}
    assert filled.facets("khong co tu nay").total == 0


def _entity_ids(store: Store, canonical: str) -> list[int]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(text("SELECT id FROM entities WHERE canonical = :c"), {"c": canonical}).scalars()
        )


def test_top_n_and_names_of_filters(filled: Store) -> None:
    (mofa,) = _entity_ids(filled, "bo-ngoai-giao")
    facets = filled.facets("", SearchFilters(language="vi", entity=mofa), top=1)
    assert facets.total == 0 and facets.names[f"entity:{mofa}"] == "Bộ Ngoại giao"
    top = filled.facets("", top=1)
    assert len(top.entity) == len(top.document) == len(top.outlet) == 1


def test_the_index_only_path_agrees_with_the_match_set(filled: Store) -> None:
    with filled.engine.connect() as conn:
        everything = count_facets(conn, None, {})
        matched = count_facets(conn, "1=1", {})
    for name in ("total", "language", "outlet", "country", "theme", "entity", "document", "days"):
        assert getattr(everything, name) == getattr(matched, name), name


def test_facets_as_json(filled: Store) -> None:
    data = filled.facets("").as_dict()
    assert data["total"] == 5 and data["language"][0] == {"value": "vi", "count": 3, "label": "", "kind": ""}
    assert data["dates"][0] == {"start": "2026-10-01", "end": "2026-10-01", "count": 1, "unit": "day"}


def test_backends_agree_on_facets(store: Store, pg_store: Store) -> None:
    for target in (store, pg_store):
        target.write_batch([BatchEntry(*_article(i, d)) for i, d in enumerate(DOCS)])
    for query in ("", "nhan quyen", "ha noi", "luat OR presse", "viet*"):
        a, b = store.facets(query), pg_store.facets(query)
        for name in ("total", "language", "outlet", "country", "theme", "document", "days"):
            assert getattr(a, name) == getattr(b, name), (query, name)
        assert [(c.label, c.count) for c in a.entity] == [(c.label, c.count) for c in b.entity], query


# --- export ----------------------------------------------------------------------------------------


def test_export_streams_every_match_newest_first(filled: Store) -> None:
    chunks = list(filled.export("", chunk=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    rows = [r for c in chunks for r in c]
    assert [r["title"] for r in rows] == [d[0] for d in reversed(DOCS)]
    first = rows[-1]
    assert first["url"] == DOCS[0][5] and first["country"] == "VN" and first["story_id"] == 7
    assert first["themes"] == ["foreign_affairs", "foreign_affairs.human_rights"]
    assert first["published_at"] == "2026-10-01T08:00:00+00:00"
    assert [r["title"] for c in filled.export("nhan quyen", SearchFilters(country="GB")) for r in c] == [
        DOCS[2][0]
    ]
    assert list(filled.export("khong co tu nay")) == []


# --- the histogram ---------------------------------------------------------------------------------


def test_histogram_fills_days_and_rolls_up_long_spans() -> None:
    days = [(date(2026, 10, 1), 2), (date(2026, 10, 3), 1)]
    assert histogram(days) == [
        Bucket(date(2026, 10, 1), date(2026, 10, 1), 2, "day"),
        Bucket(date(2026, 10, 2), date(2026, 10, 2), 0, "day"),
        Bucket(date(2026, 10, 3), date(2026, 10, 3), 1, "day"),
    ]
    months = histogram([(date(2026, 1, 31), 1), (date(2026, 2, 1), 2), (date(2026, 5, 20), 3)])
    assert [(b.start, b.end, b.count) for b in months] == [
        (date(2026, 1, 1), date(2026, 1, 31), 1),
        (date(2026, 2, 1), date(2026, 2, 28), 2),
        (date(2026, 3, 1), date(2026, 3, 31), 0),
        (date(2026, 4, 1), date(2026, 4, 30), 0),
        (date(2026, 5, 1), date(2026, 5, 31), 3),
    ]
    years = histogram([(date(2010, 6, 1), 1), (date(2026, 1, 1), 1)])
    assert len(years) == 17 and years[0] == Bucket(date(2010, 1, 1), date(2010, 12, 31), 1, "year")
    assert histogram([]) == [] and Facets().days == []
