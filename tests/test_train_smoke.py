"""A tiny run of the training path: generate -> train -> export -> ship (needs [train])."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow")
pytest.importorskip("tf2onnx")

from typer.testing import CliRunner

from framedetect import Detector
from framedetect.cli import app
from framedetect_keras.config import REFERENCE, ModelConfig
from framedetect_keras.train import DataSettings

pytestmark = pytest.mark.train


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--model",
            "reference",
            "--out",
            str(out),
            "--seed",
            "5",
            "--train-size",
            "64",
            "--val-size",
            "100",
            "--test-size",
            "40",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--no-photos",
            "--cache-dir",
            str(out / "cache"),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_run_names_follow_the_reference_scheme() -> None:
    assert REFERENCE.run_name == "128_32-32-32-32_conv3_fc16_sgd_lr_0_01_decay_0_00005"
    assert ModelConfig(conv_filters=(16,) * 4, kernel_size=7, learning_rate=0.03).run_name == (
        "128_16-16-16-16_conv7_fc16_sgd_lr_0_03_decay_0_00005"
    )


def test_a_cosine_schedule_names_itself_and_ends_at_one_percent() -> None:
    from framedetect_keras.model import learning_rate_schedule

    config = ModelConfig(optimizer="adam", learning_rate=0.002, schedule="cosine", localise=True)
    assert config.run_name == "128_32-32-32-32_conv3_fc16_adam_lr_0_002_cosine_loc"
    schedule = learning_rate_schedule(config, total_steps=100)
    assert float(schedule(0)) == pytest.approx(0.002)
    assert float(schedule(50)) == pytest.approx(0.001, rel=0.02)
    assert float(schedule(100)) == pytest.approx(2e-5)
    with pytest.raises(ValueError, match="schedule"):
        ModelConfig(schedule="step")


def test_reference_architecture() -> None:
    from framedetect_keras.model import build_model

    model = build_model(REFERENCE)
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert [(c.filters, c.kernel_size) for c in convs] == [(32, (3, 3))] * 4
    assert sum(type(layer).__name__ == "MaxPooling2D" for layer in model.layers) == 4
    assert 50_000 <= model.count_params() <= 100_000
    assert model.input_shape == (None, 128, 128, 3) and model.output_shape == (None, 1)


def test_the_localiser_strides_its_first_layer_instead_of_pooling() -> None:
    from framedetect_keras.config import LOCALISER
    from framedetect_keras.model import build_model

    assert LOCALISER.run_name == "128_16s2-32-48-64-96_conv3_fc64_adam_lr_0_001_cosine_loc"
    model = build_model(LOCALISER)
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert [c.strides for c in convs] == [(2, 2)] + [(1, 1)] * 4
    assert convs[0].output.shape[1:3] == (64, 64)
    assert sum(type(layer).__name__ == "MaxPooling2D" for layer in model.layers) == 4
    assert model.get_layer("score").input.shape[-1] == 64
    with pytest.raises(ValueError, match="stem_stride"):
        ModelConfig(stem_stride=3)


def test_training_writes_model_history_and_plot(run_dir: Path) -> None:
    name = REFERENCE.run_name
    assert (run_dir / f"{name}.keras").stat().st_size > 0
    history = json.loads((run_dir / "history.json").read_text())
    assert len(history["history"]["accuracy"]) == 1
    assert history["config"]["run_name"] == name
    assert (run_dir / "accuracy.png").read_bytes()[:4] == b"\x89PNG"


def test_export_parity_and_metadata(run_dir: Path) -> None:
    import onnx

    export = json.loads((run_dir / "export.json").read_text())
    assert export["parity_images"] >= 100
    assert export["max_abs_diff"] <= 1e-4
    model = onnx.load(run_dir / f"{REFERENCE.run_name}.onnx")
    meta = {p.key: p.value for p in model.metadata_props}
    assert {
        "model_name",
        "version",
        "input_size",
        "preprocessing",
        "threshold",
        "training_seed",
    } <= set(meta)
    assert meta["training_seed"] == "5" and meta["input_size"] == "128"
    assert max(op.version for op in model.opset_import if op.domain in ("", "ai.onnx")) >= 13


def test_export_fails_when_parity_fails(run_dir: Path, tmp_path: Path) -> None:
    import keras

    from framedetect_keras.export import ExportParityError, export_onnx

    model = keras.saving.load_model(run_dir / f"{REFERENCE.run_name}.keras")
    images = np.random.default_rng(0).integers(0, 256, (100, 128, 128, 3), dtype=np.uint8)
    target = tmp_path / "m.onnx"
    with pytest.raises(ExportParityError, match="differ by"):
        export_onnx(model, target, images, {}, tolerance=-1.0)
    assert not target.exists() and not list(tmp_path.iterdir())


def test_ship_installs_the_model_with_its_metadata(run_dir: Path, tmp_path: Path) -> None:
    import hashlib

    from framedetect_keras.release import ship

    onnx_path = run_dir / f"{REFERENCE.run_name}.onnx"
    entry = ship(
        onnx_path,
        run_dir,
        None,
        models_dir=tmp_path / "models",
        docs_dir=tmp_path / "docs",
        workers=1,
    )
    shipped = tmp_path / "models" / entry["file"]
    assert entry["sha256"] == hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert entry["version"] == "1.0.0"
    assert entry["data"]["seed"] == 5 and entry["metrics"]["test"]["images"] == 40
    manifest = json.loads((tmp_path / "models" / "manifest.json").read_text())
    assert manifest["models"][0] == entry
    card = (tmp_path / "docs" / "MODEL.md").read_text()
    assert entry["sha256"] in card
    assert Detector(model=shipped, provider="cpu").info.version == "1.0.0"


def test_shipping_a_model_of_the_pool_takes_its_threshold_from_real_validation_photos(
    run_dir: Path, tmp_path: Path, tiny_pool: Path
) -> None:
    import shutil

    import onnx

    from framedetect_keras.release import ship

    pooled = tmp_path / "run"
    shutil.copytree(run_dir, pooled)
    record = json.loads((pooled / "history.json").read_text())
    record["settings"]["data"]["pool_dir"] = str(tiny_pool)
    (pooled / "history.json").write_text(json.dumps(record))
    onnx_path = pooled / f"{REFERENCE.run_name}.onnx"
    entry = ship(onnx_path, pooled, None, tmp_path / "models", tmp_path / "docs", workers=1)
    assert "validation split" in entry["threshold_chosen"]
    assert entry["data"]["real_pool_composed"] is True
    shipped = tmp_path / "models" / entry["file"]
    meta = {p.key: p.value for p in onnx.load(str(shipped)).metadata_props}
    assert float(meta["threshold"]) == entry["threshold"]  # the file says what the manifest says
    assert Detector(model=shipped, provider="cpu").threshold == entry["threshold"]


@pytest.fixture(scope="module")
def localiser_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("localiser")
    args = ["train", "--model", "localiser", "--out", str(out)]
    args += ["--seed", "6", "--train-size", "64", "--val-size", "100", "--test-size", "40"]
    args += ["--epochs", "1", "--batch-size", "16", "--no-photos", "--cache-dir", str(out / "c")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def test_the_localiser_exports_three_heads_and_the_sdk_reads_them(localiser_dir: Path) -> None:
    from framedetect_keras.config import LOCALISER, MODEL_VERSION

    (onnx_path,) = localiser_dir.glob("*_loc.onnx")
    assert json.loads((localiser_dir / "export.json").read_text())["max_abs_diff"] <= 1e-4
    detector = Detector(model=onnx_path, provider="cpu")
    assert detector.info.version == MODEL_VERSION and LOCALISER.run_name in detector.info.label
    prediction = detector.predict(np.full((90, 120, 3), 200, np.uint8))
    assert prediction.sides is not None and len(prediction.sides) == 4
    assert prediction.content_box is not None
    x0, y0, x1, y1 = prediction.content_box
    assert 0 <= x0 < x1 <= 120 and 0 <= y0 < y1 <= 90


def test_shipping_the_localiser_records_where_frames_are(
    localiser_dir: Path, tmp_path: Path
) -> None:
    from framedetect_keras.config import MODEL_VERSION
    from framedetect_keras.release import ship

    major = int(MODEL_VERSION.split(".")[0])
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / f"framedetect-v{major - 1}-fp32.onnx").write_bytes(b"older")
    (onnx_path,) = localiser_dir.glob("*_loc.onnx")
    entry = ship(onnx_path, localiser_dir, None, tmp_path / "models", tmp_path / "docs", 1)
    assert entry["file"] == f"framedetect-v{major}-fp32.onnx"
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [
        f"framedetect-v{major}-fp32.onnx",
        "manifest.json",
    ]
    found = entry["metrics"]["test"]["localisation"]
    assert set(found) == {"f1_top", "f1_right", "f1_bottom", "f1_left", "iou_median", "iou_p10"}
    recorded = json.loads((localiser_dir / "history.json").read_text())["source_commit"]
    assert entry["data"]["source_commit"] == recorded and "generator" not in entry["data"]
    assert "## Where the frame is" in (tmp_path / "docs" / "MODEL.md").read_text()


def test_experiments_train_every_configuration_and_write_the_report(tmp_path: Path) -> None:
    args = ["experiments", "--out", str(tmp_path / "runs"), "--docs", str(tmp_path / "docs")]
    args += ["--seed", "8", "--train-size", "48", "--val-size", "100", "--test-size", "60"]
    args += ["--epochs", "1", "--reference-epochs", "1", "--no-photos"]
    result = CliRunner().invoke(app, [*args, "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    report = (tmp_path / "docs" / "RESULTS.md").read_text()
    assert "this run shipped nothing" in report
    for name in (
        "128_32-32-32-32_conv3_fc16_sgd_lr_0_01_decay_0_00005",
        "128_16-16-16-16_conv3_fc16_sgd_lr_0_01_decay_0_00005",
        "128_16-16-16-16_conv7_fc16_sgd_lr_0_03_decay_0_00005",
        "_loc |",
        "Canny baseline",
    ):
        assert name in report, name
    for png in ("results-roc.png", "results-accuracy.png"):
        assert (tmp_path / "docs" / png).read_bytes()[:4] == b"\x89PNG"


def test_the_data_cache_never_serves_what_an_edited_generator_drew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framedetect_keras import train

    data = DataSettings(workers=1)
    first = train.generated_arrays(7, 6, data, tmp_path)
    again = train.generated_arrays(7, 6, data, tmp_path)
    assert np.array_equal(first.images, again.images)
    assert len(list(tmp_path.glob("*.npz"))) == 1  # same code: served from the cache
    monkeypatch.setattr(train, "generator_source_digest", lambda: "an edited recipe")
    train.generated_arrays(7, 6, data, tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 2  # edited code: drawn afresh


def test_a_killed_run_resumes_after_its_last_epoch_and_a_finished_one_is_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framedetect_keras import train as training
    from framedetect_keras.config import LOCALISER

    data = DataSettings(seed=9, train_size=48, val_size=100, workers=1)
    settings = training.TrainSettings(epochs=3, batch_size=16, data=data)
    finish_epoch = training._RichProgress.on_epoch_end

    def killed_after_the_second(self: object, epoch: int, logs: object = None) -> None:
        finish_epoch(self, epoch, logs)
        if epoch == 1:
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(training._RichProgress, "on_epoch_end", killed_after_the_second)
        with pytest.raises(KeyboardInterrupt):
            training.train(LOCALISER, settings, tmp_path, show_progress=False)
    assert (tmp_path / "backup").is_dir() and not (tmp_path / "history.json").exists()
    result = training.train(LOCALISER, settings, tmp_path, show_progress=False)
    logged = (tmp_path / "epochs.csv").read_text().splitlines()[1:]
    assert [row.split(",")[0] for row in logged] == ["0", "1", "2"]  # the third epoch alone
    assert len(result.history["val_accuracy"]) == 3 and not (tmp_path / "backup").exists()
    record = json.loads(result.history_path.read_text())
    assert record["train_seconds"] > 0 and "source_commit" in record

    def never(config: ModelConfig) -> None:
        raise AssertionError("a finished run was trained again")

    monkeypatch.setattr(training, "build_model", never)
    again = training.train(LOCALISER, settings, tmp_path, show_progress=False)
    assert again.history == result.history and again.best_epoch == result.best_epoch
