"""INT8 / fp16 conversion of the shipped fp32 model (needs the [train] extra: onnx, sympy)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from framedetect import Detector
from framedetect._models import manifest

from .conftest import SEED_EXAMPLES

pytestmark = pytest.mark.train
MODELS = Path(__file__).parents[1] / "sdk" / "framedetect" / "models"


@pytest.fixture(scope="module")
def shipped(
    tmp_path_factory: pytest.TempPathFactory, tiny_pool: Path
) -> tuple[Path, list[dict[str, object]]]:
    """A copy of the fp32 model and its manifest entry, re-quantized by the ship step
    (the tiny pool stands in for the real-photo pool its data drew from)."""
    pytest.importorskip("onnx")
    from framedetect_quantize.ship import ship_variants

    root = tmp_path_factory.mktemp("quantize")
    models, docs = root / "models", root / "docs"
    models.mkdir()
    docs.mkdir()
    fp32 = manifest()["models"][0]
    shutil.copyfile(MODELS / fp32["file"], models / fp32["file"])
    (models / "manifest.json").write_text(json.dumps({"models": [fp32]}))
    entries = ship_variants(
        None,
        models,
        docs,
        root / "work",
        calibration_images=64,
        test_images=300,
        max_int8_loss=0.02,
        pool_dir=tiny_pool,
    )
    return models, entries


def test_ship_writes_three_checked_builds(shipped: tuple[Path, list[dict[str, object]]]) -> None:
    models, entries = shipped
    assert [e["precision"] for e in entries] == ["fp32", "int8", "fp16"]
    written = json.loads((models / "manifest.json").read_text())["models"]
    assert written == entries
    for entry in entries:
        data = (models / str(entry["file"])).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert (models.parent / "docs" / "MODEL.md").read_text().count("| int8 |") == 1
    int8 = entries[1]["metrics"]
    assert isinstance(int8, dict) and int8["vs_fp32"]["same_verdict"] >= 0.97
    if SEED_EXAMPLES.is_dir():
        assert all(r["correct"] for r in int8["seed_examples"])


def test_int8_takes_uint8_and_matches_fp32(shipped: tuple[Path, list[dict[str, object]]]) -> None:
    models, entries = shipped
    int8 = Detector(model=models / str(entries[1]["file"]), provider="cpu", precision="int8")
    fp16 = Detector(model=models / str(entries[2]["file"]), provider="cpu", precision="fp16")
    assert int8.takes_uint8 and not fp16.takes_uint8
    images = np.random.default_rng(3).integers(0, 256, (16, 128, 128, 3), np.uint8)
    fp32 = Detector(provider="cpu").scores(images)
    assert np.max(np.abs(fp16.scores(images) - fp32)) < 0.01
    assert np.max(np.abs(int8.scores(images) - fp32)) < 0.1


def test_uint8_input_rewrite_is_exact(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    from framedetect_quantize.int8 import quantize_int8
    from framedetect_quantize.uint8_input import Uint8InputError, take_uint8_input

    fp32 = MODELS / manifest()["models"][0]["file"]
    as_float = quantize_int8(fp32, tmp_path / "f.onnx", 7, None, 32, uint8_input=False)
    as_uint8 = quantize_int8(fp32, tmp_path / "u.onnx", 7, None, 32)
    floats = Detector(model=as_float, provider="cpu", precision="int8")
    uint8s = Detector(model=as_uint8, provider="cpu", precision="int8")
    assert not floats.takes_uint8 and uint8s.takes_uint8
    images = np.random.default_rng(5).integers(0, 256, (8, 128, 128, 3), np.uint8)
    assert np.array_equal(floats.scores(images), uint8s.scores(images))
    with pytest.raises(Uint8InputError, match="expected"):
        take_uint8_input(onnx.load(str(as_uint8)))  # nothing left to rewrite


def test_a_model_of_the_pool_is_not_measured_without_it(tmp_path: Path) -> None:
    from framedetect_quantize.ship import ship_variants

    fp32 = manifest()["models"][0]
    fp32 = {**fp32, "data": {**fp32["data"], "real_pool_composed": True}}
    (tmp_path / "manifest.json").write_text(json.dumps({"models": [fp32]}))
    with pytest.raises(ValueError, match="real-photo pool"):
        ship_variants(None, tmp_path, tmp_path, tmp_path / "work", pool_dir=None)


def test_the_int8_gate_looks_at_generated_and_real_photos_alike() -> None:
    pytest.importorskip("onnx")
    from framedetect_quantize.ship import QuantizationAccuracyError, check_int8_loss

    def results(generated: float, real: float) -> dict[str, dict[str, object]]:
        fp32 = {"test": {"accuracy": 0.99}, "real_sets": {"test": {"accuracy": 0.98}}}
        int8 = {"test": {"accuracy": generated}, "real_sets": {"test": {"accuracy": real}}}
        return {"fp32": fp32, "int8": int8}

    check_int8_loss(results(0.986, 0.976), 0.005)  # within on both
    with pytest.raises(QuantizationAccuracyError, match="on real test"):
        check_int8_loss(results(0.99, 0.97), 0.005)
    with pytest.raises(QuantizationAccuracyError, match="on generated test"):
        check_int8_loss(results(0.98, 0.98), 0.005)
