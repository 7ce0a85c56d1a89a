"""Running a design with PyTorch: the model, a one-off run, and the live app's engine.

* :func:`build_model` -- the design as a real ``nn.Sequential`` holding its parameters;
* :func:`run`         -- one pass of one image, every layer's output (the command line's ``run``);
* :class:`Engine`     -- the same for the live app, reusing the model while the design is unchanged
  and optionally explaining one output channel of one ``Conv2d``.

Images and outputs are numpy float32 ``[C, H, W]`` (no batch dimension); the batch of one is
added and removed here.
"""

from __future__ import annotations

import contextlib
import copy
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

import numpy as np
import torch
from torch import nn

from convdesigner.compute.device import resolve_device
from convdesigner.compute.explain import Contributions, tensor_contributions
from convdesigner.compute.modules import conv_module, to_module
from convdesigner.compute.weights import materialize
from convdesigner.design.analysis import require_valid
from convdesigner.design.budget import require_memory
from convdesigner.design.layers import Conv2d, Design
from convdesigner.errors import ComputationCancelled, ConvDesignerError


@dataclass(frozen=True)
class RunResult:
    """The outputs of :func:`run`.

    ``outputs[i]`` is layer ``i``'s output, float32 ``[C, H, W]``. ``device`` is where it ran and
    ``note`` says why that is not the device asked for (or is None). ``seconds`` is the wall time of
    the forward pass including copying the outputs to host memory, not of building the model.
    """

    outputs: tuple[np.ndarray, ...]
    device: torch.device
    note: str | None
    seconds: float


@dataclass(frozen=True)
class LiveResult:
    """The outputs of :meth:`Engine.compute`: as in :class:`RunResult`, plus the focus layer's
    :class:`Contributions` when a focus was asked for (else None). ``seconds`` covers the forward
    pass, the contributions and the copies to host memory."""

    outputs: tuple[np.ndarray, ...]
    contributions: Contributions | None
    seconds: float


def build_model(design: Design, *, device: torch.device | str = "cpu") -> nn.Sequential:
    """The design as ``nn.Sequential`` on ``device``, in eval mode, holding the design's parameters.

    Missing parameters are filled in by :func:`materialize` (seeded, on the CPU, so they do not
    depend on ``device``). Each module is constructed exactly as ``nn.Conv2d(...)`` etc., so
    ``print(model)`` shows each layer's :meth:`torch_repr`. Raises :class:`DesignError` for an
    invalid design. The global random state is not touched.
    """
    design = materialize(design)
    # Built on the CPU and then moved: the default initialisation this wastes costs milliseconds,
    # whereas the meta device + to_empty() route first imports torch._refs/_prims (0.5 s, which
    # delayed the app's first live frame). fork_rng keeps the global random state untouched.
    with torch.random.fork_rng(devices=[]):
        model = nn.Sequential(*(to_module(layer) for layer in design.layers))
    model = model.to(device)
    with torch.no_grad():
        for index, layer in enumerate(design.layers):
            tensors = model[index].state_dict(keep_vars=True)
            for name, values in layer.parameter_values().items():
                tensors[name].copy_(torch.from_numpy(np.array(values)))
    return model.eval()


def load_parameters(model: nn.Sequential, design: Design) -> None:
    """Copy ``design``'s parameters (all given) into ``model``, built from a design with the same
    layers (``==``)."""
    with torch.no_grad():
        for index, layer in enumerate(design.layers):
            if layer.has_parameters:
                tensors = model[index].state_dict(keep_vars=True)
                for name, values in layer.parameter_values().items():
                    tensors[name].copy_(torch.from_numpy(np.array(values)))


def _input_batch(image: np.ndarray, design: Design, device: torch.device) -> torch.Tensor:
    """A new float32 ``[1, C, H, W]`` tensor on ``device`` from ``image`` (left untouched)."""
    array = np.asarray(image)
    if array.dtype.kind not in "fiu":
        raise ConvDesignerError(f"the input must hold real numbers, not {array.dtype}")
    if array.shape != design.input.shape:
        raise ConvDesignerError(
            f"the input has shape {list(array.shape)} but the design takes "
            f"{list(design.input.shape)} (channels, height, width)")
    return torch.tensor(array, dtype=torch.float32, device=device).unsqueeze(0)


@contextlib.contextmanager
def _quiet_padding_same() -> Iterator[None]:
    """Silence PyTorch's advice that ``padding='same'`` with an even kernel may copy the input:
    designs allow it on purpose, and a successful run prints nothing but its result. Only that
    one warning; any other still shows."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Using padding='same' with even kernel lengths",
                                category=UserWarning)
        yield


#: Asked between two layers: True stops the computation (raises ComputationCancelled).
ShouldStop = Callable[[], bool]


def _never() -> bool:
    return False


def _stop_if(should_stop: ShouldStop) -> None:
    if should_stop():
        raise ComputationCancelled("the computation was stopped")


def _forward(model: nn.Sequential, batch: torch.Tensor,
             should_stop: ShouldStop = _never) -> list[torch.Tensor]:
    """Each layer's output, ``[C, H, W]`` on the model's device. Call under ``inference_mode``.
    ``should_stop`` is asked before each layer."""
    outputs = []
    for module in model:
        _stop_if(should_stop)
        batch = module(batch)
        outputs.append(batch[0])
    return outputs


def _forward_rounded(model64: nn.Sequential, batch: torch.Tensor,
                     should_stop: ShouldStop = _never) -> list[torch.Tensor]:
    """Each layer computed in float64 from float32 values, its output rounded to float32.

    Products of two float32 numbers are exact in float64 and a float64 sum of a few thousand of
    them is within ~1e-13 of exact, so each output is the float32 nearest to the exact result --
    what a learner adding up the shown numbers gets. (A float32 convolution sums in an order of
    its own and lands a few units in the last place away.) Each layer then reads exactly the
    float32 values shown for the layer before it.
    """
    outputs = []
    for module in model64:
        _stop_if(should_stop)
        batch = module(batch.double()).float()
        outputs.append(batch[0])
    return outputs


def _to_host(tensors: list[torch.Tensor]) -> tuple[np.ndarray, ...]:
    # .cpu() waits for the device, so the caller's timing includes the whole computation. Every
    # layer's output is a tensor of its own, so the arrays never share memory.
    return tuple(tensor.cpu().numpy() for tensor in tensors)


def run(design: Design, image: np.ndarray, device: str = "cpu", *,
        budget: int | None = None) -> RunResult:
    """Run ``image`` (``[C, H, W]``, any real dtype) through ``design`` on ``device``.

    ``device`` is a name for :func:`resolve_device` (``"auto"``, ``"cpu"``, ``"cuda"``, ``"mps"``);
    a missing one falls back to the CPU with a note in the result. The layers run one by one under
    ``torch.inference_mode()``. Raises :class:`DesignError` for an invalid design,
    :class:`ConvDesignerError` for an input of the wrong shape, and
    :class:`~convdesigner.errors.ResourceError`, before allocating anything, when the run would
    need more memory than the budget (:func:`convdesigner.design.budget.require_memory`; ``budget``
    in bytes overrides it).
    """
    require_memory(require_valid(design), budget=budget)
    choice = resolve_device(device)
    model = build_model(design, device=choice.device)
    batch = _input_batch(image, design, choice.device)
    start = time.perf_counter()
    with torch.inference_mode(), _quiet_padding_same():
        outputs = _to_host(_forward(model, batch))
    return RunResult(outputs, choice.device, choice.note, time.perf_counter() - start)


class Engine:
    """Computes designs for the live app, rebuilding the model only when the design changes.

    Threading: a worker thread owns an Engine and calls :meth:`compute`; an Engine is not shared
    between threads (make one per thread). Designs are immutable, so the caller may keep editing
    while a computation runs; images are not modified; every array in a result is new and owned by
    the caller.

    The built model is cached while the *same* :class:`Design` object (``is``) is passed again: a
    brush stroke on the input then costs one forward pass, while any edit of the design (a new
    object) rebuilds the model.
    """

    def __init__(self, device: str = "auto", *, budget: int | None = None) -> None:
        """``device`` as for :func:`resolve_device`; see :attr:`note` for a fallback to the CPU.
        ``budget`` (bytes) overrides the memory budget of :func:`convdesigner.design.budget.memory_budget`."""
        choice = resolve_device(device)
        self._budget = budget
        self._fits: tuple[Design, bool] | None = None
        self.device: torch.device = choice.device
        self.note: str | None = choice.note
        self._design: Design | None = None
        self._model: nn.Sequential | None = None
        self._model64: nn.Sequential | None = None

    def _model_for(self, design: Design) -> nn.Sequential:
        model = self._model
        if design is not self._design and model is not None and design == self._design:
            # The same layers with other parameters (a training run's weights, a kernel edit):
            # the modules stay, their values are replaced -- no default initialisation to redo.
            load_parameters(model, materialize(design))
            self._design, self._model64 = design, None
        elif design is not self._design or model is None:
            model = build_model(design, device=self.device)
            # Assigned together and only after a successful build, so a failing design leaves the
            # previous cache intact and consistent.
            self._design, self._model, self._model64 = design, model, None
        return model

    def _model64_for(self, design: Design) -> nn.Sequential:
        model = self._model_for(design)
        if self._model64 is None:
            self._model64 = copy.deepcopy(model).double()
        return self._model64

    def compute(self, design: Design, image: np.ndarray,
                focus: tuple[int, int] | None = None, *, exact: bool = False,
                should_stop: ShouldStop = _never) -> LiveResult:
        """Every layer's output for ``image`` (``[C, H, W]``), and optionally a channel explained.

        ``focus=(layer_index, out_channel)`` names a ``Conv2d`` (its index in ``design.layers``)
        and one of its output channels; the result then carries that channel's
        :class:`Contributions`. Raises :class:`DesignError` for an invalid design and
        :class:`ConvDesignerError` for a wrong input or focus.

        ``exact=True`` computes each layer in float64 and rounds its output to float32 (see
        :func:`_forward_rounded`): the numbers then add up, digit for digit, the way a learner
        checks them. About twice the work; the app uses it for designs of classroom size.
        ``should_stop`` is asked before each layer; when it answers True the computation ends
        with :class:`ComputationCancelled` (a layer already running finishes first).
        """
        if self._fits is None or self._fits[0] is not design or (exact and not self._fits[1]):
            # Checked once per design (and mode), before building anything: a design too large
            # for this machine raises ResourceError here instead of running out of memory.
            require_memory(require_valid(design), exact=exact, budget=self._budget)
            self._fits = (design, exact)
        model = self._model64_for(design) if exact else self._model_for(design)
        if focus is not None:
            _check_focus(design, *focus)
        batch = _input_batch(image, design, self.device)
        start = time.perf_counter()
        with torch.inference_mode(), _quiet_padding_same():
            tensors = (_forward_rounded(model, batch, should_stop) if exact
                       else _forward(model, batch, should_stop))
            explained = None
            if focus is not None:
                index, out_channel = focus
                conv = conv_module(model, index)
                layer_input = batch[0] if index == 0 else tensors[index - 1]
                layer = cast(Conv2d, design.layers[index])  # checked by _check_focus
                explained = tensor_contributions(layer, layer_input.to(conv.weight.dtype),
                                                 conv.weight, conv.bias, out_channel)
            outputs = _to_host(tensors)
        return LiveResult(outputs, explained, time.perf_counter() - start)


def _check_focus(design: Design, index: int, out_channel: int) -> None:
    """Raise unless layer ``index`` is a ``Conv2d`` with an output channel ``out_channel``."""
    layer = design.layers[index] if 0 <= index < len(design.layers) else None
    if not isinstance(layer, Conv2d):
        convs = ", ".join(map(str, design.conv_indices())) or "none"
        raise ConvDesignerError(f"layer {index} is not a Conv2d layer (Conv2d layers: {convs})")
    count = layer.out_channels
    if not 0 <= out_channel < count:
        raise ConvDesignerError(f"layer {index} has {count} output channels (0 to {count - 1}), "
                                f"so there is no channel {out_channel}")
