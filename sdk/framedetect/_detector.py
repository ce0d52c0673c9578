"""The Detector: one ONNX session, reused for every prediction, and the one-off ``predict``.

It puts together what other modules do: loading (:mod:`._models`, :mod:`._session`),
decoding images (:mod:`._preprocess`), batching (:mod:`._batch`), turning outputs into
verdicts and boxes (:mod:`._decode`) and snapping cuts to the frame (:mod:`._refine`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal, overload

import numpy as np
from PIL import Image

from ._baseline import BASELINE, CannyBaseline
from ._batch import (
    CPU_SLICE,
    batch_model_threads,
    batch_workers,
    default_workers,
    predict_many,
    run_in_slices,
    slice_size,
)
from ._decode import FramePrediction, decode
from ._errors import FrameDetectError, InvalidArgumentError, ModelLoadError
from ._image import ImageInput, load_image_sized
from ._models import (
    Precision,
    described,
    find_model,
    parse_precision,
    read_bundled,
    user_model_info,
)
from ._preprocess import prepare_image, prepare_image_sized, preprocess
from ._refine import Box, refine_box
from ._session import OnnxModel, Provider, open_model

DEFAULT_MODEL = "framedetect"


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
        self._model: OnnxModel | None = None
        self._batch_model: OnnxModel | None = None
        self._batch_lock = threading.Lock()
        self._source: bytes | str = b""
        if str(model) == BASELINE:
            self._baseline = CannyBaseline()
            self.info = self._baseline.info
            self.providers: list[str] = ["opencv"]
        else:
            user_file = isinstance(model, os.PathLike) or str(model).endswith(".onnx")
            if user_file or "/" in str(model):
                self.info = user_model_info(Path(model))
                source: bytes | str = self.info.file
            else:
                self.info = find_model(str(model), precision)
                source = read_bundled(self.info)
            self._model = open_model(source, self.info.file, provider, threads)
            self._source = source
            size, takes_uint8 = self._model.input_size, self._model.takes_uint8
            if self.info.input_size == 0:  # a user model: take what its graph says
                self.info = described(self.info, self._model.metadata, size, takes_uint8)
            elif self.info.input_size != size:
                raise ModelLoadError(
                    f"model {self.info.file!r} takes {size}px input, its manifest says "
                    f"{self.info.input_size}px"
                )
            self.providers = self._model.providers
        self.threshold = self.info.threshold if threshold is None else float(threshold)

    @property
    def slice_size(self) -> int:
        """Images per onnxruntime call (see :data:`._batch.CPU_SLICE`)."""
        return CPU_SLICE if self._model is None else slice_size(self._model)

    @property
    def takes_uint8(self) -> bool:
        """Whether the model takes the uint8 image itself (INT8 builds), not floats."""
        return self._model is not None and self._model.takes_uint8

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

        Images decode in ``workers`` threads (default: :attr:`batch_workers`) while a
        session of half the threads, that does not spin, scores the ones before them, at
        most ``batch_size`` at a time, so a batch costs less per image than single calls.
        With ``errors="raise"`` (the default) a bad image raises its typed error, naming
        its position in ``images``; with ``errors="return"`` its place in the
        list holds that error instead, and every other image is scored.
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
        if self._model is not None:
            return run_in_slices(self._model, batch)
        assert self._baseline is not None
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
        if self._model is None:
            boxes: str | None = "fractions"
        else:
            boxes = "insets" if self._model.localises else None
        return decode(outputs, sizes, self.threshold, self.info.label, boxes)

    def predict_prepared(
        self, batch: np.ndarray, sizes: Sequence[tuple[int, int]] | None = None
    ) -> list[FramePrediction]:
        """:meth:`predict_arrays` for batches that decode while the session runs
        (:meth:`predict_batch`, scans): on the CPU with a session of its own that leaves
        cores to the decoding threads (see :func:`._batch.batch_model_threads`)."""
        if self._model is None:  # the baseline
            return self.predict_arrays(batch, sizes)
        return self.predictions(run_in_slices(self._for_batches(self._model), batch), sizes)

    @property
    def batch_workers(self) -> int:
        """Decoding threads :meth:`predict_batch` and scans use when none are asked for."""
        threads = self._batch_threads()
        return default_workers() if threads is None else batch_workers(threads)

    def _batch_threads(self) -> int | None:
        on_cpu = self._model is not None and self._model.providers[0] == "CPUExecutionProvider"
        return batch_model_threads(self.threads) if on_cpu else None

    def _for_batches(self, model: OnnxModel) -> OnnxModel:
        threads = self._batch_threads()
        if threads is None:
            return model
        with self._batch_lock:
            if self._batch_model is None:
                self._batch_model = open_model(
                    self._source, self.info.file, "cpu", threads, spinning=False
                )
            return self._batch_model

    def scores(self, batch: np.ndarray) -> np.ndarray:
        """Raw frame scores, shape (N,), for an NxSxSx3 uint8 batch (on the CPU in slices of
        :data:`._batch.CPU_SLICE` images: see there why)."""
        if self._model is None:
            assert self._baseline is not None
            return np.asarray([self._baseline.analyse(i).score for i in batch], np.float32)
        return run_in_slices(self._model, batch)[0].reshape(len(batch))

    def __repr__(self) -> str:
        return (
            f"Detector(model={self.info.label!r}, providers={self.providers}, "
            f"threshold={self.threshold})"
        )


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
