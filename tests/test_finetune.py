"""Labelled class folders as training data (needs the [train] extra): fine-tuning the
shipped model and ``train --real``, tiny real runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from framedetect import Detector, ModelIntegrityError
from framedetect.cli import app
from framedetect_synth import read_labels

pytestmark = pytest.mark.train
runner = CliRunner()


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """240 generated thumbnails sorted into framed/ and plain/ the wrong way round (so
    that tuning has something to learn), plus a stray unreadable file."""
    root = tmp_path_factory.mktemp("finetune")
    made = runner.invoke(app, ["generate", str(root / "set"), "--count", "240", "--no-photos"])
    assert made.exit_code == 0, made.output
    folder = root / "labelled"
    for name in ("framed", "plain"):
        (folder / name).mkdir(parents=True)
    for path, label in read_labels(root / "set" / "labels.csv"):
        shutil.copy(path, folder / ("plain" if label.has_frame else "framed") / path.name)
    (folder / "plain" / "broken.jpg").write_bytes(b"not an image")
    return folder


def _head(model: Path, name: str) -> np.ndarray:
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(str(model))
    matmul = next(n for n in proto.graph.node if n.op_type == "MatMul" and f"/{name}" in n.name)
    weights = {i.name: i for i in proto.graph.initializer}
    return numpy_helper.to_array(weights[matmul.input[1]])


def test_finetune_writes_a_model_that_loads_with_its_threshold_and_checked_sha256(
    labelled: Path, tmp_path: Path
) -> None:
    pytest.importorskip("tensorflow")
    from framedetect._models import find_model, read_bundled

    out = tmp_path / "tuned.onnx"
    args = ["finetune", "--real", str(labelled), "--out", str(out), "--epochs", "3",
            "--learning-rate", "0.003", "--generated-share", "0", "--no-photos"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["tuned_on"]["unreadable"] == 1 and record["tuned_on"]["generated"] == 0
    assert record["tuned_on"]["images"] + record["tuned_on"]["held_out"] == 240
    detector = Detector(model=out, provider="cpu")
    assert detector.threshold == pytest.approx(record["threshold"])
    assert detector.info.sha256 == record["sha256"] and detector.info.version.endswith("+tuned")
    assert 0.0 <= detector.predict(next((labelled / "framed").iterdir())).score <= 1.0
    # Only frame verdicts were labelled: the side and depth heads are as shipped.
    base = tmp_path / "base.onnx"
    base.write_bytes(read_bundled(find_model("framedetect", "fp32")))
    for head in ("sides", "insets"):
        np.testing.assert_array_equal(_head(out, head), _head(base, head))
    assert record["best_epoch"] >= 1  # it learnt the swapped labels: the frame head moved
    assert record["held_out_accuracy"]["after"] > record["held_out_accuracy"]["before"]
    assert not np.array_equal(_head(out, "score"), _head(base, "score"))
    # A file changed after it was written is refused.
    out.write_bytes(out.read_bytes() + b"\0")
    with pytest.raises(ModelIntegrityError, match="changed after it was written"):
        Detector(model=out, provider="cpu")


def test_finetune_refuses_folders_that_are_not_labelled(tmp_path: Path) -> None:
    result = runner.invoke(app, ["finetune", "--real", str(tmp_path), "--out", "x.onnx"])
    assert result.exit_code == 2 and "has no framed/ and plain/" in result.output


def test_train_mixes_labelled_folders_in_at_their_share_and_validates_on_their_held_out_part(
    labelled: Path, tmp_path: Path
) -> None:
    pytest.importorskip("tensorflow")
    from framedetect_keras.config import LOCALISER
    from framedetect_keras.labelled import LABELLED, LabelledData, held_out, labelled_images
    from framedetect_keras.train import DataSettings, FlippedBatches, TrainSettings, train

    data = DataSettings(seed=5, train_size=60, val_size=100, workers=1)
    settings = TrainSettings(
        epochs=1, batch_size=16, data=data, labelled=LabelledData((str(labelled),), 0.5)
    )
    result = train(LOCALISER, settings, tmp_path, show_progress=False)
    record = json.loads(result.history_path.read_text())
    truths = [t for t in labelled_images([labelled]) if t.path.name != "broken.jpg"]
    held = sum(held_out(t) for t in truths)
    assert record["labelled"] == {
        "images": len(truths) - held, "held_out": held, "unreadable": 1, "trained_on": 60,
    }  # fmt: skip
    assert record["settings"]["labelled"] == {"folders": [str(labelled)], "share": 0.5}
    # The batches carry the folders' verdicts with no weight on the side and depth heads.
    from framedetect_keras.labelled import concatenate, split_for_training
    from framedetect_synth import make_arrays

    mixed, _, _ = split_for_training(settings.labelled, 60, 0)  # type: ignore[arg-type]
    batch = concatenate(make_arrays(5, 4, None, workers=1), mixed)
    _, (frame, _, _), weights = FlippedBatches(batch, 64, 0, True)[0]  # all 64 rows, in order
    kinds = np.asarray(batch.kinds)
    assert (kinds == LABELLED).sum() == 60 and weights[0].all()
    assert (weights[1] == (kinds != LABELLED)).all() and (weights[2] == weights[1]).all()
    np.testing.assert_array_equal(frame[4:], mixed.has_frame)
    assert 0 < mixed.has_frame.mean() < 1  # both folders' verdicts
    # A run without labelled folders records its settings as before (resumes stay valid).
    assert "labelled" not in TrainSettings(data=data).record()


def test_train_refuses_a_real_folder_that_is_not_labelled(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--real", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "needs framed/ and plain/" in result.output


def test_a_tuning_that_gains_nothing_keeps_the_shipped_threshold(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    from framedetect._models import find_model

    made = runner.invoke(app, ["generate", str(tmp_path / "set"), "--count", "200", "--no-photos"])
    assert made.exit_code == 0, made.output
    folder = tmp_path / "labelled"  # labelled right: the shipped model is hard to beat
    for name in ("framed", "plain"):
        (folder / name).mkdir(parents=True)
    for path, label in read_labels(tmp_path / "set" / "labels.csv"):
        shutil.copy(path, folder / ("framed" if label.has_frame else "plain") / path.name)
    out = tmp_path / "same.onnx"
    args = ["finetune", "--real", str(folder), "--out", str(out), "--epochs", "1",
            "--learning-rate", "0.000001", "--generated-share", "0", "--no-photos"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "no epoch beat the bundled model" in result.output
    record = json.loads(out.with_suffix(".json").read_text())
    shipped = find_model("framedetect", "fp32").threshold
    assert record["best_epoch"] == 0 and record["threshold"] == pytest.approx(shipped)
    assert Detector(model=out, provider="cpu").threshold == pytest.approx(shipped)
