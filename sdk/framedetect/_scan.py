"""Folder scans: every image under some paths, scored, one JSON line each, errors recorded."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from ._batch import Prepared, prepared_in_order
from ._decode import FramePrediction
from ._detector import Detector
from ._errors import FrameDetectError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})


@dataclass
class ScanSummary:
    """Counts of one scan."""

    images: int = 0
    framed: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def images_per_second(self) -> float:
        """Throughput of the scan itself (decoding, inference and writing)."""
        return self.images / self.seconds if self.seconds > 0 else 0.0


def iter_image_paths(paths: Sequence[Path], ignored: list[Path] | None = None) -> Iterator[Path]:
    """Files named directly, and image files found under directories, in sorted order.

    Other files found under directories are left out, and appended to ``ignored`` when
    it is given. Symbolic links to directories are not followed, so link loops cannot
    recurse.
    """
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in IMAGE_SUFFIXES:
                        yield Path(root) / name
                    elif ignored is not None:
                        ignored.append(Path(root) / name)
        else:
            yield path


def result_row(path: Path, outcome: FramePrediction | FrameDetectError) -> dict[str, Any]:
    """The JSON row of one image: a verdict, or the typed error that stopped it."""
    if isinstance(outcome, FrameDetectError):
        error = {"type": type(outcome).__name__, "message": str(outcome)}
        return {
            "path": str(path),
            "has_frame": None,
            "score": None,
            "sides": None,
            "content_box": None,
            "error": error,
        }
    return {
        "path": str(path),
        "has_frame": outcome.has_frame,
        "score": round(outcome.score, 6),
        "sides": [round(side, 4) for side in outcome.sides] if outcome.sides else None,
        "content_box": list(outcome.content_box) if outcome.content_box else None,
        "error": None,
    }


def scan(
    paths: Sequence[Path],
    output: IO[str],
    detector: Detector,
    batch_size: int = 32,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    workers: int | None = None,
    skip: Set[str] = frozenset(),
    stop: threading.Event | None = None,
) -> ScanSummary:
    """Score every image under ``paths`` and write one JSON object per line to ``output``.

    Decoding runs in a pool of ``workers`` threads (default:
    :attr:`Detector.batch_workers`, the CPUs the batch session leaves; measured
    fastest), overlapped with batched inference in the calling thread. A file that
    cannot be decoded gets a row with its ``error`` and the scan goes on. Rows are written
    in path order and flushed every ``batch_size`` images, errors included,
    so memory stays bounded and a stopped scan keeps what it wrote.

    Paths in ``skip`` (rows of an earlier run) are not scanned again. When ``stop`` is
    set, no new image is started: the ones already decoding are scored and written, and
    the summary says ``interrupted``.
    """
    summary = ScanSummary()
    started = time.perf_counter()
    pending: list[tuple[Path, Prepared | FrameDetectError]] = []
    stop = stop or threading.Event()

    def todo() -> Iterator[Path]:
        for path in iter_image_paths(paths):
            if stop.is_set():
                summary.interrupted = True
                return
            if str(path) in skip:
                summary.skipped += 1
                continue
            yield path

    def flush() -> None:
        ready = [item for _, item in pending if not isinstance(item, FrameDetectError)]
        predictions = iter(
            detector.predict_prepared(
                np.stack([array for array, _ in ready]), [size for _, size in ready]
            )
            if ready
            else []
        )
        rows = []
        for path, item in pending:
            outcome = item if isinstance(item, FrameDetectError) else next(predictions)
            rows.append(result_row(path, outcome))
        output.write("".join(json.dumps(row) + "\n" for row in rows))  # whole rows at once
        output.flush()
        for row in rows:
            summary.images += 1
            summary.errors += row["error"] is not None
            summary.framed += bool(row["has_frame"])
            if on_row is not None:
                on_row(row)
        pending.clear()

    decoding = workers or detector.batch_workers
    decoded = prepared_in_order(detector.prepare_sized, todo(), decoding, 4 * batch_size)
    for path, prepared in decoded:
        pending.append((path, prepared))
        if len(pending) == batch_size:
            flush()
    flush()
    summary.seconds = time.perf_counter() - started
    return summary
