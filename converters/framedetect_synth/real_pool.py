"""The real-photo pool (``../shared/data/real-pool``): its sources and fixed splits.

Every photo belongs to one split, decided by its file name alone, so the split never
changes when photos are added: one whole source (``HELD_OUT_SOURCE``) is ``cross-source``
and never trained on, to measure transfer to a shop the model has not seen; of every
other source a fifth (by a hash of the file name) is ``test`` and a tenth
``validation``; the rest is ``train``. Photos are read at run time, never copied.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .photos import shared_folder

HELD_OUT_SOURCE = "magento/magento2-sample-data"
"""A demo shop (apparel, bags, watches on white) whose photos no split but
``cross-source`` holds."""
SPLITS = ("train", "validation", "test", "cross-source")
RECTANGULAR_WORDS = (
    "frame", "mirror", "door", "wardrobe", "cabinet", "cupboard", "shelf", "shelving",
    "bookcase", "box", "tv", "fridge", "refrigerator", "rug", "mat", "laptop",
    "electronics", "tablet", "phone", "monitor", "display", "drawer", "panel", "picture",
    "poster", "canvas", "board",
)  # fmt: skip
"""Category words of products whose outline is a rectangle, or nearly: the look-alikes
of a frame that must not count (a category matches when one of its words starts with
one of these)."""


@dataclass(frozen=True)
class PoolPhoto:
    """One photo of the pool, as the manifest lists it."""

    path: Path
    file: str  # relative to the pool folder
    source: str
    category: str
    width: int
    height: int

    @property
    def split(self) -> str:
        """``train``, ``validation``, ``test`` or ``cross-source``."""
        return split_of(self.file, self.source)

    @property
    def rectangular(self) -> bool:
        """Whether the product is (nearly) a rectangle: a frame look-alike."""
        words = self.category.lower().replace(",", " ").replace("/", " ").split()
        return any(word.startswith(RECTANGULAR_WORDS) for word in words)

    @property
    def source_name(self) -> str:
        """The source's short name, e.g. ``ikea`` for ``IvonaTau/ikea``."""
        return self.source.split("/")[-1]


def split_of(file: str, source: str) -> str:
    """The split of a photo: by its source, then by a hash of its file name."""
    if source == HELD_OUT_SOURCE:
        return "cross-source"
    bucket = hashlib.sha256(file.encode()).digest()[0] % 10
    return "test" if bucket < 2 else "validation" if bucket == 2 else "train"


def default_pool_dir() -> Path | None:
    """``$FRAMEDETECT_REAL_POOL``, or ``../shared/data/real-pool`` beside the checkout."""
    return shared_folder("FRAMEDETECT_REAL_POOL", "real-pool")


def read_pool(folder: Path, splits: tuple[str, ...] = SPLITS) -> list[PoolPhoto]:
    """The photos of ``folder``'s manifest in ``splits``, in manifest order."""
    manifest = folder / "manifest.csv"
    try:
        with manifest.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise ValueError(f"cannot read the real-photo pool's {manifest}: {error}") from error
    photos = [
        PoolPhoto(
            folder / row["file"],
            row["file"],
            row["source_repo"],
            row.get("category", ""),
            int(row["width"]),
            int(row["height"]),
        )
        for row in rows
    ]
    return [photo for photo in photos if photo.split in splits]
