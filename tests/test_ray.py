"""Scans on Ray Data (the [ray] extra), in Ray's local mode: the same rows as a local scan,
bad images as error rows, and nothing of Ray on the default path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framedetect.cli import app

from .conftest import SHARED_DATA

ray = pytest.importorskip("ray")
pytest.importorskip("pyarrow")

runner = CliRunner()
REAL_PHOTOS = 12


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated JPEGs and PNGs, real photos when ../shared has them, and broken files."""
    folder = tmp_path_factory.mktemp("ray-images")
    result = runner.invoke(app, ["generate", str(folder / "set"), "--count", "30", "--seed", "4"])
    assert result.exit_code == 0, result.output
    for index, photo in enumerate(sorted((SHARED_DATA / "real-products").glob("*.jpg"))):
        if index == REAL_PHOTOS:
            break
        shutil.copy(photo, folder / f"real-{index}.jpg")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "text.png").write_bytes(b"not a picture")
    (folder / "cut.jpg").write_bytes(
        (folder / "set" / "images").iterdir().__next__().read_bytes()[:90]
    )
    return folder


def _rows(path: Path) -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    by_path = {str(row["path"]): row for row in rows}
    assert len(by_path) == len(rows)
    return by_path


def _scan(images: Path, output: Path, *extra: str) -> None:
    result = runner.invoke(app, ["scan", str(images), "--output", str(output), *extra])
    assert result.exit_code == 0, result.output


def test_a_ray_scan_gives_the_local_scans_rows(
    local_ray: None, images: Path, tmp_path: Path
) -> None:
    _scan(images, tmp_path / "local.jsonl")
    _scan(images, tmp_path / "ray.jsonl", "--engine", "ray", "--workers", "2")
    local, on_ray = _rows(tmp_path / "local.jsonl"), _rows(tmp_path / "ray.jsonl")
    assert list(on_ray) == list(local)  # the same paths, in the same order
    errors = {path for path, row in local.items() if row["error"] is not None}
    assert {Path(path).name for path in errors} == {"empty.jpg", "text.png", "cut.jpg"}
    for path, row in local.items():
        ray_row = on_ray[path]
        assert ray_row["error"] == row["error"]
        assert ray_row["has_frame"] == row["has_frame"]
        assert ray_row["sides"] == row["sides"] and ray_row["content_box"] == row["content_box"]
        if row["score"] is not None:
            assert abs(float(ray_row["score"]) - float(row["score"])) <= 1e-6  # type: ignore[arg-type]


def test_predict_dataset_scores_a_dataset_of_bytes(local_ray: None, images: Path) -> None:
    from framedetect import Detector
    from framedetect.ray import COLUMNS, READ_CPUS, predict_dataset

    files = sorted(str(path) for path in images.glob("*.*"))
    # Reading is I/O: it takes no CPU, which the two actors hold (else it would wait forever).
    dataset = ray.data.read_binary_files(files, include_paths=True, num_cpus=READ_CPUS)
    rows = {row["path"]: row for row in predict_dataset(dataset, workers=2).take_all()}
    assert len(rows) == len(files) and all(list(row) == list(COLUMNS) for row in rows.values())
    detector = Detector(provider="cpu", threads=1)
    for file in files:
        row = rows[file]
        if Path(file).name in ("empty.jpg", "text.png", "cut.jpg"):
            assert row["error"]["type"] == "InvalidImageError" and row["score"] is None
            assert repr(file) in row["error"]["message"]  # named as a local read names it
        else:
            assert row["error"] is None
            assert abs(row["score"] - round(detector.predict(file).score, 6)) <= 1e-6


def test_parquet_output_has_the_rows_and_the_schema(
    local_ray: None, images: Path, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    from framedetect.ray import row_schema

    _scan(images, tmp_path / "local.jsonl")
    _scan(images, tmp_path / "rows", "--engine", "ray", "--format", "parquet")
    table = pq.read_table(tmp_path / "rows")
    assert table.schema.equals(row_schema())
    assert {row["path"]: row for row in table.to_pylist()} == _rows(tmp_path / "local.jsonl")


def test_ray_scan_refusals_are_clear(images: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken.jsonl"
    taken.write_text("{}\n")
    for args, message in (
        (["--output", str(taken)], "already exists; pass --overwrite"),
        (["--output", str(tmp_path / "x.jsonl"), "--resume"], "--resume continues a local scan"),
        (["--output", str(taken), "--format", "parquet"], "writes a folder of files"),
    ):
        result = runner.invoke(app, ["scan", str(images), "--engine", "ray", *args])
        assert result.exit_code == 2 and message in result.output, result.output
    local = runner.invoke(app, ["scan", "s3://bucket/thumbs/", "--output", str(tmp_path / "y")])
    assert local.exit_code == 2 and "need --engine ray" in local.output


def test_nothing_of_ray_is_imported_on_the_default_path(images: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import framedetect, framedetect.cli\n"
        "from framedetect.cli import app\n"
        "from typer.testing import CliRunner\n"
        f"result = CliRunner().invoke(app, ['scan', {str(images)!r}, '-o', "
        f"{str(tmp_path / 'rows.jsonl')!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ray', 'pyarrow')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
