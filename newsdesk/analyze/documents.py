"""Cited policy and legal documents: ``"Kết luận số 57-KL/TW ngày 15/6/2023"`` → one canonical id.

:func:`find_documents` finds the references to Party and state documents in a Vietnamese or
English text and reads each into a :class:`DocumentRef`: type, number, issuer, date and a
canonical id, with the character span of the reference in the original text.
:func:`merge_refs` keeps one reference per document within an article, and
:func:`canonical_id_of` gives the id of a reference a user typed.

Forms read (any case, with or without diacritics, any tone placement, any dash, the
spaced symbols of tokenized corpora such as ``"50 - NQ / TW"``):

* type word, ``số`` / ``No.``, number, then a symbol: Party form ``57-KL/TW``, ``16-KL/TƯ``
  (number-TYPE/ISSUER), state form ``47/NQ-CP``, ``13/2023/NĐ-CP``, ``1457/BGDĐT-HTQT``
  (number[/year]/[TYPE-]ISSUER[-UNIT]), or number/year ``111/2023``;
* then, in either order, a date (``ngày 15/6/2023``, ``ngày 15 tháng 6 năm 2023``,
  ``dated June 15, 2023``, ``15 June 2023``, ``năm 2023``) and an issuing body
  (``của Bộ Chính trị khóa XI``, ``of the Government``); in English also before the type
  (``the Politburo's Conclusion 57``);
* a symbol alone (``thực hiện 57-KL/TW``) when it names a known type;
* laws by title and year: ``Luật Báo chí 2016``, ``Bộ luật Hình sự năm 2015``,
  ``Hiến pháp 2013``, ``Law on Press 2016``, ``the 2013 Constitution``.

What is *not* a reference: a type word without a number (``quyết định của Chính phủ``,
``the conclusion of the meeting``), ``số 57`` or ``Điều 5`` alone, and a type word followed by
a bare number for the types whose word is common (``Kết luận 3 đơn vị``, ``Thông báo 15
phút``: column ``bare`` of the type table) or followed by a counted noun (``quyết định 2 năm``).

Canonical ids: ``TYPE-NUMBER[-ISSUER][-PERIOD]`` — ``KL-57-TW``, ``NQ-47-CP-2024``,
``ND-13-CP-2023``, ``QD-1234-TTg``; laws ``LUAT-BAO-CHI-2016``, ``HP-2013``. Types and
issuers are the codes of ``data/document_types.tsv`` and ``data/document_issuers.tsv`` (TW
and TƯ are one issuer; an issuer not in the table keeps its written symbol in ASCII
capitals). Numbers lose their leading zeros (``Chỉ thị 05`` → ``CT-5``).

The period disambiguates numbers that restart:

* state documents (and Party documents of local bodies) are numbered per year, so the
  period is the year when the reference gives one (in the symbol, else in the date);
* the central Party bodies (``level = party_central``: Central Committee, Politburo,
  Secretariat, its commissions) number their documents per Party *term*, so the period is the
  term in Roman numerals — from ``khóa XI`` when written, else from the date or year and the
  dates of the Party congresses (:func:`party_term`). ``Kết luận 57-KL/TW ngày 15/6/2023`` and
  ``Kết luận 57-KL/TW của Bộ Chính trị khóa XIII`` are both ``KL-57-TW-XIII``;
  ``Hướng dẫn số 111/2023 của Ban Tuyên giáo Trung ương`` is ``HD-111-BTGTW-XIII``;
* without a period the id falls back to ``base_id`` (``KL-57-TW``); :func:`merge_refs` folds
  such a reference into the one complete reference of the same document in the article, and a
  store that links documents across articles should match on ``base_id`` too.

Speed: the text is folded once into a search key (lower case, no accents, one character per
character, so key offsets are text offsets); three cheap regexes over it propose where
references may start — one runs on the reversed key, anchored on the number, and reads the type
word backwards — and the full grammar runs only there (≈ 0.15 ms for a 550-word article).
Tables and regexes are built on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TypeVar

import numpy as np

from newsdesk.errors import ConfigError
from newsdesk.text.fold import fold

__all__ = [
    "DocumentRef",
    "DocumentType",
    "Issuer",
    "canonical_id_of",
    "document_types",
    "find_documents",
    "issuers",
    "merge_refs",
    "party_term",
]


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """One reference to a document, as found in a text."""

    type: str
    """Canonical type code: ``KL``, ``NQ``, ``CT``, ``QD``, ``ND``, ``TT``, ``LUAT`` …"""
    type_name_vi: str
    type_name_en: str
    number: str | None
    """The number without leading zeros; ``None`` for a law cited by title."""
    issuer: str | None
    """Canonical issuer code (``TW``, ``CP``, ``TTg`` …), ``None`` when not stated."""
    code: str | None
    """The symbol as written, white space removed: ``"57-KL/TƯ"``, ``"13/2023/NĐ-CP"``."""
    year: int | None
    date: date | None
    term: str | None
    """Party term (``"XIII"``) for the documents of central Party bodies, when known."""
    title: str | None
    """The title of a law cited by title (``"Báo chí"``)."""
    canonical_id: str
    base_id: str
    """The id without its period: ``KL-57-TW`` for ``KL-57-TW-XIII``."""
    span: tuple[int, int]
    surface: str


@dataclass(frozen=True, slots=True)
class DocumentType:
    """A kind of document: one row of ``data/document_types.tsv``."""

    code: str
    abbreviations: tuple[str, ...]
    form: str
    name_vi: str
    name_en: str
    triggers_vi: tuple[str, ...]
    triggers_en: tuple[str, ...]
    bare: bool
    by_number: bool
    """Cited by number (``Nghị quyết số 47``)."""
    by_name: bool
    """Cited by title and year (``Luật Báo chí 2016``) or by year alone (``Hiến pháp 2013``)."""
    titled: bool
    """Cited by title: a reference by year alone is not enough."""


@dataclass(frozen=True, slots=True)
class Issuer:
    """An issuing body: one row of ``data/document_issuers.tsv``."""

    code: str
    level: str
    abbreviations: tuple[str, ...]
    names_vi: tuple[str, ...]
    names_en: tuple[str, ...]

    @property
    def numbered_per_term(self) -> bool:
        return self.level == "party_central"


_T = TypeVar("_T")


# --- reference tables -------------------------------------------------------------------------


def _read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of ``data/<name>`` as dicts by header; ``#`` lines are comments."""
    text = resources.files("newsdesk.analyze").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ConfigError(f"newsdesk/analyze/data/{name}: row {number} has {len(cells)} columns")
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def _items(cell: str) -> tuple[str, ...]:
    return () if cell == "-" else tuple(cell.split("|"))


def _folded(cell: str) -> tuple[str, ...]:
    return tuple(" ".join(fold(item).split()) for item in _items(cell))


@cache
def document_types() -> dict[str, DocumentType]:
    """The document types by code, loaded once."""
    types = {}
    for row in _read_tsv("document_types.tsv"):
        cited = _items(row["cited_by"])
        types[row["code"]] = DocumentType(
            row["code"], _items(row["abbreviations"]), row["form"], row["name_vi"], row["name_en"],
            _folded(row["triggers_vi"]), _folded(row["triggers_en"]), row["bare"] == "yes",
            "number" in cited, "name" in cited or "year" in cited, "name" in cited,
        )  # fmt: skip
    return types


def _issuer(row: dict[str, str]) -> Issuer:
    names_vi, names_en = _folded(row["names_vi"]), _folded(row["names_en"])
    return Issuer(row["code"], row["level"], _items(row["abbreviations"]), names_vi, names_en)


@cache
def issuers() -> dict[str, Issuer]:
    """The issuing bodies by code, loaded once."""
    return {row["code"]: _issuer(row) for row in _read_tsv("document_issuers.tsv")}


def _abbreviation_index(pairs: list[tuple[str, _T]]) -> dict[str, _T]:
    """Written abbreviation (upper case) → value; ASCII spellings (``QD`` for ``QĐ``) as fallbacks.

    An exact spelling wins over a fallback, so ``TU`` is Tỉnh ủy although ``TƯ`` folds to it.
    """
    index: dict[str, _T] = {}
    for written, value in pairs:
        index.setdefault(written.upper(), value)
    for written, value in pairs:
        index.setdefault(fold(written).upper(), value)
    return index


@dataclass(frozen=True, slots=True)
class _Tables:
    type_by_trigger: dict[str, DocumentType]
    type_by_abbr: dict[str, dict[str, DocumentType]]
    """By symbol form (``party``, ``state``), then written abbreviation."""
    issuer_by_abbr: dict[str, Issuer]
    issuer_by_name: dict[str, Issuer]
    issuer_by_code: dict[str, Issuer]


@cache
def _tables() -> _Tables:
    types, bodies = document_types().values(), issuers().values()
    by_trigger = {word: kind for kind in types for word in kind.triggers_vi + kind.triggers_en}
    by_abbr = {
        form: _abbreviation_index([(a, t) for t in types if t.form in (form, "any") for a in t.abbreviations])
        for form in ("party", "state")
    }
    names = {name: body for body in bodies for name in body.names_vi + body.names_en}
    return _Tables(
        by_trigger, by_abbr, _abbreviation_index([(a, b) for b in bodies for a in b.abbreviations]),
        names, {body.code.upper(): body for body in bodies},
    )  # fmt: skip


# --- Party terms ------------------------------------------------------------------------------

_CONGRESSES = (
    (date(1986, 12, 15), 6), (date(1991, 6, 24), 7), (date(1996, 6, 28), 8), (date(2001, 4, 19), 9),
    (date(2006, 4, 18), 10), (date(2011, 1, 12), 11), (date(2016, 1, 20), 12), (date(2021, 1, 25), 13),
    (date(2026, 1, 19), 14),
)  # fmt: skip
"""Opening days of the National Congresses of the Communist Party of Vietnam (VI–XIV)."""

_ROMAN = (("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _to_roman(number: int) -> str:
    digits = []
    for letters, value in _ROMAN:
        count, number = divmod(number, value)
        digits.append(letters * count)
    return "".join(digits).upper()


def _from_roman(written: str) -> int:
    """``"xiii"`` → 13; 0 unless ``written`` is a well-formed numeral."""
    total, rest = 0, written.lower()
    for letters, value in _ROMAN:
        while rest.startswith(letters):
            total, rest = total + value, rest[len(letters) :]
    return total if total and _to_roman(total) == written.upper() else 0


def _term_of(written: str) -> str | None:
    """``"xiii"`` or ``"13"`` → ``"XIII"``; ``None`` for anything else."""
    number = int(written) if written.isdigit() else _from_roman(written)
    return _to_roman(number) if 1 <= number <= 30 else None


def party_term(day: date | None = None, year: int | None = None) -> str | None:
    """The Party term (``"XIII"``) a central Party document of that date or year belongs to.

    With only a year, a congress year counts as the new term (the old term's last documents,
    in its first weeks, are the exception).
    """
    terms = [term for start, term in _CONGRESSES if (start <= day if day else year and start.year <= year)]
    return _to_roman(terms[-1]) if terms else None


# --- the search key ---------------------------------------------------------------------------

_KEY_RANGES = ((0x00C0, 0x0250), (0x1E00, 0x1F00), (0xFF10, 0xFF5B))
_HORIZONTAL_SPACES = (
    "\t\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_MARK_RANGES = ((0x0300, 0x0370), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100), (0xFE20, 0xFE30))


@cache
def _key_table() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: its key character (one for one, as :func:`fold` spells it); is it a mark."""
    table = np.arange(0x10000, dtype=np.uint32)
    table[0x41:0x5B] += 0x20
    for low, high in _KEY_RANGES:
        for code in range(low, high):
            folded = fold(chr(code))
            if len(folded) == 1 and folded.isascii():
                table[code] = ord(folded)
    table[[ord(char) for char in _HORIZONTAL_SPACES]] = 0x20
    table[[ord(char) for char in _DASHES]] = 0x2D
    table[0x2019] = 0x27
    marks = np.zeros(0x10000, dtype=bool)
    for low, high in _MARK_RANGES:
        marks[low:high] = True
    return table, marks


@dataclass(frozen=True, slots=True)
class _Keyed:
    """A text and its search key: lower case, accent folded, character for character.

    Combining marks are dropped from the key; ``index`` then maps key positions back
    (``len(key) + 1`` entries), so spans found in the key are spans of the text.
    """

    text: str
    key: str
    index: np.ndarray | None = None

    def at(self, position: int) -> int:
        return position if self.index is None else int(self.index[position])

    def written(self, start: int, end: int) -> str:
        return self.text[self.at(start) : self.at(end)]

    def word(self, start: int, end: int) -> str:
        """The written text in NFC: what abbreviation and word lists are compared with."""
        return unicodedata.normalize("NFC", self.written(start, end))


def _decode(units: np.ndarray) -> str:
    return units.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def _keyed(text: str) -> _Keyed:
    table, marks = _key_table()
    units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = np.minimum(units, 0xFFFF)
    mapped = table[bmp]
    if units.size and int(units.max()) > 0xFFFF:
        mapped = np.where(units > 0xFFFF, units, mapped)
    is_mark = marks[bmp]
    if not is_mark.any():
        return _Keyed(text, _decode(mapped))
    kept = np.flatnonzero(~is_mark)
    return _Keyed(text, _decode(mapped[kept]), np.append(kept, len(text)))


# --- grammar ----------------------------------------------------------------------------------

_YEAR = r"(?:19|20)\d\d(?!\d)"
_PART = r"[a-z][a-z0-9]{0,11}"
_PARTS = rf"{_PART}(?: ?- ?{_PART})*"
_PARTY_SYMBOL = re.compile(rf" ?- ?(?P<abbr>[a-z]{{1,5}}) ?/ ?(?P<parts>{_PARTS})")
_STATE_SYMBOL = re.compile(rf"(?: ?/ ?(?P<year>{_YEAR}))?(?: ?/ ?(?P<parts>{_PARTS}))?")
_PART_RE = re.compile(r"[a-z][a-z0-9]*")
_MONTH_NAMES = "january february march april may june july august september october november december"
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES.split(), 1)}
_MONTHS |= {name[:3]: number for name, number in _MONTHS.items()} | {"sept": 9}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    r",? *(?P<open>\( *)?(?:(?:ngay|ban hanh ngay|ky ngay|dated|issued on|signed on|of|on) +)?(?:"
    rf"(?P<d1>\d{{1,2}}) ?(?P<sep>[/.-]) ?(?P<m1>\d{{1,2}}) ?(?P=sep) ?(?P<y1>{_YEAR})"
    rf"|(?P<d2>\d{{1,2}}) +thang +(?P<m2>\d{{1,2}}),? +nam +(?P<y2>{_YEAR})"
    rf"|(?P<n3>{_MONTH})\.? +(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,? +(?P<y3>{_YEAR})"
    rf"|(?P<d4>\d{{1,2}})(?:st|nd|rd|th)? +(?P<n4>{_MONTH})\.?,? +(?P<y4>{_YEAR})"
    rf"|nam +(?P<y5>{_YEAR})(?! ?- ?\d))(?(open) *\))"
)
_COUNTED = re.compile(
    r" *(?:%|(?:phan tram|nam(?! +(?:19|20)\d\d)|thang|ngay|tuan|gio|phut|giay|nguoi|lan|ty|trieu|nghin"
    r"|ngan|dong|usd|vnd|diem|tuoi|km|kg|tan|ha|chiec|years?|months?|days?|weeks?|hours?|minutes?|people"
    r"|persons?|percent|per cent|times|million|billion|thousand|points?|votes?)(?![a-z]))"
)
"""What follows a number that counts something: ``quyết định 2 năm``, ``decision 5 years``."""
_TITLE = re.compile(rf"(?P<words>(?: +[a-z]+){{0,10}}?),? +(?P<year>{_YEAR})(?![/-]?\d)")
_TITLE_STOPS = frozenset(
    "được đã sẽ vừa đang là này của vào như có theo với cho đến khi từ tại năm mà thì phải sau trước lại bị "
    "cần nên vẫn còn rằng nhưng hoặc".split()
)
"""Words that make a clause, not a law's title: ``Luật Đất đai được thông qua năm 2013``."""
_NOT_TITLES = frozenset(["sư", "gia", "lệ", "chơi", "pháp", "học"])
"""``luật sư`` (lawyer), ``luật gia`` (jurist), ``luật lệ`` (rules) … are not laws."""
_TERM_TAIL = r" *,? *(?P<open>\( *)?khoa +(?P<term>[ivxl]+|\d{1,2})(?![a-z0-9])(?(open) *\))"
"""``khóa XIII``, ``(khoá 13)``: the Party term after a reference or its issuer."""
_TERM = re.compile(_TERM_TAIL)
_SCHOOL_OF_LAW = re.compile(r"(?:hoc|vien|khoa|nganh|truong|nhan|si|school|faculty) +$")
"""``học viện Luật Moscow 1998``, ``cử nhân Luật``: law the discipline, not a law."""
_EN_TITLE_WORDS = frozenset(["and", "of", "on", "the", "for", "in", "to"])
_CANONICAL = re.compile(
    r"(?P<type>[a-z]+)-(?P<num>\d{1,5}[a-z]?)(?:-(?P<issuer>[a-z][a-z0-9]*))??(?:-(?P<period>\d{4}|[ivxl]+))?"
)
_NAMED_ID = re.compile(rf"(?P<type>[a-z]+)(?P<words>(?:-[a-z]+)*)-(?P<year>{_YEAR})")


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternative of phrases, longest first, any run of spaces between words."""
    unique = sorted(set(phrases), key=len, reverse=True)
    return "|".join(" +".join(re.escape(word) for word in phrase.split()) for phrase in unique)


def _words(phrase: str) -> str:
    return " ".join(phrase.split())


def _abbreviations(form: str) -> str:
    kinds = _tables().type_by_abbr[form].values()
    return _alternation(fold(a) for kind in kinds for a in kind.abbreviations)


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The regexes of one language setting (``vi``, ``en`` or ``all``).

    ``finders`` are cheap — each starts with a literal or a digit, so the regex engine skips
    ahead without trying every alternative at every position — and only propose start positions;
    ``head`` is matched at those positions and tells what starts there. ``finders[0]`` runs on
    the reversed key: it anchors on a number and reads its type word backwards.
    """

    head: re.Pattern[str]
    finders: tuple[re.Pattern[str], ...]


def _triggers(language: str, numbered: bool) -> list[str]:
    vi, en = language in ("vi", "all"), language in ("en", "all")
    kinds = [k for k in document_types().values() if (k.by_number if numbered else k.by_name)]
    return [w for k in kinds for w in (k.triggers_vi if vi else ()) + (k.triggers_en if en else ())]


def _head(language: str) -> re.Pattern[str]:
    en = language in ("en", "all")
    bodies = _alternation(name for body in issuers().values() for name in body.names_en)
    owner = rf"(?:(?P<owner>{bodies})'s +)?" if en else ""
    year_first = rf"|(?P<hpyear>{_YEAR}) +(?P<hpword>constitution)(?![a-z])" if en else ""
    return re.compile(
        rf"(?<![a-z0-9])(?:{owner}(?P<trigger>{_alternation(_triggers(language, True))})"
        r"(?: *(?P<so>so|no\.?|number)(?![a-z]))? *:? *(?P<num>\d{1,5}(?:[a-z](?![a-z]))?)(?!\d|[.,]\d)"
        rf"|(?<!ky )(?<!phap )(?<!bo )(?P<named>{_alternation(_triggers(language, False))})(?![a-z])"
        rf"{year_first}|(?<![/.-])(?P<cnum>\d{{1,5}})(?= ?- ?(?:{_abbreviations('party')}) ?/ ?[a-z]"
        rf"| ?/ ?(?:{_YEAR} ?/ ?)?(?:{_abbreviations('state')}) ?- ?[a-z]))"
    )


def _finders(language: str) -> tuple[re.Pattern[str], ...]:
    triggers = _alternation(word[::-1] for word in _triggers(language, True))
    bodies = _alternation(name[::-1] for body in issuers().values() for name in body.names_en)
    owner = rf"(?: +s'(?:{bodies}))?" if language in ("en", "all") else ""
    named = _alternation(_triggers(language, False))
    if language in ("en", "all"):  # "the 2013 Constitution"; each alternative starts with a literal
        named += r"|19\d\d +constitution|20\d\d +constitution"
    finders = [
        rf"\d(?<!\d\d)\d{{0,4}} *:? *(?:(?:os|\.?on|rebmun) *)?(?:{triggers}){owner}(?![a-z0-9])",
        rf"(?:{named})(?![a-z])",
        r"\d(?<![\d/.-]\d)\d{0,4} ?[-/] ?(?:(?:19|20)\d\d ?/ ?)?[a-z]",
    ]
    return tuple(re.compile(finder) for finder in finders)


@cache
def _grammar(language: str) -> _Grammar:
    """The grammar for ``language``: ``vi``, ``en`` or ``all``."""
    return _Grammar(_head(language), _finders(language))


@cache
def _issuer_tail() -> re.Pattern[str]:
    """``của Bộ Chính trị khóa XI``, ``of the Government``: the issuing body after a reference."""
    names = _alternation(_tables().issuer_by_name)
    return re.compile(
        r",? *\(?(?:cua|do|of|by|issued by|from)(?: +the)? +"
        r"(?:hoi nghi (?:lan thu [a-z]+ +|trung uong [a-z0-9]+ +)?)?(?:(?:bo truong|thu truong|chu tich"
        rf"|thong doc) +)?(?P<name>{names})(?![a-z])(?:{_TERM_TAIL})?"
    )


def _language_key(language: str | None) -> str:
    code = (language or "").lower()
    return "vi" if code.startswith("vi") else "en" if code.startswith("en") else "all"


# --- reading one reference --------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """A reference while it is being read; positions are in the search key."""

    start: int
    end: int
    kind: DocumentType | None
    number: str | None = None
    title: str | None = None
    title_words: tuple[str, ...] = ()
    symbol: tuple[int, int] | None = None
    written_issuer: str | None = None
    issuer: str | None = None
    year: int | None = None
    date_year: int | None = None
    day: date | None = None
    term: str | None = None
    explicit: bool = False
    """Certainly a citation: it has số/No., a symbol, a date, an issuer or a title."""


def _number(written: str) -> str:
    """``"05"`` → ``"5"``, ``"30a"`` → ``"30A"``: leading zeros off, a letter suffix in capitals."""
    digits = written.rstrip("abcdefghijklmnopqrstuvwxyz")
    return str(int(digits)) + written[len(digits) :].upper()


def _known_abbreviation(written: str) -> bool:
    tables, upper = _tables(), written.upper()
    if upper in tables.type_by_abbr["state"] or upper in tables.type_by_abbr["party"]:
        return True
    return upper in tables.issuer_by_abbr or upper.rstrip("0123456789") in tables.issuer_by_abbr


def _part_ok(written: str, separator: str, lenient: bool) -> bool:
    """A symbol part is upper case (``NQ``, ``HĐQT``, ``TTr``), known (``TTg``) or tight (``Habeco``).

    A part after a spaced dash (``47/NQ-CP - Chính phủ``) must be an abbreviation.
    """
    if lenient or _known_abbreviation(written):
        return True
    capitals = sum(char.isupper() for char in written)
    return written[:1].isupper() and (" " not in separator or capitals == len(written) or capitals >= 2)


def _parts(doc: _Keyed, start: int, end: int, lenient: bool) -> list[tuple[int, int]]:
    """The spans of the parts of a symbol between ``start`` and ``end``, up to the first doubtful one."""
    spans: list[tuple[int, int]] = []
    for part in _PART_RE.finditer(doc.key, start, end):
        if not _part_ok(doc.word(*part.span()), doc.key[start : part.start()], lenient):
            break
        spans.append(part.span())
        start = part.end()
    return spans


def _lists(kind: DocumentType, written: str) -> bool:
    upper = written.upper()
    return any(upper in (a.upper(), fold(a).upper()) for a in kind.abbreviations)


def _set_type(draft: _Draft, form: str, written: str) -> bool:
    """Take the type a symbol's abbreviation names unless the trigger word's type lists it too."""
    kind = _tables().type_by_abbr[form].get(written.upper())
    if kind is None:
        return False
    if draft.kind is None or not _lists(draft.kind, written):
        draft.kind = kind
    return True


def _set_issuer(draft: _Draft, written: str) -> None:
    by_abbr, upper = _tables().issuer_by_abbr, written.upper()
    body = by_abbr.get(upper) or by_abbr.get(upper.rstrip("0123456789"))
    draft.written_issuer = written
    draft.issuer = body.code if body else fold(written).upper()


def _read_party_symbol(draft: _Draft, doc: _Keyed, start: int, lenient: bool) -> bool:
    """``-KL/TW`` after the number (Party form)."""
    found = _PARTY_SYMBOL.match(doc.key, draft.end)
    if not found:
        return False
    abbr = doc.word(*found.span("abbr"))
    parts = _parts(doc, found.end("abbr"), found.end("parts"), lenient)
    if not parts or not _part_ok(abbr, doc.key[draft.end : found.start("abbr")], lenient):
        return False
    _set_type(draft, "party", abbr)
    _set_issuer(draft, doc.word(*parts[0]))
    draft.symbol, draft.end, draft.explicit = (start, parts[-1][1]), parts[-1][1], True
    return True


def _read_state_symbol(draft: _Draft, doc: _Keyed, start: int, lenient: bool) -> None:
    """``/2023/NĐ-CP``, ``/NQ-CP``, ``/BGDĐT-HTQT`` or ``/2023`` after the number (state form)."""
    found = _STATE_SYMBOL.match(doc.key, draft.end)
    if not found or found.end() == draft.end:
        return
    after_year = found.end("year") if found["year"] else draft.end
    parts = _parts(doc, after_year, found.end("parts"), lenient) if found["parts"] else []
    end = parts[-1][1] if parts else after_year
    if end == draft.end:
        return
    if found["year"]:
        draft.year = int(found["year"])
    if parts and _set_type(draft, "state", doc.word(*parts[0])):
        parts = parts[1:]
    if parts:
        _set_issuer(draft, doc.word(*parts[0]))
    draft.symbol, draft.end, draft.explicit = (start, end), end, True


def _read_symbol(draft: _Draft, doc: _Keyed, start: int, lenient: bool) -> None:
    if not _read_party_symbol(draft, doc, start, lenient):
        _read_state_symbol(draft, doc, start, lenient)


def _date_of(found: re.Match[str]) -> tuple[date | None, int | None]:
    """The date (or only the year, for ``năm 2023``) a :data:`_DATE` match names."""
    if found["y5"]:
        return None, int(found["y5"])
    for n in "1234":
        if found[f"y{n}"]:
            month = int(found[f"m{n}"]) if n in "12" else _MONTHS[found[f"n{n}"]]
            try:
                return date(int(found[f"y{n}"]), month, int(found[f"d{n}"])), int(found[f"y{n}"])
            except ValueError:
                return None, None
    return None, None


def _read_date(draft: _Draft, doc: _Keyed, position: int) -> int:
    if draft.date_year is not None:
        return position
    found = _DATE.match(doc.key, position)
    day, year = _date_of(found) if found else (None, None)
    if found is None or year is None:
        return position
    draft.day, draft.date_year = day, year
    draft.explicit = draft.explicit or day is not None  # "5 năm 2016" may count years
    return found.end()


def _ambiguous_symbol(written: str | None, body: Issuer) -> bool:
    """``TU`` written without its diacritic may be ``TƯ``: a named central body settles it."""
    if written is None or not written.isascii():
        return False
    upper = written.upper()
    return any(fold(a).upper() == upper != a.upper() for a in body.abbreviations)


def _read_issuer(draft: _Draft, doc: _Keyed, position: int) -> int:
    found = _issuer_tail().match(doc.key, position)
    if not found:
        return position
    body = _tables().issuer_by_name[_words(found["name"])]
    if draft.issuer is None or _ambiguous_symbol(draft.written_issuer, body):
        draft.issuer = body.code
    if found["term"] and body.numbered_per_term:
        draft.term = _term_of(found["term"])
    draft.explicit = True
    return found.end()


def _read_term(draft: _Draft, doc: _Keyed, position: int) -> int:
    """``khóa XIII`` after a central Party document with no issuing body named."""
    body = _tables().issuer_by_code.get((draft.issuer or "").upper())
    found = _TERM.match(doc.key, position) if body and body.numbered_per_term and not draft.term else None
    if found is None:
        return position
    draft.term = _term_of(found["term"])
    return found.end()


def _read_tails(draft: _Draft, doc: _Keyed) -> None:
    """Date, issuing body and Party term after the reference, the date before or after the rest."""
    position = draft.end
    for read in (_read_date, _read_issuer, _read_term, _read_date):
        position = read(draft, doc, position)
    draft.end = position


def _read_numbered(hit: re.Match[str], doc: _Keyed, lenient: bool) -> _Draft | None:
    """``Kết luận số 57-KL/TW ngày … của …``, ``the Politburo's Conclusion 57``."""
    kind = _tables().type_by_trigger[_words(hit["trigger"])]
    draft = _Draft(hit.start(), hit.end(), kind, _number(hit["num"]), explicit=bool(hit["so"]))
    owner = hit.groupdict().get("owner")
    if owner:
        draft.issuer, draft.explicit = _tables().issuer_by_name[_words(owner)].code, True
    _read_symbol(draft, doc, hit.start("num"), lenient)
    _read_tails(draft, doc)
    if draft.explicit or lenient or (kind.bare and not _COUNTED.match(doc.key, hit.end())):
        return draft
    return None


def _read_symbol_only(hit: re.Match[str], doc: _Keyed, lenient: bool) -> _Draft | None:
    """``57-KL/TW`` with no type word before it: the symbol must name a known type."""
    draft = _Draft(hit.start(), hit.end(), None, _number(hit["cnum"]))
    _read_symbol(draft, doc, hit.start(), lenient)
    if draft.kind is None:
        return None
    _read_tails(draft, doc)
    return draft


def _year_word(written: str, english: bool) -> bool:
    """``năm`` (year) before the year, not the ``Nam`` of ``Việt Nam 2008``."""
    if english:
        return written.lower() in ("of", "in")
    return written.lower() == "năm" or written == "nam"


def _title_ok(kind: DocumentType, words: list[str], written: list[str], english: bool) -> bool:
    if not kind.titled:
        return True
    if not words or len(words) > 8 or not written[0][:1].isupper():
        return False
    if english:
        return all(w[:1].isupper() or w.lower() in _EN_TITLE_WORDS for w in written)
    lowered = [word.lower() for word in written]
    return lowered[0] not in _NOT_TITLES and not _TITLE_STOPS.intersection(lowered[1:])


def _read_named(hit: re.Match[str], doc: _Keyed, lenient: bool) -> _Draft | None:
    """``Luật Báo chí 2016``, ``Hiến pháp năm 2013``, ``Law on Press 2016``."""
    kind = _tables().type_by_trigger[_words(hit["named"])]
    english = _words(hit["named"]) in kind.triggers_en
    found = _TITLE.match(doc.key, hit.end())
    if not found or (kind.titled and _SCHOOL_OF_LAW.search(doc.key, max(0, hit.start() - 8), hit.start())):
        return None
    spans = [w.span() for w in _PART_RE.finditer(doc.key, *found.span("words"))]
    if spans and _year_word(doc.word(*spans[-1]), english):
        spans.pop()
    if english and kind.titled:
        if not spans or doc.key[slice(*spans[0])] != "on":
            return None
        spans.pop(0)
    words = [doc.key[slice(*span)] for span in spans]
    if not lenient and not _title_ok(kind, words, [doc.word(*span) for span in spans], english):
        return None
    draft = _Draft(hit.start(), found.end(), kind, None, year=int(found["year"]), explicit=True)
    if kind.titled and spans:
        draft.title, draft.title_words = doc.written(spans[0][0], spans[-1][1]), tuple(words)
    return draft


def _read_hit(hit: re.Match[str], doc: _Keyed, lenient: bool) -> _Draft | None:
    if hit["trigger"]:
        return _read_numbered(hit, doc, lenient)
    if hit["named"]:
        return _read_named(hit, doc, lenient)
    if hit["cnum"]:
        return _read_symbol_only(hit, doc, lenient)
    kind = _tables().type_by_trigger[hit["hpword"]]
    return _Draft(hit.start(), hit.end(), kind, None, year=int(hit["hpyear"]), explicit=True)


def _join(*parts: str | None) -> str:
    return "-".join(part for part in parts if part)


def _period(draft: _Draft, issuer: Issuer | None) -> tuple[str | None, str | None]:
    """(term, period): the Party term for central Party bodies, else the year."""
    year = draft.year or draft.date_year
    if issuer is not None and issuer.numbered_per_term:
        term = draft.term or party_term(draft.day, year)
        return term, term
    return None, str(year) if year else None


def _finish(draft: _Draft, doc: _Keyed) -> DocumentRef:
    kind = draft.kind
    assert kind is not None  # every reader sets it or gives up
    body = _tables().issuer_by_code.get((draft.issuer or "").upper())
    term, period = _period(draft, body)
    if kind.by_name and draft.number is None:
        base = canonical = _join(kind.code, *(w.upper() for w in draft.title_words), period)
    else:
        base = _join(kind.code, draft.number, draft.issuer)
        canonical = _join(base, period)
    start, end = doc.at(draft.start), doc.at(draft.end)
    code = "".join(doc.written(*draft.symbol).split()) if draft.symbol else None
    return DocumentRef(
        kind.code, kind.name_vi, kind.name_en, draft.number, draft.issuer, code,
        draft.year or draft.date_year, draft.day, term, draft.title, canonical, base,
        (start, end), doc.text[start:end],
    )  # fmt: skip


def _starts(doc: _Keyed, grammar: _Grammar) -> list[int]:
    """Where references may start, in order."""
    size = len(doc.key)
    starts = {size - hit.end() for hit in grammar.finders[0].finditer(doc.key[::-1])}
    for finder in grammar.finders[1:]:
        starts.update(hit.start() for hit in finder.finditer(doc.key))
    return sorted(starts)


def _scan(doc: _Keyed, grammar: _Grammar, lenient: bool) -> Iterator[_Draft]:
    end = 0
    for start in _starts(doc, grammar):
        hit = grammar.head.match(doc.key, start) if start >= end else None
        draft = _read_hit(hit, doc, lenient) if hit else None
        if draft is not None:
            yield draft
            end = draft.end


def _find(text: str, language: str | None, lenient: bool) -> list[DocumentRef]:
    if not text:
        return []
    doc = _keyed(text)
    return [_finish(draft, doc) for draft in _scan(doc, _grammar(_language_key(language)), lenient)]


# --- public API -------------------------------------------------------------------------------


def find_documents(text: str, language: str | None = None) -> list[DocumentRef]:
    """Every reference to a document in ``text``, in order (one per mention; see :func:`merge_refs`).

    ``language`` (``"vi"``, ``"en"``) limits the trigger words to that language; ``None`` reads both.
    """
    return _find(text, language, lenient=False)


def _completeness(ref: DocumentRef) -> tuple[bool, bool, bool, bool, int]:
    period = ref.canonical_id != ref.base_id
    return ref.date is not None, period, ref.issuer is not None, ref.code is not None, len(ref.surface)


def _covers(general: DocumentRef, specific: DocumentRef) -> bool:
    """``specific`` may be the document ``general`` names, told with more detail."""
    if general.number is None or general.canonical_id == specific.canonical_id:
        return False
    if (general.type, general.number) != (specific.type, specific.number):
        return False
    same = ((general.issuer, specific.issuer), (general.term, specific.term), (general.year, specific.year))
    return all(mine is None or mine == theirs for mine, theirs in same)


def _target(general: DocumentRef, leaders: list[DocumentRef]) -> str | None:
    """The one most specific id in the article ``general`` may stand for, else ``None``."""
    candidates = [ref for ref in leaders if _covers(general, ref)]
    maximal = {ref.canonical_id for ref in candidates if not any(_covers(ref, other) for other in candidates)}
    return maximal.pop() if len(maximal) == 1 else None


def merge_refs(refs: Iterable[DocumentRef]) -> list[DocumentRef]:
    """One reference per document of one article — the most complete one — in text order.

    References with the same canonical id are one document. A reference without issuer or
    period (``Kết luận số 57``, ``57-KL/TW``) joins the one more complete document of the same
    type and number in the article (``KL-57-TW-XIII``) and is left alone when there are several.
    """
    groups: dict[str, list[DocumentRef]] = {}
    for ref in sorted(refs, key=lambda r: r.span):
        groups.setdefault(ref.canonical_id, []).append(ref)
    leaders = [max(group, key=_completeness) for group in groups.values()]
    for leader in leaders:
        target = _target(leader, leaders)
        if target is not None and leader.canonical_id in groups:
            groups[target].extend(groups.pop(leader.canonical_id))
    return sorted((max(group, key=_completeness) for group in groups.values()), key=lambda r: r.span)


def _normalized_id(typed: str) -> str | None:
    """A typed canonical id (``kl-57-tw``) in its canonical spelling (``KL-57-TW``)."""
    key = _words(fold(typed))
    numbered, named = _CANONICAL.fullmatch(key), _NAMED_ID.fullmatch(key)
    kinds = document_types()
    if numbered and numbered["type"].upper() in kinds:
        body = _tables().issuer_by_code.get((numbered["issuer"] or "").upper())
        issuer = body.code if body else (numbered["issuer"] or "").upper()
        period = numbered["period"] or ""
        period = period if period.isdigit() else _term_of(period) if period else None
        return _join(numbered["type"].upper(), _number(numbered["num"]), issuer, period)
    if named and named["type"].upper() in kinds and kinds[named["type"].upper()].by_name:
        return f"{named['type']}{named['words']}-{named['year']}".upper()
    return None


def canonical_id_of(text: str) -> str | None:
    """The canonical id of a reference a user typed: ``"57-KL/TW"``, ``"kết luận 57"``, ``"KL-57-TW"``.

    Reads like :func:`find_documents` but accepts what an article would not (a bare number
    after any type word, lower-case symbols); the first document named wins.
    """
    refs = merge_refs(_find(text, None, lenient=True))
    return refs[0].canonical_id if refs else _normalized_id(text)
