"""The thumbnail generator: deterministic, labelled truthfully, and not a toy."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framedetect import load_image
from framedetect_keras.augment import random_flips
from framedetect_synth import (
    SIDES,
    ThumbnailLabel,
    make_arrays,
    make_arrays_at,
    make_sample,
    read_labels,
    write_folder,
)
from framedetect_synth.compose import compose
from framedetect_synth.frames import MIN_CONTRAST, FrameSpec, frame_mask
from framedetect_synth.photos import PhotoLibrary, is_held_out
from framedetect_synth.taxonomy import FAMILIES, family

from .conftest import REAL_PRODUCTS, needs_real_products

EMPTY = PhotoLibrary(None)


def test_same_seed_and_index_give_the_same_bytes_and_label() -> None:
    for index in (0, 7, 123):
        first, second = make_sample(42, index), make_sample(42, index)
        assert first.data == second.data
        assert first.label == second.label


def test_different_seeds_give_different_images() -> None:
    assert make_sample(1, 0).data != make_sample(2, 0).data


def test_write_folder_is_deterministic_and_labelled(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_folder(a, seed=3, count=12)
    write_folder(b, seed=3, count=12)
    assert (a / "labels.csv").read_text() == (b / "labels.csv").read_text()
    pairs = read_labels(a / "labels.csv")
    assert len(pairs) == 12
    for path, label in pairs:
        assert path.read_bytes() == (b / path.relative_to(a)).read_bytes()
        with Image.open(path) as image:
            assert image.size == label.size
    with (a / "labels.csv").open() as handle:
        header = next(csv.reader(handle))
    assert header[:6] == ["file", "has_frame", *SIDES]


def _samples(count: int, seed: int = 11) -> list[tuple[Image.Image, ThumbnailLabel]]:
    return [compose(np.random.default_rng([seed, i]), EMPTY) for i in range(count)]


def test_sizes_aspects_and_balance_are_varied() -> None:
    samples = _samples(300)
    sizes = [label.size for _, label in samples]
    assert all(150 <= max(s) <= 800 and min(s) >= 100 for s in sizes)
    assert sum(w != h for w, h in sizes) > 100
    framed = sum(label.has_frame for _, label in samples)
    assert 110 < framed < 190
    sides = Counter(sum(label.sides) for _, label in samples if label.has_frame)
    assert set(sides) == {1, 2, 3, 4}
    kinds = Counter(label.kind.split("-")[0] for _, label in samples)
    assert {"band", "inset", "product", "rect", "colour", "full"} <= set(kinds)


def test_content_box_is_inside_the_frame_and_a_band_or_inset_is_visible() -> None:
    contrasted = {row[0] for row in FAMILIES if "frames" in row[3].split(", ")}
    for image, label in _samples(200, seed=12):
        width, height = label.size
        x0, y0, x1, y1 = label.content_box
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
        if not label.has_frame:
            assert label.content_box == (0, 0, width, height)
            assert label.sides == (False, False, False, False)
            continue
        if family(label.kind) not in contrasted:  # only bands and insets ensure a contrast
            continue
        pixels = np.asarray(image, dtype=np.float64)
        # For every framed side, the pixels just outside the box are the frame: they
        # must differ clearly from the content just inside it. Unframed sides reach the edge.
        strips = {
            "top": (pixels[y0 - 1, x0:x1], pixels[y0, x0:x1]) if y0 else None,
            "bottom": (pixels[y1, x0:x1], pixels[y1 - 1, x0:x1]) if y1 < height else None,
            "left": (pixels[y0:y1, x0 - 1], pixels[y0:y1, x0]) if x0 else None,
            "right": (pixels[y0:y1, x1], pixels[y0:y1, x1 - 1]) if x1 < width else None,
        }
        for side, framed in zip(SIDES, label.sides):
            if not framed:
                assert strips[side] is None, f"{label}: unframed {side} must reach the edge"
                continue
            outside, inside = strips[side]
            gap = np.linalg.norm(outside.mean(axis=0) - inside.mean(axis=0))
            frame_vs_edge = np.abs(outside - inside).sum(axis=1).mean()
            assert gap > 10 or frame_vs_edge > MIN_CONTRAST / 2, f"{label}: {side} frame invisible"


def test_frame_mask_never_enters_the_content_box() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        width, height = int(rng.integers(150, 800)), int(rng.integers(150, 800))
        from framedetect_synth.frames import sample_frame

        spec = sample_frame(rng, width, height)
        mask = frame_mask(spec, width, height)
        x0, y0, x1, y1 = spec.content_box(width, height)
        assert not mask[y0:y1, x0:x1].any()
        assert mask.any()


def test_inset_frame_has_a_margin_outside_it() -> None:
    spec = FrameSpec("inset", (True, True, True, True), (10, 10, 10, 10), (4, 4, 4, 4))
    mask = frame_mask(spec, 100, 80)
    assert not mask[:10].any() and not mask[:, :10].any()
    assert mask[10, 10:90].all() and mask[10:70, 10].all()
    assert spec.content_box(100, 80) == (14, 14, 86, 66)


def test_flips_swap_side_labels_with_the_pixels() -> None:
    images = np.zeros((64, 8, 8, 3), np.uint8)
    images[:, :, 0] = 255  # a left-side band in every image
    sides = np.tile(np.array([0, 0, 0, 1], np.float32), (64, 1))
    flipped, flipped_sides = random_flips(images, sides, np.random.default_rng(0))
    for image, side in zip(flipped, flipped_sides):
        band_on_left = image[:, 0].all()
        assert side.tolist() == ([0, 0, 0, 1] if band_on_left else [0, 1, 0, 0])
    assert 10 < int(flipped_sides[:, 1].sum()) < 54


def test_label_flip_matches_array_flip() -> None:
    label = ThumbnailLabel(True, (True, False, False, True), (10, 20, 90, 80), (100, 100), "band")
    flipped = label.flipped(horizontal=True, vertical=True)
    assert flipped.sides == (False, True, True, False)
    assert flipped.content_box == (10, 20, 90, 80)
    assert label.flipped(horizontal=True, vertical=False).content_box == (10, 20, 90, 80)
    assert ThumbnailLabel(True, (False,) * 3 + (True,), (30, 0, 100, 50), (100, 50), "b").flipped(
        True, False
    ).content_box == (0, 0, 70, 50)


def test_encodings_are_jpeg_at_varied_quality_and_png() -> None:
    extensions = Counter(make_sample(9, i).extension for i in range(60))
    assert extensions["jpg"] > 30 and extensions["png"] > 3
    for i in range(5):
        sample = make_sample(9, i)
        assert load_image(sample.data).size == sample.label.size


def test_generator_imports_no_tensorflow() -> None:
    import subprocess

    code = (
        "import framedetect_synth, sys; framedetect_synth.make_sample(1, 0); "
        "print('tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@needs_real_products
def test_real_photos_are_composed_but_never_the_held_out_third() -> None:
    library = PhotoLibrary(REAL_PRODUCTS)
    assert 60 < len(library) < 141
    assert not any(is_held_out(name) for name in library.names)
    kinds = Counter(make_sample(8, i, REAL_PRODUCTS).label.kind for i in range(80))
    assert kinds["photo"] > 0


@pytest.mark.parametrize("count", [0, 1])
def test_tiny_folders(tmp_path: Path, count: int) -> None:
    labels = write_folder(tmp_path, seed=1, count=count)
    assert len(read_labels(labels)) == count


def test_arrays_at_several_sizes_draw_each_sample_once_and_match_one_size_at_a_time() -> None:
    both = make_arrays_at(12, 10, (64, 96), workers=1, chunk=4)
    for size in (64, 96):
        alone = make_arrays(12, 10, workers=1, chunk=4, size=size)
        assert both[size].images.shape == (10, size, size, 3)
        assert np.array_equal(both[size].images, alone.images)
        assert both[size].kinds == alone.kinds
        assert np.array_equal(both[size].insets, alone.insets)
