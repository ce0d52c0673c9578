"""The models bundled in the package: the manifest, sha256 checks, and loading by name.

Model files live in ``framedetect/models`` and are read with ``importlib.resources``,
so they load from any install, zipped or not, and never from the network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ._errors import InvalidArgumentError, ModelIntegrityError, ModelLoadError

MODELS_PACKAGE = "framedetect.models"
MANIFEST = "manifest.json"


class Precision(str, Enum):
    """Which build of a model: fp32, INT8 (static QDQ, fastest on CPUs) or fp16 (for CUDA)."""

    FP32 = "fp32"
    INT8 = "int8"
    FP16 = "fp16"


PRECISIONS = tuple(p.value for p in Precision)


@dataclass(frozen=True)
class ModelInfo:
    """What the manifest says about one bundled model file."""

    name: str
    version: str
    precision: str
    file: str
    sha256: str
    input_size: int
    threshold: float
    metrics: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        """How predictions name their model, e.g. ``framedetect-1.0.0-fp32``."""
        return f"{self.name}-{self.version}-{self.precision}"


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    """The parsed ``models/manifest.json`` of this install."""
    try:
        text = resources.files(MODELS_PACKAGE).joinpath(MANIFEST).read_text(encoding="utf-8")
        data: dict[str, Any] = json.loads(text)
    except (OSError, ValueError) as error:
        raise ModelLoadError(f"cannot read the bundled model manifest: {error}") from error
    return data


def bundled_models() -> list[ModelInfo]:
    """Every model listed in the manifest."""
    try:
        return [
            ModelInfo(
                name=str(entry["name"]),
                version=str(entry["version"]),
                precision=str(entry["precision"]),
                file=str(entry["file"]),
                sha256=str(entry["sha256"]),
                input_size=int(entry["input_size"]),
                threshold=float(entry["threshold"]),
                metrics=entry.get("metrics", {}),
            )
            for entry in _entries()
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _broken(f"a model entry lacks or mistypes a field ({error!r})") from error


def _entries() -> list[Any]:
    data = manifest()
    models = data.get("models", []) if isinstance(data, dict) else None
    if not isinstance(models, list):
        raise _broken("'models' is not a list")
    return models


def _broken(why: str) -> ModelLoadError:
    return ModelLoadError(
        f"the bundled model manifest is broken: {why}; reinstall framedetect, or give the "
        "path of an .onnx file"
    )


def parse_precision(precision: Precision | str) -> Precision:
    """Accept a :class:`Precision` or its string value."""
    try:
        return Precision(precision)
    except ValueError:
        raise InvalidArgumentError(
            f"precision {precision!r} is not accepted; expected one of {', '.join(PRECISIONS)}"
        ) from None


def find_model(name: str, precision: Precision | str) -> ModelInfo:
    """The bundled model ``name`` at ``precision``, or a clear error listing what exists."""
    precision = parse_precision(precision).value
    models = bundled_models()
    for info in models:
        if info.name == name and info.precision == precision:
            return info
    shipped = ", ".join(f"{m.name} ({m.precision})" for m in models) or "none"
    raise ModelLoadError(
        f"no bundled model {name!r} at precision {precision!r}; this install ships: {shipped}, "
        "and the Canny detector model='baseline' (needs OpenCV); or give the path of an "
        ".onnx file"
    )


def read_bundled(info: ModelInfo) -> bytes:
    """The model file's bytes, after checking them against the manifest's sha256."""
    try:
        data = resources.files(MODELS_PACKAGE).joinpath(info.file).read_bytes()
    except OSError as error:
        raise ModelLoadError(f"bundled model file {info.file!r} cannot be read: {error}") from error
    digest = hashlib.sha256(data).hexdigest()
    if digest != info.sha256:
        raise ModelIntegrityError(
            f"bundled model {info.file!r} has sha256 {digest}, but the manifest expects "
            f"{info.sha256}; the file was damaged or replaced, reinstall framedetect"
        )
    return data


def user_model_info(path: Path) -> ModelInfo:
    """A model file of the user's, before its session says more (see :func:`described`)."""
    if not path.is_file():
        raise ModelLoadError(f"model file {str(path)!r} does not exist or is not a file")
    return ModelInfo(
        name=f"custom:{path.stem}",
        version="unknown",
        precision="unknown",
        file=str(path),
        sha256=_checked_sha256(path),
        input_size=0,
        threshold=0.5,
    )


def _checked_sha256(path: Path) -> str:
    """The sha256 that ``FILE.json`` beside a model file records (as ``framedetect
    finetune`` writes it), checked against the file; "" when there is no such record."""
    record_path = path.with_suffix(".json")
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    if not isinstance(record, dict) or record.get("file") != path.name:
        return ""
    expected = str(record.get("sha256", ""))
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != expected:
        raise ModelIntegrityError(
            f"model file {str(path)!r} has sha256 {actual[:12]}…, but {record_path.name} "
            f"records {expected[:12] or 'none'}…: the file changed after it was written"
        )
    return actual


def described(info: ModelInfo, metadata: dict[str, str], size: int, takes_uint8: bool) -> ModelInfo:
    """A user model's info from its own metadata: version, threshold, and precision (else
    int8 for a uint8 input, fp32 otherwise), so that its results are never named as a
    bundled build."""
    precision = metadata.get("precision") or ("int8" if takes_uint8 else "fp32")
    try:  # the threshold its ship step chose (0.5 when it names none, or an odd one)
        threshold = float(metadata.get("threshold", "0.5"))
    except ValueError:
        threshold = 0.5
    threshold = threshold if 0.0 <= threshold <= 1.0 else 0.5
    version = metadata.get("version", "unknown")
    return replace(info, input_size=size, version=version, precision=precision, threshold=threshold)
