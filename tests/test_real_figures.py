"""Figures on real photos: the threshold chosen on validation photos, the held-out sets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from framedetect import Detector
from framedetect.cli import app
from framedetect_synth.real_frames import FAMILIES

pytest.importorskip("tensorflow")  # framedetect_keras ships with the train extra

from framedetect_keras.real_figures import choose_threshold, real_figures, real_sets


def test_the_threshold_is_the_most_accurate_one_on_validation_photos(
    detector: Detector, tiny_pool: Path
) -> None:
    with real_sets(tiny_pool, ("validation",)) as sets:
        truths = sets["validation"]
        chosen = choose_threshold(detector, truths)
        scores = np.asarray([detector.predict(t.path).score for t in truths])
    labels = np.asarray([t.has_frame for t in truths])

    def accuracy(threshold: float) -> float:
        return float(np.mean((scores >= threshold) == labels))

    assert 0.0 <= chosen <= 1.0
    assert all(accuracy(chosen) >= accuracy(t) for t in np.linspace(0, 1, 201))
    assert not np.any(scores == chosen)  # midway between scores, none sits on it


def test_real_figures_are_what_eval_measures_on_the_same_set(
    detector: Detector, tiny_pool: Path, tmp_path: Path
) -> None:
    with real_sets(tiny_pool, ("test", "cross-source")) as sets:
        figures = real_figures(detector, sets)
    assert set(figures) == {"test"}  # the tiny pool has no held-out source
    test = figures["test"]
    assert set(test["recall_by_family"]) <= set(FAMILIES)
    assert list(test["accuracy_by_source"]) == ["shop"]
    runner = CliRunner()
    out = tmp_path / "set"
    made = runner.invoke(app, ["real-set", str(out), "--split", "test", "--pool", str(tiny_pool)])
    assert made.exit_code == 0, made.output
    report = tmp_path / "report.json"
    scored = runner.invoke(app, ["eval", str(out), "--json", str(report)])
    assert scored.exit_code == 0, scored.output
    metrics = json.loads(report.read_text())["metrics"]
    assert test["images"] == metrics["scored"]
    assert test["accuracy"] == metrics["accuracy"]
    assert test["roc_auc"] == metrics["roc_auc"]
