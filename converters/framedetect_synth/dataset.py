"""Deterministic data sets: sample ``i`` of seed ``s`` is always the same thumbnail.

Each sample draws from its own ``numpy.random.default_rng([seed, i])``, so any slice can
be made alone, in parallel, and in any order. Data sets are either written as a folder
(``images/`` + ``labels.csv``) or streamed as model-ready arrays for training.
"""

from __future__ import annotations

import csv
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framedetect import prepare_image

from .compose import compose, encode
from .labels import CSV_COLUMNS, ThumbnailLabel
from .photos import PhotoLibrary
from .pool_content import PhotoPool

_LIBRARIES: dict[Path | None, PhotoLibrary] = {}
_POOLS: dict[Path, PhotoPool] = {}


@dataclass(frozen=True)
class Sample:
    """One generated thumbnail: its encoded bytes, file extension and label."""

    data: bytes
    extension: str
    label: ThumbnailLabel


def _library(photo_dir: Path | None) -> PhotoLibrary:
    if photo_dir not in _LIBRARIES:
        _LIBRARIES[photo_dir] = PhotoLibrary(photo_dir)
    return _LIBRARIES[photo_dir]


def photo_pool(pool_dir: Path) -> PhotoPool:
    """The real-photo pool in ``pool_dir`` (read once per process)."""
    if pool_dir not in _POOLS:
        _POOLS[pool_dir] = PhotoPool(pool_dir)
    return _POOLS[pool_dir]


def make_sample(
    seed: int,
    index: int,
    photo_dir: Path | None = None,
    jpeg_only: bool = False,
    pool_dir: Path | None = None,
) -> Sample:
    """The ``index``-th thumbnail of data set ``seed`` (``jpeg_only``: never a PNG).

    ``photo_dir`` holds the real product photos composed into studio shots and rooms,
    ``pool_dir`` the real-photo pool; without them the content is procedural only.
    """
    rng = np.random.default_rng([seed, index])
    pool = photo_pool(pool_dir) if pool_dir is not None else None
    image, label = compose(rng, _library(photo_dir), pool)
    data, extension = encode(rng, image, jpeg_only)
    return Sample(data, extension, label)


def write_folder(
    out: Path,
    seed: int,
    count: int,
    photo_dir: Path | None = None,
    jpeg_only: bool = False,
    append: bool = False,
    pool_dir: Path | None = None,
) -> Path:
    """Write ``out/images/*`` and ``out/labels.csv``; returns the labels file.

    With ``append``, the rows go after those already in ``out/labels.csv`` and the
    samples continue the ones of ``seed`` listed there (see :func:`existing_samples`).
    """
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    labels_path = out / "labels.csv"
    start = existing_samples(out, seed) if append else 0
    header = not (append and labels_path.is_file())
    with labels_path.open("w" if header else "a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        if header:
            writer.writeheader()
        for index in range(start, start + count):
            sample = make_sample(seed, index, photo_dir, jpeg_only, pool_dir)
            name = f"images/{seed}-{index:06d}.{sample.extension}"
            (out / name).write_bytes(sample.data)
            writer.writerow(sample.label.to_row(name))
    return labels_path


def existing_samples(out: Path, seed: int) -> int:
    """How many samples of ``seed`` the labels file in ``out`` already lists: where an
    appended run of the same seed starts, so that it draws new samples, not repeats."""
    labels_path = out / "labels.csv"
    if not labels_path.is_file():
        return 0
    with labels_path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and set(rows[0]) != set(CSV_COLUMNS):
        raise ValueError(f"{labels_path} was not written by framedetect generate")
    return sum(1 for row in rows if row["file"].startswith(f"images/{seed}-"))


def read_labels(labels_path: Path) -> list[tuple[Path, ThumbnailLabel]]:
    """The (image path, label) pairs of a folder written by :func:`write_folder`."""
    with labels_path.open(newline="") as handle:
        return [
            (labels_path.parent / row["file"], ThumbnailLabel.from_row(row))
            for row in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class ArrayBatch:
    """Model-ready inputs and their labels."""

    images: np.ndarray  # (n, size, size, 3) uint8, as framedetect.prepare_image makes them
    has_frame: np.ndarray  # (n,) float32
    sides: np.ndarray  # (n, 4) float32, top/right/bottom/left
    kinds: list[str]
    insets: np.ndarray | None = None  # (n, 4) float32: frame depth per side, share of size


def _arrays_for(
    args: tuple[int, int, int, str | None, bool, tuple[int, ...], str | None],
) -> tuple[list[np.ndarray], list[ThumbnailLabel]]:
    seed, start, stop, photo_dir, draft, sizes, pool_dir = args
    directory = Path(photo_dir) if photo_dir else None
    pool = Path(pool_dir) if pool_dir else None
    images: list[list[np.ndarray]] = [[] for _ in sizes]
    labels = []
    for index in range(start, stop):
        sample = make_sample(seed, index, directory, pool_dir=pool)
        for at_size, size in zip(images, sizes):
            at_size.append(prepare_image(sample.data, size, draft=draft))
        labels.append(sample.label)
    return [np.stack(at_size) for at_size in images], labels


def make_arrays(
    seed: int,
    count: int,
    photo_dir: Path | None = None,
    workers: int = 2,
    chunk: int = 256,
    draft: bool = True,
    size: int = 128,
    pool_dir: Path | None = None,
) -> ArrayBatch:
    """Generate ``count`` samples and preprocess them exactly as the SDK does at inference.

    ``draft=False`` decodes JPEGs at full size instead: only to check that draft decoding
    does not change accuracy.
    """
    return make_arrays_at(
        seed, count, (size,), photo_dir, workers=workers, chunk=chunk, draft=draft,
        pool_dir=pool_dir,
    )[size]  # fmt: skip


def make_arrays_at(
    seed: int,
    count: int,
    sizes: tuple[int, ...],
    photo_dir: Path | None = None,
    workers: int = 2,
    chunk: int = 256,
    draft: bool = True,
    pool_dir: Path | None = None,
) -> dict[int, ArrayBatch]:
    """:func:`make_arrays` at several input sizes, each sample generated once."""
    jobs = [
        (
            seed,
            start,
            min(start + chunk, count),
            str(photo_dir) if photo_dir else None,
            draft,
            sizes,
            str(pool_dir) if pool_dir else None,
        )
        for start in range(0, count, chunk)
    ]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_arrays_for, jobs))
    else:
        parts = [_arrays_for(job) for job in jobs]
    labels = [label for _, chunk_labels in parts for label in chunk_labels]
    has_frame = np.asarray([label.has_frame for label in labels], np.float32)
    sides = np.asarray([label.sides for label in labels], np.float32).reshape(-1, 4)
    insets = np.asarray([label.insets for label in labels], np.float32).reshape(-1, 4)
    kinds = [label.kind for label in labels]
    return {
        size: ArrayBatch(
            images=np.concatenate([images[i] for images, _ in parts])
            if parts
            else np.zeros((0, size, size, 3), np.uint8),
            has_frame=has_frame,
            sides=sides,
            kinds=kinds,
            insets=insets,
        )
        for i, size in enumerate(sizes)
    }
