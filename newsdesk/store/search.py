"""Full-text search that behaves the same on SQLite and PostgreSQL.

Both backends index the same *search text*: title and body accent-folded by
:func:`newsdesk.text.fold.fold` and reduced to space-separated word tokens, so
"nhan quyen" finds "nhân quyền" and a token means the same thing everywhere.
SQLite keeps it in an FTS5 table (rowid = article id); PostgreSQL in a
``tsvector`` column built with the ``simple`` configuration (no stemming, no
stop words), title weighted above body.

Query syntax (what a user types):

    nhan quyen               both words (AND)
    "thong tin doi ngoai"    a phrase
    hoi nghi -asiad          exclude a word (or -"a phrase")
    asean OR apec            either side
    chuyen*                  prefix

Filters (:class:`SearchFilters`) narrow the text match, or browse without one. A date
given without a time means a day in Vietnam (UTC+7, no daylight saving): ``date_from``
its first instant, ``date_to`` its last, so ``date_to=2026-11-01`` includes that whole
day (:func:`parse_when`). A time without a zone is UTC, as everywhere in the store.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from newsdesk.text.fold import fold

__all__ = [
    "LOCAL_TIME",
    "Clause",
    "Query",
    "SearchFilters",
    "parse_query",
    "parse_when",
    "search_text",
    "to_fts5",
    "to_tsquery",
]

_NON_WORD = re.compile(r"[\W_]+")
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_SPACED_OFFSET = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


def search_text(text: str) -> str:
    """The indexed form of a text: folded, word tokens separated by single spaces."""
    return _NON_WORD.sub(" ", fold(text)).strip()


@dataclass(frozen=True, slots=True)
class Term:
    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(slots=True)
class Clause:
    """An AND of ``include`` terms minus any of ``exclude``."""

    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)


@dataclass(slots=True)
class Query:
    """An OR of clauses; empty means "no text condition" (browse by filters)."""

    clauses: list[Clause] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(c.include for c in self.clauses)

    def positive_tokens(self) -> list[str]:
        return [tok for c in self.clauses for t in c.include for tok in t.tokens]


@dataclass(slots=True)
class SearchFilters:
    """What narrows a search besides its text; ``None`` means "any".

    ``theme`` includes its subthemes (``diplomacy`` matches ``diplomacy.asean_regional``);
    ``document`` matches every citation of the same base document, as the document
    page lists them (``KL-57-TW-XIII`` and a bare ``KL-57-TW``).
    """

    language: str | None = None
    outlet: str | None = None
    source_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    _: KW_ONLY
    country: str | None = None
    theme: str | None = None
    entity: int | None = None
    document: str | None = None
    story: int | None = None


LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
"""Where a date without a time is read: the offices' day, also the date histogram's."""


def parse_when(value: str, *, end: bool = False) -> datetime:
    """An ISO date or datetime from a URL; a date is the first (or, with ``end``, last) instant
    of that day in Vietnam. Raises ``ValueError`` for anything else."""
    value = value.strip()
    if len(value) == 10:
        day = date.fromisoformat(value)
        start = datetime.combine(day, time(), LOCAL_TIME)
        return start + timedelta(days=1, microseconds=-1) if end else start
    # "+07:00" whose plus became a space in a query string nobody encoded
    return datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1+\2", value))


def _term(raw: str) -> Term | None:
    prefix = raw.endswith("*")
    tokens = tuple(search_text(raw.rstrip("*")).split())
    return Term(tokens, prefix) if tokens else None


def parse_query(text: str) -> Query:
    """Parse what the user typed; unknown punctuation is ignored, never an error."""
    query = Query([Clause()])
    for match in _QUERY_TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word == "OR":
            query.clauses.append(Clause())
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        term = _term(phrase if phrase is not None else word or "")
        if term is None:
            continue
        clause = query.clauses[-1]
        (clause.exclude if negated else clause.include).append(term)
    query.clauses = [c for c in query.clauses if c.include]
    return query


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.tokens) + '"'
    return quoted + ("*" if term.prefix else "")


def to_fts5(query: Query) -> str:
    """Compile to an FTS5 MATCH expression (tokens are alphanumeric, so quoting is safe)."""
    parts = []
    for clause in query.clauses:
        expr = "(" + " AND ".join(_fts5_term(t) for t in clause.include) + ")"
        for term in clause.exclude:
            expr = f"({expr} NOT {_fts5_term(term)})"
        parts.append(expr)
    return " OR ".join(parts)


def _ts_term(term: Term) -> str:
    tokens = list(term.tokens)
    if term.prefix:
        tokens[-1] += ":*"
    inner = " <-> ".join(tokens)
    return f"({inner})" if len(tokens) > 1 else inner


def to_tsquery(query: Query) -> str:
    """Compile to a PostgreSQL ``to_tsquery('simple', …)`` string."""
    parts = []
    for clause in query.clauses:
        terms = [_ts_term(t) for t in clause.include]
        terms += [f"!{_ts_term(t)}" for t in clause.exclude]
        parts.append("(" + " & ".join(terms) + ")")
    return " | ".join(parts)
