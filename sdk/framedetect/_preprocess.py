"""The one preprocessing function shared by training and inference.

A thumbnail is resized (squashed, aspect not kept) to the model's square input with
Pillow's bilinear filter, kept as uint8 RGB; ``normalize`` turns a batch of those into
the float32 NHWC tensor in [0, 1] that the model takes.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

INPUT_SIZE = 128
PREPROCESSING = "rgb; resize 128x128 bilinear (aspect not kept); float32 /255; NHWC"


def preprocess(image: Image.Image, size: int = INPUT_SIZE) -> np.ndarray:
    """Resize an RGB image to ``size`` x ``size``; returns an HxWx3 uint8 array."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    resized: np.ndarray = np.asarray(
        image.resize((size, size), Image.Resampling.BILINEAR), dtype=np.uint8
    )
    return resized


def normalize(batch: np.ndarray) -> np.ndarray:
    """uint8 NHWC (or HWC) to the model's float32 input in [0, 1]."""
    scaled: np.ndarray = np.asarray(batch, dtype=np.float32) * np.float32(1 / 255)
    return scaled
