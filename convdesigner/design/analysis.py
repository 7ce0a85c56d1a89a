"""Validation and shape arithmetic: what each layer does to the shape, and whether it can.

:func:`analyze` walks a design layer by layer, exactly as PyTorch would run it, and returns an
:class:`Analysis`: per layer the input and output shape, parameter count, multiply-accumulates,
receptive field and the output-size formula with the numbers substituted; plus every
:class:`Problem` found, each a plain-language sentence that carries the numbers.

It never raises for a design that can be constructed: problems are data, so the app can show them
next to the offending field while it keeps the last valid state. :func:`require_valid` turns the
first problem into a :class:`~convdesigner.errors.DesignError` for the command line.

Every user-visible text is also kept as a :class:`~convdesigner.design.i18n.Text` (an English
template with named placeholders and its values, marked for Qt's lupdate under the context
``"analysis"``), so the app can show it translated while the messages stay English here:
:attr:`Problem.text`, :attr:`LayerInfo.formula_texts`, :func:`describe_parameters_text`,
:meth:`Analysis.first_problem_text`.

Pure Python: no torch, no Qt. The arithmetic is tested against torch itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text, plural
from convdesigner.design.layers import (
    ACTIVATION_TYPES,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Design,
    Layer,
    LeakyReLU,
    MaxPool2d,
    Pair,
    Upsample,
    _Pool2d,
)
from convdesigner.errors import DesignError

#: The lupdate context of every text of this module.
CONTEXT = "analysis"

# Limits that keep the app responsive on a classroom laptop; PyTorch itself would accept more.
MAX_INPUT_SIDE = 2048
MAX_CHANNELS = 4096
MAX_VALUES_PER_TENSOR = 64 * 1024 * 1024
#: The largest integer PyTorch takes for any argument (int64).
MAX_TORCH_INT = 2**63 - 1
#: The largest kernel_size, stride, padding or dilation: PyTorch's pooling layers take C ints, and
#: for Conv2d it keeps every product of the shape arithmetic (dilation·(kernel_size − 1), 'same'
#: padding) far inside int64, where PyTorch would otherwise overflow.
MAX_SIZE_ARGUMENT = 2**31 - 1
#: The largest |negative_slope|: PyTorch converts it to the float32 of the tensors it scales.
MAX_FLOAT32 = 3.4028234663852886e38


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a design. ``layer`` is None for the input; ``field`` names the
    argument to fix (``'in_channels'``, ``'groups'``, ...) or is None when no single one is at fault.

    ``message`` is the English sentence; ``template`` and ``values`` are what it was made of
    (``message == template.format(**values)``), for the app to translate (see :attr:`text`).
    Layer problems start with the placeholder ``{layer}`` ("layer 2 (Conv2d)")."""

    layer: int | None
    field: str | None
    message: str
    template: str = dataclasses.field(default="", compare=False, repr=False)
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> Text:
        """The message as a translatable :class:`Text` (the plain message when made without a template)."""
        if not self.template:
            return Text(CONTEXT, self.message)
        return Text(CONTEXT, self.template, self.values)


def _problem(layer: int | None, where: str | None, template: str, /, **values: Any) -> Problem:
    return Problem(layer, where, template.format(**values), template, values)


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
    #: ``formula`` as translatable texts, line by line (``str(formula_texts[i]) == formula[i]``).
    formula_texts: tuple[Text, ...] = dataclasses.field(default=(), compare=False, repr=False)
    #: False when the layer's weight shape is undefined (``groups`` does not divide
    #: ``in_channels``): ``parameters``, ``weights`` and ``macs`` are then 0 and must be shown
    #: as unknown, never as a number.
    counts_defined: bool = True

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
    def totals_defined(self) -> bool:
        """Whether :attr:`total_parameters` and :attr:`total_macs` count every layer: False while
        a layer's shape or weight count is unknown (the totals are then only a lower bound)."""
        return all(info is not None and info.counts_defined for info in self.layers)

    @property
    def output_shape(self) -> tuple[int, int, int] | None:
        if not self.layers:
            return self.design.input.shape
        return self.layers[-1].out_shape if self.layers[-1] is not None else None

    def problems_of(self, index: int | None) -> list[Problem]:
        return [p for p in self.problems if p.layer == index]

    def first_problem_message(self) -> str | None:
        text = self.first_problem_text()
        return None if text is None else str(text)

    def first_problem_text(self) -> Text | None:
        """The first problem, and how many more there are, as a translatable :class:`Text`."""
        if not self.problems:
            return None
        extra = len(self.problems) - 1
        first = self.problems[0].text
        if not extra:
            return first
        return Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "{problem} (and {count} more problem)")
                    if extra == 1 else QT_TRANSLATE_NOOP("analysis", "{problem} (and {count} more problems)"),
                    {"problem": first, "count": extra})


def analyze(design: Design) -> Analysis:
    """Validate ``design`` and compute every layer's shape arithmetic. Never raises."""
    problems: list[Problem] = []
    spec = design.input
    for name, value, limit in (("channels", spec.channels, MAX_CHANNELS),
                               ("height", spec.height, MAX_INPUT_SIDE),
                               ("width", spec.width, MAX_INPUT_SIDE)):
        if value < 1:
            problems.append(_problem(None, name, QT_TRANSLATE_NOOP(
                "analysis", "input {name} must be at least 1, got {value}"), name=_WORDS[name], value=value))
        elif value > limit:
            problems.append(_problem(None, name, QT_TRANSLATE_NOOP(
                "analysis", "input {name} is {value:,}; the largest this app allows is {limit:,}"),
                name=_WORDS[name], value=value, limit=limit))
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
                found.append(_problem(index, None, QT_TRANSLATE_NOOP(
                    "analysis", "{layer}: output {c}×{h}×{w} = {count:,} values is more than this app "
                    "can show live ({limit:,})"), layer=_name(index, layer), c=c, h=h, w=w,
                    count=c * h * w, limit=MAX_VALUES_PER_TENSOR))
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


#: Words that fill a placeholder, translated like any template.
_WORDS = {
    "channels": Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "channels")),
    "height": Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "height")),
    "width": Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "width")),
}


def _name(index: int, layer: Layer) -> Text:
    """``layer 2 (Conv2d)``: how a problem message names its layer."""
    return Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "layer {index} ({kind})"),
                {"index": index, "kind": layer.kind})


def _channels(count: int) -> Text:
    return plural(CONTEXT, count, QT_TRANSLATE_NOOP("analysis", "{count:,} channel"),
                  QT_TRANSLATE_NOOP("analysis", "{count:,} channels"))


def _analyze_layer(index: int, layer: Layer, in_shape: tuple[int, int, int], receptive: Pair,
                   jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    if isinstance(layer, (ConvTranspose2d, BatchNorm2d, Upsample)):
        return _analyze_generator_layer(index, layer, in_shape, receptive, jump, problems)
    if isinstance(layer, Conv2d):
        return _analyze_conv(index, layer, in_shape, receptive, jump, problems)
    if isinstance(layer, _Pool2d):
        return _analyze_pool(index, layer, in_shape, receptive, jump, problems)
    if isinstance(layer, LeakyReLU) and abs(layer.negative_slope) > MAX_FLOAT32:
        problems.append(_problem(index, "negative_slope", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: negative_slope={value} is beyond what a float32 can hold (±{limit})"),
            layer=_name(index, layer), value=repr(layer.negative_slope), limit="3.4028235e+38"))
        return None
    if isinstance(layer, ACTIVATION_TYPES):
        line = Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "element-wise: the shape does not change"))
        return LayerInfo(index, layer, in_shape, in_shape, 0, 0, 0, 0, receptive, jump,
                         (str(line),), (line,))
    problems.append(_problem(index, None, QT_TRANSLATE_NOOP(
        "analysis", "layer {index}: unknown layer type {kind}"), index=index, kind=type(layer).__name__))
    return None


def _analyze_conv(index: int, layer: Conv2d, in_shape: tuple[int, int, int], receptive: Pair,
                  jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    name = _name(index, layer)
    channels, height, width = in_shape

    def problem(where: str | None, template: str, /, **values: Any) -> None:
        problems.append(_problem(index, where, template, layer=name, **values))

    for field in ("in_channels", "out_channels"):
        value = getattr(layer, field)
        if value < 1:
            problem(field, QT_TRANSLATE_NOOP("analysis", "{layer}: {field} must be at least 1, got {value}"),
                    field=field, value=value)
        elif value > MAX_CHANNELS:
            problem(field, QT_TRANSLATE_NOOP(
                "analysis", "{layer}: {field} is {value:,}; the largest this app allows is {limit:,}"),
                field=field, value=value, limit=MAX_CHANNELS)
    if layer.groups < 1:
        problem("groups", QT_TRANSLATE_NOOP("analysis", "{layer}: groups must be at least 1, got {groups}"),
                groups=layer.groups)
    else:
        if layer.in_channels >= 1 and layer.in_channels % layer.groups:
            problem("groups", QT_TRANSLATE_NOOP(
                "analysis", "{layer}: groups={groups} must divide in_channels={in_channels}"),
                groups=layer.groups, in_channels=layer.in_channels)
        if layer.out_channels >= 1 and layer.out_channels % layer.groups:
            problem("groups", QT_TRANSLATE_NOOP(
                "analysis", "{layer}: groups={groups} must divide out_channels={out_channels}"),
                groups=layer.groups, out_channels=layer.out_channels)
    if layer.in_channels >= 1 and layer.in_channels != channels:
        if index == 0:
            problem("in_channels", QT_TRANSLATE_NOOP(
                "analysis", "{layer}: in_channels is {in_channels} but the input has {channels}"),
                in_channels=layer.in_channels, channels=_channels(channels))
        else:
            problem("in_channels", QT_TRANSLATE_NOOP(
                "analysis", "{layer}: in_channels is {in_channels} but layer {previous} gives {channels}"),
                in_channels=layer.in_channels, previous=index - 1, channels=_channels(channels))
    for field, minimum in (("kernel_size", 1), ("stride", 1), ("dilation", 1)):
        pair = getattr(layer, field)
        if min(pair) < minimum:
            problem(field, QT_TRANSLATE_NOOP(
                "analysis", "{layer}: {field} must be at least {minimum}, got {value}"),
                field=field, minimum=minimum, value=_show_pair(pair))
    size_fields = [("kernel_size", layer.kernel_size), ("stride", layer.stride),
                   ("dilation", layer.dilation)]
    if not isinstance(layer.padding, str):
        size_fields.append(("padding", layer.padding))
    for field, pair in size_fields:
        _check_not_too_large(problems, index, name, field, pair, pool=False)
    if isinstance(layer.padding, str):
        if layer.padding == "same" and layer.stride != (1, 1):
            problem("padding", QT_TRANSLATE_NOOP(
                "analysis", "{layer}: padding='same' needs stride 1, but stride is {stride}"),
                stride=_show_pair(layer.stride))
    elif min(layer.padding) < 0 and layer.padding_mode == "zeros":
        problem("padding", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: padding must be at least 0, got {padding}"),
            padding=_show_pair(layer.padding))
    elif min(layer.padding) < 0:
        # PyTorch crops instead of padding here; a learner would see kernels read cells that the
        # explanation cannot show, so the app keeps padding at least 0 in every mode.
        problem("padding", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: padding must be at least 0, got {padding}. (With "
            "padding_mode='{mode}' PyTorch would crop the input instead; this app does not allow "
            "that, so that padding always means added cells.)"),
            padding=_show_pair(layer.padding), mode=layer.padding_mode)
    # Checked before the output shape, so that an edit such as kernel_size 128 is refused before
    # anyone initialises half a gigabyte of weights for it.
    too_many = weight_count_problem(layer, name, index)
    if too_many is not None:
        problems.append(too_many)
    shape_ok = not any(p.field in ("kernel_size", "stride", "dilation", "padding")
                       for p in problems if p.layer == index)
    if not shape_ok:
        return None

    pads = layer.padding_amounts()
    spans = layer.effective_kernel()
    if layer.padding_mode != "zeros":
        for (before, after), size, axis in zip(pads, (height, width), ("height", "width"), strict=True):
            largest = max(before, after)
            if layer.padding_mode == "reflect" and largest >= size:
                problem("padding", QT_TRANSLATE_NOOP(
                    "analysis", "{layer}: padding_mode='reflect' needs padding smaller than the input's "
                    "{axis}, but padding is {padding} and the {axis} is {size}"),
                    axis=_WORDS[axis], padding=largest, size=size)
            elif layer.padding_mode == "circular" and largest > size:
                problem("padding", QT_TRANSLATE_NOOP(
                    "analysis", "{layer}: padding_mode='circular' needs padding no larger than the "
                    "input's {axis}, but padding is {padding} and the {axis} is {size}"),
                    axis=_WORDS[axis], padding=largest, size=size)
    padded_h, padded_w = height + sum(pads[0]), width + sum(pads[1])
    if channels * padded_h * padded_w > MAX_VALUES_PER_TENSOR:
        # PyTorch builds the padded input in memory for padding modes other than zeros, and the
        # app does for every mode when it shows partial maps.
        problem("padding", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: the padded input, {c}×{h}×{w} = {count:,} values, is more than "
            "this app can hold ({limit:,})"), c=channels, h=padded_h, w=padded_w,
            count=channels * padded_h * padded_w, limit=MAX_VALUES_PER_TENSOR)
        return None
    out_h = _conv_out(height, sum(pads[0]), spans[0], layer.stride[0])
    out_w = _conv_out(width, sum(pads[1]), spans[1], layer.stride[1])
    formula = _conv_formula(layer, (height, width), (out_h, out_w))
    if out_h < 1 or out_w < 1:
        problem(None, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: output would be {out_h}×{out_w}: {formula}. The kernel (spanning "
            "{span_h}×{span_w} with dilation) is larger than the padded input {in_h}×{in_w}"),
            out_h=max(out_h, 0), out_w=max(out_w, 0), formula=_joined(formula),
            span_h=spans[0], span_w=spans[1], in_h=height + sum(pads[0]), in_w=width + sum(pads[1]))
        return None
    if any(p.layer == index and p.field == "padding" for p in problems):
        return None
    out_c = layer.out_channels
    kh, kw = layer.kernel_size
    # 64 input channels in 3 groups have no sub-kernel count: no count is made up (64 // 3 = 21).
    per_group = layer.in_per_group if layer.counts_defined else 0
    weights = out_c * per_group * kh * kw
    biases = out_c if layer.bias and layer.counts_defined else 0
    macs = out_c * out_h * out_w * per_group * kh * kw
    new_receptive = (receptive[0] + (spans[0] - 1) * jump[0], receptive[1] + (spans[1] - 1) * jump[1])
    new_jump = (jump[0] * layer.stride[0], jump[1] * layer.stride[1])
    groups_fit = layer.groups >= 1 and layer.in_channels % layer.groups == 0
    # With groups not dividing in_channels the needed shape is undefined: the groups message says it.
    if groups_fit and layer.weight is not None and layer.weight.shape != layer.weight_shape:
        problem("weight", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: weight has shape {shape} but the layer needs {needed} "
            "(out_channels, in_channels/groups, kH, kW)"),
            shape=list(layer.weight.shape), needed=list(layer.weight_shape))
    if layer.bias and layer.bias_values is not None and layer.bias_values.shape != (out_c,):
        problem("bias", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: bias has {count} values but the layer needs {needed} (one per "
            "output channel)"), count=layer.bias_values.size, needed=out_c)
    return LayerInfo(index, layer, in_shape, (out_c, out_h, out_w), weights + biases, weights, biases,
                     macs, new_receptive, new_jump, tuple(str(line) for line in formula), formula,
                     counts_defined=layer.counts_defined)


def _analyze_pool(index: int, layer: _Pool2d, in_shape: tuple[int, int, int], receptive: Pair,
                  jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    name = _name(index, layer)
    channels, height, width = in_shape
    kernel, stride, padding = layer.kernel_pair(), layer.stride_pair(), layer.padding_pair()
    start = len(problems)
    for field, pair, minimum in (("kernel_size", kernel, 1), ("stride", stride, 1), ("padding", padding, 0)):
        if min(pair) < minimum:
            problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
                "analysis", "{layer}: {field} must be at least {minimum}, got {value}"),
                layer=name, field=field, minimum=minimum, value=_show_pair(pair)))
    for field, pair in (("kernel_size", kernel), ("stride", stride), ("padding", padding)):
        _check_not_too_large(problems, index, name, field, pair, pool=True)
    if len(problems) > start:
        return None
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        problems.append(_problem(index, "padding", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: padding must be at most half the kernel size, but padding is "
            "{padding} and kernel_size is {kernel_size}"),
            layer=name, padding=_show_pair(padding), kernel_size=_show_pair(kernel)))
        return None
    out_h = _conv_out(height, 2 * padding[0], kernel[0], stride[0])
    out_w = _conv_out(width, 2 * padding[1], kernel[1], stride[1])
    formula = _pool_formula(layer, (height, width), (out_h, out_w))
    if out_h < 1 or out_w < 1:
        problems.append(_problem(index, None, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: output would be {out_h}×{out_w}: {formula}. The window "
            "{kernel_h}×{kernel_w} is larger than the padded input {in_h}×{in_w}"),
            layer=name, out_h=max(out_h, 0), out_w=max(out_w, 0), formula=_joined(formula),
            kernel_h=kernel[0], kernel_w=kernel[1], in_h=height + 2 * padding[0],
            in_w=width + 2 * padding[1]))
        return None
    new_receptive = (receptive[0] + (kernel[0] - 1) * jump[0], receptive[1] + (kernel[1] - 1) * jump[1])
    new_jump = (jump[0] * stride[0], jump[1] * stride[1])
    return LayerInfo(index, layer, in_shape, (channels, out_h, out_w), 0, 0, 0, 0, new_receptive,
                     new_jump, tuple(str(line) for line in formula), formula)


def weight_count_problem(layer: Layer, name: Text | str, index: int | None = None) -> Problem | None:
    """A :class:`Problem` when one of ``layer``'s tensors holds more than
    :data:`MAX_VALUES_PER_TENSOR` values (the kernel views show every one); ``name`` fills
    ``{layer}`` in the message, ``index`` is the problem's layer. None when they fit or when a
    shape is not defined (a problem of its own)."""
    shapes = layer.parameter_shapes() if layer.has_parameters else None
    if shapes is None or any(min(shape, default=1) < 1 for shape in shapes.values()):
        return None
    for shape in shapes.values():
        count = _count(shape)
        if count <= MAX_VALUES_PER_TENSOR:
            continue
        if len(shape) == 4:
            o, i, kh, kw = shape
            return _problem(index, None, QT_TRANSLATE_NOOP(
                "analysis", "{layer}: weight {o}×{i}×{kh}×{kw} = {count:,} values is more than this app can "
                "show live ({limit:,})"), layer=name, o=o, i=i, kh=kh, kw=kw, count=count,
                limit=MAX_VALUES_PER_TENSOR)
        return _problem(index, None, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: weight {shape} = {count:,} values is more than this app can "
            "show live ({limit:,})"), layer=name, shape="×".join(str(size) for size in shape),
            count=count, limit=MAX_VALUES_PER_TENSOR)
    return None


def _count(shape: tuple[int, ...]) -> int:
    result = 1
    for size in shape:
        result *= size
    return result


def _check_not_too_large(problems: list[Problem], index: int, name: Text, field: str, pair: Pair,
                         *, pool: bool) -> None:
    """A problem when ``pair`` holds a number PyTorch cannot take or the shape arithmetic could
    overflow with (see :data:`MAX_SIZE_ARGUMENT`)."""
    value = max(pair)
    if value > MAX_TORCH_INT:
        problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: {field}={value} is larger than PyTorch accepts (at most {limit:,})"),
            layer=name, field=field, value=value, limit=MAX_TORCH_INT))
    elif value > MAX_SIZE_ARGUMENT and pool:
        problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: {field}={value} is larger than PyTorch's pooling layers accept (at "
            "most {limit:,})"), layer=name, field=field, value=value, limit=MAX_SIZE_ARGUMENT))
    elif value > MAX_SIZE_ARGUMENT:
        problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: {field}={value} is larger than this app allows (at most {limit:,}), "
            "which keeps PyTorch's shape arithmetic from overflowing"),
            layer=name, field=field, value=value, limit=MAX_SIZE_ARGUMENT))


def _conv_out(size: int, total_padding: int, span: int, stride: int) -> int:
    # PyTorch: floor((size + pad_before + pad_after - dilation*(k-1) - 1) / stride) + 1,
    # where span = dilation*(k-1) + 1. Python's // floors negative numbers too, as C's division
    # in PyTorch would not -- callers treat anything below 1 as a collapse, so that is harmless.
    return (size + total_padding - span) // stride + 1


def _signed(number: int) -> str:
    """``-3`` as ``−3``: substituted numbers use the formula's own minus sign."""
    return str(number).replace("-", "\u2212")


def _show_pair(pair: Pair) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


def _joined(formula: tuple[Text, ...]) -> Text:
    """One formula line, or two joined by "; "."""
    if len(formula) == 1:
        return formula[0]
    return Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "{first}; {second}"),
                {"first": formula[0], "second": formula[1]})


def _dimension_labels(sizes: tuple[int, int], same: bool) -> list[tuple[str, str, int]]:
    if same:
        return [("H_out = W_out", "H_in", 0)]
    return [("H_out", "H_in", 0), ("W_out", "W_in", 1)]


def _conv_formula(layer: Conv2d, sizes: tuple[int, int], outs: tuple[int, int]) -> tuple[Text, ...]:
    pads = layer.padding_amounts()
    same = (sizes[0] == sizes[1] and layer.kernel_size[0] == layer.kernel_size[1]
            and layer.stride[0] == layer.stride[1] and layer.dilation[0] == layer.dilation[1]
            and pads[0] == pads[1])
    lines = []
    for label, _, axis in _dimension_labels(sizes, same):
        size, k, s, d = sizes[axis], layer.kernel_size[axis], layer.stride[axis], layer.dilation[axis]
        before, after = pads[axis]
        if layer.padding == "same":
            lines.append(Text(CONTEXT, QT_TRANSLATE_NOOP(
                "analysis", "{label} = input size = {size} (padding='same' pads {before} before and "
                "{after} after)"), {"label": label, "size": size, "before": before, "after": after}))
            continue
        pad_text = f"2·{before}" if before == after else f"{before} + {after}"
        numerator = size + before + after - d * (k - 1) - 1
        lines.append(Text(CONTEXT, QT_TRANSLATE_NOOP(
            "analysis", "{label} = ⌊(in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 "
            "= ⌊({size} + {pad} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 = {out}"),
            {"label": label, "size": size, "pad": pad_text, "d": d, "k": k, "s": s,
             "numerator": _signed(numerator), "out": _signed(outs[axis])}))
    return tuple(lines)


def _pool_formula(layer: _Pool2d, sizes: tuple[int, int], outs: tuple[int, int]) -> tuple[Text, ...]:
    kernel, stride, padding = layer.kernel_pair(), layer.stride_pair(), layer.padding_pair()
    same = sizes[0] == sizes[1] and kernel[0] == kernel[1] and stride[0] == stride[1] \
        and padding[0] == padding[1]
    lines = []
    for label, _, axis in _dimension_labels(sizes, same):
        size, k, s, p = sizes[axis], kernel[axis], stride[axis], padding[axis]
        numerator = size + 2 * p - k
        lines.append(Text(CONTEXT, QT_TRANSLATE_NOOP(
            "analysis", "{label} = ⌊(in + 2·padding − kernel_size) / stride⌋ + 1 = "
            "⌊({size} + 2·{p} − {k}) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 = {out}"),
            {"label": label, "size": size, "p": p, "k": k, "s": s, "numerator": _signed(numerator),
             "out": _signed(outs[axis])}))
    return tuple(lines)


def describe_parameters(info: LayerInfo) -> str:
    """The counts in words, as a teacher would say them (English; the app shows
    :func:`describe_parameters_text` translated).

    ``Layer 2: 128 kernels × 64 sub-kernels of 4×4 = 131,072 weights + 128 biases``
    """
    template, values = describe_parameters_template(info)
    return template.format(**values)


def describe_parameters_text(info: LayerInfo) -> Text:
    """:func:`describe_parameters` as a translatable :class:`Text`."""
    template, values = describe_parameters_template(info)
    return Text(CONTEXT, template, values)


def describe_parameters_template(info: LayerInfo) -> tuple[str, dict[str, Any]]:
    """``(template, values)`` of :func:`describe_parameters`: the English template (context
    ``"analysis"``) and its values, some of which are :class:`Text` themselves (the plural nouns,
    the bias and groups clauses, empty strings when absent)."""
    layer = info.layer
    if isinstance(layer, (ConvTranspose2d, BatchNorm2d, Upsample)):
        return _describe_generator_layer(info, layer)
    if not isinstance(layer, Conv2d):
        values: dict[str, Any] = {"index": info.index, "kind": layer.kind}
        if isinstance(layer, (MaxPool2d, AvgPool2d)):
            return QT_TRANSLATE_NOOP(
                "analysis", "Layer {index}: {kind} has no weights; it pools each channel on its own"), values
        return QT_TRANSLATE_NOOP(
            "analysis", "Layer {index}: {kind} has no weights; it acts on each value on its own"), values
    kh, kw = layer.kernel_size
    kernels = plural(CONTEXT, layer.out_channels, QT_TRANSLATE_NOOP("analysis", "{count:,} kernel"),
                     QT_TRANSLATE_NOOP("analysis", "{count:,} kernels"))
    if not info.counts_defined:
        return (QT_TRANSLATE_NOOP(
            "analysis", "Layer {index}: {kernels}; how many sub-kernels each has, and so how many "
            "weights, is undefined until groups={groups} divides in_channels={in_channels}"),
            {"index": info.index, "kernels": kernels, "groups": layer.groups,
             "in_channels": layer.in_channels})
    sub_kernels = Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "{count:,} sub-kernel of {kh}×{kw}")
                       if layer.in_per_group == 1
                       else QT_TRANSLATE_NOOP("analysis", "{count:,} sub-kernels of {kh}×{kw}"),
                       {"count": layer.in_per_group, "kh": kh, "kw": kw})
    biases: Text | str = ""
    if layer.bias:
        biases = plural(CONTEXT, info.biases, QT_TRANSLATE_NOOP("analysis", " + {count:,} bias"),
                        QT_TRANSLATE_NOOP("analysis", " + {count:,} biases"))
    groups: Text | str = ""
    if layer.groups > 1:
        groups = Text(CONTEXT, QT_TRANSLATE_NOOP(
            "analysis", " (groups={groups}: each kernel reads {per_group} of the {in_channels} input "
            "channels)"), {"groups": layer.groups, "per_group": layer.in_per_group,
                           "in_channels": layer.in_channels})
    return (QT_TRANSLATE_NOOP("analysis", "Layer {index}: {kernels} × {sub_kernels} = {weights:,} "
                              "weights{biases}{groups}"),
            {"index": info.index, "kernels": kernels, "sub_kernels": sub_kernels,
             "weights": info.weights, "biases": biases, "groups": groups})


# -- the generator's layers: ConvTranspose2d, BatchNorm2d, Upsample ------------------------------

def _analyze_generator_layer(index: int, layer: ConvTranspose2d | BatchNorm2d | Upsample,
                             in_shape: tuple[int, int, int], receptive: Pair, jump: Pair,
                             problems: list[Problem]) -> LayerInfo | None:
    if isinstance(layer, ConvTranspose2d):
        return _analyze_conv_transpose(index, layer, in_shape, receptive, jump, problems)
    if isinstance(layer, BatchNorm2d):
        return _analyze_batch_norm(index, layer, in_shape, receptive, jump, problems)
    return _analyze_upsample(index, layer, in_shape, receptive, jump, problems)


def _check_channel_count(index: int, name: Text, field: str, value: int, channels: int,
                         problems: list[Problem]) -> None:
    """The problems of a channel-count argument: at least 1, at most :data:`MAX_CHANNELS`."""
    if value < 1:
        problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: {field} must be at least 1, got {value}"),
            layer=name, field=field, value=value))
    elif value > MAX_CHANNELS:
        problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: {field} is {value:,}; the largest this app allows is {limit:,}"),
            layer=name, field=field, value=value, limit=MAX_CHANNELS))


def _check_channels_arrive(index: int, name: Text, field: str, value: int, channels: int,
                           problems: list[Problem]) -> None:
    """A problem when ``value`` (in_channels, num_features) differs from the channels arriving."""
    if value < 1 or value == channels:
        return
    if index == 0:
        problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: {field} is {value} but the input has {channels}"),
            layer=name, field=field, value=value, channels=_channels(channels)))
    else:
        problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: {field} is {value} but layer {previous} gives {channels}"),
            layer=name, field=field, value=value, previous=index - 1, channels=_channels(channels)))


def _analyze_conv_transpose(index: int, layer: ConvTranspose2d, in_shape: tuple[int, int, int],
                            receptive: Pair, jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    """The checks PyTorch makes (building the module, then running it), with the numbers."""
    name = _name(index, layer)
    channels, height, width = in_shape
    start = len(problems)

    def problem(where: str | None, template: str, /, **values: Any) -> None:
        problems.append(_problem(index, where, template, layer=name, **values))

    for field in ("in_channels", "out_channels"):
        _check_channel_count(index, name, field, getattr(layer, field), channels, problems)
    if layer.groups < 1:
        problem("groups", QT_TRANSLATE_NOOP("analysis", "{layer}: groups must be at least 1, got {groups}"),
                groups=layer.groups)
    else:
        for field in ("in_channels", "out_channels"):
            value = getattr(layer, field)
            if value >= 1 and value % layer.groups:
                problem("groups", QT_TRANSLATE_NOOP(
                    "analysis", "{layer}: groups={groups} must divide {field}={value}"),
                    groups=layer.groups, field=field, value=value)
    _check_channels_arrive(index, name, "in_channels", layer.in_channels, channels, problems)
    for field, minimum in (("kernel_size", 1), ("stride", 1), ("dilation", 1), ("padding", 0),
                           ("output_padding", 0)):
        pair = getattr(layer, field)
        if min(pair) < minimum:
            problem(field, QT_TRANSLATE_NOOP(
                "analysis", "{layer}: {field} must be at least {minimum}, got {value}"),
                field=field, minimum=minimum, value=_show_pair(pair))
    for field in ("kernel_size", "stride", "dilation", "padding", "output_padding"):
        _check_not_too_large(problems, index, name, field, getattr(layer, field), pool=False)
    if not any(p.field in ("stride", "dilation", "output_padding") for p in problems[start:]):
        for axis, op, s, d in zip((_WORDS["height"], _WORDS["width"]), layer.output_padding,
                                  layer.stride, layer.dilation, strict=True):
            if op >= s and op >= d:
                # PyTorch: "output padding must be smaller than either stride or dilation".
                problem("output_padding", QT_TRANSLATE_NOOP(
                    "analysis", "{layer}: output_padding must be smaller than stride or dilation, "
                    "but along the {axis} output_padding is {op}, stride {s} and dilation {d}"),
                    axis=axis, op=op, s=s, d=d)
                break
    too_many = weight_count_problem(layer, name, index)
    if too_many is not None:
        problems.append(too_many)
    if any(p.field in ("kernel_size", "stride", "dilation", "padding", "output_padding")
           for p in problems[start:]):
        return None
    out_h, out_w = layer.output_size(height, width)
    formula = _conv_transpose_formula(layer, (height, width), (out_h, out_w))
    if out_h < 1 or out_w < 1:
        problem(None, QT_TRANSLATE_NOOP(
            "analysis", "{layer}: output would be {out_h}×{out_w}: {formula}. The padding takes "
            "away more than the stamps cover"),
            out_h=max(out_h, 0), out_w=max(out_w, 0), formula=_joined(formula))
        return None
    out_c = layer.out_channels
    kh, kw = layer.kernel_size
    defined = layer.counts_defined
    weights = layer.in_channels * layer.out_per_group * kh * kw if defined else 0
    biases = out_c if layer.bias and defined else 0
    # Each input value times each tap of its sub-kernels (what torch's FLOP counter counts).
    macs = weights * height * width
    spans = layer.effective_kernel()
    # One output pixel receives stamps from at most ⌈span / stride⌉ input pixels per side.
    # Neighbouring output pixels are jump/stride input pixels apart; the jump is kept a whole
    # number (at least 1), so receptive fields after an upsampling layer are upper bounds.
    new_receptive = (receptive[0] + (-(-spans[0] // layer.stride[0]) - 1) * jump[0],
                     receptive[1] + (-(-spans[1] // layer.stride[1]) - 1) * jump[1])
    new_jump = (max(jump[0] // layer.stride[0], 1), max(jump[1] // layer.stride[1], 1))
    if defined and layer.weight is not None and layer.weight.shape != layer.weight_shape:
        problem("weight", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: weight has shape {shape} but the layer needs {needed} "
            "(in_channels, out_channels/groups, kH, kW)"),
            shape=list(layer.weight.shape), needed=list(layer.weight_shape))
    if layer.bias and layer.bias_values is not None and layer.bias_values.shape != (out_c,):
        problem("bias", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: bias has {count} values but the layer needs {needed} (one per "
            "output channel)"), count=layer.bias_values.size, needed=out_c)
    return LayerInfo(index, layer, in_shape, (out_c, out_h, out_w), weights + biases, weights, biases,
                     macs, new_receptive, new_jump, tuple(str(line) for line in formula), formula,
                     counts_defined=defined)


def _conv_transpose_formula(layer: ConvTranspose2d, sizes: tuple[int, int],
                            outs: tuple[int, int]) -> tuple[Text, ...]:
    same = (sizes[0] == sizes[1] and layer.kernel_size[0] == layer.kernel_size[1]
            and layer.stride[0] == layer.stride[1] and layer.dilation[0] == layer.dilation[1]
            and layer.padding[0] == layer.padding[1]
            and layer.output_padding[0] == layer.output_padding[1])
    lines = []
    for label, _, axis in _dimension_labels(sizes, same):
        lines.append(Text(CONTEXT, QT_TRANSLATE_NOOP(
            "analysis", "{label} = (in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + "
            "output_padding + 1 = ({size} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = {out}"),
            {"label": label, "size": sizes[axis], "s": layer.stride[axis], "p": layer.padding[axis],
             "d": layer.dilation[axis], "k": layer.kernel_size[axis],
             "op": layer.output_padding[axis], "out": _signed(outs[axis])}))
    return tuple(lines)


def _analyze_batch_norm(index: int, layer: BatchNorm2d, in_shape: tuple[int, int, int],
                        receptive: Pair, jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    name = _name(index, layer)
    channels = in_shape[0]
    start = len(problems)
    _check_channel_count(index, name, "num_features", layer.num_features, channels, problems)
    _check_channels_arrive(index, name, "num_features", layer.num_features, channels, problems)
    if not layer.eps > 0:
        # PyTorch takes any eps, but √(running_var + eps) must not be 0 or imaginary.
        problems.append(_problem(index, "eps", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: eps must be greater than 0 (it keeps √(running_var + eps) away "
            "from 0), got {value}"), layer=name, value=repr(layer.eps)))
    elif layer.eps > MAX_FLOAT32:
        problems.append(_problem(index, "eps", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: eps={value} is beyond what a float32 can hold (±{limit})"),
            layer=name, value=repr(layer.eps), limit="3.4028235e+38"))
    if abs(layer.momentum) > MAX_FLOAT32:
        problems.append(_problem(index, "momentum", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: momentum={value} is beyond what a float32 can hold (±{limit})"),
            layer=name, value=repr(layer.momentum), limit="3.4028235e+38"))
    if len(problems) > start:
        return None
    shapes = layer.parameter_shapes() or {}
    for field, value in layer.parameter_values().items():
        if value is not None and value.shape != shapes[field]:
            problems.append(_problem(index, field, QT_TRANSLATE_NOOP(
                "analysis", "{layer}: {field} has {count} values but the layer needs {needed} (one "
                "per channel)"), layer=name, field=field, count=value.size, needed=layer.num_features))
    var = layer.running_var
    if var is not None and var.shape == (layer.num_features,) and np.any(var < 0):
        where = int(np.argmax(var < 0))
        problems.append(_problem(index, "running_var", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: running_var is a variance and cannot be negative, but "
            "running_var[{channel}] is {value}"), layer=name, channel=where, value=repr(float(var[where]))))
    line = Text(CONTEXT, QT_TRANSLATE_NOOP(
        "analysis", "per channel (x − running_mean) / √(running_var + eps) · weight + bias: the "
        "shape does not change"))
    weights = layer.num_features if layer.affine else 0
    biases = layer.num_features if layer.has_bias else 0
    return LayerInfo(index, layer, in_shape, in_shape, weights + biases, weights, biases, 0,
                     receptive, jump, (str(line),), (line,))


def _analyze_upsample(index: int, layer: Upsample, in_shape: tuple[int, int, int],
                      receptive: Pair, jump: Pair, problems: list[Problem]) -> LayerInfo | None:
    name = _name(index, layer)
    channels, height, width = in_shape
    scales = layer.scale_pair()
    if min(scales) <= 0:
        problems.append(_problem(index, "scale_factor", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: scale_factor must be greater than 0, got {value}"),
            layer=name, value=repr(layer.scale_factor)))
        return None
    if max(scales) > MAX_VALUES_PER_TENSOR:
        problems.append(_problem(index, "scale_factor", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: scale_factor={value} is larger than this app allows (at most "
            "{limit:,})"), layer=name, value=repr(layer.scale_factor), limit=MAX_VALUES_PER_TENSOR))
        return None
    out_h, out_w = layer.output_size(height, width)
    same = height == width and scales[0] == scales[1]
    formula = tuple(Text(CONTEXT, QT_TRANSLATE_NOOP(
        "analysis", "{label} = ⌊in × scale_factor⌋ = ⌊{size} × {scale}⌋ = {out}"),
        {"label": label, "size": (height, width)[axis], "scale": repr(scales[axis]),
         "out": (out_h, out_w)[axis]})
        for label, _, axis in _dimension_labels((height, width), same))
    if out_h < 1 or out_w < 1:
        problems.append(_problem(index, "scale_factor", QT_TRANSLATE_NOOP(
            "analysis", "{layer}: output would be {out_h}×{out_w}: {formula}"),
            layer=name, out_h=out_h, out_w=out_w, formula=_joined(formula)))
        return None
    # nearest reads one input pixel, bilinear two neighbours per side.
    grow = 1 if layer.mode == "bilinear" else 0
    new_receptive = (receptive[0] + grow * jump[0], receptive[1] + grow * jump[1])
    new_jump = (max(int(jump[0] // scales[0]), 1), max(int(jump[1] // scales[1]), 1))
    return LayerInfo(index, layer, in_shape, (channels, out_h, out_w), 0, 0, 0, 0, new_receptive,
                     new_jump, tuple(str(line) for line in formula), formula)


def _describe_generator_layer(info: LayerInfo, layer: ConvTranspose2d | BatchNorm2d | Upsample
                              ) -> tuple[str, dict[str, Any]]:
    """:func:`describe_parameters_template` of a ConvTranspose2d, BatchNorm2d or Upsample."""
    if isinstance(layer, Upsample):
        return QT_TRANSLATE_NOOP(
            "analysis", "Layer {index}: Upsample has no weights; it enlarges each channel on its "
            "own ({mode})"), {"index": info.index, "mode": layer.mode}
    if isinstance(layer, BatchNorm2d):
        return QT_TRANSLATE_NOOP(
            "analysis", "Layer {index}: BatchNorm2d normalises each of its {count:,} channels with "
            "running_mean and running_var ({count:,} each, not learned) and learns {parameters:,} "
            "values (weight and bias)"), {"index": info.index, "count": layer.num_features,
                                           "parameters": info.parameters}
    kh, kw = layer.kernel_size
    if not info.counts_defined:
        return (QT_TRANSLATE_NOOP(
            "analysis", "Layer {index}: how many sub-kernels each input channel has, and so how "
            "many weights, is undefined until groups={groups} divides in_channels={in_channels} "
            "and out_channels={out_channels}"),
            {"index": info.index, "groups": layer.groups, "in_channels": layer.in_channels,
             "out_channels": layer.out_channels})
    sub_kernels = Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "{count:,} sub-kernel of {kh}×{kw} each")
                       if layer.out_per_group == 1
                       else QT_TRANSLATE_NOOP("analysis", "{count:,} sub-kernels of {kh}×{kw} each"),
                       {"count": layer.out_per_group, "kh": kh, "kw": kw})
    biases: Text | str = ""
    if layer.bias:
        biases = plural(CONTEXT, info.biases, QT_TRANSLATE_NOOP("analysis", " + {count:,} bias"),
                        QT_TRANSLATE_NOOP("analysis", " + {count:,} biases"))
    inputs = plural(CONTEXT, layer.in_channels, QT_TRANSLATE_NOOP("analysis", "{count:,} input channel"),
                    QT_TRANSLATE_NOOP("analysis", "{count:,} input channels"))
    return (QT_TRANSLATE_NOOP(
        "analysis", "Layer {index}: {inputs} × {sub_kernels} (one stamp per output channel) = "
        "{weights:,} weights{biases}"),
        {"index": info.index, "inputs": inputs, "sub_kernels": sub_kernels,
         "weights": info.weights, "biases": biases})
