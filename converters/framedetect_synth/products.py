"""Procedural products as RGBA sprites: rounded objects, and rectangular hard negatives.

Rectangular products (phones, monitors, fridges, books, boxes) have straight edges and
bezels that look like frames; the generator uses them, large, as unframed examples.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .textures import TEXTURES, Rng, random_colour


def _shade(rgb: np.ndarray, rng: Rng) -> np.ndarray:
    """Light a surface from a random direction, with a soft specular highlight."""
    height, width = rgb.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    t = (xs / max(width, 1) - 0.5) * np.cos(angle) + (ys / max(height, 1) - 0.5) * np.sin(angle)
    light = 1.0 + t * rng.uniform(0.3, 0.9)
    hx, hy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
    spread = rng.uniform(0.05, 0.25) * max(width, height)
    highlight = np.exp(-((xs - hx) ** 2 + (ys - hy) ** 2) / (2 * spread**2)) * rng.uniform(0, 90)
    out = rgb.astype(np.float32) * light[..., None] + highlight[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _surface(rng: Rng, width: int, height: int) -> np.ndarray:
    """A shaded product surface: mostly plain colour, sometimes textured."""
    kind = rng.choice(["solid", "solid", "gradient", "noise", "pattern"])
    return _shade(TEXTURES[kind](rng, height, width), rng)


def _blob_mask(rng: Rng, width: int, height: int) -> Image.Image:
    """A random rounded silhouette: an ellipse, a lumpy blob, a bottle or a shoe-like shape."""
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    style = rng.integers(0, 4)
    if style == 0:
        draw.ellipse((0, 0, width - 1, height - 1), fill=255)
    elif style == 1:
        count = 48
        angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
        radii = (
            1
            + np.convolve(np.tile(rng.normal(0, 0.25, count), 3), np.ones(7) / 7, mode="same")[
                count : 2 * count
            ]
        )
        radii = np.clip(radii, 0.55, 1.0)
        points = [
            (width / 2 + r * np.cos(a) * width / 2, height / 2 + r * np.sin(a) * height / 2)
            for a, r in zip(angles, radii)
        ]
        draw.polygon(points, fill=255)
    elif style == 2:
        neck = width * rng.uniform(0.25, 0.45)
        shoulder = height * rng.uniform(0.2, 0.4)
        draw.rounded_rectangle(
            (0, shoulder, width - 1, height - 1), radius=int(width * 0.2), fill=255
        )
        draw.rectangle(((width - neck) / 2, 0, (width + neck) / 2, shoulder + 2), fill=255)
    else:
        draw.ellipse((0, height * 0.35, width - 1, height - 1), fill=255)
        draw.ellipse((width * 0.45, 0, width - 1, height * 0.8), fill=255)
    return mask


def organic_product(rng: Rng, width: int, height: int) -> Image.Image:
    """A non-rectangular product: a shaded silhouette with optional label and soft edge."""
    width, height = max(width, 4), max(height, 4)
    rgb = _surface(rng, width, height)
    sprite = Image.fromarray(rgb).convert("RGBA")
    if rng.random() < 0.4:
        draw = ImageDraw.Draw(sprite)
        lw, lh = width * rng.uniform(0.3, 0.6), height * rng.uniform(0.15, 0.3)
        x0, y0 = (width - lw) / 2, height * rng.uniform(0.35, 0.6)
        draw.rectangle((x0, y0, x0 + lw, y0 + lh), fill=tuple(random_colour(rng, light=True)))
        draw.text((x0 + 2, y0 + 2), "BRAND", fill=tuple(random_colour(rng, light=False)))
    mask = _blob_mask(rng, width, height).filter(ImageFilter.GaussianBlur(0.7))
    sprite.putalpha(mask)
    return sprite


def _screen(rng: Rng, width: int, height: int) -> Image.Image:
    """Screen content: a wallpaper with a grid of app icons or a photo-like scene."""
    kind = rng.choice(["photo", "gradient", "noise"])
    screen = Image.fromarray(TEXTURES[str(kind)](rng, max(height, 1), max(width, 1)))
    if rng.random() < 0.5:
        draw = ImageDraw.Draw(screen)
        cell = max(width // 5, 4)
        for gy in range(cell // 2, height - cell, cell):
            for gx in range(cell // 4, width - cell // 2, cell):
                draw.rounded_rectangle(
                    (gx, gy, gx + cell * 0.6, gy + cell * 0.6),
                    radius=max(cell // 6, 1),
                    fill=tuple(random_colour(rng)),
                )
    return screen


def rectangular_product(rng: Rng, width: int, height: int) -> tuple[Image.Image, str]:
    """A rectangular product filling ``width`` x ``height``; returns the sprite and its name."""
    width, height = max(width, 8), max(height, 8)
    name = str(rng.choice(["phone", "monitor", "fridge", "book", "box", "tablet"]))
    sprite = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(sprite)
    short = min(width, height)
    if name in ("phone", "tablet", "monitor"):
        body = (*tuple(random_colour(rng, light=bool(rng.random() < 0.3))), 255)
        radius = int(short * (0.08 if name != "monitor" else 0.01))
        draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=radius, fill=body)
        bezel = max(int(short * rng.uniform(0.03, 0.1)), 2)
        chin = bezel * (3 if name == "phone" else 1)
        screen = _screen(rng, width - 2 * bezel, height - bezel - chin)
        sprite.paste(screen, (bezel, bezel))
    elif name == "fridge":
        body_rgb = _shade(TEXTURES["gradient"](rng, height, width) // 4 + 170, rng)
        sprite.paste(Image.fromarray(body_rgb), (0, 0))
        split = int(height * rng.uniform(0.3, 0.65))
        dark = (80, 80, 80, 255)
        draw.line((0, split, width, split), fill=dark, width=max(short // 60, 1))
        hx = int(width * rng.choice([0.08, 0.9]))
        draw.line((hx, split * 0.6, hx, split * 0.95), fill=dark, width=max(short // 30, 2))
        draw.line((hx, split * 1.1, hx, split * 1.4), fill=dark, width=max(short // 30, 2))
        sprite.putalpha(_rounded_alpha(width, height, int(short * 0.04)))
    else:
        cover = Image.fromarray(_surface(rng, width, height))
        sprite.paste(cover, (0, 0))
        for _ in range(int(rng.integers(1, 4))):
            y = rng.uniform(0.1, 0.8) * height
            draw.rectangle(
                (width * 0.1, y, width * rng.uniform(0.4, 0.9), y + height * 0.06),
                fill=tuple(random_colour(rng)),
            )
        draw.text((width * 0.12, height * 0.05), name.upper(), fill=tuple(random_colour(rng)))
        if name == "box" and rng.random() < 0.6:
            sprite = _in_perspective(rng, sprite)
    return sprite, name


def paste_clipped(canvas: Image.Image, sprite: Image.Image, x: int, y: int) -> None:
    """Alpha-composite ``sprite`` with its top-left corner at ``(x, y)``, which may lie off
    the canvas (negative): the part outside is cut away, as the image edge cuts a product."""
    canvas.alpha_composite(sprite, (max(x, 0), max(y, 0)), (max(-x, 0), max(-y, 0)))


def _rounded_alpha(width: int, height: int, radius: int) -> Image.Image:
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, width - 1, height - 1), radius=radius, fill=255)
    return mask


def _in_perspective(rng: Rng, sprite: Image.Image) -> Image.Image:
    """Cut a flat box face to a trapezoid, as a face seen at an angle."""
    width, height = sprite.size
    top_left, bottom_left, bottom_right, top_right = rng.uniform(0.0, 0.15, 4) * height
    mask = Image.new("L", sprite.size, 0)
    ImageDraw.Draw(mask).polygon(
        [
            (0, top_left),
            (0, height - bottom_left),
            (width, height - bottom_right),
            (width, top_right),
        ],
        fill=255,
    )
    out = Image.new("RGBA", sprite.size, (0, 0, 0, 0))
    out.paste(sprite, (0, 0), mask)
    return out
