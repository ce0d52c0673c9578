"""Grid-search the baseline's thresholds on generated *validation* data, never on test data.

Edge maps are computed once per Canny setting; every (reach, margin, coverage) rule is
then scored on the same coverage profiles, so the whole grid costs a few seconds.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from framedetect._baseline import (
    ANALYSIS_SIZE,
    PARAMS_FILE,
    BaselineParams,
    edge_map,
    import_cv2,
    line_coverage,
)
from framedetect_synth import make_arrays

CANNY = ((15, 45), (20, 60), (30, 90), (50, 150), (80, 200), (120, 250))
REACH = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
MARGIN = (1, 2, 3, 4, 6, 8, 12, 16)
COVERAGE = tuple(round(c, 2) for c in np.arange(0.30, 0.99, 0.02))


def side_scores(profiles: np.ndarray, reach: float, margin: int) -> np.ndarray:
    """Best coverage within reach of the border, per image and side: (n, 4)."""
    length = profiles.shape[-1]
    stop = max(margin + 1, int(length * reach))
    band = profiles[:, :, margin:stop]
    scores: np.ndarray = band.max(axis=2)
    return scores


def tune(seed: int, count: int, photo_dir: Path | None) -> tuple[BaselineParams, dict[str, Any]]:
    """The thresholds with the best accuracy on ``count`` images of data set ``seed``."""
    cv2 = import_cv2()
    data = make_arrays(seed, count, photo_dir, size=ANALYSIS_SIZE)
    truth = data.has_frame.astype(bool)
    best: tuple[float, BaselineParams] = (-1.0, BaselineParams())
    for low, high in CANNY:
        params = BaselineParams(canny_low=low, canny_high=high)
        edges = [edge_map(image, params, cv2) for image in data.images]
        for reach in REACH:
            profiles = np.empty((len(truth), 4, ANALYSIS_SIZE), np.float32)
            for index, edge in enumerate(edges):
                rows, cols = line_coverage(edge, reach)
                profiles[index] = (rows, cols[::-1], rows[::-1], cols)
            for margin in MARGIN:
                score = side_scores(profiles, reach, margin).max(axis=1)
                for coverage in COVERAGE:
                    accuracy = float(np.mean((score >= coverage) == truth))
                    if accuracy > best[0]:
                        best = (
                            accuracy,
                            BaselineParams(low, high, float(coverage), float(reach), int(margin)),
                        )
    tried = len(CANNY) * len(REACH) * len(MARGIN) * len(COVERAGE)
    return best[1], {
        "version": "1",
        "data_seed": seed,
        "images": count,
        "validation_accuracy": round(best[0], 4),
        "grid_size": tried,
        "photos_composed": photo_dir is not None,
    }


def write_params(params: BaselineParams, tuning: dict[str, Any], models_dir: Path) -> Path:
    """``models/baseline.json``: the thresholds and how they were found."""
    path = models_dir / PARAMS_FILE
    path.write_text(json.dumps({"params": asdict(params), "tuning": tuning}, indent=2) + "\n")
    return path
