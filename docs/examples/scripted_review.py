"""A scripted review, standing in for a person: compare what ``framedetect sort`` decided
with the known labels of a ``framedetect real-set`` folder, and write the corrections CSV
that the review page would save (file,label), for ``framedetect sort --apply``.

    python docs/examples/scripted_review.py SORTED REAL_SET corrections.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def main(sorted_dir: Path, real_set: Path, out: Path) -> None:
    with (real_set / "labels.csv").open(newline="") as handle:
        truth = {
            (real_set / row["file"]).resolve(): row["has_frame"] == "1"
            for row in csv.DictReader(handle)
        }
    flips = []
    with (sorted_dir / "labels.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            framed = truth[Path(row["source"]).resolve()]
            if framed != (row["label"] == "framed"):
                flips.append((row["file"], "framed" if framed else "plain"))
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "label"])
        writer.writerows(flips)
    print(f"{len(flips)} of {len(truth)} images to move -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
