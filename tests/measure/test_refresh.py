"""Stored pickups: a family in full, new articles against recent families, the service's pass."""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from newsdesk.measure.refresh import (
    refresh_new_articles,
    refresh_pass,
    refresh_publication,
    refresh_recent,
)
from newsdesk.publish.publications import Publications
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from newsdesk.store.tables import PickupRow, PublicationRow
from tests.reports.builders import PUBLISHED, Built, archive_rows, build, ingest

NOW = PUBLISHED + timedelta(days=5)


@pytest.fixture
def built(any_store: Store, settings: Settings, tmp_path: Path) -> Built:
    return build(any_store, settings, tmp_path)


def _stored(store: Store) -> dict[int, dict[str, object]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(PickupRow)).all()
    return {r.article_id: r._asdict() for r in rows}


def test_a_family_is_refreshed_in_full_with_delays(any_store: Store, built: Built) -> None:
    assert refresh_publication(any_store, built.hue_en) == 3  # any member names the family
    rows = _stored(any_store)
    a = built.articles
    assert set(rows) == {a["copy"], a["quote"], a["english"]}  # not "own", not the earlier "early"
    assert {r["publication_id"] for r in rows.values()} == {built.hue}
    assert rows[a["copy"]]["delay_hours"] == pytest.approx(12.0)
    assert rows[a["quote"]]["delay_hours"] == pytest.approx(36.0) and rows[a["quote"]]["kind"] == "partial"
    assert rows[a["english"]]["variant_language"] == "en" and rows[a["english"]][
        "delay_hours"
    ] == pytest.approx(24.0)
    assert rows[a["copy"]]["passages"] and rows[a["copy"]]["passages"][0]["words"] > 30
    assert refresh_publication(any_store, built.hue) == 3 and len(_stored(any_store)) == 3  # replaced


def test_unpublished_families_keep_no_pickups(any_store: Store, built: Built) -> None:
    refresh_publication(any_store, built.hue)
    assert refresh_publication(any_store, built.draft) == 0
    with any_store.engine.begin() as conn:
        conn.execute(update(PublicationRow).where(PublicationRow.id == built.hue).values(status="draft"))
    assert refresh_publication(any_store, built.hue) == 0 and _stored(any_store) == {}
    assert refresh_publication(any_store, 999_999) == 0


def test_recent_families_by_days(any_store: Store, built: Built) -> None:
    report = refresh_recent(any_store, days=30, now=NOW)
    assert report.families == 2 and report.pickups == 3  # Huế and Hà Nội; only Huế is picked up
    assert refresh_recent(any_store, days=1, now=NOW + timedelta(days=30)).families == 0
    assert refresh_recent(any_store, days=None).families == 2


def test_new_articles_are_matched_against_recent_families(
    any_store: Store, built: Built, settings: Settings, tmp_path: Path
) -> None:
    with any_store.engine.connect() as conn:
        before = conn.execute(select(func.max(PickupRow.article_id))).scalar()
    assert before is None
    start = max(built.articles.values())
    late = [
        dict(r, id=f"late-{r['id']}", url=r["url"] + "-late", published="2026-06-15T08:00:00+07:00")
        for r in archive_rows()[:3]
    ]
    new = ingest(any_store, settings, tmp_path, late, name="late")
    report = refresh_new_articles(any_store, start, now=NOW)
    assert report.articles == 3 and report.pickups == 3 and report.watermark == max(new.values())
    assert set(_stored(any_store)) == set(new.values())
    assert refresh_new_articles(any_store, start, now=NOW).pickups == 3  # upserted, not duplicated
    assert len(_stored(any_store)) == 3
    assert refresh_new_articles(any_store, start, now=NOW + timedelta(days=60)).pickups == 0  # too old


def test_the_pass_catches_up_and_is_idempotent(
    any_store: Store, built: Built, settings: Settings, tmp_path: Path
) -> None:
    first = refresh_pass(any_store, now=NOW)
    assert first.families == 2 and first.pickups == 3 and first.articles == 0
    again = refresh_pass(any_store, now=NOW + timedelta(hours=1))
    assert again.families == 0 and again.pickups == 0
    late = [
        dict(
            archive_rows()[0],
            id="late",
            url="https://late.example.vn/1",
            published="2026-06-16T08:00:00+07:00",
        )
    ]
    new = ingest(any_store, settings, tmp_path, late, name="late")
    third = refresh_pass(any_store, now=NOW + timedelta(hours=2))
    assert third.articles == 1 and third.pickups == 1 and third.watermark == new["late"]
    assert len(_stored(any_store)) == 4
    # a family published after the last pass is done in full
    pubs = Publications(any_store.engine)
    with any_store.engine.begin() as conn:
        conn.execute(
            update(PublicationRow)
            .where(PublicationRow.id == built.hanoi)
            .values(published_at=NOW + timedelta(hours=2, minutes=30))
        )
    fourth = refresh_pass(any_store, now=NOW + timedelta(hours=3))
    assert fourth.family_ids == [built.hanoi] and pubs.get(built.hanoi)["status"] == "published"
    assert len(_stored(any_store)) == 4


def test_times_in_another_zone_are_compared_in_utc(any_store: Store, built: Built) -> None:
    local = NOW.astimezone(timezone(timedelta(hours=7)))
    assert refresh_recent(any_store, days=7, now=local).families == 2
    assert refresh_recent(any_store, days=5, now=local).families == 1  # Huế's is exactly 5 days old
