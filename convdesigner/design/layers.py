"""The layers of a design and the design itself, as immutable values.

Pure Python plus numpy: this module imports neither torch nor Qt, so a design can be built,
validated and saved anywhere (the command line, a worker thread, a test).

Every value here is frozen. An edit makes a new value (``dataclasses.replace`` or the ``with_*``
helpers of :class:`Design`), which is what makes undo and off-thread computation simple: a worker
gets a snapshot that nobody can change under it.

Construction checks *types* (an int where an int belongs, a known padding mode) and raises
:class:`~convdesigner.errors.DesignError` when they are wrong. Rules that relate values to each
other or to the incoming shape (``groups`` must divide ``in_channels``, the output must not collapse
to 0×0) are checked by :func:`convdesigner.design.analysis.analyze`, because the app must be able to
hold -- and show -- a design that the user is still in the middle of fixing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeGuard, TypeVar

import numpy as np

from convdesigner.errors import DesignError

Pair = tuple[int, int]
PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]
PaddingString = Literal["same", "valid"]
PADDING_MODES: tuple[PaddingMode, ...] = ("zeros", "reflect", "replicate", "circular")
PADDING_STRINGS: tuple[PaddingString, ...] = ("same", "valid")


def _is_int(value: object) -> TypeGuard[int | np.integer[Any]]:
    # bool is an int subclass, but ``kernel_size=True`` is a mistake, not a 1.
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _as_int(value: object, what: str) -> int:
    if not _is_int(value):
        raise DesignError(f"{what} must be an integer, got {value!r}")
    return int(value)


def as_pair(value: object, what: str) -> Pair:
    """``4`` -> ``(4, 4)``; ``(3, 5)`` -> ``(3, 5)``; anything else raises DesignError."""
    if _is_int(value):
        return (int(value), int(value))
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value):
        return (int(value[0]), int(value[1]))
    raise DesignError(f"{what} must be an integer or a pair of integers, got {value!r}")


def _int_or_pair(value: object, what: str) -> int | Pair:
    """Keep an int an int and a pair a tuple (PyTorch's pooling layers print what they were given)."""
    if _is_int(value):
        return int(value)
    return as_pair(value, what)


def _readonly_float32(array: object, what: str) -> np.ndarray:
    try:
        result = np.array(array, dtype=np.float32, copy=True)
    except (TypeError, ValueError) as error:
        raise DesignError(f"{what} must be numbers: {error}") from None
    if not np.all(np.isfinite(result)):
        raise DesignError(f"{what} contains NaN or infinity")
    result.flags.writeable = False
    return result


@dataclass(frozen=True)
class InputSpec:
    """The shape of the input image: ``channels`` × ``height`` × ``width`` (PyTorch's C, H, W)."""

    channels: int = 1
    height: int = 28
    width: int = 28

    def __post_init__(self) -> None:
        for name in ("channels", "height", "width"):
            object.__setattr__(self, name, _as_int(getattr(self, name), f"input {name}"))

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.channels, self.height, self.width)


_L = TypeVar("_L", bound="Layer")


@dataclass(frozen=True)
class Layer:
    """Base of every layer kind. ``kind`` is the class name used by PyTorch and by design files.

    **Parameters.** A layer with ``has_parameters`` holds its tensors as optional float32
    read-only arrays, one dataclass field each; :attr:`parameter_fields` maps the name PyTorch's
    ``state_dict`` gives a tensor (``"weight"``, ``"bias"``, ``"running_mean"``, ...) to the field
    holding it. The generic methods below (:meth:`parameter_names`, :meth:`parameter_values`,
    :meth:`with_parameter_values`, ...) are what the file format, the weight initialisation, the
    engine and the exporter use, so a new parametric layer only declares its fields and shapes.
    Parameters take no part in ``==``.
    """

    kind: ClassVar[str] = ""
    has_parameters: ClassVar[bool] = False
    #: state_dict name -> dataclass field, in PyTorch's order (empty for a layer without parameters).
    parameter_fields: ClassVar[Mapping[str, str]] = {}

    def torch_repr(self) -> str:
        """The line ``print(model)`` shows for this layer, exactly as PyTorch writes it."""
        raise NotImplementedError

    def parameter_names(self) -> tuple[str, ...]:
        """The state_dict names of the tensors this layer has with its current arguments (a
        ``Conv2d`` with ``bias=False`` has only ``"weight"``)."""
        return tuple(self.parameter_fields)

    def parameter_shapes(self) -> dict[str, tuple[int, ...]] | None:
        """``{name: shape}`` of :meth:`parameter_names`, or None while a shape is undefined (an
        argument that PyTorch would refuse, such as ``groups`` not dividing ``in_channels``)."""
        return {}

    def parameter_values(self) -> dict[str, np.ndarray | None]:
        """``{name: array or None}`` for each of :meth:`parameter_names` (None: not given; the
        compute layer initialises it from the design's seed)."""
        return {name: getattr(self, self.parameter_fields[name]) for name in self.parameter_names()}

    def with_parameter_values(self: _L, values: Mapping[str, np.ndarray | None]) -> _L:
        """A copy holding ``values`` (copied to float32, read-only); names it does not mention,
        and tensors the layer does not have with its arguments, become None."""
        present = set(self.parameter_names())
        return replace(self, **{field: values.get(name) if name in present else None
                                for name, field in self.parameter_fields.items()})

    def without_parameters(self: _L) -> _L:
        return self.with_parameter_values({})

    @property
    def has_explicit_parameters(self) -> bool:
        """True when every tensor this layer has is given (always, for a layer without any)."""
        return all(value is not None for value in self.parameter_values().values())

    def parameters_fit(self) -> bool:
        """True when every given tensor has the shape the arguments need."""
        shapes = self.parameter_shapes()
        if shapes is None:
            return False
        return all(value is None or value.shape == shapes[name]
                   for name, value in self.parameter_values().items())

    def same_parameters(self, other: Layer) -> bool:
        """True when both layers hold bit-identical parameters (or both hold none)."""
        mine, theirs = self.parameter_values(), other.parameter_values()
        return mine.keys() == theirs.keys() and all(
            _same_array(value, theirs[name]) for name, value in mine.items())

    def _freeze_parameters(self) -> None:
        """Make every given parameter a float32 read-only copy (for ``__post_init__``)."""
        for name, field_name in self.parameter_fields.items():
            value = getattr(self, field_name)
            if value is not None:
                object.__setattr__(self, field_name, _readonly_float32(value, name))


@dataclass(frozen=True)
class Conv2d(Layer):
    """``nn.Conv2d`` with every argument, normalised as PyTorch normalises it.

    ``kernel_size``, ``stride`` and ``dilation`` are pairs; ``padding`` is a pair or the string
    ``'same'`` / ``'valid'``. ``bias`` is the flag; ``bias_values`` and ``weight`` are the optional
    parameters (float32, read-only): ``weight`` has shape
    ``[out_channels, in_channels // groups, kH, kW]`` and ``bias_values`` ``[out_channels]``.
    Missing parameters are initialised by the compute layer from the design's seed.
    Parameters take no part in ``==`` (compare them with :meth:`same_parameters`).
    """

    kind: ClassVar[str] = "Conv2d"
    has_parameters: ClassVar[bool] = True
    parameter_fields: ClassVar[Mapping[str, str]] = {"weight": "weight", "bias": "bias_values"}

    in_channels: int = 1
    out_channels: int = 1
    kernel_size: Pair = (3, 3)
    stride: Pair = (1, 1)
    padding: Pair | PaddingString = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = True
    padding_mode: PaddingMode = "zeros"
    weight: np.ndarray | None = field(default=None, compare=False, repr=False)
    bias_values: np.ndarray | None = field(default=None, compare=False, repr=False)

    if TYPE_CHECKING:
        # What the generated __init__ accepts: ints where PyTorch takes ints, any text for the
        # padding and its mode (a design file's); __post_init__ makes the pairs that the fields
        # hold and refuses text that is not one of PADDING_STRINGS / PADDING_MODES.
        def __init__(self, in_channels: int = 1, out_channels: int = 1,
                     kernel_size: int | Pair = (3, 3), stride: int | Pair = (1, 1),
                     padding: int | Pair | str = (0, 0), dilation: int | Pair = (1, 1),
                     groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                     weight: np.ndarray | None = None,
                     bias_values: np.ndarray | None = None) -> None: ...

    def __post_init__(self) -> None:
        def set_(name: str, value: object) -> None:  # the dataclass is frozen
            object.__setattr__(self, name, value)

        set_("in_channels", _as_int(self.in_channels, "in_channels"))
        set_("out_channels", _as_int(self.out_channels, "out_channels"))
        set_("kernel_size", as_pair(self.kernel_size, "kernel_size"))
        set_("stride", as_pair(self.stride, "stride"))
        set_("dilation", as_pair(self.dilation, "dilation"))
        set_("groups", _as_int(self.groups, "groups"))
        if isinstance(self.padding, str):
            if self.padding not in PADDING_STRINGS:
                raise DesignError(
                    f"padding must be an integer, a pair, 'same' or 'valid', got {self.padding!r}")
        else:
            set_("padding", as_pair(self.padding, "padding"))
        if not isinstance(self.bias, (bool, np.bool_)):
            raise DesignError(f"bias must be true or false, got {self.bias!r}")
        set_("bias", bool(self.bias))
        if self.padding_mode not in PADDING_MODES:
            raise DesignError(
                f"padding_mode must be one of {', '.join(PADDING_MODES)}, got {self.padding_mode!r}")
        self._freeze_parameters()

    @property
    def in_per_group(self) -> int:
        """Sub-kernels per kernel: how many input channels each output channel reads. Meaningful
        only when :attr:`counts_defined` (``groups`` divides ``in_channels``)."""
        return self.in_channels // self.groups if self.groups > 0 else 0

    @property
    def counts_defined(self) -> bool:
        """Whether the weight's shape, and so every count of weights and MACs, is defined:
        ``groups`` must divide ``in_channels`` (64 channels in 3 groups have no sub-kernel count)."""
        return self.groups > 0 and self.in_channels % self.groups == 0

    def input_channels_of(self, out_channel: int) -> range:
        """The input channels kernel ``out_channel`` reads: the ``in_per_group`` channels of its
        group (``groups`` splits the channels into blocks; kernel ``o`` reads block
        ``o // (out_channels / groups)``). When ``groups`` does not split ``out_channels`` evenly
        (an invalid layer), the first block."""
        per_group_out = self.out_channels // self.groups if self.groups > 0 else 0
        if self.groups <= 1 or per_group_out == 0 or self.out_channels % self.groups:
            return range(self.in_per_group)
        group = out_channel // per_group_out
        return range(group * self.in_per_group, (group + 1) * self.in_per_group)

    def input_channel(self, out_channel: int, sub_kernel: int) -> int:
        """The input channel that sub-kernel ``sub_kernel`` of kernel ``out_channel`` reads."""
        return self.input_channels_of(out_channel).start + sub_kernel

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        return (self.out_channels, self.in_per_group, *self.kernel_size)

    def parameter_names(self) -> tuple[str, ...]:
        return ("weight", "bias") if self.bias else ("weight",)

    def parameter_shapes(self) -> dict[str, tuple[int, ...]] | None:
        if not self.counts_defined or self.out_channels < 1 or min(self.kernel_size) < 1:
            return None
        shapes: dict[str, tuple[int, ...]] = {"weight": self.weight_shape}
        if self.bias:
            shapes["bias"] = (self.out_channels,)
        return shapes

    def with_parameters(self, weight: np.ndarray, bias_values: np.ndarray | None) -> Conv2d:
        """A copy holding these parameters (copied, float32, read-only)."""
        return replace(self, weight=weight, bias_values=bias_values if self.bias else None)

    def effective_kernel(self) -> Pair:
        """The span the kernel covers on its input: ``dilation × (kernel_size − 1) + 1``."""
        (dh, dw), (kh, kw) = self.dilation, self.kernel_size
        return (dh * (kh - 1) + 1, dw * (kw - 1) + 1)

    def padding_amounts(self) -> tuple[Pair, Pair]:
        """``((top, bottom), (left, right))`` padding actually applied, as PyTorch applies it.

        ``'same'`` pads ``total // 2`` before and the rest after (PyTorch's choice for even
        effective kernels), ``'valid'`` pads nothing.
        """
        if self.padding == "valid":
            return ((0, 0), (0, 0))
        if self.padding == "same":
            amounts = []
            for span in self.effective_kernel():
                total = span - 1
                amounts.append((total // 2, total - total // 2))
            return (amounts[0], amounts[1])
        ph, pw = self.padding
        return ((ph, ph), (pw, pw))

    def torch_repr(self) -> str:
        # Mirrors torch.nn.modules.conv._ConvNd.extra_repr.
        text = (f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if not self.bias:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text + ")"


def _same_array(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@dataclass(frozen=True)
class ReLU(Layer):
    kind: ClassVar[str] = "ReLU"

    def torch_repr(self) -> str:
        return "ReLU()"


@dataclass(frozen=True)
class LeakyReLU(Layer):
    kind: ClassVar[str] = "LeakyReLU"
    negative_slope: float = 0.01

    def __post_init__(self) -> None:
        value = self.negative_slope
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise DesignError(f"negative_slope must be a number, got {value!r}")
        try:
            finite = math.isfinite(float(value))
        except OverflowError:  # an integer beyond float64
            finite = False
        if not finite:
            raise DesignError(f"negative_slope must be a finite number, got {_short(value)}")
        object.__setattr__(self, "negative_slope", float(value))

    def torch_repr(self) -> str:
        return f"LeakyReLU(negative_slope={self.negative_slope})"


@dataclass(frozen=True)
class Sigmoid(Layer):
    kind: ClassVar[str] = "Sigmoid"

    def torch_repr(self) -> str:
        return "Sigmoid()"


@dataclass(frozen=True)
class Tanh(Layer):
    kind: ClassVar[str] = "Tanh"

    def torch_repr(self) -> str:
        return "Tanh()"


@dataclass(frozen=True)
class _Pool2d(Layer):
    """Shared fields of the pooling layers. ``stride=None`` means "same as kernel_size", as in PyTorch.

    Values keep the form they were given in (``2`` or ``(2, 2)``) because PyTorch's pooling layers
    print them that way; use :meth:`kernel_pair`, :meth:`stride_pair`, :meth:`padding_pair` for
    arithmetic.
    """

    kernel_size: int | Pair = 2
    stride: int | Pair | None = None
    padding: int | Pair = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "kernel_size", _int_or_pair(self.kernel_size, "kernel_size"))
        if self.stride is not None:
            object.__setattr__(self, "stride", _int_or_pair(self.stride, "stride"))
        object.__setattr__(self, "padding", _int_or_pair(self.padding, "padding"))

    def kernel_pair(self) -> Pair:
        return as_pair(self.kernel_size, "kernel_size")

    def stride_pair(self) -> Pair:
        return as_pair(self.kernel_size if self.stride is None else self.stride, "stride")

    def padding_pair(self) -> Pair:
        return as_pair(self.padding, "padding")

    def _shown_stride(self) -> int | Pair:
        return self.kernel_size if self.stride is None else self.stride


@dataclass(frozen=True)
class MaxPool2d(_Pool2d):
    kind: ClassVar[str] = "MaxPool2d"

    def torch_repr(self) -> str:
        return (f"MaxPool2d(kernel_size={self.kernel_size}, stride={self._shown_stride()}, "
                f"padding={self.padding}, dilation=1, ceil_mode=False)")


@dataclass(frozen=True)
class AvgPool2d(_Pool2d):
    kind: ClassVar[str] = "AvgPool2d"

    def torch_repr(self) -> str:
        return (f"AvgPool2d(kernel_size={self.kernel_size}, stride={self._shown_stride()}, "
                f"padding={self.padding})")


# -- the generator's layers: transposed convolution, batch normalisation, upsampling ----------

def _as_float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise DesignError(f"{what} must be a number, got {_short(value)}")
    try:
        result = float(value)
    except OverflowError:  # an integer beyond float64
        raise DesignError(f"{what} must be a finite number, got {_short(value)}") from None
    if not math.isfinite(result):
        raise DesignError(f"{what} must be a finite number, got {_short(value)}")
    return result


def _as_bool(value: object, what: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise DesignError(f"{what} must be true or false, got {value!r}")
    return bool(value)


@dataclass(frozen=True)
class ConvTranspose2d(Layer):
    """``nn.ConvTranspose2d`` with every argument (``padding_mode`` is always ``'zeros'``, the only
    one PyTorch supports for it), normalised as PyTorch normalises them: ``kernel_size``,
    ``stride``, ``padding``, ``output_padding`` and ``dilation`` are pairs.

    Note the weight's order, swapped against :class:`Conv2d`: ``weight`` is
    ``[in_channels, out_channels // groups, kH, kW]`` -- input channel ``i`` stamps the sub-kernel
    ``weight[i, j]`` onto output channel ``j`` of its group. ``bias_values`` is ``[out_channels]``.
    Parameters take no part in ``==``.
    """

    kind: ClassVar[str] = "ConvTranspose2d"
    has_parameters: ClassVar[bool] = True
    parameter_fields: ClassVar[Mapping[str, str]] = {"weight": "weight", "bias": "bias_values"}

    in_channels: int = 1
    out_channels: int = 1
    kernel_size: Pair = (3, 3)
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    output_padding: Pair = (0, 0)
    groups: int = 1
    bias: bool = True
    dilation: Pair = (1, 1)
    weight: np.ndarray | None = field(default=None, compare=False, repr=False)
    bias_values: np.ndarray | None = field(default=None, compare=False, repr=False)

    if TYPE_CHECKING:
        def __init__(self, in_channels: int = 1, out_channels: int = 1,
                     kernel_size: int | Pair = (3, 3), stride: int | Pair = (1, 1),
                     padding: int | Pair = (0, 0), output_padding: int | Pair = (0, 0),
                     groups: int = 1, bias: bool = True, dilation: int | Pair = (1, 1),
                     weight: np.ndarray | None = None,
                     bias_values: np.ndarray | None = None) -> None: ...

    def __post_init__(self) -> None:
        def set_(name: str, value: object) -> None:  # the dataclass is frozen
            object.__setattr__(self, name, value)

        set_("in_channels", _as_int(self.in_channels, "in_channels"))
        set_("out_channels", _as_int(self.out_channels, "out_channels"))
        for name in ("kernel_size", "stride", "padding", "output_padding", "dilation"):
            set_(name, as_pair(getattr(self, name), name))
        set_("groups", _as_int(self.groups, "groups"))
        set_("bias", _as_bool(self.bias, "bias"))
        self._freeze_parameters()

    @property
    def out_per_group(self) -> int:
        """Sub-kernels per input channel: how many output channels each input channel stamps onto.
        Meaningful only when :attr:`counts_defined`."""
        return self.out_channels // self.groups if self.groups > 0 else 0

    @property
    def in_per_group(self) -> int:
        return self.in_channels // self.groups if self.groups > 0 else 0

    @property
    def counts_defined(self) -> bool:
        """Whether the weight's shape is defined: ``groups`` divides both channel counts (PyTorch
        refuses to build the layer otherwise)."""
        return (self.groups > 0 and self.in_channels % self.groups == 0
                and self.out_channels % self.groups == 0)

    def input_channels_of(self, out_channel: int) -> range:
        """The input channels whose stamps reach output channel ``out_channel``: those of its group."""
        if self.groups <= 1 or not self.counts_defined:
            return range(self.in_channels if self.groups <= 1 else self.in_per_group)
        group = out_channel // self.out_per_group
        return range(group * self.in_per_group, (group + 1) * self.in_per_group)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        return (self.in_channels, self.out_per_group, *self.kernel_size)

    def parameter_names(self) -> tuple[str, ...]:
        return ("weight", "bias") if self.bias else ("weight",)

    def parameter_shapes(self) -> dict[str, tuple[int, ...]] | None:
        if (not self.counts_defined or self.in_channels < 1 or self.out_channels < 1
                or min(self.kernel_size) < 1):
            return None
        shapes: dict[str, tuple[int, ...]] = {"weight": self.weight_shape}
        if self.bias:
            shapes["bias"] = (self.out_channels,)
        return shapes

    def effective_kernel(self) -> Pair:
        """The span one stamp covers on the output: ``dilation × (kernel_size − 1) + 1``."""
        (dh, dw), (kh, kw) = self.dilation, self.kernel_size
        return (dh * (kh - 1) + 1, dw * (kw - 1) + 1)

    def output_size(self, height: int, width: int) -> Pair:
        """``(in − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1`` per side."""
        sizes = [(size - 1) * s - 2 * p + d * (k - 1) + op + 1
                 for size, s, p, d, k, op in zip((height, width), self.stride, self.padding,
                                                 self.dilation, self.kernel_size,
                                                 self.output_padding, strict=True)]
        return (sizes[0], sizes[1])

    def torch_repr(self) -> str:
        # Mirrors torch.nn.modules.conv._ConvNd.extra_repr (output_padding after dilation).
        text = (f"ConvTranspose2d({self.in_channels}, {self.out_channels}, "
                f"kernel_size={self.kernel_size}, stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.output_padding != (0, 0):
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if not self.bias:
            text += ", bias=False"
        return text + ")"


@dataclass(frozen=True)
class BatchNorm2d(Layer):
    """``nn.BatchNorm2d(num_features, eps, momentum, affine, bias=...)`` with running statistics
    (``track_running_stats=True``, PyTorch's default). Computed in eval mode:
    ``y = (x − running_mean) / √(running_var + eps) · weight + bias``.

    Parameters (float32 ``[num_features]``, read-only, optional): ``weight`` and ``bias_values``
    when ``affine`` (``bias_values`` only with ``bias``), ``running_mean`` and ``running_var``
    always (buffers in PyTorch, saved in its ``state_dict`` all the same).
    """

    kind: ClassVar[str] = "BatchNorm2d"
    has_parameters: ClassVar[bool] = True
    parameter_fields: ClassVar[Mapping[str, str]] = {
        "weight": "weight", "bias": "bias_values",
        "running_mean": "running_mean", "running_var": "running_var"}

    num_features: int = 1
    eps: float = 1e-5
    momentum: float = 0.1
    affine: bool = True
    bias: bool = True
    weight: np.ndarray | None = field(default=None, compare=False, repr=False)
    bias_values: np.ndarray | None = field(default=None, compare=False, repr=False)
    running_mean: np.ndarray | None = field(default=None, compare=False, repr=False)
    running_var: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "num_features", _as_int(self.num_features, "num_features"))
        object.__setattr__(self, "eps", _as_float(self.eps, "eps"))
        object.__setattr__(self, "momentum", _as_float(self.momentum, "momentum"))
        object.__setattr__(self, "affine", _as_bool(self.affine, "affine"))
        object.__setattr__(self, "bias", _as_bool(self.bias, "bias"))
        self._freeze_parameters()

    @property
    def has_bias(self) -> bool:
        return self.affine and self.bias

    def parameter_names(self) -> tuple[str, ...]:
        names = ("weight", "bias") if self.has_bias else ("weight",) if self.affine else ()
        return (*names, "running_mean", "running_var")

    def parameter_shapes(self) -> dict[str, tuple[int, ...]] | None:
        if self.num_features < 1:
            return None
        return dict.fromkeys(self.parameter_names(), (self.num_features,))

    def torch_repr(self) -> str:
        # Mirrors torch.nn.modules.batchnorm._NormBase.extra_repr.
        return (f"BatchNorm2d({self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.has_bias}, track_running_stats=True)")


UpsampleMode = Literal["nearest", "bilinear"]
UPSAMPLE_MODES: tuple[UpsampleMode, ...] = ("nearest", "bilinear")


@dataclass(frozen=True)
class Upsample(Layer):
    """``nn.Upsample(scale_factor=..., mode=...)``: each side grows by ``scale_factor`` (a number,
    or ``(height, width)``), output ``⌊in × scale_factor⌋``; ``mode`` ``'nearest'`` repeats
    pixels, ``'bilinear'`` interpolates (``align_corners=False``). Values are floats, as PyTorch
    stores them."""

    kind: ClassVar[str] = "Upsample"

    scale_factor: float | tuple[float, float] = 2.0
    mode: UpsampleMode = "nearest"

    def __post_init__(self) -> None:
        value = self.scale_factor
        if isinstance(value, (tuple, list)):
            if len(value) != 2:
                raise DesignError(f"scale_factor must be a number or a pair, got {_short(value)}")
            pair = (_as_float(value[0], "scale_factor"), _as_float(value[1], "scale_factor"))
            object.__setattr__(self, "scale_factor", pair)
        else:
            object.__setattr__(self, "scale_factor", _as_float(value, "scale_factor"))
        if self.mode not in UPSAMPLE_MODES:
            raise DesignError(f"mode must be one of {', '.join(UPSAMPLE_MODES)}, got {self.mode!r}")

    def scale_pair(self) -> tuple[float, float]:
        value = self.scale_factor
        return value if isinstance(value, tuple) else (value, value)

    def output_size(self, height: int, width: int) -> Pair:
        """``⌊in × scale_factor⌋`` per side, as ``F.interpolate`` computes it (in float64)."""
        sh, sw = self.scale_pair()
        return (math.floor(float(height) * sh), math.floor(float(width) * sw))

    def torch_repr(self) -> str:
        return f"Upsample(scale_factor={self.scale_factor!r}, mode={self.mode!r})"


# -- the classifier's layers: they act on vectors (Flatten makes one of C×H×W maps) -------------

@dataclass(frozen=True)
class Flatten(Layer):
    """``nn.Flatten()``: each sample's ``C×H×W`` maps become one vector of ``C·H·W`` values, in
    PyTorch's order (channel by channel, each map row by row). Only PyTorch's defaults
    (``start_dim=1, end_dim=-1``) are offered."""

    kind: ClassVar[str] = "Flatten"

    def torch_repr(self) -> str:
        return "Flatten(start_dim=1, end_dim=-1)"


@dataclass(frozen=True)
class Dropout(Layer):
    """``nn.Dropout(p)``: while training, zeroes each value with probability ``p`` and scales the
    rest by ``1/(1−p)``; in evaluation (every view, ``run``, the exported model's ``eval()``) it
    passes its input through unchanged."""

    kind: ClassVar[str] = "Dropout"
    p: float = 0.5

    def __post_init__(self) -> None:
        value = self.p
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise DesignError(f"p must be a number, got {value!r}")
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            raise DesignError(f"p must be a finite number, got {_short(value)}")
        object.__setattr__(self, "p", float(value))

    def torch_repr(self) -> str:
        return f"Dropout(p={self.p}, inplace=False)"


@dataclass(frozen=True)
class Linear(Layer):
    """``nn.Linear(in_features, out_features, bias)``: each output is a weighted sum of every
    input value plus a bias. ``weight`` (float32, read-only) has shape ``[out_features,
    in_features]`` and ``bias_values`` ``[out_features]``; missing ones come from the seed."""

    kind: ClassVar[str] = "Linear"
    has_parameters: ClassVar[bool] = True
    parameter_fields: ClassVar[Mapping[str, str]] = {"weight": "weight", "bias": "bias_values"}

    in_features: int = 1
    out_features: int = 1
    bias: bool = True
    weight: np.ndarray | None = field(default=None, compare=False, repr=False)
    bias_values: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "in_features", _as_int(self.in_features, "in_features"))
        object.__setattr__(self, "out_features", _as_int(self.out_features, "out_features"))
        if not isinstance(self.bias, (bool, np.bool_)):
            raise DesignError(f"bias must be true or false, got {self.bias!r}")
        object.__setattr__(self, "bias", bool(self.bias))
        self._freeze_parameters()

    def parameter_names(self) -> tuple[str, ...]:
        return ("weight", "bias") if self.bias else ("weight",)

    def parameter_shapes(self) -> dict[str, tuple[int, ...]] | None:
        # PyTorch accepts in_features=0 (an empty weight); the app asks for at least 1 of each.
        if self.in_features < 1 or self.out_features < 1:
            return None
        shapes: dict[str, tuple[int, ...]] = {"weight": (self.out_features, self.in_features)}
        if self.bias:
            shapes["bias"] = (self.out_features,)
        return shapes

    def torch_repr(self) -> str:
        # Mirrors torch.nn.Linear.extra_repr.
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias})")


LAYER_TYPES: dict[str, type[Layer]] = {
    cls.kind: cls for cls in (Conv2d, ReLU, LeakyReLU, Sigmoid, Tanh, MaxPool2d, AvgPool2d)
}
LAYER_TYPES["ConvTranspose2d"] = ConvTranspose2d
LAYER_TYPES["BatchNorm2d"] = BatchNorm2d
LAYER_TYPES["Upsample"] = Upsample
LAYER_TYPES.update({cls.kind: cls for cls in (Flatten, Linear, Dropout)})
#: Layers that act on vectors as well as on C×H×W maps (the others need maps).
VECTOR_TYPES = (Flatten, Linear, Dropout)
ACTIVATION_TYPES = (ReLU, LeakyReLU, Sigmoid, Tanh)
POOL_TYPES = (MaxPool2d, AvgPool2d)


@dataclass(frozen=True)
class Design:
    """A whole design: the input's shape and the ordered layers (numbered from 0, as in
    ``nn.Sequential``), plus an optional name, the seed that initialises missing weights, and
    optional input values (float32 ``[C, H, W]``, read-only) that a lesson file carries.

    ``input_values`` takes no part in ``==``.
    """

    input: InputSpec = field(default_factory=InputSpec)
    layers: tuple[Layer, ...] = ()
    name: str = ""
    seed: int = 0
    input_values: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.input, InputSpec):
            raise DesignError("input must be an InputSpec")
        layers = tuple(self.layers)
        for layer in layers:
            if not isinstance(layer, Layer):
                raise DesignError(f"a layer must be one of {', '.join(LAYER_TYPES)}, got {layer!r}")
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "seed", _as_int(self.seed, "seed"))
        if not isinstance(self.name, str):
            raise DesignError(f"name must be text, got {self.name!r}")
        if self.input_values is not None:
            values = _readonly_float32(self.input_values, "input values")
            if values.shape != self.input.shape:
                raise DesignError(
                    f"input values have shape {list(values.shape)} but the input is "
                    f"{list(self.input.shape)} (channels, height, width)")
            object.__setattr__(self, "input_values", values)

    # -- edits: each returns a new design -------------------------------------------------------
    def with_layer(self, index: int, layer: Layer) -> Design:
        layers = list(self.layers)
        layers[index] = layer
        return replace(self, layers=tuple(layers))

    def with_layer_parameters(self, values: Mapping[int, Mapping[str, np.ndarray | None]]) -> Design:
        """A copy in which layer ``i`` holds ``values[i]`` (as :meth:`Layer.with_parameter_values`
        takes them: copied to float32); the layers ``values`` does not name stay as they are."""
        return replace(self, layers=tuple(
            layer.with_parameter_values(values[index]) if index in values else layer
            for index, layer in enumerate(self.layers)))

    def with_inserted(self, index: int, layer: Layer) -> Design:
        layers = list(self.layers)
        layers.insert(index, layer)
        return replace(self, layers=tuple(layers))

    def without_layer(self, index: int) -> Design:
        layers = list(self.layers)
        del layers[index]
        return replace(self, layers=tuple(layers))

    def with_moved(self, source: int, destination: int) -> Design:
        """Move the layer at ``source`` so that it ends up at index ``destination``."""
        layers = list(self.layers)
        layer = layers.pop(source)
        layers.insert(destination, layer)
        return replace(self, layers=tuple(layers))

    def with_input(self, spec: InputSpec) -> Design:
        values = self.input_values if spec == self.input else None
        return replace(self, input=spec, input_values=values)

    def with_input_values(self, values: np.ndarray | None) -> Design:
        return replace(self, input_values=values)

    def conv_indices(self) -> list[int]:
        return [i for i, layer in enumerate(self.layers) if isinstance(layer, Conv2d)]

    def same_parameters(self, other: Design) -> bool:
        """True when the designs are equal *and* every parameter and input value is bit-identical."""
        if self != other or not _same_array(self.input_values, other.input_values):
            return False
        # Equal designs hold layers of the same kinds at the same places.
        return all(a.same_parameters(b) for a, b in zip(self.layers, other.layers, strict=True))
