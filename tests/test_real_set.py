"""The real-photo pool's fixed splits, frames drawn on real photos, and the set they make."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from framedetect.cli import app
from framedetect_synth.real_frames import FAMILIES, frame_photo
from framedetect_synth.real_pool import (
    HELD_OUT_SOURCE,
    SPLITS,
    PoolPhoto,
    read_pool,
    split_of,
)
from framedetect_synth.real_set import write_real_set

from .conftest import SHARED_DATA

REAL_POOL = SHARED_DATA / "real-pool"
needs_real_pool = pytest.mark.skipif(
    not (REAL_POOL / "manifest.csv").is_file(), reason="../shared/data/real-pool is absent"
)
runner = CliRunner()


def _photo(seed: int, size: tuple[int, int] = (300, 240)) -> Image.Image:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (size[1] // 8, size[0] // 8, 3), np.uint8)
    return Image.fromarray(pixels).resize(size, Image.Resampling.BILINEAR)


def test_splits_depend_on_the_file_name_alone() -> None:
    names = [f"shop/{i:05d}.jpg" for i in range(2000)]
    splits = [split_of(name, "some/shop") for name in names]
    assert splits == [split_of(name, "some/shop") for name in names]
    shares = {split: splits.count(split) / len(splits) for split in ("train", "validation", "test")}
    assert 0.17 < shares["test"] < 0.23 and 0.07 < shares["validation"] < 0.13
    assert {split_of(name, HELD_OUT_SOURCE) for name in names} == {"cross-source"}


@pytest.mark.parametrize(
    ("category", "rectangular"),
    [("Mirror", True), ("tv", True), ("Picture frame", True), ("electronics", True),
     ("Wardrobe with 2 doors", True), ("chair", False), ("sofa", False), ("apparel", False)],
)  # fmt: skip
def test_rectangular_products_by_category(category: str, rectangular: bool) -> None:
    photo = PoolPhoto(Path("x.jpg"), "x.jpg", "a/b", category, 10, 10)
    assert photo.rectangular is rectangular


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_is_drawn_where_its_label_says(family: str) -> None:
    photo = _photo(1)
    for seed in range(6):
        framed, label = frame_photo(np.random.default_rng(seed), photo, family, _photo(2))
        assert framed.size == photo.size and label.has_frame and any(label.sides)
        assert label.kind.split("/")[0] == family
        x0, y0, x1, y1 = label.content_box
        assert 0 <= x0 < x1 <= photo.width and 0 <= y0 < y1 <= photo.height
        pixels = np.asarray(framed, dtype=np.int16)
        for index, on in enumerate(label.sides):
            edge = (y0, photo.width - x1, photo.height - y1, x0)[index]
            assert (edge > 0) is on, (family, seed, index)
        if family == "outline-thin":
            assert max(x0, y0, photo.width - x1, photo.height - y1) <= 6
            assert np.abs(pixels[0] - np.asarray(photo, np.int16)[0]).mean() > 5


def test_frame_photo_refuses_an_unknown_family() -> None:
    with pytest.raises(ValueError, match="unknown frame family"):
        frame_photo(np.random.default_rng(0), _photo(1), "glitter", _photo(2))


def _pool(tmp_path: Path, count: int) -> list[PoolPhoto]:
    photos = []
    for index in range(count):
        path = tmp_path / "pool" / f"{index}.jpg"
        path.parent.mkdir(exist_ok=True)
        _photo(index).save(path, quality=90)
        category = "mirror" if index % 4 == 0 else "chair"
        photos.append(PoolPhoto(path, path.name, f"owner/src{index % 2}", category, 300, 240))
    return photos


def test_the_set_holds_each_photo_plain_and_framed(tmp_path: Path) -> None:
    photos = _pool(tmp_path, 14)
    labels = write_real_set(tmp_path / "set", photos, seed=3)
    with labels.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 28
    plain = [row for row in rows if row["has_frame"] == "0"]
    assert [(tmp_path / "set" / row["file"]).read_bytes() for row in plain] == [
        photo.path.read_bytes() for photo in photos
    ]  # untouched: the photo's own bytes
    assert {row["kind"] for row in plain} == {"plain", "rect-plain"}
    framed = [row["kind"].split("/")[0] for row in rows if row["has_frame"] == "1"]
    assert sorted(set(framed)) == sorted(FAMILIES)
    assert {row["source"] for row in rows} == {"src0", "src1"}
    again = write_real_set(tmp_path / "again", photos, seed=3)
    assert again.read_text() == labels.read_text()


def test_eval_reports_families_and_sources(tmp_path: Path) -> None:
    write_real_set(tmp_path / "set", _pool(tmp_path, 12), seed=3)
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", str(tmp_path / "set"), "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert set(report["by_source"]) == {"src0", "src1"}
    assert sum(row["images"] for row in report["by_source"].values()) == 24
    assert set(report["by_family"]) == {*FAMILIES, "plain", "rect-plain"}
    assert "by family" in result.output and "by source" in result.output


@needs_real_pool
def test_the_pool_splits_every_source_and_holds_one_out_whole() -> None:
    photos = read_pool(REAL_POOL)
    assert len(photos) > 5000
    by_source: dict[str, set[str]] = {}
    for photo in photos:
        by_source.setdefault(photo.source, set()).add(photo.split)
    assert by_source.pop(HELD_OUT_SOURCE) == {"cross-source"}
    assert all({"train", "validation", "test"} <= splits for splits in by_source.values())
    assert all(photo.path.is_file() for photo in photos[::500])
    assert set(SPLITS) == {split for splits in by_source.values() for split in splits} | {
        "cross-source"
    }


@needs_real_pool
def test_real_set_command_writes_a_small_set(tmp_path: Path) -> None:
    out = tmp_path / "real"
    result = runner.invoke(app, ["real-set", str(out), "--limit", "12"])
    assert result.exit_code == 0, result.output
    assert "wrote 24 images (12 photos, plain and framed)" in result.output
    again = runner.invoke(app, ["real-set", str(out), "--limit", "12"])
    assert again.exit_code == 2 and "--overwrite" in again.output
    bad = runner.invoke(app, ["real-set", str(tmp_path / "x"), "--split", "holiday"])
    assert bad.exit_code == 2 and "unknown split holiday" in bad.output
