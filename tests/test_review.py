"""framedetect review: the page in a real headless browser, clicked, saved and applied."""

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
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _sorted_folder(generated: Path, tmp_path: Path, detector: Detector) -> Path:
    into = tmp_path / "sorted"
    sorting.sort_images([generated / "images"], into, detector)
    result = runner.invoke(app, ["review", str(into)])
    assert result.exit_code == 0, result.output
    return into


def test_the_page_lists_every_image_least_certain_first_with_its_box(
    generated: Path, tmp_path: Path, detector: Detector
) -> None:
    into = _sorted_folder(generated, tmp_path, detector)
    page = (into / "review.html").read_text()
    rows = sorting.sorted_rows(into)
    assert len(rows) == 24
    positions = [page.index(f'"file": "{row["file"]}"') for row in rows]
    assert positions == sorted(positions)  # framed first, each class least certain first
    framed = [row for row in rows if row["label"] == "framed"]
    assert framed and page.count('"box": [') == len(framed)
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched from a network


def test_review_needs_a_sorted_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["review", str(tmp_path)])
    assert result.exit_code == 2 and "no labels.csv" in result.output


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (Debian: apt install chromium)")
def test_click_save_and_apply_in_a_real_browser(
    generated: Path, tmp_path: Path, detector: Detector
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    into = _sorted_folder(generated, tmp_path, detector)
    before = {row["file"]: row["label"] for row in sorting.sorted_rows(into)}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        page = browser.new_page(accept_downloads=True)
        page.goto((into / "review.html").as_uri())
        cards = page.locator(".card")
        assert cards.count() == 24
        # the page loads its images lazily: load them all, then check none is broken
        page.locator("img").evaluate_all("imgs => imgs.forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function(
            "[...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=30_000
        )
        clicked = [cards.nth(i).get_attribute("data-file") for i in (0, 5, 20)]
        for i in (0, 5, 20, 7):
            cards.nth(i).click()
        cards.nth(7).click()  # clicked twice: back to what the model said
        assert page.locator("#n").inner_text() == "3"
        assert page.locator(".card.flipped").count() == 3
        with page.expect_download() as download:
            page.click("#save")
        saved = tmp_path / "corrections.csv"
        download.value.save_as(saved)
        browser.close()
    with saved.open(newline="") as handle:
        corrections = list(csv.DictReader(handle))
    assert sorted(row["file"] for row in corrections) == sorted(str(f) for f in clicked)
    result = runner.invoke(app, ["sort", "--into", str(into), "--apply", str(saved)])
    assert result.exit_code == 0, result.output
    after = {Path(row["file"]).name: row["label"] for row in sorting.sorted_rows(into)}
    for file, label in before.items():
        name = Path(file).name
        expected = {"framed": "plain", "plain": "framed"}[label] if file in clicked else label
        assert after[name] == expected and (into / expected / name).is_file()
