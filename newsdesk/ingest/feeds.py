"""RSS and Atom feeds: bytes in, :class:`FeedEntry` list out.

:func:`parse_feed` reads a feed body already fetched (by
:class:`newsdesk.ingest.fetcher.Fetcher`) or read from a saved file, with
feedparser; it never touches the network or the file system (the body is handed
over as a stream, so feedparser cannot mistake it for a URL or a path). Relative
links resolve against the feed URL; in a saved file, which has none, against the
feed's own ``<link>`` (its site), and a link that stays relative is dropped
rather than passed on as a URL. A feed that parses with errors but still yields entries keeps them
(most real feeds have a stray ``&``); one that yields none is
:class:`~newsdesk.errors.MalformedInput`.

``published`` comes from the entry's published date, else its updated date.
Vietnamese sites often write ``24/11/2025 08:30`` (day first, local time),
which feedparser cannot read; those are read as Vietnam time (UTC+7).

:func:`entry_to_raw` turns one entry into a ``record`` :class:`RawItem` for
when the article page itself cannot be fetched.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import feedparser
import lxml.etree
import lxml.html

from newsdesk.errors import EmptyInput, MalformedInput
from newsdesk.model import RawItem, content_hash

__all__ = ["FeedEntry", "entry_to_raw", "parse_feed"]

log = logging.getLogger(__name__)

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
_DAY_FIRST = re.compile(
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?:\D+(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table"}
    | {"blockquote", "section", "article", "figure", "figcaption"}
)
_TAG = re.compile(r"<[^>]*>")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed.

    ``url`` is the absolute link to the article (None when the entry has none);
    ``title`` is plain text; ``summary`` is the feed's (sanitized) HTML;
    ``language`` is the entry's or else the feed's language tag as written.
    """

    url: str | None
    title: str
    summary: str
    published: datetime | None
    author: str | None
    language: str | None
    guid: str | None


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    """Parse an RSS 0.9x/1.0/2.0 or Atom feed; raise ``MalformedInput`` when it is not one.

    ``url`` is where the feed came from: an http(s) URL, or a file path for a saved feed.
    """
    if not body.strip():
        raise EmptyInput(url, "empty feed body")
    remote = _is_web_url(url)
    headers = {"content-type": "application/xml"} | ({"content-location": url} if remote else {})
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=headers, resolve_relative_uris=True, sanitize_html=True
    )
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom structure found"
        raise MalformedInput(url, f"not a readable feed: {problem}", reason="malformed_feed")
    if parsed.bozo:
        log.info("feed %s parsed with errors (%s); keeping its entries", url, parsed.get("bozo_exception"))
    feed_language = _clean(parsed.feed.get("language"))
    base = url if remote else _web_url(parsed.feed.get("link"))
    return [_entry(raw, base, feed_language) for raw in parsed.entries]


def entry_to_raw(entry: FeedEntry, source_id: int | None = None) -> RawItem:
    """A ``record`` RawItem carrying the entry's own fields (summary as plain text)."""
    fields: dict[str, Any] = {
        "url": entry.url,
        "title": entry.title,
        "text": _html_text(entry.summary),
        "published": entry.published,
        "author": entry.author,
        "language": entry.language,
    }
    if entry.guid:
        fields["id"] = entry.guid
    body = json.dumps(fields, ensure_ascii=False, default=_json_default, sort_keys=True).encode("utf-8")
    return RawItem(
        origin=entry.url or entry.guid or f"feed-entry:{content_hash(body)[:16]}",
        kind="record",
        body=body,
        url=entry.url,
        content_type="application/json",
        fields=fields,
        source_id=source_id,
    )


# -- one entry ----------------------------------------------------------------------------------


def _entry(raw: Any, base: str | None, feed_language: str | None) -> FeedEntry:
    return FeedEntry(
        url=_link(raw, base),
        title=_title(raw),
        summary=_summary(raw),
        published=_published(raw),
        author=_author(raw),
        language=_language(raw) or feed_language,
        guid=_clean(raw.get("id")),
    )


def _link(raw: Any, base: str | None) -> str | None:
    link = _clean(raw.get("link"))
    if link is None and raw.get("guidislink"):
        link = _clean(raw.get("id"))
    if link is None:
        return None
    return _web_url(urllib.parse.urljoin(base, link) if base else link)


def _is_web_url(text: str) -> bool:
    return urllib.parse.urlsplit(text).scheme in ("http", "https")


def _web_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None."""
    text = _clean(value)
    return text if text is not None and _is_web_url(text) else None


def _author(raw: Any) -> str | None:
    """The author's name; RSS writes ``email (Name)``, feedparser splits it into ``author_detail``."""
    return _clean((raw.get("author_detail") or {}).get("name")) or _clean(raw.get("author"))


def _title(raw: Any) -> str:
    title = raw.get("title", "")
    detail = raw.get("title_detail") or {}
    return _html_text(title) if detail.get("type") in _HTML_TYPES else _squeeze(title)


def _summary(raw: Any) -> str:
    summary = raw.get("summary")
    if summary:
        return str(summary)
    content = raw.get("content") or []
    return str(content[0].get("value", "")) if content else ""


def _language(raw: Any) -> str | None:
    for key in ("title_detail", "summary_detail"):
        language = _clean((raw.get(key) or {}).get("language"))
        if language:
            return language
    return None


def _published(raw: Any) -> datetime | None:
    for key in ("published", "updated"):
        parsed = raw.get(f"{key}_parsed")
        if parsed is not None:
            return _from_struct(parsed)
        fallback = _day_first_date(raw.get(key) or "")
        if fallback is not None:
            return fallback
    return None


def _from_struct(value: time.struct_time) -> datetime | None:
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except ValueError:
        return None


def _day_first_date(text: str) -> datetime | None:
    """``24/11/2025 08:30`` (also ``8h30``) read as Vietnam time; None when absent or impossible."""
    match = _DAY_FIRST.search(text)
    if match is None:
        return None
    parts = {key: int(value) for key, value in match.groupdict().items() if value is not None}
    try:
        local = datetime(
            parts["y"],
            parts["m"],
            parts["d"],
            parts.get("H", 0),
            parts.get("M", 0),
            parts.get("S", 0),
            tzinfo=VIETNAM_TIME,
        )
    except ValueError:
        return None
    return local.astimezone(UTC)


# -- small text helpers -------------------------------------------------------------------------


def _html_text(markup: str) -> str:
    """Plain text of an HTML fragment: block elements become line breaks, spaces are squeezed."""
    if "<" not in markup and "&" not in markup:
        return _squeeze(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _squeeze(html.unescape(_TAG.sub(" ", markup)))
    for element in root.iter():
        if element.tag in ("script", "style"):
            element.text = ""
        elif isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return _squeeze(root.text_content())


def _clean(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _squeeze(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialize {type(value).__name__}")
