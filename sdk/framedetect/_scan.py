"""Folder scans: every image under some paths, scored, one JSON line each, errors recorded."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from ._detector import Detector, FramePrediction
from ._errors import FrameDetectError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})


@dataclass
class ScanSummary:
    """Counts of one scan."""

    images: int = 0
    framed: int = 0
    errors: int = 0


def iter_image_paths(paths: Sequence[Path]) -> Iterator[Path]:
    """Files named directly, and image files found under directories, in sorted order.

    Symbolic links to directories are not followed, so link loops cannot recurse.
    """
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in IMAGE_SUFFIXES:
                        yield Path(root) / name
        else:
            yield path


def result_row(path: Path, outcome: FramePrediction | FrameDetectError) -> dict[str, Any]:
    """The JSON row of one image: a verdict, or the typed error that stopped it."""
    if isinstance(outcome, FrameDetectError):
        error = {"type": type(outcome).__name__, "message": str(outcome)}
        return {"path": str(path), "has_frame": None, "score": None, "error": error}
    score = round(outcome.score, 6)
    return {"path": str(path), "has_frame": outcome.has_frame, "score": score, "error": None}


def scan(
    paths: Sequence[Path],
    output: IO[str],
    detector: Detector,
    batch_size: int = 32,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> ScanSummary:
    """Score every image under ``paths`` and write one JSON object per line to ``output``.

    A file that cannot be decoded gets a row with its ``error`` and the scan goes on.
    Rows are written in path order and flushed every ``batch_size`` images, errors
    included, so memory stays bounded and a stopped scan keeps what it wrote.
    """
    summary = ScanSummary()
    pending: list[tuple[Path, np.ndarray | FrameDetectError]] = []

    def flush() -> None:
        arrays = [item for _, item in pending if isinstance(item, np.ndarray)]
        predictions = iter(detector.predict_arrays(np.stack(arrays)) if arrays else [])
        for path, item in pending:
            outcome = item if isinstance(item, FrameDetectError) else next(predictions)
            row = result_row(path, outcome)
            summary.images += 1
            summary.errors += row["error"] is not None
            summary.framed += bool(row["has_frame"])
            output.write(json.dumps(row) + "\n")
            if on_row is not None:
                on_row(row)
        output.flush()
        pending.clear()

    for path in iter_image_paths(paths):
        try:
            pending.append((path, detector.prepare(path)))
        except FrameDetectError as error:
            pending.append((path, error))
        if len(pending) == batch_size:
            flush()
    flush()
    return summary
