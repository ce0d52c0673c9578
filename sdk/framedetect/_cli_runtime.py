"""The runtime commands predict and crop (numpy, Pillow, onnxruntime)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ._cli_shared import (
    DetectorChoice,
    DetectorOption,
    ModelFileOption,
    PrecisionOption,
    ProviderOption,
    ThreadsOption,
    ThresholdOption,
    fail,
    make_detector,
)
from ._errors import FrameDetectError
from ._models import Precision
from ._session import Provider


def predict(
    images: Annotated[list[Path], typer.Argument(help="Image files to score.", metavar="IMAGE")],
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    detector_choice: DetectorOption = DetectorChoice.CNN,
    provider: ProviderOption = Provider.AUTO,
    precision: PrecisionOption = Precision.FP32,
    threads: ThreadsOption = None,
    threshold: ThresholdOption = None,
    model_file: ModelFileOption = None,
) -> None:
    """Say whether each image has a frame. Exits 1 if any image could not be read."""
    from ._scan import result_row

    detector = make_detector(provider, precision, threads, threshold, detector_choice, model_file)
    rows = []
    for path in images:
        try:
            row = result_row(path, detector.predict(path))
        except FrameDetectError as error:
            row = result_row(path, error)
        rows.append({**row, "model": detector.info.label})
        if json_output:
            continue
        if row["error"] is not None:
            typer.echo(f"{path}: error: {row['error']['message']}", err=True)
        else:
            verdict = "frame" if row["has_frame"] else "no frame"
            box = f", content box {tuple(row['content_box'])}" if row["content_box"] else ""
            typer.echo(f"{path}: {verdict} (score {row['score']:.3f}{box})")
    if json_output:
        typer.echo(json.dumps(rows, indent=2))
    if any(row["error"] is not None for row in rows):
        raise typer.Exit(1)


def crop(
    image: Annotated[Path, typer.Argument(help="Image to crop.", metavar="IMAGE")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the crop.")],
    detector_choice: DetectorOption = DetectorChoice.CNN,
    threshold: ThresholdOption = None,
    refine: Annotated[
        bool, typer.Option(help="Snap each cut to the frame's edge in the full-size image.")
    ] = True,
    model_file: ModelFileOption = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing OUTPUT.")] = False,
) -> None:
    """Cut the frame off IMAGE (a copy, upright, when it has none).

    OUTPUT's folder must exist, and an existing OUTPUT is kept unless --overwrite.
    """
    if output.is_dir():
        fail(f"--output {output} is a folder; name an image file, such as {output / 'crop.png'}")
    if output.exists() and not overwrite:
        fail(f"{output} already exists; pass --overwrite to replace it")
    if not output.parent.is_dir():
        fail(f"the folder of --output, {output.parent}, does not exist")
    detector = make_detector(
        Provider.CPU, Precision.FP32, None, threshold, detector_choice, model_file
    )
    try:
        cropped = detector.remove_frame(image, refine=refine)
        cropped.save(output)
    except FrameDetectError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    except (OSError, ValueError) as error:  # Pillow: unknown extension or unwritable path
        typer.echo(f"error: cannot write {output}: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"{image} -> {output} ({cropped.width}x{cropped.height})")
