"""Build the Keras CNN from a :class:`ModelConfig`."""

from __future__ import annotations

import keras

from .config import ModelConfig

INPUT_NAME = "image"
OUTPUT_NAME = "score"


def build_model(config: ModelConfig) -> keras.Model:
    """Conv-pool blocks, a small dense layer with dropout, and one sigmoid frame score.

    The graph holds no augmentation layers, so it exports cleanly to ONNX.
    """
    inputs = keras.Input((config.input_size, config.input_size, 3), name=INPUT_NAME)
    x = inputs
    for filters in config.conv_filters:
        x = keras.layers.Conv2D(filters, config.kernel_size, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(config.dense_units, activation="relu")(x)
    x = keras.layers.Dropout(config.dropout)(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name=OUTPUT_NAME)(x)
    return keras.Model(inputs, outputs, name=config.run_name)


def build_optimizer(config: ModelConfig) -> keras.optimizers.Optimizer:
    """SGD whose rate falls as ``lr / (1 + decay * step)``, the old Keras ``decay``."""
    schedule = keras.optimizers.schedules.InverseTimeDecay(
        config.learning_rate, decay_steps=1, decay_rate=config.decay
    )
    return keras.optimizers.SGD(learning_rate=schedule, momentum=config.momentum)
