"""Shared fixtures: the bundled detector, generated thumbnails, the ../shared data folders."""

from __future__ import annotations

from pathlib import Path

import pytest

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
