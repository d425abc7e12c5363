"""The records of newsdesk's reference data: provinces, places, organisations, titles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Era", "Organisation", "Place", "Province", "Succession", "SuccessionKind", "Title"]

Era = Literal["2025", "pre2025"]
"""``"2025"``: the 34 units from 1 July 2025; ``"pre2025"``: the 63 units before."""

SuccessionKind = Literal["merged", "renamed", "function_moved"]


@dataclass(frozen=True, slots=True)
class Province:
    """A provincial-level unit (tỉnh or thành phố trực thuộc trung ương) of one era."""

    code: str
    name: str
    name_en: str
    type: str
    """``"tỉnh"`` or ``"thành phố"``."""
    era: Era
    aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """``"2025/25"`` (Phú Thọ after the merger), ``"pre2025/17"`` (Hòa Bình before it)."""
        return f"{self.era}/{self.code}"

    @property
    def full_name(self) -> str:
        """``"tỉnh Hòa Bình"``, ``"thành phố Huế"``."""
        return f"{self.type} {self.name}"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it is known by: name, full name, English name, aliases, ``"TP …"`` forms."""
        short = ("tp", "tp.") if self.type == "thành phố" else ()
        english = "city" if self.type == "thành phố" else "province"
        prefixed = tuple(f"{prefix} {self.name}" for prefix in short)
        english_forms = (self.name_en, f"{self.name_en} {english}")
        return (self.name, self.full_name, *prefixed, *english_forms, *self.aliases)


@dataclass(frozen=True, slots=True)
class Place:
    """A country, territory, sea, archipelago or well-known city that is not a province."""

    id: str
    kind: str
    name: str
    name_en: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    province_2025: str | None = None
    """The code in ``provinces_2025.tsv`` of the province a Vietnamese place lies in."""

    @property
    def names(self) -> tuple[str, ...]:
        """Name, English name and aliases (demonyms are not names)."""
        return (self.name, self.name_en, *self.aliases)


@dataclass(frozen=True, slots=True)
class Organisation:
    """A party, state, government, mass, press or international organisation."""

    id: str
    kind: str
    name: str
    name_en: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every written form: name, English name, acronyms and aliases."""
        return (self.name, self.name_en, *self.acronyms, *self.aliases)


@dataclass(frozen=True, slots=True)
class Succession:
    """``predecessor`` was merged into, renamed to, or passed functions to ``successor``."""

    predecessor: str
    successor: str
    date: str
    kind: SuccessionKind
    note: str = ""


@dataclass(frozen=True, slots=True)
class Title:
    """A title or position; ``title`` (Vietnamese) is its canonical id.

    ``units`` are the head words of the organisations it heads (``("Bộ", "Ministry of")``
    for Bộ trưởng; ``("@place",)`` for titles followed by a province). ``org`` is the
    organisation implied when none is written; ``foreign`` the title used for a foreign
    holder (Chủ tịch nước → Tổng thống). Aliases are ``(written form, implied org)``.
    """

    title: str
    title_en: str
    kind: str
    units: tuple[str, ...] = ()
    org: str | None = None
    foreign: str | None = None
    aliases_vi: tuple[tuple[str, str | None], ...] = ()
    aliases_en: tuple[tuple[str, str | None], ...] = ()
