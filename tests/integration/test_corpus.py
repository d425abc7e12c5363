"""The whole path on the shared corpus: the five seed pages and the 997 vims-dev articles."""

from __future__ import annotations

import pytest

from newsdesk.ingest.sources import iter_inputs
from newsdesk.pipeline import Ingestor
from newsdesk.settings import Settings
from newsdesk.store.repo import Store
from newsdesk.text.fold import fold
from tests.conftest import require_corpus

pytestmark = pytest.mark.corpus


def test_seed_pages_become_clean_articles(store: Store, settings: Settings) -> None:
    seeds = require_corpus("seeds")
    report = Ingestor(store, settings).run(iter_inputs([str(seeds)], settings))
    assert report.ingested == 5 and not report.problems
    bodies = [a.body for a in store.articles(report.article_ids)]
    noise = [
        "Lượt xem",
        "Link bài gốc",
        "Đọc thêm",
        "bảng xếp hạng bóng đá",
        "Bài viết liên quan",
        "CHÀO MỪNG",
    ]
    for body in bodies:
        assert not [n for n in noise if n in body]
    assert {a.language for a in store.articles(report.article_ids)} == {"vi"}
    hits = store.search('"ket luan so 57"')
    assert hits.total >= 3  # 000 spells it "Kết luận số 57 của Bộ Chính trị", the others "57-KL/TW"


def test_vims_dev_ingests_completely_and_is_searchable(store: Store, settings: Settings) -> None:
    path = require_corpus("vims-dev.articles.jsonl.gz")
    report = Ingestor(store, settings).run(iter_inputs([str(path)], settings))
    assert report.seen == 997
    assert report.ingested + report.duplicate + sum(report.discarded.values()) == 997
    assert not report.quarantined
    stats = store.stats()
    assert stats["articles"] == report.ingested and stats["languages"].get("vi", 0) >= 0.99 * report.ingested
    first = store.articles(report.article_ids[:1])[0]
    words = [w for w in first.title.split() if w.isalpha()][:3]
    typed_without_accents = fold(" ".join(words))
    assert first.id in [h.id for h in store.search(f'"{typed_without_accents}"', page_size=100).hits]
    again = Ingestor(store, settings).run(iter_inputs([str(path)], settings))
    assert (again.ingested, again.duplicate) == (0, 997)  # discarded inputs are known raw items too
