"""What the CSV, TBX and TMX importers share: the result shape, reading and safe XML parsing.

A batch import has two outcomes, as the rest of newsdesk does it:

* the **file** is unusable (missing, empty, not UTF-8, not well-formed XML, a
  CSV header with an unknown column): an :class:`newsdesk.errors.InputError`
  subclass is *raised*, naming the file and the reason;
* single **records** are bad (a row with no term, a ``tu`` with one language):
  the good ones are kept in :attr:`ImportResult.items` and each bad one is
  reported in :attr:`ImportResult.rejected` as a
  :class:`newsdesk.errors.MalformedInput` whose origin is ``file:line`` — never
  dropped silently. A caller that wants all-or-nothing calls
  :meth:`ImportResult.raise_rejected`.

XML goes through :func:`newsdesk.ingest.xmlsafe.safe_parser`: no entity
expansion, no DTD, no network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from lxml import etree

from newsdesk.errors import EmptyInput, EncodingError, MalformedInput, UnreadableInput
from newsdesk.ingest.xmlsafe import safe_parser

__all__ = ["ImportResult", "Source", "decode_utf8", "lang_of", "localname", "parse_xml", "read_source"]

T = TypeVar("T")
Source = Path | str | bytes
"""A file path, or the bytes of an upload (then ``origin`` names it)."""

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(slots=True)
class ImportResult(Generic[T]):
    """The records read from one file, and the ones rejected with their reasons."""

    origin: str
    items: list[T] = field(default_factory=list)
    rejected: list[MalformedInput] = field(default_factory=list)

    def reject(self, line: int | None, detail: str, reason: str) -> None:
        where = f"{self.origin}:{line}" if line else self.origin
        self.rejected.append(MalformedInput(where, detail, reason=reason))

    def raise_rejected(self) -> None:
        """Raise the first rejection, if any (all-or-nothing imports)."""
        if self.rejected:
            raise self.rejected[0]


def read_source(source: Source, origin: str | None) -> tuple[bytes, str]:
    """The bytes of ``source`` and the name to report it by."""
    if isinstance(source, bytes):
        name = origin or "<upload>"
        data = source
    else:
        name = origin or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise UnreadableInput(name, exc.strerror or str(exc)) from exc
    if not data.strip():
        raise EmptyInput(name, "the file is empty")
    return data, name


def decode_utf8(data: bytes, origin: str) -> str:
    """UTF-8 with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(origin, f"not UTF-8 (byte {exc.start}: {exc.reason})") from exc


def parse_xml(data: bytes, origin: str, roots: tuple[str, ...]) -> etree._Element:
    """The root element, which must be one of ``roots`` (local names)."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedInput(origin, f"not well-formed XML: {exc}", reason="malformed_xml") from exc
    if localname(root) not in roots:
        expected = " or ".join(f"<{name}>" for name in roots)
        raise MalformedInput(origin, f"root element is <{localname(root)}>, expected {expected}")
    return root


def localname(element: etree._Element) -> str:
    """The tag without its namespace; ``""`` for comments and processing instructions."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def lang_of(element: etree._Element) -> str:
    """The primary language subtag of ``xml:lang`` (or a bare ``lang``), lower-cased: ``en-US`` → ``en``."""
    value = element.get(_XML_LANG) or element.get("lang") or ""
    return value.split("-")[0].split("_")[0].strip().lower()
