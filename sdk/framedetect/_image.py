"""Turn any accepted input into an RGB PIL image: path, bytes, PIL image or numpy array."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Union

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ._errors import InvalidImageError, UnsupportedInputError

ImageInput = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Image.Image, np.ndarray]
ACCEPTED = "a path (str or Path), bytes, a PIL.Image.Image, or a numpy HxWx3 uint8 RGB array"
WHITE = (255, 255, 255)


def load_image(image: ImageInput, draft_size: int | None = None) -> Image.Image:
    """Decode ``image`` into an RGB PIL image, upright, with transparency composited on white.

    With ``draft_size``, a JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) that
    still leaves both sides at least ``draft_size`` pixels: much faster for big files.
    """
    if isinstance(image, Image.Image):
        return to_rgb(image)
    if isinstance(image, np.ndarray):
        return Image.fromarray(_check_array(image), "RGB")
    if isinstance(image, (bytes, bytearray, memoryview)):
        return _decode(io.BytesIO(image), f"{len(image)} bytes", draft_size)
    if isinstance(image, (str, os.PathLike)):
        path = Path(image)
        if path.is_dir():
            raise InvalidImageError(f"expected an image file, but {str(path)!r} is a directory")
        if not path.exists():
            raise InvalidImageError(f"no such image file: {str(path)!r}")
        try:
            with path.open("rb") as handle:
                return _decode(handle, repr(str(path)), draft_size)
        except OSError as error:
            raise InvalidImageError(f"cannot read {str(path)!r}: {error}") from error
    raise UnsupportedInputError(
        f"unsupported input of type {type(image).__module__}.{type(image).__qualname__}; "
        f"expected {ACCEPTED}"
    )


def to_rgb(image: Image.Image) -> Image.Image:
    """Apply EXIF orientation and composite any transparency on white."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*WHITE, 255))
        background.alpha_composite(rgba)
        return background.convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        scaled = np.asarray(image, dtype=np.uint32) >> 8
        return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8)).convert("RGB")
    return image.convert("RGB")


def _decode(stream: IO[bytes], what: str, draft_size: int | None) -> Image.Image:
    try:
        with Image.open(stream) as opened:
            if draft_size is not None and opened.format == "JPEG":
                opened.draft(None, (draft_size, draft_size))
            opened.load()
            return to_rgb(opened)
    except Image.DecompressionBombError as error:
        raise InvalidImageError(f"refused {what}: {error}") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise InvalidImageError(
            f"cannot decode {what} as an image ({type(error).__name__}: {error})"
        ) from error


def _check_array(array: np.ndarray) -> np.ndarray:
    if array.dtype != np.uint8:
        raise UnsupportedInputError(
            f"numpy array of dtype {array.dtype} is not accepted; expected dtype uint8 "
            "(HxWx3 RGB, values 0-255)"
        )
    if array.ndim != 3 or array.shape[2] != 3:
        raise UnsupportedInputError(
            f"numpy array of shape {array.shape} is not accepted; expected HxWx3 RGB"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise UnsupportedInputError(f"numpy array of shape {array.shape} is empty")
    return np.ascontiguousarray(array)
