"""onnxruntime sessions: provider choice, strict checks of what attached, thread settings.

onnxruntime is imported here, lazily, so that ``import framedetect`` works without it
and the first prediction says which extra to install.
"""

from __future__ import annotations

import importlib
import warnings
from enum import Enum
from types import ModuleType
from typing import Any

from ._errors import InvalidArgumentError, ProviderUnavailableError

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


def create_session(model: bytes | str, provider: Provider | str, threads: int | None) -> Any:
    """An ``InferenceSession`` on ``provider``; ``cuda`` fails loudly if CUDA did not attach."""
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
