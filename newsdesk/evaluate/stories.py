"""Evaluation of story clustering against gold event clusters.

Input: JSON Lines (gzip when the name ends in ``.gz``) with ``id``, ``title``, ``text``
and ``cluster`` (the gold event); a record without ``cluster`` is its own event (a
distractor). Optional ``language`` and ``outlet`` are passed on.

The articles are clustered from scratch **in file order** with the online algorithm of
:mod:`newsdesk.analyze.stories`. The gold files carry no dates, so the arrival index is
the time (one second apart, from :data:`EPOCH`): every article falls inside the quiet
window of the default configuration, which is what the gold clusters assume.
"""

from __future__ import annotations

import gzip
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsdesk.analyze.stories import StoryClusterer, StoryConfig, StoryDoc
from newsdesk.errors import MalformedInput, UnreadableInput
from newsdesk.evaluate.metrics import bcubed, pairwise

__all__ = [
    "EPOCH",
    "cluster_records",
    "evaluate_records",
    "evaluate_stories",
    "mixed_stream",
    "read_records",
    "threshold_curve",
]

EPOCH = datetime(2016, 1, 1, tzinfo=UTC)
"""Synthetic publication time of the first article of an undated evaluation file."""


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The records of a JSON Lines file (gzip by suffix), at most ``limit`` of them."""
    try:
        return list(_records(path, limit))
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot read: {exc.strerror or exc}") from exc


def _records(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if limit is not None and number > limit:
                return
            if line.strip():
                yield _record(line, f"{path}#L{number}")


def _record(line: str, origin: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInput(origin, f"invalid JSON: {exc.msg}", reason="malformed_json") from exc
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise MalformedInput(origin, "record without a string id", reason="missing_id")
    return record


def _doc(record: dict[str, Any], index: int) -> StoryDoc:
    return StoryDoc(
        id=record["id"],
        title=record.get("title") or "",
        text=record.get("text") or "",
        published=EPOCH + timedelta(seconds=index),
        language=record.get("language", "vi"),
        outlet=record.get("outlet"),
    )


def cluster_records(
    records: Iterable[dict[str, Any]], config: StoryConfig | None = None
) -> tuple[dict[str, str], StoryClusterer]:
    """Cluster records online in their order; return article id → story id and the clusterer."""
    clusterer = StoryClusterer(config, clock=lambda: datetime.max.replace(tzinfo=UTC))
    for i, record in enumerate(records):
        clusterer.add(_doc(record, i))
    return {r["id"]: clusterer.story_of(r["id"]) or "" for r in records}, clusterer


def evaluate_records(
    records: Sequence[dict[str, Any]], config: StoryConfig | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Scores of online clustering of ``records`` and the assignment it made."""
    started = time.perf_counter()
    predicted, _ = cluster_records(records, config)
    seconds = time.perf_counter() - started
    gold = {r["id"]: str(r.get("cluster") or f"\0{r['id']}") for r in records}
    b3, pairs = bcubed(gold, predicted), pairwise(gold, predicted)
    scores = {
        "bcubed_precision": b3.precision,
        "bcubed_recall": b3.recall,
        "bcubed_f1": b3.f1,
        "pairwise_precision": pairs.precision,
        "pairwise_recall": pairs.recall,
        "pairwise_f1": pairs.f1,
        "articles": len(records),
        "gold_clusters": len(set(gold.values())),
        "predicted_stories": len(set(predicted.values())),
        "seconds": seconds,
        "ms_per_article": 1000 * seconds / max(len(records), 1),
    }
    return scores, predicted


def evaluate_stories(
    path: Path, out: Path | None = None, config: StoryConfig | None = None
) -> dict[str, Any]:
    """Cluster a gold file in arrival order and score it; write ``{"id","story"}`` lines to ``out``."""
    scores, predicted = evaluate_records(read_records(path), config)
    if out is not None:
        lines = (json.dumps({"id": i, "story": s}, ensure_ascii=False) + "\n" for i, s in predicted.items())
        out.write_text("".join(lines), encoding="utf-8")
    return scores


def mixed_stream(
    gold: Sequence[dict[str, Any]], distractors: Sequence[dict[str, Any]], seed: int = 0
) -> list[dict[str, Any]]:
    """Gold records and distractors (their ``cluster`` dropped) in one deterministic shuffled order."""
    stream = [*gold, *({k: v for k, v in r.items() if k != "cluster"} for r in distractors)]
    random.Random(seed).shuffle(stream)
    return stream


def threshold_curve(
    records: Sequence[dict[str, Any]], thresholds: Iterable[float], config: StoryConfig | None = None
) -> list[dict[str, float]]:
    """B-cubed and pairwise F1 of online clustering at each joining threshold."""
    base = config or StoryConfig()
    curve = []
    for threshold in thresholds:
        scores, _ = evaluate_records(records, base.model_copy(update={"threshold": threshold}))
        curve.append(
            {"threshold": threshold, "bcubed_f1": scores["bcubed_f1"], "pairwise_f1": scores["pairwise_f1"]}
        )
    return curve
