"""Flip augmentation that keeps the per-side labels consistent (no TensorFlow)."""

from __future__ import annotations

import numpy as np

# Side order is top, right, bottom, left.
_MIRROR_LEFT_RIGHT = [0, 3, 2, 1]
_MIRROR_TOP_BOTTOM = [2, 1, 0, 3]


def random_flips(
    images: np.ndarray, sides: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Flip each NHWC image left-right and/or top-bottom with p=0.5, swapping side labels."""
    images, (sides,) = flip_with_sides(images, [sides], rng)
    return images, sides


def flip_with_sides(
    images: np.ndarray, per_side: list[np.ndarray], rng: np.random.Generator
) -> tuple[np.ndarray, list[np.ndarray]]:
    """:func:`random_flips` for any number of (n, 4) per-side arrays (flags, insets)."""
    images = images.copy()
    per_side = [values.copy() for values in per_side]
    horizontal = rng.random(len(images)) < 0.5
    vertical = rng.random(len(images)) < 0.5
    images[horizontal] = images[horizontal, :, ::-1]
    images[vertical] = images[vertical, ::-1]
    for values in per_side:
        values[horizontal] = values[horizontal][:, _MIRROR_LEFT_RIGHT]
        values[vertical] = values[vertical][:, _MIRROR_TOP_BOTTOM]
    return images, per_side
