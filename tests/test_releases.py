"""Every release stays reproducible from history: its record names the commit that drew its
data, and that commit's tree draws the recorded bytes again."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from framedetect._models import manifest
from framedetect_synth import write_folder
from framedetect_synth.photos import default_photo_dir
from framedetect_synth.real_pool import default_pool_dir
from framedetect_synth.regenerate import (
    REPO_ROOT,
    RegenerateError,
    folder_digest,
    regenerate,
    release,
    releases,
)

COMMIT = re.compile(r"[0-9a-f]{40}")


def _in_history(commit: str) -> bool:
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=REPO_ROOT, capture_output=True
    )
    return found.returncode == 0


def test_every_shipped_model_names_its_source_commit_and_its_release_record() -> None:
    for entry in manifest()["models"]:
        commit = entry["data"]["source_commit"]
        assert COMMIT.fullmatch(commit), f"{entry['file']}: {commit!r} is not a clean commit"
        assert release(entry["version"])["source_commit"] == commit


def test_every_release_record_names_a_commit_and_a_digest() -> None:
    versions = [record["version"] for record in releases()]
    assert {"5.0.0", "6.0.0"} <= set(versions) and len(set(versions)) == len(versions)
    for record in releases():
        assert COMMIT.fullmatch(record["source_commit"]), record["version"]
        assert re.fullmatch(r"[0-9a-f]{64}", record["regenerated"]["sha256"])
        assert record["regenerated"]["images"] == 1000
        if _in_history(record["source_commit"]):
            tree = subprocess.run(
                ["git", "ls-tree", "--name-only", record["source_commit"], "converters/"],
                cwd=REPO_ROOT, capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            assert "converters/framedetect_synth" in tree


def test_an_unknown_release_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RegenerateError, match=r"no release '0\.1\.0' is recorded"):
        regenerate("0.1.0", tmp_path / "out", 4)


def test_the_folder_digest_sees_names_and_bytes(tmp_path: Path) -> None:
    write_folder(tmp_path / "a", seed=4, count=3)
    write_folder(tmp_path / "b", seed=4, count=3)
    assert folder_digest(tmp_path / "a") == folder_digest(tmp_path / "b")
    (tmp_path / "b" / "labels.csv").write_text("edited")
    assert folder_digest(tmp_path / "a") != folder_digest(tmp_path / "b")


@pytest.mark.skipif(
    default_photo_dir() is None or default_pool_dir() is None,
    reason="needs ../shared/data's real photos",
)
def test_this_tree_draws_what_the_shipped_model_trained_on(tmp_path: Path) -> None:
    version = manifest()["models"][0]["version"]
    record = release(version)
    if not _in_history(record["source_commit"]):
        pytest.skip(f"{record['source_commit'][:12]} is not in this clone's history")
    drawn = regenerate(version, tmp_path / "history", 12)
    seed = record["data"]["seed"]
    write_folder(tmp_path / "tree", seed, 12, default_photo_dir(), pool_dir=default_pool_dir())
    assert drawn.digest == folder_digest(tmp_path / "tree")
    assert drawn.matches is None  # 12 images: the record covers 1000
