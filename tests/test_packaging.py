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
    assert [m.precision for m in models] == ["fp32", "int8", "fp16"]
    assert len({m.sha256 for m in models}) == 3
    for entry in manifest()["models"]:
        assert resources.files("framedetect.models").joinpath(entry["file"]).is_file()
        assert {"version", "sha256", "data", "metrics"} <= set(entry)
        assert entry["data"]["seed"] == 20261130
        assert entry["data"]["train"]["images"] >= 20_000
        assert entry["metrics"]["test"]["images"] >= 2_000


def test_readme_numbers_come_from_the_manifest() -> None:
    readme = (REPO / "README.md").read_text()
    metrics = manifest()["models"][0]["metrics"]
    for entry in manifest()["models"]:
        assert f"| {entry['bytes']:,} B | {entry['metrics']['test']['accuracy']:.4f} |" in readme
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


def test_the_experiments_report_describes_the_shipped_model() -> None:
    report = (REPO / "docs" / "RESULTS.md").read_text()
    entry = manifest()["models"][0]
    test = entry["metrics"]["test"]
    assert f"is the shipped model, framedetect {entry['version']}" in report
    ours, *ours_on_real = [
        line for line in report.splitlines() if line.startswith(f"| {entry['run_name']} |")
    ]
    assert f"| {test['roc_auc']:.4f} | (ours) |" in ours  # the write-up's table: at 0.5
    assert f"{test['images']:,} images (seed {test['seed']})" in report
    assert f"| {entry['metrics']['validation_accuracy']:.3f} |" in ours
    # The real-photo table scores at the shipped threshold, as the manifest does.
    assert ours_on_real, "no real-photo row for the shipped configuration"
    assert ours_on_real[0].startswith(
        f"| {entry['run_name']} | {entry['threshold']:.4f} | {test['accuracy']:.4f} |"
    )


@needs_seed_examples
@pytest.mark.parametrize("precision", ["fp32", "int8", "fp16"])
def test_recorded_seed_scores_are_those_of_the_shipped_files(precision: str) -> None:
    detector = Detector(provider="cpu", precision=precision)
    entry = next(e for e in manifest()["models"] if e["precision"] == precision)
    # INT8 kernels differ by CPU: where there is no VNNI (AVX2 only, e.g. this AMD EPYC),
    # onnxruntime's u8 x s8 products saturate, so its scores move by up to ~0.01 there.
    tolerance = 0.03 if precision == "int8" else 1e-4
    for recorded in entry["metrics"]["seed_examples"]:
        prediction = detector.predict(SEED_EXAMPLES / recorded["file"])
        assert prediction.score == pytest.approx(recorded["score"], abs=tolerance), recorded["file"]
        verdict = recorded["has_frame"] == recorded["correct"]  # what the model said then
        assert prediction.has_frame == verdict, recorded["file"]


def test_int8_and_fp16_were_converted_from_the_shipped_fp32() -> None:
    fp32, *variants = manifest()["models"]
    for entry in variants:
        assert entry["converted_from"] == {"file": fp32["file"], "sha256": fp32["sha256"]}
        assert entry["metrics"]["test"]["seed"] == fp32["metrics"]["test"]["seed"]
        assert entry["metrics"]["test"]["images"] == fp32["metrics"]["test"]["images"] >= 5_000
    int8 = variants[0]
    assert fp32["metrics"]["test"]["accuracy"] - int8["metrics"]["test"]["accuracy"] <= 0.005


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
    assert "framedetect_bench/cli.py" in names and "framedetect_synth/compose.py" in names
    training = ("tests/", "framedetect_keras/", "framedetect_quantize/", "converters/")
    assert not [name for name in names if name.startswith(training)]
    assert sum(info.file_size for info in zipfile.ZipFile(wheel).infolist()) < 5 * 2**20
    shipped = json.loads(zipfile.ZipFile(wheel).read("framedetect/models/manifest.json"))
    assert shipped == manifest()


def test_readme_speed_figures_come_from_the_committed_bench_run() -> None:
    readme = (REPO / "README.md").read_text()
    report = json.loads((REPO / "docs" / "bench" / "bench.json").read_text())
    rows = {row["name"]: row for row in report["rows"]}
    for name in ("fp32/cpu/b1/t2", "fp32/cpu/b32/t2", "int8/cpu/b1/t1", "int8/cpu/b1/t2"):
        for mode in ("model_only", "end_to_end"):
            stats = rows[name][mode]
            assert f"{stats['p50_ms']:.3f} ({stats['p95_ms']:.3f})" in readme, (name, mode)
    for name in ("keras eager", "keras predict"):
        stats = rows[name]["model_only"]
        assert f"{stats['p50_ms']:.2f} ({stats['p95_ms']:.2f})" in readme, name
    ratios = report["ratios"]
    assert f"{ratios['fp32_b1 vs keras_predict @ 2 threads']:.0f}\u00d7 faster than Keras" in readme
    assert f"INT8 is {ratios['int8_b1 vs fp32_b1 @ 1 threads']:.2f}\u00d7 faster" in readme


def test_runtime_extras_never_install_both_onnxruntime_builds() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]

    def names(requirements: list[str]) -> set[str]:
        return {
            r.split(">")[0].split("=")[0].split("[")[0].split(";")[0].strip() for r in requirements
        }

    assert names(extras["cpu"]) == {"onnxruntime"}
    assert names(extras["gpu"]) == {"onnxruntime-gpu"}
    everything = names(project["dependencies"]) | names(extras["train"]) | names(extras["dev"])
    assert not everything & {"onnxruntime", "onnxruntime-gpu"}
