"""Where a transposed convolution's stamps overlap: the arithmetic behind checkerboard artefacts.

A ``ConvTranspose2d`` places, for every input pixel, a copy of its sub-kernel (scaled by the
pixel's value) on the output, ``stride`` pixels after the previous one. Output pixel ``y`` receives
tap ``a`` of input pixel ``i`` when ``y + padding = i·stride + a·dilation``. Where the kernel is
not a multiple of the stride, some output pixels receive more stamps than their neighbours: even
with all-equal weights and a flat input they come out brighter, in a periodic pattern -- the
checkerboard (Odena, Dumoulin & Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016).

Pure numpy (no torch, no Qt): the checkerboard view draws these counts directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text
from convdesigner.design.layers import ConvTranspose2d

CONTEXT = "checkerboard"


def axis_counts(size: int, kernel: int, stride: int, padding: int, dilation: int,
                output_padding: int) -> np.ndarray:
    """How many (input pixel, tap) pairs reach each output position along one axis (int64
    ``[out]``, ``out`` from the output-size formula; empty when it is below 1)."""
    out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    counts = np.zeros(max(out, 0), dtype=np.int64)
    if out < 1:
        return counts
    for tap in range(kernel):
        # Input pixel i lands this tap at y = i·stride + tap·dilation − padding.
        positions = np.arange(size) * stride + tap * dilation - padding
        positions = positions[(positions >= 0) & (positions < out)]
        np.add.at(counts, positions, 1)
    return counts


def overlap_counts(layer: ConvTranspose2d, height: int, width: int) -> np.ndarray:
    """Stamps per output pixel of ``layer`` on a ``height``×``width`` input: int64
    ``[H_out, W_out]``, the outer product of the two axes' counts (each input channel adds the
    same pattern, so this is per input channel)."""
    rows = axis_counts(height, layer.kernel_size[0], layer.stride[0], layer.padding[0],
                       layer.dilation[0], layer.output_padding[0])
    cols = axis_counts(width, layer.kernel_size[1], layer.stride[1], layer.padding[1],
                       layer.dilation[1], layer.output_padding[1])
    return np.outer(rows, cols)


def interior_pattern(kernel: int, stride: int, dilation: int) -> tuple[int, ...]:
    """Stamps per output position away from the border, one per position modulo ``stride``:
    ``(2, 1)`` for kernel 3, stride 2 -- what repeats across the whole map."""
    return tuple(sum(1 for tap in range(kernel) if (tap * dilation) % stride == residue)
                 for residue in range(stride))


@dataclass(frozen=True)
class Verdict:
    """Whether ``layer``'s stamps overlap evenly away from the border, and why, in words."""

    uniform: bool
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    text: Text

    def __str__(self) -> str:
        return str(self.text)


def verdict(layer: ConvTranspose2d) -> Verdict:
    """Uniform overlap or checkerboard, with the sentence saying why (for dilation 1: uniform
    exactly when ``kernel_size`` is divisible by ``stride`` along both axes)."""
    rows = interior_pattern(layer.kernel_size[0], layer.stride[0], layer.dilation[0])
    cols = interior_pattern(layer.kernel_size[1], layer.stride[1], layer.dilation[1])
    uniform = len(set(rows)) == 1 and len(set(cols)) == 1
    values: dict[str, Any] = {}
    for axis, pattern, k, s in (("h", rows, layer.kernel_size[0], layer.stride[0]),
                                ("w", cols, layer.kernel_size[1], layer.stride[1])):
        values[f"k_{axis}"], values[f"s_{axis}"] = k, s
        values[f"low_{axis}"], values[f"high_{axis}"] = min(pattern), max(pattern)
    same_axes = rows == cols and layer.kernel_size[0] == layer.kernel_size[1] \
        and layer.stride[0] == layer.stride[1]
    values["total_low"] = values["low_h"] * values["low_w"]
    values["total_high"] = values["high_h"] * values["high_w"]
    if uniform and same_axes:
        template = QT_TRANSLATE_NOOP(
            "checkerboard", "Even overlap: kernel_size {k_h} is divisible by stride {s_h}, so every "
            "output pixel away from the border receives exactly {low_h} stamps along each side "
            "({total_low} in all). A flat input gives a flat output.")
    elif uniform:
        template = QT_TRANSLATE_NOOP(
            "checkerboard", "Even overlap: every output pixel away from the border receives "
            "{low_h} stamps along the height and {low_w} along the width ({total_low} in all), "
            "because each kernel size is divisible by its stride. A flat input gives a flat output.")
    elif same_axes:
        template = QT_TRANSLATE_NOOP(
            "checkerboard", "Checkerboard: kernel_size {k_h} is not divisible by stride {s_h}, so "
            "neighbouring output pixels receive {high_h} and {low_h} stamps along each side "
            "(between {total_low} and {total_high} in all). Pixels that get more stamps come out "
            "stronger even from a flat input: the grid pattern of the artefacts.")
    else:
        template = QT_TRANSLATE_NOOP(
            "checkerboard", "Uneven overlap: along the height output pixels receive {low_h} to "
            "{high_h} stamps (kernel {k_h}, stride {s_h}), along the width {low_w} to {high_w} "
            "(kernel {k_w}, stride {s_w}); between {total_low} and {total_high} in all. A kernel "
            "size divisible by its stride would make them even.")
    return Verdict(uniform, rows, cols, Text(CONTEXT, template, values))
