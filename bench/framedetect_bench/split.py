"""Where end-to-end time goes: decode, resize, model and post-processing, timed apart.

Each stage is timed on its own, one image at a time (post-processing per batch size, per
image), on the same inputs as the end-to-end column, so a user sees which stage to work
on. In a batch, decoding runs in threads beside inference, so a batch's end-to-end time
per image is less than the sum of its stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from framedetect import Detector
from framedetect._image import load_image_sized
from framedetect._preprocess import draft_size, preprocess

from .workload import Workload

DISTINCT = 16
"""Distinct precomputed model outputs cycled through when timing post-processing."""


def split_calls(
    detector: Detector, workload: Workload, batches: Sequence[int]
) -> dict[str, tuple[Callable[[int], object], int]]:
    """Timed calls ``(call, images per call)``: ``decode``, ``resize``, ``post/b{N}``."""
    size = detector.input_size
    images = workload.jpegs
    decoded = [load_image_sized(data, draft_size(size)) for data in images]

    def decode(run: int) -> object:
        return load_image_sized(images[run % len(images)], draft_size(size))

    def resize(run: int) -> object:
        return preprocess(decoded[run % len(decoded)][0], size)

    calls: dict[str, tuple[Callable[[int], object], int]] = {
        "decode": (decode, 1),
        "resize": (resize, 1),
    }
    for batch in batches:
        runs = [workload.array_batch(run, batch) for run in range(DISTINCT)]
        outputs = [detector.outputs(arrays) for arrays in runs]
        sizes = [[(arrays.shape[2], arrays.shape[1])] * batch for arrays in runs]

        def post(
            run: int,
            outputs: list[list[np.ndarray]] = outputs,
            sizes: list[list[tuple[int, int]]] = sizes,
        ) -> object:
            return detector.predictions(outputs[run % DISTINCT], sizes[run % DISTINCT])

        calls[f"post/b{batch}"] = (post, batch)
    return calls
