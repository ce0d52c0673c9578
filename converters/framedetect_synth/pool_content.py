"""Content source "real photos": the real-photo pool's ``train`` split.

:class:`PhotoPool` draws a photo (rectangular products weighted up: they are the
look-alikes of a frame), and :func:`as_thumbnail` turns it into a seller's upload: the
whole photo or a zoomed crop (the product cut by the edge, a full-bleed detail), scaled
to a thumbnail's size. Untouched, such a thumbnail is a negative; framed by
:func:`~.real_frames.frame_photo` or by a band or inset frame it is a positive. Photos are
read at run time from the pool folder, never copied.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from .labels import ThumbnailLabel
from .real_frames import FAMILIES, frame_photo
from .real_pool import PoolPhoto, read_pool
from .textures import Rng

POOL_SHARE = 0.5
"""Share of thumbnails drawn from the pool, when there is one."""
RECTANGULAR_WEIGHT = 3.0
"""How much likelier a rectangular product (mirror, door, TV, laptop...) is drawn."""
FAMILY_WEIGHTS = {
    family: 2.0 if family in ("outline-thin", "strip-one-side", "two-sides", "three-sides")
    else 3.0 if family == "band-photo" else 1.0
    for family in FAMILIES
}  # fmt: skip
"""Frame families over pool photos; the ones 5.0.0 missed most are drawn more (photo
bands most: the 10-epoch candidate still missed a fifth of them)."""
CROP_SHARE = 0.3
"""Share of pool thumbnails that are a crop (60-95 % of each side), not the whole photo."""


@dataclass(frozen=True)
class PoolDraw:
    """One photo drawn from the pool, decoded."""

    photo: PoolPhoto
    image: Image.Image


class PhotoPool:
    """The ``train`` split of the pool in ``folder``, drawn with rectangular products
    weighted up."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.photos = read_pool(folder, ("train",))
        if not self.photos:
            raise ValueError(f"the real-photo pool {folder} has no train photos")
        weights = np.asarray(
            [RECTANGULAR_WEIGHT if photo.rectangular else 1.0 for photo in self.photos]
        )
        self._p = weights / weights.sum()

    @property
    def names(self) -> list[str]:
        """The photos' file names, in manifest order (a data cache keys on them)."""
        return [photo.file for photo in self.photos]

    def draw(self, rng: Rng) -> PoolDraw:
        """A weighted random photo, as RGB."""
        photo = self.photos[int(rng.choice(len(self.photos), p=self._p))]
        with Image.open(photo.path) as opened:
            return PoolDraw(photo, opened.convert("RGB"))


def as_thumbnail(rng: Rng, image: Image.Image) -> Image.Image:
    """The photo, or a zoomed crop of it, scaled to a thumbnail size (long side 150-800)."""
    width, height = image.size
    if rng.random() < CROP_SHARE:
        crop_w = max(16, int(width * rng.uniform(0.6, 0.95)))
        crop_h = max(16, int(height * rng.uniform(0.6, 0.95)))
        x = int(rng.integers(0, width - crop_w + 1))
        y = int(rng.integers(0, height - crop_h + 1))
        image = image.crop((x, y, x + crop_w, y + crop_h))
        width, height = image.size
    long_side = max(width, height) * float(np.exp(rng.uniform(np.log(0.5), np.log(1.6))))
    scale = min(max(long_side, 150.0), 800.0) / max(width, height)
    size = (max(16, round(width * scale)), max(16, round(height * scale)))
    return image.resize(size, Image.Resampling.BICUBIC)


def plain_label(photo: PoolPhoto, size: tuple[int, int]) -> ThumbnailLabel:
    """An untouched pool photo: ``pool-rect-plain`` for a rectangular product."""
    kind = "pool-rect-plain" if photo.rectangular else "pool-plain"
    return ThumbnailLabel(False, (False,) * 4, (0, 0, *size), size, kind)


def framed_by_family(
    rng: Rng, image: Image.Image, pool: PhotoPool
) -> tuple[Image.Image, ThumbnailLabel]:
    """``image`` framed by a weighted random family of :data:`~.real_frames.FAMILIES`;
    photo bands are cut from another photo of the pool."""
    names = list(FAMILY_WEIGHTS)
    p = np.asarray([FAMILY_WEIGHTS[name] for name in names])
    family = names[int(rng.choice(len(names), p=p / p.sum()))]
    texture = pool.draw(rng).image if family == "band-photo" else image
    framed, label = frame_photo(rng, image, family, texture)
    return framed, replace(label, kind=f"pool-framed-{label.kind}")
