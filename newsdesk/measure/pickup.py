"""Pickups: monitored articles that reuse a publication of the office, and how much of it.

The office publishes an article, often in several language variants (a Vietnamese source
and its English translation). Other outlets *pick it up*: they reprint it whole, keep only
the lead paragraphs, put a new headline (and perhaps a new first sentence) on it, or quote
two or three of its paragraphs inside an article of their own. An English outlet picks up
the English variant. Other outlets' *own* reports of the same event are not pickups, though
they share names, titles, places and the odd stock phrase with it.

**Two steps.** :func:`candidate_terms` picks distinctive phrases of the publication for an
OR'ed full-text query (:func:`candidate_query`; the store indexes folded word tokens, a
phrase is written in double quotes), which brings back a few dozen to a few hundred
candidates out of the archive; :func:`compare` (:func:`match`, :func:`find_pickups`) then
decides on each candidate. Measured by ``bench/bench_pickup.py`` with an in-memory stand-in
for the index over 23,000 articles: 32 five-token phrases, weighted by the index's document
frequencies, retrieve every generated pickup (quoted paragraphs included) with a median of
11 candidates (p95 145, max 658), ≈ 620 at p95 for a 100,000-article archive.
Matching is monolingual: each candidate is compared with the variants in its language
(all variants when its language is unknown).

**Passages.** A pair is compared on the passages of at least ``passage_words`` (8) words
the publication's text and the article's text share, found by
:func:`newsdesk.analyze.dedup.reused_passages`: words compared folded (case, diacritics,
``hoà``/``hòa``), so re-typing, reformatting and Unicode forms do not matter; order in the
article does not matter either (moved paragraphs are found). Titles are not compared as
text, only to tell a re-headlined copy from a verbatim one.

**Evidence and the decision.** Shared passages of same-event reports are short: a name with
its title and office (``ông Lương Trường Sơn - Trưởng Công an xã …`` is 16 syllables), an
address, a law's full name. Each passage is therefore counted beyond a *name allowance*:
``evidence = Σ max(0, words − name_allowance)`` over the passages. A candidate is a pickup
when ``evidence ≥ min_evidence`` — with the defaults (allowance 12, evidence 25) that is
one reused passage of 37 words or more, or, say, two of 25 — or, for a short publication,
when ``reused_share ≥ min_share`` (0.6) of its words are reused in passages at least
``min_share_words`` (25) long in all. On the labelled set of :mod:`newsdesk.measure.labelled`
(``bench/bench_pickup.py`` prints the curve) quotes of two or three paragraphs (40 words or
more) give an evidence of 25 at least, 60 at the median; same-event reports that share no
passage of 20 words reach 22 at most, 12 for 99% of them. The threshold therefore sits in a
narrow gap: 20 lets 2 of 3,243 negatives through, 30 loses 17 of 2,331 pickups.

**Kinds.** ``reused_share`` is the share of the publication's words found in the article,
``article_share`` the share of the article's words that come from the publication:

=============== ===============================================================
``verbatim``    ``reused_share ≥ 0.9`` and ``article_share ≥ 0.8``, same title
``reheadlined`` the same with another title (a new first sentence is allowed)
``trimmed``     ``reused_share < 0.9``, ``article_share ≥ 0.8``: lead paragraphs,
                a cut tail, paragraphs left out
``partial``     ``article_share < 0.8``: the publication, whole or in part, inside
                an article that is mostly other text
=============== ===============================================================

A light copy-edit (a few words changed per paragraph) is found, usually as ``trimmed`` or
``partial`` since the changed words break the passages; heavier rewrites (10–20% of the
words of every paragraph) are found 71% of the time — they are rewrites, not pickups.

**Speed.** A candidate first gets an upper bound cheaply: the publication's word 8-grams
(hashed once per publication with :func:`newsdesk.analyze.dedup.word_hashes`) that also occur
among the article's bound the words any passage can cover, and the evidence it can reach.
Candidates that cannot reach the decision are rejected there; the rest get their passages
with character offsets. On the labelled set (texts of 200–1,500 words) a non-pickup costs
≈ 0.4 ms of CPU, a pickup ≈ 1.7 ms; :func:`find_pickups` over 300 candidates ≈ 90 ms.

**With the store.** The database layer is expected to run, per publication: the query
``candidate_query(candidate_terms(text, title, language=…, document_frequency=df))``
restricted to articles published after it (and to the variant's language when known),
where ``df`` reads the token's document count from the index (SQLite: an ``fts5vocab``
table of type ``row``; PostgreSQL: a token-count table kept beside the ``tsvector``), then
:func:`find_pickups` over the ``(id, title, text, language)`` rows it returns.

**Results.** :func:`compare` always returns a :class:`PickupVerdict` (the figures, and the
reason when it is not a pickup: ``empty``, ``no_shared_passage``, ``too_little_reuse``);
:func:`match` returns only the :class:`PickupMatch` or None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from newsdesk.analyze.dedup import Passage, reused_passages, word_hashes
from newsdesk.analyze.keyphrases import stopwords
from newsdesk.analyze.sentences import sentence_spans
from newsdesk.store.search import search_text

__all__ = [
    "Candidate",
    "CandidateLike",
    "Passage",
    "Pickup",
    "PickupConfig",
    "PickupKind",
    "PickupMatch",
    "PickupVerdict",
    "Publication",
    "RejectReason",
    "Variant",
    "candidate_query",
    "candidate_terms",
    "compare",
    "find_pickups",
    "match",
]

PickupKind = Literal["verbatim", "reheadlined", "trimmed", "partial"]
RejectReason = Literal["empty", "no_shared_passage", "too_little_reuse"]


class PickupConfig(BaseModel):
    """Tunable parameters of pickup matching (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    passage_words: int = Field(8, ge=4, le=20, description="shortest shared passage, in words")
    name_allowance: int = Field(
        12, ge=0, description="words of each passage not counted as evidence (names, titles, addresses)"
    )
    min_evidence: int = Field(25, ge=1, description="evidence (words beyond the allowance) for a pickup")
    min_share: float = Field(
        0.6, gt=0, le=1, description="or this share of a short publication's words reused …"
    )
    min_share_words: int = Field(25, ge=1, description="… in passages of at least this many words in all")
    full_share: float = Field(0.9, gt=0, le=1, description="reused_share from which the whole text is reused")
    whole_share: float = Field(
        0.8, gt=0, le=1, description="article_share from which the article is the publication"
    )


_DEFAULT = PickupConfig()


@dataclass(frozen=True, slots=True)
class Variant:
    """One language version of a publication."""

    language: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Publication:
    """What the office published: an id and its language variants (the source first)."""

    id: str
    variants: tuple[Variant, ...]

    @classmethod
    def single(cls, title: str, text: str, language: str = "vi", id: str = "") -> Publication:
        """A publication with one variant."""
        return cls(id, (Variant(language, title, text),))


class Candidate(NamedTuple):
    """A monitored article to check; a plain ``(id, title, text)`` tuple works too."""

    id: str
    title: str
    text: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class PickupMatch:
    """How an article reuses a publication.

    ``passages`` are the reused passages in the order of the publication: ``a_start``/``a_end``
    are offsets in the publication's text, ``b_start``/``b_end`` in the article's text.
    ``same_title`` is None when either title is empty.
    """

    kind: PickupKind
    reused_share: float
    article_share: float
    reused_words: int
    evidence: int
    same_title: bool | None
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class PickupVerdict:
    """The outcome of one comparison: the match, or the reason there is none, with the figures."""

    match: PickupMatch | None
    reason: RejectReason | None
    reused_words: int = 0
    reused_share: float = 0.0
    evidence: int = 0


@dataclass(frozen=True, slots=True)
class Pickup:
    """A match found by :func:`find_pickups`: the article, the variant's language, the match."""

    article_id: str
    language: str
    match: PickupMatch


# ---------------------------------------------------------------- word n-grams

_MUL = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A text's word count and its word n-gram keys, in order."""

    words: int
    grams: np.ndarray


def _grams(words: np.ndarray, size: int) -> np.ndarray:
    """A 64-bit key per ``size``-word window of the word hashes ``words``."""
    count = len(words) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    keys = words[:count].copy()
    for k in range(1, size):
        keys = keys * _MUL + words[k : count + k]
    return keys


@lru_cache(maxsize=64)
def _prepared(text: str, size: int) -> _Prepared:
    """The publication side, cached: one publication is compared with many candidates."""
    words = word_hashes(text)
    return _Prepared(len(words), _grams(words, size))


def _covered_runs(shared: np.ndarray, size: int, words: int) -> np.ndarray:
    """Lengths of the runs of words covered by the shared ``size``-grams (``shared`` per gram start)."""
    depth = np.zeros(words + 1, dtype=np.int32)
    starts = np.flatnonzero(shared)
    np.add.at(depth, starts, 1)
    np.add.at(depth, starts + size, -1)
    covered = np.cumsum(depth[:words]) > 0
    edges = np.diff(np.concatenate(([0], covered.astype(np.int8), [0])))
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)


def _evidence(lengths: Iterable[int], allowance: int) -> int:
    return sum(max(0, length - allowance) for length in lengths)


# ---------------------------------------------------------------- the decision


def compare(
    publication_title: str,
    publication_text: str,
    article_title: str,
    article_text: str,
    config: PickupConfig | None = None,
) -> PickupVerdict:
    """Whether the article reuses the publication's text, how much and how (see the module docstring)."""
    cfg = config or _DEFAULT
    pub = _prepared(publication_text, cfg.passage_words)
    article_words = word_hashes(article_text)
    if not pub.words or not len(article_words):
        return PickupVerdict(None, "empty")
    bound = _upper_bound(pub, _grams(article_words, cfg.passage_words), cfg)
    if bound is not None:
        return bound
    passages = reused_passages(publication_text, article_text, cfg.passage_words)
    reused = sum(p.words for p in passages)
    share = min(reused / pub.words, 1.0)
    evidence = _evidence((p.words for p in passages), cfg.name_allowance)
    if not passages:
        return PickupVerdict(None, "no_shared_passage")
    if not _accepted(reused, share, evidence, cfg):
        return PickupVerdict(None, "too_little_reuse", reused, share, evidence)
    article_share = min(reused / len(article_words), 1.0)
    same_title = _same_title(publication_title, article_title)
    kind = _kind(share, article_share, same_title, cfg)
    found = PickupMatch(kind, share, article_share, reused, evidence, same_title, tuple(passages))
    return PickupVerdict(found, None, reused, share, evidence)


def match(
    publication_title: str,
    publication_text: str,
    article_title: str,
    article_text: str,
    config: PickupConfig | None = None,
) -> PickupMatch | None:
    """The :class:`PickupMatch` when the article is a pickup of the publication, else None."""
    return compare(publication_title, publication_text, article_title, article_text, config).match


def _upper_bound(pub: _Prepared, article_grams: np.ndarray, cfg: PickupConfig) -> PickupVerdict | None:
    """A rejection when even the shared n-grams, wherever they are in the article, cannot make a pickup.

    The publication's words covered by n-grams that occur anywhere in the article bound the
    words any set of passages can cover, and their runs bound the evidence.
    """
    if not len(pub.grams) or not len(article_grams):
        return PickupVerdict(None, "no_shared_passage")
    shared = np.isin(pub.grams, article_grams)
    if not shared.any():
        return PickupVerdict(None, "no_shared_passage")
    runs = _covered_runs(shared, cfg.passage_words, pub.words)
    reused, evidence = int(runs.sum()), _evidence(runs.tolist(), cfg.name_allowance)
    if _accepted(reused, min(reused / pub.words, 1.0), evidence, cfg):
        return None
    return PickupVerdict(None, "too_little_reuse", reused, min(reused / pub.words, 1.0), evidence)


def _accepted(reused: int, share: float, evidence: int, cfg: PickupConfig) -> bool:
    return evidence >= cfg.min_evidence or (share >= cfg.min_share and reused >= cfg.min_share_words)


def _same_title(a: str, b: str) -> bool | None:
    first, second = word_hashes(a), word_hashes(b)
    if not len(first) or not len(second):
        return None
    return bool(np.array_equal(first, second))


def _kind(share: float, article_share: float, same_title: bool | None, cfg: PickupConfig) -> PickupKind:
    if article_share < cfg.whole_share:
        return "partial"
    if share < cfg.full_share:
        return "trimmed"
    return "reheadlined" if same_title is False else "verbatim"


# ---------------------------------------------------------------- many candidates

CandidateLike = Candidate | tuple[str, str, str]
"""A :class:`Candidate`, or a plain ``(id, title, text)`` tuple."""


def find_pickups(
    publication: Publication, candidates: Iterable[CandidateLike], config: PickupConfig | None = None
) -> list[Pickup]:
    """The candidates that pick up one of the publication's variants, most reused first.

    A candidate with a ``language`` is compared with the variants of that language only;
    one without, with every variant. Its best match (most words reused) is kept.
    """
    found: list[Pickup] = []
    for item in candidates:
        candidate = item if isinstance(item, Candidate) else Candidate(*item)
        best = _best_match(publication.variants, candidate, config)
        if best is not None:
            found.append(best)
    found.sort(key=lambda p: (-p.match.reused_share, -p.match.article_share, p.article_id))
    return found


def _best_match(
    variants: Sequence[Variant], candidate: Candidate, config: PickupConfig | None
) -> Pickup | None:
    best: Pickup | None = None
    for variant in variants:
        if candidate.language and variant.language != candidate.language:
            continue
        found = match(variant.title, variant.text, candidate.title, candidate.text, config)
        if found is not None and (best is None or found.reused_words > best.match.reused_words):
            best = Pickup(candidate.id, variant.language, found)
    return best


# ---------------------------------------------------------------- candidate retrieval

_DIGIT = re.compile(r"\d")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


@lru_cache(maxsize=4)
def _stopwords(language: str) -> frozenset[str]:
    """One-word stopwords of ``language``, lower case, as written (folded, ``mặc`` would be ``mạc``)."""
    return frozenset(w for w in stopwords(language) if " " not in w)


def candidate_terms(
    text: str,
    title: str = "",
    *,
    language: str = "vi",
    max_terms: int = 32,
    phrase_words: int = 5,
    document_frequency: Callable[[str], float] | None = None,
) -> list[str]:
    """Distinctive phrases of a publication for an OR'ed full-text query, each in double quotes.

    Phrases are ``phrase_words`` consecutive folded tokens (the store's indexed form,
    :func:`newsdesk.store.search.search_text`) inside one sentence, starting and ending
    with a word that is not a stopword (stopwords weigh 0).

    With ``document_frequency`` (the share of archived articles holding a token, 0–1; the
    store can read it from its index) a token weighs ``−ln`` of it, and a phrase scores its
    rarest token's weight plus a tenth of the sum: a phrase is at most as frequent as its
    rarest token, and a sum would favour strings of names that are in the news together
    (``"thong my donald trump"`` is in 5% of vietnews). Without it a token weighs 1, plus 1
    for a digit and 1 for a capital not at the start of its sentence (names), and a phrase
    the sum of its tokens.

    The body's paragraphs are cut into ``max_terms − 1`` runs of about equal length and the
    best phrase of each run is kept, so that any two or three quoted paragraphs hold one;
    the best phrase of the title comes first.
    """
    weight = _token_weight(language, document_frequency)
    combine = _rarest if document_frequency is not None else sum
    blocks = _blocks(text, max(max_terms - 1, 1))
    chosen: list[str] = []
    for block in ([title] if title.strip() else []) + blocks:
        phrase = _best_phrase(block, phrase_words, weight, combine)
        if phrase and f'"{phrase}"' not in chosen:
            chosen.append(f'"{phrase}"')
    return chosen[:max_terms]


def candidate_query(terms: Sequence[str]) -> str:
    """The store's query syntax for any of ``terms``: ``"a b c" OR "d e f"``."""
    return " OR ".join(terms)


def _token_weight(
    language: str, frequency: Callable[[str], float] | None
) -> Callable[[str, str, bool], float]:
    stops = _stopwords(language)

    def weight(token: str, written: str, first: bool) -> float:
        if _EDGE.sub("", written).lower() in stops:
            return 0.0
        if frequency is not None:
            return -math.log(min(max(frequency(token), 1e-6), 1.0))
        capital = written[:1].isupper() and not first
        return 1.0 + bool(_DIGIT.search(token)) + capital

    return weight


def _blocks(text: str, count: int) -> list[str]:
    """The sentences of ``text`` joined into ``count`` runs of about equal word counts.

    Sentences, not paragraphs, and a sentence much longer than a run is cut into pieces:
    otherwise one long sentence or paragraph would fill several runs' worth of words and
    yield one phrase, and a quotation of it could hold none.
    """
    sentences = [text[start:end] for start, end in sentence_spans(text)]
    total = sum(len(sentence.split()) for sentence in sentences)
    if not total:
        return []
    per_block = total / count
    pieces = [piece for sentence in sentences for piece in _cut(sentence, per_block)]
    blocks: list[list[str]] = [[]]
    done = 0
    for piece in pieces:
        if blocks[-1] and done >= per_block * len(blocks):
            blocks.append([])
        blocks[-1].append(piece)
        done += len(piece.split())
    return ["\n".join(b) for b in blocks]


def _cut(sentence: str, size: float) -> list[str]:
    """A sentence of more than 1.5 × ``size`` words as pieces of about ``size`` words."""
    words = sentence.split()
    if len(words) <= 1.5 * size:
        return [sentence]
    step = max(round(size), 8)
    return [" ".join(words[i : i + step]) for i in range(0, len(words), step)]


def _rarest(weights: Sequence[float]) -> float:
    return max(weights) + 0.1 * sum(weights)


def _best_phrase(
    text: str,
    size: int,
    weight: Callable[[str, str, bool], float],
    combine: Callable[[Sequence[float]], float],
) -> str | None:
    best, best_score = None, 0.0
    for start, end in sentence_spans(text):
        written = text[start:end].split()
        tokens = [(w, t, i == 0) for i, w in enumerate(written) for t in search_text(w).split()]
        for i in range(len(tokens) - size + 1):
            window = tokens[i : i + size]
            weights = [weight(t, w, first) for w, t, first in window]
            if not (weights[0] and weights[-1]):
                continue
            score = combine(weights)
            if score > best_score:
                best, best_score = " ".join(t for _, t, _ in window), score
    return best
