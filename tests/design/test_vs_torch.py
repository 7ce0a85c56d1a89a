"""The design model's arithmetic and validation, compared with PyTorch itself on random stacks.

For every generated stack we build the real ``nn.Sequential`` and run a zero input through it:
PyTorch's verdict (runs or raises) must equal ``analyze(...).valid``, and for valid stacks every
output shape, parameter count, multiply-accumulate count and ``print(model)`` line must match.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convdesigner.design import (
    AvgPool2d,
    Conv2d,
    Design,
    InputSpec,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
    analyze,
)
from tests.oracle import torch_module

small = st.integers(1, 4)
pair_or_int = st.one_of(small, st.tuples(small, small))


@st.composite
def conv_layers(draw, in_channels: int) -> Conv2d:
    groups = draw(st.sampled_from([1, 1, 1, 2, 3, in_channels]))
    out_channels = draw(st.sampled_from([groups, 2 * groups, 3, 4, 6]))
    wrong_in = draw(st.integers(0, 14)) == 0  # sometimes a channel mismatch
    padding = draw(st.one_of(st.integers(0, 3), st.tuples(st.integers(0, 3), st.integers(0, 3)),
                             st.sampled_from(["same", "valid"])))
    stride = draw(st.sampled_from([1, 1, 2, 3, (1, 2)]))
    return Conv2d(in_channels=in_channels + 1 if wrong_in else in_channels,
                  out_channels=out_channels, kernel_size=draw(pair_or_int), stride=stride,
                  padding=padding, dilation=draw(st.sampled_from([1, 1, 2, (1, 3)])), groups=groups,
                  bias=draw(st.booleans()),
                  padding_mode=draw(st.sampled_from(["zeros", "zeros", "reflect", "replicate", "circular"])))


@st.composite
def designs(draw) -> Design:
    channels = draw(st.integers(1, 4))
    spec = InputSpec(channels, draw(st.integers(1, 16)), draw(st.integers(1, 16)))
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["conv", "conv", "conv", "act", "max", "avg"]))
        if kind == "conv":
            layer = draw(conv_layers(channels))
            channels = layer.out_channels
        elif kind == "act":
            layer = draw(st.sampled_from([ReLU(), LeakyReLU(0.2), Sigmoid(), Tanh()]))
        else:
            cls = MaxPool2d if kind == "max" else AvgPool2d
            layer = cls(kernel_size=draw(pair_or_int),
                        stride=draw(st.one_of(st.none(), pair_or_int)),
                        padding=draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)))))
        layers.append(layer)
    return Design(spec, tuple(layers))


def torch_verdict(design: Design):
    """Per-layer output shapes from PyTorch, or None when PyTorch refuses the stack."""
    try:
        modules = [torch_module(layer) for layer in design.layers]
        x = torch.zeros(1, *design.input.shape)
        shapes = []
        for module in modules:
            x = module(x)
            shapes.append(tuple(x.shape[1:]))
            if x.numel() == 0:
                return None, modules
        return shapes, modules
    except (RuntimeError, ValueError):
        return None, None


COMPARED = {"valid": 0, "invalid": 0}


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_validation_shapes_and_counts_match_torch(design: Design) -> None:
    analysis = analyze(design)
    shapes, modules = torch_verdict(design)
    if shapes is None:
        COMPARED["invalid"] += 1
        assert not analysis.valid, f"PyTorch refuses {design.layers} but the model accepts it"
        assert all(str(p) for p in analysis.problems)
        return
    COMPARED["valid"] += 1
    assert analysis.valid, f"PyTorch runs it, but the model says: {analysis.problems}"
    for info, shape, module in zip(analysis.layers, shapes, modules, strict=True):
        assert info.out_shape == shape
        assert info.parameters == sum(p.numel() for p in module.parameters())
        assert info.layer.torch_repr() == repr(module)
        if isinstance(info.layer, Conv2d):
            with FlopCounterMode(display=False) as counter:
                module(torch.zeros(1, *info.in_shape))
            assert 2 * info.macs == counter.get_total_flops()


def test_enough_of_both_verdicts_were_compared() -> None:
    # Runs after the property test in file order: the generator must reach both sides of the rules.
    if COMPARED["valid"] + COMPARED["invalid"] == 0:
        pytest.skip("run together with the property test")
    assert COMPARED["valid"] >= 80 and COMPARED["invalid"] >= 40, COMPARED


def receptive_field_by_gradient(design: Design, index: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Size and jump, in input pixels, measured by back-propagating from two neighbouring outputs."""
    modules = []
    for layer in design.layers[: index + 1]:
        if isinstance(layer, MaxPool2d):  # max sends gradient to one cell; average sees the same window
            layer = AvgPool2d(layer.kernel_size, layer.stride, layer.padding)
        module = torch_module(layer)
        if isinstance(module, nn.Conv2d):
            nn.init.ones_(module.weight)
        modules.append(module)
    model = nn.Sequential(*modules).double()
    x = torch.zeros(1, *design.input.shape, dtype=torch.float64, requires_grad=True)
    out = model(x)
    h, w = out.shape[-2] // 2, out.shape[-1] // 2

    def support(y: int, x_: int) -> tuple[np.ndarray, np.ndarray]:
        grad, = torch.autograd.grad(out[0, 0, y, x_], x, retain_graph=True)
        rows = np.nonzero(grad[0].abs().sum(dim=(0, 2)).numpy())[0]
        cols = np.nonzero(grad[0].abs().sum(dim=(0, 1)).numpy())[0]
        return rows, cols

    rows, cols = support(h, w)
    rows2, cols2 = support(h + 1, w + 1)
    return (rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1), (rows2[0] - rows[0], cols2[0] - cols[0])


@pytest.mark.parametrize("layers", [
    (Conv2d(1, 2, 4, 2, 1), LeakyReLU(0.2), Conv2d(2, 2, 4, 2, 1)),
    (Conv2d(1, 2, 5), MaxPool2d(2), Conv2d(2, 2, 5), AvgPool2d(2)),
    (Conv2d(1, 2, 3, dilation=2), Conv2d(2, 2, 3, stride=2, dilation=3), Conv2d(2, 2, (3, 5), stride=(2, 1))),
    (Conv2d(1, 1, 3, padding="same"), MaxPool2d(3, 2), Conv2d(1, 1, 1)),
])
def test_receptive_field_and_jump_match_the_gradient_of_torch(layers) -> None:
    design = Design(InputSpec(1, 96, 96), layers)
    analysis = analyze(design)
    assert analysis.valid
    for index, info in enumerate(analysis.layers):
        size, jump = receptive_field_by_gradient(design, index)
        assert info.receptive_field == tuple(size), f"layer {index}"
        assert info.jump == tuple(jump), f"layer {index}"
