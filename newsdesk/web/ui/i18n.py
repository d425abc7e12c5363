"""The workspace's two languages: Vietnamese by default, English on request.

Messages live in ``messages/*.toml``, one file per area of the workspace, each key
with both languages::

    [today.title]
    vi = "Hôm nay"
    en = "Today"

A test fails when a key lacks a language or a template uses an unknown key. Dates
and numbers are formatted by Babel in the user's locale and shown in Vietnam's time
zone (``23/11/2026 14:05`` / ``Nov 23, 2026, 2:05 PM``; ``1.234,5`` / ``1,234.5``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from datetime import UTC
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

__all__ = [
    "LANGUAGES",
    "TIMEZONE",
    "Translator",
    "choose_language",
    "messages",
]

LANGUAGES = ("vi", "en")
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_MESSAGES = Path(__file__).with_name("messages")
_DATETIME = {"vi": "dd/MM/yyyy HH:mm", "en": "MMM d, yyyy, h:mm a"}
_DATE = {"vi": "dd/MM/yyyy", "en": "MMM d, yyyy"}
_SHORT_DATE = {"vi": "dd/MM", "en": "MMM d"}


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every message by key: ``{"today.title": {"vi": "Hôm nay", "en": "Today"}}``."""
    table: dict[str, dict[str, str]] = {}
    for path in sorted(_MESSAGES.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        _flatten(data, "", table, path)
    return table


def _flatten(data: dict[str, object], prefix: str, table: dict[str, dict[str, str]], path: Path) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) <= set(LANGUAGES) and value:
            if name in table:
                raise ValueError(f"{path}: message {name!r} defined twice")
            table[name] = {lang: str(text) for lang, text in value.items()}
        elif isinstance(value, dict):
            _flatten(value, f"{name}.", table, path)
        else:
            raise ValueError(f"{path}: {name!r} is not a message table with vi/en")


def choose_language(*candidates: str | None) -> str:
    """The first candidate that is a workspace language, else Vietnamese."""
    for candidate in candidates:
        if candidate in LANGUAGES:
            return candidate
    return "vi"


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Translator:
    """Messages and formats of one language; what templates call ``t``, ``dt``, ``num`` …"""

    def __init__(self, lang: str) -> None:
        self.lang = choose_language(lang)

    def __call__(self, key: str, **values: object) -> str:
        entry = messages().get(key)
        if entry is None:
            raise KeyError(f"unknown message {key!r}")
        text = entry.get(self.lang) or entry["vi"]
        return text.format(**values) if values else text

    def datetime(self, value: dt.datetime | None) -> str:
        if value is None:
            return "—"
        return format_datetime(_aware(value), _DATETIME[self.lang], tzinfo=TIMEZONE, locale=self.lang)

    def date(self, value: dt.datetime | dt.date | None, *, short: bool = False) -> str:
        if value is None:
            return "—"
        pattern = (_SHORT_DATE if short else _DATE)[self.lang]
        if isinstance(value, dt.datetime):
            return format_datetime(_aware(value), pattern, tzinfo=TIMEZONE, locale=self.lang)
        return format_date(value, pattern, locale=self.lang)

    def number(self, value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return "—"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.lang)

    def count(self, value: int, one: str, other: str) -> str:
        """``"1 article"`` / ``"3 articles"`` (Vietnamese nouns do not inflect: both keys say ``bài``)."""
        return f"{self.number(value)} {self(one if value == 1 else other)}"

    def percent(self, value: float | None) -> str:
        return "—" if value is None else format_percent(value, locale=self.lang)
