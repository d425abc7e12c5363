"""*Article*: one article's metadata, clean text with its entities, themes, documents and raw input.

**Entities in the text.** The ``entities`` stage records, per entity, the spans of its
mentions in the *analysed text* (``title + "\\n\\n" + body``, see
:func:`newsdesk.analyze.builtin.analysed_text`); ``article_entities.positions`` holds
the job titles written next to a person, not offsets. The page cuts the title and each
paragraph of the body at those spans, escapes every piece and wraps a mention in a
link to ``/entities/{id}`` (the id found by kind and canonical key). Overlapping or
out-of-range spans are skipped, never trusted.

**Raw input by permission.** Only a role with ``Permission.RAW`` (analyst and above)
sees the link to ``/api/articles/{id}/raw`` and the view of the original: HTML made
safe by :func:`newsdesk.web.ui.sanitize.sanitize`, anything else as escaped text in
``<pre class="raw">``. A viewer's page carries neither, and the API refuses them too.

**Links out.** The article's URL is a link only when it is ``http`` or ``https`` (a
hostile feed may carry ``javascript:``), opened in a new tab with ``rel="noopener
noreferrer nofollow"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.engine import Connection

from newsdesk.auth import Permission
from newsdesk.errors import NewsdeskError
from newsdesk.store.repo import article_to_dict
from newsdesk.store.tables import (
    ArticleDocumentRow,
    ArticleEntityRow,
    ArticleRow,
    ArticleThemeRow,
    DocumentRow,
    EntityRow,
    RawRow,
)
from newsdesk.web.deps import Reader, Ws
from newsdesk.web.ui.i18n import Translator
from newsdesk.web.ui.render import page_language, qs, render
from newsdesk.web.ui.sanitize import sanitize
from newsdesk.web.ui.search_pages import country_name, language_name, theme_name

__all__ = ["Mark", "marked_text", "router", "safe_link"]

router = APIRouter()
RAW_SHOWN = 400_000
"""Characters of the raw input shown on the page; the download has all of it."""
_KINDS = ("person", "organisation", "place")


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """An entity mention: ``[start, end)`` in the analysed text."""

    start: int
    end: int
    kind: str
    entity_id: int


def safe_link(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (never a ``javascript:`` href)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def marked_text(text: str, offset: int, marks: list[Mark]) -> Markup:
    """``text`` (at ``offset`` in the analysed text) escaped, its mentions linked and marked."""
    parts: list[str] = []
    done = 0
    for mark in marks:
        start, end = mark.start - offset, mark.end - offset
        if start < done or start < 0 or end > len(text) or end <= start:
            continue  # overlapping or outside this piece
        parts.append(str(escape(text[done:start])))
        kind = mark.kind if mark.kind in _KINDS else "other"
        parts.append(
            f'<a href="/entities/{int(mark.entity_id)}" class="entity">'
            f'<mark class="ent-{kind}">{escape(text[start:end])}</mark></a>'
        )
        done = end
    parts.append(str(escape(text[done:])))
    return Markup("".join(parts))


def _marks(row: ArticleRow, ids: dict[tuple[str, str], int]) -> list[Mark]:
    marks = []
    for group in (row.sections or {}).get("entities", []):
        entity_id = ids.get((group.get("kind"), group.get("canonical")))
        if entity_id is None:
            continue
        for span in group.get("spans", []):
            if isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span):
                marks.append(Mark(span[0], span[1], group["kind"], entity_id))
    return sorted(marks)


def paragraphs(row: ArticleRow, marks: list[Mark]) -> tuple[Markup, list[Markup]]:
    """The title and the body's paragraphs, marked; offsets follow ``title + "\\n\\n" + body``."""
    title = marked_text(row.title, 0, marks)
    offset = len(row.title) + 2
    shown = []
    for line in row.body.split("\n"):
        if line.strip():
            shown.append(marked_text(line, offset, marks))
        offset += len(line) + 1
    return title, shown


# --- what the article is linked to ------------------------------------------------------------------


def _entities(conn: Connection, article_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(
                EntityRow.id, EntityRow.kind, EntityRow.canonical, EntityRow.name, ArticleEntityRow.mentions
            )
            .join(ArticleEntityRow, ArticleEntityRow.entity_id == EntityRow.id)
            .where(ArticleEntityRow.article_id == article_id)
            .order_by(ArticleEntityRow.mentions.desc(), EntityRow.name)
        )
    )


def _themes(conn: Connection, article_id: int, lang: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(ArticleThemeRow.theme_id, ArticleThemeRow.score)
        .where(ArticleThemeRow.article_id == article_id)
        .order_by(ArticleThemeRow.score.desc())
    )
    return [
        {"id": tid, "label": theme_name(tid, lang), "score": score, "href": qs("/search", theme=tid)}
        for tid, score in rows
    ]


def _documents(conn: Connection, article_id: int, lang: str) -> list[dict[str, Any]]:
    d = DocumentRow
    rows = conn.execute(
        select(d.id, d.type_name_vi, d.type_name_en, d.code, d.number, d.title, ArticleDocumentRow.mentions)
        .join(ArticleDocumentRow, ArticleDocumentRow.document_id == d.id)
        .where(ArticleDocumentRow.article_id == article_id)
        .order_by(ArticleDocumentRow.mentions.desc(), d.id)
    )
    return [
        {
            "id": r.id,
            "href": "/documents/" + quote(r.id, safe=""),
            "label": " ".join(
                p
                for p in (r.type_name_vi if lang == "vi" else r.type_name_en, r.title or r.code or r.number)
                if p
            ),
            "mentions": r.mentions,
        }
        for r in rows
    ]


def _copies(conn: Connection, row: ArticleRow) -> list[Any]:
    """The other articles of its copy group (syndication, reprints)."""
    if row.dup_group is None:
        return []
    a = ArticleRow
    stmt = (
        select(a.id, a.title, a.outlet, a.published_at, a.dup_kind)
        .where(a.dup_group == row.dup_group, a.id != row.id)
        .order_by(a.sort_time)
        .limit(50)
    )
    return list(conn.execute(stmt))


# --- the raw input --------------------------------------------------------------------------------


_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


def _decoded(raw: RawRow) -> str:
    from newsdesk.extract.encoding import decode_text, sniff_html_charset

    match = _CHARSET.search(raw.content_type or "")
    declared = match.group(1) if match else sniff_html_charset(raw.body)
    try:
        return decode_text(raw.body, raw.origin, declared).text
    except (NewsdeskError, LookupError):
        return raw.body.decode("utf-8", errors="replace")


def _is_html(raw: RawRow) -> bool:
    from newsdesk.extract.encoding import looks_like_html

    return raw.kind == "html" or "html" in (raw.content_type or "") or looks_like_html(raw.body)


def raw_view(raw: RawRow, base_url: str | None) -> dict[str, Any]:
    """The original for the page: sanitised HTML or the text, cut at :data:`RAW_SHOWN` characters."""
    text = _decoded(raw)
    cut = len(text) > RAW_SHOWN
    text = text[:RAW_SHOWN]
    if raw.kind != "record" and _is_html(raw):
        return {"html": sanitize(text, base_url=safe_link(base_url)), "text": "", "cut": cut}
    return {"html": "", "text": text, "cut": cut}


# --- the page -------------------------------------------------------------------------------------


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, user: Reader, ws: Ws, article_id: int) -> HTMLResponse:
    t = Translator(page_language(request))
    row = ws.store.get_article(article_id)
    data = article_to_dict(row)
    with ws.store.engine.connect() as conn:
        entities = _entities(conn, article_id)
        themes = _themes(conn, article_id, t.lang)
        documents = _documents(conn, article_id, t.lang)
        copies = _copies(conn, row)
    ids = {(e.kind, e.canonical): e.id for e in entities}
    title, body = paragraphs(row, _marks(row, ids))
    can_raw = user.can(Permission.RAW)
    return render(
        request,
        "article.html",
        article=row,
        data=data,
        title=title,
        body=body,
        language=language_name(row.language, t.lang) if row.language else "",
        country=country_name(row.country, t.lang) if row.country else "",
        link=safe_link(row.canonical_url or row.url),
        entities=entities,
        themes=themes,
        documents=documents,
        copies=copies,
        keyphrases=[(p, qs("/search", q=f'"{p}"')) for p, _ in data["keyphrases"]],
        can_raw=can_raw,
        raw=raw_view(ws.store.get_raw(row.raw_id), row.canonical_url or row.url) if can_raw else None,
    )
