"""Bytes → text: find the encoding of one input and decode it, Vietnamese legacy codes included.

The order of evidence (:func:`decode_text`):

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. binary data is refused: known magic numbers (PNG, JPEG, PDF, ZIP, GZIP …) or NUL bytes
   (unless the text is UTF-16 without a BOM);
3. the declared charset (HTTP header or ``<meta charset>``, see :func:`sniff_html_charset`);
   a Latin-1/Windows-1252 declaration on bytes that are valid multi-byte UTF-8 is overruled;
4. strict UTF-8;
5. Vietnamese legacy encodings, scored by the share of valid Vietnamese syllables they yield:
   Windows-1258 (NFC-normalized: it writes tones as combining marks), and the font encodings
   VNI-Windows (``"Vieät Nam"``) and TCVN3/ABC (``"ViÖt Nam"``), converted to Unicode with the
   tables in ``newsdesk/extract/data/``;
6. Windows-1252 when the result looks like a Western European language, then charset-normalizer;
7. otherwise :class:`~newsdesk.errors.EncodingError`.

Text typed in a VNI or TCVN3 font on a page declared Latin-1/Windows-1252 (old sites) is
recognised after step 3 too and converted; ``Decoded.converted_from`` then names the font
encoding. Valid UTF-8 is returned exactly as decoded: no normalization, no conversion.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from newsdesk.errors import BinaryInput, EmptyInput, EncodingError

__all__ = [
    "Decoded",
    "LegacyEncoding",
    "binary_signature",
    "decode_legacy",
    "decode_text",
    "encode_legacy",
    "looks_like_html",
    "sniff_html_charset",
    "vietnamese_share",
]

LegacyEncoding = Literal["vni", "tcvn3"]
"""Vietnamese font encodings: VNI-Windows and TCVN3 (ABC)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text. ``encoding`` is the Python codec name of the bytes (``utf-8``, ``cp1258``,
    ``cp1252`` …); ``converted_from`` names a Vietnamese font encoding (``vni``, ``tcvn3``) whose
    letters were mapped to Unicode after decoding, else ``None``."""

    text: str
    encoding: str
    converted_from: LegacyEncoding | None = None


# -- binary and markup sniffing -------------------------------------------------------------------

_MAGIC: tuple[tuple[str, bytes], ...] = (
    ("png", b"\x89PNG\r\n\x1a\n"),
    ("jpeg", b"\xff\xd8\xff"),
    ("gif", b"GIF87a"),
    ("gif", b"GIF89a"),
    ("pdf", b"%PDF-"),
    ("zip", b"PK\x03\x04"),
    ("zip", b"PK\x05\x06"),
    ("gzip", b"\x1f\x8b"),
    ("xz", b"\xfd7zXZ\x00"),
    ("7z", b"7z\xbc\xaf\x27\x1c"),
    ("zstd", b"\x28\xb5\x2f\xfd"),
    ("ole2", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("elf", b"\x7fELF"),
    ("sqlite", b"SQLite format 3\x00"),
    ("ogg", b"OggS\x00"),
    ("tiff", b"II*\x00"),
    ("tiff", b"MM\x00*"),
)
_MAGIC_RE: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("bzip2", re.compile(rb"BZh[1-9]1AY&SY")),
    ("riff", re.compile(rb"RIFF....(?:WEBP|WAVE|AVI )", re.S)),
    ("mp4", re.compile(rb"\x00\x00[\x00-\x01].ftyp", re.S)),
    ("mp3", re.compile(rb"ID3[\x02-\x04]\x00")),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|p|div|article|br|h[1-6]|a\s|span|table)\b", re.I
)


def binary_signature(data: bytes) -> str | None:
    """The kind of binary data (``"png"``, ``"gzip"``, ``"NUL bytes"`` …) or ``None`` for text.

    Text with a UTF-16/32 byte-order mark is text even though it holds NUL bytes.
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    for name, magic in _MAGIC:
        if data.startswith(magic):
            return name
    for name, pattern in _MAGIC_RE:
        if pattern.match(data[:16]):
            return name
    if b"\x00" in data[:8192] and _utf16_codec(data) is None:
        return "NUL bytes"
    return None


def looks_like_html(data: bytes) -> bool:
    """True when the first 2 KiB hold HTML tags (tag soup included)."""
    return _HTML_TAG.search(data[:2048]) is not None


# -- declared charsets ----------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)", re.I)
_LEGACY_LABELS: dict[str, LegacyEncoding] = {
    "vni": "vni",
    "vni-windows": "vni",
    "x-viet-vni": "vni",
    "tcvn": "tcvn3",
    "tcvn3": "tcvn3",
    "tcvn-5712": "tcvn3",
    "tcvn5712-1": "tcvn3",
    "x-viet-tcvn5712": "tcvn3",
    "abc": "tcvn3",
}
_WESTERN = frozenset({"iso8859-1", "cp1252", "ascii"})


def sniff_html_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 4 KiB, as a codec name, or ``None``.

    Follows the HTML rule that a ``<meta>`` declaring UTF-16/32 means UTF-8. Vietnamese font
    encodings are returned as ``"vni"``/``"tcvn3"``; unknown labels give ``None``.
    """
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _LEGACY_LABELS:
        return _LEGACY_LABELS[label]
    codec = _codec_name(label)
    if codec is not None and codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


def _codec_name(label: str) -> str | None:
    """Python's canonical name of a codec label (``windows-1252`` → ``cp1252``), else ``None``."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


# -- Vietnamese legacy tables ---------------------------------------------------------------------


@cache
def _vni_table() -> dict[str, str]:
    """VNI sequence (as Windows-1252 text) → Unicode letter."""
    rows = _read_table("vni.tsv")
    return {bytes.fromhex(legacy).decode("cp1252"): uni for uni, legacy, *_ in rows}


@cache
def _tcvn3_table() -> dict[str, str]:
    """TCVN3 byte (as the Windows-1252/Latin-1 character) → Unicode letter or combining mark."""
    rows = _read_table("tcvn3.tsv")
    return {_cp1252(bytes.fromhex(code)): uni for code, uni, *_ in rows}


def _read_table(name: str) -> list[list[str]]:
    text = resources.files("newsdesk.extract").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _tcvn3_translation() -> dict[int, str]:
    return {ord(legacy): uni for legacy, uni in _tcvn3_table().items()}


@cache
def _vni_pattern() -> re.Pattern[str]:
    keys = sorted(_vni_table(), key=len, reverse=True)
    return re.compile("|".join(re.escape(key) for key in keys))


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the five bytes Windows-1252 leaves undefined as their Latin-1 characters."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("newsdesk-cp1252", _cp1252_fallback)


def _cp1252(data: bytes) -> str:
    return data.decode("cp1252", errors="newsdesk-cp1252")


def decode_legacy(text: str, encoding: LegacyEncoding) -> str:
    """Map font-encoded text (bytes already read as Windows-1252) to Unicode, NFC."""
    if encoding == "vni":
        table = _vni_table()
        converted = _vni_pattern().sub(lambda match: table[match.group()], text)
    else:
        converted = _upper_vntimeh(text.translate(_tcvn3_translation()))
    return unicodedata.normalize("NFC", converted)


_CAPS_WORD = re.compile(r"\b[^\W\d_]*[A-Z][^\W\d_]*[A-Z][^\W\d_]*\b")


def _upper_vntimeh(text: str) -> str:
    """TCVN3 has no upper-case toned letters: titles typed in a ``.VnTimeH`` font carry lower-case
    codes (``"VIÖT"``). A word with two or more upper-case ASCII letters and no lower-case ASCII
    letter is such a word and is upper-cased."""

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        return word if any("a" <= ch <= "z" for ch in word) else word.upper()

    return _CAPS_WORD.sub(fix, text)


def encode_legacy(text: str, encoding: LegacyEncoding) -> bytes:
    """Unicode → VNI or TCVN3 bytes, for tests and for exports to legacy systems.

    Raises ``ValueError`` for a character the encoding cannot hold (TCVN3 has no place for
    most upper-case letters with tones).
    """
    if encoding == "vni":
        inverse = {uni: legacy for legacy, uni in _vni_table().items()}
    else:
        inverse = {uni: legacy for legacy, uni in _tcvn3_table().items() if len(uni) == 1}
    taken = {ch for ch in "".join(inverse.values()) if not ch.isascii()}
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char not in inverse and char in taken:
            raise ValueError(f"{char!r} cannot be written in {encoding}")
        out.append(inverse.get(char, char))
    return "".join(out).encode("cp1252")


# -- how Vietnamese does a text look? -------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
_NUCLEI = (
    *("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"),
    *("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi"),
    *("ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê"),
    *("iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uyê", "uya", "uyu"),
)
"""Vowel groups of Vietnamese syllables, without tone."""
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    f"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    "(?:ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _letters() -> dict[str, tuple[str, bool]]:
    """Every Vietnamese letter (lower case, NFC) → (letter without tone, has a tone)."""
    table = {c: (c, False) for c in "bcdđghklmnpqrstvx"}
    for base in _VOWELS:
        table[base] = (base, False)
        for mark in _TONE_MARKS:
            table[unicodedata.normalize("NFC", base + mark)] = (base, True)
    return table


@lru_cache(maxsize=65536)
def _syllable(word: str) -> tuple[bool, bool]:
    """(is a valid Vietnamese syllable, carries a Vietnamese diacritic) for one word."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False, False
    letters = _letters()
    parts = [letters.get(ch) for ch in word.lower()]
    if any(part is None for part in parts) or sum(p[1] for p in parts if p) > 1:
        return False, False
    bare = "".join(p[0] for p in parts if p)
    valid = _SYLLABLE.fullmatch(bare) is not None
    return valid, valid and not word.isascii()


def vietnamese_share(text: str, limit: int = 20_000) -> tuple[float, float, int]:
    """(share of words that are valid Vietnamese syllables, share that are such syllables with a
    diacritic, number of words) in the first ``limit`` characters."""
    words = _WORD.findall(unicodedata.normalize("NFC", text[:limit]))
    if not words:
        return 0.0, 0.0, 0
    valid = marked = 0
    for word in words:
        is_valid, is_marked = _syllable(word)
        valid += is_valid
        marked += is_marked
    return valid / len(words), marked / len(words), len(words)


def _plausible(valid: float, marked: float) -> bool:
    """Vietnamese enough: half the words are syllables, and one in seven carries a diacritic."""
    return valid >= 0.5 and marked >= 0.15


# -- decoding -------------------------------------------------------------------------------------


def decode_text(data: bytes, origin: str, declared: str | None = None) -> Decoded:
    """Decode one input's bytes; raise :class:`EmptyInput`, :class:`BinaryInput` or
    :class:`EncodingError` naming ``origin`` when no text can be had."""
    if not data.strip():
        raise EmptyInput(origin, "no content (empty or only whitespace)")
    decoded = _decode_bom(data)
    if decoded is None:
        _refuse_binary(data, origin)
        decoded = _decode_declared(data, declared) or _decode_utf(data) or _decode_guess(data, origin)
    if "\x00" in decoded.text:
        raise BinaryInput(origin, "NUL characters in the decoded text")
    if not decoded.text.strip():
        raise EmptyInput(origin, "no content (only whitespace)")
    return _fix_font_encoding(decoded)


def _refuse_binary(data: bytes, origin: str) -> None:
    kind = binary_signature(data)
    if kind is not None:
        raise BinaryInput(origin, f"binary data ({kind}), not text")


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), codec)
            except UnicodeDecodeError:
                return None
    return None


def _utf16_codec(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes sit in every other place, as in mostly-ASCII UTF-16."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.3 * half and even == 0:
        return "utf-16-le"
    if even >= 0.3 * half and odd == 0:
        return "utf-16-be"
    return None


def _decode_declared(data: bytes, declared: str | None) -> Decoded | None:
    if not declared:
        return None
    label = declared.strip().strip("\"'").lower()
    if label in _LEGACY_LABELS:
        return Decoded(decode_legacy(_cp1252(data), _LEGACY_LABELS[label]), "cp1252", _LEGACY_LABELS[label])
    codec = _codec_name(label)
    if codec is None:
        return None
    if codec in _WESTERN:
        return _decode_utf8(data, multibyte_only=True) or Decoded(_cp1252(data), "cp1252")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return Decoded(_nfc_if_1258(text, codec), codec)


def _nfc_if_1258(text: str, codec: str) -> str:
    return unicodedata.normalize("NFC", text) if codec == "cp1258" else text


def _decode_utf8(data: bytes, *, multibyte_only: bool = False) -> Decoded | None:
    if multibyte_only and data.isascii():
        return None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


def _decode_utf(data: bytes) -> Decoded | None:
    """UTF-16 without BOM (NUL bytes in every other place), else strict UTF-8."""
    codec = _utf16_codec(data) if b"\x00" in data[:8192] else None
    if codec is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return Decoded(data.decode(codec), codec)
    return _decode_utf8(data)


def _decode_guess(data: bytes, origin: str) -> Decoded:
    """Bytes that are not UTF-8: Vietnamese legacy encodings first, then Western, then others."""
    latin = _cp1252(data)
    if _control_share(latin) > 0.05:
        raise BinaryInput(origin, "binary data (control bytes), not text")
    vietnamese = _best_vietnamese(data)
    if vietnamese is not None:
        return vietnamese
    if _looks_western(latin):
        return Decoded(latin, "cp1252")
    guessed = _charset_normalizer(data)
    if guessed is None:
        raise EncodingError(origin, "not UTF-8 and no plausible encoding found (tried Vietnamese and others)")
    return guessed


def _as_cp1258(data: bytes) -> str | None:
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None


def _as_vni(data: bytes) -> str:
    return decode_legacy(_cp1252(data), "vni")


def _as_tcvn3(data: bytes) -> str:
    return decode_legacy(_cp1252(data), "tcvn3")


_VIETNAMESE: tuple[tuple[str, LegacyEncoding | None, Callable[[bytes], str | None]], ...] = (
    ("cp1258", None, _as_cp1258),
    ("cp1252", "vni", _as_vni),
    ("cp1252", "tcvn3", _as_tcvn3),
)
_SAMPLE_BYTES = 4000


def _best_vietnamese(data: bytes) -> Decoded | None:
    """The Vietnamese legacy decoding whose sample reads most like Vietnamese, if plausible."""
    best, best_score = None, (0.0, 0.0)
    for choice in _VIETNAMESE:
        text = choice[2](data[:_SAMPLE_BYTES])
        score = vietnamese_share(text)[:2] if text is not None else (0.0, 0.0)
        if score > best_score:
            best, best_score = choice, score
    if best is None or not _plausible(*best_score):
        return None
    codec, legacy, decode = best
    text = decode(data)
    return Decoded(text, codec, legacy) if text is not None else None


def _control_share(text: str) -> float:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v\x1b")
    return controls / max(1, len(sample))


_C1_OR_SYMBOL = re.compile(r"[\x80-\x9f¤¦¨¬¯´¸¹¾]")


def _looks_western(text: str) -> bool:
    """Windows-1252 text of a Western language: mostly ASCII, few stray symbols."""
    sample = text[:20_000]
    non_ascii = sum(1 for ch in sample if ch > "\x7f")
    return non_ascii <= 0.2 * len(sample) and len(_C1_OR_SYMBOL.findall(sample)) <= 0.01 * len(sample)


def _charset_normalizer(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    try:
        return Decoded(data.decode(best.encoding), codecs.lookup(best.encoding).name)
    except (UnicodeDecodeError, LookupError):
        return None


# -- font-encoded text inside Unicode/Latin-1 -----------------------------------------------------

_SUSPECT = re.compile(r"[ÄÅÆÇËÎÏÐÑÖØÛÜÞßäåæçëîïðñöøûüþµ¶·¸¹»¼½¾§¨ª¬®¯±²³´]")


def _fix_font_encoding(decoded: Decoded) -> Decoded:
    """Convert VNI/TCVN3 text declared as Latin-1/Windows-1252 (old sites that set a VNI or
    .VnTime font on a Western page).

    Text that already reads as Vietnamese is never touched; a conversion must give clearly
    Vietnamese text (70% syllables, 30% with diacritics, at least three of those). UTF-8 text is
    never converted: UTF-8 bytes always decode to exactly their characters.
    """
    if decoded.converted_from or decoded.encoding != "cp1252":
        return decoded
    text = decoded.text
    if len(_SUSPECT.findall(text[:20_000])) < 3 or vietnamese_share(text)[0] >= 0.5:
        return decoded
    for legacy in ("vni", "tcvn3"):
        candidate = decode_legacy(text, legacy)
        valid, marked, words = vietnamese_share(candidate)
        if valid >= 0.7 and marked >= 0.3 and marked * words >= 3:
            return Decoded(candidate, decoded.encoding, legacy)
    return decoded
