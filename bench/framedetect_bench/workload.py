"""What the benchmark feeds the models: thumbnails as encoded bytes, and as model arrays.

By default they are generated and re-encoded as JPEGs of a fixed size; ``--images DIR``
times a user's own files instead, as they are on disk.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from framedetect import FrameDetectError, InvalidArgumentError, load_image, prepare_image
from framedetect._scan import iter_image_paths
from framedetect_synth import ArrayBatch, make_arrays, make_sample

WORKLOAD_SEED = 20261190
"""Timing inputs; accuracy uses the shipped model's test seed, which training never saw."""


@dataclass(frozen=True)
class Workload:
    """A pool of distinct inputs, cycled through so no call sees a cache-warm input."""

    jpegs: list[bytes]  # encoded images: generated JPEGs, or a user's files as they are
    arrays: np.ndarray  # the same images, preprocessed: (n, size, size, 3) uint8
    description: str  # what the end-to-end column starts from, e.g. "500px JPEG bytes"

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
    return Workload(jpegs, arrays, f"{side}px JPEG bytes")


def folder_workload(folder: Path, count: int, size: int = 128) -> Workload:
    """Up to ``count`` image files under ``folder`` (sorted), as their bytes on disk.

    Files that do not decode are left out; a folder with none that do is refused.
    """
    if not folder.is_dir():
        raise InvalidArgumentError(f"--images {str(folder)!r} is not a folder")
    files: list[bytes] = []
    arrays: list[np.ndarray] = []
    skipped = 0
    for path in iter_image_paths([folder]):
        if len(files) == count:
            break
        data = path.read_bytes()
        try:
            arrays.append(prepare_image(data, size))
        except FrameDetectError:
            skipped += 1
            continue
        files.append(data)
    if not files:
        raise InvalidArgumentError(
            f"--images {str(folder)!r} holds no image that decodes ({skipped} skipped)"
        )
    mean_kb = sum(len(data) for data in files) / len(files) / 1024
    described = f"{len(files)} files from {folder} (mean {mean_kb:.0f} KB)"
    return Workload(files, np.stack(arrays), described)


def labelled_set(seed: int, count: int, size: int = 128) -> ArrayBatch:
    """Generated, labelled images for the accuracy columns (no real photos composed: edge
    boxes do not have them)."""
    return make_arrays(seed, count, photo_dir=None, size=size)
