"""``framedetect tune-baseline``: tune the Canny baseline and ship its thresholds.

Registered as a ``framedetect.commands.training`` entry point.
"""

from __future__ import annotations

from typing import Annotated

import typer

from framedetect import FrameDetectError
from framedetect_synth.photos import default_photo_dir


def tune_baseline(
    seed: Annotated[int, typer.Option(help="Validation data seed (never the test seed).")] = (
        20261131
    ),
    count: Annotated[int, typer.Option(min=100, help="Validation images.")] = 2000,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
) -> None:
    """Tune the Canny baseline's thresholds on generated validation data and ship them."""
    try:
        from framedetect_keras.release import SOURCE_MODELS_DIR, check_source_checkout

        from .tune import tune, write_params
    except ImportError as error:
        typer.echo(f"error: 'tune-baseline' runs from a source checkout ({error})", err=True)
        raise typer.Exit(2) from error
    check_source_checkout()
    try:
        params, tuning = tune(seed, count, default_photo_dir() if photos else None)
    except FrameDetectError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    path = write_params(params, tuning, SOURCE_MODELS_DIR)
    typer.echo(f"{params} -> {path} (validation accuracy {tuning['validation_accuracy']:.4f})")
