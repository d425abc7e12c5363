"""A workspace with the festival archive, its pickups stored, reports in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.measure.refresh import refresh_recent
from newsdesk.settings import Settings, load_settings
from newsdesk.store.repo import Store
from tests.reports.builders import Built, build


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        ingest={"inbox": tmp_path / "inbox", "min_text_chars": 80, "batch_size": 50},
        reports={"folder": tmp_path / "reports", "base_url": "https://newsdesk.example.vn/"},
    )


@pytest.fixture
def built(store: Store, settings: Settings, tmp_path: Path) -> Built:
    built = build(store, settings, tmp_path)
    refresh_recent(store, days=None)
    return built
