"""The training commands: train and experiments. TensorFlow is imported when one runs,
so that listing them stays quick and a checkout without [train] says what is missing.

Registered as ``framedetect.commands.training`` entry points.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from .labelled import LabelledData

RealFolders = Annotated[
    list[Path] | None,
    typer.Option(
        "--real",
        help="A folder of framed/ and plain/ (as 'framedetect sort' and a review leave it) "
        "to train on beside the generated images; repeat for several.",
        show_default=False,
    ),
]
"""``--real`` of train and experiments: a user's class folders."""
RealShare = Annotated[
    float,
    typer.Option(
        min=0.01, max=0.9, help="Share of each epoch's training images that are --real ones."
    ),
]


def train(
    out: Annotated[
        Path, typer.Option(help="Run folder for the .keras, .onnx, history and plot.")
    ] = Path("runs/release"),
    seed: Annotated[
        int, typer.Option(help="Data seed: train, validation, test use seed, +1, +2.")
    ] = 20261130,
    train_size: Annotated[int, typer.Option(min=1)] = 40_000,
    val_size: Annotated[int, typer.Option(min=100)] = 5_000,
    test_size: Annotated[int, typer.Option(min=1)] = 5_000,
    epochs: Annotated[int, typer.Option(min=1)] = 30,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache generated arrays here.")] = Path(
        "build/cache"
    ),
    real: RealFolders = None,
    real_share: RealShare = 0.25,
    ship: Annotated[
        bool, typer.Option(help="Evaluate and install the model into the SDK package.")
    ] = False,
    model: Annotated[
        str,
        typer.Option(
            help="reference: the write-up's classifier (1.x); localiser: ours, with per-side "
            "scores and frame depths (2.x and up)."
        ),
    ] = "localiser",
) -> None:
    """Train the CNN on generated thumbnails and export it to ONNX (needs the train extra)."""
    if model not in ("reference", "localiser"):
        raise typer.BadParameter(
            f"{model!r}; expected reference or localiser", param_hint="--model"
        )
    try:
        from .runs import run_training
    except ImportError as error:
        typer.echo(
            f"error: 'framedetect train' needs the [train] extra ({error}); "
            "pip install 'framedetect[train]'",
            err=True,
        )
        raise typer.Exit(2) from error
    run_training(
        out=out,
        seed=seed,
        train_size=train_size,
        val_size=val_size,
        test_size=test_size,
        epochs=epochs,
        batch_size=batch_size,
        photos=photos,
        cache_dir=cache_dir,
        ship=ship,
        model=model,
        labelled=_labelled(real, real_share),
    )


def experiments(
    out: Annotated[Path, typer.Option(help="Run folders and results.json.")] = Path(
        "runs/experiments"
    ),
    docs: Annotated[Path, typer.Option(help="Where RESULTS.md and the PNGs go.")] = Path("docs"),
    seed: Annotated[int, typer.Option(help="Data seed: train, validation, test = +0, +1, +2.")] = (
        20261130
    ),
    train_size: Annotated[int, typer.Option(min=1)] = 40_000,
    val_size: Annotated[int, typer.Option(min=100)] = 5_000,
    test_size: Annotated[int, typer.Option(min=20)] = 5_000,
    epochs: Annotated[int, typer.Option(min=1, help="Epochs for ours.")] = 30,
    reference_epochs: Annotated[
        int, typer.Option(min=1, help="Epochs for each of the write-up's configurations.")
    ] = 10,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache generated arrays here.")] = Path(
        "build/cache"
    ),
    real: RealFolders = None,
    real_share: RealShare = 0.25,
    ship: Annotated[
        bool,
        typer.Option(help="Install ours into the SDK package (with INT8 and fp16) once trained."),
    ] = False,
    compare: Annotated[
        list[Path] | None,
        typer.Option(
            help="An .onnx model to score beside them on the same generated and real photos, "
            "such as an earlier release; repeat for several.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Train ours and the write-up's three CNNs on the same data; compare with the baseline.

    Writes docs/RESULTS.md (train/val accuracy in the write-up's format, test accuracy and
    AUC, the baseline), docs/results-roc.png and docs/results-accuracy.png (needs [train]).
    With --ship, ours becomes the bundled model, so the report describes what ships.
    Resumable: run the same command again after a kill and every configuration goes on
    from its last finished epoch; finished ones are not trained again.
    """
    try:
        from .runs import data_settings, run_experiment_suite
    except ImportError as error:
        typer.echo(f"error: 'framedetect experiments' needs the [train] extra ({error})", err=True)
        raise typer.Exit(2) from error
    data = data_settings(seed, train_size, val_size, test_size, photos)
    run_experiment_suite(
        out=out,
        docs=docs,
        data=data,
        epochs=epochs,
        reference_epochs=reference_epochs,
        cache_dir=cache_dir,
        ship=ship,
        compare=tuple(compare or ()),
        labelled=_labelled(real, real_share),
    )


def _labelled(real: list[Path] | None, share: float) -> LabelledData | None:
    """``--real`` folders as labelled data, each checked to be a class-folder pair."""
    if not real:
        return None
    from framedetect._cli_shared import fail
    from framedetect._evaluate import class_folders

    from .labelled import LabelledData

    unlabelled = [str(folder) for folder in real if not class_folders(folder)]
    if unlabelled:
        fail(f"--real needs framed/ and plain/ folders (framedetect sort): {', '.join(unlabelled)}")
    return LabelledData(tuple(str(folder.resolve()) for folder in real), share)


def finetune(
    real: Annotated[
        list[Path],
        typer.Option(
            help="A folder of framed/ and plain/ (as 'framedetect sort' and a review leave "
            "it); repeat for several."
        ),
    ],
    out: Annotated[Path, typer.Option(help="The tuned model file to write (.onnx).")] = Path(
        "runs/finetune/tuned.onnx"
    ),
    epochs: Annotated[int, typer.Option(min=1)] = 8,
    learning_rate: Annotated[float, typer.Option(min=1e-6, help="Adam, cosine down.")] = 3e-4,
    generated_share: Annotated[
        float,
        typer.Option(min=0.0, max=0.9, help="Share of each epoch's images that are generated."),
    ] = 0.5,
    seed: Annotated[int, typer.Option(help="Seed of the generated images and shuffles.")] = (
        20261203
    ),
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
) -> None:
    """Tune the bundled model on your labelled thumbnails; writes OUT and OUT.json.

    A fixed share of the images (by a hash of the file name) is held out to choose the
    threshold and to measure before and after. Use the result with --model OUT or
    Detector(model=OUT); its sha256 is checked against OUT.json.
    """
    try:
        from framedetect_synth.photos import default_photo_dir
        from framedetect_synth.real_pool import default_pool_dir

        from .finetune import FinetuneSettings
        from .finetune import finetune as run_finetune
    except ImportError as error:
        typer.echo(f"error: 'framedetect finetune' needs the [train] extra ({error})", err=True)
        raise typer.Exit(2) from error
    from framedetect._cli_shared import fail

    if out.suffix != ".onnx":
        fail(f"--out {out} should name an .onnx file")
    missing = [str(folder) for folder in real if not folder.is_dir()]
    if missing:
        fail(f"no such folder: {', '.join(missing)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    settings = FinetuneSettings(
        epochs=epochs, learning_rate=learning_rate, generated_share=generated_share, seed=seed
    )
    try:
        record = run_finetune(
            real,
            out,
            settings,
            default_photo_dir() if photos else None,
            default_pool_dir() if photos else None,
            on_epoch=lambda epoch, acc: typer.echo(f"epoch {epoch}: held-out accuracy {acc:.4f}"),
        )
    except ValueError as error:
        fail(str(error))
    if not record["best_epoch"]:
        typer.echo(
            "no epoch beat the bundled model on the held-out images: the file keeps its "
            "weights and threshold (tuning did not help on this folder)"
        )
    held = record["held_out_accuracy"]
    typer.echo(
        f"{out} (threshold {record['threshold']:.3f}): held-out accuracy {held['before']:.4f} "
        f"-> {held['after']:.4f} on {record['tuned_on']['held_out']} images, "
        f"{record['seconds']:.0f} s"
    )
