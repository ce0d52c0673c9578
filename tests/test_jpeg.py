"""simplejpeg decodes exactly what Pillow decodes, or leaves the file to Pillow."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framedetect import InvalidImageError, _jpeg
from framedetect._image import load_image_sized, max_pixels
from framedetect._preprocess import draft_size

from .conftest import SHARED_DATA

pytest.importorskip("simplejpeg")
REAL_POOL = SHARED_DATA / "real-pool"


def _encode(size: tuple[int, int], mode: str = "RGB", seed: int = 0, **options: object) -> bytes:
    rng = np.random.default_rng(seed)
    width, height = size
    ramp = np.linspace(0, 255, width * height, dtype=np.uint8).reshape(height, width)
    pixels = np.stack([ramp, ramp[::-1], np.roll(ramp, width // 3, 1)], axis=2) // 2
    pixels = pixels + rng.integers(0, 100, pixels.shape, np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert(mode).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _both(data: bytes, draft: int | None) -> tuple[Image.Image, Image.Image, tuple[int, int]]:
    fast = _jpeg.decode(data, draft, max_pixels())
    assert fast is not None, "simplejpeg should have decoded it"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_jpeg, "simplejpeg", lambda: None)
        pillow, size = load_image_sized(data, draft)
    assert fast[1] == size
    return fast[0], pillow, size


CASES = [
    ((500, 500), "RGB", {"quality": 90}),
    ((500, 338), "RGB", {"quality": 75, "subsampling": 0}),
    ((900, 900), "RGB", {"quality": 95, "subsampling": 1}),
    ((333, 127), "RGB", {"quality": 80, "progressive": True}),
    ((1200, 601), "L", {"quality": 85}),
    ((113, 999), "L", {"quality": 60, "progressive": True}),
    ((37, 41), "RGB", {"quality": 50}),
]


@pytest.mark.parametrize(("size", "mode", "options"), CASES)
@pytest.mark.parametrize("draft", [None, draft_size(), 128])
def test_simplejpeg_gives_pillows_pixels_bit_for_bit(
    size: tuple[int, int], mode: str, options: dict[str, object], draft: int | None
) -> None:
    fast, pillow, _ = _both(_encode(size, mode, **options), draft)
    assert fast.mode == pillow.mode == "RGB"
    assert fast.size == pillow.size
    assert np.array_equal(np.asarray(fast), np.asarray(pillow))


def test_the_draft_scale_is_the_one_pillow_picks() -> None:
    for width, height in [(1, 1), (111, 500), (112, 112), (224, 500), (500, 500), (2000, 300)]:
        with Image.open(io.BytesIO(_encode((width, height)))) as opened:
            opened.draft(None, (draft_size(), draft_size()))
            scale = _jpeg.pillow_draft_scale((width, height), draft_size())
            assert opened.size == (-(-width // scale), -(-height // scale))


@pytest.mark.skipif(not REAL_POOL.is_dir(), reason="../shared/data/real-pool is absent")
def test_real_photos_decode_alike() -> None:
    photos = sorted(p for p in REAL_POOL.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    for path in random.Random(0).sample(photos, min(150, len(photos))):
        fast, pillow, _ = _both(path.read_bytes(), draft_size())
        assert np.array_equal(np.asarray(fast), np.asarray(pillow)), path.name


def _with_exif_orientation(data: bytes, orientation: int) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        exif[0x0112] = orientation
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def test_exif_cmyk_and_other_formats_are_left_to_pillow() -> None:
    plain = _encode((300, 200))
    turned = _with_exif_orientation(plain, 6)
    assert _jpeg.decode(turned, draft_size(), max_pixels()) is None
    assert load_image_sized(turned)[0].size == (200, 300)  # Pillow turned it upright
    cmyk = io.BytesIO()
    Image.new("CMYK", (64, 64), (0, 255, 0, 0)).save(cmyk, "JPEG")
    assert _jpeg.decode(cmyk.getvalue(), None, max_pixels()) is None
    png = io.BytesIO()
    Image.new("RGB", (64, 64)).save(png, "PNG")
    assert _jpeg.decode(png.getvalue(), None, max_pixels()) is None
    assert _jpeg.decode(plain, None, 300 * 200 - 1) is None  # too big: Pillow refuses it


def test_a_cut_short_jpeg_gives_pillows_error(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _encode((400, 400))[:5000]
    assert _jpeg.decode(data, draft_size(), max_pixels()) is None
    with pytest.raises(InvalidImageError) as fast:
        load_image_sized(data, draft_size())
    monkeypatch.setattr(_jpeg, "simplejpeg", lambda: None)
    with pytest.raises(InvalidImageError) as pillow:
        load_image_sized(data, draft_size())
    assert str(fast.value) == str(pillow.value)


def test_files_and_bytes_take_the_same_path(tmp_path: Path) -> None:
    data = _encode((500, 500))
    (tmp_path / "a.jpg").write_bytes(data)
    from_file = load_image_sized(tmp_path / "a.jpg", draft_size())[0]
    for kind in (bytes, bytearray, memoryview):
        from_bytes = load_image_sized(kind(data), draft_size())[0]
        assert np.array_equal(np.asarray(from_file), np.asarray(from_bytes))


def test_import_framedetect_leaves_simplejpeg_for_the_first_jpeg() -> None:
    script = (
        "import sys, io, framedetect\n"
        "print('simplejpeg' in sys.modules)\n"
        "from PIL import Image\n"
        "buffer = io.BytesIO(); Image.new('RGB', (64, 64), 'red').save(buffer, 'JPEG')\n"
        "framedetect.predict(buffer.getvalue())\n"
        "print('simplejpeg' in sys.modules)\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["False", "True"]
