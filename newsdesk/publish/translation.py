"""Translating a publication: suggestions per segment, then the language variant and what it taught us.

Two steps, the two halves of the translate screen:

:func:`translate_publication` splits the source publication's title and body into
segments (:func:`newsdesk.translate.segment_spans`) and prepares each one
(:func:`newsdesk.translate.prepare_translation`): its translation-memory
matches with their scores, the approved glossary terms it requires, and — when
``translate.engine`` names one — the machine output with its glossary
violations. With ``none`` (or an engine that cannot be built or fails) the job
is *manual* and says so: memory + glossary + the translator.
:func:`best_suggestion` is what the screen prefills: an exact memory match,
else the machine output, else nothing.

:func:`save_translation` takes the translator's segments and title and

1. writes the language variant as a draft — created the first time, a new
   version of the existing variant afterwards — recording the source version it
   was translated from (a re-translation moves the variant's ``source_version``
   forward, so it is no longer stale);
2. checks every (source, target) segment pair against the glossary
   (:func:`newsdesk.translate.check_glossary`) and returns the problems. They
   are flagged, never fixed behind the translator's back and never hidden: the
   version note counts them and :func:`variant_problems` recomputes them for
   the variant's page from the stored texts;
3. teaches the translation memory the pairs (origin ``publication:<id>``) —
   only when the segments align one to one with the source's, since a pair of
   misaligned sentences would poison every later suggestion.

The target body keeps the source's layout: segment *i* of the translation
replaces segment *i* of the source and the white space between segments
(paragraph breaks) is copied. Only editors of the publication's unit and
administrators translate (:meth:`newsdesk.publish.workflow.Actor.check_unit`).

Engines are built once per configuration and kept (a local model takes seconds
to load); the engine is chosen by settings alone, never by the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine as Database
from sqlalchemy import update

from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.publish.library import GlossaryStore, MemoryStore
from newsdesk.publish.publications import Publications
from newsdesk.publish.workflow import Actor
from newsdesk.settings import TranslateSettings
from newsdesk.store.tables import PublicationRow
from newsdesk.text.normalize import normalize_text
from newsdesk.translate import (
    NO_ENGINE,
    Engine,
    Glossary,
    Preparation,
    SegmentSuggestion,
    TranslationUnit,
    Violation,
    check_glossary,
    create_engine,
    prepare_translation,
    segment_spans,
)

__all__ = [
    "SavedTranslation",
    "SegmentProblem",
    "TranslationJob",
    "best_suggestion",
    "engine_from_settings",
    "save_translation",
    "translate_publication",
    "variant_problems",
]

log = logging.getLogger(__name__)

_LANGUAGE_NAMES = frozenset("abcdefghijklmnopqrstuvwxyz")


# --- records --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TranslationJob:
    """What the translate screen shows for one publication and target language."""

    publication: dict[str, Any]
    """The source publication (:meth:`Publications.get`)."""
    target_lang: str
    title: Preparation
    body: Preparation
    variant: dict[str, Any] | None
    """The existing variant in ``target_lang``, if any (saving makes a new version of it)."""

    @property
    def manual(self) -> bool:
        return self.body.manual

    @property
    def message(self) -> str:
        return self.body.message

    @property
    def title_suggestion(self) -> str:
        return " ".join(text for text in map(best_suggestion, self.title.segments) if text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "publication": {k: self.publication[k] for k in ("id", "unit", "language", "title", "version")},
            "source_lang": self.body.src,
            "target_lang": self.target_lang,
            "engine": self.body.engine,
            "manual": self.manual,
            "message": self.message,
            "variant": _variant_summary(self.variant),
            "title": {"source": self.publication["title"], "suggestion": self.title_suggestion},
            "segments": [_segment_dict(s) for s in self.body.segments],
        }


@dataclass(frozen=True, slots=True)
class SegmentProblem:
    """A glossary problem of one translated segment (``segment`` ``None``: the title)."""

    segment: int | None
    source: str
    target: str
    violation: Violation

    def as_dict(self) -> dict[str, Any]:
        violation = self.violation
        return {
            "segment": self.segment,
            "kind": violation.kind.value,
            "message": violation.message,
            "expected": violation.expected,
            "found": violation.found,
            "source": self.source,
            "target": self.target,
        }


@dataclass(frozen=True, slots=True)
class SavedTranslation:
    """The outcome of :func:`save_translation`."""

    variant_id: int
    version: int
    created: bool
    aligned: bool
    """Whether the segments matched the source's one to one (only then the memory learns)."""
    memory_added: int
    problems: tuple[SegmentProblem, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "variant_id": self.variant_id,
            "version": self.version,
            "created": self.created,
            "aligned": self.aligned,
            "memory_added": self.memory_added,
            "violations": [problem.as_dict() for problem in self.problems],
        }


def _variant_summary(variant: dict[str, Any] | None) -> dict[str, Any] | None:
    if variant is None:
        return None
    return {k: variant[k] for k in ("id", "version", "status", "stale", "source_version")}


def _segment_dict(segment: SegmentSuggestion) -> dict[str, Any]:
    return {
        "index": segment.index,
        "source": segment.source,
        "suggestion": best_suggestion(segment),
        "memory": [
            {"score": m.score, "source": m.source, "target": m.target, "origin": m.unit.origin}
            for m in segment.memory
        ],
        "terms": [
            {"source": term.source.text, "target": term.target, "forbidden": list(term.forbidden)}
            for term in segment.terms
        ],
        "machine": segment.machine,
        "violations": [{"kind": v.kind.value, "message": v.message} for v in segment.violations],
    }


def best_suggestion(segment: SegmentSuggestion) -> str:
    """An exact memory match, else the machine output, else ``""``."""
    exact = next((match for match in segment.memory if match.exact), None)
    if exact is not None:
        return exact.target
    return segment.machine or ""


# --- engines --------------------------------------------------------------------------------------


def _engine_config(settings: TranslateSettings) -> dict[str, Any]:
    if settings.engine == "local":
        return {"models_dir": settings.models_dir}
    key = settings.api_key.get_secret_value() if settings.api_key else None
    return {"base_url": settings.base_url, "model": settings.model, "api_key": key}


@lru_cache(maxsize=4)
def _cached_engine(name: str, config: tuple[tuple[str, Any], ...]) -> Engine | None:
    return create_engine(name, dict(config))


def engine_from_settings(settings: TranslateSettings) -> Engine | None:
    """The configured engine (built once per configuration); ``None`` for ``none``."""
    if settings.engine == NO_ENGINE:
        return None
    return _cached_engine(settings.engine, tuple(sorted(_engine_config(settings).items())))


def _usable_engine(settings: TranslateSettings) -> tuple[Engine | None, str]:
    """The engine, or ``None`` and why not (``""`` when none is configured)."""
    try:
        return engine_from_settings(settings), ""
    except ConfigError as exc:
        log.warning("translation engine %s unusable: %s", settings.engine, exc, extra={"reason": "config"})
        return None, (
            f"The {settings.engine} engine is not usable ({exc}). The suggestions come from the "
            "translation memory and the glossary; translate by hand."
        )


# --- preparing ------------------------------------------------------------------------------------


def _check_target(source: dict[str, Any], target_lang: str) -> str:
    lang = target_lang.strip().lower()
    if len(lang) != 2 or not set(lang) <= _LANGUAGE_NAMES:
        raise NewsdeskError(f"invalid target language {target_lang!r}: use ISO 639-1 such as en, fr")
    if lang == source["language"]:
        raise NewsdeskError(f"publication {source['id']} is already in {lang}")
    if source["source_id"] is not None:
        raise NewsdeskError(
            f"publication {source['id']} is a language variant of {source['source_id']}: translate the source"
        )
    return lang


def _source(
    database: Database, actor: Actor, publication_id: int, target_lang: str
) -> tuple[dict[str, Any], str]:
    source = Publications(database).get(publication_id)
    actor.check_unit(source["unit"], f"translate publication {publication_id}")
    return source, _check_target(source, target_lang)


def _variant(source: dict[str, Any], lang: str) -> dict[str, Any] | None:
    return next((v for v in source["variants"] if v["language"] == lang), None)


def translate_publication(
    database: Database, settings: TranslateSettings, actor: Actor, publication_id: int, target_lang: str
) -> TranslationJob:
    """The per-segment suggestions for translating a publication (see the module docstring)."""
    source, lang = _source(database, actor, publication_id, target_lang)
    src = source["language"]
    glossary = GlossaryStore(database).glossary()
    memory = MemoryStore(database).memory(src, lang)
    engine, problem = _usable_engine(settings)
    threshold = float(settings.memory_threshold)

    def prepare(text: str) -> Preparation:
        prepared = prepare_translation(text, src, lang, glossary, memory, engine, threshold=threshold)
        return replace(prepared, message=problem) if problem else prepared

    return TranslationJob(
        source, lang, prepare(source["title"]), prepare(source["body"]), _variant(source, lang)
    )


# --- saving ---------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """One line of normalized text (a segment never spans a line break)."""
    return " ".join(normalize_text(text).split())


def _join(source: str, spans: list[tuple[int, int]], targets: list[str]) -> str:
    """The targets laid out as the source: the white space between segments is copied."""
    parts: list[str] = []
    for i, target in enumerate(targets):
        if target:
            if parts:
                parts.append(source[spans[i - 1][1] : spans[i][0]])
            parts.append(target)
    return "".join(parts)


def _pairs(
    source_title: str, title: str, source_body: str, targets: Sequence[str]
) -> tuple[list[tuple[int | None, str, str]], bool]:
    """``(segment, source, target)`` pairs to check and learn, and whether the body aligned."""
    spans = segment_spans(source_body)
    pairs: list[tuple[int | None, str, str]] = [(None, source_title, title)]
    if len(spans) == len(targets):
        aligned = zip(spans, targets, strict=True)
        pairs += [(i, source_body[a:b], target) for i, ((a, b), target) in enumerate(aligned)]
        return pairs, True
    return [*pairs, (0, source_body, "\n\n".join(t for t in targets if t))], False


def _problems(
    pairs: list[tuple[int | None, str, str]], src: str, tgt: str, glossary: Glossary
) -> list[SegmentProblem]:
    return [
        SegmentProblem(index, source, target, violation)
        for index, source, target in pairs
        for violation in check_glossary(source, target, src, tgt, glossary)
    ]


def _write_variant(
    database: Database, actor: Actor, source: dict[str, Any], lang: str, title: str, body: str, note: str
) -> tuple[int, int, bool]:
    """``(variant id, version, created)``; the variant records the source version it follows."""
    publications = Publications(database)
    existing = _variant(source, lang)
    if existing is None:
        new_id = publications.add(
            actor, unit=source["unit"], language=lang, title=title, body=body, source_id=source["id"]
        )
        return new_id, 1, True
    edited = publications.edit(actor, existing["id"], title=title, body=body, note=note)
    with database.begin() as conn:
        conn.execute(
            update(PublicationRow)
            .where(PublicationRow.id == existing["id"])
            .values(source_version=source["version"])
        )
    return int(existing["id"]), int(edited["version"]), False


def save_translation(
    database: Database,
    actor: Actor,
    publication_id: int,
    target_lang: str,
    segments: Sequence[str],
    title: str,
) -> SavedTranslation:
    """Save the translator's text as the language variant (see the module docstring)."""
    source, lang = _source(database, actor, publication_id, target_lang)
    src, targets, title = source["language"], [_clean(s) for s in segments], _clean(title)
    pairs, aligned = _pairs(source["title"], title, source["body"], targets)
    problems = _problems(pairs, src, lang, GlossaryStore(database).glossary())
    body = _join(source["body"], segment_spans(source["body"]), targets) if aligned else pairs[-1][2]
    note = f"translated from publication {publication_id} v{source['version']}"
    note += f"; {len(problems)} glossary problem(s)" if problems else ""
    variant_id, version, created = _write_variant(database, actor, source, lang, title, body, note)
    origin = f"publication:{publication_id}"
    units = [TranslationUnit(src, lang, s, t, origin) for _, s, t in pairs if s.strip() and t.strip()]
    added = MemoryStore(database).add(units) if aligned else 0
    log.info("publication %s translated to %s: variant %s v%s", publication_id, lang, variant_id, version)
    return SavedTranslation(variant_id, version, created, aligned, added, tuple(problems))


def variant_problems(database: Database, variant_id: int) -> list[SegmentProblem]:
    """The glossary problems of a stored language variant against the source version it follows."""
    publications = Publications(database)
    variant = publications.get(variant_id)
    if variant["source_id"] is None:
        return []
    source_id = variant["source_id"]
    version = variant["source_version"] or publications.get(source_id)["version"]
    source_title, source_body = publications.version_text(source_id, version)
    source_lang = publications.get(source_id)["language"]
    targets = [variant["body"][a:b] for a, b in segment_spans(variant["body"])]
    pairs, _ = _pairs(source_title, variant["title"], source_body, targets)
    glossary = GlossaryStore(database).glossary()
    return _problems(pairs, source_lang, variant["language"], glossary)
