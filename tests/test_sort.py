"""framedetect sort: class folders for review, doubtful first; resumable; corrections applied."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framedetect import Detector
from framedetect import _sort as sorting
from framedetect.cli import app

runner = CliRunner()


@pytest.fixture
def photos(generated: Path, tmp_path: Path) -> Path:
    """24 generated thumbnails, two broken JPEGs and a stray text file."""
    folder = tmp_path / "photos"
    shutil.copytree(generated / "images", folder)
    (folder / "broken-1.jpg").write_bytes(b"\xff\xd8 not a jpeg")
    (folder / "broken-2.png").write_bytes(b"")
    (folder / "notes.txt").write_text("not an image")
    return folder


def _placed(into: Path) -> dict[str, list[str]]:
    return {c: sorted(p.name for p in (into / c).iterdir()) for c in sorting.CLASSES}


def _labels(into: Path) -> list[dict[str, str]]:
    with (into / "labels.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_image_lands_in_one_class_folder_doubtful_first(
    photos: Path, tmp_path: Path, detector: Detector
) -> None:
    into = tmp_path / "sorted"
    summary = sorting.sort_images([photos], into, detector)
    placed = _placed(into)
    assert len(placed["framed"]) + len(placed["plain"]) == 24
    assert summary.linked == 24 and summary.errors == 2
    rows = _labels(into)
    assert len(rows) == 24
    for row in rows:
        source, kept = Path(row["source"]), into / row["file"]
        assert kept.stat().st_ino == source.stat().st_ino  # a hard link, not a copy
        assert (float(row["score"]) >= detector.threshold) == (row["label"] == "framed")
        certainty = abs(float(row["score"]) - detector.threshold)
        assert kept.name.startswith(f"{min(999, int(certainty * 1000)):03d}-")
    for names in placed.values():  # name order is certainty order
        certainties = [int(name[:3]) for name in names]
        assert certainties == sorted(certainties)
    with (into / "errors.csv").open(newline="") as handle:
        errors = list(csv.DictReader(handle))
    assert sorted(Path(e["source"]).name for e in errors) == ["broken-1.jpg", "broken-2.png"]
    assert all(e["error"] == "InvalidImageError" for e in errors)


def test_a_rerun_never_undoes_what_a_person_moved(
    photos: Path, tmp_path: Path, detector: Detector
) -> None:
    into = tmp_path / "sorted"
    sorting.sort_images([photos], into, detector)
    name = _placed(into)["plain"][0]
    (into / "plain" / name).rename(into / "framed" / name)  # a reviewer's correction
    before = _placed(into)
    shutil.copy(next(photos.glob("*.png")), photos / "new-image.png")
    again = sorting.sort_images([photos], into, detector)
    assert sum(again.placed.values()) == 1 and again.skipped == 26
    after = _placed(into)
    assert name in after["framed"] and name not in after["plain"]
    added = {c: set(after[c]) - set(before[c]) for c in sorting.CLASSES}
    assert sum(len(names) for names in added.values()) == 1
    assert all("new-image" in n for names in added.values() for n in names)


@pytest.mark.parametrize("move", [False, True])
def test_killed_midway_and_rerun_it_loses_and_repeats_nothing(
    photos: Path, tmp_path: Path, detector: Detector, monkeypatch: pytest.MonkeyPatch, move: bool
) -> None:
    into = tmp_path / "sorted"
    sources = sorted(p.name for p in photos.iterdir() if not p.name.startswith(("broken", "notes")))
    transfer, calls = sorting._transfer, []

    def killed_at_the_tenth(source: Path, target: Path, moving: bool) -> str:
        calls.append(source)
        if len(calls) < 10:
            return transfer(source, target, moving)
        if not moving:  # a link made and its row not yet written
            transfer(source, target, moving)
        raise KeyboardInterrupt  # a move: its row written and the file not yet moved

    with monkeypatch.context() as patch:
        patch.setattr(sorting, "_transfer", killed_at_the_tenth)
        with pytest.raises(KeyboardInterrupt):
            sorting.sort_images([photos], into, detector, move=move)
    summary = sorting.sort_images([photos], into, detector, move=move)
    placed = _placed(into)
    assert sorted(n.split("-", 1)[1].rsplit("-", 1)[0] for c in placed.values() for n in c) == (
        sorted(Path(s).stem for s in sources)
    )  # every image once, none twice
    assert len(_labels(into)) == 24
    left = sorted(p.name for p in photos.iterdir())
    assert left == (sorted(["broken-1.jpg", "broken-2.png", "notes.txt"]) if move else
                    sorted([*sources, "broken-1.jpg", "broken-2.png", "notes.txt"]))  # fmt: skip
    assert summary.finished == (1 if move else 0)


def test_corrections_move_files_and_report_what_they_cannot(
    photos: Path, tmp_path: Path, detector: Detector
) -> None:
    into = tmp_path / "sorted"
    sorting.sort_images([photos], into, detector)
    rows = _labels(into)
    flips = rows[:3]
    corrections = tmp_path / "corrections.csv"
    with corrections.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "label"])
        for row in flips:
            writer.writerow([row["file"], "plain" if row["label"] == "framed" else "framed"])
        writer.writerow(["framed/999-gone-00000000.jpg", "plain"])
        writer.writerow([rows[3]["file"], "maybe"])
    result = runner.invoke(app, ["sort", "--into", str(into), "--apply", str(corrections)])
    assert result.exit_code == 1
    assert "moved 3 files" in result.output
    assert "999-gone-00000000.jpg: no such file" in result.output
    assert "label 'maybe' is not framed or plain" in result.output
    relabelled = {row["file"].split("/")[1]: row["label"] for row in _labels(into)}
    for row in flips:
        name = row["file"].split("/")[1]
        assert relabelled[name] != row["label"] and (into / relabelled[name] / name).is_file()
    again = runner.invoke(app, ["sort", "--into", str(into), "--apply", str(corrections)])
    assert "moved 0 files" in again.output  # applying twice changes nothing more


def test_the_command_line_reports_and_refuses_clearly(photos: Path, tmp_path: Path) -> None:
    into = tmp_path / "sorted"
    result = runner.invoke(app, ["sort", str(photos), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert "2 unreadable" in result.output and "errors.csv" in result.output
    missing = runner.invoke(app, ["sort", str(tmp_path / "nowhere"), "--into", str(into)])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
    nothing = runner.invoke(app, ["sort", "--into", str(into)])
    assert nothing.exit_code == 2 and "give the images to sort" in nothing.output
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "labels.csv").write_text("file,has_frame\nx.jpg,1\n")
    foreign = runner.invoke(app, ["sort", str(photos), "--into", str(tmp_path / "other")])
    assert foreign.exit_code == 2 and "not written by framedetect sort" in foreign.output


def test_eval_takes_a_sorted_folder_its_class_folders_the_labels(
    photos: Path, tmp_path: Path, detector: Detector
) -> None:
    import json

    into = tmp_path / "sorted"
    sorting.sort_images([photos], into, detector)
    name = _placed(into)["framed"][0]
    (into / "framed" / name).rename(into / "plain" / name)  # one correction
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", str(into), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert "class folders" in result.output
    metrics = json.loads(report.read_text())["metrics"]
    assert metrics["scored"] == 24
    assert metrics["accuracy"] == round(23 / 24, 4)  # the model disagrees with one label
    assert "content_box_iou_median" not in metrics  # no boxes in class folders
