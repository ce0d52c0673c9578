"""The training half of the pipeline in one call: generated data -> Keras -> ONNX."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import tensorflow as tf

from .config import ModelConfig
from .export import ExportReport, export_onnx
from .train import TrainResult, TrainSettings, generated_arrays, train

MODEL_NAME = "framedetect"


@dataclass(frozen=True)
class PipelineResult:
    """The trained Keras model and its verified ONNX export."""

    training: TrainResult
    export: ExportReport
    onnx_path: Path


def train_and_export(
    config: ModelConfig,
    settings: TrainSettings,
    out_dir: Path,
    version: str,
    cache_dir: Path | None = None,
    show_progress: bool = True,
) -> PipelineResult:
    """Train ``config``, export it to ``out_dir/<run name>.onnx`` and check Keras/ONNX parity."""
    tf.config.experimental.enable_op_determinism()
    training = train(config, settings, out_dir, cache_dir, show_progress)
    data = settings.data
    parity = generated_arrays(data.val_seed, max(min(data.val_size, 512), 100), data, cache_dir)
    metadata = {
        "model_name": MODEL_NAME,
        "version": version,
        "run_name": config.run_name,
        "threshold": "0.5",
        "training_seed": str(data.seed),
        "train_size": str(data.train_size),
        "outputs": "score: P(frame), float32 (N, 1)",
    }
    onnx_path = out_dir / f"{config.run_name}.onnx"
    report = export_onnx(training.model, onnx_path, parity.images, metadata)
    (out_dir / "export.json").write_text(
        json.dumps(
            {
                "onnx": onnx_path.name,
                "max_abs_diff": report.max_abs_diff,
                "parity_images": report.parity_images,
                "metadata": metadata,
            },
            indent=2,
        )
    )
    return PipelineResult(training, report, onnx_path)
