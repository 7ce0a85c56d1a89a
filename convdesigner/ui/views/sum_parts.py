"""The arithmetic of the sum view, without Qt: one output channel's parts (:func:`explain`),
which triplets are drawn and in what order (:func:`shown_order`), and where the three blocks of a
triplet cell lie (:func:`triplet_geometry`).

Pure numpy: the drawing is :class:`~convdesigner.ui.views.sum_view.SumView`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convdesigner.design.layers import Conv2d
from convdesigner.ui.views.mosaic import MAX_MOSAIC_PIXELS

#: At most this many triplets are drawn; beyond it, the strongest ones.
MAX_TRIPLETS = 64
#: Unless "Show all" is ticked, only this many triplets: those that contribute most, drawn large.
FEW_TRIPLETS = 6


@dataclass(frozen=True)
class Explained:
    """One output channel's parts, raw (as computed): the data every drawing and read-out uses."""

    frame: object
    layer_index: int
    out_channel: int
    layer: Conv2d
    channels: tuple[int, ...]        # input channel of each sub-kernel j
    inputs: np.ndarray               # [n, H, W]
    kernels: np.ndarray              # [n, kH, kW]
    partials: np.ndarray             # [n, Ho, Wo]
    bias: float
    output: np.ndarray               # [Ho, Wo]
    total: np.ndarray                # [Ho, Wo]: Σ of all partial maps
    strengths: np.ndarray            # [n]: mean |partial map|
    input_peaks: np.ndarray          # [n]: max |input map|
    partial_peaks: np.ndarray        # [n]: max |partial map|


@dataclass(frozen=True)
class TripletGeometry:
    """Where the three blocks of a triplet cell lie (cell pixels), and how they were scaled."""

    step: int           # stride of the input and partial maps
    zoom: int           # each sub-kernel weight is zoom×zoom pixels
    band: int
    op_gap: int
    input_box: tuple[int, int, int, int]     # y, x, h, w
    kernel_box: tuple[int, int, int, int]
    partial_box: tuple[int, int, int, int]
    cell_shape: tuple[int, int]

    def which(self, y: int, x: int) -> tuple[str, int, int] | None:
        """What cell pixel ``(y, x)`` shows: ``('input' | 'kernel' | 'partial', y, x)`` in the
        block's full-resolution coordinates, or None between the blocks."""
        for kind, (by, bx, bh, bw) in (("input", self.input_box), ("kernel", self.kernel_box),
                                       ("partial", self.partial_box)):
            if by <= y < by + bh and bx <= x < bx + bw:
                if kind == "kernel":
                    return kind, (y - by) // self.zoom, (x - bx) // self.zoom
                return kind, (y - by) * self.step, (x - bx) * self.step
        return None


# The triplet mosaic redraws on every stroke; a quarter of the general budget is still several
# times the pixels of the panel on screen (zoom shows the rest, hover reads full resolution) and
# keeps a heavy frame's render and paint under the 50 ms the event loop may be blocked.
TRIPLET_PIXELS = MAX_MOSAIC_PIXELS // 4


def triplet_geometry(in_shape, kernel_shape, out_shape, count: int, max_pixels: int) -> TripletGeometry:
    """The cell of one triplet: input map ``in_shape``, sub-kernel ``kernel_shape`` zoomed to about
    the partial map's size, partial map ``out_shape``, under a label band; the maps strided just
    enough that ``count`` cells stay within ``max_pixels``."""
    (h, w), (kh, kw), (ho, wo) = in_shape, kernel_shape, out_shape
    step = 1
    while True:
        sh, sw = -(-h // step), -(-w // step)
        oh, ow = -(-ho // step), -(-wo // step)
        zoom = max(1, round(max(oh, ow) / max(kh, kw)))
        body = max(sh, kh * zoom, oh)
        band = max(2, round(0.5 * body))
        op_gap = max(2, round(0.3 * body))
        cell_h = band + body
        cell_w = sw + op_gap + kw * zoom + op_gap + ow
        gap = max(1, round(0.08 * cell_h))
        if count * (cell_h + gap) * (cell_w + 2 * gap) <= max_pixels or (sh == sw == oh == ow == 1):
            break
        step += 1

    def centred(height: int) -> int:
        return band + (body - height) // 2

    kernel_x = sw + op_gap
    partial_x = kernel_x + kw * zoom + op_gap
    return TripletGeometry(step, zoom, band, op_gap,
                    (centred(sh), 0, sh, sw),
                    (centred(kh * zoom), kernel_x, kh * zoom, kw * zoom),
                    (centred(oh), partial_x, oh, ow),
                    (cell_h, cell_w))


def explain(frame, index: int, out_channel: int, found, scratch: dict | None = None) -> Explained:
    """The parts of output channel ``out_channel`` of Conv2d ``index`` in ``frame``, from ``found``
    (its :class:`~convdesigner.compute.explain.Contributions`, the frame's own or the worker's).
    ``scratch`` keeps a work array between frames (the heavy design's partial maps are 50 MB)."""
    layer = frame.design.layers[index]
    layer_input = layer_input_of(frame, index)
    channels = tuple(int(c) for c in found.in_channels)
    count = len(channels)
    partials = np.asarray(found.partial_maps, dtype=np.float32)
    inputs = np.asarray(layer_input)[channels[0]:channels[-1] + 1] if count else np.asarray(layer_input)[:0]
    summary = getattr(found, "summary", None)
    if summary is not None:   # computed by the worker, off the GUI thread
        return Explained(
            frame=frame, layer_index=index, out_channel=out_channel, layer=layer,
            channels=channels, inputs=inputs, kernels=layer.weight[out_channel], partials=partials,
            bias=float(found.bias), output=np.asarray(found.output), total=summary.total,
            strengths=summary.strengths, input_peaks=summary.input_peaks,
            partial_peaks=summary.partial_peaks)
    # Per-channel statistics in few passes and without big temporaries: the strengths order the
    # triplets, the peaks give each kind's scale for whichever triplets are shown.
    work = (scratch or {}).get("abs")
    if work is None or work.shape != partials.shape:
        work = np.empty_like(partials)
        if scratch is not None:
            scratch["abs"] = work
    np.abs(partials, out=work)
    flat = work.reshape(count, -1)
    strengths = flat.mean(axis=1) if flat.shape[1] else np.zeros(count)
    partial_peaks = flat.max(axis=1) if flat.shape[1] else np.zeros(count)
    flat_inputs = inputs.reshape(count, -1)
    input_peaks = (np.maximum(-flat_inputs.min(axis=1), flat_inputs.max(axis=1))
                   if flat_inputs.shape[1] else np.zeros(count))
    return Explained(
        frame=frame, layer_index=index, out_channel=out_channel, layer=layer, channels=channels,
        inputs=inputs, kernels=layer.weight[out_channel], partials=partials,
        bias=float(found.bias), output=np.asarray(found.output),
        total=partials.sum(axis=0, dtype=np.float32), strengths=strengths,
        input_peaks=input_peaks, partial_peaks=partial_peaks)


def shown_order(strengths: np.ndarray, by_strength: bool, limit: int = MAX_TRIPLETS) -> np.ndarray:
    """Which triplets are drawn, in drawn order (indices into the channel's sub-kernels): all of
    them in channel order, or the largest mean |partial map| first when ``by_strength``; beyond
    ``limit``, only the ``limit`` strongest (still in channel order unless ``by_strength``)."""
    n = len(strengths)
    if n > limit:
        strongest = np.argsort(-strengths, kind="stable")[:limit]
        return strongest if by_strength else np.sort(strongest)
    if by_strength:
        return np.argsort(-strengths, kind="stable")
    return np.arange(n)


def layer_input_of(frame, index: int) -> np.ndarray:
    """The array layer ``index`` of ``frame`` reads: the image for layer 0, else the previous output."""
    return frame.image if index == 0 else frame.outputs[index - 1]
