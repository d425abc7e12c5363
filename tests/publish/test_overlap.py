"""Overlap: another unit published much the same text (same language only)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from newsdesk.errors import NotFound
from newsdesk.publish.overlap import overlapping
from newsdesk.publish.publications import Publications, read_publication_file
from newsdesk.store.repo import Store
from newsdesk.store.tables import PublicationRow
from tests.reports.builders import ADMIN, HUE, HUE_EN, PUBLISHED, add_published


@pytest.fixture
def pubs(any_store: Store) -> Publications:
    return Publications(any_store.engine)


def test_another_units_rewrite_of_the_same_text_overlaps(pubs: Publications) -> None:
    title, body = read_publication_file(HUE.read_bytes(), "hue")
    paragraphs = body.split("\n\n")
    hue = add_published(pubs, unit="hue", title=title, body=body)
    central = add_published(
        pubs,
        unit="central",
        title="Khai mạc Festival Huế",
        body="\n\n".join(paragraphs[:4]) + "\n\nBộ Văn hóa đánh giá cao công tác chuẩn bị.",
        at=PUBLISHED + timedelta(days=2),
    )
    quoted = add_published(  # one paragraph in a long text of its own: not a strong overlap
        pubs,
        unit="da-nang",
        title="Du lịch miền Trung",
        body=paragraphs[1] + "\n\n" + "Đà Nẵng đón khách. " * 80,
    )
    en_title, en_body = read_publication_file(HUE_EN.read_bytes(), "en")
    add_published(pubs, unit="ha-noi", title=en_title, body=en_body, language="en")  # another language
    same_unit = add_published(pubs, unit="hue", title=title, body=body)  # the unit's own: not a warning
    found = overlapping(pubs.engine, hue)
    assert [f["id"] for f in found] == [central]
    assert found[0]["unit"] == "central" and found[0]["containment"] > 0.9 and found[0]["reused_share"] < 0.9
    assert found[0]["published_at"].startswith("2026-06-14")
    assert {f["id"] for f in overlapping(pubs.engine, hue, threshold=0.05)} == {central, quoted}
    assert overlapping(pubs.engine, hue, days=1) == []  # two days apart
    assert [f["id"] for f in overlapping(pubs.engine, central)] == [hue, same_unit]


def test_drafts_are_compared_with_recent_publications(pubs: Publications) -> None:
    title, body = read_publication_file(HUE.read_bytes(), "hue")
    published = add_published(pubs, unit="hue", title=title, body=body)
    draft = pubs.add(ADMIN, unit="central", language="vi", title=title, body=body)
    now = PUBLISHED + timedelta(days=3)
    assert [f["id"] for f in overlapping(pubs.engine, draft, now=now)] == [published]
    assert overlapping(pubs.engine, draft, now=now + timedelta(days=40)) == []
    assert overlapping(pubs.engine, published) == []  # the draft is not published
    with pubs.engine.begin() as conn:
        conn.execute(update(PublicationRow).where(PublicationRow.id == draft).values(updated_at=now))
    assert [f["id"] for f in overlapping(pubs.engine, published, statuses=("draft",))] == [draft]
    with pytest.raises(NotFound):
        overlapping(pubs.engine, 999_999)


def test_times_are_compared_in_utc(pubs: Publications) -> None:
    title, body = read_publication_file(HUE.read_bytes(), "hue")
    add_published(pubs, unit="hue", title=title, body=body)
    draft = pubs.add(ADMIN, unit="central", language="vi", title=title, body=body)
    local = datetime(2026, 7, 12, 20, tzinfo=timezone(timedelta(hours=7)))  # 30 days after, to the hour
    assert len(overlapping(pubs.engine, draft, now=local)) == 1
    assert overlapping(pubs.engine, draft, now=local + timedelta(minutes=1)) == []
