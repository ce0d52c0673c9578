"""The built wheel carries the runtime, its models and manifest, read via importlib.resources."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from framedetect import Detector
from framedetect._models import bundled_models, manifest

from .conftest import REPO, SEED_EXAMPLES, needs_seed_examples


def test_manifest_lists_the_shipped_files_with_metadata() -> None:
    models = bundled_models()
    assert [m.precision for m in models] == ["fp32"]
    for entry in manifest()["models"]:
        assert resources.files("framedetect.models").joinpath(entry["file"]).is_file()
        assert {"version", "sha256", "data", "metrics"} <= set(entry)
        assert entry["data"]["seed"] == 20261130
        assert entry["data"]["train"]["images"] >= 20_000
        assert entry["metrics"]["test"]["images"] >= 2_000


def test_readme_numbers_come_from_the_manifest() -> None:
    readme = (REPO / "README.md").read_text()
    metrics = manifest()["models"][0]["metrics"]
    for value in (
        metrics["test"]["accuracy"],
        metrics["test"]["roc_auc"],
        metrics["validation_accuracy"],
        metrics["train_accuracy"],
    ):
        assert f"{value:.4f}" in readme
    seeds = metrics["seed_examples"]
    assert f"{sum(s['correct'] for s in seeds)} of {len(seeds)} right" in readme
    assert f"{metrics['real_products']['flagged_total']} flagged as framed" in readme


@needs_seed_examples
def test_recorded_seed_scores_are_those_of_the_shipped_file(detector: Detector) -> None:
    for recorded in manifest()["models"][0]["metrics"]["seed_examples"]:
        score = detector.predict(SEED_EXAMPLES / recorded["file"]).score
        assert score == pytest.approx(recorded["score"], abs=1e-4), recorded["file"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("framedetect-*.whl")
    return path


def test_wheel_holds_models_manifest_and_typing(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    files = {entry["file"] for entry in manifest()["models"]}
    assert {f"framedetect/models/{f}" for f in files} <= names
    assert {
        "framedetect/models/manifest.json",
        "framedetect/py.typed",
        "framedetect/cli.py",
    } <= names
    assert not any(name.startswith("tests/") for name in names)
    shipped = json.loads(zipfile.ZipFile(wheel).read("framedetect/models/manifest.json"))
    assert shipped == manifest()
