"""Entities in Vietnamese and English news: people with their positions, organisations, places.

``find_entities(text, language)`` gives one :class:`Entity` per mention, in text order.

* **Organisations and places** come from the reference gazetteers
  (:mod:`newsdesk.reference.gazetteer`): one regex pass over the accent-folded text finds
  every known name — Vietnamese, English, acronyms, aliases, provinces of both eras —
  and the capitalisation of the original is checked (``"hòa bình"`` is not Hòa Bình).
  ``canonical`` is the organisation id (``"ban-tuyen-giao-tw"``), the province id
  (``"pre2025/17"``; a name still used after 1 July 2025 gives the 2025 unit, see
  :func:`newsdesk.reference.province_successor`) or the place id (``"VN"``).
* **Titles** (``"Phó Trưởng ban"``, ``"Deputy Prime Minister"``, ``"Thiếu tướng"``) are found
  the same way and read together with what follows them: an organisation (``"Bộ trưởng Bộ
  Ngoại giao"``), an organisation whose head word the title already says (``"Bộ trưởng
  Ngoại giao"``, ``"Phó trưởng ban Tuyên giáo Trung ương"``), a sub-unit missing from the
  reference data and its parent (``"Phó Cục trưởng Cục Đối ngoại, Bộ Công an"``), a
  province (``"Bí thư Tỉnh ủy Hòa Bình"``), a country (``"Tổng thống Mỹ"``: the holder is
  foreign, so Chủ tịch nước reads as Tổng thống); in English also what stands before
  (``"Vietnam's ambassador to …"``, ``"Foreign Ministry spokesperson"``).
* **People.** A capitalised name is a person when a title or a honorific stands right
  before it (``"Phó Trưởng Ban Tuyên giáo Trung ương Phan Xuân Thủy"``, ``"Thiếu tướng
  Nguyễn Văn Kỷ"``, ``"ông Bùi Đức Hinh"``, ``"Mr. Smith"``) or a title follows it after a
  comma (``"Phan Xuân Thủy, Phó trưởng ban …"``, ``"X, Vietnam's ambassador to …"``).
  Without such a cue only a Vietnamese name counts: three or four valid syllables starting
  with a known surname, standing alone (not inside a run of capitalised words such as
  ``"Hội Nghị Tập Huấn Cán Bộ"``), not after a street, school or prize word (``"đường
  Nguyễn Văn Quá"``); or a full name already found with a cue. Titles chained by commas
  (or ``kiêm``) attach to the name they lead to or follow. Short mentions (``"ông Thủy"``,
  ``"Mr. Ha"``) resolve to the nearest full name ending with them, earlier mentions first;
  unresolved ones are dropped. ``canonical`` is the folded full name (``"phan xuan thuy"``).

People are looked for in ``"vi"`` and ``"en"`` texts; other languages get organisations and
places only. Spans index the text as given, which should be NFC (as
:func:`newsdesk.text.normalize.normalize_text` makes it); other text is NFC-normalised first
and spans then index that form.

**Boundary.** newsdesk never profiles private individuals. Only people named in the
published text are extracted, and an entity holds nothing beyond the mention itself — its
surface, span and the titles written next to it. Nothing is looked up elsewhere and
nothing is kept across articles.

No statistical model runs here: underthesea's CRF NER manages ~1.7k tokens/s, a third of a
second per article, where this module takes about a millisecond.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from newsdesk.reference import Title, alias_key, name_cues, surnames, title
from newsdesk.reference.gazetteer import (
    Hit,
    aligned_fold,
    entity_matcher,
    prepare,
    tail_matcher,
    title_matcher,
    union_pattern,
)

__all__ = ["PERSON_LANGUAGES", "Entity", "EntityKind", "Position", "find_entities", "people"]

EntityKind = Literal["person", "organisation", "place"]
PERSON_LANGUAGES = ("vi", "en")
"""Languages whose texts are searched for people (others get organisations and places)."""


@dataclass(frozen=True, slots=True)
class Position:
    """A title as written next to a person's name.

    ``title`` is the canonical title (``"Phó Trưởng ban"``; see ``positions.tsv``),
    ``organisation`` the organisation id, ``unit`` a sub-unit the reference data does
    not list, as written (``"Cục Đối ngoại"``), ``place`` a province or place id.
    """

    title: str
    organisation: str | None
    surface: str
    unit: str | None = None
    place: str | None = None


@dataclass(slots=True)
class Entity:
    """One mention: ``text[span[0]:span[1]] == name``; ``positions`` only for people."""

    kind: EntityKind
    name: str
    canonical: str
    span: tuple[int, int]
    positions: list[Position] = field(default_factory=list)


def find_entities(text: str, language: str) -> list[Entity]:
    """The people, organisations and places mentioned in ``text`` (see the module docstring)."""
    prepare()
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    doc = _Doc.read(text, language)
    found = _people(doc) if language in PERSON_LANGUAGES else []
    return _merge(doc, found)


def people(entities: list[Entity]) -> dict[str, list[Position]]:
    """Each person's canonical name → every distinct position written with any mention."""
    merged: dict[str, list[Position]] = {}
    for entity in entities:
        if entity.kind == "person":
            positions = merged.setdefault(entity.canonical, [])
            positions.extend(p for p in entity.positions if p not in positions)
    return merged


# --- Text patterns --------------------------------------------------------------------------------------


def _letters(upper: bool) -> str:
    codes = [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]
    return "".join(c for c in map(chr, codes) if (c.isupper() if upper else c.islower()))


_UPPER = _letters(upper=True)
_LOWER = _letters(upper=False)
_W = rf"[{_UPPER}][{_LOWER}]*(?:['’\-][{_UPPER}]?[{_LOWER}]+)*"
"""One capitalised name word: ``Thủy``, ``A``, ``H'Hen``, ``Jean-Pierre``."""
_NAME_WORD = re.compile(_W)
_CAP_RUN = re.compile(rf"{_W}(?:[^\S\n]+{_W}){{0,4}}(?!\w)")
_BACK_RUN = re.compile(rf"(?:{_W}[^\S\n]+){{0,4}}{_W}$")
_NEXT_WORD = re.compile(r"[^\S\n]*([^\W_]+(?:&[^\W_]+)*)")
_SPACES = re.compile(r"[^\S\n]*")
_AFTER_TITLE = re.compile(r"\.?[^\S\n]+")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(\n•\-–])[^\S\n]*$")
_WORD_BEFORE = re.compile(r"([^\W_]+)[^\S\n]+$")
_KEY_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")
_TWO_WORDS_BEFORE = re.compile(r"([^\W_]+[^\S\n]+)?([^\W_]+)[^\S\n]+$")
_ONE_NAME_TITLES = frozenset(("foreign", "state", "government", "military_rank", "diplomatic", "party"))
"""Title kinds a single name may follow (``"Tổng thống Putin"``, ``"Đô đốc Richardson"``)."""
_MAX_NAME_WORDS = 4
_MIN_BARE_WORDS = 3
_MAX_UNIT_WORDS = 8
_MAX_ATTACHMENTS = 4
_LOOKBACK = 80

_UNIT_HEAD = re.compile(
    r"(?:bo tu lenh|bo chi huy|tong cong ty|tong cuc|chi cuc|hoc vien|trung tam|van phong|uy ban|hoi dong"
    r"|lien hiep|lien doan|tap chi|cong ty|tap doan|ngan hang|benh vien|dai hoc|quan khu|quan doan|su doan"
    r"|cong an|toa an|vien kiem sat|dang uy|dang bo|huyen uy|thanh uy|tinh uy|tinh doan|thanh doan|canh sat"
    r"|kho bac|thanh tra"
    r"|cuc|vu|ban|so|phong|vien|truong|hoi|dai|bao|doan|bo)(?!\w)"
)
"""Head words of Vietnamese organisation names, folded (``Cục``, ``Vụ``, ``Ban``, ``Văn phòng`` …)."""
_UNIT_STOP = frozenset(
    "cho noi phat khang nhan de yeu chia du tham chu da dang se cung la duoc co thi ma tai o trong voi "
    "cua thuoc ve va nay kiem".split()
)
"""Lowercase words that end a sub-unit's name (verbs and links: ``cho biết``, ``phát biểu``, ``của`` …)."""
_UNIT_LINKS = frozenset(("ve", "va"))
"""… except these before a capitalised word: ``Ban Chỉ đạo về Nhân quyền``, ``Sở Văn hóa và Thể thao``."""
_CONNECTORS = {
    "vi": re.compile(r"(?:,|\(|thuộc|của|tại|ở)[^\S\n]*"),
    "en": re.compile(r"(?:,[^\S\n]*)?(?:of the|of|for the|for|to the|to|at the|in)[^\S\n]+|,[^\S\n]*"),
}
_CHAIN = re.compile(r"[^\S\n]*(?:,[^\S\n]*(?:and|kiêm)|,|\(|kiêm|and)?[^\S\n]*")
_COMMA = re.compile(r"[^\S\n]*[,(][^\S\n]*")
_NEXT_NAME = re.compile(rf"[^\S\n]+{_W}")
_PLACE_LINKS = frozenset(("tại", "ở", "to", "to the", "at the", "in"))
_ORG_LINKS = frozenset(("of", "of the", "for", "for the"))
_BEFORE_TITLE_EN = re.compile(r"(?:'s?|’s?)?[^\S\n]+$")


@cache
def _surname_keys() -> frozenset[str]:
    return frozenset(alias_key(name) for name in surnames())


@cache
def _surname_run() -> re.Pattern[str]:
    """A known surname (accented or plain ASCII) followed by one to three name words."""
    forms = {name for name in surnames()} | {alias_key(name).capitalize() for name in surnames()}
    initials = "".join(sorted({form[0] for form in forms}))
    # The look-ahead on the initials lets the regex engine skip every other position in C.
    return re.compile(rf"(?=[{initials}])(?<!\w){union_pattern(forms)}(?:[^\S\n]+{_W}){{1,3}}(?!\w)")


@cache
def _honorifics(language: str) -> re.Pattern[str]:
    """A honorific followed by a capital letter; the match ends where the name starts."""
    cues = name_cues("honorific", language)
    forms = {form for cue in cues for form in (cue, cue[:1].upper() + cue[1:])}
    initials = "".join(sorted({form[0] for form in forms}))
    pattern = rf"(?=[{initials}])(?<!\w){union_pattern(forms)}(?:[^\S\n]+|(?<=\.))(?=[{_UPPER}])"
    return re.compile(pattern)


@cache
def _cue_keys(kind: str, language: str) -> frozenset[str]:
    return frozenset(alias_key(cue) for cue in name_cues(kind, language))


# --- The document ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Doc:
    """The text, its aligned fold and the gazetteer hits everything else is read from."""

    text: str
    folded: str
    language: str
    hits: list[Hit]
    hit_at: dict[int, Hit]
    hit_starts: list[int]
    title_at: dict[int, Hit]
    extra: list[Hit] = field(default_factory=list)
    """Organisations found only as the elided tail of a title (``"Bộ trưởng Ngoại giao"``)."""

    @classmethod
    def read(cls, text: str, language: str) -> _Doc:
        folded = aligned_fold(text)
        hits = [hit for hit in entity_matcher().finditer(folded) if _accepted(text, folded, hit, language)]
        titles: dict[int, Hit] = {}
        if language in PERSON_LANGUAGES:
            titles = {hit.start: hit for hit in title_matcher(language).finditer(folded)}
        starts = [hit.start for hit in hits]
        return cls(text, folded, language, hits, dict(zip(starts, hits, strict=True)), starts, titles)

    def key(self, start: int, end: int) -> str:
        """The :func:`~newsdesk.reference.alias_key` of ``text[start:end]``, read off the fold."""
        return " ".join(_KEY_TOKEN.findall(self.folded, start, end))

    def covering(self, start: int, end: int) -> Hit | None:
        """A gazetteer hit overlapping ``[start, end)``."""
        index = bisect.bisect_right(self.hit_starts, start) - 1
        for hit in self.hits[max(index, 0) : index + 2]:
            if hit.start < end and start < hit.end:
                return hit
        return None


def _accepted(text: str, folded: str, hit: Hit, language: str) -> bool:
    """Written as the alias was; a demonym only in English; a one-word place not part of a
    person's name (``"Bùi Đức Hinh"``, ``"anh Đức"``)."""
    surface = text[hit.start : hit.end]
    if not hit.entry.accepts(surface) or (hit.entry.kind == "demonym" and language != "en"):
        return False
    if hit.entry.kind == "organisation" or " " in surface:
        return True
    before = _WORD_BEFORE.search(text, max(0, hit.start - 30), hit.start)
    if before is None:
        return True
    key = folded[before.start(1) : before.end(1)]
    if key in _cue_keys("honorific", language):
        return False
    return not before[1][0].isupper() or key not in _surname_keys()


# --- Titles and what they attach --------------------------------------------------------------------------


@dataclass(slots=True)
class _Phrase:
    """A title with the organisation, sub-unit and place written with it."""

    start: int
    end: int
    title_end: int
    title: Title
    org: str | None = None
    org_written: bool = False
    unit: str | None = None
    place: str | None = None
    foreign: bool = False
    first: Hit | None = None
    """The gazetteer hit right after the title, if any (it may turn out to be a name)."""
    tails: list[Hit] = field(default_factory=list)

    def position(self, text: str) -> Position:
        """A foreign holder's title reads as ``foreign`` (Tổng thống), with no Vietnamese organisation."""
        name = self.title.foreign if self.foreign and self.title.foreign else self.title.title
        org = None if self.foreign else self.org
        return Position(name, org, text[self.start : self.end], self.unit, self.place)


def _phrases(doc: _Doc) -> list[_Phrase]:
    phrases = []
    for hit in sorted(doc.title_at.values(), key=lambda hit: hit.start):
        found = title(hit.entry.id)
        if found is not None:
            phrases.append(_read_phrase(doc, hit, found))
    return phrases


def _read_phrase(doc: _Doc, hit: Hit, found: Title) -> _Phrase:
    phrase = _Phrase(hit.start, hit.end, hit.end, found, org=hit.entry.org)
    if doc.language == "en":
        _read_before(doc, phrase)
    position = hit.end
    for step in range(_MAX_ATTACHMENTS):
        after = _attach(doc, phrase, position, first=step == 0)
        if after is None:
            break
        position = after
    phrase.end = max(phrase.end, position)
    if not phrase.foreign:
        doc.extra.extend(phrase.tails)
    return phrase


def _read_before(doc: _Doc, phrase: _Phrase) -> None:
    """English: ``"Vietnam's ambassador"``, ``"Foreign Ministry spokesperson"``, ``"US President"``."""
    window_start = max(0, phrase.start - _LOOKBACK)
    gap = _BEFORE_TITLE_EN.search(doc.text, window_start, phrase.start)
    if gap is None:
        return
    index = bisect.bisect_left(doc.hit_starts, gap.start()) - 1
    before = doc.hits[index] if index >= 0 and doc.hits[index].end == gap.start() else None
    if before is not None and _take(phrase, before, None):
        phrase.start = before.start


def _attach(doc: _Doc, phrase: _Phrase, position: int, *, first: bool) -> int | None:
    """Read one more part of the title at ``position``; its end, or ``None`` when nothing fits."""
    start = _skip(_SPACES, doc.text, position)
    connector = _CONNECTORS[doc.language].match(doc.text, start)
    if connector and (connector[0].startswith(",") or connector[0].startswith("(")) and phrase.unit is None:
        connector = None
    at = connector.end() if connector else start
    link = connector[0].strip(" ,(") if connector else None
    hit = doc.hit_at.get(at)
    if hit is not None:
        if first and connector is None:
            phrase.first = hit
        return hit.end if _take(phrase, hit, link) else None
    if phrase.org_written or phrase.unit is not None:
        return None
    if link in _ORG_LINKS:
        return _tail(doc, phrase, at, first)
    if connector is not None:
        return None
    return _shared_head(doc, phrase, first) or _tail(doc, phrase, at, first) or _unit(doc, phrase, at, first)


def _skip(pattern: re.Pattern[str], text: str, position: int) -> int:
    """The position after ``pattern`` (which may match nothing) at ``position``."""
    found = pattern.match(text, position)
    return found.end() if found else position


def _take(phrase: _Phrase, hit: Hit, connector: str | None) -> bool:
    """Attach a gazetteer hit to the title; ``False`` when it belongs to something else."""
    entry = hit.entry
    if entry.kind == "organisation":
        if phrase.org_written:
            return False
        phrase.org, phrase.org_written = entry.id, True
        return True
    if connector in _PLACE_LINKS:
        phrase.place = entry.id
        return True
    if phrase.place is not None:
        return False
    phrase.place = entry.id
    phrase.foreign = entry.kind in ("place", "demonym") and len(entry.id) == 2 and entry.id != "VN"
    return True


def _shared_head(doc: _Doc, phrase: _Phrase, first: bool) -> int | None:
    """``"Trưởng Ban Tuyên giáo Trung ương"``: the organisation starts at the title's last word."""
    if not first:
        return None
    last = doc.text.rfind(" ", phrase.start, phrase.end) + 1
    hit = doc.hit_at.get(last)
    if hit is None or hit.end <= phrase.end or hit.entry.kind != "organisation":
        return None
    return hit.end if _take(phrase, hit, None) else None


def _tail(doc: _Doc, phrase: _Phrase, at: int, first: bool) -> int | None:
    """``"Bộ trưởng Ngoại giao"``: the organisation without the head word the title implies."""
    if not first:
        return None
    for head in phrase.title.units:
        if head.startswith("@"):
            continue
        hit = tail_matcher(head).match(doc.folded, at)
        if hit is not None and hit.entry.accepts(doc.text[hit.start : hit.end]):
            phrase.tails.append(hit)
            phrase.org, phrase.org_written = hit.entry.id, True
            return hit.end
    return None


def _unit(doc: _Doc, phrase: _Phrase, at: int, first: bool) -> int | None:
    """A sub-unit the reference data does not list: ``"Cục Đối ngoại"``, ``"Ban Chỉ đạo …"``."""
    if doc.language != "vi":
        return None
    start = at
    head = _UNIT_HEAD.match(doc.folded, at)
    if head is None or not doc.text[at].isupper():
        last = doc.text.rfind(" ", phrase.start, phrase.end) + 1
        head = _UNIT_HEAD.match(doc.folded, last) if first else None
        if head is None or head.end() != phrase.end:
            return None
        start = last
    end = _unit_end(doc, head.end())
    if end is None:
        return None
    phrase.unit = doc.text[start:end]
    return end


def _unit_end(doc: _Doc, position: int) -> int | None:
    """The end of a sub-unit's name whose head word ends at ``position``.

    ``None`` when no word follows the head, unless a name does: ``"Phó Chủ tịch Liên hiệp
    Đôn Tuấn Phong"`` has the unit ``"Liên hiệp"``.
    """
    end = None
    for _ in range(_MAX_UNIT_WORDS):
        found = _NEXT_WORD.match(doc.text, position)
        if found is None or _ends_unit(doc, found.start(1), found[1]):
            break
        end = position = found.end()
    if end is None and _name_follows(doc, position):
        return position
    return end


def _name_follows(doc: _Doc, position: int) -> bool:
    found = _NEXT_WORD.match(doc.text, position)
    if found is None or not found[1][0].isupper():
        return False
    return doc.folded[found.start(1) : found.end(1)] in _surname_keys()


def _ends_unit(doc: _Doc, start: int, word: str) -> bool:
    """A known name or title starts here, a name begins, or a verb or link word (``cho biết``, ``của``)."""
    if start in doc.hit_at or start in doc.title_at:
        return True
    capitalised_next = _NEXT_NAME.match(doc.text, start + len(word)) is not None
    key = doc.folded[start : start + len(word)]
    if word.islower():
        return key in _UNIT_STOP and not (key in _UNIT_LINKS and capitalised_next)
    return key in _surname_keys() and capitalised_next


# --- People -----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Name:
    """A person's name in the text and why it is one."""

    start: int
    end: int
    cue: Literal["title", "honorific", "comma", "bare"]
    words: int
    key: str
    left: _Phrase | None = None
    positions: list[Position] = field(default_factory=list)


def _people(doc: _Doc) -> list[Entity]:
    phrases = _phrases(doc)
    names = _after_titles(doc, phrases)
    owned = {id(name.left) for name in names}
    names += _after_honorifics(doc, names)
    names += _before_titles(doc, phrases, owned, names)
    names = _dedupe(names)
    by_start = {phrase.start: phrase for phrase in phrases}
    by_next = {_skip(_CHAIN, doc.text, phrase.end): phrase for phrase in phrases}
    for name in names:
        name.positions = _left_chain(doc, by_next, name) + _right_chain(doc, by_start, name, owned)
    return _resolve(doc, _dedupe(names + _bare(doc, names)))


def _dedupe(names: list[_Name]) -> list[_Name]:
    """One name per start; a name with a title cue wins over a honorific or comma one."""
    rank = {"title": 0, "honorific": 1, "comma": 2, "bare": 3}
    best: dict[int, _Name] = {}
    for name in names:
        if name.start not in best or rank[name.cue] < rank[best[name.start].cue]:
            best[name.start] = name
    return sorted(best.values(), key=lambda name: name.start)


def _name_at(doc: _Doc, start: int, cue: Literal["title", "honorific", "comma", "bare"]) -> _Name | None:
    """The capitalised name starting at ``start``: up to four words, cut before a known name or title."""
    run = _CAP_RUN.match(doc.text, start)
    if run is None or start in doc.title_at:
        return None
    covering = doc.covering(start, start + 1)
    if covering is not None and covering.start != start:
        return None
    words = list(_NAME_WORD.finditer(doc.text, start, run.end()))
    first = doc.key(start, words[0].end())
    if first in _cue_keys("not_name", doc.language):
        return None
    hit = doc.hit_at.get(start)
    if hit is not None and (hit.entry.kind == "organisation" or first not in _surname_keys()):
        return None
    kept = [words[0]]
    for word in words[1:_MAX_NAME_WORDS]:
        if word.start() in doc.hit_at or word.start() in doc.title_at:
            break
        kept.append(word)
    if len(kept) == 1 and cue == "title" and _SYLLABLE.fullmatch(first):
        return None  # "Phó Bí thư Tỉnh đoàn": one Vietnamese syllable after a title is no name
    end = kept[-1].end()
    return _Name(start, end, cue, len(kept), doc.key(start, end))


def _after_titles(doc: _Doc, phrases: list[_Phrase]) -> list[_Name]:
    names = []
    for phrase in phrases:
        gap = _AFTER_TITLE.match(doc.text, phrase.end)
        name = _name_at(doc, gap.end(), "title") if gap else None
        if name is not None and name.words == 1 and phrase.title.kind not in _ONE_NAME_TITLES:
            name = None  # "Tổng giám đốc Vinamilk": one word after a company title is the company
        name = name or _place_as_name(doc, phrase)
        if name is not None:
            name.left = phrase
            names.append(name)
    return names


def _place_as_name(doc: _Doc, phrase: _Phrase) -> _Name | None:
    """``"Chủ tịch Hồ Chí Minh"``: no name follows, and the province after the title reads as one."""
    hit = phrase.first
    if hit is None or hit.entry.kind != "province" or "@place" in phrase.title.units:
        return None
    name = _name_at(doc, hit.start, "title")
    if name is None or name.end != hit.end:
        return None
    phrase.end, phrase.place, phrase.first = phrase.title_end, None, None
    return name


def _after_honorifics(doc: _Doc, known: list[_Name]) -> list[_Name]:
    starts = {name.start for name in known}
    names = []
    for cue in _honorifics(doc.language).finditer(doc.text):
        if cue.end() not in starts and doc.covering(cue.start(), cue.end()) is None:
            name = _name_at(doc, cue.end(), "honorific")
            if name is not None:
                names.append(name)
    return names


def _before_titles(doc: _Doc, phrases: list[_Phrase], owned: set[int], known: list[_Name]) -> list[_Name]:
    """``"Phan Xuân Thủy, Phó trưởng ban …"``: a name, a comma, then a title no name follows."""
    ends = {name.end for name in known}
    names = []
    for phrase in phrases:
        if id(phrase) in owned:
            continue
        name = _name_before_comma(doc, phrase.start)
        if name is not None and name.end not in ends:
            names.append(name)
    return names


def _name_before_comma(doc: _Doc, start: int) -> _Name | None:
    comma = re.search(r"([^\S\n]*)[,(][^\S\n]*$", doc.text[max(0, start - 4) : start])
    if comma is None:
        return None
    end = max(0, start - 4) + comma.start()
    run = _BACK_RUN.search(doc.text, max(0, end - _LOOKBACK), end)
    if run is None:
        return None
    words = list(_NAME_WORD.finditer(doc.text, run.start(), end))
    while words and not _starts_name(doc, doc.key(words[0].start(), words[0].end())):
        words.pop(0)
    if len(words) < 2 or doc.covering(words[0].start(), end) or any(w.start() in doc.title_at for w in words):
        return None
    begin = words[0].start()
    return _Name(begin, end, "comma", len(words), doc.key(begin, end))


def _starts_name(doc: _Doc, key: str) -> bool:
    if doc.language == "vi":
        return key in _surname_keys()
    return key not in _cue_keys("not_name", "en")


def _left_chain(doc: _Doc, by_next: dict[int, _Phrase], name: _Name) -> list[Position]:
    """The titles written before the name, joined by commas or ``kiêm``, nearest last.

    ``by_next`` maps where a title's chain separator ends to that title.
    """
    if name.left is None:
        return []
    chain = [name.left]
    while (previous := by_next.get(chain[-1].start)) is not None and previous not in chain:
        chain.append(previous)
    return [phrase.position(doc.text) for phrase in reversed(chain)]


def _right_chain(doc: _Doc, by_start: dict[int, _Phrase], name: _Name, owned: set[int]) -> list[Position]:
    """The titles after ``"Name, …"``, up to a title that leads to another name."""
    comma = _COMMA.match(doc.text, name.end)
    if comma is None:
        return []
    chain, position = [], comma.end()
    while (phrase := by_start.get(position)) is not None and id(phrase) not in owned:
        chain.append(phrase.position(doc.text))
        position = _skip(_CHAIN, doc.text, phrase.end)
    return chain


def _bare(doc: _Doc, cued: list[_Name]) -> list[_Name]:
    """Names with no cue: Vietnamese-looking full names standing alone, or already known ones."""
    known = {name.key for name in cued if name.words > 1}
    taken = {name.start for name in cued}
    names = []
    for run in _surname_run().finditer(doc.text):
        if run.start() in taken or doc.covering(run.start(), run.end()):
            continue
        key = doc.key(run.start(), run.end())
        if key in known or _bare_name(doc, run, key):
            names.append(_Name(run.start(), run.end(), "bare", key.count(" ") + 1, key))
    return names


def _bare_name(doc: _Doc, run: re.Match[str], key: str) -> bool:
    words = key.split()
    if not _MIN_BARE_WORDS <= len(words) <= _MAX_NAME_WORDS:
        return False
    if not all(_SYLLABLE.fullmatch(word) for word in words):
        return False
    if _NEXT_NAME.match(doc.text, run.end()):
        return False
    return _alone_before(doc, run.start())


def _alone_before(doc: _Doc, start: int) -> bool:
    """No capitalised word runs into the name, and no street or school word precedes it."""
    window_start = max(0, start - 30)
    before = _TWO_WORDS_BEFORE.search(doc.text, window_start, start)
    if before is None:
        return True
    word = before[2]
    if word[0].isupper() and not _SENTENCE_START.search(doc.text, window_start, before.start(2)):
        return False
    keys = {doc.key(before.start(2), before.end(2)), doc.key(before.start(), before.end(2))}
    return not keys & _cue_keys("not_person", doc.language)


def _resolve(doc: _Doc, names: list[_Name]) -> list[Entity]:
    """Full names become people; short mentions take the nearest full name ending with them."""
    full = [name for name in names if name.words > 1 and not _given_names_only(doc, name)]
    full_ids = {id(name) for name in full}
    by_last: dict[str, dict[str, list[int]]] = {}
    for name in full:
        by_last.setdefault(name.key.rsplit(" ", 1)[-1], {}).setdefault(name.key, []).append(name.start)
    entities = []
    for name in names:
        canonical = name.key if id(name) in full_ids else _short_canonical(name, by_last)
        if canonical is not None:
            entities.append(_entity(doc, name, canonical))
    return entities


def _given_names_only(doc: _Doc, name: _Name) -> bool:
    """``"ông Xuân Thủy"``: a honorific and given names, no surname (Vietnamese)."""
    return name.cue == "honorific" and doc.language == "vi" and name.key.split()[0] not in _surname_keys()


def _short_canonical(name: _Name, by_last: dict[str, dict[str, list[int]]]) -> str | None:
    """The key of the full name a short mention abbreviates; its own key after a title; else ``None``.

    ``by_last`` maps a last word to the full names ending with it and their starts, in text order.
    The full name mentioned last before ``name`` wins; with none before, the first one after.
    """
    suffix = " " + name.key
    before: tuple[int, str] | None = None
    after: tuple[int, str] | None = None
    for key, starts in by_last.get(name.key.rsplit(" ", 1)[-1], {}).items():
        if key == name.key or not (" " + key).endswith(suffix):
            continue
        index = bisect.bisect_left(starts, name.start)
        if index > 0 and (before is None or starts[index - 1] > before[0]):
            before = (starts[index - 1], key)
        if index < len(starts) and (after is None or starts[index] < after[0]):
            after = (starts[index], key)
    chosen = before or after
    if chosen is not None:
        return chosen[1]
    return name.key if name.cue == "title" or name.words > 1 else None


def _entity(doc: _Doc, name: _Name, canonical: str) -> Entity:
    span = (name.start, name.end)
    return Entity("person", doc.text[name.start : name.end], canonical, span, name.positions)


# --- Output -----------------------------------------------------------------------------------------------


def _merge(doc: _Doc, persons: list[Entity]) -> list[Entity]:
    """People, then every organisation and place no person overlaps, in text order."""
    spans = sorted(entity.span for entity in persons)
    entities = list(persons)
    for hit in doc.hits + doc.extra:
        if hit.entry.kind != "demonym" and not _overlaps(spans, hit.start, hit.end):
            entities.append(_hit_entity(doc, hit))
    return sorted(entities, key=lambda entity: entity.span)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_left(spans, (start, start))
    return any(s < end and start < e for s, e in spans[max(index - 1, 0) : index + 1])


def _hit_entity(doc: _Doc, hit: Hit) -> Entity:
    kind: EntityKind = "organisation" if hit.entry.kind == "organisation" else "place"
    return Entity(kind, doc.text[hit.start : hit.end], hit.entry.id, (hit.start, hit.end))
