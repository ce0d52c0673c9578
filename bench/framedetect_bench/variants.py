"""Which (precision, provider, batch) variants this install can run."""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def name(self) -> str:
        """E.g. ``int8/cpu/b1``, or ``int8/cpu/b1/t2`` with an explicit thread count."""
        base = f"{self.precision}/{self.provider.value}/b{self.batch}"
        return base if self.threads is None else f"{base}/t{self.threads}"


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
