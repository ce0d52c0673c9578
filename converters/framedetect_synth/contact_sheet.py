"""A contact sheet: a grid of generated thumbnails with their labels drawn on, as one PNG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from framedetect import load_image

from .dataset import Sample, make_sample
from .labels import SIDES

CELL = 200
CAPTION = 28


def contact_sheet(
    out: Path,
    seed: int,
    count: int = 48,
    columns: int = 8,
    photo_dir: Path | None = None,
    per_kind: int = 0,
    on_sample: Callable[[], None] = lambda: None,
    pool_dir: Path | None = None,
) -> Path:
    """Draw ``count`` samples of data set ``seed``; the content box is outlined in magenta.

    With ``per_kind``, draw that many samples of every kind instead, one kind per row.
    ``on_sample`` is called after each sample is generated (a progress bar).
    """
    if per_kind:
        samples = _by_kind(seed, photo_dir, per_kind, on_sample, pool_dir)
        columns = per_kind
    else:
        samples = []
        for index in range(count):
            samples.append(make_sample(seed, index, photo_dir, pool_dir=pool_dir))
            on_sample()
    rows = (len(samples) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * CELL, rows * (CELL + CAPTION)), (90, 90, 90))
    draw = ImageDraw.Draw(sheet)
    for index, sample in enumerate(samples):
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


def _by_kind(
    seed: int,
    photo_dir: Path | None,
    per_kind: int,
    on_sample: Callable[[], None],
    pool_dir: Path | None = None,
) -> list[Sample]:
    """``per_kind`` samples of each kind, kinds sorted by name.

    Stops once every kind seen has its samples and no new kind turned up for 1,000 draws.
    """
    found: dict[str, list[Sample]] = {}
    last_new = 0
    for index in range(20_000):
        sample = make_sample(seed, index, photo_dir, pool_dir=pool_dir)
        on_sample()
        if sample.label.kind not in found:
            last_new = index
        bucket = found.setdefault(sample.label.kind, [])
        if len(bucket) < per_kind:
            bucket.append(sample)
        if index - last_new > 1_000 and all(len(b) == per_kind for b in found.values()):
            break
    return [sample for kind in sorted(found) for sample in found[kind]]
