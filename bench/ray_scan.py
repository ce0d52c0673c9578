"""Ray scan against the local scan, in one run: the same rows, and what Ray costs.

    python bench/ray_scan.py [--images N] [--workers 1 --workers 2]

Writes a folder of N images (generated thumbnails, real photos of ../shared/data/real-pool
when it is there, and 2 % corrupt files: empty and cut short), scans it locally, then on
Ray Data with each worker count (1 onnxruntime thread each, Ray started once, actors
started inside each timed scan), and prints images/s, ms per image and whether every
row matches the local scan's (same paths and errors, scores within 1e-6). Needs [ray].
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import tempfile
import time
from pathlib import Path

import ray

from framedetect import Detector
from framedetect._scan import scan
from framedetect.ray import scan_on_ray
from framedetect_synth import write_folder
from framedetect_synth.real_pool import default_pool_dir, read_pool

CORRUPT_SHARE = 0.02
REAL_SHARE = 0.3


def make_images(folder: Path, count: int) -> dict[str, int]:
    """``count`` images in ``folder``: generated, real and corrupt; how many of each."""
    corrupt = max(2, round(count * CORRUPT_SHARE))
    pool = default_pool_dir()
    photos = read_pool(pool, ("test", "cross-source")) if pool else []
    real = min(len(photos), round(count * REAL_SHARE))
    generated = count - corrupt - real
    write_folder(folder / "generated", 7, generated, None, False, 6)
    for index, photo in enumerate(photos[:real]):
        shutil.copy(photo.path, folder / f"real-{index:05d}{photo.path.suffix}")
    sample = next((folder / "generated" / "images").iterdir()).read_bytes()
    for index in range(corrupt):
        data = b"" if index % 2 else sample[: len(sample) // 3]
        (folder / f"corrupt-{index:04d}.jpg").write_bytes(data)
    return {"generated": generated, "real": real, "corrupt": corrupt}


def same_rows(local: list[dict[str, object]], other: list[dict[str, object]]) -> bool:
    """Same paths in the same order, same errors and verdicts, scores within 1e-6."""
    if [row["path"] for row in local] != [row["path"] for row in other]:
        return False
    for a, b in zip(local, other):
        if a["error"] != b["error"] or a["has_frame"] != b["has_frame"]:
            return False
        if a["score"] is not None and abs(float(a["score"]) - float(b["score"])) > 1e-6:  # type: ignore[arg-type]
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--workers", type=int, action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="framedetect-ray-") as tmp:
        folder = Path(tmp) / "images"
        made = make_images(folder, args.images)
        print(f"{args.images} images: {made}")
        out = io.StringIO()
        started = time.perf_counter()
        summary = scan([folder], out, Detector(provider="cpu", threads=1))
        local_s = time.perf_counter() - started
        local = [json.loads(line) for line in out.getvalue().splitlines()]
        print(f"local scan (1 onnxruntime thread, decoding threads: the other CPUs): "
              f"{summary.images / local_s:,.0f} images/s, {1000 * local_s / summary.images:.3f} "
              f"ms/image, {summary.errors} error rows")  # fmt: skip
        ray.init(include_dashboard=False, log_to_driver=False)
        rates = {}
        for workers in args.workers or [1, 2]:
            output = Path(tmp) / f"ray-{workers}.jsonl"
            started = time.perf_counter()
            result = scan_on_ray([str(folder)], output, workers=workers, threads=1)
            seconds = time.perf_counter() - started
            rows = [json.loads(line) for line in output.read_text().splitlines()]
            rates[workers] = result.images / seconds
            print(f"ray {workers} worker(s) x 1 thread: {rates[workers]:,.0f} images/s, "
                  f"{1000 * seconds / result.images:.3f} ms/image, rows equal to the local "
                  f"scan's: {same_rows(local, rows)}")  # fmt: skip
        if 1 in rates and 2 in rates:
            print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")
        ray.shutdown()


if __name__ == "__main__":
    main()
