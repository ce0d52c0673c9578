"""Calls only the public API, for ``mypy --strict`` to check its types (never run by pytest)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

import framedetect


def use_public_api(path: Path) -> list[float]:
    one: framedetect.FramePrediction = framedetect.predict(path)
    detector = framedetect.Detector(
        provider=framedetect.Provider.CPU,
        precision=framedetect.Precision.INT8,
        threads=1,
        threshold=0.4,
    )
    batch = detector.predict_batch([path, path.read_bytes(), Image.new("RGB", (9, 9))])
    array = np.zeros((9, 9, 3), np.uint8)
    prepared: np.ndarray = framedetect.prepare_image(path, detector.input_size)
    raw: np.ndarray = detector.scores(prepared[None])
    scores = [one.score, detector.predict(array).score, *(p.score for p in batch), *raw]
    try:
        detector.predict(b"")
    except framedetect.InvalidImageError as error:
        assert isinstance(error, framedetect.FrameDetectError)
    models: list[framedetect.ModelInfo] = framedetect.bundled_models()
    assert models[0].sha256 and framedetect.__version__
    return scores
