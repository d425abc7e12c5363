"""Articles, search, sources, counts and the quarantine."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from newsdesk import __version__
from newsdesk.auth import Permission, User
from newsdesk.store.repo import Store, article_to_dict
from newsdesk.store.search import SearchFilters
from newsdesk.web.api.paging import Page, PageSize, paged
from newsdesk.web.deps import Reader, Ws, require

__all__ = ["router"]

router = APIRouter(tags=["monitor"])
Operator = Annotated[User, Depends(require(Permission.OPERATIONS))]
RawReader = Annotated[User, Depends(require(Permission.RAW))]


@router.get("/health")
def health(ws: Ws) -> dict[str, Any]:
    """Liveness for monitoring; the only route that answers without login."""
    return {"status": "ok", "version": __version__, "database": ws.store.engine.dialect.name}


@router.get("/stats")
def stats(_: Reader, ws: Ws) -> dict[str, Any]:
    return ws.store.stats()


@router.get("/articles")
def articles(
    _: Reader,
    ws: Ws,
    language: str | None = None,
    outlet: str | None = None,
    source_id: int | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> dict[str, Any]:
    filters = SearchFilters(language, outlet, source_id, date_from, date_to)
    return search_page(ws.store, "", filters, "date", page, page_size)


@router.get("/articles/{article_id}")
def article(_: Reader, ws: Ws, article_id: int) -> dict[str, Any]:
    return article_to_dict(ws.store.get_article(article_id))


@router.get("/articles/{article_id}/raw")
def article_raw(_: RawReader, ws: Ws, article_id: int) -> Response:
    """The raw input exactly as received (analysts and above)."""
    raw = ws.store.get_raw(ws.store.get_article(article_id).raw_id)
    return Response(
        raw.body,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="raw-{raw.id}"'},
    )


@router.get("/articles/{article_id}/reused/{other_id}")
def reused(_: Reader, ws: Ws, article_id: int, other_id: int) -> dict[str, Any]:
    return ws.store.reused(article_id, other_id)


@router.get("/search")
def search(
    _: Reader,
    ws: Ws,
    q: Annotated[str, Query(description='Words, "phrases", -exclude, OR, prefix*; accents optional')] = "",
    language: str | None = None,
    outlet: str | None = None,
    source_id: int | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    order: Literal["relevance", "date"] = "relevance",
    page: Page = 1,
    page_size: PageSize = 20,
) -> dict[str, Any]:
    filters = SearchFilters(language, outlet, source_id, date_from, date_to)
    return search_page(ws.store, q, filters, order, page, page_size)


@router.get("/sources")
def sources(_: Operator, ws: Ws) -> list[dict[str, Any]]:
    return ws.store.list_sources()


@router.get("/sources/{ident}")
def source(_: Operator, ws: Ws, ident: str) -> dict[str, Any]:
    return ws.store.get_source(ident)


@router.get("/quarantine")
def quarantine(
    _: Operator, ws: Ws, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    return ws.store.quarantine(limit)


def search_page(
    store: Store, query: str, filters: SearchFilters, order: str, page: int, page_size: int
) -> dict[str, Any]:
    result = store.search(query, filters, order=order, page=page, page_size=page_size)  # type: ignore[arg-type]
    hits = [
        {
            "id": h.id,
            "title": h.title,
            "snippet": h.snippet,
            "score": h.score,
            "url": h.url,
            "outlet": h.outlet,
            "language": h.language,
            "published_at": h.published_at.isoformat() if h.published_at else None,
        }
        for h in result.hits
    ]
    return paged(hits, result.total, result.page, result.page_size, query=query)
