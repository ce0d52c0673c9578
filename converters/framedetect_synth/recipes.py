"""The studio recipes beyond a band or inset frame: which family draws, and how often.

Framed: :mod:`.strips` (text strips, promo strips, letterbox bars) and
:mod:`.styled_frames` (styled insets, shadowed and double bands). Unframed:
:mod:`.lookalikes`. :func:`~.compose.compose` draws one of them for
``1 - BAND_INSET_SHARE`` of its studio thumbnails.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from .labels import ThumbnailLabel
from .lookalikes import filling_appliance, framed_product, padded_product, several_products
from .photos import PhotoLibrary
from .strips import letterbox, promo_strips, text_strip
from .styled_frames import shadowed_band, styled_inset
from .textures import Rng

Recipe = Callable[[Rng, int, int, PhotoLibrary], tuple[Image.Image, ThumbnailLabel]]
FRAMED_RECIPES: dict[str, tuple[Recipe, float]] = {
    "strip-text": (text_strip, 0.25),
    "promo-strips": (promo_strips, 0.2),
    "letterbox": (letterbox, 0.15),
    "styled-inset": (styled_inset, 0.25),
    "shadowed-band": (shadowed_band, 0.15),
}
UNFRAMED_RECIPES: dict[str, tuple[Recipe, float]] = {
    "frame-as-product": (framed_product, 0.35),
    "filling-appliance": (filling_appliance, 0.25),
    "several-products": (several_products, 0.2),
    "padded-product": (padded_product, 0.2),
}


def pick_recipe(rng: Rng, framed: bool) -> Recipe:
    """One studio recipe, framed or not, by its weight."""
    table = FRAMED_RECIPES if framed else UNFRAMED_RECIPES
    names = list(table)
    weights = np.asarray([table[name][1] for name in names])
    return table[names[int(rng.choice(len(names), p=weights / weights.sum()))]][0]
