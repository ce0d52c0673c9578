"""``framedetect train``: data -> Keras -> ONNX (-> evaluate and ship with ``--ship``)."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from framedetect_synth import ArrayBatch
from framedetect_synth.photos import default_photo_dir
from framedetect_synth.real_pool import default_pool_dir

from .config import LOCALISER, MODEL_VERSION, REFERENCE, ModelConfig
from .labelled import LabelledData
from .pipeline import PipelineResult, train_and_export
from .release import check_source_checkout
from .train import DataSettings, TrainSettings

CONFIGS: dict[str, tuple[ModelConfig, str]] = {
    "reference": (REFERENCE, "1.0.0"),
    "localiser": (LOCALISER, MODEL_VERSION),
}


def data_settings(
    seed: int, train_size: int, val_size: int, test_size: int, photos: bool
) -> DataSettings:
    """The generated data sets of a run; real photos composed when asked and present.

    ``photos`` needs the real-photo pool as well: without it half the thumbnails would
    be drawn from something else under the same name, so its absence is an error.
    """
    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    if photos and pool_dir is None:
        raise SystemExit(
            "the generator draws from the real-photo pool, which is not there: set "
            "FRAMEDETECT_REAL_POOL or put it at ../shared/data/real-pool (or pass --no-photos)"
        )
    return DataSettings(
        seed=seed,
        train_size=train_size,
        val_size=val_size,
        test_size=test_size,
        photo_dir=str(photo_dir) if photo_dir else None,
        pool_dir=str(pool_dir) if pool_dir else None,
    )


def run_experiment_suite(
    *,
    out: Path,
    docs: Path,
    data: DataSettings,
    epochs: int,
    reference_epochs: int,
    cache_dir: Path | None,
    ship: bool = False,
    compare: tuple[Path, ...] = (),
    labelled: LabelledData | None = None,
) -> None:
    """``framedetect experiments``: every configuration on ``data`` (and ``labelled``,
    a user's class folders), then print the summary."""
    from .experiments import run_experiments

    console = Console()
    if ship:
        check_source_checkout()
    photo_dir = Path(data.photo_dir) if data.photo_dir else None
    pool_dir = Path(data.pool_dir) if data.pool_dir else None

    def ship_ours(config: ModelConfig, result: PipelineResult, test: ArrayBatch) -> None:
        ship_run(result, out / config.run_name, photo_dir, console, pool_dir, test)

    summary = run_experiments(
        TrainSettings(epochs=epochs, data=data, labelled=labelled),
        out,
        docs,
        cache_dir,
        reference_epochs=reference_epochs,
        on_ours=ship_ours if ship else None,
        compare=compare,
    )
    for row in summary["runs"]:
        console.print(f"{row['configuration']}: val {row['val']:.4f}, test {row['test']:.4f}")
    console.print(f"baseline: test {summary['baseline']['test']:.4f} -> {docs / 'RESULTS.md'}")


def ship_run(
    result: PipelineResult,
    out: Path,
    photo_dir: Path | None,
    console: Console,
    pool_dir: Path | None = None,
    test: ArrayBatch | None = None,
) -> None:
    """Evaluate and install a trained run's fp32 model, then build and install INT8 and fp16.

    ``test``: the run's generated test set, when already made (else it is made again).
    """
    from framedetect_quantize.ship import ship_variants

    from .release import ship as ship_model

    entry = ship_model(result.onnx_path, out, photo_dir, test=test)
    console.print(json.dumps({k: entry[k] for k in ("file", "sha256", "version")}, indent=2))
    for variant in ship_variants(
        photo_dir, work_dir=out / "quantize", pool_dir=pool_dir, test=test
    ):
        test = variant["metrics"]["test"]
        console.print(
            f"{variant['precision']}: {variant['file']} test accuracy "
            f"{test['accuracy']:.4f}, AUC {test['roc_auc']:.4f}"
        )


def run_training(
    *,
    out: Path,
    seed: int,
    train_size: int,
    val_size: int,
    test_size: int,
    epochs: int,
    batch_size: int,
    photos: bool,
    cache_dir: Path | None,
    ship: bool,
    model: str = "localiser",
    labelled: LabelledData | None = None,
) -> None:
    """Run the pipeline with the reference configuration and print what it wrote;
    ``labelled``: a user's class folders mixed in."""
    console = Console()
    config, version = CONFIGS[model]
    if ship:
        check_source_checkout()
    data = data_settings(seed, train_size, val_size, test_size, photos)
    photo_dir = Path(data.photo_dir) if data.photo_dir else None
    settings = TrainSettings(epochs=epochs, batch_size=batch_size, data=data, labelled=labelled)
    console.print(
        f"run {config.run_name}: {train_size} train / {val_size} val images, "
        f"seed {seed}, real photos: {photo_dir or 'none'}"
        + (f", labelled {', '.join(labelled.folders)} at {labelled.share:.0%}" if labelled else "")
    )
    result = train_and_export(config, settings, out, version, cache_dir)
    console.print(f"keras   {result.training.model_path}")
    console.print(f"history {result.training.history_path}")
    console.print(f"plot    {result.training.plot_path}")
    console.print(
        f"onnx    {result.onnx_path} (Keras/ONNX max abs diff "
        f"{result.export.max_abs_diff:.2e} on {result.export.parity_images} images)"
    )
    if ship:
        pool_dir = Path(data.pool_dir) if data.pool_dir else None
        ship_run(result, out, photo_dir, console, pool_dir)
