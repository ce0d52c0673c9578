"""Compose one labelled thumbnail: a content scene, maybe a frame, then a lossy re-encode.

Half the thumbnails carry a frame. The unframed half is rich in hard negatives:
rectangular products filling most of the image, non-white studio backgrounds,
full-bleed photos and products cut by the image edge.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageOps

from .frames import FrameSpec, draw_frame, edge_colours, frame_mask, sample_frame
from .labels import ThumbnailLabel
from .photos import PhotoLibrary
from .pool_content import POOL_SHARE, PhotoPool, as_thumbnail, framed_by_family, plain_label
from .products import organic_product, paste_clipped, rectangular_product
from .recipes_v2 import GENERATOR_1_SHARE, pick_recipe
from .scenes import cut_product, room_scene
from .textures import TEXTURES, Rng, random_colour

GENERATORS = (1, 2, 3, 4, 5, 6)
SCENE_SHARE = 0.16  # generators 4 and 5: share of thumbnails drawn by _scene_thumbnail
ROOM_SHARE = 0.35  # of those: bare rooms; then 0.15 cut products, 0.5 framed rooms
POOL_GENERATOR_5_FRAMES = 0.3  # generator 6: framed pool photos in a generator-5 frame
WHITE = np.array([255, 255, 255], dtype=np.uint8)
MIN_CONTRAST = 60.0

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


def _choose(rng: Rng, weights: dict[str, float]) -> str:
    names = list(weights)
    p = np.asarray([weights[n] for n in names])
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def thumbnail_size(rng: Rng) -> tuple[int, int]:
    """Width and height: long side 150-800 px, a third square, the rest 0.6-1.67 aspect."""
    long_side = int(rng.integers(150, 801))
    if rng.random() < 0.35:
        return long_side, long_side
    aspect = float(np.exp(rng.uniform(np.log(0.6), np.log(1.67))))
    if aspect >= 1:
        return long_side, max(int(long_side / aspect), 100)
    return max(int(long_side * aspect), 100), long_side


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


def _frame_texture(
    rng: Rng, spec: FrameSpec, width: int, height: int, photos: PhotoLibrary
) -> tuple[np.ndarray, str]:
    if spec.style == "inset":
        name = "solid" if rng.random() < 0.65 else str(rng.choice(["pattern", "noise", "gradient"]))
    else:
        name = str(rng.choice(list(TEXTURES)))
    if name == "photo" and len(photos) and rng.random() < 0.6:
        return photos.crop(rng, width, height), name
    return TEXTURES[name](rng, height, width), name


def _ensure_contrast(
    texture: np.ndarray, mask: np.ndarray, against: list[np.ndarray]
) -> np.ndarray:
    """Make the frame stand out from what touches it: invert or darken it if it does not."""
    mean = texture[mask].reshape(-1, 3).mean(axis=0)
    distance = min(float(np.linalg.norm(mean - ref)) for ref in against)
    if distance >= MIN_CONTRAST:
        return texture
    inverted = 255 - texture
    mean = inverted[mask].reshape(-1, 3).mean(axis=0)
    if min(float(np.linalg.norm(mean - ref)) for ref in against) >= MIN_CONTRAST:
        return inverted
    return texture // 4


def compose(
    rng: Rng, photos: PhotoLibrary, generator: int = 1, pool: PhotoPool | None = None
) -> tuple[Image.Image, ThumbnailLabel]:
    """One thumbnail (RGB, before re-encoding) and its label.

    ``generator=2`` adds the recipes of :mod:`.recipes_v2`; generator 1 draws exactly
    what it always drew, so data sets made with it stay bit-identical. Generator 3 is
    generator 2 without one labelling fault: an unkeyed (opaque) photo pasted on a
    coloured canvas, which looks framed but was labelled unframed (see
    :class:`~.photos.PhotoLibrary`); the caller's library decides. Generator 4 draws
    :mod:`.scenes` (rooms, bare or framed, and products cut by the edge) in
    ``SCENE_SHARE`` of thumbnails and generator 3 otherwise. Generator 5 is generator 4
    with photo crops (textured bands, letterboxed pictures) cut from the product, not
    its white background (see :class:`~.photos.PhotoLibrary`); the library decides.
    Generator 6 draws ``POOL_SHARE`` of its thumbnails from the real-photo ``pool``
    (:func:`_pool_thumbnail`) and generator 5 otherwise; without a pool it is generator 5.
    """
    if generator not in GENERATORS:
        raise ValueError(f"generator {generator!r} does not exist; choose from {GENERATORS}")
    if generator >= 6 and pool is not None and rng.random() < POOL_SHARE:
        return _pool_thumbnail(rng, photos, pool)
    if generator >= 4 and rng.random() < SCENE_SHARE:
        return _scene_thumbnail(rng, photos)
    if generator >= 2 and rng.random() >= GENERATOR_1_SHARE:
        width, height = thumbnail_size(rng)
        return pick_recipe(rng, framed=bool(rng.random() < 0.5))(rng, width, height, photos)
    width, height = thumbnail_size(rng)
    if rng.random() >= 0.5:
        kind = _choose(rng, UNFRAMED_KINDS)
        content, kind = content_scene(rng, kind, width, height, photos, framed=False)
        return Image.fromarray(content), _unframed(kind, width, height)

    def generator_1_content(width: int, height: int) -> np.ndarray:
        kind = _choose(rng, FRAMED_CONTENT)
        return content_scene(rng, kind, width, height, photos, framed=True)[0]

    return _framed(rng, width, height, photos, generator_1_content, "{style}-{texture}")


def _unframed(kind: str, width: int, height: int) -> ThumbnailLabel:
    return ThumbnailLabel(False, (False,) * 4, (0, 0, width, height), (width, height), kind)  # type: ignore[arg-type]


def _scene_thumbnail(rng: Rng, photos: PhotoLibrary) -> tuple[Image.Image, ThumbnailLabel]:
    """Generator 4's own draw: a bare room, a product cut by the edge, or a framed room."""
    width, height = thumbnail_size(rng)
    roll = rng.random()
    if roll < ROOM_SHARE:
        return Image.fromarray(room_scene(rng, width, height, photos)), _unframed(
            "room", width, height
        )
    if roll < 0.5:
        return Image.fromarray(cut_product(rng, width, height, photos)), _unframed(
            "cut-product", width, height
        )
    return _framed(
        rng, width, height, photos, lambda w, h: room_scene(rng, w, h, photos), "room-in-{style}"
    )


def _pool_thumbnail(
    rng: Rng, photos: PhotoLibrary, pool: PhotoPool
) -> tuple[Image.Image, ThumbnailLabel]:
    """Generator 6's own draw: a real photo untouched (half), or framed by a family of
    :mod:`.real_frames` or, in ``POOL_GENERATOR_5_FRAMES`` of framed ones, by a
    generator-5 frame around the photo cropped to fill."""
    drawn = pool.draw(rng)
    image = as_thumbnail(rng, drawn.image)
    if rng.random() < 0.5:
        return image, plain_label(drawn.photo, image.size)
    if rng.random() >= POOL_GENERATOR_5_FRAMES:
        return framed_by_family(rng, image, pool)

    def filled(width: int, height: int) -> np.ndarray:
        return np.asarray(ImageOps.fit(image, (width, height), Image.Resampling.BICUBIC))

    return _framed(rng, *image.size, photos, filled, "pool-in-{style}")


def _framed(
    rng: Rng,
    width: int,
    height: int,
    photos: PhotoLibrary,
    content_of: Callable[[int, int], np.ndarray],
    kind: str,
) -> tuple[Image.Image, ThumbnailLabel]:
    """A random band or inset frame around ``content_of(w, h)``, on white or a pale margin.

    ``kind`` is formatted with the frame's ``style`` and ``texture`` to name the sample.
    """
    spec = sample_frame(rng, width, height)
    x0, y0, x1, y1 = spec.content_box(width, height)
    content = content_of(x1 - x0, y1 - y0)
    outer = WHITE if rng.random() < 0.75 else random_colour(rng, light=True)
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = outer
    canvas[y0:y1, x0:x1] = content
    texture, texture_name = _frame_texture(rng, spec, width, height, photos)
    mask = frame_mask(spec, width, height)
    against = [edge_colours(content)] + (
        [outer.astype(np.float64)] if spec.style == "inset" else []
    )
    draw_frame(canvas, spec, _ensure_contrast(texture, mask, against), outer)
    name = kind.format(style=spec.style, texture=texture_name)
    label = ThumbnailLabel(True, spec.sides, (x0, y0, x1, y1), (width, height), name)
    return Image.fromarray(canvas), label


def encode(rng: Rng, image: Image.Image, jpeg_only: bool = False) -> tuple[bytes, str]:
    """Re-encode as a seller's upload would be: JPEG at quality 35-95 (80 %), else PNG."""
    buffer = io.BytesIO()
    if rng.random() < 0.8 or jpeg_only:
        quality = int(rng.integers(35, 96))
        image.save(buffer, "JPEG", quality=quality, subsampling=int(rng.choice([0, 2])))
        return buffer.getvalue(), "jpg"
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue(), "png"
