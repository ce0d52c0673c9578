"""Seller frames: bands at the image edge and inset lines with a margin outside them.

A :class:`FrameSpec` fixes, per side, how far the frame sits from the edge (``margin``)
and how thick it is; the content box is what lies inside it. ``draw_frame`` paints it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .textures import Rng

SIDE_SUBSETS: tuple[tuple[tuple[bool, bool, bool, bool], float], ...] = (
    ((True, True, True, True), 0.45),
    ((True, False, True, False), 0.12),  # header + footer, letterbox
    ((False, True, False, True), 0.08),  # pillarbox
    ((False, False, False, True), 0.06),
    ((False, True, False, False), 0.04),
    ((True, False, False, False), 0.05),
    ((False, False, True, False), 0.06),
    ((True, True, True, False), 0.02),
    ((True, False, True, True), 0.02),
    ((False, True, True, True), 0.02),
    ((True, True, False, True), 0.02),
    ((True, True, False, False), 0.02),
    ((False, False, True, True), 0.02),
    ((True, False, False, True), 0.01),
    ((False, True, True, False), 0.01),
)


@dataclass(frozen=True)
class FrameSpec:
    """Where a frame sits: per-side flags, margins and thicknesses in pixels.

    Each tuple is in side order: top, right, bottom, left.
    """

    style: str
    sides: tuple[bool, bool, bool, bool]
    margins: tuple[int, int, int, int]
    thickness: tuple[int, int, int, int]

    def content_box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The box inside the frame; an unframed side leaves the image edge."""
        top, right, bottom, left = (
            (m + t) if on else 0 for on, m, t in zip(self.sides, self.margins, self.thickness)
        )
        return left, top, width - right, height - bottom


def pick_sides(rng: Rng, style: str) -> tuple[bool, bool, bool, bool]:
    """A subset of sides; inset frames are mostly closed rectangles or single strips."""
    if style == "inset":
        roll = rng.random()
        if roll < 0.72:
            return (True, True, True, True)
        if roll < 0.88:
            return ((False, False, False, True), (False, True, False, False))[int(rng.integers(2))]
        return ((True, False, True, False), (False, True, False, True))[int(rng.integers(2))]
    subsets, weights = zip(*SIDE_SUBSETS)
    p = np.asarray(weights) / sum(weights)
    return subsets[int(rng.choice(len(subsets), p=p))]


def sample_frame(rng: Rng, width: int, height: int) -> FrameSpec:
    """A random band (55 %) or inset-line (45 %) frame sized for a ``width`` x ``height`` image."""
    style = "band" if rng.random() < 0.55 else "inset"
    sides = pick_sides(rng, style)
    dims = (height, width, height, width)
    margins: tuple[int, ...]
    thickness: tuple[int, ...]
    if style == "band":
        fraction = rng.uniform(0.035, 0.17)
        fractions = [fraction if rng.random() < 0.75 else rng.uniform(0.035, 0.17) for _ in dims]
        margins = (0, 0, 0, 0)
        thickness = tuple(max(round(f * d), 3) for f, d in zip(fractions, dims))
    else:
        margin = rng.uniform(0.02, 0.1)
        line = rng.uniform(0.012, 0.05)
        margins = tuple(max(round(margin * d), 3) for d in dims)
        thickness = tuple(max(round(line * d), 2) for d in dims)
    return FrameSpec(style, sides, margins, thickness)  # type: ignore[arg-type]


def frame_mask(spec: FrameSpec, width: int, height: int) -> np.ndarray:
    """Boolean ``(height, width)`` mask of the frame's own pixels."""
    mask = np.zeros((height, width), dtype=bool)
    top, right, bottom, left = spec.sides
    mt, mr, mb, ml = spec.margins
    tt, tr, tb, tl = spec.thickness
    if spec.style == "band":
        span_x, span_y = (0, width), (0, height)
    else:
        # Inset lines run between the margins of the sides next to them, or nearly to
        # the corners for single strips, as in the seed's textured strip.
        span_x = (ml if left else mb, width - (mr if right else mb))
        span_y = (mt if top else ml, height - (mb if bottom else ml))
    if top:
        mask[mt : mt + tt, span_x[0] : span_x[1]] = True
    if bottom:
        mask[height - mb - tb : height - mb, span_x[0] : span_x[1]] = True
    if left:
        mask[span_y[0] : span_y[1], ml : ml + tl] = True
    if right:
        mask[span_y[0] : span_y[1], width - mr - tr : width - mr] = True
    return mask


def draw_frame(canvas: np.ndarray, spec: FrameSpec, texture: np.ndarray, outer: np.ndarray) -> None:
    """Paint the frame in place: ``texture`` on the frame, ``outer`` colour in its margin."""
    height, width = canvas.shape[:2]
    if spec.style == "inset":
        x0, y0, x1, y1 = _outer_box(spec, width, height)
        margin = np.ones((height, width), dtype=bool)
        margin[y0:y1, x0:x1] = False
        canvas[margin] = outer
    mask = frame_mask(spec, width, height)
    canvas[mask] = texture[mask]


def _outer_box(spec: FrameSpec, width: int, height: int) -> tuple[int, int, int, int]:
    top, right, bottom, left = spec.sides
    mt, mr, mb, ml = spec.margins
    return (
        ml if left else 0,
        mt if top else 0,
        width - (mr if right else 0),
        height - (mb if bottom else 0),
    )


def edge_colours(content: np.ndarray) -> np.ndarray:
    """Mean colour of the content's outermost pixels, which a frame borders."""
    return np.concatenate([content[0], content[-1], content[:, 0], content[:, -1]]).mean(axis=0)
