"""Timing loops and their statistics: per-image p50 / p95 / p99 and images per second."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Timing:
    """Per-image latency of one timed call, over ``runs`` calls of ``batch`` images."""

    runs: int
    batch: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def images_per_s(self) -> float:
        """Throughput at the median."""
        return 1000.0 / self.p50_ms if self.p50_ms > 0 else float("inf")


def time_calls(call: Callable[[int], object], batch: int, runs: int, warmup: int) -> Timing:
    """Time ``call(run_index)`` ``runs`` times after ``warmup`` untimed calls.

    Each call handles ``batch`` images; the statistics are per image (call time / batch).
    """
    for index in range(warmup):
        call(index)
    seconds = np.empty(runs)
    for index in range(runs):
        start = time.perf_counter()
        call(warmup + index)
        seconds[index] = time.perf_counter() - start
    per_image_ms = seconds * 1000.0 / batch
    p50, p95, p99 = np.percentile(per_image_ms, [50, 95, 99])
    return Timing(runs, batch, float(p50), float(p95), float(p99))
