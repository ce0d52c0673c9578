"""The exception hierarchy: every error framedetect raises is a FrameDetectError."""

from __future__ import annotations


class FrameDetectError(Exception):
    """Base class of every error raised by framedetect."""


class InvalidImageError(FrameDetectError):
    """The input could not be decoded as an image, or is unsafe to decode."""


class UnsupportedInputError(FrameDetectError):
    """The input has a type, dtype or shape that framedetect does not accept."""


class InvalidArgumentError(FrameDetectError, ValueError):
    """An argument (threshold, batch size, precision, ...) has a value that is not accepted."""


class ModelLoadError(FrameDetectError):
    """A model file is missing, unreadable or not a framedetect model."""


class ModelIntegrityError(ModelLoadError):
    """A bundled model file does not match the sha256 in the package manifest."""


class ProviderUnavailableError(FrameDetectError):
    """The requested execution provider (or onnxruntime itself) is not available."""


__all__ = [
    "FrameDetectError",
    "InvalidArgumentError",
    "InvalidImageError",
    "ModelIntegrityError",
    "ModelLoadError",
    "ProviderUnavailableError",
    "UnsupportedInputError",
]
