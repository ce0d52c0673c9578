"""Labelling commands: sort images into class folders for a person to check, and the
review page to check them on."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from ._cli_shared import (
    DetectorChoice,
    DetectorOption,
    ModelFileOption,
    PrecisionOption,
    ProviderOption,
    ThresholdOption,
    exit_if_stopped,
    fail,
    make_detector,
    progress,
    stopping_on_signals,
)
from ._errors import FrameDetectError
from ._models import Precision
from ._session import Provider


def sort_images(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Image files or folders (searched recursively).", metavar="SRC"),
    ] = None,
    into: Annotated[
        Path, typer.Option("--into", help="Folder for framed/, plain/ and labels.csv.")
    ] = Path("sorted"),
    move: Annotated[
        bool, typer.Option(help="Move the files instead of linking (or copying) them.")
    ] = False,
    apply: Annotated[
        Path | None,
        typer.Option(
            help="A CSV of corrections (file,label), as 'framedetect review' saves: move "
            "those files into their class folders instead of sorting.",
            show_default=False,
        ),
    ] = None,
    detector_choice: DetectorOption = DetectorChoice.CNN,
    model_file: ModelFileOption = None,
    provider: ProviderOption = Provider.AUTO,
    precision: PrecisionOption = Precision.FP32,
    threads: Annotated[
        int, typer.Option(min=1, help="onnxruntime threads; decoding has the other cores.")
    ] = 1,
    threshold: ThresholdOption = None,
) -> None:
    """Sort images into INTO/framed and INTO/plain for a person to check, doubtful first.

    File names start with the model's certainty in thousandths (000: on the threshold),
    so a file browser lists the ones to look at first. Hard links where the file system
    allows, copies otherwise. What is in a class folder is the truth from then on: run
    it again (after a kill, or with new images) and it places only what it has not
    placed before. Unreadable images are listed in INTO/errors.csv.
    """
    from ._sort import apply_corrections
    from ._sort import sort_images as run_sort

    if apply is not None:
        if sources:
            fail("--apply moves files already sorted; give no SRC with it")
        try:
            moved, problems = apply_corrections(into, apply)
        except FrameDetectError as error:
            fail(str(error))
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        typer.echo(f"moved {moved} files; {into / 'labels.csv'} follows the folders")
        if problems:
            raise typer.Exit(1)
        return
    if not sources:
        fail("give the images to sort (SRC), or --apply CSV")
    missing = [str(path) for path in sources if not path.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    detector = make_detector(provider, precision, threads, threshold, detector_choice, model_file)
    stop, received = threading.Event(), list[int]()
    try:
        with stopping_on_signals(stop, received), progress(None, "sorting") as advance:
            summary = run_sort(sources, into, detector, move, on_row=lambda _row: advance(),
                               stop=stop)  # fmt: skip
    except FrameDetectError as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot sort into {into}: {error.strerror or error}")
    errors_csv = into / "errors.csv"
    how = ", ".join(f"{getattr(summary, k)} {k}" for k in ("linked", "copied", "moved")
                    if getattr(summary, k))  # fmt: skip
    typer.echo(
        f"{summary.placed['framed']} framed, {summary.placed['plain']} plain"
        f"{f' ({how})' if how else ''} -> {into}; {summary.errors} unreadable"
        f"{f' (see {errors_csv})' if summary.errors else ''}"
        f"{f', {summary.skipped} sorted before' if summary.skipped else ''}"
    )
    exit_if_stopped(summary.interrupted, received, "run it again to finish")


def review(
    folder: Annotated[
        Path, typer.Argument(help="A folder 'framedetect sort' wrote.", metavar="DIR")
    ],
) -> None:
    """Write DIR/review.html: both classes as a grid, least certain first, with scores
    and frame boxes; click to flip a label, save the corrections, then apply them with
    'framedetect sort --into DIR --apply corrections.csv'. One file: no server, no network.
    """
    from ._review import write_review

    if not (folder / "labels.csv").is_file():
        fail(f"{folder} has no labels.csv; sort images into it first (framedetect sort)")
    try:
        page = write_review(folder)
    except FrameDetectError as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write the review page in {folder}: {error.strerror or error}")
    typer.echo(f"wrote {page}; open it in a browser")
