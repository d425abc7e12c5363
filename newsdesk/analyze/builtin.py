"""The built-in per-article stages, in their default order.

``normalize`` and ``langid`` fill the article's text and language; ``entities``,
``documents``, ``themes``, ``keyphrases`` and ``summary`` each write their own
section of ``Article.sections``. ``keyphrases`` and ``summary`` are not in the
default order: they are made when an article is shown (decision D12).
Offsets (``spans``) in the entities and documents sections refer to the
*analysed text*: ``title + "\\n\\n" + body`` (see :func:`analysed_text`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from newsdesk import reference
from newsdesk.analyze.documents import DocumentRef, find_documents, merge_refs
from newsdesk.analyze.entities import Entity, find_entities
from newsdesk.analyze.keyphrases import keyphrases
from newsdesk.analyze.langid import identify
from newsdesk.analyze.registry import stage
from newsdesk.analyze.summarize import summarize_article
from newsdesk.analyze.themes import assign_themes
from newsdesk.model import Article, LangSection
from newsdesk.settings import Settings
from newsdesk.text.normalize import normalize_text

__all__ = [
    "analysed_text",
    "article_keyphrases",
    "documents",
    "entities",
    "keyphrases_stage",
    "langid",
    "normalize",
    "summary",
    "themes",
]


def analysed_text(article: Article) -> str:
    return f"{article.text.title}\n\n{article.text.body}"


def _language(article: Article) -> str:
    return article.lang.code if article.lang else "und"


def _norm(value: str | None) -> str | None:
    return normalize_text(value) if value else value


@stage("normalize", reads=("text",), sets=("text",))
def normalize(articles: list[Article], settings: Settings) -> list[Article]:
    """Unicode NFC, one Vietnamese tone-mark placement, tidy whitespace."""
    for article in articles:
        t = article.text
        article.text = replace(
            t,
            title=normalize_text(t.title),
            body=normalize_text(t.body),
            lead=_norm(t.lead),
            author=_norm(t.author),
            outlet=_norm(t.outlet),
        )
    return articles


@stage("langid", reads=("text",), sets=("lang",))
def langid(articles: list[Article], settings: Settings) -> list[Article]:
    """Language with a confidence (py3langid, ISO 639-1)."""
    limit = settings.ingest.langid_chars
    for article in articles:
        sample = f"{article.text.title}\n{article.text.lead or ''}\n{article.text.body[:limit]}"
        result = identify(sample, max_chars=limit)
        article.lang = LangSection(result.code, result.confidence)
    return articles


def _reference_name(kind: str, canonical: str) -> str | None:
    """The Vietnamese name the reference data gives a place or organisation, else None."""
    if kind == "organisation":
        org = reference.organisation(canonical)
        return org.name if org else None
    if kind == "place":
        found = reference.find_province(canonical) if "/" in canonical else reference.find_place(canonical)
        return found.name if found else None
    return None


def _entity_groups(found: list[Entity]) -> list[dict[str, Any]]:
    """One entry per (kind, canonical): its display name, mention count, spans and positions.

    Places and organisations are named as the reference data names them (one name in every
    language); people by their longest mention.
    """
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for e in found:
        key = (e.kind, e.canonical)
        if key not in groups:
            name = _reference_name(e.kind, e.canonical) or e.name
            groups[key] = {
                "kind": e.kind,
                "canonical": e.canonical,
                "name": name,
                "mentions": 0,
                "spans": [],
                "positions": [],
            }
        group = groups[key]
        group["mentions"] += 1
        group["spans"].append(list(e.span))
        if e.kind == "person" and len(e.name) > len(group["name"]):
            group["name"] = e.name
        for p in e.positions:
            position = {"title": p.title, "organisation": p.organisation, "unit": p.unit, "place": p.place}
            if position not in group["positions"]:
                group["positions"].append(position)
    return list(groups.values())


@stage("entities", reads=("text", "lang"), sets=("entities",))
def entities(articles: list[Article], settings: Settings) -> list[Article]:
    """People with their positions, organisations and places (gazetteers + name patterns)."""
    for article in articles:
        found = find_entities(analysed_text(article), _language(article))
        article.sections["entities"] = _entity_groups(found)
    return articles


def _document_entry(ref: DocumentRef, mentions: list[DocumentRef]) -> dict[str, Any]:
    return {
        "id": ref.canonical_id,
        "base_id": ref.base_id,
        "type": ref.type,
        "type_name_vi": ref.type_name_vi,
        "type_name_en": ref.type_name_en,
        "number": ref.number,
        "issuer": ref.issuer,
        "code": ref.code,
        "year": ref.year,
        "date": ref.date.isoformat() if ref.date else None,
        "term": ref.term,
        "title": ref.title,
        "surface": ref.surface,
        "mentions": len(mentions),
        "spans": [list(m.span) for m in mentions],
    }


@stage("documents", reads=("text", "lang"), sets=("documents",))
def documents(articles: list[Article], settings: Settings) -> list[Article]:
    """Cited policy and legal documents (type, number, issuer, date) under one canonical id."""
    for article in articles:
        language = _language(article)
        refs = find_documents(analysed_text(article), language if language in ("vi", "en") else None)
        article.sections["documents"] = [
            _document_entry(ref, [r for r in refs if r.base_id == ref.base_id] or [ref])
            for ref in merge_refs(refs)
        ]
    return articles


@stage("themes", reads=("text", "lang"), sets=("themes",))
def themes(articles: list[Article], settings: Settings) -> list[Article]:
    """Themes of the office's taxonomy with scores."""
    for article in articles:
        found = assign_themes(article.text.title, article.text.body, _language(article))
        article.sections["themes"] = [{"id": f.id, "score": round(f.score, 4)} for f in found]
    return articles


def article_keyphrases(title: str, body: str, language: str) -> list[list[Any]]:
    return [[phrase, round(score, 4)] for phrase, score in keyphrases(title, body, language)]


@stage("keyphrases", reads=("text", "lang"), sets=("keyphrases",))
def keyphrases_stage(articles: list[Article], settings: Settings) -> list[Article]:
    """Key phrases of the article (made when shown unless this stage is configured)."""
    for article in articles:
        t = article.text
        article.sections["keyphrases"] = article_keyphrases(t.title, t.body, _language(article))
    return articles


@stage("summary", reads=("text", "lang"), sets=("summary",))
def summary(articles: list[Article], settings: Settings) -> list[Article]:
    """An extractive summary of the article (about 60 words), in its language."""
    for article in articles:
        result = summarize_article(article.text.body, language=_language(article), title=article.text.title)
        article.sections["summary"] = {"text": result.text, "sentences": [s.index for s in result.sentences]}
    return articles
