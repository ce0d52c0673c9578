"""A contact sheet: a grid of generated thumbnails with their labels drawn on, as one PNG."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from framedetect import load_image

from .dataset import make_sample
from .labels import SIDES

CELL = 200
CAPTION = 28


def contact_sheet(
    out: Path, seed: int, count: int = 48, columns: int = 8, photo_dir: Path | None = None
) -> Path:
    """Draw ``count`` samples of data set ``seed``; the content box is outlined in magenta."""
    rows = (count + columns - 1) // columns
    sheet = Image.new("RGB", (columns * CELL, rows * (CELL + CAPTION)), (90, 90, 90))
    draw = ImageDraw.Draw(sheet)
    for index in range(count):
        sample = make_sample(seed, index, photo_dir)
        image = load_image(sample.data)
        scale = (CELL - 8) / max(image.size)
        thumb = image.resize((max(int(image.width * scale), 1), max(int(image.height * scale), 1)))
        x, y = (index % columns) * CELL + 4, (index // columns) * (CELL + CAPTION) + 4
        sheet.paste(thumb, (x, y))
        label = sample.label
        if label.has_frame:
            x0, y0, x1, y1 = (v * scale for v in label.content_box)
            draw.rectangle((x + x0, y + y0, x + x1 - 1, y + y1 - 1), outline=(255, 0, 255))
        sides = "".join(s[0].upper() for s, on in zip(SIDES, label.sides) if on) or "-"
        caption = f"{'FRAME' if label.has_frame else 'none'} {sides} {label.kind}"
        draw.text((x, y + CELL - 4), caption, fill=(255, 255, 255))
        draw.text(
            (x, y + CELL + 8),
            f"{image.width}x{image.height} .{sample.extension}",
            fill=(200, 200, 200),
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    return out
