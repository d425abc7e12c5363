"""prepare_translation: memory + glossary + (maybe) machine, per segment."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.errors import TransientFetchError
from newsdesk.translate import (
    Engine,
    Glossary,
    RequiredTerm,
    TranslationMemory,
    TranslationUnit,
    prepare_translation,
)
from tests.translate.conftest import STEERING_EN, STEERING_VI

TEXT = f"{STEERING_VI} họp tại Hà Nội. Bộ Ngoại giao ủng hộ hòa bình. Xin chào."


class RecordingEngine:
    """A deterministic engine that records what it is asked: each segment upper-cased."""

    name = "recording"

    def __init__(self, pairs: Sequence[tuple[str, str]] = (("vi", "en"),), fail: bool = False) -> None:
        self.languages = frozenset(pairs)
        self.calls: list[tuple[list[str], list[list[RequiredTerm]] | None]] = []
        self.fail = fail

    def supports(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self.languages

    def translate(
        self,
        segments: list[str],
        src: str,
        tgt: str,
        *,
        terms: Sequence[Sequence[RequiredTerm]] | None = None,
    ) -> list[str]:
        self.calls.append((segments, [list(t) for t in terms] if terms is not None else None))
        if self.fail:
            raise TransientFetchError("http://llm/v1/chat/completions", "timeout", reason="timeout")
        return [segment.upper() for segment in segments]


def memory() -> TranslationMemory:
    return TranslationMemory(
        [
            TranslationUnit("vi", "en", "Xin chào.", "Hello."),
            TranslationUnit(
                "vi", "en", "Bộ Ngoại giao ủng hộ hòa bình lâu dài.", "The Ministry supports lasting peace."
            ),
        ]
    )


def test_without_an_engine_the_work_is_memory_glossary_and_manual(glossary: Glossary) -> None:
    prepared = prepare_translation(TEXT, "vi", "en", glossary, memory())
    assert prepared.manual and prepared.engine is None
    assert "No translation engine is configured" in prepared.message
    steering, ministry, hello = prepared.segments
    assert TEXT[steering.start : steering.end] == steering.source == f"{STEERING_VI} họp tại Hà Nội."
    assert [t.target for t in steering.terms] == [STEERING_EN]
    assert steering.memory == () and steering.machine is None
    assert [t.target for t in ministry.terms] == ["Ministry of Foreign Affairs", "peace"]
    assert 75 <= ministry.memory[0].score < 100
    assert hello.memory[0].exact and hello.memory[0].target == "Hello."


def test_an_engine_translates_what_memory_does_not_cover(glossary: Glossary) -> None:
    engine = RecordingEngine()
    assert isinstance(engine, Engine)
    prepared = prepare_translation(TEXT, "vi", "en", glossary, memory(), engine)
    assert not prepared.manual and prepared.engine == "recording"
    ((segments, terms),) = engine.calls
    assert segments == [f"{STEERING_VI} họp tại Hà Nội.", "Bộ Ngoại giao ủng hộ hòa bình."]
    assert terms is not None and [[t.target for t in ts] for ts in terms] == [
        [STEERING_EN],
        ["Ministry of Foreign Affairs", "peace"],
    ]
    steering, ministry, hello = prepared.segments
    assert ministry.machine == "Bộ Ngoại giao ủng hộ hòa bình.".upper()
    assert steering.machine == f"{STEERING_VI} họp tại Hà Nội.".upper()
    assert [v.expected for v in steering.violations] == [STEERING_EN]
    assert hello.machine is None, "an exact memory match is not sent to the engine"
    assert prepared.message.startswith(
        "2 segment(s) translated by the recording engine, 2 with glossary problems"
    )


def test_an_unsupported_pair_falls_back_to_manual(glossary: Glossary) -> None:
    engine = RecordingEngine(pairs=[("en", "vi")])
    prepared = prepare_translation(TEXT, "vi", "en", glossary, memory(), engine)
    assert prepared.manual and engine.calls == []
    assert "does not translate vi→en" in prepared.message


def test_a_failing_engine_falls_back_to_manual_with_the_reason(glossary: Glossary) -> None:
    prepared = prepare_translation(TEXT, "vi", "en", glossary, memory(), RecordingEngine(fail=True))
    assert prepared.manual and prepared.engine is None
    assert "http://llm/v1/chat/completions: timeout" in prepared.message
    assert all(s.machine is None for s in prepared.segments)


def test_all_exact_matches_need_no_engine(glossary: Glossary) -> None:
    engine = RecordingEngine()
    prepared = prepare_translation("Xin chào.", "vi", "en", glossary, memory(), engine)
    assert engine.calls == [] and not prepared.manual
    assert "1 covered by exact memory matches" in prepared.message
