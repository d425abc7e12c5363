"""IPTC NewsML-G2 items (news agency feeds) → ``record`` raw items.

A file may hold one ``newsItem``, a ``newsMessage`` carrying several items in its ``itemSet``, or a
``packageItem``. Each text ``newsItem`` becomes a :class:`~newsdesk.model.RawItem` whose fields are:

``id``         the item's ``guid`` (``version`` too when given);
``title``      ``contentMeta/headline`` (the main one when several);
``lead``       ``contentMeta/description``;
``text``       the body: ``inlineXML`` (XHTML: one line per paragraph) or ``inlineData``;
``published``  ``itemMeta/firstCreated`` (else ``contentCreated``, else ``versionCreated``), parsed;
``updated``    ``itemMeta/versionCreated``;
``author``     ``contentMeta/creator`` names; ``outlet`` the ``provider``;
``language``   ``xml:lang`` of the body or item, or ``contentMeta/language/@tag``;
``url``        an ``itemMeta/link`` whose ``rel`` says canonical, when there is one.

Package items only reference other items, so a ``packageItem`` is skipped inside a message; a file
that is nothing but a package is reported as :class:`~newsdesk.errors.MalformedInput`. Parsing is
safe: no DTDs, no entity expansion, no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from newsdesk.errors import InputError, MalformedInput, UnreadableInput
from newsdesk.ingest.jsonl import parse_published
from newsdesk.ingest.xmlsafe import safe_parser
from newsdesk.model import RawItem

__all__ = ["NEWSML_ROOTS", "block_text", "is_newsml", "parse_newsml", "read_newsml"]

NEWSML_ROOTS = frozenset({"newsItem", "packageItem", "newsMessage"})
"""Root element names (any namespace) that make an XML file NewsML-G2."""

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "tr",
        "dt",
        "dd",
        "figcaption",
    }
)
_SKIP = frozenset({"script", "style", "head", "title"})


def _local(element: Any) -> str:
    """Tag name without namespace; ``""`` for comments and processing instructions."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def is_newsml(data: bytes) -> bool:
    """True when ``data`` parses as XML whose root is a NewsML-G2 element."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        return False
    return _local(root) in NEWSML_ROOTS


def read_newsml(path: Path | str) -> Iterator[RawItem | InputError]:
    """Yield the items of one NewsML-G2 file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield UnreadableInput(str(path), f"cannot read: {exc}")
        return
    yield from parse_newsml(data, str(path))


def parse_newsml(data: bytes, origin: str) -> Iterator[RawItem | InputError]:
    """Yield the items of NewsML-G2 ``data``; ``origin`` names the file."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        yield MalformedInput(origin, f"invalid XML: {exc}", reason="malformed_xml", raw=data)
        return
    name = _local(root)
    if name == "newsItem":
        yield _item(root, origin, data)
    elif name == "newsMessage":
        yield from _message(root, origin, data)
    elif name == "packageItem":
        detail = "NewsML-G2 packageItem only references other items"
        yield MalformedInput(origin, detail, reason="package_only", raw=data)
    else:
        detail = f"unknown XML format: root element <{name}>"
        yield MalformedInput(origin, detail, reason="unknown_xml", raw=data)


def _message(root: Any, origin: str, data: bytes) -> Iterator[RawItem | InputError]:
    items = [el for el in root.iterfind(".//{*}itemSet/*") if _local(el) == "newsItem"]
    if not items:
        yield MalformedInput(origin, "NewsML-G2 newsMessage holds no newsItem", reason="no_items", raw=data)
    for number, element in enumerate(items, start=1):
        yield _item(element, f"{origin}#item-{number}", etree.tostring(element, encoding="utf-8"))


def _item(element: Any, origin: str, body: bytes) -> RawItem:
    fields = _fields(element)
    return RawItem(
        origin=origin,
        kind="record",
        body=body,
        url=fields.get("url"),
        content_type="application/vnd.iptc.g2.newsitem+xml",
        fields=fields,
    )


# -- fields ----------------------------------------------------------------------------------------


def _fields(item: Any) -> dict[str, Any]:
    meta = item.find("{*}itemMeta")
    content = item.find("{*}contentMeta")
    candidates: dict[str, Any] = {
        "id": item.get("guid"),
        "version": item.get("version"),
        "url": _canonical_link(meta),
        "title": _headline(content),
        "lead": _text_of(content, "{*}description"),
        "text": _body(item),
        "published": _published(meta, content),
        "updated": parse_published(_text_of(meta, "{*}versionCreated")),
        "author": _names(content, "{*}creator"),
        "outlet": _names(meta, "{*}provider"),
        "language": _language(item, content),
    }
    return {key: value for key, value in candidates.items() if value}


def _text_of(parent: Any, path: str) -> str | None:
    if parent is None:
        return None
    found = parent.find(path)
    return _squeeze("".join(found.itertext())) if found is not None else None


def _squeeze(text: str) -> str | None:
    return " ".join(text.split()) or None


def _headline(content: Any) -> str | None:
    if content is None:
        return None
    headlines = content.findall("{*}headline")
    main = [h for h in headlines if h.get("role") in (None, "hld:main", "main")]
    chosen = (main or headlines)[:1]
    return _squeeze("".join(chosen[0].itertext())) if chosen else None


def _published(meta: Any, content: Any) -> Any:
    for parent, path in (
        (meta, "{*}firstCreated"),
        (content, "{*}contentCreated"),
        (meta, "{*}versionCreated"),
    ):
        raw = _text_of(parent, path)
        if raw:
            return parse_published(raw) or raw
    return None


def _names(parent: Any, path: str) -> str | None:
    """``name`` children, else ``literal``, else the ``qcode`` suffix, of each matching element."""
    if parent is None:
        return None
    names = [_party_name(party) for party in parent.findall(path)]
    return ", ".join(name for name in names if name) or None


def _party_name(party: Any) -> str | None:
    name = _text_of(party, "{*}name")
    qcode = party.get("qcode") or ""
    return name or party.get("literal") or qcode.rpartition(":")[2] or None


def _language(item: Any, content: Any) -> str | None:
    tag = content.find("{*}language") if content is not None else None
    declared = item.get(_XML_LANG) or (tag.get("tag") if tag is not None else None)
    return declared.lower() if declared else None


def _canonical_link(meta: Any) -> str | None:
    if meta is None:
        return None
    for link in meta.findall("{*}link"):
        if "canonical" in (link.get("rel") or "") and link.get("href"):
            return str(link.get("href"))
    return None


# -- body ------------------------------------------------------------------------------------------


def _body(item: Any) -> str | None:
    content_set = item.find("{*}contentSet")
    if content_set is None:
        return None
    inline_xml = content_set.find("{*}inlineXML")
    if inline_xml is not None:
        return block_text(inline_xml) or None
    inline_data = content_set.find("{*}inlineData")
    if inline_data is not None and inline_data.text:
        return "\n".join(line.strip() for line in inline_data.text.strip().splitlines()) or None
    return None


def block_text(root: Any) -> str:
    """Plain text of (X)HTML: one line per block element (paragraph, heading, list item …).

    Works on any lxml element, namespaced or not; scripts and styles are dropped.
    """
    lines: list[str] = []
    _collect(root, lines)
    return "\n".join(line for line in lines if line)


def _collect(element: Any, lines: list[str]) -> None:
    name = _local(element)
    if name in _SKIP or not isinstance(element.tag, str):
        return
    if name in _BLOCKS and not _has_block_child(element):
        lines.append(_squeeze(_inline_text(element)) or "")
        return
    lines.append(_squeeze(element.text or "") or "")
    for child in element:
        _collect(child, lines)
        lines.append(_squeeze(child.tail or "") or "")


def _has_block_child(element: Any) -> bool:
    return any(_local(child) in _BLOCKS for child in element.iter() if child is not element)


def _inline_text(element: Any) -> str:
    """Text of an element and its inline children; ``<br>`` and comments become a space."""
    if not isinstance(element.tag, str) or _local(element) == "br":
        return " "
    parts = [element.text or ""]
    for child in element:
        if _local(child) not in _SKIP:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
