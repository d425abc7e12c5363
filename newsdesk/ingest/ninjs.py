"""IPTC NINJS (News in JSON) items, versions 1.x and 2.x → ``record`` raw items.

A ``.json`` file may hold one NINJS object or a list of them. Field mapping:

``id``         ``uri`` (else ``guid``); ``version`` when given;
``title``      ``headline`` (1.x) or the main entry of ``headlines`` (2.x);
``lead``       ``description_text`` (1.x) or the summary/main entry of ``descriptions`` (2.x);
``text``       ``body_text``, else ``body_html`` as plain text (1.x); the main entry of ``bodies``
               (2.x), plain text preferred over HTML;
``published``  ``firstcreated``, else ``contentcreated``, else ``versioncreated``, parsed;
``updated``    ``versioncreated``;
``author``     ``byline`` (1.x) or ``by`` (2.x); ``outlet`` the ``copyrightholder`` or first
               ``infosources`` name; ``located``, ``language``, ``url`` (a ``uri`` that is http(s)).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from newsdesk.errors import InputError, MalformedInput, UnreadableInput
from newsdesk.ingest.jsonl import parse_published
from newsdesk.ingest.newsml import block_text
from newsdesk.model import RawItem

__all__ = ["html_text", "is_ninjs", "ninjs_fields", "parse_ninjs", "read_ninjs"]

_NINJS_KEYS = frozenset(
    {"headline", "headlines", "body_text", "body_html", "bodies", "versioncreated", "firstcreated"}
)
_TEXT_TYPES = ("text/plain", "", None)


def is_ninjs(obj: Any) -> bool:
    """True for a NINJS object (``uri`` plus a headline, body or date) or a non-empty list of them."""
    if isinstance(obj, list):
        return bool(obj) and all(is_ninjs(entry) for entry in obj if not isinstance(entry, list))
    return isinstance(obj, dict) and "uri" in obj and not _NINJS_KEYS.isdisjoint(obj)


def read_ninjs(path: Path | str) -> Iterator[RawItem | InputError]:
    """Yield the items of one NINJS file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield UnreadableInput(str(path), f"cannot read: {exc}")
        return
    yield from parse_ninjs(data, str(path))


def parse_ninjs(data: bytes, origin: str) -> Iterator[RawItem | InputError]:
    """Yield the items of NINJS ``data`` (one object or a list); ``origin`` names the file."""
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as exc:
        yield MalformedInput(origin, f"invalid JSON: {exc}", reason="malformed_json", raw=data)
        return
    if isinstance(parsed, dict):
        yield _item(parsed, origin, data)
        return
    if not isinstance(parsed, list):
        detail = "NINJS must be an object or a list of objects"
        yield MalformedInput(origin, detail, reason="malformed_json", raw=data)
        return
    for number, entry in enumerate(parsed, start=1):
        yield _entry(entry, f"{origin}#item-{number}")


def _entry(entry: Any, origin: str) -> RawItem | InputError:
    if not isinstance(entry, dict):
        raw = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        return MalformedInput(origin, f"expected a NINJS object, got {type(entry).__name__}", raw=raw)
    body = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return _item(entry, origin, body)


def _item(obj: dict[str, Any], origin: str, body: bytes) -> RawItem:
    fields = ninjs_fields(obj)
    return RawItem(
        origin=origin,
        kind="record",
        body=body,
        url=fields.get("url"),
        content_type="application/ninjs+json",
        fields=fields,
    )


# -- fields ----------------------------------------------------------------------------------------


def ninjs_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """The normalized fields of one NINJS object (keys as in :mod:`newsdesk.ingest.jsonl`)."""
    uri = _string(obj.get("uri")) or _string(obj.get("guid"))
    candidates: dict[str, Any] = {
        "id": uri,
        "version": _string(obj.get("version")),
        "url": uri if uri and uri.startswith(("http://", "https://")) else None,
        "title": _string(obj.get("headline")) or _pick(obj.get("headlines"), ("main",)),
        "lead": _string(obj.get("description_text")) or _lead_v2(obj),
        "text": _body(obj),
        "published": _published(obj),
        "updated": parse_published(obj.get("versioncreated")),
        "author": _string(obj.get("byline")) or _string(obj.get("by")),
        "outlet": _string(obj.get("copyrightholder")) or _pick(obj.get("infosources"), ()),
        "located": _string(obj.get("located")),
        "language": (_string(obj.get("language")) or "").lower(),
    }
    return {key: value for key, value in candidates.items() if value}


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _pick(entries: Any, roles: tuple[str, ...]) -> str | None:
    """The ``value`` (or ``name``) of the entry with one of ``roles``, else of the first entry."""
    if not isinstance(entries, list):
        return None
    dicts = [entry for entry in entries if isinstance(entry, dict)]
    preferred = [entry for entry in dicts if entry.get("role") in roles]
    for entry in preferred + dicts:
        value = _string(entry.get("value")) or _string(entry.get("name"))
        if value:
            return value
    return None


def _lead_v2(obj: dict[str, Any]) -> str | None:
    return _pick(obj.get("descriptions"), ("summary", "main", "description"))


def _published(obj: dict[str, Any]) -> Any:
    for key in ("firstcreated", "contentcreated", "versioncreated"):
        raw = obj.get(key)
        if raw:
            return parse_published(raw) or _string(raw)
    return None


def _body(obj: dict[str, Any]) -> str | None:
    text = _string(obj.get("body_text"))
    if text:
        return text
    html = _string(obj.get("body_html"))
    if html:
        return html_text(html)
    return _body_v2(obj.get("bodies"))


def _body_v2(bodies: Any) -> str | None:
    if not isinstance(bodies, list):
        return None
    entries = [entry for entry in bodies if isinstance(entry, dict) and _string(entry.get("value"))]
    main = [entry for entry in entries if entry.get("role") in (None, "main")] or entries
    plain = [entry for entry in main if entry.get("contenttype") in _TEXT_TYPES]
    if plain:
        return _string(plain[0]["value"])
    return html_text(str(main[0]["value"])) if main else None


def html_text(html: str) -> str | None:
    """Plain text of an HTML fragment, one line per paragraph."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return block_text(root) or None
