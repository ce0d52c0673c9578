"""Model configurations and the reference's run-naming scheme (no TensorFlow here)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ModelConfig:
    """One CNN configuration, as in the reference write-up."""

    input_size: int = 128
    conv_filters: tuple[int, ...] = (32, 32, 32, 32)
    kernel_size: int = 3
    dense_units: int = 16
    dropout: float = 0.5
    optimizer: str = "sgd"
    learning_rate: float = 0.01
    decay: float = 5e-5
    momentum: float = 0.9
    localise: bool = False
    stem_stride: int = 1  # 2: the first conv strides instead of pooling
    schedule: str = "inverse-time"  # or "cosine": from learning_rate down to 1 % of it

    def __post_init__(self) -> None:
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule {self.schedule!r}: choose from {SCHEDULES}")
        if self.stem_stride not in (1, 2):
            raise ValueError(f"stem_stride {self.stem_stride!r}: choose 1 or 2")

    @property
    def run_name(self) -> str:
        """E.g. ``128_32-32-32-32_conv3_fc16_sgd_lr_0_01_decay_0_00005``; ``_loc`` localises.

        A strided first layer is written ``16s2``.
        """
        first, *rest = (str(f) for f in self.conv_filters)
        stem = first if self.stem_stride == 1 else f"{first}s{self.stem_stride}"
        filters = "-".join([stem, *rest])
        schedule = "cosine" if self.schedule == "cosine" else f"decay_{_number(self.decay)}"
        return (
            f"{self.input_size}_{filters}_conv{self.kernel_size}_fc{self.dense_units}"
            f"_{self.optimizer}_lr_{_number(self.learning_rate)}_{schedule}"
            + ("_loc" if self.localise else "")
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly copy, with the run name."""
        return {**asdict(self), "conv_filters": list(self.conv_filters), "run_name": self.run_name}


SCHEDULES = ("inverse-time", "cosine")


def _number(value: float) -> str:
    return f"{value:.10f}".rstrip("0").rstrip(".").replace(".", "_")


MODEL_VERSION = "6.0.0"
"""The version ``LOCALISER`` ships as."""

REFERENCE = ModelConfig()
"""The reference's best configuration: 96.4 % validation accuracy in the write-up."""

REFERENCE_RUNS = (
    REFERENCE,
    ModelConfig(conv_filters=(16, 16, 16, 16)),
    ModelConfig(conv_filters=(16, 16, 16, 16), kernel_size=7, learning_rate=0.03),
)
"""The three configurations the write-up reports (train / val accuracy in CONTEXT.md)."""

LOCALISER = ModelConfig(
    conv_filters=(16, 32, 48, 64, 96),
    dense_units=64,
    dropout=0.3,
    optimizer="adam",
    learning_rate=0.001,
    decay=0.0,
    localise=True,
    stem_stride=2,
    schedule="cosine",
)
"""Ours: a frame score, a score per side and the frame's depth per side (201k weights).

Model 2.0.0 was ``24-32-48-64-64`` with inverse-time decay; 16 first-layer filters run
in two thirds of the time (onnxruntime's blocked convolutions waste a third of a
24-channel layer), and the cycles saved bought 96 filters at the 8x8 layer (3.0.0).
4.0.0 strides its first layer instead of pooling after it: onnxruntime's INT8
convolution over 3 input channels cost 3x the fp32 one at 128x128, and at 64x64 it
costs a quarter of that (INT8 went from 1.3x to about 2x the fp32 speed). 5.0.0 and
6.0.0 are the same network, trained on 40,000 images for 30 epochs, best epoch chosen
on 5,000 validation images; 6.0.0's data draws half its thumbnails from real photos.
"""
