"""Synthetic product thumbnails with and without seller frames (numpy + Pillow only)."""

from .dataset import (
    ArrayBatch,
    Sample,
    make_arrays,
    make_arrays_at,
    make_sample,
    read_labels,
    write_folder,
)
from .labels import SIDES, ThumbnailLabel

__all__ = [
    "SIDES",
    "ArrayBatch",
    "Sample",
    "ThumbnailLabel",
    "make_arrays",
    "make_arrays_at",
    "make_sample",
    "read_labels",
    "write_folder",
]
