"""The SDK is the ground floor: it imports none of the other folders' packages, its
modules stay small, and the command line still lists every command, grouped."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framedetect._cli_groups import SECTIONS, registered
from framedetect.cli import RUNTIME_COMMANDS, app

from .conftest import REPO

SDK = REPO / "sdk" / "framedetect"
OTHER_PACKAGES = {
    path.name
    for folder in ("converters", "bench")
    for path in (REPO / folder).iterdir()
    if (path / "__init__.py").is_file()
}
MAX_LINES = 300


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):  # function bodies included
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_sdk_imports_no_other_package_of_the_repo() -> None:
    assert {"framedetect_synth", "framedetect_keras", "framedetect_bench"} <= OTHER_PACKAGES
    offenders = {
        str(path.relative_to(REPO)): sorted(_top_level_imports(path) & OTHER_PACKAGES)
        for path in SDK.rglob("*.py")
        if _top_level_imports(path) & OTHER_PACKAGES
    }
    assert offenders == {}


def test_no_sdk_module_is_over_300_lines() -> None:
    sizes = {path.name: len(path.read_text().splitlines()) for path in SDK.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_every_entry_point_in_pyproject_is_registered_and_importable() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {
        name: value
        for group, entries in project["entry-points"].items()
        if group.startswith("framedetect.commands.")
        for name, value in entries.items()
    }
    assert {name: entry.value for name, (_, entry) in registered().items()} == declared
    assert not set(declared) & set(RUNTIME_COMMANDS)


def test_help_lists_every_command_in_its_section_runtime_first() -> None:
    text = CliRunner().invoke(app, ["--help"], terminal_width=100).output
    titles = [text.index(f"{title}:") for title in SECTIONS.values()]
    assert titles == sorted(titles)  # runtime, data, training, bench, in that order
    listed = {line.split()[0] for line in text.splitlines() if line.startswith("  ")}
    assert set(RUNTIME_COMMANDS) | set(registered()) <= listed
    runtime = text[titles[0] : titles[1]]
    assert all(f"  {name} " in runtime for name in RUNTIME_COMMANDS)
    training = text[titles[2] : titles[3]]
    assert all(f"  {name} " in training for name in ("train", "experiments", "quantize"))


WITHOUT_TRAINING = """
import sys
sys.modules["framedetect_keras"] = None  # as in a wheel install: the package is not there
from framedetect.cli import main
sys.argv = ["framedetect", *sys.argv[1:]]
main()
"""


def _run_without_training(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_TRAINING, *args], capture_output=True, text=True
    )


def test_without_the_training_package_its_commands_list_and_say_what_they_need() -> None:
    listing = _run_without_training("--help")
    assert listing.returncode == 0, listing.stderr
    assert "  train " in listing.stdout and "needs a source checkout" in listing.stdout
    refused = _run_without_training("train", "--epochs", "3")
    assert refused.returncode == 2
    assert "'framedetect train' needs a source checkout with the [train] extra" in refused.stderr
    assert "Traceback" not in refused.stderr
    runtime = _run_without_training("predict", "--help")  # the runtime ones run as before
    assert runtime.returncode == 0 and "IMAGE..." in runtime.stdout
