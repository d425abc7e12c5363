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
    monkeypatch.setattr(stories, "_MAX_SIMS", 3)
    clusterer = StoryClusterer()
    start = datetime(2026, 9, 7, tzinfo=UTC)
    for i in range(12):
        doc = StoryDoc(
            f"a{i}", f"Bão số 3: cập nhật lần {i}", f"{EVENT} Bản tin số {i}.", start + timedelta(hours=i)
        )
        clusterer.add(doc)
    assert len({clusterer.story_of(f"a{i}") for i in range(12)}) == 1
