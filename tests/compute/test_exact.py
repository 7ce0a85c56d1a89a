"""The engine's exact mode: every shown value is the float32 nearest the exact result, so an
explained pixel's sum (computed from the shown numbers) equals the shown map value digit for digit."""

from __future__ import annotations

import numpy as np
import pytest

from convdesigner.compute.engine import Engine
from convdesigner.compute.explain import explain_pixel
from convdesigner.compute.weights import materialize
from convdesigner.design import Conv2d, Design, InputSpec, LeakyReLU, analyze
from tests.oracle import torch_outputs


def random_designs(count: int):
    rng = np.random.default_rng(11)
    made = 0
    while made < count:
        channels = int(rng.choice([1, 2, 4]))
        groups = int(rng.choice([1, channels]))
        layer = Conv2d(channels, int(rng.choice([2, 4])) * groups, int(rng.integers(1, 5)),
                       stride=int(rng.integers(1, 3)), padding=int(rng.integers(0, 3)),
                       dilation=int(rng.integers(1, 3)), groups=groups,
                       padding_mode=str(rng.choice(["zeros", "reflect", "replicate", "circular"])))
        second = Conv2d(layer.out_channels, 3, 3, padding=1)
        design = Design(InputSpec(channels, 12, 12), (layer, LeakyReLU(0.2), second), seed=made)
        if analyze(design).valid:
            made += 1
            yield materialize(design), rng.standard_normal((channels, 12, 12)).astype(np.float32)


def test_explained_totals_equal_the_shown_values_digit_for_digit() -> None:
    engine = Engine("cpu")
    rng = np.random.default_rng(3)
    compared = 0
    for design, image in random_designs(40):
        result = engine.compute(design, image, exact=True)
        for index, layer_input in ((0, image), (2, result.outputs[1])):
            layer, shown = design.layers[index], result.outputs[index]
            for _ in range(25):
                channel, y, x = (int(rng.integers(size)) for size in shown.shape)
                explanation = explain_pixel(layer, layer_input, channel, y, x)
                assert str(np.float32(explanation.total)) == str(shown[channel, y, x])
                compared += 1
    assert compared == 2000


@pytest.mark.parametrize("exact", [False, True])
def test_exact_and_float32_modes_agree_with_torch_to_float32_rounding(exact: bool) -> None:
    design, image = next(random_designs(1))
    result = Engine("cpu").compute(design, image, focus=(0, 1), exact=exact)
    for shown, expected in zip(result.outputs, torch_outputs(design, image), strict=True):
        np.testing.assert_allclose(shown, expected, rtol=1e-5, atol=1e-5)
    total = result.contributions.partial_maps.sum(axis=0) + result.contributions.bias
    np.testing.assert_allclose(total, result.outputs[0][1], rtol=1e-5, atol=1e-5)
