"""The scan's JSON-lines output: whole rows only, and what a resumed scan can skip.

A scan killed with SIGKILL (or a power cut) may leave a half-written last line. Before
appending, :func:`repair` cuts the file back to its last complete, parseable row, so
every row in the file is whole and each path appears once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def repair(output: Path) -> set[str]:
    """Drop a torn last line and any unparseable row; return the paths already scored."""
    if not output.exists():
        return set()
    data = output.read_bytes()
    lines = data.split(b"\n")
    done: set[str] = set()
    kept: list[bytes] = []
    for line in lines[:-1]:  # the part after the last newline is torn (or empty)
        path = _path_of(line)
        if path is not None and path not in done:
            done.add(path)
            kept.append(line)
    clean = b"".join(line + b"\n" for line in kept)
    if clean != data:
        tmp = output.with_name(output.name + ".repair")
        tmp.write_bytes(clean)
        os.replace(tmp, output)
    return done


def _path_of(line: bytes) -> str | None:
    """The ``path`` of a whole, parseable row; None for anything else."""
    try:
        row = json.loads(line)
    except ValueError:
        return None
    path = row.get("path") if isinstance(row, dict) else None
    return path if isinstance(path, str) else None
