"""A labelled set of pickups and non-pickups, built from the corpus, and the matcher's scores on it.

Everything is drawn with one seeded RNG, so a seed and the input files give the same set.

**Publications.** ``n_vietnews`` articles from vietnews-20k and ``n_vims`` from vims-dev (one
per event cluster), each of at least :data:`MIN_WORDS` words in three or more paragraphs,
play the office's publications (Vietnamese only); the hand-written English press releases
of the fixtures (``releases`` in ``en_releases.json``, some with a Vietnamese variant) are
publications with an English variant.

**Positives** (an outlet's article that picks the publication up), one of each per
Vietnamese publication:

``verbatim``     the same title and text; half re-typed (other whitespace, tone placement,
                 decomposed Unicode, the title in capitals or padded:
                 :func:`newsdesk.evaluate.dedup.reformat`), a third with a credit line added;
``trimmed``      the lead paragraphs (30–70% of the words) or the text cut after 30–80%
                 of its words; sometimes a tagged headline;
``reheadlined``  a new headline (a tag, the first words of the body or of the standfirst:
                 :func:`newsdesk.evaluate.dedup.reheadline`) and, half the time, a new first
                 sentence;
``edited``       light copy-editing: in each paragraph 3–10% of the words swapped for a
                 synonym, dropped, or a filler word added
                 (:func:`newsdesk.evaluate.dedup.rewrite`);
``partial``      two or three consecutive paragraphs (at least :data:`MIN_QUOTE_WORDS` words,
                 under 60% of the text; more paragraphs when they are short) inside another,
                 unrelated vietnews article, after a paragraph break, sometimes introduced by
                 an attribution line;
``variant``      pickups of an English variant: the release reprinted, its first two
                 paragraphs, or two consecutive paragraphs inside an English article made of
                 the fixtures' unrelated ``hosts`` paragraphs.

**Negatives**: ``random`` (:data:`RANDOM_NEGATIVES` vietnews articles per publication, and
for the English releases the host articles and the releases on other topics);
``same_event``: the other vims-dev reports of the publication's event — the hard case, as
they share names, titles, places and stock phrases; ``same_topic``: the fixtures' English
reports and the other release written on the same topic.

vims-dev outlets also copy each other for real, so its same-event pairs are labelled by the
longest passage of at least 8 words they share (:func:`newsdesk.analyze.dedup.reused_passages`)
and the share of the publication inside such passages: no passage of
:data:`SAME_EVENT_MAX_PASSAGE` words is a ``same_event`` negative; half the publication or
more is a positive of kind ``syndicated``; anything between (a shared paragraph or two,
usually from a common source such as a police statement) is *ambiguous*: left out of
precision and recall and reported on its own with the share the matcher flags.

**Limits.** Generated pickups reuse the text exactly (up to folding and light edits), so they
are easy by construction; what the set really measures is the margin between the shortest
pickups (a 40-word quote) and the longest incidental overlaps of same-event reports, and
the ambiguous vims-dev pairs show how the matcher treats real partial reuse.

**Scores.** :func:`evaluate` runs :func:`newsdesk.measure.pickup.compare` on every pair
(each candidate against the publication's variants in its language) and reports per kind
the count, true and false positives and negatives, recall (positives) or false-positive
rate (negatives), and how often the matcher named the positive's kind right; overall
precision, recall and F1; precision per kind the matcher reported; and the time per pair.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.analyze.dedup import reused_passages, word_hashes
from newsdesk.evaluate.dedup import reformat, reheadline, rewrite, truncate
from newsdesk.evaluate.stories import read_records
from newsdesk.measure.pickup import Candidate, PickupConfig, PickupVerdict, Publication, Variant, compare

__all__ = [
    "EDIT_RATE",
    "MIN_QUOTE_WORDS",
    "MIN_WORDS",
    "NEGATIVE_KINDS",
    "POSITIVE_KINDS",
    "RANDOM_NEGATIVES",
    "SAME_EVENT_MAX_PASSAGE",
    "SYNDICATED_SHARE",
    "Evaluation",
    "KindScore",
    "LabelledPair",
    "LabelledSet",
    "build_labelled_set",
    "evaluate",
    "read_en_fixtures",
]

POSITIVE_KINDS = ("verbatim", "trimmed", "reheadlined", "partial", "edited", "variant", "syndicated")
NEGATIVE_KINDS = ("random", "same_event", "same_topic")
MIN_WORDS = 120
"""Publications have at least this many words (and three paragraphs)."""
MIN_QUOTE_WORDS = 40
"""A partial pickup quotes at least this many words."""
RANDOM_NEGATIVES = 5
"""Random vietnews articles per publication."""
EDIT_RATE = (0.03, 0.1)
"""Share of the words an ``edited`` pickup changes in each paragraph."""
SAME_EVENT_MAX_PASSAGE = 20
"""A same-event pair sharing no passage this long is a negative."""
SYNDICATED_SHARE = 0.5
"""A same-event article holding this share of the publication is a positive."""

_TAGS = ("Nóng: ", "Tin mới: ", "Cập nhật: ", "[Video] ")
_CREDITS = ("(Theo Cổng thông tin điện tử)", "Nguồn: Trang thông tin đối ngoại", "(Theo thông cáo báo chí)")
_OPENERS = (
    "Thông tin trên được cơ quan chức năng công bố chiều qua.",
    "Đây là nội dung thông cáo báo chí vừa được phát đi.",
    "Bạn đọc quan tâm tiếp tục theo dõi diễn biến của sự việc.",
)
_ATTRIBUTIONS = (
    "Thông tin từ cơ quan chức năng cho biết:",
    "Theo thông cáo báo chí phát đi trước đó:",
    "Liên quan đến sự việc, trang thông tin của cơ quan này cho hay:",
)
_EN_ATTRIBUTIONS = (
    "In a statement, officials said:",
    "According to the announcement:",
    "The press release said:",
)


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """A publication, an article, and whether the article picks the publication up."""

    publication_id: str
    article: Candidate
    kind: str
    source: str
    expected_kind: str | None = None
    """The :data:`~newsdesk.measure.pickup.PickupKind` a generated positive should get."""

    @property
    def positive(self) -> bool:
        return self.kind in POSITIVE_KINDS


@dataclass(slots=True)
class LabelledSet:
    """Publications and labelled pairs; ``ambiguous`` pairs are left out of the scores."""

    publications: dict[str, Publication] = field(default_factory=dict)
    pairs: list[LabelledPair] = field(default_factory=list)
    ambiguous: list[LabelledPair] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)

    def composition(self) -> dict[str, int]:
        """Pairs per kind, plus the ambiguous ones."""
        counts = Counter(p.kind for p in self.pairs)
        return {**dict(sorted(counts.items())), "ambiguous": len(self.ambiguous)}


# ---------------------------------------------------------------- reading


def _text(record: dict[str, Any], key: str = "paragraphs") -> str:
    return "\n".join(record[key])


def read_en_fixtures(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The English fixtures: ``releases``, ``reports`` and ``hosts``, each record with a ``text``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for group in ("releases", "reports"):
        for record in data[group]:
            record["text"] = _text(record)
            if "paragraphs_vi" in record:
                record["text_vi"] = _text(record, "paragraphs_vi")
    return data


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _usable(record: dict[str, Any]) -> bool:
    text = record.get("text") or ""
    return len(text.split()) >= MIN_WORDS and len(_paragraphs(text)) >= 3 and bool(record.get("title"))


# ---------------------------------------------------------------- generated pickups


def _verbatim(title: str, text: str, rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        title, text = reformat(title, text, rng)
    if rng.random() < 0.33:
        text = f"{text}\n{rng.choice(_CREDITS)}"
    return title, text


def _trimmed(title: str, text: str, rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.3:
        title = rng.choice(_TAGS) + title
    if rng.random() < 0.5:
        return title, truncate(text, rng, (0.3, 0.8))
    paragraphs = _paragraphs(text)
    target, kept, words = rng.uniform(0.3, 0.7) * len(text.split()), [], 0
    for paragraph in paragraphs[:-1]:
        kept.append(paragraph)
        words += len(paragraph.split())
        if words >= max(target, MIN_QUOTE_WORDS):
            break
    return title, "\n".join(kept)


def _reheadlined(record: dict[str, Any], rng: random.Random) -> tuple[str, str]:
    title, text = reheadline(record["title"], record["text"], record.get("sapo"), "vi", rng)
    if word_hashes(title).tobytes() == word_hashes(record["title"]).tobytes():
        title = rng.choice(_TAGS) + title
    if rng.random() < 0.5:
        text = f"{rng.choice(_OPENERS)}\n{text}"
    return title, text


def _quote(text: str, rng: random.Random) -> str | None:
    """Two or three consecutive paragraphs (more if short): MIN_QUOTE_WORDS or more, under 60% of the text."""
    paragraphs = _paragraphs(text)
    limit = 0.6 * len(text.split())
    starts = list(range(len(paragraphs)))
    rng.shuffle(starts)
    for start in starts:
        count = rng.randint(2, 3)
        chosen = paragraphs[start : start + count]
        while sum(len(p.split()) for p in chosen) < MIN_QUOTE_WORDS and start + len(chosen) < len(paragraphs):
            chosen = paragraphs[start : start + len(chosen) + 1]
        words = sum(len(p.split()) for p in chosen)
        if len(chosen) >= 2 and MIN_QUOTE_WORDS <= words < limit:
            return "\n".join(chosen)
    return None


def _embedded(quote: str, host: str, attributions: Sequence[str], rng: random.Random) -> str:
    """``quote`` inside ``host`` at a paragraph break, sometimes after an attribution line."""
    paragraphs = _paragraphs(host)
    at = rng.randint(1, max(1, len(paragraphs) - 1))
    inserted = [rng.choice(attributions), quote] if rng.random() < 0.5 else [quote]
    return "\n".join(paragraphs[:at] + inserted + paragraphs[at:])


# ---------------------------------------------------------------- the set


@dataclass(slots=True)
class _Builder:
    rng: random.Random
    out: LabelledSet = field(default_factory=LabelledSet)

    def add(
        self, pub_id: str, article: Candidate, kind: str, source: str, expected: str | None = None
    ) -> None:
        self.out.pairs.append(LabelledPair(pub_id, article, kind, source, expected))

    def vietnamese(self, record: dict[str, Any], source: str, pool: Sequence[dict[str, Any]]) -> None:
        """A Vietnamese publication with its generated pickups and random negatives."""
        pub_id, title, text = record["id"], record["title"], record["text"]
        self.out.publications[pub_id] = Publication.single(title, text, "vi", pub_id)
        generated = {
            "verbatim": _verbatim(title, text, self.rng),
            "trimmed": _trimmed(title, text, self.rng),
            "reheadlined": _reheadlined(record, self.rng),
            "edited": (title, rewrite(text, "vi", self.rng, EDIT_RATE)),
        }
        for kind, (new_title, new_text) in generated.items():
            expected = None if kind == "edited" else kind
            self.add(pub_id, Candidate(f"{pub_id}~{kind}", new_title, new_text, "vi"), kind, source, expected)
        self._partial(pub_id, text, source, pool)
        for other in self._others(pool, pub_id, RANDOM_NEGATIVES):
            self.add(
                pub_id, Candidate(other["id"], other["title"], other["text"], "vi"), "random", "vietnews"
            )

    def _others(self, pool: Sequence[dict[str, Any]], pub_id: str, count: int) -> list[dict[str, Any]]:
        chosen = [r for r in self.rng.sample(pool, count + 1) if r["id"] != pub_id]
        return chosen[:count]

    def _partial(self, pub_id: str, text: str, source: str, pool: Sequence[dict[str, Any]]) -> None:
        quote = _quote(text, self.rng)
        if quote is None:
            self.out.notes["partial_skipped_short_paragraphs"] += 1
            return
        host = self._others(pool, pub_id, 1)[0]
        body = _embedded(quote, host["text"], _ATTRIBUTIONS, self.rng)
        self.add(
            pub_id, Candidate(f"{pub_id}~partial", host["title"], body, "vi"), "partial", source, "partial"
        )

    def same_event(self, record: dict[str, Any], members: Sequence[dict[str, Any]]) -> None:
        """The other reports of a vims-dev event, labelled by the passages they share with ``record``."""
        pub_words = len(word_hashes(record["text"]))
        for other in members:
            if other["id"] == record["id"]:
                continue
            passages = reused_passages(record["text"], other["text"], 8)
            longest = max((p.words for p in passages), default=0)
            share = sum(p.words for p in passages) / max(pub_words, 1)
            article = Candidate(other["id"], other["title"], other["text"], "vi")
            if longest < SAME_EVENT_MAX_PASSAGE:
                self.add(record["id"], article, "same_event", "vims-dev")
            elif share >= SYNDICATED_SHARE:
                self.add(record["id"], article, "syndicated", "vims-dev")
            else:
                self.out.ambiguous.append(LabelledPair(record["id"], article, "ambiguous", "vims-dev"))


def build_labelled_set(
    vietnews: Path | None,
    vims: Path | None,
    en_fixtures: Path | None,
    *,
    n_vietnews: int = 300,
    n_vims: int = 150,
    seed: int = 0,
    pool_limit: int | None = None,
) -> LabelledSet:
    """The labelled set (see the module docstring); each source is optional.

    ``pool_limit`` reads only the first records of vietnews (a faster, smaller pool).
    """
    builder = _Builder(random.Random(seed))
    pool = [r for r in read_records(vietnews, pool_limit) if r.get("text")] if vietnews else []
    usable = [r for r in pool if _usable(r)]
    if pool:
        for record in builder.rng.sample(usable, min(n_vietnews, len(usable))):
            builder.vietnamese(record, "vietnews", pool)
    if vims and pool:
        _vims_publications(builder, read_records(vims), n_vims, pool)
    if en_fixtures:
        _english_publications(builder, read_en_fixtures(en_fixtures))
    return builder.out


def _vims_publications(
    builder: _Builder, records: list[dict[str, Any]], count: int, pool: Sequence[dict[str, Any]]
) -> None:
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        clusters[record.get("cluster") or record["id"]].append(record)
    names = sorted(clusters)
    builder.rng.shuffle(names)
    chosen = 0
    for name in names:
        usable = [r for r in clusters[name] if _usable(r)]
        if chosen >= count or not usable or len(clusters[name]) < 2:
            continue
        record = builder.rng.choice(usable)
        builder.vietnamese(record, "vims-dev", pool)
        builder.same_event(record, clusters[name])
        chosen += 1


# ---------------------------------------------------------------- English variants


def _english_publications(builder: _Builder, data: dict[str, list[dict[str, Any]]]) -> None:
    releases, reports, hosts = data["releases"], data["reports"], data["hosts"]
    host_articles = [_host_article(hosts, builder.rng, n) for n in range(len(releases))]
    for release in releases:
        pub_id = release["id"]
        variants = [Variant("en", release["title"], release["text"])]
        if "text_vi" in release:
            variants.insert(0, Variant("vi", release["title_vi"], release["text_vi"]))
        builder.out.publications[pub_id] = Publication(pub_id, tuple(variants))
        _variant_pickups(builder, release, hosts)
        _english_negatives(builder, release, releases, reports, host_articles)


def _host_article(hosts: Sequence[dict[str, Any]], rng: random.Random, number: int) -> Candidate:
    paragraphs = [h["text"] for h in rng.sample(list(hosts), rng.randint(3, 5))]
    return Candidate(f"en-host-{number}", "Around the country this week", "\n".join(paragraphs), "en")


def _variant_pickups(builder: _Builder, release: dict[str, Any], hosts: Sequence[dict[str, Any]]) -> None:
    pub_id, rng = release["id"], builder.rng
    paragraphs = release["paragraphs"]
    reprint_title = release["title"] if rng.random() < 0.5 else f"Vietnam: {release['title']}"
    expected = "verbatim" if reprint_title == release["title"] else "reheadlined"
    builder.add(pub_id, Candidate(f"{pub_id}~en-reprint", reprint_title, release["text"], "en"), "variant",
                "fixtures", expected)  # fmt: skip
    lead = "\n".join(paragraphs[:2])
    builder.add(
        pub_id, Candidate(f"{pub_id}~en-lead", release["title"], lead, "en"), "variant", "fixtures", "trimmed"
    )
    start = rng.randrange(0, len(paragraphs) - 1)
    host = "\n".join(h["text"] for h in rng.sample(list(hosts), 3))
    body = _embedded("\n".join(paragraphs[start : start + 2]), host, _EN_ATTRIBUTIONS, rng)
    article = Candidate(f"{pub_id}~en-quoted", "Vietnam news in brief", body, "en")
    builder.add(pub_id, article, "variant", "fixtures", "partial")


def _english_negatives(
    builder: _Builder,
    release: dict[str, Any],
    releases: Iterable[dict[str, Any]],
    reports: Iterable[dict[str, Any]],
    hosts: Iterable[Candidate],
) -> None:
    pub_id, topic = release["id"], release["topic"]
    for other in [*releases, *reports]:
        if other["id"] == pub_id:
            continue
        kind = "same_topic" if other["topic"] == topic else "random"
        builder.add(pub_id, Candidate(other["id"], other["title"], other["text"], "en"), kind, "fixtures")
    for host in hosts:
        builder.add(pub_id, host, "random", "fixtures")


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class KindScore:
    """Scores of one labelled kind; ``rate``: recall of positives, false-positive rate of negatives."""

    kind: str
    n: int
    tp: int
    fp: int
    fn: int
    kind_right: int
    rate: float


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores of the matcher on a labelled set."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    kinds: dict[str, KindScore]
    predicted_precision: dict[str, float]
    ambiguous: int
    ambiguous_flagged: int
    ms_per_pair: float
    errors: list[tuple[LabelledPair, PickupVerdict]]


def _verdict(publication: Publication, article: Candidate, config: PickupConfig | None) -> PickupVerdict:
    """The best verdict over the publication's variants in the article's language."""
    verdicts = [
        compare(variant.title, variant.text, article.title, article.text, config)
        for variant in publication.variants
        if not article.language or variant.language == article.language
    ]
    return max(
        verdicts, key=lambda v: (v.match is not None, v.evidence), default=PickupVerdict(None, "empty")
    )


def evaluate(labelled: LabelledSet, config: PickupConfig | None = None) -> Evaluation:
    """Precision, recall and F1 overall and per kind (see the module docstring)."""
    started = time.perf_counter()
    verdicts = [_verdict(labelled.publications[p.publication_id], p.article, config) for p in labelled.pairs]
    seconds = time.perf_counter() - started
    flagged = sum(
        _verdict(labelled.publications[p.publication_id], p.article, config).match is not None
        for p in labelled.ambiguous
    )
    tallies = _tallies(labelled.pairs, verdicts)
    tp, fp, fn = (sum(t[key] for t in tallies.values()) for key in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    errors = [
        (p, v) for p, v in zip(labelled.pairs, verdicts, strict=True) if p.positive != (v.match is not None)
    ]
    return Evaluation(
        precision, recall, f1, tp, fp, fn,
        {kind: _kind_score(kind, t) for kind, t in sorted(tallies.items())},
        _predicted_precision(labelled.pairs, verdicts),
        len(labelled.ambiguous), flagged,
        1000 * seconds / max(len(labelled.pairs), 1), errors,
    )  # fmt: skip


def _tallies(pairs: Sequence[LabelledPair], verdicts: Sequence[PickupVerdict]) -> dict[str, Counter[str]]:
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for pair, verdict in zip(pairs, verdicts, strict=True):
        found = verdict.match is not None
        tally = tallies[pair.kind]
        tally["n"] += 1
        tally["tp" if pair.positive and found else "fn" if pair.positive else "fp" if found else "tn"] += 1
        if found and pair.expected_kind and verdict.match and verdict.match.kind == pair.expected_kind:
            tally["kind_right"] += 1
    return tallies


def _kind_score(kind: str, tally: Counter[str]) -> KindScore:
    positive = kind in POSITIVE_KINDS
    rate = tally["tp"] / tally["n"] if positive else tally["fp"] / tally["n"]
    return KindScore(kind, tally["n"], tally["tp"], tally["fp"], tally["fn"], tally["kind_right"], rate)


def _predicted_precision(
    pairs: Sequence[LabelledPair], verdicts: Sequence[PickupVerdict]
) -> dict[str, float]:
    """Per kind the matcher reported: the share of its matches that are labelled positives."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for pair, verdict in zip(pairs, verdicts, strict=True):
        if verdict.match is not None:
            total[verdict.match.kind] += 1
            right[verdict.match.kind] += pair.positive
    return {kind: right[kind] / total[kind] for kind in sorted(total)}
