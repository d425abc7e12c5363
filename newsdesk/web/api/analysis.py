"""Stories, entities, cited documents and themes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from newsdesk.web.deps import Reader, Ws

__all__ = ["router"]

router = APIRouter(tags=["analysis"])


@router.get("/stories")
def stories(
    _: Reader,
    ws: Ws,
    days: Annotated[float, Query(ge=0, description="active in the last DAYS days; 0 for all")] = 0,
    min_size: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    return ws.store.list_stories(since=since, limit=limit, min_size=min_size)


@router.get("/stories/{story_id}")
def story(_: Reader, ws: Ws, story_id: int) -> dict[str, Any]:
    return ws.store.get_story(story_id)


@router.get("/entities")
def entities(
    _: Reader,
    ws: Ws,
    kind: Literal["person", "organisation", "place"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    return ws.store.list_entities(kind=kind, limit=limit)


@router.get("/entities/{entity_id}")
def entity(_: Reader, ws: Ws, entity_id: int) -> dict[str, Any]:
    return ws.store.get_entity(entity_id)


@router.get("/documents")
def documents(
    _: Reader, ws: Ws, type: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    return ws.store.list_documents(limit=limit, type_=type)


@router.get("/documents/{document_id:path}")
def document(_: Reader, ws: Ws, document_id: str) -> dict[str, Any]:
    return ws.store.get_document(document_id)


@router.get("/themes")
def themes(_: Reader, ws: Ws) -> list[dict[str, Any]]:
    return ws.store.list_themes()


@router.get("/themes/{theme_id}/attention")
def theme_attention(
    _: Reader,
    ws: Ws,
    theme_id: str,
    bucket: Literal["day", "week", "month"] = "day",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> dict[str, Any]:
    return ws.store.theme_attention(theme_id, bucket, date_from, date_to)
