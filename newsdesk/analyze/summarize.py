"""Extractive summaries of one article and of a story (several articles on one event).

Both summaries pick whole sentences (see :mod:`newsdesk.analyze.sentences`) and keep
their provenance: each chosen sentence carries its article id, its index among that
article's sentences and its character offsets, so the UI can link it back.

**Story summaries** (``method="coverage"``, the default) treat word pairs (syllable
bigrams) as the facts of the story, after the concept-coverage summariser of Gillick &
Favre (2009): a bigram printed by several outlets is a core fact, weighted by how many
*other* articles repeat it; a bigram of one article only weighs little, and one made of
function words nothing. Sentences are chosen greedily (lazily re-evaluated, as the gain
only shrinks) by the weight of the facts they add that the summary does not cover yet,
per word, times a lead bonus (the first sentences of a news article carry its core).
A covered fact adds nothing, and a sentence that repeats a chosen one (bigram Jaccard
over 0.5) is refused, so two outlets' copies of one sentence never both appear.

The word budget is strict: sentences are chosen by importance until it is full, then
presented in reading order — by article date, then relative position in the article
(leads first), then article order. Importance decides *what* is said, the reading order
*how* it reads; since the chosen set already fits the budget, cutting the text at the
budget (as the evaluation does) loses nothing, whatever the order.

``method="centroid"`` (cosine to the story's word centroid) and ``method="lead"`` (first
sentences of each article in turn) are the baselines; ``bench/bench_summaries.py`` prints
them with the variants of :class:`SummaryConfig`.

**Article summaries** score each sentence by its lead position, its overlap with the
title and its share of content words the article repeats, and pick greedily under the
same redundancy filter, presented in article order.

Only sentences in the summary's language are chosen: a story's language is that of most
of its text unless given, articles in another language are skipped, and so is a sentence
in another language inside an article (an English quotation in a Vietnamese report),
judged by cheap script evidence first and by py3langid only when that is unclear.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import pairwise
from typing import Any, Literal

from newsdesk.analyze.sentences import sentence_spans

__all__ = [
    "DEFAULT_CONFIG",
    "METHODS",
    "FactWeight",
    "Method",
    "Summary",
    "SummaryConfig",
    "SummaryDoc",
    "SummarySentence",
    "dominant_language",
    "summarize_article",
    "summarize_story",
]

Method = Literal["coverage", "centroid", "lead"]
METHODS: tuple[Method, ...] = ("coverage", "centroid", "lead")
FactWeight = Literal["others", "articles", "binary"]

_NOT_WORD = re.compile(r"[^\w\s]|_")
_VIETNAMESE_LETTERS = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_MARKED_RUN = re.compile(f"[{_VIETNAMESE_LETTERS}]+")
_ENGLISH_MARKER_WORDS = (
    "the of and is was were are with for that this from by has have had she they his her "
    "their been will would said who which not it its"
)
_ENGLISH_MARKERS = frozenset(_ENGLISH_MARKER_WORDS.split())
"""English function words that are not also Vietnamese syllables or common French words."""
_NUMBER_TOKEN = re.compile(r"(?<!\S)\d+(?!\S)")
_VIETNAMESE_STOPWORDS = (
    "và của là các những được có trong cho với đã này một người không khi đến từ để "
    "về tại thì sẽ đang cũng như nhưng theo ra vào lại bị do nên còn mà hay hoặc rằng "
    "nhiều rất đó này kia ấy nó họ chúng tôi ta ông bà anh chị em mình cái con chiếc "
    "việc vì sau trước trên dưới giữa qua lên xuống đi làm thế nào gì ai đâu bao "
    "nếu tuy vẫn đều chỉ mới vừa hơn nhất luôn nữa thêm đây kể cả mỗi từng hết "
    "cùng năm ngày tháng giờ lúc số"
)
_ENGLISH_STOPWORDS = (
    "the a an and or but of to in on at for with by from as is are was were be been "
    "being has have had do does did will would shall should can could may might must "
    "that this these those it its he she they them his her their we our you your i "
    "not no so than then there here which who whom whose what when where why how "
    "also about into over after before said says up out more most very just all any"
)
_STOPWORDS: dict[str, frozenset[str]] = {
    "vi": frozenset(_VIETNAMESE_STOPWORDS.split()),
    "en": frozenset(_ENGLISH_STOPWORDS.split()),
}


@dataclass(frozen=True, slots=True)
class SummaryConfig:
    """The summariser's knobs; the defaults are the measured choice (``bench/bench_summaries.py``).

    ``fact_weight`` weighs a bigram shared by ``k >= 2`` articles ``k - 1`` (``"others"``: how
    many other outlets repeat it), ``k`` (``"articles"``) or 1 (``"binary"``).
    """

    lead_bonus: float = 1.0
    """A sentence's score is multiplied by ``1 + lead_bonus * (1 - relative position)²``."""
    length_exponent: float = 1.0
    """Gain is divided by ``words ** length_exponent``: 1 is gain per word, 0 ignores length."""
    fact_weight: FactWeight = "others"
    unshared_weight: float = 0.05
    """Weight of a bigram only one article of several prints: small, so shared facts come first,
    but not nothing, so a story whose articles share little still gets a full summary."""
    duplicate_jaccard: float = 0.5
    """A sentence whose bigram Jaccard with a chosen one exceeds this is a repeat."""
    min_tokens: int = 5
    """Shorter sentences (captions, bylines, datelines) are never chosen."""


DEFAULT_CONFIG = SummaryConfig()


@dataclass(frozen=True, slots=True)
class SummaryDoc:
    """One article handed to :func:`summarize_story`."""

    id: str
    title: str
    text: str
    published: datetime | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A chosen sentence and where it comes from.

    ``index`` is the sentence's position among ``split_sentences(doc.text)``;
    ``start``/``end`` are its character offsets in ``doc.text``.
    """

    doc_id: str
    index: int
    text: str
    start: int
    end: int
    score: float


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary: its text (sentences joined by a space) and its sentences."""

    text: str
    sentences: tuple[SummarySentence, ...]
    language: str | None
    method: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class _Candidate:
    doc: int
    index: int
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]
    bigrams: frozenset[tuple[str, str]]
    position: float
    words: int


@dataclass(frozen=True, slots=True)
class _Story:
    """What a story selector works on: the articles kept and their candidate sentences."""

    docs: Sequence[SummaryDoc]
    kept: list[int]
    per_doc: list[list[_Candidate]]
    language: str | None
    budget: int
    config: SummaryConfig

    @property
    def pool(self) -> list[_Candidate]:
        return [candidate for group in self.per_doc for candidate in group]


@dataclass(slots=True)
class _Selection:
    budget: int
    duplicate_jaccard: float
    chosen: list[tuple[_Candidate, float]] = field(default_factory=list)
    words: int = 0

    def accepts(self, candidate: _Candidate) -> bool:
        """Fits the remaining budget and repeats no chosen sentence."""
        if self.words + candidate.words > self.budget:
            return False
        return all(
            _jaccard(candidate.bigrams, kept.bigrams) <= self.duplicate_jaccard for kept, _ in self.chosen
        )

    def add(self, candidate: _Candidate, score: float) -> None:
        self.chosen.append((candidate, score))
        self.words += candidate.words


def summarize_article(
    text: str,
    *,
    language: str,
    max_words: int = 60,
    title: str = "",
    doc_id: str = "",
    config: SummaryConfig = DEFAULT_CONFIG,
) -> Summary:
    """An extractive summary of one article of at most ``max_words`` words, in article order."""
    language = _primary(language)
    candidates = _candidates(text, 0, language, config.min_tokens)
    scores = _article_scores(candidates, _tokens(title), language, config)
    selection = _fill(sorted(candidates, key=lambda c: -scores[id(c)]), scores, max_words, config)
    ordered = sorted(selection.chosen, key=lambda item: item[0].index)
    return _summary(ordered, [(doc_id, text)], language, "article")


def summarize_story(
    docs: Sequence[SummaryDoc],
    *,
    language: str | None = None,
    max_words: int = 120,
    method: Method = "coverage",
    config: SummaryConfig = DEFAULT_CONFIG,
) -> Summary:
    """An extractive summary of a story of at most ``max_words`` words, without repeated facts."""
    if method not in METHODS:
        raise ValueError(f"unknown summary method {method!r}; known: {', '.join(METHODS)}")
    language = _primary(language) if language else dominant_language(docs)
    kept = [i for i, doc in enumerate(docs) if language is None or _doc_language(doc) == language]
    per_doc = [_candidates(docs[i].text, i, language, config.min_tokens) for i in kept]
    story = _Story(docs, kept, per_doc, language, max_words, config)
    selection = _STORY_SELECTORS[method](story) if story.pool else _Selection(max_words, 0.0)
    ordered = sorted(selection.chosen, key=lambda item: _reading_order(item[0], docs))
    return _summary(ordered, [(doc.id, doc.text) for doc in docs], language, method)


def dominant_language(docs: Sequence[SummaryDoc]) -> str | None:
    """The language of most of the story's text (by characters); ``None`` for no text."""
    weights: Counter[str] = Counter()
    for doc in docs:
        weights[_doc_language(doc)] += len(doc.text) + len(doc.title)
    return weights.most_common(1)[0][0] if weights else None


# --- candidates and tokens -------------------------------------------------------------------------


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


def _bigrams(tokens: Sequence[str]) -> frozenset[tuple[str, str]]:
    return frozenset(pairwise(tokens))


def _candidates(text: str, doc: int, language: str | None, min_tokens: int) -> list[_Candidate]:
    spans = sentence_spans(text)
    found: list[_Candidate] = []
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        tokens = _tokens(sentence)
        if len(tokens) < min_tokens or not _sentence_language_ok(sentence, tokens, language):
            continue
        position = index / len(spans)
        words = len(sentence.split())
        found.append(_Candidate(doc, index, start, end, sentence, tokens, _bigrams(tokens), position, words))
    return found


def _jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


# --- language ---------------------------------------------------------------------------------------


def _script_evidence(tokens: Sequence[str]) -> tuple[int, float, float]:
    """Non-numeric token count; Vietnamese-marked letter runs and English function words per token.

    A run of letters only Vietnamese uses approximates one marked syllable (``được`` is one
    run); counting runs with one regular expression is much cheaper than testing each token.
    """
    joined = " ".join(tokens)
    words = len(tokens) - len(_NUMBER_TOKEN.findall(joined))
    if words <= 0:
        return 0, 0.0, 0.0
    english = sum(1 for token in tokens if token in _ENGLISH_MARKERS)
    return words, len(_MARKED_RUN.findall(joined)) / words, english / words


def _sentence_language_ok(sentence: str, tokens: Sequence[str], language: str | None) -> bool:
    """Cheap evidence first; the language identifier only for unclear sentences.

    A sentence with fewer than four words (a name, a date) is too short to judge and is kept.
    A sentence is clearly Vietnamese when many syllables carry Vietnamese marks and it has
    almost no English function words, clearly English when it has many English function words
    (a few Vietnamese names do not change that). Otherwise the identifier arbitrates between
    the wanted language, Vietnamese and English, the languages a report mixes in practice.
    """
    words, vietnamese, english = _script_evidence(tokens)
    if language is None or words < 4:
        return True
    clearly_vi = vietnamese >= 0.15 and english < 0.1
    clearly_en = english >= 0.1 and vietnamese < 0.5
    if clearly_vi or clearly_en:
        return language == ("vi" if clearly_vi else "en")
    return _closest_language(sentence, (language, "vi", "en")) == language


def _closest_language(text: str, among: Sequence[str]) -> str:
    ranked = _language_identifier().rank(text)
    return str(next((code for code, _ in ranked if code in among), among[0]))


def _doc_language(doc: SummaryDoc) -> str:
    return _primary(doc.language) if doc.language else _text_language(doc.title + "\n" + doc.text)


def _primary(code: str) -> str:
    """``vi-VN`` → ``vi``: the summary compares primary language subtags only."""
    return code.replace("_", "-").split("-")[0].lower()


def _text_language(text: str) -> str:
    """Vietnamese when its letters say so (most syllables marked); else the language identifier's guess."""
    sample = text[:1000]
    if _script_evidence(_tokens(sample))[1] >= 0.3:
        return "vi"
    return _guess_language(sample)


def _guess_language(text: str) -> str:
    return str(_language_identifier().classify(text)[0])


@cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def _stopwords(language: str | None) -> frozenset[str]:
    return _STOPWORDS.get(language or "", frozenset())


# --- story: coverage of shared facts ---------------------------------------------------------------

_Fact = tuple[str, str]


def _fact_weights(story: _Story) -> dict[_Fact, float]:
    """Weight of each bigram by how many articles print it; see :class:`SummaryConfig`."""
    stop = _stopwords(story.language)
    frequency: Counter[_Fact] = Counter()
    for i, group in zip(story.kept, story.per_doc, strict=True):
        present = set(_bigrams(_tokens(story.docs[i].title)))
        for candidate in group:
            present |= candidate.bigrams
        frequency.update(present)
    several = len(story.kept) > 1
    weigh = _FACT_WEIGHTS[story.config.fact_weight] if several else _FACT_WEIGHTS["binary"]
    unshared = story.config.unshared_weight if several else 1.0
    return {
        gram: weigh(count) if count > 1 else unshared
        for gram, count in frequency.items()
        if not (gram[0] in stop and gram[1] in stop)
    }


_FACT_WEIGHTS: dict[str, Callable[[int], float]] = {
    "others": lambda articles: float(articles - 1),
    "articles": float,
    "binary": lambda articles: 1.0,
}


def _coverage_select(story: _Story) -> _Selection:
    """Greedy maximum coverage, lazily evaluated: a sentence's gain only shrinks as facts get covered."""
    weights = _fact_weights(story)
    covered: set[_Fact] = set()
    selection = _Selection(story.budget, story.config.duplicate_jaccard)
    entries = [(c, _weighted_facts(c, weights)) for c in story.pool]
    heap = [
        (-_gain(c, facts, covered, story.config), order, c, facts) for order, (c, facts) in enumerate(entries)
    ]
    heapq.heapify(heap)
    while heap:
        _, order, candidate, facts = heapq.heappop(heap)
        if not selection.accepts(candidate):
            continue
        score = _gain(candidate, facts, covered, story.config)
        if heap and score < -heap[0][0]:
            heapq.heappush(heap, (-score, order, candidate, facts))
        elif score > 0.0:
            selection.add(candidate, score)
            covered |= candidate.bigrams
        else:
            break
    return selection


def _weighted_facts(candidate: _Candidate, weights: dict[_Fact, float]) -> tuple[tuple[_Fact, float], ...]:
    return tuple((gram, weights[gram]) for gram in candidate.bigrams if gram in weights)


def _gain(
    candidate: _Candidate, facts: Sequence[tuple[_Fact, float]], covered: set[_Fact], config: SummaryConfig
) -> float:
    """Weight of the facts ``candidate`` adds, per word, times its lead factor."""
    added = sum(weight for gram, weight in facts if gram not in covered)
    return added / candidate.words**config.length_exponent * _lead_factor(candidate, config)


def _lead_factor(candidate: _Candidate, config: SummaryConfig) -> float:
    return 1.0 + config.lead_bonus * (1.0 - candidate.position) ** 2


# --- story: centroid and lead baselines ------------------------------------------------------------


def _centroid_select(story: _Story) -> _Selection:
    """Cosine of each sentence's content words to the story's content-word centroid."""
    stop = _stopwords(story.language)
    pool = story.pool
    centroid = Counter(token for candidate in pool for token in candidate.tokens if token not in stop)
    scores = {id(c): _cosine(Counter(t for t in c.tokens if t not in stop), centroid) for c in pool}
    return _fill(sorted(pool, key=lambda c: -scores[id(c)]), scores, story.budget, story.config)


def _lead_select(story: _Story) -> _Selection:
    """First sentence of each article in turn, then the second ones, and so on."""
    depth = max(len(group) for group in story.per_doc)
    pool = [group[rank] for rank in range(depth) for group in story.per_doc if rank < len(group)]
    scores = {id(candidate): 1.0 / (1 + candidate.index) for candidate in pool}
    return _fill(pool, scores, story.budget, story.config)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(count * b.get(token, 0) for token, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


_STORY_SELECTORS: dict[str, Callable[[_Story], _Selection]] = {
    "coverage": _coverage_select,
    "centroid": _centroid_select,
    "lead": _lead_select,
}


# --- article -------------------------------------------------------------------------------------


def _article_scores(
    candidates: Sequence[_Candidate], title: Sequence[str], language: str | None, config: SummaryConfig
) -> dict[int, float]:
    """Lead position + share of content words repeated elsewhere in the article + title overlap."""
    stop = _stopwords(language)
    frequency = Counter(t for c in candidates for t in set(c.tokens) if t not in stop)
    repeated = {token for token, count in frequency.items() if count > 1}
    title_words = {token for token in title if token not in stop}
    scores: dict[int, float] = {}
    for candidate in candidates:
        content = {token for token in candidate.tokens if token not in stop}
        shared = len(content & repeated) / (len(content) or 1)
        topical = len(content & title_words) / (len(title_words) or 1)
        scores[id(candidate)] = shared + topical + _lead_factor(candidate, config) - 1.0
    return scores


# --- selection and assembly ------------------------------------------------------------------------


def _fill(
    ranked: Iterable[_Candidate], scores: dict[int, float], budget: int, config: SummaryConfig
) -> _Selection:
    """Take sentences in ranked order while they fit and repeat nothing already taken."""
    selection = _Selection(budget, config.duplicate_jaccard)
    for candidate in ranked:
        if selection.accepts(candidate):
            selection.add(candidate, scores[id(candidate)])
    return selection


def _reading_order(candidate: _Candidate, docs: Sequence[SummaryDoc]) -> tuple[float, float, int, int]:
    """By article date (undated last), then relative position (leads first), then article order."""
    published = docs[candidate.doc].published
    when = published.timestamp() if published is not None else math.inf
    return when, candidate.position, candidate.doc, candidate.index


def _summary(
    ordered: Sequence[tuple[_Candidate, float]],
    sources: Sequence[tuple[str, str]],
    language: str | None,
    method: str,
) -> Summary:
    sentences = tuple(
        SummarySentence(sources[c.doc][0], c.index, c.text, c.start, c.end, round(score, 6))
        for c, score in ordered
    )
    return Summary(" ".join(s.text for s in sentences), sentences, language, method)
