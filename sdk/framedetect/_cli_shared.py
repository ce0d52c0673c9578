"""What the command groups share: option types, the detector a command runs, the error
exit, the progress bar, signal handling and the "refuse a folder that is not empty" rule.

Command groups outside the SDK (data, training, bench) import these too, so that every
command of ``framedetect`` reads and fails alike.
"""

from __future__ import annotations

import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ._errors import FrameDetectError
from ._models import Precision
from ._session import Provider

if TYPE_CHECKING:
    from ._detector import Detector

ProviderOption = Annotated[
    Provider, typer.Option(help="Execution provider; 'cuda' fails if CUDA does not attach.")
]
PrecisionOption = Annotated[
    Precision, typer.Option(help="Model build: int8 is fastest on CPUs, fp16 is for CUDA.")
]
ThreadsOption = Annotated[int | None, typer.Option(min=1, help="onnxruntime intra-op threads.")]
ThresholdOption = Annotated[
    float | None,
    typer.Option(
        min=0.0, max=1.0, help="Score at or above which an image is framed (default: model's)."
    ),
]


class DetectorChoice(str, Enum):
    """Which detector a command runs."""

    CNN = "cnn"
    BASELINE = "baseline"


DetectorOption = Annotated[
    DetectorChoice,
    typer.Option("--detector", help="cnn: the bundled model; baseline: Canny + rules (OpenCV)."),
]
ModelFileOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="An .onnx file to run instead of the bundled CNN, such as one that "
        "'framedetect train' exported (--precision does not apply to it).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def make_detector(
    provider: Provider,
    precision: Precision,
    threads: int | None,
    threshold: float | None,
    detector: DetectorChoice = DetectorChoice.CNN,
    model_file: Path | None = None,
) -> Detector:
    """The Detector the options ask for; a model that cannot load exits 2."""
    from ._detector import DEFAULT_MODEL, Detector

    if model_file is not None and detector is not DetectorChoice.CNN:
        fail("--model names a CNN file; drop --detector baseline")
    model: str | Path = DEFAULT_MODEL if detector is DetectorChoice.CNN else detector.value
    try:
        return Detector(
            provider=provider,
            precision=precision,
            threads=threads,
            threshold=threshold,
            model=model_file or model,
        )
    except FrameDetectError as error:
        fail(str(error))


@contextmanager
def progress(total: int | None, what: str = "scanning") -> Iterator[Callable[[], None]]:
    """A transient rich progress bar (on stderr; no total: a spinner and a count); yields
    the function that advances it by one."""
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), *Progress.get_default_columns(), MofNCompleteColumn())
    console = Console(stderr=True)
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


@contextmanager
def stopping_on_signals(stop: threading.Event, received: list[int]) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM set ``stop`` (and are listed in ``received``)
    instead of killing the process, so that work in flight is finished and kept."""

    def on_signal(number: int, _frame: object) -> None:
        received.append(number)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def exit_if_stopped(interrupted: bool, received: list[int], how: str) -> None:
    """Exit 128 + the signal's number when a signal stopped the work, saying ``how`` to
    finish it."""
    if interrupted:
        name = signal.Signals(received[0]).name if received else "a signal"
        typer.echo(f"stopped by {name}; {how}", err=True)
        raise typer.Exit(128 + (received[0] if received else signal.SIGINT))


def claim_folder(out: Path, overwrite: bool, append: bool | None = None) -> None:
    """Refuse a labelled-set folder that is not empty, unless ``overwrite`` (delete its
    images/ and labels.csv; other entries stay, and it says so) or ``append`` (None: the
    command has no --append)."""
    if out.exists() and not out.is_dir():
        fail(f"{out} exists and is not a folder")
    entries = sorted(out.iterdir()) if out.is_dir() else []
    if entries and not (overwrite or append):
        offer = "" if append is None else ", or --append to add to them"
        fail(
            f"{out} is not empty ({len(entries)} entries); pass --overwrite to replace its "
            f"images/ and labels.csv{offer}"
        )
    if overwrite:
        shutil.rmtree(out / "images", ignore_errors=True)
        (out / "labels.csv").unlink(missing_ok=True)
        others = [entry.name for entry in entries if entry.name not in ("images", "labels.csv")]
        if others:
            typer.echo(f"left {len(others)} other entries of {out} in place", err=True)
