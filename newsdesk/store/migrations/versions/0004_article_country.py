"""article country

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

``articles.country`` (ISO 3166-1 alpha-2, indexed) for the country facet, backfilled
for the existing rows: the source's country where the article came from a registered
source, else the URL's country-code domain (:func:`newsdesk.store.facets.article_country`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch_op.create_index("ix_articles_country", ["country"], unique=False)
    _backfill(op.get_bind())


def _backfill(conn: sa.engine.Connection) -> None:
    from newsdesk.store.facets import article_country

    sources: dict[int, str | None] = {
        r.id: r.country for r in conn.execute(sa.text("SELECT id, country FROM sources"))
    }
    last = 0
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT id, source_id, canonical_url, url FROM articles WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": _BATCH},
        ).all()
        if not rows:
            return
        last = rows[-1].id
        updates = [
            {"id": r.id, "c": country}
            for r in rows
            if (country := article_country(sources.get(r.source_id), r.canonical_url or r.url))
        ]
        if updates:
            conn.execute(sa.text("UPDATE articles SET country = :c WHERE id = :id"), updates)


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_country")
        batch_op.drop_column("country")
