"""``framedetect review``: one static HTML page to check a sorted folder.

The page (``DIR/review.html``, one file: no server, no network, any browser) shows both
class folders as a grid, the least certain first, each image with its score and the
frame box the model found. A click flips an image's label; "Save corrections" downloads
a CSV of the flipped ones (``file``, ``label``) that ``framedetect sort --apply`` moves
into their class folders. Images are linked by relative path, so the page opens from
the folder itself.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from PIL import Image

from ._sort import CLASSES, sorted_rows

PAGE = "review.html"


def write_review(into: Path) -> Path:
    """Write ``into/review.html`` from the folder's files and ``labels.csv``."""
    items = []
    for row in sorted_rows(into):
        path = into / row["file"]
        try:
            with Image.open(path) as image:
                width, height = image.size
        except (OSError, ValueError):
            width = height = 0
        items.append(_item(row, width, height))
    page = into / PAGE
    page.write_text(_html(into.name, items), encoding="utf-8")
    return page


def _item(row: dict[str, str], width: int, height: int) -> dict[str, Any]:
    box = None
    if row["label"] == "framed" and width and height and row.get("x0"):
        x0, y0, x1, y1 = (float(row[k]) for k in ("x0", "y0", "x1", "y1"))
        box = [x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height]
    return {"file": row["file"], "label": row["label"], "score": float(row["score"]), "box": box}


def _html(title: str, items: list[dict[str, Any]]) -> str:
    data = json.dumps(items).replace("</", "<\\/")
    counts = {c: sum(item["label"] == c for item in items) for c in CLASSES}
    return (
        TEMPLATE.replace("{{title}}", html.escape(title))
        .replace("{{data}}", data)
        .replace("{{counts}}", html.escape(", ".join(f"{n} {c}" for c, n in counts.items())))
    )


TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>framedetect review: {{title}}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 0 1em 4em; background: #f4f4f4; }
header { position: sticky; top: 0; background: #f4f4f4; padding: .6em 0; z-index: 2; }
h2 { margin: 1em 0 .4em; }
.grid { display: flex; flex-wrap: wrap; gap: 8px; }
.card { width: 180px; background: #fff; border: 3px solid #fff; cursor: pointer;
        border-radius: 4px; user-select: none; }
.card.flipped { border-color: #d33; background: #fee; }
.pic { position: relative; width: 180px; height: 180px; display: flex;
       align-items: center; justify-content: center; overflow: hidden; }
.pic img { max-width: 180px; max-height: 180px; display: block; }
.box { position: absolute; outline: 2px solid #f0f; pointer-events: none; }
.frame { position: relative; }
.caption { padding: 2px 4px; font-size: 12px; color: #333; }
button { font-size: 14px; padding: .4em 1em; }
</style></head>
<body>
<header>
<strong>{{title}}</strong>: {{counts}}, least certain first. Click an image to flip its
label, then <button id="save">Save corrections (<span id="n">0</span>)</button>
and run <code>framedetect sort --into DIR --apply corrections.csv</code>.
</header>
<h2>framed</h2><div class="grid" id="framed"></div>
<h2>plain</h2><div class="grid" id="plain"></div>
<script>
const items = {{data}};
const flipped = new Map();
function other(label) { return label === "framed" ? "plain" : "framed"; }
function caption(item) {
  const now = flipped.has(item.file) ? " \\u2192 " + flipped.get(item.file) : "";
  return item.label + now + " \\u00b7 score " + item.score.toFixed(3);
}
for (const item of items) {
  const card = document.createElement("div");
  card.className = "card";
  card.dataset.file = item.file;
  const pic = document.createElement("div");
  pic.className = "pic";
  const frame = document.createElement("div");
  frame.className = "frame";
  const img = document.createElement("img");
  img.src = item.file.split("/").map(encodeURIComponent).join("/");
  img.loading = "lazy";
  img.alt = item.file;
  frame.appendChild(img);
  if (item.box) {
    const box = document.createElement("div");
    box.className = "box";
    box.style.left = 100 * item.box[0] + "%";
    box.style.top = 100 * item.box[1] + "%";
    box.style.width = 100 * item.box[2] + "%";
    box.style.height = 100 * item.box[3] + "%";
    frame.appendChild(box);
  }
  pic.appendChild(frame);
  const text = document.createElement("div");
  text.className = "caption";
  text.textContent = caption(item);
  card.append(pic, text);
  card.addEventListener("click", () => {
    if (flipped.has(item.file)) flipped.delete(item.file);
    else flipped.set(item.file, other(item.label));
    card.classList.toggle("flipped", flipped.has(item.file));
    text.textContent = caption(item);
    document.getElementById("n").textContent = flipped.size;
  });
  document.getElementById(item.label).appendChild(card);
}
document.getElementById("save").addEventListener("click", () => {
  const quote = (s) => '"' + s.replace(/"/g, '""') + '"';
  const lines = ["file,label"];
  for (const [file, label] of flipped) lines.push(quote(file) + "," + label);
  const blob = new Blob([lines.join("\\n") + "\\n"], {type: "text/csv"});
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "corrections.csv";
  document.body.appendChild(link);
  link.click();
  link.remove();
});
</script>
</body></html>
"""
