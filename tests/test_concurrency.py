"""One Detector shared by many threads gives the serial answers; memory stays flat."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from framedetect import Detector
from framedetect_synth import make_sample

from .conftest import REPO


def test_eight_threads_give_exactly_the_serial_results() -> None:
    detector = Detector(provider="cpu")
    distinct = [make_sample(20261150, i).data for i in range(100)]
    images = [distinct[(i * 37) % 100] for i in range(2000)]  # 2,000 predictions
    serial = [detector.predict(image) for image in images]
    with ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(detector.predict, images))
    assert threaded == serial
    # really different images: 100 distinct answers (scores alone saturate near 0 and 1)
    assert len({(p.score, p.sides, p.content_box) for p in serial}) > 50


RSS_PROBE = """
import sys
import numpy as np
import framedetect

def rss_mib():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmRSS")) / 1024

count = int(sys.argv[1])
detector = framedetect.Detector(provider="cpu")
rng = np.random.default_rng(0)
arrays = [rng.integers(0, 256, (int(rng.integers(60, 400)), 300, 3), np.uint8) for _ in range(32)]
bad = [b"", b"junk", np.zeros((4, 4), np.float32)]
for i in range(2000):
    detector.predict(arrays[i % 32])
before = rss_mib()
for i in range(count):
    try:
        detector.predict(bad[i % 3] if i % 50 == 0 else arrays[i % 32])
    except framedetect.FrameDetectError:
        pass
print(f"{before:.1f} {rss_mib():.1f}")
"""


@pytest.mark.parametrize(
    "count", [5000, pytest.param(50_000, marks=pytest.mark.slow)], ids=["5k", "50k"]
)
def test_rss_stays_flat_over_many_predictions(count: int) -> None:
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(count)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=900,
    )
    before, after = map(float, out.stdout.split())
    print(f"RSS over {count:,} predictions: {before:.1f} -> {after:.1f} MiB")
    assert after - before <= 20.0
