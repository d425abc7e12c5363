"""Reference data: province counts and the 2025 merger, organisations and successions, titles, places."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.errors import ConfigError
from newsdesk.reference import (
    Province,
    _tables,
    alias_key,
    find_place,
    find_province,
    name_cues,
    organisation,
    organisations,
    places,
    predecessors,
    province_predecessors,
    province_successor,
    provinces,
    successors,
    surnames,
    title,
    titles,
)
from newsdesk.text.fold import fold

UNCHANGED = {
    "Hà Nội", "Cao Bằng", "Điện Biên", "Lai Châu", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Huế",
}  # fmt: skip


# --- Provinces ----------------------------------------------------------------------------------------------


def test_province_counts_and_types() -> None:
    after, before = provinces("2025"), provinces("pre2025")
    assert len(after) == 34 and len(before) == 63
    assert sum(p.type == "thành phố" for p in after) == 6
    assert sum(p.type == "thành phố" for p in before) == 5  # Huế is listed under its long-standing tỉnh name
    assert len({p.code for p in after}) == 34 and len({p.code for p in before}) == 63


def test_merger_maps_every_old_unit_to_exactly_one_new_unit() -> None:
    for old in provinces("pre2025"):
        successor = province_successor(old.id)
        assert len(successor) == 1 and successor[0].era == "2025", old.name
    for new in provinces("2025"):
        assert province_predecessors(new.id), new.name
    total = sum(len(province_predecessors(new.id)) for new in provinces("2025"))
    assert total == 63


def test_the_eleven_unchanged_units_map_to_themselves() -> None:
    unchanged = {new.name for new in provinces("2025") if len(province_predecessors(new.id)) == 1}
    assert unchanged == UNCHANGED
    for name in UNCHANGED - {"Huế"}:
        (old,) = province_predecessors(name)
        assert (old.name, old.code) == (name, find_province(name, "2025").code)  # type: ignore[union-attr]
    assert [p.name for p in province_predecessors("Huế")] == ["Thừa Thiên Huế"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Hòa Bình", "Phú Thọ"),
        ("Vĩnh Phúc", "Phú Thọ"),
        ("Hà Giang", "Tuyên Quang"),
        ("Yên Bái", "Lào Cai"),
        ("Bắc Giang", "Bắc Ninh"),
        ("Hải Dương", "Hải Phòng"),
        ("Nam Định", "Ninh Bình"),
        ("Quảng Bình", "Quảng Trị"),
        ("Quảng Nam", "Đà Nẵng"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Bình Định", "Gia Lai"),
        ("Ninh Thuận", "Khánh Hòa"),
        ("Phú Yên", "Đắk Lắk"),
        ("Bình Thuận", "Lâm Đồng"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Long An", "Tây Ninh"),
        ("Tiền Giang", "Đồng Tháp"),
        ("Bến Tre", "Vĩnh Long"),
        ("Hậu Giang", "Cần Thơ"),
        ("Bạc Liêu", "Cà Mau"),
        ("Kiên Giang", "An Giang"),
        ("Thừa Thiên Huế", "Huế"),
        ("17", "Phú Thọ"),  # a pre-2025 code
        ("Khánh Hòa", "Khánh Hòa"),
    ],
)
def test_province_successor(old: str, new: str) -> None:
    assert [p.name for p in province_successor(old)] == [new]


def test_province_predecessors_of_a_merged_unit() -> None:
    assert {p.name for p in province_predecessors("Phú Thọ")} == {"Hòa Bình", "Phú Thọ", "Vĩnh Phúc"}
    assert {p.name for p in province_predecessors("TP.HCM")} == {
        "Hồ Chí Minh",
        "Bình Dương",
        "Bà Rịa - Vũng Tàu",
    }


@pytest.mark.parametrize(
    ("alias", "province_id"),
    [
        ("TP.HCM", "2025/79"),
        ("TP HCM", "2025/79"),
        ("TP. HCM", "2025/79"),
        ("tp.hcm", "2025/79"),
        ("Sài Gòn", "2025/79"),
        ("Sai Gon", "2025/79"),
        ("Ho Chi Minh City", "2025/79"),
        ("HCMC", "2025/79"),
        ("Thành phố Hồ Chí Minh", "2025/79"),
        ("Hà Nội", "2025/01"),
        ("Hanoi", "2025/01"),
        ("ha noi", "2025/01"),
        ("HÀ NỘI", "2025/01"),
        ("TP. Hà Nội", "2025/01"),
        ("Thừa Thiên Huế", "2025/46"),
        ("Thua Thien Hue", "2025/46"),
        ("Huế", "2025/46"),
        ("Hoà Bình", "pre2025/17"),
        ("hoa binh", "pre2025/17"),
        ("tỉnh Hòa Bình", "pre2025/17"),
        ("Hoa Binh province", "pre2025/17"),
        ("Đắc Lắc", "2025/66"),
        ("Bà Rịa – Vũng Tàu", "pre2025/77"),
        ("Bà Rịa-Vũng Tàu", "pre2025/77"),
        ("2025/25", "2025/25"),
    ],
)
def test_find_province_by_alias(alias: str, province_id: str) -> None:
    found = find_province(alias)
    assert found is not None and found.id == province_id


def test_find_province_by_era_and_code() -> None:
    assert find_province("Hà Nội", "pre2025").id == "pre2025/01"  # type: ignore[union-attr]
    assert find_province("17", "pre2025").name == "Hòa Bình"  # type: ignore[union-attr]
    assert find_province("Hòa Bình", "2025") is None
    assert find_province("Gotham") is None
    assert province_successor("Gotham") == [] and province_predecessors("Gotham") == []


@given(
    province=st.sampled_from(provinces("2025") + provinces("pre2025")),
    spell=st.sampled_from([str.upper, str.lower, fold, str.title, lambda s: f"  {s} "]),
)
def test_every_province_name_is_found_however_written(
    province: Province, spell: Callable[[str], str]
) -> None:
    found = find_province(spell(province.name), province.era)
    assert found == province


# --- Organisations and successions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "org_id"),
    [
        ("Ban Tuyên giáo Trung ương", "ban-tuyen-giao-tw"),
        ("Ban Tuyên giáo TƯ", "ban-tuyen-giao-tw"),
        ("Ban Tuyen giao TW", "ban-tuyen-giao-tw"),
        ("BTGTW", "ban-tuyen-giao-tw"),
        ("Central Propaganda Department", "ban-tuyen-giao-tw"),
        ("Commission for Information and Education", "ban-tuyen-giao-tw"),
        ("Ban Tuyên giáo và Dân vận Trung ương", "ban-tuyen-giao-dan-van-tw"),
        ("Bộ Thông tin và Truyền thông", "bo-tt-tt"),
        ("Bộ Thông tin & Truyền thông", "bo-tt-tt"),
        ("Bộ TT&TT", "bo-tt-tt"),
        ("Ministry of Information and Communications", "bo-tt-tt"),
        ("MIC", "bo-tt-tt"),
        ("Bộ Văn hóa, Thể thao và Du lịch", "bo-vh-tt-dl"),
        ("Bộ VHTTDL", "bo-vh-tt-dl"),
        ("Bộ Nông nghiệp và Môi trường", "bo-nn-mt"),
        ("Bộ Dân tộc và Tôn giáo", "bo-dan-toc-ton-giao"),
        ("Bộ Chính trị", "bo-chinh-tri"),
        ("Politburo", "bo-chinh-tri"),
        ("Thông tấn xã Việt Nam", "ttxvn"),
        ("TTXVN", "ttxvn"),
        ("Vietnam News Agency", "ttxvn"),
        ("Đài Tiếng nói Việt Nam", "vov"),
        ("Báo Nhân Dân", "bao-nhan-dan"),
        ("Quân đội Nhân dân", "bao-qdnd"),
        ("Quân đội nhân dân Việt Nam", "qdnd-vn"),
        ("Liên hợp quốc", "un"),
        ("Liên Hiệp Quốc", "un"),
        ("United Nations", "un"),
        ("Tổ chức Y tế Thế giới", "who"),
        ("World Health Organization", "who"),
        ("Liên minh châu Âu", "eu"),
        ("ASEAN", "asean"),
        ("bo-ngoai-giao", "bo-ngoai-giao"),
    ],
)
def test_organisation_by_alias(alias: str, org_id: str) -> None:
    found = organisation(alias)
    assert found is not None and found.id == org_id


def test_unknown_organisation() -> None:
    assert organisation("Bộ Phép thuật") is None
    assert successors("nothing-here") == [] and predecessors("nothing-here") == []


@pytest.mark.parametrize(
    ("predecessor", "expected"),
    [
        ("ban-tuyen-giao-tw", {("ban-tuyen-giao-dan-van-tw", "merged")}),
        ("ban-dan-van-tw", {("ban-tuyen-giao-dan-van-tw", "merged")}),
        ("bo-tt-tt", {("bo-kh-cn", "merged"), ("bo-vh-tt-dl", "function_moved")}),
        ("Bộ Thông tin và Truyền thông", {("bo-kh-cn", "merged"), ("bo-vh-tt-dl", "function_moved")}),
        ("bo-ke-hoach-dau-tu", {("bo-tai-chinh", "merged")}),
        ("bo-tn-mt", {("bo-nn-mt", "merged")}),
        ("bo-nn-ptnt", {("bo-nn-mt", "renamed")}),
        ("bo-gtvt", {("bo-xay-dung", "merged")}),
        ("uy-ban-dan-toc", {("bo-dan-toc-ton-giao", "renamed")}),
        ("bo-ngoai-giao", set()),
    ],
)
def test_successors(predecessor: str, expected: set[tuple[str, str]]) -> None:
    assert {(s.successor, s.kind) for s in successors(predecessor)} == expected


def test_labour_ministry_split_over_several_successors() -> None:
    found = {s.successor for s in successors("bo-ld-tbxh")}
    assert {"bo-noi-vu", "bo-gd-dt", "bo-y-te"} <= found


def test_predecessors() -> None:
    assert {s.predecessor for s in predecessors("bo-nn-mt")} == {"bo-tn-mt", "bo-nn-ptnt"}
    assert {s.predecessor for s in predecessors("Ban Tuyên giáo và Dân vận TW")} == {
        "ban-tuyen-giao-tw",
        "ban-dan-van-tw",
    }


def test_successions_reference_existing_organisations() -> None:
    ids = {org.id for org in organisations()}
    for succession in _tables.read_successions():
        assert succession.predecessor in ids and succession.successor in ids, succession
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", succession.date), succession
        assert succession.note, succession


def test_merged_and_renamed_organisations_have_ended() -> None:
    by_id = {org.id: org for org in organisations()}
    for succession in _tables.read_successions():
        if succession.kind != "function_moved":
            assert by_id[succession.predecessor].until, succession.predecessor


def test_no_alias_names_two_organisations() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for org in organisations():
        for name in org.names:
            for spelling in _tables.spellings(name):
                owners[alias_key(spelling)].add(org.id)
    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}


def test_organisations_have_names_kinds_and_sources() -> None:
    kinds = {
        "party", "state", "national_assembly_body", "government", "ministry", "ministry_level",
        "government_agency", "armed_forces", "mass_organisation", "press", "international",
    }  # fmt: skip
    for org in organisations():
        assert org.name and org.name_en and org.source and org.kind in kinds, org.id
    assert len([org for org in organisations() if org.kind == "ministry" and not org.until]) == 14


# --- Titles, places, surnames, cues ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Deputy Prime Minister", "Phó Thủ tướng"),
        ("Deputy PM", "Phó Thủ tướng"),
        ("phó thủ tướng", "Phó Thủ tướng"),
        ("Thứ trưởng", "Thứ trưởng"),
        ("Deputy Minister", "Thứ trưởng"),
        ("Phó trưởng ban", "Phó Trưởng ban"),
        ("Phó Bí thư Thường trực Tỉnh uỷ", "Phó Bí thư Thường trực Tỉnh ủy"),
        ("Major General", "Thiếu tướng"),
        ("spokesperson", "Người phát ngôn"),
        ("General Secretary", "Tổng Bí thư"),
        ("President", "Chủ tịch nước"),
    ],
)
def test_title_by_alias(alias: str, canonical: str) -> None:
    found = title(alias)
    assert found is not None and found.title == canonical


def test_titles_reference_existing_organisations_and_titles() -> None:
    ids = {org.id for org in organisations()}
    names = {found.title for found in titles()}
    for found in titles():
        assert found.org is None or found.org in ids, found.title
        assert found.foreign is None or found.foreign in names, found.title
        for _, org in found.aliases_vi + found.aliases_en:
            assert org is None or org in ids, found.title


def test_no_title_alias_names_two_titles() -> None:
    for language in ("vi", "en"):
        owners: dict[str, set[str]] = defaultdict(set)
        for found in titles():
            for alias, _ in found.aliases_vi if language == "vi" else found.aliases_en:
                owners[alias_key(alias)].add(found.title)
        assert {key: names for key, names in owners.items() if len(names) > 1} == {}


@pytest.mark.parametrize(
    ("alias", "place_id"),
    [
        ("Mỹ", "US"),
        ("Hoa Kỳ", "US"),
        ("United States", "US"),
        ("Việt Nam", "VN"),
        ("Viet Nam", "VN"),
        ("VN", "VN"),
    ],
)
def test_find_place(alias: str, place_id: str) -> None:
    found = find_place(alias)
    assert found is not None and found.id == place_id


def test_places_in_vietnam_name_2025_provinces() -> None:
    codes = {p.code for p in provinces("2025")}
    for place in places():
        assert place.province_2025 is None or place.province_2025 in codes, place.id


def test_surnames_and_cues() -> None:
    assert surnames()[:3] == ("Nguyễn", "Trần", "Lê")
    assert {"Phan", "Lại", "Đôn", "Võ", "Bùi", "Đinh"} <= set(surnames())
    assert "Ông" not in surnames() and "Phó" not in surnames()
    assert "ông" in name_cues("honorific", "vi") and "Mr." in name_cues("honorific", "en")
    assert "đường" in name_cues("not_person", "vi")


# --- Files ------------------------------------------------------------------------------------------------


def _data_files() -> list[str]:
    folder = resources.files("newsdesk.reference").joinpath("data")
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".tsv"))


@pytest.mark.parametrize("name", _data_files())
def test_every_data_file_notes_its_source(name: str) -> None:
    text = resources.files("newsdesk.reference").joinpath("data", name).read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert text.startswith("#") and any("source" in line.lower() for line in header), name


@pytest.mark.parametrize(
    ("text", "key"),
    [("TP. Hồ Chí Minh", "tp . ho chi minh"), ("TP.HCM", "tp . hcm"), ("Committee’s", "committee ' s")],
)
def test_alias_key(text: str, key: str) -> None:
    assert alias_key(text) == key


def test_malformed_data_file_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "broken.tsv").write_text("# Source: test\na\tb\n1\t2\t3\n", encoding="utf-8")
    monkeypatch.setattr(_tables.resources, "files", lambda package: tmp_path)
    with pytest.raises(ConfigError, match=r"broken\.tsv line 3"):
        _tables.read_table("broken.tsv")
