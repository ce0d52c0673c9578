"""Batching: decoding in a thread pool, in input order, overlapped with batched
inference, and the session fed in slices of the size that runs fastest.

Pillow releases the GIL while it decodes and resizes, and onnxruntime while it runs, so
threads decoding the next images keep the cores busy while the session scores the last
ones. Used by :meth:`Detector.predict_batch` and by folder scans.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from ._errors import FrameDetectError, InvalidArgumentError, UnsupportedInputError
from ._image import ImageInput
from ._preprocess import normalize

if TYPE_CHECKING:
    from ._decode import FramePrediction
    from ._detector import Detector
    from ._session import OnnxModel

Item = TypeVar("Item")
Prepared = tuple[np.ndarray, tuple[int, int]]
"""A model input, and the image's full (width, height) for its content box."""
GPU_SLICE = 256
"""Images per onnxruntime call on CUDA: big batches, bounded memory."""
CPU_SLICE = 2
"""Images per onnxruntime call on the CPU. The first conv layer's output is 2 MB per
image (32 x 128 x 128 float32). At batch 32 that is 64 MB: it spills out of the CPU
caches, so the first conv writes it to DRAM and the first max-pool reads it back, and a
batch of 32 cost *more* per image than one image (profiled: conv1 +29 %, pool1 4.6x).
In slices of 2 it stays in cache; larger batches only amortise the Python call."""


def slice_size(model: OnnxModel) -> int:
    """Images per onnxruntime call: :data:`CPU_SLICE` or :data:`GPU_SLICE`."""
    return CPU_SLICE if model.providers[0] == "CPUExecutionProvider" else GPU_SLICE


def run_in_slices(model: OnnxModel, batch: np.ndarray) -> list[np.ndarray]:
    """Every output :attr:`OnnxModel.outputs` names, for an NxSxSx3 uint8 batch, run in
    slices of :func:`slice_size` (uint8 for INT8 builds, else float32 in [0, 1], one
    slice at a time, so that thousands of images are never all held as float32)."""
    step = slice_size(model)
    parts = [
        model.session.run(
            list(model.outputs),
            {model.input_name: images if model.takes_uint8 else normalize(images)},
        )
        for images in (batch[start : start + step] for start in range(0, len(batch), step))
    ]
    if not parts:
        return [np.zeros((0, 1), np.float32), np.zeros((0, 4)), np.zeros((0, 4))]
    return [
        np.concatenate([part[i] for part in parts]).astype(np.float32, copy=False)
        for i in range(len(model.outputs))
    ]


def default_workers() -> int:
    """Decoding threads when none are asked for: one per CPU."""
    return max(1, os.cpu_count() or 1)


def batch_model_threads(threads: int | None) -> int:
    """onnxruntime threads of the CPU session for batches.

    Batches share the cores with decoding threads. The main session spins its threads
    between calls (lowest latency for one image), so they keep their cores busy even
    while they wait; for batches a second session runs without spinning on half of the
    thread budget (``threads``, else one per CPU; at least one), and decoding threads
    take the other CPUs. At 2 threads that is 1 + 1.
    """
    return max(1, (threads or os.cpu_count() or 1) // 2)


def batch_workers(model_threads: int) -> int:
    """Decoding threads beside a batch session of ``model_threads``: the other CPUs."""
    return max(1, (os.cpu_count() or 1) - model_threads)


def prepared_in_order(
    prepare: Callable[[Item], Prepared],
    items: Iterable[Item],
    workers: int,
    window: int,
) -> Iterator[tuple[Item, Prepared | FrameDetectError]]:
    """``(item, prepare(item))`` in input order, a typed error in place of a bad image.

    At most ``window`` items are decoding or decoded but not yet taken, so memory stays
    bounded however long ``items`` is. ``workers == 0`` decodes in the calling thread.
    """

    def attempt(item: Item) -> Prepared | FrameDetectError:
        try:
            return prepare(item)
        except FrameDetectError as error:
            return error

    if workers == 0:
        for item in items:
            yield item, attempt(item)
        return
    in_flight: deque[tuple[Item, Future[Prepared | FrameDetectError]]] = deque()
    with ThreadPoolExecutor(workers, "framedetect-decode") as pool:
        try:
            for item in items:
                in_flight.append((item, pool.submit(attempt, item)))
                if len(in_flight) >= window:
                    done, future = in_flight.popleft()
                    yield done, future.result()
            while in_flight:
                done, future = in_flight.popleft()
                yield done, future.result()
        finally:  # a consumer that stops early (an error raised) leaves nothing running
            for _, future in in_flight:
                future.cancel()


def predict_many(
    detector: Detector,
    images: Iterable[ImageInput],
    batch_size: int,
    errors: str,
    workers: int | None,
) -> list[FramePrediction | FrameDetectError]:
    """:meth:`Detector.predict_batch`: decode in threads, score slices as they are ready."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidArgumentError(f"batch_size must be a positive int, got {batch_size!r}")
    if errors not in ("raise", "return"):
        raise InvalidArgumentError(f"errors must be 'raise' or 'return', got {errors!r}")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise InvalidArgumentError(f"workers must be a positive int or None, got {workers!r}")
    if isinstance(images, (str, bytes, bytearray, memoryview, os.PathLike, np.ndarray)) or (
        not isinstance(images, Iterable)
    ):
        raise UnsupportedInputError(
            f"predict_batch takes an iterable of images (a list of paths, bytes, PIL "
            f"images or arrays), got {type(images).__name__}; for one image use predict()"
        )
    items = list(enumerate(images))
    threads = 0 if len(items) < 2 else min(workers or detector.batch_workers, len(items))
    step = min(batch_size, detector.slice_size)  # the session starts on the first slice
    results: list[FramePrediction | FrameDetectError | None] = [None] * len(items)
    ready: list[tuple[int, Prepared]] = []
    # Beside decoding threads, the batch session; alone (one image), the main one.
    score = detector.predict_prepared if threads else detector.predict_arrays

    def score_ready() -> None:
        arrays = np.stack([array for _, (array, _) in ready])
        scored = iter(score(arrays, [size for _, (_, size) in ready]))
        for position, _ in ready:
            results[position] = next(scored)
        ready.clear()

    decoded = prepared_in_order(
        lambda item: detector.prepare_sized(item[1]), items, threads, max(2 * batch_size, 4)
    )
    for (index, _), outcome in decoded:
        if isinstance(outcome, FrameDetectError):
            if errors == "raise":
                raise type(outcome)(f"image #{index}: {outcome}") from outcome
            results[index] = outcome
            continue
        ready.append((index, outcome))
        if len(ready) == step:
            score_ready()
    if ready:
        score_ready()
    return [outcome for outcome in results if outcome is not None]
