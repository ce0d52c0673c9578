"""``framedetect eval``: a detector's figures on a labelled folder, as tables and JSON."""

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
    ThresholdOption,
    fail,
    make_detector,
)
from ._errors import FrameDetectError
from ._models import Precision
from ._session import Provider


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
