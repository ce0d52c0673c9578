"""ONNX metadata carried from the fp32 model to its INT8 and fp16 versions."""

from __future__ import annotations

from pathlib import Path

import onnx


def copy_metadata(source: Path, target: Path, extra: dict[str, str]) -> None:
    """Carry the fp32 model's metadata (version, preprocessing, ...) over to ``target``."""
    original = onnx.load(str(source))
    model = onnx.load(str(target))
    props = {p.key: p.value for p in original.metadata_props} | extra
    del model.metadata_props[:]
    for key, value in props.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    model.producer_name = "framedetect"
    onnx.save(model, str(target))
