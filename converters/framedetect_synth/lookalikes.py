"""Unframed look-alikes: what has a frame's straight edges or margins and is no frame.

A picture frame or mirror sold as the product, a fridge or TV filling the image, several
products side by side, and padding in the background's own colour. Each recipe returns
the RGB picture and its label (no framed side, the whole image as content).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .labels import ThumbnailLabel, sided_label
from .photos import PhotoLibrary
from .products import organic_product, rectangular_product
from .studio import product_on
from .textures import TEXTURES, Rng, random_colour

NO_SIDES = (False, False, False, False)


def framed_product(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A picture frame or mirror sold as the product: centred, background all around it."""
    background = (
        np.full((height, width, 3), 255, np.uint8)
        if rng.random() < 0.6
        else TEXTURES["solid"](rng, height, width) // 2 + 120
    )
    image = Image.fromarray(background)
    fill = rng.uniform(0.45, 0.85)
    fw, fh = int(width * fill * rng.uniform(0.7, 1.0)), int(height * fill * rng.uniform(0.7, 1.0))
    x, y = (
        (width - fw) // 2 + int(rng.integers(-5, 6)),
        (height - fh) // 2 + int(rng.integers(-5, 6)),
    )
    moulding = max(int(min(fw, fh) * rng.uniform(0.06, 0.16)), 3)
    wood = TEXTURES[str(rng.choice(["gradient", "noise", "pattern", "solid"]))](rng, fh, fw)
    frame = Image.fromarray(wood)
    if rng.random() < 0.5:  # a mirror: a pale reflective pane
        pane = TEXTURES["gradient"](rng, fh - 2 * moulding, fw - 2 * moulding) // 3 + 160
    else:  # a picture frame: a photo in it
        pane = TEXTURES["photo"](rng, fh - 2 * moulding, fw - 2 * moulding)
    frame.paste(Image.fromarray(pane), (moulding, moulding))
    shadow = Image.new("L", (width, height), 0)
    ImageDraw.Draw(shadow).rectangle((x + 6, y + 8, x + fw + 6, y + fh + 8), fill=90)
    shadow = shadow.filter(ImageFilter.GaussianBlur(6))
    image.paste((60, 60, 60), (0, 0), shadow)
    image.paste(frame, (x, y))
    return image, sided_label("frame-as-product", NO_SIDES, (0, 0, width, height), (width, height))


def filling_appliance(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A fridge, TV or carton filling the whole image (or all but a sliver)."""
    sprite, name = rectangular_product(rng, width, height)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    image.alpha_composite(sprite.resize((width, height)))
    return image.convert("RGB"), sided_label(
        f"fill-{name}", NO_SIDES, (0, 0, width, height), (width, height)
    )


def several_products(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """Two to four products side by side on white."""
    count = int(rng.integers(2, 5))
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    cell = width // count
    for index in range(count):
        sprite = (
            photos.pick(rng)
            if len(photos) and rng.random() < 0.5
            else organic_product(rng, int(rng.integers(60, 240)), int(rng.integers(60, 240)))
        )
        scale = rng.uniform(0.6, 0.95) * min(cell / sprite.width, height / sprite.height)
        sprite = sprite.resize(
            (max(int(sprite.width * scale), 4), max(int(sprite.height * scale), 4))
        )
        x = index * cell + (cell - sprite.width) // 2
        y = int(rng.uniform(0, max(height - sprite.height, 0) + 1))
        image.alpha_composite(sprite, (max(x, 0), min(y, max(height - sprite.height, 0))))
    return image.convert("RGB"), sided_label(
        "several-products", NO_SIDES, (0, 0, width, height), (width, height)
    )


def padded_product(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A product photo padded to the thumbnail's shape in its own background colour."""
    colour = np.full(3, 255, np.uint8) if rng.random() < 0.6 else random_colour(rng, light=True)
    background = np.empty((height, width, 3), np.uint8)
    background[:] = colour
    image = product_on(rng, width, height, photos, background)
    return image, sided_label("padded-product", NO_SIDES, (0, 0, width, height), (width, height))
