"""Reports in the workspace: ``/reports``, the documents, and the pages behind every figure.

* ``/reports`` lists the generated reports (weekly, monthly, on demand) with their HTML and
  PDF, for everyone logged in; analysts and above (``Permission.EXPORT``) also get a form
  to generate one for a unit (or all), a theme and a period — a ``POST`` with the CSRF
  token, answered by a redirect so a reload never makes a second report.
* ``/reports/{id}.html`` and ``/reports/{id}.pdf`` serve the files, to logged-in users
  only. The HTML is self-contained with one inline stylesheet; its Content-Security-Policy
  allows that stylesheet by hash and nothing else (no script, no other resource).
* ``/reports/{id}/figure/{name}?key=…`` lists the publications and articles a figure of
  the report counted, from the figures saved with it — the target of every number and
  chart bar in the documents.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from newsdesk.analyze.themes import load_taxonomy
from newsdesk.auth import Permission, User
from newsdesk.errors import NewsdeskError
from newsdesk.measure.kpis import Scope
from newsdesk.reports import Reports
from newsdesk.reports.render import style_hash
from newsdesk.store.tables import ArticleRow, PublicationRow
from newsdesk.web.api.paging import Page
from newsdesk.web.deps import Reader, Ws, require
from newsdesk.web.security import CSP
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router", "theme_options", "unit_names"]

router = APIRouter()
Analyst = Annotated[User, Depends(require(Permission.EXPORT))]
PAGE_SIZE = 50
_LISTED = 500
"""Publications and articles listed on a figure's page at most."""


def unit_names(ws: Ws, lang: str) -> dict[str, str]:
    """Unit code → name in ``lang``, the central office first."""
    return {u["code"]: u["name_vi"] if lang == "vi" else u["name_en"] for u in ws.accounts.units()}


def theme_options(lang: str) -> list[tuple[str, str]]:
    """``(id, label)`` of every theme of the taxonomy, subthemes indented."""
    return [
        (theme.id, ("— " if "." in theme.id else "") + (theme.label_vi if lang == "vi" else theme.label_en))
        for theme in load_taxonomy()
    ]


def _reports(ws: Ws) -> Reports:
    return Reports(ws.store, ws.settings.reports)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, user: Reader, ws: Ws, page: Page = 1, made: int | None = None) -> Response:
    return _page(request, ws, user, page=page, made=made)


@router.post("/reports")
def generate_report(
    request: Request,
    user: Analyst,
    ws: Ws,
    date_from: Annotated[str, Form()],
    date_to: Annotated[str, Form()],
    unit: Annotated[str, Form()] = "",
    theme: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "vi",
    pdf: Annotated[str, Form()] = "",
) -> Response:
    t = Translator(page_language(request))
    try:
        scope = Scope(unit or None, theme or None, date.fromisoformat(date_from), date.fromisoformat(date_to))
        if scope.unit:
            ws.accounts.unit(scope.unit)
    except ValueError:
        return _page(request, ws, user, problem=t("reports.bad_period"), status=400)
    except NewsdeskError as exc:
        return _page(request, ws, user, problem=str(exc), status=400)
    made = _reports(ws).generate(
        scope, created_by=user.username, pdf=bool(pdf), lang=lang if lang in ("vi", "en") else "vi"
    )
    return RedirectResponse(qs("/reports", made=made["id"]), status_code=303)


def _page(
    request: Request,
    ws: Ws,
    user: User,
    *,
    page: int = 1,
    made: int | None = None,
    problem: str = "",
    status: int = 200,
) -> Response:
    lang = page_language(request)
    items, total = _reports(ws).listing(page=page, page_size=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        "reports.html",
        status=status,
        items=[_shown(r) for r in items],
        total=total,
        page=page,
        pages=pages,
        previous=qs("/reports", page=page - 1) if page > 1 else "",
        next=qs("/reports", page=page + 1) if page < pages else "",
        units=unit_names(ws, lang),
        themes=theme_options(lang),
        can_generate=user.can(Permission.EXPORT),
        made=made,
        problem=problem,
        today=date.today().isoformat(),
        month_start=date.today().replace(day=1).isoformat(),
    )


def _shown(report: dict[str, Any]) -> dict[str, Any]:
    return report | {
        "first": date.fromisoformat(report["from"]),
        "last": date.fromisoformat(report["to"]),
        "created": datetime.fromisoformat(report["created_at"]),
    }


@router.get("/reports/{report_id:int}.html", response_class=HTMLResponse)
def report_html(_: Reader, ws: Ws, report_id: int) -> Response:
    html = _reports(ws).path(report_id, "html").read_text(encoding="utf-8")
    policy = CSP.replace("style-src 'self'", f"style-src {style_hash(html)}")
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


@router.get("/reports/{report_id:int}.pdf", response_class=FileResponse)
def report_pdf(_: Reader, ws: Ws, report_id: int) -> Response:
    path = _reports(ws).path(report_id, "pdf")
    return FileResponse(
        path, media_type="application/pdf", filename=path.name, content_disposition_type="inline"
    )


@router.get("/reports/{report_id:int}/figure/{name}", response_class=HTMLResponse)
def figure_page(
    request: Request, _: Reader, ws: Ws, report_id: int, name: str, key: str | None = None
) -> Response:
    reports = _reports(ws)
    report = reports.get(report_id)
    kpis = reports.kpis(report_id)
    figure = kpis.figure(name, key)
    publications, articles = _listed(ws, figure.publications[:_LISTED], figure.articles[:_LISTED])
    t = Translator(page_language(request))
    return render(
        request,
        "reports_figure.html",
        report=_shown(report),
        name=name,
        key=key,
        figure=figure,
        value=_value(t, name, figure.value),
        publications=publications,
        articles=articles,
        more=max(len(figure.publications), len(figure.articles)) > _LISTED,
        units=unit_names(ws, page_language(request)),
    )


def _value(t: Translator, name: str, value: float | None) -> str:
    if name == "pickup_rate":
        return t.percent(value)
    whole = value is None or float(value).is_integer()
    return t.number(value, 0 if whole else 1)


def _listed(
    ws: Ws, publication_ids: tuple[int, ...], article_ids: tuple[int, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    p, a = PublicationRow, ArticleRow
    with ws.store.engine.connect() as conn:
        pubs = {
            r.id: r
            for r in conn.execute(
                select(p.id, p.title, p.unit_code, p.language, p.status, p.published_at).where(
                    p.id.in_(publication_ids)
                )
            )
        }
        arts = {
            r.id: r
            for r in conn.execute(
                select(a.id, a.title, a.outlet, a.language, a.published_at).where(a.id.in_(article_ids))
            )
        }
    return (
        [{"id": i, "row": pubs.get(i)} for i in publication_ids],
        [{"id": i, "row": arts.get(i)} for i in article_ids],
    )
