"""The one mapping from a design layer to its ``torch.nn`` module, as an object and as source code.

The engine builds modules with :func:`to_module`; the exporter writes :meth:`ModuleCall.source`.
Both come from the same :func:`module_call`, so exported code constructs exactly the modules the
app ran -- same arguments, same ``print(model)`` lines, same draws from the random generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from convdesigner.design.layers import (
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Layer,
    LeakyReLU,
    MaxPool2d,
    Pair,
    ReLU,
    Sigmoid,
    Tanh,
    Upsample,
)

#: The value types a :class:`ModuleCall` may hold; ``repr`` of each is valid Python source.
Argument = int | float | bool | str | tuple[int, int] | tuple[float, float]


@dataclass(frozen=True)
class ModuleCall:
    """``nn.<name>(*args, **kwargs)`` for one layer, keyword arguments only where not PyTorch's default.

    Every value is an int, float, bool, tuple of ints, or a string from a fixed set (a padding
    mode, ``'same'``/``'valid'``) that the design model has validated, so ``repr`` turns it into
    source code that nothing in a design file can subvert.
    """

    name: str
    args: tuple[Argument, ...] = ()
    kwargs: tuple[tuple[str, Argument], ...] = ()

    def source(self) -> str:
        """The constructor call as Python source, e.g. ``nn.Conv2d(1, 8, kernel_size=3, padding=1)``."""
        parts = [repr(value) for value in self.args]
        parts += [f"{key}={value!r}" for key, value in self.kwargs]
        return f"nn.{self.name}({', '.join(parts)})"


def _compact(pair: Pair) -> int | Pair:
    # nn.Conv2d stores pairs whichever form it gets, so (3, 3) may be written as the plainer 3.
    return pair[0] if pair[0] == pair[1] else pair


def module_call(layer: Layer) -> ModuleCall:
    """The constructor call that builds ``layer`` (raises ``TypeError`` for a non-layer)."""
    if isinstance(layer, (ConvTranspose2d, BatchNorm2d, Upsample)):
        return _generator_module_call(layer)
    if isinstance(layer, Conv2d):
        kwargs: list[tuple[str, Argument]] = [("kernel_size", _compact(layer.kernel_size))]
        if layer.stride != (1, 1):
            kwargs.append(("stride", _compact(layer.stride)))
        if layer.padding != (0, 0):
            padding = layer.padding
            kwargs.append(("padding", padding if isinstance(padding, str) else _compact(padding)))
        if layer.dilation != (1, 1):
            kwargs.append(("dilation", _compact(layer.dilation)))
        if layer.groups != 1:
            kwargs.append(("groups", layer.groups))
        if not layer.bias:
            kwargs.append(("bias", False))
        if layer.padding_mode != "zeros":
            kwargs.append(("padding_mode", layer.padding_mode))
        return ModuleCall("Conv2d", (layer.in_channels, layer.out_channels), tuple(kwargs))
    if isinstance(layer, (MaxPool2d, AvgPool2d)):
        # Pooling layers print their arguments in the form given (2 vs (2, 2)), so keep that form.
        kwargs = [("kernel_size", layer.kernel_size)]
        if layer.stride is not None:
            kwargs.append(("stride", layer.stride))
        if layer.padding != 0:
            kwargs.append(("padding", layer.padding))
        return ModuleCall(layer.kind, (), tuple(kwargs))
    if isinstance(layer, LeakyReLU):
        slope = () if layer.negative_slope == 0.01 else (("negative_slope", layer.negative_slope),)
        return ModuleCall("LeakyReLU", (), slope)
    if isinstance(layer, (ReLU, Sigmoid, Tanh)):
        return ModuleCall(layer.kind)
    raise TypeError(f"no torch module for {layer!r}")


def _generator_module_call(layer: ConvTranspose2d | BatchNorm2d | Upsample) -> ModuleCall:
    """:func:`module_call` of a ConvTranspose2d, BatchNorm2d or Upsample."""
    kwargs: list[tuple[str, Argument]] = []
    if isinstance(layer, ConvTranspose2d):
        kwargs.append(("kernel_size", _compact(layer.kernel_size)))
        for name, default in (("stride", (1, 1)), ("padding", (0, 0)), ("output_padding", (0, 0))):
            value = getattr(layer, name)
            if value != default:
                kwargs.append((name, _compact(value)))
        if layer.groups != 1:
            kwargs.append(("groups", layer.groups))
        if not layer.bias:
            kwargs.append(("bias", False))
        if layer.dilation != (1, 1):
            kwargs.append(("dilation", _compact(layer.dilation)))
        return ModuleCall("ConvTranspose2d", (layer.in_channels, layer.out_channels), tuple(kwargs))
    if isinstance(layer, BatchNorm2d):
        if layer.eps != 1e-5:
            kwargs.append(("eps", layer.eps))
        if layer.momentum != 0.1:
            kwargs.append(("momentum", layer.momentum))
        if not layer.affine:
            kwargs.append(("affine", False))
        if not layer.bias:
            kwargs.append(("bias", False))
        return ModuleCall("BatchNorm2d", (layer.num_features,), tuple(kwargs))
    kwargs.append(("scale_factor", layer.scale_factor))
    if layer.mode != "nearest":
        kwargs.append(("mode", layer.mode))
    return ModuleCall("Upsample", (), tuple(kwargs))


def to_module(layer: Layer, *, device: torch.device | str | None = None) -> nn.Module:
    """A new module for ``layer``; a ``Conv2d`` gets PyTorch's default initialisation on ``device``.

    The design's own parameters (``layer.weight``) are not loaded here: see
    :func:`convdesigner.compute.engine.build_model`.
    """
    call = module_call(layer)
    kwargs: dict[str, Argument | torch.device] = dict(call.kwargs)
    if layer.has_parameters and device is not None:
        kwargs["device"] = device
    module_class: type[nn.Module] = getattr(nn, call.name)
    return module_class(*call.args, **kwargs)


def conv_module(model: nn.Sequential, index: int) -> nn.Conv2d:
    """``model[index]``, the ``nn.Conv2d`` that :func:`to_module` built for a ``Conv2d`` layer
    (raises ``TypeError`` when that layer is something else)."""
    module = model[index]
    if not isinstance(module, nn.Conv2d):
        raise TypeError(f"module {index} is {type(module).__name__}, not Conv2d")
    return module
