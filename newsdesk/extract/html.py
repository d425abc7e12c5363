"""HTML page → main text and metadata.

trafilatura finds the main text (comments excluded; its default balance, not
``favor_precision``, which drops the bold sapo); htmldate finds the publication
date in the markup. The page is parsed once with lxml: trafilatura works on a
copy, and the metadata are read from the same tree (``<meta>`` tags, JSON-LD,
``<link rel=canonical>``, ``<html lang>``, the element classed as sapo) — cheaper
than trafilatura's ``with_metadata``, which costs about a third of its speed.
Then the plain-text cleaner of :mod:`newsdesk.extract.plaintext` runs on the
text, because Vietnamese sites leave ``Đọc thêm``, ``Lượt xem`` or ``Link bài
gốc`` inside the main block.

The date is the first of: a date with a time in the markup (meta tags, JSON-LD,
``<time>``); a stamp printed in an element whose class names a date or time
(``Thứ Sáu, 09/08/2024 08:15``) or in the text, when it agrees with a date-only
markup value; that date-only value; and last htmldate's text search, minus its
bare ``YYYY-01-01`` guesses, which come from copyright years. Dates without a
zone are taken as Vietnamese time.

A page with no main text gives an :class:`~newsdesk.model.Extracted` with an
empty ``text`` (the pipeline discards it as ``too_short``). An empty document
raises :class:`~newsdesk.errors.EmptyInput`; one lxml cannot parse,
:class:`~newsdesk.errors.MalformedInput`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura import bare_extraction

from newsdesk.errors import EmptyInput, MalformedInput
from newsdesk.extract.plaintext import clean_body, normalize_line, parse_date_line, parse_datetime
from newsdesk.model import Extracted

__all__ = ["extract_html"]

_PARSER = HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_ARTICLE_TYPES = frozenset(
    "NewsArticle Article ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle BlogPosting".split()
)
_LEAD_NAMES = ("sapo", "lead", "standfirst", "chapeau", "summary", "description", "intro", "excerpt")
_LEAD_XPATH = etree.XPath(
    "//*[self::p or self::h2 or self::h3 or self::div or self::span or self::strong][@class]["
    + " or ".join(f"contains(@class, '{name}') or contains(@class, '{name.title()}')" for name in _LEAD_NAMES)
    + "]"
)
_LEAD_CLASS = re.compile(rf"(?:^|[\s_-])(?:{'|'.join(_LEAD_NAMES)})(?:$|[\s_-])", re.IGNORECASE)
_LEAD_LENGTH = range(30, 1200)
_NOT_ARTICLE = re.compile(r"relat|sidebar|comment|list|box|widget|teaser|card|footer|menu", re.IGNORECASE)
_LISTING_TAGS = frozenset({"nav", "aside", "footer", "li", "header"})
_STAMP_XPATH = etree.XPath(
    "//*[self::time or contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'Date')]"
    "[string-length(normalize-space(.)) < 80]"
)
_STAMPS_LOOKED_AT = 12
_META_KEYS = ("property", "name", "http-equiv", "itemprop")
_PUBLISHED_METAS = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "pubdate",
    "dc.date.issued",
)


@dataclass(slots=True)
class _Page:
    """The parsed page and what is read from it more than once."""

    tree: HtmlElement
    url: str | None
    metas: dict[str, str]
    linked: dict[str, Any]

    def meta(self, *keys: str) -> str | None:
        """The first present ``<meta>`` content among ``og:title``, ``author`` … keys."""
        return next((self.metas[key] for key in keys if self.metas.get(key)), None)


def extract_html(html: str, url: str | None = None, origin: str | None = None) -> Extracted:
    """Main text, title, date, author, outlet, canonical URL, sapo and language of one page.

    ``url`` is where the page was fetched (relative links resolve against it);
    ``origin`` names the input in errors (defaults to ``url``).
    """
    tree = _parse(html, origin or url or "<html>")
    document = bare_extraction(tree, url=url, include_comments=False)
    page = _Page(tree, url, _metas(tree), _linked_data(tree))
    cleaned = clean_body(getattr(document, "text", None) or "", _title(page), origin or url)
    lead = _lead(page, cleaned.text)
    return Extracted(
        title=cleaned.title,
        text=_with_lead(cleaned.text, lead),
        published=_published(page, cleaned.published),
        author=_author(page) or cleaned.author,
        outlet=_outlet(page, cleaned.outlet),
        canonical_url=_canonical(page),
        language_hint=_language(page),
        lead=lead,
        removed=cleaned.removed,
    )


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


def _parse(html: str, name: str) -> HtmlElement:
    """One lxml tree of the page; raise EmptyInput / MalformedInput naming ``name``."""
    if not html.strip():
        raise EmptyInput(name, "empty HTML document")
    text = _CONTROL_CHARS.sub("", html)
    try:
        return document_fromstring(text, parser=_PARSER)
    except ValueError:  # a str that declares its own encoding
        return _parse_bytes(text.encode("utf-8", "surrogatepass"), name)
    except etree.LxmlError as exc:
        raise MalformedInput(name, f"lxml cannot parse the HTML: {exc}") from exc


def _parse_bytes(data: bytes, name: str) -> HtmlElement:
    try:
        return document_fromstring(data, parser=HTMLParser(encoding="utf-8", remove_comments=True))
    except (ValueError, etree.LxmlError) as exc:
        raise MalformedInput(name, f"lxml cannot parse the HTML: {exc}") from exc


def _metas(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lower-cased property / name / http-equiv; the first one wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = next((meta.get(attribute) for attribute in _META_KEYS if meta.get(attribute)), None)
        content = " ".join((meta.get("content") or "").split())
        if key and content:
            found.setdefault(key.strip().lower(), content)
    return found


def _linked_data(tree: HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object (``NewsArticle``, ``Article`` …), or ``{}``."""
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        for item in _linked_items(data):
            if _ARTICLE_TYPES & set(_as_list(item.get("@type"))):
                return item
    return {}


def _linked_items(data: Any) -> Iterator[dict[str, Any]]:
    for item in _as_list(data):
        if isinstance(item, dict):
            yield item
            yield from _linked_items(item.get("@graph"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _names(value: Any) -> str | None:
    """``{"name": "A"}``, ``[{"name": "A"}, "B"]`` or ``"A"`` → ``"A, B"``."""
    names = [item.get("name") if isinstance(item, dict) else item for item in _as_list(value)]
    joined = ", ".join(" ".join(name.split()) for name in names if isinstance(name, str) and name.strip())
    return joined or None


# ---------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------


def _title(page: _Page) -> str:
    """og:title, the JSON-LD headline, <title> or the first <h1>, without a trailing `` - Outlet``."""
    headline = page.linked.get("headline")
    title = (
        page.meta("og:title", "twitter:title")
        or (headline if isinstance(headline, str) else None)
        or page.tree.findtext(".//title")
        or next((h1.text_content() for h1 in page.tree.iter("h1")), "")
    )
    title = " ".join(title.split())
    site = page.meta("og:site_name")
    for separator in (" - ", " | ", " – "):
        if site and title.casefold().endswith(f"{separator}{site}".casefold()):
            return title[: -len(separator) - len(site)]
    return title


def _author(page: _Page) -> str | None:
    """meta author, article:author (when a name, not a URL) or the JSON-LD author."""
    for name in (page.meta("author"), page.meta("article:author")):
        if name and "://" not in name:
            return name
    return _names(page.linked.get("author"))


def _outlet(page: _Page, from_text: str | None) -> str | None:
    """og:site_name, application-name, the JSON-LD publisher, a signature in the text, the host."""
    named = page.meta("og:site_name", "application-name") or _names(page.linked.get("publisher"))
    return named or from_text or _host(page.url)


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _canonical(page: _Page) -> str | None:
    """link rel=canonical, else og:url, resolved against the page URL; http(s) only."""
    links = page.tree.xpath("//link[translate(@rel, 'CANONIL', 'canonil')='canonical']/@href")
    for candidate in [*map(str, links), page.meta("og:url")]:
        if candidate and candidate.strip():
            resolved = urljoin(page.url or "", candidate.strip())
            if urlsplit(resolved).scheme in ("http", "https"):
                return resolved
    return None


def _language(page: _Page) -> str | None:
    """The page's declared language as a primary subtag: ``vi-VN`` → ``vi``."""
    declared = (
        page.tree.get("lang")
        or page.tree.get("xml:lang")
        or page.meta("content-language", "og:locale", "language")
    )
    if not declared or not declared.strip():
        return None
    return re.split(r"[-_,\s]", declared.strip(), maxsplit=1)[0].lower() or None


# ---------------------------------------------------------------------------
# Lead (sapo)
# ---------------------------------------------------------------------------


def _lead(page: _Page, text: str) -> str | None:
    """The sapo: an element classed as one, else the first paragraph when the description opens it."""
    for element in _LEAD_XPATH(page.tree):
        if _is_article_lead(element):
            lead = normalize_line(element.text_content())
            if len(lead) in _LEAD_LENGTH:
                return lead
    return _lead_from_description(page, text)


def _is_article_lead(element: HtmlElement) -> bool:
    """Classed as a sapo and not inside a listing (related box, sidebar, comments, menu)."""
    if not _LEAD_CLASS.search(element.get("class", "")):
        return False
    for ancestor in element.iterancestors():
        if ancestor.tag in _LISTING_TAGS or _NOT_ARTICLE.search(ancestor.get("class", "")):
            return False
    return True


def _lead_from_description(page: _Page, text: str) -> str | None:
    description = page.meta("og:description", "description")
    first = text.split("\n\n", 1)[0]
    if not description or not first:
        return None
    probe = normalize_line(description)[:60].casefold()
    return first if len(probe) >= 30 and first.casefold().startswith(probe) else None


def _with_lead(text: str, lead: str | None) -> str:
    """Put the sapo first when trafilatura left it out: no paragraph of the article is lost."""
    if not lead or lead[:80] in text:
        return text
    return f"{lead}\n\n{text}" if text else lead


# ---------------------------------------------------------------------------
# Publication date
# ---------------------------------------------------------------------------


def _published(page: _Page, from_text: datetime | None) -> datetime | None:
    markup = _declared_date(page) or _htmldate(page, extensive=False)
    if markup and _has_time(markup):
        return markup
    stamp = _page_stamp(page.tree) or from_text
    if stamp and (markup is None or stamp.date() == markup.date()):
        return stamp
    return markup or _searched_date(page)


def _declared_date(page: _Page) -> datetime | None:
    """A publication date with a time, declared in a meta tag or JSON-LD (no htmldate needed)."""
    declared = page.linked.get("datePublished")
    for value in (page.meta(*_PUBLISHED_METAS), declared if isinstance(declared, str) else None):
        moment = parse_datetime(value) if value else None
        if moment and _has_time(moment):
            return moment
    return None


def _htmldate(page: _Page, extensive: bool) -> datetime | None:
    found = find_date(
        page.tree, extensive_search=extensive, original_date=True, outputformat=_DATE_FORMAT, url=page.url
    )
    return parse_datetime(found) if found else None


def _has_time(moment: datetime) -> bool:
    return (moment.hour, moment.minute, moment.second) != (0, 0, 0)


def _page_stamp(tree: HtmlElement) -> datetime | None:
    """A date stamp printed in an element whose class names a date or time."""
    for element in _STAMP_XPATH(tree)[:_STAMPS_LOOKED_AT]:
        stamp = parse_date_line(normalize_line(element.text_content()))
        if stamp:
            return stamp
    return None


def _searched_date(page: _Page) -> datetime | None:
    """htmldate's text search, minus bare ``YYYY-01-01`` guesses (a copyright year)."""
    moment = _htmldate(page, extensive=True)
    if moment is None or ((moment.month, moment.day) == (1, 1) and not _has_time(moment)):
        return None
    return moment
