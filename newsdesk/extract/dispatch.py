"""Route a raw item to the right extractor: bytes → text → :class:`Extracted`."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from newsdesk.errors import MalformedInput
from newsdesk.extract.encoding import decode_text, sniff_html_charset
from newsdesk.extract.html import extract_html
from newsdesk.extract.plaintext import clean_plaintext
from newsdesk.model import Extracted, RawItem

__all__ = ["extract_raw", "parse_datetime"]

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_HTMLISH = re.compile(r"<\s*(p|div|br|html|body|article|span|h[1-6])\b", re.I)


def extract_raw(raw: RawItem) -> Extracted:
    """What extraction yields for one raw item; raises :class:`InputError` for bad input."""
    if raw.kind == "record":
        return _from_record(raw)
    declared = _declared_charset(raw)
    decoded = decode_text(raw.body, raw.origin, declared=declared)
    if raw.kind == "html":
        return extract_html(decoded.text, url=raw.url, origin=raw.origin)
    return clean_plaintext(decoded.text, origin=raw.origin)


def _declared_charset(raw: RawItem) -> str | None:
    if raw.content_type:
        match = _CHARSET.search(raw.content_type)
        if match:
            return match.group(1)
    if raw.kind == "html":
        return sniff_html_charset(raw.body)
    return None


def _from_record(raw: RawItem) -> Extracted:
    f = raw.fields
    text = _text(f.get("text"))
    title = _text(f.get("title"))
    if f.get("html") or _HTMLISH.search(text[:2000]):
        page = extract_html(str(f.get("html") or text), url=_text(f.get("url")) or None, origin=raw.origin)
        text = page.text
        title = title or page.title
    if not title and not text:
        raise MalformedInput(raw.origin, "record has neither title nor text", reason="empty_record")
    return Extracted(
        title=title,
        text=text,
        published=parse_datetime(f.get("published"), raw.origin),
        author=_text(f.get("author")) or None,
        outlet=_text(f.get("outlet")) or None,
        canonical_url=_text(f.get("url")) or None,
        language_hint=_text(f.get("language")) or None,
        lead=_text(f.get("lead")) or None,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n\n".join(_text(v) for v in value)
    return str(value).strip()


def parse_datetime(value: Any, origin: str = "") -> datetime | None:
    """An aware datetime from what a record carries (ISO text, epoch, datetime); None when absent.

    Unparseable dates are not fatal: the article simply has no date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        from dateutil import parser as dateparser

        try:
            parsed = dateparser.parse(text, dayfirst=True)
        except (ValueError, OverflowError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
