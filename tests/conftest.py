"""Shared fixtures: settings on a temporary data dir, SQLite and PostgreSQL stores, the corpus."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")).resolve()
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_ADMIN_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def require_corpus(name: str = "") -> Path:
    """The corpus path; skips the test with a message when ../shared is absent."""
    path = CORPUS / name if name else CORPUS
    if not path.exists():
        pytest.skip(f"{path} absent: corpus tests need ../shared/corpus")
    return path


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's newsdesk.toml or NEWSDESK_* variables."""
    for key in list(os.environ):
        if key.startswith("NEWSDESK_") and key not in ("NEWSDESK_TEST_PG_URL", "NEWSDESK_SHARED"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        ingest={"inbox": tmp_path / "inbox", "min_text_chars": 80, "batch_size": 50},
        fetch={"per_host_delay": 0, "retries": 0, "respect_robots": False},
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[object]:
    from newsdesk.store.repo import Store

    st = Store.open(settings.resolved_database_url)
    yield st
    st.close()


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL required in CI but unavailable: {reason}")
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    name = f"newsdesk_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        _pg_unavailable(str(exc.orig).splitlines()[0])
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[object]:
    from sqlalchemy import text

    from newsdesk.auth.units import unit_rows
    from newsdesk.store.repo import Store
    from newsdesk.store.tables import Base, UnitRow

    st = Store.open(pg_url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with st.engine.begin() as conn:  # empty, as after the migrations (which seed the units)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(UnitRow.__table__.insert(), unit_rows())
    yield st
    st.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest) -> object:
    """The same test on both backends."""
    name = "store" if request.param == "sqlite" else "pg_store"
    return request.getfixturevalue(name)
