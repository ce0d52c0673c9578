"""Fine-tuning on labelled class folders (needs the [train] extra): a tiny real run."""

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
