"""XML sitemaps: bytes in, a :class:`Sitemap` out.

Handles the three shapes news sites publish:

* a sitemap index (``<sitemapindex>``): the child sitemaps, with their ``lastmod``;
* a URL set (``<urlset>``): page URLs with ``lastmod``;
* a Google News sitemap: a URL set whose entries carry ``<news:news>`` with the
  title, publication date, language and outlet name.

Bodies may be gzip-compressed (recognised by their magic bytes, whatever the
URL says) and are capped at 50 MiB once decompressed, the protocol's limit. A
plain-text sitemap (one absolute URL per line) is read as a URL set.

Parsing is hardened: lxml never resolves entities, never loads a DTD, never
touches the network and keeps its huge-tree limits, so an XXE or
entity-expansion attempt yields nothing. Elements are matched by local name,
so sitemaps with a missing or outdated namespace still read.
"""

from __future__ import annotations

import logging
import urllib.parse
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import lxml.etree

from newsdesk.errors import EmptyInput, MalformedInput, TooLarge
from newsdesk.ingest.xmlsafe import safe_parser

__all__ = ["Sitemap", "SitemapEntry", "SitemapRef", "parse_sitemap"]

log = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"

SitemapKind = Literal["index", "urlset"]


@dataclass(frozen=True, slots=True)
class SitemapRef:
    """A child sitemap named by an index."""

    loc: str
    lastmod: datetime | None = None


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """A page listed by a URL set; the ``news`` fields come from a Google News sitemap."""

    loc: str
    lastmod: datetime | None = None
    title: str | None = None
    published: datetime | None = None
    language: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """One parsed sitemap: an index (``sitemaps``) or a URL set (``entries``)."""

    url: str
    kind: SitemapKind
    entries: list[SitemapEntry] = field(default_factory=list)
    sitemaps: list[SitemapRef] = field(default_factory=list)


def parse_sitemap(body: bytes, url: str) -> Sitemap:
    """Parse a sitemap index, URL set or News sitemap (gzip or not)."""
    data = _gunzip(body, url) if body.startswith(_GZIP_MAGIC) else body
    if not data.strip():
        raise EmptyInput(url, "empty sitemap")
    if not data.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        return _text_sitemap(data, url)
    root = _parse_xml(data, url)
    name = lxml.etree.QName(root).localname
    if name == "sitemapindex":
        return Sitemap(url, "index", sitemaps=list(_refs(root, url)))
    if name == "urlset":
        return Sitemap(url, "urlset", entries=list(_entries(root, url)))
    raise MalformedInput(url, f"root element <{name}> is not a sitemap", reason="malformed_sitemap")


# -- bytes to a tree ----------------------------------------------------------------------------


def _gunzip(body: bytes, url: str) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise MalformedInput(url, f"corrupt gzip data: {exc}", reason="malformed_gzip") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise TooLarge(url, f"sitemap over {MAX_SITEMAP_BYTES} bytes once decompressed")
    if not inflater.eof:
        raise MalformedInput(url, "truncated gzip data", reason="malformed_gzip")
    return data


def _parse_xml(data: bytes, url: str) -> lxml.etree._Element:
    try:
        root = lxml.etree.fromstring(data, safe_parser())
    except lxml.etree.XMLSyntaxError as exc:
        raise MalformedInput(url, f"invalid XML: {exc}", reason="malformed_xml") from exc
    if root is None:
        raise MalformedInput(url, "no XML root element", reason="malformed_xml")
    return root


def _text_sitemap(data: bytes, url: str) -> Sitemap:
    lines = [line.strip() for line in data.decode("utf-8", errors="replace").splitlines() if line.strip()]
    if not all(line.startswith(("http://", "https://")) for line in lines):
        raise MalformedInput(url, "neither XML nor a list of URLs", reason="malformed_sitemap")
    return Sitemap(url, "urlset", entries=[SitemapEntry(line) for line in lines])


# -- tree to records ----------------------------------------------------------------------------


def _refs(root: lxml.etree._Element, url: str) -> Iterator[SitemapRef]:
    for node in _children(root, "sitemap"):
        loc = _loc(node, url)
        if loc is not None:
            yield SitemapRef(loc, _w3c_datetime(_text(node, "lastmod")))


def _entries(root: lxml.etree._Element, url: str) -> Iterator[SitemapEntry]:
    for node in _children(root, "url"):
        loc = _loc(node, url)
        if loc is None:
            continue
        news = _first(node, "news")
        base = SitemapEntry(loc, _w3c_datetime(_text(node, "lastmod")))
        yield base if news is None else _with_news(base, news)


def _with_news(base: SitemapEntry, news: lxml.etree._Element) -> SitemapEntry:
    publication = _first(news, "publication")
    return SitemapEntry(
        loc=base.loc,
        lastmod=base.lastmod,
        title=_text(news, "title"),
        published=_w3c_datetime(_text(news, "publication_date")),
        language=_text(publication, "language") if publication is not None else None,
        outlet=_text(publication, "name") if publication is not None else None,
    )


def _loc(node: lxml.etree._Element, url: str) -> str | None:
    loc = _text(node, "loc")
    if loc is None:
        log.info("sitemap %s: an entry without <loc> was skipped", url)
        return None
    return loc if urllib.parse.urlsplit(loc).scheme else urllib.parse.urljoin(url, loc)


def _children(node: lxml.etree._Element, name: str) -> Iterator[lxml.etree._Element]:
    for child in node:
        if isinstance(child.tag, str) and lxml.etree.QName(child).localname == name:
            yield child


def _first(node: lxml.etree._Element, name: str) -> lxml.etree._Element | None:
    return next(_children(node, name), None)


def _text(node: lxml.etree._Element, name: str) -> str | None:
    """Text directly inside the first child called ``name``.

    A value that uses an entity reference is unreadable (None): entities are never expanded.
    """
    child = _first(node, name)
    if child is None or any(isinstance(part, lxml.etree._Entity) for part in child):
        return None
    text = " ".join("".join(child.xpath("text()")).split())
    return text or None


def _w3c_datetime(value: str | None) -> datetime | None:
    """A W3C datetime (``2025-11-24``, ``2025-11-24T08:30+07:00``, ``…Z``); UTC when no zone is given."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
