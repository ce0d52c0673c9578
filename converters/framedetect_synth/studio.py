"""Content source "studio": products on white or a coloured studio background.

Products are real photos of the library (keyed out of their white backgrounds) or
procedural shapes; scenes are one or more products, a rectangular product filling most
of the image, a full-bleed scene, or a real photo fitted or cropped to fill. The
unframed half is rich in hard negatives: rectangular products, non-white backgrounds,
full-bleed photos and products cut by the image edge.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from .frames import framed
from .labels import ThumbnailLabel, unframed_label
from .photos import PhotoLibrary
from .products import organic_product, paste_clipped, rectangular_product
from .textures import TEXTURES, Rng, random_colour

# Unframed scene recipes and their weights; framed thumbnails draw from the same
# content recipes (minus the rectangular products) inside the frame.
UNFRAMED_KINDS = {
    "product": 0.30,
    "rect-product": 0.25,
    "colour-background": 0.15,
    "full-bleed": 0.15,
    "photo": 0.15,
}
FRAMED_CONTENT = {"product": 0.55, "colour-background": 0.15, "full-bleed": 0.1, "photo": 0.2}


def studio_thumbnail(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A studio scene, unframed (half) or inside a band or inset frame."""
    if rng.random() >= 0.5:
        kind = choose(rng, UNFRAMED_KINDS)
        content, kind = content_scene(rng, kind, width, height, photos, framed=False)
        return Image.fromarray(content), unframed_label(kind, width, height)

    def framed_content(width: int, height: int) -> np.ndarray:
        kind = choose(rng, FRAMED_CONTENT)
        return content_scene(rng, kind, width, height, photos, framed=True)[0]

    return framed(rng, width, height, photos, framed_content, "{style}-{texture}")


def choose(rng: Rng, weights: dict[str, float]) -> str:
    """A name of ``weights``, drawn by its weight."""
    names = list(weights)
    p = np.asarray([weights[n] for n in names])
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def _paste(canvas: Image.Image, sprite: Image.Image, rng: Rng, *, fill: float, bleed: bool) -> None:
    """Scale ``sprite`` to ``fill`` of the canvas's short side and alpha-paste it.

    With ``bleed`` the sprite may run past the canvas edge, as products cut by the
    image border do.
    """
    width, height = canvas.size
    scale = fill * min(width / sprite.width, height / sprite.height)
    size = (max(int(sprite.width * scale), 4), max(int(sprite.height * scale), 4))
    sprite = sprite.resize(size, Image.Resampling.BILINEAR)
    slack_x, slack_y = width - size[0], height - size[1]
    if bleed:
        x = int(rng.uniform(-0.3 * size[0], width - 0.7 * size[0]))
        y = int(rng.uniform(-0.3 * size[1], height - 0.7 * size[1]))
    else:
        x = int(rng.uniform(0, max(slack_x, 0))) if slack_x > 0 else slack_x // 2
        y = int(rng.uniform(0, max(slack_y, 0))) if slack_y > 0 else slack_y // 2
    paste_clipped(canvas, sprite, x, y)


def _product_sprite(rng: Rng, photos: PhotoLibrary, on_colour: bool) -> Image.Image:
    if len(photos) and rng.random() < 0.45:
        return photos.pick(rng, on_colour)
    width, height = int(rng.integers(60, 300)), int(rng.integers(60, 300))
    if rng.random() < 0.2:
        return rectangular_product(rng, width, height)[0]
    return organic_product(rng, width, height)


def _background(rng: Rng, kind: str, width: int, height: int) -> np.ndarray:
    if kind == "colour-background":
        if rng.random() < 0.7:
            return TEXTURES["solid"](rng, height, width)
        return TEXTURES["gradient"](rng, height, width)
    if rng.random() < 0.85:
        return np.full((height, width, 3), 255, np.uint8)
    return np.full((height, width, 3), random_colour(rng, light=True), np.uint8)


def content_scene(
    rng: Rng, kind: str, width: int, height: int, photos: PhotoLibrary, *, framed: bool
) -> tuple[np.ndarray, str]:
    """The picture inside the frame (or the whole thumbnail); returns RGB and a kind name."""
    if kind in ("full-bleed", "photo") and (kind == "full-bleed" or not len(photos)):
        return TEXTURES["photo"](rng, height, width), "full-bleed"
    if kind == "photo":
        photo = photos.pick(rng)
        canvas = Image.new("RGBA", (width, height), (255, 255, 255, 255))
        cover = rng.random() < 0.5
        scale = (max if cover else min)(width / photo.width, height / photo.height)
        resized = photo.resize(
            (max(int(photo.width * scale), 1), max(int(photo.height * scale), 1))
        )
        paste_clipped(canvas, resized, (width - resized.width) // 2, (height - resized.height) // 2)
        return np.asarray(canvas.convert("RGB")), "photo"
    background = _background(rng, kind, width, height)
    on_colour = bool((background != 255).any())
    canvas = Image.fromarray(background).convert("RGBA")
    if kind == "rect-product":
        fills = sorted(rng.uniform(0.6, 1.0, 2))
        sprite, name = rectangular_product(rng, int(width * fills[0]), int(height * fills[1]))
        if width > height:
            sprite = sprite.resize((int(width * fills[1]), int(height * fills[0])))
        x = int(rng.uniform(0, width - sprite.width + 1))
        y = int(rng.uniform(0, height - sprite.height + 1))
        canvas.alpha_composite(sprite, (x, y))
        return np.asarray(canvas.convert("RGB")), f"rect-{name}"
    count = 1 if rng.random() < 0.8 else int(rng.integers(2, 4))
    for _ in range(count):
        fill = rng.uniform(0.3, 0.95) / (1 if count == 1 else 1.6)
        bleed = not framed and rng.random() < 0.25
        _paste(canvas, _product_sprite(rng, photos, on_colour), rng, fill=fill, bleed=bleed)
    return np.asarray(canvas.convert("RGB")), kind


def product_on(
    rng: Rng, width: int, height: int, photos: PhotoLibrary, background: np.ndarray | None = None
) -> Image.Image:
    """A product centred on white (or ``background``), as the picture inside a frame."""
    fill = np.full((height, width, 3), 255, np.uint8) if background is None else background
    canvas = Image.fromarray(fill).convert("RGBA")
    if len(photos) and rng.random() < 0.5:
        sprite = photos.pick(rng, on_colour=bool((fill != 255).any()))
    else:
        sprite = organic_product(rng, int(rng.integers(60, 300)), int(rng.integers(60, 300)))
    scale = rng.uniform(0.5, 0.92) * min(width / sprite.width, height / sprite.height)
    sprite = sprite.resize((max(int(sprite.width * scale), 4), max(int(sprite.height * scale), 4)))
    x = int(rng.uniform(0, max(width - sprite.width, 0) + 1))
    y = int(rng.uniform(0, max(height - sprite.height, 0) + 1))
    canvas.alpha_composite(
        sprite, (min(x, max(width - sprite.width, 0)), min(y, max(height - sprite.height, 0)))
    )
    return canvas.convert("RGB")
