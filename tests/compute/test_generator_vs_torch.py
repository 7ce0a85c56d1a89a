"""ConvTranspose2d, BatchNorm2d and Upsample against PyTorch itself, on random stacks.

For each generated stack (every argument, valid and invalid ones) PyTorch builds the real modules
and runs a random input through them in eval mode. Its verdict (runs or raises) must equal
``analyze(...).valid``; for a valid stack every output shape, parameter count, MAC count and
``print(model)`` line must match, the app's ``run`` must give PyTorch's outputs bit for bit on the
CPU, and the seeded initialisation must be ``torch.manual_seed(seed); nn.Sequential(...)``'s.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convdesigner.compute.engine import run
from convdesigner.compute.weights import materialize
from convdesigner.design import (
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Design,
    InputSpec,
    LeakyReLU,
    ReLU,
    Tanh,
    Upsample,
    analyze,
)
from tests.oracle import torch_module

small = st.integers(1, 4)
pair_or_int = st.one_of(small, st.tuples(small, small))
zero_to_two = st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)))


@st.composite
def conv_transpose_layers(draw, in_channels: int) -> ConvTranspose2d:
    groups = draw(st.sampled_from([1, 1, 1, 2, 3, in_channels]))
    out_channels = draw(st.sampled_from([groups, 2 * groups, 1, 3, 4]))
    wrong_in = draw(st.integers(0, 14)) == 0  # sometimes a channel mismatch
    return ConvTranspose2d(
        in_channels=in_channels + 1 if wrong_in else in_channels, out_channels=out_channels,
        kernel_size=draw(pair_or_int), stride=draw(st.sampled_from([1, 2, 2, 3, (1, 2), (2, 3)])),
        padding=draw(zero_to_two), output_padding=draw(st.sampled_from([0, 0, 0, 1, 2, (1, 0)])),
        groups=groups, bias=draw(st.booleans()), dilation=draw(st.sampled_from([1, 1, 2, (1, 3)])))


@st.composite
def batch_norm_layers(draw, channels: int) -> BatchNorm2d:
    count = channels if draw(st.integers(0, 9)) else channels + 1
    layer = BatchNorm2d(count, eps=draw(st.sampled_from([1e-5, 1e-3, 0.5])),
                        momentum=draw(st.sampled_from([0.1, 0.01, 0.9])),
                        affine=draw(st.booleans()), bias=draw(st.booleans()))
    if draw(st.booleans()):
        # Trained statistics, so that eval mode does more than divide by √(1 + eps).
        rng = np.random.default_rng(draw(st.integers(0, 1000)))
        values = {name: rng.normal(size=count).astype(np.float32) for name in layer.parameter_names()}
        values["running_var"] = rng.uniform(0.1, 3, size=count).astype(np.float32)
        layer = layer.with_parameter_values(values)
    return layer


@st.composite
def upsample_layers(draw) -> Upsample:
    scale = draw(st.sampled_from([1, 2, 2, 3, 1.5, 0.5, 0.3, 2.5, (2, 1), (1.5, 2.0), 0.01]))
    return Upsample(scale_factor=scale, mode=draw(st.sampled_from(["nearest", "bilinear"])))


@st.composite
def designs(draw) -> Design:
    channels = draw(st.integers(1, 4))
    spec = InputSpec(channels, draw(st.integers(1, 9)), draw(st.integers(1, 9)))
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["convT", "convT", "convT", "bn", "bn", "up", "act", "conv"]))
        if kind == "convT":
            layer = draw(conv_transpose_layers(channels))
            channels = layer.out_channels
        elif kind == "bn":
            layer = draw(batch_norm_layers(channels))
        elif kind == "up":
            layer = draw(upsample_layers())
        elif kind == "conv":
            layer = Conv2d(channels, draw(small), draw(small), padding=1)
            channels = layer.out_channels
        else:
            layer = draw(st.sampled_from([ReLU(), LeakyReLU(0.2), Tanh()]))
        layers.append(layer)
    return Design(spec, tuple(layers), seed=draw(st.integers(0, 2**31)))


def torch_verdict(design: Design, image: np.ndarray):
    """``(modules, outputs)`` from PyTorch (eval mode, seeded as the design), or None when it
    refuses the stack."""
    try:
        torch.manual_seed(design.seed)
        modules = [torch_module(layer).eval() for layer in design.layers]
        x = torch.from_numpy(image)[None]
        outputs = []
        with torch.no_grad():
            for module in modules:
                x = module(x)
                if x.numel() == 0:
                    return None
                outputs.append(x[0].numpy().copy())
        return modules, outputs
    except (RuntimeError, ValueError):
        return None


COMPARED = {"valid": 0, "invalid": 0}


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_random_generator_stacks_match_torch(design: Design) -> None:
    analysis = analyze(design)
    image = np.random.default_rng(design.seed).normal(size=design.input.shape).astype(np.float32)
    verdict = torch_verdict(design, image)
    if verdict is None:
        COMPARED["invalid"] += 1
        assert not analysis.valid, f"PyTorch refuses {design.layers} but the model accepts it"
        assert all(str(p) for p in analysis.problems)
        return
    COMPARED["valid"] += 1
    assert analysis.valid, f"PyTorch runs {design.layers}, but the model says: {analysis.problems}"
    modules, expected = verdict
    outputs = run(design, image, device="cpu").outputs
    for info, module, want, got in zip(analysis.layers, modules, expected, outputs, strict=True):
        assert info.out_shape == want.shape
        assert info.parameters == sum(p.numel() for p in module.parameters())
        assert info.layer.torch_repr() == repr(module)
        assert got.dtype == np.float32 and np.array_equal(got, want), f"layer {info.index}"
        if isinstance(info.layer, ConvTranspose2d):
            with FlopCounterMode(display=False) as counter:
                module(torch.zeros(1, *info.in_shape))
            assert 2 * info.macs == counter.get_total_flops()
    # Seeded initialisation: the tensors materialize draws are those of the seeded Sequential.
    filled = materialize(design)
    for layer, module in zip(filled.layers, modules, strict=True):
        state = module.state_dict()
        for name, values in layer.parameter_values().items():
            assert values is not None and np.array_equal(values, state[name].numpy()), name


def test_enough_of_both_verdicts_were_compared() -> None:
    if COMPARED["valid"] + COMPARED["invalid"] == 0:
        pytest.skip("run together with the property test")
    assert COMPARED["valid"] >= 100 and COMPARED["invalid"] >= 50, COMPARED


def test_the_generator_is_seeded_exactly_as_torch_seeds_it() -> None:
    design = Design(InputSpec(128, 7, 7), (
        ConvTranspose2d(128, 64, 4, 2, 1), BatchNorm2d(64), ReLU(),
        ConvTranspose2d(64, 1, 4, 2, 1), Tanh()), seed=7)
    torch.manual_seed(7)
    reference = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                              nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh()).eval()
    filled = materialize(design)
    assert filled.layers[0].weight.shape == (128, 64, 4, 4)   # [in][out/groups][kH][kW]
    state = reference.state_dict()
    for index, layer in enumerate(filled.layers):
        for name, values in layer.parameter_values().items():
            assert np.array_equal(values, state[f"{index}.{name}"].numpy())
    image = np.random.default_rng(1).normal(size=(128, 7, 7)).astype(np.float32)
    with torch.no_grad():
        want = reference(torch.from_numpy(image)[None])[0].numpy()
    got = run(design, image).outputs[-1]
    assert got.shape == (1, 28, 28) and np.array_equal(got, want)


@pytest.mark.parametrize(("layer", "words"), [
    (ConvTranspose2d(1, 1, 3, stride=2, output_padding=2),
     "output_padding must be smaller than stride or dilation, but along the height output_padding "
     "is 2, stride 2 and dilation 1"),
    (ConvTranspose2d(1, 1, 3, padding=-1), "padding must be at least 0, got -1"),
    (ConvTranspose2d(1, 3, 3, groups=2), "groups=2 must divide out_channels=3"),
    (ConvTranspose2d(2, 1, 3), "in_channels is 2 but the input has 1 channel"),
    (ConvTranspose2d(1, 1, 2, padding=3),
     "output would be 0×0: H_out = W_out = (in − 1)·stride − 2·padding + dilation·(kernel_size − 1) "
     "+ output_padding + 1 = (4 − 1)·1 − 2·3 + 1·(2 − 1) + 0 + 1 = −1"),
    (BatchNorm2d(3), "num_features is 3 but the input has 1 channel"),
    (BatchNorm2d(1, eps=0.0), "eps must be greater than 0"),
    (Upsample(0.2), "output would be 0×0: H_out = W_out = ⌊in × scale_factor⌋ = ⌊4 × 0.2⌋ = 0"),
    (Upsample(-2), "scale_factor must be greater than 0, got -2.0"),
])
def test_problems_carry_the_numbers(layer, words) -> None:
    problems = analyze(Design(InputSpec(1, 4, 4), (layer,))).problems
    assert any(words in problem.message for problem in problems), problems


def test_the_output_size_formula_has_the_numbers_filled_in() -> None:
    info = analyze(Design(InputSpec(128, 7, 7), (ConvTranspose2d(128, 64, 4, 2, 1),))).layers[0]
    assert info.formula == ("H_out = W_out = (in − 1)·stride − 2·padding + dilation·(kernel_size − 1) "
                            "+ output_padding + 1 = (7 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 14",)
    info = analyze(Design(InputSpec(1, 5, 6), (ConvTranspose2d(1, 1, (3, 2), stride=(2, 1),
                                                               output_padding=(1, 0)),))).layers[0]
    assert info.formula == (
        "H_out = (in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 = "
        "(5 − 1)·2 − 2·0 + 1·(3 − 1) + 1 + 1 = 12",
        "W_out = (in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 = "
        "(6 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1 = 7")


def measured_receptive_field(design: Design) -> tuple[int, int]:
    """The largest span (rows, columns) of input pixels that reach one output pixel, found by
    sending each input pixel alone through PyTorch with all-positive weights (nothing cancels)."""
    modules = []
    for layer in design.layers:
        module = torch_module(layer).double().eval()
        with torch.no_grad():
            for name, parameter in module.named_parameters():
                parameter.fill_(0.0 if name == "bias" else 1.0)
        modules.append(module)
    model = nn.Sequential(*modules)
    _, height, width = design.input.shape
    reach = []
    with torch.no_grad():
        for y in range(height):
            for x in range(width):
                image = torch.zeros(1, *design.input.shape, dtype=torch.float64)
                image[0, :, y, x] = 1.0
                reach.append(((y, x), model(image)[0].abs().sum(dim=0) > 0))
    out_h, out_w = reach[0][1].shape
    best = (0, 0)
    for oy in range(out_h):
        for ox in range(out_w):
            sources = [(y, x) for (y, x), hit in reach if hit[oy, ox]]
            if sources:
                rows = max(y for y, _ in sources) - min(y for y, _ in sources) + 1
                cols = max(x for _, x in sources) - min(x for _, x in sources) + 1
                best = (max(best[0], rows), max(best[1], cols))
    return best


@pytest.mark.parametrize("layers", [
    (ConvTranspose2d(1, 1, 4, 2, 1),),
    (ConvTranspose2d(1, 1, 3, 2, 1, output_padding=1),),
    (ConvTranspose2d(1, 1, (5, 3), (3, 2), dilation=(1, 2)),),
    (Upsample(2.0, "bilinear"),),
    (Upsample(3.0),),
])
def test_the_receptive_field_of_one_upsampling_layer_is_what_torch_reaches(layers) -> None:
    design = Design(InputSpec(1, 9, 9), layers)
    assert analyze(design).layers[-1].receptive_field == measured_receptive_field(design)


def test_after_an_upsampling_layer_the_receptive_field_is_an_upper_bound() -> None:
    design = Design(InputSpec(1, 7, 7), (ConvTranspose2d(1, 2, 4, 2, 1), BatchNorm2d(2),
                                         ConvTranspose2d(2, 1, 3, 2, 1), Upsample(2.0, "bilinear")))
    found = analyze(design).layers[-1].receptive_field
    measured = measured_receptive_field(design)
    assert found[0] >= measured[0] and found[1] >= measured[1]
