"""Validation and shape arithmetic: what each layer does to the shape, and whether it can.

:func:`analyze` walks a design layer by layer, exactly as PyTorch would run it, and returns an
:class:`Analysis`: per layer the input and output shape, parameter count, multiply-accumulates,
receptive field and the output-size formula with the numbers substituted; plus every
:class:`Problem` found, each a plain-language sentence that carries the numbers.

It never raises for a design that can be constructed: problems are data, so the app can show them
next to the offending field while it keeps the last valid state. :func:`require_valid` turns the
first problem into a :class:`~convdesigner.errors.DesignError` for the command line.

Pure Python: no torch, no Qt. The arithmetic is tested against torch itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from convdesigner.design.layers import (
    ACTIVATION_TYPES, AvgPool2d, Conv2d, Design, Layer, MaxPool2d, Pair, _Pool2d,
)
from convdesigner.errors import DesignError

# Limits that keep the app responsive on a classroom laptop; PyTorch itself would accept more.
MAX_INPUT_SIDE = 2048
MAX_CHANNELS = 4096
MAX_VALUES_PER_TENSOR = 64 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a design. ``layer`` is None for the input; ``field`` names the
    argument to fix (``'in_channels'``, ``'groups'``, ...) or is None when no single one is at fault."""

    layer: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class LayerInfo:
    """What one layer does to the shape. Shapes are ``(channels, height, width)``.

    ``receptive_field`` is the size, in input pixels, of the input region one output pixel of this
    layer can see; ``jump`` is how many input pixels apart neighbouring output pixels are.
    ``formula`` holds the output-size arithmetic with the numbers substituted, one line per
    spatial dimension (or one for both when they are the same).
    """

    index: int
    layer: Layer
    in_shape: tuple[int, int, int]
    out_shape: tuple[int, int, int]
    parameters: int
    weights: int
    biases: int
    macs: int
    receptive_field: Pair
    jump: Pair
    formula: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.layer.kind


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`analyze`. ``layers[i]`` is None when layer ``i``'s output shape cannot
    be known (it, or a layer before it, collapses the shape)."""

    design: Design
    layers: tuple[LayerInfo | None, ...]
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def total_parameters(self) -> int:
        return sum(info.parameters for info in self.layers if info is not None)

    @property
    def total_macs(self) -> int:
        return sum(info.macs for info in self.layers if info is not None)

    @property
    def output_shape(self) -> tuple[int, int, int] | None:
        if not self.layers:
            return self.design.input.shape
        return self.layers[-1].out_shape if self.layers[-1] is not None else None

    def problems_of(self, index: int | None) -> list[Problem]:
        return [p for p in self.problems if p.layer == index]

    def first_problem_message(self) -> str | None:
        if not self.problems:
            return None
        extra = len(self.problems) - 1
        message = self.problems[0].message
        if extra:
            message += f" (and {extra} more problem{'s' if extra > 1 else ''})"
        return message


def analyze(design: Design) -> Analysis:
    """Validate ``design`` and compute every layer's shape arithmetic. Never raises."""
    problems: list[Problem] = []
    spec = design.input
    for name, value, limit in (("channels", spec.channels, MAX_CHANNELS),
                               ("height", spec.height, MAX_INPUT_SIDE),
                               ("width", spec.width, MAX_INPUT_SIDE)):
        if value < 1:
            problems.append(Problem(None, name, f"input {name} must be at least 1, got {value}"))
        elif value > limit:
            problems.append(Problem(None, name,
                                    f"input {name} is {value:,}; the largest this app allows is {limit:,}"))
    infos: list[LayerInfo | None] = []
    shape: tuple[int, int, int] | None = spec.shape if not problems else None
    receptive, jump = (1, 1), (1, 1)
    for index, layer in enumerate(design.layers):
        if shape is None:
            infos.append(None)
            continue
        found: list[Problem] = []
        info = _analyze_layer(index, layer, shape, receptive, jump, found)
        if info is not None:
            c, h, w = info.out_shape
            if c * h * w > MAX_VALUES_PER_TENSOR:
                found.append(Problem(index, None, (
                    f"{_name(index, layer)}: output {c}×{h}×{w} = {c * h * w:,} values is more than "
                    f"this app can show live ({MAX_VALUES_PER_TENSOR:,})")))
        problems.extend(found)
        infos.append(info)
        if info is None:
            shape = None
        else:
            shape, receptive, jump = info.out_shape, info.receptive_field, info.jump
    return Analysis(design, tuple(infos), tuple(problems))


def require_valid(design: Design) -> Analysis:
    """:func:`analyze`, raising :class:`DesignError` with the first problem when there is one."""
    analysis = analyze(design)
    if analysis.problems:
        raise DesignError(analysis.first_problem_message())
    return analysis


def _name(index: int, layer: Layer) -> str:
    return f"layer {index} ({layer.kind})"


def _source(index: int) -> str:
    return "the input" if index == 0 else f"layer {index - 1}"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {plural or word + 's'}"


def _analyze_layer(index: int, layer: Layer, in_shape: tuple[int, int, int], receptive: Pair,
                   jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    if isinstance(layer, Conv2d):
        return _analyze_conv(index, layer, in_shape, receptive, jump, problems)
    if isinstance(layer, _Pool2d):
        return _analyze_pool(index, layer, in_shape, receptive, jump, problems)
    if isinstance(layer, ACTIVATION_TYPES):
        return LayerInfo(index, layer, in_shape, in_shape, 0, 0, 0, 0, receptive, jump,
                         ("element-wise: the shape does not change",))
    problems.append(Problem(index, None, f"layer {index}: unknown layer type {type(layer).__name__}"))
    return None


def _analyze_conv(index: int, layer: Conv2d, in_shape: tuple[int, int, int], receptive: Pair,
                  jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    name = _name(index, layer)
    channels, height, width = in_shape

    def problem(field: str | None, text: str) -> None:
        problems.append(Problem(index, field, f"{name}: {text}"))

    for field in ("in_channels", "out_channels"):
        value = getattr(layer, field)
        if value < 1:
            problem(field, f"{field} must be at least 1, got {value}")
        elif value > MAX_CHANNELS:
            problem(field, f"{field} is {value:,}; the largest this app allows is {MAX_CHANNELS:,}")
    if layer.groups < 1:
        problem("groups", f"groups must be at least 1, got {layer.groups}")
    else:
        if layer.in_channels >= 1 and layer.in_channels % layer.groups:
            problem("groups", f"groups={layer.groups} must divide in_channels={layer.in_channels}")
        if layer.out_channels >= 1 and layer.out_channels % layer.groups:
            problem("groups", f"groups={layer.groups} must divide out_channels={layer.out_channels}")
    if layer.in_channels >= 1 and layer.in_channels != channels:
        gives = "has" if index == 0 else "gives"
        problem("in_channels", f"in_channels is {layer.in_channels} but {_source(index)} {gives} "
                f"{_plural(channels, 'channel')}")
    for field, minimum in (("kernel_size", 1), ("stride", 1), ("dilation", 1)):
        pair = getattr(layer, field)
        if min(pair) < minimum:
            problem(field, f"{field} must be at least {minimum}, got {_show_pair(pair)}")
    if isinstance(layer.padding, str):
        if layer.padding == "same" and layer.stride != (1, 1):
            problem("padding", f"padding='same' needs stride 1, but stride is {_show_pair(layer.stride)}")
    elif min(layer.padding) < 0:
        problem("padding", f"padding must be at least 0, got {_show_pair(layer.padding)}")
    shape_ok = not any(p.field in ("kernel_size", "stride", "dilation", "padding")
                       for p in problems if p.layer == index)
    if not shape_ok:
        return None

    pads = layer.padding_amounts()
    spans = layer.effective_kernel()
    if layer.padding_mode != "zeros":
        for (before, after), size, axis in zip(pads, (height, width), ("height", "width")):
            largest = max(before, after)
            if layer.padding_mode == "reflect" and largest >= size:
                problem("padding", f"padding_mode='reflect' needs padding smaller than the input's "
                        f"{axis}, but padding is {largest} and the {axis} is {size}")
            elif layer.padding_mode == "circular" and largest > size:
                problem("padding", f"padding_mode='circular' needs padding no larger than the input's "
                        f"{axis}, but padding is {largest} and the {axis} is {size}")
    out_h = _conv_out(height, sum(pads[0]), spans[0], layer.stride[0])
    out_w = _conv_out(width, sum(pads[1]), spans[1], layer.stride[1])
    formula = _conv_formula(layer, (height, width), (out_h, out_w))
    if out_h < 1 or out_w < 1:
        problem(None, f"output would be {max(out_h, 0)}×{max(out_w, 0)}: "
                f"{formula[0] if len(formula) == 1 else '; '.join(formula)}. The kernel "
                f"(spanning {spans[0]}×{spans[1]} with dilation) is larger than the padded input "
                f"{height + sum(pads[0])}×{width + sum(pads[1])}")
        return None
    if any(p.layer == index and p.field == "padding" for p in problems):
        return None
    out_c = layer.out_channels
    kh, kw = layer.kernel_size
    per_group = layer.in_channels // layer.groups if layer.groups >= 1 else 0
    weights = out_c * per_group * kh * kw
    biases = out_c if layer.bias else 0
    macs = out_c * out_h * out_w * per_group * kh * kw
    new_receptive = (receptive[0] + (spans[0] - 1) * jump[0], receptive[1] + (spans[1] - 1) * jump[1])
    new_jump = (jump[0] * layer.stride[0], jump[1] * layer.stride[1])
    groups_fit = layer.groups >= 1 and layer.in_channels % layer.groups == 0
    # With groups not dividing in_channels the needed shape is undefined: the groups message says it.
    if groups_fit and layer.weight is not None and layer.weight.shape != layer.weight_shape:
        problem("weight", f"weight has shape {list(layer.weight.shape)} but the layer needs "
                f"{list(layer.weight_shape)} (out_channels, in_channels/groups, kH, kW)")
    if layer.bias and layer.bias_values is not None and layer.bias_values.shape != (out_c,):
        problem("bias", f"bias has {layer.bias_values.size} values but the layer needs {out_c} "
                "(one per output channel)")
    return LayerInfo(index, layer, in_shape, (out_c, out_h, out_w), weights + biases, weights, biases,
                     macs, new_receptive, new_jump, formula)


def _analyze_pool(index: int, layer: _Pool2d, in_shape: tuple[int, int, int], receptive: Pair,
                  jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    name = _name(index, layer)
    channels, height, width = in_shape
    kernel, stride, padding = layer.kernel_pair(), layer.stride_pair(), layer.padding_pair()
    start = len(problems)
    for field, pair, minimum in (("kernel_size", kernel, 1), ("stride", stride, 1), ("padding", padding, 0)):
        if min(pair) < minimum:
            problems.append(Problem(index, field,
                                    f"{name}: {field} must be at least {minimum}, got {_show_pair(pair)}"))
    if len(problems) > start:
        return None
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        problems.append(Problem(index, "padding", (
            f"{name}: padding must be at most half the kernel size, but padding is "
            f"{_show_pair(padding)} and kernel_size is {_show_pair(kernel)}")))
        return None
    out_h = _conv_out(height, 2 * padding[0], kernel[0], stride[0])
    out_w = _conv_out(width, 2 * padding[1], kernel[1], stride[1])
    formula = _pool_formula(layer, (height, width), (out_h, out_w))
    if out_h < 1 or out_w < 1:
        problems.append(Problem(index, None, (
            f"{name}: output would be {max(out_h, 0)}×{max(out_w, 0)}: {'; '.join(formula)}. "
            f"The window {kernel[0]}×{kernel[1]} is larger than the padded input "
            f"{height + 2 * padding[0]}×{width + 2 * padding[1]}")))
        return None
    new_receptive = (receptive[0] + (kernel[0] - 1) * jump[0], receptive[1] + (kernel[1] - 1) * jump[1])
    new_jump = (jump[0] * stride[0], jump[1] * stride[1])
    return LayerInfo(index, layer, in_shape, (channels, out_h, out_w), 0, 0, 0, 0, new_receptive,
                     new_jump, formula)


def _conv_out(size: int, total_padding: int, span: int, stride: int) -> int:
    # PyTorch: floor((size + pad_before + pad_after - dilation*(k-1) - 1) / stride) + 1,
    # where span = dilation*(k-1) + 1. Python's // floors negative numbers too, as C's division
    # in PyTorch would not -- callers treat anything below 1 as a collapse, so that is harmless.
    return (size + total_padding - span) // stride + 1


def _show_pair(pair: Pair) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


def _dimension_labels(sizes: tuple[int, int], same: bool) -> list[tuple[str, str, int]]:
    if same:
        return [("H_out = W_out", "H_in", 0)]
    return [("H_out", "H_in", 0), ("W_out", "W_in", 1)]


def _conv_formula(layer: Conv2d, sizes: tuple[int, int], outs: tuple[int, int]) -> tuple[str, ...]:
    pads = layer.padding_amounts()
    same = (sizes[0] == sizes[1] and layer.kernel_size[0] == layer.kernel_size[1]
            and layer.stride[0] == layer.stride[1] and layer.dilation[0] == layer.dilation[1]
            and pads[0] == pads[1])
    lines = []
    for label, _, axis in _dimension_labels(sizes, same):
        size, k, s, d = sizes[axis], layer.kernel_size[axis], layer.stride[axis], layer.dilation[axis]
        before, after = pads[axis]
        if layer.padding == "same":
            lines.append(f"{label} = input size = {size} (padding='same' pads {before} before and "
                         f"{after} after)")
            continue
        pad_text = f"2·{before}" if before == after else f"{before} + {after}"
        numerator = size + before + after - d * (k - 1) - 1
        lines.append(
            f"{label} = ⌊(in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 "
            f"= ⌊({size} + {pad_text} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 "
            f"= {outs[axis]}")
    return tuple(lines)


def _pool_formula(layer: _Pool2d, sizes: tuple[int, int], outs: tuple[int, int]) -> tuple[str, ...]:
    kernel, stride, padding = layer.kernel_pair(), layer.stride_pair(), layer.padding_pair()
    same = sizes[0] == sizes[1] and kernel[0] == kernel[1] and stride[0] == stride[1] \
        and padding[0] == padding[1]
    lines = []
    for label, _, axis in _dimension_labels(sizes, same):
        size, k, s, p = sizes[axis], kernel[axis], stride[axis], padding[axis]
        numerator = size + 2 * p - k
        lines.append(f"{label} = ⌊(in + 2·padding − kernel_size) / stride⌋ + 1 = "
                     f"⌊({size} + 2·{p} − {k}) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 = {outs[axis]}")
    return tuple(lines)


def describe_parameters(info: LayerInfo) -> str:
    """The counts in words, as a teacher would say them (English; the ui translates its own).

    ``Layer 2: 128 kernels × 64 sub-kernels of 4×4 = 131,072 weights + 128 biases``
    """
    layer = info.layer
    if not isinstance(layer, Conv2d):
        if isinstance(layer, (MaxPool2d, AvgPool2d)):
            return f"Layer {info.index}: {layer.kind} has no weights; it pools each channel on its own"
        return f"Layer {info.index}: {layer.kind} has no weights; it acts on each value on its own"
    kh, kw = layer.kernel_size
    text = (f"Layer {info.index}: {_plural(layer.out_channels, 'kernel')} × "
            f"{_plural(layer.in_per_group, 'sub-kernel')} of {kh}×{kw} = {info.weights:,} weights")
    if layer.bias:
        text += f" + {_plural(info.biases, 'bias', 'biases')}"
    if layer.groups > 1:
        text += (f" (groups={layer.groups}: each kernel reads {layer.in_per_group} of the "
                 f"{layer.in_channels} input channels)")
    return text
