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
from typing import TypeVar

import numpy as np
import torch
from torch import nn

from convdesigner.compute.modules import to_module
from convdesigner.design.analysis import analyze, require_valid
from convdesigner.design.budget import require_initialization, require_parameters
from convdesigner.design.layers import Conv2d, Design, Layer
from convdesigner.errors import DesignError, ResourceError

# The seeds torch.manual_seed accepts.
_SEED_RANGE = (-(2**63), 2**64)
_SEEDED_BUILD_LOCK = threading.Lock()
_L = TypeVar("_L", bound=Layer)


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
    """``design`` with every parametric layer holding all its tensors (a ``Conv2d`` its ``weight``
    and, when it has a bias, ``bias_values``; see :meth:`Layer.parameter_names`).

    Missing parameters are PyTorch's default initialisation under ``design.seed`` (see the module
    docstring); given ones are kept bit for bit. Returns ``design`` itself when nothing is missing.
    Raises :class:`DesignError` when the design is invalid (:func:`require_valid`), and
    :class:`~convdesigner.errors.ResourceError` -- before allocating anything -- when initialising
    the parameters would need more memory than the budget
    (:func:`convdesigner.design.budget.require_parameters`; ``budget`` in bytes overrides it).
    """
    require_valid(design)
    missing = [(index, layer) for index, layer in enumerate(design.layers)
               if layer.has_parameters and not layer.has_explicit_parameters]
    if not missing:
        return design
    require_parameters(design, budget=budget)
    # Layers after the last one that needs values cannot change the draws, so they are not built.
    model = seeded_sequential(design.layers[: missing[-1][0] + 1], design.seed)
    layers = list(design.layers)
    for index, layer in missing:
        layers[index] = _filled_from(layer, model[index])
    return replace(design, layers=tuple(layers))


def _filled_from(layer: _L, module: nn.Module) -> _L:
    """``layer`` with each tensor it does not give taken from ``module`` (built from it)."""
    state = module.state_dict()
    given = layer.parameter_values()
    return layer.with_parameter_values({
        name: value if value is not None else _as_numpy(state[name])
        for name, value in given.items()})


def default_parameter_values(layer: Layer, seed: int, *,
                             budget: int | None = None) -> dict[str, np.ndarray]:
    """``{name: values}`` of every tensor of ``torch.manual_seed(seed); nn.<Layer>(...)`` for this
    layer alone (new float32 arrays, shaped as :meth:`Layer.parameter_shapes`).

    Raises :class:`DesignError` when PyTorch refuses the layer's arguments, and
    :class:`~convdesigner.errors.ResourceError`, before allocating, when the layer's weights are
    more than the app can show (:data:`~convdesigner.design.analysis.MAX_VALUES_PER_TENSOR`) or
    would not fit the memory budget (``budget`` in bytes overrides it).
    """
    require_initialization(layer, budget=budget)
    try:
        module = seeded_sequential((layer,), seed)[0]
    except (ValueError, RuntimeError) as error:
        raise DesignError(f"cannot initialise {layer.torch_repr()}: {error}") from None
    state = module.state_dict()
    return {name: _as_numpy(state[name]) for name in layer.parameter_names()}


def default_init_values(layer: Conv2d, seed: int, *,
                        budget: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """``(weight, bias)`` of ``torch.manual_seed(seed); nn.Conv2d(...)`` for this layer alone.

    ``weight`` is float32 ``[out_channels, in_channels // groups, kH, kW]``, ``bias`` float32
    ``[out_channels]`` or None when the layer has no bias. Both are new arrays. Raises as
    :func:`default_parameter_values`.
    """
    values = default_parameter_values(layer, seed, budget=budget)
    return values["weight"], values.get("bias")


def initialize_conv(layer: Conv2d, seed: int, *, budget: int | None = None) -> Conv2d:
    """A copy of ``layer`` holding fresh default-initialised parameters (for "add layer"/"reset").
    Raises as :func:`default_init_values` does, before allocating."""
    return layer.with_parameters(*default_init_values(layer, seed, budget=budget))


def initialize_layer(layer: _L, seed: int, *, budget: int | None = None) -> _L:
    """:func:`initialize_conv` for any layer kind (a layer without parameters is returned as is)."""
    if not layer.has_parameters:
        return layer
    return layer.with_parameter_values(default_parameter_values(layer, seed, budget=budget))


# -- parameters carried over between edits --------------------------------------------------------
def buildable(layer: Layer) -> bool:
    """Whether PyTorch can build ``layer``'s module from its arguments on its own (even when the
    design around it is invalid): its tensors' shapes are defined and none is empty."""
    shapes = layer.parameter_shapes()
    return shapes is not None and all(min(shape, default=1) >= 1 for shape in shapes.values())


def materialize_if_possible(design: Design) -> Design:
    """Give every parametric layer its parameters (seeded default init), so edits elsewhere never
    reshuffle them.

    A valid design gets exactly PyTorch's sequence of initialisations (:func:`materialize`), so
    that the exported code (``torch.manual_seed(seed)`` + ``nn.Sequential``) reproduces it. In an
    invalid one each buildable layer is initialised on its own (seed + index); the others get
    parameters once fixed.
    """
    if analyze(design).valid:
        return materialize(design)
    layers = tuple(
        fit_parameters(layer, seed=design.seed + index)
        if layer.has_parameters and not layer.has_explicit_parameters and buildable(layer) else layer
        for index, layer in enumerate(design.layers))
    return replace(design, layers=layers)


def carry_parameters(new: Design) -> Design:
    """Give each parametric layer of ``new`` (an edit of an earlier design, whose layers still
    hold their earlier parameters) parameters of the right shape, keeping what they had.

    A layer whose arguments leave its tensor shapes unchanged keeps its parameters. One whose
    shape changed (more kernels, fewer input channels, ...) gets fresh default-initialised
    parameters with the overlapping block copied from its old self when the trailing dimensions
    (a kernel's size) are unchanged, so growing ``out_channels`` from 64 to 65 adds one kernel
    and changes nothing else.
    """
    layers = []
    for index, layer in enumerate(new.layers):
        if layer.has_parameters and buildable(layer):
            layer = fit_parameters(layer, new.seed + index)
        layers.append(layer)
    return replace(new, layers=tuple(layers))


def fit_parameters(layer: _L, seed: int) -> _L:
    """``layer`` with parameters of its tensor shapes: its own when they fit, else fresh ones
    (seeded default init) holding the overlapping block of its old ones."""
    shapes = layer.parameter_shapes()
    assert shapes is not None  # buildable
    old = layer.parameter_values()
    if all(value is not None and value.shape == shapes[name] for name, value in old.items()):
        return layer.with_parameter_values(old)   # drops a bias the layer no longer has
    try:
        fresh = default_parameter_values(layer, seed=seed)
    except ResourceError:
        raise                     # too large for this machine: the edit is not applied
    except DesignError:
        # PyTorch cannot build this layer yet (padding='same' with stride 3): it gets parameters
        # once it is fixed, and the edit is applied like any other invalid one.
        return layer.without_parameters()
    values: dict[str, np.ndarray | None] = {}
    for name, array in fresh.items():
        previous = old.get(name)
        if previous is not None and previous.ndim == array.ndim and previous.shape[2:] == array.shape[2:]:
            block = tuple(slice(0, min(a, b)) for a, b in zip(array.shape[:2], previous.shape[:2], strict=True))
            array = np.array(array)
            array[block] = previous[block]
        values[name] = array
    return layer.with_parameter_values(values)
