"""Turn any accepted input into an RGB PIL image: path, bytes, PIL image or numpy array."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import IO, Union

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from . import _jpeg
from ._errors import InvalidImageError, UnsupportedInputError

ImageInput = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Image.Image, np.ndarray]
ACCEPTED = (
    "a path (str or Path), bytes, a PIL.Image.Image, or a numpy uint8 array: HxWx3 RGB or "
    "HxW grayscale"
)
ACCEPTED_ARRAYS = "uint8, HxWx3 RGB or HxW grayscale (any strides), values 0-255"
WHITE = (255, 255, 255)
ORIENTATION = 0x0112  # the EXIF tag; 5-8 turn the image by 90 degrees
READ_WHOLE = 8 * 2**20
"""Files up to this size are read in one call; bigger ones are streamed."""


def load_image(image: ImageInput, draft_size: int | None = None) -> Image.Image:
    """Decode ``image`` into an RGB PIL image, upright, with transparency composited on white.

    With ``draft_size``, a JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) that
    still leaves both sides at least ``draft_size`` pixels: much faster for big files.
    """
    return load_image_sized(image, draft_size)[0]


def load_image_sized(
    image: ImageInput, draft_size: int | None = None
) -> tuple[Image.Image, tuple[int, int]]:
    """:func:`load_image`, and the upright image's full (width, height) before any draft."""
    if isinstance(image, Image.Image):
        rgb = to_rgb(image)
        return rgb, rgb.size
    if isinstance(image, np.ndarray):
        array = _check_array(image)
        rgb = Image.fromarray(array, "RGB" if array.ndim == 3 else "L").convert("RGB")
        return rgb, rgb.size
    if isinstance(image, (bytes, bytearray, memoryview)):
        if len(image) == 0:
            raise InvalidImageError("cannot decode 0 bytes: the input is empty")
        return _decode(io.BytesIO(image), f"{len(image)} bytes", draft_size, image)
    if isinstance(image, (str, os.PathLike)):
        return _decode_file(Path(image), draft_size)
    raise UnsupportedInputError(
        f"unsupported input of type {type(image).__module__}.{type(image).__qualname__}; "
        f"expected {ACCEPTED}"
    )


def _decode_file(path: Path, draft_size: int | None) -> tuple[Image.Image, tuple[int, int]]:
    """Decode a file: one stat first (a FIFO would block forever), then one read when the
    file is small enough to hold (Pillow's header parsing makes dozens of small reads)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InvalidImageError(f"no such image file: {str(path)!r}") from None
    except OSError as error:
        raise InvalidImageError(f"cannot read {str(path)!r}: {error}") from error
    if stat.S_ISDIR(mode):
        raise InvalidImageError(f"expected an image file, but {str(path)!r} is a directory")
    if not stat.S_ISREG(mode):
        raise InvalidImageError(
            f"{str(path)!r} is not a regular file (a FIFO, socket or device); "
            "expected an image file"
        )
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size <= READ_WHOLE:
                return decode_file_bytes(handle.read(), str(path), draft_size)
            return _decode(handle, repr(str(path)), draft_size)
    except OSError as error:
        raise InvalidImageError(f"cannot read {str(path)!r}: {error}") from error


def decode_file_bytes(
    data: bytes, name: str, draft_size: int | None = None
) -> tuple[Image.Image, tuple[int, int]]:
    """:func:`load_image_sized` of a file's bytes read elsewhere (object storage, a Ray
    dataset); its errors name the file as if it had been read here."""
    if not data:
        raise InvalidImageError(f"cannot decode {name!r}: the file is empty")
    return _decode(io.BytesIO(data), repr(name), draft_size, data)


def to_rgb(image: Image.Image) -> Image.Image:
    """Apply EXIF orientation and composite any transparency on white."""
    if image.getexif().get(ORIENTATION, 1) != 1:  # exif_transpose copies even when upright
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


def _decode(
    stream: IO[bytes],
    what: str,
    draft_size: int | None,
    data: bytes | bytearray | memoryview | None = None,
) -> tuple[Image.Image, tuple[int, int]]:
    """Open, check the size before any pixel is decoded, then decode (first frame/page):
    a JPEG whose bytes are at hand by :mod:`._jpeg` where it gives Pillow's pixels."""
    if data is not None:
        fast = _jpeg.decode(data, draft_size, max_pixels())
        if fast is not None:
            return fast
    try:
        with Image.open(stream) as opened:
            width, height = opened.size
            if width < 1 or height < 1 or width * height > max_pixels():
                raise InvalidImageError(
                    f"refused {what}: {width}x{height} pixels; accepted are 1 to "
                    f"{max_pixels():,} pixels (Pillow's decompression-bomb limit)"
                )
            turned = opened.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
            if draft_size is not None and opened.format == "JPEG":
                opened.draft(None, (draft_size, draft_size))
            opened.load()
            return to_rgb(opened), (height, width) if turned else (width, height)
    except InvalidImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidImageError(f"refused {what}: {error}") from error
    except UnidentifiedImageError as error:  # its text names the stream object: not useful
        raise InvalidImageError(
            f"cannot decode {what}: not an image format Pillow reads; accepted are JPEG, "
            "PNG, GIF, WebP, BMP, TIFF and the other raster formats of Pillow"
        ) from error
    except MemoryError as error:
        raise InvalidImageError(f"refused {what}: decoding it ran out of memory") from error
    except Exception as error:  # malformed files raise all sorts inside Pillow's plugins
        raise InvalidImageError(
            f"cannot decode {what} as an image ({type(error).__name__}: {error})"
        ) from error


def max_pixels() -> int:
    """The largest image decoded: Pillow's ``Image.MAX_IMAGE_PIXELS`` (about 89 MP)."""
    limit = Image.MAX_IMAGE_PIXELS
    return int(limit) if limit else 2**31


def _check_array(array: np.ndarray) -> np.ndarray:
    """A C-contiguous copy or view of an accepted array; anything else is refused."""
    if array.dtype != np.uint8:
        hint = (
            " (float arrays are ambiguous, 0-1 or 0-255, and may hold NaN: convert with "
            "np.clip(a, 0, 255).astype(np.uint8))"
            if np.issubdtype(array.dtype, np.floating)
            else ""
        )
        raise UnsupportedInputError(
            f"numpy array of dtype {array.dtype} is not accepted{hint}; expected {ACCEPTED_ARRAYS}"
        )
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] == 3)):
        hint = (
            " (4 channels could be RGBA or BGRA: pass a PIL image instead)"
            if array.ndim == 3 and array.shape[2] == 4
            else ""
        )
        raise UnsupportedInputError(
            f"numpy array of shape {array.shape} is not accepted{hint}; expected {ACCEPTED_ARRAYS}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise UnsupportedInputError(
            f"numpy array of shape {array.shape} is empty; expected {ACCEPTED_ARRAYS}"
        )
    return np.ascontiguousarray(array)
