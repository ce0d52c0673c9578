"""The fast path: JPEG draft decoding, one conversion per batch, threaded scan decoding."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framedetect import Detector, load_image, normalize, prepare_image, preprocess
from framedetect._preprocess import draft_size
from framedetect._scan import scan
from framedetect_synth import make_arrays


def _jpeg(width: int, height: int) -> bytes:
    rng = np.random.default_rng(0)
    pixels = np.repeat(np.linspace(0, 255, width, dtype=np.uint8)[None, :, None], height, 0)
    pixels = np.repeat(pixels, 3, 2) // 2 + rng.integers(0, 60, (height, width, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_draft_decodes_big_jpegs_at_the_smallest_scale_above_the_input() -> None:
    assert load_image(_jpeg(1200, 600)).size == (1200, 600)
    assert load_image(_jpeg(1200, 600), draft_size=128).size == (300, 150)  # 1/4; 1/8 < 128
    assert load_image(_jpeg(500, 500), draft_size=128).size == (250, 250)
    assert load_image(_jpeg(200, 200), draft_size=128).size == (200, 200)


def test_the_model_path_drafts_down_to_seven_eighths_of_the_input() -> None:
    assert draft_size(128) == 112
    assert load_image(_jpeg(500, 500), draft_size=draft_size()).size == (125, 125)  # 1/4
    assert load_image(_jpeg(500, 338), draft_size=draft_size()).size == (250, 169)  # 1/2
    assert load_image(_jpeg(900, 900), draft_size=draft_size()).size == (113, 113)  # 1/8


@pytest.mark.parametrize(
    "size", [(1, 1), (1, 10000), (10000, 3), (127, 129), (256, 256), (257, 255), (900, 300)]
)
def test_preprocess_gives_the_input_square_for_any_shape(size: tuple[int, int]) -> None:
    array = preprocess(Image.new("RGB", size, (10, 200, 30)))
    assert array.shape == (128, 128, 3) and array.dtype == np.uint8
    assert (array == (10, 200, 30)).all()  # a flat image stays exactly flat


def test_preprocess_of_twice_the_input_is_the_2x2_mean() -> None:
    pixels = np.random.default_rng(3).integers(0, 256, (256, 256, 3), np.uint8)
    blocks = pixels.reshape(128, 2, 128, 2, 3).astype(float).mean(axis=(1, 3))
    assert np.abs(preprocess(Image.fromarray(pixels)).astype(float) - blocks).max() <= 0.5


@pytest.mark.parametrize("width", [250, 300, 500, 777])
@pytest.mark.parametrize("column", [0, 1, 2, 17, 101])
def test_a_one_pixel_line_is_never_dropped(width: int, column: int) -> None:
    pixels = np.full((width, width, 3), 255, np.uint8)
    pixels[:, column] = 0
    pixels[column, :] = 0
    array = preprocess(Image.fromarray(pixels)).astype(int)
    darkest_column = array.min(axis=2).min(axis=0).min()
    darkest_row = array.min(axis=2).min(axis=1).min()
    # every source pixel is averaged into some output pixel at a weight of at least 1/(2k)
    assert darkest_column <= 255 - 255 / (2 * (-(-width // 256)) * 2) + 1
    assert darkest_row <= 255 - 255 / (2 * (-(-width // 256)) * 2) + 1


def test_draft_leaves_other_formats_alone() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), (10, 20, 30)).save(buffer, "PNG")
    assert load_image(buffer.getvalue(), draft_size=128).size == (800, 400)


def test_draft_and_full_decoding_give_nearly_the_same_input() -> None:
    data = _jpeg(1000, 800)
    draft, full = prepare_image(data), prepare_image(data, draft=False)
    assert draft.shape == full.shape == (128, 128, 3)
    assert np.mean(np.abs(draft.astype(int) - full.astype(int))) < 4


def test_draft_and_full_decoding_score_generated_images_alike(detector: Detector) -> None:
    draft = make_arrays(seed=20261132, count=200, workers=1)
    full = make_arrays(seed=20261132, count=200, workers=1, draft=False)
    same = (detector.scores(draft.images) >= 0.5) == (detector.scores(full.images) >= 0.5)
    assert same.mean() >= 0.98


def test_normalize_matches_the_two_step_form_exactly() -> None:
    batch = np.random.default_rng(1).integers(0, 256, (4, 8, 8, 3), np.uint8)
    expected = batch.astype(np.float32) * np.float32(1 / 255)
    assert normalize(batch).dtype == np.float32
    assert np.array_equal(normalize(batch), expected)


def test_threaded_scan_gives_the_serial_rows_in_order(
    detector: Detector, generated: Path, tmp_path: Path
) -> None:
    shutil.copytree(generated / "images", tmp_path / "images")
    (tmp_path / "images" / "broken.jpg").write_bytes(b"\xff\xd8 not really")

    def rows(workers: int, batch_size: int) -> list[dict[str, object]]:
        out = io.StringIO()
        scan([tmp_path], out, detector, batch_size=batch_size, workers=workers)
        return [json.loads(line) for line in out.getvalue().splitlines()]

    serial = rows(1, 32)
    assert [r["path"] for r in serial] == sorted(r["path"] for r in serial)
    assert len(serial) == 25 and sum(r["error"] is not None for r in serial) == 1
    assert rows(4, 5) == serial
