"""The translation library and workflow over JSON: glossary, memory, a publication's translation.

=======  =========================================  ==========================================
GET      /api/glossary                              entries, paged; ``q`` (accents optional),
                                                    ``lang``, ``domain``, ``status``
POST     /api/glossary                              add an entry (editors: as a proposal)
GET      /api/glossary/export?format=csv|tbx        the glossary file
POST     /api/glossary/import                       multipart ``file`` (.csv / .tbx): counts and
                                                    rejections with ``file:line``
GET/PUT/DELETE /api/glossary/{id}                   one entry (editors: proposed entries only)
POST     /api/glossary/{id}/approve                 administrators
GET      /api/memory?q=&src=&tgt=                   size per language pair; matches of ``q``
POST     /api/memory/import                         multipart ``file`` (.tmx)
GET      /api/memory/export?src=&tgt=               TMX 1.4
GET      /api/publications/{id}/translation?lang=   the per-segment suggestions
POST     /api/publications/{id}/translation?lang=   ``{"title", "segments"}`` → the variant's id,
                                                    version and glossary violations
=======  =========================================  ==========================================

Everyone logged in reads the glossary and the memory; editors and administrators
write (the rules of :mod:`newsdesk.publish.library`); translating a publication
needs an editor of its unit or an administrator. Uploads are capped at
:data:`MAX_UPLOAD` bytes. Errors have the one shape of :mod:`newsdesk.web.errors`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from newsdesk.auth import Permission, User
from newsdesk.errors import TooLarge
from newsdesk.publish.library import GlossaryStore, MemoryStore, build_entry
from newsdesk.publish.translation import save_translation, translate_publication
from newsdesk.publish.workflow import Actor
from newsdesk.translate import TermEntry
from newsdesk.web.api.paging import Page, PageSize, paged
from newsdesk.web.deps import Reader, Ws, require

__all__ = ["MAX_UPLOAD", "EntryIn", "TranslationIn", "download", "read_upload", "router"]

router = APIRouter(tags=["translation"])
Writer = Annotated[User, Depends(require(Permission.EDIT_OWN_UNIT))]
MAX_UPLOAD = 50_000_000
"""Bytes of one uploaded glossary or TMX file."""

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tbx": "application/x-tbx+xml",
    "tmx": "application/x-tmx+xml",
}


class TermIn(BaseModel):
    lang: str = Field(pattern="^[a-z]{2}$")
    text: str = Field(min_length=1, max_length=500)
    usage: Literal["preferred", "admitted", "forbidden"] = "preferred"


class EntryIn(BaseModel):
    """A concept: its terms; editors' entries are stored as ``proposed`` whatever ``status`` says."""

    terms: list[TermIn] = Field(min_length=1, max_length=60)
    status: Literal["approved", "proposed"] = "approved"
    domain: str = Field("", max_length=200)
    note: str = Field("", max_length=5000)

    def entry(self) -> TermEntry:
        triples = [(t.lang, t.text, t.usage) for t in self.terms]
        return build_entry(triples, status=self.status, domain=self.domain, note=self.note)


class TranslationIn(BaseModel):
    """The translator's text: the title and one target segment per source segment."""

    title: str = Field(min_length=1, max_length=2000)
    segments: list[str] = Field(max_length=5000)


async def read_upload(file: UploadFile) -> bytes:
    """The bytes of an upload, refused past :data:`MAX_UPLOAD`."""
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise TooLarge(file.filename or "upload", f"larger than {MAX_UPLOAD:,} bytes")
    return data


def download(data: bytes, name: str, kind: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=CONTENT_TYPES[kind], headers=headers)


# --- glossary -------------------------------------------------------------------------------------


@router.get("/glossary")
def glossary(
    _: Reader,
    ws: Ws,
    q: str = "",
    lang: Annotated[str | None, Query(pattern="^[a-z]{2}$")] = None,
    domain: str | None = None,
    status: Literal["approved", "proposed"] | None = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """Glossary entries by headword; ``q`` searches terms, notes and domains, accents optional."""
    offset = (page - 1) * page_size
    total, entries = GlossaryStore(ws.store.engine).listing(
        q=q, lang=lang, domain=domain, status=status, offset=offset, limit=page_size
    )
    return paged([e.as_dict() for e in entries], total, page, page_size)


@router.post("/glossary", status_code=201)
def add_entry(user: Writer, ws: Ws, body: EntryIn) -> dict[str, Any]:
    return GlossaryStore(ws.store.engine).add(Actor.of(user), body.entry()).as_dict()


@router.get("/glossary/export")
def export_glossary(
    _: Reader,
    ws: Ws,
    format: Literal["csv", "tbx"] = "csv",
    status: Literal["approved", "proposed"] | None = None,
) -> Response:
    """The glossary as CSV (Excel-ready, with a BOM) or TBX."""
    data = GlossaryStore(ws.store.engine).export(format, status=status)
    return download(data, f"glossary.{format}", format)


@router.post("/glossary/import")
async def import_glossary(user: Writer, ws: Ws, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """Import a .csv or .tbx file: existing concepts updated, bad rows reported with ``file:line``."""
    data = await read_upload(file)
    store = GlossaryStore(ws.store.engine)
    return store.import_file(Actor.of(user), data, origin=file.filename or "upload.csv").as_dict()


@router.get("/glossary/{entry_id}")
def entry(_: Reader, ws: Ws, entry_id: int) -> dict[str, Any]:
    return GlossaryStore(ws.store.engine).get(entry_id).as_dict()


@router.put("/glossary/{entry_id}")
def update_entry(user: Writer, ws: Ws, entry_id: int, body: EntryIn) -> dict[str, Any]:
    return GlossaryStore(ws.store.engine).update(Actor.of(user), entry_id, body.entry()).as_dict()


@router.delete("/glossary/{entry_id}")
def delete_entry(user: Writer, ws: Ws, entry_id: int) -> dict[str, Any]:
    return GlossaryStore(ws.store.engine).delete(Actor.of(user), entry_id).as_dict()


@router.post("/glossary/{entry_id}/approve")
def approve_entry(user: Writer, ws: Ws, entry_id: int) -> dict[str, Any]:
    return GlossaryStore(ws.store.engine).approve(Actor.of(user), entry_id).as_dict()


# --- memory ---------------------------------------------------------------------------------------


@router.get("/memory")
def memory(
    _: Reader,
    ws: Ws,
    q: str = "",
    src: Annotated[str, Query(pattern="^[a-z]{2}$")] = "vi",
    tgt: Annotated[str, Query(pattern="^[a-z]{2}$")] = "en",
    threshold: Annotated[float | None, Query(ge=0, le=100)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """The memory's size per language pair and, with ``q``, its stored translations, best first."""
    store = MemoryStore(ws.store.engine)
    cutoff = float(ws.settings.translate.memory_threshold if threshold is None else threshold)
    matches = store.lookup(q, src, tgt, threshold=cutoff, limit=limit) if q.strip() else []
    return {
        "size": store.size(),
        "pairs": [{"src": p.source_lang, "tgt": p.target_lang, "units": p.units} for p in store.pairs()],
        "query": {"q": q, "src": src, "tgt": tgt, "threshold": cutoff},
        "matches": [
            {"score": m.score, "source": m.source, "target": m.target, "origin": m.unit.origin}
            for m in matches
        ],
    }


@router.post("/memory/import")
async def import_memory(_: Writer, ws: Ws, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """Import a TMX file: units added, already stored, and the rejected ``tu``s with their lines."""
    data = await read_upload(file)
    return MemoryStore(ws.store.engine).import_tmx(data, origin=file.filename or "upload.tmx").as_dict()


@router.get("/memory/export")
def export_memory(
    _: Reader,
    ws: Ws,
    src: Annotated[str | None, Query(pattern="^[a-z]{2}$")] = None,
    tgt: Annotated[str | None, Query(pattern="^[a-z]{2}$")] = None,
) -> Response:
    return download(MemoryStore(ws.store.engine).export_tmx(src, tgt), "memory.tmx", "tmx")


# --- a publication's translation ------------------------------------------------------------------


Lang = Annotated[str, Query(pattern="^[a-z]{2}$", description="target language")]


@router.get("/publications/{publication_id}/translation")
def translation(user: Writer, ws: Ws, publication_id: int, lang: Lang) -> dict[str, Any]:
    """Per segment: memory matches with scores, required glossary terms, machine output."""
    job = translate_publication(ws.store.engine, ws.settings.translate, Actor.of(user), publication_id, lang)
    return job.as_dict()


@router.post("/publications/{publication_id}/translation")
def save(user: Writer, ws: Ws, publication_id: int, lang: Lang, body: TranslationIn) -> dict[str, Any]:
    """Save the language variant (a new version if it exists); answer its glossary violations."""
    saved = save_translation(ws.store.engine, Actor.of(user), publication_id, lang, body.segments, body.title)
    return saved.as_dict()
