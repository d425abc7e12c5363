"""People, organisations and places: the list (``/entities``) and one entity (``/entities/{id}``).

The list is ordered by the number of articles naming each entity, filtered by kind and
by a part of the name typed with or without accents (``nguyen van`` finds *Nguyễn Văn …*).
An entity's page shows its mentions over time (each bar → ``/search?entity=ID&date_from=…``),
the positions written next to the name, who or what is named with it, the stories it
appears in and its most recent articles. Its queries are grouped and capped
(:func:`newsdesk.store.views.entity_overview`), so a place named in half the archive
renders as fast as a rare name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.store import views
from newsdesk.web.deps import Reader, Ws
from newsdesk.web.ui import charts
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router"]

router = APIRouter()
PAGE_SIZE = 50
KINDS = ("person", "organisation", "place")
Kind = Literal["person", "organisation", "place"]


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    _: Reader,
    ws: Ws,
    kind: Kind | None = None,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    rows, total = ws.store.entities_page(kind=kind, q=q or None, page=page, page_size=PAGE_SIZE)
    return render(
        request,
        "entities.html",
        entities=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        kind=kind or "",
        kinds=KINDS,
        q=q,
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, _: Reader, ws: Ws, entity_id: int) -> HTMLResponse:
    with ws.store.engine.connect() as conn:
        entity = views.entity_overview(conn, entity_id)
    t = Translator(page_language(request))
    return render(
        request,
        "entity.html",
        entity=entity,
        chart=_mentions_chart(entity_id, entity["series"], t),
        search=qs("/search", entity=entity_id, order="date"),
    )


def _mentions_chart(entity_id: int, series: views.Series, t: Translator) -> Any:
    points = charts.period_points(
        series.periods, t, charts.search_link(entity=entity_id), bucket=series.bucket
    )
    return charts.columns(points, label=t("entities.over_time"))
