"""Pickup matching: precision and recall per kind on the full labelled set, retrieval, and speed.

The labelled set (``newsdesk.measure.labelled``) holds 300 vietnews and 150 vims-dev
publications with a verbatim, trimmed, re-headlined, lightly edited and partly quoted pickup
each, random and same-event negatives, and the hand-written English releases with their
pickups and same-topic negatives. It is scored at the default configuration, then at other
evidence thresholds; the evidence of each kind shows the margin around the threshold.
A diagnostic row scores heavier rewrites (10–20% of the words of each paragraph changed),
which are outside the target.

**Retrieval.** The store's full-text index is mimicked in memory (folded tokens, a posting
list per token, phrases checked in the indexed text) over the vietnews pool, vims-dev and
the generated pickups. Each publication's :func:`candidate_terms` (with and without document
frequencies from that index) are run as an OR query: the share of its pickups retrieved, and
how many candidates come back, scaled to a 100,000-article archive. With the time per
candidate of :func:`compare`, that gives the matching time per publication; the database
time of the query itself is measured later, with the store.

Prints tables and one JSON line. Skips with a message when ../shared/corpus is absent.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.evaluate.dedup import rewrite
from newsdesk.measure.labelled import (
    POSITIVE_KINDS,
    LabelledPair,
    LabelledSet,
    build_labelled_set,
    evaluate,
)
from newsdesk.measure.pickup import Candidate, PickupConfig, compare, find_pickups
from newsdesk.measure.pickup import candidate_terms as terms_of
from newsdesk.store.search import search_text

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")) / "corpus"
VIETNEWS = CORPUS / "vietnews-20k.jsonl.gz"
VIMS = CORPUS / "vims-dev.articles.jsonl.gz"
FIXTURES = REPO / "tests" / "fixtures" / "measure" / "en_releases.json"
N_VIETNEWS, N_VIMS, SEED = 300, 150, 0
EVIDENCE = (10, 15, 20, 25, 30, 40, 60)
ARCHIVE = 100_000


def _build() -> LabelledSet:
    return build_labelled_set(VIETNEWS, VIMS, FIXTURES, n_vietnews=N_VIETNEWS, n_vims=N_VIMS, seed=SEED)


# ---------------------------------------------------------------- quality


def _kinds_table(ev: Any) -> Table:
    table = Table(title="Pickups per labelled kind (default configuration); rate: recall or FP rate")
    for column in ("kind", "role", "n", "found", "missed", "FP", "kind named right", "rate"):
        table.add_column(column, justify="left" if column in ("kind", "role") else "right")
    for kind, s in ev.kinds.items():
        positive = kind in POSITIVE_KINDS
        right = f"{s.kind_right}/{s.tp}" if positive and kind not in ("edited", "syndicated") else ""
        table.add_row(kind, "pickup" if positive else "neg.", str(s.n), str(s.tp) if positive else "",
                      str(s.fn) if positive else "", str(s.fp), right, f"{s.rate:.4f}")  # fmt: skip
    return table


def _curve(labelled: LabelledSet) -> list[dict[str, Any]]:
    rows = []
    for evidence in EVIDENCE:
        ev = evaluate(labelled, PickupConfig(min_evidence=evidence))
        rows.append({"min_evidence": evidence, "precision": ev.precision, "recall": ev.recall, "f1": ev.f1,
                     "fp": ev.fp, "fn": ev.fn, "ambiguous_flagged": ev.ambiguous_flagged})  # fmt: skip
    return rows


def _curve_table(curve: list[dict[str, Any]]) -> Table:
    table = Table(title="Evidence threshold (words of reused passages beyond 12 per passage)")
    for column in ("min_evidence", "precision", "recall", "F1", "FP", "FN", "ambiguous flagged"):
        table.add_column(column, justify="right")
    for r in curve:
        table.add_row(str(r["min_evidence"]), f"{r['precision']:.4f}", f"{r['recall']:.4f}", f"{r['f1']:.4f}",
                      str(r["fp"]), str(r["fn"]), str(r["ambiguous_flagged"]))  # fmt: skip
    return table


def _evidence(labelled: LabelledSet) -> dict[str, list[int]]:
    """Evidence of every pair, measured with a configuration that rejects nothing early."""
    open_config = PickupConfig(min_evidence=1, min_share=1.0, min_share_words=10**6)
    found: dict[str, list[int]] = defaultdict(list)
    for pair in [*labelled.pairs, *labelled.ambiguous]:
        publication = labelled.publications[pair.publication_id]
        best = 0
        for variant in publication.variants:
            if pair.article.language in (None, variant.language):
                verdict = compare(
                    variant.title, variant.text, pair.article.title, pair.article.text, open_config
                )
                best = max(best, verdict.evidence)
        found[pair.kind].append(best)
    return found


def _evidence_table(evidence: dict[str, list[int]]) -> Table:
    table = Table(title="Evidence per kind (default threshold 25)")
    for column in ("kind", "n", "min", "p1", "median", "p99", "max"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, values in sorted(evidence.items()):
        ordered = sorted(values)
        pick = [ordered[0], ordered[len(ordered) // 100], int(statistics.median(ordered)),
                ordered[(99 * (len(ordered) - 1)) // 100], ordered[-1]]  # fmt: skip
        table.add_row(kind, str(len(ordered)), *(str(v) for v in pick))
    return table


def _heavy_edits(labelled: LabelledSet) -> dict[str, float]:
    """Recall on rewrites changing 10–20% of each paragraph's words (not in the target)."""
    rng = random.Random(SEED)
    found = total = 0
    for publication in labelled.publications.values():
        variant = publication.variants[0]
        if variant.language != "vi":
            continue
        edited = rewrite(variant.text, "vi", rng, (0.1, 0.2))
        found += compare(variant.title, variant.text, variant.title, edited).match is not None
        total += 1
    return {"n": total, "recall": found / max(total, 1)}


# ---------------------------------------------------------------- retrieval


@dataclass(slots=True)
class _Index:
    """A stand-in for the store's FTS index: folded tokens, postings, phrases checked in the text."""

    texts: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, doc_id: str, title: str, text: str) -> None:
        indexed = search_text(f"{title}\n{text}")
        number = len(self.texts)
        self.texts.append(f" {indexed} ")
        self.ids.append(doc_id)
        for token in set(indexed.split()):
            self.postings[token].append(number)

    def frequency(self, token: str) -> float:
        return len(self.postings.get(token, ())) / max(len(self.texts), 1)

    def query(self, phrases: Sequence[str]) -> set[str]:
        """Ids of the documents holding any of the double-quoted ``phrases``."""
        hits: set[int] = set()
        for phrase in phrases:
            tokens = phrase.strip('"').split()
            lists = sorted((self.postings.get(t, []) for t in tokens), key=len)
            if not lists or not lists[0]:
                continue
            common = set(lists[0]).intersection(*lists[1:])
            needle = f" {' '.join(tokens)} "
            hits.update(d for d in common if needle in self.texts[d])
        return {self.ids[d] for d in hits}


def _index(labelled: LabelledSet) -> _Index:
    from newsdesk.evaluate.stories import read_records

    index = _Index()
    seen: set[str] = set()
    for path in (VIETNEWS, VIMS):
        for record in read_records(path):
            if record.get("text") and record["id"] not in seen:
                index.add(record["id"], record.get("title", ""), record["text"])
                seen.add(record["id"])
    for pair in labelled.pairs:
        if pair.article.id not in seen:
            index.add(pair.article.id, pair.article.title, pair.article.text)
            seen.add(pair.article.id)
    return index


def _retrieval(labelled: LabelledSet, index: _Index, with_df: bool) -> dict[str, Any]:
    by_pub: dict[str, list[LabelledPair]] = defaultdict(list)
    for pair in labelled.pairs:
        if pair.positive and pair.kind != "syndicated":
            by_pub[pair.publication_id].append(pair)
    frequency: Callable[[str], float] | None = index.frequency if with_df else None
    retrieved: dict[str, list[bool]] = defaultdict(list)
    counts: list[int] = []
    for pub_id, pairs in by_pub.items():
        found: set[str] = set()
        for variant in labelled.publications[pub_id].variants:
            terms = terms_of(
                variant.text, variant.title, language=variant.language, document_frequency=frequency
            )
            found |= index.query(terms)
        counts.append(len(found))
        for pair in pairs:
            retrieved[pair.kind].append(pair.article.id in found)
    scale = ARCHIVE / len(index.texts)
    counts.sort()
    return {
        "document_frequency": with_df,
        "recall": {kind: sum(v) / len(v) for kind, v in sorted(retrieved.items())},
        "candidates_median": statistics.median(counts),
        "candidates_p95": counts[(95 * (len(counts) - 1)) // 100],
        "candidates_max": counts[-1],
        "archive": len(index.texts),
        "median_at_100k": statistics.median(counts) * scale,
        "p95_at_100k": counts[(95 * (len(counts) - 1)) // 100] * scale,
    }


def _retrieval_table(rows: list[dict[str, Any]], ms_per_candidate: float) -> Table:
    table = Table(title=f"OR query of candidate_terms over {rows[0]['archive']} articles, scaled to 100k")
    for column in ("doc. freq.", "recall (lowest kind)", "candidates p50", "p95", "max", "p50 @100k",
                   "p95 @100k", "matching p95 @100k"):  # fmt: skip
        table.add_column(column, justify="right")
    for r in rows:
        worst = min(r["recall"].items(), key=lambda item: item[1])
        table.add_row("yes" if r["document_frequency"] else "no", f"{worst[1]:.4f} ({worst[0]})",
                      f"{r['candidates_median']:.0f}", str(r["candidates_p95"]), str(r["candidates_max"]),
                      f"{r['median_at_100k']:.0f}", f"{r['p95_at_100k']:.0f}",
                      f"{r['p95_at_100k'] * ms_per_candidate:.0f} ms")  # fmt: skip
    return table


# ---------------------------------------------------------------- speed


def _ms_per_call(calls: Sequence[Callable[[], object]]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for call in calls:
        call()
    n = max(len(calls), 1)
    return 1000 * (time.perf_counter() - wall) / n, 1000 * (time.process_time() - cpu) / n


def _speed(labelled: LabelledSet) -> dict[str, float]:
    def call(pair: LabelledPair) -> Callable[[], object]:
        variant = labelled.publications[pair.publication_id].variants[-1]
        return lambda: compare(variant.title, variant.text, pair.article.title, pair.article.text)

    negatives = [call(p) for p in labelled.pairs if not p.positive and p.article.language == "vi"]
    positives = [call(p) for p in labelled.pairs if p.positive and p.article.language == "vi"]
    neg_ms, neg_cpu = _ms_per_call(negatives)
    pos_ms, pos_cpu = _ms_per_call(positives)
    rng = random.Random(SEED)
    publication = rng.choice([p for p in labelled.publications.values() if p.variants[0].language == "vi"])
    pool = [p.article for p in labelled.pairs if p.article.language == "vi"]
    candidates = [Candidate(a.id, a.title, a.text, a.language) for a in rng.sample(pool, 300)]
    started = time.perf_counter()
    find_pickups(publication, candidates)
    return {
        "negative_ms": neg_ms,
        "negative_cpu_ms": neg_cpu,
        "positive_ms": pos_ms,
        "positive_cpu_ms": pos_cpu,
        "find_300_ms": 1000 * (time.perf_counter() - started),
        "pairs": len(negatives) + len(positives),
    }


# ---------------------------------------------------------------- main


def main() -> int:
    console = Console()
    if not (VIETNEWS.exists() and VIMS.exists()):
        console.print(f"[yellow]skipped: {CORPUS} absent (the pickup benchmark needs ../shared/corpus)")
        return 0
    started = time.perf_counter()
    labelled = _build()
    build_seconds = time.perf_counter() - started
    ev = evaluate(labelled)
    console.print(
        f"labelled set: {labelled.composition()} built in {build_seconds:.1f} s; {dict(labelled.notes)}"
    )
    console.print(_kinds_table(ev))
    console.print(
        f"precision {ev.precision:.4f}  recall {ev.recall:.4f}  F1 {ev.f1:.4f} (TP {ev.tp}, FP {ev.fp}, "
        f"FN {ev.fn}); matcher's kinds: {ev.predicted_precision}; ambiguous same-event pairs "
        f"(a shared passage of 20+ words, under half the publication): {ev.ambiguous}, "
        f"{ev.ambiguous_flagged} flagged"
    )
    curve = _curve(labelled)
    console.print(_curve_table(curve))
    evidence = _evidence(labelled)
    console.print(_evidence_table(evidence))
    heavy = _heavy_edits(labelled)
    console.print(
        f"diagnostic, heavier rewrites (10–20% of words): recall {heavy['recall']:.4f} of {heavy['n']}"
    )
    speed = _speed(labelled)
    console.print(
        f"compare(): negatives {speed['negative_ms']:.3f} ms per pair (CPU {speed['negative_cpu_ms']:.3f}), "
        f"pickups {speed['positive_ms']:.3f} ms (CPU {speed['positive_cpu_ms']:.3f}); "
        f"find_pickups over 300 candidates: {speed['find_300_ms']:.0f} ms"
    )
    index = _index(labelled)
    retrieval = [_retrieval(labelled, index, with_df) for with_df in (False, True)]
    console.print(_retrieval_table(retrieval, speed["negative_ms"]))
    scores: dict[str, Any] = {
        "precision": ev.precision, "recall": ev.recall, "f1": ev.f1, "tp": ev.tp, "fp": ev.fp, "fn": ev.fn,
        "ambiguous": ev.ambiguous, "ambiguous_flagged": ev.ambiguous_flagged,
        "kinds": {k: {"n": v.n, "fp": v.fp, "fn": v.fn, "rate": v.rate} for k, v in ev.kinds.items()},
    }  # fmt: skip
    out = {"bench": "pickup", "composition": labelled.composition(), "scores": scores, "curve": curve,
           "heavy_edits": heavy, "speed": speed, "retrieval": retrieval}  # fmt: skip
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
