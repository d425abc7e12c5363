"""Glossary constraints of a segment, violations of a translation, and the safe repair."""

from __future__ import annotations

import pytest

from newsdesk.translate import (
    Glossary,
    Term,
    TermEntry,
    TermUsage,
    ViolationKind,
    check_glossary,
    enforce,
    required_terms,
)
from tests.translate.conftest import STEERING_EN, STEERING_FR, STEERING_VI, STEERING_WRONG

SOURCE = f"{STEERING_VI} họp với Bộ Ngoại giao."


def kinds(source: str, target: str, glossary: Glossary, tgt: str = "en") -> list[tuple[str, str]]:
    return [
        (v.kind.value, v.found or str(v.expected))
        for v in check_glossary(source, target, "vi", tgt, glossary)
    ]


def test_required_terms_carry_the_target_constraints(glossary: Glossary) -> None:
    steering, ministry = required_terms(SOURCE, "vi", "en", glossary)
    assert (steering.source.text, steering.target) == (STEERING_VI, STEERING_EN)
    assert steering.accepted == (STEERING_EN,) and steering.forbidden == (STEERING_WRONG,)
    assert (ministry.target, ministry.forbidden) == ("Ministry of Foreign Affairs", ())
    (steering_fr, ministry_fr) = required_terms(SOURCE, "vi", "fr", glossary)
    assert steering_fr.target == STEERING_FR and ministry_fr.target is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (f"The {STEERING_EN} met the Ministry of Foreign Affairs.", []),
        (f"the {STEERING_EN.lower()} met the MINISTRY OF FOREIGN AFFAIRS.", []),
        ("The committee met the Ministry of Foreign Affairs.", [("missing_term", STEERING_EN)]),
        (
            f"The {STEERING_WRONG} met the Foreign Ministry.",
            [
                ("missing_term", STEERING_EN),
                ("missing_term", "Ministry of Foreign Affairs"),
                ("forbidden_term", STEERING_WRONG),
            ],
        ),
    ],
)
def test_violations(glossary: Glossary, target: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(SOURCE, target, glossary) == expected


def test_every_occurrence_counts(glossary: Glossary) -> None:
    source = f"{STEERING_VI} họp. BCĐ kết luận."
    (violation,) = check_glossary(source, f"The {STEERING_EN} met. It concluded.", "vi", "en", glossary)
    assert (violation.required, violation.present) == (2, 1)
    assert violation.source_spans == ((0, len(STEERING_VI)), (len(STEERING_VI) + 6, len(STEERING_VI) + 9))
    assert violation.message == f"approved term {STEERING_EN!r} used 1 time(s), the source has 2"


def test_an_approved_term_containing_a_forbidden_one_is_no_violation() -> None:
    glossary = Glossary(
        [
            TermEntry(
                (
                    Term("vi", "Ban Chỉ đạo"),
                    Term("en", "Steering Committee for Information"),
                    Term("en", "Steering Committee", TermUsage.FORBIDDEN),
                )
            ),
        ]
    )
    assert kinds("Ban Chỉ đạo họp.", "The Steering Committee for Information met.", glossary) == []
    assert kinds("Ban Chỉ đạo họp.", "The Steering Committee met.", glossary) == [
        ("missing_term", "Steering Committee for Information"),
        ("forbidden_term", "Steering Committee"),
    ]


def test_forbidden_variants_of_absent_concepts_are_not_flagged(glossary: Glossary) -> None:
    assert (
        kinds("Bộ Ngoại giao họp.", f"The Ministry of Foreign Affairs and the {STEERING_WRONG}.", glossary)
        == []
    )


def test_no_target_term_means_nothing_to_check(glossary: Glossary) -> None:
    assert kinds("Bộ Ngoại giao họp.", "Le ministère s'est réuni.", glossary, "fr") == []


def test_enforce_repairs_and_reports(glossary: Glossary) -> None:
    target = f"The {STEERING_WRONG} met the Foreign Ministry. The {STEERING_WRONG.lower()} agreed."
    source = f"{STEERING_VI} họp với Bộ Ngoại giao. BCĐ đồng ý."
    result = enforce(source, target, "vi", "en", glossary)
    assert result.text == f"The {STEERING_EN} met the Foreign Ministry. The {STEERING_EN} agreed."
    assert [v.found for v in result.fixed] == [STEERING_WRONG, STEERING_WRONG.lower()]
    assert all(v.kind is ViolationKind.FORBIDDEN for v in result.fixed)
    assert [(v.kind, v.expected) for v in result.remaining] == [
        (ViolationKind.MISSING, "Ministry of Foreign Affairs")
    ], "a missing term is reported, never invented"


def test_enforce_leaves_ambiguous_variants_alone() -> None:
    glossary = Glossary(
        [
            TermEntry(
                (
                    Term("vi", "Ban Tuyên giáo"),
                    Term("en", "Commission for Information and Education"),
                    Term("en", "Propaganda Board", TermUsage.FORBIDDEN),
                )
            ),
            TermEntry(
                (
                    Term("vi", "Ban Tuyên huấn"),
                    Term("en", "Training Commission"),
                    Term("en", "Propaganda Board", TermUsage.FORBIDDEN),
                )
            ),
        ]
    )
    source, target = "Ban Tuyên giáo và Ban Tuyên huấn họp.", "The Propaganda Board met."
    result = enforce(source, target, "vi", "en", glossary)
    assert result.text == target and result.fixed == ()
    assert sum(v.kind is ViolationKind.FORBIDDEN for v in result.remaining) == 2


def test_enforce_without_problems_changes_nothing(glossary: Glossary) -> None:
    target = f"The {STEERING_EN} met the Ministry of Foreign Affairs."
    assert enforce(SOURCE, target, "vi", "en", glossary).text == target
