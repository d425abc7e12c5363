"""Story clustering: quality on vims-dev and on a realistic stream, speed, and flat cost.

* **vims-dev** (997 articles, 150 gold events) clustered from scratch in file order,
  B-cubed and pairwise scores, at the default threshold and at three others.
* **Realistic stream**: vims-dev mixed with the first 2,000 vietnews-20k articles as
  singleton distractors, in one deterministic shuffled order (seed 0; seeds 1 and 2 are
  shown too). The O(n²) average-link baseline took ~270 s for 3,000 articles.
* **Flat cost**: vietnews-20k spread over time at 2,000 articles a day, repeated with
  perturbations (a sixth of the lines dropped, per copy) up to 200,000 articles; the
  time per article over the 2,000 articles before the 10k mark and before the last mark.
  ``--articles N`` sets the last mark (default 200,000).

All timings are wall-clock on one process (the machine may be shared). Prints tables and
one JSON line. Skips with a message when ../shared/corpus is absent.
Run: .venv/bin/python bench/bench_stories.py [--articles N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.analyze.stories import StoryClusterer, StoryConfig, StoryDoc
from newsdesk.evaluate.stories import evaluate_records, mixed_stream, read_records

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared")) / "corpus"
VIMS = CORPUS / "vims-dev.articles.jsonl.gz"
VIETNEWS = CORPUS / "vietnews-20k.jsonl.gz"
DISTRACTORS, SEEDS = 2000, (0, 1, 2)
BASELINE_SECONDS = 270.0
PER_DAY, WINDOW = 2000, 2000
START = datetime(2024, 1, 1, tzinfo=UTC)


def curve(records: Sequence[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """Scores at the default threshold and at three others."""
    default = StoryConfig().threshold
    rows = []
    for threshold in sorted({default, 0.09, 0.13, 0.15}):
        scores, _ = evaluate_records(records, StoryConfig(threshold=threshold))
        rows.append({"stream": name, "threshold": threshold, **scores})
    return rows


def perturbed(records: Sequence[dict[str, Any]], total: int) -> Iterator[StoryDoc]:
    """``total`` articles: the records over and over, each copy with other lines dropped."""
    step = timedelta(days=1) / PER_DAY
    rng = random.Random(0)
    for i in range(total):
        copy, record = divmod(i, len(records))
        lines = records[record].get("text", "").split("\n")
        if copy:
            lines = [line for line in lines if rng.random() > 1 / 6] or lines[:1]
        yield StoryDoc(
            id=f"{records[record]['id']}#{copy}",
            title=records[record].get("title", ""),
            text="\n".join(lines),
            published=START + i * step,
            language="vi",
        )


def flat_cost(records: Sequence[dict[str, Any]], marks: Sequence[int]) -> list[dict[str, Any]]:
    """Milliseconds per article over the ``WINDOW`` articles before each mark."""
    clusterer = StoryClusterer()
    rows, started, done = [], 0.0, 0
    for i, doc in enumerate(perturbed(records, max(marks)), 1):
        if any(i == m - WINDOW + 1 for m in marks):
            started = time.perf_counter()
        clusterer.add(doc)
        if i in marks:
            ms = 1000 * (time.perf_counter() - started) / WINDOW
            rows.append({"articles": i, "ms_per_article": ms, "active_articles": clusterer.active_articles()})
            print(f"  {i:,} articles: {ms:.2f} ms/article", file=sys.stderr)
        done = i
        if done % 20_000 == 0:
            clusterer.pop_quiet()
    return rows


def main(total: int) -> int:
    if not (VIMS.is_file() and VIETNEWS.is_file()):
        print(f"skipped: {CORPUS} absent (needs vims-dev and vietnews-20k)")
        return 0
    console = Console()
    vims = read_records(VIMS)
    distractors = read_records(VIETNEWS, limit=DISTRACTORS)
    rows = curve(vims, "vims-dev") + curve(mixed_stream(vims, distractors, SEEDS[0]), "realistic")
    seeds = {seed: evaluate_records(mixed_stream(vims, distractors, seed))[0] for seed in SEEDS}
    flat = flat_cost(read_records(VIETNEWS), sorted({10_000, total}))
    console.print(_quality_table(rows))
    console.print(_summary_table(rows, seeds, flat))
    print(json.dumps(_summary(rows, seeds, flat)))
    return 0


def _quality_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="story clustering, online in arrival order: F1 against threshold")
    for column in ("stream", "threshold", "B³ P", "B³ R", "B³ F1", "pair F1", "stories", "s", "ms/art"):
        table.add_column(column, justify="right")
    for r in rows:
        table.add_row(
            r["stream"],
            f"{r['threshold']:.2f}",
            *(f"{r[k]:.4f}" for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_f1")),
            str(r["predicted_stories"]),
            f"{r['seconds']:.1f}",
            f"{r['ms_per_article']:.2f}",
        )
    return table


def _summary(
    rows: list[dict[str, Any]], seeds: dict[int, dict[str, Any]], flat: list[dict[str, Any]]
) -> dict:
    default = StoryConfig().threshold
    at = {r["stream"]: r for r in rows if r["threshold"] == default}
    realistic = at["realistic"]
    return {
        "bench": "stories",
        "threshold": default,
        "vims_bcubed_f1": round(at["vims-dev"]["bcubed_f1"], 4),
        "vims_pairwise_f1": round(at["vims-dev"]["pairwise_f1"], 4),
        "realistic_bcubed_f1": round(realistic["bcubed_f1"], 4),
        "realistic_bcubed_f1_seeds": [round(seeds[s]["bcubed_f1"], 4) for s in SEEDS],
        "realistic_seconds": round(realistic["seconds"], 2),
        "realistic_articles": realistic["articles"],
        "speedup_vs_baseline": round(BASELINE_SECONDS / realistic["seconds"], 1),
        "ms_per_article": {str(r["articles"]): round(r["ms_per_article"], 3) for r in flat},
        "cost_ratio": round(flat[-1]["ms_per_article"] / flat[0]["ms_per_article"], 2),
    }


def _summary_table(
    rows: list[dict[str, Any]], seeds: dict[int, dict[str, Any]], flat: list[dict[str, Any]]
) -> Table:
    summary = _summary(rows, seeds, flat)
    table = Table(title="story clustering: targets")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    marks = list(summary["ms_per_article"].items())
    table.add_row("vims-dev B³ F1", f"{summary['vims_bcubed_f1']:.4f}", "≥ 0.98")
    table.add_row("realistic stream B³ F1 (seed 0)", f"{summary['realistic_bcubed_f1']:.4f}", "≥ 0.96")
    table.add_row("  seeds 0, 1, 2", ", ".join(f"{f:.4f}" for f in summary["realistic_bcubed_f1_seeds"]), "")
    table.add_row(
        f"realistic stream time ({summary['realistic_articles']:,} articles)",
        f"{summary['realistic_seconds']:.1f} s",
        "≤ 10 s",
    )
    table.add_row("speed-up vs O(n²) baseline (270 s)", f"{summary['speedup_vs_baseline']:.0f}×", "≥ 25×")
    for mark, ms in marks:
        table.add_row(f"ms/article at {int(mark):,} articles", f"{ms:.2f}", "")
    table.add_row(f"ratio {marks[-1][0]} / {marks[0][0]}", f"{summary['cost_ratio']:.2f}", "≤ 1.5")
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200_000, help="last mark of the flat-cost run")
    sys.exit(main(parser.parse_args().articles))
