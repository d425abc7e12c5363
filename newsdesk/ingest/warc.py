"""WARC archives (plain or gzip, read with warcio): each captured page becomes a raw item.

``response`` records with a 2xx HTTP status, and ``resource``/``conversion`` records, become
:class:`~newsdesk.model.RawItem` of kind ``html`` or ``text`` by their content type: ``url`` is the
``WARC-Target-URI``, ``fetched_at`` the ``WARC-Date``, ``body`` the payload with transfer and content
encodings undone. Records that are not articles are skipped without a word: requests, metadata,
warcinfo, revisits, redirects and errors (non-2xx), images, scripts, stylesheets.

``origin`` is ``path#record-<n>`` (n counts every record from 1); ``meta`` keeps the record's byte
offset and WARC-Record-ID. A record warcio cannot parse ends the file with one
:class:`~newsdesk.errors.MalformedInput` naming the record and its byte offset; the records read
before it are kept.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArchiveLoadFailed, ArcWarcRecord

from newsdesk.errors import InputError, MalformedInput, TooLarge, UnreadableInput
from newsdesk.extract.encoding import binary_signature, looks_like_html
from newsdesk.model import RawItem, RawKind

__all__ = ["read_warc"]

_CONTENT_RECORDS = frozenset({"response", "resource", "conversion"})


def read_warc(path: Path | str, *, max_bytes: int | None = None) -> Iterator[RawItem | InputError]:
    """Yield the pages of one WARC file; ``max_bytes`` caps one record's payload."""
    name = str(path)
    try:
        with Path(path).open("rb") as stream:
            if not _starts_like_warc(stream.read(512)):
                yield MalformedInput(name, "not a WARC file: it does not start with a WARC/ record")
                return
            stream.seek(0)
            yield from _records(name, _Archive(stream), max_bytes)
    except OSError as exc:
        yield UnreadableInput(name, f"cannot read: {exc}")


def _starts_like_warc(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip().startswith(b"WARC/")


class _Archive(ArchiveIterator):
    """warcio's iterator, except that a file ending inside a record is an error, not the end."""

    def _next_record(self, next_line: bytes | None) -> ArcWarcRecord:
        first = next_line if next_line is not None else self.reader.readline()
        try:
            return super()._next_record(first)
        except EOFError:
            if first.strip():
                raise ArchiveLoadFailed("the file ends inside this record") from None
            raise

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        self.cut_short = decompressor is not None and not decompressor.eof
        super().close()


def _records(name: str, archive: ArchiveIterator, max_bytes: int | None) -> Iterator[RawItem | InputError]:
    number = 0
    while True:
        number += 1
        origin = f"{name}#record-{number}"
        try:
            record = next(archive)
            offset = archive.offset
            item = _item(origin, record, offset, max_bytes)
            damage = _damage(record)
        except StopIteration:
            if getattr(archive, "cut_short", False):
                yield MalformedInput(origin, "broken WARC record: the gzip stream is cut short")
            break
        except Exception as exc:  # warcio raises assorted errors on damaged input
            where = archive.offset
            yield MalformedInput(origin, f"broken WARC record at byte offset {where}: {_reason(exc)}")
            return
        if damage:
            yield MalformedInput(origin, f"broken WARC record at byte offset {offset}: {damage}")
            return
        if item is not None:
            yield item


def _damage(record: ArcWarcRecord) -> str | None:
    """Why a record is incomplete (no Content-Length, fewer bytes than it promised), or ``None``."""
    length = record.rec_headers.get_header("Content-Length") or ""
    if not length.strip().isdigit():
        return "no valid Content-Length header (is the file cut short?)"
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    missing = int(getattr(raw, "limit", 0))
    return f"the file ends {missing} bytes before the record does" if missing > 0 else None


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


def _item(
    origin: str, record: ArcWarcRecord, offset: int, max_bytes: int | None
) -> RawItem | InputError | None:
    """The item of one record, or ``None`` when the record is not an article."""
    if record.rec_type not in _CONTENT_RECORDS or not _is_success(record):
        return None
    content_type = _content_type(record)
    body = _payload(record, max_bytes)
    if body is None:
        return TooLarge(origin, f"record payload over {max_bytes} bytes (at byte offset {offset})")
    kind = _kind(content_type, body)
    if kind is None:
        return None
    return RawItem(
        origin=origin,
        kind=kind,
        body=body,
        url=_target_uri(record),
        content_type=content_type,
        fetched_at=_warc_date(record),
        meta=_meta(record, offset),
    )


def _is_success(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response":
        return True
    if record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    return status.startswith("2")


def _content_type(record: ArcWarcRecord) -> str | None:
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    value = headers.get_header("Content-Type") if headers is not None else None
    return value.strip() if value else None


def _payload(record: ArcWarcRecord, max_bytes: int | None) -> bytes | None:
    stream = record.content_stream()
    data: bytes = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        return None
    return data


def _kind(content_type: str | None, body: bytes) -> RawKind | None:
    """``html``/``text`` by content type; sniffed when there is none; ``None`` for anything else."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if "html" in mime:
        return "html"
    if mime == "text/plain":
        return "text"
    if mime or not body.strip() or binary_signature(body) is not None:
        return None
    return "html" if looks_like_html(body) else "text"


def _target_uri(record: ArcWarcRecord) -> str | None:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    return uri.strip().strip("<>") if uri else None


def _warc_date(record: ArcWarcRecord) -> datetime | None:
    value = record.rec_headers.get_header("WARC-Date")
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _meta(record: ArcWarcRecord, offset: int) -> dict[str, Any]:
    meta: dict[str, Any] = {"warc_offset": offset, "warc_type": record.rec_type}
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    if record_id:
        meta["warc_record_id"] = record_id.strip("<>")
    return meta
