"""Full-resolution crop refinement: the cut snaps to the frame's real edge."""

from __future__ import annotations

import numpy as np
from PIL import Image

from framedetect._refine import refine_box

NONE = (False, False, False, False)
ALL = (True, True, True, True)


def _banded(top: int, right: int, bottom: int, left: int) -> Image.Image:
    """400x300 content (a grey ramp with a dark product) inside a red band."""
    pixels = np.zeros((300, 400, 3), np.uint8)
    pixels[:] = (200, 30, 30)
    ramp = np.linspace(235, 255, 400 - left - right).astype(np.uint8)
    pixels[top : 300 - bottom, left : 400 - right] = ramp[None, :, None]
    pixels[120:180, 150:250] = (40, 40, 40)
    return Image.fromarray(pixels)


def test_each_framed_side_snaps_to_the_band_edge() -> None:
    image = _banded(top=37, right=11, bottom=23, left=52)
    guess = (48, 41, 392, 274)  # a few pixels off, as a 128-pixel model is
    assert refine_box(image, guess, ALL) == (52, 37, 389, 277)


def test_unframed_sides_stay_and_a_flat_image_keeps_the_guess() -> None:
    image = _banded(top=37, right=11, bottom=23, left=52)
    assert refine_box(image, (48, 41, 392, 274), (True, False, False, False)) == (48, 37, 392, 274)
    flat = Image.new("RGB", (400, 300), (250, 250, 250))
    assert refine_box(flat, (10, 12, 390, 280), ALL) == (10, 12, 390, 280)
    assert refine_box(image, (48, 41, 392, 274), NONE) == (48, 41, 392, 274)


def test_an_inset_line_cuts_at_its_inner_edge() -> None:
    pixels = np.full((300, 300, 3), 255, np.uint8)
    pixels[20:280, 20:280] = (20, 120, 40)  # a 3-pixel green line, white margin outside
    pixels[23:277, 23:277] = 250
    box = refine_box(Image.fromarray(pixels), (21, 26, 280, 274), ALL)
    assert box == (23, 23, 277, 277)


def test_the_search_stays_near_the_guess() -> None:
    image = _banded(top=37, right=11, bottom=23, left=52)
    far = (0, 0, 400, 300)  # top and left edges are > 5 % of the size away
    assert refine_box(image, far, (True, False, False, True)) == far


def test_remove_frame_cuts_exactly_at_a_band_edge_the_model_only_roughly_finds() -> None:
    from framedetect import Detector

    pixels = np.full((480, 640, 3), (30, 60, 170), np.uint8)  # a blue band, 43 / 29 px deep
    pixels[43:451, 29:611] = 255
    pixels[150:330, 220:420] = (210, 140, 40)  # the product
    image = Image.fromarray(pixels)
    detector = Detector(provider="cpu")
    rough = detector.crop_box(image, refine=False)
    reach = (0.05 * 640, 0.05 * 480) * 2  # how far refinement looks: x0, y0, x1, y1
    assert all(abs(a - b) <= r for a, b, r in zip(rough, (29, 43, 611, 451), reach))
    assert detector.crop_box(image) == (29, 43, 611, 451)
    assert detector.remove_frame(image).size == (582, 408)
    assert detector.remove_frame(image, refine=False).size == (
        rough[2] - rough[0],
        rough[3] - rough[1],
    )
