"""Publications: the office's own texts, their versions, workflow, variants, pickups and short formats.

**Who may do what.** Everyone logged in reads: the list, one publication, a diff, its
pickups, its short formats. Writing (create, edit, workflow actions) needs
``Permission.EDIT_OWN_UNIT`` and is then limited to the caller's own unit unless they
administer (:meth:`newsdesk.publish.workflow.Actor.check_unit`); a refusal is a 403 in
the one error shape. The author is always the caller: the bodies have no field to name
another one (an unknown field is refused), and a unit left out is the caller's own.

**Versions.** ``PATCH`` changes what it is given (title, body, themes), ``PUT`` replaces
title and body; either saves a new version when the text changed (with ``note``), and
answers the whole publication plus ``overlaps``: other units' recent publications on
the same subject, when :mod:`newsdesk.publish.overlap` is installed (empty otherwise).

**Short formats** (``/short``, ``/short.srt``, ``/short.vtt``) are texts for people to
post by hand. Nothing here posts anywhere.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from newsdesk.analyze.themes import load_taxonomy
from newsdesk.auth import Permission, User
from newsdesk.errors import NewsdeskError, NotFound
from newsdesk.measure.archive import publication_pickups
from newsdesk.publish.formats import NETWORKS, ShortFormats
from newsdesk.publish.publications import Publications, overlap_warnings
from newsdesk.publish.workflow import Actor
from newsdesk.web.api.paging import Page, PageSize, paged
from newsdesk.web.deps import Reader, Ws, require

__all__ = [
    "ActionRequest",
    "PublicationCreate",
    "PublicationEdit",
    "PublicationReplace",
    "check_themes",
    "router",
    "short_payload",
    "subtitles",
]

router = APIRouter(prefix="/publications", tags=["publications"])
Writer = Annotated[User, Depends(require(Permission.EDIT_OWN_UNIT))]
Status = Literal["draft", "review", "approved", "published"]
"""The statuses of :data:`newsdesk.publish.workflow.STATUSES`."""
SUBTITLE_TYPES = {"srt": "application/x-subrip; charset=utf-8", "vtt": "text/vtt; charset=utf-8"}


class PublicationCreate(BaseModel):
    """A new draft. ``unit`` defaults to the caller's; ``source_id`` makes it a language variant."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=1000)
    body: str = Field(min_length=1)
    language: str = Field("vi", min_length=2, max_length=8, description="ISO 639-1: vi, en, fr …")
    unit: str | None = None
    themes: list[str] = Field(default_factory=list, description="theme ids of the taxonomy")
    source_id: int | None = None


class PublicationEdit(BaseModel):
    """What to change; what is left out stays."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=1000)
    body: str | None = Field(None, min_length=1)
    themes: list[str] | None = None
    note: str = Field("", max_length=2000, description="why: kept with the version")


class PublicationReplace(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=1000)
    body: str = Field(min_length=1)
    themes: list[str] | None = None
    note: str = Field("", max_length=2000)


class ActionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=2000)
    url: str | None = Field(None, max_length=2000, description="publish: where it was published (http/https)")


def check_themes(themes: list[str]) -> list[str]:
    """``themes`` when every id is in the taxonomy; a 400 naming the unknown ones otherwise."""
    taxonomy = load_taxonomy()
    unknown = [theme for theme in themes if theme not in taxonomy]
    if unknown:
        raise NewsdeskError(f"unknown theme ids: {', '.join(unknown)} (see /themes)")
    return list(dict.fromkeys(themes))


def _service(ws: Ws) -> Publications:
    return Publications(ws.store.engine)


def _with_overlaps(pubs: Publications, publication_id: int) -> dict[str, Any]:
    return pubs.get(publication_id) | {"overlaps": overlap_warnings(pubs.engine, publication_id)}


@router.get("")
def list_publications(
    _: Reader,
    ws: Ws,
    unit: str | None = None,
    status: Status | None = None,
    language: str | None = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """Publications without their bodies, last changed first; variants carry ``stale``."""
    pubs = _service(ws)
    filters = {"unit": unit or None, "status": status, "language": language or None}
    items = pubs.listing(**filters, limit=page_size, offset=(page - 1) * page_size)
    return paged(items, pubs.count(**filters), page, page_size)


@router.post("", status_code=201)
def create_publication(user: Writer, ws: Ws, body: PublicationCreate, response: Response) -> dict[str, Any]:
    """A new draft (version 1) by the caller, for their unit unless they administer."""
    pubs = _service(ws)
    new_id = pubs.add(
        Actor.of(user),
        unit=body.unit or user.unit_code,
        language=body.language,
        title=body.title,
        body=body.body,
        themes=check_themes(body.themes) if body.themes else None,
        source_id=body.source_id,
    )
    response.headers["Location"] = f"/api/publications/{new_id}"
    return _with_overlaps(pubs, new_id)


@router.get("/{publication_id}")
def get_publication(_: Reader, ws: Ws, publication_id: int) -> dict[str, Any]:
    """The publication with its history (events), versions and language variants."""
    return _service(ws).get(publication_id)


def _edit(
    user: User,
    ws: Ws,
    publication_id: int,
    title: str | None,
    text: str | None,
    themes: list[str] | None,
    note: str,
) -> dict[str, Any]:
    pubs = _service(ws)
    actor = Actor.of(user)
    current = pubs.get(publication_id)
    actor.check_unit(current["unit"], f"edit publication {publication_id}")
    if themes is not None and themes != current["themes"]:
        pubs.set_themes(actor, publication_id, check_themes(themes))
    pubs.edit(actor, publication_id, title=title or current["title"], body=text or current["body"], note=note)
    return _with_overlaps(pubs, publication_id)


@router.patch("/{publication_id}")
def edit_publication(user: Writer, ws: Ws, publication_id: int, body: PublicationEdit) -> dict[str, Any]:
    """Change title, body or themes; a changed text is a new version."""
    return _edit(user, ws, publication_id, body.title, body.body, body.themes, body.note)


@router.put("/{publication_id}")
def replace_publication(
    user: Writer, ws: Ws, publication_id: int, body: PublicationReplace
) -> dict[str, Any]:
    """Replace title and body: a new version when they changed."""
    return _edit(user, ws, publication_id, body.title, body.body, body.themes, body.note)


@router.post("/{publication_id}/actions/{action}")
def act_on_publication(
    user: Writer, ws: Ws, publication_id: int, action: str, body: ActionRequest | None = None
) -> dict[str, Any]:
    """``submit``, ``return``, ``approve`` or ``publish`` (with the published ``url``)."""
    request = body or ActionRequest()
    return _service(ws).act(Actor.of(user), publication_id, action, note=request.note, url=request.url)


@router.get("/{publication_id}/diff")
def diff_publication(
    _: Reader,
    ws: Ws,
    publication_id: int,
    old: Annotated[
        int | None, Query(alias="from", ge=1, description="default: the version before `to`")
    ] = None,
    new: Annotated[int | None, Query(alias="to", ge=1, description="default: the current version")] = None,
) -> dict[str, Any]:
    """A unified diff of two versions (title, blank line, body lines) and its display rows."""
    pubs = _service(ws)
    to = new or pubs.get(publication_id)["version"]
    return pubs.diff(publication_id, old or max(to - 1, 1), to)


@router.get("/{publication_id}/pickups")
def publication_pickups_api(_: Reader, ws: Ws, publication_id: int) -> dict[str, Any]:
    """Monitored articles reusing the publication or a variant, most reused first, with passages."""
    found, origin = publication_pickups(ws.store, _service(ws), publication_id)
    return {"publication": publication_id, "origin": origin, "total": len(found), "results": found}


def short_payload(member: dict[str, Any], formats: ShortFormats) -> dict[str, Any]:
    """One member of the family with its short formats, as JSON."""
    posts = {
        name: dataclasses.asdict(post) | {"counting": NETWORKS[name].counting}
        for name, post in formats.posts.items()
    }
    return {
        "id": member["id"],
        "language": member["language"],
        "title": member["title"],
        "stale": member["stale"],
        "posts": posts,
        "caption": formats.caption,
        "hashtags": list(formats.hashtags),
        "script": formats.script,
        "cues": [dataclasses.asdict(cue) for cue in formats.cues],
    }


@router.get("/{publication_id}/short")
def short_publication(_: Reader, ws: Ws, publication_id: int) -> dict[str, Any]:
    """Posts per network, caption, hashtags, video script and cues for each language of the family.

    Texts for people to post by hand; nothing is posted.
    """
    family = _service(ws).short_formats(publication_id)
    return {"publication": publication_id, "variants": [short_payload(m, f) for m, f in family]}


def subtitles(pubs: Publications, publication_id: int, kind: str, lang: str | None) -> Response:
    """The SRT or WebVTT file of one language of the family (default: the publication's own)."""
    wanted = lang or pubs.get(publication_id)["language"]
    found = pubs.short_formats(publication_id, wanted)
    if not found:
        raise NotFound(f"publication {publication_id} has no variant in {wanted!r}")
    formats = found[0][1]
    text = formats.srt if kind == "srt" else formats.vtt
    filename = f"publication-{publication_id}-{wanted}.{kind}"
    return Response(
        text.encode("utf-8"),
        media_type=SUBTITLE_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/{publication_id}/short.srt", response_class=Response)
def short_srt(_: Reader, ws: Ws, publication_id: int, lang: str | None = None) -> Response:
    return subtitles(_service(ws), publication_id, "srt", lang)


@router.get("/{publication_id}/short.vtt", response_class=Response)
def short_vtt(_: Reader, ws: Ws, publication_id: int, lang: str | None = None) -> Response:
    return subtitles(_service(ws), publication_id, "vtt", lang)
