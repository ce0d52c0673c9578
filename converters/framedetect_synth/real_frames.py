"""Seller frames drawn on real photos: every frame family, around or over the picture.

:func:`frame_photo` takes one real product photo and returns it framed with one family
of ``FAMILIES``, at its own size, with the exact label (framed sides, content box).
"Around" shrinks the photo into the frame's inside; "over" paints the frame on top of a
full-bleed photo's edges, as sellers do with busy pictures. Used to make test sets of
real photos (``framedetect real-set``); the thin edge outlines are 1-6 px whatever the
photo's size, as the real-photo issue found them.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from .frames import edge_colours
from .labels import ThumbnailLabel
from .photos import CROP_TRIES, MAX_WHITE_SHARE, white_share
from .strips import promo_text
from .textures import TEXTURES, Rng, random_colour

Sides = tuple[bool, bool, bool, bool]
Box = tuple[int, int, int, int]
FAMILIES = (
    "band-solid",
    "band-pattern",
    "band-photo",
    "outline-thin",
    "inset-line",
    "inset-dashed",
    "inset-rounded",
    "strip-one-side",
    "two-sides",
    "three-sides",
    "promo-strips",
    "letterbox",
)
TEXT_BANDS = ("strip-one-side", "promo-strips", "letterbox")
"""Families whose bands are deep enough for text (8-20 % of the side; others 3-12 %)."""
ALL_SIDES: Sides = (True, True, True, True)


def frame_photo(
    rng: Rng, photo: Image.Image, family: str, texture: Image.Image
) -> tuple[Image.Image, ThumbnailLabel]:
    """``photo`` framed with ``family``; ``texture`` (another photo) fills photo bands."""
    if family not in FAMILIES:
        raise ValueError(f"unknown frame family {family!r}; expected one of {FAMILIES}")
    photo = photo.convert("RGB")
    width, height = photo.size
    sides = _sides(rng, family)
    depths = _depths(rng, family, width, height, sides)
    if family.startswith("inset"):
        return _inset(rng, photo, family, depths)
    box = (depths[3], depths[0], width - depths[1], height - depths[2])
    over = family not in ("letterbox",) and rng.random() < 0.4
    if over:
        canvas = photo.copy()
    else:
        canvas = Image.new("RGB", (width, height), (255, 255, 255))
        canvas.paste(photo.resize((box[2] - box[0], box[3] - box[1])), box[:2])
    fill = _fill(rng, family, width, height, texture, edge_colours(np.asarray(photo)))
    mask = Image.new("L", (width, height), 255)
    ImageDraw.Draw(mask).rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=0)
    canvas.paste(fill, (0, 0), mask)
    if family in ("strip-one-side", "promo-strips") or (family == "two-sides" and over):
        _write(rng, canvas, box, sides, fill)
    layout = "over" if over else "around"
    return canvas, ThumbnailLabel(True, sides, box, (width, height), f"{family}/{layout}")


def _sides(rng: Rng, family: str) -> Sides:
    if family in ("strip-one-side",):
        side = int(rng.integers(4))
        return (side == 0, side == 1, side == 2, side == 3)
    if family == "two-sides":  # adjacent: a corner
        corner = int(rng.integers(4))
        return (corner in (0, 3), corner in (0, 1), corner in (1, 2), corner in (2, 3))
    if family == "three-sides":
        open_side = int(rng.integers(4))
        return (open_side != 0, open_side != 1, open_side != 2, open_side != 3)
    if family in ("promo-strips", "letterbox"):
        return (True, False, True, False) if rng.random() < 0.75 else (False, True, False, True)
    return ALL_SIDES


def _depths(
    rng: Rng, family: str, width: int, height: int, sides: Sides
) -> tuple[int, int, int, int]:
    """How far the frame reaches in from each side, in pixels (0 where unframed)."""
    if family == "outline-thin":
        thickness = int(rng.integers(1, 7))
        return (thickness, thickness, thickness, thickness)
    if family.startswith("inset"):
        share = rng.uniform(0.02, 0.08)
        return tuple(max(3, int(share * min(width, height))) for _ in range(4))  # type: ignore[return-value]
    share = rng.uniform(0.08, 0.2) if family in TEXT_BANDS else rng.uniform(0.03, 0.12)
    across = (height, width, height, width)
    return tuple(max(2, int(share * across[i])) if on else 0 for i, on in enumerate(sides))  # type: ignore[return-value]


def _fill(
    rng: Rng,
    family: str,
    width: int,
    height: int,
    texture: Image.Image,
    edge: np.ndarray,
) -> Image.Image:
    """What the band is made of: a flat colour apart from the photo's edge, a pattern,
    or a crop of another photo."""
    if family == "band-pattern":
        return Image.fromarray(TEXTURES["pattern"](rng, height, width))
    if family == "band-photo":  # the least white of a few crops: a white band is no frame
        scale = max(width / texture.width, height / texture.height) * rng.uniform(1.2, 2.5)
        big = texture.convert("RGB").resize(
            (max(width, int(texture.width * scale)), max(height, int(texture.height * scale)))
        )
        best, best_share = big, 2.0
        for _ in range(CROP_TRIES):
            x = int(rng.integers(0, big.width - width + 1))
            y = int(rng.integers(0, big.height - height + 1))
            crop = big.crop((x, y, x + width, y + height))
            share = white_share(_ring(np.asarray(crop)))
            if share < best_share:
                best, best_share = crop, share
            if share <= MAX_WHITE_SHARE:
                break
        return best
    if family == "letterbox" and rng.random() < 0.6:
        return Image.new("RGB", (width, height), (0, 0, 0))
    return Image.new("RGB", (width, height), _contrasting(rng, edge))


def _ring(rgb: np.ndarray, share: float = 0.12) -> np.ndarray:
    """The pixels of the outer ``share`` of each side, where a band lies."""
    dy, dx = max(1, int(rgb.shape[0] * share)), max(1, int(rgb.shape[1] * share))
    parts = [rgb[:dy], rgb[-dy:], rgb[:, :dx], rgb[:, -dx:]]
    return np.concatenate([part.reshape(-1, 3) for part in parts])


def _contrasting(rng: Rng, edge: np.ndarray) -> tuple[int, int, int]:
    """A colour at least 80 (RGB distance) from ``edge``, the photo's border colour."""
    for _ in range(20):
        colour = random_colour(rng)
        if float(np.linalg.norm(colour.astype(float) - edge)) >= 80:
            break
    return (int(colour[0]), int(colour[1]), int(colour[2]))


def _inset(
    rng: Rng, photo: Image.Image, family: str, depths: tuple[int, int, int, int]
) -> tuple[Image.Image, ThumbnailLabel]:
    """A line inset from the edge with a white (or pale) margin outside it."""
    width, height = photo.size
    margin = depths[0]
    thickness = int(rng.integers(1, 5))
    inner = margin + thickness + int(rng.integers(0, 4))  # a little air inside the line
    box = (inner, inner, width - inner, height - inner)
    outer = (
        (255, 255, 255)
        if rng.random() < 0.8
        else tuple(int(c) for c in random_colour(rng, light=True))
    )
    canvas = Image.new("RGB", (width, height), outer)  # type: ignore[arg-type]
    canvas.paste(photo.resize((box[2] - box[0], box[3] - box[1])), box[:2])
    colour = _contrasting(rng, np.asarray(outer, dtype=np.float64))
    draw = ImageDraw.Draw(canvas)
    rect = (margin, margin, width - margin - 1, height - margin - 1)
    if family == "inset-rounded":
        radius = int(min(width, height) * rng.uniform(0.03, 0.08))
        draw.rounded_rectangle(rect, radius=radius, outline=colour, width=thickness)
    elif family == "inset-dashed":
        _dashed(draw, rect, colour, thickness, int(rng.integers(4, 14)))
    else:
        draw.rectangle(rect, outline=colour, width=thickness)
    label = ThumbnailLabel(True, ALL_SIDES, (margin, margin, width - margin, height - margin),
                           (width, height), f"{family}/around")  # fmt: skip
    return canvas, label


def _dashed(
    draw: ImageDraw.ImageDraw,
    rect: tuple[int, int, int, int],
    colour: tuple[int, int, int],
    thickness: int,
    dash: int,
) -> None:
    x0, y0, x1, y1 = rect
    for x in range(x0, x1, 2 * dash):
        draw.rectangle((x, y0, min(x + dash, x1), y0 + thickness - 1), fill=colour)
        draw.rectangle((x, y1 - thickness + 1, min(x + dash, x1), y1), fill=colour)
    for y in range(y0, y1, 2 * dash):
        draw.rectangle((x0, y, x0 + thickness - 1, min(y + dash, y1)), fill=colour)
        draw.rectangle((x1 - thickness + 1, y, x1, min(y + dash, y1)), fill=colour)


def _write(rng: Rng, canvas: Image.Image, box: Box, sides: Sides, fill: Image.Image) -> None:
    """Promo words on the widest framed band."""
    width, height = canvas.size
    bands = (
        (0, 0, width, box[1]),
        (box[2], 0, width, height),
        (0, box[3], width, height),
        (0, 0, box[0], height),
    )
    side = max((i for i in range(4) if sides[i]), key=lambda i: min(*_size(bands[i])))
    x0, y0, x1, y1 = bands[side]
    mean = np.asarray(fill.crop((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)))).mean()
    ink = (255, 255, 255) if mean < 128 else (20, 20, 20)
    vertical = side in (1, 3)
    strip_w, strip_h = (y1 - y0, x1 - x0) if vertical else (x1 - x0, y1 - y0)
    if strip_h < 8:
        return
    layer = Image.new("L", (strip_w, strip_h), 0)
    promo_text(ImageDraw.Draw(layer), (0, 0, strip_w, strip_h), rng, (255,))
    if vertical:
        layer = layer.rotate(90, expand=True)
    canvas.paste(Image.new("RGB", layer.size, ink), (x0, y0), layer)


def _size(box: Box) -> tuple[int, int]:
    return box[2] - box[0], box[3] - box[1]
