"""Why a convolution output is what it is: per-sub-kernel maps and one pixel's full arithmetic.

A ``Conv2d`` output channel ``o`` is the sum, over the input channels of ``o``'s group, of each
sub-kernel ``weight[o, j]`` slid over its own input channel, plus ``bias[o]``.

* :func:`contributions` returns those per-channel maps (the "partial maps") for a whole output
  channel, computed with one grouped convolution;
* :func:`explain_pixel` opens up one output pixel: for each input channel the patch under the
  kernel, the sub-kernel, their element-wise products and the sum, then the bias and the total.

Padding is applied as PyTorch applies it in ``nn.Conv2d`` for the layer's ``padding_mode`` (see
:meth:`Conv2d.padding_amounts`), so padded cells hold zeros, reflections, repeats or wrapped values
exactly as the layer sees them.

Inputs are never modified; every array returned is new and owned by the caller.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from convdesigner.design.analysis import require_valid
from convdesigner.design.layers import Conv2d, Design, InputSpec, PaddingMode
from convdesigner.errors import ConvDesignerError


@dataclass(frozen=True)
class Contributions:
    """How each input channel adds to one output channel of a ``Conv2d``.

    ``in_channels``: the input channels output channel ``out_channel`` reads (those of its group),
    in order. ``partial_maps``: float32 ``[len(in_channels), H_out, W_out]``; map ``j`` is
    sub-kernel ``weight[out_channel, j]`` convolved with input channel ``in_channels[j]`` (same
    padding, stride and dilation as the layer). ``output``: float32 ``[H_out, W_out]``, the layer's
    output channel. ``partial_maps.sum(axis=0) + bias == output`` up to float32 rounding.

    ``summary`` (from :func:`tensor_contributions`, else None) holds per-input-channel statistics
    a view needs -- computed where the maps were, so that a view of a 256-channel layer need not
    scan 12 M values on the GUI thread.
    """

    out_channel: int
    in_channels: tuple[int, ...]
    partial_maps: np.ndarray
    bias: float
    output: np.ndarray
    summary: ContributionSummary | None = None


@dataclass(frozen=True)
class ContributionSummary:
    """Per input channel ``j`` of a :class:`Contributions`: ``strengths[j]`` = mean |partial map j|,
    ``partial_peaks[j]`` = max |partial map j|, ``input_peaks[j]`` = max |input map j|; and
    ``total`` = Σ of the partial maps (float32 ``[H_out, W_out]``)."""

    strengths: np.ndarray
    partial_peaks: np.ndarray
    input_peaks: np.ndarray
    total: np.ndarray


@dataclass(frozen=True)
class PixelTerm:
    """One input channel's share of one output pixel.

    ``patch`` (float32 ``[kH, kW]``) holds the input values under the kernel; cells outside the
    real input (``padded``, bool ``[kH, kW]``) hold what the padding mode puts there. ``rows``
    (int ``[kH]``) and ``cols`` (int ``[kW]``) are the cells' coordinates in the *unpadded* input, so
    padded cells have coordinates below 0 or at/after the input's size; with dilation they are
    ``dilation`` apart. ``products`` (float64 ``[kH, kW]``) is ``patch × sub_kernel``, exact,
    because the product of two float32 values always fits in a float64; ``sum`` is their sum,
    correctly rounded to float64.
    """

    in_channel: int
    patch: np.ndarray
    padded: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    sub_kernel: np.ndarray
    products: np.ndarray
    sum: float


@dataclass(frozen=True)
class PixelExplanation:
    """The arithmetic behind ``output[out_channel, y, x]`` of a ``Conv2d``.

    ``total`` is ``sum(term.sum for term in terms) + bias`` computed in float64 (correctly rounded)
    from the float32 inputs and weights, so the arithmetic a student checks by hand is honest.
    ``value`` is the same output as PyTorch computes it, in float32, from the same values. The two
    agree up to float32 rounding (PyTorch accumulates in float32, in an order of its choosing).
    """

    out_channel: int
    y: int
    x: int
    value: float
    bias: float
    terms: tuple[PixelTerm, ...]
    total: float


# -- shared checks and geometry --------------------------------------------------------------------

def _checked_input(layer: Conv2d,
                   layer_input: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``layer_input`` as float32 [C, H, W] after checking the layer can run on it and has weights,
    with the layer's weight and its bias (None when the layer has no bias)."""
    array = np.asarray(layer_input)
    if array.ndim != 3 or array.dtype.kind not in "fiu":
        raise ConvDesignerError(f"the layer's input must be a real-valued [C, H, W] array, got "
                                f"{array.dtype} of shape {list(array.shape)}")
    # A one-layer design fed this input checks every rule at once: channels, groups, sizes, padding
    # against the input, and the shapes of the weights.
    require_valid(Design(InputSpec(*array.shape), (layer,)))
    weight, bias = layer.weight, (layer.bias_values if layer.bias else None)
    if weight is None or (layer.bias and bias is None):
        raise ConvDesignerError("the layer has no weights yet; materialize the design first")
    return array.astype(np.float32, copy=False), weight, bias


def _checked_index(value: int, what: str, size: int, context: str) -> int:
    try:
        index = operator.index(value)
    except TypeError:
        raise ConvDesignerError(f"{what} must be a whole number, got {value!r}") from None
    if not 0 <= index < size:
        raise ConvDesignerError(f"{what} {index} is out of range: {context}, so {what} runs from 0 "
                                f"to {size - 1}")
    return index


def _checked_out_channel(layer: Conv2d, out_channel: int) -> int:
    count = layer.out_channels
    return _checked_index(out_channel, "out_channel", count,
                          f"the layer has {count} output channel{'s' if count != 1 else ''}")


def _group_channels(layer: Conv2d, out_channel: int) -> range:
    """The input channels ``out_channel`` reads: the in_per_group channels of its group."""
    return layer.input_channels_of(out_channel)


def _pad_as_conv2d(batch: torch.Tensor, layer: Conv2d) -> torch.Tensor:
    """Pad ``[N, C, H, W]`` exactly as ``nn.Conv2d`` pads for its padding and padding mode."""
    (top, bottom), (left, right) = layer.padding_amounts()
    if top == bottom == left == right == 0:
        return batch
    mode = "constant" if layer.padding_mode == "zeros" else layer.padding_mode
    return F.pad(batch, (left, right, top, bottom), mode=mode)


def _source_index(coords: np.ndarray, size: int, mode: PaddingMode) -> np.ndarray:
    """The real input index each (possibly outside) coordinate takes its value from.

    Mirrors ``F.pad``: 'reflect' mirrors without repeating the edge, 'circular' wraps around,
    'replicate' repeats the edge. For 'zeros' the index is clipped; the caller zeroes those cells.
    Valid designs keep reflect padding below the size and circular padding at most the size.
    """
    index: np.ndarray    # numpy's stubs type these operations on an ndarray of any dtype as Any
    if mode == "circular":
        index = coords % size
    elif mode == "reflect":
        mirrored = np.abs(coords)
        index = np.where(mirrored >= size, 2 * (size - 1) - mirrored, mirrored)
    else:
        index = np.clip(coords, 0, size - 1)
    return index


# -- whole output channels -------------------------------------------------------------------------

def contributions(layer: Conv2d, layer_input: np.ndarray, out_channel: int) -> Contributions:
    """Each input channel's contribution to output channel ``out_channel`` of ``layer``.

    ``layer`` must hold its parameters (see :func:`convdesigner.compute.weights.materialize`);
    ``layer_input`` is the layer's input, ``[in_channels, H, W]``. Runs on the CPU. Raises
    :class:`ConvDesignerError` when the layer cannot run on the input or ``out_channel`` is out
    of range.
    """
    array, weight, bias_values = _checked_input(layer, layer_input)
    out_channel = _checked_out_channel(layer, out_channel)
    bias = torch.tensor(bias_values) if bias_values is not None else None
    with torch.inference_mode():
        return tensor_contributions(layer, torch.tensor(array), torch.tensor(weight), bias,
                                    out_channel)


def tensor_contributions(layer: Conv2d, layer_input: torch.Tensor, weight: torch.Tensor,
                         bias: torch.Tensor | None, out_channel: int) -> Contributions:
    """:func:`contributions` on tensors that may live on any device (the engine's model).

    ``layer_input``: ``[in_channels, H, W]``; ``weight`` and ``bias``: the layer's parameters, on
    the same device and of the same dtype (float32, or float64 for the engine's exact mode; the
    maps come back as float32 either way). The caller has validated the layer and ``out_channel``.
    """
    channels = _group_channels(layer, out_channel)
    count = len(channels)
    padded = _pad_as_conv2d(layer_input[channels.start:channels.stop].unsqueeze(0), layer)
    kernel = weight[out_channel]  # [count, kH, kW]: one sub-kernel per input channel of the group
    # One grouped convolution, one group per input channel: each sub-kernel sees only its channel.
    partial = F.conv2d(padded, kernel.unsqueeze(1), stride=layer.stride, dilation=layer.dilation,
                       groups=count)[0]
    bias_slice = None if bias is None else bias[out_channel:out_channel + 1]
    output = F.conv2d(padded, kernel.unsqueeze(0), bias_slice, stride=layer.stride,
                      dilation=layer.dilation)[0, 0]
    partial32 = partial.float()
    magnitudes = partial32.abs().flatten(1)
    inputs = layer_input[channels.start:channels.stop].flatten(1).abs()
    summary = ContributionSummary(
        strengths=magnitudes.mean(dim=1).cpu().numpy() if magnitudes.shape[1] else np.zeros(count),
        partial_peaks=magnitudes.amax(dim=1).cpu().numpy() if magnitudes.shape[1] else np.zeros(count),
        input_peaks=inputs.amax(dim=1).float().cpu().numpy() if inputs.shape[1] else np.zeros(count),
        total=partial32.sum(dim=0).cpu().numpy(),
    )
    return Contributions(
        out_channel=out_channel,
        in_channels=tuple(channels),
        partial_maps=partial32.cpu().numpy(),
        bias=0.0 if bias is None else float(bias[out_channel]),
        output=output.float().cpu().numpy(),
        summary=summary,
    )


# -- one output pixel ------------------------------------------------------------------------------

def explain_pixel(layer: Conv2d, layer_input: np.ndarray, out_channel: int, y: int,
                  x: int) -> PixelExplanation:
    """The arithmetic behind ``layer(layer_input)[out_channel, y, x]``.

    ``layer`` must hold its parameters; ``layer_input`` is ``[in_channels, H, W]``. Runs on the CPU.
    Raises :class:`ConvDesignerError` when the layer cannot run on the input or ``out_channel``,
    ``y`` or ``x`` is out of range.
    """
    array, weight, bias_values = _checked_input(layer, layer_input)
    out_channel = _checked_out_channel(layer, out_channel)
    _, height, width = array.shape
    (top, bottom), (left, right) = layer.padding_amounts()
    span_h, span_w = layer.effective_kernel()
    (stride_h, stride_w), (dilation_h, dilation_w) = layer.stride, layer.dilation
    out_h = (height + top + bottom - span_h) // stride_h + 1
    out_w = (width + left + right - span_w) // stride_w + 1
    shape_text = f"the output is {out_h}×{out_w}"
    y = _checked_index(y, "y", out_h, shape_text)
    x = _checked_index(x, "x", out_w, shape_text)

    kernel_h, kernel_w = layer.kernel_size
    rows = y * stride_h - top + dilation_h * np.arange(kernel_h)
    cols = x * stride_w - left + dilation_w * np.arange(kernel_w)
    padded = ((rows < 0) | (rows >= height))[:, None] | ((cols < 0) | (cols >= width))[None, :]
    mode = layer.padding_mode
    source_rows = _source_index(rows, height, mode)
    source_cols = _source_index(cols, width, mode)
    channels = _group_channels(layer, out_channel)
    patches = array[channels.start:channels.stop][:, source_rows[:, None], source_cols[None, :]]
    if mode == "zeros":
        patches[:, padded] = 0.0
    sub_kernels = weight[out_channel]
    products = patches.astype(np.float64) * sub_kernels.astype(np.float64)
    bias = float(bias_values[out_channel]) if bias_values is not None else 0.0

    terms = tuple(
        PixelTerm(in_channel=channel, patch=patches[j].copy(), padded=padded.copy(),
                  rows=rows.copy(), cols=cols.copy(), sub_kernel=sub_kernels[j].copy(),
                  products=products[j].copy(), sum=math.fsum(products[j].ravel().tolist()))
        for j, channel in enumerate(channels))
    total = math.fsum([term.sum for term in terms] + [bias])

    # PyTorch's own float32 result from the very same values: the gathered patches already
    # include dilation and padding, so a plain kernel-sized convolution gives the one pixel.
    with torch.inference_mode():
        bias_tensor = torch.tensor([bias], dtype=torch.float32) if layer.bias else None
        value = F.conv2d(torch.from_numpy(patches).unsqueeze(0),
                         torch.tensor(sub_kernels).unsqueeze(0), bias_tensor)
    return PixelExplanation(out_channel=out_channel, y=y, x=x, value=float(value), bias=bias,
                            terms=terms, total=total)
