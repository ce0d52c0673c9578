"""Snap a predicted content box to the frame's real edge, at full resolution.

The model sees a 128-pixel thumbnail, so its box is only good to about one of those
pixels, several in a large image. Near each framed side the frame meets the content
along a straight line parallel to the border: the row (or column) across which the
grey level jumps most, averaged along the side, is that line.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

Box = tuple[int, int, int, int]

SEARCH_SHARE = 0.05
"""How far from the predicted edge to look, as a share of the image's height or width."""
MIN_JUMP = 6.0
"""Mean grey-level jump (0-255) below which a line is not an edge and the box stays."""
INNER_SHARE = 0.5
"""Of the lines jumping at least this share of the strongest, the innermost wins: an
inset line has an outer and an inner edge, and the content starts at the inner one."""


def refine_box(image: Image.Image, box: Box, framed: tuple[bool, bool, bool, bool]) -> Box:
    """``box`` (x0, y0, x1, y1) with each ``framed`` side (top, right, bottom, left)
    moved to the strongest nearby straight edge; unframed sides stay where they are."""
    grey = np.asarray(image.convert("L"), dtype=np.int16)
    height, width = grey.shape
    x0, y0, x1, y1 = box
    top, right, bottom, left = framed
    if top:
        y0 = _edge(grey[:, x0:x1], y0, height, inward=+1)
    if bottom:
        y1 = _edge(grey[:, x0:x1], y1, height, inward=-1)
    if left:
        x0 = _edge(grey[y0:y1].T, x0, width, inward=+1)
    if right:
        x1 = _edge(grey[y0:y1].T, x1, width, inward=-1)
    if x1 <= x0 or y1 <= y0:
        return box
    return (x0, y0, x1, y1)


def _edge(lines: np.ndarray, guess: int, length: int, inward: int) -> int:
    """The boundary index (content starts at it, or ends before it) near ``guess``.

    ``lines`` holds one image line per row, across the side; index ``i`` is the boundary
    between lines ``i - 1`` and ``i``.
    """
    if lines.shape[1] == 0:
        return guess
    reach = max(2, round(SEARCH_SHARE * length))
    start, stop = max(1, guess - reach), min(length - 1, guess + reach)
    if stop <= start:
        return guess
    jumps = np.abs(np.diff(lines[start - 1 : stop + 1], axis=0)).mean(axis=1)
    strongest = float(jumps.max())
    if strongest < MIN_JUMP:
        return guess
    candidates = np.flatnonzero(jumps >= INNER_SHARE * strongest)
    chosen = candidates[-1] if inward > 0 else candidates[0]
    return int(start + chosen)
