"""Glossary records and Vietnamese-aware term finding."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.translate import EntryStatus, Glossary, Term, TermEntry, TermUsage
from newsdesk.translate._text import keyed
from tests.translate.conftest import STEERING_VI


def entry(*terms: tuple[str, str] | tuple[str, str, str], **fields: str) -> TermEntry:
    return TermEntry(tuple(Term(*t) for t in terms), **fields)  # type: ignore[arg-type]


# --- records ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Term("VI", "Hà Nội"), "ISO 639-1"),
        (lambda: Term("vie", "Hà Nội"), "ISO 639-1"),
        (lambda: Term("vi", "  "), "empty"),
        (lambda: Term("vi", " Hà Nội"), "white space"),
        (lambda: Term("vi", "Hà\nNội"), "line break"),
        (lambda: Term("vi", "A | B"), "'|'"),
        (lambda: Term("vi", "Hà\x00Nội"), "U\\+0000"),
        (lambda: Term("vi", "Hà Nội", "official"), "official"),  # type: ignore[arg-type]
        (lambda: entry(), "at least one Term"),
        (lambda: entry(("vi", "Hà Nội", "admitted")), "preferred term"),
        (lambda: entry(("vi", "Hà Nội"), ("vi", "Thủ đô")), "more than one preferred term in vi"),
        (
            lambda: entry(("vi", "Hà Nội"), ("en", "HN", "admitted")),
            "admitted terms without a preferred term in en",
        ),
        (lambda: entry(("vi", "Hà Nội"), ("vi", "Hà Nội", "forbidden")), "listed twice"),
        (lambda: entry(("vi", "Hà Nội"), status="draft"), "draft"),
        (lambda: entry(("vi", "Hà Nội"), domain="a\nb"), "line break"),
        (lambda: entry(("vi", "Hà Nội"), note="\x07"), "U\\+0007"),
    ],
)
def test_invalid_records_are_refused(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


def test_terms_are_kept_in_one_canonical_order() -> None:
    a = entry(("vi", "Hà Nội"), ("en", "Hanoi"), ("vi", "HN", "forbidden"), ("vi", "Thủ đô", "admitted"))
    b = entry(("vi", "HN", "forbidden"), ("vi", "Thủ đô", "admitted"), ("en", "Hanoi"), ("vi", "Hà Nội"))
    assert a == b
    assert [t.text for t in a.terms] == ["Hanoi", "Hà Nội", "Thủ đô", "HN"]
    assert a.languages == ("en", "vi")
    assert a.preferred("vi") == Term("vi", "Hà Nội") and a.preferred("fr") is None
    assert a.in_lang("vi", TermUsage.FORBIDDEN) == (Term("vi", "HN", TermUsage.FORBIDDEN),)
    assert a.status is EntryStatus.APPROVED


# --- finding terms ------------------------------------------------------------------------------


def found(glossary: Glossary, text: str, lang: str = "vi", **options: object) -> list[tuple[str, str]]:
    return [(m.text, m.term.text) for m in glossary.find(text, lang, **options)]  # type: ignore[arg-type]


def test_longest_match_wins(glossary: Glossary) -> None:
    text = f"{STEERING_VI} họp. Ban Chỉ đạo làm việc về thông tin đối ngoại."
    assert found(glossary, text) == [
        (STEERING_VI, STEERING_VI),
        ("Ban Chỉ đạo", "Ban Chỉ đạo"),
        ("thông tin đối ngoại", "thông tin đối ngoại"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Việt Nam ủng hộ hoà bình.", "hoà bình"),  # new-style tone placement
        ("Việt Nam ủng hộ HÒA BÌNH.", "HÒA BÌNH"),  # case
        (unicodedata.normalize("NFD", "ủng hộ hòa bình"), unicodedata.normalize("NFD", "hòa bình")),
        ("ủng hộ hòa\u00a0 \n bình", "hòa\u00a0 \n bình"),  # odd white space inside the term
        ("ủng hộ hòa\u00adbình", None),  # a soft hyphen joins the words: one word, no match
        ("ủng hộ hoà bìnhh", None),  # whole words only
        ("ủng hộ hoa bình", None),  # accents matter: hoa ≠ hòa
    ],
)
def test_matching_is_vietnamese_aware(glossary: Glossary, text: str, expected: str | None) -> None:
    assert found(glossary, text) == ([(expected, "hòa bình")] if expected else [])


def test_admitted_variants_match_and_forbidden_only_on_request(glossary: Glossary) -> None:
    assert found(glossary, "BCĐ họp.") == [("BCĐ", "BCĐ")]
    text = "The External Information Steering Board met."
    assert found(glossary, text, "en") == [("External Information", "external information")]
    assert found(glossary, text, "en", usages=TermUsage) == [
        ("External Information Steering Board", "External Information Steering Board")
    ]


def test_proposed_entries_only_on_request(glossary: Glossary) -> None:
    text = "Thông tấn xã Việt Nam đưa tin."
    assert found(glossary, text) == []
    assert found(glossary, text, include_proposed=True) == [(text[:21], "Thông tấn xã Việt Nam")]


def test_homonyms_are_all_reported() -> None:
    glossary = Glossary([entry(("vi", "Ban"), ("en", "Board")), entry(("vi", "ban"), ("en", "department"))])
    assert [m.entry.preferred("en").text for m in glossary.find("Ban họp.", "vi")] == ["Board", "department"]  # type: ignore[union-attr]


def test_terms_starting_with_punctuation_or_digits_match() -> None:
    glossary = Glossary(
        [entry(("vi", "57-KL/TW"), ("en", "Conclusion 57")), entry(("vi", "(TW)"), ("en", "(CC)"))]
    )
    assert found(glossary, "Kết luận 57-KL/TW (TW) và 157-KL/TW") == [
        ("57-KL/TW", "57-KL/TW"),
        ("(TW)", "(TW)"),
    ]


def test_index_follows_changes(glossary: Glossary) -> None:
    assert found(glossary, "Quốc hội họp.") == []
    glossary.add(entry(("vi", "Quốc hội"), ("en", "National Assembly")))
    assert found(glossary, "Quốc hội họp.") == [("Quốc hội", "Quốc hội")]
    assert len(glossary) == 7 and "fr" in glossary.languages


_FILLER = st.sampled_from(["Hôm nay", "ông", "bà", "và", "tại Hà Nội", "ngày 5", "—", ",", "năm 2025"])


@given(
    before=st.lists(_FILLER, max_size=4),
    after=st.lists(_FILLER, max_size=4),
    spaces=st.lists(st.sampled_from([" ", "  ", "\u00a0", "\n", "\t "]), min_size=4, max_size=4),
    upper=st.booleans(),
    nfd=st.booleans(),
)
def test_a_term_is_found_however_it_is_written(
    before: list[str], after: list[str], spaces: list[str], upper: bool, nfd: bool
) -> None:
    glossary = Glossary([entry(("vi", "Bộ Ngoại giao Việt Nam"), ("en", "Ministry"))])
    written = spaces[0].join(["Bộ", "Ngoại", "giao"]) + spaces[1] + "Việt Nam"
    written = written.upper() if upper else written
    written = unicodedata.normalize("NFD", written) if nfd else written
    text = " ".join([*before, written, *after]) + "."
    matches = glossary.find(text, "vi")
    assert [(text[m.start : m.end], m.text) for m in matches] == [(written, written)]
    assert keyed(matches[0].text).key == keyed("Bộ Ngoại giao Việt Nam").key


@given(st.text(max_size=60))
def test_keys_map_back_into_the_text(text: str) -> None:
    source = keyed(text)
    assert len(source.starts) == len(source.ends) == len(source.key)
    assert list(source.starts) == sorted(source.starts)
    assert all(0 <= s < e <= len(text) for s, e in zip(source.starts, source.ends, strict=True))
    assert keyed(source.key).key == source.key, "a key is its own key"
