"""The glossary and the translation memory in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert

from newsdesk.errors import Conflict, EmptyInput, Forbidden, MalformedInput, NewsdeskError, NotFound
from newsdesk.publish.library import GlossaryStore, MemoryStore, glossary_format
from newsdesk.publish.workflow import Actor
from newsdesk.store.repo import Store
from newsdesk.store.tables import GlossaryEntryRow
from newsdesk.translate import EntryStatus, Term, TermEntry, TermUsage, TranslationUnit, export_tmx
from tests.translate.conftest import STEERING_EN, STEERING_VI, sample_entries

ADMIN = Actor("admin", "central", "administrator")
EDITOR = Actor("lan", "hue", "editor")
VIEWER = Actor("an", "central", "viewer")
WHEN = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)


@pytest.fixture
def glossary(any_store: Store) -> GlossaryStore:
    return GlossaryStore(any_store.engine)


@pytest.fixture
def memory(any_store: Store) -> MemoryStore:
    return MemoryStore(any_store.engine)


def _entry(vi: str, en: str, **kw: object) -> TermEntry:
    return TermEntry((Term("vi", vi), Term("en", en)), **kw)  # type: ignore[arg-type]


def test_entries_round_trip_with_who_and_when(glossary: GlossaryStore) -> None:
    stored = [glossary.add(ADMIN, entry) for entry in sample_entries()]
    again = GlossaryStore(glossary.engine)
    assert [s.entry for s in again.entries()] == sample_entries()
    first = again.get(stored[0].id)
    assert first.updated_by == "admin" and first.updated_at.tzinfo is not None
    assert first.as_dict()["terms"][0] == {"lang": "en", "text": STEERING_EN, "usage": "preferred"}
    assert len(again.glossary()) == len(sample_entries())
    with pytest.raises(NotFound, match="glossary entry 999"):
        again.get(999)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "ban chi dao"}, {STEERING_VI, "Ban Chỉ đạo"}),
        ({"q": "BỘ NGOẠI"}, {"Bộ Ngoại giao"}),
        ({"q": "quyet dinh"}, {STEERING_VI}),  # the note is searched too
        ({"lang": "fr"}, {STEERING_VI, "Ban Chỉ đạo", "hòa bình"}),
        ({"domain": "doi ngoai"}, {STEERING_VI}),
        ({"status": "proposed"}, {"Thông tấn xã Việt Nam"}),
    ],
)
def test_listing_filters_and_searches_without_accents(
    glossary: GlossaryStore, filters: dict[str, str], expected: set[str]
) -> None:
    for entry in sample_entries():
        glossary.add(ADMIN, entry)
    total, page = glossary.listing(**filters)  # type: ignore[arg-type]
    assert total == len(expected)
    assert {s.entry.preferred("vi").text for s in page} == expected  # type: ignore[union-attr]


def test_listing_is_sorted_and_paged(glossary: GlossaryStore) -> None:
    for entry in sample_entries():
        glossary.add(ADMIN, entry)
    total, page = glossary.listing(offset=1, limit=2)
    every = [s.entry.preferred("vi").text for s in glossary.listing()[1]]  # type: ignore[union-attr]
    assert total == 6 and every[0] == "Ban Chỉ đạo" and every[-1] == "thông tin đối ngoại"
    assert [s.entry.preferred("vi").text for s in page] == every[1:3]  # type: ignore[union-attr]
    assert glossary.domains() == ["Đối ngoại"]
    with pytest.raises(NewsdeskError, match="unknown status"):
        glossary.listing(status="draft")


def test_editors_propose_and_administrators_approve(glossary: GlossaryStore) -> None:
    proposed = glossary.add(EDITOR, _entry("Cổng thông tin", "portal"))
    assert proposed.entry.status is EntryStatus.PROPOSED and proposed.updated_by == "lan"
    assert not glossary.glossary().find("Cổng thông tin mới", "vi"), "proposals are not checked"
    edited = glossary.update(EDITOR, proposed.id, _entry("Cổng thông tin", "web portal"))
    assert edited.entry.status is EntryStatus.PROPOSED
    approved = glossary.approve(ADMIN, proposed.id)
    assert approved.entry.status is EntryStatus.APPROVED and approved.updated_by == "admin"
    assert glossary.glossary().find("Cổng thông tin mới", "vi")
    with pytest.raises(Forbidden, match="only administrators change approved entries"):
        glossary.update(EDITOR, proposed.id, _entry("Cổng thông tin", "gateway"))
    with pytest.raises(Forbidden, match="only administrators"):
        glossary.delete(EDITOR, proposed.id)
    with pytest.raises(Forbidden, match="administrators"):
        glossary.approve(EDITOR, proposed.id)
    with pytest.raises(Forbidden, match="editors and administrators"):
        glossary.add(VIEWER, _entry("a", "b"))
    assert glossary.delete(ADMIN, proposed.id).id == proposed.id
    assert glossary.listing()[0] == 0


def test_one_concept_is_one_entry(glossary: GlossaryStore) -> None:
    first = glossary.add(ADMIN, _entry("Bộ Ngoại giao", "Ministry of Foreign Affairs"))
    with pytest.raises(Conflict, match=f"entry {first.id}"):
        glossary.add(ADMIN, _entry("bộ ngoại giao", "Foreign Ministry"))
    other = glossary.add(ADMIN, _entry("Bộ Y tế", "Ministry of Health"))
    with pytest.raises(Conflict, match="already the concept"):
        glossary.update(ADMIN, other.id, _entry("Bộ Y tế", "Ministry of Foreign Affairs"))
    # "ban" and "bàn" are different words: accents count for identity
    glossary.add(ADMIN, _entry("ban", "board"))
    glossary.add(ADMIN, _entry("bàn", "table"))


CSV = (
    "vi,en,en_forbidden,domain,status\n"
    "Bộ Ngoại giao,Ministry of Foreign Affairs,,Đối ngoại,\n"
    ",,,,\n"
    "Bộ Y tế,,,,proposed\n"
    ",,Orphan,,\n"
    "hòa bình,peace,,,weird\n"
    "Bộ Công an,Ministry of Public Security,Police Ministry,,\n"
)


def test_csv_import_keeps_good_rows_and_names_bad_ones(glossary: GlossaryStore) -> None:
    glossary.add(ADMIN, _entry("Bộ Ngoại giao", "Foreign Ministry"))
    report = glossary.import_file(ADMIN, CSV.encode(), origin="terms.csv")
    assert (report.added, report.updated, report.unchanged) == (2, 1, 0)
    assert [(r.origin, r.reason) for r in report.rejected] == [
        ("terms.csv:5", "bad_entry"),
        ("terms.csv:6", "bad_entry"),
    ]
    assert "preferred term" in report.rejected[0].detail and "unknown status" in report.rejected[1].detail
    assert report.as_dict()["rejected"][1]["where"] == "terms.csv:6"
    _, page = glossary.listing(q="bo ngoai giao")
    assert len(page) == 1 and page[0].entry.preferred("en").text == "Ministry of Foreign Affairs"  # type: ignore[union-attr]
    again = glossary.import_file(ADMIN, CSV.encode(), origin="terms.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert glossary.listing()[0] == 3


def test_editor_imports_are_proposals_and_cannot_touch_approved_entries(glossary: GlossaryStore) -> None:
    glossary.add(ADMIN, _entry("Bộ Ngoại giao", "Foreign Ministry"))
    report = glossary.import_file(EDITOR, CSV.encode(), origin="terms.csv")
    assert (report.added, report.updated) == (2, 0)
    assert [r.reason for r in report.rejected] == ["bad_entry", "bad_entry", "refused"]
    assert "Bộ Ngoại giao" in report.rejected[2].detail and "only administrators" in report.rejected[2].detail
    assert glossary.listing(status="proposed")[0] == 2
    with pytest.raises(Forbidden):
        glossary.import_file(VIEWER, CSV.encode(), origin="terms.csv")


def test_unusable_files_raise_with_the_file_name(glossary: GlossaryStore) -> None:
    with pytest.raises(EmptyInput, match=r"empty\.csv"):
        glossary.import_file(ADMIN, b"  ", origin="empty.csv")
    with pytest.raises(MalformedInput, match=r"bad\.csv.*unknown column"):
        glossary.import_file(ADMIN, b"vi,colour\nx,y\n", origin="bad.csv")
    with pytest.raises(NewsdeskError, match="unknown glossary format"):
        glossary_format("terms.xlsx")


@pytest.mark.parametrize("fmt", ["csv", "tbx"])
def test_export_and_import_round_trip(glossary: GlossaryStore, any_store: Store, fmt: str) -> None:
    for entry in sample_entries():
        glossary.add(ADMIN, entry)
    data = glossary.export(fmt)  # type: ignore[arg-type]
    assert glossary.import_file(ADMIN, data, origin=f"g.{fmt}").unchanged == 6
    with any_store.engine.begin() as conn:
        conn.execute(delete(GlossaryEntryRow))
    report = glossary.import_file(ADMIN, data, origin=f"g.{fmt}")
    assert report.added == 6 and not report.rejected
    assert sorted(map(repr, (s.entry for s in glossary.entries()))) == sorted(map(repr, sample_entries()))
    approved = glossary.export(fmt, status="approved")  # type: ignore[arg-type]
    assert b"Vietnam News Agency" in data and b"Vietnam News Agency" not in approved


def test_the_glossary_is_cached_until_something_changes(glossary: GlossaryStore, any_store: Store) -> None:
    glossary.add(ADMIN, _entry("Bộ Y tế", "Ministry of Health"))
    first = glossary.glossary()
    assert glossary.glossary() is first and GlossaryStore(any_store.engine).glossary() is first
    glossary.add(ADMIN, _entry("Bộ Công an", "Ministry of Public Security"))
    second = glossary.glossary()
    assert second is not first and len(second) == 2
    with any_store.engine.begin() as conn:  # another process writes behind our back
        terms = [{"lang": "vi", "text": "Bộ Tư pháp", "usage": TermUsage.PREFERRED.value}]
        conn.execute(insert(GlossaryEntryRow).values(terms=terms, status="approved"))
    assert len(glossary.glossary()) == 3


def _unit(source: str, target: str, src: str = "vi", tgt: str = "en") -> TranslationUnit:
    return TranslationUnit(src, tgt, source, target, "tests", WHEN)


def test_memory_units_round_trip_without_duplicates(memory: MemoryStore) -> None:
    units = [
        _unit("Xin chào.", "Hello."),
        _unit("Cảm ơn.", "Thank you."),
        _unit("Merci.", "Cảm ơn.", "fr", "vi"),
    ]
    assert memory.add([*units, units[0]]) == 3
    assert memory.add(units) == 0
    assert MemoryStore(memory.engine).units() == units
    assert [(p.source_lang, p.target_lang, p.units) for p in memory.pairs()] == [
        ("vi", "en", 2),
        ("fr", "vi", 1),
    ]
    assert memory.size() == 3 and memory.units("fr") == units[2:]


def test_tmx_import_export_and_lookup_both_ways(memory: MemoryStore) -> None:
    data = export_tmx([_unit("Bộ Ngoại giao ủng hộ hòa bình.", "The ministry supports peace.")])
    broken = data.replace(b"</body>", b'<tu><tuv xml:lang="vi"><seg>Alone.</seg></tuv></tu></body>')
    report = memory.import_tmx(broken, origin="old.tmx")
    assert (report.added, report.unchanged) == (1, 0)
    assert [r.reason for r in report.rejected] == ["bad_tu"] and report.rejected[0].origin.startswith(
        "old.tmx:"
    )
    assert memory.import_tmx(data, origin="old.tmx").unchanged == 1
    exact = memory.lookup("Bộ Ngoại giao ủng hộ hòa bình.", "vi", "en")
    assert exact[0].score == 100.0 and exact[0].target == "The ministry supports peace."
    fuzzy = memory.lookup("Bộ Ngoại giao ủng hộ hoà bình lâu dài.", "vi", "en")
    assert 75 <= fuzzy[0].score < 100
    reverse = memory.lookup("The ministry supports peace.", "en", "vi")
    assert reverse[0].reverse and reverse[0].target.startswith("Bộ Ngoại giao")
    assert memory.import_tmx(memory.export_tmx(), origin="again.tmx").unchanged == 1


def test_the_memory_is_cached_per_pair(memory: MemoryStore) -> None:
    memory.add([_unit("Xin chào.", "Hello.")])
    first = memory.memory("vi", "en")
    assert memory.memory("en", "vi") is first and len(first) == 1
    memory.add([_unit("Bonjour.", "Xin chào.", "fr", "vi")])
    assert memory.memory("vi", "en") is first, "another pair changed"
    memory.add([_unit("Cảm ơn.", "Thank you.")])
    assert memory.memory("vi", "en") is not first and len(memory.memory("vi", "en")) == 2
