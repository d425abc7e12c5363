"""Glossary import and export: CSV (spreadsheets) and TBX (terminology tools).

Both round trips are lossless: ``import(export(entries)).items == entries``.

**CSV** (UTF-8 with or without BOM; ``,``, ``;`` or tab — the delimiter of the
header line wins, so French and Vietnamese Excel exports read as is). One row
per concept; the header names the columns, in any order, case-insensitive:

=================  ==========================================================
``vi``, ``en`` …   the preferred term in that language (ISO 639-1 code)
``en_admitted``    accepted variants, several separated by ``|``
``en_forbidden``   variants that must not be used, separated by ``|``
``note``           free text
``domain``         a label (``Đối ngoại``)
``status``         ``approved`` (also when blank) or ``proposed``
=================  ==========================================================

An unknown or repeated column makes the whole file :class:`MalformedInput`; a bad
row (no term, admitted variants without a preferred term, unknown status, too
many cells) is reported and the other rows are kept. Export writes a BOM by
default, because that is what makes Excel open UTF-8 as UTF-8.

**TBX** (v2 ``<martif>`` as TBX-Basic writes it, also read: TBX v3 ``<tbx>``
with ``conceptEntry/langSec/termSec``). Mapping::

    termEntry                                   TermEntry
      descrip type="subjectField"               .domain
      admin type="elementWorkingStatus"         .status  finalizedElement ↔ approved,
                                                         workingElement ↔ proposed
      note                                      .note
      langSet xml:lang="en"                     Term.lang (``en-US`` → ``en``)
        tig/term                                Term.text
        tig/termNote type="administrativeStatus"  Term.usage: preferredTerm-admn-sts,
                                                  admittedTerm-admn-sts, deprecatedTerm-admn-sts
                                                  (↔ forbidden; supersededTerm- reads as forbidden)

A term without a status is the preferred one when its langSet has none, else
admitted; empty ``<term/>`` placeholders (some tools write them) are skipped.

We parse with lxml rather than translate-toolkit's ``tbxfile``: that class
models a source/target *pair* of one unit, while a concept here has any number
of languages plus entry-level status and domain. The tests check that
translate-toolkit reads what we write and that we read what it writes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from newsdesk.errors import MalformedInput
from newsdesk.translate._importing import (
    ImportResult,
    Source,
    decode_utf8,
    lang_of,
    localname,
    parse_xml,
    read_source,
)
from newsdesk.translate.glossary import EntryStatus, Term, TermEntry, TermUsage

__all__ = ["export_glossary_csv", "export_glossary_tbx", "import_glossary_csv", "import_glossary_tbx"]

# --- CSV ---------------------------------------------------------------------------------------

_FIELDS = ("note", "domain", "status")
_LANG_COLUMN = re.compile(r"([a-z]{2})(?:_(admitted|forbidden))?")
_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    lang: str = ""
    usage: TermUsage | None = None


def import_glossary_csv(source: Source, *, origin: str | None = None) -> ImportResult[TermEntry]:
    """The entries of a glossary CSV; bad rows are in ``rejected`` (see the module docstring)."""
    data, name = read_source(source, origin)
    text = decode_utf8(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    result: ImportResult[TermEntry] = ImportResult(name)
    try:
        columns = _header(next(reader, []), name)
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                _need_language(columns, name)
                _add_row(result, columns, row, line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise MalformedInput(name, f"line {reader.line_num}: {exc}", reason="malformed_csv") from exc
    return result


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count)


def _header(cells: list[str], origin: str) -> list[_Column]:
    columns = [_column(cell.strip().lower(), origin) for cell in cells]
    names = [column.name for column in columns]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise MalformedInput(origin, f"column(s) {', '.join(repeated)} appear twice", reason="bad_header")
    return columns


def _need_language(columns: list[_Column], origin: str) -> None:
    """A file with rows needs a language column (an empty glossary needs none)."""
    if not any(column.usage is TermUsage.PREFERRED for column in columns):
        raise MalformedInput(origin, "no language column (vi, en, fr …) in the header", reason="bad_header")


def _column(name: str, origin: str) -> _Column:
    if name in _FIELDS:
        return _Column(name)
    match = _LANG_COLUMN.fullmatch(name)
    if match is None:
        expected = "a language code (vi, en …), <code>_admitted, <code>_forbidden, note, domain, status"
        raise MalformedInput(origin, f"unknown column {name!r}; expected {expected}", reason="bad_header")
    return _Column(name, match[1], TermUsage(match[2] or "preferred"))


def _add_row(result: ImportResult[TermEntry], columns: list[_Column], row: list[str], line: int) -> None:
    if len(row) > len(columns):
        result.reject(line, f"{len(row)} cells but {len(columns)} columns", "bad_row")
        return
    cells = dict(zip((c.name for c in columns), row, strict=False))
    try:
        terms = tuple(_row_terms(columns, cells))
        status = _csv_status(cells.get("status", ""))
        entry = TermEntry(terms, status, cells.get("note", ""), cells.get("domain", "").strip())
    except ValueError as exc:
        result.reject(line, str(exc), "bad_entry")
        return
    result.items.append(entry)


def _csv_status(value: str) -> EntryStatus:
    """``approved`` when blank."""
    try:
        return EntryStatus(value.strip().lower() or EntryStatus.APPROVED)
    except ValueError:
        raise ValueError(f"unknown status {value!r} (approved or proposed)") from None


def _row_terms(columns: list[_Column], cells: dict[str, str]) -> Iterator[Term]:
    for column in columns:
        if column.usage is None:
            continue
        value = cells.get(column.name, "")
        parts = [value] if column.usage is TermUsage.PREFERRED else value.split(_SEPARATOR)
        for part in parts:
            if part.strip():
                yield Term(column.lang, part.strip(), column.usage)


def export_glossary_csv(
    entries: Iterable[TermEntry], *, languages: Sequence[str] | None = None, bom: bool = True
) -> bytes:
    """A CSV of ``entries``; ``languages`` orders the language columns (default: sorted)."""
    entries = list(entries)
    columns = _export_columns(entries, languages)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for entry in entries:
        writer.writerow([_cell(entry, column) for column in columns])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def _export_columns(entries: list[TermEntry], languages: Sequence[str] | None) -> list[_Column]:
    present = {(t.lang, t.usage) for e in entries for t in e.terms}
    order = list(languages or ())
    order += sorted({lang for lang, _ in present} - set(order))
    columns = []
    for lang in order:
        for usage in TermUsage:
            if usage is TermUsage.PREFERRED or (lang, usage) in present:
                suffix = "" if usage is TermUsage.PREFERRED else f"_{usage}"
                columns.append(_Column(lang + suffix, lang, usage))
    return columns + [_Column(name) for name in _FIELDS]


def _cell(entry: TermEntry, column: _Column) -> str:
    if column.usage is None:
        return str(getattr(entry, column.name))
    return f" {_SEPARATOR} ".join(term.text for term in entry.in_lang(column.lang, column.usage))


# --- TBX ---------------------------------------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ENTRY_TAGS = frozenset({"termEntry", "conceptEntry"})
_LANG_TAGS = frozenset({"langSet", "langSec"})
_TERM_TAGS = frozenset({"tig", "ntig", "termSec"})
_USAGE_OUT = {
    TermUsage.PREFERRED: "preferredTerm-admn-sts",
    TermUsage.ADMITTED: "admittedTerm-admn-sts",
    TermUsage.FORBIDDEN: "deprecatedTerm-admn-sts",
}
_USAGE_IN = {
    "preferred": TermUsage.PREFERRED,
    "admitted": TermUsage.ADMITTED,
    "deprecated": TermUsage.FORBIDDEN,
    "superseded": TermUsage.FORBIDDEN,
    "forbidden": TermUsage.FORBIDDEN,
}
_STATUS_OUT = {EntryStatus.APPROVED: "finalizedElement", EntryStatus.PROPOSED: "workingElement"}
_STATUS_IN = {"finalizedelement": EntryStatus.APPROVED, "approved": EntryStatus.APPROVED}
_STATUS_IN |= {s: EntryStatus.PROPOSED for s in ("starterelement", "workingelement", "consolidatedelement")}
_STATUS_IN["proposed"] = EntryStatus.PROPOSED
_STATUS_TYPES = ("elementWorkingStatus", "x-status")
_LINE_BREAKS = re.compile(r"\s*[\n\r]+\s*")


def import_glossary_tbx(source: Source, *, origin: str | None = None) -> ImportResult[TermEntry]:
    """The concept entries of a TBX file; bad entries are in ``rejected``."""
    data, name = read_source(source, origin)
    root = parse_xml(data, name, ("martif", "tbx"))
    result: ImportResult[TermEntry] = ImportResult(name)
    for element in root.iter():
        if localname(element) in _ENTRY_TAGS:
            try:
                result.items.append(_entry_from_xml(element))
            except ValueError as exc:
                result.reject(element.sourceline, str(exc), "bad_entry")
    return result


def _entry_from_xml(element: etree._Element) -> TermEntry:
    meta = list(_metadata(element))
    domain = next((text for tag, kind, text in meta if tag == "descrip" and kind == "subjectField"), "")
    notes = [text for tag, _, text in meta if tag == "note"]
    status = next((text for tag, kind, text in meta if tag == "admin" and kind in _STATUS_TYPES), "")
    terms = [term for child in element if localname(child) in _LANG_TAGS for term in _lang_terms(child)]
    if not terms:
        raise ValueError("a concept entry without any term")
    return TermEntry(tuple(terms), _entry_status(status), "\n".join(notes), domain.strip())


def _metadata(element: etree._Element) -> Iterator[tuple[str, str, str]]:
    """``(tag, type, text)`` of the children of ``element`` and of its ``*Grp`` children."""
    for child in element:
        tag = localname(child)
        if tag.endswith("Grp"):
            yield from _metadata(child)
        elif tag:
            yield tag, child.get("type", ""), "".join(child.itertext())


def _entry_status(value: str) -> EntryStatus:
    if not value.strip():
        return EntryStatus.APPROVED
    try:
        return _STATUS_IN[value.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown entry status {value!r}") from None


def _lang_terms(langset: etree._Element) -> list[Term]:
    lang = lang_of(langset)
    if not lang:
        raise ValueError(f"<{localname(langset)}> without xml:lang")
    found = [_term_text_and_usage(c) for c in langset if localname(c) in _TERM_TAGS]
    found = [(text, usage) for text, usage in found if text]
    has_preferred = any(usage is TermUsage.PREFERRED for _, usage in found)
    terms = []
    for text, usage in found:
        if usage is None:
            usage = TermUsage.ADMITTED if has_preferred else TermUsage.PREFERRED
            has_preferred = True
        terms.append(Term(lang, text, usage))
    return terms


def _term_text_and_usage(container: etree._Element) -> tuple[str, TermUsage | None]:
    text, status = "", None
    for node in container.iter():
        tag = localname(node)
        if tag == "term" and not text:
            text = _LINE_BREAKS.sub(" ", "".join(node.itertext()).strip())
        elif tag == "termNote" and node.get("type") == "administrativeStatus":
            status = "".join(node.itertext())
    return text, None if status is None else _usage(status)


def _usage(value: str) -> TermUsage:
    word = value.strip().lower().removesuffix("-admn-sts").removesuffix("term")
    try:
        return _USAGE_IN[word]
    except KeyError:
        raise ValueError(f"unknown administrativeStatus {value!r}") from None


def export_glossary_tbx(entries: Iterable[TermEntry], *, lang: str = "vi") -> bytes:
    """A TBX-Basic (``martif``) document of ``entries``; ``lang`` is the document's xml:lang."""
    root = etree.Element("martif", {"type": "TBX-Basic", _XML_LANG: lang})
    header = etree.SubElement(etree.SubElement(root, "martifHeader"), "fileDesc")
    etree.SubElement(etree.SubElement(header, "sourceDesc"), "p").text = "newsdesk glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(entries, 1):
        body.append(_entry_to_xml(entry, f"c{number}"))
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _entry_to_xml(entry: TermEntry, ident: str) -> etree._Element:
    element = etree.Element("termEntry", id=ident)
    if entry.domain:
        etree.SubElement(element, "descrip", type="subjectField").text = entry.domain
    etree.SubElement(element, "admin", type="elementWorkingStatus").text = _STATUS_OUT[entry.status]
    if entry.note:
        etree.SubElement(element, "note").text = entry.note
    for lang in entry.languages:
        langset = etree.SubElement(element, "langSet", {_XML_LANG: lang})
        for term in entry.in_lang(lang):
            tig = etree.SubElement(langset, "tig")
            etree.SubElement(tig, "term").text = term.text
            note = etree.SubElement(tig, "termNote", type="administrativeStatus")
            note.text = _USAGE_OUT[term.usage]
    return element
