"""The built-in stages of the spine: ``normalize`` and ``langid``."""

from __future__ import annotations

from dataclasses import replace

from newsdesk.analyze.langid import identify
from newsdesk.analyze.registry import stage
from newsdesk.model import Article, LangSection
from newsdesk.settings import Settings
from newsdesk.text.normalize import normalize_text

__all__ = ["langid", "normalize"]


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
    """Language with a confidence (py3langid, 97 languages)."""
    limit = settings.ingest.langid_chars
    for article in articles:
        sample = f"{article.text.title}\n{article.text.lead or ''}\n{article.text.body[:limit]}"
        result = identify(sample, max_chars=limit)
        article.lang = LangSection(result.code, result.confidence)
    return articles
