"""The layer kinds a user can add, and the new layer of each kind that fits a given position.

Pure (numpy only): the layer stack, the architecture diagram and the document all use it.
"""

from __future__ import annotations

from convdesigner.design.analysis import Analysis
from convdesigner.design.layers import (
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Design,
    Layer,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
    Upsample,
)

#: The kinds the Add / Insert menus offer, in the order a first course meets them.
LAYER_KINDS = ("Conv2d", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "MaxPool2d", "AvgPool2d",
               "ConvTranspose2d", "BatchNorm2d", "Upsample")


def channels_into(design: Design, analysis: Analysis, index: int) -> int | None:
    """The channel count that reaches position ``index`` (what the layer before gives, or the
    input's channels for index 0); None when it is unknown because something above collapsed."""
    if index == 0:
        return design.input.channels if not analysis.problems_of(None) else None
    if 0 < index <= len(analysis.layers):
        info = analysis.layers[index - 1]
        return info.out_shape[0] if info is not None else None
    return None


def guess_channels_into(design: Design, analysis: Analysis, index: int) -> int:
    """:func:`channels_into`, or a sensible guess (the nearest Conv2d above) when that is unknown."""
    known = channels_into(design, analysis, index)
    if known is not None:
        return known
    for layer in reversed(design.layers[:index]):
        if isinstance(layer, (Conv2d, ConvTranspose2d)):
            return layer.out_channels
    return design.input.channels


def default_layer(kind: str, design: Design, analysis: Analysis, index: int) -> Layer:
    """A new layer of ``kind`` for position ``index`` with defaults that fit there: a Conv2d takes
    its in_channels from the layer before it and keeps the channel count and spatial size
    (kernel 3, padding 1); pools halve the size (kernel 2). Raises KeyError for an unknown kind."""
    if kind == "Conv2d":
        channels = max(guess_channels_into(design, analysis, index), 1)
        return Conv2d(channels, channels, kernel_size=3, stride=1, padding=1)
    if kind in ("ConvTranspose2d", "BatchNorm2d", "Upsample"):
        return _default_generator_layer(kind, max(guess_channels_into(design, analysis, index), 1))
    if kind == "LeakyReLU":
        return LeakyReLU()
    if kind == "MaxPool2d":
        return MaxPool2d(kernel_size=2)
    if kind == "AvgPool2d":
        return AvgPool2d(kernel_size=2)
    return {"ReLU": ReLU, "Sigmoid": Sigmoid, "Tanh": Tanh}[kind]()


def _default_generator_layer(kind: str, channels: int) -> Layer:
    """A ConvTranspose2d that doubles the size (kernel 4, stride 2, padding 1: the DCGAN step),
    a BatchNorm2d for the channels there, or an Upsample by 2."""
    if kind == "ConvTranspose2d":
        return ConvTranspose2d(channels, channels, kernel_size=4, stride=2, padding=1)
    if kind == "BatchNorm2d":
        return BatchNorm2d(channels)
    return Upsample(scale_factor=2.0)
