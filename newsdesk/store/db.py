"""Engines and migrations.

SQLite is the embedded default (WAL journal, foreign keys on, a busy timeout so
the service and a CLI command can share the file); PostgreSQL is chosen by
``database_url``. ``open_database`` always brings the schema to Alembic's head.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import SQLAlchemyError as _SQLAlchemyError

from newsdesk.errors import StoreError

__all__ = ["is_sqlite", "migrate", "open_database"]

_MIGRATIONS = Path(__file__).with_name("migrations")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _normalize_url(url: str) -> str:
    """``postgresql://`` means psycopg 3, the driver newsdesk ships."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create(url: str) -> Engine:
    url = _normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(url: str) -> Engine:
    """Create the engine and migrate; a clear StoreError when the server is unreachable."""
    engine = create(url)
    try:
        migrate(engine)
    except OperationalError as exc:
        safe = make_url(_normalize_url(url)).render_as_string(hide_password=True)
        raise StoreError(f"{safe}: cannot open database: {exc.orig}") from exc
    except _SQLAlchemyError as exc:
        safe = make_url(_normalize_url(url)).render_as_string(hide_password=True)
        raise StoreError(f"{safe}: migration failed: {exc}") from exc
    return engine
