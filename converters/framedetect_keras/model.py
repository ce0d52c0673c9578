"""Build the Keras CNN from a :class:`ModelConfig`."""

from __future__ import annotations

import keras

from .config import ModelConfig

INPUT_NAME = "image"
OUTPUT_NAME = "score"
SIDES_NAME = "sides"
INSETS_NAME = "insets"


def build_model(config: ModelConfig) -> keras.Model:
    """Conv-pool blocks, a small dense layer with dropout, and one sigmoid frame score.

    With ``stem_stride=2`` the first convolution strides by 2 instead of being pooled.

    A localising config adds two heads: ``sides`` (P(frame) per side: top, right,
    bottom, left) and ``insets`` (how deep the frame reaches in from each side, as a
    share of the image's height or width). The graph holds no augmentation layers, so
    it exports cleanly to ONNX.
    """
    inputs = keras.Input((config.input_size, config.input_size, 3), name=INPUT_NAME)
    x = inputs
    for index, filters in enumerate(config.conv_filters):
        stride = config.stem_stride if index == 0 else 1
        x = keras.layers.Conv2D(
            filters, config.kernel_size, strides=stride, padding="same", activation="relu"
        )(x)
        if stride == 1:
            x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(config.dense_units, activation="relu")(x)
    x = keras.layers.Dropout(config.dropout)(x)
    score = keras.layers.Dense(1, activation="sigmoid", name=OUTPUT_NAME)(x)
    if not config.localise:
        return keras.Model(inputs, score, name=config.run_name)
    sides = keras.layers.Dense(4, activation="sigmoid", name=SIDES_NAME)(x)
    insets = keras.layers.Dense(4, activation="sigmoid", name=INSETS_NAME)(x)
    return keras.Model(inputs, [score, sides, insets], name=config.run_name)


def compile_model(model: keras.Model, config: ModelConfig, total_steps: int = 1) -> None:
    """Binary cross-entropy on the scores, mean absolute error on the insets.

    ``total_steps`` (batches times epochs) is the length of a cosine schedule.
    """
    optimizer = build_optimizer(config, total_steps)
    if not config.localise:
        model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
        return
    model.compile(
        optimizer=optimizer,
        loss=["binary_crossentropy", "binary_crossentropy", "mean_absolute_error"],
        loss_weights=[1.0, 0.5, 5.0],
        metrics=[["accuracy"], [], []],
    )


def build_optimizer(config: ModelConfig, total_steps: int = 1) -> keras.optimizers.Optimizer:
    """SGD (with momentum) or Adam, on :func:`learning_rate_schedule`."""
    schedule = learning_rate_schedule(config, total_steps)
    if config.optimizer == "adam":
        return keras.optimizers.Adam(learning_rate=schedule)
    return keras.optimizers.SGD(learning_rate=schedule, momentum=config.momentum)


def learning_rate_schedule(
    config: ModelConfig, total_steps: int = 1
) -> keras.optimizers.schedules.LearningRateSchedule:
    """``lr / (1 + decay * step)`` (the old Keras ``decay``), or for a cosine schedule a
    half cosine from ``lr`` down to 1 % of it over ``total_steps``."""
    if config.schedule == "cosine":
        return keras.optimizers.schedules.CosineDecay(
            config.learning_rate, decay_steps=max(total_steps, 1), alpha=0.01
        )
    return keras.optimizers.schedules.InverseTimeDecay(
        config.learning_rate, decay_steps=1, decay_rate=config.decay
    )
