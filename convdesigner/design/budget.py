"""Limits before work: how much memory and time a design needs, checked before anything is allocated.

* :func:`estimate_memory` -- the bytes one live update (or one ``convdesigner run``) of a design
  needs, from the design alone: its parameters (held twice: by the design and by the PyTorch
  model), every layer's output, the partial maps of the largest ``Conv2d``, the largest
  working buffer, and a margin (:class:`MemoryEstimate`);
* :func:`machine_memory` / :func:`memory_budget` -- the memory this machine has free and the part
  of it a computation may take (:class:`MemoryBudget`; overridable with the environment variable
  ``CONVDESIGNER_MEMORY_BUDGET``, e.g. ``2G``, or the ``budget`` argument of the checks);
* :func:`check_memory` / :func:`require_memory` -- a :class:`~convdesigner.design.analysis.Problem`
  (for the app) or a :class:`~convdesigner.errors.ResourceError` (for the command line and the
  compute layer) saying, with the numbers, "needs ~9.3 GB of memory; this machine has 7.8 GB free";
* :func:`estimate_seconds` / :class:`Cost` -- how long the computation will take, roughly, from its
  multiply-accumulates, and whether that is worth a warning or too long to start without asking.

Every size is in **bytes** (an ``int``); "GB" in messages means 10⁹ bytes. All functions are pure
and thread-safe (they read ``/proc/meminfo`` or ask the operating system, nothing else), so a worker
thread may call them. Texts are English templates marked for Qt's lupdate under the context
``"analysis"``, like the validation messages (see :mod:`convdesigner.design.i18n`).

Pure Python: no numpy needed, no torch, no Qt, no psutil.
"""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass
from typing import Any

from convdesigner.design.analysis import Analysis, Problem, analyze, weight_count_problem
from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text
from convdesigner.design.layers import Conv2d, ConvTranspose2d, Design, Layer
from convdesigner.errors import ResourceError

#: The lupdate context of every text of this module.
CONTEXT = "analysis"

#: Bytes of one value: float32 normally, float64 in the app's exact mode.
FLOAT32_BYTES = 4
FLOAT64_BYTES = 8
#: What a computation may take of the memory the machine has free (the rest is for the app, the
#: operating system and the other programs).
BUDGET_FRACTION = 0.8
#: Added to every estimate: PyTorch's own buffers, the views' images, Python objects.
MARGIN_BYTES = 64 * 1024**2
#: ... plus this fraction of the rest.
MARGIN_FRACTION = 0.25
#: Environment variable that sets the budget in bytes (``2000000000``, ``2G``, ``512M``, ``2GiB``).
BUDGET_ENV = "CONVDESIGNER_MEMORY_BUDGET"

#: Multiply-accumulates per second assumed for the estimate of :func:`estimate_seconds`: a slow
#: classroom laptop's CPU, and modest GPUs. Measured on this project's 2-core machine: 26e9/s.
MACS_PER_SECOND = {"cpu": 5e9, "cuda": 5e11, "mps": 1e11}
#: The exact mode computes in float64, on the CPU several times slower.
EXACT_SLOWDOWN = 4.0
#: Above this many seconds the command line warns and the app should offer Cancel.
WARN_SECONDS = 10.0
#: Above this many seconds the command line refuses to start without ``--force``.
REFUSE_SECONDS = 3600.0


# -- the estimate ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemoryEstimate:
    """The bytes one computation of a design needs, part by part, and in all (:attr:`total`).

    ``parameters``: weights and biases, held twice (the design's arrays and the model's tensors),
    plus a float64 copy in exact mode. ``outputs``: the input and every layer's output.
    ``partial_maps``: the per-input-channel maps of one output channel of the ``Conv2d`` with the
    most (``in_channels/groups × H_out × W_out`` values). ``working``: the largest temporary buffer
    of one layer (in exact mode, the float64 convolution unfolds its input: ``in_channels/groups ×
    kH × kW × H_out × W_out`` values; otherwise a layer's input and output). ``margin``:
    :data:`MARGIN_BYTES` plus :data:`MARGIN_FRACTION` of the rest.
    """

    parameters: int
    outputs: int
    partial_maps: int
    working: int
    margin: int

    @property
    def total(self) -> int:
        return self.parameters + self.outputs + self.partial_maps + self.working + self.margin


def _values(shape: tuple[int, ...]) -> int:
    count = 1
    for size in shape:
        count *= size
    return count


def estimate_memory(design: Design | Analysis, *, exact: bool = False) -> MemoryEstimate:
    """The memory one computation of ``design`` needs (see :class:`MemoryEstimate`), in bytes.

    Layers whose shape cannot be known (an invalid design) count their parameters only. ``exact``
    estimates the app's exact mode (each layer computed in float64). Never allocates, never raises
    for a constructible design.
    """
    analysis = design if isinstance(design, Analysis) else analyze(design)
    parameters = sum(_parameter_count(layer) for layer in analysis.design.layers)
    parameter_bytes = parameters * FLOAT32_BYTES * 2 + (parameters * FLOAT64_BYTES if exact else 0)
    output_values = _values(analysis.design.input.shape)
    partial = 0
    working = 0
    for info in analysis.layers:
        if info is None:
            continue
        in_values, out_values = _values(info.in_shape), _values(info.out_shape)
        output_values += out_values
        layer_working = (in_values + out_values) * (FLOAT64_BYTES if exact else FLOAT32_BYTES)
        if isinstance(info.layer, Conv2d):
            per_group = info.layer.in_per_group
            _, h_out, w_out = info.out_shape
            partial = max(partial, per_group * h_out * w_out * FLOAT32_BYTES)
            if exact:
                kh, kw = info.layer.kernel_size
                layer_working += per_group * kh * kw * h_out * w_out * FLOAT64_BYTES
        if isinstance(info.layer, ConvTranspose2d):
            # The scatter and gather views: one map per input channel of the group, each twice.
            _, h_out, w_out = info.out_shape
            _, h_in, w_in = info.in_shape
            partial = max(partial, 2 * info.layer.in_per_group * h_out * w_out * FLOAT32_BYTES)
            kh, kw = info.layer.kernel_size
            # PyTorch's transposed convolution builds its columns: (out/groups)·kH·kW per input pixel.
            layer_working += (info.layer.out_per_group * kh * kw * h_in * w_in
                              * (FLOAT64_BYTES if exact else FLOAT32_BYTES))
        working = max(working, layer_working)
    outputs = output_values * FLOAT32_BYTES
    subtotal = parameter_bytes + outputs + partial + working
    return MemoryEstimate(parameter_bytes, outputs, partial, working,
                          MARGIN_BYTES + int(subtotal * MARGIN_FRACTION))


def _parameter_count(layer: Layer) -> int:
    shapes = layer.parameter_shapes() if layer.has_parameters else None
    if shapes is None:
        return 0
    return sum(_values(tuple(max(size, 0) for size in shape)) for shape in shapes.values())


def estimate_initialization(layers: Layer | Design) -> int:
    """Bytes that default-initialising one layer, or every parameter of a design, takes at its
    peak (PyTorch's tensors, the numpy copies the design keeps, a margin): three float32 copies of
    the parameters plus :data:`MARGIN_BYTES`."""
    if isinstance(layers, Design):
        count = sum(_parameter_count(layer) for layer in layers.layers)
    else:
        count = _parameter_count(layers)
    return 3 * count * FLOAT32_BYTES + MARGIN_BYTES


# -- the machine -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemoryBudget:
    """What a computation may use, in bytes. ``available`` is the memory the machine had free when
    asked (None when the operating system would not say); ``limit`` is the budget (None: no
    limit known, nothing is refused); ``overridden`` is True when the budget was set by the caller
    or by :data:`BUDGET_ENV` rather than derived from ``available``."""

    available: int | None
    limit: int | None
    overridden: bool = False


def machine_memory() -> int | None:
    """Bytes of memory this machine has free for a new computation now, or None when unknown.

    Linux: ``MemAvailable`` of ``/proc/meminfo`` (free memory plus caches the kernel can drop);
    Windows: ``GlobalMemoryStatusEx``'s ``ullAvailPhys``; macOS: half the physical memory
    (``sysctl hw.memsize``; macOS keeps most memory in caches and reports little as free);
    elsewhere ``os.sysconf`` (available pages × page size).
    """
    try:
        if sys.platform.startswith("linux"):
            found = _linux_available()
            if found is not None:
                return found
        elif sys.platform == "win32":
            return _windows_available()
        elif sys.platform == "darwin":
            total = _macos_total()
            if total is not None:
                return total // 2
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def _linux_available() -> int | None:
    with open("/proc/meminfo", encoding="ascii") as stream:
        for line in stream:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return None


def _windows_available() -> int | None:
    if sys.platform != "win32":  # ctypes.windll exists on Windows only (and mypy knows it there)
        return None
    class MemoryStatusEx(ctypes.Structure):
        _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                    ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                    ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                    ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                    ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]

    status = MemoryStatusEx()
    status.dwLength = ctypes.sizeof(MemoryStatusEx)
    if not ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
        return None
    return int(status.ullAvailPhys)


def _macos_total() -> int | None:
    libc = ctypes.CDLL(None)
    value = ctypes.c_uint64(0)
    size = ctypes.c_size_t(ctypes.sizeof(value))
    if libc.sysctlbyname(b"hw.memsize", ctypes.byref(value), ctypes.byref(size), None, 0) != 0:
        return None
    return int(value.value)


_UNITS = {"": 1, "B": 1, "K": 1000, "KB": 1000, "M": 1000**2, "MB": 1000**2, "G": 1000**3,
          "GB": 1000**3, "T": 1000**4, "TB": 1000**4, "KIB": 1024, "MIB": 1024**2,
          "GIB": 1024**3, "TIB": 1024**4}


def parse_bytes(text: str) -> int:
    """``"2G"`` → 2,000,000,000; ``"512MiB"`` → 536,870,912; ``"1e9"`` → 1,000,000,000.
    Raises ``ValueError`` for anything else (a negative number, an unknown unit)."""
    cleaned = text.strip().upper().replace(" ", "").replace("_", "")
    number = cleaned.rstrip("KMGTIB")
    unit = cleaned[len(number):]
    if unit not in _UNITS or not number:
        raise ValueError(f"not a size: {text!r}")
    value = float(number) * _UNITS[unit]
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"not a size: {text!r}")
    return int(value)


def memory_budget(budget: int | None = None) -> MemoryBudget:
    """The budget: ``budget`` bytes when given, else :data:`BUDGET_ENV` when set (an invalid value
    is ignored), else :data:`BUDGET_FRACTION` of :func:`machine_memory` (no limit when unknown)."""
    if budget is None:
        text = os.environ.get(BUDGET_ENV, "").strip()
        if text:
            try:
                budget = parse_bytes(text)
            except ValueError:
                budget = None
    if budget is not None:
        return MemoryBudget(None, int(budget), True)
    available = machine_memory()
    return MemoryBudget(available, None if available is None else int(available * BUDGET_FRACTION))


def format_bytes(count: int) -> str:
    """``9.3 GB``, ``537 MB``, ``12 kB``: three significant digits at most, in powers of 1000."""
    for unit, size in (("TB", 1000**4), ("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if count >= size:
            value = count / size
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{count} bytes"


def _budget_problem(needed: int, budget: MemoryBudget, what: Text | None) -> Problem | None:
    if budget.limit is None or needed <= budget.limit:
        return None
    values: dict[str, Any] = {"needed": format_bytes(needed), "needed_bytes": needed,
                              "budget": format_bytes(budget.limit), "budget_bytes": budget.limit}
    if budget.overridden or budget.available is None:
        template = QT_TRANSLATE_NOOP(
            "analysis", "{what} needs ~{needed} of memory; the memory budget is {budget}")
    else:
        values["available"] = format_bytes(budget.available)
        template = QT_TRANSLATE_NOOP(
            "analysis", "{what} needs ~{needed} of memory; this machine has {available} free "
            "(a computation may use {budget} of it)")
    values["what"] = what if what is not None else Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "this design"))
    return Problem(None, None, template.format(**values), template, values)


def check_memory(design: Design | Analysis, *, exact: bool = False,
                 budget: int | None = None) -> Problem | None:
    """A :class:`Problem` (``layer`` and ``field`` None, context of :attr:`Problem.text` is the
    module's :data:`CONTEXT`) when computing ``design`` needs more memory than the budget
    (:func:`memory_budget` of ``budget``); None when it fits or no limit is known."""
    return _budget_problem(estimate_memory(design, exact=exact).total, memory_budget(budget), None)


def check_initialization(layer: Layer, *, budget: int | None = None) -> Problem | None:
    """As :func:`check_memory`, for default-initialising one layer on its own
    (:func:`estimate_initialization`); the message names the layer. Also a problem when the
    layer's weight holds more values than the app can show
    (:func:`~convdesigner.design.analysis.weight_count_problem`), whatever the budget."""
    too_many = weight_count_problem(layer, layer.torch_repr())
    if too_many is not None:
        return too_many
    what = Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "initialising {layer}"), {"layer": layer.torch_repr()})
    return _budget_problem(estimate_initialization(layer), memory_budget(budget), what)


def check_parameters(design: Design, *, budget: int | None = None) -> Problem | None:
    """As :func:`check_memory`, for initialising (or saving, or exporting) the parameters of
    ``design`` alone, without computing it (:func:`estimate_initialization`)."""
    what = Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "initialising the weights"))
    return _budget_problem(estimate_initialization(design), memory_budget(budget), what)


def require_parameters(design: Design, *, budget: int | None = None) -> None:
    """:func:`check_parameters`, raising :class:`ResourceError` when it fails."""
    problem = check_parameters(design, budget=budget)
    if problem is not None:
        raise ResourceError(problem.message, problem.text)


def require_memory(design: Design | Analysis, *, exact: bool = False, budget: int | None = None) -> None:
    """:func:`check_memory`, raising :class:`ResourceError` (message: the problem) when it fails."""
    problem = check_memory(design, exact=exact, budget=budget)
    if problem is not None:
        raise ResourceError(problem.message, problem.text)


def require_initialization(layer: Layer, *, budget: int | None = None) -> None:
    """:func:`check_initialization`, raising :class:`ResourceError` when it fails."""
    problem = check_initialization(layer, budget=budget)
    if problem is not None:
        raise ResourceError(problem.message, problem.text)


# -- time --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cost:
    """How long one computation takes, roughly: ``macs`` multiply-accumulates at
    :data:`MACS_PER_SECOND` of ``device`` (``"cpu"``, ``"cuda"``, ``"mps"``) → ``seconds``.
    :attr:`slow` above :data:`WARN_SECONDS` (warn, offer Cancel), :attr:`too_slow` above
    :data:`REFUSE_SECONDS` (the command line refuses without ``--force``)."""

    macs: int
    device: str
    seconds: float

    @property
    def slow(self) -> bool:
        return self.seconds > WARN_SECONDS

    @property
    def too_slow(self) -> bool:
        return self.seconds > REFUSE_SECONDS

    @property
    def text(self) -> Text:
        """"about 31 hours (1.1e+15 multiply-accumulates at about 1e+10 per second on the cpu)"."""
        return Text(CONTEXT, QT_TRANSLATE_NOOP(
            "analysis", "this computation takes about {duration} ({macs:.2g} multiply-accumulates at "
            "about {rate:.0e} per second on the {device})"),
            {"duration": format_duration(self.seconds), "macs": float(self.macs),
             "rate": MACS_PER_SECOND.get(self.device, MACS_PER_SECOND["cpu"]), "device": self.device})

    def __str__(self) -> str:
        return str(self.text)


def estimate_seconds(design: Design | Analysis, device: str = "cpu", *, exact: bool = False) -> Cost:
    """:class:`Cost` of one computation of ``design`` on ``device`` (``cpu``, ``cuda``, ``mps``;
    anything else counts as the CPU): its multiply-accumulates (the convolutions') divided by
    :data:`MACS_PER_SECOND`, :data:`EXACT_SLOWDOWN` times longer in exact mode. A rough figure
    (within a factor of a few on ordinary machines), meant to tell seconds from hours."""
    analysis = design if isinstance(design, Analysis) else analyze(design)
    kind = device if device in MACS_PER_SECOND else "cpu"
    seconds = analysis.total_macs / MACS_PER_SECOND[kind] * (EXACT_SLOWDOWN if exact else 1.0)
    return Cost(analysis.total_macs, kind, seconds)


_DURATIONS = (
    (365 * 86400, QT_TRANSLATE_NOOP("analysis", "{value} years")),
    (86400, QT_TRANSLATE_NOOP("analysis", "{value} days")),
    (3600, QT_TRANSLATE_NOOP("analysis", "{value} hours")),
    (60, QT_TRANSLATE_NOOP("analysis", "{value} minutes")),
)


def format_duration(seconds: float) -> Text:
    """``0.2 seconds``, ``45 seconds``, ``12 minutes``, ``31 hours``, ``9 days``, ``3.5 years``,
    as a translatable :class:`Text` (a unit is used from twice its size on)."""
    for size, template in _DURATIONS:
        if seconds >= 2 * size:
            value = seconds / size
            return Text(CONTEXT, template, {"value": f"{value:.1f}" if value < 10 else f"{value:,.0f}"})
    return Text(CONTEXT, QT_TRANSLATE_NOOP("analysis", "{value} seconds"),
                {"value": f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}"})


__all__ = [
    "BUDGET_ENV", "Cost", "MemoryBudget", "MemoryEstimate", "check_initialization", "check_memory",
    "check_parameters", "require_parameters",
    "estimate_initialization", "estimate_memory", "estimate_seconds", "format_bytes",
    "format_duration", "machine_memory", "memory_budget", "parse_bytes", "require_initialization",
    "require_memory",
]
