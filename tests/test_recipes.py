"""The studio and room recipes: every taxonomy kind appears, labels match pixels, photos keyed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framedetect import load_image
from framedetect_synth import make_sample
from framedetect_synth.dataset import Sample
from framedetect_synth.photos import MAX_WHITE_SHARE, PhotoLibrary, white_share
from framedetect_synth.recipes import FRAMED_RECIPES, UNFRAMED_RECIPES
from framedetect_synth.scenes import cut_product, room_scene
from framedetect_synth.strips import letterbox, text_strip
from framedetect_synth.taxonomy import FAMILIES, family

from .conftest import REAL_PRODUCTS, needs_real_products


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    return [make_sample(20261171, i) for i in range(500)]


def test_without_photos_every_procedural_kind_is_drawn_with_a_consistent_label(
    samples: list[Sample],
) -> None:
    kinds = Counter(family(s.label.kind) for s in samples)
    needs_photos = {"photo"} | {row[0] for row in FAMILIES if row[1] == "real photo"}
    assert set(kinds) == {row[0] for row in FAMILIES} - needs_photos
    assert 0.4 < sum(s.label.has_frame for s in samples) / len(samples) < 0.6
    assert 0.1 < sum(kinds[k] for k in ("room", "room-in-", "cut-product")) / len(samples) < 0.25
    for sample in samples:
        _assert_label_fits(sample)


def test_every_taxonomy_row_names_the_module_that_draws_it() -> None:
    import importlib

    for *_, modules, _ in FAMILIES:
        for module in modules.split(", "):
            importlib.import_module(f"framedetect_synth.{module}")  # raises if it does not exist


def _assert_label_fits(sample: Sample) -> None:
    """The box lies in the image, framed sides are where it leaves the edge, sizes agree."""
    label = sample.label
    width, height = label.size
    x0, y0, x1, y1 = label.content_box
    assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    assert label.has_frame == any(label.sides)
    top, right, bottom, left = label.sides
    assert (y0 > 0) == top and (x1 < width) == right, label
    assert (y1 < height) == bottom and (x0 > 0) == left, label
    assert load_image(sample.data).size == label.size


def test_photo_bands_are_cut_from_the_product_not_its_white_background(tmp_path: Path) -> None:
    for index in range(6):  # product shots: a coloured block on a white studio background
        pixels = np.full((240, 320, 3), 255, np.uint8)
        pixels[60:200, 40 + 20 * index : 200 + 20 * index] = (30 * index, 120, 200)
        Image.fromarray(pixels).save(tmp_path / f"shot{index}.png")
    library = PhotoLibrary(tmp_path)

    def white_shares(cut: str) -> np.ndarray:
        rng = np.random.default_rng(3)
        return np.asarray([white_share(getattr(library, cut)(rng, 90, 30)) for _ in range(60)])

    once, busy = white_shares("_crop_once"), white_shares("crop")
    assert once.mean() > 0.4 and (once > MAX_WHITE_SHARE).mean() > 0.8  # one random cut
    assert busy.mean() < once.mean() / 2 and (busy <= MAX_WHITE_SHARE).mean() > 0.5


def test_room_scenes_are_deterministic_and_varied() -> None:
    def room(seed: int) -> np.ndarray:
        return room_scene(np.random.default_rng(seed), 240, 180, PhotoLibrary(None))

    assert room(1).shape == (180, 240, 3) and room(1).dtype == np.uint8
    assert np.array_equal(room(1), room(1))
    means = np.asarray([room(seed).reshape(-1, 3).mean(axis=0) for seed in range(8)])
    assert np.ptp(means, axis=0).max() > 40  # eight rooms, not one repainted


def test_cut_products_run_off_the_image_edge() -> None:
    cut = 0
    for seed in range(20):
        pixels = cut_product(np.random.default_rng(seed), 200, 150, PhotoLibrary(None))
        border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
        background = pixels[0, 0] if (pixels[0, 0] == pixels[-1, -1]).all() else pixels[-1, 0]
        off = np.abs(border.astype(int) - background.astype(int)).sum(axis=1) > 60
        cut += bool(off.mean() > 0.05)
    assert cut >= 15


def test_letterbox_bars_are_uniform_and_outside_the_box() -> None:
    rng = np.random.default_rng(4)
    image, label = letterbox(rng, 300, 200, PhotoLibrary(None))
    pixels = np.asarray(image).astype(int)
    x0, y0, x1, y1 = label.content_box
    mask = np.ones(pixels.shape[:2], bool)
    mask[y0:y1, x0:x1] = False
    bars = pixels[mask]
    assert (bars == bars[0]).all()
    assert label.sides in ((True, False, True, False), (False, True, False, True))


def test_text_strips_carry_text_on_their_side() -> None:
    for seed in range(6):
        image, label = text_strip(np.random.default_rng(seed), 320, 240, PhotoLibrary(None))
        assert sum(label.sides) == 1
        pixels = np.asarray(image.convert("L")).astype(int)
        x0, y0, x1, y1 = label.content_box
        mask = np.ones(pixels.shape, bool)
        mask[y0:y1, x0:x1] = False
        strip = pixels[mask]
        assert strip.std() > 5  # text drawn on the flat band


def test_recipes_tables_are_weighted() -> None:
    for table in (FRAMED_RECIPES, UNFRAMED_RECIPES):
        assert all(weight > 0 for _, weight in table.values())


def test_the_background_key_makes_a_white_background_transparent() -> None:
    from framedetect_synth.photos import _background_alpha

    rgb = np.full((60, 80, 3), 255, np.uint8)
    rgb[20:40, 30:50] = (200, 30, 30)
    alpha = _background_alpha(rgb)
    assert alpha[0, 0] == alpha[-1, -1] == 0 and (alpha[:20] == 0).all()
    assert (alpha[20:40, 30:50] == 255).all()


@needs_real_products
def test_only_keyed_photos_go_on_colour() -> None:
    library = PhotoLibrary(REAL_PRODUCTS)
    rng = np.random.default_rng(5)
    assert len(library.names) // 2 < len(library.keyed_names()) <= len(library.names)
    for _ in range(30):
        alpha = np.asarray(library.pick(rng, on_colour=True))[..., 3]
        assert alpha.min() == 0 and alpha[0].mean() < 128, "the border should be keyed out"


@needs_real_products
def test_with_photos_labels_are_consistent_and_deterministic() -> None:
    for index in range(40):
        sample = make_sample(20261172, index, REAL_PRODUCTS)
        assert sample.data == make_sample(20261172, index, REAL_PRODUCTS).data
        _assert_label_fits(sample)
