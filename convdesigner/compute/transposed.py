"""How a ``ConvTranspose2d`` output channel is made, two equivalent ways, and one pixel's arithmetic.

Output channel ``o`` of a transposed convolution is, per input channel ``c`` of ``o``'s group, the
map that sub-kernel ``weight[c, o mod (out_channels/groups)]`` makes from input channel ``c``, all
summed, plus ``bias[o]``. That per-channel map can be built two ways, and both are here:

* **scatter** (:func:`scatter_parts`): each input pixel stamps the sub-kernel, scaled by its value,
  onto the output at ``stride`` spacing (``dilation`` between taps); overlapping stamps add up.
  Output pixel ``y`` gets tap ``a`` of input pixel ``i`` when ``y + padding = i·stride + a·dilation``;
  rows past the stamps (``output_padding``) stay 0.
* **gather** (:func:`gather_parts`): an ordinary convolution (stride 1, the layer's dilation) of the
  input with ``stride − 1`` zeros inserted between its pixels, padded by
  ``dilation·(k − 1) − padding`` before and that plus ``output_padding`` after (a negative amount
  crops), with the kernel flipped (rotated 180°).

:func:`explain_transposed_pixel` lists, for one output pixel, every (input pixel, kernel tap) pair
that reaches it, their products and sums, the bias and the total, with PyTorch's own value.

Arithmetic is float64 from the float32 values (products of two float32 are exact in float64); the
maps are rounded to float32 once, at the end. Inputs are never modified; every array returned is
new. Runs on the CPU; call from any thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from convdesigner.design.checkerboard import overlap_counts
from convdesigner.design.layers import ConvTranspose2d
from convdesigner.errors import ConvDesignerError


@dataclass(frozen=True)
class ScatterParts:
    """One output channel of a ConvTranspose2d, built by stamping.

    ``in_channels``: the input channels whose stamps reach ``out_channel`` (its group), in order.
    ``sub_kernels``: float32 ``[n, kH, kW]``, ``weight[c, o_local]`` for each. ``maps``: float32
    ``[n, H_out, W_out]``, each input channel's stamps added up. ``overlap``: int64
    ``[H_out, W_out]``, how many stamps of one input channel land on each output pixel.
    ``output``: float32 ``[H_out, W_out]``, Σ maps + bias (summed in float64, rounded once).
    """

    out_channel: int
    in_channels: tuple[int, ...]
    sub_kernels: np.ndarray
    maps: np.ndarray
    overlap: np.ndarray
    bias: float
    output: np.ndarray


@dataclass(frozen=True)
class GatherParts:
    """The same output channel as an ordinary convolution over a stretched input.

    ``stretched``: float32 ``[n, Hs, Ws]``, each input channel with ``stride − 1`` zeros between
    its pixels and the implied padding (``padding`` ``((top, bottom), (left, right))``; negative
    amounts were cropped). ``real``: bool ``[Hs, Ws]``, True where a cell holds an input pixel
    (the others are inserted zeros or padding). ``flipped``: float32 ``[n, kH, kW]``, each
    sub-kernel rotated by 180°. ``maps`` and ``output`` as in :class:`ScatterParts`.
    """

    out_channel: int
    in_channels: tuple[int, ...]
    stretched: np.ndarray
    real: np.ndarray
    padding: tuple[tuple[int, int], tuple[int, int]]
    flipped: np.ndarray
    maps: np.ndarray
    bias: float
    output: np.ndarray


@dataclass(frozen=True)
class StampTerm:
    """Input pixel ``(row, col)`` of channel ``in_channel`` reaching the explained pixel through
    tap ``(tap_row, tap_col)`` of its sub-kernel: ``value × weight = product`` (product exact)."""

    in_channel: int
    row: int
    col: int
    tap_row: int
    tap_col: int
    value: float
    weight: float
    product: float


@dataclass(frozen=True)
class TransposedPixelExplanation:
    """The arithmetic behind ``output[out_channel, y, x]`` of a ConvTranspose2d.

    ``terms``: every (input pixel, tap) pair that reaches the pixel, by input channel, then row,
    then column. ``sums[c]`` is Σ of channel ``in_channels[c]``'s products (correctly rounded
    float64). ``total`` = Σ sums + bias, correctly rounded to float64; ``value`` is PyTorch's
    float32 result (``F.conv_transpose2d`` of the very same values).
    """

    out_channel: int
    y: int
    x: int
    in_channels: tuple[int, ...]
    terms: tuple[StampTerm, ...]
    sums: tuple[float, ...]
    bias: float
    total: float
    value: float


def _checked(layer: ConvTranspose2d, layer_input: np.ndarray, out_channel: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, range, int]:
    """``(input, weight, bias, group's input channels, out_channel within the group)``."""
    if layer.weight is None or (layer.bias and layer.bias_values is None):
        raise ConvDesignerError("the layer holds no weights yet (materialize the design first)")
    array = np.asarray(layer_input, dtype=np.float32)
    if array.ndim != 3 or array.shape[0] != layer.in_channels:
        raise ConvDesignerError(f"the layer takes {layer.in_channels} input channels, the input has "
                                f"shape {list(array.shape)}")
    if not 0 <= out_channel < layer.out_channels:
        raise ConvDesignerError(f"the layer has {layer.out_channels} output channels (0 to "
                                f"{layer.out_channels - 1}), so there is no channel {out_channel}")
    channels = layer.input_channels_of(out_channel)
    return array, layer.weight, layer.bias_values, channels, out_channel % layer.out_per_group


def _stamp_maps(values: np.ndarray, kernels: np.ndarray, layer: ConvTranspose2d,
                out_shape: tuple[int, int]) -> np.ndarray:
    """Each input channel's stamps added up: ``values`` ``[n, H, W]`` with ``kernels``
    ``[n, kH, kW]`` → float64 ``[n, H_out, W_out]`` (one slice-add per tap, all channels at once)."""
    count, height, width = values.shape
    (s_h, s_w), (d_h, d_w), (p_h, p_w) = layer.stride, layer.dilation, layer.padding
    kernel_h, kernel_w = kernels.shape[1:]
    canvas_h = max((height - 1) * s_h + d_h * (kernel_h - 1) + 1, p_h + out_shape[0])
    canvas_w = max((width - 1) * s_w + d_w * (kernel_w - 1) + 1, p_w + out_shape[1])
    canvas = np.zeros((count, canvas_h, canvas_w), dtype=np.float64)
    source = values.astype(np.float64)
    taps = kernels.astype(np.float64)
    for a in range(kernel_h):
        for b in range(kernel_w):
            canvas[:, a * d_h: a * d_h + (height - 1) * s_h + 1: s_h,
                   b * d_w: b * d_w + (width - 1) * s_w + 1: s_w] += source * taps[:, a, b, None, None]
    return canvas[:, p_h: p_h + out_shape[0], p_w: p_w + out_shape[1]]


def scatter_parts(layer: ConvTranspose2d, layer_input: np.ndarray, out_channel: int) -> ScatterParts:
    """Output channel ``out_channel`` of ``layer(layer_input)`` built by stamping (see the module
    docstring). ``layer`` must hold its parameters; ``layer_input`` is ``[in_channels, H, W]``."""
    array, weight, bias_values, channels, local = _checked(layer, layer_input, out_channel)
    _, height, width = array.shape
    out_shape = layer.output_size(height, width)
    sub_kernels = weight[channels.start:channels.stop, local]
    maps64 = _stamp_maps(array[channels.start:channels.stop], sub_kernels, layer, out_shape)
    bias = float(bias_values[out_channel]) if bias_values is not None else 0.0
    output = (maps64.sum(axis=0) + bias).astype(np.float32)
    return ScatterParts(out_channel, tuple(channels), np.array(sub_kernels),
                        maps64.astype(np.float32), overlap_counts(layer, height, width), bias, output)


def implied_padding(layer: ConvTranspose2d) -> tuple[tuple[int, int], tuple[int, int]]:
    """``((top, bottom), (left, right))`` of the gather view: ``dilation·(k − 1) − padding`` before
    and the same plus ``output_padding`` after (negative: that many cells are cropped)."""
    amounts = []
    for k, d, p, op in zip(layer.kernel_size, layer.dilation, layer.padding, layer.output_padding,
                           strict=True):
        before = d * (k - 1) - p
        amounts.append((before, before + op))
    return (amounts[0], amounts[1])


def _stretch(size: int, stride: int, before: int, after: int) -> tuple[np.ndarray, np.ndarray]:
    """Source index per stretched cell along one axis (−1: an inserted zero or padding)."""
    spread = np.full((size - 1) * stride + 1, -1, dtype=np.int64)
    spread[::stride] = np.arange(size)
    padded = np.concatenate([np.full(max(before, 0), -1, dtype=np.int64), spread,
                             np.full(max(after, 0), -1, dtype=np.int64)])
    start = max(-before, 0)
    stop = len(padded) - max(-after, 0)
    return padded[start:stop], spread


def gather_parts(layer: ConvTranspose2d, layer_input: np.ndarray, out_channel: int) -> GatherParts:
    """Output channel ``out_channel`` of ``layer(layer_input)`` as an ordinary convolution of the
    stretched input with the flipped sub-kernels (see the module docstring)."""
    array, weight, bias_values, channels, local = _checked(layer, layer_input, out_channel)
    _, height, width = array.shape
    out_h, out_w = layer.output_size(height, width)
    (top, bottom), (left, right) = padding = implied_padding(layer)
    rows, _ = _stretch(height, layer.stride[0], top, bottom)
    cols, _ = _stretch(width, layer.stride[1], left, right)
    real = (rows >= 0)[:, None] & (cols >= 0)[None, :]
    group = array[channels.start:channels.stop]
    stretched = group[:, np.maximum(rows, 0)[:, None], np.maximum(cols, 0)[None, :]]
    stretched[:, ~real] = 0.0
    flipped = np.array(weight[channels.start:channels.stop, local, ::-1, ::-1])
    d_h, d_w = layer.dilation
    maps64 = np.zeros((len(channels), out_h, out_w), dtype=np.float64)
    source = stretched.astype(np.float64)
    for a in range(flipped.shape[1]):
        for b in range(flipped.shape[2]):
            maps64 += (source[:, a * d_h: a * d_h + out_h, b * d_w: b * d_w + out_w]
                       * flipped[:, a, b].astype(np.float64)[:, None, None])
    bias = float(bias_values[out_channel]) if bias_values is not None else 0.0
    output = (maps64.sum(axis=0) + bias).astype(np.float32)
    return GatherParts(out_channel, tuple(channels), stretched, real, padding, flipped,
                       maps64.astype(np.float32), bias, output)


def explain_transposed_pixel(layer: ConvTranspose2d, layer_input: np.ndarray, out_channel: int,
                             y: int, x: int) -> TransposedPixelExplanation:
    """Every stamp that reaches ``layer(layer_input)[out_channel, y, x]``, and the sum.

    Raises :class:`ConvDesignerError` for an input that does not fit, a layer without weights, or
    a channel or pixel out of range.
    """
    array, weight, bias_values, channels, local = _checked(layer, layer_input, out_channel)
    _, height, width = array.shape
    out_h, out_w = layer.output_size(height, width)
    for name, value, size in (("y", y, out_h), ("x", x, out_w)):
        if not 0 <= value < size:
            raise ConvDesignerError(f"{name}={value} is outside the output, which is {out_h}×{out_w}")
    (s_h, s_w), (d_h, d_w), (p_h, p_w) = layer.stride, layer.dilation, layer.padding
    kernel_h, kernel_w = layer.kernel_size
    pairs_h = [(i, a) for a in range(kernel_h)
               for i in [(y + p_h - a * d_h) // s_h] if (y + p_h - a * d_h) % s_h == 0 and 0 <= i < height]
    pairs_w = [(j, b) for b in range(kernel_w)
               for j in [(x + p_w - b * d_w) // s_w] if (x + p_w - b * d_w) % s_w == 0 and 0 <= j < width]
    terms: list[StampTerm] = []
    sums: list[float] = []
    for c in channels:
        products: list[float] = []
        for i, a in sorted(pairs_h):
            for j, b in sorted(pairs_w):
                pixel, tap = float(array[c, i, j]), float(weight[c, local, a, b])
                products.append(pixel * tap)   # exact: both are float32
                terms.append(StampTerm(c, i, j, a, b, pixel, tap, products[-1]))
        sums.append(math.fsum(products))
    bias = float(bias_values[out_channel]) if bias_values is not None else 0.0
    total = math.fsum([*sums, bias])
    with torch.inference_mode():
        group = torch.from_numpy(np.array(array[channels.start:channels.stop]))[None]
        kernel = torch.from_numpy(np.array(weight[channels.start:channels.stop, local:local + 1]))
        bias_tensor = torch.tensor([bias], dtype=torch.float32) if layer.bias else None
        full = F.conv_transpose2d(group, kernel, bias_tensor, stride=layer.stride,
                                  padding=layer.padding, output_padding=layer.output_padding,
                                  dilation=layer.dilation)
        result = float(full[0, 0, y, x])
    return TransposedPixelExplanation(out_channel, y, x, tuple(channels), tuple(terms), tuple(sums),
                                      bias, total, result)


@dataclass(frozen=True)
class TransposedViews:
    """Everything the app's "How a transposed convolution is made" view shows for one output
    channel: both constructions and, when a pixel was asked for, its explanation."""

    scatter: ScatterParts
    gather: GatherParts
    pixel: TransposedPixelExplanation | None


def transposed_views(layer: ConvTranspose2d, layer_input: np.ndarray, out_channel: int,
                     pixel: tuple[int, int] | None = None) -> TransposedViews:
    """:func:`scatter_parts`, :func:`gather_parts` and (for ``pixel = (y, x)``)
    :func:`explain_transposed_pixel` of one output channel; raises as they do."""
    explained = None
    if pixel is not None:
        explained = explain_transposed_pixel(layer, layer_input, out_channel, *pixel)
    return TransposedViews(scatter_parts(layer, layer_input, out_channel),
                           gather_parts(layer, layer_input, out_channel), explained)
