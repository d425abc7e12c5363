"""Overlap between units: "unit X published something very similar on D".

Before a unit publishes (or after, when the central office reviews the month), it helps to
know whether another unit already put out much the same text: the same press release
rewritten twice, a story both a province and the central office covered. This is *reuse
of text*, so it is measured as pickups are (:func:`newsdesk.measure.pickup.compare`): the
passages of 8 words or more two texts share, folded (case, diacritics), in any order.

A pair overlaps when the matcher accepts it (enough reused words beyond names and titles;
see :mod:`newsdesk.measure.pickup`) *and* the reused words cover at least ``threshold`` of
either text (the *containment* of the shorter in the longer, as dedup measures it: a text
that is half of another is a strong overlap even if the other is three times longer).
Same-event reports written separately share names, not passages, and do not overlap.

Only the same language is compared: a Vietnamese text and another unit's English one would
need a translation first; each language variant is checked against its own language.
Another unit's publications count when they were published (by default; any status with
``statuses``) within ``days`` of this one — of its publication, or of now for a text not
yet published.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, or_, select

from newsdesk.errors import NotFound
from newsdesk.measure.pickup import compare
from newsdesk.store.tables import PublicationRow

__all__ = ["overlapping"]

_LIMIT = 2000


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def overlapping(
    engine: Engine,
    publication_id: int,
    days: int = 30,
    threshold: float = 0.5,
    *,
    statuses: Sequence[str] = ("published",),
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Other units' publications in the same language that reuse much of this one's text, or
    whose text it reuses; strongest overlap first."""
    p = PublicationRow
    with engine.connect() as conn:
        this = conn.execute(select(p).where(p.id == publication_id)).first()
        if this is None:
            raise NotFound(f"publication {publication_id} not found")
        moment = _aware(this.published_at) or (now or datetime.now(UTC))
        low, high = (
            (moment - timedelta(days=days)).astimezone(UTC),
            (moment + timedelta(days=days)).astimezone(UTC),
        )
        when = or_(
            and_(p.published_at.is_not(None), p.published_at >= low, p.published_at <= high),
            and_(p.published_at.is_(None), p.updated_at >= low, p.updated_at <= high),
        )
        others = conn.execute(
            select(p.id, p.unit_code, p.language, p.title, p.body, p.status, p.published_at, p.updated_at)
            .where(
                p.unit_code != this.unit_code, p.language == this.language, p.status.in_(list(statuses)), when
            )
            .order_by(p.id)
            .limit(_LIMIT)
        ).all()
    found = [item for other in others if (item := _overlap(this, other, threshold)) is not None]
    return sorted(found, key=lambda item: (-item["containment"], item["id"]))


def _overlap(this: Any, other: Any, threshold: float) -> dict[str, Any] | None:
    verdict = compare(this.title, this.body, other.title, other.body)
    found = verdict.match
    if found is None:
        return None
    containment = max(found.reused_share, found.article_share)
    if containment < threshold:
        return None
    published = _aware(other.published_at)
    return {
        "id": other.id,
        "unit": other.unit_code,
        "language": other.language,
        "title": other.title,
        "status": other.status,
        "published_at": published.isoformat() if published else None,
        "updated_at": (_aware(other.updated_at) or datetime.now(UTC)).isoformat(),
        "reused_share": round(found.reused_share, 3),
        "other_share": round(found.article_share, 3),
        "containment": round(containment, 3),
        "reused_words": found.reused_words,
        "passages": len(found.passages),
    }
