"""The wiring of a grouped Conv2d, as numbers: which input channels each output channel reads, and
the image that drawing all of those connections as lines makes.

* :func:`connection_matrix` -- ``bool [out_channels, in_channels]``, the non-zero structure of the
  layer's weight written out densely;
* :func:`wireable` -- whether ``groups`` splits a layer's channels evenly;
* :func:`density_image` -- the picture of thousands of 1-pixel lines, computed all at once (one
  FFT per group) instead of stroked one by one.

Pure (numpy only); the wiring view (:mod:`convdesigner.ui.diagram.wiring`) draws these.
"""

from __future__ import annotations

import math

import numpy as np

from convdesigner.design.layers import Conv2d


def connection_matrix(out_channels: int, in_channels: int, groups: int) -> np.ndarray:
    """``bool [out_channels, in_channels]``: True where output ``o`` reads input ``i``, i.e. where
    ``o // (out/groups) == i // (in/groups)`` -- the non-zero structure of the layer's weight
    written out densely. All False when ``groups`` does not divide both channel counts."""
    if (groups < 1 or out_channels < 1 or in_channels < 1
            or in_channels % groups or out_channels % groups):
        return np.zeros((max(out_channels, 0), max(in_channels, 0)), dtype=bool)
    out_group = np.arange(out_channels) // (out_channels // groups)
    in_group = np.arange(in_channels) // (in_channels // groups)
    return np.equal(out_group[:, None], in_group[None, :])


def _deposit(points: np.ndarray, length: int) -> np.ndarray:
    """Spread each row's points over ``length`` bins with linear interpolation: ``[rows, length]``."""
    count = points.shape[0]
    index = np.floor(points).astype(np.int64)
    frac = (points - index).ravel()
    flat = (np.arange(count, dtype=np.int64)[:, None] * length + index).ravel()
    total = count * length
    hist = np.bincount(flat, 1.0 - frac, minlength=total + 1)[:total]
    hist += np.bincount(flat + 1, frac, minlength=total + 1)[:total]
    return hist.reshape(count, length)


def _supersampling(y_in: np.ndarray, y_out: np.ndarray, columns: int) -> int:
    """Samples per pixel column so that the steepest line stays continuous (1 to 4): each sample
    is spread over two rows, so a slope of up to 2 rows per sample leaves no gap."""
    if not len(y_in) or not len(y_out):
        return 1
    steepest = max(abs(float(y_out[-1] - y_in[0])), abs(float(y_in[-1] - y_out[0])))
    return int(min(max(math.ceil(steepest / max(columns, 1) / 2.0), 1), 4))


def _group_crossings(yi: np.ndarray, yo: np.ndarray, t: np.ndarray, rows: int) -> np.ndarray:
    """How many of the lines from every ``yi`` to every ``yo`` cross each pixel: ``float
    [rows * len(t)]`` (row-major), sampled at the column fractions ``t``.

    A line crosses column ``t`` at ``(1 − t)·y_i + t·y_o``: the crossings are the sums of two
    scaled point sets, so their histogram is the convolution of the two histograms -- one FFT
    does every line at once, whatever their number.
    """
    samples = len(t)
    offset = (1.0 - t) * yi[0] + t * yo[0]
    base = np.floor(offset)
    a = (1.0 - t)[:, None] * (yi - yi[0])[None, :] + (offset - base)[:, None]
    b = t[:, None] * (yo - yo[0])[None, :]
    span = max(float(yi[-1] - yi[0]), float(yo[-1] - yo[0])) + 4.0
    length = 1 << int(math.ceil(math.log2(span + 2.0)))
    crossings = np.fft.irfft(np.fft.rfft(_deposit(a, length), axis=1)
                             * np.fft.rfft(_deposit(b, length), axis=1), n=length, axis=1)
    row = base.astype(np.int64)[:, None] + np.arange(length, dtype=np.int64)[None, :]
    keep = (row >= 0) & (row < rows) & (crossings > 1e-6)
    flat = row * samples + np.arange(samples, dtype=np.int64)[:, None]
    return np.bincount(flat[keep], crossings[keep], minlength=rows * samples)


def density_image(y_in: np.ndarray, y_out: np.ndarray, groups: int, columns: int, rows: int,
                  colors: np.ndarray, alpha: float) -> np.ndarray:
    """The image that drawing a line from every input at ``y_in`` (left edge) to every output at
    ``y_out`` (right edge) of the same group would make, each line 1 px wide with ``alpha`` in
    its group's colour (``colors``: ``[groups, 3]`` RGB in 0..1): premultiplied BGRA
    ``uint8 [rows, columns, 4]``. ``n`` lines over a pixel cover it ``1 − (1 − alpha)^n``, as
    stacking them would. Costs one FFT per group, not one stroke per line.
    """
    per_in, per_out = len(y_in) // groups, len(y_out) // groups
    supersample = _supersampling(y_in, y_out, columns)
    samples = columns * supersample
    t = (np.arange(samples) + 0.5) / samples
    total = np.zeros(rows * samples)
    rgb = np.zeros((rows * samples, 3)) if groups > 1 else None
    for group in range(groups):
        crossings = _group_crossings(y_in[group * per_in:(group + 1) * per_in],
                                     y_out[group * per_out:(group + 1) * per_out], t, rows)
        total += crossings
        if rgb is not None:
            rgb += crossings[:, None] * colors[group][None, :]

    def per_pixel(values: np.ndarray) -> np.ndarray:     # average the samples of each column
        values = values.reshape(rows, columns, supersample, -1)
        sums: np.ndarray = values.sum(axis=2)
        return sums.reshape(rows * columns, -1) / supersample

    if supersample > 1:
        total = per_pixel(total)[:, 0]
        rgb = per_pixel(rgb) if rgb is not None else None
    coverage = 1.0 - np.power(1.0 - alpha, total)
    if rgb is None:
        rgb = coverage[:, None] * colors[0][None, :]
    else:
        rgb = rgb * (coverage / np.maximum(total, 1e-12))[:, None]
    image = np.empty((rows * columns, 4), dtype=np.uint8)
    for channel, source in ((0, 2), (1, 1), (2, 0)):          # memory order B, G, R, A
        image[:, channel] = np.clip(rgb[:, source] * 255.0 + 0.5, 0, 255)
    image[:, 3] = np.clip(coverage * 255.0 + 0.5, 0, 255)
    return image.reshape(rows, columns, 4)


def wireable(layer: Conv2d) -> bool:
    """Whether ``layer``'s groups split its channels evenly (otherwise there is no wiring to draw)."""
    return (layer.groups >= 1 and layer.in_channels >= 1 and layer.out_channels >= 1
            and layer.in_channels % layer.groups == 0 and layer.out_channels % layer.groups == 0)


__all__ = ["connection_matrix", "density_image", "wireable"]
