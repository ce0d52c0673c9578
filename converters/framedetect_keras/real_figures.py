"""A model's figures on real photos: the pool's held-out splits, plain and framed.

Each split of the real-photo pool becomes a labelled set (:func:`~framedetect_synth.
real_set.write_real_set`: every photo untouched, and once framed, a family each in
turn), scored through the SDK exactly as ``framedetect eval`` scores a folder. The
``validation`` split chooses the threshold; ``test`` (the held-out part of the sources
trained on) and ``cross-source`` (a whole source never trained on) are reported apart.
No TensorFlow is imported here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from framedetect import Detector
from framedetect._evaluate import Report, Truth, evaluate, read_truth
from framedetect_synth.real_pool import read_pool
from framedetect_synth.real_set import REAL_SET_SEED, write_real_set

REPORTED_SPLITS = ("test", "cross-source")


@contextmanager
def real_sets(
    pool_dir: Path, splits: tuple[str, ...], seed: int = REAL_SET_SEED
) -> Iterator[dict[str, list[Truth]]]:
    """The labelled set of each split that has photos, in a temporary folder meanwhile."""
    with tempfile.TemporaryDirectory(prefix="framedetect-real-") as tmp:
        sets = {}
        for split in splits:
            photos = read_pool(pool_dir, (split,))
            if photos:
                folder = Path(tmp) / split
                sets[split] = read_truth(folder, write_real_set(folder, photos, seed))
        yield sets


def choose_threshold(detector: Detector, truths: list[Truth]) -> float:
    """The score threshold with the best accuracy on ``truths`` (ties: nearest 0.5).

    Candidates lie midway between neighbouring scores, so that no image sits on one.
    """
    scored = [(detector.predict(truth.path).score, truth.has_frame) for truth in truths]
    scores = np.asarray([score for score, _ in scored], np.float64)
    labels = np.asarray([label for _, label in scored], bool)
    order = np.sort(np.unique(scores))
    candidates = np.concatenate([[0.5], (order[1:] + order[:-1]) / 2])
    correct = [int(np.sum((scores >= t) == labels)) for t in candidates]
    best = max(correct)
    return float(
        min((t for t, c in zip(candidates, correct) if c == best), key=lambda t: abs(t - 0.5))
    )


def summarise(report: Report) -> dict[str, Any]:
    """The figures the real-photo issue asks for, from one ``framedetect eval`` report."""
    m = report.metrics
    plain = report.by_kind.get("plain", {})
    return {
        "images": m.get("scored", 0),
        "errors": len(report.errors),
        "accuracy": m.get("accuracy"),
        "roc_auc": m.get("roc_auc"),
        "plain_flagged": _share(plain.get("fp", 0), plain.get("images", 0)),
        "rectangular_flagged": m.get("rectangular_products_flagged"),
        "content_box_iou_median": m.get("content_box_iou_median"),
        "recall_by_family": {
            family: _share(row["tp"], row["tp"] + row["fn"])
            for family, row in sorted(report.by_family.items())
            if row["tp"] + row["fn"]
        },
        "accuracy_by_source": {
            source: row["accuracy"] for source, row in sorted(report.by_source.items())
        },
    }


def real_figures(detector: Detector, sets: dict[str, list[Truth]]) -> dict[str, dict[str, Any]]:
    """:func:`summarise` of the ``test`` and ``cross-source`` sets among ``sets`` (as
    :func:`real_sets` yields them, written once for every model scored on them)."""
    return {
        split: summarise(evaluate(detector, sets[split]))
        for split in REPORTED_SPLITS
        if split in sets
    }


def _share(count: float, total: float) -> float | None:
    return round(count / total, 4) if total else None
