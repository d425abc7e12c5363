"""Cited documents: forms, canonical ids, false positives, spans, merging, typed references."""

from __future__ import annotations

import gzip
import itertools
import json
import time
import unicodedata
from datetime import date
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.analyze.documents import (
    DocumentRef,
    canonical_id_of,
    document_types,
    find_documents,
    issuers,
    merge_refs,
    party_term,
)
from tests.conftest import require_corpus


def ids(text: str, language: str | None = None) -> list[str]:
    return [ref.canonical_id for ref in find_documents(text, language)]


def strip_marks(text: str) -> str:
    """Vietnamese typed without diacritics, case kept: ``Kết luận`` → ``Ket luan``."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


VIETNAMESE = [
    ("Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị", ["KL-57-TW-XIII"]),
    ("Kết luận số 57- KL/TW", ["KL-57-TW"]),
    ("Kết luận 57-KL/TW", ["KL-57-TW"]),
    ("Kết luận số 57 của Bộ Chính trị", ["KL-57-TW"]),
    ("Nghị quyết số 47/NQ-CP", ["NQ-47-CP"]),
    ("Nghị quyết 47/NQ-CP ngày 15/4/2024 của Chính phủ", ["NQ-47-CP-2024"]),
    ("Chỉ thị số 26-CT/TƯ của Ban Bí thư khóa X", ["CT-26-TW-X"]),
    ("Kết luận số 16-KL/TƯ", ["KL-16-TW"]),
    ("Hướng dẫn số 111/2023", ["HD-111-2023"]),
    ("bám sát Hướng dẫn số 111/2023 của Ban Tuyên giáo Trung ương.", ["HD-111-BTGTW-XIII"]),
    ("Quyết định số 1234/QĐ-TTg", ["QD-1234-TTg"]),
    ("Nghị định 13/2023/NĐ-CP", ["ND-13-CP-2023"]),
    ("Thông tư số 03/2024/TT-BTTTT", ["TT-3-BTTTT-2024"]),
    ("theo Luật Báo chí 2016", ["LUAT-BAO-CHI-2016"]),
    ("Nghị quyết 57-NQ/TW", ["NQ-57-TW"]),
    ("KẾT LUẬN SỐ 57-KL/TW", ["KL-57-TW"]),
    ("kết luận số 57-kl/tw", ["KL-57-TW"]),
    ("Ket luan so 57-KL/TW", ["KL-57-TW"]),
    ("Kết luận số 57-KL/TW ngày 15 tháng 6 năm 2023", ["KL-57-TW-XIII"]),
    ("Kết luận số 16-KL/TƯ của Bộ Chính trị khóa XI", ["KL-16-TW-XI"]),
    ("Kết luận số 57-KL/TW (khóa XIII)", ["KL-57-TW-XIII"]),
    ("Nghị quyết 47/NQ-CP khóa XIII", ["NQ-47-CP"]),  # state documents have no Party term
    ("Kết luận 57-KL/TU của Bộ Chính trị", ["KL-57-TW"]),  # TƯ typed without its horn
    (
        "Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Hội nghị lần thứ sáu Ban Chấp hành Trung ương",
        ["NQ-18-TW-XII"],
    ),
    ("Nghị quyết số 50 - NQ / TW về định hướng", ["NQ-50-TW"]),  # tokenized corpus spacing
    ("Nghị quyết số 59 / NQ - CP ngày 7-7-2016 của Chính phủ", ["NQ-59-CP-2016"]),
    ("Chỉ thị 05-CT/TW", ["CT-5-TW"]),
    ("Nghị quyết 30a/2008/NQ-CP", ["NQ-30A-CP-2008"]),
    ("dự thảo Luật số 333/BC-UBTVQH14", ["BC-333-UBTVQH"]),  # the symbol says it is a report
    ("Quy định số 102-QĐ/TW", ["QDI-102-TW"]),
    ("Quyết định số 1087-QĐ/TU của Ban Thường vụ Tỉnh ủy", ["QD-1087-TU"]),
    ("Thông tri số 05-TT/TW", ["TTRI-5-TW"]),
    ("Công văn số 1457/BGDĐT-HTQT", ["CV-1457-BGDDT"]),
    ("Thông báo kết luận số 19/TB-VPCP", ["TB-19-VPCP"]),
    ("văn bản số 123/QĐ-UBND", ["QD-123-UBND"]),
    ("Công điện số 09/CĐ-TTg", ["CD-9-TTg"]),
    ("Thông tư 20/2018 của Bộ Y tế", ["TT-20-BYT-2018"]),
    ("Nghị định 22 năm 1998 về đền bù", ["ND-22-1998"]),
    ("Nghị định 100 của Chính phủ", ["ND-100-CP"]),
    ("theo Nghị định 67, lãnh đạo", ["ND-67"]),
    ("Luật số 103/2016/QH13", ["LUAT-103-QH-2016"]),
    ("Luật Đất đai năm 2013", ["LUAT-DAT-DAI-2013"]),
    ("Luật Quốc tịch Việt Nam 2008", ["LUAT-QUOC-TICH-VIET-NAM-2008"]),
    ("Điều 123 Bộ luật Hình sự 2015", ["BL-HINH-SU-2015"]),
    ("Hiến pháp năm 2013", ["HP-2013"]),
    ("thực hiện 57-KL/TW và 13/2023/NĐ-CP", ["KL-57-TW", "ND-13-CP-2023"]),
    ("Kết luận số 57-KL/TW; Kết luận số 71-KL/TW ngày 16/2/2024", ["KL-57-TW", "KL-71-TW-XIII"]),
]

ENGLISH = [
    ("Conclusion No. 57-KL/TW", ["KL-57-TW"]),
    ("Resolution No. 47/NQ-CP", ["NQ-47-CP"]),
    ("Directive 26-CT/TW", ["CT-26-TW"]),
    ("Decree 13/2023/ND-CP", ["ND-13-CP-2023"]),
    ("Decision No. 1234/QD-TTg", ["QD-1234-TTg"]),
    ("the Politburo's Conclusion 57", ["KL-57-TW"]),
    ("the Politburo’s Conclusion No. 57-KL/TW dated June 15, 2023", ["KL-57-TW-XIII"]),
    ("Resolution 57-NQ/TW on science and technology", ["NQ-57-TW"]),
    ("Conclusion 57-KL/TW of 15 June 2023", ["KL-57-TW-XIII"]),
    ("Resolution No. 47/NQ-CP dated April 15, 2024 of the Government", ["NQ-47-CP-2024"]),
    ("Circular No. 03/2024/TT-BTTTT of the Ministry of Information and Communications", ["TT-3-BTTTT-2024"]),
    ("Official Dispatch No. 1234/CD-TTg", ["CD-1234-TTg"]),  # the symbol's type wins
    ("the Law on Press 2016", ["LUAT-PRESS-2016"]),
    ("the 2013 Constitution", ["HP-2013"]),
]

NOT_REFERENCES = [
    "số 57",
    "Theo Điều 5 khoản 2, số 57 đường Lê Lợi",
    "Hotline 0912 345 678, tổng đài 1900 1234",
    "Quyết định này có hiệu lực; quyết định của Chính phủ rất đúng",
    "the conclusion of the meeting",
    "In conclusion, 57 people attended",
    "kỷ luật 8 học sinh",
    "theo pháp luật 2016",
    "Luật sư Nguyễn Văn A năm 2019",
    "luật Thành phố thông minh từ năm 2008",
    "Bộ luật Lao động phải lùi lại sau năm 2018",
    "tốt nghiệp học viện Luật Moscow năm 1998",
    "Kết luận 3 đơn vị đã sai phạm",
    "Thông báo 15 phút trước giờ bay",
    "ông quyết định 2 năm sau mới về",
    "a decision 5 years ago",
    "Kế hoạch 5 năm 2016-2020",
    "Nghị quyết 1.000 trang",
    "",
]

SAME_DOCUMENT = [
    [
        "Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị",
        "Kết luận 57-KL/TW ngày 15 tháng 6 năm 2023",
        "Kết luận số 57-KL/TW của Bộ Chính trị khóa XIII",
        "Kết luận số 57-KL/TW (khoá 13)",
        "Ket luan so 57 - KL / TW ngay 15-6-2023",
        "KẾT LUẬN SỐ 57-KL/TƯ NGÀY 15/6/2023",
        "Conclusion No. 57-KL/TW dated June 15, 2023",
        "the Politburo's Conclusion 57 of 15 June 2023",
    ],
    [
        "Kết luận số 57-KL/TW",
        "Kết luận số 57- KL/TW",
        "Kết luận số 57 của Bộ Chính trị",
        "kết luận 57-KL/TƯ",
        "Conclusion 57-KL/TW",
        "the Politburo's Conclusion No. 57",
    ],
    [
        "Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ",
        "Nghị quyết 47/NQ-CP ngày 15 tháng 4 năm 2024",
        "Nghi quyet 47 / NQ - CP ngay 15/4/2024",
        "Resolution No. 47/NQ-CP dated April 15, 2024",
        "the Government's Resolution 47/NQ-CP of 15 April 2024",
    ],
    [
        "Nghị định 13/2023/NĐ-CP",
        "Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ",
        "Nghi dinh 13/2023/ND-CP",
        "Decree 13/2023/ND-CP",
        "Decree No. 13/2023/ND-CP of the Government",
    ],
    [
        "Chỉ thị số 26-CT/TƯ của Ban Bí thư khóa X",
        "Chỉ thị 26-CT/TW ngày 4/9/2008",
        "Directive No. 26-CT/TW of the Secretariat (khóa X)",
    ],
    [
        "Quyết định số 1234/QĐ-TTg",
        "Quyết định 1234/QD-TTG",
        "Decision No. 1234/QD-TTg",
        "Quyết định 1234 của Thủ tướng Chính phủ",
        "the Prime Minister's Decision 1234",
    ],
]


@pytest.mark.parametrize(("text", "expected"), VIETNAMESE)
def test_vietnamese_forms(text: str, expected: list[str]) -> None:
    assert ids(text) == expected
    assert ids(text, "vi") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_forms(text: str, expected: list[str]) -> None:
    assert ids(text) == expected
    assert ids(text, "en") == expected


@pytest.mark.parametrize("text", NOT_REFERENCES)
def test_not_references(text: str) -> None:
    assert find_documents(text) == []


@pytest.mark.parametrize("spellings", SAME_DOCUMENT, ids=lambda group: group[0])
def test_one_document_many_spellings_one_id(spellings: list[str]) -> None:
    found = {text: ids(text) for text in spellings}
    assert all(len(got) == 1 for got in found.values()), found
    assert len({got[0] for got in found.values()}) == 1, found


@pytest.mark.parametrize(("text", "expected"), [c for c in VIETNAMESE if "Ư" not in c[0]])
def test_diacritics_do_not_matter(text: str, expected: list[str]) -> None:
    assert ids(strip_marks(text)) == expected


@pytest.mark.parametrize(("text", "expected"), VIETNAMESE[:12])
def test_decomposed_input_keeps_spans(text: str, expected: list[str]) -> None:
    decomposed = "🙂 Ẩn " + unicodedata.normalize("NFD", text)
    refs = find_documents(decomposed)
    assert [ref.canonical_id for ref in refs] == expected
    assert all(decomposed[slice(*ref.span)] == ref.surface for ref in refs)
    assert unicodedata.normalize("NFC", refs[0].surface) == find_documents(text)[0].surface


def test_fields_of_a_party_reference() -> None:
    text = "Hội nghị quán triệt Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về thông tin đối ngoại."
    (ref,) = find_documents(text)
    assert (ref.type, ref.number, ref.issuer, ref.code) == ("KL", "57", "TW", "57-KL/TW")
    assert (ref.year, ref.date, ref.term) == (2023, date(2023, 6, 15), "XIII")
    assert (ref.type_name_vi, ref.type_name_en) == ("Kết luận", "Conclusion")
    assert (ref.canonical_id, ref.base_id) == ("KL-57-TW-XIII", "KL-57-TW")
    assert ref.surface == "Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị"
    assert text[slice(*ref.span)] == ref.surface


def test_fields_of_a_state_reference() -> None:
    (ref,) = find_documents("Thông tư số 03/2024/TT-BTTTT ngày 1/3/2024 của Bộ Thông tin và Truyền thông")
    assert (ref.type, ref.number, ref.issuer, ref.code) == ("TT", "3", "BTTTT", "03/2024/TT-BTTTT")
    assert (ref.year, ref.date, ref.term) == (2024, date(2024, 3, 1), None)
    assert ref.canonical_id == "TT-3-BTTTT-2024"


def test_fields_of_a_law() -> None:
    (ref,) = find_documents("Theo quy định của Luật Báo chí 2016, cơ quan báo chí …")
    assert (ref.type, ref.number, ref.title, ref.year) == ("LUAT", None, "Báo chí", 2016)
    assert ref.surface == "Luật Báo chí 2016"


def test_symbol_as_written_keeps_its_spelling() -> None:
    (ref,) = find_documents("Chỉ thị số 26 - CT/TƯ của Ban Bí thư")
    assert ref.code == "26-CT/TƯ"
    assert ref.issuer == "TW"


def test_unknown_issuer_keeps_its_symbol() -> None:
    (ref,) = find_documents("Nghị quyết số 06/NQ-HĐQT ngày 9/3/2019")
    assert (ref.issuer, ref.canonical_id) == ("HDQT", "NQ-6-HDQT-2019")


def test_spaced_symbol_stops_before_ordinary_words() -> None:
    (ref,) = find_documents("Nghị quyết 47/NQ-CP - Chính phủ yêu cầu các bộ")
    assert ref.surface == "Nghị quyết 47/NQ-CP"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("(theo Nghị quyết 27-NQ/TW ngày 21/5/2018)", "Nghị quyết 27-NQ/TW ngày 21/5/2018"),
        ("Nghị quyết 27-NQ/TW (ngày 21/5/2018) về", "Nghị quyết 27-NQ/TW (ngày 21/5/2018)"),
        ("Chỉ thị 05-CT/TW của Bộ Chính trị (khoá XII) về", "Chỉ thị 05-CT/TW của Bộ Chính trị (khoá XII)"),
    ],
)
def test_parentheses_are_taken_in_pairs(text: str, surface: str) -> None:
    assert [ref.surface for ref in find_documents(text)] == [surface]


def test_invalid_date_is_not_read() -> None:
    (ref,) = find_documents("Nghị quyết 47/NQ-CP ngày 31/2/2024")
    assert ref.date is None and ref.surface == "Nghị quyết 47/NQ-CP"


def test_language_limits_trigger_words() -> None:
    text = "Decree 13/2023/ND-CP và Nghị định 100 của Chính phủ"
    assert ids(text, "vi") == ["ND-13-CP-2023", "ND-100-CP"]  # the symbol alone is still read
    assert ids(text, "en") == ["ND-13-CP-2023"]
    assert ids(text) == ["ND-13-CP-2023", "ND-100-CP"]


def test_spans_point_at_surfaces_in_a_longer_text() -> None:
    text = (
        "Sáng 7/8, hội nghị triển khai Kết luận số 57-KL/TW của Bộ Chính trị và Nghị quyết số "
        "47/NQ-CP ngày 15/4/2024 của Chính phủ; liên hệ 0912 345 678. Điều 5 Luật Báo chí 2016."
    )
    refs = find_documents(text)
    assert [ref.canonical_id for ref in refs] == ["KL-57-TW", "NQ-47-CP-2024", "LUAT-BAO-CHI-2016"]
    for ref in refs:
        assert text[slice(*ref.span)] == ref.surface
    assert [ref.surface.split()[0] for ref in refs] == ["Kết", "Nghị", "Luật"]


# --- merge_refs -------------------------------------------------------------------------------


def test_merge_keeps_the_most_complete_reference() -> None:
    text = (
        "Kết luận số 57-KL/TW. Sau đó, Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị được quán "
        "triệt; Kết luận 57 cũng yêu cầu … Nghị quyết 47/NQ-CP và Nghị quyết số 47/NQ-CP ngày 15/4/2024."
    )
    merged = merge_refs(find_documents(text))
    assert [ref.canonical_id for ref in merged] == ["KL-57-TW-XIII", "NQ-47-CP-2024"]
    assert merged[0].date == date(2023, 6, 15)


def test_merge_leaves_an_ambiguous_reference_alone() -> None:
    text = "Kết luận 57-KL/TW ngày 15/6/2023, Kết luận 57-KL/TW ngày 2/3/2013 và Kết luận số 57-KL/TW."
    merged = merge_refs(find_documents(text))
    assert [ref.canonical_id for ref in merged] == ["KL-57-TW-XIII", "KL-57-TW-XI", "KL-57-TW"]


def test_merge_joins_a_yearly_reference_without_issuer() -> None:
    text = "Hướng dẫn số 111/2023 của Ban Tuyên giáo Trung ương … theo Hướng dẫn số 111/2023."
    assert [ref.canonical_id for ref in merge_refs(find_documents(text))] == ["HD-111-BTGTW-XIII"]


def test_merge_keeps_different_documents_in_text_order() -> None:
    refs = find_documents("Chỉ thị 26-CT/TW, Kết luận 16-KL/TW, Chỉ thị số 26-CT/TƯ của Ban Bí thư khóa X")
    merged = merge_refs(reversed(refs))
    assert [ref.canonical_id for ref in merged] == ["KL-16-TW", "CT-26-TW-X"]


def test_merge_of_nothing() -> None:
    assert merge_refs([]) == []


# --- canonical_id_of --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("57-KL/TW", "KL-57-TW"),
        ("57-kl/tw", "KL-57-TW"),
        ("kết luận 57", "KL-57"),
        ("ket luan 57 cua bo chinh tri", "KL-57-TW"),
        ("Nghị quyết 47/NQ-CP ngày 15/4/2024", "NQ-47-CP-2024"),
        ("13/2023/nd-cp", "ND-13-CP-2023"),
        ("KL-57-TW", "KL-57-TW"),
        ("kl-57-tw-xiii", "KL-57-TW-XIII"),
        ("qd-1234-ttg", "QD-1234-TTg"),
        ("nq-47-cp-2024", "NQ-47-CP-2024"),
        ("nq-30a-cp-2008", "NQ-30A-CP-2008"),
        ("luat-bao-chi-2016", "LUAT-BAO-CHI-2016"),
        ("Luật báo chí 2016", "LUAT-BAO-CHI-2016"),
        ("Decree 13/2023/ND-CP", "ND-13-CP-2023"),
        ("số 57", None),
        ("XX-57-TW", None),
        ("", None),
    ],
)
def test_canonical_id_of(typed: str, expected: str | None) -> None:
    assert canonical_id_of(typed) == expected


@pytest.mark.parametrize(("text", "expected"), VIETNAMESE[:20] + ENGLISH)
def test_canonical_id_of_reads_back_its_own_ids(text: str, expected: list[str]) -> None:
    assert canonical_id_of(expected[0]) == expected[0]


# --- party terms and tables -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year", "term"),
    [
        (date(2023, 6, 15), None, "XIII"),
        (date(2021, 1, 10), None, "XII"),
        (date(2021, 2, 10), None, "XIII"),
        (None, 2021, "XIII"),
        (None, 2012, "XI"),
        (date(2008, 9, 4), None, "X"),
        (None, 1980, None),
        (None, None, None),
    ],
)
def test_party_term(day: date | None, year: int | None, term: str | None) -> None:
    assert party_term(day, year) == term


@pytest.mark.parametrize("name", ["document_types.tsv", "document_issuers.tsv"])
def test_tables_name_their_source(name: str) -> None:
    text = resources.files("newsdesk.analyze").joinpath("data", name).read_text(encoding="utf-8")
    assert text.startswith("# source: ")


def test_tables_are_consistent() -> None:
    kinds, bodies = document_types(), issuers()
    assert {"KL", "NQ", "CT", "HD", "QD", "ND", "TT", "TB", "CV", "LUAT", "PL"} <= set(kinds)
    assert {"TW", "CP", "TTg", "QH", "UBTVQH", "BTGTW", "BNG", "BTTTT", "BVHTTDL", "UBND", "TU"} <= set(
        bodies
    )
    assert all(kind.triggers_vi and kind.name_en for kind in kinds.values())
    assert all(body.names_vi and body.names_en for body in bodies.values())
    assert bodies["TW"].numbered_per_term and not bodies["CP"].numbered_per_term


# --- invariants -------------------------------------------------------------------------------

_FILLER = st.text(st.sampled_from(list("aăâbcdđeêgh iklmnoôơpqrstuưvxyÀẢẠẾỀỂ0123456789/-., \n")), max_size=40)
_REFERENCES = st.sampled_from([text for text, _ in VIETNAMESE + ENGLISH])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_spans_are_surfaces_for_any_text(text: str) -> None:
    for ref in find_documents(text):
        assert 0 <= ref.span[0] < ref.span[1] <= len(text)
        assert text[slice(*ref.span)] == ref.surface


@settings(max_examples=150, deadline=None)
@given(_FILLER, _REFERENCES, _FILLER)
def test_a_reference_is_found_inside_any_text(before: str, reference: str, after: str) -> None:
    text = f"{before}\n{reference}\n{after}"
    expected = next(expected for written, expected in VIETNAMESE + ENGLISH if written == reference)
    found = [ref for ref in find_documents(text) if ref.span[0] > len(before)]
    assert [ref.canonical_id for ref in found][: len(expected)] == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(_REFERENCES, min_size=1, max_size=6))
def test_merge_is_idempotent_and_keeps_every_document(texts: list[str]) -> None:
    refs = find_documents(" ; ".join(texts))
    merged = merge_refs(refs)
    assert merge_refs(merged) == merged
    assert len({ref.canonical_id for ref in merged}) == len(merged)
    assert {ref.base_id for ref in merged} <= {ref.base_id for ref in refs}


# --- the shared corpus ------------------------------------------------------------------------


def _seed(prefix: str) -> str:
    seeds = sorted(require_corpus("seeds").glob(f"{prefix}_*.txt"))
    if not seeds:
        pytest.skip(f"seed {prefix} absent")
    return seeds[0].read_text(encoding="utf-8")


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("000", {"KL-57-TW", "HD-111-BTGTW-XIII"}),
        ("001", {"KL-57-TW-XIII", "KL-71-TW-XIII", "NQ-47-CP"}),
        ("002", {"KL-57-TW", "KL-71-TW-XIII", "NQ-47-CP-2024"}),
        ("003", {"KL-16-TW-XI", "CT-26-TW-X"}),
    ],
)
def test_seed_articles(prefix: str, expected: set[str]) -> None:
    text = _seed(prefix)
    refs = find_documents(text, "vi")
    assert expected <= {ref.canonical_id for ref in merge_refs(refs)}
    assert all(text[slice(*ref.span)] == ref.surface for ref in refs)
    surfaces = " ".join(ref.surface for ref in refs)
    for written in {
        "000": ["Kết luận số 57 của Bộ Chính trị", "Hướng dẫn số 111/2023"],
        "003": ["16-KL/TƯ"],
    }.get(prefix, []):
        assert written in surfaces


@pytest.mark.corpus
@pytest.mark.slow
def test_speed_on_the_corpus() -> None:
    path = require_corpus("vietnews-20k.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in itertools.islice(lines, 2000)]
    texts = [f"{r['title']}\n{r['sapo']}\n{r['text']}" for r in records]
    find_documents(texts[0])
    started = time.perf_counter()
    found = sum(len(find_documents(text, "vi")) for text in texts)
    per_article = (time.perf_counter() - started) / len(texts)
    assert found > 50
    assert per_article < 0.001  # measured ≈ 0.15 ms; generous for a shared machine


def test_reference_record_is_frozen() -> None:
    (ref,) = find_documents("Nghị định 13/2023/NĐ-CP")
    with pytest.raises(AttributeError):
        ref.number = "14"  # type: ignore[misc]
    assert isinstance(ref, DocumentRef)
