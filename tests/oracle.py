"""The tests' oracle: what PyTorch itself computes for a design.

Built from ``torch.nn`` directly, layer by layer from each layer's own arguments, and never from
the app's engine (``convdesigner.compute``) or its self-test: a test that compared the app with
the app's own code would prove nothing.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from convdesigner.design import (
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Design,
    Layer,
    LeakyReLU,
    MaxPool2d,
    Upsample,
)


def torch_module(layer: Layer) -> nn.Module:
    """``layer`` as the ``torch.nn`` module PyTorch would build from the same arguments; a
    ``Conv2d`` holds the layer's weight and bias where the layer carries them (else PyTorch's
    initialisation under the current seed)."""
    if isinstance(layer, (ConvTranspose2d, BatchNorm2d, Upsample)):
        return generator_module(layer)
    if isinstance(layer, Conv2d):
        module = nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                           stride=layer.stride, padding=layer.padding, dilation=layer.dilation,
                           groups=layer.groups, bias=layer.bias, padding_mode=layer.padding_mode)
        with torch.no_grad():
            if layer.weight is not None:
                module.weight.copy_(torch.from_numpy(np.array(layer.weight)))
            if module.bias is not None and layer.bias_values is not None:
                module.bias.copy_(torch.from_numpy(np.array(layer.bias_values)))
        return module
    if isinstance(layer, LeakyReLU):
        return nn.LeakyReLU(layer.negative_slope)
    if isinstance(layer, MaxPool2d):
        return nn.MaxPool2d(layer.kernel_size, layer.stride, layer.padding)
    if isinstance(layer, AvgPool2d):
        return nn.AvgPool2d(layer.kernel_size, layer.stride, layer.padding)
    module_type: type[nn.Module] = getattr(nn, layer.kind)  # ReLU, Sigmoid, Tanh: no arguments
    return module_type()


def generator_module(layer: ConvTranspose2d | BatchNorm2d | Upsample) -> nn.Module:
    """:func:`torch_module` for the generator's layers, holding the tensors the layer carries."""
    module: nn.Module
    if isinstance(layer, ConvTranspose2d):
        module = nn.ConvTranspose2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                                    stride=layer.stride, padding=layer.padding,
                                    output_padding=layer.output_padding, groups=layer.groups,
                                    bias=layer.bias, dilation=layer.dilation)
    elif isinstance(layer, BatchNorm2d):
        module = nn.BatchNorm2d(layer.num_features, eps=layer.eps, momentum=layer.momentum,
                                affine=layer.affine, bias=layer.bias)
    else:
        return nn.Upsample(scale_factor=layer.scale_factor, mode=layer.mode)
    state = module.state_dict()
    with torch.no_grad():
        for name, value in layer.parameter_values().items():
            if value is not None:
                state[name].copy_(torch.from_numpy(np.array(value)))
    return module.eval()


def torch_sequential(design: Design) -> nn.Sequential:
    """The design as one ``nn.Sequential`` of :func:`torch_module`\\ s."""
    return nn.Sequential(*(torch_module(layer) for layer in design.layers))


def torch_outputs(design: Design, image: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every layer's output, ``[C, H, W]`` float32, for the input ``image`` (``[C, H, W]``)."""
    outputs = []
    x = torch.from_numpy(np.array(image, dtype=np.float32))[None]
    with torch.no_grad():
        for module in torch_sequential(design):
            x = module(x)
            outputs.append(x[0].numpy().copy())
    return tuple(outputs)
