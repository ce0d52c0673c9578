"""Frame family "styled frames": inset lines with a white margin outside (rounded, dashed,
dotted, doubled) and bands on all sides casting a soft shadow on the picture.

Each recipe returns the RGB picture and its exact label (framed sides, content box).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .labels import ThumbnailLabel, sided_label
from .photos import PhotoLibrary
from .studio import product_on
from .textures import TEXTURES, Rng, contrasting_colour


def styled_inset(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """An inset line with a white margin outside: rounded, dashed or dotted; maybe doubled."""
    style = str(rng.choice(["rounded", "dashed", "dotted", "double"]))
    short = min(width, height)
    margin = int(short * rng.uniform(0.03, 0.09))
    line = max(int(short * rng.uniform(0.006, 0.03)), 1)
    colour = contrasting_colour(rng)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    inner = margin + line + (line + int(short * 0.015) if style == "double" else 0)
    box = (inner, inner, width - inner, height - inner)
    image.paste(product_on(rng, box[2] - box[0], box[3] - box[1], photos), box[:2])
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
    return image, sided_label(f"inset-{style}", (True, True, True, True), box, (width, height))


def shadowed_band(
    rng: Rng, width: int, height: int, photos: PhotoLibrary
) -> tuple[Image.Image, ThumbnailLabel]:
    """A band frame on all sides, or a band plus an inner line, casting a soft shadow inward."""
    short = min(width, height)
    band = int(short * rng.uniform(0.04, 0.14))
    image = Image.new("RGB", (width, height))
    box = (band, band, width - band, height - band)
    inner = product_on(rng, box[2] - box[0], box[3] - box[1], photos)
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
            outline=contrasting_colour(rng),
            width=line,
        )
        box = (
            band + gap + line,
            band + gap + line,
            width - band - gap - line,
            height - band - gap - line,
        )
    return image, sided_label(kind, (True, True, True, True), box, (width, height))
