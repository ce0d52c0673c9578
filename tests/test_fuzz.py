"""Mutated JPEG, PNG and WebP bytes: predict() may only raise FrameDetectError."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, features

from framedetect import Detector, FrameDetectError, FramePrediction
from framedetect_synth import make_sample

FORMATS = ["JPEG", "PNG"] + (["WEBP"] if features.check("webp") else [])


def _seeds() -> dict[str, bytes]:
    image = Image.open(io.BytesIO(make_sample(20261160, 3).data)).convert("RGB")
    image = image.resize((96, 72))
    seeds = {}
    for fmt in FORMATS:
        buffer = io.BytesIO()
        image.save(buffer, fmt)
        seeds[fmt] = buffer.getvalue()
    return seeds


SEEDS = _seeds()
DETECTOR = Detector(provider="cpu")
OUTCOMES: Counter[str] = Counter()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(SEEDS[draw(st.sampled_from(FORMATS))])
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "set", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


def _check(data: bytes) -> None:
    try:
        result = DETECTOR.predict(data)
    except FrameDetectError as error:
        OUTCOMES[type(error).__name__] += 1
        return
    assert isinstance(result, FramePrediction) and 0.0 <= result.score <= 1.0
    OUTCOMES["scored"] += 1


@settings(max_examples=300, deadline=None, database=None)
@given(mutated())
def test_mutated_images_raise_only_framedetect_errors(data: bytes) -> None:
    _check(data)


@pytest.mark.slow
def test_ten_thousand_mutations() -> None:
    OUTCOMES.clear()

    @settings(
        max_examples=10_000,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutated())
    def run(data: bytes) -> None:
        _check(data)

    run()
    total = sum(OUTCOMES.values())
    print(f"fuzz: {total:,} examples, outcomes {dict(OUTCOMES)}")
    assert total >= 10_000
