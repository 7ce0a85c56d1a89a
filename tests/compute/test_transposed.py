"""The scatter and gather views of a ConvTranspose2d each add up to PyTorch's map, and one pixel's
explanation adds up to PyTorch's value; the overlap counts are those of PyTorch itself."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from convdesigner.compute.transposed import (
    explain_transposed_pixel,
    gather_parts,
    implied_padding,
    scatter_parts,
)
from convdesigner.compute.weights import initialize_layer
from convdesigner.design import ConvTranspose2d, Design, InputSpec, analyze
from convdesigner.design.checkerboard import overlap_counts, verdict
from convdesigner.errors import ConvDesignerError
from tests.oracle import torch_module

TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


@st.composite
def cases(draw):
    groups = draw(st.sampled_from([1, 1, 2]))
    in_channels = groups * draw(st.integers(1, 3))
    out_channels = groups * draw(st.integers(1, 2))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True))
    layer = ConvTranspose2d(in_channels, out_channels, (draw(st.integers(1, 4)), draw(st.integers(1, 4))),
                            stride=stride, padding=(draw(st.integers(0, 2)), draw(st.integers(0, 2))),
                            output_padding=output_padding, groups=groups, bias=draw(st.booleans()),
                            dilation=dilation)
    spec = InputSpec(in_channels, draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    return layer, spec, draw(st.integers(0, 10_000))


def reference(layer: ConvTranspose2d, image: np.ndarray, dtype=torch.float32) -> np.ndarray:
    module = torch_module(layer).to(dtype)
    with torch.no_grad():
        return module(torch.from_numpy(image).to(dtype)[None])[0].numpy()


@settings(max_examples=150, deadline=None, derandomize=True)
@given(cases())
def test_scatter_and_gather_each_add_up_to_torchs_map(case) -> None:
    layer, spec, seed = case
    if not analyze(Design(spec, (layer,))).valid:
        return
    layer = initialize_layer(layer, seed)
    image = np.random.default_rng(seed).normal(size=spec.shape).astype(np.float32)
    expected = reference(layer, image)
    exact = reference(layer, image, torch.float64).astype(np.float32)
    for out_channel in range(layer.out_channels):
        scatter = scatter_parts(layer, image, out_channel)
        gather = gather_parts(layer, image, out_channel)
        assert scatter.maps.shape == gather.maps.shape == (len(scatter.in_channels), *expected.shape[1:])
        np.testing.assert_allclose(scatter.output, expected[out_channel], **TOLERANCE)
        np.testing.assert_allclose(gather.output, expected[out_channel], **TOLERANCE)
        # Both are float64 sums rounded once: they equal PyTorch's float64 map rounded to float32.
        np.testing.assert_array_equal(scatter.output, exact[out_channel])
        np.testing.assert_array_equal(gather.output, exact[out_channel])
        np.testing.assert_allclose(scatter.maps, gather.maps, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(scatter.maps.sum(axis=0) + scatter.bias, expected[out_channel],
                                   **TOLERANCE)
        y, x = seed % expected.shape[1], (seed // 7) % expected.shape[2]
        explained = explain_transposed_pixel(layer, image, out_channel, y, x)
        assert np.float32(explained.total) == exact[out_channel, y, x]
        np.testing.assert_allclose(explained.value, expected[out_channel, y, x], **TOLERANCE)
        assert explained.total == pytest.approx(sum(explained.sums) + explained.bias)
        for term in explained.terms:
            assert term.value == image[term.in_channel, term.row, term.col]
            local = out_channel % layer.out_per_group
            assert term.weight == layer.weight[term.in_channel, local, term.tap_row, term.tap_col]
            assert y + layer.padding[0] == term.row * layer.stride[0] + term.tap_row * layer.dilation[0]
            assert x + layer.padding[1] == term.col * layer.stride[1] + term.tap_col * layer.dilation[1]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(cases())
def test_overlap_counts_are_what_an_all_ones_kernel_gives(case) -> None:
    layer, spec, _ = case
    if not analyze(Design(spec, (layer,))).valid:
        return
    ones = ConvTranspose2d(1, 1, layer.kernel_size, layer.stride, layer.padding, layer.output_padding,
                           bias=False, dilation=layer.dilation,
                           weight=np.ones((1, 1, *layer.kernel_size), dtype=np.float32))
    counted = reference(ones, np.ones((1, spec.height, spec.width), dtype=np.float32))[0]
    np.testing.assert_array_equal(overlap_counts(layer, spec.height, spec.width), counted)


def test_the_gather_view_of_the_generator_layer() -> None:
    layer = initialize_layer(ConvTranspose2d(1, 1, 4, 2, 1), 0)
    image = np.arange(9, dtype=np.float32).reshape(1, 3, 3)
    gather = gather_parts(layer, image, 0)
    assert implied_padding(layer) == ((2, 2), (2, 2))        # 1·(4 − 1) − 1 = 2
    assert gather.stretched.shape == (1, 2 + 5 + 2, 2 + 5 + 2)
    assert gather.real.sum() == 9 and gather.stretched[0, 2, 2] == 0 and gather.stretched[0, 2, 4] == 1
    np.testing.assert_array_equal(gather.flipped[0], layer.weight[0, 0, ::-1, ::-1])


@pytest.mark.parametrize(("kernel", "stride", "uniform", "rows"), [
    (4, 2, True, (2, 2)), (3, 2, False, (2, 1)), (3, 1, True, (3,)), (5, 3, False, (2, 2, 1)),
    (6, 3, True, (2, 2, 2)),
])
def test_overlap_is_even_exactly_when_the_stride_divides_the_kernel(kernel, stride, uniform, rows) -> None:
    found = verdict(ConvTranspose2d(1, 1, kernel, stride))
    assert found.uniform == uniform and found.rows == rows
    assert ("divisible by stride" in str(found)) and (("not divisible" in str(found)) != uniform)
    counts = overlap_counts(ConvTranspose2d(1, 1, kernel, stride, padding=kernel - 1), 12, 12)
    interior = counts[kernel: -kernel, kernel: -kernel]
    assert (interior.min() == interior.max()) == uniform


def test_bad_requests_are_refused() -> None:
    layer = initialize_layer(ConvTranspose2d(2, 2, 3), 0)
    image = np.zeros((2, 4, 4), dtype=np.float32)
    with pytest.raises(ConvDesignerError, match="no channel 2"):
        scatter_parts(layer, image, 2)
    with pytest.raises(ConvDesignerError, match="outside the output, which is 6×6"):
        explain_transposed_pixel(layer, image, 0, 6, 0)
    with pytest.raises(ConvDesignerError, match="no weights"):
        gather_parts(ConvTranspose2d(2, 2, 3), image, 0)
