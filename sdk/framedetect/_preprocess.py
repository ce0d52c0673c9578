"""The one preprocessing function shared by training and inference.

:func:`prepare_image` decodes a thumbnail (JPEGs in draft mode, at the smallest DCT
scale that keeps both sides >= the model input) and resizes it (squashed, aspect not
kept) to the model's square input with Pillow's bilinear filter, kept as uint8 RGB;
``normalize`` turns a batch of those into the float32 NHWC tensor in [0, 1].
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ._image import ImageInput, load_image_sized

INPUT_SIZE = 128
PREPROCESSING = (
    "rgb; jpeg draft decode; resize 128x128 bilinear (aspect not kept); float32 /255; NHWC"
)


def prepare_image(image: ImageInput, size: int = INPUT_SIZE, draft: bool = True) -> np.ndarray:
    """Decode any accepted input and resize it: the model's HxWx3 uint8 input.

    ``draft=False`` decodes JPEGs at full size (slower; for checks only).
    """
    return prepare_image_sized(image, size, draft)[0]


def prepare_image_sized(
    image: ImageInput, size: int = INPUT_SIZE, draft: bool = True
) -> tuple[np.ndarray, tuple[int, int]]:
    """:func:`prepare_image`, and the upright image's full (width, height)."""
    decoded, full_size = load_image_sized(image, draft_size=size if draft else None)
    return preprocess(decoded, size), full_size


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
    scaled: np.ndarray = np.multiply(batch, np.float32(1 / 255), dtype=np.float32)
    return scaled
