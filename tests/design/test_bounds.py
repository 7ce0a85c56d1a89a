"""Every number a design holds is bounded at validation by what PyTorch can take, so that nothing
valid ends in a PyTorch error; the bounds are checked against PyTorch itself."""

from __future__ import annotations

import json

import pytest
import torch
from torch import nn

from convdesigner.design.analysis import (
    MAX_FLOAT32,
    MAX_SIZE_ARGUMENT,
    MAX_TORCH_INT,
    MAX_VALUES_PER_TENSOR,
    analyze,
)
from convdesigner.design.io import design_from_json, load_design
from convdesigner.design.layers import Conv2d, Design, InputSpec, LeakyReLU, MaxPool2d
from convdesigner.errors import DesignError


def first_problem(*layers, shape=(1, 8, 8)) -> str | None:
    return analyze(Design(InputSpec(*shape), tuple(layers))).first_problem_message()


def test_pool_arguments_stop_where_pytorch_stops() -> None:
    x = torch.ones(1, 1, 8, 8)
    assert nn.MaxPool2d(2, stride=MAX_SIZE_ARGUMENT)(x).shape == (1, 1, 4, 4)[:2] + (1, 1)
    with pytest.raises(RuntimeError):
        nn.MaxPool2d(2, stride=MAX_SIZE_ARGUMENT + 1)(x)
    assert first_problem(MaxPool2d(2, stride=MAX_SIZE_ARGUMENT)) is None
    assert first_problem(MaxPool2d(2, stride=MAX_SIZE_ARGUMENT + 1)) == (
        "layer 0 (MaxPool2d): stride=2147483648 is larger than PyTorch's pooling layers accept "
        "(at most 2,147,483,647)")


def test_conv_arguments_beyond_int64_are_refused_as_pytorch_refuses_them() -> None:
    with pytest.raises((RuntimeError, OverflowError, TypeError)):
        nn.Conv2d(1, 1, 3, stride=2**64)(torch.ones(1, 1, 8, 8))
    assert first_problem(Conv2d(1, 1, 3, stride=2**64)) == (
        "layer 0 (Conv2d): stride=18446744073709551616 is larger than PyTorch accepts (at most "
        "9,223,372,036,854,775,807)")
    assert first_problem(Conv2d(1, 1, 3, dilation=(1, MAX_TORCH_INT + 1))).startswith(
        "layer 0 (Conv2d): dilation=9223372036854775808 is larger than PyTorch accepts")


@pytest.mark.parametrize("layer", [
    Conv2d(1, 1, 3, padding="same", dilation=2**62),
    Conv2d(1, 1, 3, stride=2**62, padding=2**62),
])
def test_conv_arguments_whose_arithmetic_overflows_in_pytorch_are_refused(layer) -> None:
    torch_layer = nn.Conv2d(1, 1, 3, stride=layer.stride, padding=layer.padding,
                            dilation=layer.dilation)
    with pytest.raises(RuntimeError):
        torch_layer(torch.ones(1, 1, 8, 8))
    message = first_problem(layer)
    assert "is larger than this app allows (at most 2,147,483,647)" in message


def test_the_largest_allowed_sizes_run_in_pytorch() -> None:
    layer = Conv2d(1, 1, 3, stride=MAX_SIZE_ARGUMENT, padding=1, dilation=2)
    assert first_problem(layer) is None
    out = nn.Conv2d(1, 1, 3, stride=MAX_SIZE_ARGUMENT, padding=1, dilation=2)(torch.ones(1, 1, 8, 8))
    assert out.shape == (1, 1, 1, 1) == (1, *analyze(Design(InputSpec(1, 8, 8), (layer,))).output_shape)


def test_negative_slope_is_bounded_by_float32_as_pytorch_converts_it() -> None:
    x = torch.ones(1, 1, 2, 2)
    nn.LeakyReLU(MAX_FLOAT32)(x)
    with pytest.raises(RuntimeError):
        nn.LeakyReLU(1e300)(x)
    assert first_problem(LeakyReLU(MAX_FLOAT32)) is None
    assert first_problem(LeakyReLU(-1e300)) == (
        "layer 0 (LeakyReLU): negative_slope=-1e+300 is beyond what a float32 can hold "
        "(±3.4028235e+38)")


def test_weights_and_padded_inputs_beyond_the_tensor_limit_are_refused() -> None:
    message = first_problem(Conv2d(64, 4096, 200, padding=100), shape=(64, 8, 8))
    assert message == ("layer 0 (Conv2d): weight 4096×64×200×200 = 10,485,760,000 values is "
                       f"more than this app can show live ({MAX_VALUES_PER_TENSOR:,})")
    message = first_problem(Conv2d(1, 1, 3, stride=2**20, padding=2**20, padding_mode="replicate"))
    assert message.startswith("layer 0 (Conv2d): the padded input, 1×2097160×2097160 = ")


def test_negative_padding_with_a_padding_mode_says_why_it_is_refused() -> None:
    # PyTorch crops here (and refuses negative zero padding); the app refuses both, and says why.
    assert nn.Conv2d(1, 1, 3, padding=-1, padding_mode="reflect")(torch.ones(1, 1, 8, 8)).shape \
        == (1, 1, 4, 4)
    message = first_problem(Conv2d(1, 1, 3, padding=-1, padding_mode="reflect"))
    assert message.startswith("layer 0 (Conv2d): padding must be at least 0, got -1. (With "
                              "padding_mode='reflect' PyTorch would crop the input instead")
    assert first_problem(Conv2d(1, 1, 3, padding=-1)) == \
        "layer 0 (Conv2d): padding must be at least 0, got -1"


def _design_text(layers: str, values: str = "") -> str:
    extra = f', "values": {values}' if values else ""
    return ('{"format": "convdesigner-design", "version": 1, "input": {"channels": 1, "height": 1, '
            f'"width": 1{extra}}}, "layers": {layers}}}')


@pytest.mark.parametrize(("text", "message"), [
    (_design_text('[{"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 1, '
                  '"weight": [[[[1' + "0" * 400 + ']]]], "bias": [0]}]'),
     '"weight" holds a number too large for float32'),
    (_design_text("[]", "[[[-1" + "0" * 400 + "]]]"), '"values" holds a number too large for float32'),
    (_design_text('[{"type": "LeakyReLU", "negative_slope": 1' + "0" * 400 + "}]"),
     "negative_slope must be a finite number, got 1000"),
])
def test_huge_integer_literals_are_design_errors(text, message) -> None:
    with pytest.raises(DesignError, match=message):
        design_from_json(text)


def test_a_design_file_with_a_utf8_bom_is_read(tmp_path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + _design_text("[]").encode())
    assert load_design(path).input.shape == (1, 1, 1)
    json.loads(path.read_text(encoding="utf-8-sig"))


def test_formulas_write_negative_numbers_with_a_minus_sign() -> None:
    analysis = analyze(Design(InputSpec(1, 4, 4), (Conv2d(1, 1, 7),)))
    assert "⌊−3 / 1⌋ + 1 = −2" in analysis.first_problem_message()
    assert "-" not in analysis.first_problem_message().split("=", 2)[2]
