"""TMX 1.4 import and export of translation units.

Reading (lxml with the safe parser; translate-toolkit's ``tmxfile`` reads one
source/target pair per ``tu``, while a ``tu`` here may hold many languages):

* every ``<tu>`` with ``srclang`` (or the header's) gives one unit per *other*
  ``<tuv>``: ``srclang → that language``. With ``srclang="*all*"`` the first
  ``<tuv>`` is the source. Language tags are cut to ISO 639-1 (``en-US`` → ``en``);
* ``<seg>`` text is read with its inline markup's *content* left out
  (``<bpt>``, ``<ept>``, ``<ph>``, ``<it>`` hold native codes such as ``<b>``)
  while ``<hi>``/``<sub>`` text is kept;
* ``created`` is the ``tu``'s ``creationdate``, else the header's, else now;
  ``origin`` is the ``<prop type="x-origin">`` of the ``tu``, else
  ``default_origin`` (by default the file name);
* a ``tu`` that gives no unit (one language, no source ``tuv``, an empty
  segment, a bad date) is reported in ``rejected`` with its line; the rest are
  kept.

Writing groups *consecutive* units that share source language, source text,
origin and date into one multilingual ``<tu>`` (one ``<tuv>`` per target
language), so ``import_tmx(export_tmx(units)).items == units``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from lxml import etree

from newsdesk.errors import MalformedInput
from newsdesk.translate._importing import ImportResult, Source, lang_of, localname, parse_xml, read_source
from newsdesk.translate.memory import TranslationUnit

__all__ = ["export_tmx", "import_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE = "%Y%m%dT%H%M%SZ"
_NATIVE_CODE = frozenset({"bpt", "ept", "ph", "it", "ut"})
_ORIGIN_PROP = "x-origin"


def import_tmx(
    source: Source, *, origin: str | None = None, default_origin: str | None = None
) -> ImportResult[TranslationUnit]:
    """The translation units of a TMX file; bad ``tu``s are in ``rejected``."""
    data, name = read_source(source, origin)
    root = parse_xml(data, name, ("tmx",))
    header = next((child for child in root if localname(child) == "header"), None)
    try:
        defaults = _Defaults(header, name if default_origin is None else default_origin)
    except ValueError as exc:
        raise MalformedInput(name, f"<header>: {exc}", reason="bad_header") from exc
    result: ImportResult[TranslationUnit] = ImportResult(name)
    for tu in root.iter():
        if localname(tu) == "tu":
            try:
                result.items.extend(_units(tu, defaults))
            except ValueError as exc:
                result.reject(tu.sourceline, str(exc), "bad_tu")
    return result


class _Defaults:
    """What the header gives every ``tu``: source language, date, origin."""

    def __init__(self, header: etree._Element | None, origin: str) -> None:
        self.srclang = "" if header is None else header.get("srclang", "")
        date = "" if header is None else header.get("creationdate", "")
        self.created = _parse_date(date) if date else datetime.now(UTC)
        self.origin = origin


def _units(tu: etree._Element, defaults: _Defaults) -> Iterator[TranslationUnit]:
    variants = [(lang_of(tuv), _segment(tuv)) for tuv in tu if localname(tuv) == "tuv"]
    if any(not lang for lang, _ in variants):
        raise ValueError("a <tuv> without xml:lang")
    if len({lang for lang, _ in variants}) < 2:
        raise ValueError("a <tu> needs segments in two languages")
    source_lang, source_text = _source_variant(tu.get("srclang") or defaults.srclang, variants)
    date = tu.get("creationdate")
    created = _parse_date(date) if date else defaults.created
    origin = _origin(tu, defaults.origin)
    for lang, text in variants:
        if lang != source_lang:
            yield TranslationUnit(source_lang, lang, source_text, text, origin, created)


def _source_variant(srclang: str, variants: list[tuple[str, str]]) -> tuple[str, str]:
    if not srclang or srclang.strip().lower() == "*all*":
        return variants[0]
    wanted = srclang.split("-")[0].split("_")[0].lower()
    sources = [variant for variant in variants if variant[0] == wanted]
    if len(sources) != 1:
        raise ValueError(f"srclang {srclang!r} matches {len(sources)} <tuv> elements, expected 1")
    return sources[0]


def _segment(tuv: etree._Element) -> str:
    seg = next((child for child in tuv if localname(child) == "seg"), None)
    if seg is None:
        raise ValueError("a <tuv> without <seg>")
    return "".join(_seg_text(seg))


def _seg_text(element: etree._Element) -> Iterator[str]:
    """The text of ``element`` without the native codes of its inline markup."""
    if element.text:
        yield element.text
    for child in element:
        if localname(child) not in _NATIVE_CODE:
            yield from _seg_text(child)
        if child.tail:
            yield child.tail


def _origin(tu: etree._Element, default: str) -> str:
    for prop in tu:
        if localname(prop) == "prop" and prop.get("type") == _ORIGIN_PROP:
            return prop.text or ""
    return default


def _parse_date(value: str) -> datetime:
    try:
        return datetime.strptime(value.strip(), _DATE).replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"creationdate {value!r} is neither TMX (YYYYMMDDThhmmssZ) nor ISO 8601") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def export_tmx(units: Iterable[TranslationUnit]) -> bytes:
    """A TMX 1.4 document of ``units`` (see the module docstring for the grouping)."""
    groups = list(_groups(units))
    languages = {group[0].source_lang for group in groups}
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="newsdesk",
        creationtoolversion="1",
        segtype="sentence",
        adminlang="en",
        srclang=languages.pop() if len(languages) == 1 else "*all*",
        datatype="plaintext",
        **{"o-tmf": "newsdesk"},
    )
    body = etree.SubElement(root, "body")
    for group in groups:
        body.append(_tu(group))
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _groups(units: Iterable[TranslationUnit]) -> Iterator[list[TranslationUnit]]:
    group: list[TranslationUnit] = []
    for unit in units:
        if group and not _same_tu(group, unit):
            yield group
            group = []
        group.append(unit)
    if group:
        yield group


def _same_tu(group: list[TranslationUnit], unit: TranslationUnit) -> bool:
    first = group[0]
    shared = (first.source_lang, first.source, first.origin, first.created)
    return shared == (unit.source_lang, unit.source, unit.origin, unit.created) and all(
        other.target_lang != unit.target_lang for other in group
    )


def _tu(group: list[TranslationUnit]) -> etree._Element:
    first = group[0]
    tu = etree.Element("tu", srclang=first.source_lang, creationdate=first.created.strftime(_DATE))
    etree.SubElement(tu, "prop", type=_ORIGIN_PROP).text = first.origin
    _tuv(tu, first.source_lang, first.source)
    for unit in group:
        _tuv(tu, unit.target_lang, unit.target)
    return tu


def _tuv(tu: etree._Element, lang: str, text: str) -> None:
    tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
    etree.SubElement(tuv, "seg").text = text
