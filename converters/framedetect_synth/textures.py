"""Fills for frame bands, backgrounds and product surfaces: solid, gradient, pattern, noise.

Every function returns an ``(height, width, 3)`` uint8 array and draws only from the
``numpy.random.Generator`` it is given, so a seed fixes the result.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter

Rng = np.random.Generator
Fill = Callable[[Rng, int, int], np.ndarray]


def random_colour(rng: Rng, *, light: bool | None = None) -> np.ndarray:
    """A random RGB colour; ``light`` biases it towards pale or dark tones."""
    colour = rng.integers(0, 256, 3).astype(np.float64)
    if light is True:
        colour = 150 + colour * 105 / 255
    elif light is False:
        colour = colour * 120 / 255
    return colour.astype(np.uint8)


def contrasting_colour(rng: Rng) -> tuple[int, int, int]:
    """A colour that stands out on white: dark (70 %) or any."""
    colour = random_colour(rng, light=False) if rng.random() < 0.7 else random_colour(rng)
    return (int(colour[0]), int(colour[1]), int(colour[2]))


def solid(rng: Rng, height: int, width: int, colour: np.ndarray | None = None) -> np.ndarray:
    """One flat colour."""
    colour = random_colour(rng) if colour is None else colour
    return np.broadcast_to(colour.astype(np.uint8), (height, width, 3)).copy()


def gradient(rng: Rng, height: int, width: int) -> np.ndarray:
    """A linear blend between two colours at a random angle."""
    start, stop = random_colour(rng).astype(np.float32), random_colour(rng).astype(np.float32)
    angle = rng.uniform(0, np.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    t = xs * np.cos(angle) + ys * np.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1.0)
    return (start + (stop - start) * t[..., None]).astype(np.uint8)


def pattern(rng: Rng, height: int, width: int) -> np.ndarray:
    """Stripes, checks or dots in two colours."""
    a, b = random_colour(rng), random_colour(rng)
    period = int(rng.integers(3, 16))
    ys, xs = np.mgrid[0:height, 0:width]
    style = rng.integers(0, 4)
    if style == 0:
        mask = ((xs + ys) // period) % 2 == 0
    elif style == 1:
        mask = ((xs - ys) // period) % 2 == 0
    elif style == 2:
        mask = ((xs // period) + (ys // period)) % 2 == 0
    else:
        cx, cy = xs % period - period / 2, ys % period - period / 2
        mask = cx * cx + cy * cy < (period / 3) ** 2
    return np.where(mask[..., None], a, b).astype(np.uint8)


def noise(rng: Rng, height: int, width: int) -> np.ndarray:
    """Coloured value noise around a base colour, blurred to a random grain."""
    base = random_colour(rng).astype(np.float32)
    amplitude = rng.uniform(20, 90)
    raw = rng.normal(0, 1, (height, width, 3)).astype(np.float32) * amplitude + base
    image = Image.fromarray(np.clip(raw, 0, 255).astype(np.uint8))
    radius = float(rng.uniform(0, 2.5))
    if radius > 0.3:
        image = image.filter(ImageFilter.GaussianBlur(radius))
    return np.asarray(image)


def scene(rng: Rng, height: int, width: int) -> np.ndarray:
    """A photo-like scene: a sky-to-floor gradient with soft blurred shapes."""
    canvas = gradient(rng, height, width).astype(np.float32)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    for _ in range(int(rng.integers(3, 9))):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        rx, ry = rng.uniform(0.05, 0.5) * width, rng.uniform(0.05, 0.5) * height
        inside = ((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2 < 1
        canvas[inside] = canvas[inside] * 0.4 + random_colour(rng).astype(np.float32) * 0.6
    canvas += rng.normal(0, 6, canvas.shape).astype(np.float32)
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 3)))))


TEXTURES: dict[str, Fill] = {
    "solid": solid,
    "gradient": gradient,
    "pattern": pattern,
    "noise": noise,
    "photo": scene,
}
