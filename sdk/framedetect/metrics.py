"""Classification metrics on numpy arrays (accuracy, ROC AUC, confusion counts).

Shared by the ship step, ``framedetect bench`` and evaluation; numpy only.
"""

from __future__ import annotations

import numpy as np


def accuracy(truth: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> float:
    """Share of ``scores >= threshold`` that match the 0/1 ``truth``."""
    return float(np.mean((scores >= threshold) == truth.astype(bool)))


def roc_auc(truth: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve: P(score of a positive > score of a negative), ties half."""
    truth = truth.astype(bool)
    positives, negatives = scores[truth], scores[~truth]
    if not len(positives) or not len(negatives):
        raise ValueError("ROC AUC needs both positive and negative examples")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    # Average ranks over ties.
    _, starts, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    for start, count in zip(starts, counts):
        ranks[order[start : start + count]] = start + (count + 1) / 2
    rank_sum = ranks[truth].sum()
    return float(
        (rank_sum - len(positives) * (len(positives) + 1) / 2) / (len(positives) * len(negatives))
    )


def confusion(truth: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> dict[str, int]:
    """True/false positives and negatives."""
    truth, predicted = truth.astype(bool), scores >= threshold
    return {
        "tp": int(np.sum(truth & predicted)),
        "fp": int(np.sum(~truth & predicted)),
        "tn": int(np.sum(~truth & ~predicted)),
        "fn": int(np.sum(truth & ~predicted)),
    }


def accuracy_by_kind(
    kinds: list[str], truth: np.ndarray, scores: np.ndarray, threshold: float = 0.5
) -> dict[str, dict[str, float]]:
    """Accuracy and count for each scene kind."""
    names = np.asarray(kinds)
    return {
        kind: {
            "count": int(np.sum(names == kind)),
            "accuracy": round(accuracy(truth[names == kind], scores[names == kind], threshold), 4),
        }
        for kind in sorted(set(kinds))
    }


def roc_curve(truth: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """False- and true-positive rates at every distinct threshold, from (0, 0) to (1, 1)."""
    truth = truth.astype(bool)
    order = np.argsort(-scores, kind="mergesort")
    ranked, hits = scores[order], truth[order]
    last_of_each = np.r_[np.flatnonzero(np.diff(ranked)), len(ranked) - 1]
    tp = np.cumsum(hits)[last_of_each]
    fp = np.cumsum(~hits)[last_of_each]
    positives, negatives = max(int(truth.sum()), 1), max(int((~truth).sum()), 1)
    return np.r_[0.0, fp / negatives], np.r_[0.0, tp / positives]
