"""Without onnxruntime, ``import framedetect`` works and the first prediction says what to do."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO

HIDE_ONNXRUNTIME = "import sys; sys.modules['onnxruntime'] = None\n"  # import now fails


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HIDE_ONNXRUNTIME + code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_import_works_and_the_first_prediction_names_the_extras() -> None:
    out = _run(
        "import numpy as np, framedetect\n"
        "image = np.zeros((32, 32, 3), np.uint8)\n"
        "try:\n"
        "    framedetect.predict(image)\n"
        "except framedetect.ProviderUnavailableError as error:\n"
        "    print('ERROR:', error)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ERROR: onnxruntime is not installed")
    assert "install framedetect[cpu] or framedetect[gpu]" in out.stdout


def test_the_cli_says_it_too() -> None:
    out = _run(
        "import sys\n"
        "from framedetect.cli import main\n"
        "sys.argv = ['framedetect', 'predict', 'nothing.jpg']\n"
        "main()\n"
    )
    assert out.returncode == 2
    assert "install framedetect[cpu] or framedetect[gpu]" in out.stderr
    version = _run(
        "import sys\n"
        "from framedetect.cli import main\n"
        "sys.argv = ['framedetect', '--version']\n"
        "main()\n"
    )
    assert version.returncode == 0
    assert (
        "onnxruntime not installed (install framedetect[cpu] or framedetect[gpu])" in version.stdout
    )
    assert "providers: none" in version.stdout
