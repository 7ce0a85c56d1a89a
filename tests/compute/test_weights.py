"""Missing parameters are exactly ``torch.manual_seed(seed); nn.Sequential(...)``'s, given ones are kept."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from torch import nn

from convdesigner.compute.weights import default_init_values, initialize_conv, materialize
from convdesigner.design.layers import Conv2d, Design, InputSpec, LeakyReLU, MaxPool2d, ReLU
from convdesigner.errors import DesignError

SEED = 1234


def stack_design(seed: int = SEED) -> Design:
    return Design(InputSpec(3, 16, 16), (
        Conv2d(3, 6, 3, padding=1, padding_mode="circular"),
        ReLU(),
        MaxPool2d(2),
        Conv2d(6, 4, (2, 3), stride=(1, 2), groups=2, bias=False),
        LeakyReLU(0.1),
        Conv2d(4, 5, 1),
    ), seed=seed)


def reference_model(seed: int) -> nn.Sequential:
    """The same stack written by hand, as a student would, after seeding."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(3, 6, 3, padding=1, padding_mode="circular"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 4, (2, 3), stride=(1, 2), groups=2, bias=False),
        nn.LeakyReLU(0.1),
        nn.Conv2d(4, 5, 1),
    )


def assert_same_bits(array: np.ndarray, tensor: torch.Tensor) -> None:
    assert array.dtype == np.float32
    assert torch.equal(torch.from_numpy(np.array(array)), tensor.detach())


def test_missing_parameters_are_those_of_the_seeded_sequential() -> None:
    materialized = materialize(stack_design())
    reference = reference_model(SEED)
    for index in (0, 3, 5):
        layer, module = materialized.layers[index], reference[index]
        assert_same_bits(layer.weight, module.weight)
        if module.bias is None:
            assert layer.bias_values is None
        else:
            assert_same_bits(layer.bias_values, module.bias)


def test_materialize_is_reproducible_and_depends_on_the_seed() -> None:
    first, again = materialize(stack_design()), materialize(stack_design())
    assert first.same_parameters(again)
    other = materialize(stack_design(seed=SEED + 1))
    assert not np.array_equal(first.layers[0].weight, other.layers[0].weight)


def test_the_global_random_state_is_untouched() -> None:
    torch.manual_seed(99)
    before = torch.get_rng_state()
    materialize(stack_design())
    initialize_conv(Conv2d(3, 6, 3), seed=5)
    assert torch.equal(before, torch.get_rng_state())


def test_threads_materializing_at_once_get_their_own_seeds() -> None:
    seeds = list(range(40))
    expected = [materialize(stack_design(seed)) for seed in seeds]
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda seed: materialize(stack_design(seed)), seeds))
    assert all(a.same_parameters(b) for a, b in zip(found, expected, strict=True))


def test_explicit_parameters_are_kept_bit_for_bit_and_do_not_shift_other_draws() -> None:
    design = stack_design()
    weight = np.arange(6 * 3 * 3 * 3, dtype=np.float32).reshape(6, 3, 3, 3) / 7
    bias = np.array([np.float32(1e-38), -0.0, np.pi, 1, 2, 3], dtype=np.float32)
    design = design.with_layer(0, design.layers[0].with_parameters(weight, bias))
    materialized = materialize(design)
    assert materialized.layers[0].weight.tobytes() == weight.tobytes()
    assert materialized.layers[0].bias_values.tobytes() == bias.tobytes()
    reference = reference_model(SEED)
    assert_same_bits(materialized.layers[3].weight, reference[3].weight)
    assert_same_bits(materialized.layers[5].weight, reference[5].weight)


def test_a_missing_bias_is_filled_in_beside_an_explicit_weight() -> None:
    design = stack_design()
    weight = np.ones((5, 4, 1, 1), dtype=np.float32)
    design = design.with_layer(5, Conv2d(4, 5, 1, weight=weight))
    layer = materialize(design).layers[5]
    assert layer.weight.tobytes() == weight.tobytes()
    assert_same_bits(layer.bias_values, reference_model(SEED)[5].bias)


def test_a_fully_explicit_design_comes_back_as_it_is() -> None:
    materialized = materialize(stack_design())
    assert materialize(materialized) is materialized


def test_an_invalid_design_is_refused() -> None:
    design = Design(InputSpec(1, 8, 8), (Conv2d(2, 4, 3),))
    with pytest.raises(DesignError, match="in_channels"):
        materialize(design)


@pytest.mark.parametrize("layer", [
    Conv2d(1, 8, 5),
    Conv2d(6, 4, (3, 2), groups=2, bias=False),
    Conv2d(4, 4, 3, dilation=2, groups=4, padding="same", padding_mode="reflect"),
])
def test_initialize_conv_is_the_seeded_nn_conv2d(layer) -> None:
    torch.manual_seed(7)
    module = nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                       groups=layer.groups, bias=layer.bias)
    fresh = initialize_conv(layer, seed=7)
    assert fresh == layer
    assert_same_bits(fresh.weight, module.weight)
    if layer.bias:
        assert_same_bits(fresh.bias_values, module.bias)
    else:
        assert fresh.bias_values is None
    weight, bias = default_init_values(layer, seed=7)
    assert weight.tobytes() == fresh.weight.tobytes()
    assert (bias is None) == (not layer.bias)


def test_layers_pytorch_refuses_and_impossible_seeds_raise_design_errors() -> None:
    with pytest.raises(DesignError, match="cannot initialise"):
        default_init_values(Conv2d(3, 4, 3, groups=2), seed=0)
    with pytest.raises(DesignError, match="seed"):
        default_init_values(Conv2d(3, 4, 3), seed=2**64)
