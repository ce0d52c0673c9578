"""The runtime commands: predict, scan, eval and crop (numpy, Pillow, onnxruntime)."""

from __future__ import annotations

import json
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
    ThreadsOption,
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


def scan(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders (searched recursively).", metavar="PATH"),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON-lines file to write.")],
    batch_size: Annotated[int, typer.Option(min=1, help="Images per inference batch.")] = 32,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Decoding threads (default: one per CPU).")
    ] = None,
    provider: ProviderOption = Provider.AUTO,
    precision: PrecisionOption = Precision.FP32,
    threads: Annotated[
        int, typer.Option(min=1, help="onnxruntime threads; decoding has the other cores.")
    ] = 1,
    threshold: ThresholdOption = None,
    resume: Annotated[
        bool, typer.Option(help="Continue OUTPUT: skip the images it already has rows for.")
    ] = False,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing OUTPUT.")] = False,
    detector_choice: DetectorOption = DetectorChoice.CNN,
    model_file: ModelFileOption = None,
) -> None:
    """Score every image under each PATH; one JSON object per image, errors included.

    Decoding runs in threads, overlapped with batched inference; use --precision int8 on
    CPUs for the highest throughput. Rows are flushed every batch. Ctrl-C or SIGTERM
    finishes the images in flight, writes their rows and exits (130 / 143); --resume
    then continues where it stopped, even after a hard kill.
    """
    from ._scan import IMAGE_SUFFIXES, iter_image_paths
    from ._scan import scan as run_scan
    from ._scan_log import repair

    if resume and overwrite:
        raise typer.BadParameter("choose --resume or --overwrite, not both")
    if output.is_dir():
        fail(f"--output {output} is a folder; name a file in it, such as {output / 'scan.jsonl'}")
    if output.exists() and not output.is_file():
        fail(f"--output {output} is not a regular file")
    if output.exists() and output.stat().st_size > 0 and not (resume or overwrite):
        fail(f"{output} already exists; pass --resume to continue it or --overwrite to replace it")
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    detector = make_detector(provider, precision, threads, threshold, detector_choice, model_file)
    done = repair(output) if resume else set()
    ignored: list[Path] = []
    total = sum(1 for path in iter_image_paths(paths, ignored) if str(path) not in done)
    output.parent.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    received: list[int] = []
    try:
        with (
            stopping_on_signals(stop, received),
            output.open("a" if resume else "w", encoding="utf-8") as handle,
            progress(total) as advance,
        ):
            summary = run_scan(
                paths,
                handle,
                detector,
                batch_size,
                on_row=lambda _row: advance(),
                workers=workers,
                skip=done,
                stop=stop,
            )
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    typer.echo(
        f"{summary.images} images: {summary.framed} framed, {summary.errors} errors"
        f"{f', {summary.skipped} already done' if summary.skipped else ''} -> {output} "
        f"({summary.seconds:.2f} s, {summary.images_per_second:,.0f} images/s)"
    )
    if ignored:
        shown = ", ".join(str(path) for path in ignored[:3])
        more = f" and {len(ignored) - 3} more" if len(ignored) > 3 else ""
        typer.echo(
            f"ignored {len(ignored)} files that are not images by their suffix "
            f"({', '.join(sorted(IMAGE_SUFFIXES))}): {shown}{more}",
            err=True,
        )
    exit_if_stopped(summary.interrupted, received, "run again with --resume to finish")
    if summary.images == summary.errors and not summary.skipped:
        fail(
            "nothing was scored: "
            + ("no image files found" if not summary.images else "every image failed"),
            code=1,
        )


def evaluate(
    folder: Annotated[Path, typer.Argument(help="Folder of images.", metavar="FOLDER")],
    labels: Annotated[
        Path | None,
        typer.Option(
            help="labels.csv (file, has_frame[, sides, box, kind]); default: FOLDER/labels.csv "
            "when it has a has_frame column, else the class folders FOLDER/framed and "
            "FOLDER/plain when there are both (as 'framedetect sort' makes), else every "
            "image counts as unframed.",
            show_default=False,
        ),
    ] = None,
    detector_choice: DetectorOption = DetectorChoice.CNN,
    precision: PrecisionOption = Precision.FP32,
    threshold: ThresholdOption = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the report.")] = None,
    model_file: ModelFileOption = None,
) -> None:
    """Accuracy, ROC AUC, per-side F1, content-box IoU, false positives and a table by kind."""
    from dataclasses import asdict

    from rich.console import Console
    from rich.table import Table

    from ._evaluate import class_folders, has_frame_labels, read_class_folders, read_truth
    from ._evaluate import evaluate as run_evaluation

    if not folder.is_dir():
        fail(f"{folder} is not a folder")
    by_folder = labels is None and class_folders(folder)  # sort's labels.csv: folders rule
    own = folder / "labels.csv"
    if labels is None and own.is_file() and (has_frame_labels(own) or not by_folder):
        labels, by_folder = own, False
    where = f"the class folders {folder / 'framed'} and {folder / 'plain'}"
    typer.echo(
        f"labels: {labels}"
        if labels
        else f"labels: {where}"
        if by_folder
        else "labels: none, so every image counts as unframed",
        err=True,
    )
    detector = make_detector(Provider.CPU, precision, None, threshold, detector_choice, model_file)
    try:
        truths = read_class_folders(folder) if by_folder else read_truth(folder, labels)
        report = run_evaluation(detector, truths)
        if labels is not None or by_folder:
            report.labels = str(labels) if labels else where
    except FrameDetectError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    console = Console()
    summary = Table(title=f"{report.model} on {folder} ({report.images} images)")
    summary.add_column("metric")
    summary.add_column("value", justify="right")
    for key, value in report.metrics.items():
        summary.add_row(key, "n/a" if value is None else f"{value}")
    summary.add_row("unreadable images", str(len(report.errors)))
    console.print(summary)
    for name, groups in (
        ("kind", report.by_kind),
        ("family", report.by_family),
        ("source", report.by_source),
    ):
        if not groups:
            continue
        table = Table(title=f"by {name}")
        for column in (name, "images", "tp", "fn", "tn", "fp", "accuracy"):
            table.add_column(column, justify="left" if column == name else "right")
        for group, row in sorted(groups.items()):
            table.add_row(
                group, *(str(row[c]) for c in ("images", "tp", "fn", "tn", "fp", "accuracy"))
            )
        console.print(table)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(asdict(report), indent=2) + "\n")


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
