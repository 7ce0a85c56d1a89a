"""Colour maps and levels shared by every view.

Two maps, chosen by what the data *can* be, not by what one frame happens to hold:

* :data:`DIVERGING` (blue – white – red) for signed data: weights, pre-activation feature maps,
  partial maps. Its levels are always symmetric, ``±max|v|``, so white is exactly 0 and the sign
  can be read from the hue.
* :data:`SEQUENTIAL` (black – white) for data that cannot be negative: the input image of a
  digit, the maps after a ReLU or a Sigmoid. Levels ``[0, max]``.

Levels are computed here and set explicitly on every update (views never let pyqtgraph
auto-level a frame). Gaps of a mosaic are NaN and render transparent, showing the view's
background: :attr:`ColorScale.background` is a colour that neither map uses, so a gap is never
mistaken for a value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg

from convdesigner.design.layers import (
    AvgPool2d,
    Conv2d,
    Design,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
)
from convdesigner.design.numbers import format_value  # noqa: F401 -- the views' one formatter

# ColorBrewer's RdBu, reversed so negative is blue, with pure white at 0.
_DIVERGING_COLORS = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#ffffff",
                     "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"]
DIVERGING = pg.ColorMap(np.linspace(0.0, 1.0, len(_DIVERGING_COLORS)), _DIVERGING_COLORS,
                        name="blue-white-red")
SEQUENTIAL = pg.ColorMap([0.0, 1.0], ["#000000", "#ffffff"], name="black-white")

_LUTS = {
    "diverging": DIVERGING.getLookupTable(nPts=256, alpha=False),
    "sequential": SEQUENTIAL.getLookupTable(nPts=256, alpha=False),
}
#: What a mosaic's gaps show: a colour that is not in the map drawn on it.
BACKGROUNDS = {"diverging": "#3a3d44", "sequential": "#23466e"}

#: Levels used when the data hold nothing but zeros (a blank input), so the scale stays readable.
_EMPTY_MAX = 1.0


@dataclass(frozen=True)
class ColorScale:
    """A colour map and the levels it spans: ``kind`` is ``'diverging'`` or ``'sequential'``."""

    kind: str
    levels: tuple[float, float]

    @property
    def colormap(self) -> pg.ColorMap:
        return DIVERGING if self.kind == "diverging" else SEQUENTIAL

    @property
    def lut(self) -> np.ndarray:
        return _LUTS[self.kind]

    @property
    def background(self) -> str:
        return BACKGROUNDS[self.kind]

    @property
    def signed(self) -> bool:
        return self.kind == "diverging"


def _extent(arrays, need_low: bool = True) -> tuple[float, float]:
    """``(min, max)`` over all ``arrays``, NaN ignored (``(inf, -inf)`` when all are empty).
    With ``need_low=False`` the min is not computed (returned as ``0.0``), which halves the cost
    on large maps."""
    low, high = np.inf, -np.inf
    for array in arrays:
        array = np.asarray(array)
        if not array.size:
            continue
        top = float(array.max())
        bottom = float(array.min()) if need_low else 0.0
        if math.isnan(top) or math.isnan(bottom):       # rare: leave the NaNs out (a slower pass)
            array = array[~np.isnan(array)]
            if not array.size:
                continue
            top = float(array.max())
            bottom = float(array.min()) if need_low else 0.0
        low, high = min(low, bottom), max(high, top)
    return low, high


def symmetric_levels(*arrays: np.ndarray) -> tuple[float, float]:
    """``(-m, m)`` with ``m = max|v|`` over all ``arrays`` (``(-1, 1)`` when all are 0 or empty)."""
    low, high = _extent(arrays)
    top = max(abs(low), abs(high)) if np.isfinite(low) else 0.0
    if not np.isfinite(top) or top == 0.0:
        top = _EMPTY_MAX
    return (-top, top)


def sequential_levels(*arrays: np.ndarray) -> tuple[float, float]:
    """``(0, max)`` over all ``arrays`` (``(0, 1)`` when the max is not above 0)."""
    _low, high = _extent(arrays, need_low=False)
    if not np.isfinite(high) or high <= 0.0:
        high = _EMPTY_MAX
    return (0.0, high)


def diverging_scale(*arrays: np.ndarray) -> ColorScale:
    return ColorScale("diverging", symmetric_levels(*arrays))


def round_diverging_scale(*arrays: np.ndarray) -> ColorScale:
    """Like :func:`diverging_scale`, with ``m`` raised to the next round number
    (:func:`nice_ceil`): weights that change a little at a time (training) keep the same levels,
    colours and colour bar from one frame to the next."""
    top = symmetric_levels(*arrays)[1]
    level = nice_ceil(top)
    return ColorScale("diverging", (-level, level))


def sequential_scale(*arrays: np.ndarray) -> ColorScale:
    return ColorScale("sequential", sequential_levels(*arrays))


def scale_for(*arrays: np.ndarray, signed: bool | None = None) -> ColorScale:
    """The scale for data that may be negative (``signed=True``), cannot be (``False``), or --
    ``None`` -- decide from the data themselves (negative values anywhere: diverging)."""
    if signed is None:
        low, _high = _extent(arrays)
        signed = bool(np.isfinite(low) and low < 0.0)
    return diverging_scale(*arrays) if signed else sequential_scale(*arrays)


_NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is at least ``value`` (> 0)."""
    if not np.isfinite(value) or value <= 0.0:
        return _EMPTY_MAX
    exponent = math.floor(math.log10(value))
    for step in _NICE_STEPS:
        candidate = step * 10.0 ** exponent
        if candidate >= value * (1 - 1e-12):
            return float(candidate)
    return float(10.0 ** (exponent + 1))


class StickyScale:
    """Levels for live data that hold still while the student draws.

    The scale always covers the data (a value is never clipped): it grows at once, to a round
    number (:func:`nice_ceil`), when a frame exceeds it, and shrinks only when the data fall below
    half of it. Between those, every frame is drawn with the *same* explicit levels, so colours
    mean the same thing from one stroke to the next and the colour bar is not re-laid out.
    """

    def __init__(self) -> None:
        self._scale: ColorScale | None = None

    def reset(self) -> None:
        self._scale = None

    def update(self, *arrays: np.ndarray, signed: bool,
               extent: tuple[float, float] | None = None) -> ColorScale:
        """``extent`` = ``(min, max)`` of the arrays when the caller already knows it (the live
        worker computes it off the GUI thread: on a 512 × 222 × 222 map it costs 30 ms)."""
        kind = "diverging" if signed else "sequential"
        if extent is not None:
            low, high = extent
            top = max(abs(low), abs(high)) if signed else high
        elif signed:
            low, high = _extent(arrays)
            top = max(abs(low), abs(high)) if np.isfinite(low) else 0.0
        else:
            top = _extent(arrays, need_low=False)[1]
        top = top if np.isfinite(top) and top > 0.0 else 0.0
        current = self._scale
        if current is not None and current.kind == kind:
            level = current.levels[1]
            if top <= level and (top >= 0.5 * level or (top == 0.0 and level == _EMPTY_MAX)):
                return current
        level = nice_ceil(top) if top > 0.0 else _EMPTY_MAX
        self._scale = ColorScale(kind, (-level, level) if signed else (0.0, level))
        return self._scale


def output_signs(design: Design, image: np.ndarray | None = None) -> tuple[bool, ...]:
    """For the input and then every layer: whether its output can hold negative values.

    Decided by the layers, not by one frame's numbers, so a view's colour map does not flip
    while the student draws: a Conv2d can always go negative, a ReLU or a Sigmoid never, a
    LeakyReLU only when its input can (and its slope is not 0), a Tanh or a pooling layer when its
    input can. The input is signed when the image has a negative value.
    """
    signed = bool(image is not None and np.size(image) and float(np.min(image)) < 0.0)
    signs = [signed]
    for layer in design.layers:
        if isinstance(layer, Conv2d):
            signed = True
        elif isinstance(layer, (ReLU, Sigmoid)):
            signed = False
        elif isinstance(layer, LeakyReLU):
            signed = signed and layer.negative_slope != 0.0
        elif not isinstance(layer, (Tanh, MaxPool2d, AvgPool2d, Flatten, Dropout)):
            signed = True
        signs.append(signed)
    return tuple(signs)


def format_level(value: float) -> str:
    """A level for a scale's caption, short but honest: ``±0.0413``."""
    return f"{value:.3g}"


def diverging_qcolor(value: float, levels: tuple[float, float]):
    """``value``'s ``QColor`` on :data:`DIVERGING` spanning ``levels`` (clipped), by pyqtgraph's
    ``ColorMap.map(..., mode='qcolor')``: the same colour the mosaics draw, for what is painted
    cell by cell (the kernel editor's value grid, :mod:`convdesigner.ui.widgets.kernel_paint`)."""
    low, high = levels
    position = 0.5 if high <= low else (float(value) - low) / (high - low)
    return DIVERGING.map(min(max(position, 0.0), 1.0), mode="qcolor")
