"""Compose one labelled thumbnail: pick its content source, then its frame family.

The generator follows the taxonomy (``docs/TAXONOMY.md``), content source x frame
family x layout. Content: real photos of the pool (:mod:`.pool_content`), lifestyle
rooms and products cut by the edge (:mod:`.scenes`), or studio shots
(:mod:`.studio`). Frames: bands and insets (:mod:`.frames`), the families drawn over
real photos (:mod:`.real_frames`), strips and styled frames (:mod:`.strips`,
:mod:`.styled_frames`), with unframed look-alikes (:mod:`.lookalikes`) among the
negatives. Half the thumbnails carry a frame; each is then re-encoded as an upload.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps

from .frames import framed
from .labels import ThumbnailLabel, unframed_label
from .photos import PhotoLibrary
from .pool_content import POOL_SHARE, PhotoPool, as_thumbnail, framed_by_family, plain_label
from .recipes import pick_recipe
from .scenes import cut_product, room_scene
from .studio import studio_thumbnail
from .textures import Rng

SCENE_SHARE = 0.16
"""Share of the thumbnails not from the pool that are rooms or cut products."""
ROOM_SHARE = 0.35  # of those: bare rooms; then 0.15 cut products, 0.5 framed rooms
BAND_INSET_SHARE = 0.6
"""Share of studio thumbnails drawn in a band or inset frame (or none); the rest by
:mod:`.recipes`."""
POOL_BAND_INSET_SHARE = 0.3
"""Share of framed pool photos in a band or inset frame; the rest by :mod:`.real_frames`."""


def thumbnail_size(rng: Rng) -> tuple[int, int]:
    """Width and height: long side 150-800 px, a third square, the rest 0.6-1.67 aspect."""
    long_side = int(rng.integers(150, 801))
    if rng.random() < 0.35:
        return long_side, long_side
    aspect = float(np.exp(rng.uniform(np.log(0.6), np.log(1.67))))
    if aspect >= 1:
        return long_side, max(int(long_side / aspect), 100)
    return max(int(long_side * aspect), 100), long_side


def compose(
    rng: Rng, photos: PhotoLibrary, pool: PhotoPool | None = None
) -> tuple[Image.Image, ThumbnailLabel]:
    """One thumbnail (RGB, before re-encoding) and its label.

    ``POOL_SHARE`` of thumbnails come from the real-photo ``pool`` (none without one),
    ``SCENE_SHARE`` of the rest are rooms or cut products, and the others are studio
    shots, in a band or inset frame (``BAND_INSET_SHARE``) or drawn by a recipe.
    """
    if pool is not None and rng.random() < POOL_SHARE:
        return _pool_thumbnail(rng, photos, pool)
    if rng.random() < SCENE_SHARE:
        return _scene_thumbnail(rng, photos)
    if rng.random() >= BAND_INSET_SHARE:
        width, height = thumbnail_size(rng)
        return pick_recipe(rng, framed=bool(rng.random() < 0.5))(rng, width, height, photos)
    return studio_thumbnail(rng, *thumbnail_size(rng), photos)


def _scene_thumbnail(rng: Rng, photos: PhotoLibrary) -> tuple[Image.Image, ThumbnailLabel]:
    """A bare room, a product cut by the edge, or a room inside a band or inset frame."""
    width, height = thumbnail_size(rng)
    roll = rng.random()
    if roll < ROOM_SHARE:
        return Image.fromarray(room_scene(rng, width, height, photos)), unframed_label(
            "room", width, height
        )
    if roll < 0.5:
        return Image.fromarray(cut_product(rng, width, height, photos)), unframed_label(
            "cut-product", width, height
        )
    return framed(
        rng, width, height, photos, lambda w, h: room_scene(rng, w, h, photos), "room-in-{style}"
    )


def _pool_thumbnail(
    rng: Rng, photos: PhotoLibrary, pool: PhotoPool
) -> tuple[Image.Image, ThumbnailLabel]:
    """A real photo untouched (half), or framed by a family of :mod:`.real_frames` or,
    in ``POOL_BAND_INSET_SHARE`` of framed ones, by a band or inset frame around the
    photo cropped to fill."""
    drawn = pool.draw(rng)
    image = as_thumbnail(rng, drawn.image)
    if rng.random() < 0.5:
        return image, plain_label(drawn.photo, image.size)
    if rng.random() >= POOL_BAND_INSET_SHARE:
        return framed_by_family(rng, image, pool)

    def filled(width: int, height: int) -> np.ndarray:
        return np.asarray(ImageOps.fit(image, (width, height), Image.Resampling.BICUBIC))

    return framed(rng, *image.size, photos, filled, "pool-in-{style}")


def encode(rng: Rng, image: Image.Image, jpeg_only: bool = False) -> tuple[bytes, str]:
    """Re-encode as a seller's upload would be: JPEG at quality 35-95 (80 %), else PNG."""
    buffer = io.BytesIO()
    if rng.random() < 0.8 or jpeg_only:
        quality = int(rng.integers(35, 96))
        image.save(buffer, "JPEG", quality=quality, subsampling=int(rng.choice([0, 2])))
        return buffer.getvalue(), "jpg"
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue(), "png"
