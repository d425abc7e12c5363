"""Turn what the user names (paths, URLs) and what is monitored (sources) into raw items.

A URL may be a feed, a sitemap or a page: the fetched body decides. Feed
entries and sitemap URLs are fetched as pages; when a page cannot be fetched,
a feed entry still becomes an article from the feed's own title and summary,
so nothing announced is lost.

A site root leads to its sitemaps through the ``Sitemap:`` lines of its
robots.txt (:func:`discover_sitemaps`), so a user can name a site rather than
hunt for its sitemap URL.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from newsdesk.errors import FetchError, InputError, MalformedInput, UnreadableInput
from newsdesk.ingest.feeds import FeedEntry, entry_to_raw, parse_feed
from newsdesk.ingest.fetcher import Fetcher, FetchResult
from newsdesk.ingest.files import iter_path
from newsdesk.ingest.sitemaps import Sitemap, SitemapEntry, parse_sitemap
from newsdesk.model import RawItem, RawKind
from newsdesk.settings import Settings

__all__ = [
    "FetchFailed",
    "discover_sitemaps",
    "is_url",
    "items_from_fetch",
    "iter_inputs",
    "poll_items",
    "validate_source",
]

log = logging.getLogger("newsdesk.ingest")

_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_SITEMAP_SNIFF = re.compile(rb"<(urlset|sitemapindex)[\s>]", re.I)
MAX_CHILD_SITEMAPS = 50
MAX_PAGES_PER_POLL = 300


class FetchFailed(InputError):
    """A URL named for ingest could not be fetched (the reason comes from the fetcher)."""

    reason = "fetch_failed"


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def validate_source(kind: str, url: str) -> str:
    """Check a source's address; folders become absolute paths."""
    if kind == "folder":
        path = Path(url).expanduser()
        if not path.is_dir():
            raise UnreadableInput(url, "not a folder")
        return str(path.resolve())
    if not is_url(url):
        raise MalformedInput(url, f"a {kind} source needs an http(s) URL")
    return url


def discover_sitemaps(url: str, fetcher: Fetcher) -> list[str]:
    """The sitemap URLs a site announces in its robots.txt, in the order written.

    ``url`` is any URL of the site (usually its root). An empty list means the site names none
    (or has no robots.txt). Raises :class:`MalformedInput` for a non-http(s) address and the
    fetcher's :class:`FetchError` when the robots.txt cannot be had (``robots_unavailable``) or
    the site may not be fetched at all (``BlockedURL``).
    """
    if not is_url(url):
        raise MalformedInput(url, "sitemap discovery needs an http(s) URL")
    return fetcher.sitemaps(url)


def iter_inputs(
    inputs: Iterable[str], settings: Settings, *, source_id: int | None = None
) -> Iterator[RawItem | InputError]:
    """Raw items (or the reason one could not be read) from paths and URLs, in order."""
    fetcher: Fetcher | None = None
    try:
        for target in inputs:
            if is_url(target):
                fetcher = fetcher or Fetcher(settings.fetch)
                yield from _from_url(target, fetcher, source_id)
            else:
                yield from _from_path(Path(target), settings, source_id)
    finally:
        if fetcher is not None:
            fetcher.close()


def _from_path(path: Path, settings: Settings, source_id: int | None) -> Iterator[RawItem | InputError]:
    if not path.exists():
        yield UnreadableInput(str(path), "no such file or folder")
        return
    for item in iter_path(path, max_bytes=settings.ingest.max_file_bytes):
        if isinstance(item, RawItem) and source_id is not None:
            item.source_id = source_id
        yield item


def _from_url(url: str, fetcher: Fetcher, source_id: int | None) -> Iterator[RawItem | InputError]:
    try:
        result = fetcher.fetch(url)
    except FetchError as exc:
        yield FetchFailed(url, exc.detail, reason=exc.reason)
        return
    yield from items_from_fetch(result, fetcher, source_id=source_id)


def _kind_of(result: FetchResult) -> str:
    head = result.body[:2048]
    ctype = (result.content_type or "").lower()
    if "rss" in ctype or "atom" in ctype or _FEED_SNIFF.search(head):
        return "feed"
    if _SITEMAP_SNIFF.search(head) or result.body[:2] == b"\x1f\x8b":
        return "sitemap"
    return "page"


def items_from_fetch(
    result: FetchResult,
    fetcher: Fetcher,
    *,
    source_id: int | None = None,
    is_known: Callable[[str], bool] = lambda url: False,
    outlet: str | None = None,
) -> Iterator[RawItem | InputError]:
    """Items from one fetched body: a page is one item; a feed or sitemap expands to its pages."""
    kind = _kind_of(result)
    try:
        if kind == "feed":
            yield from _feed_items(parse_feed(result.body, result.url), fetcher, source_id, is_known)
        elif kind == "sitemap":
            sitemap = parse_sitemap(result.body, result.url)
            yield from _sitemap_items(sitemap, fetcher, source_id, is_known)
        else:
            yield _page(result, source_id, outlet)
    except InputError as exc:
        exc.raw = exc.raw if exc.raw is not None else result.body
        yield exc


def _page(result: FetchResult, source_id: int | None, outlet: str | None = None) -> RawItem:
    ctype = (result.content_type or "").lower()
    kind: RawKind = "text" if ctype.startswith("text/plain") else "html"
    meta: dict[str, Any] = {"status": result.status}
    if outlet:
        meta["outlet"] = outlet
    return RawItem(
        origin=result.url,
        kind=kind,
        body=result.body,
        url=result.url,
        content_type=result.content_type,
        source_id=source_id,
        fetched_at=result.fetched_at,
        meta=meta,
    )


def _feed_items(
    entries: list[FeedEntry], fetcher: Fetcher, source_id: int | None, is_known: Callable[[str], bool]
) -> Iterator[RawItem | InputError]:
    for entry in entries[:MAX_PAGES_PER_POLL]:
        if entry.url and is_known(entry.url):
            continue
        if not entry.url:
            yield entry_to_raw(entry, source_id)
            continue
        try:
            yield _page(fetcher.fetch(entry.url), source_id)
        except FetchError as exc:
            log.warning("page %s unavailable (%s); keeping the feed entry", entry.url, exc.detail)
            yield entry_to_raw(entry, source_id)


def _sitemap_items(
    sitemap: Sitemap,
    fetcher: Fetcher,
    source_id: int | None,
    is_known: Callable[[str], bool],
    depth: int = 0,
) -> Iterator[RawItem | InputError]:
    entries = sorted(sitemap.entries, key=_newest_first)
    fetched = 0
    for entry in entries:
        if fetched >= MAX_PAGES_PER_POLL or is_known(entry.loc):
            continue
        fetched += 1
        try:
            yield _page(fetcher.fetch(entry.loc), source_id, entry.outlet)
        except FetchError as exc:
            yield FetchFailed(entry.loc, exc.detail, reason=exc.reason)
    if depth >= 1:
        return
    for ref in sitemap.sitemaps[:MAX_CHILD_SITEMAPS]:
        try:
            child = parse_sitemap(fetcher.fetch(ref.loc).body, ref.loc)
        except (FetchError, InputError) as exc:
            yield FetchFailed(ref.loc, getattr(exc, "detail", str(exc)), reason=exc.reason)
            continue
        yield from _sitemap_items(child, fetcher, source_id, is_known, depth + 1)


def _newest_first(entry: SitemapEntry) -> float:
    when = entry.published or entry.lastmod
    return -when.timestamp() if when else 0.0


def poll_items(
    source: dict[str, Any],
    fetcher: Fetcher,
    settings: Settings,
    is_known: Callable[[str], bool],
    etag: str | None = None,
    last_modified: str | None = None,
) -> tuple[FetchResult | None, Iterator[RawItem | InputError]]:
    """Fetch a source once (conditionally). Returns the fetch (None for folders) and its items.

    Raises :class:`FetchError` when the source itself cannot be fetched — a health
    problem of the source, recorded by the caller, not an input to quarantine.
    """
    if source["kind"] == "folder":
        return None, _from_path(Path(source["url"]), settings, source["id"])
    result = fetcher.fetch(source["url"], etag=etag, last_modified=last_modified)
    if result.not_modified:
        return result, iter(())
    if source["kind"] == "page":
        return result, iter([_page(result, source["id"], source.get("outlet"))])
    return result, items_from_fetch(result, fetcher, source_id=source["id"], is_known=is_known)
