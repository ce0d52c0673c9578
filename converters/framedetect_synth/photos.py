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
MAX_WHITE_SHARE = 0.2
"""The most near-white background a photo crop may show."""
CROP_TRIES = 12
"""How many crops to cut before keeping the least white one."""


def default_photo_dir() -> Path | None:
    """The real-photo folder, if there is one: ``$FRAMEDETECT_REAL_PHOTOS`` or ``../shared``."""
    return shared_folder("FRAMEDETECT_REAL_PHOTOS", "real-products")


def shared_folder(variable: str, name: str) -> Path | None:
    """``$variable`` if set (empty: none), else ``../shared/data/NAME`` beside the checkout,
    when that folder exists."""
    env = os.environ.get(variable)
    if env is not None:
        return Path(env) if env and Path(env).is_dir() else None
    candidate = Path(__file__).resolve().parents[2].parent / "shared" / "data" / name
    return candidate if candidate.is_dir() else None


def is_held_out(name: str) -> bool:
    """True for the third of the photos that generated data never uses."""
    return hashlib.sha256(name.encode()).digest()[0] % 3 == 0


class PhotoLibrary:
    """The composable (not held-out) real photos of one folder, loaded lazily and cached.

    White backgrounds are keyed to transparency. A photo whose background could not be
    keyed out stays an opaque rectangle; pasted on a coloured canvas it would look
    exactly like a picture inside a frame, so ``pick(on_colour=True)`` gives keyed
    photos only.

    Product photos are mostly white background, so a band cut from one is often a
    white strip beside a picture on white: labelled framed, yet no frame anyone can
    see. Crops (photo-textured bands, the picture between letterbox bars) are
    therefore cut from the product instead.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._keyed: list[str] | None = None
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

    def pick(self, rng: Rng, on_colour: bool = False) -> Image.Image:
        """One photo as RGBA, its white background keyed to transparency.

        ``on_colour``: the photo goes on a non-white canvas; pick only among photos with
        a keyed (transparent) background.
        """
        if self.folder is None or not self.names:
            raise ValueError("the photo library is empty: no real photos to pick from")
        names = self.keyed_names() if on_colour else self.names
        return self._open(names[int(rng.integers(len(names)))])

    def keyed_names(self) -> list[str]:
        """The photos whose background was keyed out (all of them if none was)."""
        if self._keyed is None:
            keyed = [n for n in self.names if np.asarray(self._open(n))[..., 3].min() < 255]
            self._keyed = keyed or self.names
        return self._keyed

    def _open(self, name: str) -> Image.Image:
        assert self.folder is not None
        return _load(str(self.folder / name))

    def crop(self, rng: Rng, width: int, height: int) -> np.ndarray:
        """A random ``height`` x ``width`` RGB crop of a photo: a band texture or a picture.

        It cuts again (``CROP_TRIES`` at most, keeping the least white) while more than
        ``MAX_WHITE_SHARE`` of the crop is near-white background.
        """
        best = self._crop_once(rng, width, height)
        best_share = white_share(best)
        for _ in range(CROP_TRIES - 1):
            if best_share <= MAX_WHITE_SHARE:
                break
            crop = self._crop_once(rng, width, height)
            share = white_share(crop)
            if share < best_share:  # the first of equally white crops stays
                best, best_share = crop, share
        return best

    def _crop_once(self, rng: Rng, width: int, height: int) -> np.ndarray:
        photo = self.pick(rng).convert("RGB")
        scale = max(width / photo.width, height / photo.height) * rng.uniform(1.0, 2.0)
        photo = photo.resize(
            (max(int(photo.width * scale), width), max(int(photo.height * scale), height))
        )
        x = int(rng.integers(0, photo.width - width + 1))
        y = int(rng.integers(0, photo.height - height + 1))
        return np.asarray(photo.crop((x, y, x + width, y + height)))


def white_share(rgb: np.ndarray) -> float:
    """The share of near-white pixels, as in a studio background."""
    return float(_near_white(rgb).mean())


def _near_white(rgb: np.ndarray) -> np.ndarray:
    """True where every channel is above 236."""
    return np.asarray((rgb > 236).all(axis=-1))


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
    near_white = _near_white(rgb).astype(np.uint8) * 255
    border = np.concatenate([near_white[0], near_white[-1], near_white[:, 0], near_white[:, -1]])
    if border.mean() < 0.8 * 255:
        return np.full(rgb.shape[:2], 255, np.uint8)
    mask = Image.fromarray(near_white).copy()  # writable: the flood fill draws on it
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
