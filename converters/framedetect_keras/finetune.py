"""Fine-tuning the shipped model on a user's labelled thumbnails (``framed/`` + ``plain/``).

The labelled images (as ``framedetect sort`` and a person's review leave them) are
split by a hash of the file name (:mod:`.labelled`): a fixed share is held out to
choose the threshold and to say how much the tuning helped. The rest trains the
network, starting from the shipped weights, mixed with generated thumbnails (what the
shipped model trained on) at a stated share, so that what it knew is not forgotten.
Labelled images carry only the frame verdict, so they train the frame head alone: their
side and depth losses are masked (weight 0). The result is an ONNX file,
tf2onnx-exported with a parity check, whose metadata says what it was tuned on and its
threshold, and a ``FILE.json`` beside it with its sha256, which ``Detector(model=FILE)``
checks.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from framedetect import Detector, normalize
from framedetect._evaluate import Truth
from framedetect._models import find_model, manifest, read_bundled
from framedetect_quantize.metadata import copy_metadata
from framedetect_synth import ArrayBatch, make_arrays

from .augment import flip_with_sides
from .export import export_onnx
from .from_onnx import keras_from_onnx
from .labelled import (
    as_batch,
    concatenate,
    decode_labelled,
    held_out,
    labelled_images,
    located_weight,
)
from .real_figures import choose_threshold

GENERATED_SHARE = 0.5
"""Share of each epoch's images that are generated, not the user's."""


@dataclass(frozen=True)
class FinetuneSettings:
    """How a fine-tuning run trains."""

    epochs: int = 8
    batch_size: int = 32
    learning_rate: float = 3e-4
    generated_share: float = GENERATED_SHARE
    seed: int = 20261203


def finetune(
    folders: Sequence[Path],
    out: Path,
    settings: FinetuneSettings = FinetuneSettings(),
    photo_dir: Path | None = None,
    pool_dir: Path | None = None,
    on_epoch: Callable[[int, float], None] | None = None,
) -> dict[str, Any]:
    """Tune the bundled fp32 model on ``folders`` and write ``out`` (+ ``out.json``);
    returns that record: what it was tuned on, the threshold, accuracy before and after
    on the held-out images, the seconds it took. When no epoch beats the shipped weights
    on the held-out images, the file keeps those weights *and* the shipped threshold
    (chosen on more photos than a held-out share of one folder)."""
    started = time.perf_counter()
    base = find_model("framedetect", "fp32")
    entry = next(e for e in manifest()["models"] if e["file"] == base.file)
    truths = labelled_images(folders)
    images, kept, unreadable = decode_labelled(truths)
    holdout = [i for i, truth in enumerate(kept) if held_out(truth)]
    train = [i for i, truth in enumerate(kept) if not held_out(truth)]
    if len(holdout) < 20 or len(train) < 20:
        raise ValueError(f"{len(kept)} readable images: too few to tune on and hold out")
    count = round(len(train) * settings.generated_share / (1 - settings.generated_share))
    generated = make_arrays(settings.seed, max(count, 1), photo_dir, pool_dir=pool_dir)
    generated = _first(generated, count)
    mix = concatenate(as_batch(images[train], [kept[i] for i in train]), generated)
    assert mix.insets is not None
    located = located_weight(mix)  # 0 for the user's images, which say nothing of sides
    model = keras_from_onnx(read_bundled(base), entry["config"])
    before = _accuracy(model, images[holdout], kept, holdout, base.threshold)
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(
                settings.learning_rate,
                decay_steps=settings.epochs * (len(mix.images) // settings.batch_size + 1),
                alpha=0.05,
            )
        ),
        loss=["binary_crossentropy", "binary_crossentropy", "mean_absolute_error"],
        loss_weights=[1.0, 0.5, 5.0],
    )
    rng = np.random.default_rng(settings.seed)
    best, best_weights, best_epoch = before, model.get_weights(), 0
    for epoch in range(settings.epochs):
        x, (sides, insets) = flip_with_sides(mix.images, [mix.sides, mix.insets], rng)
        order = rng.permutation(len(x))
        model.fit(
            normalize(x[order]),
            [mix.has_frame[order], sides[order], insets[order]],
            sample_weight=[np.ones(len(x)), located[order], located[order]],
            batch_size=settings.batch_size,
            epochs=1,
            verbose=0,
        )
        accuracy = _accuracy(model, images[holdout], kept, holdout, base.threshold)
        if accuracy > best:
            best, best_weights, best_epoch = accuracy, model.get_weights(), epoch + 1
        if on_epoch is not None:
            on_epoch(epoch + 1, accuracy)
    model.set_weights(best_weights)
    tuned_on = {
        "folders": [str(folder) for folder in folders],
        "images": len(train),
        "held_out": len(holdout),
        "unreadable": unreadable,
        "generated": count,
    }
    metadata = {
        "version": f"{base.version}+tuned",
        "precision": "fp32",
        "base_model": f"{base.label} sha256 {base.sha256}",
        "tuned_on": json.dumps(tuned_on),
        "settings": json.dumps(asdict(settings)),
    }
    parity = np.concatenate([images, generated.images[:100]])
    export_onnx(model, out, parity, metadata)
    held = [kept[i] for i in holdout]
    threshold = base.threshold  # no epoch beat the shipped weights: keep what ships
    if best_epoch:
        threshold = choose_threshold(Detector(model=out, provider="cpu"), held)
    copy_metadata(out, out, {"threshold": str(threshold)})
    after = _accuracy(model, images[holdout], kept, holdout, threshold)
    record = {
        "file": out.name,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "base_model": metadata["base_model"],
        "tuned_on": tuned_on,
        "settings": asdict(settings),
        "threshold": threshold,
        "best_epoch": best_epoch,
        "held_out_accuracy": {"before": round(before, 4), "after": round(after, 4)},
        "seconds": round(time.perf_counter() - started, 1),
    }
    out.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def _first(batch: ArrayBatch, count: int) -> ArrayBatch:
    """The first ``count`` samples of ``batch`` (0: none, for a run without generated ones)."""
    assert batch.insets is not None
    return ArrayBatch(
        batch.images[:count], batch.has_frame[:count], batch.sides[:count],
        batch.kinds[:count], batch.insets[:count],
    )  # fmt: skip


def _accuracy(
    model: keras.Model, images: np.ndarray, truths: list[Truth], rows: list[int], threshold: float
) -> float:
    scores = model.predict(normalize(images), verbose=0, batch_size=256)[0].reshape(-1)
    labels = np.asarray([truths[i].has_frame for i in rows])
    return float(np.mean((scores >= threshold) == labels))
