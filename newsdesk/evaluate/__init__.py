"""Evaluation of newsdesk's analysis stages against gold data."""

from __future__ import annotations

from newsdesk.evaluate.metrics import PRF, bcubed, pairwise
from newsdesk.evaluate.stories import evaluate_records, evaluate_stories, mixed_stream, threshold_curve

__all__ = [
    "PRF",
    "bcubed",
    "evaluate_records",
    "evaluate_stories",
    "mixed_stream",
    "pairwise",
    "threshold_curve",
]
