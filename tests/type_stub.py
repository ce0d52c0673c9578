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
    baseline = framedetect.Detector(model="baseline")
    located = baseline.predict(path)
    if located.content_box is not None and located.sides is not None:
        x0, y0, x1, y1 = located.content_box
        scores.append(max(located.sides) + x0 + y0 + x1 + y1)
    cropped: Image.Image = baseline.remove_frame(path)
    rough: Image.Image = detector.remove_frame(path, refine=False)
    kept: tuple[int, int, int, int] = detector.crop_box(path)
    scores += [float(cropped.width), float(rough.height), float(kept[2] - kept[0])]
    models: list[framedetect.ModelInfo] = framedetect.bundled_models()
    assert models[0].sha256 and framedetect.__version__
    return scores
