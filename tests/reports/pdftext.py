"""Just enough PDF reading to check a WeasyPrint document's text, without a PDF library.

WeasyPrint writes text as glyph ids (``[<0025>0<00a3>…] TJ``) in Flate-compressed content
streams, with a ``ToUnicode`` CMap per font that maps glyph ids back to characters. This
inflates every stream, merges the CMaps' ``bfchar``/``bfrange`` entries and decodes the
text operators in order. Good for "does the PDF say this?", not for layout.
"""

from __future__ import annotations

import re
import zlib

__all__ = ["pdf_links", "pdf_text"]

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_TEXT = re.compile(rb"\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]+)>")


def _streams(pdf: bytes) -> list[bytes]:
    found = []
    for match in _STREAM.finditer(pdf):
        data = match.group(1)
        try:
            found.append(zlib.decompress(data))
        except zlib.error:
            found.append(data)
    return found


def _unicode(hexa: bytes) -> str:
    return bytes.fromhex(hexa.decode()).decode("utf-16-be", errors="replace")


def _cmap(streams: list[bytes]) -> dict[int, str]:
    table: dict[int, str] = {}
    for data in streams:
        for block in _BFCHAR.findall(data):
            for glyph, text in _PAIR.findall(block):
                table.setdefault(int(glyph, 16), _unicode(text))
        for block in _BFRANGE.findall(data):
            for low, high, start in _RANGE.findall(block):
                first = int(start, 16)
                for offset, glyph in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    table.setdefault(glyph, chr(first + offset))
    return table


def pdf_text(pdf: bytes) -> str:
    """The text of the document's text operators, one line per operator."""
    streams = _streams(pdf)
    table = _cmap(streams)
    lines = []
    for data in streams:
        if b"BT" not in data:
            continue
        for array, single in _TEXT.findall(data):
            hexes = _HEX.findall(array) if array else [single]
            glyphs = b"".join(hexes).decode()
            lines.append(
                "".join(table.get(int(glyphs[i : i + 4], 16), "?") for i in range(0, len(glyphs) - 3, 4))
            )
    return "\n".join(lines)


def pdf_links(pdf: bytes) -> list[str]:
    """The URIs of the document's link annotations."""
    uris = re.findall(rb"/URI\s*\((.*?)\)", pdf)
    for data in _streams(pdf):
        uris += re.findall(rb"/URI\s*\((.*?)\)", data)
    return [u.decode("latin-1") for u in uris]
