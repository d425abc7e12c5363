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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.text.fold import fold

__all__ = [
    "Clause",
    "Query",
    "SearchFilters",
    "parse_query",
    "search_text",
    "to_fts5",
    "to_tsquery",
]

_NON_WORD = re.compile(r"[\W_]+")
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


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
    language: str | None = None
    outlet: str | None = None
    source_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None


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
