"""Reading the reference data files in ``newsdesk/reference/data/`` into records.

Every file is UTF-8 TSV: ``#`` comment lines first (they name the source), then a
header row, then one record a line. Lists inside a cell are separated by `` | ``.
A malformed file is a packaging error: :class:`~newsdesk.errors.ConfigError` names
the file and line.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import cast

from newsdesk.errors import ConfigError
from newsdesk.reference._records import (
    Era,
    Organisation,
    Place,
    Province,
    Succession,
    SuccessionKind,
    Title,
)
from newsdesk.text.fold import fold

__all__ = [
    "alias_key",
    "read_merger",
    "read_name_cues",
    "read_organisations",
    "read_places",
    "read_provinces",
    "read_successions",
    "read_surnames",
    "read_table",
    "read_titles",
    "spellings",
]

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")
_APOSTROPHES = str.maketrans("’‘`´", "''''")
_CONJUNCTION = re.compile(r" (?:và|and) (?=(\w))")
_SUCCESSION_KINDS = ("merged", "renamed", "function_moved")


def alias_key(text: str) -> str:
    """The lookup key of a name: folded tokens joined by one space.

    ``alias_key("TP. Hồ Chí Minh")`` → ``"tp . ho chi minh"``; ``"TP.HCM"`` and
    ``"TP. HCM"`` share the key ``"tp . hcm"``; ``’`` counts as ``'``.
    """
    return " ".join(_TOKEN.findall(fold(text.translate(_APOSTROPHES))))


def spellings(name: str) -> tuple[str, ...]:
    """``name`` and the abbreviations newsrooms write for it.

    ``"… Trung ương"`` is also written ``"… TW"`` and ``"… TƯ"``; ``"và"``/``"and"``
    between capitalised words also as ``"&"`` (``"Bộ Thông tin & Truyền thông"``).
    """
    forms = [name]
    if name.endswith(" Trung ương"):
        forms += [name[: -len("Trung ương")] + "TW", name[: -len("Trung ương")] + "TƯ"]
    for form in list(forms):
        ampersand = _CONJUNCTION.sub(_ampersand, form)
        if ampersand != form:
            forms.append(ampersand)
    return tuple(forms)


def _ampersand(match: re.Match[str]) -> str:
    return " & " if match[1].isupper() else match[0]


def read_table(name: str) -> list[dict[str, str]]:
    """The records of data file ``name`` as dicts keyed by the header row."""
    text = resources.files("newsdesk.reference").joinpath("data", name).read_text(encoding="utf-8")
    rows = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line and line[0] != "#"]
    if not rows:
        raise ConfigError(f"reference data {name}: no header row")
    header = rows[0][1].split("\t")
    return [_record(name, number, header, line) for number, line in rows[1:]]


def _record(name: str, number: int, header: list[str], line: str) -> dict[str, str]:
    cells = line.split("\t")
    if len(cells) != len(header):
        detail = f"{len(cells)} cells where the header has {len(header)}"
        raise ConfigError(f"reference data {name} line {number}: {detail}")
    return {column: cell.strip() for column, cell in zip(header, cells, strict=True)}


def _list(cell: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in cell.split(" | ") if item.strip())


def read_provinces(era: Era) -> list[Province]:
    """The provinces of ``era`` in file order."""
    name = "provinces_2025.tsv" if era == "2025" else "provinces_pre2025.tsv"
    return [
        Province(row["code"], row["name"], row["name_en"], row["type"], era, _list(row["aliases"]))
        for row in read_table(name)
    ]


def read_merger() -> dict[str, str]:
    """Pre-2025 province code → 2025 province code."""
    return {row["old_code"]: row["new_code"] for row in read_table("province_merger.tsv")}


def read_places() -> list[Place]:
    return [
        Place(
            row["id"],
            row["kind"],
            row["name"],
            row["name_en"],
            _list(row["aliases"]),
            _list(row["demonyms"]),
            row["province_2025"] or None,
        )
        for row in read_table("places.tsv")
    ]


def read_organisations() -> list[Organisation]:
    return [
        Organisation(
            row["id"],
            row["kind"],
            row["name"],
            row["name_en"],
            _list(row["acronyms"]),
            _list(row["aliases"]),
            row["since"],
            row["until"],
            row["source"],
        )
        for row in read_table("organisations.tsv")
    ]


def read_successions() -> list[Succession]:
    return [_succession(row) for row in read_table("successions.tsv")]


def _succession(row: dict[str, str]) -> Succession:
    if row["kind"] not in _SUCCESSION_KINDS:
        raise ConfigError(f"reference data successions.tsv: unknown kind {row['kind']!r}")
    kind = cast(SuccessionKind, row["kind"])
    return Succession(row["predecessor"], row["successor"], row["date"], kind, row["note"])


def read_titles() -> list[Title]:
    return [
        Title(
            row["title"],
            row["title_en"],
            row["kind"],
            _list(row["unit"]),
            row["org"] or None,
            row["foreign"] or None,
            _title_aliases(row["title"], row["aliases_vi"]),
            _title_aliases(row["title_en"], row["aliases_en"], own=False),
        )
        for row in read_table("positions.tsv")
    ]


def _title_aliases(title: str, cell: str, *, own: bool = True) -> tuple[tuple[str, str | None], ...]:
    """``"Foreign Minister=bo-ngoai-giao"`` → ``("Foreign Minister", "bo-ngoai-giao")``."""
    aliases: list[tuple[str, str | None]] = [(title, None)] if own else []
    for item in _list(cell):
        alias, _, org = item.partition("=")
        aliases.append((alias.strip(), org.strip() or None))
    return tuple(aliases)


def read_surnames() -> list[str]:
    return [row["surname"] for row in read_table("surnames.tsv")]


def read_name_cues() -> dict[tuple[str, str], tuple[str, ...]]:
    """``(kind, language)`` → the cue words of ``name_cues.tsv`` in file order."""
    cues: dict[tuple[str, str], list[str]] = {}
    for row in read_table("name_cues.tsv"):
        cues.setdefault((row["kind"], row["language"]), []).append(row["cue"])
    return {key: tuple(words) for key, words in cues.items()}
