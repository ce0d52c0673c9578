"""fp16 weights and activations for CUDA, with float32 inputs and outputs kept."""

from __future__ import annotations

from pathlib import Path

import onnx
from onnxruntime.transformers.float16 import convert_float_to_float16

from .metadata import copy_metadata


def convert_fp16(fp32_path: Path, out_path: Path) -> Path:
    """Write the fp16 version of ``fp32_path`` to ``out_path``; its I/O stays float32."""
    model = convert_float_to_float16(onnx.load(str(fp32_path)), keep_io_types=True)
    onnx.save(model, str(out_path))
    copy_metadata(fp32_path, out_path, {"precision": "fp16"})
    return out_path
