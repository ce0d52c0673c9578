"""The Canny baseline: Detector(model="baseline"), its crop, eval, and the OpenCV hint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from framedetect import Detector, InvalidArgumentError
from framedetect._evaluate import evaluate, iou, read_truth
from framedetect.cli import app
from framedetect_synth import read_labels

from .conftest import REPO, SEED_EXAMPLES, needs_seed_examples

runner = CliRunner()
pytest.importorskip("cv2")


def _framed_picture(band: int = 20) -> Image.Image:
    """A 200x160 product on white inside a solid 20 px dark-blue band on every side."""
    pixels = np.full((160, 200, 3), (20, 30, 120), np.uint8)
    pixels[band:-band, band:-band] = 255
    pixels[60:100, 80:120] = (200, 60, 40)
    return Image.fromarray(pixels)


@pytest.fixture(scope="module")
def baseline() -> Detector:
    return Detector(model="baseline")


def test_the_baseline_finds_a_band_and_its_content_box(baseline: Detector) -> None:
    prediction = baseline.predict(_framed_picture())
    assert prediction.has_frame and prediction.model.startswith("baseline-")
    assert prediction.sides is not None and min(prediction.sides) >= baseline.threshold
    assert prediction.content_box is not None
    assert iou(prediction.content_box, (20, 20, 180, 140)) > 0.9


def test_remove_frame_crops_it_away(baseline: Detector) -> None:
    cropped = baseline.remove_frame(_framed_picture())
    assert iou((0, 0, *cropped.size), (0, 0, 160, 120)) > 0.9
    assert np.asarray(cropped)[2:-2, 2:-2].min() > 30  # no dark band left inside


def test_an_unframed_image_comes_back_whole(baseline: Detector) -> None:
    plain = Image.new("RGB", (120, 90), (250, 250, 250))
    prediction = baseline.predict(plain)
    assert not prediction.has_frame and prediction.content_box == (0, 0, 120, 90)
    assert baseline.remove_frame(plain).size == (120, 90)


def test_a_classifier_only_model_refuses_to_crop(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [
            helper.make_node("ReduceMean", ["image"], ["mean"], axes=[1, 2, 3], keepdims=0),
            helper.make_node("Unsqueeze", ["mean", "axis"], ["raw"]),
            helper.make_node("Sigmoid", ["raw"], ["score"]),
        ],
        "classifier",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 128, 128, 3])],
        [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 1])],
        [helper.make_tensor("axis", TensorProto.INT64, [1], [1])],
    )
    path = tmp_path / "classifier.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    detector = Detector(model=path, provider="cpu")
    assert detector.predict(_framed_picture()).content_box is None
    with pytest.raises(InvalidArgumentError, match="does not localise frames"):
        detector.remove_frame(_framed_picture())


def test_crop_command(tmp_path: Path) -> None:
    source = tmp_path / "framed.png"
    _framed_picture().save(source)
    result = runner.invoke(app, ["crop", str(source), "--output", str(tmp_path / "out.png")])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "out.png") as cropped:
        assert cropped.size[0] < 200


def test_scan_rows_carry_sides_and_boxes(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    result = runner.invoke(
        app, ["scan", str(generated / "images"), "-o", str(out), "--detector", "baseline"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    labels = {str(path): label for path, label in read_labels(generated / "labels.csv")}
    for row in rows:
        assert len(row["sides"]) == 4
        width, height = labels[row["path"]].size
        x0, y0, x1, y1 = row["content_box"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


def test_eval_reports_every_metric(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    result = runner.invoke(
        app,
        ["eval", str(generated), "--labels", str(generated / "labels.csv"),
         "--detector", "baseline", "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())["metrics"]
    for key in ("accuracy", "roc_auc", "f1_top", "f1_left", "content_box_iou_median",
                "content_box_iou_p10", "crop_iou_median", "false_positive_rate"):  # fmt: skip
        assert key in metrics, key
    report = evaluate(Detector(provider="cpu"), read_truth(generated, generated / "labels.csv"))
    assert report.metrics["f1_top"] >= 0.5  # the bundled CNN localises too
    assert report.metrics["content_box_iou_median"] > 0.8
    assert report.metrics["crop_iou_median"] >= report.metrics["content_box_iou_median"] - 0.01
    assert sum(row["images"] for row in report.by_kind.values()) == 24


@needs_seed_examples
def test_eval_on_the_seed_examples_and_unlabelled_folders(tmp_path: Path) -> None:
    report = evaluate(
        Detector(provider="cpu"), read_truth(SEED_EXAMPLES, SEED_EXAMPLES / "labels.csv")
    )
    assert report.metrics["accuracy"] == 1.0
    unframed = read_truth(SEED_EXAMPLES, None)
    assert len(unframed) >= 9 and not any(t.has_frame for t in unframed)


def test_iou() -> None:
    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(1 / 3)
    assert iou((0, 0, 1, 1), (2, 2, 3, 3)) == 0.0


def test_without_opencv_the_error_names_the_package() -> None:
    code = (
        "import sys; sys.modules['cv2'] = None\n"
        "import framedetect\n"
        "try:\n    framedetect.Detector(model='baseline')\n"
        "except framedetect.ModelLoadError as error:\n    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert "pip install opencv-python-headless" in out.stdout, out.stderr


def test_tuning_searches_the_grid_on_validation_data(tmp_path: Path) -> None:
    from framedetect_baseline.tune import tune, write_params

    params, tuning = tune(seed=20261131, count=120, photo_dir=None)
    assert tuning["data_seed"] == 20261131 and tuning["images"] == 120
    assert 0.6 < float(tuning["validation_accuracy"]) <= 1.0
    written = json.loads(write_params(params, tuning, tmp_path).read_text())
    assert written["params"]["coverage"] == params.coverage
    shipped = json.loads((REPO / "sdk/framedetect/models/baseline.json").read_text())
    assert shipped["tuning"]["data_seed"] == 20261131  # validation seed, never the test seed
