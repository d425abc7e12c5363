"""Glossary CSV and TBX: lossless round trips, tolerant batch imports, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from translate.storage.tbx import tbxfile

from newsdesk.errors import EmptyInput, EncodingError, MalformedInput, UnreadableInput
from newsdesk.translate import (
    EntryStatus,
    Term,
    TermEntry,
    TermUsage,
    export_glossary_csv,
    export_glossary_tbx,
    import_glossary_csv,
    import_glossary_tbx,
)
from tests.translate.conftest import STEERING_EN, STEERING_FR, STEERING_VI, STEERING_WRONG, sample_entries

# --- round trips --------------------------------------------------------------------------------

_CHARS = st.characters(blacklist_categories=("Cs", "Cn", "Cc", "Zl", "Zp"), blacklist_characters="|")
_TERM = st.text(_CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)
_NOTE = st.text(st.one_of(_CHARS, st.sampled_from("\n\r\t,;\"'")), max_size=30)


@st.composite
def entries(draw: st.DrawFn) -> TermEntry:
    terms = []
    for lang in draw(
        st.lists(st.sampled_from(["vi", "en", "fr", "zh"]), min_size=1, max_size=3, unique=True)
    ):
        texts = draw(st.lists(_TERM, min_size=1, max_size=4, unique=True))
        terms.append(Term(lang, texts[0], TermUsage.PREFERRED))
        terms += [
            Term(lang, text, draw(st.sampled_from([TermUsage.ADMITTED, TermUsage.FORBIDDEN])))
            for text in texts[1:]
        ]
    return TermEntry(
        tuple(terms),
        draw(st.sampled_from(EntryStatus)),
        draw(_NOTE),
        draw(st.one_of(st.just(""), _TERM)),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(entries(), max_size=5), st.booleans())
def test_csv_round_trip_is_lossless(items: list[TermEntry], bom: bool) -> None:
    data = export_glossary_csv(items, bom=bom)
    result = import_glossary_csv(data, origin="g.csv")
    assert result.rejected == [] and result.items == items


@settings(max_examples=60, deadline=None)
@given(st.lists(entries(), max_size=5))
def test_tbx_round_trip_is_lossless(items: list[TermEntry]) -> None:
    result = import_glossary_tbx(export_glossary_tbx(items), origin="g.tbx")
    assert result.rejected == [] and result.items == items


def test_files_round_trip_too(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_bytes(export_glossary_csv(sample_entries(), languages=["vi", "en"]))
    (tmp_path / "g.tbx").write_bytes(export_glossary_tbx(sample_entries()))
    assert import_glossary_csv(tmp_path / "g.csv").items == sample_entries()
    assert import_glossary_tbx(tmp_path / "g.tbx").items == sample_entries()
    header = (tmp_path / "g.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "vi,vi_admitted,en,en_forbidden,fr,note,domain,status"


# --- CSV ----------------------------------------------------------------------------------------

OFFICE_CSV = f"""vi;en;en_forbidden;fr;note;domain;status
{STEERING_VI};{STEERING_EN};{STEERING_WRONG} | External Info Board;{STEERING_FR};Tên chính thức;Đối ngoại;
Bộ Ngoại giao;Ministry of Foreign Affairs;;;;;approved
;;;;chỉ có ghi chú;;
Hòa bình;peace;;paix;;;đã duyệt
Quốc hội;National Assembly;;;;;proposed;extra
;;;;;;
Thủ tướng Chính phủ;Prime Minister;;;"two-line
cell";;PROPOSED
"""


def test_an_office_csv_imports_with_bad_rows_reported() -> None:
    result = import_glossary_csv(OFFICE_CSV.encode("utf-8-sig"), origin="bang-thuat-ngu.csv")
    steering, ministry, pm = result.items
    assert steering.preferred("fr") == Term("fr", STEERING_FR)
    assert [t.text for t in steering.in_lang("en", TermUsage.FORBIDDEN)] == [
        STEERING_WRONG,
        "External Info Board",
    ]
    assert (steering.note, steering.domain, steering.status) == (
        "Tên chính thức",
        "Đối ngoại",
        EntryStatus.APPROVED,
    )
    assert ministry.languages == ("en", "vi")
    assert pm.preferred("vi") == Term("vi", "Thủ tướng Chính phủ")
    assert pm.status is EntryStatus.PROPOSED and pm.note == "two-line\ncell"
    assert [(e.origin, e.reason) for e in result.rejected] == [
        ("bang-thuat-ngu.csv:4", "bad_entry"),
        ("bang-thuat-ngu.csv:5", "bad_entry"),
        ("bang-thuat-ngu.csv:6", "bad_row"),
    ]
    assert "unknown status 'đã duyệt' (approved or proposed)" in str(result.rejected[1])
    assert "8 cells but 7 columns" in str(result.rejected[2])
    with pytest.raises(MalformedInput, match=r"bang-thuat-ngu\.csv:4"):
        result.raise_rejected()


def test_a_cell_with_a_line_break_in_a_term_is_rejected() -> None:
    result = import_glossary_csv('vi,en\n"Thủ tướng\nChính phủ",Prime Minister\n'.encode(), origin="x.csv")
    assert result.items == [] and "line break" in result.rejected[0].detail


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"vi,english\nA,B\n", MalformedInput, "unknown column 'english'"),
        (b"note,domain\nA,B\n", MalformedInput, "no language column"),
        (b"vi,en,vi\nA,B,C\n", MalformedInput, "vi appear twice"),
        ("vi,en\nCà Mau,Ca Mau\n".encode("latin-1"), EncodingError, "not UTF-8"),
        (b"  \n", EmptyInput, "empty"),
        (b"\xef\xbb\xbfnote\n\nA\n", MalformedInput, "no language column"),
        (b'vi,en\n"' + b"x" * 200_000 + b'",B\n', MalformedInput, "line 2: field larger than field limit"),
    ],
)
def test_an_unusable_csv_raises_naming_the_file(data: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        import_glossary_csv(data, origin="terms.csv")
    assert str(caught.value).startswith("terms.csv: ")


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match=r"nope\.csv"):
        import_glossary_csv(tmp_path / "nope.csv")


# --- TBX ----------------------------------------------------------------------------------------

TBX_BASIC = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="vi">
  <martifHeader><fileDesc><sourceDesc><p>Văn phòng</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="e1">
      <descripGrp><descrip type="subjectField">Đối ngoại</descrip></descripGrp>
      <note>Theo quyết định</note>
      <langSet xml:lang="vi-VN"><tig><term>{STEERING_VI}</term></tig><tig><term>BCĐ</term></tig></langSet>
      <langSet xml:lang="EN">
        <ntig><termGrp><term>{STEERING_EN}</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
        <tig><term>{STEERING_WRONG}</term>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="e2"><langSet xml:lang="vi"><tig><term>   </term></tig></langSet></termEntry>
    <termEntry id="e3"><langSet><tig><term>Hà Nội</term></tig></langSet></termEntry>
    <termEntry id="e4"><langSet xml:lang="vi"><tig><term>Huế</term>
      <termNote type="administrativeStatus">officialTerm</termNote></tig></langSet></termEntry>
    <termEntry id="e5"><admin type="elementWorkingStatus">workingElement</admin>
      <langSet xml:lang="vi"><tig><term>Quốc   hội
      </term></tig></langSet>
      <langSet xml:lang="en"><tig><term>National <hi>Assembly</hi></term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_a_tbx_basic_file_imports_with_bad_entries_reported() -> None:
    result = import_glossary_tbx(TBX_BASIC.encode(), origin="office.tbx")
    steering, assembly = result.items
    assert steering.in_lang("vi") == (Term("vi", STEERING_VI), Term("vi", "BCĐ", TermUsage.ADMITTED))
    assert steering.in_lang("en") == (
        Term("en", STEERING_EN),
        Term("en", STEERING_WRONG, TermUsage.FORBIDDEN),
    )
    assert (steering.domain, steering.note) == ("Đối ngoại", "Theo quyết định")
    assert assembly.status is EntryStatus.PROPOSED
    assert [t.text for t in assembly.terms] == ["National Assembly", "Quốc   hội"]
    assert [(e.origin, e.detail) for e in result.rejected] == [
        ("office.tbx:17", "a concept entry without any term"),
        ("office.tbx:18", "<langSet> without xml:lang"),
        ("office.tbx:19", "unknown administrativeStatus 'officialTerm'"),
    ]


def test_tbx_v3_is_read() -> None:
    data = """<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"><text><body>
      <conceptEntry id="c1"><langSec xml:lang="vi"><termSec><term>Bộ Ngoại giao</term>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Ministry of Foreign Affairs</term></termSec></langSec>
      </conceptEntry>
    </body></text></tbx>"""
    (concept,) = import_glossary_tbx(data.encode()).items
    assert concept.preferred("en") == Term("en", "Ministry of Foreign Affairs")


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY big "{"x" * 50}">]>
<martif><text><body><termEntry><langSet xml:lang="vi">
<tig><term>Hà Nội &leak;&big;</term></tig></langSet></termEntry></body></text></martif>"""
    result = import_glossary_tbx(data.encode(), origin="evil.tbx")
    texts = [t.text for e in result.items for t in e.terms]
    assert not any("SECRET" in text or "xxxxx" in text for text in texts)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<martif><text><body><termEntry></body></martif>", "not well-formed XML"),
        (b"<tmx version='1.4'><body/></tmx>", "root element is <tmx>, expected <martif> or <tbx>"),
    ],
)
def test_an_unusable_tbx_raises_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(MalformedInput, match=message) as caught:
        import_glossary_tbx(data, origin="terms.tbx")
    assert caught.value.origin == "terms.tbx"


def test_translate_toolkit_reads_what_we_write() -> None:
    store = tbxfile.parsestring(
        export_glossary_tbx(sample_entries()), sourcelanguage="vi", targetlanguage="en"
    )
    first = store.units[0]
    assert first.source == STEERING_VI
    assert [(t.text, t.deprecated) for t in first.get_target_terms()] == [
        (STEERING_EN, False),
        (STEERING_WRONG, True),
    ]


def test_we_read_what_translate_toolkit_writes() -> None:
    store = tbxfile(sourcelanguage="vi", targetlanguage="fr")
    unit = store.addsourceunit("Bộ Ngoại giao")
    unit.settarget("ministère des Affaires étrangères", lang="fr")
    (concept,) = import_glossary_tbx(bytes(store)).items
    assert concept.preferred("vi") == Term("vi", "Bộ Ngoại giao")
    assert concept.preferred("fr") == Term("fr", "ministère des Affaires étrangères")
