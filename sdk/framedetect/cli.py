"""The ``framedetect`` command line: predict, scan, generate, contact-sheet, train.

Heavy imports (onnxruntime, TensorFlow) happen inside the commands that need them, so
``framedetect --version`` and ``--help`` answer at once.
"""

from __future__ import annotations

import json
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ._errors import FrameDetectError
from ._help import use_plain_help
from ._models import Precision, bundled_generator
from ._session import Provider
from ._version import __version__

if TYPE_CHECKING:
    from ._detector import Detector

app = typer.Typer(
    help="Detect seller-added frames in product thumbnails.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: paragraphs rewrapped, no <bool> placeholders
)

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


NEWEST_GENERATOR = 6
"""``framedetect_synth.compose.GENERATORS[-1]``, without importing the generator at start-up."""
GeneratorOption = Annotated[
    int,
    typer.Option(
        min=1,
        max=NEWEST_GENERATOR,
        help="1: the first; 2: adds docs/TAXONOMY.md kinds; 3: generator 2 with real photos "
        "keyed (3.0.0 and 4.0.0 trained on it); 4: generator 3 plus room scenes and "
        "products cut by the edge; 5: generator 4 with photo crops cut from the product, "
        "not its white background, what the shipped model (5.0.0) trained on; 6: half "
        "its thumbnails are real photos of ../shared/data/real-pool (train split), plain "
        "or framed, and generator 5 the rest.",
    ),
]
DataGeneratorOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=NEWEST_GENERATOR,
        help="As for train; default: the generator the bundled model trained on, so that "
        "what you generate is what it was measured on.",
        show_default=False,
    ),
]
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


def _runtime_version() -> str:
    """``onnxruntime 1.x`` (or ``onnxruntime-gpu``), and the providers it offers."""
    from ._session import import_onnxruntime

    try:
        onnxruntime = import_onnxruntime()
    except FrameDetectError:
        return (
            "onnxruntime not installed (install framedetect[cpu] or framedetect[gpu])\n"
            "providers: none"
        )
    build = "onnxruntime"
    try:
        metadata.version("onnxruntime-gpu")
        build = "onnxruntime-gpu"
    except metadata.PackageNotFoundError:
        pass
    providers = ", ".join(onnxruntime.get_available_providers())
    return f"{build} {onnxruntime.__version__}\nproviders: {providers}"


def _version_callback(value: bool) -> None:
    if not value:
        return
    from ._models import bundled_models

    typer.echo(f"framedetect package {__version__}")
    for info in bundled_models():
        typer.echo(
            f"model {info.name} {info.version} ({info.precision}, sha256 {info.sha256[:12]})"
        )
    typer.echo(_runtime_version())
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the package, model and onnxruntime versions and the providers.",
        ),
    ] = False,
) -> None:
    """Detect seller-added frames in product thumbnails."""


def _detector(
    provider: Provider,
    precision: Precision,
    threads: int | None,
    threshold: float | None,
    detector: DetectorChoice = DetectorChoice.CNN,
    model_file: Path | None = None,
) -> Detector:
    from ._detector import DEFAULT_MODEL, Detector

    if model_file is not None and detector is not DetectorChoice.CNN:
        typer.echo("error: --model names a CNN file; drop --detector baseline", err=True)
        raise typer.Exit(2)
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
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error


@app.command()
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

    detector = _detector(provider, precision, threads, threshold, detector_choice, model_file)
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


@app.command()
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
        _fail(f"--output {output} is a folder; name a file in it, such as {output / 'scan.jsonl'}")
    if output.exists() and not output.is_file():
        _fail(f"--output {output} is not a regular file")
    if output.exists() and output.stat().st_size > 0 and not (resume or overwrite):
        _fail(f"{output} already exists; pass --resume to continue it or --overwrite to replace it")
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}")
    detector = _detector(provider, precision, threads, threshold, detector_choice, model_file)
    done = repair(output) if resume else set()
    ignored: list[Path] = []
    total = sum(1 for path in iter_image_paths(paths, ignored) if str(path) not in done)
    output.parent.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    received: list[int] = []
    try:
        with (
            _stopping_on_signals(stop, received),
            output.open("a" if resume else "w", encoding="utf-8") as handle,
            _progress(total) as advance,
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
        _fail(f"cannot write {output}: {error.strerror or error}")
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
    _exit_if_stopped(summary.interrupted, received, "run again with --resume to finish")
    if summary.images == summary.errors and not summary.skipped:
        _fail(
            "nothing was scored: "
            + ("no image files found" if not summary.images else "every image failed"),
            code=1,
        )


@contextmanager
def _stopping_on_signals(stop: threading.Event, received: list[int]) -> Iterator[None]:
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


def _exit_if_stopped(interrupted: bool, received: list[int], how: str) -> None:
    if interrupted:
        name = signal.Signals(received[0]).name if received else "a signal"
        typer.echo(f"stopped by {name}; {how}", err=True)
        raise typer.Exit(128 + (received[0] if received else signal.SIGINT))


@app.command("sort")
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
            _fail("--apply moves files already sorted; give no SRC with it")
        try:
            moved, problems = apply_corrections(into, apply)
        except FrameDetectError as error:
            _fail(str(error))
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        typer.echo(f"moved {moved} files; {into / 'labels.csv'} follows the folders")
        if problems:
            raise typer.Exit(1)
        return
    if not sources:
        _fail("give the images to sort (SRC), or --apply CSV")
    missing = [str(path) for path in sources if not path.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}")
    detector = _detector(provider, precision, threads, threshold, detector_choice, model_file)
    stop, received = threading.Event(), list[int]()
    try:
        with _stopping_on_signals(stop, received), _progress(None, "sorting") as advance:
            summary = run_sort(sources, into, detector, move, on_row=lambda _row: advance(),
                               stop=stop)  # fmt: skip
    except FrameDetectError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot sort into {into}: {error.strerror or error}")
    errors_csv = into / "errors.csv"
    how = ", ".join(f"{getattr(summary, k)} {k}" for k in ("linked", "copied", "moved")
                    if getattr(summary, k))  # fmt: skip
    typer.echo(
        f"{summary.placed['framed']} framed, {summary.placed['plain']} plain"
        f"{f' ({how})' if how else ''} -> {into}; {summary.errors} unreadable"
        f"{f' (see {errors_csv})' if summary.errors else ''}"
        f"{f', {summary.skipped} sorted before' if summary.skipped else ''}"
    )
    _exit_if_stopped(summary.interrupted, received, "run it again to finish")


@app.command()
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
        _fail(f"{folder} has no labels.csv; sort images into it first (framedetect sort)")
    try:
        page = write_review(folder)
    except FrameDetectError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot write the review page in {folder}: {error.strerror or error}")
    typer.echo(f"wrote {page}; open it in a browser")


@contextmanager
def _progress(total: int | None, what: str = "scanning") -> Iterator[Callable[[], None]]:
    """A transient rich progress bar (on stderr; no total: a spinner and a count); yields
    the function that advances it by one."""
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), *Progress.get_default_columns(), MofNCompleteColumn())
    console = Console(stderr=True)
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task)


@app.command("eval")
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
        _fail(f"{folder} is not a folder")
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
    detector = _detector(Provider.CPU, precision, None, threshold, detector_choice, model_file)
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


@app.command()
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
        _fail(f"--output {output} is a folder; name an image file, such as {output / 'crop.png'}")
    if output.exists() and not overwrite:
        _fail(f"{output} already exists; pass --overwrite to replace it")
    if not output.parent.is_dir():
        _fail(f"the folder of --output, {output.parent}, does not exist")
    detector = _detector(Provider.CPU, Precision.FP32, None, threshold, detector_choice, model_file)
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


@app.command()
def generate(
    out: Annotated[
        Path, typer.Argument(help="Folder to write images/ and labels.csv into.", metavar="OUT")
    ],
    count: Annotated[int, typer.Option(min=1, help="How many thumbnails.")] = 16,
    seed: Annotated[int, typer.Option(help="Data-set seed; the same seed gives the same set.")] = 7,
    photos: Annotated[
        bool,
        typer.Option(
            help="Compose real photos from ../shared when the folders exist (real-products; "
            "generator 6 also real-pool)."
        ),
    ] = True,
    jpeg_only: Annotated[bool, typer.Option(help="Encode every image as JPEG.")] = False,
    generator: DataGeneratorOption = None,
    overwrite: Annotated[
        bool, typer.Option(help="Delete OUT's images/ and labels.csv first.")
    ] = False,
    append: Annotated[
        bool,
        typer.Option(help="Add to OUT: new rows after its labels.csv, the seed's next samples."),
    ] = False,
) -> None:
    """Write generated thumbnails (framed and not) with their labels.

    A folder that is not empty is refused unless --overwrite or --append says what to do
    with what is there, so that labels.csv always lists exactly the images beside it.
    """
    from framedetect_synth import write_folder
    from framedetect_synth.photos import default_photo_dir
    from framedetect_synth.real_pool import default_pool_dir

    if overwrite and append:
        _fail("choose --overwrite or --append, not both")
    _claim_folder(out, overwrite, append)
    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    generator = generator or bundled_generator()
    try:
        labels = write_folder(
            out, seed, count, photo_dir, jpeg_only, generator, append, pool_dir=pool_dir
        )
    except ValueError as error:
        _fail(str(error))
    typer.echo(f"wrote {count} thumbnails and {labels}")


def _claim_folder(out: Path, overwrite: bool, append: bool | None = None) -> None:
    """Refuse a labelled-set folder that is not empty, unless ``overwrite`` (delete its
    images/ and labels.csv; other entries stay, and it says so) or ``append`` (None: the
    command has no --append)."""
    if out.exists() and not out.is_dir():
        _fail(f"{out} exists and is not a folder")
    entries = sorted(out.iterdir()) if out.is_dir() else []
    if entries and not (overwrite or append):
        offer = "" if append is None else ", or --append to add to them"
        _fail(
            f"{out} is not empty ({len(entries)} entries); pass --overwrite to replace its "
            f"images/ and labels.csv{offer}"
        )
    if overwrite:
        shutil.rmtree(out / "images", ignore_errors=True)
        (out / "labels.csv").unlink(missing_ok=True)
        others = [entry.name for entry in entries if entry.name not in ("images", "labels.csv")]
        if others:
            typer.echo(f"left {len(others)} other entries of {out} in place", err=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command("real-set")
def real_set(
    out: Annotated[
        Path, typer.Argument(help="Folder to write images/ and labels.csv into.", metavar="OUT")
    ],
    split: Annotated[
        list[str] | None,
        typer.Option(
            help="Pool splits to use: test, validation, train, cross-source; repeat for "
            "several (default: test and cross-source, which training never composes).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Use about this many photos, spread evenly.")
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of the frames drawn (the shipped models' sets: 20261201).")
    ] = 20261201,
    pool: Annotated[
        Path | None,
        typer.Option(
            help="The real-photo pool (default: ../shared/data/real-pool).", show_default=False
        ),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace OUT's images/ and labels.csv.")] = False,
) -> None:
    """Write a labelled set of real photos: each one plain, and once framed.

    Frames of every family (bands, thin edge outlines, inset lines, one to three sides,
    promo strips, letterbox bars) are drawn around or over held-out photos of the pool;
    'framedetect eval OUT' then reports accuracy by family and by source.
    """
    from framedetect_synth.real_pool import SPLITS, default_pool_dir, read_pool
    from framedetect_synth.real_set import write_real_set

    splits = tuple(split or ("test", "cross-source"))
    unknown = [name for name in splits if name not in SPLITS]
    if unknown:
        _fail(f"unknown split {', '.join(unknown)}; expected {', '.join(SPLITS)}")
    folder = pool or default_pool_dir()
    if folder is None or not folder.is_dir():
        _fail("no real-photo pool: pass --pool or set FRAMEDETECT_REAL_POOL")
    _claim_folder(out, overwrite)
    try:
        photos = read_pool(folder, splits)
        labels = write_real_set(out, photos, seed, limit)
    except ValueError as error:
        _fail(str(error))
    used = min(len(photos), limit or len(photos))
    typer.echo(f"wrote {2 * used} images ({used} photos, plain and framed) and {labels}")


@app.command("contact-sheet")
def contact_sheet(
    out: Annotated[Path, typer.Argument(help="PNG file to write.", metavar="OUT.png")],
    count: Annotated[int, typer.Option(min=1, help="How many samples.")] = 48,
    seed: Annotated[int, typer.Option(help="Data-set seed.")] = 1,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
    generator: DataGeneratorOption = None,
    per_kind: Annotated[
        int, typer.Option(min=0, help="Show this many samples of every kind, a row each.")
    ] = 0,
) -> None:
    """Draw generated samples with their labels into one PNG, to look at."""
    from framedetect_synth.contact_sheet import contact_sheet as draw
    from framedetect_synth.photos import default_photo_dir
    from framedetect_synth.real_pool import default_pool_dir

    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    generator = generator or bundled_generator()
    with _progress(None if per_kind else count, "generating samples") as advance:
        path = draw(
            out,
            seed,
            count,
            photo_dir=photo_dir,
            generator=generator,
            per_kind=per_kind,
            on_sample=advance,
            pool_dir=pool_dir,
        )
    typer.echo(f"wrote {path}")


@app.command()
def taxonomy(
    out: Annotated[Path, typer.Argument(help="Markdown file to write.", metavar="OUT.md")] = Path(
        "docs/TAXONOMY.md"
    ),
    count: Annotated[int, typer.Option(min=100, help="Samples per generator.")] = 3000,
    seed: Annotated[int, typer.Option(help="Data-set seed.")] = 20261170,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
) -> None:
    """Measure how often each kind of scene is drawn, by generator, and write the table."""
    from framedetect_synth.compose import GENERATORS
    from framedetect_synth.photos import default_photo_dir
    from framedetect_synth.real_pool import default_pool_dir
    from framedetect_synth.taxonomy import measure, write_taxonomy

    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    counts = {g: measure(seed, count, photo_dir, g, pool_dir) for g in GENERATORS}
    typer.echo(f"wrote {write_taxonomy(out, counts, seed, count)}")


@app.command()
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
    ship: Annotated[
        bool, typer.Option(help="Evaluate and install the model into the SDK package.")
    ] = False,
    generator: GeneratorOption = 5,
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
        from framedetect_keras.cli import run_training
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
        generator=generator,
        model=model,
    )


@app.command()
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
    generator: GeneratorOption = 5,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache generated arrays here.")] = Path(
        "build/cache"
    ),
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
        from framedetect_keras.cli import data_settings, run_experiment_suite
    except ImportError as error:
        typer.echo(f"error: 'framedetect experiments' needs the [train] extra ({error})", err=True)
        raise typer.Exit(2) from error
    data = data_settings(seed, train_size, val_size, test_size, photos, generator)
    run_experiment_suite(
        out=out,
        docs=docs,
        data=data,
        epochs=epochs,
        reference_epochs=reference_epochs,
        cache_dir=cache_dir,
        ship=ship,
        compare=tuple(compare or ()),
    )


@app.command()
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
        from framedetect_quantize.ship import ship_variants
        from framedetect_synth.photos import default_photo_dir
    except ImportError as error:
        typer.echo(
            f"error: 'framedetect quantize' needs a source checkout with the [train] extra "
            f"({error}); pip install -e '.[train]'",
            err=True,
        )
        raise typer.Exit(2) from error
    check_source_checkout()
    photo_dir = default_photo_dir() if photos else None
    from framedetect_synth.real_pool import default_pool_dir

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
        _fail(str(error))
    for entry in entries:
        test = entry["metrics"]["test"]
        typer.echo(
            f"{entry['precision']}: {entry['file']} ({entry['bytes']:,} bytes) test accuracy "
            f"{test['accuracy']:.4f}, AUC {test['roc_auc']:.4f}"
        )


@app.command("tune-baseline")
def tune_baseline(
    seed: Annotated[int, typer.Option(help="Validation data seed (never the test seed).")] = (
        20261131
    ),
    count: Annotated[int, typer.Option(min=100, help="Validation images.")] = 2000,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
) -> None:
    """Tune the Canny baseline's thresholds on generated validation data and ship them."""
    try:
        from framedetect_baseline.tune import tune, write_params
        from framedetect_keras.release import SOURCE_MODELS_DIR, check_source_checkout
        from framedetect_synth.photos import default_photo_dir
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


def _add_bench() -> None:
    """``framedetect bench`` lives in the framedetect_bench package that ships alongside."""
    try:
        from framedetect_bench.cli import bench
    except ImportError:
        return
    app.command("bench")(bench)


_add_bench()
use_plain_help(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="framedetect")


if __name__ == "__main__":  # pragma: no cover
    main()
