"""Rebuild the Keras model of a shipped ONNX file, with its exact weights.

The benchmark times Keras against onnxruntime on the *same* weights; the wheel carries
only ONNX files, so the Keras model is rebuilt from the manifest's configuration and the
ONNX initializers: Conv kernels (OIHW -> HWIO) and MatMul/Add pairs, in graph order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np
import onnx
from onnx import numpy_helper

from .config import ModelConfig
from .model import build_model


def keras_from_onnx(onnx_source: Path | bytes, config: dict[str, Any]) -> keras.Model:
    """The Keras model of ``config`` carrying the weights of the fp32 ONNX model."""
    proto = (
        onnx.load_from_string(onnx_source)
        if isinstance(onnx_source, bytes)
        else onnx.load(str(onnx_source))
    )
    fields = {k: v for k, v in config.items() if k in ModelConfig.__dataclass_fields__}
    fields["conv_filters"] = tuple(fields.get("conv_filters", ModelConfig.conv_filters))
    model = build_model(ModelConfig(**fields))
    weights = _onnx_weights(proto)
    layers = [layer for layer in model.layers if layer.weights]
    if len(layers) != len(weights):
        raise ValueError(
            f"the ONNX graph has {len(weights)} weighted layers, the Keras model {len(layers)}"
        )
    for layer, (kernel, bias) in zip(layers, weights):
        layer.set_weights([kernel, bias])
    return model


def _onnx_weights(proto: onnx.ModelProto) -> list[tuple[np.ndarray, np.ndarray]]:
    initializers = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    weights: list[tuple[np.ndarray, np.ndarray]] = []
    pending_matmul: np.ndarray | None = None
    for node in proto.graph.node:
        if node.op_type == "Conv":
            kernel = initializers[node.input[1]].transpose(2, 3, 1, 0)  # OIHW -> HWIO
            weights.append((kernel, initializers[node.input[2]]))
        elif node.op_type == "MatMul" and node.input[1] in initializers:
            pending_matmul = initializers[node.input[1]]
        elif node.op_type == "Add" and pending_matmul is not None:
            bias = next(initializers[name] for name in node.input if name in initializers)
            weights.append((pending_matmul, bias))
            pending_matmul = None
    return weights
