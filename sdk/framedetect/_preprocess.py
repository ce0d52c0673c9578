"""The one preprocessing function shared by training and inference.

:func:`prepare_image` decodes a thumbnail (JPEGs in draft mode, at the smallest DCT
scale that keeps both sides >= 7/8 of the model input) and resizes it (squashed, aspect
not kept) to the model's square input, kept as uint8 RGB; ``normalize`` turns a batch of
those into the float32 NHWC tensor in [0, 1].

The resize is integer box filtering on a canvas twice the input's side: reduce by whole
factors until both sides fit the canvas, stretch onto it (nearest neighbour, so no pixel
is dropped), then average each 2x2 block. Every source pixel counts, so a one-pixel line
stays visible, and it costs about half of Pillow's bilinear filter (``framedetect bench``
reports the split).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ._image import ImageInput, decode_file_bytes, load_image_sized

INPUT_SIZE = 128
DRAFT_FRACTION = 7 / 8
"""JPEGs decode at the smallest DCT scale leaving both sides >= this share of the input."""
PREPROCESSING = (
    "rgb; jpeg draft decode (sides >= 7/8 input); integer reduce to <= 2x input, nearest "
    "to 2x input, 2x2 box to 128x128 (aspect not kept); float32 /255; NHWC"
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
    decoded, full_size = load_image_sized(image, draft_size=draft_size(size) if draft else None)
    return preprocess(decoded, size), full_size


def prepare_file_bytes(
    data: bytes, name: str, size: int = INPUT_SIZE
) -> tuple[np.ndarray, tuple[int, int]]:
    """:func:`prepare_image_sized` of the bytes of the file ``name``, read elsewhere."""
    decoded, full_size = decode_file_bytes(data, name, draft_size(size))
    return preprocess(decoded, size), full_size


def draft_size(size: int = INPUT_SIZE) -> int:
    """The smallest side a draft-decoded JPEG keeps for a model input of ``size``."""
    return max(1, int(size * DRAFT_FRACTION))


def preprocess(image: Image.Image, size: int = INPUT_SIZE) -> np.ndarray:
    """Resize an RGB image to ``size`` x ``size`` (see the module); HxWx3 uint8."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    canvas = 2 * size
    factors = (-(-image.width // canvas), -(-image.height // canvas))
    if factors != (1, 1):
        image = image.reduce(factors)
    if image.size != (canvas, canvas):
        image = image.resize((canvas, canvas), Image.Resampling.NEAREST)
    resized: np.ndarray = np.asarray(image.reduce(2), dtype=np.uint8)
    return resized


def normalize(batch: np.ndarray) -> np.ndarray:
    """uint8 NHWC (or HWC) to the model's float32 input in [0, 1]."""
    scaled: np.ndarray = np.multiply(batch, np.float32(1 / 255), dtype=np.float32)
    return scaled
