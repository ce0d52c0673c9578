"""The command line through typer's CliRunner, and ``python -m framedetect``."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from framedetect import __version__
from framedetect._models import find_model, manifest
from framedetect.cli import app
from framedetect_synth import read_labels

runner = CliRunner()


def test_version_names_package_model_and_runtime() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    info = find_model("framedetect", "fp32")
    assert f"framedetect package {__version__}" in result.output
    assert f"model framedetect {info.version} (fp32, sha256 {info.sha256[:12]})" in result.output
    assert "onnxruntime" in result.output
    assert "providers: " in result.output and "CPUExecutionProvider" in result.output


def test_python_dash_m_works() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "framedetect", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith(f"framedetect package {__version__}")


def test_predict_prints_a_verdict_per_image(generated: Path) -> None:
    paths = [str(p) for p, _ in read_labels(generated / "labels.csv")][:3]
    result = runner.invoke(app, ["predict", *paths])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3
    for path, line in zip(paths, lines):
        assert line.startswith(f"{path}: ") and "(score " in line


def test_predict_json(generated: Path) -> None:
    paths = [str(p) for p, _ in read_labels(generated / "labels.csv")][:2]
    result = runner.invoke(app, ["predict", "--json", *paths])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["path"] for r in rows] == paths
    assert all(
        set(r) == {"path", "has_frame", "score", "sides", "content_box", "model", "error"}
        for r in rows
    )
    assert all(r["has_frame"] == (r["score"] >= 0.5) for r in rows)


def test_predict_exits_1_and_reports_a_bad_file(generated: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8garbage")
    good = str(read_labels(generated / "labels.csv")[0][0])
    result = runner.invoke(app, ["predict", "--json", good, str(bad)])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows[0]["error"] is None
    assert rows[1]["error"]["type"] == "InvalidImageError"


def test_predict_rejects_unknown_provider(generated: Path) -> None:
    result = runner.invoke(app, ["predict", "--provider", "tpu", str(generated)])
    assert result.exit_code == 2
    assert "tpu" in result.output


def test_eval_and_predict_run_a_model_file_given_by_path(generated: Path, tmp_path: Path) -> None:
    int8 = find_model("framedetect", "int8")
    model_file = str(resources.files("framedetect.models").joinpath(int8.file))

    def report(name: str, *extra: str) -> dict[str, Any]:
        out = tmp_path / f"{name}.json"
        args = ["eval", str(generated), "--labels", str(generated / "labels.csv")]
        result = runner.invoke(app, [*args, "--json", str(out), *extra])
        assert result.exit_code == 0, result.output
        return dict(json.loads(out.read_text()))

    bundled = report("bundled", "--precision", "int8")
    from_file = report("file", "--model", model_file)
    assert from_file["metrics"] == bundled["metrics"]
    assert from_file["model"] != bundled["model"] == int8.label
    image = str(read_labels(generated / "labels.csv")[0][0])
    result = runner.invoke(app, ["predict", "--json", "--model", model_file, image])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["model"] == from_file["model"]


def test_a_missing_model_file_or_one_with_the_baseline_is_refused(
    generated: Path, tmp_path: Path
) -> None:
    image = str(read_labels(generated / "labels.csv")[0][0])
    missing = runner.invoke(app, ["predict", "--model", str(tmp_path / "none.onnx"), image])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    args = ["crop", image, "-o", str(tmp_path / "c.png"), "--model", image]
    refused = runner.invoke(app, [*args, "--detector", "baseline"])
    assert refused.exit_code == 2 and "--detector baseline" in refused.output
    assert not (tmp_path / "c.png").exists()


def test_scan_recurses_records_errors_and_writes_jsonl(generated: Path, tmp_path: Path) -> None:
    nested = tmp_path / "tree" / "deeper"
    nested.mkdir(parents=True)
    images = [p for p, _ in read_labels(generated / "labels.csv")][:5]
    for index, path in enumerate(images):
        (nested if index % 2 else tmp_path / "tree").joinpath(path.name).write_bytes(
            path.read_bytes()
        )
    (nested / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    (nested / "notes.txt").write_text("not an image, not scanned")
    out = tmp_path / "results.jsonl"
    result = runner.invoke(
        app, ["scan", str(tmp_path / "tree"), "--output", str(out), "--batch-size", "2"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6
    assert all(
        set(r) == {"path", "has_frame", "score", "sides", "content_box", "error"} for r in rows
    )
    broken = [r for r in rows if r["path"].endswith("broken.png")]
    assert broken[0]["error"]["type"] == "InvalidImageError" and broken[0]["score"] is None
    good = [r for r in rows if r["error"] is None]
    assert len(good) == 5 and all(0 <= r["score"] <= 1 for r in good)
    assert "6 images" in result.output and "1 errors" in result.output


def test_generate_and_contact_sheet(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["generate", str(tmp_path / "set"), "--count", "4", "--seed", "3", "--no-photos"]
    )
    assert result.exit_code == 0, result.output
    assert len(read_labels(tmp_path / "set" / "labels.csv")) == 4
    sheet = tmp_path / "sheet.png"
    result = runner.invoke(app, ["contact-sheet", str(sheet), "--count", "8", "--no-photos"])
    assert result.exit_code == 0, result.output
    assert sheet.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("command", ["train", "experiments"])
def test_the_bare_training_commands_reproduce_the_bundled_model(command: str) -> None:
    params = typer.main.get_command(app).get_command(None, command).params  # type: ignore[attr-defined]
    defaults = {param.name: param.default for param in params}
    entry = manifest()["models"][0]
    data = entry["data"]
    assert defaults["seed"] == data["seed"]
    assert defaults["train_size"] == data["train"]["images"]
    assert defaults["val_size"] == data["validation"]["images"]
    assert defaults["test_size"] == data["test"]["images"]
    assert defaults["epochs"] == entry["training"]["epochs"]
    assert defaults["photos"] is data["real_photos_composed"]


def test_scan_flushes_every_batch_even_when_every_file_fails(tmp_path: Path) -> None:
    import io

    from framedetect import Detector
    from framedetect._scan import scan

    for index in range(5):
        (tmp_path / f"broken{index}.jpg").write_bytes(b"\xff\xd8 not a jpeg")

    flushed_rows: list[int] = []

    class CountingBuffer(io.StringIO):
        def flush(self) -> None:
            flushed_rows.append(self.getvalue().count("\n"))

    out = CountingBuffer()
    summary = scan([tmp_path], out, Detector(provider="cpu"), batch_size=2)
    assert (summary.images, summary.errors, summary.framed) == (5, 5, 0)
    assert flushed_rows == [2, 4, 5]
