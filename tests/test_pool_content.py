"""Content source "real photos": half the thumbnails come from the pool's train split."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framedetect_synth import make_sample
from framedetect_synth.pool_content import RECTANGULAR_WEIGHT, PhotoPool
from framedetect_synth.real_pool import split_of
from framedetect_synth.taxonomy import FAMILIES, family

from .conftest import TINY_POOL_SOURCE as SOURCE


def test_the_pool_holds_the_train_split_only(tiny_pool: Path) -> None:
    photos = PhotoPool(tiny_pool).photos
    assert photos and {photo.split for photo in photos} == {"train"}
    all_files = [f"shop/{index:03d}.jpg" for index in range(60)]
    assert len(photos) == sum(split_of(name, SOURCE) == "train" for name in all_files) < 60


def test_rectangular_products_are_drawn_more_often(tiny_pool: Path) -> None:
    library = PhotoPool(tiny_pool)
    rng = np.random.default_rng(0)
    drawn = [library.draw(rng).photo.rectangular for _ in range(400)]
    rect = sum(photo.rectangular for photo in library.photos) / len(library.photos)
    expected = RECTANGULAR_WEIGHT * rect / (RECTANGULAR_WEIGHT * rect + 1 - rect)
    assert abs(np.mean(drawn) - expected) < 0.07


def test_half_the_thumbnails_come_from_the_pool_half_of_them_framed(tiny_pool: Path) -> None:
    samples = [make_sample(20261190, i, pool_dir=tiny_pool) for i in range(240)]
    from_pool = [s for s in samples if s.label.kind.startswith("pool-")]
    assert 0.38 < len(from_pool) / len(samples) < 0.62
    framed = [s for s in from_pool if s.label.has_frame]
    assert 0.35 < len(framed) / len(from_pool) < 0.65
    kinds = Counter(s.label.kind.split("/")[0] for s in from_pool)
    rows = {family(s.label.kind) for s in from_pool}  # every kind is in the taxonomy
    assert rows == {row[0] for row in FAMILIES if row[1] == "real photo"}
    assert {"pool-plain", "pool-rect-plain", "pool-framed-outline-thin"} <= set(kinds)
    assert any(kind.startswith("pool-in-") for kind in kinds)
    for sample in from_pool:
        label = sample.label
        with Image.open(io.BytesIO(sample.data)) as image:
            assert image.size == label.size
        x0, y0, x1, y1 = label.content_box
        assert 0 <= x0 < x1 <= label.size[0] and 0 <= y0 < y1 <= label.size[1]
        assert label.has_frame == any(label.sides) == (label.content_box != (0, 0, *label.size))
        assert 150 <= max(label.size) <= 800


def test_pool_thumbnails_are_deterministic_and_without_a_pool_none_is_drawn(
    tiny_pool: Path,
) -> None:
    differ = 0
    for index in range(12):
        pooled = make_sample(20261191, index, pool_dir=tiny_pool)
        assert pooled.data == make_sample(20261191, index, pool_dir=tiny_pool).data
        alone = make_sample(20261191, index)
        assert not alone.label.kind.startswith("pool-")
        differ += pooled.data != alone.data
    assert differ >= 3  # the pool's draw comes first: it changes what follows


def test_training_with_photos_needs_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    from framedetect_keras.runs import data_settings

    monkeypatch.setenv("FRAMEDETECT_REAL_POOL", "")
    with pytest.raises(SystemExit, match="real-photo pool"):
        data_settings(1, 10, 10, 10, photos=True)
    assert data_settings(1, 10, 10, 10, photos=False).pool_dir is None
