"""Frame family "strips": text strips and banners on one side, header and footer promo
strips, and letterbox bars (the picture between two bars).

Each recipe returns the RGB picture and its exact label (framed sides, content box).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .labels import ThumbnailLabel, sided_label
from .photos import PhotoLibrary
from .studio import product_on
from .textures import TEXTURES, Rng, contrasting_colour

PROMO_WORDS = (
    "SALE", "-30%", "-50%", "NEW", "HOT", "FREE SHIPPING", "BEST PRICE", "TOP SELLER",
    "$19.99", "$249", "€39,90", "£12.50", "ONLY TODAY", "2 FOR 1", "MegaStore", "ShopRite",
    "BestDeals", "Official Store", "QUALITY", "LIMITED",
)  # fmt: skip


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(size, 8))


def promo_text(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: Rng, fill: tuple[int, ...]
) -> None:
    """Write one or two promo words centred in ``box``, as large as fits."""
    x0, y0, x1, y1 = box
    words = " ".join(
        str(w) for w in rng.choice(PROMO_WORDS, int(rng.integers(1, 3)), replace=False)
    )
    size = max(int((y1 - y0) * rng.uniform(0.45, 0.75)), 8)
    font = _font(size)
    while size > 8 and draw.textlength(words, font=font) > (x1 - x0) * 0.92:
        size = int(size * 0.85)
        font = _font(size)
    width = draw.textlength(words, font=font)
    draw.text(((x0 + x1 - width) / 2, (y0 + y1 - size) / 2), words, fill=fill, font=font)


def text_strip(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A strip on one side with promo text: horizontal at top/bottom, a banner at left/right."""
    side = int(rng.integers(4))
    vertical = side in (1, 3)
    depth = int((width if vertical else height) * rng.uniform(0.1, 0.22))
    box = [0, 0, width, height]
    box[(1, 2, 3, 0)[side]] = (depth, width - depth, height - depth, depth)[side]
    x0, y0, x1, y1 = box
    image = Image.new("RGB", (width, height))
    image.paste(product_on(rng, x1 - x0, y1 - y0, photos), (x0, y0))
    band_colour = contrasting_colour(rng)
    band = (
        (0, 0, width, depth),
        (width - depth, 0, width, height),
        (0, height - depth, width, height),
        (0, 0, depth, height),
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle(band[side], fill=band_colour)
    text_colour = (255, 255, 255) if sum(band_colour) < 380 else (20, 20, 20)
    bx0, by0, bx1, by1 = band[side]
    if vertical:  # write along the banner, then turn it
        strip = Image.new("RGB", (by1 - by0, bx1 - bx0), band_colour)
        promo_text(ImageDraw.Draw(strip), (0, 0, strip.width, strip.height), rng, text_colour)
        image.paste(strip.rotate(90 if side == 3 else -90, expand=True), (bx0, by0))
    else:
        promo_text(draw, band[side], rng, text_colour)
    sides = tuple(i == side for i in range(4))
    return image, sided_label("strip-text", sides, (x0, y0, x1, y1), (width, height))  # type: ignore[arg-type]


def promo_strips(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A header and/or a footer promo strip with text."""
    top = rng.random() < 0.8
    bottom = not top or rng.random() < 0.6
    depth_top = int(height * rng.uniform(0.1, 0.2)) if top else 0
    depth_bottom = int(height * rng.uniform(0.1, 0.2)) if bottom else 0
    image = Image.new("RGB", (width, height))
    image.paste(product_on(rng, width, height - depth_top - depth_bottom, photos), (0, depth_top))
    draw = ImageDraw.Draw(image)
    for on, band in (
        (top, (0, 0, width, depth_top)),
        (bottom, (0, height - depth_bottom, width, height)),
    ):
        if on:
            colour = contrasting_colour(rng)
            draw.rectangle(band, fill=colour)
            promo_text(draw, band, rng, (255, 255, 255) if sum(colour) < 380 else (20, 20, 20))
    box = (0, depth_top, width, height - depth_bottom)
    return image, sided_label("promo-strips", (top, False, bottom, False), box, (width, height))


def letterbox(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """Black or coloured bars above and below (or left and right of) a full-bleed picture."""
    horizontal = rng.random() < 0.6
    bar = int((height if horizontal else width) * rng.uniform(0.08, 0.22))
    colour = (0, 0, 0) if rng.random() < 0.6 else contrasting_colour(rng)
    image = Image.new("RGB", (width, height), colour)
    box = (0, bar, width, height - bar) if horizontal else (bar, 0, width - bar, height)
    inner = (box[2] - box[0], box[3] - box[1])
    if len(photos) and rng.random() < 0.5:
        picture = photos.crop(rng, *inner)
        picture_image = Image.fromarray(picture) if isinstance(picture, np.ndarray) else picture
    else:
        picture_image = Image.fromarray(TEXTURES["photo"](rng, inner[1], inner[0]))
    image.paste(picture_image.convert("RGB").resize(inner), box[:2])
    sides = (True, False, True, False) if horizontal else (False, True, False, True)
    return image, sided_label("letterbox", sides, box, (width, height))
