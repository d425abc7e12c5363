"""Migrations: the models and the migrations agree, and upgrade/downgrade round-trips on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from newsdesk.store.db import create, migrate
from newsdesk.store.migrations_check import include_object
from newsdesk.store.tables import Base


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrate.__code__.co_filename).with_name("migrations")))
    return config


def _run(engine: Engine, fn: object, target: str) -> None:
    config = _config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        fn(config, target)  # type: ignore[operator]


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "sqlite":
        return create(f"sqlite:///{tmp_path}/m.db")
    url = request.getfixturevalue("pg_url")
    eng = create(url)
    with eng.begin() as conn:  # start from nothing: drop what other tests created
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return eng


def test_models_match_migrations(engine: Engine) -> None:
    migrate(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_round_trip(engine: Engine) -> None:
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    _run(engine, command.downgrade, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert set(inspect(engine).get_table_names()) == tables
