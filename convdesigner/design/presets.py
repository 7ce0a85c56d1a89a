"""Named kernel presets (identity, blur, Sobel, Gabor, ...) and the helpers that put values into a
``Conv2d``'s weights.

Pure numpy, like the rest of :mod:`convdesigner.design`: no torch, no Qt. ("PyTorch's default
initialisation" is a preset too, but it needs torch, so the kernel editor adds it from
:mod:`convdesigner.compute.weights`.)

Every preset is a function ``(kh, kw, **params) -> float32 [kh, kw]`` for *one* sub-kernel (the
``kH×kW`` slice of the weight that one output channel applies to one input channel). All of them
are meant for PyTorch's ``conv2d``, which is a cross-correlation: ``out[y, x] = Σ w[i, j] ·
in[y − top + i, x − left + j]``, so the kernels below are written the way they are *applied*, not
flipped as a textbook convolution would have them.

Sobel and Laplacian have even-sized versions too (the opening design's kernels are 4×4): an even
side has no centre cell, so its derivative is taken *between* the two middle cells -- the smoothed
difference ``[-1, -1, 1, 1]`` (``[1, 2, 1] ⊛ [-1, 1]``) and the second difference ``[1, -1, -1, 1]``
(``[1, 1] ⊛ [1, -2, 1]``), the same Sobel construction as the odd sizes. In ``Conv2d(…, 4, 2, 1)``
output pixel ``y`` reads input rows ``2y − 1 … 2y + 2``, whose middle falls between rows ``2y`` and
``2y + 1``: the edge a 4×4 Sobel finds is the one inside the 2×2 block the output pixel stands for.
Sharpen needs a centre cell; it exists for odd sizes only, and a request for an even size (or one
too small for a preset) raises :class:`PresetNotAvailable` with a sentence a student can act on.

The ``apply_*`` helpers return a *new* ``Conv2d`` (layers are frozen values); nothing outside the
chosen scope changes, bit for bit.

Preset names, descriptions and sizes, and the "not available" sentence, are marked with
:func:`~convdesigner.design.i18n.QT_TRANSLATE_NOOP` under the context ``"presets"``; the kernel
editor shows them translated (:meth:`Preset.unavailable_text` gives the sentence as a
:class:`~convdesigner.design.i18n.Text`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text
from convdesigner.design.layers import Conv2d
from convdesigner.errors import DesignError


class PresetNotAvailable(DesignError):  # noqa: N818 -- names the situation, like StopIteration
    """A preset was asked for a kernel size it has no sensible version for (e.g. Sobel 4×4).
    ``text`` is the message as a translatable :class:`~convdesigner.design.i18n.Text`."""

    def __init__(self, text: Text | str) -> None:
        super().__init__(str(text))
        self.text = text if isinstance(text, Text) else Text("presets", text)


# -- building blocks -----------------------------------------------------------------------------

def _check_size(kh: int, kw: int) -> None:
    for value in (kh, kw):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise DesignError(f"a kernel size must be a whole number of at least 1, got {kh}×{kw}")


def _binomial(n: int) -> np.ndarray:
    """Row ``n − 1`` of Pascal's triangle: ``[1]``, ``[1, 1]``, ``[1, 2, 1]``, ``[1, 4, 6, 4, 1]``, …
    (the discrete Gaussian the Sobel construction smooths with)."""
    row = np.ones(1, dtype=np.float64)
    for _ in range(n - 1):
        row = np.convolve(row, [1.0, 1.0])
    return row


def _first_derivative(n: int) -> np.ndarray:
    """Smoothed difference of length ``n`` (increasing left to right). Odd ``n``: the central
    difference ``[-1, 0, 1]``, ``[-1, -2, 0, 2, 1]``, … (the binomial of length ``n − 2`` ⊛
    ``[-1, 0, 1]``); even ``n``: the difference between the two middle cells, ``[-1, 1]``,
    ``[-1, -1, 1, 1]``, ``[-1, -3, -2, 2, 3, 1]``, … (the binomial of length ``n − 1`` ⊛ ``[-1, 1]``)."""
    if n % 2 == 0:
        return np.convolve(_binomial(n - 1), [-1.0, 1.0])
    return np.convolve(_binomial(n - 2), [-1.0, 0.0, 1.0])


def _second_derivative(n: int) -> np.ndarray:
    """Smoothed second difference of length ``n ≥ 3``: ``[1, -2, 1]``, ``[1, 0, -2, 0, 1]``, … and,
    for even ``n``, ``[1, -1, -1, 1]``, ``[1, 0, -2, -2, 0, 1]``, … (the binomial of length
    ``n − 2`` ⊛ ``[1, -2, 1]``; symmetric about the middle, summing to 0)."""
    return np.convolve(_binomial(n - 2), [1.0, -2.0, 1.0])


def _needs_odd(name: str, kh: int, kw: int) -> None:
    if kh % 2 == 0 or kw % 2 == 0 or kh < 3 or kw < 3:
        raise PresetNotAvailable(Text("presets", QT_TRANSLATE_NOOP(
            "presets", "{name} is not available for {kh}×{kw} kernels (it needs an odd size: 3×3, "
            "5×5, …)"), {"name": Text("presets", name), "kh": kh, "kw": kw}))


def _needs_at_least(name: str, kh: int, kw: int, minimum: int) -> None:
    if kh < minimum or kw < minimum:
        raise PresetNotAvailable(Text("presets", QT_TRANSLATE_NOOP(
            "presets", "{name} is not available for {kh}×{kw} kernels (it needs at least "
            "{minimum}×{minimum})"), {"name": Text("presets", name), "kh": kh, "kw": kw,
                                       "minimum": minimum}))


def _finite(value: object, what: str) -> float:
    try:
        # Any object on purpose (a value typed into a cell, read from a file): what float()
        # cannot convert raises TypeError or ValueError, refused below.
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DesignError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise DesignError(f"{what} must be a finite number, got {value!r}")
    return number


def _clean(values: np.ndarray) -> np.ndarray:
    """float32, with ``-0.0`` made ``0.0`` (so a cell never shows "-0")."""
    return (np.asarray(values, dtype=np.float64) + 0.0).astype(np.float32)


def anchor_cell(kh: int, kw: int) -> tuple[int, int]:
    """The cell of a ``kh×kw`` kernel that lies over the input pixel at the output's own position.

    With the usual "keep the size" padding (``padding = (k − 1) // 2`` per side, or
    ``padding='same'``, which PyTorch applies as ``(k − 1) // 2`` before and the rest after),
    output pixel ``y`` reads input rows ``y·stride − (k − 1)//2 + i`` for ``i = 0 … k − 1``; the row
    ``y·stride`` itself is read by ``i = (k − 1) // 2``. For odd ``k`` that is the centre; for even
    ``k`` (e.g. 4 with padding 1, the usual ``Conv2d(…, 4, 2, 1)``) there is no centre and it is the
    upper-left of the four middle cells -- index 1 of 0…3 -- which is the one PyTorch's padding
    aligns with the output pixel. (Assumes ``dilation = 1``.)
    """
    return ((kh - 1) // 2, (kw - 1) // 2)


# -- the presets ---------------------------------------------------------------------------------

def zeros(kh: int, kw: int) -> np.ndarray:
    """All weights 0: this sub-kernel ignores its input channel."""
    _check_size(kh, kw)
    return np.zeros((kh, kw), dtype=np.float32)


def identity(kh: int, kw: int) -> np.ndarray:
    """A single 1 at :func:`anchor_cell`: the output copies the input (sub-sampled by the stride)."""
    _check_size(kh, kw)
    values = np.zeros((kh, kw), dtype=np.float32)
    values[anchor_cell(kh, kw)] = 1.0
    return values


def box_blur(kh: int, kw: int) -> np.ndarray:
    """Every weight ``1 / (kh·kw)``: the mean of the window (the weights sum to 1)."""
    _check_size(kh, kw)
    return np.full((kh, kw), 1.0 / (kh * kw), dtype=np.float32)


def laplacian(kh: int, kw: int) -> np.ndarray:
    """The discrete Laplacian (sum of second derivatives); its weights sum to 0.

    3×3 is the textbook 4-neighbour kernel ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``. Larger odd
    sizes use the Sobel construction (what OpenCV's ``Laplacian(ksize=n)`` uses): ``d²/dx²``
    along the columns times binomial smoothing along the rows, plus the same transposed. A 3-long
    side keeps ``[0, 1, 0]`` as its "smoothing" so that 3×3 stays the textbook kernel. Even sides
    use the even second difference (:func:`_second_derivative`), 4×4:
    ``[[2, 2, 2, 2], [2, -6, -6, 2], [2, -6, -6, 2], [2, 2, 2, 2]]`` -- a 2×2 centre against its
    ring. Sizes from 3×3.
    """
    _check_size(kh, kw)
    _needs_at_least(QT_TRANSLATE_NOOP("presets", "Laplacian"), kh, kw, 3)

    def smoothing(n: int) -> np.ndarray:
        return np.array([0.0, 1.0, 0.0]) if n == 3 else _binomial(n)

    values = np.outer(smoothing(kh), _second_derivative(kw)) + np.outer(_second_derivative(kh), smoothing(kw))
    return _clean(values)


def sharpen(kh: int, kw: int) -> np.ndarray:
    """Boosts a pixel against its neighbours (edges and detail stand out); the weights sum to 1.

    3×3 is the textbook ``[[0, -1, 0], [-1, 5, -1], [0, -1, 0]]`` (identity minus the Laplacian).
    Larger odd sizes are *unsharp masking*: ``2 · identity − Gaussian blur`` (binomial weights, the
    smoothing of the Sobel construction), i.e. "the image plus what blurring takes away".
    """
    _check_size(kh, kw)
    _needs_odd(QT_TRANSLATE_NOOP("presets", "Sharpen"), kh, kw)
    if (kh, kw) == (3, 3):
        values = -laplacian(3, 3).astype(np.float64)
        values[1, 1] += 1.0
    else:
        blur = np.outer(_binomial(kh), _binomial(kw))
        values = -blur / blur.sum()
        values[kh // 2, kw // 2] += 2.0
    return _clean(values)


def sobel_x(kh: int, kw: int) -> np.ndarray:
    """Horizontal derivative (responds to *vertical* edges): ``[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]``.

    Positive where the image gets brighter from left to right (dark on the left, bright on the
    right), negative for bright-to-dark. Larger odd sizes are binomial smoothing down the rows ⊗
    a smoothed derivative across the columns (5×5: ``[1,4,6,4,1]ᵀ ⊗ [-1,-2,0,2,1]``), unnormalised
    integers as in OpenCV's ``Sobel``. An even side takes the difference between its two middle
    cells (4×4: ``[1, 3, 3, 1]ᵀ ⊗ [-1, -1, 1, 1]``). Sizes from 2×2.
    """
    _check_size(kh, kw)
    _needs_at_least(QT_TRANSLATE_NOOP("presets", "Sobel x"), kh, kw, 2)
    return _clean(np.outer(_binomial(kh), _first_derivative(kw)))


def sobel_y(kh: int, kw: int) -> np.ndarray:
    """Vertical derivative (responds to *horizontal* edges): ``[[-1, -2, -1], [0, 0, 0], [1, 2, 1]]``.

    Positive where the image gets brighter from top to bottom (rows count downwards). The
    transpose of :func:`sobel_x`; even sides as there. Sizes from 2×2.
    """
    _check_size(kh, kw)
    _needs_at_least(QT_TRANSLATE_NOOP("presets", "Sobel y"), kh, kw, 2)
    return _clean(np.outer(_first_derivative(kh), _binomial(kw)))


def gabor_defaults(kh: int, kw: int) -> tuple[float, float]:
    """``(sigma, wavelength)`` that suit a ``kh×kw`` window: the Gaussian envelope fades to about
    0.2 at the border (σ = n/4) and about 1½ stripes fit (λ = n/1.5, at least 2 pixels, the
    shortest wave a pixel grid can show), where ``n = max(kh, kw)``."""
    n = max(kh, kw)
    return (max(n / 4.0, 0.5), max(n / 1.5, 2.0))


def gabor(kh: int, kw: int, theta: float = 0.0, sigma: float | None = None,
          wavelength: float | None = None, phase: float = 0.0, gamma: float = 0.5) -> np.ndarray:
    """A Gabor filter: stripes (a cosine wave) under a Gaussian envelope; any size.

    ``theta`` (degrees) is the direction, counter-clockwise from the x axis *as seen on screen*,
    along which the stripes alternate: 0° makes vertical stripes (a detector of vertical lines and
    edges), 90° horizontal ones; rotating ``theta`` by 90° rotates the kernel by 90°.
    ``sigma``/``wavelength`` (pixels) default to :func:`gabor_defaults`; ``phase`` (degrees)
    shifts the wave (0: a centred bright line, 90: an edge); ``gamma`` is the envelope's aspect
    ratio along the stripes. The centre is the geometric centre, between cells for even sizes.
    Peak value 1 (for odd sizes and ``phase = 0``).
    """
    _check_size(kh, kw)
    default_sigma, default_wavelength = gabor_defaults(kh, kw)
    theta = math.radians(_finite(theta, "the orientation"))
    sigma = default_sigma if sigma is None else _finite(sigma, "sigma")
    wavelength = default_wavelength if wavelength is None else _finite(wavelength, "the wavelength")
    phase = math.radians(_finite(phase, "the phase"))
    gamma = _finite(gamma, "gamma")
    if sigma <= 0 or wavelength <= 0 or gamma <= 0:
        raise DesignError(f"Gabor needs sigma, wavelength and gamma above 0, got σ={sigma}, "
                          f"λ={wavelength}, γ={gamma}")
    rows, cols = np.mgrid[0:kh, 0:kw].astype(np.float64)
    x = cols - (kw - 1) / 2.0
    y = (kh - 1) / 2.0 - rows          # upwards on screen, so theta turns counter-clockwise
    along = x * math.cos(theta) + y * math.sin(theta)       # across the stripes
    across = -x * math.sin(theta) + y * math.cos(theta)     # along the stripes
    envelope = np.exp(-(along**2 + (gamma * across) ** 2) / (2.0 * sigma**2))
    values = envelope * np.cos(2.0 * math.pi * along / wavelength + phase)
    values[np.abs(values) < 1e-12] = 0.0   # exact zeros instead of 6e-17 where the cosine vanishes
    return _clean(values)


# -- metadata ------------------------------------------------------------------------------------

ANY_SIZE = QT_TRANSLATE_NOOP("presets", "any size")
ODD_SIZES = QT_TRANSLATE_NOOP("presets", "odd sizes: 3×3, 5×5, …")
FROM_2 = QT_TRANSLATE_NOOP("presets", "2×2 and larger; an even side differences its two middle cells")
FROM_3 = QT_TRANSLATE_NOOP("presets", "3×3 and larger; an even side has a 2×2 centre")


@dataclass(frozen=True)
class Preset:
    """A named preset: ``key`` (stable, for code and settings), ``name`` and ``description`` (for a
    first CNN course), ``sizes`` (which sizes it has a version for, in words) and ``parameters``
    (the keyword arguments the ui offers, e.g. ``("theta",)``)."""

    key: str
    name: str
    description: str
    sizes: str
    function: Callable[..., np.ndarray] = field(repr=False)
    odd_only: bool = False
    parameters: tuple[str, ...] = ()
    min_size: int = 1

    def supports(self, kh: int, kw: int) -> bool:
        """Whether :meth:`values` has a version for ``kh×kw`` (without raising)."""
        if kh < max(self.min_size, 1) or kw < max(self.min_size, 1):
            return False
        return not self.odd_only or (kh % 2 == 1 and kw % 2 == 1 and kh >= 3 and kw >= 3)

    def values(self, kh: int, kw: int, **params: float) -> np.ndarray:
        """float32 ``[kh, kw]``; raises :class:`PresetNotAvailable` for an unsupported size."""
        unknown = set(params) - set(self.parameters)
        if unknown:
            raise DesignError(f"{self.name} takes no parameter {', '.join(sorted(unknown))}")
        return self.function(kh, kw, **params)

    def unavailable_message(self, kh: int, kw: int) -> str | None:
        """The :class:`PresetNotAvailable` sentence for ``kh×kw``, or None when it is available."""
        text = self.unavailable_text(kh, kw)
        return None if text is None else str(text)

    def unavailable_text(self, kh: int, kw: int) -> Text | None:
        """:meth:`unavailable_message` as a translatable :class:`~convdesigner.design.i18n.Text`."""
        if self.supports(kh, kw):
            return None
        try:
            self.function(kh, kw)
        except PresetNotAvailable as error:
            return error.text
        except DesignError as error:
            return Text("presets", str(error))
        return None  # pragma: no cover -- supports() and the function agree


PRESETS: dict[str, Preset] = {preset.key: preset for preset in (
    Preset("zeros", QT_TRANSLATE_NOOP("presets", "Zeros"),
           QT_TRANSLATE_NOOP(
               "presets",
               "Every weight 0: this output channel ignores the input channel completely."),
           ANY_SIZE, zeros),
    Preset("identity", QT_TRANSLATE_NOOP("presets", "Identity"),
           QT_TRANSLATE_NOOP(
               "presets",
               "A single 1 where the kernel sits over the output pixel's own position: the output "
               "copies the input (every stride-th pixel when the stride is above 1)."),
           ANY_SIZE, identity),
    Preset("box_blur", QT_TRANSLATE_NOOP("presets", "Box blur"),
           QT_TRANSLATE_NOOP(
               "presets",
               "Every weight 1/(kH·kW): each output is the mean of the window, so edges and noise "
               "are smoothed. The weights sum to 1, so flat areas keep their brightness."),
           ANY_SIZE, box_blur),
    Preset("sharpen", QT_TRANSLATE_NOOP("presets", "Sharpen"),
           QT_TRANSLATE_NOOP(
               "presets",
               "The centre weighted up, the neighbours down (the image plus the detail a blur would "
               "take away): edges and fine detail are boosted. The weights sum to 1."),
           ODD_SIZES, sharpen, odd_only=True),
    Preset("sobel_x", QT_TRANSLATE_NOOP("presets", "Sobel x"),
           QT_TRANSLATE_NOOP(
               "presets",
               "Left-to-right derivative: positive on vertical edges that go from dark (left) to "
               "bright (right), negative on bright-to-dark ones, 0 on flat areas."),
           FROM_2, sobel_x, min_size=2),
    Preset("sobel_y", QT_TRANSLATE_NOOP("presets", "Sobel y"),
           QT_TRANSLATE_NOOP(
               "presets",
               "Top-to-bottom derivative: positive on horizontal edges that go from dark (above) to "
               "bright (below), negative on the opposite ones, 0 on flat areas."),
           FROM_2, sobel_y, min_size=2),
    Preset("laplacian", QT_TRANSLATE_NOOP("presets", "Laplacian"),
           QT_TRANSLATE_NOOP(
               "presets",
               "Second derivative in every direction: strong (negative) on thin bright lines and "
               "dots, 0 on flat areas and even ramps. The weights sum to 0."),
           FROM_3, laplacian, min_size=3),
    Preset("gabor", QT_TRANSLATE_NOOP("presets", "Gabor"),
           QT_TRANSLATE_NOOP(
               "presets",
               "Stripes under a bell-shaped window: responds to lines and edges at one orientation "
               "θ (0° = vertical stripes, 90° = horizontal). Many first-layer kernels of trained CNNs "
               "look like this."),
           ANY_SIZE, gabor, parameters=("theta",)),
)}


def preset_values(key: str, kh: int, kw: int, **params: float) -> np.ndarray:
    """``PRESETS[key].values(kh, kw, **params)``; raises DesignError for an unknown key."""
    if key not in PRESETS:
        raise DesignError(f"there is no kernel preset called {key!r} "
                          f"(known: {', '.join(PRESETS)})")
    return PRESETS[key].values(kh, kw, **params)


# -- putting values into a layer -----------------------------------------------------------------

def _weight_of(layer: Conv2d) -> np.ndarray:
    if not isinstance(layer, Conv2d):
        raise DesignError(f"kernels can only be edited on a Conv2d layer, not on {layer!r}")
    if layer.weight is None:
        raise DesignError(f"{layer.torch_repr()} has no weights yet (fix the design first)")
    if layer.weight.shape != layer.weight_shape:
        raise DesignError(f"{layer.torch_repr()} holds weights of shape {list(layer.weight.shape)} "
                          f"instead of {list(layer.weight_shape)}")
    return layer.weight


def _check_kernel(layer: Conv2d, out_channel: int) -> None:
    if not 0 <= out_channel < layer.out_channels:
        raise DesignError(f"kernel {out_channel} does not exist: {layer.torch_repr()} has "
                          f"{layer.out_channels} kernels (0 to {layer.out_channels - 1})")


def _check_sub_kernel(layer: Conv2d, out_channel: int, sub_kernel: int) -> None:
    _check_kernel(layer, out_channel)
    if not 0 <= sub_kernel < layer.in_per_group:
        raise DesignError(f"sub-kernel {sub_kernel} does not exist: each kernel of "
                          f"{layer.torch_repr()} has {layer.in_per_group} sub-kernels "
                          f"(0 to {layer.in_per_group - 1})")


def _fitted(values: object, shape: tuple[int, ...], scope: str) -> np.ndarray:
    """``values`` as float32 of ``shape``: either exactly that shape or one ``[kH, kW]`` sub-kernel
    that is repeated over the scope."""
    array = np.asarray(values, dtype=np.float32)
    if array.shape != shape and array.shape != shape[-2:]:
        raise DesignError(f"values of shape {list(array.shape)} do not fit {scope}: it takes "
                          f"{list(shape[-2:])}" + (f" or {list(shape)}" if len(shape) > 2 else ""))
    if not np.all(np.isfinite(array)):
        raise DesignError("the values contain NaN or infinity")
    return np.broadcast_to(array, shape)


def _with_weight(layer: Conv2d, weight: np.ndarray) -> Conv2d:
    return layer.with_parameters(weight, layer.bias_values)


def sub_kernel_values(layer: Conv2d, out_channel: int, sub_kernel: int) -> np.ndarray:
    """A writable float32 copy of ``weight[out_channel, sub_kernel]`` ``[kH, kW]``."""
    weight = _weight_of(layer)
    _check_sub_kernel(layer, out_channel, sub_kernel)
    return np.array(weight[out_channel, sub_kernel], dtype=np.float32)


def apply_to_sub_kernel(layer: Conv2d, out_channel: int, sub_kernel: int, values: object) -> Conv2d:
    """A new layer whose ``weight[out_channel, sub_kernel]`` is ``values`` ``[kH, kW]``."""
    weight = np.array(_weight_of(layer))
    _check_sub_kernel(layer, out_channel, sub_kernel)
    weight[out_channel, sub_kernel] = _fitted(values, layer.kernel_size, "one sub-kernel")
    return _with_weight(layer, weight)


def apply_to_kernel(layer: Conv2d, out_channel: int, values: object) -> Conv2d:
    """A new layer whose every sub-kernel of kernel ``out_channel`` is ``values`` (``[kH, kW]``,
    repeated), or whose kernel is ``values`` ``[in/groups, kH, kW]``."""
    weight = np.array(_weight_of(layer))
    _check_kernel(layer, out_channel)
    weight[out_channel] = _fitted(values, weight.shape[1:], "one kernel")
    return _with_weight(layer, weight)


def apply_to_layer(layer: Conv2d, values: object) -> Conv2d:
    """A new layer whose every sub-kernel of every kernel is ``values`` (``[kH, kW]``, repeated),
    or whose whole weight is ``values`` ``[out, in/groups, kH, kW]``. The bias is kept."""
    weight = np.array(_weight_of(layer))
    weight[...] = _fitted(values, weight.shape, "the whole layer")
    return _with_weight(layer, weight)


def set_weight(layer: Conv2d, out_channel: int, sub_kernel: int, row: int, column: int,
               value: float) -> Conv2d:
    """A new layer with the single weight ``[out_channel, sub_kernel, row, column]`` set to
    ``value`` (as float32)."""
    values = sub_kernel_values(layer, out_channel, sub_kernel)
    kh, kw = layer.kernel_size
    if not (0 <= row < kh and 0 <= column < kw):
        raise DesignError(f"cell ({row}, {column}) is outside a {kh}×{kw} kernel")
    values[row, column] = np.float32(_finite(value, "a weight"))
    return apply_to_sub_kernel(layer, out_channel, sub_kernel, values)


def set_bias(layer: Conv2d, out_channel: int | None, value: object) -> Conv2d:
    """A new layer with the bias of kernel ``out_channel`` set to ``value`` (float32), or, with
    ``out_channel=None``, every bias set to ``value`` (one number or ``[out_channels]``)."""
    weight = _weight_of(layer)
    if not layer.bias:
        raise DesignError(f"{layer.torch_repr()} has no bias (bias=False)")
    bias = (np.zeros(layer.out_channels, np.float32) if layer.bias_values is None
            else np.array(layer.bias_values, dtype=np.float32))
    if out_channel is None:
        array = np.asarray(value, dtype=np.float32)
        if array.shape not in ((), bias.shape):
            raise DesignError(f"biases of shape {list(array.shape)} do not fit "
                              f"{layer.out_channels} kernels")
        if not np.all(np.isfinite(array)):
            raise DesignError("the biases contain NaN or infinity")
        bias[...] = array
    else:
        _check_kernel(layer, out_channel)
        bias[out_channel] = np.float32(_finite(value, "a bias"))
    return layer.with_parameters(weight, bias)


def zero_input_channel(layer: Conv2d, out_channel: int, sub_kernel: int) -> Conv2d:
    """A new layer whose sub-kernel ``[out_channel, sub_kernel]`` is all 0, so that kernel
    ``out_channel`` no longer reads that input channel. Keep :func:`sub_kernel_values` of the old
    layer (or the old layer itself) to :func:`restore_input_channel` later."""
    return apply_to_sub_kernel(layer, out_channel, sub_kernel, zeros(*layer.kernel_size))


def restore_input_channel(layer: Conv2d, out_channel: int, sub_kernel: int,
                          source: Conv2d | np.ndarray) -> Conv2d:
    """A new layer whose sub-kernel ``[out_channel, sub_kernel]`` is copied bit for bit from
    ``source``: saved values ``[kH, kW]``, or an earlier value of the layer (same weight shape)."""
    if isinstance(source, Conv2d):
        earlier = _weight_of(source)
        if earlier.shape != _weight_of(layer).shape:
            raise DesignError(f"cannot restore from weights of shape {list(earlier.shape)}: the "
                              f"layer's are {list(layer.weight_shape)}")
        source = earlier[out_channel, sub_kernel]
    return apply_to_sub_kernel(layer, out_channel, sub_kernel, source)


# -- a preset applied to a scope -------------------------------------------------------------------

#: The key of "PyTorch's default initialisation" (it needs torch, so it is not in PRESETS).
PYTORCH_INIT = "pytorch_default"
#: Where a preset goes: one sub-kernel, every sub-kernel of one kernel, or every kernel of the layer.
SCOPE_SUB_KERNEL, SCOPE_KERNEL, SCOPE_LAYER = "sub_kernel", "kernel", "layer"
SCOPES = (SCOPE_SUB_KERNEL, SCOPE_KERNEL, SCOPE_LAYER)


def apply_preset(layer: Conv2d, scope: str, values: object, out_channel: int = 0,
                 sub_kernel: int = 0, bias: object = None) -> Conv2d:
    """A new layer with ``values`` put into ``scope`` (one of :data:`SCOPES`) at kernel
    ``out_channel`` / sub-kernel ``sub_kernel``.

    ``values`` is one ``[kH, kW]`` kernel, repeated over the scope (a preset), or a whole weight
    ``[out, in/groups, kH, kW]`` of which the scope's part is taken (a seeded initialisation).
    ``bias`` None keeps the biases; a number sets the bias of every kernel the scope touches; an
    array ``[out_channels]`` gives those kernels their entries of it. Raises DesignError when
    something does not fit.
    """
    weight = np.asarray(values, dtype=np.float32)
    whole = weight.ndim == 4
    if scope == SCOPE_LAYER:
        new_layer = apply_to_layer(layer, weight)
    elif scope == SCOPE_KERNEL:
        new_layer = apply_to_kernel(layer, out_channel, weight[out_channel] if whole else weight)
    elif scope == SCOPE_SUB_KERNEL:
        new_layer = apply_to_sub_kernel(layer, out_channel, sub_kernel,
                                        weight[out_channel, sub_kernel] if whole else weight)
    else:
        raise DesignError(f"there is no scope called {scope!r} (known: {', '.join(SCOPES)})")
    if bias is None:
        return new_layer
    bias_array = np.asarray(bias, dtype=np.float32)
    if scope == SCOPE_LAYER:
        return set_bias(new_layer, None, bias_array)
    return set_bias(new_layer, out_channel, bias_array[out_channel] if bias_array.ndim else bias_array)
