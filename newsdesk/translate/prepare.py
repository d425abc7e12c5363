"""Preparing a translation: per-segment suggestions from memory, glossary and (maybe) a machine.

:func:`prepare_translation` is what the translation screen calls. It splits the
source into segments (:mod:`newsdesk.translate.segment`) and gives each one

* its translation-memory matches with their scores (100 = exact);
* the glossary terms it contains with the target terms they require;
* the machine translation, when an engine is configured and serves the pair,
  with the glossary :class:`~newsdesk.translate.check.Violation` list of that
  output. Segments with an exact memory match are not sent to the engine.

Without an engine — none configured, the pair not served, or the engine failing
with a :class:`newsdesk.errors.NewsdeskError` (missing model files, HTTP error)
— the result says so: ``manual`` is true and ``message`` tells the translator
that the work is memory + glossary + manual, and why. An engine failure is
logged with its reason, never swallowed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from newsdesk.errors import NewsdeskError
from newsdesk.translate.check import RequiredTerm, Violation, check_glossary, required_terms
from newsdesk.translate.engines.base import Engine
from newsdesk.translate.glossary import Glossary
from newsdesk.translate.memory import DEFAULT_THRESHOLD, MemoryMatch, TranslationMemory
from newsdesk.translate.segment import segment_spans

__all__ = ["Preparation", "SegmentSuggestion", "prepare_translation"]

log = logging.getLogger(__name__)

NO_ENGINE_MESSAGE = (
    "No translation engine is configured: the suggestions come from the translation memory and the "
    "glossary; translate the remaining segments by hand."
)


@dataclass(frozen=True, slots=True)
class SegmentSuggestion:
    """Everything known about translating one source segment."""

    index: int
    start: int
    end: int
    source: str
    memory: tuple[MemoryMatch, ...]
    terms: tuple[RequiredTerm, ...]
    machine: str | None = None
    violations: tuple[Violation, ...] = ()
    """Glossary problems of ``machine``."""


@dataclass(frozen=True, slots=True)
class Preparation:
    """The suggestions for a whole text, and how they were made."""

    src: str
    tgt: str
    segments: tuple[SegmentSuggestion, ...]
    engine: str | None
    """The engine that produced the machine suggestions; ``None`` in manual mode."""
    manual: bool
    message: str


def prepare_translation(
    source_text: str,
    src: str,
    tgt: str,
    glossary: Glossary,
    memory: TranslationMemory,
    engine: Engine | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 3,
) -> Preparation:
    """Per-segment suggestions for translating ``source_text`` from ``src`` to ``tgt``."""
    segments = [
        SegmentSuggestion(
            i,
            start,
            end,
            source_text[start:end],
            tuple(memory.lookup(source_text[start:end], src, tgt, threshold=threshold, limit=limit)),
            tuple(required_terms(source_text[start:end], src, tgt, glossary)),
        )
        for i, (start, end) in enumerate(segment_spans(source_text))
    ]
    if engine is None:
        return Preparation(src, tgt, tuple(segments), None, True, NO_ENGINE_MESSAGE)
    if not engine.supports(src, tgt):
        message = f"The {engine.name} engine does not translate {src}→{tgt}. " + _MANUAL
        return Preparation(src, tgt, tuple(segments), None, True, message)
    try:
        translated = _machine(segments, src, tgt, glossary, engine)
    except NewsdeskError as exc:
        log.warning("translation engine %s failed: %s", engine.name, exc, extra={"reason": _reason(exc)})
        message = f"The {engine.name} engine failed ({exc}). " + _MANUAL
        return Preparation(src, tgt, tuple(segments), None, True, message)
    return Preparation(src, tgt, tuple(translated), engine.name, False, _machine_message(engine, translated))


_MANUAL = "The suggestions come from the translation memory and the glossary; translate by hand."


def _machine(
    segments: list[SegmentSuggestion], src: str, tgt: str, glossary: Glossary, engine: Engine
) -> list[SegmentSuggestion]:
    todo = [s for s in segments if not any(match.exact for match in s.memory)]
    if not todo:
        return segments
    outputs = engine.translate([s.source for s in todo], src, tgt, terms=[list(s.terms) for s in todo])
    if len(outputs) != len(todo):
        raise NewsdeskError(f"{engine.name}: {len(outputs)} translations for {len(todo)} segments")
    done = {s.index: _with_machine(s, out, src, tgt, glossary) for s, out in zip(todo, outputs, strict=True)}
    return [done.get(s.index, s) for s in segments]


def _with_machine(
    segment: SegmentSuggestion, output: str, src: str, tgt: str, glossary: Glossary
) -> SegmentSuggestion:
    violations = tuple(check_glossary(segment.source, output, src, tgt, glossary))
    return replace(segment, machine=output, violations=violations)


def _machine_message(engine: Engine, segments: list[SegmentSuggestion]) -> str:
    flagged = sum(bool(s.violations) for s in segments)
    sent = sum(s.machine is not None for s in segments)
    return (
        f"{sent} segment(s) translated by the {engine.name} engine, {flagged} with glossary problems; "
        f"{len(segments) - sent} covered by exact memory matches."
    )


def _reason(exc: NewsdeskError) -> str:
    return str(getattr(exc, "reason", type(exc).__name__))
