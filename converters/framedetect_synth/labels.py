"""The label of one generated thumbnail, and its CSV row form."""

from __future__ import annotations

from dataclasses import dataclass

SIDES = ("top", "right", "bottom", "left")
CSV_COLUMNS = (
    "file",
    "has_frame",
    *SIDES,
    "x0",
    "y0",
    "x1",
    "y1",
    "width",
    "height",
    "kind",
)


@dataclass(frozen=True)
class ThumbnailLabel:
    """Ground truth for one thumbnail.

    ``sides`` says which sides carry a frame, in ``SIDES`` order. ``content_box`` is
    ``(x0, y0, x1, y1)`` in pixels, end-exclusive: the part of the image inside the
    frame (the whole image when there is none). ``kind`` names the scene recipe.
    """

    has_frame: bool
    sides: tuple[bool, bool, bool, bool]
    content_box: tuple[int, int, int, int]
    size: tuple[int, int]
    kind: str

    @property
    def insets(self) -> tuple[float, float, float, float]:
        """How deep the frame reaches in from each side, as a share of the image's size."""
        x0, y0, x1, y1 = self.content_box
        width, height = self.size
        return (y0 / height, (width - x1) / width, (height - y1) / height, x0 / width)

    def flipped(self, horizontal: bool, vertical: bool) -> ThumbnailLabel:
        """The label of the same image mirrored left-right and/or top-bottom."""
        top, right, bottom, left = self.sides
        x0, y0, x1, y1 = self.content_box
        width, height = self.size
        if horizontal:
            left, right = right, left
            x0, x1 = width - x1, width - x0
        if vertical:
            top, bottom = bottom, top
            y0, y1 = height - y1, height - y0
        return ThumbnailLabel(
            self.has_frame, (top, right, bottom, left), (x0, y0, x1, y1), self.size, self.kind
        )

    def to_row(self, file: str) -> dict[str, str | int]:
        """The CSV row for this label, with ``file`` relative to the labels file."""
        x0, y0, x1, y1 = self.content_box
        return {
            "file": file,
            "has_frame": int(self.has_frame),
            **{side: int(flag) for side, flag in zip(SIDES, self.sides)},
            "x0": x0,
            "y0": y0,
            "x1": x1,
            "y1": y1,
            "width": self.size[0],
            "height": self.size[1],
            "kind": self.kind,
        }

    @classmethod
    def from_row(cls, row: dict[str, str]) -> ThumbnailLabel:
        """Parse a CSV row written by :meth:`to_row`."""
        sides = tuple(row[side] == "1" for side in SIDES)
        box = tuple(int(row[key]) for key in ("x0", "y0", "x1", "y1"))
        return cls(
            row["has_frame"] == "1",
            (sides[0], sides[1], sides[2], sides[3]),
            (box[0], box[1], box[2], box[3]),
            (int(row["width"]), int(row["height"])),
            row["kind"],
        )


def sided_label(
    kind: str,
    sides: tuple[bool, bool, bool, bool],
    box: tuple[int, int, int, int],
    size: tuple[int, int],
) -> ThumbnailLabel:
    """The label of a thumbnail framed on ``sides`` (none: unframed) around ``box``."""
    return ThumbnailLabel(any(sides), sides, box, size, kind)


def unframed_label(kind: str, width: int, height: int) -> ThumbnailLabel:
    """The label of an unframed thumbnail: no side, the whole image as content."""
    return ThumbnailLabel(False, (False,) * 4, (0, 0, width, height), (width, height), kind)  # type: ignore[arg-type]
