"""INT8 and fp16 builds behind ``precision=``: they load, and agree with fp32."""

from __future__ import annotations

import numpy as np
import pytest

from framedetect import Detector, InvalidArgumentError, Precision
from framedetect_synth import make_arrays


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    return make_arrays(seed=20261132, count=300, workers=1).images


@pytest.mark.parametrize("precision", [Precision.INT8, "fp16"])
def test_builds_agree_with_fp32(precision: Precision | str, images: np.ndarray) -> None:
    fp32 = Detector(provider="cpu").scores(images)
    other = Detector(provider="cpu", precision=precision)
    scores = other.scores(images)
    assert other.info.precision == Precision(precision).value
    assert other.info.label.endswith(f"-{Precision(precision).value}")
    assert np.mean((scores >= 0.5) == (fp32 >= 0.5)) >= 0.97
    assert np.median(np.abs(scores - fp32)) < 0.02


def test_an_unknown_precision_is_a_typed_error() -> None:
    with pytest.raises(InvalidArgumentError, match="precision 'int4' is not accepted"):
        Detector(provider="cpu", precision="int4")
