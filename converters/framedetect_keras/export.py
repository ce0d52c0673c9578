"""Keras -> ONNX with tf2onnx: explicit input signature, metadata, and a parity check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import onnx
import onnxruntime as ort
import tensorflow as tf
import tf2onnx

from framedetect import normalize
from framedetect._preprocess import PREPROCESSING

from .model import INPUT_NAME

OPSET = 17
PARITY_TOLERANCE = 1e-4
MIN_PARITY_IMAGES = 100


class ExportParityError(RuntimeError):
    """The ONNX model does not reproduce the Keras model's outputs."""


@dataclass(frozen=True)
class ExportReport:
    """Where the ONNX file went and how closely it matches Keras."""

    path: Path
    max_abs_diff: float
    parity_images: int


def export_onnx(
    model: keras.Model,
    path: Path,
    parity_images: np.ndarray,
    metadata: dict[str, str],
    tolerance: float = PARITY_TOLERANCE,
) -> ExportReport:
    """Convert ``model`` to ONNX at ``path`` and prove it agrees with Keras.

    ``parity_images`` are uint8 NHWC thumbnails as :func:`framedetect.preprocess` makes
    them (at least 100). The export fails, leaving no file, when the maximum absolute
    difference of the outputs exceeds ``tolerance``.
    """
    if len(parity_images) < MIN_PARITY_IMAGES:
        raise ValueError(f"parity needs >= {MIN_PARITY_IMAGES} images, got {len(parity_images)}")
    size = model.input_shape[1]
    signature = (tf.TensorSpec((None, size, size, 3), tf.float32, name=INPUT_NAME),)
    proto, _ = tf2onnx.convert.from_keras(model, input_signature=signature, opset=OPSET)
    for key, value in {"preprocessing": PREPROCESSING, "input_size": str(size), **metadata}.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "framedetect"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".onnx.tmp")
    onnx.save(proto, tmp)

    inputs = normalize(parity_images)
    expected = _keras_outputs(model, inputs)
    session = ort.InferenceSession(str(tmp), providers=["CPUExecutionProvider"])
    names = [output.name for output in session.get_outputs()]
    actual = dict(zip(names, session.run(None, {session.get_inputs()[0].name: inputs})))
    if set(actual) != set(expected):
        tmp.unlink()
        raise ExportParityError(
            f"ONNX outputs {sorted(actual)} != Keras outputs {sorted(expected)}"
        )
    diff = max(float(np.max(np.abs(expected[name] - actual[name]))) for name in expected)
    if not diff <= tolerance:
        tmp.unlink()
        raise ExportParityError(
            f"Keras and ONNX outputs differ by {diff:.3g} > {tolerance:.0e} on {len(inputs)} images"
        )
    tmp.replace(path)
    return ExportReport(path, diff, len(inputs))


def _keras_outputs(model: keras.Model, inputs: np.ndarray) -> dict[str, np.ndarray]:
    """The model's outputs by name (``score``, and ``sides``/``insets`` when localising)."""
    chunks = [model(inputs[i : i + 256], training=False) for i in range(0, len(inputs), 256)]
    if not isinstance(chunks[0], (list, tuple)):
        chunks = [[chunk] for chunk in chunks]
    names = [_output_name(model, index) for index in range(len(model.outputs))]
    return {
        name: np.concatenate([np.asarray(chunk[index]) for chunk in chunks])
        for index, name in enumerate(names)
    }


def _output_name(model: keras.Model, index: int) -> str:
    layer_names = getattr(model, "output_names", None)
    if layer_names:
        return str(layer_names[index])
    return str(model.outputs[index].name.split("/")[0].split(":")[0])
