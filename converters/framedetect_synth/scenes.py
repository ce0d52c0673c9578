"""Content source "rooms": lifestyle room scenes, and products zoomed until the image edge
cuts them.

A room photo has much of what a frame has: long straight edges parallel to the border
(a floor line, a table top, a window, a curtain, a cupboard) and plain areas along the
edges (a wall, a dark floor, a shadowed corner). What it lacks is a band that nothing
crosses: furniture stands on the floor line, products sit on the table and run over
its edge, and light falls across all of it. :func:`room_scene` draws such rooms; they
are shown bare (unframed) and, so that a room never means "no frame", inside a
seller's frame as well.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .photos import PhotoLibrary
from .products import organic_product, paste_clipped, rectangular_product
from .textures import TEXTURES, Rng, random_colour


def _blur(pixels: np.ndarray, radius: float) -> np.ndarray:
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(radius))).astype(np.float32)


def _wall(rng: Rng, width: int, height: int) -> np.ndarray:
    """A plain wall: a pale, mid or dark paint, lit unevenly, sometimes panelled."""
    tone = rng.choice(["light", "any", "dark"], p=[0.55, 0.25, 0.2])
    colour = random_colour(rng, light={"light": True, "any": None, "dark": False}[str(tone)])
    wall = np.empty((height, width, 3), np.float32)
    wall[:] = colour
    if rng.random() < 0.5:  # light falling off across the wall
        wall *= 1 + (TEXTURES["gradient"](rng, height, width)[..., :1] / 255 - 0.5) * 0.5
    if rng.random() < 0.3:  # vertical panelling or a wall corner
        for x in rng.integers(0, width, int(rng.integers(1, 4))):
            shade = rng.uniform(0.8, 1.1)
            if rng.random() < 0.5:
                wall[:, x:] *= shade
            else:
                wall[:, x : x + max(width // 150, 1)] *= 0.75
    return wall + rng.normal(0, 2.5, wall.shape).astype(np.float32)


def _surface(rng: Rng, width: int, height: int) -> np.ndarray:
    """What things stand on: wooden planks, a rug, tiles, or a dark bed or desk top."""
    kind = rng.choice(["wood", "rug", "tiles", "dark"], p=[0.4, 0.25, 0.15, 0.2])
    if kind == "wood":
        base = np.array([rng.uniform(90, 215), rng.uniform(60, 160), rng.uniform(30, 110)])
        plank = int(rng.integers(5, 40))
        index = np.arange(width) // plank  # planks run away from the camera, across the floor line
        shades = rng.uniform(0.82, 1.12, int(index.max()) + 1)[index][None, :]
        grain = _blur(rng.normal(128, 40, (height, width, 1)).repeat(3, -1), 1.5) / 128
        return base * shades[..., None] * (0.9 + 0.1 * grain)
    if kind == "rug":
        return TEXTURES["noise"](rng, height, width).astype(np.float32)
    if kind == "tiles":
        return TEXTURES["pattern"](rng, height, width).astype(np.float32) * 0.6 + 70
    return TEXTURES["noise"](rng, height, width).astype(np.float32) * 0.35


def _window(rng: Rng, wall: np.ndarray, horizon: int) -> None:
    """A bright window, maybe reaching the top or a side, maybe with curtains beside it."""
    height, width = wall.shape[:2]
    w = int(width * rng.uniform(0.15, 0.45))
    h = int(max(horizon, 2) * rng.uniform(0.3, 0.9))
    x = int(rng.uniform(-0.2 * w, width - 0.8 * w))
    y = 0 if rng.random() < 0.4 else int(rng.uniform(0, max(horizon - h, 1)))
    x0, x1, y1 = max(x, 0), min(x + w, width), min(y + h, height)
    wall[y:y1, x0:x1] = _blur(TEXTURES["gradient"](rng, y1 - y, x1 - x0) // 4 + 190, 2)
    bar = max(w // 40, 1)
    wall[y:y1, x0 + (x1 - x0) // 2 : x0 + (x1 - x0) // 2 + bar] *= 0.7
    if rng.random() < 0.6:  # a curtain, hung from the top, down one side of the window
        cw = int(w * rng.uniform(0.2, 0.45))
        cx = x0 - cw // 2 if rng.random() < 0.5 else x1 - cw // 2
        cx0, cx1 = max(cx, 0), min(cx + cw, width)
        if cx1 > cx0:
            folds = np.sin(np.arange(cx1 - cx0) / max(cw / rng.uniform(3, 8), 1) * np.pi)
            colour = random_colour(rng, light=bool(rng.random() < 0.6)).astype(np.float32)
            bottom = min(int(horizon * rng.uniform(0.9, 1.3)), height)
            wall[:bottom, cx0:cx1] = colour * (0.85 + 0.15 * folds)[None, :, None]


def _furniture(rng: Rng, canvas: np.ndarray, horizon: int) -> None:
    """A cupboard, bed head or desk standing on the floor line, often cut by an edge."""
    height, width = canvas.shape[:2]
    w = int(width * rng.uniform(0.25, 0.8))
    top = int(rng.uniform(-0.3, 0.6) * horizon)
    bottom = min(int(horizon + rng.uniform(0.05, 0.6) * (height - horizon)), height)
    x = int(rng.uniform(-0.3 * w, width - 0.7 * w))
    x0, x1, y0 = max(x, 0), min(x + w, width), max(top, 0)
    if x1 - x0 < 4 or bottom - y0 < 4:
        return
    colour = random_colour(rng, light=bool(rng.random() < 0.6)).astype(np.float32)
    block = np.empty((bottom - y0, x1 - x0, 3), np.float32)
    block[:] = colour
    block *= np.linspace(rng.uniform(0.8, 1.1), rng.uniform(0.8, 1.1), x1 - x0)[None, :, None]
    line = max(min(width, height) // 150, 1)
    for _ in range(int(rng.integers(0, 4))):  # doors and drawers
        if rng.random() < 0.5:
            dx = int(rng.integers(0, x1 - x0))
            block[:, dx : dx + line] *= 0.7
        else:
            dy = int(rng.integers(0, bottom - y0))
            block[dy : dy + line] *= 0.7
    canvas[y0:bottom, x0:x1] = block


def _place_products(
    rng: Rng, canvas: Image.Image, horizon: int, photos: PhotoLibrary, count: int
) -> None:
    """Products standing on the surface, across its edge, some cut by the image border."""
    width, height = canvas.size
    for _ in range(count):
        if len(photos) and rng.random() < 0.5:
            sprite = photos.pick(rng, on_colour=True)
        elif rng.random() < 0.25:
            drawn = (int(rng.integers(60, 300)), int(rng.integers(60, 300)))
            sprite = rectangular_product(rng, *drawn)[0]
        else:
            sprite = organic_product(rng, int(rng.integers(60, 300)), int(rng.integers(60, 300)))
        scale = rng.uniform(0.25, 0.8) * min(width / sprite.width, height / sprite.height)
        size = (max(int(sprite.width * scale), 4), max(int(sprite.height * scale), 4))
        sprite = sprite.resize(size, Image.Resampling.BILINEAR)
        foot = int(horizon + rng.uniform(0.05, 1.0) * (height - horizon))
        x = int(rng.uniform(-0.25 * size[0], width - 0.75 * size[0]))
        y = foot - size[1]
        paste_clipped(canvas, sprite, x, y)


def _light(rng: Rng, pixels: np.ndarray) -> np.ndarray:
    """A vignette, sometimes a dim room with a pool of light, sometimes a coloured cast."""
    height, width = pixels.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
    r2 = ((xs - cx) / width) ** 2 + ((ys - cy) / height) ** 2
    light = 1 - rng.uniform(0, 0.9) * np.clip(r2 / 0.5, 0, 1)
    if rng.random() < 0.25:  # a dim room, one lamp
        light = light * rng.uniform(0.3, 0.6) + np.exp(-r2 / rng.uniform(0.01, 0.08)) * 0.7
    pixels = pixels * light[..., None]
    if rng.random() < 0.2:  # a coloured cast: neon, dusk, a warm bulb
        pixels = pixels * (0.55 + 0.45 * random_colour(rng).astype(np.float32) / 255) * 1.25
    return pixels


def room_scene(rng: Rng, width: int, height: int, photos: PhotoLibrary) -> np.ndarray:
    """A lifestyle shot: wall, floor or table, maybe a window and furniture, products, light."""
    horizon = int(height * rng.uniform(0.35, 0.92))
    canvas = _wall(rng, width, height)
    slope = rng.uniform(-0.08, 0.08) if rng.random() < 0.4 else 0.0
    ys, xs = np.mgrid[0:height, 0:width]
    below = ys >= horizon + slope * (xs - width / 2)
    canvas[below] = _surface(rng, width, height)[below]
    if rng.random() < 0.45:
        _window(rng, canvas, horizon)
    for _ in range(int(rng.choice([0, 1, 1, 2]))):
        _furniture(rng, canvas, horizon)
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8)).convert("RGBA")
    _place_products(rng, image, horizon, photos, int(rng.choice([1, 1, 2, 3])))
    pixels = np.asarray(image.convert("RGB")).astype(np.float32)
    pixels = _blur(_light(rng, pixels), float(rng.uniform(0.3, 1.2)))
    pixels += rng.normal(0, rng.uniform(1, 5), pixels.shape).astype(np.float32)
    return np.clip(pixels, 0, 255).astype(np.uint8)


def cut_product(rng: Rng, width: int, height: int, photos: PhotoLibrary) -> np.ndarray:
    """One product so close that the image edges cut it, on white or a pale colour."""
    colour = (255, 255, 255) if rng.random() < 0.75 else tuple(random_colour(rng, light=True))
    canvas = Image.new("RGBA", (width, height), (*(int(c) for c in colour), 255))
    if len(photos) and rng.random() < 0.6:
        sprite = photos.pick(rng, on_colour=colour != (255, 255, 255))
    elif rng.random() < 0.3:
        sprite = rectangular_product(rng, int(rng.integers(80, 300)), int(rng.integers(80, 300)))[0]
    else:
        sprite = organic_product(rng, int(rng.integers(80, 300)), int(rng.integers(80, 300)))
    scale = rng.uniform(1.0, 1.7) * min(width / sprite.width, height / sprite.height)
    size = (max(int(sprite.width * scale), 4), max(int(sprite.height * scale), 4))
    sprite = sprite.resize(size, Image.Resampling.BILINEAR)
    slack_x, slack_y = width - size[0], height - size[1]
    x = int(rng.uniform(min(0, slack_x) - 0.15 * size[0], max(0, slack_x) + 0.15 * size[0]))
    y = int(rng.uniform(min(0, slack_y) - 0.15 * size[1], max(0, slack_y) + 0.15 * size[1]))
    paste_clipped(canvas, sprite, x, y)
    return np.asarray(canvas.convert("RGB"))
