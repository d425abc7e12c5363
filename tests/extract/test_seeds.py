"""The cleaner on the five seed texts of the shared corpus (read at run time, never copied).

Per seed, the article's lines are named by index ranges of the seed file: each
of them must be in the cleaned body (after the same line normalization), and
the noise lines, by index too, must not.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsdesk.extract import clean_plaintext, normalize_line
from newsdesk.model import Extracted

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"
ICT = timezone(timedelta(hours=7))

pytestmark = pytest.mark.corpus

# seed prefix → (title line, article line ranges, noise line ranges); indexes are 0-based.
# Lines that repeat the title as an image alt (001) are neither article nor checked noise.
LAYOUT: dict[str, tuple[int | None, list[range], list[range]]] = {
    "000": (0, [range(1, 3)], []),
    "001": (3, [range(5, 11), range(12, 24), range(25, 41), range(42, 51)], [range(0, 2), range(52, 59)]),
    "002": (0, [range(2, 34)], [range(35, 59)]),
    "003": (3, [range(5, 29)], [range(0, 2), range(29, 30)]),
    "004": (None, [range(1, 14)], []),
}
REPAIRED = {"004": 1}
"""Leading paragraphs checked in their repaired form by their own test."""


def _seed(prefix: str) -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus absent")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8").splitlines()


def _selected(lines: list[str], ranges: list[range]) -> list[str]:
    return [normalize_line(lines[index]) for span in ranges for index in span if lines[index].strip()]


def _clean(lines: list[str]) -> Extracted:
    return clean_plaintext("\n".join(lines), origin="seed")


@pytest.mark.parametrize("prefix", sorted(LAYOUT))
def test_every_article_line_is_in_the_body(prefix: str) -> None:
    lines = _seed(prefix)
    title_at, article, _ = LAYOUT[prefix]
    result = _clean(lines)
    paragraphs = result.text.split("\n\n")
    for line in _selected(lines, article):
        assert line in paragraphs, line[:80]
    if title_at is not None:
        assert result.title == normalize_line(lines[title_at])


@pytest.mark.parametrize("prefix", sorted(LAYOUT))
def test_no_noise_line_is_in_the_body(prefix: str) -> None:
    lines = _seed(prefix)
    _, _, noise = LAYOUT[prefix]
    paragraphs = set(_clean(lines).text.split("\n\n"))
    for line in _selected(lines, noise):
        assert line not in paragraphs, line[:80]


@pytest.mark.parametrize("prefix", sorted(LAYOUT))
def test_the_body_is_nothing_but_article_lines(prefix: str) -> None:
    lines = _seed(prefix)
    _, article, _ = LAYOUT[prefix]
    paragraphs = _clean(lines).text.split("\n\n")[REPAIRED.get(prefix, 0) :]
    assert paragraphs == list(dict.fromkeys(_selected(lines, article)))


@pytest.mark.parametrize("prefix", sorted(LAYOUT))
def test_cleaning_a_cleaned_seed_changes_nothing(prefix: str) -> None:
    body = _clean(_seed(prefix)).text
    assert clean_plaintext(body).text == body


def test_glued_sentences_are_spaced() -> None:
    lines = _seed("000")
    body = _clean(lines).text
    glued = [
        index
        for index in range(len(lines[1]) - 1)
        if lines[1][index] == "." and lines[1][index + 1].isupper()
    ]
    assert glued, "the seed has sentences glued after a full stop"
    for index in glued:
        word_before = lines[1][:index].split()[-1]
        assert f"{word_before}. " in body


def test_001_metadata_and_noise() -> None:
    lines = _seed("001")
    result = _clean(lines)
    assert result.author == lines[55].split(":", 1)[1].strip()
    kinds = {kind for kind, _ in result.removed}
    assert {"symbols", "share_tools", "view_counter", "author", "placeholder", "related_marker"} <= kinds
    assert [line for kind, line in result.removed if kind == "title_repeat"] == [lines[3]] * 3


def test_002_outlet_related_list_and_double_captions() -> None:
    lines = _seed("002")
    result = _clean(lines)
    assert result.outlet == lines[35].strip()
    paragraphs = result.text.split("\n\n")
    for index in (8, 13, 18):  # captions printed twice
        assert lines[index] == lines[index + 1]
        assert paragraphs.count(normalize_line(lines[index])) == 1
    related = [line for kind, line in result.removed if kind == "related_list"]
    assert related == _selected(lines, [range(39, 59)])


def test_003_banner_date_and_source() -> None:
    lines = _seed("003")
    result = _clean(lines)
    assert result.removed.count(("banner", lines[0])) == 1
    assert result.published == datetime(2024, 5, 21, 14, 57, tzinfo=ICT)
    assert result.outlet is not None and result.outlet in lines[29]
    assert not result.outlet.startswith(("http", "www"))


def test_004_spam_is_cut_and_the_first_paragraph_repaired() -> None:
    lines = _seed("004")
    tokens = lines[0].split()
    glued_at = max(range(len(tokens)), key=lambda index: len(tokens[index]))
    year_at = next(index for index in range(glued_at + 1, len(tokens)) if tokens[index].isdigit())
    before_glue = tokens[glued_at].split(",")[0] + ","
    repaired = " ".join([*tokens[:glued_at], before_glue, *tokens[year_at + 1 :]])
    spam_phrase = " ".join(tokens[glued_at + 1 : year_at + 1])

    result = _clean(lines)
    assert result.text.split("\n\n")[0] == normalize_line(repaired)
    assert spam_phrase not in result.text
    assert max(len(token) for token in result.text.split()) < 30
    assert [kind for kind, _ in result.removed] == ["spam_glued", "spam_phrase"]
