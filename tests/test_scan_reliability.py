"""Scans that lose nothing: resume, whole rows, signals, a hard kill, awkward trees."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from framedetect._scan_log import repair
from framedetect.cli import app
from framedetect_synth import make_sample

runner = CliRunner()


def _tree(root: Path, count: int, corrupt_share: float = 0.05) -> tuple[set[str], set[str]]:
    """``count`` JPEGs in nested folders, ``corrupt_share`` of them broken; (all, broken)."""
    pool = [make_sample(20261140, i, jpeg_only=True).data for i in range(40)]
    rng = np.random.default_rng(0)
    broken = set(rng.choice(count, int(count * corrupt_share), replace=False).tolist())
    paths, bad = set(), set()
    for index in range(count):
        folder = root / f"shop{index % 7}" / f"page{index % 13}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"item{index:05d}.jpg"
        data = pool[index % len(pool)]
        if index in broken:
            data = data[: len(data) // 3] if index % 2 else rng.bytes(500)
            bad.add(str(path))
        path.write_bytes(data)
        paths.add(str(path))
    return paths, bad


def _rows(output: Path) -> list[dict[str, object]]:
    text = output.read_text()
    assert text == "" or text.endswith("\n"), "a half-written last line"
    return [json.loads(line) for line in text.splitlines()]


def _scan_command(root: Path, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "framedetect", "scan", str(root), "--output", str(output),
        "--provider", "cpu", "--batch-size", "8", "--workers", "1", *extra,
    ]  # fmt: skip


def _start_and_stop(root: Path, output: Path, sig: int, after_rows: int) -> int:
    """Start a scan, send ``sig`` once ``after_rows`` rows are written; its exit code."""
    process = subprocess.Popen(
        _scan_command(root, output), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if output.exists() and output.read_bytes().count(b"\n") >= after_rows:
            break
        assert process.poll() is None, process.communicate()
        time.sleep(0.005)
    assert process.poll() is None, "the scan finished before it could be stopped"
    process.send_signal(sig)
    process.communicate(timeout=60)
    return process.returncode


def _assert_each_once(output: Path, paths: set[str], broken: set[str]) -> None:
    rows = _rows(output)
    seen = [str(row["path"]) for row in rows]
    assert len(seen) == len(set(seen)) == len(paths)
    assert set(seen) == paths
    assert {str(row["path"]) for row in rows if row["error"] is not None} == broken


@pytest.mark.parametrize(
    "count", [1500, pytest.param(5000, marks=pytest.mark.slow)], ids=["1500", "5000"]
)
def test_sigkill_halfway_then_resume_gives_every_file_once(tmp_path: Path, count: int) -> None:
    paths, broken = _tree(tmp_path / "images", count)
    output = tmp_path / "scan.jsonl"
    code = _start_and_stop(tmp_path / "images", output, signal.SIGKILL, count // 3)
    assert code == -signal.SIGKILL
    written = output.read_bytes().count(b"\n")
    torn = not output.read_bytes().endswith(b"\n")
    assert count // 3 <= written < count
    resumed = subprocess.run(
        _scan_command(tmp_path / "images", output, "--resume"), capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    _assert_each_once(output, paths, broken)
    print(
        f"SIGKILL after {written} of {count} rows (torn last line: {torn}); resumed: "
        f"{resumed.stdout.strip()}; {len(broken)} corrupt files, each path exactly once"
    )


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signals_finish_the_rows_in_flight_and_exit_cleanly(
    tmp_path: Path, sig: int, code: int
) -> None:
    paths, broken = _tree(tmp_path / "images", 1200)
    output = tmp_path / "scan.jsonl"
    assert _start_and_stop(tmp_path / "images", output, sig, 200) == code
    rows = _rows(output)  # every line whole
    assert 200 <= len(rows) < len(paths)
    resumed = subprocess.run(
        _scan_command(tmp_path / "images", output, "--resume"), capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(rows)} already done" in resumed.stdout
    _assert_each_once(output, paths, broken)


def test_repair_cuts_a_torn_line_and_drops_duplicates(tmp_path: Path) -> None:
    output = tmp_path / "scan.jsonl"
    row = {"path": "a.jpg", "has_frame": True, "score": 0.9, "error": None}
    whole = json.dumps(row) + "\n" + json.dumps({**row, "path": "b.jpg"}) + "\n"
    output.write_text(whole + json.dumps(row) + "\n" + '{"path": "c.jpg", "has_fr')
    assert repair(output) == {"a.jpg", "b.jpg"}
    assert output.read_text() == whole
    assert repair(tmp_path / "missing.jsonl") == set()


def test_an_existing_output_is_never_silently_replaced(tmp_path: Path) -> None:
    _tree(tmp_path / "images", 5, corrupt_share=0)
    output = tmp_path / "scan.jsonl"
    output.write_text('{"path": "earlier.jpg", "has_frame": false, "score": 0.1, "error": null}\n')
    result = runner.invoke(app, ["scan", str(tmp_path / "images"), "-o", str(output)])
    assert result.exit_code == 2
    assert "--resume" in result.output and "--overwrite" in result.output
    assert len(_rows(output)) == 1
    replaced = runner.invoke(
        app, ["scan", str(tmp_path / "images"), "-o", str(output), "--overwrite"]
    )
    assert replaced.exit_code == 0 and len(_rows(output)) == 5


def test_awkward_trees_symlink_loops_dangling_links_fifos(tmp_path: Path) -> None:
    root = tmp_path / "images"
    paths, _ = _tree(root, 6, corrupt_share=0)
    (root / "shop0" / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.jpg").symlink_to(tmp_path / "nowhere.jpg")
    os.mkfifo(root / "pipe.jpg")
    output = tmp_path / "scan.jsonl"
    result = runner.invoke(app, ["scan", str(root), "-o", str(output), "--provider", "cpu"])
    assert result.exit_code == 0, result.output
    rows = {str(row["path"]): row for row in _rows(output)}
    assert set(rows) == paths | {str(root / "dangling.jpg"), str(root / "pipe.jpg")}
    assert "no such image file" in str(rows[str(root / "dangling.jpg")]["error"])
    assert "not a regular file" in str(rows[str(root / "pipe.jpg")]["error"])
