"""The reference's Canny baseline: long straight edges near and parallel to the border.

For each side, the rows (top, bottom) or columns (left, right) of a Canny edge map are
scanned inward from the border, up to ``reach`` of the image. A row or column whose
edge pixels cover at least ``coverage`` of its middle part (``reach`` left out at both
ends, where perpendicular bands would interrupt it) is a frame boundary; the innermost
one found gives the content box. The side's score is the best coverage seen, so the
baseline also yields a ROC curve. Thresholds come from ``models/baseline.json``, tuned
on generated validation data only (``framedetect tune-baseline``). Needs OpenCV.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass
from importlib import resources
from types import ModuleType

import numpy as np

from ._errors import ModelLoadError
from ._models import ModelInfo

BASELINE = "baseline"
ANALYSIS_SIZE = 256
PARAMS_FILE = "baseline.json"
OPENCV_HINT = "install OpenCV: pip install opencv-python-headless (it comes with framedetect[dev])"


@dataclass(frozen=True)
class BaselineParams:
    """The rules' thresholds."""

    canny_low: int = 50
    canny_high: int = 150
    coverage: float = 0.75
    reach: float = 0.3
    margin: int = 2


@dataclass(frozen=True)
class BaselineResult:
    """Score, per-side scores (top, right, bottom, left) and the content box in 0..1."""

    score: float
    sides: tuple[float, float, float, float]
    box: tuple[float, float, float, float]


def import_cv2() -> ModuleType:
    """OpenCV, or a typed error with the install hint."""
    try:
        return importlib.import_module("cv2")
    except ImportError as error:
        raise ModelLoadError(f"the Canny baseline needs OpenCV ({error}); {OPENCV_HINT}") from error


def load_params() -> tuple[BaselineParams, dict[str, object]]:
    """The tuned thresholds shipped in ``models/baseline.json``, and how they were tuned."""
    try:
        text = resources.files("framedetect.models").joinpath(PARAMS_FILE).read_text()
        data = json.loads(text)
        return BaselineParams(**data["params"]), data.get("tuning", {})
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelLoadError(f"cannot read the baseline's {PARAMS_FILE}: {error}") from error


def edge_map(rgb: np.ndarray, params: BaselineParams, cv2: ModuleType) -> np.ndarray:
    """Canny edges (bool) of an HxWx3 uint8 image."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    edges: np.ndarray = cv2.Canny(gray, params.canny_low, params.canny_high) > 0
    return edges


def line_coverage(edges: np.ndarray, trim: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row and per column: the share of pixels with an edge within one pixel across.

    Only the middle of each row or column counts (``trim`` of the length is left out at
    both ends), where perpendicular frame bands cannot interrupt the line.
    """
    height, width = edges.shape
    top, left = int(height * trim), int(width * trim)
    rows = edges.copy()
    rows[1:] |= edges[:-1]
    rows[:-1] |= edges[1:]
    cols = edges.copy()
    cols[:, 1:] |= edges[:, :-1]
    cols[:, :-1] |= edges[:, 1:]
    return rows[:, left : width - left].mean(axis=1), cols[top : height - top].mean(axis=0)


def analyse(edges: np.ndarray, params: BaselineParams) -> BaselineResult:
    """Apply the rules to one edge map."""
    row_cov, col_cov = line_coverage(edges, params.reach)
    height, width = edges.shape
    # Each side: coverage profile read inward from that border.
    profiles = (row_cov, col_cov[::-1], row_cov[::-1], col_cov)
    lengths = (height, width, height, width)
    scores, depths = [], []
    for profile, length in zip(profiles, lengths):
        band = profile[params.margin : max(params.margin + 1, int(length * params.reach))]
        best = float(band.max()) if len(band) else 0.0
        strong = np.flatnonzero(band >= params.coverage)
        scores.append(best)
        depths.append((params.margin + int(strong[-1]) + 1) / length if len(strong) else 0.0)
    top, right, bottom, left = depths
    box = (left, top, 1.0 - right, 1.0 - bottom)
    sides = (scores[0], scores[1], scores[2], scores[3])
    return BaselineResult(max(scores), sides, box)


def params_dict(params: BaselineParams) -> dict[str, object]:
    """JSON form of the thresholds."""
    return asdict(params)


class CannyBaseline:
    """The baseline behind ``Detector(model="baseline")``: tuned thresholds and OpenCV."""

    def __init__(self) -> None:
        self._cv2 = import_cv2()
        self.params, tuning = load_params()
        self.info = ModelInfo(
            name=BASELINE,
            version=str(tuning.get("version", "1")),
            precision="opencv",
            file=PARAMS_FILE,
            sha256="",
            input_size=ANALYSIS_SIZE,
            threshold=self.params.coverage,
        )

    def analyse(self, image: np.ndarray) -> BaselineResult:
        """Score one HxWx3 uint8 image (the Detector's prepared input)."""
        return analyse(edge_map(image, self.params, self._cv2), self.params)
