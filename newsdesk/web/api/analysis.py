"""Stories, entities, cited documents and themes.

The lists are paged like every list of the API (``page``, ``page_size``; the answer
carries ``total``), with their own filters; the details are single objects. An entity's
detail lists its most recent articles (``total_articles`` says how many there are).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from newsdesk.errors import NewsdeskError
from newsdesk.web.api.paging import Page, PageSize, paged
from newsdesk.web.deps import Reader, Ws

__all__ = ["router"]

router = APIRouter(tags=["analysis"])


@router.get("/stories")
def stories(
    _: Reader,
    ws: Ws,
    days: Annotated[float, Query(ge=0, description="active in the last DAYS days; 0 for all")] = 0,
    min_size: Annotated[int, Query(ge=1)] = 1,
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """Stories, biggest (by outlets, then articles) first."""
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    rows, total = ws.store.stories_page(since=since, min_size=min_size, page=page, page_size=page_size)
    return paged(rows, total, page, page_size)


@router.get("/stories/{story_id}")
def story(_: Reader, ws: Ws, story_id: int) -> dict[str, Any]:
    return ws.store.get_story(story_id)


@router.get("/entities")
def entities(
    _: Reader,
    ws: Ws,
    kind: Literal["person", "organisation", "place"] | None = None,
    q: Annotated[str | None, Query(max_length=200, description="part of the name; accents optional")] = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """People, organisations and places, most mentioned first."""
    rows, total = ws.store.entities_page(kind=kind, q=q, page=page, page_size=page_size)
    return paged(rows, total, page, page_size)


@router.get("/entities/{entity_id}")
def entity(_: Reader, ws: Ws, entity_id: int) -> dict[str, Any]:
    return ws.store.get_entity(entity_id)


@router.get("/documents")
def documents(
    _: Reader,
    ws: Ws,
    type: Annotated[str | None, Query(description="document type code: KL, NQ, CT, HD, QD, ND, TT …")] = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """Cited documents, most cited first."""
    rows, total = ws.store.documents_page(type_=type, page=page, page_size=page_size)
    return paged(rows, total, page, page_size)


@router.get("/documents/{document_id:path}")
def document(_: Reader, ws: Ws, document_id: str) -> dict[str, Any]:
    return ws.store.get_document(document_id)


@router.get("/themes")
def themes(_: Reader, ws: Ws, page: Page = 1, page_size: PageSize = 100) -> dict[str, Any]:
    rows = ws.store.list_themes()
    start = (page - 1) * page_size
    return paged(rows[start : start + page_size], len(rows), page, page_size)


@router.get("/themes/{theme_id}/attention")
def theme_attention(
    _: Reader,
    ws: Ws,
    theme_id: str,
    bucket: Literal["day", "week", "month"] = "day",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> dict[str, Any]:
    """Articles per period carrying the theme; at most MAX_PERIODS periods (choose a coarser bucket)."""
    if date_from is not None and date_to is not None:
        periods = (date_to - date_from).days / _BUCKET_DAYS[bucket]
        if periods > MAX_PERIODS:
            raise NewsdeskError(
                f"{periods:,.0f} {bucket}s between date_from and date_to: at most {MAX_PERIODS:,} "
                "(use bucket=week or month, or a shorter period)"
            )
    return ws.store.theme_attention(theme_id, bucket, date_from, date_to)


MAX_PERIODS = 1500
"""Periods one attention series may have: four years of days; the pages choose coarser buckets."""
_BUCKET_DAYS = {"day": 1, "week": 7, "month": 30.44}
