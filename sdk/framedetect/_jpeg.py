"""Faster JPEG decoding with simplejpeg, when it is installed (the ``[jpeg]`` extra).

Pillow and simplejpeg both decode with libjpeg-turbo, but simplejpeg goes from bytes to
a numpy array in one C call, without Pillow's header parser (Python, holding the GIL)
and image objects in between: about 0.1 ms less per 500 px thumbnail, and decoding
threads that overlap better (``framedetect bench`` shows the decode column). It is used
only where the pixels are Pillow's to the bit: the DCT scale is the one Pillow's
``draft`` picks, the JPEG is YCbCr or grayscale, and its header has no EXIF (which may
turn the image) and no MPO index. Anything else, and any file simplejpeg refuses,
decodes with Pillow, so results and error messages stay the same.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any

import numpy as np
from PIL import Image

Data = bytes | bytearray | memoryview
FAST_COLOURSPACES = ("YCbCr", "Gray")
"""JPEG colour spaces decoded to the same RGB as Pillow's (not CMYK, YCCK or raw RGB)."""
PILLOW_SCALES = (8, 4, 2, 1)
SOI, SOS, APP1, APP2 = 0xD8, 0xDA, 0xE1, 0xE2
STANDALONE = {0x01, SOI, *range(0xD0, 0xD8)}
"""Markers without a length field."""


@functools.cache
def simplejpeg() -> ModuleType | None:
    """The simplejpeg module, imported on the first JPEG (not by ``import framedetect``)."""
    try:
        return importlib.import_module("simplejpeg")
    except ImportError:  # the runtime works without it
        return None


def describe() -> str:
    """Which decoder JPEGs take, for ``--version`` and the benchmark."""
    module = simplejpeg()
    if module is None:
        return "JPEG decoding: Pillow (framedetect[jpeg] adds simplejpeg, about 0.1 ms faster)"
    return f"JPEG decoding: simplejpeg {module.__version__}, Pillow where it must"


def decode(
    data: Data, draft_size: int | None, max_pixels: int
) -> tuple[Image.Image, tuple[int, int]] | None:
    """The RGB image Pillow would decode from JPEG ``data`` (at its draft scale for
    ``draft_size``) and the full (width, height); None where Pillow must decode it."""
    if bytes(data[:3]) != b"\xff\xd8\xff" or _needs_pillow(data):
        return None
    module: Any = simplejpeg()
    if module is None:
        return None
    try:
        height, width, colourspace, _ = module.decode_jpeg_header(data)
    except ValueError:
        return None
    if colourspace not in FAST_COLOURSPACES or not 1 <= width * height <= max_pixels:
        return None
    scale = pillow_draft_scale((width, height), draft_size)
    size = (-(-width // scale), -(-height // scale))
    try:
        pixels: np.ndarray = module.decode_jpeg(
            data, colorspace="RGB", min_width=size[0], min_height=size[1]
        )
    except ValueError:  # malformed or cut short: Pillow decodes it or says why
        return None
    if pixels.shape != (size[1], size[0], 3):
        return None
    return Image.fromarray(pixels, "RGB"), (width, height)


def pillow_draft_scale(size: tuple[int, int], draft_size: int | None) -> int:
    """The DCT scale divisor Pillow's ``JpegImageFile.draft`` picks for a square request."""
    if not draft_size:
        return 1
    fits = min(size[0] // draft_size, size[1] // draft_size)
    return next(scale for scale in PILLOW_SCALES if fits >= scale or scale == 1)


def _needs_pillow(data: Data) -> bool:
    """Whether the segments before the scan hold EXIF or an MPO index (or cannot be read)."""
    position, end = 2, len(data)
    while position + 4 <= end:
        if data[position] != 0xFF:
            return True
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker in STANDALONE:
            position += 2
        elif marker == SOS:
            return False
        elif marker == APP1 or (
            marker == APP2 and bytes(data[position + 4 : position + 8]) == b"MPF\x00"
        ):
            return True
        else:
            position += 2 + (data[position + 2] << 8 | data[position + 3])
    return True
