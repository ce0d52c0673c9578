"""framedetect.predict and Detector on every accepted input, and the typed errors for the rest."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import framedetect
from framedetect import (
    Detector,
    FrameDetectError,
    InvalidArgumentError,
    InvalidImageError,
    ModelIntegrityError,
    ModelLoadError,
    ProviderUnavailableError,
    UnsupportedInputError,
)
from framedetect._models import find_model, read_bundled
from framedetect_synth import make_arrays, make_sample, read_labels

from .conftest import SEED_EXAMPLES, needs_seed_examples


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_every_input_type_gives_the_same_answer(detector: Detector, generated: Path) -> None:
    path, _ = read_labels(generated / "labels.csv")[0]
    rgb = Image.open(path).convert("RGB")
    inputs = [
        str(path),
        path,
        path.read_bytes(),
        bytearray(path.read_bytes()),
        rgb,
        np.asarray(rgb),
        _png_bytes(rgb),
    ]
    scores = [detector.predict(image).score for image in inputs]
    # Encoded JPEGs (path, bytes) decode in draft mode; decoded pixels are used as given.
    assert np.allclose(scores[:4], scores[0], atol=1e-6)
    assert np.allclose(scores[4:], scores[4], atol=1e-6)
    assert abs(scores[0] - scores[4]) < 0.02
    assert len({detector.predict(image).has_frame for image in inputs}) == 1


def test_module_level_predict_uses_the_bundled_model(generated: Path) -> None:
    path, _ = read_labels(generated / "labels.csv")[0]
    result = framedetect.predict(path)
    assert isinstance(result, framedetect.FramePrediction)
    assert 0.0 <= result.score <= 1.0
    assert result.has_frame == (result.score >= 0.5)
    assert result.model == find_model("framedetect", "fp32").label


def test_transparency_is_composited_on_white(detector: Detector) -> None:
    rgba = Image.new("RGBA", (200, 160), (0, 0, 0, 0))
    rgba.paste((200, 30, 30, 255), (60, 40, 140, 120))
    on_white = Image.new("RGB", (200, 160), (255, 255, 255))
    on_white.paste((200, 30, 30), (60, 40, 140, 120))
    assert np.array_equal(np.asarray(framedetect.load_image(rgba)), np.asarray(on_white))
    assert detector.predict(rgba).score == pytest.approx(detector.predict(on_white).score, abs=1e-6)


@needs_seed_examples
def test_seed_transparent_product_is_composited_on_white() -> None:
    with Image.open(SEED_EXAMPLES / "2016-11-09_just_product.png") as raw:
        alpha = np.asarray(raw.convert("RGBA"))[..., 3]
    assert alpha.min() == 0, "the seed image really is transparent"
    rgb = np.asarray(framedetect.load_image(SEED_EXAMPLES / "2016-11-09_just_product.png"))
    assert (rgb[alpha == 0] == 255).all()


def test_training_and_inference_preprocessing_are_identical(detector: Detector) -> None:
    batch = make_arrays(seed=77, count=16, workers=1)
    for index in range(16):
        assert np.array_equal(batch.images[index], detector.prepare(make_sample(77, index).data))


def test_batch_matches_single_predictions_in_order(detector: Detector, generated: Path) -> None:
    paths = [path for path, _ in read_labels(generated / "labels.csv")][:10]
    batch = detector.predict_batch(paths, batch_size=3)
    assert [r.score for r in batch] == pytest.approx(
        [detector.predict(p).score for p in paths], abs=1e-5
    )


@pytest.mark.parametrize("workers", [1, 2, 5])
def test_threaded_batches_give_the_single_predictions(
    detector: Detector, generated: Path, workers: int
) -> None:
    paths = [path for path, _ in read_labels(generated / "labels.csv")]
    singles = [detector.predict(path) for path in paths]
    for batch_size in (1, 2, 7, 64):
        assert detector.predict_batch(paths, batch_size, workers=workers) == singles


def test_errors_return_keeps_every_other_result(detector: Detector, generated: Path) -> None:
    paths = [path for path, _ in read_labels(generated / "labels.csv")][:5]
    images: list[object] = [paths[0], "/no/such.jpg", paths[1], b"junk", *paths[2:]]
    results = detector.predict_batch(images, batch_size=2, errors="return")  # type: ignore[arg-type]
    assert len(results) == 7
    assert isinstance(results[1], InvalidImageError) and "no such image" in str(results[1])
    assert isinstance(results[3], InvalidImageError)
    good = [result for index, result in enumerate(results) if index not in (1, 3)]
    assert good == [detector.predict(path) for path in paths]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"errors": "ignore"}, "errors must be 'raise' or 'return'"),
        ({"workers": 0}, "workers must be a positive int"),
        ({"batch_size": 0}, "batch_size must be a positive int"),
    ],
)
def test_predict_batch_refuses_bad_settings(
    detector: Detector, generated: Path, kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        detector.predict_batch([generated], **kwargs)  # type: ignore[call-overload]


def test_bundled_model_separates_generated_frames(detector: Detector) -> None:
    data = make_arrays(seed=20261130 + 2, count=200, workers=1)
    predicted = np.asarray([r.has_frame for r in detector.predict_arrays(data.images)])
    assert np.mean(predicted == data.has_frame.astype(bool)) >= 0.9


def test_threshold_decides_has_frame(generated: Path) -> None:
    path, _ = read_labels(generated / "labels.csv")[0]
    assert Detector(threshold=0.0, provider="cpu").predict(path).has_frame is True
    strict = Detector(threshold=1.0, provider="cpu").predict(path)
    assert strict.has_frame is (strict.score >= 1.0)


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (12, UnsupportedInputError, r"unsupported input of type builtins\.int; expected a path"),
        (np.zeros((8, 8, 3), np.float32), UnsupportedInputError, "dtype float32 is not accepted"),
        (np.zeros((0, 8, 3), np.uint8), UnsupportedInputError, "is empty"),
        (b"", InvalidImageError, "cannot decode 0 bytes"),
        (b"not an image at all", InvalidImageError, "cannot decode 19 bytes"),
        ("/no/such/file.jpg", InvalidImageError, "no such image file"),
    ],
)
def test_bad_inputs_raise_typed_errors(
    detector: Detector, bad: object, error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        detector.predict(bad)  # type: ignore[arg-type]
    assert issubclass(error, FrameDetectError)


def test_directory_and_truncated_file(detector: Detector, tmp_path: Path) -> None:
    with pytest.raises(InvalidImageError, match="is a directory"):
        detector.predict(tmp_path)
    data = make_sample(1, 0).data
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidImageError, match="cannot decode"):
        detector.predict(tmp_path / "cut.jpg")


def test_batch_error_names_the_position(detector: Detector, generated: Path) -> None:
    path, _ = read_labels(generated / "labels.csv")[0]
    with pytest.raises(InvalidImageError, match="image #1: "):
        detector.predict_batch([path, b"junk", path])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"threshold": 1.5}, r"threshold must be a number in \[0, 1\]"),
        ({"provider": "tpu"}, "provider 'tpu' is not accepted; expected one of auto, cpu, cuda"),
        ({"precision": "int4"}, "precision 'int4' is not accepted"),
        ({"threads": 0}, "threads must be a positive int"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        Detector(**kwargs)  # type: ignore[arg-type]


def test_an_unknown_model_name_is_a_clear_load_error() -> None:
    with pytest.raises(ModelLoadError, match=r"no bundled model 'framedtect' .* ships: framed"):
        Detector(model="framedtect")


def test_explicit_cuda_without_cuda_raises() -> None:
    ort = pytest.importorskip("onnxruntime")
    if "CUDAExecutionProvider" in ort.get_available_providers():
        pytest.skip("CUDA is available here")
    with pytest.raises(ProviderUnavailableError, match=r"install framedetect\[gpu\]"):
        Detector(provider="cuda")


def test_tampered_model_is_refused() -> None:
    info = find_model("framedetect", "fp32")
    assert read_bundled(info)  # the shipped file matches its manifest
    with pytest.raises(ModelIntegrityError, match="has sha256"):
        read_bundled(replace(info, sha256="0" * 64))


def test_user_model_path_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="does not exist"):
        Detector(model=tmp_path / "missing.onnx")
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelLoadError, match="onnxruntime cannot load"):
        Detector(model=tmp_path / "junk.onnx")


@pytest.mark.parametrize(("threads", "batch_threads"), [(1, 1), (2, 1), (4, 2)])
def test_batches_run_on_a_second_session_that_leaves_cores_to_decoding(
    generated: Path, threads: int, batch_threads: int
) -> None:
    detector = Detector(threads=threads)
    paths = [path for path, _ in read_labels(generated / "labels.csv")][:6]
    singles = [detector.predict(path) for path in paths]
    assert detector.predict_batch(paths, batch_size=4) == singles
    batch_options = detector._batch_model.session.get_session_options()  # type: ignore[union-attr]
    assert batch_options.intra_op_num_threads == batch_threads
    assert batch_options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    single_options = detector._model.session.get_session_options()  # type: ignore[union-attr]
    assert single_options.intra_op_num_threads == threads  # one image: every thread, spinning
    assert detector.batch_workers == max(1, (os.cpu_count() or 1) - batch_threads)


def test_the_baseline_batches_without_a_session(generated: Path) -> None:
    baseline = Detector(model="baseline")
    paths = [path for path, _ in read_labels(generated / "labels.csv")][:4]
    assert baseline.predict_batch(paths) == [baseline.predict(path) for path in paths]


def test_one_image_in_a_batch_runs_on_the_main_session() -> None:
    detector = Detector(threads=2)
    detector.predict_batch([np.zeros((64, 64, 3), np.uint8)])
    assert detector._batch_model is None  # no decoding threads to leave cores to
