"""The generator's taxonomy: every scene kind, what it is, and how often it is drawn.

``framedetect taxonomy`` measures the proportions on generated samples and writes
``docs/TAXONOMY.md``; ``framedetect contact-sheet --per-kind N`` shows each kind.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .dataset import make_sample

FAMILIES: tuple[tuple[str, str, bool, str], ...] = (
    # (kind prefix, what it is, framed, generator that added it)
    ("band-solid", "band at the image edge, one flat colour, on any subset of sides", True, "1"),
    ("band-gradient", "band at the edge, a colour gradient", True, "1"),
    ("band-pattern", "band at the edge, stripes, checks or dots", True, "1"),
    ("band-noise", "band at the edge, a noisy texture", True, "1"),
    ("band-photo", "band at the edge cut from a photo or a scene", True, "1"),
    ("band-shadow", "band on all sides casting a soft drop shadow on the picture", True, "2"),
    ("band-double", "double frame: a band plus a thin line just inside it", True, "2"),
    ("inset-solid", "inset line with a white margin outside (the seed's green frame)", True, "1"),
    ("inset-gradient", "inset line, gradient", True, "1"),
    ("inset-pattern", "inset line, patterned", True, "1"),
    ("inset-noise", "inset line, textured (the seed's one-sided textured strip)", True, "1"),
    ("inset-rounded", "inset line with rounded corners", True, "2"),
    ("inset-dashed", "dashed inset line", True, "2"),
    ("inset-dotted", "dotted inset line", True, "2"),
    ("inset-double", "two inset lines", True, "2"),
    ("strip-text", "one-sided strip or vertical banner with promo text", True, "2"),
    ("promo-strips", "header and/or footer promo strip with text (price, SALE, shop)", True, "2"),
    ("letterbox", "black or coloured letterbox (or pillarbox) bars", True, "2"),
    ("room-in-", "a lifestyle room scene (see `room`) inside a band or inset frame", True, "4"),
    ("pool-in-", "a real photo of the pool (see `pool-plain`), cropped to fill, inside a "
     "band or inset frame of the kinds above", True, "6"),
    ("pool-framed-", "a real photo of the pool framed by one of the 12 families of "
     "`framedetect real-set` (thin edge outline, one, two or three sides, photo-textured "
     "band, text strips...), drawn around or over it", True, "6"),
    ("product", "one or more products on white, sometimes cut by the edge", False, "1"),
    ("colour-background", "products on a coloured or gradient studio background", False, "1"),
    ("full-bleed", "a full-bleed lifestyle scene", False, "1"),
    ("photo", "a real product photo, fitted or cropped to fill", False, "1"),
    ("rect-", "rectangular product filling 60-100 %: phone, tablet, monitor, fridge, "
     "book, box in perspective", False, "1"),
    ("fill-", "a fridge, TV, phone, book or carton filling the whole image", False, "2"),
    ("frame-as-product", "a picture frame or mirror sold as the product, centred", False, "2"),
    ("several-products", "two to four products side by side", False, "2"),
    ("padded-product", "white padding, or padding in the background colour: not a frame",
     False, "2"),
    ("room", "a lifestyle room: wall, floor or table, window and curtain, furniture, "
     "products standing across the floor line, lamp light", False, "4"),
    ("cut-product", "one product so close that the image edges cut it", False, "4"),
    ("pool-rect-plain", "an untouched real photo of a rectangular product (mirror, door, "
     "wardrobe, TV, laptop...), drawn 3x as often as others", False, "6"),
    ("pool-plain", "an untouched real photo from the real-photo pool's train split "
     "(packshots, web photos, rooms), whole or a zoomed crop", False, "6"),
)  # fmt: skip


def family(kind: str) -> str:
    """The taxonomy row a generated kind belongs to (``rect-phone`` -> ``rect-``)."""
    for prefix, *_ in FAMILIES:
        if kind == prefix or (prefix.endswith("-") and kind.startswith(prefix)):
            return prefix
    raise KeyError(f"kind {kind!r} is not in the taxonomy")


def measure(
    seed: int, count: int, photo_dir: Path | None, generator: int, pool_dir: Path | None = None
) -> Counter[str]:
    """How many of ``count`` samples fall in each taxonomy row."""
    return Counter(
        family(make_sample(seed, i, photo_dir, generator=generator, pool_dir=pool_dir).label.kind)
        for i in range(count)
    )


def write_taxonomy(path: Path, counts: dict[int, Counter[str]], seed: int, samples: int) -> Path:
    """``docs/TAXONOMY.md``: one row per kind, with its share under each generator."""
    generators = sorted(counts)
    header = " | ".join(f"generator {g}" for g in generators)
    lines = [
        "# The generator's taxonomy",
        "",
        "Written by `framedetect taxonomy`: the share of each kind among",
        f"{samples:,} samples (seed {seed}) of each generator. Half the thumbnails are framed.",
        "Generator 2 keeps every generator-1 recipe (60 % of draws) and adds the kinds marked",
        "2. Generator 3 draws the same kinds as generator 2 with real photos cut out of their",
        "white backgrounds (only cut-outs go on coloured canvases), so its shares differ from",
        "generator 2's only by chance; models 3.0.0 and 4.0.0 trained on it. Generator 4",
        "draws the kinds marked 4 (lifestyle rooms, bare or framed, and products cut by the",
        "image edge) in 16 % of thumbnails and generator 3 otherwise. Generator 5 is",
        "generator 4 with its photo crops (photo-textured bands, pictures between letterbox",
        "bars) cut from the product rather than its white background, so it draws the same",
        "kinds as generator 4; the shipped model, 5.0.0, trained on it. Generator 6 draws",
        "half its thumbnails from the real-photo pool's train split (the kinds marked 6:",
        "half plain, half framed) and generator 5 the rest; the 6.0.0 candidate trained on it.",
        "`framedetect contact-sheet --generator 6 --per-kind 4 sheet.png` shows four samples",
        "of every kind.",
        "",
        f"| kind | framed | what it is | added in | {header} |",
        "|---|---|---|---|" + "---|" * len(generators),
    ]
    for prefix, text, framed, added in FAMILIES:
        shares = " | ".join(
            f"{100 * counts[g][prefix] / max(sum(counts[g].values()), 1):.1f} %" for g in generators
        )
        lines.append(
            f"| `{prefix}{'*' if prefix.endswith('-') else ''}` | {'yes' if framed else 'no'} | "
            f"{text} | {added} | {shares} |"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path
