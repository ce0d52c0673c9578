"""Shared fixtures: the bundled detector, generated thumbnails, the ../shared data folders."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framedetect import Detector
from framedetect_synth import write_folder

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SEED_EXAMPLES = SHARED_DATA / "seed-examples"
REAL_PRODUCTS = SHARED_DATA / "real-products"

needs_seed_examples = pytest.mark.skipif(
    not SEED_EXAMPLES.is_dir(), reason="../shared/data/seed-examples is absent"
)
needs_real_products = pytest.mark.skipif(
    not REAL_PRODUCTS.is_dir(), reason="../shared/data/real-products is absent"
)


@pytest.fixture(scope="session")
def detector() -> Detector:
    """The bundled fp32 model on the CPU, loaded once."""
    return Detector(provider="cpu")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated, labelled folder; procedural products only, the same everywhere."""
    out = tmp_path_factory.mktemp("generated")
    write_folder(out, seed=5, count=24, photo_dir=None)
    return out


TINY_POOL_SOURCE = "example/shop"
MANIFEST = ("file", "source_repo", "source_path", "licence", "width", "height", "had_alpha",
            "category")  # fmt: skip


@pytest.fixture(scope="session")
def tiny_pool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pool of 60 photos (every other one a mirror), in every split, as the manifest says."""
    folder = tmp_path_factory.mktemp("pool")
    rows = []
    for index in range(60):
        rng = np.random.default_rng(index)
        size = (int(rng.integers(200, 512)), int(rng.integers(200, 512)))
        pixels = rng.integers(0, 256, (8, 8, 3), np.uint8)
        image = Image.fromarray(pixels).resize(size, Image.Resampling.BILINEAR)
        name = f"shop/{index:03d}.jpg"
        (folder / "shop").mkdir(exist_ok=True)
        image.save(folder / name, quality=90)
        category = "mirror" if index % 2 else "chair"
        rows.append([name, TINY_POOL_SOURCE, name, "CC0", *size, 0, category])
    with (folder / "manifest.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST)
        writer.writerows(rows)
    return folder
