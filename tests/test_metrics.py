"""The evaluation metrics against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from framedetect.metrics import accuracy, confusion, roc_auc


def _pairwise_auc(truth: np.ndarray, scores: np.ndarray) -> float:
    pos, neg = scores[truth == 1], scores[truth == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


@pytest.mark.parametrize("seed", range(5))
def test_auc_matches_pairwise_count(seed: int) -> None:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 2, 300)
    scores = np.round(rng.random(300) * 0.5 + truth * 0.3, 2)  # with ties
    assert roc_auc(truth, scores) == pytest.approx(_pairwise_auc(truth, scores))


def test_perfect_and_inverted_rankings() -> None:
    truth = np.array([0, 0, 1, 1])
    assert roc_auc(truth, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert roc_auc(truth, np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
    with pytest.raises(ValueError, match="both positive and negative"):
        roc_auc(np.ones(3), np.ones(3))


def test_accuracy_and_confusion() -> None:
    truth = np.array([1, 0, 1, 0])
    scores = np.array([0.9, 0.6, 0.4, 0.1])
    assert accuracy(truth, scores) == 0.5
    assert confusion(truth, scores) == {"tp": 1, "fp": 1, "tn": 1, "fn": 1}


def test_roc_curve_runs_from_origin_to_one_and_matches_the_auc() -> None:
    from framedetect.metrics import roc_curve

    rng = np.random.default_rng(2)
    truth = rng.random(400) < 0.5
    scores = np.where(truth, rng.random(400) * 0.7 + 0.3, rng.random(400) * 0.7)
    fpr, tpr = roc_curve(truth, scores)
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    assert np.trapezoid(tpr, fpr) == pytest.approx(roc_auc(truth, scores), abs=1e-9)
