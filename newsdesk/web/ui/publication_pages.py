"""Publications: the office's own texts (``/publications``), one text with its workflow, history,
versions, variants and pickups (``/publications/{id}``), a diff of two versions, and the short
formats for social networks (``/publications/{id}/short``).

**Who sees what.** Every logged-in user reads every page. Creating, editing and moving a
publication through the workflow needs ``Permission.EDIT_OWN_UNIT`` and the publication's
unit (:meth:`newsdesk.publish.workflow.Actor.may_change`): a button or form a user may not
use is not shown, and a request for it anyway is answered by the 403 page. The author is
always the logged-in user; an editor writes for their own unit (the form has no choice),
an administrator picks any unit.

**Forms** post with the session's CSRF token and answer with a redirect (303) to the
publication, or with the form again and the reason when the service refused the input.

**Pickups** (the monitored articles that reuse the text) come from the ``pickups`` table
when the refresher has stored some, else are computed on the page load
(:func:`newsdesk.measure.archive.publication_pickups`, well under a second for a few
hundred candidates).

**Diffs** are rendered from :func:`newsdesk.publish.publications.diff_rows`: plain text in
autoescaped templates, deleted and inserted lines marked, changed words in ``<del>``/``<ins>``.

**Short formats** are shown in read-only text areas for a person to copy and post; the page
has downloads for subtitles (SRT, WebVTT) and never posts anything anywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.analyze.themes import load_taxonomy
from newsdesk.auth import Permission, User
from newsdesk.errors import AuthError, NewsdeskError, NotFound
from newsdesk.measure.archive import publication_pickups
from newsdesk.publish.formats import NETWORKS, ShortFormats
from newsdesk.publish.publications import Publications, overlap_warnings
from newsdesk.publish.workflow import STATUSES, Actor, actions_from
from newsdesk.web.api.paging import Page
from newsdesk.web.api.publications import check_themes, subtitles
from newsdesk.web.deps import Reader, Ws, require
from newsdesk.web.ui.article_pages import safe_link
from newsdesk.web.ui.i18n import Translator, messages
from newsdesk.web.ui.render import page_language, qs, render
from newsdesk.web.ui.search_pages import language_name, theme_name

__all__ = ["LANGUAGES", "NETWORK_NAMES", "TARGET_LANGUAGES", "router"]

router = APIRouter()
Writer = Annotated[User, Depends(require(Permission.EDIT_OWN_UNIT))]
PAGE_SIZE = 50
LANGUAGES = ("vi", "en", "fr", "zh", "ru", "ja", "ko", "lo", "km", "es", "de")
"""Languages a publication can be written in on the form."""
TARGET_LANGUAGES = ("vi", "en", "fr")
"""Languages offered for a new variant (``/publications/{id}/translate``, the translation pages, make it)."""
NETWORK_NAMES = {
    "x": "X",
    "facebook": "Facebook",
    "threads": "Threads",
    "linkedin": "LinkedIn",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube_shorts": "YouTube Shorts",
    "zalo_oa": "Zalo OA",
    "telegram": "Telegram",
}
PASSAGE_CHARS = 400
"""Characters of a reused passage shown in the pickup panel."""
CUES_SHOWN = 12


def _service(ws: Ws) -> Publications:
    return Publications(ws.store.engine)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _units(ws: Ws, t: Translator) -> dict[str, str]:
    return {u["code"]: u["name_vi"] if t.lang == "vi" else u["name_en"] for u in ws.accounts.units()}


def _event(t: Translator, action: str) -> str:
    """An event's name in the page's language; an action this page does not know by its id."""
    key = f"publications.event.{action}"
    return t(key) if key in messages() else action


def _refused(exc: NewsdeskError) -> str:
    """The reason to show on a form; refusals of the user or of a missing record go to their error pages."""
    if isinstance(exc, AuthError | NotFound):
        raise exc
    return str(exc)


# ---------------------------------------------------------------- the list


@router.get("/publications", response_class=HTMLResponse)
def publications_page(
    request: Request,
    user: Reader,
    ws: Ws,
    unit: str = "",
    status: Literal["", "draft", "review", "approved", "published"] = "",
    language: str = "",
    page: Page = 1,
) -> HTMLResponse:
    """The list; an empty filter (the form's "all") is no filter."""
    pubs = _service(ws)
    t = Translator(page_language(request))
    filters = {"unit": unit or None, "status": status or None, "language": language or None}
    items = pubs.listing(**filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total = pubs.count(**filters)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        "publications.html",
        items=[p | {"updated": _when(p["updated_at"])} for p in items],
        filters=filters,
        units=_units(ws, t),
        statuses=STATUSES,
        languages={code: language_name(code, t.lang) for code in LANGUAGES},
        total=total,
        page=page,
        pages=pages,
        previous=qs("/publications", **filters, page=page - 1) if page > 1 else None,
        next=qs("/publications", **filters, page=page + 1) if page < pages else None,
        can_create=user.can(Permission.EDIT_OWN_UNIT),
    )


# ---------------------------------------------------------------- new and edit


def _theme_options(t: Translator) -> list[dict[str, Any]]:
    return [
        {"id": th.id, "label": th.label(t.lang), "child": th.parent is not None} for th in load_taxonomy()
    ]


def _form(
    request: Request,
    ws: Ws,
    user: User,
    *,
    values: dict[str, Any],
    publication: dict[str, Any] | None = None,
    problem: str = "",
) -> HTMLResponse:
    t = Translator(page_language(request))
    return render(
        request,
        "publication_form.html",
        status=400 if problem else 200,
        publication=publication,
        values=values,
        problem=problem,
        units=_units(ws, t),
        any_unit=user.role == "administrator",
        languages={code: language_name(code, t.lang) for code in LANGUAGES},
        themes=_theme_options(t),
    )


@router.get("/publications/new", response_class=HTMLResponse)
def new_publication_form(request: Request, user: Writer, ws: Ws) -> HTMLResponse:
    values = {"title": "", "body": "", "language": "vi", "unit": user.unit_code, "themes": [], "note": ""}
    return _form(request, ws, user, values=values)


@router.post("/publications/new")
def create_publication(
    request: Request,
    user: Writer,
    ws: Ws,
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "vi",
    unit: Annotated[str, Form()] = "",
    themes: Annotated[list[str] | None, Form()] = None,
) -> Response:
    chosen = unit if unit and user.role == "administrator" else user.unit_code
    values = {"title": title, "body": body, "language": language, "unit": chosen, "themes": themes or []}
    try:
        new_id = _service(ws).add(
            Actor.of(user),
            unit=chosen,
            language=language,
            title=title,
            body=body,
            themes=check_themes(themes or []),
        )
    except NewsdeskError as exc:
        return _form(request, ws, user, values=values | {"note": ""}, problem=_refused(exc))
    return RedirectResponse(f"/publications/{new_id}", status_code=303)


def _changeable(ws: Ws, user: User, publication_id: int) -> dict[str, Any]:
    publication = _service(ws).get(publication_id)
    Actor.of(user).check_unit(publication["unit"], f"edit publication {publication_id}")
    return publication


@router.get("/publications/{publication_id}/edit", response_class=HTMLResponse)
def edit_publication_form(request: Request, user: Writer, ws: Ws, publication_id: int) -> HTMLResponse:
    publication = _changeable(ws, user, publication_id)
    values = {key: publication[key] for key in ("title", "body", "language", "unit", "themes")} | {"note": ""}
    return _form(request, ws, user, values=values, publication=publication)


@router.post("/publications/{publication_id}/edit")
def edit_publication(
    request: Request,
    user: Writer,
    ws: Ws,
    publication_id: int,
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    publication = _changeable(ws, user, publication_id)
    try:
        _service(ws).edit(Actor.of(user), publication_id, title=title, body=body, note=note)
    except NewsdeskError as exc:
        values = publication | {"title": title, "body": body, "note": note}
        return _form(request, ws, user, values=values, publication=publication, problem=_refused(exc))
    return RedirectResponse(f"/publications/{publication_id}", status_code=303)


# ---------------------------------------------------------------- one publication


@router.get("/publications/{publication_id}", response_class=HTMLResponse)
def publication_page(request: Request, user: Reader, ws: Ws, publication_id: int) -> HTMLResponse:
    return _publication_view(request, ws, user, publication_id)


@router.post("/publications/{publication_id}/actions/{action}")
def act_on_publication(
    request: Request,
    user: Writer,
    ws: Ws,
    publication_id: int,
    action: str,
    note: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
) -> Response:
    try:
        _service(ws).act(Actor.of(user), publication_id, action, note=note, url=url or None)
    except NewsdeskError as exc:
        return _publication_view(request, ws, user, publication_id, problem=_refused(exc))
    return RedirectResponse(f"/publications/{publication_id}", status_code=303)


def _publication_view(
    request: Request, ws: Ws, user: User, publication_id: int, *, problem: str = ""
) -> HTMLResponse:
    pubs = _service(ws)
    publication = pubs.get(publication_id)
    t = Translator(page_language(request))
    may_change = Actor.of(user).may_change(publication["unit"])
    units = _units(ws, t)
    found, origin = publication_pickups(ws.store, pubs, publication_id)
    return render(
        request,
        "publication.html",
        status=400 if problem else 200,
        p=publication,
        problem=problem,
        unit_name=units.get(publication["unit"], publication["unit"]),
        language=language_name(publication["language"], t.lang),
        theme_names=[theme_name(theme, t.lang) for theme in publication["themes"]],
        paragraphs=[line for line in publication["body"].split("\n") if line.strip()],
        published_link=safe_link(publication["url"]),
        dates={key: _when(publication[key]) for key in ("published_at", "created_at", "updated_at")},
        may_change=may_change,
        actions=actions_from(publication["status"]) if may_change else (),
        events=[
            e | {"when": _when(e["at"]), "label": _event(t, e["action"])}
            for e in reversed(publication["events"])
        ],
        versions=[v | {"when": _when(v["created_at"])} for v in reversed(publication["versions"])],
        source=pubs.get(publication["source_id"]) if publication["source_id"] else None,
        variants=publication["variants"],
        targets=_targets(pubs, publication) if may_change else [],
        overlaps=[_shown_overlap(o, units) for o in overlap_warnings(ws.store.engine, publication_id)],
        pickups=[_shown_pickup(row) for row in found],
        pickup_origin=origin,
    )


def _targets(pubs: Publications, publication: dict[str, Any]) -> list[str]:
    """Languages a new variant could be made in: those the family does not have yet."""
    if publication["source_id"]:
        return []
    present = {member["language"] for member in pubs.family(publication["id"])}
    return [lang for lang in TARGET_LANGUAGES if lang not in present]


def _shown_overlap(overlap: dict[str, Any], units: dict[str, str]) -> dict[str, Any]:
    """An overlap warning of :mod:`newsdesk.publish.overlap` as the page shows it."""
    unit = str(overlap.get("unit", ""))
    return {
        "id": overlap["id"],
        "title": overlap.get("title") or f"#{overlap['id']}",
        "unit_name": units.get(unit, unit),
        "status": overlap.get("status", ""),
        "when": _when(overlap.get("published_at") or overlap.get("updated_at")),
        "share": overlap.get("containment"),
    }


def _clip(text: str) -> str:
    return text[:PASSAGE_CHARS] + "…" if len(text) > PASSAGE_CHARS else text


def _shown_pickup(row: dict[str, Any]) -> dict[str, Any]:
    passages = [
        {"words": p.get("words"), "text": _clip(str(p.get("text", "")))} for p in row.get("passages", [])
    ]
    return row | {
        "when": _when(row["published_at"]),
        "link": safe_link(row["url"]),
        "shown_passages": passages,
    }


# ---------------------------------------------------------------- diff


@router.get("/publications/{publication_id}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    _: Reader,
    ws: Ws,
    publication_id: int,
    old: Annotated[int | None, Query(alias="from", ge=1)] = None,
    new: Annotated[int | None, Query(alias="to", ge=1)] = None,
) -> HTMLResponse:
    pubs = _service(ws)
    publication = pubs.get(publication_id)
    to = new or publication["version"]
    diff = pubs.diff(publication_id, old or max(to - 1, 1), to)
    return render(request, "publication_diff.html", p=publication, diff=diff)


# ---------------------------------------------------------------- short formats


def _shown_formats(member: dict[str, Any], formats: ShortFormats, t: Translator) -> dict[str, Any]:
    posts = [
        {
            "network": name,
            "name": NETWORK_NAMES.get(name, name),
            "counting": NETWORKS[name].counting,
            "post": post,
            "over": post.length > post.limit,
        }
        for name, post in formats.posts.items()
    ]
    return {
        "member": member,
        "language": language_name(member["language"], t.lang),
        "formats": formats,
        "posts": posts,
        "cues": formats.cues[:CUES_SHOWN],
        "more_cues": max(0, len(formats.cues) - CUES_SHOWN),
    }


@router.get("/publications/{publication_id}/short", response_class=HTMLResponse)
def short_page(request: Request, _: Reader, ws: Ws, publication_id: int) -> HTMLResponse:
    pubs = _service(ws)
    t = Translator(page_language(request))
    family = pubs.short_formats(publication_id)
    publication = next(member for member, _ in family if member["id"] == publication_id)
    return render(
        request,
        "publication_short.html",
        p=publication,
        members=[_shown_formats(member, formats, t) for member, formats in family],
    )


@router.get("/publications/{publication_id}/short.{kind}", response_class=Response)
def short_subtitles(
    _: Reader, ws: Ws, publication_id: int, kind: Literal["srt", "vtt"], lang: str | None = None
) -> Response:
    return subtitles(_service(ws), publication_id, kind, lang)
