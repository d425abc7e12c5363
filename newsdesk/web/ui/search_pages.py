"""*Search*: the archive by words and facets, saved queries, CSV export.

The page reads the same parameters as ``/api/search`` (:func:`newsdesk.web.api.monitor.search_args`),
so every link other pages make to ``/search?entity=…&date_from=…`` works here, and
every link this page makes keeps the filters in use and changes one: a facet value
adds its filter (or, when it is the one in use, removes it), a bar of the date
histogram narrows the dates to its day or month, a chip removes its filter. Paging
and order keep everything else.

Facet counts are of the current result set, computed in one SQL statement
(:mod:`newsdesk.store.facets`). Highlighting is built safely: the text is cut at the
matched words found on its accent-folded copy (same length, same offsets), every
piece is escaped, and only then are the pieces joined with ``<mark>``; nothing from
an article is ever marked safe as it stands.

Saved queries belong to the user (:meth:`newsdesk.auth.Accounts.save_query`): the
form posts the current parameters with the session's CSRF token; only the
parameters of the search contract are stored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Annotated, Any

from babel import Locale
from babel.dates import format_date
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from markupsafe import Markup, escape

from newsdesk.auth import Permission, User
from newsdesk.reference.gazetteer import aligned_fold
from newsdesk.store.facets import Bucket, Count, Facets, histogram
from newsdesk.store.repo import SearchHit
from newsdesk.store.search import parse_query, parse_when
from newsdesk.web.api.monitor import Search, csv_response
from newsdesk.web.deps import Reader, Ws, require
from newsdesk.web.ui import charts
from newsdesk.web.ui.account_pages import safe_next
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["PAGE_SIZE", "highlight", "router", "search_link"]

router = APIRouter()
PAGE_SIZE = 20
TOP = 15
SAVED_PARAMS = (
    *("language", "outlet", "country", "theme", "entity", "document", "story", "source_id"),
    *("date_from", "date_to", "order"),
)
"""What a saved query keeps besides its text: the search contract's parameters."""
Exporter = Annotated[User, Depends(require(Permission.EXPORT))]
Saver = Annotated[User, Depends(require(Permission.SAVE_QUERIES))]


# --- highlighting -----------------------------------------------------------------------------------


def _mark_terms(query: str) -> tuple[tuple[str, bool], ...]:
    """The folded words a query looks for, with whether each is a prefix (``chuyen*``)."""
    terms: list[tuple[str, bool]] = []
    for clause in parse_query(query).clauses:
        for term in clause.include:
            last = len(term.tokens) - 1
            terms.extend((token, term.prefix and i == last) for i, token in enumerate(term.tokens))
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=256)
def _pattern(terms: tuple[tuple[str, bool], ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    longest_first = sorted(terms, key=lambda t: -len(t[0]))
    words = "|".join(re.escape(token) + (r"\w*" if prefix else "") for token, prefix in longest_first)
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)")


def highlight(text: str, query: str) -> Markup:
    """``text`` escaped, with the words ``query`` matched (accents ignored) in ``<mark>``."""
    pattern = _pattern(_mark_terms(query))
    if not text or pattern is None:
        return escape(text)
    folded = aligned_fold(text)
    parts: list[str] = []
    done = 0
    for match in pattern.finditer(folded):
        start, end = match.span()
        parts.append(str(escape(text[done:start])))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        done = end
    parts.append(str(escape(text[done:])))
    return Markup("".join(parts))


# --- links ------------------------------------------------------------------------------------------


def search_link(params: dict[str, str], changes: Mapping[str, str | None], base: str = "/search") -> str:
    """The search with ``params`` changed by ``changes`` (``None`` removes one); back to page 1."""
    kept: dict[str, Any] = {**params, **changes}
    kept.pop("page", None)
    return qs(base, **kept)


@dataclass(slots=True)
class FacetItem:
    label: str
    count: int
    href: str
    active: bool = False
    kind: str = ""
    title: str = ""


@dataclass(slots=True)
class FacetGroup:
    name: str
    items: list[FacetItem] = field(default_factory=list)


@dataclass(slots=True)
class Chip:
    """A filter in use, with the link that removes it."""

    name: str
    label: str
    href: str


# --- labels -----------------------------------------------------------------------------------------


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def language_name(code: str, lang: str) -> str:
    name = _locale(lang).languages.get(code)
    return name[:1].upper() + name[1:] if name else code


def country_name(code: str, lang: str) -> str:
    return str(_locale(lang).territories.get(code, code))


@cache
def _theme_labels() -> dict[str, tuple[str, str]]:
    from newsdesk.analyze.themes import load_taxonomy

    return {theme.id: (theme.label_vi, theme.label_en) for theme in load_taxonomy()}


def theme_name(theme_id: str, lang: str) -> str:
    labels = _theme_labels().get(theme_id)
    return (labels[0] if lang == "vi" else labels[1]) if labels else theme_id


class _Labeller:
    """Display names of facet values and filters in the page's language."""

    def __init__(self, t: Translator, facets: Facets) -> None:
        self.t, self.facets = t, facets

    def __call__(self, name: str, value: str) -> str:
        lang = self.t.lang
        if name == "language":
            return language_name(value, lang)
        if name == "country":
            return country_name(value, lang)
        if name == "theme":
            return theme_name(value, lang)
        if name in ("entity", "document"):
            return self.facets.names.get(f"{name}:{value}") or value
        if name == "story":
            return self.t("search.story_n", id=value)
        if name == "source_id":
            return self.t("search.source_n", id=value)
        if name in ("date_from", "date_to"):
            return self._when(value, end=name == "date_to")
        return value

    def _when(self, value: str, *, end: bool) -> str:
        if len(value) == 10:
            return self.t.date(date.fromisoformat(value))
        return self.t.datetime(parse_when(value, end=end))


# --- the page's parts -------------------------------------------------------------------------------


def facet_groups(params: dict[str, str], facets: Facets, label: _Labeller) -> list[FacetGroup]:
    groups = []
    for name in ("language", "country", "outlet", "theme", "entity", "document"):
        counts: list[Count] = getattr(facets, name)
        items = []
        for count in counts:
            active = params.get(name) == count.value
            href = search_link(params, {name: None if active else count.value})
            shown = count.label or label(name, count.value)
            tip = count.value if name == "document" else ""
            items.append(FacetItem(shown, count.count, href, active, count.kind, tip))
        groups.append(FacetGroup(name, items))
    return groups


def chips(params: dict[str, str], label: _Labeller) -> list[Chip]:
    names = [n for n in SAVED_PARAMS if n != "order"]
    return [Chip(n, label(n, params[n]), search_link(params, {n: None})) for n in names if n in params]


def _bucket_label(bucket: Bucket, t: Translator) -> str:
    if bucket.unit == "day":
        return t.date(bucket.start, short=True)
    if bucket.unit == "month":
        return format_date(bucket.start, "MM/yyyy" if t.lang == "vi" else "MMM yyyy", locale=t.lang)
    return str(bucket.start.year)


def date_chart(params: dict[str, str], facets: Facets, t: Translator) -> Markup:
    points = []
    for bucket in histogram(facets.days):
        shown = _bucket_label(bucket, t)
        href = search_link(params, {"date_from": bucket.start.isoformat(), "date_to": bucket.end.isoformat()})
        tip = f"{shown}: {t.count(bucket.count, 'common.article', 'common.articles')}"
        points.append(charts.Point(shown, bucket.count, href, tip))
    return charts.columns(points, label=t("search.by_date"))


@dataclass(slots=True)
class ShownHit:
    hit: SearchHit
    title: Markup
    snippet: Markup
    language: str
    country: str


def shown_hits(hits: Sequence[SearchHit], query: str, lang: str) -> list[ShownHit]:
    return [
        ShownHit(
            h,
            highlight(h.title, query),
            highlight(h.snippet, query),
            language_name(h.language, lang) if h.language else "",
            country_name(h.country, lang) if h.country else "",
        )
        for h in hits
    ]


def _saved(ws: Ws, user: User) -> list[dict[str, Any]]:
    return [
        q | {"href": qs("/search", q=q["query"], **q["filters"])} for q in ws.accounts.saved_queries(user)
    ]


# --- routes -----------------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    user: Reader,
    ws: Ws,
    args: Search,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    t = Translator(page_language(request))
    result = ws.store.search(args.q, args.filters, order=args.order, page=page, page_size=PAGE_SIZE)
    facets = ws.store.facets(args.q, args.filters, top=TOP)
    label = _Labeller(t, facets)
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    return render(
        request,
        "search.html",
        args=args,
        params=args.params,
        hidden={k: v for k, v in args.params.items() if k not in ("q", "order")},
        result=result,
        hits=shown_hits(result.hits, args.q, t.lang),
        pages=pages,
        previous=qs("/search", **args.params, page=page - 1) if page > 1 else "",
        next=qs("/search", **args.params, page=page + 1) if page < pages else "",
        groups=facet_groups(args.params, facets, label),
        chips=chips(args.params, label),
        chart=date_chart(args.params, facets, t),
        csv_href=search_link(args.params, {}, base="/search.csv") if user.can(Permission.EXPORT) else "",
        saved=_saved(ws, user),
        can_save=user.can(Permission.SAVE_QUERIES),
    )


@router.get("/search.csv", response_class=StreamingResponse)
def search_csv(_: Exporter, ws: Ws, args: Search) -> StreamingResponse:
    return csv_response(ws.store, args)


@router.post("/search/saved")
async def save_search(request: Request, user: Saver, ws: Ws, name: Annotated[str, Form()]) -> Response:
    form = await request.form()
    given = {k: form.get(k) for k in ("q", *SAVED_PARAMS)}
    values = {k: v.strip() for k, v in given.items() if isinstance(v, str) and v.strip()}
    query = values.pop("q", "")
    ws.accounts.save_query(user, name, query, values)
    return RedirectResponse(qs("/search", q=query, **values) + "#saved", status_code=303)


@router.post("/search/saved/{query_id}/delete")
def delete_saved_search(
    user: Saver, ws: Ws, query_id: int, next: Annotated[str, Form()] = "/account#saved"
) -> Response:
    ws.accounts.delete_saved_query(user, query_id)
    return RedirectResponse(safe_next(next), status_code=303)
