"""The diagram's arithmetic, without Qt: how big each tensor's box is drawn, and the texts beside it.

* :func:`box_size` -- a ``channels × H × W`` tensor's drawn ``(depth, height, width)``;
* :func:`conv_lines`, :func:`marker_text` -- a Conv2d's arguments and a marker's label, in the
  language of the ``translate`` function given (English when none is);
* the oblique projection (:data:`OBLIQUE_X`, :data:`OBLIQUE_Y`) and the spacing of the strip.

Pure Python (no Qt), so it can be tested and reused without a display; the view
(:mod:`convdesigner.ui.diagram.view`) passes Qt's translate function.
"""

from __future__ import annotations

import math

from convdesigner.design import (
    Analysis,
    Conv2d,
    Design,
    Layer,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
)
from convdesigner.design.i18n import Translate
from convdesigner.design.layers import POOL_TYPES, Dropout, Linear

# -- sizes ----------------------------------------------------------------------------------------
#: Oblique projection: a unit of receding width is drawn this far right and this far up.
OBLIQUE_X = 0.62
OBLIQUE_Y = 0.50

MARGIN = 14.0
PAD = 12.0          # space around a box inside its slot
LANE = 30.0         # the column between two blocks that holds a "+"
MIN_GAP = 70.0      # the room a Conv2d's projection lines get at least
MARKER_W = 8.0      # a marker's bar
PLUS_R = 10.0       # a "+" button's radius


def _english(context: str, text: str) -> str:
    return text


def box_size(shape: tuple[int, ...]) -> tuple[float, float, float]:
    """Drawn ``(depth, height, width)`` of a ``channels × H × W`` tensor, in scene units.

    Each is ``a + b·log2(n)``: strictly increasing in ``n`` and readable from 1 to thousands.
    Depth (channels) runs left to right, height up, width recedes obliquely. A vector of ``n``
    values (after Flatten) is a thin column ``n`` tall, as textbooks draw fully connected layers.
    """
    if len(shape) == 1:
        return (6.0, 20.0 + 9.0 * math.log2(max(int(shape[0]), 1)), 4.0)
    channels, height, width = (max(int(v), 1) for v in shape)
    return (4.0 + 5.0 * math.log2(channels),
            20.0 + 13.0 * math.log2(height),
            10.0 + 8.0 * math.log2(width))


def _pair_text(pair: int | str | tuple[int, int]) -> str:
    if isinstance(pair, str):
        return pair
    if isinstance(pair, int):
        return str(pair)
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"


def conv_lines(layer: Conv2d, translate: Translate = _english) -> list[str]:
    """The arguments shown beside a Conv2d: ``["4×4, stride 2, pad 1"]`` (+ ``"groups=4 · dil 2"``)."""
    kernel = "×".join(str(k) for k in layer.kernel_size)
    lines = [translate("diagram", "{kernel}, stride {stride}, pad {padding}").format(
        kernel=kernel, stride=_pair_text(layer.stride), padding=_pair_text(layer.padding))]
    extras = []
    if layer.groups != 1:
        extras.append(translate("diagram", "groups={groups}").format(groups=layer.groups))
    if layer.dilation != (1, 1):
        extras.append(translate("diagram", "dil {dilation}").format(
            dilation=_pair_text(layer.dilation)))
    if extras:
        lines.append(" · ".join(extras))
    return lines


def linear_lines(layer: Linear, translate: Translate = _english) -> list[str]:
    """The arguments shown beside a Linear: ``["6,272 → 10"]``."""
    return [translate("diagram", "{inputs} → {outputs}").format(
        inputs=f"{layer.in_features:,}", outputs=f"{layer.out_features:,}")]


def marker_text(layer: Layer, translate: Translate = _english) -> str:
    """The label of an activation or pooling marker: ``"LeakyReLU 0.2"``, ``"MaxPool 2"``."""
    if isinstance(layer, Dropout):
        return translate("diagram", "Dropout {p}").format(p=f"{layer.p:g}")
    if isinstance(layer, LeakyReLU):
        return translate("diagram", "LeakyReLU {slope}").format(slope=f"{layer.negative_slope:g}")
    if isinstance(layer, (ReLU, Sigmoid, Tanh)):
        return layer.kind
    if isinstance(layer, POOL_TYPES):
        name = (translate("diagram", "MaxPool") if isinstance(layer, MaxPool2d)
                else translate("diagram", "AvgPool"))
        text = translate("diagram", "{name} {kernel}").format(
            name=name, kernel=_pair_text(layer.kernel_pair()))
        if layer.stride_pair() != layer.kernel_pair():
            text += translate("diagram", ", stride {stride}").format(
                stride=_pair_text(layer.stride_pair()))
        if layer.padding_pair() != (0, 0):
            text += translate("diagram", ", pad {padding}").format(
                padding=_pair_text(layer.padding_pair()))
        return text
    return layer.kind


def layer_input_shape(analysis: Analysis, design: Design, index: int) -> tuple[int, ...] | None:
    """The shape layer ``index`` reads, as far as it is known (None when a layer above collapses it)."""
    info = analysis.layers[index] if 0 <= index < len(analysis.layers) else None
    if info is not None:
        return info.in_shape
    if index == 0:
        return design.input.shape
    before = analysis.layers[index - 1] if index - 1 < len(analysis.layers) else None
    return before.out_shape if before is not None else None


__all__ = [
    "LANE", "MARGIN", "MARKER_W", "MIN_GAP", "OBLIQUE_X", "OBLIQUE_Y", "PAD", "PLUS_R",
    "box_size", "conv_lines", "layer_input_shape", "linear_lines", "marker_text",
]
