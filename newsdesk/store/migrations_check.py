"""What Alembic's autogenerate compares: everything but the hand-made search index."""

from __future__ import annotations

__all__ = ["include_object"]


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """The search index is created by hand per backend (0001); autogenerate must not touch it."""
    return not (name or "").startswith("article_fts") and name not in ("search_vector", "ix_articles_search")
