"""Generator 2: the frames sellers add that generator 1 lacked, and harder look-alikes.

Generator 2 keeps every generator-1 recipe (drawn 60 % of the time) and adds:

* framed: text strips and vertical banners on one side; header and footer promo strips
  with text (a price, "SALE", a shop name); coloured and black letterbox bars; double
  frames (a band plus an inner line); rounded, dashed and dotted inset lines; bands
  with a drop shadow cast on the content;
* unframed: a picture frame or mirror sold as the product, centred with background
  around it; a fridge or TV filling the whole image; several products side by side;
  white padding, or padding in the background colour (letterboxing that is no frame).

Each recipe returns the RGB picture and its exact label (framed sides, content box).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .labels import ThumbnailLabel
from .photos import PhotoLibrary
from .products import organic_product, rectangular_product
from .textures import TEXTURES, Rng, random_colour

Recipe = Callable[[Rng, int, int, PhotoLibrary], tuple[Image.Image, ThumbnailLabel]]
PROMO_WORDS = (
    "SALE", "-30%", "-50%", "NEW", "HOT", "FREE SHIPPING", "BEST PRICE", "TOP SELLER",
    "$19.99", "$249", "€39,90", "£12.50", "ONLY TODAY", "2 FOR 1", "MegaStore", "ShopRite",
    "BestDeals", "Official Store", "QUALITY", "LIMITED",
)  # fmt: skip
NO_SIDES = (False, False, False, False)


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


def _product_on(
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


def _contrasting(rng: Rng) -> tuple[int, int, int]:
    colour = random_colour(rng, light=False) if rng.random() < 0.7 else random_colour(rng)
    return (int(colour[0]), int(colour[1]), int(colour[2]))


def _label(
    kind: str,
    sides: tuple[bool, bool, bool, bool],
    box: tuple[int, int, int, int],
    size: tuple[int, int],
) -> ThumbnailLabel:
    return ThumbnailLabel(any(sides), sides, box, size, kind)


# -- framed --------------------------------------------------------------------------


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
    image.paste(_product_on(rng, x1 - x0, y1 - y0, photos), (x0, y0))
    band_colour = _contrasting(rng)
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
    return image, _label("strip-text", sides, (x0, y0, x1, y1), (width, height))  # type: ignore[arg-type]


def promo_strips(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A header and/or a footer promo strip with text."""
    top = rng.random() < 0.8
    bottom = not top or rng.random() < 0.6
    depth_top = int(height * rng.uniform(0.1, 0.2)) if top else 0
    depth_bottom = int(height * rng.uniform(0.1, 0.2)) if bottom else 0
    image = Image.new("RGB", (width, height))
    image.paste(_product_on(rng, width, height - depth_top - depth_bottom, photos), (0, depth_top))
    draw = ImageDraw.Draw(image)
    for on, band in (
        (top, (0, 0, width, depth_top)),
        (bottom, (0, height - depth_bottom, width, height)),
    ):
        if on:
            colour = _contrasting(rng)
            draw.rectangle(band, fill=colour)
            promo_text(draw, band, rng, (255, 255, 255) if sum(colour) < 380 else (20, 20, 20))
    box = (0, depth_top, width, height - depth_bottom)
    return image, _label("promo-strips", (top, False, bottom, False), box, (width, height))


def letterbox(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """Black or coloured bars above and below (or left and right of) a full-bleed picture."""
    horizontal = rng.random() < 0.6
    bar = int((height if horizontal else width) * rng.uniform(0.08, 0.22))
    colour = (0, 0, 0) if rng.random() < 0.6 else _contrasting(rng)
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
    return image, _label("letterbox", sides, box, (width, height))


def styled_inset(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """An inset line with a white margin outside: rounded, dashed or dotted; maybe doubled."""
    style = str(rng.choice(["rounded", "dashed", "dotted", "double"]))
    short = min(width, height)
    margin = int(short * rng.uniform(0.03, 0.09))
    line = max(int(short * rng.uniform(0.006, 0.03)), 1)
    colour = _contrasting(rng)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    inner = margin + line + (line + int(short * 0.015) if style == "double" else 0)
    box = (inner, inner, width - inner, height - inner)
    image.paste(_product_on(rng, box[2] - box[0], box[3] - box[1], photos), box[:2])
    draw = ImageDraw.Draw(image)
    outer = (margin, margin, width - margin - 1, height - margin - 1)
    if style == "rounded":
        draw.rounded_rectangle(
            outer, radius=int(short * rng.uniform(0.03, 0.12)), outline=colour, width=line
        )
    elif style == "double":
        draw.rectangle(outer, outline=colour, width=line)
        gap = line + int(short * 0.015)
        draw.rectangle(
            (outer[0] + gap, outer[1] + gap, outer[2] - gap, outer[3] - gap),
            outline=colour,
            width=max(line // 2, 1),
        )
    else:
        dash = max(line * (4 if style == "dashed" else 1), 2)
        step = dash * 2
        x0, y0, x1, y1 = outer
        for x in range(x0, x1, step):
            for y in (y0, y1 - line + 1):
                draw.rectangle((x, y, min(x + dash, x1), y + line - 1), fill=colour)
        for y in range(y0, y1, step):
            for x in (x0, x1 - line + 1):
                draw.rectangle((x, y, x + line - 1, min(y + dash, y1)), fill=colour)
    return image, _label(f"inset-{style}", (True, True, True, True), box, (width, height))


def shadowed_band(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A band frame on all sides, or a band plus an inner line, casting a soft shadow inward."""
    short = min(width, height)
    band = int(short * rng.uniform(0.04, 0.14))
    image = Image.new("RGB", (width, height))
    box = (band, band, width - band, height - band)
    inner = _product_on(rng, box[2] - box[0], box[3] - box[1], photos)
    shadow = np.zeros((inner.height, inner.width), np.float32)
    reach = max(int(short * rng.uniform(0.01, 0.04)), 2)
    shadow[:reach, :] = 1
    shadow[:, :reach] = 1
    blurred = np.asarray(
        Image.fromarray((shadow * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(reach))
    )
    darkened = np.asarray(inner).astype(np.float32) * (1 - 0.45 * blurred[..., None] / 255)
    image.paste(Image.fromarray(darkened.astype(np.uint8)), box[:2])
    texture = str(rng.choice(["solid", "gradient", "pattern", "noise"]))
    ring = np.ones((height, width), bool)
    ring[box[1] : box[3], box[0] : box[2]] = False
    pixels = np.asarray(image).copy()
    pixels[ring] = TEXTURES[texture](rng, height, width)[ring]
    image = Image.fromarray(pixels)
    kind = "band-shadow"
    if rng.random() < 0.4:  # a double frame: a thin line just inside the band
        kind = "band-double"
        line = max(int(short * 0.008), 1)
        gap = int(short * rng.uniform(0.01, 0.03))
        ImageDraw.Draw(image).rectangle(
            (band + gap, band + gap, width - band - gap - 1, height - band - gap - 1),
            outline=_contrasting(rng),
            width=line,
        )
        box = (
            band + gap + line,
            band + gap + line,
            width - band - gap - line,
            height - band - gap - line,
        )
    return image, _label(kind, (True, True, True, True), box, (width, height))


# -- unframed look-alikes ------------------------------------------------------------


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
    return image, _label("frame-as-product", NO_SIDES, (0, 0, width, height), (width, height))


def filling_appliance(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A fridge, TV or carton filling the whole image (or all but a sliver)."""
    sprite, name = rectangular_product(rng, width, height)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    image.alpha_composite(sprite.resize((width, height)))
    return image.convert("RGB"), _label(
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
    return image.convert("RGB"), _label(
        "several-products", NO_SIDES, (0, 0, width, height), (width, height)
    )


def padded_product(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A product photo padded to the thumbnail's shape in its own background colour."""
    colour = np.full(3, 255, np.uint8) if rng.random() < 0.6 else random_colour(rng, light=True)
    background = np.empty((height, width, 3), np.uint8)
    background[:] = colour
    image = _product_on(rng, width, height, photos, background)
    return image, _label("padded-product", NO_SIDES, (0, 0, width, height), (width, height))


FRAMED_RECIPES: dict[str, tuple[Recipe, float]] = {
    "strip-text": (text_strip, 0.25),
    "promo-strips": (promo_strips, 0.2),
    "letterbox": (letterbox, 0.15),
    "styled-inset": (styled_inset, 0.25),
    "shadowed-band": (shadowed_band, 0.15),
}
UNFRAMED_RECIPES: dict[str, tuple[Recipe, float]] = {
    "frame-as-product": (framed_product, 0.35),
    "filling-appliance": (filling_appliance, 0.25),
    "several-products": (several_products, 0.2),
    "padded-product": (padded_product, 0.2),
}
GENERATOR_1_SHARE = 0.6


def pick_recipe(rng: Rng, framed: bool) -> Recipe:
    """One generator-2 recipe, framed or not, by its weight."""
    table = FRAMED_RECIPES if framed else UNFRAMED_RECIPES
    names = list(table)
    weights = np.asarray([table[name][1] for name in names])
    return table[names[int(rng.choice(len(names), p=weights / weights.sum()))]][0]
