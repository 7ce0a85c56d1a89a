"""Filling in the parameters a design does not give: PyTorch's default initialisation, seeded.

A ``Conv2d`` without explicit ``weight``/``bias_values`` gets exactly the values that

    torch.manual_seed(design.seed)
    model = nn.Sequential(<the design's layers>)

gives it -- the whole stack is built in order, because each ``nn.Conv2d`` draws from the random
stream after the ones before it. That is what lets exported code that only says
``torch.manual_seed(SEED)`` reproduce the app's weights bit for bit. Explicit parameters are kept
bit for bit and do not shift anyone else's draws.

Nothing here changes the global random state: every draw happens inside
``torch.random.fork_rng(devices=[])`` on the CPU generator alone (``torch.manual_seed`` would also
reseed CUDA's generators, which ``fork_rng(devices=[])`` does not restore). Default
initialisation always runs on the CPU, so the values do not depend on the device a design runs on.

Threads: ``nn.Conv2d`` draws from the process-wide CPU generator (it takes no generator argument),
so seeded builds are serialised by a lock and may run on any thread. Other code drawing from
torch's global generator on another thread at the same moment would still disturb them.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import torch
from torch import nn

from convdesigner.compute.modules import conv_module, to_module
from convdesigner.design.analysis import analyze, require_valid
from convdesigner.design.budget import require_initialization, require_parameters
from convdesigner.design.layers import Conv2d, Design, Layer
from convdesigner.errors import DesignError, ResourceError

# The seeds torch.manual_seed accepts.
_SEED_RANGE = (-(2**63), 2**64)
_SEEDED_BUILD_LOCK = threading.Lock()


def _check_seed(seed: int) -> None:
    low, high = _SEED_RANGE
    if not low <= seed < high:
        raise DesignError(f"seed {seed} is outside the range PyTorch accepts (-2^63 to 2^64 - 1)")


def seeded_sequential(layers: tuple[Layer, ...], seed: int) -> nn.Sequential:
    """``torch.manual_seed(seed); nn.Sequential(*layers)`` on the CPU, global RNG left unchanged."""
    _check_seed(seed)
    with _SEEDED_BUILD_LOCK, torch.random.fork_rng(devices=[]):
        torch.random.default_generator.manual_seed(seed)
        return nn.Sequential(*(to_module(layer) for layer in layers))


def _as_numpy(parameter: torch.Tensor) -> np.ndarray:
    return parameter.detach().numpy()


def materialize(design: Design, *, budget: int | None = None) -> Design:
    """``design`` with every ``Conv2d`` holding ``weight`` and, when it has a bias, ``bias_values``.

    Missing parameters are PyTorch's default initialisation under ``design.seed`` (see the module
    docstring); given ones are kept bit for bit. Returns ``design`` itself when nothing is missing.
    Raises :class:`DesignError` when the design is invalid (:func:`require_valid`), and
    :class:`~convdesigner.errors.ResourceError` -- before allocating anything -- when initialising
    the parameters would need more memory than the budget
    (:func:`convdesigner.design.budget.require_parameters`; ``budget`` in bytes overrides it).
    """
    require_valid(design)
    missing = [(index, layer) for index, layer in enumerate(design.layers)
               if isinstance(layer, Conv2d) and not layer.has_explicit_parameters]
    if not missing:
        return design
    require_parameters(design, budget=budget)
    # Layers after the last one that needs values cannot change the draws, so they are not built.
    model = seeded_sequential(design.layers[: missing[-1][0] + 1], design.seed)
    layers = list(design.layers)
    for index, layer in missing:
        module = conv_module(model, index)
        weight = layer.weight if layer.weight is not None else _as_numpy(module.weight)
        bias = None
        if layer.bias:
            if layer.bias_values is not None:
                bias = layer.bias_values
            elif module.bias is not None:        # always, as the layer has a bias
                bias = _as_numpy(module.bias)
        layers[index] = layer.with_parameters(weight, bias)
    return replace(design, layers=tuple(layers))


def default_init_values(layer: Conv2d, seed: int, *,
                        budget: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """``(weight, bias)`` of ``torch.manual_seed(seed); nn.Conv2d(...)`` for this layer alone.

    ``weight`` is float32 ``[out_channels, in_channels // groups, kH, kW]``, ``bias`` float32
    ``[out_channels]`` or None when the layer has no bias. Both are new arrays. Raises
    :class:`DesignError` when PyTorch refuses the layer's arguments, and
    :class:`~convdesigner.errors.ResourceError`, before allocating, when the layer's weights are
    more than the app can show (:data:`~convdesigner.design.analysis.MAX_VALUES_PER_TENSOR`) or
    would not fit the memory budget (``budget`` in bytes overrides it).
    """
    require_initialization(layer, budget=budget)
    try:
        module = conv_module(seeded_sequential((layer,), seed), 0)
    except (ValueError, RuntimeError) as error:
        raise DesignError(f"cannot initialise {layer.torch_repr()}: {error}") from None
    bias = _as_numpy(module.bias) if module.bias is not None else None
    return _as_numpy(module.weight), bias


def initialize_conv(layer: Conv2d, seed: int, *, budget: int | None = None) -> Conv2d:
    """A copy of ``layer`` holding fresh default-initialised parameters (for "add layer"/"reset").
    Raises as :func:`default_init_values` does, before allocating."""
    return layer.with_parameters(*default_init_values(layer, seed, budget=budget))


# -- parameters carried over between edits --------------------------------------------------------
def buildable(layer: Conv2d) -> bool:
    """Whether ``nn.Conv2d`` can be made from ``layer``'s arguments on its own (even when the
    design around it is invalid)."""
    return (layer.in_channels >= 1 and layer.out_channels >= 1 and layer.groups >= 1
            and layer.in_channels % layer.groups == 0 and min(layer.kernel_size) >= 1)


def materialize_if_possible(design: Design) -> Design:
    """Give every Conv2d its parameters (seeded default init), so edits elsewhere never reshuffle them.

    A valid design gets exactly PyTorch's sequence of initialisations (:func:`materialize`), so
    that the exported code (``torch.manual_seed(seed)`` + ``nn.Sequential``) reproduces it. In an
    invalid one each buildable Conv2d is initialised on its own (seed + index); the others get
    parameters once fixed.
    """
    if analyze(design).valid:
        return materialize(design)
    layers = tuple(
        fit_parameters(layer, seed=design.seed + index)
        if isinstance(layer, Conv2d) and layer.weight is None and buildable(layer) else layer
        for index, layer in enumerate(design.layers))
    return replace(design, layers=layers)


def carry_parameters(new: Design) -> Design:
    """Give each Conv2d of ``new`` (an edit of an earlier design, whose layers still hold their
    earlier parameters) parameters of the right shape, keeping what they had.

    A layer whose arguments leave the weight shape unchanged keeps its parameters. One whose
    shape changed (more kernels, fewer input channels, ...) gets fresh default-initialised
    parameters with the overlapping block copied from its old self when the kernel size is
    unchanged, so growing ``out_channels`` from 64 to 65 adds one kernel and changes nothing else.
    """
    layers = []
    for index, layer in enumerate(new.layers):
        if isinstance(layer, Conv2d) and buildable(layer):
            layer = fit_parameters(layer, new.seed + index)
        layers.append(layer)
    return replace(new, layers=tuple(layers))


def fit_parameters(layer: Conv2d, seed: int) -> Conv2d:
    """``layer`` with parameters of its weight shape: its own when they fit, else fresh ones
    (seeded default init) holding the overlapping block of its old weight and bias."""
    shape = layer.weight_shape
    bias_fits = not layer.bias or (layer.bias_values is not None
                                   and layer.bias_values.shape == (layer.out_channels,))
    if layer.weight is not None and layer.weight.shape == shape and bias_fits:
        return layer if layer.bias or layer.bias_values is None else layer.with_parameters(layer.weight, None)
    try:
        fresh = initialize_conv(layer.without_parameters(), seed=seed)
    except ResourceError:
        raise                     # too large for this machine: the edit is not applied
    except DesignError:
        # PyTorch cannot build this layer yet (padding='same' with stride 3): it gets parameters
        # once it is fixed, and the edit is applied like any other invalid one.
        return layer.without_parameters()
    weight = np.array(fresh.weight)
    bias = None if fresh.bias_values is None else np.array(fresh.bias_values)
    if layer.weight is not None and layer.weight.shape[2:] == shape[2:]:
        o = min(shape[0], layer.weight.shape[0])
        i = min(shape[1], layer.weight.shape[1])
        weight[:o, :i] = layer.weight[:o, :i]
    if bias is not None and layer.bias_values is not None:
        o = min(bias.shape[0], layer.bias_values.shape[0])
        bias[:o] = layer.bias_values[:o]
    return layer.with_parameters(weight, bias)
