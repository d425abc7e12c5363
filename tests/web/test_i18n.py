"""Every message in both languages, every literal key used exists, local formats of dates and numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.web.ui.i18n import LANGUAGES, Translator, messages
from newsdesk.web.ui.render import TEMPLATES

UI = Path(TEMPLATES).parent
_LITERAL_KEY = re.compile(r"""\bt\(\s*['"]([a-z_][a-z_.0-9]*)['"]\s*[,)]""")


def test_every_message_has_both_languages_and_no_empty_text() -> None:
    table = messages()
    assert len(table) > 300
    missing = {
        key: sorted(set(LANGUAGES) - set(entry))
        for key, entry in table.items()
        if set(entry) != set(LANGUAGES)
    }
    assert not missing
    assert not [key for key, entry in table.items() if not all(text.strip() for text in entry.values())]


def test_every_literal_key_in_templates_and_pages_exists() -> None:
    table = messages()
    sources = [*sorted(TEMPLATES.glob("*.html")), *sorted(UI.glob("*.py"))]
    used = {
        (path.name, key) for path in sources for key in _LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 200
    assert not sorted((name, key) for name, key in used if key not in table)


@pytest.mark.parametrize(
    ("lang", "when", "number", "count"),
    [
        ("vi", "23/11/2026 14:05", "1.234.567", "1 bài"),
        ("en", "Nov 23, 2026, 2:05 PM", "1,234,567", "1 article"),
    ],
)
def test_local_formats(lang: str, when: str, number: str, count: str) -> None:
    t = Translator(lang)
    assert t.datetime(datetime(2026, 11, 23, 7, 5, tzinfo=UTC)) == when  # shown in Vietnam's time
    assert t.number(1234567) == number
    assert t.count(1, "common.article", "common.articles") == count
    assert t.count(2, "common.article", "common.articles").endswith("bài" if lang == "vi" else "articles")
