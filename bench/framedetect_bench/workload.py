"""What the benchmark feeds the models: generated thumbnails, as arrays and as JPEG bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from framedetect import load_image, prepare_image
from framedetect._models import bundled_generator
from framedetect_synth import ArrayBatch, make_arrays, make_sample

WORKLOAD_SEED = 20261190
"""Timing inputs; accuracy uses the shipped model's test seed, which training never saw."""


@dataclass(frozen=True)
class Workload:
    """A pool of distinct inputs, cycled through so no call sees a cache-warm input."""

    jpegs: list[bytes]  # long side ``side`` px, quality 85
    arrays: np.ndarray  # the same images, preprocessed: (n, size, size, 3) uint8
    side: int

    def jpeg_batch(self, run: int, batch: int) -> list[bytes]:
        start = (run * batch) % len(self.jpegs)
        return [self.jpegs[(start + i) % len(self.jpegs)] for i in range(batch)]

    def array_batch(self, run: int, batch: int) -> np.ndarray:
        start = (run * batch) % len(self.arrays)
        if start + batch <= len(self.arrays):
            return self.arrays[start : start + batch]
        return np.take(self.arrays, range(start, start + batch), axis=0, mode="wrap")


def make_workload(count: int, side: int = 500, size: int = 128) -> Workload:
    """``count`` generated thumbnails re-encoded as ``side``-px JPEGs, and their arrays."""
    jpegs = []
    for index in range(count):
        image = load_image(make_sample(WORKLOAD_SEED, index).data)
        scale = side / max(image.size)
        resized = image.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
            Image.Resampling.LANCZOS,
        )
        buffer = io.BytesIO()
        resized.save(buffer, "JPEG", quality=85)
        jpegs.append(buffer.getvalue())
    arrays = np.stack([prepare_image(data, size) for data in jpegs])
    return Workload(jpegs, arrays, side)


def labelled_set(seed: int, count: int, size: int = 128) -> ArrayBatch:
    """Generated, labelled images for the accuracy columns, from the generator the bundled
    model trained on (no real photos composed: edge boxes do not have them)."""
    return make_arrays(seed, count, photo_dir=None, size=size, generator=bundled_generator())
