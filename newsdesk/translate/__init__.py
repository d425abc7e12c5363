"""Translation support: approved glossary, translation memory, engines, glossary checks.

The parts, each a module (pure library code, no database — every record is a
plain frozen dataclass that maps to one SQL row):

``glossary``     concept entries with per-language terms (preferred / admitted /
                 forbidden), entry status and domain; Vietnamese-aware term finding
``glossary_io``  CSV and TBX import/export, lossless round trips
``segment``      sentence segmentation for vi / en / fr
``memory``       translation units and exact + fuzzy look-up (rapidfuzz)
``tmx``          TMX 1.4 import/export
``check``        the glossary constraints of a segment; violations of a translation;
                 the safe repair of forbidden variants
``engines``      the :class:`Engine` protocol and its registry: ``local``
                 (CTranslate2), ``openai`` (OpenAI-compatible HTTP), ``none``
``prepare``      per-segment suggestions for the translation screen, with or without
                 an engine

Imports report bad records instead of dropping them (:class:`ImportResult`) and
raise :class:`newsdesk.errors.InputError` subclasses naming the file when the
file itself is unusable.
"""

from __future__ import annotations

from newsdesk.translate._importing import ImportResult
from newsdesk.translate.check import (
    Enforced,
    RequiredTerm,
    Violation,
    ViolationKind,
    check_glossary,
    enforce,
    required_terms,
)
from newsdesk.translate.engines import NO_ENGINE, Engine, create_engine, register_engine, registered_engines
from newsdesk.translate.glossary import EntryStatus, Glossary, Term, TermEntry, TermMatch, TermUsage
from newsdesk.translate.glossary_io import (
    export_glossary_csv,
    export_glossary_tbx,
    import_glossary_csv,
    import_glossary_tbx,
)
from newsdesk.translate.memory import DEFAULT_THRESHOLD, MemoryMatch, TranslationMemory, TranslationUnit
from newsdesk.translate.prepare import Preparation, SegmentSuggestion, prepare_translation
from newsdesk.translate.segment import segment, segment_spans
from newsdesk.translate.tmx import export_tmx, import_tmx

__all__ = [
    "DEFAULT_THRESHOLD",
    "NO_ENGINE",
    "Enforced",
    "Engine",
    "EntryStatus",
    "Glossary",
    "ImportResult",
    "MemoryMatch",
    "Preparation",
    "RequiredTerm",
    "SegmentSuggestion",
    "Term",
    "TermEntry",
    "TermMatch",
    "TermUsage",
    "TranslationMemory",
    "TranslationUnit",
    "Violation",
    "ViolationKind",
    "check_glossary",
    "create_engine",
    "enforce",
    "export_glossary_csv",
    "export_glossary_tbx",
    "export_tmx",
    "import_glossary_csv",
    "import_glossary_tbx",
    "import_tmx",
    "prepare_translation",
    "register_engine",
    "registered_engines",
    "required_terms",
    "segment",
    "segment_spans",
]
