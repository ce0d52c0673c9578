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
    convs, denses = _onnx_weights(proto)
    layers = [layer for layer in model.layers if layer.weights]
    if len(layers) != len(convs) + len(denses):
        raise ValueError(
            f"the ONNX graph has {len(convs) + len(denses)} weighted layers, "
            f"the Keras model {len(layers)}"
        )
    hidden = [name for name in denses if not any(f"/{head}" in name for head in HEADS)]
    for layer in layers:
        if isinstance(layer, keras.layers.Conv2D):
            layer.set_weights(list(convs.pop(0)))
        elif layer.name in HEADS:
            (name,) = [n for n in denses if f"/{layer.name}_" in n or f"/{layer.name}/" in n]
            layer.set_weights(list(denses[name]))
        else:
            layer.set_weights(list(denses[hidden.pop(0)]))
    return model


HEADS = ("score", "sides", "insets")


def _onnx_weights(
    proto: onnx.ModelProto,
) -> tuple[list[tuple[np.ndarray, np.ndarray]], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Conv (kernel, bias) pairs in graph order, and dense pairs by their MatMul's name."""
    initializers = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    convs: list[tuple[np.ndarray, np.ndarray]] = []
    denses: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    matmuls = {
        node.output[0]: node
        for node in proto.graph.node
        if node.op_type == "MatMul" and node.input[1] in initializers
    }
    for node in proto.graph.node:
        if node.op_type == "Conv":
            kernel = initializers[node.input[1]].transpose(2, 3, 1, 0)  # OIHW -> HWIO
            convs.append((kernel, initializers[node.input[2]]))
        elif node.op_type == "Add" and node.input[0] in matmuls:
            matmul = matmuls[node.input[0]]
            bias = next(initializers[name] for name in node.input if name in initializers)
            denses[matmul.name or matmul.output[0]] = (initializers[matmul.input[1]], bias)
    return convs, denses
