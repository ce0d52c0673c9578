"""Keras reference rows: the same weights, timed as an eager call and as ``model.predict``.

Only when TensorFlow and the converters are installed (``[train]`` from a checkout).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from framedetect import normalize
from framedetect._models import find_model, manifest, read_bundled


def keras_runners() -> dict[str, Callable[[np.ndarray], Any]] | None:
    """``{"keras eager": ..., "keras predict": ...}`` on the fp32 weights, or None without TF."""
    try:
        from framedetect_keras.from_onnx import keras_from_onnx
    except ImportError:
        return None
    info = find_model("framedetect", "fp32")
    entry = next(e for e in manifest()["models"] if e["file"] == info.file)
    model = keras_from_onnx(read_bundled(info), entry["config"])
    return {
        "keras eager": lambda batch: model(normalize(batch), training=False),
        "keras predict": lambda batch: model.predict(normalize(batch), verbose=0),
    }


def max_abs_diff(
    runner: Callable[[np.ndarray], Any], batch: np.ndarray, scores: np.ndarray
) -> float:
    """How far the Keras scores are from onnxruntime's on the same batch."""
    output = runner(batch)
    score = output[0] if isinstance(output, (list, tuple)) else output  # the localiser's heads
    keras_scores = np.asarray(score, dtype=np.float32).reshape(len(batch))
    return float(np.max(np.abs(keras_scores - scores)))
