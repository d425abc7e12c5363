"""Cited documents: the list (``/documents``) and one document (``/documents/{id}``).

Ids such as ``KL-57-TW-XIII`` contain dashes and an issuer's own symbol may contain a
slash, so the detail route takes the rest of the path. A reference typed by hand
(``/documents/57-KL/TW``) that is not an id is read like an article's reference
(:func:`newsdesk.analyze.documents.canonical_id_of`) and redirected to its canonical id.

A document's page counts the articles citing it *or any of its ids* (``KL-57-TW`` and
``KL-57-TW-XIII`` are one document seen with and without its term): mentions over time
(each bar → ``/search?document=ID&date_from=…``), the surface forms found, co-cited
documents, stories and the most recent citing articles.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.errors import NotFound
from newsdesk.store import views
from newsdesk.web.deps import Reader, Ws
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router"]

router = APIRouter()
PAGE_SIZE = 50


@router.get("/documents", response_class=HTMLResponse)
def documents_page(
    request: Request,
    _: Reader,
    ws: Ws,
    type: Annotated[str, Query(max_length=16)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    rows, total = ws.store.documents_page(type_=type or None, page=page, page_size=PAGE_SIZE)
    with ws.store.engine.connect() as conn:
        types = views.document_types(conn)
    return render(
        request,
        "documents.html",
        documents=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        type=type.upper(),
        types=types,
    )


@router.get("/documents/{document_id:path}", response_class=HTMLResponse)
def document_page(request: Request, _: Reader, ws: Ws, document_id: str) -> Response:
    try:
        with ws.store.engine.connect() as conn:
            document = views.document_overview(conn, document_id)
    except NotFound:
        resolved = _resolve(document_id)
        if resolved is None:
            raise
        return RedirectResponse("/documents/" + quote(resolved, safe="/"), status_code=303)
    t = Translator(page_language(request))
    return render(
        request,
        "document.html",
        document=document,
        chart=_mentions_chart(document["id"], document["series"], t),
        search=qs("/search", document=document["id"], order="date"),
    )


def _resolve(typed: str) -> str | None:
    """The canonical id of a reference typed by hand, when it differs from what was typed."""
    from newsdesk.analyze.documents import canonical_id_of

    resolved = canonical_id_of(typed)
    return resolved if resolved and resolved != typed else None


def _mentions_chart(document_id: str, series: views.Series, t: Translator) -> Any:
    points = charts.period_points(
        series.periods, t, charts.search_link(document=document_id), bucket=series.bucket
    )
    return charts.columns(points, label=t("documents.over_time"))
