"""Local files and folders → raw items, one format reader per kind of file.

:func:`iter_path` takes a file or a folder (walked recursively in name order, hidden files and
folders skipped) and yields a :class:`~newsdesk.model.RawItem` per article or an
:class:`~newsdesk.errors.InputError` per input that cannot become one; it never raises for a bad
file, so a batch goes on.

The format is found by content sniffing, with the file name as a hint (:func:`detect_format`):

========================  ==========================================================
``html``                  ``.html .htm .xhtml`` or HTML tags → kind ``html``, raw bytes
``text``                  ``.txt .md`` or other text → kind ``text``, raw bytes
``jsonl``                 ``.jsonl .ndjson`` (gzip allowed) → :mod:`newsdesk.ingest.jsonl`
``warc``                  ``.warc .warc.gz`` or ``WARC/`` → :mod:`newsdesk.ingest.warc`
``xml``                   ``.xml .rss .atom`` → NewsML-G2 (:mod:`newsdesk.ingest.newsml`),
                          RSS/Atom (:mod:`newsdesk.ingest.feeds`), XHTML as html
``json``                  ``.json`` → NINJS (:mod:`newsdesk.ingest.ninjs`) or article objects
``binary``                images, archives, NUL bytes … → :class:`~newsdesk.errors.BinaryInput`
========================  ==========================================================

A gzip file is read as what it holds, named by the suffix under ``.gz`` (``page.html.gz``,
``bai.txt.gz``, ``feed.xml.gz``) or sniffed: WARC and JSON Lines readers decompress by
themselves; any other format is decompressed whole, ``max_bytes`` capping the decompressed size
(a small bomb must not become a huge body). A gzip of something unreadable stays ``binary``.

A saved RSS/Atom feed yields one ``record`` item per entry, built from the entry's own title,
summary, link and date exactly as a fetched feed's entry is when its page cannot be fetched. The
linked pages are not fetched: reading local files never goes to the network.

Bodies of html/text files stay raw: extraction decodes them. ``max_bytes`` caps a single file;
for the container formats (JSON Lines, WARC) it caps each record instead, as such files are
often large by nature.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from newsdesk.errors import BinaryInput, EmptyInput, InputError, MalformedInput, TooLarge, UnreadableInput
from newsdesk.extract.encoding import binary_signature, looks_like_html
from newsdesk.ingest.feeds import entry_to_raw, parse_feed
from newsdesk.ingest.jsonl import normalize_fields, read_jsonl, record_item
from newsdesk.ingest.newsml import NEWSML_ROOTS, parse_newsml
from newsdesk.ingest.ninjs import is_ninjs, parse_ninjs
from newsdesk.ingest.warc import read_warc
from newsdesk.model import RawItem

__all__ = ["FileFormat", "detect_format", "iter_path"]

FileFormat = Literal["html", "text", "jsonl", "warc", "xml", "json", "binary"]

_HEAD_BYTES = 8192
_SUFFIXES: dict[str, FileFormat] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".xml": "xml",
    ".rss": "xml",
    ".atom": "xml",
    ".json": "json",
}
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_SUFFIXES = frozenset({".gz", ".gzip"})
FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
"""Root elements of RSS 0.9x/2.0, Atom and RSS 1.0 (``rdf:RDF``), by local name."""
_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")
_XML_PROLOG = re.compile(rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>))*\s*", re.S | re.I)
_HTML_START = re.compile(rb"\s*(?:<!doctype\s+html|<html)", re.I)


# -- walking ---------------------------------------------------------------------------------------


def iter_path(path: Path, *, max_bytes: int) -> Iterator[RawItem | InputError]:
    """Yield the raw items of a file, or of every visible file under a folder."""
    if path.is_dir():
        for entry in _walk(path):
            if isinstance(entry, InputError):
                yield entry
            else:
                yield from _iter_file(entry, max_bytes)
    elif path.exists():
        yield from _iter_file(path, max_bytes)
    else:
        yield UnreadableInput(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """Visible files under ``folder``, depth first, in name order; symlinked folders not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield UnreadableInput(str(folder), f"cannot list folder: {_why(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


# -- one file --------------------------------------------------------------------------------------


def _iter_file(path: Path, max_bytes: int) -> Iterator[RawItem | InputError]:
    name = str(path)
    try:
        stat = path.stat()
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError as exc:
        yield UnreadableInput(name, f"cannot read: {_why(exc)}")
        return
    if stat.st_size == 0 or not head:
        yield EmptyInput(name, "empty file")
        return
    kind = detect_format(path, head)
    if kind == "jsonl":
        yield from read_jsonl(path, max_bytes=max_bytes)
    elif kind == "warc":
        yield from read_warc(path, max_bytes=max_bytes)
    elif kind == "binary":
        raw = _read_if_small(path, stat.st_size, max_bytes)
        yield BinaryInput(name, _binary_detail(head), raw=raw)
    elif stat.st_size > max_bytes:
        yield TooLarge(name, f"{stat.st_size} bytes, over the cap of {max_bytes}")
    else:
        yield from _whole_file(path, kind, _mtime(stat.st_mtime), max_bytes)


def _binary_detail(head: bytes) -> str:
    """Why a binary file is refused; for a gzip, whether it is corrupt or holds binary data."""
    if not head.startswith(_GZIP_MAGIC):
        return f"binary data ({binary_signature(head) or 'not text'}), not an article"
    try:
        inner = zlib.decompressobj(31).decompress(head, _HEAD_BYTES)
    except zlib.error as exc:
        return f"corrupt gzip data: {exc}"
    if not inner:
        return "corrupt gzip data: nothing decompresses"
    return f"gzip of binary data ({binary_signature(inner) or 'not text'}), not an article"


def _read_if_small(path: Path, size: int, max_bytes: int) -> bytes | None:
    """The file's bytes for quarantine, when they fit under the cap and can still be read."""
    if size > max_bytes:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _mtime(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


def _whole_file(path: Path, kind: FileFormat, mtime: str, max_bytes: int) -> Iterator[RawItem | InputError]:
    name = str(path)
    try:
        data = path.read_bytes()
        if data.startswith(_GZIP_MAGIC):
            data = _gunzip(data, name, max_bytes)
    except OSError as exc:
        yield UnreadableInput(name, f"cannot read: {_why(exc)}")
        return
    except InputError as exc:
        yield exc
        return
    if not data.strip():
        yield EmptyInput(name, "only whitespace", raw=data)
    elif kind == "xml":
        yield from _xml(data, name, mtime)
    elif kind == "json":
        yield from _json(data, path)
    else:
        yield _page(data, name, "html" if kind == "html" else "text", mtime)


def _gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """Every member of a gzip file, decompressed; never more than ``max_bytes`` of output."""
    parts: list[bytes] = []
    size, rest = 0, data
    while rest.startswith(_GZIP_MAGIC):
        inflater = zlib.decompressobj(31)
        try:
            part = inflater.decompress(rest, max_bytes - size + 1)
        except zlib.error as exc:
            raise MalformedInput(
                name, f"corrupt gzip data: {exc}", reason="malformed_gzip", raw=data
            ) from exc
        size += len(part)
        if size > max_bytes:
            raise TooLarge(name, f"over the cap of {max_bytes} bytes once decompressed")
        if not inflater.eof:
            raise MalformedInput(name, "truncated gzip data", reason="malformed_gzip", raw=data)
        parts.append(part)
        rest = inflater.unused_data
    return b"".join(parts)


def _page(data: bytes, name: str, kind: Literal["html", "text"], mtime: str) -> RawItem:
    content_type = "text/html" if kind == "html" else "text/plain"
    return RawItem(origin=name, kind=kind, body=data, content_type=content_type, meta={"mtime": mtime})


def _xml(data: bytes, name: str, mtime: str) -> Iterator[RawItem | InputError]:
    root = _xml_root(data)
    if root is not None and root.lower() == "html":
        yield _page(data, name, "html", mtime)
    elif root in NEWSML_ROOTS:
        yield from parse_newsml(data, name)
    elif root in FEED_ROOTS:
        yield from _feed(data, name, mtime)
    else:
        detail = f"unknown XML format: root element <{root or '?'}>"
        yield MalformedInput(name, detail, reason="unknown_xml", raw=data)


def _feed(data: bytes, name: str, mtime: str) -> Iterator[RawItem | InputError]:
    """A saved RSS/Atom feed: one record item per entry (see the module docstring)."""
    try:
        entries = parse_feed(data, name)
    except InputError as exc:
        exc.raw = data
        yield exc
        return
    if not entries:
        yield EmptyInput(name, "feed has no entries", raw=data)
    for number, entry in enumerate(entries, start=1):
        item = entry_to_raw(entry)
        if entry.url is None and entry.guid is None:
            item.origin = f"{name}#item-{number}"
        item.meta.update(feed=name, mtime=mtime)
        yield item


def _json(data: bytes, path: Path) -> Iterator[RawItem | InputError]:
    name = str(path)
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        if _first_line_is_object(data):
            yield from read_jsonl(path)
        else:
            yield MalformedInput(name, f"invalid JSON: {exc}", reason="malformed_json", raw=data)
        return
    if is_ninjs(parsed):
        yield from parse_ninjs(data, name)
    elif isinstance(parsed, dict):
        yield _record(parsed, name, data)
    elif isinstance(parsed, list):
        yield from _records(parsed, name)
    else:
        detail = "unknown JSON format: neither an object nor a list"
        yield MalformedInput(name, detail, reason="unknown_json", raw=data)


def _records(entries: list[Any], name: str) -> Iterator[RawItem | InputError]:
    for number, entry in enumerate(entries, start=1):
        origin = f"{name}#item-{number}"
        if not isinstance(entry, dict):
            raw = json.dumps(entry, ensure_ascii=False).encode()
            yield MalformedInput(origin, f"expected an article object, got {type(entry).__name__}", raw=raw)
            continue
        yield _record(entry, origin, json.dumps(entry, ensure_ascii=False, sort_keys=True).encode())


def _record(obj: dict[str, Any], origin: str, body: bytes) -> RawItem | InputError:
    fields = normalize_fields(obj)
    if "title" not in fields and "text" not in fields:
        detail = "unknown JSON format: no title or text field"
        return MalformedInput(origin, detail, reason="unknown_json", raw=body)
    return record_item(origin, body, fields)


# -- format detection ------------------------------------------------------------------------------


def detect_format(path: Path, head: bytes) -> FileFormat:
    """The format of a file from its first bytes, the name's suffix breaking ties."""
    if head.startswith(_GZIP_MAGIC):
        return _gzip_format(path, head)
    if binary_signature(head) is not None:
        return "binary"
    hinted = _SUFFIXES.get(path.suffix.lower())
    if hinted == "text" and _HTML_START.match(head):
        return "html"
    if hinted == "json" and _first_line_is_object(head) and b"\n{" in head:
        return "jsonl"
    return hinted or _sniff(head)


def _gzip_format(path: Path, head: bytes) -> FileFormat:
    """The format of what a gzip file holds, named by the suffix under ``.gz`` or sniffed.

    Unnamed objects are JSON Lines (the usual export); a gzip inside a gzip, or anything that
    does not decompress, is ``binary``.
    """
    try:
        inner = zlib.decompressobj(31).decompress(head, _HEAD_BYTES)
    except zlib.error:
        return "binary"
    if inner.startswith(b"WARC/"):
        return "warc"
    if not inner or inner.startswith(_GZIP_MAGIC):
        return "binary"
    inner_path = path.with_suffix("") if path.suffix.lower() in _GZIP_SUFFIXES else path
    if inner_path.suffix.lower() not in _SUFFIXES and inner.lstrip().startswith(b"{"):
        return "jsonl"
    return detect_format(inner_path, inner)


def _sniff(head: bytes) -> FileFormat:
    """The format of a file whose name says nothing."""
    stripped = head.lstrip()
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith(b"<") and _xml_root(head) in NEWSML_ROOTS | FEED_ROOTS:
        return "xml"
    if looks_like_html(head):
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl" if _first_line_is_object(head) and b"\n{" in head else "json"
    if stripped.startswith(b"["):
        return "json"
    return "text"


def _xml_root(data: bytes) -> str | None:
    """The local name of the first element of an XML/HTML document, from its first bytes."""
    head = data[:_HEAD_BYTES].removeprefix(b"\xef\xbb\xbf")
    prolog = _XML_PROLOG.match(head)
    match = _XML_ROOT.match(head, prolog.end() if prolog else 0)
    return match.group(1).decode("ascii") if match else None


def _first_line_is_object(data: bytes) -> bool:
    line = data.lstrip().split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
