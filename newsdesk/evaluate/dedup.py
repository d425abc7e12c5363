"""Evaluation of duplicate detection on a labelled stream of copies and non-copies.

The stream is built from three sources, each optional:

* **fixtures**: a JSON Lines file of hand-written articles (``id``, ``title``,
  ``text``, ``language``, ``event``, ``outlet``); a record with ``copy_of`` is a
  hand-made copy of that record, of the kind named in ``variant``.
* **vietnews**: a random sample of real articles (read at run time, never stored).
* **vims-dev**: articles grouped in ``cluster`` by event, several outlets each.

Every original (fixture or vietnews) gets one copy of each kind in
:data:`VARIANT_KINDS`, published minutes to days after it:

``exact``        the same text re-typed: other whitespace and line breaks, the new
                 tone-mark placement (``hòa`` → ``hoà``), decomposed Unicode, an
                 upper-case title; expected to be found as ``kind="exact"``.
``rewritten``    a light edit: in every sentence 10–20% of the words are swapped
                 for a synonym, dropped, or get a filler word inserted.
``truncated``    the first 40–70% of the body.
``recaptioned``  1–3 photo-caption lines inserted or replacing short lines.
``reheadlined``  a new headline (tagged, rephrased from the body, or taken from the
                 standfirst), sometimes with the standfirst added above the body.

**Negatives** are the originals themselves (``random``: each must not match anything
before it; a fixture following another outlet's report of its event is ``same_event``)
and the vims-dev articles (``same_event``: other outlets' reports of the same event,
the hard case). vims-dev also holds real copies: outlets republish each other. Its
same-event pairs are therefore labelled by *reuse share*, the part of the shorter text
inside passages of at least 8 words that also occur in the other
(:func:`reuse_share`): at least :data:`COPY_SHARE` is a copy (an article with an
earlier copy is a positive of kind ``syndicated``), under :data:`DISTINCT_SHARE` a
distinct report; an article whose closest earlier pair lies between is *partial reuse*
(shared paragraphs in otherwise different articles), left out of precision and recall
and reported on its own. vietnews texts that occur twice in the sample are dropped.

**Scoring** is per article, in stream order. A labelled copy is a true positive when the
article it matched is its original or another copy of it, else a false negative. Any
other reported match is judged by reuse share in the same way: ``copy`` is counted
apart (``unlabelled_copy``: a real copy the labels did not know), ``ambiguous`` is left
out, ``distinct`` is a false positive (and, for a labelled copy, also a false
negative). Precision is TP / (TP + FP), recall TP / (TP + FN).
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

from newsdesk.analyze.dedup import (
    DedupConfig,
    DedupDoc,
    DedupResult,
    DuplicateIndex,
    reused_passages,
    word_hashes,
)
from newsdesk.errors import MalformedInput
from newsdesk.evaluate.stories import read_records

__all__ = [
    "COPY_SHARE",
    "DISTINCT_SHARE",
    "VARIANT_KINDS",
    "Labelled",
    "build_stream",
    "evaluate_dedup",
    "read_articles",
    "recaption",
    "reformat",
    "reheadline",
    "reuse_share",
    "rewrite",
    "score_stream",
    "truncate",
]

VARIANT_KINDS = ("exact", "rewritten", "truncated", "recaptioned", "reheadlined")
COPY_SHARE = 0.7
"""Reuse share from which an unlabelled pair counts as a copy."""
DISTINCT_SHARE = 0.3
"""Reuse share under which an unlabelled pair counts as two distinct articles."""
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 20.0
"""Originals are spread over this many days, inside the default 30-day window."""

Claim = Literal["copy", "ambiguous", "distinct"]


@dataclass(frozen=True, slots=True)
class Labelled:
    """One article of the evaluation stream and what it is.

    ``kind``: a variant kind, ``syndicated`` (a real copy), ``random`` or ``same_event``
    (negatives), ``partial_reuse`` (left out). ``gold`` names its gold group.
    """

    doc: DedupDoc
    kind: str
    gold: str
    source: str
    event: str | None = None

    @property
    def positive(self) -> bool:
        return self.kind in VARIANT_KINDS or self.kind == "syndicated"


# ---------------------------------------------------------------- variants

_SYNONYMS_VI = {
    "cho biết": "cho hay", "tuy nhiên": "song", "người dân": "bà con", "hiện nay": "hiện tại",
    "nhanh chóng": "mau chóng", "đặc biệt": "nhất là", "khoảng": "chừng", "trước đó": "trước đấy",
    "sau đó": "sau đấy", "vì vậy": "do đó", "ngoài ra": "bên cạnh đó", "xảy ra": "diễn ra",
    "tử vong": "thiệt mạng", "rất": "hết sức", "nhiều": "không ít", "phát hiện": "phát giác",
    "điều tra": "làm rõ", "tuy vậy": "dù vậy", "theo đó": "cụ thể", "đồng thời": "cùng lúc",
    "dự kiến": "theo kế hoạch", "khẳng định": "nhấn mạnh", "yêu cầu": "đề nghị", "trên địa bàn": "tại",
    "doanh nghiệp": "công ty", "thành phố": "TP", "đã": "vừa", "bị": "đã bị", "tại": "ở", "với": "cùng",
    "các": "những", "được": "đã được", "lớn": "to", "người": "người ta", "năm": "năm nay",
}  # fmt: skip
_SYNONYMS_EN = {
    "said": "stated", "however": "but", "residents": "locals", "about": "around", "quickly": "rapidly",
    "after": "following", "because": "as", "also": "additionally", "big": "large", "died": "were killed",
    "officials": "authorities", "police": "officers", "many": "numerous", "help": "assist",
    "start": "begin", "show": "indicate", "important": "key", "will": "is set to", "the": "this",
    "new": "fresh", "city": "municipality", "people": "persons", "more": "further", "has": "had",
}  # fmt: skip
_FILLERS = {
    "vi": ("đã", "cũng", "vừa", "rất", "này", "đó", "thì"),
    "en": ("also", "very", "just", "then", "now"),
}
_CAPTIONS = {
    "vi": ("Ảnh: {name}", "{phrase}. (Ảnh: {name})", "{phrase}. Ảnh minh họa", "Video: {phrase}"),
    "en": ("Photo: {name}", "{phrase}. Photo by {name}", "{phrase}. File photo", "Video: {phrase}"),
}
_NAMES = ("Minh Anh", "Hoàng Long", "Thu Hà", "Quốc Tuấn", "Lan Hương", "CTV", "TTXVN", "Reuters")
_TAGS = {
    "vi": ("Nóng: ", "[Video] ", "Clip: ", "Tin mới: ", "Cập nhật: "),
    "en": ("Breaking: ", "Update: ", "Watch: "),
}
_OLD_TO_NEW = re.compile(r"([òóỏõọ])([ae])\b|([ùúủũụ])(y)\b", re.IGNORECASE)


def _language(language: str | None) -> str:
    return "en" if language == "en" else "vi"


def reformat(title: str, text: str, rng: random.Random) -> tuple[str, str]:
    """The same words re-typed: new tone placement, whitespace, line breaks, decomposed, title upper-cased."""
    text = _OLD_TO_NEW.sub(_move_tone, text)
    text = text.replace(" ", "  ") if rng.random() < 0.5 else text.replace("\n", "\n\n")
    if rng.random() < 0.5:
        text = unicodedata.normalize("NFD", text).replace("\n", "\r\n")
    return title.upper() if rng.random() < 0.5 else f"  {title}  ", text


def _move_tone(match: re.Match[str]) -> str:
    """``òa`` → ``oà``: the tone moves to the second vowel (the "new style")."""
    marked, bare = (match[1], match[2]) if match[1] else (match[3], match[4])
    decomposed = unicodedata.normalize("NFD", marked)
    return decomposed[0] + unicodedata.normalize("NFC", bare + decomposed[1:])


def rewrite(
    text: str, language: str | None, rng: random.Random, rate: tuple[float, float] = (0.1, 0.2)
) -> str:
    """A light edit: in each line a ``rate`` share of the words get a synonym, are dropped or get a filler."""
    share = rng.uniform(*rate)
    return "\n".join(_rewrite_line(line, _language(language), share, rng) for line in text.split("\n"))


def _rewrite_line(line: str, language: str, share: float, rng: random.Random) -> str:
    words = line.split()
    changes = round(share * len(words))
    if len(words) < 5 or not changes:
        return line
    synonyms = _SYNONYMS_EN if language == "en" else _SYNONYMS_VI
    for position in sorted(rng.sample(range(len(words)), changes), reverse=True):
        _edit(words, position, synonyms, _FILLERS[language], rng)
    return " ".join(words)


def _edit(
    words: list[str], position: int, synonyms: dict[str, str], fillers: Sequence[str], rng: random.Random
) -> None:
    """Change ``words`` at ``position``: a synonym of a 1–2-word phrase, else drop it or insert a filler."""
    for width in (2, 1):
        phrase = " ".join(words[position : position + width]).lower()
        if len(words[position : position + width]) == width and phrase in synonyms:
            words[position : position + width] = synonyms[phrase].split()
            return
    if rng.random() < 0.5:
        del words[position]
    else:
        words.insert(position, rng.choice(fillers))


def truncate(text: str, rng: random.Random, keep: tuple[float, float] = (0.4, 0.7)) -> str:
    """The first ``keep`` share of the words of ``text`` (cut after a word)."""
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    if not ends:
        return text
    count = max(1, round(rng.uniform(*keep) * len(ends)))
    return text[: ends[count - 1]]


def recaption(text: str, language: str | None, rng: random.Random) -> str:
    """1–3 photo captions inserted, or replacing short lines (which are often captions already)."""
    lines = text.split("\n")
    lang = _language(language)
    for _ in range(rng.randint(1, 3)):
        caption = rng.choice(_CAPTIONS[lang]).format(name=rng.choice(_NAMES), phrase=_phrase(lines, rng))
        short = [i for i, line in enumerate(lines) if 0 < len(line.split()) <= 10]
        if short and rng.random() < 0.5:
            lines[rng.choice(short)] = caption
        else:
            lines.insert(rng.randint(1, max(1, len(lines))), caption)
    return "\n".join(lines)


def _phrase(lines: Sequence[str], rng: random.Random) -> str:
    words = rng.choice([line for line in lines if line.strip()] or [""]).split()
    return " ".join(words[: rng.randint(4, 8)]).rstrip(".,;:")


def reheadline(
    title: str, text: str, lead: str | None, language: str | None, rng: random.Random
) -> tuple[str, str]:
    """A new headline; with a standfirst (``lead``) it may become the title or go above the body."""
    lang, choice = _language(language), rng.random()
    if lead and choice < 0.3:
        new_title = " ".join(lead.split()[:12])
    elif choice < 0.6:
        new_title = rng.choice(_TAGS[lang]) + title
    else:
        new_title = " ".join(text.split()[: rng.randint(8, 14)])
    body = f"{lead}\n{text}" if lead and rng.random() < 0.5 else text
    return new_title, body


def _variant(kind: str, record: dict[str, Any], rng: random.Random) -> tuple[str, str]:
    """(title, text) of one variant of ``record``."""
    title, text, lang = record["title"], record["text"], record.get("language")
    if kind == "exact":
        return reformat(title, text, rng)
    if kind == "rewritten":
        return title, rewrite(text, lang, rng)
    if kind == "truncated":
        return title, truncate(text, rng)
    if kind == "recaptioned":
        return title, recaption(text, lang, rng)
    return reheadline(title, text, record.get("sapo"), lang, rng)


# ---------------------------------------------------------------- reuse share


def reuse_share(a: str, b: str, min_words: int = 8) -> float:
    """Share of the shorter text's words inside passages of ``min_words`` or more also found in the other."""
    sizes = {a: len(word_hashes(a)), b: len(word_hashes(b))}
    return _share(a, b, sizes, min_words)


def _share(a: str, b: str, sizes: dict[str, int], min_words: int = 8) -> float:
    """:func:`reuse_share` with the word counts of the texts known."""
    shorter, longer = (a, b) if sizes[a] <= sizes[b] else (b, a)
    if not sizes[shorter]:
        return 0.0
    return min(sum(p.words for p in reused_passages(shorter, longer, min_words)) / sizes[shorter], 1.0)


def _claim(share: float) -> Claim:
    return "copy" if share >= COPY_SHARE else "distinct" if share < DISTINCT_SHARE else "ambiguous"


# ---------------------------------------------------------------- reading


def read_articles(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines file (gzip by suffix); each needs a string ``id`` and ``text``."""
    records = read_records(path)
    for record in records:
        if not isinstance(record.get("text"), str):
            raise MalformedInput(f"{path}#{record['id']}", "record without a text", reason="missing_text")
        record.setdefault("title", "")
    return records


# ---------------------------------------------------------------- the stream


@dataclass(slots=True)
class _Builder:
    """Collects labelled articles with their publication times."""

    rng: random.Random
    items: list[tuple[datetime, Labelled]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def put(self, labelled: Labelled) -> None:
        assert labelled.doc.published is not None
        self.items.append((labelled.doc.published, labelled))
        self.texts[labelled.doc.id] = labelled.doc.text

    def originals(self, records: Iterable[dict[str, Any]], source: str) -> None:
        """Each record as a negative, followed by one copy of each variant kind."""
        for record in records:
            published = EPOCH + timedelta(days=self.rng.uniform(0, SPAN_DAYS))
            self.put(_labelled(record, published, "random", record["id"], source))
            for kind in VARIANT_KINDS:
                later = published + timedelta(minutes=self.rng.uniform(5, 72 * 60))
                copy = {**record, "id": f"{record['id']}~{kind}"}
                self.put(_labelled(copy, later, kind, record["id"], source, _variant(kind, record, self.rng)))


def _labelled(
    record: dict[str, Any],
    published: datetime,
    kind: str,
    gold: str,
    source: str,
    edited: tuple[str, str] | None = None,
) -> Labelled:
    """``record`` (or its ``edited`` title and text) as a labelled article."""
    title, text = edited or (record["title"], record["text"])
    doc = DedupDoc(record["id"], title, text, published, record.get("outlet"))
    return Labelled(doc, kind, gold, source, record.get("event"))


def _fixture_items(builder: _Builder, records: Sequence[dict[str, Any]]) -> None:
    """Fixture originals with generated variants, hand-made copies an hour after theirs."""
    originals = [r for r in records if not r.get("copy_of")]
    builder.originals(originals, "fixtures")
    published = {lab.doc.id: when for when, lab in builder.items}
    for record in records:
        if record.get("copy_of"):
            when = published[record["copy_of"]] + timedelta(hours=1)
            kind = record.get("variant", "rewritten")
            builder.put(_labelled(record, when, kind, record["copy_of"], "fixtures"))


def _vietnews_items(builder: _Builder, path: Path, sample: int) -> None:
    """A sample of vietnews, each text at most once, as originals."""
    records = read_articles(path)
    chosen = builder.rng.sample(records, min(sample, len(records)))
    unique: dict[bytes, dict[str, Any]] = {}
    for record in chosen:
        unique.setdefault(word_hashes(record["text"]).tobytes(), record)
    builder.notes["vietnews_repeated_texts_dropped"] = len(chosen) - len(unique)
    builder.originals(unique.values(), "vietnews")


def _vims_items(builder: _Builder, path: Path) -> None:
    """vims-dev in file order over the span; same-event pairs labelled by reuse share."""
    records = read_articles(path)
    claims = _cluster_claims(records)
    gold = _copy_groups([r["id"] for r in records], [pair for pair, c in claims.items() if c == "copy"])
    step = timedelta(days=SPAN_DAYS) / max(len(records), 1)
    seen: list[dict[str, Any]] = []
    for i, record in enumerate(records):
        kind = _vims_kind(record, seen, claims, gold)
        builder.put(_labelled(record, EPOCH + i * step, kind, gold[record["id"]], "vims-dev"))
        seen.append(record)
    builder.notes["vims_pairs"] = dict(Counter(claims.values()))


def _cluster_claims(records: Sequence[dict[str, Any]]) -> dict[frozenset[str], Claim]:
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        clusters[record.get("cluster") or record["id"]].append(record)
    sizes = {r["text"]: len(word_hashes(r["text"])) for r in records}
    return {
        frozenset((a["id"], b["id"])): _claim(_share(a["text"], b["text"], sizes))
        for members in clusters.values()
        for a, b in combinations(members, 2)
    }


def _copy_groups(ids: Sequence[str], pairs: Iterable[frozenset[str]]) -> dict[str, str]:
    """Connected components of the copy pairs: id → the first id of its component."""
    parent = {i: i for i in ids}
    order = {i: n for n, i in enumerate(ids)}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for pair in pairs:
        a, b = sorted(pair, key=order.__getitem__)
        parent[root(b)] = root(a)
    return {i: root(i) for i in ids}


def _vims_kind(
    record: dict[str, Any],
    seen: Sequence[dict[str, Any]],
    claims: dict[frozenset[str], Claim],
    gold: dict[str, str],
) -> str:
    earlier = [
        claims[frozenset((record["id"], s["id"]))] for s in seen if s.get("cluster") == record.get("cluster")
    ]
    if "copy" in earlier or any(gold[s["id"]] == gold[record["id"]] for s in seen):
        return "syndicated"
    if "ambiguous" in earlier:
        return "partial_reuse"
    return "same_event" if earlier else "random"


def build_stream(
    fixtures: Path | None = None,
    vietnews: Path | None = None,
    vims: Path | None = None,
    sample: int = 1000,
    seed: int = 0,
) -> tuple[list[Labelled], dict[str, str], dict[str, Any]]:
    """The labelled stream in publication order, the texts by id, and notes on what was used."""
    builder = _Builder(random.Random(seed))
    sources = {"fixtures": fixtures, "vietnews": vietnews, "vims-dev": vims}
    builder.notes["skipped"] = sorted(
        name for name, path in sources.items() if path is None or not path.exists()
    )
    if fixtures is not None and fixtures.exists():
        _fixture_items(builder, read_articles(fixtures))
    if vietnews is not None and vietnews.exists():
        _vietnews_items(builder, vietnews, sample)
    if vims is not None and vims.exists():
        _vims_items(builder, vims)
    builder.items.sort(key=lambda item: item[0])
    return _same_event([labelled for _, labelled in builder.items]), builder.texts, builder.notes


def _same_event(stream: Sequence[Labelled]) -> list[Labelled]:
    """Negatives that follow another outlet's report of their event become ``same_event``."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    relabelled = []
    for item in stream:
        key = (item.source, item.event or "")
        if item.kind == "random" and item.event and seen[key] - {item.gold}:
            item = replace(item, kind="same_event")
        seen[key].add(item.gold)
        relabelled.append(item)
    return relabelled


# ---------------------------------------------------------------- scoring


_SCORED = ("n", "tp", "fn", "fp", "tn", "ambiguous", "unlabelled_copy")


@dataclass(slots=True)
class _Tally:
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def total(self, outcome: str) -> int:
        """Sum over the kinds that are scored (partial reuse is not)."""
        return sum(c[outcome] for kind, c in self.counts.items() if kind != "partial_reuse")


def _outcomes(item: Labelled, result: DedupResult, gold: dict[str, str], texts: dict[str, str]) -> list[str]:
    """What one prediction counts as: tp, fp, fn, tn, ambiguous or unlabelled_copy."""
    if not result.duplicate or result.matched_id is None:
        return ["fn" if item.positive else "tn"]
    if gold[result.matched_id] == item.gold:
        return ["tp"] if item.positive else ["unlabelled_copy"]
    claim = _claim(reuse_share(texts[item.doc.id], texts[result.matched_id]))
    if claim == "distinct":
        return ["fp", "fn"] if item.positive else ["fp"]
    if claim == "ambiguous":
        return ["ambiguous"]
    return ["tp"] if item.positive else ["unlabelled_copy"]


def score_stream(
    stream: Sequence[Labelled], texts: dict[str, str], config: DedupConfig | None = None
) -> dict[str, Any]:
    """Feed ``stream`` through a fresh :class:`DuplicateIndex` and score every article."""
    index = DuplicateIndex(config)
    started = time.perf_counter()
    results = [index.add(item.doc) for item in stream]
    seconds = time.perf_counter() - started
    gold = {item.doc.id: item.gold for item in stream}
    tally = _Tally()
    for item, result in zip(stream, results, strict=True):
        tally.add(item.kind, "n")
        if item.kind == "partial_reuse":
            tally.add(item.kind, "flagged" if result.duplicate else "not_flagged")
            continue
        for outcome in _outcomes(item, result, gold, texts):
            tally.add(item.kind, outcome)
        if item.kind == "exact" and result.kind == "exact":
            tally.add(item.kind, "found_as_exact")
    return _summary(tally, len(stream), seconds)


def _summary(tally: _Tally, articles: int, seconds: float) -> dict[str, Any]:
    tp, fp, fn = (tally.total(k) for k in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    kinds = {kind: _kind_row(counts) for kind, counts in sorted(tally.counts.items())}
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tally.total("tn"),
        "ambiguous": tally.total("ambiguous"),
        "unlabelled_copies": tally.total("unlabelled_copy"),
        "variants": {k: v for k, v in kinds.items() if k in VARIANT_KINDS or k == "syndicated"},
        "negatives": {k: v for k, v in kinds.items() if k in ("random", "same_event")},
        "excluded": {k: v for k, v in kinds.items() if k == "partial_reuse"},
        "articles": articles,
        "seconds": seconds,
        "ms_per_article": 1000 * seconds / max(articles, 1),
    }


def _kind_row(counts: Counter[str]) -> dict[str, Any]:
    keys = ("n", "flagged", "not_flagged") if "flagged" in counts or "not_flagged" in counts else _SCORED
    row: dict[str, Any] = {key: counts[key] for key in keys}
    if keys != _SCORED:
        return row
    if counts["tp"] + counts["fn"]:
        row["recall"] = counts["tp"] / (counts["tp"] + counts["fn"])
    else:
        row["false_positive_rate"] = counts["fp"] / counts["n"] if counts["n"] else 0.0
    if counts["found_as_exact"]:
        row["found_as_exact"] = counts["found_as_exact"]
    return row


def evaluate_dedup(
    fixtures: Path | None = None,
    vietnews: Path | None = None,
    vims: Path | None = None,
    sample: int = 1000,
    seed: int = 0,
    config: DedupConfig | None = None,
) -> dict[str, Any]:
    """Precision, recall and F1 of duplicate detection on the labelled stream, per kind, and speed.

    Missing source files are skipped and listed under ``"skipped"``.
    """
    stream, texts, notes = build_stream(fixtures, vietnews, vims, sample, seed)
    return {**score_stream(stream, texts, config), **notes, "sample": sample, "seed": seed}
