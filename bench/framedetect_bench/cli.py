"""The ``framedetect bench`` command (typer); exits 1 when a variant breaks the budget."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from framedetect import FrameDetectError, Provider

QUICK = {"runs": 50, "warmup": 5, "accuracy_images": 200, "pool": 64}


def bench(
    precision: Annotated[
        list[str] | None,
        typer.Option(help="fp32, int8, fp16; repeat for several (default: all for the provider)."),
    ] = None,
    provider: Annotated[
        list[Provider] | None,
        typer.Option(help="cpu, cuda; repeat for several (default: every available one)."),
    ] = None,
    batch: Annotated[list[int] | None, typer.Option(min=1, help="Batch sizes.")] = None,
    runs: Annotated[int, typer.Option(min=1, help="Timed runs per cell.")] = 200,
    warmup: Annotated[int, typer.Option(min=0, help="Untimed runs first.")] = 20,
    threads: Annotated[
        list[int] | None,
        typer.Option(min=1, help="onnxruntime threads; repeat to compare (default: its own)."),
    ] = None,
    accuracy_images: Annotated[
        int, typer.Option(min=20, help="Generated, labelled images for the accuracy columns.")
    ] = 1000,
    images: Annotated[
        Path | None,
        typer.Option(
            help="Time the image files in this folder (up to 256, as they are on disk) "
            "instead of generated 500 px JPEGs.",
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Bench this .onnx file instead of the bundled models; rows are named "
            "custom:NAME/PRECISION/..., the precision taken from its metadata.",
            show_default=False,
        ),
    ] = None,
    budget_ms: Annotated[
        float, typer.Option(min=0.0, help="Max end-to-end p95 ms per image for every variant.")
    ] = 15.0,
    quick: Annotated[
        bool, typer.Option(help="50 runs, 200 labelled images, no Keras rows: for CI.")
    ] = False,
    keras: Annotated[bool, typer.Option(help="Add Keras rows when TensorFlow is there.")] = True,
    baseline: Annotated[
        bool, typer.Option(help="Add the Canny baseline's row when OpenCV is there.")
    ] = True,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write all results.")] = None,
    markdown: Annotated[bool, typer.Option(help="Print Markdown instead of a table.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of the timings.")] = None,
) -> None:
    """Time every precision x provider x batch size, model-only and end to end (JPEG bytes).

    Reports p50/p95/p99 ms per image, images/s, model size, accuracy and AUC, and exits 1
    when any variant's end-to-end p95 exceeds --budget-ms.
    """
    from rich.console import Console

    from .report import markdown as to_markdown
    from .report import plot as draw
    from .report import print_table, to_json
    from .run import BenchSettings, run_bench

    for name in precision or []:
        if name not in ("fp32", "int8", "fp16"):
            raise typer.BadParameter(
                f"{name!r}; expected fp32, int8 or fp16", param_hint="--precision"
            )
    settings = BenchSettings(
        precisions=precision or None,
        providers=provider or None,
        batches=tuple(batch or (1, 8, 32)),
        runs=QUICK["runs"] if quick else runs,
        warmup=QUICK["warmup"] if quick else warmup,
        threads=tuple(threads) if threads else (None,),
        accuracy_images=QUICK["accuracy_images"] if quick else accuracy_images,
        pool=QUICK["pool"] if quick or runs < 64 else 256,
        budget_ms=budget_ms,
        keras=keras and not quick,
        baseline=baseline and not quick and model is None,
        images_dir=images,
        model_file=model,
    )
    console = Console(stderr=markdown)
    if not console.is_terminal:  # logs and CI: keep the whole table readable
        console = Console(stderr=markdown, width=180)
    try:
        report = run_bench(settings, progress=lambda message: console.log(message))
    except FrameDetectError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    if markdown:
        typer.echo(to_markdown(report))
    else:
        print_table(report, console)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(to_json(report) + "\n")
    if plot:
        draw(report, plot)
    if report.over_budget:
        names = ", ".join(row.name for row in report.over_budget)
        typer.echo(f"over budget ({budget_ms:g} ms end-to-end p95): {names}", err=True)
        raise typer.Exit(1)
