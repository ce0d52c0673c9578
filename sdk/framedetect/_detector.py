"""The Detector: one ONNX session, reused for every prediction, and the one-off ``predict``."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
from PIL import Image

from ._baseline import BASELINE, CannyBaseline
from ._batch import predict_many
from ._errors import (
    FrameDetectError,
    InvalidArgumentError,
    ModelLoadError,
)
from ._image import ImageInput, load_image_sized
from ._models import ModelInfo, Precision, find_model, parse_precision, read_bundled
from ._preprocess import normalize, prepare_image, prepare_image_sized, preprocess
from ._refine import Box, refine_box
from ._session import Provider, create_session

DEFAULT_MODEL = "framedetect"
INPUT_TYPES = ("tensor(float)", "tensor(uint8)")
LOCALISING = ("sides", "insets")
"""Extra outputs of a localising model: P(frame) per side, and each side's frame depth."""
"""Model inputs the SDK feeds: float32 in [0, 1], or the uint8 image itself (INT8 builds)."""
GPU_SLICE = 256
"""Images per onnxruntime call on CUDA: big batches, bounded memory."""
CPU_SLICE = 2
"""Images per onnxruntime call on the CPU. The first conv layer's output is 2 MB per
image (32 x 128 x 128 float32). At batch 32 that is 64 MB: it spills out of the CPU
caches, so the first conv writes it to DRAM and the first max-pool reads it back, and a
batch of 32 cost *more* per image than one image (profiled: conv1 +29 %, pool1 4.6x).
In slices of 2 it stays in cache; larger batches only amortise the Python call."""


Sides = tuple[float, float, float, float]


@dataclass(frozen=True)
class FramePrediction:
    """The verdict on one image: ``score`` is P(frame); ``has_frame`` is ``score >= threshold``.

    Models that localise frames also give ``sides``, a score per side (top, right,
    bottom, left), and ``content_box``, the part inside the frame as ``(x0, y0, x1, y1)``
    in the input image's pixels, end-exclusive (the whole image when there is no frame).
    The bundled CNN (2.x) and the baseline give both; a classifier-only model gives None.
    """

    has_frame: bool
    score: float
    model: str
    sides: Sides | None = None
    content_box: Box | None = None


class Detector:
    """Detect frames in thumbnails; keeps one onnxruntime session for all its calls.

    ``model`` is a bundled model name (default ``"framedetect"``) or the path of an
    ``.onnx`` file with the same input and output. ``provider`` is ``"auto"``,
    ``"cpu"`` or ``"cuda"``; an explicit ``"cuda"`` fails when CUDA does not attach.
    A Detector is safe to share between threads.
    """

    def __init__(
        self,
        provider: Provider | str = "auto",
        precision: Precision | str = "fp32",
        threads: int | None = None,
        threshold: float | None = None,
        model: str | os.PathLike[str] = DEFAULT_MODEL,
    ) -> None:
        if threshold is not None and (
            isinstance(threshold, bool)
            or not isinstance(threshold, (int, float))
            or not (0.0 <= threshold <= 1.0)
        ):
            raise InvalidArgumentError(
                f"threshold must be a number in [0, 1] or None, got {threshold!r}"
            )
        precision = parse_precision(precision).value
        self.threads = threads
        self._baseline: CannyBaseline | None = None
        if str(model) == BASELINE:
            self._baseline = CannyBaseline()
            self.info = self._baseline.info
            self.providers: list[str] = ["opencv"]
            self._on_gpu = False
            self.threshold = self.info.threshold if threshold is None else float(threshold)
            return
        if isinstance(model, os.PathLike) or str(model).endswith(".onnx") or "/" in str(model):
            self.info, path = _user_model(Path(model))
            source: bytes | str = path
        else:
            self.info = find_model(str(model), precision)
            source = read_bundled(self.info)
        try:
            self._session = create_session(source, provider, threads)
        except FrameDetectError:
            raise
        except Exception as error:  # onnxruntime raises its own untyped errors
            raise ModelLoadError(f"onnxruntime cannot load {self.info.file!r}: {error}") from error
        self._input, size, self._takes_uint8 = _check_signature(self._session, self.info.file)
        if self.info.input_size == 0:  # a user model: take what its graph says
            self.info = _described(self.info, self._session, size, self._takes_uint8)
        elif self.info.input_size != size:
            raise ModelLoadError(
                f"model {self.info.file!r} takes {size}px input, its manifest says "
                f"{self.info.input_size}px"
            )
        self.providers = list(self._session.get_providers())
        self._on_gpu = self.providers[0] != "CPUExecutionProvider"
        outputs = [output.name for output in self._session.get_outputs()]
        self._localises = {LOCALISING[0], LOCALISING[1]} <= set(outputs)
        self._outputs = outputs
        self.threshold = self.info.threshold if threshold is None else float(threshold)

    @property
    def slice_size(self) -> int:
        """Images per onnxruntime call: :data:`CPU_SLICE` or :data:`GPU_SLICE`."""
        return GPU_SLICE if self._on_gpu else CPU_SLICE

    @property
    def input_size(self) -> int:
        """The side of the square image the model takes."""
        return self.info.input_size

    def predict(self, image: ImageInput) -> FramePrediction:
        """Score one image: a path, bytes, a PIL image or an HxWx3 uint8 RGB array."""
        array, size = self.prepare_sized(image)
        return self.predict_arrays(array[None], [size])[0]

    def remove_frame(self, image: ImageInput, refine: bool = True) -> Image.Image:
        """The image with its frame cropped away (unchanged, but upright, when it has none).

        With ``refine`` each framed side's cut snaps to the frame's edge in the full-size
        image (see :func:`framedetect._refine.refine_box`), not just the model's estimate.
        Needs a model that localises frames (the bundled CNN or ``model="baseline"``); a
        classifier-only model raises :class:`InvalidArgumentError`.
        """
        upright, size = load_image_sized(image)
        return upright.crop(self._crop_box(upright, size, refine))

    def crop_box(self, image: ImageInput, refine: bool = True) -> Box:
        """The (x0, y0, x1, y1) part of the upright image that :meth:`remove_frame` keeps."""
        upright, size = load_image_sized(image)
        return self._crop_box(upright, size, refine)

    def _crop_box(self, upright: Image.Image, size: tuple[int, int], refine: bool) -> Box:
        prediction = self.predict_arrays(preprocess(upright, self.input_size)[None], [size])[0]
        if prediction.content_box is None or prediction.sides is None:
            raise InvalidArgumentError(
                f"model {self.info.label!r} does not localise frames, so it cannot crop them; "
                "use Detector(model='baseline')"
            )
        if not prediction.has_frame or not refine:
            return prediction.content_box
        top, right, bottom, left = (score >= self.threshold for score in prediction.sides)
        return refine_box(upright, prediction.content_box, (top, right, bottom, left))

    @overload
    def predict_batch(
        self,
        images: Iterable[ImageInput],
        batch_size: int = 32,
        *,
        errors: Literal["raise"] = "raise",
        workers: int | None = None,
    ) -> list[FramePrediction]: ...

    @overload
    def predict_batch(
        self,
        images: Iterable[ImageInput],
        batch_size: int = 32,
        *,
        errors: Literal["return"],
        workers: int | None = None,
    ) -> list[FramePrediction | FrameDetectError]: ...

    def predict_batch(
        self,
        images: Iterable[ImageInput],
        batch_size: int = 32,
        *,
        errors: Literal["raise", "return"] = "raise",
        workers: int | None = None,
    ) -> list[FramePrediction] | list[FramePrediction | FrameDetectError]:
        """Score many images; results keep the input order.

        Images decode in ``workers`` threads (default: one per CPU) while the session
        scores the ones before them, at most ``batch_size`` at a time, so a batch costs
        less per image than single calls. With ``errors="raise"`` (the default) a bad
        image raises its typed error, naming its position in ``images``; with
        ``errors="return"`` its place in the list holds that error instead, and every
        other image is scored.
        """
        return predict_many(self, images, batch_size, errors, workers)

    def prepare(self, image: ImageInput) -> np.ndarray:
        """Decode and resize one image to the model's uint8 HxWx3 input."""
        return prepare_image(image, self.input_size)

    def prepare_sized(self, image: ImageInput) -> tuple[np.ndarray, tuple[int, int]]:
        """:meth:`prepare`, and the image's upright (width, height), for content boxes."""
        return prepare_image_sized(image, self.input_size)

    def predict_arrays(
        self, batch: np.ndarray, sizes: Sequence[tuple[int, int]] | None = None
    ) -> list[FramePrediction]:
        """Score an NxSxSx3 uint8 batch that :meth:`prepare` made.

        ``sizes`` (each image's full width and height) turn a localising model's box into
        input pixels; without them ``content_box`` is None.
        """
        return self.predictions(self.outputs(batch), sizes)

    def outputs(self, batch: np.ndarray) -> list[np.ndarray]:
        """The model's raw outputs for a prepared batch: scores (N, 1), then sides and
        insets (N, 4) when it localises; the first half of :meth:`predict_arrays`."""
        if self._baseline is None:
            return self._run(batch)
        found = [self._baseline.analyse(image) for image in batch]
        return [
            np.asarray([[result.score] for result in found], np.float32).reshape(-1, 1),
            np.asarray([result.sides for result in found], np.float64).reshape(-1, 4),
            np.asarray([result.box for result in found], np.float64).reshape(-1, 4),
        ]

    def predictions(
        self, outputs: list[np.ndarray], sizes: Sequence[tuple[int, int]] | None = None
    ) -> list[FramePrediction]:
        """Verdicts, sides and boxes from :meth:`outputs`: the second half of
        :meth:`predict_arrays`."""
        scores = outputs[0].reshape(-1)
        if self._baseline is not None:
            located = [
                ((float(t), float(r), float(b), float(le)), (x0, y0, x1, y1))
                for (t, r, b, le), (x0, y0, x1, y1) in zip(outputs[1].tolist(), outputs[2].tolist())
            ]
        elif self._localises:
            located = [_located(side, inset, self.threshold) for side, inset in zip(*outputs[1:])]
        else:
            located = []
        predictions = []
        for index, score in enumerate(scores):
            sides: Sides | None = None
            box: Box | None = None
            if located:
                sides = located[index][0]
                if sizes is not None:
                    box = _pixels(located[index][1], sizes[index], score >= self.threshold)
            predictions.append(
                FramePrediction(
                    bool(score >= self.threshold), float(score), self.info.label, sides, box
                )
            )
        return predictions

    def scores(self, batch: np.ndarray) -> np.ndarray:
        """Raw frame scores, shape (N,), for an NxSxSx3 uint8 batch.

        On the CPU the batch runs in slices of :data:`CPU_SLICE` images: see there why.
        """
        if self._baseline is not None:
            return np.asarray([self._baseline.analyse(i).score for i in batch], np.float32)
        return self._run(batch)[0].reshape(len(batch))

    def _run(self, batch: np.ndarray) -> list[np.ndarray]:
        """Every output of the ONNX model (score first; sides, insets when localising)."""
        step = self.slice_size
        wanted = [self._outputs[0], *(LOCALISING if self._localises else ())]
        parts = [
            self._session.run(wanted, {self._input: self._model_input(batch[start : start + step])})
            for start in range(0, len(batch), step)
        ]
        if not parts:
            return [np.zeros((0, 1), np.float32), np.zeros((0, 4)), np.zeros((0, 4))]
        return [
            np.concatenate([part[i] for part in parts]).astype(np.float32, copy=False)
            for i in range(len(wanted))
        ]

    def _model_input(self, images: np.ndarray) -> np.ndarray:
        """uint8 as prepared for INT8 builds, else float32 in [0, 1]; one slice at a time, so
        scoring thousands of images never holds them all as float32."""
        return images if self._takes_uint8 else normalize(images)

    def __repr__(self) -> str:
        return (
            f"Detector(model={self.info.label!r}, providers={self.providers}, "
            f"threshold={self.threshold})"
        )


def _located(
    sides: np.ndarray, insets: np.ndarray, threshold: float
) -> tuple[Sides, tuple[float, float, float, float]]:
    """Per-side scores, and the 0..1 content box that framed sides' insets leave."""
    top, right, bottom, left = (
        float(inset) if score >= threshold else 0.0 for score, inset in zip(sides, insets)
    )
    scores = (float(sides[0]), float(sides[1]), float(sides[2]), float(sides[3]))
    return scores, (left, top, 1.0 - right, 1.0 - bottom)


def _pixels(box: tuple[float, float, float, float], size: tuple[int, int], framed: bool) -> Box:
    """A 0..1 box in input pixels, never empty; the whole image when not framed."""
    width, height = size
    if not framed:
        return (0, 0, width, height)
    x0 = min(round(box[0] * width), width - 1)
    y0 = min(round(box[1] * height), height - 1)
    x1 = min(max(round(box[2] * width), x0 + 1), width)
    y1 = min(max(round(box[3] * height), y0 + 1), height)
    return (x0, y0, x1, y1)


def _user_model(path: Path) -> tuple[ModelInfo, str]:
    if not path.is_file():
        raise ModelLoadError(f"model file {str(path)!r} does not exist or is not a file")
    info = ModelInfo(
        name=f"custom:{path.stem}",
        version="unknown",
        precision="unknown",
        file=str(path),
        sha256="",
        input_size=0,
        threshold=0.5,
    )
    return info, str(path)


def _described(info: ModelInfo, session: Any, size: int, takes_uint8: bool) -> ModelInfo:
    """A user model's info from its own metadata: version, threshold, and precision (else int8 for a
    uint8 input, fp32 otherwise), so that its results are never named as a bundled build."""
    metadata = session.get_modelmeta().custom_metadata_map
    precision = metadata.get("precision") or ("int8" if takes_uint8 else "fp32")
    version = metadata.get("version", "unknown")
    try:  # the threshold its ship step chose (0.5 when it names none, or an odd one)
        threshold = float(metadata.get("threshold", "0.5"))
    except ValueError:
        threshold = 0.5
    threshold = threshold if 0.0 <= threshold <= 1.0 else 0.5
    return replace(
        info, input_size=size, version=str(version), precision=str(precision), threshold=threshold
    )


def _check_signature(session: Any, file: str) -> tuple[str, int, bool]:
    """Input name, image size and whether it takes uint8 (else float in [0, 1]), checked."""
    inputs, outputs = session.get_inputs(), session.get_outputs()
    shape = list(inputs[0].shape) if len(inputs) == 1 else []
    size = shape[1] if len(shape) == 4 else None
    ok = (
        len(inputs) == 1
        and inputs[0].type in INPUT_TYPES
        and isinstance(size, int)
        and shape[2] == size
        and shape[3] == 3
        and len(outputs) >= 1
        and list(outputs[0].shape)[-1:] == [1]
    )
    if not ok or not isinstance(size, int):
        got = [(i.name, i.type, i.shape) for i in inputs], [(o.name, o.shape) for o in outputs]
        raise ModelLoadError(
            f"model {file!r} has (inputs, outputs) {got}; expected one float or uint8 input of "
            "shape [N, S, S, 3] and a first output of shape [N, 1]"
        )
    return str(inputs[0].name), size, inputs[0].type == "tensor(uint8)"


_default: Detector | None = None
_default_lock = threading.Lock()


def default_detector() -> Detector:
    """The shared Detector behind :func:`predict`, made on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Detector()
        return _default


def predict(image: ImageInput) -> FramePrediction:
    """Score one image with the bundled model (one shared Detector, made on first call)."""
    return default_detector().predict(image)
