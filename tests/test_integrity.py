"""Damaged or swapped model files are refused; user models are checked before use."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from framedetect import Detector, ModelLoadError
from framedetect._models import manifest

from .conftest import REPO

CHECK = """
import framedetect
try:
    framedetect.Detector(provider="cpu", precision="{precision}")
except framedetect.ModelIntegrityError as error:
    print("refused:", error)
"""


@pytest.mark.parametrize("precision", ["fp32", "int8", "fp16"])
def test_one_tampered_byte_is_refused(tmp_path: Path, precision: str) -> None:
    package = tmp_path / "framedetect"
    shutil.copytree(REPO / "sdk" / "framedetect", package)
    model = next((package / "models").glob(f"*-{precision}.onnx"))
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(precision=precision)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"refused: bundled model '{model.name}' has sha256")
    assert "reinstall framedetect" in out.stdout


def test_a_user_model_with_the_wrong_signature_is_refused(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "wrong",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])],
    )
    path = tmp_path / "wrong.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    with pytest.raises(ModelLoadError, match=r"expected one float or uint8 input of shape"):
        Detector(model=path, provider="cpu")


def test_a_user_model_with_the_right_signature_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "mine.onnx"
    shutil.copyfile(next((REPO / "sdk/framedetect/models").glob("*-fp32.onnx")), path)
    detector = Detector(model=path, provider="cpu")
    assert detector.info.version == manifest()["models"][0]["version"]
    assert detector.input_size == 128


BROKEN_MANIFESTS = [
    [],
    {"models": {"name": "framedetect"}},
    {"models": [{"name": "framedetect", "precision": "fp32", "data": []}]},
    {"models": [{"name": "framedetect", "version": "6.0.0", "precision": "fp32",
                 "file": "x.onnx", "sha256": "0", "input_size": "big", "threshold": 0.5,
                 "data": {}}]},
]  # fmt: skip


@pytest.mark.parametrize("broken", BROKEN_MANIFESTS)
def test_a_broken_manifest_is_a_typed_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, broken: object
) -> None:
    from framedetect import _models

    monkeypatch.setattr(_models, "manifest", lambda: broken)
    with pytest.raises(ModelLoadError, match="manifest is broken"):
        _models.bundled_models()
    with pytest.raises(ModelLoadError, match="manifest is broken"):
        Detector(provider="cpu")
