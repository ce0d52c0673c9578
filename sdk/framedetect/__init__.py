"""framedetect: detect seller-added frames in product thumbnails, on onnxruntime."""

from ._decode import FramePrediction
from ._detector import Detector, predict
from ._errors import (
    FrameDetectError,
    InvalidArgumentError,
    InvalidImageError,
    ModelIntegrityError,
    ModelLoadError,
    ProviderUnavailableError,
    UnsupportedInputError,
)
from ._image import load_image
from ._models import ModelInfo, Precision, bundled_models
from ._preprocess import normalize, prepare_image, preprocess
from ._session import Provider, ProviderFallbackWarning
from ._version import __version__

for _name in ("Detector", "FramePrediction", "Provider", "Precision", "ModelInfo"):
    globals()[_name].__module__ = __name__

__all__ = [
    "Detector",
    "FrameDetectError",
    "FramePrediction",
    "InvalidArgumentError",
    "InvalidImageError",
    "ModelInfo",
    "ModelIntegrityError",
    "ModelLoadError",
    "Precision",
    "Provider",
    "ProviderFallbackWarning",
    "ProviderUnavailableError",
    "UnsupportedInputError",
    "__version__",
    "bundled_models",
    "load_image",
    "normalize",
    "predict",
    "prepare_image",
    "preprocess",
]
