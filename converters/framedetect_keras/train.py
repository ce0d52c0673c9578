"""Train a CNN on generated thumbnails: data -> fit -> ``.keras`` + history JSON + accuracy plot."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import keras
import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

import framedetect_synth
from framedetect import normalize
from framedetect._preprocess import PREPROCESSING
from framedetect_synth import ArrayBatch, make_arrays
from framedetect_synth.dataset import photo_pool
from framedetect_synth.photos import PhotoLibrary

from .augment import flip_with_sides, random_flips
from .config import ModelConfig
from .labelled import LabelledData, concatenate, located_weight, split_for_training
from .model import build_model, compile_model


@dataclass(frozen=True)
class DataSettings:
    """Which generated data a run uses. Train, validation and test seeds never overlap."""

    seed: int = 20261130
    train_size: int = 20_000
    val_size: int = 2_000
    test_size: int = 5_000
    photo_dir: str | None = None
    workers: int = 2
    pool_dir: str | None = None  # the real-photo pool the generator draws half its content from

    @property
    def train_seed(self) -> int:
        return self.seed

    @property
    def val_seed(self) -> int:
        return self.seed + 1

    @property
    def test_seed(self) -> int:
        return self.seed + 2


@dataclass(frozen=True)
class TrainSettings:
    """How long and in what batches to train."""

    epochs: int = 20
    batch_size: int = 32
    shuffle_seed: int = 0
    data: DataSettings = field(default_factory=DataSettings)
    labelled: LabelledData | None = None  # a user's class folders mixed in (--real)

    def record(self) -> dict[str, Any]:
        """The settings as JSON data; ``labelled`` only when there is some."""
        recorded = asdict(self)
        if self.labelled is None:
            del recorded["labelled"]
        else:
            recorded["labelled"]["folders"] = list(self.labelled.folders)
        return recorded


@dataclass(frozen=True)
class TrainResult:
    """What a training run wrote."""

    model: keras.Model
    model_path: Path
    history_path: Path
    plot_path: Path
    history: dict[str, list[float]]
    best_epoch: int


def generator_source_digest() -> str:
    """A hash of the generator's code: a changed recipe never reuses data the old one drew."""
    digest = hashlib.sha256()
    for source in sorted(Path(framedetect_synth.__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def _cache_key(seed: int, count: int, data: DataSettings, photo_dir: Path | None) -> str:
    photos = ",".join(PhotoLibrary(photo_dir).names)
    pool = ",".join(photo_pool(Path(data.pool_dir)).names) if data.pool_dir else ""
    code = generator_source_digest()
    recipe = f"{code}|{PREPROCESSING}|{seed}|{count}|{photos}|{pool}|insets"
    return hashlib.sha256(recipe.encode()).hexdigest()[:16]


def generated_arrays(
    seed: int, count: int, data: DataSettings, cache_dir: Path | None
) -> ArrayBatch:
    """Make (or load from ``cache_dir``) ``count`` preprocessed samples of data set ``seed``."""
    photo_dir = Path(data.photo_dir) if data.photo_dir else None
    pool_dir = Path(data.pool_dir) if data.pool_dir else None

    def make() -> ArrayBatch:
        return make_arrays(seed, count, photo_dir, workers=data.workers, pool_dir=pool_dir)

    if cache_dir is None:
        return make()
    path = cache_dir / f"synth-{seed}-{count}-{_cache_key(seed, count, data, photo_dir)}.npz"
    if path.exists():
        with np.load(path) as cached:
            return ArrayBatch(
                cached["images"],
                cached["has_frame"],
                cached["sides"],
                list(cached["kinds"]),
                cached["insets"],
            )
    batch = make()
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        images=batch.images,
        has_frame=batch.has_frame,
        sides=batch.sides,
        kinds=np.asarray(batch.kinds),
        insets=batch.insets,
    )
    return batch


class FlippedBatches(keras.utils.PyDataset):  # type: ignore[misc]
    """Shuffled, randomly flipped, normalised training batches."""

    def __init__(self, data: ArrayBatch, batch_size: int, seed: int, localise: bool) -> None:
        super().__init__()
        self.data, self.batch_size, self.localise = data, batch_size, localise
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(len(data.images))
        located = located_weight(data)
        self.located = None if located.all() else located  # labelled images: no sides

    def __len__(self) -> int:
        return (len(self.order) + self.batch_size - 1) // self.batch_size

    def __getitem__(self, index: int) -> tuple[np.ndarray, Any]:
        rows = np.sort(self.order[index * self.batch_size : (index + 1) * self.batch_size])
        if not self.localise:
            images, _ = random_flips(self.data.images[rows], self.data.sides[rows], self.rng)
            return normalize(images), self.data.has_frame[rows]
        assert self.data.insets is not None
        images, (sides, insets) = flip_with_sides(
            self.data.images[rows], [self.data.sides[rows], self.data.insets[rows]], self.rng
        )
        targets = (self.data.has_frame[rows], sides, insets)
        if self.located is None:
            return normalize(images), targets
        weights = (np.ones(len(rows), np.float32), self.located[rows], self.located[rows])
        return normalize(images), targets, weights  # type: ignore[return-value]

    def on_epoch_end(self) -> None:
        self.order = self.rng.permutation(len(self.data.images))


class _RichProgress(keras.callbacks.Callback):  # type: ignore[misc]
    """One progress bar per epoch, with the running loss and accuracy."""

    def __init__(
        self, progress: Progress, steps: int, epochs: int, accuracy_key: str = "accuracy"
    ) -> None:
        super().__init__()
        self.progress, self.steps, self.epochs = progress, steps, epochs
        self.key = accuracy_key
        self.task = progress.add_task("epoch", total=steps)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.progress.reset(
            self.task, total=self.steps, description=f"epoch {epoch + 1}/{self.epochs}"
        )

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        self.progress.update(
            self.task,
            advance=1,
            description=f"loss {logs.get('loss', 0):.3f} acc {logs.get(self.key, 0):.3f}",
        )

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        self.progress.console.log(
            f"epoch {epoch + 1}/{self.epochs}: loss {logs.get('loss', 0):.4f} "
            f"acc {logs.get(self.key, 0):.4f} val_acc {logs.get('val_' + self.key, 0):.4f}"
        )


def train(
    config: ModelConfig,
    settings: TrainSettings,
    out_dir: Path,
    cache_dir: Path | None = None,
    show_progress: bool = True,
) -> TrainResult:
    """Train ``config`` on generated data; keeps the weights of the best validation epoch.

    With ``settings.labelled``, a user's class folders are mixed in at their share
    (their held-out part joins the validation set); they train the frame head alone.

    Resumable: every epoch is checkpointed in ``out_dir/backup`` (Keras'
    ``BackupAndRestore``) and logged to ``out_dir/epochs.csv``, so the same call after a
    kill goes on from the last finished epoch; a run that finished with the same
    configuration and settings is loaded, not trained again.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"{config.run_name}.keras"
    history_path = out_dir / "history.json"
    finished = _finished_run(config, settings, model_path, history_path)
    if finished is not None:
        return finished
    commit = source_commit()  # the tree that generates the data, before anyone edits it
    keras.utils.set_random_seed(settings.shuffle_seed)
    data = settings.data
    train_data = generated_arrays(data.train_seed, data.train_size, data, cache_dir)
    val_data = generated_arrays(data.val_seed, data.val_size, data, cache_dir)
    labelled_counts = None
    if settings.labelled is not None:
        mixed, held, labelled_counts = split_for_training(
            settings.labelled, len(train_data.images), settings.shuffle_seed
        )
        train_data, val_data = concatenate(train_data, mixed), concatenate(val_data, held)
    model = build_model(config)
    batches = FlippedBatches(
        train_data, settings.batch_size, settings.shuffle_seed, config.localise
    )
    compile_model(model, config, total_steps=len(batches) * settings.epochs)
    accuracy_key = "score_accuracy" if config.localise else "accuracy"
    monitor = f"val_{accuracy_key}"
    backup, epochs_csv, best_weights = (
        out_dir / "backup", out_dir / "epochs.csv", out_dir / "best.weights.h5"
    )  # fmt: skip
    setup = out_dir / "backup-setup.json"  # what the backup is a backup of
    this_setup = json.dumps({"config": config.to_dict(), "settings": settings.record()})
    if not backup.exists() or not setup.is_file() or setup.read_text() != this_setup:
        shutil.rmtree(backup, ignore_errors=True)  # a fresh run: nothing earlier leaks in
        epochs_csv.unlink(missing_ok=True)
        best_weights.unlink(missing_ok=True)
        setup.write_text(this_setup)
    earlier = _logged_epochs(epochs_csv)
    validation: tuple[Any, ...] = (normalize(val_data.images), val_data.has_frame)
    if config.localise:
        validation = (
            normalize(val_data.images),
            (val_data.has_frame, val_data.sides, val_data.insets),
        )
    if labelled_counts is not None and config.localise:
        located = located_weight(val_data)
        validation += ((np.ones(len(located), np.float32), located, located),)
    epoch_log = keras.callbacks.CSVLogger(str(epochs_csv), append=True)
    with (
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=not show_progress,
        ) as progress,
        _closing(epoch_log),
    ):
        model.fit(
            batches,
            epochs=settings.epochs,
            validation_data=validation,
            callbacks=[
                _EpochSeconds(),
                keras.callbacks.BackupAndRestore(str(backup)),
                keras.callbacks.ModelCheckpoint(
                    str(best_weights),
                    monitor=monitor,
                    mode="max",
                    save_best_only=True,
                    save_weights_only=True,
                    initial_value_threshold=max(earlier.get(monitor, []), default=None),
                ),
                epoch_log,
                _RichProgress(progress, len(batches), settings.epochs, accuracy_key),
            ],
            verbose=0,
        )
    model.load_weights(best_weights)
    logged = _logged_epochs(epochs_csv)
    seconds = sum(logged.pop("seconds", []))
    logged.pop("epoch", None)
    history = {key: [float(v) for v in values] for key, values in logged.items()}
    if config.localise:  # keep the classifier's key names for reports and plots
        history["accuracy"] = history[accuracy_key]
        history["val_accuracy"] = history[f"val_{accuracy_key}"]
    best_epoch = int(np.argmax(history["val_accuracy"])) + 1
    model.save(model_path)
    history_path.write_text(
        json.dumps(
            {
                "config": config.to_dict(),
                "settings": settings.record(),
                **({"labelled": labelled_counts} if labelled_counts else {}),
                "history": history,
                "best_epoch": best_epoch,
                "train_seconds": round(seconds, 1),
                "source_commit": commit,
            },
            indent=2,
        )
    )
    plot_path = plot_accuracy(history, out_dir / "accuracy.png", config.run_name)
    return TrainResult(model, model_path, history_path, plot_path, history, best_epoch)


@contextmanager
def _closing(epoch_log: keras.callbacks.CSVLogger) -> Iterator[None]:
    """Close the epoch log's file even when training is interrupted (Ctrl-C)."""
    try:
        yield
    finally:
        handle = getattr(epoch_log, "csv_file", None)
        if handle is not None and not handle.closed:
            handle.close()


class _EpochSeconds(keras.callbacks.Callback):  # type: ignore[misc]
    """Adds each epoch's wall time to its logs (``seconds``), which ``CSVLogger`` keeps."""

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if logs is not None:
            logs["seconds"] = time.perf_counter() - self.started


def _logged_epochs(path: Path) -> dict[str, list[float]]:
    """The columns of ``CSVLogger``'s file (empty when there is none)."""
    if not path.is_file():
        return {}
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {key: [float(row[key]) for row in rows] for key in (rows[0] if rows else {})}


def _finished_run(
    config: ModelConfig, settings: TrainSettings, model_path: Path, history_path: Path
) -> TrainResult | None:
    """The run already in ``model_path``'s folder when it trained this very setup."""
    if not (model_path.is_file() and history_path.is_file()):
        return None
    record = json.loads(history_path.read_text())
    if record.get("config") != config.to_dict() or record.get("settings") != json.loads(
        json.dumps(settings.record())
    ):
        return None
    plot_path = history_path.parent / "accuracy.png"
    model = keras.models.load_model(model_path, compile=False)
    return TrainResult(
        model, model_path, history_path, plot_path, record["history"], record["best_epoch"]
    )


def source_commit() -> str | None:
    """The commit checked out in the source tree (``+dirty`` when it has changes), if any."""
    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")


def plot_accuracy(history: dict[str, list[float]], path: Path, title: str) -> Path:
    """Accuracy against epoch, train and validation, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = range(1, len(history["accuracy"]) + 1)
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.plot(epochs, history["accuracy"], label="train")
    axes.plot(epochs, history["val_accuracy"], label="validation")
    axes.set_xlabel("epoch")
    axes.set_ylabel("accuracy")
    axes.set_title(title, fontsize=9)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
