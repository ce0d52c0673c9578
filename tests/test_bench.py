"""``framedetect bench``: variants, statistics, outputs, and the budget's exit code."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from framedetect import Provider
from framedetect._models import find_model
from framedetect.cli import app
from framedetect_bench.timing import Timing, time_calls, time_interleaved
from framedetect_bench.variants import select_variants
from framedetect_bench.workload import make_workload

runner = CliRunner()
FAST = ["--quick", "--precision", "fp32", "--batch", "1", "--provider", "cpu"]


def test_an_impossible_budget_exits_1_and_marks_the_rows(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = runner.invoke(app, ["bench", *FAST, "--budget-ms", "0.01", "--json", str(out)])
    assert result.exit_code == 1, result.output
    assert "OVER" in result.output
    assert "over budget (0.01 ms end-to-end p95): fp32/cpu/b1" in result.output
    assert json.loads(out.read_text())["over_budget"] == ["fp32/cpu/b1"]


def test_a_met_budget_passes_and_the_json_has_every_statistic(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    # the gate, not this machine's speed: a budget no busy CI box can miss
    args = ["bench", *FAST, "--batch", "8", "--budget-ms", "10000", "--json", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert [row["name"] for row in report["rows"]] == ["fp32/cpu/b1", "fp32/cpu/b8"]
    for row in report["rows"]:
        for mode in ("model_only", "end_to_end"):
            stats = row[mode]
            assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
            assert stats["runs"] == 50
        assert row["model_bytes"] > 100_000
        assert 0.8 < row["accuracy"] <= 1.0 and 0.8 < row["roc_auc"] <= 1.0
        split = row["split_p50_ms"]
        assert list(split) == ["decode", "resize", "model", "post"]
        assert all(value > 0 for value in split.values())
        assert split["model"] == round(row["model_only"]["p50_ms"], 4)
    assert report["over_budget"] == []
    assert report["workload"] == "500px JPEG bytes"
    assert "e2e fp32_b1 / model fp32_b1" in report["ratios"]


def test_images_times_a_users_own_files(tmp_path: Path, generated: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["bench", *FAST, "--budget-ms", "10000", "--images", str(generated / "images")]
    result = runner.invoke(app, [*args, "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["workload"].startswith(f"24 files from {generated / 'images'}")
    assert report["settings"]["images_dir"] == str(generated / "images")
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = runner.invoke(app, ["bench", *FAST, "--images", str(empty)])
    assert refused.exit_code == 2 and "holds no image that decodes" in refused.output


def test_a_model_file_is_benched_under_its_own_name_and_precision(tmp_path: Path) -> None:
    int8 = find_model("framedetect", "int8")
    custom = tmp_path / "my-model.onnx"
    custom.write_bytes(resources.files("framedetect.models").joinpath(int8.file).read_bytes())
    out = tmp_path / "bench.json"
    args = ["bench", "--quick", "--batch", "1", "--provider", "cpu", "--budget-ms", "10000"]
    result = runner.invoke(app, [*args, "--model", str(custom), "--json", str(out)])
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text())["rows"]
    assert [row["name"] for row in rows] == ["custom:my-model/int8/cpu/b1"]
    assert rows[0]["precision"] == "int8" and rows[0]["model_bytes"] == custom.stat().st_size


def test_markdown_and_plot(tmp_path: Path) -> None:
    png = tmp_path / "bench.png"
    args = ["bench", *FAST, "--budget-ms", "10000", "--markdown", "--plot", str(png)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "| fp32/cpu/b1 |" in result.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_time_calls_reports_per_image_percentiles() -> None:
    calls: list[int] = []
    timing = time_calls(calls.append, batch=4, runs=30, warmup=3)
    assert calls == list(range(33))  # warm-up calls first, each run index once
    assert (timing.runs, timing.batch) == (30, 4)
    assert 0 <= timing.p50_ms <= timing.p95_ms <= timing.p99_ms
    assert Timing(1, 1, 2.0, 3.0, 4.0).images_per_s == 500.0


def test_interleaved_timing_takes_turns_so_drift_hits_every_call_alike() -> None:
    log: list[tuple[str, int]] = []
    a = functools.partial(lambda name, run: log.append((name, run)), "a")
    b = functools.partial(lambda name, run: log.append((name, run)), "b")
    first, second = time_interleaved([(a, 1), (b, 8)], runs=6, warmup=1, rounds=3)
    assert log[:2] == [("a", 0), ("b", 0)]  # warm-up
    assert [name for name, _ in log[2:]] == list("aabbaabbaabb")
    assert sorted(run for name, run in log[2:] if name == "b") == [1, 2, 3, 4, 5, 6]
    assert (first.runs, first.batch, second.runs, second.batch) == (6, 1, 6, 8)


def test_cpu_variants_skip_fp16_unless_asked() -> None:
    default = select_variants(None, [Provider.CPU], [1, 32])
    assert [v.name for v in default] == [
        "fp32/cpu/b1",
        "fp32/cpu/b32",
        "int8/cpu/b1",
        "int8/cpu/b32",
    ]
    threaded = select_variants(["int8"], [Provider.CPU], [1], [1, 2])
    assert [v.name for v in threaded] == ["int8/cpu/b1/t1", "int8/cpu/b1/t2"]
    asked = select_variants(["fp16"], [Provider.CPU], [1])
    assert [v.name for v in asked] == ["fp16/cpu/b1"]


def test_workload_cycles_through_distinct_inputs() -> None:
    workload = make_workload(5, side=200)
    assert len(workload.jpegs) == 5 and workload.arrays.shape == (5, 128, 128, 3)
    assert workload.jpeg_batch(1, 3) == [workload.jpegs[i] for i in (3, 4, 0)]
    assert np.array_equal(workload.array_batch(1, 3), workload.arrays[[3, 4, 0]])


@pytest.mark.train
def test_keras_rows_use_the_same_weights() -> None:
    from framedetect import Detector
    from framedetect_bench.keras_reference import keras_runners, max_abs_diff

    runners = keras_runners()
    assert runners is not None
    workload = make_workload(8, side=200)
    scores = Detector(provider="cpu").scores(workload.arrays)
    assert max_abs_diff(runners["keras eager"], workload.arrays, scores) < 1e-5
    assert max_abs_diff(runners["keras predict"], workload.arrays, scores) < 1e-5


def test_the_baseline_gets_its_own_row(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    out = tmp_path / "bench.json"
    args = ["bench", "--precision", "fp32", "--batch", "1", "--provider", "cpu", "--runs", "20"]
    args += ["--warmup", "2", "--accuracy-images", "40", "--no-keras", "--json", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(out.read_text())["rows"]}
    baseline = rows["baseline/opencv/b1"]
    assert baseline["end_to_end"]["p50_ms"] > 0 and 0.5 < baseline["accuracy"] <= 1.0
