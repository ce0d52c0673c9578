"""Calibration data for static quantization: generated thumbnails, preprocessed as the SDK does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from onnxruntime.quantization import CalibrationDataReader

from framedetect import normalize
from framedetect_synth import make_arrays


class ThumbnailCalibration(CalibrationDataReader):  # type: ignore[misc]
    """Feeds ``count`` thumbnails of data set ``seed`` to the calibrator."""

    def __init__(
        self,
        input_name: str,
        seed: int,
        count: int,
        photo_dir: Path | None,
        batch: int = 32,
        pool_dir: Path | None = None,
    ) -> None:
        images = make_arrays(seed, count, photo_dir, pool_dir=pool_dir).images
        self._batches = [
            {input_name: normalize(images[i : i + batch])} for i in range(0, len(images), batch)
        ]
        self._next = 0

    def get_next(self) -> dict[str, np.ndarray] | None:
        if self._next >= len(self._batches):
            return None
        self._next += 1
        return self._batches[self._next - 1]

    def rewind(self) -> None:
        self._next = 0
