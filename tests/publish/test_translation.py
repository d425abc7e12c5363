"""Translating a publication: manual and machine suggestions, saving the variant, the memory learning."""

from __future__ import annotations

import pytest

from newsdesk.errors import Forbidden, NewsdeskError
from newsdesk.publish.library import GlossaryStore, MemoryStore
from newsdesk.publish.publications import Publications
from newsdesk.publish.translation import (
    best_suggestion,
    save_translation,
    translate_publication,
    variant_problems,
)
from newsdesk.publish.workflow import Actor
from newsdesk.settings import TranslateSettings
from newsdesk.store.repo import Store
from newsdesk.translate import ViolationKind
from tests.translate.conftest import (
    STEERING_EN,
    STEERING_VI,
    STEERING_WRONG,
    ChatServer,
    chat_server,  # noqa: F401  (the OpenAI-compatible test server)
    sample_entries,
)

ADMIN = Actor("admin", "central", "administrator")
HUE_EDITOR = Actor("lan", "hue", "editor")
OTHER_EDITOR = Actor("minh", "ha-noi", "editor")
VIEWER = Actor("an", "hue", "viewer")
NO_ENGINE = TranslateSettings()

TITLE = "Bộ Ngoại giao ủng hộ hòa bình"
BODY = f"{STEERING_VI} họp tại Hà Nội. Bộ Ngoại giao ủng hộ hòa bình.\n\nXin chào."
GOOD = [
    f"The {STEERING_EN} met in Hanoi.",
    "The Ministry of Foreign Affairs supports peace.",
    "Hello.",
]
GOOD_TITLE = "Ministry of Foreign Affairs supports peace"


@pytest.fixture
def llm(chat_server: ChatServer) -> ChatServer:  # noqa: F811
    chat_server.clear()
    return chat_server


@pytest.fixture
def db(store: Store) -> Store:
    for entry in sample_entries():
        GlossaryStore(store.engine).add(ADMIN, entry)
    return store


@pytest.fixture
def pid(db: Store) -> int:
    return Publications(db.engine).add(HUE_EDITOR, unit="hue", language="vi", title=TITLE, body=BODY)


def _openai(server: ChatServer, model: str = "dictionary") -> TranslateSettings:
    return TranslateSettings(engine="openai", base_url=server.url, model=model)


def test_without_an_engine_the_job_is_manual(db: Store, pid: int) -> None:
    job = translate_publication(db.engine, NO_ENGINE, HUE_EDITOR, pid, "en")
    assert job.manual and job.body.engine is None
    assert "No translation engine is configured" in job.message
    assert [s.source for s in job.body.segments] == [
        f"{STEERING_VI} họp tại Hà Nội.",
        "Bộ Ngoại giao ủng hộ hòa bình.",
        "Xin chào.",
    ]
    assert [t.target for t in job.body.segments[0].terms] == [STEERING_EN]
    assert [best_suggestion(s) for s in job.body.segments] == ["", "", ""]
    data = job.as_dict()
    assert data["manual"] and data["segments"][1]["terms"][0]["target"] == "Ministry of Foreign Affairs"
    assert data["title"] == {"source": TITLE, "suggestion": ""} and data["variant"] is None


@pytest.mark.parametrize(
    ("actor", "lang", "error", "message"),
    [
        (VIEWER, "en", Forbidden, "editors and administrators"),
        (OTHER_EDITOR, "en", Forbidden, "belongs to unit hue"),
        (HUE_EDITOR, "vi", NewsdeskError, "already in vi"),
        (HUE_EDITOR, "english", NewsdeskError, "invalid target language"),
    ],
)
def test_who_and_into_what(db: Store, pid: int, actor: Actor, lang: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        translate_publication(db.engine, NO_ENGINE, actor, pid, lang)
    with pytest.raises(error, match=message):
        save_translation(db.engine, actor, pid, lang, GOOD, GOOD_TITLE)


def test_the_machine_fills_what_memory_does_not(db: Store, pid: int, llm: ChatServer) -> None:
    job = translate_publication(db.engine, _openai(llm), ADMIN, pid, "en")
    assert not job.manual and job.body.engine == "openai" and "3 segment(s) translated" in job.message
    assert [best_suggestion(s) for s in job.body.segments] == GOOD
    assert job.title_suggestion == f"[{TITLE}]"  # the test server's echo of an unknown text
    wrong = translate_publication(db.engine, _openai(llm, "wrong-name"), ADMIN, pid, "en")
    kinds = {v.kind for v in wrong.body.segments[0].violations}
    assert kinds == {ViolationKind.MISSING, ViolationKind.FORBIDDEN}


def test_a_misconfigured_engine_falls_back_to_manual(db: Store, pid: int) -> None:
    broken = TranslateSettings(engine="openai", base_url="", model="")
    job = translate_publication(db.engine, broken, ADMIN, pid, "en")
    assert job.manual and "openai engine is not usable" in job.message


def test_saving_makes_the_variant_flags_problems_and_teaches_the_memory(db: Store, pid: int) -> None:
    segments = [GOOD[0].replace(STEERING_EN, STEERING_WRONG), *GOOD[1:]]
    saved = save_translation(db.engine, HUE_EDITOR, pid, "en", segments, GOOD_TITLE)
    assert saved.created and saved.aligned and saved.version == 1 and saved.memory_added == 4
    assert {(p.segment, p.violation.kind) for p in saved.problems} == {
        (0, ViolationKind.MISSING),
        (0, ViolationKind.FORBIDDEN),
    }
    assert saved.as_dict()["violations"][0]["segment"] == 0
    variant = Publications(db.engine).get(saved.variant_id)
    assert (variant["language"], variant["source_id"], variant["source_version"]) == ("en", pid, 1)
    assert variant["body"] == f"{segments[0]} {GOOD[1]}\n\n{GOOD[2]}", "the source's layout is kept"
    assert {p.violation.kind for p in variant_problems(db.engine, saved.variant_id)} == {
        ViolationKind.MISSING,
        ViolationKind.FORBIDDEN,
    }
    origins = {u.origin for u in MemoryStore(db.engine).units()}
    assert origins == {f"publication:{pid}"}


def test_the_next_translation_of_the_same_text_is_all_exact_matches(
    db: Store, pid: int, llm: ChatServer
) -> None:
    save_translation(db.engine, HUE_EDITOR, pid, "en", GOOD, GOOD_TITLE)
    other = Publications(db.engine).add(ADMIN, unit="central", language="vi", title=TITLE, body=BODY)
    job = translate_publication(db.engine, _openai(llm), ADMIN, other, "en")
    assert [s.memory[0].score for s in job.body.segments] == [100.0, 100.0, 100.0]
    assert [best_suggestion(s) for s in job.body.segments] == GOOD
    assert job.title_suggestion == GOOD_TITLE
    assert llm.requests == [], "exact matches are not sent to the engine"


def test_saving_again_makes_a_new_version_that_follows_the_source(db: Store, pid: int) -> None:
    pubs = Publications(db.engine)
    first = save_translation(db.engine, HUE_EDITOR, pid, "en", GOOD, GOOD_TITLE)
    assert variant_problems(db.engine, first.variant_id) == []
    pubs.edit(HUE_EDITOR, pid, title=TITLE, body=BODY + " Tạm biệt.")
    assert pubs.get(first.variant_id)["stale"]
    job = translate_publication(db.engine, NO_ENGINE, HUE_EDITOR, pid, "en")
    assert job.variant is not None and job.variant["id"] == first.variant_id
    second = save_translation(db.engine, HUE_EDITOR, pid, "en", [*GOOD[:2], "Hello. Goodbye."], GOOD_TITLE)
    assert (second.variant_id, second.version, second.created) == (first.variant_id, 2, False)
    variant = pubs.get(first.variant_id)
    assert variant["source_version"] == 2 and not variant["stale"]
    assert "translated from publication" in variant["events"][-1]["note"]
    with pytest.raises(NewsdeskError, match="variant of"):
        translate_publication(db.engine, NO_ENGINE, HUE_EDITOR, first.variant_id, "fr")


def test_misaligned_segments_are_saved_but_not_learned(db: Store, pid: int) -> None:
    saved = save_translation(db.engine, HUE_EDITOR, pid, "en", [" ".join(GOOD)], GOOD_TITLE)
    assert not saved.aligned and saved.memory_added == 0 and saved.problems == ()
    assert Publications(db.engine).get(saved.variant_id)["body"] == " ".join(GOOD)
    assert MemoryStore(db.engine).size() == 0


def test_a_partial_translation_is_saved_and_its_gaps_flagged(db: Store, pid: int) -> None:
    saved = save_translation(db.engine, HUE_EDITOR, pid, "en", [GOOD[0], "  ", GOOD[2]], GOOD_TITLE)
    assert saved.aligned and saved.memory_added == 3, "the blank segment is not learned"
    assert {(p.segment, p.violation.expected) for p in saved.problems} == {
        (1, "Ministry of Foreign Affairs"),
        (1, "peace"),
    }
    assert Publications(db.engine).get(saved.variant_id)["body"] == f"{GOOD[0]}\n\n{GOOD[2]}"
