"""The web app of ``newsdesk up``: a status page and the JSON API under ``/api/``.

Every API error has one shape, ``{"error": {"status": 404, "code": "not_found",
"message": "article 7 not found"}}``. The page speaks Vietnamese by default and
English with ``?lang=en`` (remembered in a cookie).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from newsdesk import __version__
from newsdesk.errors import NewsdeskError, NotFound
from newsdesk.settings import Settings
from newsdesk.store.repo import Store, article_to_dict
from newsdesk.store.search import SearchFilters
from newsdesk.web.status_page import render_status

__all__ = ["create_app", "error_body"]


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(error_body(status, code, message), status_code=status)


def _install_errors(app: FastAPI) -> None:
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
    }

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return _error(404, "not_found", str(exc))

    @app.exception_handler(NewsdeskError)
    async def newsdesk_error(_: Request, exc: NewsdeskError) -> JSONResponse:
        return _error(400, "bad_request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _error(422, "invalid_request", problems)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, codes.get(exc.status_code, "error"), str(exc.detail))

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, codes.get(exc.status_code, "error"), str(exc.detail))


def create_app(store: Store, settings: Settings) -> FastAPI:
    app = FastAPI(title="newsdesk", version=__version__, docs_url="/docs", openapi_url="/openapi.json")
    _install_errors(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith("/docs"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
            )
        return response

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def status_page(request: Request, lang: Literal["vi", "en"] | None = None) -> HTMLResponse:
        chosen = lang or request.cookies.get("lang") or "vi"
        html = render_status(store, chosen if chosen in ("vi", "en") else "vi")
        response = HTMLResponse(html)
        if lang:
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
        return response

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "database": store.engine.dialect.name}

    @app.get("/api/stats")
    def stats() -> dict[str, Any]:
        return store.stats()

    @app.get("/api/articles")
    def articles(
        language: str | None = None,
        outlet: str | None = None,
        source_id: int | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        page: Annotated[int, Query(ge=1)] = 1,
        page_size: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> dict[str, Any]:
        filters = SearchFilters(language, outlet, source_id, date_from, date_to)
        return _page(store, "", filters, "date", page, page_size)

    @app.get("/api/articles/{article_id}")
    def article(article_id: int) -> dict[str, Any]:
        return article_to_dict(store.get_article(article_id))

    @app.get("/api/articles/{article_id}/raw")
    def article_raw(article_id: int) -> Response:
        raw = store.get_raw(store.get_article(article_id).raw_id)
        return Response(
            raw.body,
            media_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="raw-{raw.id}"'},
        )

    @app.get("/api/articles/{article_id}/reused/{other_id}")
    def reused(article_id: int, other_id: int) -> dict[str, Any]:
        return store.reused(article_id, other_id)

    @app.get("/api/search")
    def search(
        q: Annotated[
            str, Query(description='Words, "phrases", -exclude, OR, prefix*; accents optional')
        ] = "",
        language: str | None = None,
        outlet: str | None = None,
        source_id: int | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        order: Literal["relevance", "date"] = "relevance",
        page: Annotated[int, Query(ge=1)] = 1,
        page_size: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> dict[str, Any]:
        filters = SearchFilters(language, outlet, source_id, date_from, date_to)
        return _page(store, q, filters, order, page, page_size)

    @app.get("/api/sources")
    def sources() -> list[dict[str, Any]]:
        return store.list_sources()

    @app.get("/api/sources/{ident}")
    def source(ident: str) -> dict[str, Any]:
        return store.get_source(ident)

    @app.get("/api/stories")
    def stories(
        days: Annotated[float, Query(ge=0, description="active in the last DAYS days; 0 for all")] = 0,
        min_size: Annotated[int, Query(ge=1)] = 1,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> list[dict[str, Any]]:
        from datetime import UTC, timedelta

        since = datetime.now(UTC) - timedelta(days=days) if days else None
        return store.list_stories(since=since, limit=limit, min_size=min_size)

    @app.get("/api/stories/{story_id}")
    def story(story_id: int) -> dict[str, Any]:
        return store.get_story(story_id)

    @app.get("/api/entities")
    def entities(
        kind: Literal["person", "organisation", "place"] | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        return store.list_entities(kind=kind, limit=limit)

    @app.get("/api/entities/{entity_id}")
    def entity(entity_id: int) -> dict[str, Any]:
        return store.get_entity(entity_id)

    @app.get("/api/documents")
    def documents(
        type: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[dict[str, Any]]:
        return store.list_documents(limit=limit, type_=type)

    @app.get("/api/documents/{document_id:path}")
    def document(document_id: str) -> dict[str, Any]:
        return store.get_document(document_id)

    @app.get("/api/themes")
    def themes() -> list[dict[str, Any]]:
        return store.list_themes()

    @app.get("/api/themes/{theme_id}/attention")
    def theme_attention(
        theme_id: str,
        bucket: Literal["day", "week", "month"] = "day",
        date_from: datetime | None = None,
        date_to: datetime | None = None,
    ) -> dict[str, Any]:
        return store.theme_attention(theme_id, bucket, date_from, date_to)

    @app.get("/api/quarantine")
    def quarantine(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
        return store.quarantine(limit)

    return app


def _page(
    store: Store, query: str, filters: SearchFilters, order: str, page: int, page_size: int
) -> dict[str, Any]:
    result = store.search(query, filters, order=order, page=page, page_size=page_size)  # type: ignore[arg-type]
    return {
        "query": query,
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "results": [
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
        ],
    }
