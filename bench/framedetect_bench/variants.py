"""Which (precision, provider, batch) variants this install can run."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from framedetect import Provider, bundled_models
from framedetect._session import CUDA, import_onnxruntime

BATCH_SIZES = (1, 8, 32)
PRECISIONS = ("fp32", "int8", "fp16")
DEFAULT_PRECISIONS = {Provider.CPU: ("fp32", "int8"), Provider.CUDA: ("fp32", "fp16", "int8")}
"""fp16 is a CUDA precision: onnxruntime's CPU kernels mostly lack it. Ask for it explicitly."""


@dataclass(frozen=True)
class Variant:
    """One benchmarked configuration of the ONNX model."""

    precision: str
    provider: Provider
    batch: int
    threads: int | None = None
    model: Path | None = None
    """A user's ``.onnx`` file instead of the bundled model."""

    @property
    def name(self) -> str:
        """E.g. ``int8/cpu/b1``, ``int8/cpu/b1/t2`` with an explicit thread count, or
        ``custom:mymodel/int8/cpu/b1`` for a user's file (its precision from its metadata)."""
        base = f"{self.precision}/{self.provider.value}/b{self.batch}"
        if self.model is not None:
            base = f"custom:{self.model.stem}/{base}"
        return base if self.threads is None else f"{base}/t{self.threads}"


def for_model_file(variants: list[Variant], model: Path, precision: str) -> list[Variant]:
    """The same cells for a user's model file, one precision: the file's own."""
    seen: set[tuple[Provider, int, int | None]] = set()
    chosen = []
    for variant in variants:
        key = (variant.provider, variant.batch, variant.threads)
        if key not in seen:
            seen.add(key)
            chosen.append(replace(variant, precision=precision, model=model))
    return chosen


def available_providers() -> list[Provider]:
    """CPU always; CUDA when this onnxruntime build offers it."""
    providers = [Provider.CPU]
    if CUDA in import_onnxruntime().get_available_providers():
        providers.append(Provider.CUDA)
    return providers


def select_variants(
    precisions: list[str] | None,
    providers: list[Provider] | None,
    batches: list[int],
    threads: list[int | None] | None = None,
) -> list[Variant]:
    """Every available combination, restricted to what was asked for."""
    shipped = {info.precision for info in bundled_models()}
    chosen_providers = providers or available_providers()
    variants = []
    for provider in chosen_providers:
        wanted = precisions or list(DEFAULT_PRECISIONS[provider])
        for precision in wanted:
            if precision not in shipped:
                continue
            variants += [
                Variant(precision, provider, batch, count)
                for count in threads or [None]
                for batch in batches
            ]
    return variants
