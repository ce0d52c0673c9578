"""The runtime SDK never needs TensorFlow."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

PREDICT_WITHOUT_TF = """
import sys
import framedetect, framedetect.cli
from framedetect_synth import make_sample
result = framedetect.predict(make_sample(1, 0).data)
assert 0.0 <= result.score <= 1.0
print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'tf2onnx')))
"""


def test_import_and_predict_leave_tensorflow_out() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PREDICT_WITHOUT_TF], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_tensorflow_is_imported_only_in_converters_keras() -> None:
    heavy = {"tensorflow", "keras", "tf2onnx"}
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("sdk", "bench", "converters/framedetect_synth")
        for path in (REPO / folder).rglob("*.py")
        if _imports(path) & heavy
    ]
    assert offenders == []
