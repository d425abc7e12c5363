"""Duplicate detection: precision and recall per copy kind on the labelled stream, and speed.

The labelled stream (``newsdesk.evaluate.dedup``) holds the hand-written fixtures, a
sample of vietnews-20k with a rewritten, truncated, re-captioned, re-headlined and
re-typed copy of each article, and vims-dev (other outlets' reports of the same events
as hard negatives, their real copies as positives). It is scored at the default
threshold, then at other thresholds on the same stream.

Speed is single process: ``DuplicateIndex.add`` over all of vietnews-20k (one article a
minute, so the 30-day window holds all of them), the signature alone, and
``reused_passages`` on pairs of 1,000-word articles. CPU time (``process_time``) is
shown beside wall time because the machine may be shared.

Prints tables and one JSON line. Skips with a message when ../shared/corpus is absent.
"""

from __future__ import annotations

import gc
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.analyze.dedup import DedupConfig, DedupDoc, DuplicateIndex, reused_passages, signature
from newsdesk.evaluate.dedup import build_stream, read_articles, rewrite, score_stream

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")) / "corpus"
VIETNEWS = CORPUS / "vietnews-20k.jsonl.gz"
VIMS = CORPUS / "vims-dev.articles.jsonl.gz"
FIXTURES = REPO / "tests" / "fixtures" / "dedup" / "articles.jsonl"
SAMPLE, SEED = 2000, 0
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def quality() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Scores at the default configuration, and P/R/F1 at each threshold, on one stream."""
    stream, texts, notes = build_stream(FIXTURES, VIETNEWS, VIMS, SAMPLE, SEED)
    scores = {**score_stream(stream, texts), **notes, "sample": SAMPLE, "seed": SEED}
    curve = []
    for threshold in THRESHOLDS:
        s = score_stream(stream, texts, DedupConfig(threshold=threshold))
        curve.append({"threshold": threshold, **{k: s[k] for k in ("precision", "recall", "f1", "fp", "fn")}})
    return scores, curve


def _timed(calls: Sequence[Callable[[], object]]) -> tuple[float, float]:
    """(wall, CPU) milliseconds per call."""
    wall, cpu = time.perf_counter(), time.process_time()
    for call in calls:
        call()
    return (1000 * (time.perf_counter() - wall) / len(calls), 1000 * (time.process_time() - cpu) / len(calls))


def speed() -> dict[str, float]:
    records = read_articles(VIETNEWS)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    docs = [
        DedupDoc(r["id"], r["title"], r["text"], start + timedelta(minutes=i)) for i, r in enumerate(records)
    ]
    index = DuplicateIndex()
    add_wall, add_cpu = _timed([partial(index.add, d) for d in docs])
    sig_wall, sig_cpu = _timed([partial(signature, d) for d in docs[:5000]])
    long_texts = [r["text"] for r in records if len(r["text"].split()) >= 1000][:100]
    rng = random.Random(0)
    pairs = [(t, rewrite(t, "vi", rng)) for t in long_texts]
    gc.collect()
    passage_wall, passage_cpu = _timed([partial(reused_passages, a, b) for a, b in pairs])
    return {
        "articles": len(docs),
        "words_mean": sum(len(d.text.split()) for d in docs) / len(docs),
        "add_ms": add_wall,
        "add_cpu_ms": add_cpu,
        "signature_ms": sig_wall,
        "signature_cpu_ms": sig_cpu,
        "passages_pairs": len(pairs),
        "passages_ms": passage_wall,
        "passages_cpu_ms": passage_cpu,
        "signature_bytes_mean": sum(len(signature(d).data) for d in docs[:2000]) / 2000,
    }


def _kinds_table(scores: dict[str, Any]) -> Table:
    table = Table(title=f"Duplicates per kind (threshold {DedupConfig().threshold}); rate: recall or FP rate")
    for column in ("kind", "role", "n", "found", "missed", "FP", "ambig.", "rate"):
        table.add_column(column, justify="left" if column in ("kind", "role") else "right", no_wrap=True)
    for kind, row in scores["variants"].items():
        counts = [str(row[k]) for k in ("n", "tp", "fn", "fp", "ambiguous")]
        table.add_row(kind, "copy", *counts, f"{row['recall']:.4f}")
    for kind, row in scores["negatives"].items():
        counts = [str(row["n"]), "", "", str(row["fp"]), str(row["ambiguous"])]
        table.add_row(kind, "neg.", *counts, f"{row['false_positive_rate']:.4f}")
    for kind, row in scores["excluded"].items():
        table.add_row(kind, "unscored", str(row["n"]), f"{row['flagged']}", "", "", "", "")
    return table


def _curve_table(curve: list[dict[str, Any]]) -> Table:
    table = Table(title="Threshold (containment of the shorter body in the longer)")
    for column in ("threshold", "precision", "recall", "F1", "FP", "FN"):
        table.add_column(column, justify="right")
    for row in curve:
        table.add_row(f"{row['threshold']:.1f}", f"{row['precision']:.4f}", f"{row['recall']:.4f}",
                      f"{row['f1']:.4f}", str(row["fp"]), str(row["fn"]))  # fmt: skip
    return table


def main() -> int:
    console = Console()
    if not (VIETNEWS.exists() and VIMS.exists()):
        console.print(f"[yellow]skipped: {CORPUS} absent (the duplicate benchmark needs ../shared/corpus)")
        return 0
    scores, curve = quality()
    console.print(_kinds_table(scores))
    console.print(
        f"precision {scores['precision']:.4f}  recall {scores['recall']:.4f}  F1 {scores['f1']:.4f}  "
        f"(TP {scores['tp']}, FP {scores['fp']}, FN {scores['fn']}, ambiguous {scores['ambiguous']}); "
        f"vims-dev same-event pairs: {scores['vims_pairs']}; "
        f"{scores['articles']} articles in {scores['seconds']:.2f} s ({scores['ms_per_article']:.3f} ms each)"
    )
    console.print(_curve_table(curve))
    timing = speed()
    t = timing
    console.print(
        f"add(): {t['add_ms']:.3f} ms per article (CPU {t['add_cpu_ms']:.3f}) over {t['articles']} vietnews "
        f"articles of {t['words_mean']:.0f} words; signature alone {t['signature_ms']:.3f} ms "
        f"(CPU {t['signature_cpu_ms']:.3f}), {t['signature_bytes_mean']:.0f} bytes; reused_passages: "
        f"{t['passages_ms']:.2f} ms per pair of 1,000+-word articles (CPU {t['passages_cpu_ms']:.2f})"
    )
    print(
        json.dumps({"bench": "dedup", "scores": scores, "curve": curve, "speed": timing}, ensure_ascii=False)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
