"""JSON Lines articles: one JSON object a line, plain or gzip-compressed (found by magic bytes).

Each line becomes a ``record`` :class:`~newsdesk.model.RawItem` whose ``body`` is the line's raw
bytes and whose ``fields`` are normalized to the keys ``id url title text lead published outlet
language author`` (only those present). Many spellings are accepted (``body``/``content`` for the
text, ``sapo``/``description`` for the lead, ``date``/``published_at`` for the date …), so the
corpus format (``id, title, sapo, text``) and NINJS-like objects read without configuration.

``published`` becomes an aware ``datetime`` when it can be parsed (ISO 8601, epoch seconds,
Vietnamese ``dd/mm/yyyy hh:mm``, anything dateutil reads); a time without offset is taken as
Vietnam time (UTC+07:00). An unparseable date is kept as the original string.

A bad line is an :class:`~newsdesk.errors.InputError` naming ``path#L<n>``; reading goes on. A
damaged gzip stream ends the file with one error at the line where it broke; earlier records
are kept.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import IO, Any, cast

from newsdesk.errors import InputError, MalformedInput, TooLarge, UnreadableInput
from newsdesk.model import RawItem

__all__ = ["ICT", "normalize_fields", "parse_published", "read_jsonl", "record_item"]

ICT = timezone(timedelta(hours=7), "ICT")
"""Indochina Time, the zone assumed for a naive timestamp."""

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "guid", "doc_id", "article_id", "uri"),
    "url": ("url", "link", "canonical_url", "source_url", "href"),
    "title": ("title", "headline", "headlines"),
    "text": ("text", "body", "content", "body_text", "maintext", "article", "bodies"),
    "lead": ("lead", "sapo", "description", "description_text", "descriptions", "summary", "abstract"),
    "published": (
        *("published", "date", "published_at", "publish_date", "date_publish", "datePublished"),
        *("pubdate", "firstcreated", "versioncreated", "created_at", "time"),
    ),
    "outlet": ("outlet", "source", "site_name", "site", "publisher", "source_domain", "domain"),
    "language": ("language", "lang", "language_code"),
    "author": ("author", "authors", "byline", "by", "creator"),
}
_LOOKUP = {alias: (key, rank) for key, aliases in _ALIASES.items() for rank, alias in enumerate(aliases)}
_JOINERS = {"text": "\n", "lead": "\n"}


# -- field normalization ---------------------------------------------------------------------------


def normalize_fields(obj: dict[str, Any], *, default_tz: tzinfo = ICT) -> dict[str, Any]:
    """The normalized fields of one article object (see the module docstring)."""
    chosen = _choose(obj)
    fields: dict[str, Any] = {}
    for key in _ALIASES:
        if key not in chosen:
            continue
        raw = chosen[key][1]
        if key == "published":
            value: Any = parse_published(raw, default_tz=default_tz) or _flat(raw, ", ")
        else:
            value = _flat(raw, _JOINERS.get(key, ", "))
        if value:
            fields[key] = value.lower() if key == "language" else value
    return fields


def _choose(obj: dict[str, Any]) -> dict[str, tuple[int, Any]]:
    """For each normalized key, the non-empty value of its best-ranked alias present in ``obj``."""
    chosen: dict[str, tuple[int, Any]] = {}
    for name, value in obj.items():
        hit = _LOOKUP.get(name)
        if hit is None or value is None or value == "" or value == [] or value == {}:
            continue
        key, rank = hit
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, value)
    return chosen


def _flat(value: Any, joiner: str) -> str | None:
    """A string from what JSON gives: strings, numbers, ``{"name"|"value": …}``, lists of those.

    A list of NINJS 2 ``{"value", "role"}`` objects gives the one whose role is ``main``.
    """
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return _flat(value.get("value") or value.get("name") or value.get("text"), joiner)
    if isinstance(value, list):
        return _flat_list(value, joiner)
    return None


def _flat_list(values: list[Any], joiner: str) -> str | None:
    main = [v for v in values if isinstance(v, dict) and v.get("role") in ("main", "hld:main")]
    parts = [_flat(v, joiner) for v in (main[:1] or values)]
    return joiner.join(p for p in parts if p) or None


# -- dates -----------------------------------------------------------------------------------------

_VN_DATE = re.compile(
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?:\D{1,10}?(?P<H>\d{1,2})[:hg](?P<M>\d{2}))?"
)
_HAS_YEAR = re.compile(r"\b\d{4}\b|\d{8}")


def parse_published(value: Any, *, default_tz: tzinfo = ICT) -> datetime | None:
    """An aware datetime from a record's date (ISO text, epoch seconds or ms, ``20/5/2016 10:30``,
    other text dateutil reads), or ``None`` when it cannot be read."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str) or not _HAS_YEAR.search(value):
        return None
    parsed = _from_iso(value.strip()) or _from_vietnamese(value) or _from_dateutil(value)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:
        seconds /= 1000
    if not 0 < seconds < 4_102_444_800:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def _from_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _from_vietnamese(text: str) -> datetime | None:
    match = _VN_DATE.search(text)
    if match is None:
        return None
    hour, minute = int(match["H"] or 0), int(match["M"] or 0)
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]), hour, minute)
    except ValueError:
        return None


def _from_dateutil(text: str) -> datetime | None:
    from dateutil import parser

    try:
        return parser.parse(text, dayfirst=True)
    except (ValueError, OverflowError):
        return None


# -- reading ---------------------------------------------------------------------------------------


def read_jsonl(path: Path | str, *, max_bytes: int | None = None) -> Iterator[RawItem | InputError]:
    """Yield one item per non-blank line of ``path``; an error for each bad line.

    ``max_bytes`` caps one line (a JSON Lines file is a container: the cap is per record).
    """
    name = str(path)
    number = 0
    try:
        with _open(Path(path)) as stream:
            for number, line in _lines(stream, max_bytes):
                item = _item(name, number, line, max_bytes)
                if item is not None:
                    yield item
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield MalformedInput(f"{name}#L{number + 1}", f"damaged gzip stream: {exc}", reason="truncated")
    except OSError as exc:
        yield UnreadableInput(f"{name}#L{number + 1}" if number else name, f"cannot read: {exc}")


@contextlib.contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        if not gzipped:
            yield raw
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield cast(IO[bytes], unzipped)


def _lines(stream: IO[bytes], max_bytes: int | None) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; ``None`` for a line longer than ``max_bytes``."""
    if max_bytes is None:
        yield from enumerate(stream, start=1)
        return
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield number, None
        else:
            yield number, line


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while (chunk := stream.readline(1 << 20)) and not chunk.endswith(b"\n"):
        pass


def _item(name: str, number: int, line: bytes | None, max_bytes: int | None) -> RawItem | InputError | None:
    """The item of one line; ``None`` for a blank line."""
    origin = f"{name}#L{number}"
    if line is None:
        return TooLarge(origin, f"line longer than {max_bytes} bytes")
    body = line.rstrip(b"\r\n")
    if not body.strip():
        return None
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError) as exc:
        return MalformedInput(origin, _json_problem(exc), reason="malformed_json", raw=body)
    if not isinstance(obj, dict):
        detail = f"expected a JSON object, got {type(obj).__name__}"
        return MalformedInput(origin, detail, reason="malformed_json", raw=body)
    return record_item(origin, body, normalize_fields(obj), meta={"line": number})


def record_item(
    origin: str, body: bytes, fields: dict[str, Any], meta: dict[str, Any] | None = None
) -> RawItem:
    """A ``record`` raw item from one JSON object's bytes and its normalized fields."""
    return RawItem(
        origin=origin,
        kind="record",
        body=body,
        url=fields.get("url"),
        content_type="application/json",
        fields=fields,
        meta=meta or {},
    )


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} at column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "invalid JSON: not UTF-8 text"
    return f"invalid JSON: {type(exc).__name__}"
