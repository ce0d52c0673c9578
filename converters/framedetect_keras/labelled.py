"""Labelled class folders (``framed/`` + ``plain/``, as ``framedetect sort`` and a
review leave them) as training data, for ``train``/``experiments --real`` and
``finetune``.

A fixed share of the images, by a hash of the file name, is held out (for validation and
the threshold); the same image stays on its side of the split across runs and moves.
Labelled images say only framed or not, so they carry the kind :data:`LABELLED` and a
zero weight for the side and depth losses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framedetect import FrameDetectError, prepare_image
from framedetect._evaluate import Truth, class_folders, read_class_folders
from framedetect_synth import ArrayBatch

HOLDOUT_SHARE = 0.15
"""Share of the labelled images held out (by a hash of the file name)."""
LABELLED = "labelled"
"""The kind of a labelled image in an :class:`ArrayBatch` (its sides are unknown)."""


@dataclass(frozen=True)
class LabelledData:
    """Labelled folders mixed into a training run: ``share`` of each epoch's training
    images are theirs (repeated when there are fewer), the rest generated."""

    folders: tuple[str, ...]
    share: float = 0.25

    def __post_init__(self) -> None:
        if not self.folders:
            raise ValueError("no labelled folders")
        if not 0 < self.share < 1:
            raise ValueError(f"labelled share {self.share}: expected between 0 and 1")


def labelled_images(folders: Sequence[Path]) -> list[Truth]:
    """Every image of each folder's ``framed/`` and ``plain/``; a folder without both is
    refused (a :class:`ValueError` naming it)."""
    truths: list[Truth] = []
    for folder in folders:
        if not class_folders(folder):
            raise ValueError(f"{folder} has no framed/ and plain/ folders (framedetect sort)")
        truths += read_class_folders(folder)
    if not truths:
        raise ValueError("the labelled folders hold no images")
    return truths


def held_out(truth: Truth) -> bool:
    """Whether an image is in the fixed held-out share (stable across runs and moves)."""
    digest = hashlib.sha256(truth.path.name.encode()).digest()
    return int.from_bytes(digest[:4], "big") < HOLDOUT_SHARE * 2**32


def decode_labelled(truths: list[Truth]) -> tuple[np.ndarray, list[Truth], int]:
    """The model inputs of the readable images, those images, and how many were not."""
    arrays, kept = [], []
    for truth in truths:
        try:
            arrays.append(prepare_image(truth.path))
        except FrameDetectError:
            continue
        kept.append(truth)
    if not arrays:
        raise ValueError("none of the labelled images can be read")
    return np.stack(arrays), kept, len(truths) - len(kept)


def as_batch(images: np.ndarray, truths: Sequence[Truth]) -> ArrayBatch:
    """Labelled images as training samples: the verdict, no sides, kind ``labelled``."""
    count = len(images)
    return ArrayBatch(
        images,
        np.asarray([float(truth.has_frame) for truth in truths], np.float32),
        np.zeros((count, 4), np.float32),
        [LABELLED] * count,
        np.zeros((count, 4), np.float32),
    )


def located_weight(batch: ArrayBatch) -> np.ndarray:
    """Per sample, the weight of the side and depth losses: 0 for labelled images."""
    return np.asarray([kind != LABELLED for kind in batch.kinds], np.float32)


def concatenate(first: ArrayBatch, second: ArrayBatch) -> ArrayBatch:
    """Two batches as one, ``first``'s samples first."""
    assert first.insets is not None and second.insets is not None
    return ArrayBatch(
        np.concatenate([first.images, second.images]),
        np.concatenate([first.has_frame, second.has_frame]).astype(np.float32),
        np.concatenate([first.sides, second.sides]).astype(np.float32),
        [*first.kinds, *second.kinds],
        np.concatenate([first.insets, second.insets]).astype(np.float32),
    )


def split_for_training(
    data: LabelledData, generated_train: int, seed: int
) -> tuple[ArrayBatch, ArrayBatch, dict[str, int]]:
    """The labelled images to train on (repeated or cut to ``data.share`` of the
    training images next to ``generated_train`` generated ones), the held-out ones to
    validate on, and the counts (images, held out, unreadable, trained on)."""
    images, kept, unreadable = decode_labelled(labelled_images([Path(f) for f in data.folders]))
    holdout = [i for i, truth in enumerate(kept) if held_out(truth)]
    train = [i for i, truth in enumerate(kept) if not held_out(truth)]
    if not holdout or not train:
        raise ValueError(f"{len(kept)} readable labelled images: too few to train on and hold out")
    count = max(1, round(generated_train * data.share / (1 - data.share)))
    order = np.random.default_rng(seed).permutation(len(train))
    rows = [train[i] for i in np.resize(order, count)]
    counts = {
        "images": len(train),
        "held_out": len(holdout),
        "unreadable": unreadable,
        "trained_on": count,
    }
    return (
        as_batch(images[rows], [kept[i] for i in rows]),
        as_batch(images[holdout], [kept[i] for i in holdout]),
        counts,
    )
