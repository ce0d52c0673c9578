"""A labelled test set of real photos: each held-out photo plain, and once framed.

Every photo of the chosen splits of the real-photo pool appears twice: untouched (its
own bytes; ``rect-plain`` when the product is a rectangle, else ``plain``), and framed
by :func:`~.real_frames.frame_photo` with the next family in turn, its photo bands cut
from another photo of the same set. The labels add a ``source`` column, so that
``framedetect eval`` reports each source apart. The same seed gives the same set.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from PIL import Image

from .labels import CSV_COLUMNS, ThumbnailLabel
from .real_frames import FAMILIES, frame_photo
from .real_pool import PoolPhoto

COLUMNS = (*CSV_COLUMNS, "source")
REAL_SET_SEED = 20261201
"""The seed of the frames in the sets the shipped models are measured on."""


def write_real_set(out: Path, photos: list[PoolPhoto], seed: int, limit: int | None = None) -> Path:
    """Write ``out/images/{plain,framed}/*`` and ``out/labels.csv``; returns the labels.

    ``limit`` keeps every n-th photo so that about that many are used, spread over the
    sources in manifest order.
    """
    if not photos:
        raise ValueError("no real photos to make a set from")
    if limit is not None and limit < len(photos):
        step = len(photos) / limit
        photos = [photos[int(i * step)] for i in range(limit)]
    for folder in ("plain", "framed"):
        (out / "images" / folder).mkdir(parents=True, exist_ok=True)
    labels_path = out / "labels.csv"
    with labels_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for index, photo in enumerate(photos):
            stem = f"{photo.source_name}-{index:05d}"
            plain = f"images/plain/{stem}{photo.path.suffix.lower()}"
            (out / plain).write_bytes(photo.path.read_bytes())
            with Image.open(photo.path) as opened:
                image = opened.convert("RGB")
            kind = "rect-plain" if photo.rectangular else "plain"
            unframed = ThumbnailLabel(
                False,
                (False,) * 4,
                (0, 0, *image.size),
                image.size,
                kind,  # type: ignore[arg-type]
            )
            writer.writerow({**unframed.to_row(plain), "source": photo.source_name})
            rng = np.random.default_rng([seed, index])
            family = FAMILIES[index % len(FAMILIES)]
            texture = image  # only photo bands read theirs, from another photo of the set
            if family == "band-photo":
                with Image.open(photos[(index * 7 + 3) % len(photos)].path) as opened:
                    texture = opened.convert("RGB")
            framed, label = frame_photo(rng, image, family, texture)
            name = f"images/framed/{stem}.jpg"
            buffer = io.BytesIO()
            framed.save(buffer, "JPEG", quality=int(rng.integers(80, 96)))
            (out / name).write_bytes(buffer.getvalue())
            writer.writerow({**label.to_row(name), "source": photo.source_name})
    return labels_path
