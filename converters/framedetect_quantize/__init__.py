"""fp32 ONNX -> INT8 (static QDQ) and fp16 models, each checked against fp32 on one test set."""

from .fp16 import convert_fp16
from .int8 import CALIBRATION_IMAGES, quantize_int8

__all__ = ["CALIBRATION_IMAGES", "convert_fp16", "quantize_int8"]
