"""Frame family "band and inset": bands at the image edge and inset lines with a margin
outside them, on any subset of sides, filled with a flat colour, a gradient, a pattern,
noise or a photo.

A :class:`FrameSpec` fixes, per side, how far the frame sits from the edge (``margin``)
and how thick it is; the content box is what lies inside it. ``draw_frame`` paints it;
:func:`framed` puts any content inside a random one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .labels import ThumbnailLabel
from .photos import PhotoLibrary
from .textures import TEXTURES, Rng, random_colour

WHITE = np.array([255, 255, 255], dtype=np.uint8)
MIN_CONTRAST = 60.0
"""How far (RGB distance) a frame's mean colour must be from what touches it."""

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


def _frame_texture(
    rng: Rng, spec: FrameSpec, width: int, height: int, photos: PhotoLibrary
) -> tuple[np.ndarray, str]:
    if spec.style == "inset":
        name = "solid" if rng.random() < 0.65 else str(rng.choice(["pattern", "noise", "gradient"]))
    else:
        name = str(rng.choice(list(TEXTURES)))
    if name == "photo" and len(photos) and rng.random() < 0.6:
        return photos.crop(rng, width, height), name
    return TEXTURES[name](rng, height, width), name


def _ensure_contrast(
    texture: np.ndarray, mask: np.ndarray, against: list[np.ndarray]
) -> np.ndarray:
    """Make the frame stand out from what touches it: invert or darken it if it does not."""
    mean = texture[mask].reshape(-1, 3).mean(axis=0)
    distance = min(float(np.linalg.norm(mean - ref)) for ref in against)
    if distance >= MIN_CONTRAST:
        return texture
    inverted = 255 - texture
    mean = inverted[mask].reshape(-1, 3).mean(axis=0)
    if min(float(np.linalg.norm(mean - ref)) for ref in against) >= MIN_CONTRAST:
        return inverted
    return texture // 4


def framed(
    rng: Rng,
    width: int,
    height: int,
    photos: PhotoLibrary,
    content_of: Callable[[int, int], np.ndarray],
    kind: str,
) -> tuple[Image.Image, ThumbnailLabel]:
    """A random band or inset frame around ``content_of(w, h)``, on white or a pale margin.

    ``kind`` is formatted with the frame's ``style`` and ``texture`` to name the sample.
    """
    spec = sample_frame(rng, width, height)
    x0, y0, x1, y1 = spec.content_box(width, height)
    content = content_of(x1 - x0, y1 - y0)
    outer = WHITE if rng.random() < 0.75 else random_colour(rng, light=True)
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = outer
    canvas[y0:y1, x0:x1] = content
    texture, texture_name = _frame_texture(rng, spec, width, height, photos)
    mask = frame_mask(spec, width, height)
    against = [edge_colours(content)] + (
        [outer.astype(np.float64)] if spec.style == "inset" else []
    )
    draw_frame(canvas, spec, _ensure_contrast(texture, mask, against), outer)
    name = kind.format(style=spec.style, texture=texture_name)
    label = ThumbnailLabel(True, spec.sides, (x0, y0, x1, y1), (width, height), name)
    return Image.fromarray(canvas), label
