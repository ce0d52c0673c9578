"""One test per kind of input a seller can upload: what it becomes, or which typed error.

Every image format is compared with the same upright RGB picture, so each test pins the
exact behaviour (orientation applied, transparency on white, first frame or page).
"""

from __future__ import annotations

import io
import os
import resource
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, features

from framedetect import (
    Detector,
    FramePrediction,
    InvalidImageError,
    UnsupportedInputError,
    load_image,
)

WHITE = (255, 255, 255)


def _picture(width: int = 96, height: int = 64) -> Image.Image:
    """An asymmetric picture: a red band on the left, a blue band at the top, grey inside."""
    pixels = np.full((height, width, 3), 128, np.uint8)
    pixels[:, :12] = (220, 30, 30)
    pixels[:8, :] = (30, 30, 220)
    return Image.fromarray(pixels)


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _close(a: Image.Image, b: Image.Image, tolerance: float = 6.0) -> bool:
    return (
        a.size == b.size
        and float(np.mean(np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)))) < tolerance
    )


# -- JPEG --------------------------------------------------------------------------------


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_jpeg_baseline_and_progressive(progressive: bool, detector: Detector) -> None:
    data = _encode(_picture(), "JPEG", quality=95, progressive=progressive)
    assert _close(load_image(data), _picture())
    assert isinstance(detector.predict(data), FramePrediction)


def test_jpeg_cmyk_is_converted_to_rgb() -> None:
    data = _encode(_picture().convert("CMYK"), "JPEG", quality=95)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    decoded = load_image(data)
    assert decoded.mode == "RGB" and _close(decoded, _picture(), 10)


def test_jpeg_grayscale_becomes_grey_rgb() -> None:
    decoded = np.asarray(load_image(_encode(_picture().convert("L"), "JPEG", quality=95)))
    assert decoded.shape == (64, 96, 3)
    assert np.array_equal(decoded[..., 0], decoded[..., 1])


# Pillow's exif_transpose maps orientation o to this transpose; storing the inverse of it
# with orientation o means the upright picture must come back.
_STORE_AS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_jpeg_exif_orientation_is_applied(orientation: int) -> None:
    upright = _picture()
    stored = upright.transpose(_STORE_AS[orientation]) if orientation > 1 else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    decoded = load_image(_encode(stored, "JPEG", quality=95, exif=exif.tobytes()))
    assert _close(decoded, upright), orientation


# -- PNG ---------------------------------------------------------------------------------


def test_png_rgba_and_la_are_composited_on_white() -> None:
    rgba = _picture().convert("RGBA")
    alpha = np.full((64, 96), 255, np.uint8)
    alpha[:, 48:] = 0  # right half fully transparent
    rgba.putalpha(Image.fromarray(alpha))
    for image in (rgba, rgba.convert("LA")):
        decoded = np.asarray(load_image(_encode(image, "PNG")))
        assert (decoded[:, 48:] == 255).all(), image.mode
        assert (decoded[40, 5] != 255).any(), image.mode


def test_png_palette_with_transparency_is_composited_on_white() -> None:
    palette = _picture().quantize(colors=8)
    index = palette.getpixel((0, 0))
    decoded = np.asarray(load_image(_encode(palette, "PNG", transparency=index)))
    assert (decoded[0, 0] == WHITE).all()
    assert (decoded[40, 48] == 128).all()


def test_png_16_bit_is_scaled_to_8_bit() -> None:
    values = np.linspace(0, 65535, 96 * 64).reshape(64, 96).astype(np.uint16)
    image = Image.fromarray(values)
    data = _encode(image, "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    decoded = np.asarray(load_image(data))
    assert np.array_equal(decoded[..., 0], (values >> 8).astype(np.uint8))


# -- other formats -----------------------------------------------------------------------


def test_animated_gif_takes_the_first_frame() -> None:
    frames = [Image.new("RGB", (40, 30), (200, 0, 0)), Image.new("RGB", (40, 30), (0, 0, 200))]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    assert np.asarray(load_image(data))[15, 20].tolist() == [200, 0, 0]


@pytest.mark.skipif(not features.check("webp"), reason="Pillow built without WebP")
@pytest.mark.parametrize(
    ("mode", "options"),
    [("RGB", {"quality": 90}), ("RGB", {"lossless": True}), ("RGBA", {"lossless": True})],
    ids=["lossy", "lossless", "alpha"],
)
def test_webp(mode: str, options: dict[str, object]) -> None:
    image = _picture().convert(mode)
    if mode == "RGBA":
        image.putalpha(Image.new("L", image.size, 0))  # fully transparent
    decoded = load_image(_encode(image, "WEBP", **options))
    expected = Image.new("RGB", image.size, WHITE) if mode == "RGBA" else _picture()
    assert _close(decoded, expected)


def test_bmp() -> None:
    assert np.array_equal(np.asarray(load_image(_encode(_picture(), "BMP"))), _picture())


def test_multi_page_tiff_takes_the_first_page() -> None:
    pages = [Image.new("RGB", (40, 30), (0, 160, 0)), Image.new("RGB", (40, 30), (160, 0, 0))]
    data = _encode(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    assert np.asarray(load_image(data))[0, 0].tolist() == [0, 160, 0]


@pytest.mark.parametrize("size", [(1, 1), (1, 10_000), (10_000, 1)], ids=str)
def test_odd_sizes_are_scored(size: tuple[int, int], detector: Detector) -> None:
    data = _encode(Image.new("RGB", size, (90, 120, 30)), "PNG")
    result = detector.predict(data)
    assert isinstance(result, FramePrediction) and 0.0 <= result.score <= 1.0


# -- unsafe or broken files --------------------------------------------------------------


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels."""
    data = bytearray(_encode(Image.new("1", (1, 1)), "PNG"))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


@pytest.mark.parametrize("side", [10_000, 40_000], ids=["1.1x-limit", "18x-limit"])
def test_decompression_bombs_are_refused_before_decoding(side: int, detector: Detector) -> None:
    bomb = _png_claiming(side, side)
    assert len(bomb) < 100
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InvalidImageError, match="refused"):
        detector.predict(bomb)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kib < 20 * 1024  # nothing near side*side bytes was allocated


def _svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: _encode(_picture(), "JPEG")[:400], "cannot decode"),
        (lambda: b"", "empty"),
        (lambda: np.random.default_rng(0).bytes(4096), "not an image format"),
        (lambda: b"price: 9.99 EUR\nSALE\n" * 20, "not an image format"),
        (_svg, "not an image format"),
    ],
    ids=["truncated-jpeg", "zero-bytes", "random-bytes", "text", "svg"],
)
def test_broken_files_raise_invalid_image(
    make: object, match: str, detector: Detector, tmp_path: Path
) -> None:
    data = make()  # type: ignore[operator]
    path = tmp_path / "upload.jpg"
    path.write_bytes(data)
    for source in (data, path, str(path)):
        with pytest.raises(InvalidImageError, match=match):
            detector.predict(source)


def test_directory_and_missing_path(detector: Detector, tmp_path: Path) -> None:
    with pytest.raises(InvalidImageError, match="is a directory"):
        detector.predict(tmp_path)
    with pytest.raises(InvalidImageError, match="no such image file"):
        detector.predict(tmp_path / "gone.jpg")


def test_unreadable_file(
    detector: Detector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.jpg"
    path.write_bytes(_encode(_picture(), "JPEG"))
    if os.geteuid() == 0:  # root reads files whatever their mode: make open() refuse

        def refuse(self: Path, *args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "open", refuse)
    else:
        path.chmod(0)
    with pytest.raises(InvalidImageError, match=r"cannot read .*Permission denied"):
        detector.predict(path)


def test_a_fifo_is_refused_without_blocking(detector: Detector, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    with pytest.raises(InvalidImageError, match="not a regular file"):
        detector.predict(fifo)


# -- numpy arrays ------------------------------------------------------------------------


def test_accepted_arrays_rgb_grayscale_and_non_contiguous(detector: Detector) -> None:
    rgb = np.asarray(_picture())
    wide = np.zeros((64, 192, 3), np.uint8)
    wide[:, ::2] = rgb
    view = wide[:, ::2]
    assert not view.flags.c_contiguous
    assert detector.predict(view) == detector.predict(rgb.copy())
    grey = np.asarray(_picture().convert("L"))
    assert detector.predict(grey) == detector.predict(np.repeat(grey[..., None], 3, axis=2))


@pytest.mark.parametrize(
    ("array", "match"),
    [
        (np.zeros((8, 8, 3), np.float32), r"dtype float32 is not accepted \(float arrays"),
        (np.full((8, 8, 3), np.nan), r"dtype float64 is not accepted .* NaN"),
        (np.zeros((8, 8, 4), np.uint8), r"\(8, 8, 4\) is not accepted \(4 channels"),
        (np.zeros((8, 8, 3), np.int64), "dtype int64 is not accepted"),
        (np.zeros((8,), np.uint8), r"shape \(8,\) is not accepted"),
        (np.zeros((0, 8, 3), np.uint8), "is empty"),
    ],
    ids=["float", "nan", "hxwx4", "int64", "1-d", "empty"],
)
def test_rejected_arrays(array: np.ndarray, match: str, detector: Detector) -> None:
    with pytest.raises(UnsupportedInputError, match=match):
        detector.predict(array)


@pytest.mark.parametrize("wrong", ["one.jpg", b"bytes", 7, np.zeros((2, 8, 8, 3), np.uint8)])
def test_predict_batch_wants_an_iterable_of_images(wrong: object, detector: Detector) -> None:
    with pytest.raises(UnsupportedInputError, match="takes an iterable of images"):
        detector.predict_batch(wrong)  # type: ignore[arg-type]
