"""Real product photos to compose into thumbnails, with a fixed held-out split.

The photos are read at run time from ``../shared/data/real-products`` (or the folder in
``FRAMEDETECT_REAL_PHOTOS``); nothing is copied into the repository. A third of them,
chosen by a hash of the file name, is never composed, so that evaluation on real
photos always has a part that training never saw.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .textures import Rng

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
_MAX_SIDE = 640


def default_photo_dir() -> Path | None:
    """The real-photo folder, if there is one: ``$FRAMEDETECT_REAL_PHOTOS`` or ``../shared``."""
    env = os.environ.get("FRAMEDETECT_REAL_PHOTOS")
    if env is not None:
        return Path(env) if env and Path(env).is_dir() else None
    candidate = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real-products"
    return candidate if candidate.is_dir() else None


def is_held_out(name: str) -> bool:
    """True for the third of the photos that generated data never uses."""
    return hashlib.sha256(name.encode()).digest()[0] % 3 == 0


class PhotoLibrary:
    """The composable (not held-out) real photos of one folder, loaded lazily and cached."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        files = (
            sorted(
                p.relative_to(folder).as_posix()
                for p in folder.rglob("*")
                if p.suffix.lower() in PHOTO_SUFFIXES
            )
            if folder is not None
            else []
        )
        self.names = [name for name in files if not is_held_out(name)]

    def __len__(self) -> int:
        return len(self.names)

    def pick(self, rng: Rng) -> Image.Image:
        """One photo as RGBA; white-background photos get a white-keyed soft alpha."""
        if self.folder is None or not self.names:
            raise ValueError("the photo library is empty: no real photos to pick from")
        return _load(str(self.folder / self.names[int(rng.integers(len(self.names)))]))

    def crop(self, rng: Rng, width: int, height: int) -> np.ndarray:
        """A random ``height`` x ``width`` RGB crop of a photo, for photo-textured bands."""
        photo = self.pick(rng).convert("RGB")
        scale = max(width / photo.width, height / photo.height) * rng.uniform(1.0, 2.0)
        photo = photo.resize(
            (max(int(photo.width * scale), width), max(int(photo.height * scale), height))
        )
        x = int(rng.integers(0, photo.width - width + 1))
        y = int(rng.integers(0, photo.height - height + 1))
        return np.asarray(photo.crop((x, y, x + width, y + height)))


@lru_cache(maxsize=256)
def _load(path: str) -> Image.Image:
    with Image.open(path) as opened:
        image = opened.convert("RGBA")
    image.thumbnail((_MAX_SIDE, _MAX_SIDE))
    rgba = np.asarray(image).copy()
    if rgba[..., 3].min() == 255:
        rgba[..., 3] = _background_alpha(rgba[..., :3])
    return Image.fromarray(rgba)


def _background_alpha(rgb: np.ndarray) -> np.ndarray:
    """Alpha 0 for the near-white background connected to the border, 255 elsewhere."""
    near_white = ((rgb.astype(np.int16) > 236).all(axis=-1) * 255).astype(np.uint8)
    border = np.concatenate([near_white[0], near_white[-1], near_white[:, 0], near_white[:, -1]])
    if border.mean() < 0.8 * 255:
        return np.full(rgb.shape[:2], 255, np.uint8)
    mask = Image.fromarray(near_white)
    height, width = near_white.shape
    step = max(min(width, height) // 16, 1)
    seeds = [(x, 0) for x in range(0, width, step)] + [
        (x, height - 1) for x in range(0, width, step)
    ]
    seeds += [(0, y) for y in range(0, height, step)] + [
        (width - 1, y) for y in range(0, height, step)
    ]
    for seed in seeds:
        if mask.getpixel(seed) == 255:
            ImageDraw.floodfill(mask, seed, 128)
    return np.where(np.asarray(mask) == 128, 0, 255).astype(np.uint8)
