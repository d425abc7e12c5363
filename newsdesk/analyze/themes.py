"""Themes: which subjects of the office's taxonomy an article is about, with scores, and attention over time.

The taxonomy is editable data, ``data/themes.toml``: two levels of themes with stable ids
(``"human_rights.freedom_of_religion"`` style), Vietnamese and English labels and descriptions,
and weighted cue phrases in both languages. :func:`load_taxonomy` reads and validates it and
raises :class:`~newsdesk.errors.ConfigError` naming the file and the theme id on any mistake.

:func:`assign_themes` scores one article:

* **Matching.** Title and text are folded (:func:`newsdesk.text.fold.fold`: lower case, no
  diacritics, one character per character) and scanned once by one compiled regex per taxonomy
  and language: a character trie of every folded cue, anchored on word boundaries, so the scan
  costs about the same for 50 cues or 3,000 and the longest cue wins where cues overlap.
  Each match is then checked against the text as written, because folding merges words:
  in a text that has diacritics, the match must carry the cue's own diacritics (``"Biển Đông"``,
  the East Sea, is not ``"biến động"``, fluctuation; ``"Đảng"`` is not ``"đang"``); a text
  typed without any diacritics accepts the bare form. Tone placement does not matter
  (``hoà`` = ``hòa``). A cue written in capitals matches only capitals (``"AI"``, ``"FDI"``:
  ``"ai"``, who, is not artificial intelligence) or, from four letters on, a capital initial
  (``"Asean"``). English cues also match the plural of their
  last word. Cues of a language other than the article's are not used; an unknown language
  uses both lists.
* **Scoring.** Each matched cue adds its weight × (1 + ln count) of evidence; a cue in the title
  adds its weight × :data:`TITLE_WEIGHT` once more. A parent theme takes the evidence of its
  own cues and of all its subthemes, so it scores at least as high as any child. The score
  saturates with evidence relative to length: ``1 − exp(−evidence / (SCALE_BASE +
  SCALE_PER_100 × words / 100))`` — one strong cue once in a 600-word article is ≈ 0.3, a
  subject the article is about ≥ 0.8. Themes at or above the threshold are returned, best first.

Speed: ≈ 0.26 ms for a 500-word article (fold ≈ 0.06 ms, the scan ≈ 0.1 ms, checks and scores
the rest); the matcher is compiled on first use (≈ 0.06 s for 2,200 cues) and kept with the
taxonomy.

:func:`attention` turns ``(published, themes)`` records into a per-day, -week or -month series
of how many articles carry a theme and their share of all articles in that period.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NamedTuple

from newsdesk.errors import ConfigError
from newsdesk.text.fold import fold
from newsdesk.text.normalize import clean_text, normalize_text

__all__ = [
    "DEFAULT_THRESHOLD",
    "LANGUAGES",
    "SCALE_BASE",
    "SCALE_PER_100",
    "TITLE_WEIGHT",
    "AttentionPoint",
    "Cue",
    "Taxonomy",
    "Theme",
    "ThemeLike",
    "ThemeScore",
    "assign_themes",
    "attention",
    "load_taxonomy",
    "parse_taxonomy",
]

LANGUAGES = ("vi", "en")
"""The languages every theme has labels, descriptions and cues in."""
DEFAULT_THRESHOLD = 0.3
"""Themes scoring below this are not returned."""
TITLE_WEIGHT = 3.0
"""A cue in the title counts this many times its weight, on top of its count."""
SCALE_BASE = 3.0
SCALE_PER_100 = 1.0
"""Evidence that gives a score of 1 − 1/e ≈ 0.63: ``SCALE_BASE + SCALE_PER_100 × words / 100``."""
MIN_CUES = 5
MAX_WEIGHT = 5.0
_DEFAULT_FILE = "themes.toml"
_ID = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?")
_THEME_KEYS = frozenset(
    {"id", "label_vi", "label_en", "description_vi", "description_en", "cues_vi", "cues_en", "anchors"}
)
_TEXT_KEYS = ("label_vi", "label_en", "description_vi", "description_en")
_ANCHOR_SPLIT = re.compile(r"[\W_]+")
Bucket = Literal["day", "week", "month"]


# --- the taxonomy -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """A phrase that signals a theme, with its weight (1 = related … 3 = says the theme alone)."""

    text: str
    weight: float


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme: id, labels and descriptions in both languages, cues per language."""

    id: str
    label_vi: str
    label_en: str
    description_vi: str
    description_en: str
    cues_vi: tuple[Cue, ...]
    cues_en: tuple[Cue, ...]
    anchors: tuple[str, ...] = ()
    """Folded phrases of which one must occur for the theme to count (``"viet nam"``, ``"truong sa"``):
    a theme about the country's own sovereignty is not foreign territorial news. Empty: no condition."""

    @property
    def parent(self) -> str | None:
        """``"human_rights"`` for ``"human_rights.children"``; ``None`` for a top-level theme."""
        return self.id.rpartition(".")[0] or None

    def label(self, language: str) -> str:
        return self.label_en if language.startswith("en") else self.label_vi

    def cues(self, language: str) -> tuple[Cue, ...]:
        return self.cues_en if language == "en" else self.cues_vi


class Taxonomy:
    """The validated themes of one file, in file order, with their compiled matchers."""

    def __init__(self, themes: Sequence[Theme], *, source: str = "<memory>", version: str = "") -> None:
        self.source = source
        self.version = version
        self.themes: dict[str, Theme] = {theme.id: theme for theme in themes}
        self._matchers: dict[str, _Matcher] = {}

    def __getitem__(self, theme_id: str) -> Theme:
        return self.themes[theme_id]

    def __contains__(self, theme_id: object) -> bool:
        return theme_id in self.themes

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes.values())

    def __len__(self) -> int:
        return len(self.themes)

    def children(self, theme_id: str) -> tuple[str, ...]:
        """The ids of the subthemes of ``theme_id``, in file order."""
        return tuple(theme.id for theme in self if theme.parent == theme_id)

    def matcher(self, language: str) -> _Matcher:
        """The compiled matcher for ``language`` (``vi``, ``en``, anything else: both), built once."""
        mode = _mode(language)
        if mode not in self._matchers:
            self._matchers[mode] = _build_matcher(self, mode)
        return self._matchers[mode]


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file; the shipped ``data/themes.toml`` (loaded once) by default."""
    if path is None:
        return _default_taxonomy()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the theme taxonomy: {exc}") from exc
    return parse_taxonomy(text, str(path))


@cache
def _default_taxonomy() -> Taxonomy:
    resource = resources.files("newsdesk.analyze").joinpath("data", _DEFAULT_FILE)
    return parse_taxonomy(resource.read_text(encoding="utf-8"), f"newsdesk/analyze/data/{_DEFAULT_FILE}")


def parse_taxonomy(text: str, source: str) -> Taxonomy:
    """Validate the TOML ``text`` of a taxonomy; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    unknown = set(data) - {"version", "theme"}
    if unknown:
        raise ConfigError(f"{source}: unknown top-level keys {sorted(unknown)} (expected version, [[theme]])")
    blocks = data.get("theme")
    if not isinstance(blocks, list) or not blocks:
        raise ConfigError(f"{source}: no [[theme]] blocks")
    themes = [_theme(block, source, number) for number, block in enumerate(blocks, 1)]
    _check_ids(themes, source)
    return Taxonomy(themes, source=source, version=str(data.get("version", "")))


def _theme(block: dict[str, Any], source: str, number: int) -> Theme:
    theme_id = block.get("id")
    if not isinstance(theme_id, str) or not _ID.fullmatch(theme_id):
        raise ConfigError(
            f"{source}: theme #{number}: id {theme_id!r} must be lowercase words joined by '_', "
            "with at most one '.' (parent.child)"
        )
    where = f"{source}: theme {theme_id!r}"
    unknown = set(block) - _THEME_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    label_vi, label_en, description_vi, description_en = (_required_text(block, k, where) for k in _TEXT_KEYS)
    cues_vi, cues_en = (_cues(block, language, where) for language in LANGUAGES)
    anchors = _anchors(block.get("anchors", []), where)
    return Theme(theme_id, label_vi, label_en, description_vi, description_en, cues_vi, cues_en, anchors)


def _anchors(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: anchors must be a list of non-empty phrases")
    return tuple(dict.fromkeys(" ".join(fold(v).split()) for v in value))


def _anchors_of(theme_id: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """A theme's anchors; a subtheme without its own takes its parent's."""
    theme = taxonomy[theme_id]
    if theme.anchors or theme.parent is None:
        return theme.anchors
    return taxonomy[theme.parent].anchors


def _anchored(anchors: tuple[str, ...], folded_words: str) -> bool:
    """True when there are no anchors or one of them occurs (as whole words) in the text."""
    return not anchors or any(f" {anchor} " in folded_words for anchor in anchors)


def _required_text(block: dict[str, Any], key: str, where: str) -> str:
    value = block.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} is missing or empty")
    return value.strip()


def _cues(block: dict[str, Any], language: str, where: str) -> tuple[Cue, ...]:
    key = f"cues_{language}"
    table = block.get(key)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [theme.{key}] table is missing")
    cues = tuple(_cue(text, weight, f"{where}: {key}") for text, weight in table.items())
    if len(cues) < MIN_CUES:
        raise ConfigError(f"{where}: {key} has {len(cues)} cues, at least {MIN_CUES} are needed")
    seen: dict[str, str] = {}
    for cue in cues:
        folded = _key(cue.text)
        if folded in seen:
            raise ConfigError(f"{where}: {key}: {cue.text!r} and {seen[folded]!r} are the same cue")
        seen[folded] = cue.text
    return cues


def _cue(text: str, weight: object, where: str) -> Cue:
    if not _key(text):
        raise ConfigError(f"{where}: empty cue {text!r}")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= MAX_WEIGHT:
        raise ConfigError(
            f"{where}: cue {text!r} has weight {weight!r}; weights are numbers in (0, {MAX_WEIGHT:g}]"
        )
    return Cue(" ".join(text.split()), float(weight))


def _check_ids(themes: list[Theme], source: str) -> None:
    ids: set[str] = set()
    for theme in themes:
        if theme.id in ids:
            raise ConfigError(f"{source}: theme {theme.id!r} is defined twice")
        ids.add(theme.id)
    for theme in themes:
        if theme.parent is not None and theme.parent not in ids:
            raise ConfigError(f"{source}: theme {theme.id!r}: parent {theme.parent!r} is not defined")


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    """What one folded key means for one theme."""

    theme: str
    cue: str
    weight: float
    surface: str
    """The expected written form: normalized, lower case."""
    capitals: bool
    """The cue is written in capitals (an acronym): the text must be too."""


@dataclass(slots=True)
class _Matcher:
    pattern: re.Pattern[str]
    targets: dict[str, tuple[_Target, ...]] = field(default_factory=dict)


def _mode(language: str) -> str:
    language = (language or "").lower()
    return "vi" if language.startswith("vi") else "en" if language.startswith("en") else "any"


def _key(text: str) -> str:
    """The folded key of a cue: ``"Biển  Đông"`` → ``"bien dong"``."""
    return " ".join(fold(text).split())


@lru_cache(maxsize=1 << 16)
def _surface(text: str) -> str:
    """The written form a match is compared on: one tone placement, lower case, single spaces."""
    return " ".join(normalize_text(text).lower().split())


def _variants(text: str, language: str) -> list[str]:
    """The written forms a cue matches: English plurals of the last word, curly apostrophes."""
    forms = [text]
    if language == "en" and not text.isupper() and text[-1:].isalpha():
        forms += _plurals(text)
    return forms + [form.replace("'", "\u2019") for form in forms if "'" in form]


def _plurals(text: str) -> list[str]:
    if text.endswith(("s", "x", "z", "ch", "sh")):
        return [text + "es"]
    if text.endswith("y") and text[-2:-1] not in tuple("aeiou"):
        return [text[:-1] + "ies"]
    return [text + "s"]


def _build_matcher(taxonomy: Taxonomy, mode: str) -> _Matcher:
    languages = LANGUAGES if mode == "any" else (mode,)
    by_key: dict[str, dict[str, _Target]] = {}
    for theme in taxonomy:
        for language in languages:
            for cue in theme.cues(language):
                for form in _variants(cue.text, language):
                    target = _Target(theme.id, cue.text, cue.weight, _surface(form), cue.text.isupper())
                    slot = by_key.setdefault(_key(form), {})
                    if theme.id not in slot or slot[theme.id].weight < target.weight:
                        slot[theme.id] = target
    pattern = re.compile(r"(?<!\w)(?:" + _trie_regex(by_key) + r")(?!\w)")
    return _Matcher(pattern, {key: tuple(slot.values()) for key, slot in by_key.items()})


def _trie_regex(keys: Iterable[str]) -> str:
    """One regex for a set of strings, factored as a character trie (longest alternative first)."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _node_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"


def _aligned(text: str) -> tuple[str | None, str]:
    """``(written, folded)`` with one character per character; written is None when they cannot align."""
    folded = fold(text)
    if len(folded) == len(text):
        return text, folded
    cleaned = clean_text(text)
    return (cleaned if len(cleaned) == len(folded) else None), folded


def _accepted(target: _Target, written: str | None, bare: bool) -> bool:
    """Does the text as written say the cue (see the module docstring)?"""
    if written is None:
        return True
    if target.capitals and not _capitalised(written, len(target.surface)):
        return False
    lowered = written.lower()
    return lowered == target.surface or bare or _surface(lowered) == target.surface


def _capitalised(written: str, length: int) -> bool:
    """Written as a cue in capitals may be: all capitals (``AI``, ``FDI``), or for acronyms of four
    letters or more also with a capital initial (``Asean``, ``Unesco``, ``Covid``)."""
    return written == written.upper() or (length >= 4 and written[:1].isupper())


def _hits(matcher: _Matcher, text: str) -> tuple[dict[_Target, int], int]:
    """Accepted matches by target, and the number of words of ``text``."""
    written, folded = _aligned(text)
    bare = text.isascii()
    counts: dict[_Target, int] = {}
    for match in matcher.pattern.finditer(folded):
        span = written[match.start() : match.end()] if written is not None else None
        for target in matcher.targets[match.group()]:
            if _accepted(target, span, bare):
                counts[target] = counts.get(target, 0) + 1
    words = folded.count(" ") + folded.count("\n") + 1 if folded.strip() else 0
    return counts, words


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """One theme of one article: its score in [0, 1] and the cues found, with counts (title included)."""

    id: str
    score: float
    matches: tuple[tuple[str, int], ...]


@dataclass(slots=True)
class _Evidence:
    weight: float = 0.0
    cues: dict[str, int] = field(default_factory=dict)

    def add(self, cue: str, weight: float, count: int) -> None:
        self.weight += weight
        self.cues[cue] = self.cues.get(cue, 0) + count

    def merge(self, other: _Evidence) -> None:
        for cue, count in other.cues.items():
            self.cues[cue] = self.cues.get(cue, 0) + count
        self.weight += other.weight


def assign_themes(
    title: str,
    text: str,
    language: str,
    taxonomy: Taxonomy | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[ThemeScore]:
    """The themes of one article scoring at least ``threshold``, best first (see the module docstring)."""
    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    matcher = taxonomy.matcher(language)
    title_hits, title_words = _hits(matcher, title)
    body_hits, body_words = _hits(matcher, text)
    evidence = _rolled_up(_evidence(title_hits, body_hits), taxonomy)
    anchors = {theme_id: _anchors_of(theme_id, taxonomy) for theme_id in evidence}
    if any(anchors.values()):
        words = f" {' '.join(_ANCHOR_SPLIT.split(fold(title + ' ' + text)))} "
        evidence = {k: v for k, v in evidence.items() if _anchored(anchors[k], words)}
    scale = SCALE_BASE + SCALE_PER_100 * (title_words + body_words) / 100
    scores = [_theme_score(theme_id, found, scale) for theme_id, found in evidence.items()]
    return sorted((s for s in scores if s.score >= threshold), key=lambda s: (-s.score, s.id))


def _evidence(title_hits: dict[_Target, int], body_hits: dict[_Target, int]) -> dict[str, _Evidence]:
    evidence: dict[str, _Evidence] = {}
    for target, count in body_hits.items():
        evidence.setdefault(target.theme, _Evidence()).add(
            target.cue, target.weight * (1 + math.log(count)), count
        )
    for target, count in title_hits.items():
        evidence.setdefault(target.theme, _Evidence()).add(target.cue, target.weight * TITLE_WEIGHT, count)
    return evidence


def _rolled_up(evidence: dict[str, _Evidence], taxonomy: Taxonomy) -> dict[str, _Evidence]:
    """Each parent gains the evidence of its subthemes."""
    totals = {theme_id: _Evidence() for theme_id in evidence}
    for theme_id, found in evidence.items():
        totals[theme_id].merge(found)
        parent = taxonomy[theme_id].parent
        if parent is not None:
            totals.setdefault(parent, _Evidence()).merge(found)
    return totals


def _theme_score(theme_id: str, found: _Evidence, scale: float) -> ThemeScore:
    score = round(1.0 - math.exp(-found.weight / scale), 4)
    matches = tuple(sorted(found.cues.items(), key=lambda item: (-item[1], item[0])))
    return ThemeScore(theme_id, score, matches)


# --- attention over time ----------------------------------------------------------------------


class AttentionPoint(NamedTuple):
    """One period of a theme's attention series."""

    start: date
    """The first day of the period (a Monday for weeks, the 1st for months)."""
    articles: int
    """Articles of the period that carry the theme (or one of its subthemes)."""
    share: float
    """``articles`` over all articles of the period; 0.0 for a period without articles."""


ThemeLike = ThemeScore | str | tuple[str, float] | Mapping[str, Any]
"""A theme as a record may carry it: a :class:`ThemeScore`, an id, ``(id, score)`` or ``{"id", "score"}``."""


def attention(
    records: Iterable[tuple[date | datetime | None, Iterable[ThemeLike]]],
    theme_id: str,
    bucket: Bucket = "day",
    *,
    min_score: float = 0.0,
) -> list[AttentionPoint]:
    """Per-period article counts and shares of ``theme_id`` from ``(published, themes)`` records.

    A subtheme counts for its parent. Records without a date are skipped; a datetime is
    bucketed by its own calendar date (convert time zones before). Periods from the first to
    the last record are all listed, empty ones with zeros.
    """
    if bucket not in ("day", "week", "month"):
        raise ValueError(f"bucket must be 'day', 'week' or 'month', not {bucket!r}")
    totals: dict[date, int] = {}
    hits: dict[date, int] = {}
    for published, themes in records:
        if published is None:
            continue
        start = _bucket_start(published, bucket)
        totals[start] = totals.get(start, 0) + 1
        if any(_carries(item, theme_id, min_score) for item in themes):
            hits[start] = hits.get(start, 0) + 1
    if not totals:
        return []
    return [
        _point(start, hits.get(start, 0), totals.get(start, 0))
        for start in _periods(min(totals), max(totals), bucket)
    ]


def _point(start: date, articles: int, total: int) -> AttentionPoint:
    return AttentionPoint(start, articles, articles / total if total else 0.0)


def _carries(item: ThemeLike, theme_id: str, min_score: float) -> bool:
    if isinstance(item, ThemeScore):
        found, score = item.id, item.score
    elif isinstance(item, str):
        found, score = item, 1.0
    elif isinstance(item, Mapping):
        found, score = str(item["id"]), float(item.get("score", 1.0))
    else:
        found, score = item[0], float(item[1])
    return score >= min_score and (found == theme_id or found.startswith(theme_id + "."))


def _bucket_start(moment: date | datetime, bucket: Bucket) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def _periods(first: date, last: date, bucket: Bucket) -> Iterator[date]:
    current = first
    while current <= last:
        yield current
        current = _next_period(current, bucket)


def _next_period(start: date, bucket: Bucket) -> date:
    if bucket == "day":
        return start + timedelta(days=1)
    if bucket == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)
