"""The data path end to end: files → raw → articles / discards / quarantine → store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsdesk.ingest.sources import iter_inputs
from newsdesk.model import RawItem
from newsdesk.pipeline import Ingestor, canonical_url, derive_batch, reprocess
from newsdesk.settings import Settings
from newsdesk.store.tables import QuarantineRow, RawRow
from tests.conftest import FIXTURES

SPINE = FIXTURES / "spine"


@pytest.fixture
def store(any_store):  # type: ignore[no-untyped-def]
    """Every pipeline test runs on SQLite and on PostgreSQL."""
    return any_store


def ingest(store, settings: Settings, *paths: Path):  # type: ignore[no-untyped-def]
    return Ingestor(store, settings).run(iter_inputs([str(p) for p in paths], settings))


def test_folder_ingest_sorts_every_input_into_a_fate(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    report = ingest(store, settings, SPINE)
    assert report.ingested == 5  # 2 vi texts, 1 en page, 2 good JSON records
    assert report.discarded == {"too_short": 1}
    assert set(report.quarantined) >= {"binary", "empty"}
    assert sum(report.quarantined.values()) == 3  # image, empty file, malformed JSON line
    origins = {p[0] for p in report.problems}
    assert any(o.endswith("batch.jsonl#L2") for o in origins), origins
    assert any(o.endswith("image.txt") for o in origins)
    stats = store.stats()
    assert stats["articles"] == 5
    assert stats["quarantined"] == 3


def test_reingest_changes_nothing(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    first = ingest(store, settings, SPINE)
    before = store.stats()
    again = ingest(store, settings, SPINE)
    assert again.ingested == 0
    assert again.duplicate == first.ingested + sum(first.discarded.values())
    after = store.stats()
    assert (after["articles"], after["raw_items"], after["quarantined"]) == (
        before["articles"],
        before["raw_items"],
        before["quarantined"],
    )


def test_same_content_under_another_name_is_one_article(store, settings: Settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy-of-article.txt"
    shutil.copy(SPINE / "vi_hoi_thao.txt", copy)
    report = ingest(store, settings, SPINE / "vi_hoi_thao.txt", copy)
    assert (report.ingested, report.duplicate) == (1, 1)


def test_same_url_is_one_article_even_when_bytes_differ(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    page = (SPINE / "en_summit.html").read_bytes()
    items = [
        RawItem(
            "a.html", "html", page, url="https://news.example.org/world/hanoi-climate-resilience-meeting"
        ),
        RawItem("b.html", "html", page.replace(b"Contact us", b"Contact us today"), url=None),
    ]
    report = Ingestor(store, settings).run(items)
    assert (report.ingested, report.duplicate) == (1, 1)


def test_quarantine_keeps_the_raw_bytes(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    ingest(store, settings, SPINE)
    with store.engine.connect() as conn:
        rows = conn.execute(select(QuarantineRow)).all()
    by_reason = {r.reason: r for r in rows}
    assert by_reason["binary"].body is not None and by_reason["binary"].body.startswith(b"\x89PNG")
    malformed = next(r for r in rows if r.origin.endswith("#L2"))
    assert malformed.body is not None and b"broken" in malformed.body


def test_articles_carry_normalized_text_language_and_metadata(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    report = ingest(store, settings, SPINE / "vi_hoi_thao_old_tones.txt", SPINE / "en_summit.html")
    vi, en = store.articles(report.article_ids)
    assert "Khánh Hòa" in vi.title and "Ủy ban" in vi.body  # one tone-mark placement
    assert vi.language == "vi" and vi.lang_confidence > 0.9
    assert en.language == "en"
    assert en.canonical_url.startswith("https://news.example.org/world/hanoi-climate-resilience-meeting")
    assert en.author == "Jane Reporter"
    assert en.published_at is not None and en.published_at.year == 2026
    assert "Related articles" not in en.body and "All rights reserved" not in en.body


def test_reprocess_recomputes_from_raw(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    ingest(store, settings, SPINE)
    with store.engine.begin() as conn:
        conn.execute(RawRow.__table__.update().values(status="pending"))
        conn.execute(__import__("sqlalchemy").text("UPDATE articles SET title = 'stale', language = 'xx'"))
    before = store.stats()
    report = reprocess(store, settings)
    assert report.ingested == before["articles"]
    after = store.stats()
    assert after["articles"] == before["articles"]
    assert "xx" not in after["languages"]
    assert store.search("stale").total == 0
    assert store.search("di san van hoa phi vat the").total == 1


def test_reprocess_applies_new_settings(store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    ingest(store, settings, SPINE)
    stricter = settings.model_copy(
        update={"ingest": settings.ingest.model_copy(update={"min_text_chars": 600})}
    )
    report = reprocess(store, stricter)
    assert report.discarded["too_short"] >= 2
    with store.engine.connect() as conn:
        discarded = conn.execute(
            select(func.count()).select_from(RawRow).where(RawRow.status == "discarded")
        ).scalar_one()
    assert discarded == sum(report.discarded.values())
    assert store.stats()["articles"] == report.ingested


def test_a_failing_stage_quarantines_only_its_article(
    store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import newsdesk.analyze.builtin as builtin

    real = builtin.identify

    def flaky(text: str, max_chars: int = 2000):  # type: ignore[no-untyped-def]
        if "UNESCO" in text:
            raise RuntimeError("model exploded")
        return real(text, max_chars=max_chars)

    monkeypatch.setattr(builtin, "identify", flaky)
    report = ingest(store, settings, SPINE / "vi_hoi_thao.txt", SPINE / "vi_hoi_thao_old_tones.txt")
    assert report.ingested == 1
    assert report.quarantined == {"stage_failed": 1}


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM:443/a/b?utm_source=x&id=3#top", "https://example.com/a/b?id=3"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/x?fbclid=1", "http://example.com:8080/x"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_derive_batch_is_pure(settings: Settings) -> None:
    item = RawItem("x.txt", "text", (SPINE / "vi_hoi_thao.txt").read_bytes())
    first, second = derive_batch([item], settings)[0], derive_batch([item], settings)[0]
    assert first.text == second.text  # type: ignore[union-attr]
