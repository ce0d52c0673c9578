"""``framedetect quantize``: rebuild the INT8 and fp16 models from the shipped fp32 one.

Registered as a ``framedetect.commands.training`` entry point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from framedetect._cli_shared import fail
from framedetect_synth.photos import default_photo_dir
from framedetect_synth.real_pool import default_pool_dir


def quantize(
    out: Annotated[Path, typer.Option(help="Where the INT8 and fp16 files are built.")] = Path(
        "runs/quantize"
    ),
    calibration_images: Annotated[int, typer.Option(min=16)] = 512,
    test_size: Annotated[
        int | None, typer.Option(min=100, help="Test images (default: the fp32 test set).")
    ] = None,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
) -> None:
    """Rebuild the INT8 and fp16 models from the shipped fp32 one, measure all, install them.

    Runs from a source checkout with the [train] extra; rewrites the model manifest and
    docs/MODEL.md.
    """
    try:
        from framedetect_keras.release import check_source_checkout

        from .ship import ship_variants
    except ImportError as error:
        typer.echo(
            f"error: 'framedetect quantize' needs a source checkout with the [train] extra "
            f"({error}); pip install -e '.[train]'",
            err=True,
        )
        raise typer.Exit(2) from error
    check_source_checkout()
    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    try:
        entries = ship_variants(
            photo_dir,
            work_dir=out,
            calibration_images=calibration_images,
            test_images=test_size,
            pool_dir=pool_dir,
        )
    except ValueError as error:
        fail(str(error))
    for entry in entries:
        test = entry["metrics"]["test"]
        typer.echo(
            f"{entry['precision']}: {entry['file']} ({entry['bytes']:,} bytes) test accuracy "
            f"{test['accuracy']:.4f}, AUC {test['roc_auc']:.4f}"
        )
