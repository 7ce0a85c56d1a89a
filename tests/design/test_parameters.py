"""The generic parameter protocol of layers (what the file format, initialisation and engine use)."""

import numpy as np
import pytest

from convdesigner.design.layers import Conv2d, ReLU


def test_conv_names_and_shapes_follow_its_arguments():
    assert Conv2d(4, 6, 3).parameter_names() == ("weight", "bias")
    assert Conv2d(4, 6, 3, bias=False).parameter_names() == ("weight",)
    assert Conv2d(4, 6, (3, 5), groups=2).parameter_shapes() == {"weight": (6, 2, 3, 5), "bias": (6,)}
    assert Conv2d(4, 6, 3, groups=3).parameter_shapes() is None      # groups must divide in_channels


def test_a_layer_without_parameters_has_none_and_is_always_explicit():
    assert ReLU().parameter_names() == ()
    assert ReLU().parameter_values() == {}
    assert ReLU().has_explicit_parameters
    assert ReLU().with_parameter_values({"weight": np.zeros(1)}) == ReLU()


def test_with_parameter_values_copies_freezes_and_drops_what_the_layer_lacks():
    weight = np.ones((2, 1, 3, 3))
    layer = Conv2d(1, 2, 3, bias=False).with_parameter_values({"weight": weight, "bias": np.ones(2)})
    assert layer.bias_values is None
    assert layer.weight.dtype == np.float32 and not layer.weight.flags.writeable
    weight[0, 0, 0, 0] = 5
    assert layer.weight[0, 0, 0, 0] == 1
    assert layer.has_explicit_parameters and layer.parameters_fit()
    assert not layer.without_parameters().has_explicit_parameters


def test_same_parameters_compares_bits():
    layer = Conv2d(1, 2, 3).with_parameter_values({"weight": np.ones((2, 1, 3, 3)), "bias": np.zeros(2)})
    assert layer.same_parameters(layer.with_parameter_values(layer.parameter_values()))
    other = layer.with_parameter_values({"weight": np.ones((2, 1, 3, 3)), "bias": -np.zeros(2)})
    assert not layer.same_parameters(other)                     # -0.0 differs from 0.0 bit for bit
    wrong = Conv2d(1, 3, 3).with_parameter_values(layer.parameter_values())
    assert not wrong.parameters_fit()


def test_non_finite_values_are_refused():
    from convdesigner.errors import DesignError
    with pytest.raises(DesignError, match="NaN or infinity"):
        Conv2d(1, 1, 1).with_parameter_values({"weight": np.full((1, 1, 1, 1), np.nan), "bias": [0.0]})
