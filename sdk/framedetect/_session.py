"""onnxruntime sessions: provider choice, strict checks of what attached, thread settings,
and the model's signature (what the SDK feeds it and reads back).

onnxruntime is imported here, lazily, so that ``import framedetect`` works without it
and the first prediction says which extra to install.
"""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass
from enum import Enum
from types import ModuleType
from typing import Any

from ._errors import (
    FrameDetectError,
    InvalidArgumentError,
    ModelLoadError,
    ProviderUnavailableError,
)

INSTALL_HINT = "install framedetect[cpu] or framedetect[gpu]"
CPU = "CPUExecutionProvider"
CUDA = "CUDAExecutionProvider"


class Provider(str, Enum):
    """Where inference runs: ``auto`` takes CUDA when it is there, else the CPU."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


class ProviderFallbackWarning(UserWarning):
    """``provider="auto"`` wanted CUDA but runs on the CPU."""


def import_onnxruntime() -> ModuleType:
    """The onnxruntime module, or a typed error naming the extra to install."""
    try:
        onnxruntime: ModuleType = importlib.import_module("onnxruntime")
    except ImportError as error:
        raise ProviderUnavailableError(
            f"onnxruntime is not installed ({error}); {INSTALL_HINT}"
        ) from error
    return onnxruntime


def parse_provider(provider: Provider | str) -> Provider:
    """Accept a :class:`Provider` or its string value."""
    try:
        return Provider(provider)
    except ValueError:
        choices = ", ".join(p.value for p in Provider)
        raise InvalidArgumentError(
            f"provider {provider!r} is not accepted; expected one of {choices}"
        ) from None


def create_session(
    model: bytes | str, provider: Provider | str, threads: int | None, spinning: bool = True
) -> Any:
    """An ``InferenceSession`` on ``provider``; ``cuda`` fails loudly if CUDA did not attach.

    ``spinning=False`` lets idle worker threads sleep at once instead of spinning for the
    next call: for sessions that share their cores with decoding threads.
    """
    provider = parse_provider(provider)
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise InvalidArgumentError(f"threads must be a positive int or None, got {threads!r}")
    ort = import_onnxruntime()
    available = ort.get_available_providers()
    if provider is Provider.CUDA and CUDA not in available:
        raise ProviderUnavailableError(
            f"provider 'cuda' asked for, but this onnxruntime offers only {available}; "
            "install framedetect[gpu] (onnxruntime-gpu) with CUDA and cuDNN, instead of [cpu]"
        )
    wanted = (
        [CUDA, CPU]
        if provider is Provider.CUDA or (provider is Provider.AUTO and CUDA in available)
        else [CPU]
    )
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    if not spinning:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(model, sess_options=options, providers=wanted)
    attached = session.get_providers()
    if CUDA in wanted and CUDA not in attached:
        message = (
            f"CUDAExecutionProvider is installed but did not attach (session runs on {attached}); "
            "check that the CUDA 12 and cuDNN 9 libraries onnxruntime-gpu needs are installed "
            "(or pip install 'onnxruntime-gpu[cuda,cudnn]')"
        )
        if provider is Provider.CUDA:
            raise ProviderUnavailableError(message)
        warnings.warn(message + "; falling back to the CPU", ProviderFallbackWarning, stacklevel=3)
    return session


INPUT_TYPES = ("tensor(float)", "tensor(uint8)")
"""Model inputs the SDK feeds: float32 in [0, 1], or the uint8 image itself (INT8 builds)."""
LOCALISING = ("sides", "insets")
"""Extra outputs of a localising model: P(frame) per side, and each side's frame depth."""


@dataclass(frozen=True)
class OnnxModel:
    """A session on a model whose signature was checked: what it takes and gives."""

    session: Any
    input_name: str
    input_size: int
    takes_uint8: bool
    outputs: tuple[str, ...]
    """The outputs to fetch: the frame score, then sides and insets when it localises."""

    @property
    def localises(self) -> bool:
        """Whether it gives per-side scores and frame depths."""
        return len(self.outputs) == 1 + len(LOCALISING)

    @property
    def providers(self) -> list[str]:
        """The providers that attached, first one preferred."""
        return list(self.session.get_providers())

    @property
    def metadata(self) -> dict[str, str]:
        """The model file's own metadata (version, precision, threshold...)."""
        return dict(self.session.get_modelmeta().custom_metadata_map)


def open_model(
    source: bytes | str,
    file: str,
    provider: Provider | str,
    threads: int | None,
    spinning: bool = True,
) -> OnnxModel:
    """A checked :class:`OnnxModel` of ``source`` (bytes or a path; ``file`` names it)."""
    try:
        session = create_session(source, provider, threads, spinning)
    except FrameDetectError:
        raise
    except Exception as error:  # onnxruntime raises its own untyped errors
        raise ModelLoadError(f"onnxruntime cannot load {file!r}: {error}") from error
    input_name, size, takes_uint8 = _check_signature(session, file)
    names = [output.name for output in session.get_outputs()]
    localising = LOCALISING if set(LOCALISING) <= set(names) else ()
    return OnnxModel(session, input_name, size, takes_uint8, (names[0], *localising))


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
