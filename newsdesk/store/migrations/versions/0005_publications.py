"""publications: the office's own articles, versions, events, language variants; glossary,
translation memory, plans

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('publications',
    sa.Column('id', ID, nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', ID, nullable=True),
    sa.Column('source_version', sa.Integer(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['publications.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_code'], ['units.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_publications_unit', 'publications', ['unit_code', 'status'], unique=False)
    op.create_index('ix_publications_source', 'publications', ['source_id'], unique=False)
    op.create_table('publication_versions',
    sa.Column('publication_id', ID, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publications.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('publication_id', 'version')
    )
    op.create_table('publication_events',
    sa.Column('id', ID, nullable=False),
    sa.Column('publication_id', ID, nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publications.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_publication_events_publication', 'publication_events', ['publication_id', 'at'], unique=False)
    op.create_table('glossary_entries',
    sa.Column('id', ID, nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('domain', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('translation_memory',
    sa.Column('id', ID, nullable=False),
    sa.Column('source_lang', sa.String(length=16), nullable=False),
    sa.Column('target_lang', sa.String(length=16), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('origin', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_translation_memory_pair', 'translation_memory', ['source_lang', 'target_lang'], unique=False)
    op.create_table('plans',
    sa.Column('id', ID, nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('publication_id', ID, nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publications.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_code'], ['units.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_plans_unit', 'plans', ['unit_code', 'status'], unique=False)
    op.create_table('pickups',
    sa.Column('publication_id', ID, nullable=False),
    sa.Column('article_id', ID, nullable=False),
    sa.Column('variant_language', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reused_share', sa.Float(), nullable=False),
    sa.Column('article_share', sa.Float(), nullable=False),
    sa.Column('delay_hours', sa.Float(), nullable=True),
    sa.Column('passages', sa.JSON(), nullable=False),
    sa.Column('matched_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['publication_id'], ['publications.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('publication_id', 'article_id')
    )
    op.create_index('ix_pickups_article', 'pickups', ['article_id'], unique=False)
    op.create_table('reports',
    sa.Column('id', ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=True),
    sa.Column('theme', sa.String(length=120), nullable=True),
    sa.Column('period_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_to', sa.DateTime(timezone=True), nullable=False),
    sa.Column('html_path', sa.Text(), nullable=False),
    sa.Column('pdf_path', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_reports_period', 'reports', ['period_from', 'period_to'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reports_period', table_name='reports')
    op.drop_table('reports')
    op.drop_index('ix_pickups_article', table_name='pickups')
    op.drop_table('pickups')
    op.drop_index('ix_plans_unit', table_name='plans')
    op.drop_table('plans')
    op.drop_index('ix_translation_memory_pair', table_name='translation_memory')
    op.drop_table('translation_memory')
    op.drop_table('glossary_entries')
    op.drop_index('ix_publication_events_publication', table_name='publication_events')
    op.drop_table('publication_events')
    op.drop_table('publication_versions')
    op.drop_index('ix_publications_source', table_name='publications')
    op.drop_index('ix_publications_unit', table_name='publications')
    op.drop_table('publications')
