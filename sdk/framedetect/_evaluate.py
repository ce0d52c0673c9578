"""``framedetect eval``: score a labelled folder and report what a frame detector must get right.

Labels are a CSV with ``file`` and ``has_frame`` columns, and optionally the framed
sides (``top``, ``right``, ``bottom``, ``left``), the content box (``x0``, ``y0``,
``x1``, ``y1``) and the scene ``kind`` (``framedetect generate`` writes all of them).
Without labels, every image under the folder counts as unframed: the report is then the
false-positive rate (e.g. on real product photos). Content-box IoU is reported twice: the
model's box (``content_box_iou_*``) and what ``remove_frame`` cuts, its edges refined at
full resolution (``crop_iou_*``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._decode import FramePrediction
from ._detector import Detector
from ._errors import FrameDetectError, InvalidArgumentError
from ._refine import Box
from .metrics import roc_auc

SIDES = ("top", "right", "bottom", "left")
BOX = ("x0", "y0", "x1", "y1")


@dataclass(frozen=True)
class Truth:
    """What a labels row says about one image."""

    path: Path
    has_frame: bool
    sides: tuple[bool, ...] | None = None
    box: tuple[int, int, int, int] | None = None
    kind: str = "unlabelled"
    source: str = ""


@dataclass
class Report:
    """Everything ``framedetect eval`` measured."""

    model: str
    images: int
    labels: str = "none: every image counted as unframed"
    errors: list[dict[str, str]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    by_kind: dict[str, dict[str, int | float]] = field(default_factory=dict)
    by_family: dict[str, dict[str, int | float]] = field(default_factory=dict)
    """``by_kind`` summed over the part of each kind before a ``/`` (its frame family)."""
    by_source: dict[str, dict[str, int | float]] = field(default_factory=dict)
    """The same counts by the labels' ``source`` column, when it has one."""


CLASS_FOLDERS = ("framed", "plain")


def class_folders(folder: Path) -> bool:
    """Whether ``folder`` holds ``framed/`` and ``plain/`` (as ``framedetect sort`` makes)."""
    return all((folder / name).is_dir() for name in CLASS_FOLDERS)


def read_class_folders(folder: Path) -> list[Truth]:
    """Every image under ``folder/framed`` (framed) and ``folder/plain`` (not): labels
    without sides or boxes, so only the frame verdict is scored."""
    from ._scan import iter_image_paths

    return [
        Truth(path, name == "framed", kind=name)
        for name in CLASS_FOLDERS
        for path in iter_image_paths([folder / name])
    ]


def has_frame_labels(labels: Path) -> bool:
    """Whether ``labels`` is a labels CSV with a ``has_frame`` column."""
    try:
        with labels.open(newline="") as handle:
            return "has_frame" in (csv.DictReader(handle).fieldnames or ())
    except (OSError, UnicodeDecodeError, csv.Error):
        return False


def read_truth(folder: Path, labels: Path | None) -> list[Truth]:
    """Rows of ``labels`` (paths relative to it), or every image under ``folder`` as unframed."""
    if labels is None:
        from ._scan import iter_image_paths

        return [Truth(path, False) for path in iter_image_paths([folder])]
    try:
        with labels.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise InvalidArgumentError(f"cannot read labels {str(labels)!r}: {error}") from error
    if not rows or "file" not in rows[0] or "has_frame" not in rows[0]:
        raise InvalidArgumentError(
            f"labels {str(labels)!r} need at least the columns file and has_frame"
        )
    truths = []
    for row in rows:
        sides = tuple(row[s] == "1" for s in SIDES) if all(row.get(s) for s in SIDES) else None
        box = tuple(int(row[k]) for k in BOX) if all(row.get(k) for k in BOX) else None
        truths.append(
            Truth(
                labels.parent / row["file"],
                row["has_frame"] == "1",
                sides,
                (box[0], box[1], box[2], box[3]) if box else None,
                row.get("kind") or "unlabelled",
                row.get("source") or "",
            )
        )
    return truths


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union of two end-exclusive boxes."""
    width = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """F1 of boolean predictions; 1.0 when there is nothing to find and nothing found."""
    tp = int(np.sum(truth & predicted))
    fp, fn = int(np.sum(~truth & predicted)), int(np.sum(truth & ~predicted))
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def _crop_ious(detector: Detector, located: list[tuple[Box, Path]]) -> list[float]:
    """IoU of what ``remove_frame`` keeps (edges refined at full size) with each true box;
    an image that cannot be re-read counts as no overlap."""
    ious = []
    for box, path in located:
        try:
            ious.append(iou(box, detector.crop_box(path)))
        except FrameDetectError:
            ious.append(0.0)
    return ious


def evaluate(detector: Detector, truths: list[Truth]) -> Report:
    """Predict every image and compute the report; unreadable images are listed, not fatal."""
    report = Report(detector.info.label, len(truths))
    scored: list[tuple[Truth, FramePrediction]] = []
    for truth in truths:
        try:
            scored.append((truth, detector.predict(truth.path)))
        except FrameDetectError as error:
            report.errors.append({"path": str(truth.path), "error": str(error)})
    if not scored:
        return report
    labels = np.array([t.has_frame for t, _ in scored])
    scores = np.array([p.score for _, p in scored])
    verdicts = np.array([p.has_frame for _, p in scored])
    m = report.metrics
    m["scored"] = len(scored)
    m["accuracy"] = round(float(np.mean(labels == verdicts)), 4)
    m["framed_found"] = int(np.sum(labels & verdicts))
    m["false_positives"] = int(np.sum(~labels & verdicts))
    m["false_positive_rate"] = (
        round(float(np.mean(verdicts[~labels])), 4) if (~labels).any() else None
    )
    m["roc_auc"] = round(roc_auc(labels, scores), 4) if labels.any() and (~labels).any() else None
    rect = np.array([t.kind.startswith("rect-") for t, _ in scored])
    if rect.any():
        m["rectangular_products_flagged"] = round(float(np.mean(verdicts[rect])), 4)
    with_sides = [(t, p) for t, p in scored if t.sides is not None and p.sides is not None]
    if with_sides:
        for index, side in enumerate(SIDES):
            side_truth = np.array([bool(t.sides[index]) for t, _ in with_sides])  # type: ignore[index]
            side_found = np.array(
                [p.has_frame and p.sides[index] >= detector.threshold for _, p in with_sides]  # type: ignore[index]
            )
            m[f"f1_{side}"] = round(f1(side_truth, side_found), 4)
    located = [
        (t.box, t.path, p.content_box)
        for t, p in scored
        if t.has_frame and t.box is not None and p.content_box is not None
    ]
    if located:
        boxes = [iou(truth_box, found) for truth_box, _, found in located]
        m["content_box_iou_median"] = round(float(np.median(boxes)), 4)
        m["content_box_iou_p10"] = round(float(np.percentile(boxes, 10)), 4)
        m["content_box_images"] = len(boxes)
        crops = _crop_ious(detector, [(truth_box, path) for truth_box, path, _ in located])
        m["crop_iou_median"] = round(float(np.median(crops)), 4)
        m["crop_iou_p10"] = round(float(np.percentile(crops, 10)), 4)
    report.by_kind = _counts(scored, lambda truth: truth.kind)
    if any("/" in truth.kind for truth, _ in scored):
        report.by_family = _counts(scored, lambda truth: truth.kind.split("/")[0])
    if any(truth.source for truth, _ in scored):
        report.by_source = _counts(scored, lambda truth: truth.source or "unknown")
    return report


def _counts(
    scored: list[tuple[Truth, FramePrediction]], group: Callable[[Truth], str]
) -> dict[str, dict[str, int | float]]:
    """tp / fn / tn / fp and accuracy of each group of images."""
    counts: dict[str, dict[str, int | float]] = {}
    for truth, prediction in scored:
        row = counts.setdefault(group(truth), {"images": 0, "tp": 0, "fn": 0, "tn": 0, "fp": 0})
        key = (
            ("tp" if prediction.has_frame else "fn")
            if truth.has_frame
            else ("fp" if prediction.has_frame else "tn")
        )
        row["images"] += 1
        row[key] += 1
    for row in counts.values():
        row["accuracy"] = round((row["tp"] + row["tn"]) / row["images"], 4)
    return counts
