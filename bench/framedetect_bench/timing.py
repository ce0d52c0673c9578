"""Timing loops and their statistics: per-image p50 / p95 / p99 and images per second."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
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


Call = Callable[[int], object]


def time_calls(call: Call, batch: int, runs: int, warmup: int) -> Timing:
    """Time ``call(run_index)`` ``runs`` times after ``warmup`` untimed calls.

    Each call handles ``batch`` images; the statistics are per image (call time / batch).
    """
    return time_interleaved([(call, batch)], runs, warmup, rounds=1)[0]


def time_interleaved(
    calls: Sequence[tuple[Call, int]], runs: int, warmup: int, rounds: int = 10
) -> list[Timing]:
    """Time several ``(call, batch)`` pairs side by side: ``rounds`` rounds, each giving
    every call its share of ``runs`` in turn.

    On a shared, noisy machine a slow minute then lands on all of them alike, so their
    ratios (batch 32 against batch 1, say) hold even when the absolute times drift.
    """
    for call, _ in calls:
        for index in range(warmup):
            call(index)
    seconds = [np.empty(runs) for _ in calls]
    rounds = max(1, min(rounds, runs))
    for round_index in range(rounds):
        start_run = round_index * runs // rounds
        stop_run = (round_index + 1) * runs // rounds
        for (call, _), times in zip(calls, seconds):
            for index in range(start_run, stop_run):
                start = time.perf_counter()
                call(warmup + index)
                times[index] = time.perf_counter() - start
    timings = []
    for (_, batch), times in zip(calls, seconds):
        per_image_ms = times * 1000.0 / batch
        p50, p95, p99 = np.percentile(per_image_ms, [50, 95, 99])
        timings.append(Timing(runs, batch, float(p50), float(p95), float(p99)))
    return timings
