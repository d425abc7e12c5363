"""Story clustering (newsdesk.analyze.stories): anchors, cross-language stories, time window, state."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.analyze.stories import (
    Story,
    StoryClusterer,
    StoryConfig,
    StoryDoc,
    anchor_terms,
    recluster,
)
from newsdesk.evaluate.stories import evaluate_stories
from tests.conftest import require_corpus

T0 = datetime(2024, 5, 20, 8, 0, tzinfo=UTC)
SMALL = StoryConfig(hash_bits=14)
"""Small hash tables: the fixtures hold a few hundred terms."""


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def clock() -> datetime:
    return at(1000)


TORNADO_VI = StoryDoc(
    id="vi-tornado-1",
    title="Lốc xoáy ở Yên Bái làm 9 người bị thương, 194 ngôi nhà hư hại",
    text=(
        "Chiều 20/5, một trận lốc xoáy kèm mưa đá đã quét qua các xã Tân Lập, Động Quan của huyện "
        "Lục Yên, tỉnh Yên Bái. Theo báo cáo nhanh của Ban Chỉ huy phòng chống thiên tai tỉnh Yên Bái, "
        "lốc xoáy làm 9 người bị thương, tốc mái 194 ngôi nhà và quật đổ nhiều cột điện. Thiệt hại ban "
        "đầu ước tính khoảng 1,6 tỷ đồng. Ông Nguyễn Văn Khánh, Chủ tịch UBND huyện Lục Yên, cho biết "
        "chính quyền đã huy động bộ đội và công an giúp người dân dựng lại nhà cửa."
    ),
    published=at(2),
    language="vi",
    outlet="baoyenbai.vn",
)
TORNADO_VI_2 = StoryDoc(
    id="vi-tornado-2",
    title="Yên Bái: Lốc xoáy tốc mái gần 200 ngôi nhà ở Lục Yên",
    text=(
        "Trận lốc xoáy chiều 20/5 tại huyện Lục Yên (Yên Bái) đã làm 9 người bị thương, trong đó có một "
        "trẻ em bị gãy chân. Lốc xoáy làm 194 ngôi nhà bị hư hại, 24 nhà sập hoàn toàn. Ông Nguyễn Văn "
        "Khánh, Chủ tịch UBND huyện Lục Yên, cho biết thiệt hại khoảng 1,6 tỷ đồng và huyện đang thống kê "
        "thêm. Lực lượng bộ đội, công an đã giúp các xã Tân Lập, Động Quan khắc phục hậu quả."
    ),
    published=at(5),
    language="vi",
    outlet="vnexpress.net",
)
TORNADO_EN = StoryDoc(
    id="en-tornado",
    title="Tornado injures 9 people in Vietnam's Yen Bai",
    text=(
        "A tornado with hail swept through Tan Lap and Dong Quan communes in Luc Yen district of the "
        "northern province of Yen Bai on May 20, injuring 9 people and unroofing 194 houses. The "
        "provincial disaster prevention board estimated the damage at VND1.6 billion. Nguyen Van Khanh, "
        "chairman of the Luc Yen People's Committee, said soldiers and police were helping residents "
        "rebuild their homes."
    ),
    published=at(9),
    language="en",
    outlet="vietnamnews.vn",
)
SUMMIT_VI = StoryDoc(
    id="vi-summit",
    title="Thủ tướng Nguyễn Xuân Phúc dự Hội nghị Cấp cao ASEAN lần thứ 28 tại Lào",
    text=(
        "Sáng 6/9, Thủ tướng Nguyễn Xuân Phúc dẫn đầu đoàn đại biểu Việt Nam tới thủ đô Viêng Chăn, "
        "Lào, dự Hội nghị Cấp cao ASEAN lần thứ 28 và 29. Tại hội nghị, lãnh đạo 10 nước ASEAN bàn về "
        "xây dựng Cộng đồng ASEAN, tình hình Biển Đông và hợp tác với Trung Quốc, Nhật Bản, Hàn Quốc. "
        "Thủ tướng Nguyễn Xuân Phúc sẽ có các cuộc gặp song phương bên lề hội nghị."
    ),
    published=at(30),
    language="vi",
    outlet="baochinhphu.vn",
)
SUMMIT_EN = StoryDoc(
    id="en-summit",
    title="PM Nguyen Xuan Phuc attends 28th ASEAN Summit in Laos",
    text=(
        "Prime Minister Nguyen Xuan Phuc led the Vietnamese delegation to Vientiane, Laos, on September 6 "
        "for the 28th and 29th ASEAN Summits. Leaders of the 10 ASEAN member states discussed the ASEAN "
        "Community, the situation in the East Sea and cooperation with China, Japan and South Korea. "
        "Phuc will hold bilateral meetings on the sidelines of the summit."
    ),
    published=at(33),
    language="en",
    outlet="vietnamplus.vn",
)
METRO_VI = StoryDoc(
    id="vi-metro",
    title="Hà Nội chạy thử đoàn tàu tuyến đường sắt Cát Linh - Hà Đông",
    text=(
        "Sáng nay, Ban Quản lý dự án đường sắt đã cho chạy thử toàn tuyến đường sắt đô thị Cát Linh - "
        "Hà Đông với 13 đoàn tàu. Tuyến dài 13 km, có 12 nhà ga trên cao, tổng vốn đầu tư hơn 18.000 tỷ "
        "đồng. Hành khách dự kiến được đi miễn phí trong 15 ngày đầu khi tuyến vận hành thương mại."
    ),
    published=at(31),
    language="vi",
    outlet="hanoimoi.vn",
)
METRO_VI_2 = StoryDoc(
    id="vi-metro-2",
    title="Đường sắt Cát Linh - Hà Đông chạy thử 13 đoàn tàu",
    text=(
        "Tuyến đường sắt đô thị Cát Linh - Hà Đông hôm nay chạy thử toàn tuyến với 13 đoàn tàu trên 13 km "
        "và 12 nhà ga trên cao. Ban Quản lý dự án đường sắt cho biết hành khách được đi miễn phí 15 ngày "
        "đầu khi tuyến vận hành thương mại. Tổng vốn đầu tư của dự án hơn 18.000 tỷ đồng."
    ),
    published=at(34),
    language="vi",
    outlet="tuoitre.vn",
)
ALL = (TORNADO_VI, TORNADO_VI_2, TORNADO_EN, SUMMIT_VI, METRO_VI, SUMMIT_EN, METRO_VI_2)
EVENTS = {
    "tornado": {"vi-tornado-1", "vi-tornado-2", "en-tornado"},
    "summit": {"vi-summit", "en-summit"},
    "metro": {"vi-metro", "vi-metro-2"},
}


def partition(clusterer: StoryClusterer) -> set[frozenset[str]]:
    return {frozenset(s.member_ids) for s in clusterer.stories()}


# ---------------------------------------------------------------- anchors


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Lốc xoáy làm 9 người bị thương.", "#9:person"),
        ("The tornado injured 9 people.", "#9:person"),
        ("It injured nine people.", "#9:person"),
        ("Hai người bị thương.", "#2:person"),
        ("Thiệt hại khoảng 1,6 tỷ đồng.", "#1600000000:vnd"),
        ("Damage was put at VND1.6 billion.", "#1600000000:vnd"),
        ("Có 2.500 người tham dự.", "#2500:person"),
        ("Some 2,500 people attended.", "#2500:person"),
        ("Giá tăng 15% so với năm trước.", "#15:pct"),
        ("Dự án 3,5 triệu USD.", "#3500000:usd"),
        ("A $3.5 million project.", "#3500000:usd"),
        ("Khoảng 20h ngày 20/5, lốc xoáy.", "@5-20"),
        ("Sáng ngày 20-5, lốc xoáy.", "@5-20"),
        ("Ngày 20 tháng 5 năm 2016, lốc xoáy.", "@5-20"),
        ("It struck on May 20, 2016.", "@5-20"),
        ("It struck on 20 May.", "@5-20"),
        ("Ngày 21/5/2016, lốc xoáy.", "#2016"),
        ("Ông Nguyễn Xuân Phúc phát biểu.", "n:nguyen xuan"),
        ("Prime Minister Nguyen Xuan Phuc spoke.", "n:xuan phuc"),
        ("Đoàn tới Trung Quốc hôm qua.", "p:china"),
        ("The delegation flew to China.", "p:china"),
        ("Đoàn tới Hà Nội hôm qua.", "p:hanoi"),
        ("The delegation flew to Hanoi.", "p:hanoi"),
        ("Hội nghị Liên Hợp Quốc.", "p:un"),
        ("Hội nghị ASEAN lần thứ 28.", "n:asean"),
    ],
)
def test_anchor_terms(text: str, anchor: str) -> None:
    assert anchor in anchor_terms("", text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Khoảng 20h tối, trời mưa.", "#20"),  # a time, not a count
        ("Từ 3/5 đến nay.", "#3"),  # part of a date
        ("Theo người dân, trời mưa.", "n:theo"),  # capitalized only as a sentence start
        ("Anh Nguyễn Minh Đức cho biết.", "p:germany"),  # a given name, not the country
        ("Máy bay cất cánh lúc 9h.", "@5-9"),
    ],
)
def test_anchor_terms_leave_out(text: str, absent: str) -> None:
    assert absent not in anchor_terms("", text)


def test_cross_language_reports_share_anchors() -> None:
    vi = set(anchor_terms(TORNADO_VI.title, TORNADO_VI.text))
    en = set(anchor_terms(TORNADO_EN.title, TORNADO_EN.text))
    shared = vi & en
    assert {"#9:person", "#194:house", "#1600000000:vnd", "@5-20", "n:yen bai", "n:luc yen"} <= shared


# ---------------------------------------------------------------- clustering


def test_vietnamese_and_english_reports_of_one_event_make_one_story() -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    first = clusterer.add(TORNADO_VI)
    second = clusterer.add(TORNADO_VI_2)
    english = clusterer.add(TORNADO_EN)
    assert first.new and not second.new and not english.new
    assert first.story_id == second.story_id == english.story_id
    (story,) = clusterer.stories()
    assert set(story.member_ids) == EVENTS["tornado"]
    assert story.languages == ("en", "vi")
    assert story.outlets == ("baoyenbai.vn", "vietnamnews.vn", "vnexpress.net")
    assert story.representative_id in story.member_ids
    assert story.title in {TORNADO_VI.title, TORNADO_VI_2.title, TORNADO_EN.title}
    assert (story.first_published, story.last_published) == (at(2), at(9))
    assert english.similarity > 0


def test_a_single_english_report_joins_a_single_vietnamese_one() -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    vi, en = clusterer.add(SUMMIT_VI), clusterer.add(SUMMIT_EN)
    assert en.story_id == vi.story_id and not en.new


def test_different_events_make_different_stories() -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    for doc in ALL:
        clusterer.add(doc)
    assert partition(clusterer) == {frozenset(ids) for ids in EVENTS.values()}


@settings(max_examples=15, deadline=None)
@given(st.permutations(ALL))
def test_any_arrival_order_gives_the_events(order: list[StoryDoc]) -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    for doc in order:
        assignment = clusterer.add(doc)
        assert clusterer.story_of(doc.id) == assignment.story_id
        for moved_id, story_id in assignment.moved:
            assert clusterer.story_of(moved_id) == story_id
    stories = clusterer.stories()
    members = [m for s in stories for m in s.member_ids]
    assert sorted(members) == sorted(d.id for d in ALL)  # a partition of what was added
    assert partition(clusterer) == {frozenset(ids) for ids in EVENTS.values()}


def test_a_quiet_story_is_not_joined() -> None:
    clusterer = StoryClusterer(SMALL.model_copy(update={"quiet_hours": 72}), clock=clock)
    clusterer.add(TORNADO_VI)
    late = clusterer.add(
        StoryDoc(TORNADO_VI_2.id, TORNADO_VI_2.title, TORNADO_VI_2.text, at(2 + 80), "vi", "vnexpress.net")
    )
    assert late.new
    assert len(clusterer.stories()) == 2
    assert [s.member_ids for s in clusterer.pop_quiet()] == [(TORNADO_VI.id,)]
    assert clusterer.stories() == clusterer.stories([late.story_id])
    assert clusterer.story_of(TORNADO_VI.id) is None


def test_the_state_keeps_no_similarity_with_quiet_articles() -> None:
    clusterer = StoryClusterer(SMALL.model_copy(update={"quiet_hours": 24}), clock=clock)
    for doc in (TORNADO_VI, TORNADO_EN, METRO_VI, METRO_VI_2, SUMMIT_VI, SUMMIT_EN):
        clusterer.add(doc)  # tornado at 2-9 h, the rest at 30-34 h: the tornado story goes quiet
    clusterer.add(StoryDoc("late", METRO_VI.title, METRO_VI.text, at(40), "vi"))
    active = [m for s in clusterer.to_state()["active"] for m in s["members"]]
    ids = {m["id"] for m in active}
    assert ids == {"vi-metro", "vi-metro-2", "vi-summit", "en-summit", "late"}
    assert all(set(m["sims"]) <= ids and set(m["links"]) <= ids for m in active)


def test_within_the_window_a_story_is_joined() -> None:
    clusterer = StoryClusterer(SMALL.model_copy(update={"quiet_hours": 72}), clock=clock)
    clusterer.add(TORNADO_VI)
    later = StoryDoc(TORNADO_VI_2.id, TORNADO_VI_2.title, TORNADO_VI_2.text, at(2 + 60), "vi")
    assert not clusterer.add(later).new


def test_adding_an_article_twice_changes_nothing() -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    first = clusterer.add(TORNADO_VI)
    clusterer.add(TORNADO_VI_2)
    before = clusterer.stories()
    again = clusterer.add(TORNADO_VI)
    assert again.story_id == first.story_id and not again.new
    assert clusterer.stories() == before


def test_undated_articles_take_the_clock_and_naive_dates_are_utc() -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    clusterer.add(StoryDoc("a", TORNADO_VI.title, TORNADO_VI.text, None, "vi"))
    clusterer.add(StoryDoc("b", METRO_VI.title, METRO_VI.text, datetime(2024, 5, 21, 8, 0), "vi"))
    spans = {s.id: s.first_published for s in clusterer.stories()}
    assert spans == {"a": clock(), "b": datetime(2024, 5, 21, 8, 0, tzinfo=UTC)}


def test_a_future_date_is_capped_by_the_clock() -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    clusterer.add(StoryDoc("a", TORNADO_VI.title, TORNADO_VI.text, at(5000), "vi"))
    (story,) = clusterer.stories()
    assert story.last_published == clock()


def test_state_round_trip_continues_identically() -> None:
    kept = StoryClusterer(SMALL, clock=clock)
    for doc in ALL[:4]:
        kept.add(doc)
    state = json.loads(json.dumps(kept.to_state()))
    restored = StoryClusterer.from_state(state, clock=clock)
    assert restored.stories() == kept.stories()
    for doc in ALL[4:]:
        assert restored.add(doc) == kept.add(doc)
    assert restored.stories() == kept.stories()
    assert restored.to_state() == kept.to_state()


def test_state_of_another_version_is_refused() -> None:
    state = StoryClusterer(SMALL).to_state()
    with pytest.raises(ValueError, match="version"):
        StoryClusterer.from_state({**state, "version": 0})


def test_story_records_round_trip_as_dicts() -> None:
    clusterer = StoryClusterer(SMALL, clock=clock)
    for doc in ALL:
        clusterer.add(doc)
    for story in clusterer.stories():
        assert Story.from_dict(json.loads(json.dumps(story.to_dict()))) == story


def test_recluster_is_independent_of_the_input_order() -> None:
    shuffled = list(ALL)
    random.Random(3).shuffle(shuffled)
    in_order = recluster(ALL, SMALL)
    assert partition(recluster(shuffled, SMALL)) == partition(in_order)
    assert partition(in_order) == {frozenset(ids) for ids in EVENTS.values()}


def test_config_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="threshhold"):
        StoryConfig(threshhold=0.2)  # type: ignore[call-arg]


# ---------------------------------------------------------------- the gold corpus


@pytest.mark.corpus
def test_vims_dev_bcubed_f1(tmp_path: Path) -> None:
    path = require_corpus("vims-dev.articles.jsonl.gz")
    out = tmp_path / "stories.jsonl"
    scores = evaluate_stories(path, out)
    assert scores["articles"] == 997 and scores["gold_clusters"] == 150
    assert scores["bcubed_f1"] >= 0.98
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 997 and set(lines[0]) == {"id", "story"}
