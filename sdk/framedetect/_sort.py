"""Semi-automatic labelling: sort images into ``framed/`` and ``plain/`` for a person to check.

:func:`sort_images` scores every image (the scan machinery: threaded decoding, batched
inference, a typed error per bad file) and places it under ``DIR/framed/`` or
``DIR/plain/`` -- a hard link where the file system allows, a copy otherwise, or the
file itself with ``move``. Names start with the model's certainty in thousandths
(``003-...`` is 0.003 from the threshold), so any file browser lists the doubtful ones
first. ``DIR/labels.csv`` records each image; unreadable ones go to ``DIR/errors.csv``.

What is in a class folder is the truth from then on: a re-run places only images it has
not placed before and never touches a file a person moved. Killed midway and re-run, it
loses nothing: links and copies are made before their row is written (a re-run finds
the file already there), moves after (a re-run finishes them).
:func:`apply_corrections` moves files between the class folders as a CSV of ``file``,
``label`` rows says (what ``framedetect review`` saves).
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._detector import Detector
from ._errors import InvalidArgumentError
from ._scan import scan

CLASSES = ("framed", "plain")
COLUMNS = ("file", "label", "score", "top", "right", "bottom", "left",
           "x0", "y0", "x1", "y1", "source")  # fmt: skip
ERROR_COLUMNS = ("source", "error", "message")


@dataclass
class SortSummary:
    """What one run placed, and how."""

    placed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    linked: int = 0
    copied: int = 0
    moved: int = 0
    errors: int = 0
    skipped: int = 0
    finished: int = 0  # moves an interrupted run had left undone
    interrupted: bool = False


def sorted_name(source: Path, score: float, threshold: float) -> str:
    """``CCC-STEM-HASH.EXT``: CCC is the distance of ``score`` from ``threshold`` in
    thousandths (000 first: least certain); HASH keeps sources of one stem apart."""
    certainty = min(999, int(abs(score - threshold) * 1000))
    digest = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:8]
    return f"{certainty:03d}-{source.stem}-{digest}{source.suffix.lower()}"


def sort_images(
    sources: Sequence[Path],
    into: Path,
    detector: Detector,
    move: bool = False,
    batch_size: int = 32,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    stop: threading.Event | None = None,
) -> SortSummary:
    """Place every image under ``sources`` into ``into/framed`` or ``into/plain``."""
    for name in CLASSES:
        (into / name).mkdir(parents=True, exist_ok=True)
    summary = SortSummary()
    labels = _Table(into / "labels.csv", COLUMNS)
    errors = _Table(into / "errors.csv", ERROR_COLUMNS)
    placed = labels.rows()
    if move:
        summary.finished = _finish_moves(into, placed)
    done = {row["source"] for row in placed} | {row["source"] for row in errors.rows()}

    def place(row: dict[str, Any]) -> None:
        source = Path(row["path"])
        if row["error"] is not None:
            errors.append({"source": str(source.resolve()), "error": row["error"]["type"],
                           "message": row["error"]["message"]})  # fmt: skip
            summary.errors += 1
        else:
            label = "framed" if row["has_frame"] else "plain"
            name = sorted_name(source, row["score"], detector.threshold)
            sides = row["sides"] or [""] * 4
            box = row["content_box"] or [""] * 4
            record = {"file": f"{label}/{name}", "label": label, "score": row["score"],
                      **dict(zip(("top", "right", "bottom", "left"), sides)),
                      **dict(zip(("x0", "y0", "x1", "y1"), box)),
                      "source": str(source.resolve())}  # fmt: skip
            if move:  # the row first: a re-run finishes a move the row announces
                labels.append(record)
            if not any((into / c / name).exists() for c in CLASSES):
                how = _transfer(source, into / label / name, move)
                setattr(summary, how, getattr(summary, how) + 1)
            if not move:
                labels.append(record)
            summary.placed[label] += 1
        if on_row is not None:
            on_row(row)

    skip = _Placed(done, into)
    with open(os.devnull, "w") as sink:
        scanned = scan(sources, sink, detector, batch_size, on_row=place, skip=skip, stop=stop)
    summary.skipped, summary.interrupted = scanned.skipped, scanned.interrupted
    return summary


def apply_corrections(into: Path, corrections: Path) -> tuple[int, list[str]]:
    """Move each file named in ``corrections`` (columns ``file``, ``label``) into that
    class folder; returns how many moved and one message per row that could not be
    applied. ``labels.csv`` then says what the folders say."""
    try:
        with corrections.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidArgumentError(f"cannot read corrections {corrections}: {error}") from error
    if rows and not {"file", "label"} <= set(rows[0]):
        raise InvalidArgumentError(f"{corrections} needs 'file' and 'label' columns")
    moved, problems = 0, []
    for row in rows:
        name, label = Path(row["file"]).name, row["label"].strip()
        if label not in CLASSES:
            problems.append(f"{row['file']}: label {label!r} is not framed or plain")
            continue
        now = [c for c in CLASSES if (into / c / name).is_file()]
        if not now:
            problems.append(f"{row['file']}: no such file in {into}/framed or {into}/plain")
        elif now[0] != label:
            os.replace(into / now[0] / name, into / label / name)  # atomic: never lost
            moved += 1
    _relabel(into)
    return moved, problems


def _transfer(source: Path, target: Path, move: bool) -> str:
    """Put ``source`` at ``target``; returns the summary field of how it went."""
    if move:
        shutil.move(source, target)
        return "moved"
    try:
        os.link(source, target)
        return "linked"
    except OSError:  # another file system, or links not allowed: copy, atomically
        partial = target.with_name(f".{target.name}.partial")
        shutil.copy2(source, partial)
        os.replace(partial, target)
        return "copied"


def _finish_moves(into: Path, rows: list[dict[str, str]]) -> int:
    """Moves an interrupted run wrote the row of but did not make."""
    finished = 0
    for row in rows:
        name = Path(row["file"]).name
        source = Path(row["source"])
        if source.is_file() and not any((into / c / name).exists() for c in CLASSES):
            shutil.move(source, into / row["label"] / name)
            finished += 1
    return finished


def sorted_rows(into: Path) -> list[dict[str, str]]:
    """The rows of ``into/labels.csv`` whose files are still there, labelled by the folder
    each file is in now, class by class, least certain first."""
    rows = []
    for row in _Table(into / "labels.csv", COLUMNS).rows():
        name = Path(row["file"]).name
        where = [c for c in CLASSES if (into / c / name).is_file()]
        if where:
            rows.append({**row, "file": f"{where[0]}/{name}", "label": where[0]})
    return sorted(rows, key=lambda row: (CLASSES.index(row["label"]), Path(row["file"]).name))


def _relabel(into: Path) -> None:
    """Rewrite ``labels.csv`` so that each row's label is the folder its file is in."""
    _Table(into / "labels.csv", COLUMNS).rewrite(sorted_rows(into))


class _Placed(AbstractSet[str]):
    """The paths a sort passes over: placed before (``done``, resolved), or inside
    ``into`` itself (sorting a folder into a folder inside it)."""

    def __init__(self, done: set[str], into: Path) -> None:
        self.done, self.into = done, into.resolve()

    def __contains__(self, path: object) -> bool:
        resolved = Path(str(path)).resolve()
        return str(resolved) in self.done or resolved.is_relative_to(self.into)

    def __iter__(self) -> Iterator[str]:
        return iter(self.done)

    def __len__(self) -> int:
        return len(self.done)


class _Table:
    """A CSV file appended one flushed row at a time, so a kill loses no finished row."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path, self.columns = path, columns

    def rows(self) -> list[dict[str, str]]:
        if not self.path.is_file():
            return []
        with self.path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is not None and tuple(reader.fieldnames) != self.columns:
                raise InvalidArgumentError(
                    f"{self.path} was not written by framedetect sort (columns "
                    f"{reader.fieldnames}); sort into another folder"
                )
            return [row for row in reader if row.get(self.columns[-1]) is not None]

    def append(self, row: dict[str, Any]) -> None:
        new = not self.path.is_file() or self.path.stat().st_size == 0
        with self.path.open("a", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=self.columns)
            if new:
                writer.writeheader()
            writer.writerow(row)  # closed at once: a killed process loses no written row

    def rewrite(self, rows: list[dict[str, str]]) -> None:
        partial = self.path.with_name(f".{self.path.name}.partial")
        with partial.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=self.columns)
            writer.writeheader()
            writer.writerows(rows)
        os.replace(partial, self.path)
