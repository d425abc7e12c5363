"""Regressions of the story clusterer found while wiring it into the service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.analyze import stories
from newsdesk.analyze.stories import StoryClusterer, StoryDoc

EVENT = (
    "Bão số 3 đổ bộ vào Quảng Ninh và Hải Phòng ngày 7/9 làm 12 người thiệt mạng, 45 người bị thương, "
    "hơn 3.200 ngôi nhà tốc mái; mưa lớn kéo dài ở các tỉnh miền núi phía Bắc."
)


def test_pruning_the_similarity_cache_keeps_the_article_being_added(monkeypatch: pytest.MonkeyPatch) -> None:
    """A member's cache over the cap was pruned of articles without a story — including the one
    being added, whose similarity had just been computed: KeyError in _similarities at scale."""
    monkeypatch.setattr(stories, "_MAX_SIMS", 3, raising=False)  # a tiny cache cap, where there is one
    clusterer = StoryClusterer()
    start = datetime(2026, 9, 7, tzinfo=UTC)
    for i in range(12):
        doc = StoryDoc(
            f"a{i}", f"Bão số 3: cập nhật lần {i}", f"{EVENT} Bản tin số {i}.", start + timedelta(hours=i)
        )
        clusterer.add(doc)
    assert len({clusterer.story_of(f"a{i}") for i in range(12)}) == 1


def test_pruning_never_loses_a_pair_the_reclustering_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Second path of the same KeyError: computing a pair of two *older* items pruned one of them
    of its similarity with the article being added. Overlapping events and a tiny cap reach it."""
    import random

    monkeypatch.setattr(stories, "_MAX_SIMS", 2, raising=False)  # a tiny cache cap, where there is one
    rng = random.Random(3)
    places = ["Quảng Ninh", "Hải Phòng", "Đà Nẵng", "Huế", "Cần Thơ", "Nghệ An", "Lào Cai", "Gia Lai"]
    words = "mưa lũ bão sạt lở đường ngập nhà dân cứu hộ chính quyền tỉnh huyện xã người thiệt hại".split()
    clusterer = StoryClusterer()
    start = datetime(2026, 9, 1, tzinfo=UTC)
    for i in range(400):
        event = rng.randrange(12)
        place = places[event % len(places)]
        body = " ".join(rng.choice(words) for _ in range(60))
        text = f"{place} ngày {event + 1}/9: {event * 7 + 3} người bị ảnh hưởng. {body} {place}."
        clusterer.add(StoryDoc(f"d{i}", f"Tin {place} số {event}", text, start + timedelta(minutes=20 * i)))
    assert all(clusterer.story_of(f"d{i}") for i in range(400))
