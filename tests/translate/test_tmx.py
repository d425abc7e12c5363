"""TMX 1.4: multilingual tu, lossless round trip, tolerant import, interop with translate-toolkit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from translate.storage.tmx import tmxfile

from newsdesk.errors import EmptyInput, MalformedInput
from newsdesk.translate import TranslationMemory, TranslationUnit, export_tmx, import_tmx

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

OFFICE_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="Trados" creationtoolversion="9" segtype="sentence" o-tmf="x" adminlang="en-US"
          srclang="vi-VN" datatype="plaintext" creationdate="20240115T093000Z"/>
  <body>
    <tu tuid="1" creationdate="20250301T080000Z">
      <prop type="x-origin">Vụ Thông tin Báo chí</prop>
      <tuv xml:lang="vi-VN">
        <seg>Thủ tướng tiếp Đại sứ <bpt i="1">&lt;b&gt;</bpt>Pháp<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>The Prime Minister receives the <hi>French</hi> Ambassador.</seg></tuv>
      <tuv xml:lang="fr-FR">
        <seg>Le Premier ministre reçoit l'ambassadeur de France.<ph x="1">&lt;br/&gt;</ph></seg></tuv>
    </tu>
    <tu srclang="en">
      <tuv xml:lang="vi"><seg>Xin chào.</seg></tuv>
      <tuv xml:lang="en"><seg>Hello.</seg></tuv>
    </tu>
  <tu srclang="*all*"><tuv lang="zh"><seg>你好。</seg></tuv><tuv xml:lang="vi"><seg>Xin chào.</seg></tuv></tu>
    <tu><tuv xml:lang="vi"><seg>Chỉ một ngôn ngữ.</seg></tuv></tu>
    <tu><tuv xml:lang="vi"><seg>   </seg></tuv><tuv xml:lang="en"><seg>Blank source.</seg></tuv></tu>
  <tu creationdate="yesterday"><tuv xml:lang="vi"><seg>A</seg></tuv><tuv xml:lang="en"><seg>B</seg></tuv></tu>
    <tu srclang="de"><tuv xml:lang="vi"><seg>A</seg></tuv><tuv xml:lang="en"><seg>B</seg></tuv></tu>
    <tu><tuv><seg>A</seg></tuv><tuv xml:lang="en"><seg>B</seg></tuv></tu>
  </body>
</tmx>
"""


def test_an_office_tmx_imports_with_bad_units_reported() -> None:
    result = import_tmx(OFFICE_TMX.encode(), origin="office.tmx")
    first, second, hello, ni_hao = result.items
    assert (first.source_lang, first.target_lang) == ("vi", "en")
    assert first.source == "Thủ tướng tiếp Đại sứ Pháp."
    assert first.target == "The Prime Minister receives the French Ambassador."
    assert (first.origin, first.created) == ("Vụ Thông tin Báo chí", T0)
    assert (second.target_lang, second.target) == (
        "fr",
        "Le Premier ministre reçoit l'ambassadeur de France.",
    )
    assert (hello.source_lang, hello.source, hello.target) == ("en", "Hello.", "Xin chào.")
    assert hello.origin == "office.tmx" and hello.created == datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
    assert (ni_hao.source_lang, ni_hao.target_lang) == ("zh", "vi")
    assert [(e.origin, e.reason) for e in result.rejected] == [
        ("office.tmx:20", "bad_tu"),
        ("office.tmx:21", "bad_tu"),
        ("office.tmx:22", "bad_tu"),
        ("office.tmx:23", "bad_tu"),
        ("office.tmx:24", "bad_tu"),
    ]
    details = [e.detail for e in result.rejected]
    assert details[0] == "a <tu> needs segments in two languages"
    assert details[1] == "source segment is empty"
    assert "'yesterday' is neither TMX" in details[2]
    assert details[3] == "srclang 'de' matches 0 <tuv> elements, expected 1"
    assert details[4] == "a <tuv> without xml:lang"


def test_imported_units_feed_the_memory() -> None:
    memory = TranslationMemory(import_tmx(OFFICE_TMX.encode()).items)
    assert memory.lookup("Thủ tướng tiếp Đại sứ Pháp.", "vi", "fr")[0].exact
    assert memory.lookup("Xin chào.", "vi", "en")[0].target == "Hello."


def test_default_origin_and_iso_dates() -> None:
    data = b"""<tmx version="1.4"><header srclang="vi"/><body>
      <tu creationdate="2025-03-01T15:00:00+07:00"><tuv xml:lang="vi"><seg>A</seg></tuv>
      <tuv xml:lang="en"><seg>B</seg></tuv></tu></body></tmx>"""
    (only,) = import_tmx(data, default_origin="import 2025-03").items
    assert only.origin == "import 2025-03" and only.created == T0


_CHARS = st.characters(blacklist_categories=("Cs", "Cn", "Cc"))
_SEGMENT = st.text(st.one_of(_CHARS, st.sampled_from("\n\r\t<>&")), min_size=1, max_size=25).filter(str.strip)
_LANGS = st.sampled_from(["vi", "en", "fr", "zh"])


@st.composite
def units(draw: st.DrawFn) -> TranslationUnit:
    source_lang = draw(_LANGS)
    target_lang = draw(_LANGS.filter(lambda lang: lang != source_lang))
    when = draw(st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)))
    return TranslationUnit(
        source_lang,
        target_lang,
        draw(_SEGMENT),
        draw(_SEGMENT),
        draw(st.one_of(st.just(""), st.text(_CHARS, max_size=10))),
        when,
    )


@st.composite
def unit_lists(draw: st.DrawFn) -> list[TranslationUnit]:
    """Units, some sharing source, origin and date so that they become multilingual tu."""
    items = draw(st.lists(units(), max_size=8))
    for i in draw(st.lists(st.integers(1, 7), max_size=3)):
        if i < len(items) and items[i].target_lang != items[i - 1].source_lang:
            shared = items[i - 1]
            items[i] = TranslationUnit(
                shared.source_lang,
                items[i].target_lang,
                shared.source,
                items[i].target,
                shared.origin,
                shared.created,
            )
    return items


@settings(max_examples=60, deadline=None)
@given(unit_lists())
def test_round_trip_is_lossless(items: list[TranslationUnit]) -> None:
    result = import_tmx(export_tmx(items), origin="tm.tmx")
    assert result.rejected == [] and result.items == items


def test_consecutive_units_of_one_source_share_a_tu(tmp_path: Path) -> None:
    items = [
        TranslationUnit("vi", "en", "Xin chào.", "Hello.", "a", T0),
        TranslationUnit("vi", "fr", "Xin chào.", "Bonjour.", "a", T0),
        TranslationUnit("vi", "en", "Xin chào.", "Hi.", "a", T0),
    ]
    path = tmp_path / "tm.tmx"
    path.write_bytes(export_tmx(items))
    text = path.read_text(encoding="utf-8")
    assert text.count("<tu ") == 2 and text.count("<tuv ") == 5
    assert 'srclang="vi"' in text and 'creationdate="20250301T080000Z"' in text
    assert import_tmx(path).items == items


def test_translate_toolkit_reads_what_we_write() -> None:
    items = [
        TranslationUnit("vi", "en", "Xin chào.", "Hello.", "", T0),
        TranslationUnit("vi", "en", "Cảm ơn.", "Thank you.", "", T0),
    ]
    store = tmxfile.parsestring(export_tmx(items), sourcelanguage="vi", targetlanguage="en")
    assert [(u.source, u.target) for u in store.units] == [("Xin chào.", "Hello."), ("Cảm ơn.", "Thank you.")]


def test_we_read_what_translate_toolkit_writes() -> None:
    store = tmxfile(sourcelanguage="vi", targetlanguage="en")
    store.addtranslation("Cảm ơn.", "vi", "Thank you.", "en")
    (only,) = import_tmx(bytes(store)).items
    assert (only.source_lang, only.target_lang, only.source, only.target) == (
        "vi",
        "en",
        "Cảm ơn.",
        "Thank you.",
    )


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"<tmx><body><tu></body></tmx>", MalformedInput, "not well-formed XML"),
        (b"<martif/>", MalformedInput, "root element is <martif>, expected <tmx>"),
        (b'<tmx><header creationdate="soon"/><body/></tmx>', MalformedInput, "<header>: creationdate 'soon'"),
        (b"", EmptyInput, "empty"),
    ],
)
def test_an_unusable_tmx_raises_naming_the_file(data: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        import_tmx(data, origin="memory.tmx")
    assert str(caught.value).startswith("memory.tmx: ")


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    data = f"""<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY leak SYSTEM "file://{secret}">]>
<tmx version="1.4"><header srclang="vi"/><body><tu><tuv xml:lang="vi"><seg>A &leak;</seg></tuv>
<tuv xml:lang="en"><seg>B</seg></tuv></tu></body></tmx>"""
    result = import_tmx(data.encode())
    assert all("SECRET" not in u.source for u in result.items)
