"""Ship a trained ONNX model: evaluate it through the SDK, install it, record its metadata.

Evaluation runs the exported file through :class:`framedetect.Detector` on encoded
thumbnails, exactly as users call it. The model file is copied into
``sdk/framedetect/models`` and the manifest records its sha256, data seeds and metrics;
``docs/MODEL.md`` is rewritten from the same numbers. No TensorFlow is imported here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

import framedetect
from framedetect import Detector, FramePrediction
from framedetect._evaluate import f1, iou
from framedetect.metrics import accuracy, accuracy_by_kind, confusion, roc_auc
from framedetect_quantize.metadata import copy_metadata
from framedetect_synth import ArrayBatch, make_arrays
from framedetect_synth.photos import PHOTO_SUFFIXES, is_held_out
from framedetect_synth.real_set import REAL_SET_SEED
from framedetect_synth.regenerate import current_digest

from .real_figures import REPORTED_SPLITS, choose_threshold, real_sets

SOURCE_MODELS_DIR = Path(framedetect.__file__).parent / "models"
REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def check_source_checkout() -> None:
    """Shipping writes into ``sdk/framedetect/models``: refuse to write into site-packages."""
    if SOURCE_MODELS_DIR.parents[1].name != "sdk":
        raise SystemExit(
            f"shipping installs models into the source tree, but framedetect is imported "
            f"from {SOURCE_MODELS_DIR.parent}; run it from a checkout installed with "
            "'pip install -e .[train]'"
        )


def release_record(entry: dict[str, Any], regenerated: dict[str, Any]) -> dict[str, Any]:
    """The manifest's ``released`` record of a shipped fp32 ``entry``: the commit whose tree
    drew its data and the digest of its first training images (``framedetect regenerate``)."""
    data = entry["data"]
    return {
        "version": entry["version"],
        "fp32_sha256": entry["sha256"],
        "source_commit": data.get("source_commit"),
        "data": {
            key: data[key]
            for key in ("seed", "train", "real_photos_composed", "real_pool_composed", "generator")
            if key in data  # "generator": the generation number that older trees took
        },
        "regenerated": regenerated,
    }


def write_manifest(
    path: Path, models: list[dict[str, Any]], released: dict[str, Any] | None = None
) -> None:
    """Write ``models`` into the manifest at ``path``, keeping its ``released`` records;
    ``released`` replaces the record of its version, or is added after the others."""
    records = json.loads(path.read_text()).get("released", []) if path.is_file() else []
    if released is not None:
        records = [r for r in records if r.get("version") != released["version"]] + [released]
    path.write_text(json.dumps({"models": models, "released": records}, indent=2) + "\n")


def evaluate_generated(
    detector: Detector,
    seed: int,
    count: int,
    photo_dir: Path | None,
    workers: int = 2,
    pool_dir: Path | None = None,
) -> dict[str, Any]:
    """Accuracy, ROC AUC, confusion and per-kind accuracy on generated data set ``seed``."""
    data = make_arrays(seed, count, photo_dir, workers=workers, pool_dir=pool_dir)
    return evaluate_arrays(detector, data, seed)


def evaluate_arrays(detector: Detector, data: ArrayBatch, seed: int) -> dict[str, Any]:
    """:func:`evaluate_generated` on arrays already made from data set ``seed``.

    A localising model also gets per-side F1 and the content-box IoU on framed images.
    """
    scale = (LOCATION_SCALE, LOCATION_SCALE)
    predictions = detector.predict_arrays(data.images, [scale] * len(data.images))
    return evaluate_predictions(predictions, data, seed, detector.threshold)


def evaluate_predictions(
    predictions: list[FramePrediction], data: ArrayBatch, seed: int, threshold: float
) -> dict[str, Any]:
    """:func:`evaluate_arrays` on predictions already made (boxes at ``LOCATION_SCALE``)."""
    scores = np.asarray([p.score for p in predictions])
    truth = data.has_frame
    report: dict[str, Any] = {
        "seed": seed,
        "images": len(truth),
        "accuracy": round(accuracy(truth, scores, threshold), 4),
        "roc_auc": round(roc_auc(truth, scores), 4),
        "confusion": confusion(truth, scores, threshold),
        "by_kind": accuracy_by_kind(data.kinds, truth, scores, threshold),
    }
    if predictions and predictions[0].sides is not None and data.insets is not None:
        report["localisation"] = localisation(predictions, data, threshold)
    return report


LOCATION_SCALE = 10_000
"""Boxes are compared in a 10,000-unit square: IoU does not depend on the image's size."""


def localisation(
    predictions: list[FramePrediction], data: ArrayBatch, threshold: float
) -> dict[str, float]:
    """Per-side F1, and the median and 10th-percentile content-box IoU on framed images."""
    assert data.insets is not None
    found = np.asarray(
        [[p.has_frame and s >= threshold for s in (p.sides or ())] for p in predictions]
    )
    truth = data.sides.astype(bool)
    report: dict[str, float] = {}
    for index, side in enumerate(("top", "right", "bottom", "left")):
        report[f"f1_{side}"] = round(f1(truth[:, index], found[:, index]), 4)
    ious = []
    for prediction, framed, inset in zip(predictions, data.has_frame, data.insets):
        if framed and prediction.content_box is not None:
            top, right, bottom, left = (inset * LOCATION_SCALE).round().astype(int)
            box = (left, top, LOCATION_SCALE - right, LOCATION_SCALE - bottom)
            ious.append(iou(box, prediction.content_box))
    report["iou_median"] = round(float(np.median(ious)), 4) if ious else 0.0
    report["iou_p10"] = round(float(np.percentile(ious, 10)), 4) if ious else 0.0
    return report


def score_seed_examples(detector: Detector, folder: Path) -> list[dict[str, Any]]:
    """The model's verdict on each labelled seed example, right or wrong."""
    with (folder / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = []
    for row in rows:
        prediction = detector.predict(folder / row["file"])
        truth = row["has_frame"] == "1"
        results.append(
            {
                "file": row["file"],
                "has_frame": truth,
                "score": round(prediction.score, 4),
                "predicted": prediction.has_frame,
                "correct": prediction.has_frame == truth,
            }
        )
    return results


def false_positives_on_real(detector: Detector, folder: Path) -> dict[str, Any]:
    """How many real, unframed product photos are flagged, split by composed / held out."""
    flagged: dict[str, list[str]] = {"held_out": [], "composable": []}
    counts = {"held_out": 0, "composable": 0}
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES):
        name = path.relative_to(folder).as_posix()
        split = "held_out" if is_held_out(name) else "composable"
        counts[split] += 1
        if detector.predict(path).has_frame:
            flagged[split].append(name)
    return {
        "photos": counts,
        "flagged": flagged,
        "flagged_total": sum(len(v) for v in flagged.values()),
    }


def ship(
    onnx_path: Path,
    run_dir: Path,
    photo_dir: Path | None,
    models_dir: Path = SOURCE_MODELS_DIR,
    docs_dir: Path = REPO_ROOT / "docs",
    workers: int = 2,
    test: ArrayBatch | None = None,
) -> dict[str, Any]:
    """Evaluate ``onnx_path``, copy it into ``models_dir`` and write manifest and model card.

    ``test``: the run's generated test set, when already made (else it is made here).
    """
    record = json.loads((run_dir / "history.json").read_text())
    export = json.loads((run_dir / "export.json").read_text())
    data = record["settings"]["data"]
    version = export["metadata"]["version"]
    pool_dir = Path(data["pool_dir"]) if data.get("pool_dir") else None
    threshold, threshold_from = 0.5, "fixed at 0.5"
    if pool_dir is not None:  # chosen on real photos, never on generated ones
        with real_sets(pool_dir, ("validation",)) as sets:
            if sets:
                unset = Detector(model=onnx_path, provider="cpu")
                threshold = choose_threshold(unset, sets["validation"])
                threshold_from = (
                    f"best accuracy on the real-photo pool's validation split "
                    f"(seed {REAL_SET_SEED})"
                )
    detector = Detector(model=onnx_path, provider="cpu", threshold=threshold)
    test_figures = (
        evaluate_arrays(detector, test, data["seed"] + 2)
        if test is not None
        else evaluate_generated(
            detector, data["seed"] + 2, data["test_size"], photo_dir, workers, pool_dir
        )
    )
    seeds_dir, real_dir = SHARED_DATA / "seed-examples", SHARED_DATA / "real-products"
    seed_examples = score_seed_examples(detector, seeds_dir) if seeds_dir.is_dir() else []
    real = false_positives_on_real(detector, real_dir) if real_dir.is_dir() else None

    models_dir.mkdir(parents=True, exist_ok=True)
    major = version.split(".")[0]
    target = models_dir / f"framedetect-v{major}-fp32.onnx"
    for stale in models_dir.glob("framedetect-v*.onnx"):  # earlier versions leave the package
        if stale.name != target.name:
            stale.unlink()
    shutil.copyfile(onnx_path, target)
    copy_metadata(onnx_path, target, {"threshold": str(round(threshold, 6))})  # as shipped
    best = record["best_epoch"] - 1
    entry = {
        "name": "framedetect",
        "version": version,
        "precision": "fp32",
        "file": target.name,
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "bytes": target.stat().st_size,
        "input_size": record["config"]["input_size"],
        "threshold": round(threshold, 6),
        "threshold_chosen": threshold_from,
        "run_name": record["config"]["run_name"],
        "config": record["config"],
        "data": {
            "seed": data["seed"],
            "train": {"seed": data["seed"], "images": data["train_size"]},
            "validation": {"seed": data["seed"] + 1, "images": data["val_size"]},
            "test": {"seed": data["seed"] + 2, "images": data["test_size"]},
            "real_photos_composed": photo_dir is not None,
            "real_pool_composed": pool_dir is not None,
            "source_commit": record.get("source_commit"),
        },
        "training": {
            "epochs": len(record["history"]["accuracy"]),
            "best_epoch": record["best_epoch"],
            "seconds": record["train_seconds"],
        },
        "metrics": {
            "train_accuracy": round(record["history"]["accuracy"][best], 4),
            "validation_accuracy": round(record["history"]["val_accuracy"][best], 4),
            "test": test_figures,
            "parity_max_abs_diff": export["max_abs_diff"],
            "parity_images": export["parity_images"],
            "seed_examples": seed_examples,
            "real_products": real,
        },
    }
    released = release_record(entry, current_digest(data["seed"], photo_dir, pool_dir))
    write_manifest(models_dir / "manifest.json", [entry], released)
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / "MODEL.md").write_text(model_card(entry))
    plot = docs_dir / f"model-v{major}-accuracy.png"
    for stale in docs_dir.glob("model-v*-accuracy.png"):
        if stale != plot:
            stale.unlink()
    shutil.copyfile(run_dir / "accuracy.png", plot)
    return entry


def model_card(entry: dict[str, Any]) -> str:
    """docs/MODEL.md: what the shipped model is and how it measures, from its manifest entry."""
    m, d, t = entry["metrics"], entry["data"], entry["metrics"]["test"]
    lines = [
        f"# Model card: {entry['name']} {entry['version']} ({entry['precision']})",
        "",
        "Generated by the ship step (`framedetect experiments --ship` or `framedetect train",
        "--ship`) from the manifest entry in `sdk/framedetect/models/manifest.json`; do not",
        "edit by hand.",
        "",
        f"- file: `{entry['file']}`, {entry['bytes']:,} bytes, sha256 `{entry['sha256']}`",
        f"- architecture: `{entry['run_name']}` (dropout {entry['config']['dropout']}, "
        f"{_optimizer(entry['config'])})",
        f"- data seed {d['seed']}: {d['train']['images']:,} training, "
        f"{d['validation']['images']:,} validation (seed {d['validation']['seed']}), "
        f"{d['test']['images']:,} test images (seed {d['test']['seed']}); "
        f"real photos composed: {d['real_photos_composed']}; "
        f"real-photo pool (train split) composed: {d.get('real_pool_composed', False)}; "
        f"source commit {d.get('source_commit') or 'not recorded'}",
        f"- trained {entry['training']['epochs']} epochs, best validation at epoch "
        f"{entry['training']['best_epoch']}, in {entry['training']['seconds']:.0f} s on the CPU",
        f"- Keras vs ONNX max abs diff: {m['parity_max_abs_diff']:.2e} "
        f"on {m['parity_images']} images",
        "",
        "## Accuracy",
        "",
        "| set | images | accuracy | ROC AUC |",
        "|---|---|---|---|",
        f"| train (best epoch, with augmentation) | {d['train']['images']:,} | "
        f"{m['train_accuracy']:.4f} | |",
        f"| validation | {d['validation']['images']:,} | {m['validation_accuracy']:.4f} | |",
        f"| held-out test (seed {t['seed']}) | {t['images']:,} | {t['accuracy']:.4f} | "
        f"{t['roc_auc']:.4f} |",
        "",
        "Test confusion: {tp} framed found, {fn} missed; "
        "{tn} unframed passed, {fp} flagged.".format(**t["confusion"]),
        "",
        "### Test accuracy by scene kind",
        "",
        "| kind | images | accuracy |",
        "|---|---|---|",
        *(f"| {kind} | {v['count']} | {v['accuracy']:.4f} |" for kind, v in t["by_kind"].items()),
        "",
        *_localisation_lines(t),
        "## Seed examples (../shared/data/seed-examples, never trained on)",
        "",
        "| file | framed | score | verdict |",
        "|---|---|---|---|",
        *(
            f"| {r['file']} | {'yes' if r['has_frame'] else 'no'} | {r['score']:.4f} | "
            f"{'right' if r['correct'] else 'WRONG'} |"
            for r in m["seed_examples"]
        ),
        "",
    ]
    lines += _real_set_lines(entry)
    real = m["real_products"]
    if real:
        lines += [
            "## Real product photos (../shared/data/real-products, none framed)",
            "",
            f"Flagged as framed: {real['flagged_total']} of "
            f"{sum(real['photos'].values())} "
            f"({len(real['flagged']['held_out'])} of {real['photos']['held_out']} held-out photos "
            "that the generator never composes; "
            f"{len(real['flagged']['composable'])} of {real['photos']['composable']} "
            "composable ones).",
            "",
            *(f"- {name}" for split in real["flagged"].values() for name in split),
            "",
        ]
    return "\n".join(lines)


def _real_set_lines(entry: dict[str, Any]) -> list[str]:
    """The card's section on the real-photo pool's held-out splits, when measured."""
    sets = entry["metrics"].get("real_sets")
    if not sets:
        return []
    lines = [
        "## Real photos (../shared/data/real-pool held out: each photo plain and once framed)",
        "",
        f"Threshold {entry['threshold']:.4f}: {entry.get('threshold_chosen', '')}. "
        f"`framedetect real-set OUT --split SPLIT --seed {REAL_SET_SEED}` writes each set; "
        "`framedetect eval OUT` scores it.",
        "",
        "| split | images | accuracy | ROC AUC | plain flagged | rectangular flagged "
        "| content-box IoU median |",
        "|---|---|---|---|---|---|---|",
    ]
    for split in (split for split in REPORTED_SPLITS if split in sets):
        s = sets[split]
        lines.append(
            f"| {split} | {s['images']:,} | {s['accuracy']:.4f} | {s['roc_auc']:.4f} | "
            f"{_percent(s['plain_flagged'])} | {_percent(s['rectangular_flagged'])} | "
            f"{s['content_box_iou_median']:.4f} |"
        )
    splits = [split for split in REPORTED_SPLITS if split in sets]
    families = sorted({f for split in splits for f in sets[split]["recall_by_family"]})
    lines += ["", "| frame family | " + " | ".join(f"recall, {s}" for s in splits) + " |",
              "|---|" + "---|" * len(splits)]  # fmt: skip
    for family in families:
        cells = [_percent(sets[s]["recall_by_family"].get(family)) for s in splits]
        lines.append(f"| {family} | " + " | ".join(cells) + " |")
    sources = {k: v for s in splits for k, v in sets[s]["accuracy_by_source"].items()}
    lines += ["", "Accuracy by source: " + ", ".join(
        f"{name} {value:.4f}" for name, value in sorted(sources.items())) + ".", ""]  # fmt: skip
    return lines


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f} %"


def _localisation_lines(test: dict[str, Any]) -> list[str]:
    """The model card's localisation section, for models that say where the frame is."""
    found = test.get("localisation")
    if not found:
        return []
    return [
        "## Where the frame is (held-out test set)",
        "",
        "| per-side F1 top | right | bottom | left | content-box IoU median | IoU p10 |",
        "|---|---|---|---|---|---|",
        f"| {found['f1_top']:.4f} | {found['f1_right']:.4f} | {found['f1_bottom']:.4f} | "
        f"{found['f1_left']:.4f} | {found['iou_median']:.4f} | {found['iou_p10']:.4f} |",
        "",
    ]


def _optimizer(config: dict[str, Any]) -> str:
    """How the card names the optimiser, e.g. ``SGD momentum 0.9, lr 0.01, decay 5e-05``."""
    name = config.get("optimizer", "sgd")
    optimizer = f"SGD momentum {config['momentum']}" if name == "sgd" else str(name).capitalize()
    if config.get("schedule") == "cosine":
        return f"{optimizer}, lr {config['learning_rate']} on a cosine schedule down to 1 %"
    return f"{optimizer}, lr {config['learning_rate']}, inverse-time decay {config['decay']}"
