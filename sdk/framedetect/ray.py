"""Scans on Ray Data: a Dataset of images in, a Dataset of scan rows out (the [ray] extra).

::

    import ray
    from framedetect.ray import READ_CPUS, predict_dataset

    images = ray.data.read_binary_files(
        "s3://bucket/thumbnails/", include_paths=True, num_cpus=READ_CPUS
    )
    predict_dataset(images, workers=8).write_parquet("s3://bucket/scan/")

:class:`FramePredictor` is the callable class for ``Dataset.map_batches``: each actor
of the pool builds one :class:`~framedetect.Detector` (one onnxruntime session) and
scores its batches, decoding each batch's images in the actor. Rows have the columns
and values of ``framedetect scan`` (:data:`COLUMNS`); an image that cannot be read or
decoded gives a row with its error, never a failed task. Ray is imported only here,
never by ``import framedetect``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._detector import DEFAULT_MODEL, Detector
from ._errors import FrameDetectError, InvalidArgumentError
from ._preprocess import prepare_file_bytes
from ._scan import ScanSummary, iter_image_paths, result_row

if TYPE_CHECKING:
    import pyarrow
    import ray.data

COLUMNS = ("path", "has_frame", "score", "sides", "content_box", "error")
READ_CPUS = 0
"""CPUs of a read task: reading is I/O, and the actors hold the CPUs (a read that
waited for one would wait forever)."""
BATCH_SIZE = 64
"""Images per ``map_batches`` call: big enough to amortise Ray's per-batch cost."""


def row_schema() -> pyarrow.Schema:
    """The Arrow schema of a scan row (fixed, so that batches without errors and batches
    of nothing but errors concatenate)."""
    import pyarrow as pa

    return pa.schema(
        [
            ("path", pa.string()),
            ("has_frame", pa.bool_()),
            ("score", pa.float64()),
            ("sides", pa.list_(pa.float64())),
            ("content_box", pa.list_(pa.int64())),
            ("error", pa.struct([("type", pa.string()), ("message", pa.string())])),
        ]
    )


class FramePredictor:
    """Score a batch of images: ``path`` and, when the dataset read them, ``bytes``
    (``read_binary_files(..., include_paths=True)``); without ``bytes`` each path is
    read from the file system the actor sees, as a local scan reads it."""

    def __init__(
        self,
        model: str | os.PathLike[str] = DEFAULT_MODEL,
        provider: str = "cpu",
        precision: str = "fp32",
        threads: int | None = 1,
        threshold: float | None = None,
    ) -> None:
        self.detector = Detector(
            model=model, provider=provider, precision=precision, threads=threads,
            threshold=threshold,
        )  # fmt: skip

    def __call__(self, batch: pyarrow.Table) -> pyarrow.Table:
        import pyarrow as pa

        paths = [Path(path) for path in batch.column("path").to_pylist()]
        data = batch.column("bytes").to_pylist() if "bytes" in batch.column_names else None
        outcomes: list[Any] = []
        for index, path in enumerate(paths):
            try:
                outcomes.append(
                    prepare_file_bytes(data[index], str(path), self.detector.input_size)
                    if data is not None
                    else self.detector.prepare_sized(path)
                )
            except FrameDetectError as error:
                outcomes.append(error)
        ready = [outcome for outcome in outcomes if not isinstance(outcome, FrameDetectError)]
        scored = iter(
            self.detector.predict_arrays(
                np.stack([array for array, _ in ready]), [size for _, size in ready]
            )
            if ready
            else []
        )
        rows = [
            result_row(path, outcome if isinstance(outcome, FrameDetectError) else next(scored))
            for path, outcome in zip(paths, outcomes)
        ]
        return pa.Table.from_pylist(rows, schema=row_schema())


def predict_dataset(
    images: ray.data.Dataset,
    workers: int = 1,
    threads: int = 1,
    batch_size: int = BATCH_SIZE,
    **detector: Any,
) -> ray.data.Dataset:
    """Scan rows of ``images`` (columns ``path`` and, optionally, ``bytes``) on a pool of
    ``workers`` actors, each with an onnxruntime session of ``threads`` threads and as
    many CPUs reserved. ``detector`` takes :class:`FramePredictor`'s model, provider,
    precision and threshold."""
    for name, value in (("workers", workers), ("threads", threads), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidArgumentError(f"{name} must be a positive int, got {value!r}")
    import ray.data

    return images.map_batches(
        FramePredictor,
        fn_constructor_kwargs={**detector, "threads": threads},
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=threads,
    )


def scan_on_ray(
    sources: Sequence[str],
    output: Path,
    output_format: str = "jsonl",
    address: str | None = None,
    workers: int = 1,
    threads: int = 1,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    **detector: Any,
) -> ScanSummary:
    """``framedetect scan --engine ray``: score every image of ``sources`` (files and
    folders, as a local scan finds them, or object-storage URIs such as ``s3://b/p/``,
    read by Ray) and write the rows: one JSON-lines file in path order, or with
    ``output_format="parquet"`` a folder of Parquet files that Ray writes itself. Starts
    Ray on this machine unless ``address`` names a cluster."""
    import ray

    started = time.perf_counter()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR)  # fmt: skip
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.execution_options.preserve_order = True  # the rows in path order, as locally
    local = [str(path) for path in iter_image_paths([Path(s) for s in sources if "://" not in s])]
    remote = [source for source in sources if "://" in source]
    parts = []
    if local:
        blocks = min(len(local), max(4 * workers, len(local) // BATCH_SIZE))
        items = ray.data.from_items([{"path": path} for path in local], override_num_blocks=blocks)
        parts.append(predict_dataset(items, workers, threads, **detector))
    if remote:
        read = ray.data.read_binary_files(remote, include_paths=True, num_cpus=READ_CPUS)
        parts.append(predict_dataset(read, workers, threads, **detector))
    summary = ScanSummary()
    if not parts:
        return summary
    rows = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    if output_format == "parquet":
        rows.write_parquet(str(output))
        rows = ray.data.read_parquet(str(output)).select_columns(["has_frame", "error"])
    counted: Iterable[pyarrow.Table] = rows.iter_batches(batch_format="pyarrow", batch_size=None)
    with ExitStack() as stack:
        handle = None
        if output_format != "parquet":
            handle = stack.enter_context(output.open("w", encoding="utf-8"))
        for batch in counted:
            table = batch.to_pylist()
            if handle is not None:
                handle.write("".join(json.dumps(row) + "\n" for row in table))
            for row in table:
                summary.images += 1
                summary.errors += row["error"] is not None
                summary.framed += bool(row["has_frame"])
                if on_row is not None:
                    on_row(row)
    summary.seconds = time.perf_counter() - started
    return summary
