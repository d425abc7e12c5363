"""The glossary, the translation memory and the translate screen of a publication.

``/glossary``   the shared glossary: search (accents optional) and filters, paged;
                editors and administrators add, edit, delete and import (editors'
                entries are proposals, only administrators change approved entries and
                approve — the rules of :mod:`newsdesk.publish.library`); everyone
                downloads ``/glossary.csv`` and ``/glossary.tbx``.
``/memory``     units per language pair, a look-up box with scores, TMX import
                (editors+) and ``/memory.tmx``.
``/publications/{id}/translate?lang=en``
                one row per source segment: a textarea prefilled with the best
                suggestion (exact memory match, else machine output, else empty), the
                memory matches with their score, the glossary terms the segment
                requires and the machine output's violations; a banner says when no
                engine is configured. Saving writes the language variant and answers
                a page with the glossary violations of what was saved and a link to
                the variant (:mod:`newsdesk.publish.translation`).

Every change is a ``POST`` form with the session's CSRF token (checked for every route by
:func:`newsdesk.web.deps.csrf_guard`). Glossary changes redirect back to the list (a
reload never repeats them); a refused change re-renders the form with the reason.
Entry forms carry ``term_<lang>``, ``admitted_<lang>`` and ``forbidden_<lang>`` fields
(variants separated by ``|``), so any language can be edited without a fixed list.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.auth import Permission, User
from newsdesk.errors import Conflict, Forbidden, NewsdeskError
from newsdesk.publish.library import (
    GlossaryStore,
    ImportReport,
    MemoryStore,
    StoredEntry,
    build_entry,
)
from newsdesk.publish.translation import (
    SavedTranslation,
    TranslationJob,
    best_suggestion,
    save_translation,
    translate_publication,
)
from newsdesk.publish.workflow import Actor
from newsdesk.translate import EntryStatus, SegmentSuggestion, TermEntry, TermUsage, Violation
from newsdesk.web.api.translation import download, read_upload
from newsdesk.web.deps import Reader, Ws, require
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render

__all__ = ["router"]

router = APIRouter()
Writer = Annotated[User, Depends(require(Permission.EDIT_OWN_UNIT))]
Lang = Annotated[str, Query(pattern="^[a-z]{2}$")]

PAGE_SIZE = 50
FORM_LANGUAGES = ("vi", "en", "fr")
"""Languages every entry form offers; an entry's other languages are added to its form."""
_FIELD = re.compile(r"(term|admitted|forbidden)_([a-z]{2})")
_USAGES = {"term": "preferred", "admitted": "admitted", "forbidden": "forbidden"}
_DONE = ("added", "updated", "deleted", "approved")


# --- glossary: views ------------------------------------------------------------------------------


def _may_change(user: User, stored: StoredEntry) -> bool:
    if user.can(Permission.ADMIN):
        return True
    return user.can(Permission.EDIT_OWN_UNIT) and stored.entry.status is EntryStatus.PROPOSED


def _languages_of(entry: TermEntry | None) -> list[str]:
    extra = [lang for lang in (entry.languages if entry else ()) if lang not in FORM_LANGUAGES]
    return [*FORM_LANGUAGES, *sorted(extra)]


def _display_order(lang: str) -> tuple[int, str]:
    """Vietnamese, English, French first, then the others by code."""
    return (FORM_LANGUAGES.index(lang) if lang in FORM_LANGUAGES else len(FORM_LANGUAGES), lang)


def _term_rows(entry: TermEntry) -> list[dict[str, Any]]:
    rows = []
    for lang in sorted(entry.languages, key=_display_order):
        preferred = entry.preferred(lang)
        rows.append(
            {
                "lang": lang,
                "preferred": preferred.text if preferred else "",
                "admitted": [t.text for t in entry.in_lang(lang, TermUsage.ADMITTED)],
                "forbidden": [t.text for t in entry.in_lang(lang, TermUsage.FORBIDDEN)],
            }
        )
    return rows


def _entry_view(user: User, stored: StoredEntry) -> dict[str, Any]:
    entry = stored.entry
    return {
        "id": stored.id,
        "terms": _term_rows(entry),
        "status": entry.status.value,
        "domain": entry.domain,
        "note": entry.note,
        "updated_by": stored.updated_by,
        "updated_at": stored.updated_at,
        "can_change": _may_change(user, stored),
        "can_approve": user.can(Permission.ADMIN) and entry.status is EntryStatus.PROPOSED,
    }


def _form_values(entry: TermEntry | None) -> dict[str, str]:
    """The entry form's fields for ``entry`` (empty for a new one)."""
    values = {"domain": "", "note": "", "status": "approved", "extra_lang": "", "extra_term": ""}
    if entry is None:
        return values
    values |= {"domain": entry.domain, "note": entry.note, "status": entry.status.value}
    for row in _term_rows(entry):
        values[f"term_{row['lang']}"] = row["preferred"]
        values[f"admitted_{row['lang']}"] = " | ".join(row["admitted"])
        values[f"forbidden_{row['lang']}"] = " | ".join(row["forbidden"])
    return values


def _glossary_page(
    request: Request,
    ws: Ws,
    user: User,
    *,
    filters: dict[str, str] | None = None,
    page: int = 1,
    done: str = "",
    status: int = 200,
    problem: str = "",
    report: ImportReport | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    t = Translator(page_language(request))
    store = GlossaryStore(ws.store.engine)
    wanted = {k: (filters or {}).get(k, "") for k in ("q", "lang", "domain", "status")}
    total, entries = store.listing(
        q=wanted["q"],
        lang=wanted["lang"] or None,
        domain=wanted["domain"] or None,
        status=wanted["status"] or None,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    pages = max(math.ceil(total / PAGE_SIZE), 1)
    return render(
        request,
        "glossary.html",
        status=status,
        entries=[_entry_view(user, stored) for stored in entries],
        total=total,
        page=page,
        pages=pages,
        previous=qs("/glossary", **wanted, page=page - 1) if page > 1 else "",
        next=qs("/glossary", **wanted, page=page + 1) if page < pages else "",
        filters=wanted,
        languages=sorted(store.glossary().languages | set(FORM_LANGUAGES)),
        domains=store.domains(),
        can_write=user.can(Permission.EDIT_OWN_UNIT),
        can_approve=user.can(Permission.ADMIN),
        form=form or _form_values(None),
        form_languages=list(FORM_LANGUAGES),
        notice=t(f"glossary.done.{done}") if done in _DONE else "",
        problem=problem,
        report=report.as_dict() if report else None,
    )


# --- glossary: forms ------------------------------------------------------------------------------


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


def _entry_from(values: dict[str, str]) -> TermEntry:
    """The entry a form describes (:class:`NewsdeskError` naming what is wrong)."""
    triples: list[tuple[str, str, str]] = []
    for key, value in values.items():
        match = _FIELD.fullmatch(key)
        if match is None or not value:
            continue
        parts = [value] if match[1] == "term" else value.split("|")
        triples += [(match[2], part, _USAGES[match[1]]) for part in parts]
    extra = values.get("extra_lang", "").lower()
    if extra and values.get("extra_term"):
        if not re.fullmatch("[a-z]{2}", extra):
            raise NewsdeskError(f"language code {extra!r} is not ISO 639-1 (two letters)")
        triples.append((extra, values["extra_term"], "preferred"))
    status = values.get("status") or EntryStatus.APPROVED.value
    return build_entry(triples, status=status, domain=values.get("domain", ""), note=values.get("note", ""))


def _refusal_status(exc: NewsdeskError) -> int:
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, Forbidden):
        return 403
    return 400


def _back(done: str, entry_id: int | None = None) -> Response:
    anchor = f"#entry-{entry_id}" if entry_id is not None and done != "deleted" else ""
    return RedirectResponse(qs("/glossary", done=done) + anchor, status_code=303)


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(
    request: Request,
    user: Reader,
    ws: Ws,
    q: str = "",
    lang: str = "",
    domain: str = "",
    status: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
    done: str = "",
) -> Response:
    status = status if status in {s.value for s in EntryStatus} else ""
    filters = {"q": q, "lang": lang, "domain": domain, "status": status}
    return _glossary_page(request, ws, user, filters=filters, page=page, done=done)


@router.post("/glossary")
async def add_entry(request: Request, user: Writer, ws: Ws) -> Response:
    values = await _posted(request)
    try:
        stored = GlossaryStore(ws.store.engine).add(Actor.of(user), _entry_from(values))
    except NewsdeskError as exc:
        return _glossary_page(request, ws, user, status=_refusal_status(exc), problem=str(exc), form=values)
    return _back("added", stored.id)


@router.post("/glossary/import")
async def import_glossary(
    request: Request, user: Writer, ws: Ws, file: Annotated[UploadFile, File()]
) -> Response:
    try:
        data = await read_upload(file)
        origin = file.filename or "upload.csv"
        report = GlossaryStore(ws.store.engine).import_file(Actor.of(user), data, origin=origin)
    except NewsdeskError as exc:
        return _glossary_page(request, ws, user, status=400, problem=str(exc))
    return _glossary_page(request, ws, user, report=report)


@router.get("/glossary.csv")
def glossary_csv(_: Reader, ws: Ws) -> Response:
    return download(GlossaryStore(ws.store.engine).export("csv"), "glossary.csv", "csv")


@router.get("/glossary.tbx")
def glossary_tbx(_: Reader, ws: Ws) -> Response:
    return download(GlossaryStore(ws.store.engine).export("tbx"), "glossary.tbx", "tbx")


def _entry_page(
    request: Request,
    user: User,
    stored: StoredEntry,
    *,
    form: dict[str, str],
    problem: str = "",
    status: int = 200,
) -> Response:
    if not _may_change(user, stored):
        raise Forbidden(
            f"glossary entry {stored.id} is approved: only administrators change approved entries"
        )
    return render(
        request,
        "glossary_entry.html",
        status=status,
        entry=_entry_view(user, stored),
        form=form,
        form_languages=_languages_of(stored.entry),
        can_approve=user.can(Permission.ADMIN),
        problem=problem,
    )


@router.get("/glossary/{entry_id}/edit", response_class=HTMLResponse)
def edit_entry_page(request: Request, user: Writer, ws: Ws, entry_id: int) -> Response:
    stored = GlossaryStore(ws.store.engine).get(entry_id)
    return _entry_page(request, user, stored, form=_form_values(stored.entry))


@router.post("/glossary/{entry_id}")
async def update_entry(request: Request, user: Writer, ws: Ws, entry_id: int) -> Response:
    store = GlossaryStore(ws.store.engine)
    values = await _posted(request)
    try:
        store.update(Actor.of(user), entry_id, _entry_from(values))
    except Forbidden:
        raise
    except NewsdeskError as exc:
        stored = store.get(entry_id)
        return _entry_page(request, user, stored, form=values, problem=str(exc), status=_refusal_status(exc))
    return _back("updated", entry_id)


@router.post("/glossary/{entry_id}/delete")
def delete_entry(user: Writer, ws: Ws, entry_id: int) -> Response:
    GlossaryStore(ws.store.engine).delete(Actor.of(user), entry_id)
    return _back("deleted")


@router.post("/glossary/{entry_id}/approve")
def approve_entry(user: Writer, ws: Ws, entry_id: int) -> Response:
    GlossaryStore(ws.store.engine).approve(Actor.of(user), entry_id)
    return _back("approved", entry_id)


# --- memory ---------------------------------------------------------------------------------------


def _memory_page(
    request: Request,
    ws: Ws,
    user: User,
    *,
    q: str = "",
    src: str = "vi",
    tgt: str = "en",
    report: ImportReport | None = None,
    problem: str = "",
    status: int = 200,
) -> Response:
    store = MemoryStore(ws.store.engine)
    threshold = float(ws.settings.translate.memory_threshold)
    matches = store.lookup(q, src, tgt, threshold=threshold, limit=10) if q.strip() and src != tgt else []
    return render(
        request,
        "memory.html",
        status=status,
        pairs=store.pairs(),
        size=store.size(),
        q=q,
        src=src,
        tgt=tgt,
        languages=sorted({*FORM_LANGUAGES, src, tgt}),
        threshold=threshold,
        matches=matches,
        can_write=user.can(Permission.EDIT_OWN_UNIT),
        report=report.as_dict() if report else None,
        problem=problem,
    )


@router.get("/memory", response_class=HTMLResponse)
def memory_page(
    request: Request, user: Reader, ws: Ws, q: str = "", src: Lang = "vi", tgt: Lang = "en"
) -> Response:
    return _memory_page(request, ws, user, q=q, src=src, tgt=tgt)


@router.post("/memory/import")
async def import_memory(
    request: Request, user: Writer, ws: Ws, file: Annotated[UploadFile, File()]
) -> Response:
    try:
        data = await read_upload(file)
        report = MemoryStore(ws.store.engine).import_tmx(data, origin=file.filename or "upload.tmx")
    except NewsdeskError as exc:
        return _memory_page(request, ws, user, problem=str(exc), status=400)
    return _memory_page(request, ws, user, report=report)


@router.get("/memory.tmx")
def memory_tmx(_: Reader, ws: Ws) -> Response:
    return download(MemoryStore(ws.store.engine).export_tmx(), "memory.tmx", "tmx")


# --- the translate screen -------------------------------------------------------------------------


def _segment_row(segment: SegmentSuggestion) -> dict[str, Any]:
    return {
        "index": segment.index,
        "source": segment.source,
        "suggestion": best_suggestion(segment),
        "memory": segment.memory,
        "terms": segment.terms,
        "machine": segment.machine,
        "violations": segment.violations,
    }


def violation_text(t: Translator, violation: Violation) -> str:
    """A glossary violation in the page's language."""
    if violation.kind.value == "forbidden_term":
        return t("translate.forbidden_term", found=violation.found, expected=violation.expected or "—")
    return t(
        "translate.missing_term",
        expected=violation.expected or "—",
        present=violation.present,
        required=violation.required,
    )


def _banner(t: Translator, job: TranslationJob, engine_setting: str) -> tuple[str, str]:
    """``(css class, text)`` of the banner above the segments."""
    if engine_setting == "none":
        return "warning", t("translate.no_engine")
    if job.manual:
        return "warning", t("translate.engine_failed") + " " + job.message
    return "notice", t("translate.machine", engine=job.body.engine or "")


def _translate_page(request: Request, ws: Ws, job: TranslationJob, *, status: int = 200) -> Response:
    t = Translator(page_language(request))
    kind, banner = _banner(t, job, ws.settings.translate.engine)
    return render(
        request,
        "translate.html",
        status=status,
        publication=job.publication,
        target_lang=job.target_lang,
        title_suggestion=job.title_suggestion,
        segments=[_segment_row(segment) for segment in job.body.segments],
        variant=job.variant,
        banner=banner,
        banner_kind=kind,
        violation_text=lambda v: violation_text(t, v),
    )


@router.get("/publications/{publication_id}/translate", response_class=HTMLResponse)
def translate_page(request: Request, user: Writer, ws: Ws, publication_id: int, lang: Lang) -> Response:
    job = translate_publication(ws.store.engine, ws.settings.translate, Actor.of(user), publication_id, lang)
    return _translate_page(request, ws, job)


@router.post("/publications/{publication_id}/translate")
def save_translation_form(
    request: Request,
    user: Writer,
    ws: Ws,
    publication_id: int,
    lang: Lang,
    title: Annotated[str, Form(max_length=2000)],
    segment: Annotated[list[str] | None, Form()] = None,
) -> Response:
    saved = save_translation(ws.store.engine, Actor.of(user), publication_id, lang, segment or [], title)
    return _saved_page(request, publication_id, lang, saved)


def _saved_page(request: Request, publication_id: int, lang: str, saved: SavedTranslation) -> Response:
    t = Translator(page_language(request))
    return render(
        request,
        "translate_saved.html",
        status=201 if saved.created else 200,
        publication_id=publication_id,
        target_lang=lang,
        saved=saved,
        problems=[
            {
                "segment": p.segment,
                "source": p.source,
                "target": p.target,
                "text": violation_text(t, p.violation),
            }
            for p in saved.problems
        ],
    )
