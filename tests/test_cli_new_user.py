"""The command line as a new user meets it: no silent successes, no lost labels.

One test (or more) per point of the issue that found them: exit codes and messages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from framedetect import Detector, ModelLoadError, __version__
from framedetect._models import find_model
from framedetect.cli import app
from framedetect_synth import read_labels
from framedetect_synth.contact_sheet import contact_sheet

runner = CliRunner()
GENERATE = ["generate", "--count", "3", "--seed", "9", "--no-photos"]


def _generate(folder: Path, *extra: str) -> typer.testing.Result:
    return runner.invoke(app, [*GENERATE, str(folder), *extra])


# 1. generate into a folder that holds earlier images
def test_generate_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    assert _generate(tmp_path / "set").exit_code == 0
    again = _generate(tmp_path / "set")
    assert again.exit_code == 2
    assert "is not empty" in again.output and "--overwrite" in again.output
    assert "--append" in again.output
    assert len(read_labels(tmp_path / "set" / "labels.csv")) == 3


def test_generate_overwrite_clears_and_append_continues(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    assert runner.invoke(app, [*GENERATE, str(folder), "--count", "5"]).exit_code == 0
    (folder / "README.txt").write_text("mine")
    replaced = _generate(folder, "--overwrite")
    assert replaced.exit_code == 0, replaced.output
    assert len(list((folder / "images").iterdir())) == 3  # the 5 old images are gone
    assert len(read_labels(folder / "labels.csv")) == 3
    assert (folder / "README.txt").read_text() == "mine"
    appended = _generate(folder, "--append")
    assert appended.exit_code == 0, appended.output
    rows = read_labels(folder / "labels.csv")
    assert [path.name.split(".")[0] for path, _ in rows] == [f"9-{i:06d}" for i in range(6)]
    assert all(path.is_file() for path, _ in rows)
    assert len(list((folder / "images").iterdir())) == 6
    both = _generate(folder, "--append", "--overwrite")
    assert both.exit_code == 2 and "not both" in both.output


def test_append_matches_one_run_of_the_same_size(tmp_path: Path) -> None:
    assert runner.invoke(app, [*GENERATE, str(tmp_path / "one"), "--count", "6"]).exit_code == 0
    assert _generate(tmp_path / "two").exit_code == 0
    assert _generate(tmp_path / "two", "--append").exit_code == 0
    one = (tmp_path / "one" / "labels.csv").read_text()
    assert (tmp_path / "two" / "labels.csv").read_text() == one


# 2. scan of a missing path, of an empty folder, of a folder with non-image files
def test_scan_exits_2_when_a_named_path_is_missing(tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    result = runner.invoke(app, ["scan", str(tmp_path / "no-such"), "--output", str(out)])
    assert result.exit_code == 2
    assert f"no such file or folder: {tmp_path / 'no-such'}" in result.output
    assert not out.exists()


def test_scan_exits_1_when_nothing_was_scored(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["scan", str(empty), "--output", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 1 and "nothing was scored: no image files found" in result.output
    (empty / "bad.jpg").write_bytes(b"\xff\xd8 junk")
    result = runner.invoke(app, ["scan", str(empty), "--output", str(tmp_path / "b.jsonl")])
    assert result.exit_code == 1 and "nothing was scored: every image failed" in result.output


def test_scan_reports_the_files_it_ignored(tmp_path: Path, generated: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    image = read_labels(generated / "labels.csv")[0][0]
    (folder / image.name).write_bytes(image.read_bytes())
    (folder / "notes.txt").write_text("not an image")
    (folder / "data.csv").write_text("a,b")
    result = runner.invoke(app, ["scan", str(folder), "--output", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 0, result.output
    assert "1 images:" in result.output
    assert "ignored 2 files that are not images by their suffix" in result.output
    assert str(folder / "notes.txt") in result.output


# 3. scan --output naming a folder
@pytest.mark.parametrize("extra", [[], ["--overwrite"]])
def test_scan_output_naming_a_folder_is_a_clear_error(
    tmp_path: Path, generated: Path, extra: list[str]
) -> None:
    result = runner.invoke(app, ["scan", str(generated), "--output", str(tmp_path), *extra])
    assert result.exit_code == 2
    assert f"--output {tmp_path} is a folder; name a file in it" in result.output
    assert "Traceback" not in result.output and "IsADirectoryError" not in result.output


# 4. eval of a generated folder without --labels
def test_eval_uses_the_folders_labels_and_says_so(tmp_path: Path, generated: Path) -> None:
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", str(generated), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert f"labels: {generated / 'labels.csv'}" in result.output
    saved = json.loads(report.read_text())
    assert saved["labels"] == str(generated / "labels.csv")
    assert saved["metrics"]["accuracy"] > 0.8  # not 0.5: the framed half counts as framed
    assert saved["metrics"]["framed_found"] > 0
    unlabelled = tmp_path / "photos"
    unlabelled.mkdir()
    for path, _ in read_labels(generated / "labels.csv")[:2]:
        (unlabelled / path.name).write_bytes(path.read_bytes())
    result = runner.invoke(app, ["eval", str(unlabelled)])
    assert result.exit_code == 0 and "labels: none, so every image counts as unframed" in (
        result.output
    )


# 5. predict_batch with one bad file: see test_predict.py, test_errors_return_keeps_every_
# other_result (errors="return") and test_batch_error_names_the_position (errors="raise").


# 6. --version names the package and the model versions apart
def test_version_names_package_and_model_versions() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    info = find_model("framedetect", "fp32")
    lines = result.output.splitlines()
    assert lines[0] == f"framedetect package {__version__}"
    assert f"model framedetect {info.version} (fp32, sha256 {info.sha256[:12]})" in lines


# 7. crop and existing outputs or missing folders
def test_crop_refuses_to_overwrite_or_to_create_folders(tmp_path: Path, generated: Path) -> None:
    image = str(read_labels(generated / "labels.csv")[0][0])
    out = tmp_path / "crop.png"
    assert runner.invoke(app, ["crop", image, "--output", str(out)]).exit_code == 0
    first = out.read_bytes()
    out.write_bytes(b"mine")
    again = runner.invoke(app, ["crop", image, "--output", str(out)])
    assert again.exit_code == 2 and "already exists; pass --overwrite" in again.output
    assert out.read_bytes() == b"mine"
    replaced = runner.invoke(app, ["crop", image, "--output", str(out), "--overwrite"])
    assert replaced.exit_code == 0 and out.read_bytes() == first
    nested = tmp_path / "no" / "such" / "crop.png"
    missing = runner.invoke(app, ["crop", image, "--output", str(nested)])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert not (tmp_path / "no").exists()
    folder = runner.invoke(app, ["crop", image, "--output", str(tmp_path)])
    assert folder.exit_code == 2 and "is a folder" in folder.output


# 8. help text, error messages, progress and the list of models
COMMANDS = sorted(typer.main.get_command(app).list_commands(None))  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_placeholder_markup(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=100)
    assert result.exit_code == 0
    assert not re.search(r"<bool>|<list\[|\{\w+\}|<path>|<int|<float", result.output), result.output
    assert f" {command} [OPTIONS]" in result.output


def test_scan_help_paragraphs_are_rewrapped_not_broken() -> None:
    text = runner.invoke(app, ["scan", "--help"], terminal_width=100).output
    paragraph = text.split("\n\n")[2]  # the second paragraph of the docstring
    assert all(len(line) <= 100 for line in paragraph.splitlines())
    assert "--precision int8 on CPUs" in " ".join(paragraph.split())


def test_errors_never_show_python_object_reprs(tmp_path: Path) -> None:
    for name, data in (("text.jpg", b"hello"), ("zeros.png", bytes(100))):
        (tmp_path / name).write_bytes(data)
        result = runner.invoke(app, ["predict", str(tmp_path / name)])
        assert result.exit_code == 1
        assert "cannot decode" in result.output and "<_io." not in result.output
        assert " at 0x" not in result.output


def test_contact_sheet_reports_progress_per_sample(tmp_path: Path) -> None:
    ticks: list[int] = []
    contact_sheet(tmp_path / "s.png", seed=1, count=5, on_sample=lambda: ticks.append(1))
    assert len(ticks) == 5


def test_an_unknown_model_name_lists_the_baseline_too() -> None:
    with pytest.raises(ModelLoadError, match=r"framedetect \(fp32\).*model='baseline'"):
        Detector(model="nope")
