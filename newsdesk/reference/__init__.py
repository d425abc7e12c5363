"""Reference data: Vietnam's provinces before and after 2025, organisations, titles, places.

The data lives in ``newsdesk/reference/data/*.tsv``; each file's header comment names
its source. It is read once, on first use, and shared.

* **Provinces.** The 63 provincial-level units before 1 July 2025 and the 34 after it
  (Nghị quyết 202/2025/QH15), with the mapping between them::

      find_province("Hoà Binh").id                    # "pre2025/17" (accents optional)
      [p.name for p in province_successor("Hòa Bình")]  # ["Phú Thọ"]
      find_province("TP.HCM").name                    # "Hồ Chí Minh" (the 2025 unit)

  A name that exists in both eras resolves to the 2025 unit in :func:`find_province`
  and to the pre-2025 unit in :func:`province_successor` (which maps old to new).
* **Organisations** with Vietnamese and English names, acronyms and aliases, and the
  2025 successions between them (one predecessor may have several successors)::

      organisation("Ban Tuyên giáo TƯ").id            # "ban-tuyen-giao-tw"
      [s.successor for s in successors("bo-tt-tt")]    # ["bo-kh-cn", "bo-vh-tt-dl"]
* **Titles** (positions and ranks) in Vietnamese and English: ``title("Deputy Prime
  Minister").title`` → ``"Phó Thủ tướng"``.
* **Places** that are not provinces (countries, seas, a few cities), the Vietnamese
  **surnames** the person-name patterns start from, and the **name cues** around them
  (honorifics, words that make a name a street).

Lookups by name are accent-, case- and punctuation-spacing-insensitive
(:func:`alias_key`). Unknown names give ``None`` or an empty list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from newsdesk.reference._records import (
    Era,
    Organisation,
    Place,
    Province,
    Succession,
    SuccessionKind,
    Title,
)
from newsdesk.reference._tables import (
    alias_key,
    read_merger,
    read_name_cues,
    read_organisations,
    read_places,
    read_provinces,
    read_successions,
    read_surnames,
    read_titles,
    spellings,
)

__all__ = [
    "Era",
    "Organisation",
    "Place",
    "Province",
    "Succession",
    "SuccessionKind",
    "Title",
    "alias_key",
    "find_place",
    "find_province",
    "name_cues",
    "organisation",
    "organisations",
    "places",
    "predecessors",
    "province_predecessors",
    "province_successor",
    "provinces",
    "successors",
    "surnames",
    "title",
    "titles",
]


_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Reference:
    """Everything read from the data files, with its lookup indexes."""

    provinces: dict[Era, list[Province]]
    province_ids: dict[str, Province]
    province_index: dict[str, list[Province]]
    merger: dict[str, str]
    places: list[Place]
    place_index: dict[str, Place]
    organisations: dict[str, Organisation]
    organisation_index: dict[str, Organisation]
    successions: list[Succession]
    titles: dict[str, Title]
    title_index: dict[str, Title]
    surnames: tuple[str, ...]
    name_cues: dict[tuple[str, str], tuple[str, ...]]


def _province_index(all_provinces: list[Province]) -> dict[str, list[Province]]:
    """Alias key → provinces, 2025 units first (``all_provinces`` lists them first)."""
    index: dict[str, list[Province]] = defaultdict(list)
    for province in all_provinces:
        for name in province.names:
            entries = index[alias_key(name)]
            if province not in entries:
                entries.append(province)
    return dict(index)


def _first_index(items: list[_T], names: dict[int, tuple[str, ...]]) -> dict[str, _T]:
    """Alias key → the first item (in file order) known by that name."""
    index: dict[str, _T] = {}
    for position, item in enumerate(items):
        for name in names[position]:
            for spelling in spellings(name):
                index.setdefault(alias_key(spelling), item)
    return index


def _title_names(title: Title) -> tuple[str, ...]:
    return (title.title, title.title_en, *(alias for alias, _ in title.aliases_vi + title.aliases_en))


@cache
def _reference() -> _Reference:
    eras: dict[Era, list[Province]] = {"2025": read_provinces("2025"), "pre2025": read_provinces("pre2025")}
    every = eras["2025"] + eras["pre2025"]
    place_list = read_places()
    org_list = read_organisations()
    title_list = read_titles()
    return _Reference(
        provinces=eras,
        province_ids={province.id: province for province in every},
        province_index=_province_index(every),
        merger=read_merger(),
        places=place_list,
        place_index=_first_index(place_list, {i: p.names for i, p in enumerate(place_list)}),
        organisations={org.id: org for org in org_list},
        organisation_index=_first_index(org_list, {i: org.names for i, org in enumerate(org_list)}),
        successions=read_successions(),
        titles={title.title: title for title in title_list},
        title_index=_first_index(title_list, {i: _title_names(t) for i, t in enumerate(title_list)}),
        surnames=tuple(read_surnames()),
        name_cues=read_name_cues(),
    )


def provinces(era: Era = "2025") -> list[Province]:
    """The provincial-level units of ``era``: 34 for ``"2025"``, 63 for ``"pre2025"``."""
    return list(_reference().provinces[era])


def find_province(alias: str, era: Era | None = None) -> Province | None:
    """The province called ``alias`` (name, English name, alias, or id like ``"2025/25"``).

    Accent-, case- and spacing-insensitive. Without ``era``, a name used in both eras
    gives the 2025 unit. With ``era``, a bare code (``"17"``) is accepted too.
    """
    ref = _reference()
    if alias in ref.province_ids:
        return ref.province_ids[alias]
    if era is not None and f"{era}/{alias}" in ref.province_ids:
        return ref.province_ids[f"{era}/{alias}"]
    candidates = ref.province_index.get(alias_key(alias), [])
    return next((p for p in candidates if era is None or p.era == era), None)


def _old_province(name_or_code: str) -> Province | None:
    """The pre-2025 unit named or coded ``name_or_code``; a 2025 unit when only that matches."""
    return find_province(name_or_code, "pre2025") or find_province(name_or_code)


def province_successor(name_or_code: str) -> list[Province]:
    """The 2025 unit(s) a province became part of on 1 July 2025.

    ``name_or_code`` is a pre-2025 name, code (``"17"``) or id; a 2025 unit is its own
    successor. Unknown names give ``[]``.
    """
    province = _old_province(name_or_code)
    if province is None:
        return []
    if province.era == "2025":
        return [province]
    return [_reference().province_ids[f"2025/{_reference().merger[province.code]}"]]


def province_predecessors(name_or_code: str) -> list[Province]:
    """The pre-2025 units merged into a 2025 unit (itself alone when it was unchanged)."""
    province = find_province(name_or_code, "2025")
    if province is None:
        return []
    ref = _reference()
    return [ref.province_ids[f"pre2025/{old}"] for old, new in ref.merger.items() if new == province.code]


def places() -> list[Place]:
    """Countries, territories, seas and well-known places that are not provinces."""
    return list(_reference().places)


def find_place(alias: str) -> Place | None:
    """The non-province place called ``alias`` (an ISO code like ``"VN"`` works too)."""
    ref = _reference()
    by_id = next((place for place in ref.places if place.id == alias), None)
    return by_id or ref.place_index.get(alias_key(alias))


def organisations() -> list[Organisation]:
    """Every organisation, in file order."""
    return list(_reference().organisations.values())


def organisation(alias: str) -> Organisation | None:
    """The organisation with id or name ``alias`` (Vietnamese, English, acronym or alias)."""
    ref = _reference()
    return ref.organisations.get(alias) or ref.organisation_index.get(alias_key(alias))


def _org_id(org_id_or_alias: str) -> str:
    found = organisation(org_id_or_alias)
    return found.id if found else org_id_or_alias


def successors(org_id: str) -> list[Succession]:
    """How ``org_id`` (or a name of it) continued: the successions it is the predecessor of."""
    wanted = _org_id(org_id)
    return [s for s in _reference().successions if s.predecessor == wanted]


def predecessors(org_id: str) -> list[Succession]:
    """The successions ``org_id`` (or a name of it) is the successor of."""
    wanted = _org_id(org_id)
    return [s for s in _reference().successions if s.successor == wanted]


def titles() -> list[Title]:
    """Every title and rank, in file order."""
    return list(_reference().titles.values())


def title(alias: str) -> Title | None:
    """The title written ``alias`` in Vietnamese or English (``"Deputy PM"`` → Phó Thủ tướng)."""
    ref = _reference()
    return ref.titles.get(alias) or ref.title_index.get(alias_key(alias))


def surnames() -> tuple[str, ...]:
    """Vietnamese family names as written (``"Nguyễn"``, ``"Trần"`` …), most frequent first."""
    return _reference().surnames


def name_cues(kind: str, language: str) -> tuple[str, ...]:
    """Words around person names (``name_cues.tsv``): ``kind`` is ``"honorific"``,
    ``"not_person"`` or ``"not_name"``; ``language`` ``"vi"`` or ``"en"``."""
    return _reference().name_cues.get((kind, language), ())
