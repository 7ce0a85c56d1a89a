"""Validation messages: plain language, with the numbers, and nothing but DesignError."""

from __future__ import annotations

import numpy as np
import pytest

from convdesigner.design import (
    AvgPool2d,
    Conv2d,
    Design,
    InputSpec,
    LeakyReLU,
    MaxPool2d,
    analyze,
    describe_parameters,
    require_valid,
)
from convdesigner.errors import DesignError

LEARNER = Design(InputSpec(1, 28, 28), (Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1)))


def problems(design: Design) -> list[str]:
    return [p.message for p in analyze(design).problems]


def test_the_learners_design_in_numbers() -> None:
    analysis = require_valid(LEARNER)
    assert [info.out_shape for info in analysis.layers] == [(64, 14, 14), (64, 14, 14), (128, 7, 7)]
    assert describe_parameters(analysis.layers[2]) == (
        "Layer 2: 128 kernels × 64 sub-kernels of 4×4 = 131,072 weights + 128 biases")
    assert describe_parameters(analysis.layers[0]) == (
        "Layer 0: 64 kernels × 1 sub-kernel of 4×4 = 1,024 weights + 64 biases")
    assert analysis.layers[2].formula == (
        "H_out = W_out = ⌊(in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 "
        "= ⌊(14 + 2·1 − 1·(4 − 1) − 1) / 2⌋ + 1 = ⌊12 / 2⌋ + 1 = 7",)


@pytest.mark.parametrize("layer, expected", [
    (Conv2d(32, 128, 4, 2, 1), "layer 2 (Conv2d): in_channels is 32 but layer 1 gives 64 channels"),
    (Conv2d(64, 128, 4, 2, 1, groups=3), "layer 2 (Conv2d): groups=3 must divide in_channels=64"),
    (Conv2d(64, 100, 4, 2, 1, groups=8), "groups=8 must divide out_channels=100"),
    (Conv2d(64, 128, 3, 2, "same"), "padding='same' needs stride 1, but stride is 2"),
    (Conv2d(64, 128, 3, 1, 14, padding_mode="reflect"),
     "padding_mode='reflect' needs padding smaller than the input's height, but padding is 14 and the height is 14"),
    (Conv2d(64, 128, 20), "layer 2 (Conv2d): output would be 0×0: H_out = W_out"),
    (Conv2d(64, 128, 0), "kernel_size must be at least 1, got 0"),
    (Conv2d(64, 128, 3, stride=(1, 0)), "stride must be at least 1, got (1, 0)"),
    (Conv2d(64, 128, 3, padding=-1), "padding must be at least 0, got -1"),
    (Conv2d(64, 0, 3), "out_channels must be at least 1, got 0"),
])
def test_each_rule_has_a_message_with_its_numbers(layer, expected) -> None:
    found = problems(LEARNER.with_layer(2, layer))
    assert any(expected in message for message in found), found


def test_first_layer_mismatch_speaks_of_the_input() -> None:
    design = Design(InputSpec(3, 8, 8), (Conv2d(1, 4, 3),))
    assert problems(design) == ["layer 0 (Conv2d): in_channels is 1 but the input has 3 channels"]


def test_pool_rules() -> None:
    base = Design(InputSpec(1, 4, 4), (MaxPool2d(3, padding=2),))
    assert "padding must be at most half the kernel size" in problems(base)[0]
    assert "output would be 0×0" in problems(Design(InputSpec(1, 4, 4), (AvgPool2d(5),)))[0]


def test_layers_after_a_collapse_are_not_analysed_but_the_rest_is() -> None:
    design = Design(InputSpec(1, 4, 4), (Conv2d(1, 2, 3), Conv2d(2, 2, 5), Conv2d(2, 2, 1)))
    analysis = analyze(design)
    assert analysis.layers[0] is not None and analysis.layers[1] is None and analysis.layers[2] is None
    assert [p.layer for p in analysis.problems] == [1]


def test_require_valid_raises_design_error_with_a_count_of_the_rest() -> None:
    design = LEARNER.with_layer(2, Conv2d(32, 100, 4, 2, 1, groups=3))
    with pytest.raises(DesignError) as caught:
        require_valid(design)
    assert "(and 2 more problems)" in str(caught.value)


@pytest.mark.parametrize("build", [
    lambda: Conv2d(1, 2, "3"),
    lambda: Conv2d(1, 2, 3, padding="full"),
    lambda: Conv2d(1, 2, 3, padding_mode="mirror"),
    lambda: Conv2d(1, 2, 3, weight=[["x"]]),
    lambda: Conv2d(1, 2, 3, weight=np.array([np.nan])),
    lambda: LeakyReLU(float("inf")),
    lambda: InputSpec(1, 2.5, 3),
    lambda: Design(InputSpec(1, 2, 2), (object(),)),
    lambda: Design(InputSpec(1, 2, 2), (), input_values=np.zeros((2, 2))),
])
def test_construction_refuses_wrong_types_with_design_error_only(build) -> None:
    with pytest.raises(DesignError):
        build()


def test_wrongly_shaped_parameters_are_a_problem_not_a_crash() -> None:
    layer = Conv2d(1, 2, 3, weight=np.zeros((2, 1, 2, 2)), bias_values=np.zeros(3))
    found = problems(Design(InputSpec(1, 5, 5), (layer,)))
    assert "weight has shape [2, 1, 2, 2] but the layer needs [2, 1, 3, 3]" in found[0]
    assert "bias has 3 values but the layer needs 2" in found[1]


def test_edits_return_new_designs_and_leave_the_old_one_alone() -> None:
    moved = LEARNER.with_moved(0, 2)
    assert [layer.kind for layer in moved.layers] == ["LeakyReLU", "Conv2d", "Conv2d"]
    assert [layer.kind for layer in LEARNER.layers] == ["Conv2d", "LeakyReLU", "Conv2d"]
    assert LEARNER.without_layer(1).layers == (LEARNER.layers[0], LEARNER.layers[2])
    assert LEARNER.with_inserted(1, MaxPool2d(2)).layers[1] == MaxPool2d(2)
    weight = np.ones((64, 1, 4, 4))
    layer = LEARNER.layers[0].with_parameters(weight, np.zeros(64))
    weight[0, 0, 0, 0] = 5  # the layer copied it
    assert layer.weight[0, 0, 0, 0] == 1 and not layer.weight.flags.writeable
