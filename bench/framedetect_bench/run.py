"""Run the benchmark: every selected variant, model-only and end to end, plus reference rows."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np

from framedetect import Detector, FrameDetectError, Provider, _jpeg
from framedetect._models import MODELS_PACKAGE, find_model
from framedetect.metrics import accuracy, roc_auc

from .keras_reference import keras_runners, max_abs_diff
from .split import split_calls
from .timing import Timing, time_calls, time_interleaved
from .variants import Variant, for_model_file, select_variants
from .workload import Workload, folder_workload, labelled_set, make_workload

ACCURACY_SEED = 20261132
"""The shipped model's test seed: generated images training never used."""


@dataclass(frozen=True)
class BenchSettings:
    """What to run, how often, and the budget to enforce."""

    precisions: list[str] | None = None
    providers: list[Provider] | None = None
    batches: tuple[int, ...] = (1, 8, 32)
    runs: int = 200
    warmup: int = 20
    threads: tuple[int | None, ...] = (None,)
    accuracy_images: int = 1000
    pool: int = 256
    side: int = 500
    budget_ms: float = 15.0
    keras: bool = True
    baseline: bool = True
    images_dir: Path | None = None
    """Time these files instead of generated JPEGs."""
    model_file: Path | None = None
    """Bench this .onnx file instead of the bundled models."""


@dataclass
class Row:
    """One line of the table."""

    name: str
    precision: str
    provider: str
    batch: int
    model_only: Timing | None
    end_to_end: Timing | None
    model_bytes: int | None
    accuracy: float | None = None
    auc: float | None = None
    over_budget: bool = False
    split: dict[str, float] | None = None
    """p50 ms per image of each stage, one image at a time: decode, resize, model, post."""

    def to_dict(self) -> dict[str, Any]:
        def timing(t: Timing | None) -> dict[str, float] | None:
            if t is None:
                return None
            return {
                "p50_ms": t.p50_ms,
                "p95_ms": t.p95_ms,
                "p99_ms": t.p99_ms,
                "images_per_s": t.images_per_s,
                "runs": t.runs,
            }

        return {
            "name": self.name,
            "precision": self.precision,
            "provider": self.provider,
            "batch": self.batch,
            "model_only": timing(self.model_only),
            "end_to_end": timing(self.end_to_end),
            "model_bytes": self.model_bytes,
            "accuracy": self.accuracy,
            "roc_auc": self.auc,
            "over_budget": self.over_budget,
            "split_p50_ms": self.split,
        }


@dataclass
class BenchReport:
    """All rows, the budget verdict and the headline ratios of one run."""

    settings: BenchSettings
    rows: list[Row]
    environment: dict[str, Any]
    ratios: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    workload: str = ""
    """What the end-to-end column starts from."""

    @property
    def over_budget(self) -> list[Row]:
        return [row for row in self.rows if row.over_budget]

    def row(self, name: str) -> Row | None:
        return next((row for row in self.rows if row.name == name), None)


Progress = Callable[[str], None]


def run_bench(settings: BenchSettings, progress: Progress = lambda _: None) -> BenchReport:
    """Time and score every selected variant; see :class:`BenchSettings`."""
    variants = select_variants(
        settings.precisions, settings.providers, list(settings.batches), list(settings.threads)
    )
    if settings.model_file is not None:
        custom = Detector(model=settings.model_file, provider="cpu")
        variants = for_model_file(variants, settings.model_file, custom.info.precision)
    if settings.images_dir is not None:
        progress(f"reading up to {settings.pool} images from {settings.images_dir}")
        workload = folder_workload(settings.images_dir, settings.pool)
    else:
        progress(f"generating {settings.pool} {settings.side}px JPEGs")
        workload = make_workload(settings.pool, settings.side)
    progress(f"generating {settings.accuracy_images} labelled images")
    labelled = labelled_set(ACCURACY_SEED, settings.accuracy_images)
    rows: list[Row] = []
    for group in _by_session(variants):
        first = group[0]
        detector = Detector(
            provider=first.provider,
            precision=first.precision,
            threads=first.threads,
            model=first.model or "framedetect",
        )
        scores = detector.scores(labelled.images)
        quality = (accuracy(labelled.has_frame, scores), roc_auc(labelled.has_frame, scores))
        progress(f"timing {', '.join(variant.name for variant in group)}")
        rows += _time_variants(detector, group, workload, settings, quality)
        del detector  # one session at a time: idle thread pools skew timings
    report = BenchReport(settings, rows, _environment(settings), workload=workload.description)
    if settings.baseline:
        progress("timing the Canny baseline")
        _baseline_row(report, workload)
    if settings.keras:
        progress("timing the Keras reference rows")
        _keras_rows(report, workload)
    report.ratios = _ratios(report)
    return report


def _by_session(variants: list[Variant]) -> list[list[Variant]]:
    """Variants grouped by the session they share (precision, provider, threads), in order."""
    groups: dict[tuple[str, Provider, int | None, Path | None], list[Variant]] = {}
    for variant in variants:
        key = (variant.precision, variant.provider, variant.threads, variant.model)
        groups.setdefault(key, []).append(variant)
    return list(groups.values())


def _time_variants(
    detector: Detector,
    variants: list[Variant],
    workload: Workload,
    settings: BenchSettings,
    quality: tuple[float, float],
) -> list[Row]:
    """Every batch size of one session, model-only, end to end and the split into stages,
    all timed interleaved."""
    calls: list[tuple[Callable[[int], object], int]] = []
    for variant in variants:

        def model_only(run: int, batch: int = variant.batch) -> object:
            return detector.scores(workload.array_batch(run, batch))

        def end_to_end(run: int, batch: int = variant.batch) -> object:
            return detector.predict_batch(workload.jpeg_batch(run, batch), batch_size=batch)

        calls += [(model_only, variant.batch), (end_to_end, variant.batch)]
    stages = split_calls(detector, workload, [variant.batch for variant in variants])
    calls += list(stages.values())
    timings = time_interleaved(calls, settings.runs, settings.warmup)
    staged = dict(zip(stages, timings[2 * len(variants) :]))
    rows = []
    for index, variant in enumerate(variants):
        alone, whole = timings[2 * index], timings[2 * index + 1]
        split = {
            "decode": round(staged["decode"].p50_ms, 4),
            "resize": round(staged["resize"].p50_ms, 4),
            "model": round(alone.p50_ms, 4),
            "post": round(staged[f"post/b{variant.batch}"].p50_ms, 4),
        }
        rows.append(
            Row(
                name=variant.name,
                precision=variant.precision,
                provider=variant.provider.value,
                batch=variant.batch,
                model_only=alone,
                end_to_end=whole,
                model_bytes=_model_bytes(variant),
                accuracy=round(quality[0], 4),
                auc=round(quality[1], 4),
                over_budget=whole.p95_ms > settings.budget_ms,
                split=split,
            )
        )
    return rows


def _model_bytes(variant: Variant) -> int:
    if variant.model is not None:
        return variant.model.stat().st_size
    return _bytes(find_model("framedetect", variant.precision).file)


def _bytes(file: str) -> int:
    return len(resources.files(MODELS_PACKAGE).joinpath(file).read_bytes())


def _baseline_row(report: BenchReport, workload: Workload) -> None:
    """The write-up's Canny baseline, batch 1, model-only and end to end (needs OpenCV)."""
    try:
        baseline = Detector(model="baseline")
    except FrameDetectError as error:
        report.notes.append(f"baseline row skipped: {error}")
        return
    settings = report.settings
    arrays = np.stack([baseline.prepare(data) for data in workload.jpegs])
    model_only = time_calls(
        lambda run: baseline.scores(arrays[run % len(arrays)][None]),
        1,
        settings.runs,
        settings.warmup,
    )
    end_to_end = time_calls(
        lambda run: baseline.predict(workload.jpegs[run % len(workload.jpegs)]),
        1,
        settings.runs,
        settings.warmup,
    )
    labelled = labelled_set(ACCURACY_SEED, settings.accuracy_images, baseline.input_size)
    scores = baseline.scores(labelled.images)
    report.rows.append(
        Row(
            "baseline/opencv/b1",
            "canny",
            "opencv",
            1,
            model_only,
            end_to_end,
            None,
            round(accuracy(labelled.has_frame, scores, baseline.threshold), 4),
            round(roc_auc(labelled.has_frame, scores), 4),
            end_to_end.p95_ms > settings.budget_ms,
        )
    )


def _keras_rows(report: BenchReport, workload: Workload) -> None:
    runners = keras_runners()
    if runners is None:
        report.notes.append("Keras rows skipped: TensorFlow / the converters are not installed")
        return
    settings = report.settings
    for name, runner in runners.items():

        def call(run: int, runner: Callable[[np.ndarray], Any] = runner) -> Any:
            return runner(workload.array_batch(run, 1))

        timing = time_calls(call, 1, settings.runs, min(settings.warmup, 5))
        report.rows.append(Row(name, "fp32", "tensorflow-cpu", 1, timing, None, None))
    sample = workload.arrays[:32]
    fp32 = Detector(provider=Provider.CPU, threads=1).scores(sample)
    diff = max_abs_diff(runners["keras eager"], sample, fp32)
    report.notes.append(
        f"Keras rows run the fp32 model's own weights: scores differ by at most {diff:.1e}"
    )


def _ratios(report: BenchReport) -> dict[str, float]:
    """Headline ratios (slower p50 / faster p50), all from this one run: model-only
    speed-ups, and the end-to-end ones a user sees (``e2e ...``)."""

    def p50(name: str, mode: str = "model_only") -> float | None:
        row = report.row(name)
        timing = getattr(row, mode) if row else None
        return timing.p50_ms if timing else None

    ratios = {}
    prefix = f"custom:{report.settings.model_file.stem}/" if report.settings.model_file else ""
    for threads in report.settings.threads:
        at = "" if threads is None else f"/t{threads}"
        fp32, int8 = f"{prefix}fp32/cpu/b1{at}", f"{prefix}int8/cpu/b1{at}"
        pairs = {
            "fp32_b1 vs keras_eager": ("keras eager", "model_only", fp32, "model_only"),
            "fp32_b1 vs keras_predict": ("keras predict", "model_only", fp32, "model_only"),
            "int8_b1 vs fp32_b1": (fp32, "model_only", int8, "model_only"),
            "fp32_b32 vs fp32_b1 per image": (
                fp32,
                "model_only",
                f"{prefix}fp32/cpu/b32{at}",
                "model_only",
            ),
            "int8_b32 vs int8_b1 per image": (
                int8,
                "model_only",
                f"{prefix}int8/cpu/b32{at}",
                "model_only",
            ),
            "e2e fp32_b1 / model fp32_b1": (fp32, "end_to_end", fp32, "model_only"),
            "e2e int8_b1 / model int8_b1": (int8, "end_to_end", int8, "model_only"),
            "e2e int8_b1 vs fp32_b1": (fp32, "end_to_end", int8, "end_to_end"),
            "e2e fp32_b32 / fp32_b1 per image": (
                f"{prefix}fp32/cpu/b32{at}",
                "end_to_end",
                fp32,
                "end_to_end",
            ),
            "e2e int8_b32 / int8_b1 per image": (
                f"{prefix}int8/cpu/b32{at}",
                "end_to_end",
                int8,
                "end_to_end",
            ),
        }
        for key, (slow, slow_mode, fast, fast_mode) in pairs.items():
            a, b = p50(slow, slow_mode), p50(fast, fast_mode)
            if a and b:
                ratios[f"{key}{' @ ' + str(threads) + ' threads' if threads else ''}"] = round(
                    a / b, 2
                )
    return ratios


def _environment(settings: BenchSettings) -> dict[str, Any]:
    versions = {}
    for package in (
        "framedetect",
        "onnxruntime",
        "onnxruntime-gpu",
        "numpy",
        "pillow",
        "simplejpeg",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return {
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "threads": settings.threads,
        "versions": versions,
        "jpeg_decoder": _jpeg.describe(),
    }
