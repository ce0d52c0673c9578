"""Build the INT8 and fp16 models from the shipped fp32 one, measure all three, install them.

All precisions are scored through :class:`framedetect.Detector` on the same generated
test set, seed examples and real photos; the fp32 entry is re-measured too, so every
number in the manifest and ``docs/MODEL.md`` comes from the current files and code.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

from framedetect import Detector
from framedetect_keras.real_figures import REPORTED_SPLITS, real_figures, real_sets
from framedetect_keras.release import (
    LOCATION_SCALE,
    REPO_ROOT,
    SHARED_DATA,
    SOURCE_MODELS_DIR,
    evaluate_arrays,
    evaluate_predictions,
    false_positives_on_real,
    model_card,
    score_seed_examples,
    write_manifest,
)
from framedetect_synth import ArrayBatch, make_arrays

from .fp16 import convert_fp16
from .int8 import CALIBRATION_IMAGES, REDUCE_RANGE, quantize_int8

MAX_INT8_ACCURACY_LOSS = 0.005


class QuantizationAccuracyError(RuntimeError):
    """The INT8 model loses more accuracy than allowed."""


def build_variants(
    fp32_path: Path,
    out_dir: Path,
    calibration_seed: int,
    photo_dir: Path | None,
    calibration_images: int = CALIBRATION_IMAGES,
    pool_dir: Path | None = None,
) -> dict[str, Path]:
    """Write ``*-int8.onnx`` and ``*-fp16.onnx`` next to each other in ``out_dir``.

    INT8 calibrates on generated thumbnails, what the model trained on.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = fp32_path.stem.removesuffix("-fp32")
    int8 = quantize_int8(
        fp32_path,
        out_dir / f"{stem}-int8.onnx",
        calibration_seed,
        photo_dir,
        calibration_images,
        pool_dir=pool_dir,
    )
    fp16 = convert_fp16(fp32_path, out_dir / f"{stem}-fp16.onnx")
    return {"int8": int8, "fp16": fp16}


def measure(
    paths: dict[str, Path],
    test_seed: int,
    test_images: int,
    photo_dir: Path | None,
    pool_dir: Path | None = None,
    threshold: float = 0.5,
    test: ArrayBatch | None = None,
) -> dict[str, dict[str, Any]]:
    """Test-set, seed-example and real-photo metrics of each precision, on the same images
    (real-photo pool sets too, given ``pool_dir``), all at the shipped ``threshold``."""
    data = (
        test
        if test is not None
        else make_arrays(test_seed, test_images, photo_dir, pool_dir=pool_dir)
    )
    seeds_dir, real_dir = SHARED_DATA / "seed-examples", SHARED_DATA / "real-products"
    reference: np.ndarray | None = None
    results: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack:  # the real-photo sets are written once for every precision
        sets = stack.enter_context(real_sets(pool_dir, REPORTED_SPLITS)) if pool_dir else {}
        for precision, path in paths.items():
            detector = Detector(
                model=path, provider="cpu", precision=precision, threshold=threshold
            )
            scale = (LOCATION_SCALE, LOCATION_SCALE)
            predictions = detector.predict_arrays(data.images, [scale] * len(data.images))
            scores = np.asarray([p.score for p in predictions])
            if reference is None:
                reference = scores
            metrics: dict[str, Any] = {
                "test": evaluate_predictions(predictions, data, test_seed, detector.threshold),
                "seed_examples": score_seed_examples(detector, seeds_dir)
                if seeds_dir.is_dir()
                else [],
                "real_products": false_positives_on_real(detector, real_dir)
                if real_dir.is_dir()
                else None,
            }
            if pool_dir is not None:
                metrics["real_sets"] = real_figures(detector, sets)
            if precision != "fp32":
                metrics["vs_fp32"] = {
                    "same_verdict": round(
                        float(np.mean((scores >= threshold) == (reference >= threshold))), 4
                    ),
                    "max_abs_score_diff": round(float(np.max(np.abs(scores - reference))), 4),
                }
            results[precision] = metrics
    full = make_arrays(test_seed, test_images, photo_dir, draft=False, pool_dir=pool_dir)
    fp32 = Detector(model=paths["fp32"], provider="cpu", threshold=threshold)
    results["fp32"]["full_decode_test"] = evaluate_arrays(fp32, full, test_seed)
    return results


def ship_variants(
    photo_dir: Path | None,
    models_dir: Path = SOURCE_MODELS_DIR,
    docs_dir: Path = REPO_ROOT / "docs",
    work_dir: Path = Path("runs/quantize"),
    calibration_images: int = CALIBRATION_IMAGES,
    test_images: int | None = None,
    max_int8_loss: float = MAX_INT8_ACCURACY_LOSS,
    pool_dir: Path | None = None,
    test: ArrayBatch | None = None,
) -> list[dict[str, Any]]:
    """Rebuild INT8 and fp16 from the shipped fp32 model and rewrite the manifest and card.

    ``pool_dir`` is the real-photo pool, needed when the model's data drew from it;
    ``test`` the model's generated test set, when already made.
    """
    manifest_path = models_dir / "manifest.json"
    fp32 = next(
        e for e in json.loads(manifest_path.read_text())["models"] if e["precision"] == "fp32"
    )
    seed = fp32["data"]["seed"]
    test_seed = fp32["data"]["test"]["seed"]
    test_images = test_images or fp32["data"]["test"]["images"]
    fp32_path = models_dir / fp32["file"]
    if fp32["data"].get("real_pool_composed") and pool_dir is None:
        raise ValueError(
            f"{fp32['file']} trained on photos of the real-photo pool; its test set needs "
            "the pool (../shared/data/real-pool or FRAMEDETECT_REAL_POOL)"
        )
    pool = pool_dir if fp32["data"].get("real_pool_composed") else None
    built = build_variants(fp32_path, work_dir, seed + 3, photo_dir, calibration_images, pool)
    results = measure(
        {"fp32": fp32_path, **built},
        test_seed,
        test_images,
        photo_dir,
        pool,
        float(fp32["threshold"]),
        test,
    )
    check_int8_loss(results, max_int8_loss)
    fp32_metrics = fp32["metrics"]
    for key in ("test", "seed_examples", "real_products", "full_decode_test", "real_sets"):
        if key in results["fp32"]:
            fp32_metrics[key] = results["fp32"][key]
    entries = [fp32]
    for precision, path in built.items():
        target = models_dir / path.name
        target.write_bytes(path.read_bytes())
        metrics = results[precision]
        entries.append(
            {
                **{k: fp32[k] for k in ("name", "version", "input_size", "threshold", "run_name")},
                "threshold_chosen": fp32.get("threshold_chosen", "fixed at 0.5"),
                "precision": precision,
                "file": target.name,
                "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
                "bytes": target.stat().st_size,
                "converted_from": {"file": fp32["file"], "sha256": fp32["sha256"]},
                "conversion": conversion_recipe(precision, seed + 3, calibration_images),
                "data": fp32["data"],
                "metrics": metrics,
            }
        )
    write_manifest(manifest_path, entries)
    (docs_dir / "MODEL.md").write_text(model_card(fp32) + precision_card(entries))
    return entries


def check_int8_loss(results: dict[str, dict[str, Any]], allowed: float) -> None:
    """Raise :class:`QuantizationAccuracyError` when INT8 loses more than ``allowed``
    accuracy against fp32 on the generated test set or on any real-photo set."""
    fp32, int8 = results["fp32"], results["int8"]
    losses = {"generated test": fp32["test"]["accuracy"] - int8["test"]["accuracy"]}
    for split, figures in fp32.get("real_sets", {}).items():
        losses[f"real {split}"] = figures["accuracy"] - int8["real_sets"][split]["accuracy"]
    over = {name: loss for name, loss in losses.items() if loss > allowed}
    if over:
        listed = ", ".join(f"{loss:.4f} on {name}" for name, loss in over.items())
        raise QuantizationAccuracyError(f"INT8 loses {listed} (allowed {allowed}); not shipped")


def _real_accuracies(metrics: dict[str, Any]) -> str:
    sets = metrics.get("real_sets")
    if not sets:
        return "n/a"
    return " / ".join(
        f"{sets[split]['accuracy']:.4f}" if split in sets else "-"
        for split in ("test", "cross-source")
    )


def conversion_recipe(precision: str, calibration_seed: int, images: int) -> dict[str, Any]:
    """How a variant was made, for the manifest."""
    if precision == "int8":
        return {
            "tool": "onnxruntime.quantization.quantize_static after quant_pre_process",
            "format": "QDQ",
            "weights": "int8, per channel" + (", reduced range (7 bits)" if REDUCE_RANGE else ""),
            "activations": "uint8, per tensor, MinMax",
            "calibration": {"seed": calibration_seed, "images": images},
        }
    return {
        "tool": "onnxruntime.transformers.float16.convert_float_to_float16",
        "keep_io_types": True,
    }


def precision_card(entries: list[dict[str, Any]]) -> str:
    """The MODEL.md section comparing the shipped precisions on the same images."""
    fp32 = entries[0]["metrics"]
    full = fp32["full_decode_test"]
    lines = [
        "",
        "## Precisions (same test set, seed examples and real photos)",
        "",
        "Generated by `framedetect quantize` (also run by `train --ship` and",
        "`experiments --ship`).",
        "",
        "| precision | file | bytes | test accuracy | ROC AUC | same verdict as fp32 | "
        "seed examples right | real photos flagged | real test / cross-source accuracy |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in entries:
        m = entry["metrics"]
        seeds = m["seed_examples"]
        real = m["real_products"]
        lines.append(
            f"| {entry['precision']} | `{entry['file']}` | {entry['bytes']:,} | "
            f"{m['test']['accuracy']:.4f} | {m['test']['roc_auc']:.4f} | "
            f"{m.get('vs_fp32', {}).get('same_verdict', 1.0):.4f} | "
            f"{sum(r['correct'] for r in seeds)} of {len(seeds)} | "
            f"{real['flagged_total'] if real else 'n/a'} | {_real_accuracies(m)} |"
        )
    lines += [
        "",
        "JPEGs are decoded in draft mode (DCT scaled to the smallest size >= 7/8 of the",
        "input). The",
        f"fp32 model scores {fp32['test']['accuracy']:.4f} that way and "
        f"{full['accuracy']:.4f} (AUC {full['roc_auc']:.4f}) with full-size decoding",
        "of the same test images.",
        "",
    ]
    return "\n".join(lines)
