"""Draw a released model's training data again, from the tree of the commit that drew it.

The tree holds one generator: what the shipped model trained on. Every release is
recorded under ``released`` in the bundled manifest with the commit whose
``converters/`` generated its data and a digest of the first images it drew; this
module extracts that commit's ``sdk/`` and ``converters/`` from git history, runs its
own ``write_folder`` in a fresh interpreter, and compares the digest.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framedetect._models import manifest

from .photos import default_photo_dir
from .real_pool import default_pool_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
DIGEST_IMAGES = 1000
"""How many images of a release's training seed its digest covers."""

_DRAW = """
import inspect, sys
from pathlib import Path
import framedetect_synth
from framedetect_synth.dataset import write_folder
tree, out, seed, count, photos, pool, generator = sys.argv[1:8]
assert framedetect_synth.__file__.startswith(tree), framedetect_synth.__file__
options = inspect.signature(write_folder).parameters
kwargs = {"photo_dir": Path(photos) if photos else None}
if "generator" in options:
    kwargs["generator"] = int(generator)
if pool:
    kwargs["pool_dir"] = Path(pool)
write_folder(Path(out), int(seed), int(count), **kwargs)
"""


class RegenerateError(RuntimeError):
    """A release cannot be drawn again: no record, no history, or missing photos."""


@dataclass(frozen=True)
class Regenerated:
    """What :func:`regenerate` drew and whether it is what the release drew."""

    version: str
    commit: str
    folder: Path
    digest: str
    expected: str | None  # the recorded digest, when ``count`` is the recorded count

    @property
    def matches(self) -> bool | None:
        """True or False against the record; None when there is nothing to compare."""
        return None if self.expected is None else self.digest == self.expected


def releases() -> list[dict[str, Any]]:
    """Every recorded release, oldest first."""
    recorded = manifest().get("released", [])
    if not isinstance(recorded, list):
        raise RegenerateError("the manifest's 'released' is not a list")
    return recorded


def release(version: str) -> dict[str, Any]:
    """The record of release ``version``."""
    for record in releases():
        if record.get("version") == version:
            return record
    known = ", ".join(str(r.get("version")) for r in releases()) or "none"
    raise RegenerateError(f"no release {version!r} is recorded (recorded: {known})")


def folder_digest(folder: Path) -> str:
    """sha256 over every file under ``folder``: its relative path and its bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def regenerate(
    version: str, out: Path, count: int = DIGEST_IMAGES, seed: int | None = None
) -> Regenerated:
    """Write the first ``count`` images of data set ``seed`` (default: the training set of
    ``version``) into ``out``, drawn by the tree of its source commit, and compare their
    digest with the recorded one."""
    record = release(version)
    commit, data = record["source_commit"], record["data"]
    seed = data["seed"] if seed is None else seed
    photo_dir = _needed(data.get("real_photos_composed"), default_photo_dir(), "real-products")
    pool_dir = _needed(data.get("real_pool_composed"), default_pool_dir(), "real-pool")
    with tempfile.TemporaryDirectory(prefix=f"framedetect-{version}-") as scratch:
        tree = Path(scratch)
        _extract(commit, tree)
        args = [str(tree), str(out), str(seed), str(count)]
        args += [str(photo_dir or ""), str(pool_dir or ""), str(data.get("generator", 0))]
        env = {"PYTHONPATH": f"{tree / 'sdk'}:{tree / 'converters'}", "PATH": "/usr/bin:/bin"}
        drawn = subprocess.run(
            [sys.executable, "-c", _DRAW, *args], env=env, capture_output=True, text=True
        )
        if drawn.returncode != 0:
            raise RegenerateError(f"the tree of {commit[:12]} failed: {drawn.stderr.strip()}")
    recorded = record.get("regenerated", {})
    compared = recorded.get("images") == count and seed == data["seed"]
    expected = recorded.get("sha256") if compared else None
    return Regenerated(version, commit, out, folder_digest(out), expected)


def current_digest(seed: int, photo_dir: Path | None, pool_dir: Path | None) -> dict[str, Any]:
    """The record's ``regenerated`` entry for data drawn by this tree (at ship time)."""
    from .dataset import write_folder

    with tempfile.TemporaryDirectory() as scratch:
        write_folder(Path(scratch), seed, DIGEST_IMAGES, photo_dir, pool_dir=pool_dir)
        return {"images": DIGEST_IMAGES, "sha256": folder_digest(Path(scratch))}


def _needed(composed: object, folder: Path | None, name: str) -> Path | None:
    if not composed:
        return None
    if folder is None:
        raise RegenerateError(f"the release composed ../shared/data/{name}, which is not here")
    return folder


def _extract(commit: str, tree: Path) -> None:
    """``sdk/`` and ``converters/`` of ``commit`` into ``tree``, from git history."""
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "sdk", "converters"],
            cwd=REPO_ROOT, capture_output=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as error:
        why = getattr(error, "stderr", b"") or str(error).encode()
        raise RegenerateError(
            f"regenerate needs a git checkout of framedetect with its history; cannot read "
            f"commit {commit[:12]} in {REPO_ROOT}: "
            f"{why.decode(errors='replace').strip()}"
        ) from error
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
