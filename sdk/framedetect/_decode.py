"""From a model's raw outputs to verdicts: the frame score, a score per side, and the
content box in the input image's pixels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._refine import Box

Sides = tuple[float, float, float, float]
Fractions = tuple[float, float, float, float]
"""A box as fractions of the image's width and height: (x0, y0, x1, y1)."""


@dataclass(frozen=True)
class FramePrediction:
    """The verdict on one image: ``score`` is P(frame); ``has_frame`` is ``score >= threshold``.

    Models that localise frames also give ``sides``, a score per side (top, right,
    bottom, left), and ``content_box``, the part inside the frame as ``(x0, y0, x1, y1)``
    in the input image's pixels, end-exclusive (the whole image when there is no frame).
    The bundled CNN (2.x) and the baseline give both; a classifier-only model gives None.
    """

    has_frame: bool
    score: float
    model: str
    sides: Sides | None = None
    content_box: Box | None = None


def decode(
    outputs: list[np.ndarray],
    sizes: Sequence[tuple[int, int]] | None,
    threshold: float,
    model: str,
    boxes: str | None,
) -> list[FramePrediction]:
    """Predictions from ``outputs``: scores (N, 1), then, by ``boxes``, ``"insets"``
    (sides and each side's frame depth, the CNN), ``"fractions"`` (sides and the content
    box as fractions, the baseline) or None (a classifier). ``sizes`` (each image's full
    width and height) turn boxes into pixels; without them ``content_box`` is None."""
    scores = outputs[0].reshape(-1)
    located: list[tuple[Sides, Fractions]] = []
    if boxes == "insets":
        located = [_inside(sides, insets, threshold) for sides, insets in zip(*outputs[1:3])]
    elif boxes == "fractions":
        located = [
            ((float(t), float(r), float(b), float(le)), (x0, y0, x1, y1))
            for (t, r, b, le), (x0, y0, x1, y1) in zip(outputs[1].tolist(), outputs[2].tolist())
        ]
    predictions = []
    for index, score in enumerate(scores):
        framed = bool(score >= threshold)
        sides = located[index][0] if located else None
        box = None
        if located and sizes is not None:
            box = _pixels(located[index][1], sizes[index], framed)
        predictions.append(FramePrediction(framed, float(score), model, sides, box))
    return predictions


def _inside(sides: np.ndarray, insets: np.ndarray, threshold: float) -> tuple[Sides, Fractions]:
    """Per-side scores, and the content box that framed sides' insets leave."""
    top, right, bottom, left = (
        float(inset) if score >= threshold else 0.0 for score, inset in zip(sides, insets)
    )
    scores = (float(sides[0]), float(sides[1]), float(sides[2]), float(sides[3]))
    return scores, (left, top, 1.0 - right, 1.0 - bottom)


def _pixels(box: Fractions, size: tuple[int, int], framed: bool) -> Box:
    """A fractional box in input pixels, never empty; the whole image when not framed."""
    width, height = size
    if not framed:
        return (0, 0, width, height)
    x0 = min(round(box[0] * width), width - 1)
    y0 = min(round(box[1] * height), height - 1)
    x1 = min(max(round(box[2] * width), x0 + 1), width)
    y1 = min(max(round(box[3] * height), y0 + 1), height)
    return (x0, y0, x1, y1)
