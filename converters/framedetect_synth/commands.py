"""The data commands: generate, real-set, contact-sheet, taxonomy, regenerate (numpy + Pillow).

Registered as the ``framedetect.commands.data`` entry points. Every command draws what
the tree's generator draws: the shipped model's data comes from the commit its manifest
names (``framedetect regenerate`` draws it again).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from framedetect._cli_shared import claim_folder, fail, progress

from .contact_sheet import contact_sheet as draw
from .dataset import write_folder
from .photos import default_photo_dir
from .real_pool import SPLITS, default_pool_dir, read_pool
from .real_set import write_real_set
from .regenerate import DIGEST_IMAGES, RegenerateError
from .regenerate import regenerate as draw_release
from .taxonomy import measure, write_taxonomy


def generate(
    out: Annotated[
        Path, typer.Argument(help="Folder to write images/ and labels.csv into.", metavar="OUT")
    ],
    count: Annotated[int, typer.Option(min=1, help="How many thumbnails.")] = 16,
    seed: Annotated[int, typer.Option(help="Data-set seed; the same seed gives the same set.")] = 7,
    photos: Annotated[
        bool,
        typer.Option(
            help="Compose real photos from ../shared when the folders exist (real-products "
            "and real-pool)."
        ),
    ] = True,
    jpeg_only: Annotated[bool, typer.Option(help="Encode every image as JPEG.")] = False,
    overwrite: Annotated[
        bool, typer.Option(help="Delete OUT's images/ and labels.csv first.")
    ] = False,
    append: Annotated[
        bool,
        typer.Option(help="Add to OUT: new rows after its labels.csv, the seed's next samples."),
    ] = False,
) -> None:
    """Write generated thumbnails (framed and not) with their labels.

    A folder that is not empty is refused unless --overwrite or --append says what to do
    with what is there, so that labels.csv always lists exactly the images beside it.
    """
    if overwrite and append:
        fail("choose --overwrite or --append, not both")
    claim_folder(out, overwrite, append)
    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    try:
        labels = write_folder(out, seed, count, photo_dir, jpeg_only, append, pool_dir=pool_dir)
    except ValueError as error:
        fail(str(error))
    typer.echo(f"wrote {count} thumbnails and {labels}")


def real_set(
    out: Annotated[
        Path, typer.Argument(help="Folder to write images/ and labels.csv into.", metavar="OUT")
    ],
    split: Annotated[
        list[str] | None,
        typer.Option(
            help="Pool splits to use: test, validation, train, cross-source; repeat for "
            "several (default: test and cross-source, which training never composes).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Use about this many photos, spread evenly.")
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of the frames drawn (the shipped models' sets: 20261201).")
    ] = 20261201,
    pool: Annotated[
        Path | None,
        typer.Option(
            help="The real-photo pool (default: ../shared/data/real-pool).", show_default=False
        ),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace OUT's images/ and labels.csv.")] = False,
) -> None:
    """Write a labelled set of real photos: each one plain, and once framed.

    Frames of every family (bands, thin edge outlines, inset lines, one to three sides,
    promo strips, letterbox bars) are drawn around or over held-out photos of the pool;
    'framedetect eval OUT' then reports accuracy by family and by source.
    """
    splits = tuple(split or ("test", "cross-source"))
    unknown = [name for name in splits if name not in SPLITS]
    if unknown:
        fail(f"unknown split {', '.join(unknown)}; expected {', '.join(SPLITS)}")
    folder = pool or default_pool_dir()
    if folder is None or not folder.is_dir():
        fail("no real-photo pool: pass --pool or set FRAMEDETECT_REAL_POOL")
    claim_folder(out, overwrite)
    try:
        photos = read_pool(folder, splits)
        labels = write_real_set(out, photos, seed, limit)
    except ValueError as error:
        fail(str(error))
    used = min(len(photos), limit or len(photos))
    typer.echo(f"wrote {2 * used} images ({used} photos, plain and framed) and {labels}")


def contact_sheet(
    out: Annotated[Path, typer.Argument(help="PNG file to write.", metavar="OUT.png")],
    count: Annotated[int, typer.Option(min=1, help="How many samples.")] = 48,
    seed: Annotated[int, typer.Option(help="Data-set seed.")] = 1,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
    per_kind: Annotated[
        int, typer.Option(min=0, help="Show this many samples of every kind, a row each.")
    ] = 0,
) -> None:
    """Draw generated samples with their labels into one PNG, to look at."""
    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    with progress(None if per_kind else count, "generating samples") as advance:
        path = draw(
            out,
            seed,
            count,
            photo_dir=photo_dir,
            per_kind=per_kind,
            on_sample=advance,
            pool_dir=pool_dir,
        )
    typer.echo(f"wrote {path}")


def taxonomy(
    out: Annotated[Path, typer.Argument(help="Markdown file to write.", metavar="OUT.md")] = Path(
        "docs/TAXONOMY.md"
    ),
    count: Annotated[int, typer.Option(min=100, help="Samples to measure.")] = 3000,
    seed: Annotated[int, typer.Option(help="Data-set seed.")] = 20261170,
    photos: Annotated[bool, typer.Option(help="Compose real photos when present.")] = True,
) -> None:
    """Measure how often each kind of scene is drawn and write the table."""
    photo_dir = default_photo_dir() if photos else None
    pool_dir = default_pool_dir() if photos else None
    counts = measure(seed, count, photo_dir, pool_dir)
    typer.echo(f"wrote {write_taxonomy(out, counts, seed, count, pool_dir is not None)}")


def regenerate(
    version: Annotated[str, typer.Argument(help="A released model version, e.g. 5.0.0.")],
    out: Annotated[
        Path, typer.Argument(help="Folder to write images/ and labels.csv into.", metavar="OUT")
    ],
    count: Annotated[
        int, typer.Option(min=1, help="How many of its training images (the record covers 1000).")
    ] = DIGEST_IMAGES,
    seed: Annotated[
        int | None,
        typer.Option(
            help="Another data set of that tree (the release's test set: its seed + 2).",
            show_default=False,
        ),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace OUT's images/ and labels.csv.")] = False,
) -> None:
    """Draw a released model's training images again, from the commit that drew them.

    The commit's sdk/ and converters/ come out of git history into a scratch folder and
    its own generator writes OUT; the digest is checked against the release record.
    Needs a git checkout and the real photos the release composed (../shared/data).
    """
    claim_folder(out, overwrite)
    try:
        drawn = draw_release(version, out, count, seed)
    except RegenerateError as error:
        fail(str(error))
    typer.echo(f"{version}: {count} images drawn by {drawn.commit[:12]} into {out}")
    typer.echo(f"digest {drawn.digest}")
    if drawn.matches is None:
        typer.echo("no recorded digest to compare with (it covers the first 1000 training images)")
    elif drawn.matches:
        typer.echo("matches the release record: the same bytes")
    else:
        fail(f"differs from the release record ({drawn.expected})", code=1)
