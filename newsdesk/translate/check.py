"""Glossary constraints of a translation: what a segment requires, what a translation violates.

:func:`required_terms` lists, for a source segment, every approved glossary term
in it (:meth:`Glossary.find`) with the target-language terms the translation must
use (preferred, or an admitted variant) and must not use (forbidden variants).
Engines pass these to the model as constraints where they can, and the manual
workflow shows them.

:func:`check_glossary` compares a translation with those constraints and returns
one :class:`Violation` per problem — nothing is dropped or corrected silently:

* ``missing_term`` — the concept occurs *n* times in the source but its accepted
  target terms fewer than *n* times in the translation (matching is the
  Vietnamese-aware, case-insensitive, whole-word, longest-first match of the
  glossary, so ``the steering committee`` counts for ``Steering Committee``);
* ``forbidden_term`` — a forbidden variant of a concept of the source occurs in
  the translation (one violation per occurrence, with its span). Forbidden
  variants of concepts absent from the source are not flagged: a short variant
  can be an ordinary phrase elsewhere.

:func:`enforce` also *repairs* the one thing that can be repaired without
guessing: a forbidden variant that belongs to exactly one concept with a
preferred target term is replaced by that term. Every replacement is reported
in ``fixed``; what is left is re-checked and reported in ``remaining``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from newsdesk.translate.glossary import ACCEPTED, Glossary, TermEntry, TermMatch, TermUsage

__all__ = [
    "Enforced",
    "RequiredTerm",
    "Violation",
    "ViolationKind",
    "check_glossary",
    "enforce",
    "required_terms",
]


@dataclass(frozen=True, slots=True)
class RequiredTerm:
    """A glossary term found in a source segment, with what its translation must (not) use."""

    source: TermMatch
    target: str | None
    """The preferred target term; ``None`` when the entry has none in the target language."""
    accepted: tuple[str, ...]
    forbidden: tuple[str, ...]

    @property
    def entry(self) -> TermEntry:
        return self.source.entry


class ViolationKind(StrEnum):
    MISSING = "missing_term"
    FORBIDDEN = "forbidden_term"


@dataclass(frozen=True, slots=True)
class Violation:
    """One glossary problem of a translation."""

    kind: ViolationKind
    entry: TermEntry
    source_spans: tuple[tuple[int, int], ...]
    """Where the concept occurs in the source."""
    expected: str | None
    """The preferred target term."""
    found: str = ""
    """The forbidden variant as written in the translation."""
    target_span: tuple[int, int] | None = None
    required: int = 0
    """How often the source names the concept (``missing_term``)."""
    present: int = 0
    """How often the translation uses an accepted term for it (``missing_term``)."""

    @property
    def message(self) -> str:
        if self.kind is ViolationKind.FORBIDDEN:
            instead = f"; use {self.expected!r}" if self.expected else ""
            return f"forbidden term {self.found!r} in the translation{instead}"
        return f"approved term {self.expected!r} used {self.present} time(s), the source has {self.required}"


@dataclass(frozen=True, slots=True)
class Enforced:
    """A translation after :func:`enforce`: its text, the repairs made, the problems left."""

    text: str
    fixed: tuple[Violation, ...]
    remaining: tuple[Violation, ...]


def required_terms(source: str, src: str, tgt: str, glossary: Glossary) -> list[RequiredTerm]:
    """The approved glossary terms of ``source`` (language ``src``) and their ``tgt`` constraints."""
    return [_required(match, tgt) for match in glossary.find(source, src)]


def _required(match: TermMatch, tgt: str) -> RequiredTerm:
    entry = match.entry
    preferred = entry.preferred(tgt)
    accepted = tuple(term.text for term in entry.in_lang(tgt, *ACCEPTED))
    forbidden = tuple(term.text for term in entry.in_lang(tgt, TermUsage.FORBIDDEN))
    return RequiredTerm(match, preferred.text if preferred else None, accepted, forbidden)


def check_glossary(source: str, target: str, src: str, tgt: str, glossary: Glossary) -> list[Violation]:
    """Every glossary problem of ``target`` as a translation of ``source`` (see the module docstring)."""
    spans: dict[TermEntry, list[tuple[int, int]]] = {}
    for required in required_terms(source, src, tgt, glossary):
        spans.setdefault(required.entry, []).append((required.source.start, required.source.end))
    found = [m for m in glossary.find(target, tgt, usages=TermUsage) if m.entry in spans]
    present = Counter(m.entry for m in found if m.term.usage in ACCEPTED)
    violations = [
        _missing(entry, tuple(where), tgt, present[entry])
        for entry, where in spans.items()
        if entry.in_lang(tgt, *ACCEPTED) and present[entry] < len(where)
    ]
    violations += [
        _forbidden(match, tuple(spans[match.entry]), tgt)
        for match in found
        if match.term.usage is TermUsage.FORBIDDEN
    ]
    return violations


def _missing(entry: TermEntry, where: tuple[tuple[int, int], ...], tgt: str, present: int) -> Violation:
    preferred = entry.preferred(tgt)
    expected = preferred.text if preferred else None
    return Violation(ViolationKind.MISSING, entry, where, expected, required=len(where), present=present)


def _forbidden(match: TermMatch, where: tuple[tuple[int, int], ...], tgt: str) -> Violation:
    preferred = match.entry.preferred(tgt)
    expected = preferred.text if preferred else None
    return Violation(
        ViolationKind.FORBIDDEN, match.entry, where, expected, match.text, (match.start, match.end)
    )


def enforce(source: str, target: str, src: str, tgt: str, glossary: Glossary) -> Enforced:
    """Replace the unambiguous forbidden variants in ``target``; report the repairs and what is left."""
    violations = check_glossary(source, target, src, tgt, glossary)
    repairs = _repairs(violations)
    text = target
    for (start, end), replacement, _ in sorted(repairs, key=lambda r: r[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    remaining = check_glossary(source, text, src, tgt, glossary) if repairs else violations
    return Enforced(text, tuple(r[2] for r in repairs), tuple(remaining))


def _repairs(violations: list[Violation]) -> list[tuple[tuple[int, int], str, Violation]]:
    """``(span, replacement, violation)`` per forbidden variant owned by one concept with a preferred term."""
    forbidden = [v for v in violations if v.kind is ViolationKind.FORBIDDEN]
    per_span = Counter(v.target_span for v in forbidden)
    return [
        (v.target_span, v.expected, v)
        for v in forbidden
        if v.target_span is not None and v.expected is not None and per_span[v.target_span] == 1
    ]
