"""``framedetect scan``: every image under some paths scored into rows, here (threads
overlapping decoding and inference, resumable) or on Ray Data actors (``--engine ray``)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import threading
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from ._detector import DEFAULT_MODEL
from ._models import Precision
from ._scan import IMAGE_SUFFIXES, iter_image_paths
from ._scan import scan as run_scan
from ._scan_log import repair
from ._session import Provider

if TYPE_CHECKING:
    from ._detector import Detector


class Engine(str, Enum):
    """Where a scan runs."""

    LOCAL = "local"
    RAY = "ray"


class OutputFormat(str, Enum):
    """What a scan writes."""

    JSONL = "jsonl"
    PARQUET = "parquet"


def scan(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders (searched recursively); with --engine ray also "
            "object-storage URIs (s3://bucket/prefix/).",
            metavar="PATH",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="JSON-lines file to write (--format parquet: a folder)."
        ),
    ],
    batch_size: Annotated[int, typer.Option(min=1, help="Images per inference batch.")] = 32,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Decoding threads (default: the CPUs the session leaves); with --engine "
            "ray, actors, each with one session of --threads threads (default: CPUs / threads).",
        ),
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
    engine: Annotated[
        Engine, typer.Option(help="local: this process; ray: Ray Data actors ([ray] extra).")
    ] = Engine.LOCAL,
    address: Annotated[
        str | None,
        typer.Option(help="A Ray cluster to join (default: start Ray here).", show_default=False),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Rows as JSON lines, or Parquet (ray).")
    ] = OutputFormat.JSONL,
) -> None:
    """Score every image under each PATH; one JSON object per image, errors included.

    Decoding runs in threads, overlapped with batched inference; use --precision int8 on
    CPUs for the highest throughput. Rows are flushed every batch. Ctrl-C or SIGTERM
    finishes the images in flight, writes their rows and exits (130 / 143); --resume
    then continues where it stopped, even after a hard kill. --engine ray scores on a
    pool of Ray actors, here or on a cluster, into the same rows.
    """
    if engine is Engine.RAY or output_format is OutputFormat.PARQUET:
        baseline = detector_choice is DetectorChoice.BASELINE
        settings = {
            "model": model_file or ("baseline" if baseline else DEFAULT_MODEL),
            "provider": provider.value,
            "precision": precision.value,
            "threshold": threshold,
        }
        ray_options = (address, workers, threads, resume, overwrite)
        _scan_on_ray(paths, output, output_format, *ray_options, settings, model_file, baseline)
        return
    uris = [path for path in paths if "://" in path]
    if uris:
        fail(f"object-storage paths need --engine ray: {', '.join(uris)}")
    detector = make_detector(provider, precision, threads, threshold, detector_choice, model_file)
    options = (batch_size, workers, resume, overwrite)
    _scan_here([Path(path) for path in paths], output, *options, detector)


def _scan_here(
    paths: list[Path],
    output: Path,
    batch_size: int,
    workers: int | None,
    resume: bool,
    overwrite: bool,
    detector: Detector,
) -> None:
    """The local scan: the checks, the scan, the summary line."""
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


def _scan_on_ray(
    sources: list[str],
    output: Path,
    output_format: OutputFormat,
    address: str | None,
    workers: int | None,
    threads: int,
    resume: bool,
    overwrite: bool,
    detector: dict[str, Any],
    model_file: Path | None,
    baseline: bool,
) -> None:
    """``scan --engine ray``: the checks, the scan, the summary line."""
    if importlib.util.find_spec("ray") is None:
        fail("--engine ray needs the [ray] extra: pip install 'framedetect[ray]'")
    from .ray import scan_on_ray

    if resume:
        fail("--resume continues a local scan; a Ray scan writes OUTPUT anew (--overwrite)")
    if output_format is OutputFormat.PARQUET and output.is_file():
        fail(f"--format parquet writes a folder of files; {output} is a file")
    if output_format is OutputFormat.JSONL and output.is_dir():
        fail(f"--output {output} is a folder; name a file in it, such as {output / 'scan.jsonl'}")
    if output.exists() and not overwrite and (output.is_file() or any(output.iterdir())):
        fail(f"{output} already exists; pass --overwrite to replace it")
    missing = [path for path in sources if "://" not in path and not Path(path).exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    make_detector(
        Provider(detector["provider"]),
        Precision(detector["precision"]),
        threads,
        detector["threshold"],
        model_file=None if isinstance(detector["model"], str) else detector["model"],
    )  # fmt: skip  (a model that cannot load fails here)
    if output.is_dir() and overwrite:
        shutil.rmtree(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    workers = workers or max(1, (os.cpu_count() or 1) // threads)
    with progress(None) as advance:
        summary = scan_on_ray(
            sources, output, output_format.value, address, workers, threads,
            on_row=lambda _row: advance(), **detector,
        )  # fmt: skip
    typer.echo(
        f"{summary.images} images: {summary.framed} framed, {summary.errors} errors -> "
        f"{output} ({summary.seconds:.2f} s, {summary.images_per_second:,.0f} images/s, "
        f"{workers} Ray workers x {threads} threads)"
    )
    if summary.images == summary.errors:
        nothing = "no image files found" if not summary.images else "every image failed"
        fail(f"nothing was scored: {nothing}", code=1)
