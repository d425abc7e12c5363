"""Clustering scores: B-cubed and pairwise precision, recall and F1.

Both compare a predicted clustering with a gold one over the same items, each given as a
mapping item → cluster label.

*B-cubed* (Bagga & Baldwin 1998) averages over items: an item's precision is the share of
its predicted cluster that shares its gold cluster, its recall the share of its gold
cluster that shares its predicted cluster. *Pairwise* counts pairs of items: precision is
the share of predicted same-cluster pairs that are gold same-cluster pairs, recall the
converse. When there are no predicted (or gold) pairs at all, pairwise precision (or
recall) is 1.0: nothing was claimed wrongly (or missed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

__all__ = ["PRF", "bcubed", "pairwise"]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _contingency(
    gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]
) -> tuple[Counter[tuple[Hashable, Hashable]], Counter[Hashable], Counter[Hashable]]:
    missing = gold.keys() ^ predicted.keys()
    if missing:
        raise ValueError(
            f"gold and predicted clusterings differ in {len(missing)} items, e.g. {min(missing)!r}"
        )
    joint = Counter((label, predicted[item]) for item, label in gold.items())
    return joint, Counter(gold.values()), Counter(predicted.values())


def bcubed(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> PRF:
    """B-cubed precision and recall of ``predicted`` against ``gold`` (same item keys)."""
    joint, gold_sizes, predicted_sizes = _contingency(gold, predicted)
    if not joint:
        return PRF(1.0, 1.0)
    n = len(gold)
    precision = sum(c * c / predicted_sizes[p] for (_, p), c in joint.items()) / n
    recall = sum(c * c / gold_sizes[g] for (g, _), c in joint.items()) / n
    return PRF(precision, recall)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> PRF:
    """Pairwise precision and recall of ``predicted`` against ``gold`` (same item keys)."""
    joint, gold_sizes, predicted_sizes = _contingency(gold, predicted)
    agreed = sum(_pairs(c) for c in joint.values())
    claimed = sum(_pairs(c) for c in predicted_sizes.values())
    expected = sum(_pairs(c) for c in gold_sizes.values())
    return PRF(agreed / claimed if claimed else 1.0, agreed / expected if expected else 1.0)
