"""The generator's taxonomy: every scene kind, what it is, and how often it is drawn.

``framedetect taxonomy`` measures the proportions on generated samples and writes
``docs/TAXONOMY.md``; ``framedetect contact-sheet --per-kind N`` shows each kind.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .dataset import make_sample

KINDS: dict[tuple[str, str, str], tuple[tuple[str, str], ...]] = {
    # (content source, frame family ("none": unframed), module): ((kind prefix, what it is), ...)
    ("studio", "band", "frames"): (
        ("band-solid", "band at the image edge, one flat colour, on any subset of sides"),
        ("band-gradient", "band at the edge, a colour gradient"),
        ("band-pattern", "band at the edge, stripes, checks or dots"),
        ("band-noise", "band at the edge, a noisy texture"),
        ("band-photo", "band at the edge cut from a photo or a scene"),
    ),
    ("studio", "inset", "frames"): (
        ("inset-solid", "inset line with a white margin outside (the seed's green frame)"),
        ("inset-gradient", "inset line, gradient"),
        ("inset-pattern", "inset line, patterned"),
        ("inset-noise", "inset line, textured (the seed's one-sided textured strip)"),
    ),
    ("studio", "styled frame", "styled_frames"): (
        ("band-shadow", "band on all sides casting a soft drop shadow on the picture"),
        ("band-double", "double frame: a band plus a thin line just inside it"),
        ("inset-rounded", "inset line with rounded corners"),
        ("inset-dashed", "dashed inset line"),
        ("inset-dotted", "dotted inset line"),
        ("inset-double", "two inset lines"),
    ),
    ("studio", "strip", "strips"): (
        ("strip-text", "one-sided strip or vertical banner with promo text"),
        ("promo-strips", "header and/or footer promo strip with text (price, SALE, shop)"),
        ("letterbox", "black or coloured letterbox (or pillarbox) bars"),
    ),
    ("rooms", "band or inset", "scenes, frames"): (
        ("room-in-", "a lifestyle room scene (see `room`) inside a band or inset frame"),
    ),
    ("real photo", "band or inset", "pool_content, frames"): (
        ("pool-in-", "a real photo of the pool (see `pool-plain`), cropped to fill, inside a "
         "band or inset frame of the kinds above"),
    ),
    ("real photo", "real-photo family", "real_frames"): (
        ("pool-framed-", "a real photo of the pool framed by one of the 12 families of "
         "`framedetect real-set` (thin edge outline, one, two or three sides, photo-textured "
         "band, text strips...), drawn around or over it"),
    ),
    ("studio", "none", "studio"): (
        ("product", "one or more products on white, sometimes cut by the edge"),
        ("colour-background", "products on a coloured or gradient studio background"),
        ("full-bleed", "a full-bleed lifestyle scene"),
        ("photo", "a real product photo, fitted or cropped to fill"),
        ("rect-", "rectangular product filling 60-100 %: phone, tablet, monitor, fridge, "
         "book, box in perspective"),
    ),
    ("studio", "none", "lookalikes"): (
        ("fill-", "a fridge, TV, phone, book or carton filling the whole image"),
        ("frame-as-product", "a picture frame or mirror sold as the product, centred"),
        ("several-products", "two to four products side by side"),
        ("padded-product", "white padding, or padding in the background colour: not a frame"),
    ),
    ("rooms", "none", "scenes"): (
        ("room", "a lifestyle room: wall, floor or table, window and curtain, furniture, "
         "products standing across the floor line, lamp light"),
        ("cut-product", "one product so close that the image edges cut it"),
    ),
    ("real photo", "none", "pool_content"): (
        ("pool-rect-plain", "an untouched real photo of a rectangular product (mirror, door, "
         "wardrobe, TV, laptop...), drawn 3x as often as others"),
        ("pool-plain", "an untouched real photo from the real-photo pool's train split "
         "(packshots, web photos, rooms), whole or a zoomed crop"),
    ),
}  # fmt: skip
FAMILIES: tuple[tuple[str, str, str, str, str], ...] = tuple(
    (prefix, source, frame, module, text)
    for (source, frame, module), kinds in KINDS.items()
    for prefix, text in kinds
)
"""One row per kind: (kind prefix, content source, frame family, module, what it is)."""


def family(kind: str) -> str:
    """The taxonomy row a generated kind belongs to (``rect-phone`` -> ``rect-``)."""
    for prefix, *_ in FAMILIES:
        if kind == prefix or (prefix.endswith("-") and kind.startswith(prefix)):
            return prefix
    raise KeyError(f"kind {kind!r} is not in the taxonomy")


def measure(
    seed: int, count: int, photo_dir: Path | None, pool_dir: Path | None = None
) -> Counter[str]:
    """How many of ``count`` samples fall in each taxonomy row."""
    return Counter(
        family(make_sample(seed, i, photo_dir, pool_dir=pool_dir).label.kind) for i in range(count)
    )


def write_taxonomy(
    path: Path, counts: Counter[str], seed: int, samples: int, with_pool: bool
) -> Path:
    """``docs/TAXONOMY.md``: one row per kind, with its share of ``samples``."""
    total = max(sum(counts.values()), 1)
    pool = "with" if with_pool else "without"
    lines = [
        "# The generator's taxonomy",
        "",
        "Written by `framedetect taxonomy`: every kind of thumbnail the generator draws, by",
        "content source (studio shots, rooms, real photos of the pool) and frame family, the",
        f"module that draws it, and its share of {samples:,} samples (seed {seed}, {pool} the",
        "real-photo pool). Half the thumbnails are framed. Half come from the pool's train",
        "split when it is there; of the rest, 16 % are rooms or products cut by the edge and",
        "the others studio shots: 60 % in a band or inset frame (or none), 40 % drawn by the",
        "recipes of strips, styled frames and look-alikes. This is what 6.0.0 trained on;",
        "earlier models' data is drawn by the commits their release records name",
        "(`framedetect regenerate VERSION`). `framedetect contact-sheet --per-kind 4",
        "sheet.png` shows four samples of every kind.",
        "",
        "| kind | framed | content | frame family | drawn by | what it is | share |",
        "|---|---|---|---|---|---|---|",
    ]
    for prefix, source, frame, module, text in FAMILIES:
        lines.append(
            f"| `{prefix}{'*' if prefix.endswith('-') else ''}` | "
            f"{'no' if frame == 'none' else 'yes'} | {source} | {frame} | {module} | {text} | "
            f"{100 * counts[prefix] / total:.1f} % |"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path
