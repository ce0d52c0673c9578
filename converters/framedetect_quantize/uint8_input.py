"""Let the INT8 model take the uint8 image itself: no float conversion, no input quantization.

Static quantization puts ``QuantizeLinear`` (scale 1/255, zero point 0) on the image,
after tf2onnx's NHWC -> NCHW ``Transpose``: it turns the float image in [0, 1] back into
the very uint8 values it came from. Feeding those uint8 values directly and dropping
that node gives bit-identical scores and saves the normalisation, the quantization and
a float transpose (onnxruntime's NHWC rewrite then removes the transpose entirely).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper


class Uint8InputError(ValueError):
    """The quantized graph does not start the way :func:`take_uint8_input` expects."""


def take_uint8_input(model: onnx.ModelProto) -> onnx.ModelProto:
    """Rewrite ``model`` in place so its single image input is uint8; returns it."""
    graph = model.graph
    image = graph.input[0].name
    initializers = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    transpose = _only_consumer(graph, image, "Transpose")
    quantize = _only_consumer(graph, transpose.output[0], "QuantizeLinear")
    scale = initializers.get(quantize.input[1])
    zero_point = initializers.get(quantize.input[2]) if len(quantize.input) > 2 else None
    if (
        scale is None
        or zero_point is None
        or zero_point.dtype != np.uint8
        or int(zero_point) != 0
        or not np.isclose(float(scale), 1 / 255, rtol=1e-6)
    ):
        raise Uint8InputError(
            f"the image is quantized with scale {scale} and zero point {zero_point}; "
            "a uint8 input needs scale 1/255 and a uint8 zero point 0"
        )
    for node in graph.node:
        for index, name in enumerate(node.input):
            if name == quantize.output[0]:
                node.input[index] = transpose.output[0]
    graph.node.remove(quantize)
    graph.input[0].type.tensor_type.elem_type = TensorProto.UINT8
    for info in graph.value_info:
        if info.name == transpose.output[0]:
            info.type.tensor_type.elem_type = TensorProto.UINT8
    onnx.checker.check_model(model)
    return model


def _only_consumer(graph: onnx.GraphProto, tensor: str, op_type: str) -> onnx.NodeProto:
    consumers = [node for node in graph.node if tensor in node.input]
    if len(consumers) != 1 or consumers[0].op_type != op_type:
        found = [node.op_type for node in consumers]
        raise Uint8InputError(f"expected {tensor!r} to feed one {op_type}, found {found}")
    node: onnx.NodeProto = consumers[0]
    return node
