"""Alembic environment: runs with the connection newsdesk hands it (see newsdesk.store.db.migrate)."""

from __future__ import annotations

from alembic import context

from newsdesk.store.migrations_check import include_object
from newsdesk.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through `newsdesk` (newsdesk.store.db.migrate), not the alembic CLI")


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
