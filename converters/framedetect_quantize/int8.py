"""Static INT8 quantization in QDQ form, calibrated on generated thumbnails.

``quant_pre_process`` (shape inference and graph optimisation) runs first, as
onnxruntime recommends; weights are quantized per channel (int8), activations per
tensor (uint8), with MinMax calibration; weights use 7 of their 8 bits
(:data:`REDUCE_RANGE`). The result takes the uint8 image directly
(see :mod:`.uint8_input`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import onnx
from onnxruntime.quantization import (
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process

from framedetect._preprocess import PREPROCESSING

from .calibration import ThumbnailCalibration
from .metadata import copy_metadata
from .uint8_input import take_uint8_input

CALIBRATION_IMAGES = 512
REDUCE_RANGE = True
"""Quantize weights to 7 bits: onnxruntime's advice for CPUs without VNNI, where uint8 x
int8 products can saturate (the 6.0.0 candidate's INT8 lost 1.3 points on such a CPU).
On a VNNI CPU it costs nothing measurable: 6.0.0 scored 0.9814 with it, 0.9810 without,
0.9812 in fp32 on its generated test set."""
INT8_PREPROCESSING = PREPROCESSING.replace("float32 /255", "uint8 input")


def quantize_int8(
    fp32_path: Path,
    out_path: Path,
    calibration_seed: int,
    photo_dir: Path | None,
    calibration_images: int = CALIBRATION_IMAGES,
    uint8_input: bool = True,
    pool_dir: Path | None = None,
    reduce_range: bool = REDUCE_RANGE,
) -> Path:
    """Write the INT8 QDQ version of ``fp32_path`` to ``out_path``.

    Calibration draws ``calibration_images`` generated thumbnails (what the model
    trained on). ``uint8_input=False keeps the float input (only to check the rewrite
    is exact).
    """
    input_name = onnx.load(str(fp32_path), load_external_data=False).graph.input[0].name
    reader = ThumbnailCalibration(
        input_name,
        calibration_seed,
        calibration_images,
        photo_dir,
        pool_dir=pool_dir,
    )
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(fp32_path), str(prepared))
        quantize_static(
            str(prepared),
            str(out_path),
            reader,
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            reduce_range=reduce_range,
        )
    extra = {"precision": "int8"}
    if uint8_input:
        onnx.save(take_uint8_input(onnx.load(str(out_path))), str(out_path))
        extra["preprocessing"] = INT8_PREPROCESSING
    copy_metadata(fp32_path, out_path, extra)
    return out_path
