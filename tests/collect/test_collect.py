"""Collection stages on a real store: copy groups and stories, catching up, reprocess, two processes."""

from __future__ import annotations

import json
import zlib

import pytest
from sqlalchemy import select

from newsdesk.collect import Collector
from newsdesk.ingest.sources import iter_inputs
from newsdesk.model import RawItem
from newsdesk.pipeline import Ingestor, derive_batch, reprocess
from newsdesk.settings import Settings
from newsdesk.store.repo import BatchEntry, Store
from newsdesk.store.tables import ArticleRow, StateRow
from tests.conftest import FIXTURES

COLLECT = FIXTURES / "collect"


@pytest.fixture
def store(any_store: Store) -> Store:
    return any_store


def _ingest(store: Store, settings: Settings, name: str) -> list[int]:
    report = Ingestor(store, settings).run(iter_inputs([str(COLLECT / name)], settings))
    return report.article_ids


def _by_url(store: Store) -> dict[str, ArticleRow]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(ArticleRow)).all()
    return {r.url.split("/")[2]: r for r in rows if "gao" not in r.url}


def test_copies_are_grouped_under_the_earliest(store: Store, settings: Settings) -> None:
    _ingest(store, settings, "typhoon.jsonl")
    rows = _by_url(store)
    original, copy = rows["bao-a.example.vn"], rows["bao-b.example.vn"]
    assert original.dup_of is None
    assert copy.dup_of == original.id and copy.dup_kind in ("exact", "near")
    assert copy.dup_group == original.dup_group
    assert rows["bao-c.example.vn"].dup_of is None  # a rewrite of the event is not a copy


def test_an_earlier_copy_arriving_late_becomes_canonical(store: Store, settings: Settings) -> None:
    _ingest(store, settings, "typhoon.jsonl")
    _ingest(store, settings, "late_copy.jsonl")
    rows = _by_url(store)
    early = rows["bao-d.example.vn"]
    assert early.dup_of is None
    assert rows["bao-a.example.vn"].dup_of == early.id
    assert rows["bao-b.example.vn"].dup_of == early.id


def test_one_event_is_one_story_across_outlets_and_languages(store: Store, settings: Settings) -> None:
    _ingest(store, settings, "typhoon.jsonl")
    rows = _by_url(store)
    typhoon = {r.story_id for r in rows.values()}
    assert len(typhoon) == 1 and None not in typhoon
    stories = store.list_stories()
    assert len(stories) == 2  # the typhoon and the rice exports
    big = stories[0]
    assert big["size"] == 4 and set(big["languages"]) == {"vi", "en"}
    assert set(big["outlets"]) == {"Báo A", "Báo B", "Báo C", "Example Wire"}
    detail = store.get_story(big["id"])
    assert detail["duplicates"] == [
        {"original": rows["bao-a.example.vn"].id, "copies": [rows["bao-b.example.vn"].id]}
    ]
    assert "12 người" in detail["summary"]
    assert [a["published_at"] for a in detail["articles"]] == sorted(
        a["published_at"] for a in detail["articles"]
    )
    assert any(e["name"] == "Quảng Ninh" for e in detail["entities"])


def test_collection_catches_up_after_an_interrupted_run(store: Store, settings: Settings) -> None:
    """Articles stored but never collected (a crash in between) are collected by the next run."""
    items = list(iter_inputs([str(COLLECT / "typhoon.jsonl")], settings))
    outcomes = derive_batch(items, settings)
    store.write_batch([BatchEntry(i, o) for i, o in zip(items, outcomes, strict=True)])
    assert all(r.story_id is None for r in _by_url(store).values())
    Ingestor(store, settings).run([])
    assert all(r.story_id is not None for r in _by_url(store).values())


def test_reprocess_rebuilds_the_same_groups_and_stories(store: Store, settings: Settings) -> None:
    _ingest(store, settings, "typhoon.jsonl")
    before = {k: (r.dup_of is None, r.story_id is not None) for k, r in _by_url(store).items()}
    stories_before = [(s["size"], sorted(s["outlets"])) for s in store.list_stories()]
    reprocess(store, settings)
    after = {k: (r.dup_of is None, r.story_id is not None) for k, r in _by_url(store).items()}
    assert after == before
    assert [(s["size"], sorted(s["outlets"])) for s in store.list_stories()] == stories_before


def test_two_processes_take_turns(store: Store, settings: Settings) -> None:
    """A second collector (another process) reloads the state the first one saved."""
    first, second = Collector(store, settings), Collector(store, settings)
    items = list(iter_inputs([str(COLLECT / "typhoon.jsonl")], settings))
    outcomes = derive_batch(items, settings)
    store.write_batch([BatchEntry(items[0], outcomes[0]), BatchEntry(items[1], outcomes[1])])
    assert first.run() == 2 * 2  # two stages saw two articles each
    store.write_batch([BatchEntry(i, o) for i, o in zip(items[2:], outcomes[2:], strict=True)])
    assert second.run() == 3 * 2
    rows = _by_url(store)
    assert rows["bao-b.example.vn"].dup_of == rows["bao-a.example.vn"].id  # found across the two
    assert len({r.story_id for r in rows.values()}) == 1
    assert first.run() == 0


def test_reused_passages_of_a_copy(store: Store, settings: Settings) -> None:
    _ingest(store, settings, "typhoon.jsonl")
    rows = _by_url(store)
    same = store.reused(rows["bao-a.example.vn"].id, rows["bao-b.example.vn"].id)
    assert same["share_of_first"] > 0.9 and same["passages"]
    first = same["passages"][0]
    assert rows["bao-a.example.vn"].body[first["first"][0] : first["first"][1]] == first["text"]
    rewrite = store.reused(rows["bao-a.example.vn"].id, rows["bao-c.example.vn"].id)
    assert rewrite["share_of_first"] < 0.3


def _record(url: str, title: str, text: str, published: str, outlet: str) -> RawItem:
    fields = {
        "url": url,
        "title": title,
        "text": text,
        "published": published,
        "outlet": outlet,
        "language": "vi",
    }
    return RawItem(url, "record", json.dumps(fields, ensure_ascii=False).encode(), url=url, fields=fields)


def test_quiet_stories_leave_the_state_and_late_copies_still_join(store: Store, settings: Settings) -> None:
    typhoon = json.loads((COLLECT / "typhoon.jsonl").read_text(encoding="utf-8").splitlines()[0])
    rice = json.loads((COLLECT / "typhoon.jsonl").read_text(encoding="utf-8").splitlines()[1])
    ingest = Ingestor(store, settings)
    ingest.run(
        [_record(typhoon["url"], typhoon["title"], typhoon["text"], "2026-09-07T10:00:00+07:00", "Báo A")]
    )
    # ten days later the typhoon story is quiet (72 h without news) …
    ingest.run([_record(rice["url"], rice["title"], rice["text"], "2026-09-17T10:00:00+07:00", "Báo A")])
    with store.engine.connect() as conn:
        state = conn.execute(select(StateRow.state).where(StateRow.name == "stories")).scalar_one()
    saved = json.loads(zlib.decompress(state))
    assert saved["quiet"] == []  # only the active window is kept
    assert [m["id"] for story in saved["active"] for m in story["members"]] == ["2"]
    # … and a syndicated copy of the old report still joins it, counted
    ingest.run(
        [
            _record(
                "https://bao-z.example.vn/x.html",
                "Bão số 3 (tin cũ)",
                typhoon["text"],
                "2026-09-18T08:00:00+07:00",
                "Báo Z",
            )
        ]
    )
    stories = {s["title"]: s for s in store.list_stories()}
    old = next(s for t, s in stories.items() if "Quảng Ninh" in t)
    assert old["size"] == 2 and set(old["outlets"]) == {"Báo A", "Báo Z"}


def test_collection_stages_are_configured_from_settings() -> None:
    from newsdesk.collect import build_stages
    from newsdesk.errors import ConfigError
    from newsdesk.settings import load_settings

    custom = load_settings(collect={"story_quiet_hours": 12, "dedup_window_days": 3, "dedup_threshold": 0.7})
    dedup, stories = build_stages(["dedup", "stories"], custom)
    assert (dedup.config.window_days, dedup.config.threshold) == (3, 0.7)  # type: ignore[attr-defined]
    assert stories.config.quiet_hours == 12  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="unknown stage"):
        build_stages(["dedup", "sentiment"], custom)


def test_one_collector_shared_by_two_threads(store: Store, settings: Settings) -> None:
    """newsdesk up's poller and inbox threads share one collector: runs take turns, nothing is lost."""
    import threading

    collector = Collector(store, settings)
    items = list(iter_inputs([str(COLLECT / "typhoon.jsonl")], settings))
    outcomes = derive_batch(items, settings)
    store.write_batch([BatchEntry(i, o) for i, o in zip(items, outcomes, strict=True)])
    errors: list[BaseException] = []
    seen: list[int] = []

    def work() -> None:
        try:
            seen.append(collector.run())
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(seen) == [0, 5 * 2]  # one run did the work, the other found nothing left
    assert all(r.story_id is not None for r in _by_url(store).values())
