"""Partial maps and pixel explanations add up to what ``nn.Conv2d`` itself computes.

Every comparison is against a real ``nn.Conv2d`` built from the layer's arguments, over every
padding mode, 'same'/'valid'/explicit padding, strides, dilations and groups, including many
seeded random layers.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convdesigner.compute.explain import contributions, explain_pixel
from convdesigner.design.analysis import analyze
from convdesigner.design.layers import PADDING_MODES, Conv2d, Design, InputSpec
from convdesigner.errors import ConvDesignerError
from tests.oracle import torch_module

#: The explain_pixel test compares RANDOM_CHUNKS × RANDOM_LAYERS_PER_CHUNK = 1,000 seeded random
#: layers with torch, at 5 output pixels each (the four corners and one inside).
RANDOM_LAYERS_PER_CHUNK = 50
RANDOM_CHUNKS = 20
TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


def torch_output(layer: Conv2d, layer_input: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return torch_module(layer)(torch.from_numpy(layer_input).unsqueeze(0))[0].numpy()


def with_random_parameters(layer: Conv2d, rng: np.random.Generator) -> Conv2d:
    weight = rng.normal(size=layer.weight_shape).astype(np.float32)
    bias = rng.normal(size=layer.out_channels).astype(np.float32) if layer.bias else None
    return layer.with_parameters(weight, bias)


def random_case(rng: np.random.Generator) -> tuple[Conv2d, np.ndarray]:
    """A random valid layer with random parameters and a random input it accepts."""
    while True:
        groups = int(rng.choice([1, 1, 2, 3]))
        # Stride 1 half of the time, since padding='same' needs it.
        stride = (1, 1) if rng.integers(2) else tuple(int(s) for s in rng.integers(1, 4, size=2))
        padding_choices = ["valid", "explicit"] + (["same"] if stride == (1, 1) else [])
        padding_kind = rng.choice(padding_choices)
        padding = (tuple(int(p) for p in rng.integers(0, 4, size=2))
                   if padding_kind == "explicit" else str(padding_kind))
        layer = Conv2d(
            in_channels=groups * int(rng.integers(1, 4)),
            out_channels=groups * int(rng.integers(1, 3)),
            kernel_size=tuple(int(k) for k in rng.integers(1, 5, size=2)),
            stride=stride, padding=padding,
            dilation=tuple(int(d) for d in rng.integers(1, 4, size=2)),
            groups=groups, bias=bool(rng.integers(2)),
            padding_mode=str(rng.choice(PADDING_MODES)))
        shape = (layer.in_channels, *(int(s) for s in rng.integers(1, 13, size=2)))
        if analyze(Design(InputSpec(*shape), (layer,))).valid:
            return (with_random_parameters(layer, rng),
                    rng.normal(size=shape).astype(np.float32))


def padded_like_torch(layer: Conv2d, layer_input: np.ndarray) -> np.ndarray:
    """The input as nn.Conv2d pads it, by F.pad: an independent source for the patch values."""
    (top, bottom), (left, right) = layer.padding_amounts()
    mode = "constant" if layer.padding_mode == "zeros" else layer.padding_mode
    return F.pad(torch.from_numpy(layer_input).unsqueeze(0), (left, right, top, bottom),
                 mode=mode)[0].numpy()


def check_pixel(layer: Conv2d, layer_input: np.ndarray, expected: np.ndarray, out_channel: int,
                y: int, x: int) -> None:
    explanation = explain_pixel(layer, layer_input, out_channel, y, x)
    truth = float(expected[out_channel, y, x])
    np.testing.assert_allclose(explanation.total, truth, **TOLERANCE)
    np.testing.assert_allclose(explanation.value, truth, **TOLERANCE)
    assert explanation.total == pytest.approx(sum(t.sum for t in explanation.terms) + explanation.bias)

    (top, _), (left, _) = layer.padding_amounts()
    padded_input = padded_like_torch(layer, layer_input)
    _, height, width = layer_input.shape
    per_group = layer.out_channels // layer.groups
    group = out_channel // per_group
    assert [t.in_channel for t in explanation.terms] == list(
        range(group * layer.in_per_group, (group + 1) * layer.in_per_group))
    for j, term in enumerate(explanation.terms):
        outside = ((term.rows < 0) | (term.rows >= height))[:, None] | \
                  ((term.cols < 0) | (term.cols >= width))[None, :]
        assert np.array_equal(term.padded, outside)
        reference_patch = padded_input[term.in_channel][np.ix_(term.rows + top, term.cols + left)]
        assert np.array_equal(term.patch, reference_patch)
        assert np.array_equal(term.sub_kernel, layer.weight[out_channel, j])
        assert term.patch.dtype == np.float32 and term.products.dtype == np.float64
        assert np.array_equal(term.products, term.patch.astype(np.float64) * term.sub_kernel)


@pytest.mark.parametrize("chunk", range(RANDOM_CHUNKS))
def test_explain_pixel_matches_torch_on_random_layers(chunk) -> None:
    rng = np.random.default_rng(1000 + chunk)
    for _ in range(RANDOM_LAYERS_PER_CHUNK):
        layer, layer_input = random_case(rng)
        expected = torch_output(layer, layer_input)
        _, out_h, out_w = expected.shape
        corners = [(0, 0), (0, out_w - 1), (out_h - 1, 0), (out_h - 1, out_w - 1)]
        inside = [(int(rng.integers(out_h)), int(rng.integers(out_w)))]
        for y, x in corners + inside:
            check_pixel(layer, layer_input, expected, int(rng.integers(layer.out_channels)), y, x)


LAYER_VARIANTS = [
    {"kernel_size": 3, "padding": 1},
    {"kernel_size": (2, 4), "padding": "same"},
    {"kernel_size": 3, "padding": "valid", "stride": 2},
    {"kernel_size": (3, 2), "padding": (2, 1), "stride": (2, 3), "dilation": (2, 1)},
    {"kernel_size": 2, "padding": "same", "dilation": 3},
]


@pytest.mark.parametrize("padding_mode", PADDING_MODES)
@pytest.mark.parametrize("variant", LAYER_VARIANTS, ids=str)
@pytest.mark.parametrize(("channels", "groups"), [((3, 2), 1), ((4, 6), 2), ((3, 3), 3)])
def test_partial_maps_and_bias_add_up_to_the_output_channel(padding_mode, variant, channels,
                                                             groups) -> None:
    rng = np.random.default_rng(7)
    in_channels, out_channels = channels
    layer = with_random_parameters(
        Conv2d(in_channels, out_channels, groups=groups, padding_mode=padding_mode, **variant), rng)
    layer_input = rng.normal(size=(in_channels, 9, 10)).astype(np.float32)
    expected = torch_output(layer, layer_input)
    per_group = out_channels // groups
    for out_channel in range(out_channels):
        found = contributions(layer, layer_input, out_channel)
        first = (out_channel // per_group) * layer.in_per_group
        assert found.in_channels == tuple(range(first, first + layer.in_per_group))
        assert found.partial_maps.dtype == np.float32
        assert found.partial_maps.shape == (layer.in_per_group, *expected.shape[1:])
        np.testing.assert_allclose(found.output, expected[out_channel], **TOLERANCE)
        np.testing.assert_allclose(found.partial_maps.sum(axis=0) + found.bias,
                                   expected[out_channel], **TOLERANCE)


def test_each_partial_map_is_its_sub_kernel_alone() -> None:
    """Map j equals the layer's output with every other sub-kernel and the bias set to zero."""
    rng = np.random.default_rng(3)
    layer = with_random_parameters(
        Conv2d(4, 2, 3, padding=2, dilation=2, groups=2, padding_mode="reflect"), rng)
    layer_input = rng.normal(size=(4, 8, 8)).astype(np.float32)
    found = contributions(layer, layer_input, out_channel=1)
    for j in range(layer.in_per_group):
        only_j = np.zeros_like(layer.weight)
        only_j[1, j] = layer.weight[1, j]
        alone = layer.with_parameters(only_j, np.zeros(2, dtype=np.float32))
        np.testing.assert_allclose(found.partial_maps[j], torch_output(alone, layer_input)[1],
                                   **TOLERANCE)


def test_padded_cells_report_coordinates_in_the_unpadded_frame() -> None:
    layer = with_random_parameters(Conv2d(1, 1, 3, padding=2, dilation=2, padding_mode="zeros"),
                                   np.random.default_rng(0))
    layer_input = np.arange(1, 26, dtype=np.float32).reshape(1, 5, 5)
    term = explain_pixel(layer, layer_input, 0, 0, 4).terms[0]
    assert term.rows.tolist() == [-2, 0, 2]
    assert term.cols.tolist() == [2, 4, 6]
    assert term.padded.tolist() == [[True] * 3, [False, False, True], [False, False, True]]
    assert term.patch.tolist() == [[0, 0, 0], [3, 5, 0], [13, 15, 0]]


def test_inputs_are_left_alone_and_results_do_not_alias() -> None:
    rng = np.random.default_rng(1)
    layer = with_random_parameters(Conv2d(2, 2, 3, padding=1, padding_mode="zeros"), rng)
    layer_input = rng.normal(size=(2, 6, 6)).astype(np.float32)
    original = layer_input.copy()
    explanation = explain_pixel(layer, layer_input, 1, 0, 0)
    explanation.terms[0].patch[...] = 99
    explanation.terms[0].padded[...] = False
    assert np.array_equal(layer_input, original)
    assert explanation.terms[1].padded.any()
    contributions(layer, layer_input, 0)
    assert np.array_equal(layer_input, original)


@pytest.mark.parametrize(("arguments", "message"), [
    ((2, 0, 0), "out_channel 2 is out of range: the layer has 2 output channels, so out_channel runs from 0 to 1"),
    ((-1, 0, 0), "out_channel -1 is out of range"),
    ((0, 4, 0), "y 4 is out of range: the output is 4×5, so y runs from 0 to 3"),
    ((0, 0, 5), "x 5 is out of range"),
    ((0, 1.5, 0), "y must be a whole number"),
])
def test_out_of_range_pixels_and_channels_are_refused(arguments, message) -> None:
    layer = with_random_parameters(Conv2d(1, 2, (3, 2)), np.random.default_rng(0))
    with pytest.raises(ConvDesignerError, match=message):
        explain_pixel(layer, np.zeros((1, 6, 6), dtype=np.float32), *arguments)


def test_layers_without_weights_or_for_another_input_are_refused() -> None:
    with pytest.raises(ConvDesignerError, match="no weights"):
        contributions(Conv2d(1, 2, 3), np.zeros((1, 6, 6), dtype=np.float32), 0)
    layer = with_random_parameters(Conv2d(3, 2, 3), np.random.default_rng(0))
    with pytest.raises(ConvDesignerError, match="in_channels is 3 but the input has 1 channel"):
        explain_pixel(layer, np.zeros((1, 6, 6), dtype=np.float32), 0, 0, 0)
    with pytest.raises(ConvDesignerError, match=r"\[C, H, W\]"):
        contributions(layer, np.zeros((6, 6), dtype=np.float32), 0)
