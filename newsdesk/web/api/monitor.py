"""Articles, search, sources, counts and the quarantine.

**The search contract.** ``/api/search``, ``/api/search.csv``, ``/api/articles`` and
the workspace's ``/search`` page read the same parameters (:func:`search_args`):
``q``, ``language``, ``outlet``, ``country``, ``theme``, ``entity``, ``document``,
``story``, ``source_id``, ``date_from``, ``date_to``, ``order``; other pages link to
``/search`` with them. A date without a time is a day in Vietnam, and ``date_to``
then includes the whole day.

**CSV export** streams every match, with no cap, in chunks read from one cursor, so
memory stays constant for any result size. It starts with a UTF-8 byte order mark
(Excel otherwise reads Vietnamese as Windows-1252), and a cell that starts with
``=``, ``+``, ``-``, ``@`` or a tab is prefixed with ``'`` so a spreadsheet shows a
hostile title as text instead of running it as a formula (OWASP "CSV injection").
The export is in date order whatever ``order`` says: a record, not a ranking.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse

from newsdesk import __version__
from newsdesk.auth import Permission, User
from newsdesk.store.repo import Store, article_to_dict
from newsdesk.store.search import SearchFilters, parse_when
from newsdesk.web.api.paging import Page, PageSize, paged
from newsdesk.web.deps import Reader, Ws, require

__all__ = ["CSV_COLUMNS", "Search", "SearchArgs", "csv_response", "router", "search_args"]

router = APIRouter(tags=["monitor"])
Operator = Annotated[User, Depends(require(Permission.OPERATIONS))]
RawReader = Annotated[User, Depends(require(Permission.RAW))]
Exporter = Annotated[User, Depends(require(Permission.EXPORT))]
Order = Literal["relevance", "date"]
CSV_COLUMNS = ("id", "published_at", "outlet", "language", "country", "title", "url", "story_id", "themes")


@dataclass(frozen=True, slots=True)
class SearchArgs:
    q: str
    filters: SearchFilters
    order: Order
    params: dict[str, str] = field(default_factory=dict)
    """The parameters in use, as given (not ``page``): links keep them, saved queries store them."""


def _when(name: str, value: str | None, *, end: bool) -> datetime | None:
    if not value:
        return None
    try:
        return parse_when(value, end=end)
    except ValueError:
        problem = {"loc": ("query", name), "msg": "expected an ISO date or datetime", "type": "value_error"}
        raise RequestValidationError([problem]) from None


def search_args(
    q: Annotated[str, Query(description='Words, "phrases", -exclude, OR, prefix*; accents optional')] = "",
    language: str | None = None,
    outlet: str | None = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 (VN)")] = None,
    theme: Annotated[str | None, Query(description="theme id; includes its subthemes")] = None,
    entity: Annotated[int | None, Query(description="entity id")] = None,
    document: Annotated[str | None, Query(description="document id (KL-57-TW-XIII)")] = None,
    story: Annotated[int | None, Query(description="story id")] = None,
    source_id: int | None = None,
    date_from: Annotated[str | None, Query(description="ISO date (a day in Vietnam) or datetime")] = None,
    date_to: Annotated[str | None, Query(description="ISO date (that whole day) or datetime")] = None,
    order: Order = "relevance",
) -> SearchArgs:
    """The search parameters shared by the API and the workspace (see the module docstring)."""
    filters = SearchFilters(
        language or None,
        outlet or None,
        source_id,
        _when("date_from", date_from, end=False),
        _when("date_to", date_to, end=True),
        country=country.upper() if country else None,
        theme=theme or None,
        entity=entity,
        document=document or None,
        story=story,
    )
    given = {
        "q": q, "language": language, "outlet": outlet, "country": filters.country, "theme": theme,
        "entity": entity, "document": document, "story": story, "source_id": source_id,
        "date_from": date_from, "date_to": date_to, "order": order if order != "relevance" else None,
    }  # fmt: skip
    params = {k: str(v) for k, v in given.items() if v not in (None, "")}
    return SearchArgs(q.strip(), filters, order, params)


Search = Annotated[SearchArgs, Depends(search_args)]


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _csv_chunks(store: Store, args: SearchArgs) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for rows in store.export(args.q, args.filters):
        for row in rows:
            writer.writerow([_cell(row[c]) if c != "themes" else ";".join(row[c]) for c in CSV_COLUMNS])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no match at all: the header alone
        yield buffer.getvalue().encode("utf-8")


def csv_response(store: Store, args: SearchArgs) -> StreamingResponse:
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return StreamingResponse(
        _csv_chunks(store, args),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="newsdesk-search-{stamp}.csv"'},
    )


@router.get("/health")
def health(ws: Ws) -> dict[str, Any]:
    """Liveness for monitoring; the only route that answers without login."""
    return {"status": "ok", "version": __version__, "database": ws.store.engine.dialect.name}


_OPERATIONS_STATS = ("quarantined", "quarantine_reasons", "raw_by_status")
"""Counts about rejected input: for analysts and above, like the quarantine itself."""


@router.get("/stats")
def stats(user: Reader, ws: Ws) -> dict[str, Any]:
    figures = ws.store.stats()
    if not user.can(Permission.OPERATIONS):
        figures = {k: v for k, v in figures.items() if k not in _OPERATIONS_STATS}
    return figures


@router.get("/articles")
def articles(_: Reader, ws: Ws, args: Search, page: Page = 1, page_size: PageSize = 20) -> dict[str, Any]:
    """Articles newest first, narrowed by the search filters (``q`` too, if given)."""
    return search_page(ws.store, args.q, args.filters, "date", page, page_size)


@router.get("/articles/{article_id}")
def article(user: Reader, ws: Ws, article_id: int) -> dict[str, Any]:
    data = article_to_dict(ws.store.get_article(article_id))
    if not user.can(Permission.RAW):  # where the input came from (server paths, feeds) is operations data
        data.pop("origin", None)
    return data


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
    args: Search,
    page: Page = 1,
    page_size: PageSize = 20,
    facets: Annotated[bool, Query(description="add counts per language, outlet, country, theme …")] = False,
) -> dict[str, Any]:
    body = search_page(ws.store, args.q, args.filters, args.order, page, page_size)
    if facets:
        body["facets"] = ws.store.facets(args.q, args.filters).as_dict()
    return body


@router.get("/search.csv", response_class=StreamingResponse)
def search_csv(_: Exporter, ws: Ws, args: Search) -> StreamingResponse:
    """Every match as CSV (UTF-8 with BOM for Excel), newest first, streamed (analysts and above)."""
    return csv_response(ws.store, args)


@router.get("/sources")
def sources(_: Operator, ws: Ws, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    rows = ws.store.list_sources()
    start = (page - 1) * page_size
    return paged(rows[start : start + page_size], len(rows), page, page_size)


@router.get("/sources/{ident}")
def source(_: Operator, ws: Ws, ident: str) -> dict[str, Any]:
    return ws.store.get_source(ident)


@router.get("/quarantine")
def quarantine(_: Operator, ws: Ws, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    """Quarantined inputs, newest first, with their reasons."""
    rows = ws.store.quarantine(limit=page * page_size)
    total = int(ws.store.stats()["quarantined"])
    return paged(rows[(page - 1) * page_size :], total, page, page_size)


def _utc_iso(value: datetime | None) -> str | None:
    """Stored times are UTC; SQLite hands them back without a zone."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat() if value else None


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
            "published_at": _utc_iso(h.published_at),
            "country": h.country,
            "story_id": h.story_id,
        }
        for h in result.hits
    ]
    return paged(hits, result.total, result.page, result.page_size, query=query)
