"""Bytes → text: BOMs, declared charsets, UTF-8, Vietnamese legacy encodings, refusals."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import BinaryInput, EmptyInput, EncodingError
from newsdesk.extract.encoding import (
    Decoded,
    binary_signature,
    decode_legacy,
    decode_text,
    encode_legacy,
    looks_like_html,
    sniff_html_charset,
    vietnamese_share,
)
from tests.conftest import FIXTURES, require_corpus

FILES = FIXTURES / "ingest" / "files"
DATA = Path(__file__).resolve().parents[2] / "newsdesk" / "extract" / "data"
VI_UTF8 = (FILES / "vi-utf8.txt").read_text(encoding="utf-8")


def expected(name: str) -> str:
    return (FILES / f"{name}.expected.txt").read_text(encoding="utf-8")


# -- fixture files in every encoding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "converted_from", "text"),
    [
        ("vi-utf8.txt", "utf-8", None, VI_UTF8),
        ("vi-utf8-bom.txt", "utf-8", None, VI_UTF8),
        ("vi-utf16.txt", "utf-16-le", None, None),
        ("vi-cp1258.txt", "cp1258", None, expected("vi-cp1258")),
        ("vi-vni.txt", "cp1252", "vni", expected("vi-vni")),
        ("vi-tcvn3.txt", "cp1252", "tcvn3", expected("vi-tcvn3")),
    ],
)
def test_fixture_files_decode(name: str, encoding: str, converted_from: str | None, text: str | None) -> None:
    decoded = decode_text((FILES / name).read_bytes(), name)
    assert (decoded.encoding, decoded.converted_from) == (encoding, converted_from)
    if text is not None:
        assert decoded.text == text
    assert unicodedata.is_normalized("NFC", decoded.text)


def test_latin1_english_stays_western() -> None:
    decoded = decode_text((FILES / "en-latin1.txt").read_bytes(), "en-latin1.txt")
    assert decoded == Decoded(decoded.text, "cp1252", None)
    assert "José Muñoz" in decoded.text
    assert "naïve façade" in decoded.text


# -- the legacy tables against outside knowledge --------------------------------------------------


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Vieät Nam", "Việt Nam"),
        ("Ngöôøi daân Thaønh phoá Hoà Chí Minh", "Người dân Thành phố Hồ Chí Minh"),
        ("Ñaø Naüng", "Đà Nẵng"),
        ("tænh Quaûng Ngaõi", "tỉnh Quảng Ngãi"),
        ("UÛY BAN NHAÂN DAÂN", "ỦY BAN NHÂN DÂN"),
        ("Ngaøy hoäi ñoïc saùch", "Ngày hội đọc sách"),
    ],
)
def test_vni_sentences(legacy: str, unicode: str) -> None:
    assert decode_legacy(legacy, "vni") == unicode
    decoded = decode_text(legacy.encode("cp1252"), "vni")
    assert (decoded.text, decoded.converted_from) == (unicode, "vni")


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("ViÖt Nam", "Việt Nam"),
        ("Hµ Néi", "Hà Nội"),
        ("§µ N½ng", "Đà Nẵng"),
        ("Ng­êi d©n", "Người dân"),
        ("Thñ t­íng ChÝnh phñ", "Thủ tướng Chính phủ"),
    ],
)
def test_tcvn3_sentences(legacy: str, unicode: str) -> None:
    assert decode_legacy(legacy, "tcvn3") == unicode
    decoded = decode_text(legacy.encode("cp1252"), "tcvn3")
    assert (decoded.text, decoded.converted_from) == (unicode, "tcvn3")


def test_tcvn3_vntimeh_titles_are_upper_cased() -> None:
    """Titles typed in a .VnTimeH font carry lower-case codes; words in capitals become capitals."""
    assert decode_legacy("VIÖT NAM vµ ThÕ giíi", "tcvn3") == "VIỆT NAM và Thế giới"


def test_tcvn3_table_matches_glibc_iconv() -> None:
    if shutil.which("iconv") is None:
        pytest.skip("iconv not installed")
    rows = [line.split("\t") for line in (DATA / "tcvn3.tsv").read_text(encoding="utf-8").splitlines()]
    table = {int(code, 16): uni for code, uni, _ in (r for r in rows if not r[0].startswith("#"))}
    data = b"\n".join(bytes([code]) for code in table)
    out = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=True
    )
    assert out.stdout.decode("utf-8").split("\n") == list(table.values())


def test_vni_table_covers_every_vietnamese_letter_once() -> None:
    letters = {
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    } | {"đ", "Đ"}
    letters = {ch for ch in letters if not ch.isascii()}
    assert len(letters) == 134
    for letter in sorted(letters):
        assert decode_legacy(encode_legacy(letter, "vni").decode("cp1252"), "vni") == letter


def test_tcvn3_round_trips_lower_case_letters() -> None:
    lower = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ"
    assert decode_legacy(encode_legacy(lower, "tcvn3").decode("cp1252"), "tcvn3") == lower


def test_encode_legacy_refuses_what_tcvn3_cannot_hold() -> None:
    with pytest.raises(ValueError):
        encode_legacy("Ủy ban", "tcvn3")


# -- declared charsets ----------------------------------------------------------------------------


def test_declared_charset_is_used() -> None:
    data = (FILES / "vi-cp1258.txt").read_bytes()
    decoded = decode_text(data, "x", declared="windows-1258")
    assert decoded.text == expected("vi-cp1258")
    assert decoded.encoding == "cp1258"


def test_latin1_declaration_on_utf8_bytes_is_overruled() -> None:
    decoded = decode_text(VI_UTF8.encode(), "x", declared="ISO-8859-1")
    assert (decoded.text, decoded.encoding) == (VI_UTF8, "utf-8")


@pytest.mark.parametrize("declared", ["x-made-up", "utf-8", ""])
def test_useless_declarations_fall_through(declared: str) -> None:
    data = (FILES / "vi-vni.txt").read_bytes()
    assert decode_text(data, "x", declared=declared).text == expected("vi-vni")


def test_declared_font_encoding() -> None:
    assert decode_text("Hµ Néi".encode("cp1252"), "x", declared="TCVN3").text == "Hà Nội"


@pytest.mark.parametrize("declared", ["windows-1252", "iso-8859-1", "us-ascii"])
def test_font_encoded_page_declared_western_is_converted(declared: str) -> None:
    data = "Vieät Nam ñaõ ñaït ñöôïc nhieàu thaønh töïu".encode("cp1252")
    decoded = decode_text(data, "x", declared=declared)
    assert decoded == Decoded("Việt Nam đã đạt được nhiều thành tựu", "cp1252", "vni")


def test_utf8_is_never_converted() -> None:
    """Valid UTF-8 decodes to exactly its characters, even when they look font-encoded."""
    text = "Vieät Nam ñaõ ñaït ñöôïc nhieàu thaønh töïu"
    assert decode_text(text.encode(), "x") == Decoded(text, "utf-8", None)


@pytest.mark.parametrize(
    "text",
    [
        "Müller und Söhne: Straße, Größe, Übung, Öl, Bär.",
        "El ñandú y la cigüeña comían piñones en Peñíscola.",
        "Hội nghị bàn về kinh tế số; ông Nguyễn Văn Hùng phát biểu khai mạc.",
    ],
)
def test_real_text_with_latin1_letters_is_left_alone(text: str) -> None:
    assert decode_text(text.encode(), "x") == Decoded(text, "utf-8", None)


@pytest.mark.parametrize(
    ("html", "charset"),
    [
        (b'<html><head><meta charset="windows-1258"></head>', "cp1258"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>", "iso8859-1"),
        (b'<?xml version="1.0" encoding="UTF-8"?><html/>', "utf-8"),
        (b'<meta charset="utf-16">', "utf-8"),
        (b'<meta charset="TCVN3">', "tcvn3"),
        (b'<meta charset="no-such-thing">', None),
        (b"<p>no declaration</p>", None),
    ],
)
def test_sniff_html_charset(html: bytes, charset: str | None) -> None:
    assert sniff_html_charset(html) == charset


# -- other encodings and refusals -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["Xin chào, đây là bản tin UTF-16 không có BOM.", "Plain ASCII in UTF-16."])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(text: str, codec: str) -> None:
    decoded = decode_text(text.encode(codec), "x")
    assert (decoded.text, decoded.encoding) == (text, codec)


def test_cyrillic_goes_to_charset_normalizer() -> None:
    text = "Москва — столица России, крупнейший по численности населения город страны."
    assert decode_text(text.encode("cp1251"), "x").text == text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ((FILES / "photo.png").read_bytes(), "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
        (gzip.compress(b"hello"), "gzip"),
        (b"text with a \x00 NUL byte", "NUL bytes"),
    ],
)
def test_binary_is_refused(data: bytes, kind: str) -> None:
    assert binary_signature(data) == kind
    with pytest.raises(BinaryInput, match=kind) as caught:
        decode_text(data, "upload/photo")
    assert caught.value.origin == "upload/photo"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", "\u00a0\u2003\n".encode()])
def test_empty_is_refused(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        decode_text(data, "empty.txt")


def test_control_bytes_are_binary() -> None:
    with pytest.raises(BinaryInput):
        decode_text(bytes(range(1, 32)) * 20 + b"\xff", "x")


def test_no_plausible_encoding() -> None:
    with pytest.raises(EncodingError) as caught:
        decode_text(bytes(range(0x80, 0x100)) * 4, "feed/item-7")
    assert caught.value.origin == "feed/item-7"
    assert caught.value.reason == "encoding"


def test_looks_like_html() -> None:
    assert looks_like_html((FILES / "story.dat").read_bytes())
    assert not looks_like_html("Một dòng chữ < 5 và > 3".encode())


def test_vietnamese_share() -> None:
    valid, marked, words = vietnamese_share(VI_UTF8)
    assert valid > 0.9 and marked > 0.5 and words > 40
    assert vietnamese_share("The quick brown fox jumps over the lazy dog")[0] < 0.4
    assert vietnamese_share("") == (0.0, 0.0, 0)


# -- invariants and real sentences ----------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00")))
def test_utf8_round_trip(text: str) -> None:
    data = text.encode("utf-8")
    if not text.strip() or text.startswith("\ufeff") or binary_signature(data) is not None:
        return
    assert decode_text(data, "hypothesis").text == text


def _corpus_texts(count: int) -> list[str]:
    path = require_corpus("vietnews-20k.jsonl.gz")
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line, _ in zip(stream, range(count), strict=False):
            record = json.loads(line)
            texts.append(f"{record['title']}\n{record['text'][:1500]}")
    return texts


@pytest.mark.corpus
def test_corpus_utf8_is_never_converted() -> None:
    for text in _corpus_texts(300):
        assert decode_text(text.encode(), "corpus") == Decoded(text, "utf-8", None)


@pytest.mark.corpus
@pytest.mark.parametrize("legacy", ["vni", "tcvn3"])
def test_corpus_sentences_round_trip_through_font_encodings(legacy: str) -> None:
    tried = 0
    for text in _corpus_texts(80):
        try:
            data = encode_legacy(text, legacy)  # type: ignore[arg-type]
        except ValueError:  # TCVN3 cannot hold most upper-case letters with tones
            continue
        tried += 1
        decoded = decode_text(data, "corpus")
        assert (decoded.text, decoded.converted_from) == (unicodedata.normalize("NFC", text), legacy)
    assert tried >= 20
