"""Live recomputation off the GUI thread: the newest request wins, stale results are dropped.

The GUI thread calls :meth:`LiveUpdater.request` on every brush stroke and edit. Requests are
snapshots (a frozen :class:`Design` and a *copy* of the image), so the worker never sees data that
the GUI is still changing. There is one worker thread and one pending slot: a request made while
the worker is busy replaces the pending one, so at most one computation is ever queued behind the
running one, and a burst of strokes costs one computation, not a backlog. A result that arrives for
a request older than the newest one is dropped on the GUI thread; only the newest is shown.

Besides frames, the worker explains: a :class:`PixelTarget` (one pixel's arithmetic, for the
"Explain a pixel" panel) or a :class:`ChannelTarget` (one output channel's partial maps, for the sum
view) asked with :meth:`LiveUpdater.explain`. Each kind of target has its own pending slot and the
same rule: the newest request of a kind wins, an older result of that kind is dropped, and the
result arrives as ``explained(target, result, error)`` on the GUI thread. This module is the only
one in ``ui/`` that runs PyTorch (tests/test_architecture.py checks it).

Threading contract: construct, call :meth:`request`, :meth:`explain`, :meth:`set_device` and
:meth:`shutdown` from the GUI thread. ``frameReady``, ``explained`` and ``failed`` are emitted on
the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from convdesigner.design import Analysis, ConvTranspose2d, Design, analyze
from convdesigner.errors import ComputationCancelled, ConvDesignerError

if TYPE_CHECKING:  # the worker thread imports torch itself, so the window can show before it
    from convdesigner.compute.engine import Engine
    from convdesigner.compute.explain import Contributions, PixelExplanation
    from convdesigner.compute.transposed import TransposedViews


@dataclass(frozen=True)
class Frame:
    """One computed state of the design, as the views render it.

    ``outputs[i]`` is layer ``i``'s output, float32 ``[C, H, W]``; ``contributions`` holds the
    partial maps of ``focus = (conv layer index, output channel)`` when a Conv2d is selected.
    Arrays belong to the frame: views read them and never write.
    """

    request_id: int
    design: Design
    analysis: Analysis
    image: np.ndarray
    outputs: tuple[np.ndarray, ...]
    focus: tuple[int, int] | None
    contributions: Contributions | None
    device: str
    compute_seconds: float
    # (min, max) of the input and of each layer's output, computed by the worker so that the views
    # need not scan tens of millions of values on the GUI thread. NaN-free data assumed (the
    # engine's outputs are finite for finite inputs); None in frames built by hand (tests).
    extents: tuple[tuple[float, float], ...] | None = None


@dataclass(frozen=True, eq=False)
class PixelTarget:
    """Explain ``output[out_channel, y, x]`` of Conv2d ``layer`` of ``design``, read from
    ``layer_input`` ``[C, H, W]`` (an array of a :class:`Frame`, which nobody writes). The result is
    a :class:`~convdesigner.compute.explain.PixelExplanation`. Compared by identity: a receiver
    keeps the target it asked for and ignores any other."""

    design: Design
    layer: int
    layer_input: np.ndarray
    out_channel: int
    y: int
    x: int


@dataclass(frozen=True, eq=False)
class ChannelTarget:
    """The partial maps of output channel ``out_channel`` of Conv2d ``layer`` of ``design`` on
    ``layer_input``; the result is a :class:`~convdesigner.compute.explain.Contributions` with its
    ``summary``. Compared by identity, as :class:`PixelTarget`."""

    design: Design
    layer: int
    layer_input: np.ndarray
    out_channel: int


@dataclass(frozen=True, eq=False)
class TransposedTarget:
    """Output channel ``out_channel`` of ConvTranspose2d ``layer`` of ``design`` on
    ``layer_input``, made by scattering and by gathering, and ``pixel`` ``(y, x)`` explained when
    given; the result is a :class:`~convdesigner.compute.transposed.TransposedViews`. Compared by
    identity, as :class:`PixelTarget`."""

    design: Design
    layer: int
    layer_input: np.ndarray
    out_channel: int
    pixel: tuple[int, int] | None = None


Target = PixelTarget | ChannelTarget | TransposedTarget


@dataclass(frozen=True)
class _Request:
    request_id: int
    design: Design
    image: np.ndarray
    focus: tuple[int, int] | None
    device: str


class LiveUpdater(QObject):
    """Computes :class:`Frame`\\ s on a worker thread; emits only the newest one."""

    frameReady = Signal(object)        # Frame
    failed = Signal(str)               # a message for the status bar
    deviceNote = Signal(str)           # e.g. "CUDA was asked for but is not available ..."
    engineReady = Signal(list)         # torch is imported; the devices present, e.g. ["cpu"]
    # (target, PixelExplanation | Contributions | None, error message or ""), newest of its kind
    explained = Signal(object, object, str)
    _computed = Signal(object, object)  # (request, Frame | Exception), worker -> GUI thread
    _explained = Signal(int, object, object)  # (id, target, result | Exception), worker -> GUI

    def __init__(self, device: str = "cpu", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._device = device
        self._condition = threading.Condition()
        self._pending: _Request | None = None
        # One slot per kind of target: a pixel asked for does not push out a channel, and v.v.
        self._pending_targets: dict[type, tuple[int, Target]] = {}
        self._stopping = False
        # Set by cancel() and shutdown(): the running frame stops before its next layer.
        self._cancel_running = threading.Event()
        self._latest_id = 0
        self._settled_id = 0
        self._latest_target_ids: dict[type, int] = {}
        self._settled_target_ids: dict[type, int] = {}
        self.computed_count = 0
        self.dropped_count = 0
        self.explained_count = 0       # targets explained by the worker (tests)
        self._computed.connect(self._deliver)
        self._explained.connect(self._deliver_explained)
        self.ready_at: float | None = None   # perf_counter() when torch was loaded (benchmarks)
        # Set by the worker once torch is loaded (before engineReady): a receiver that connects
        # late reads it instead of waiting for a signal that has already gone.
        self.devices: list[str] | None = None
        self._thread = threading.Thread(target=self._work, name="convdesigner-live", daemon=True)
        self._thread.start()

    # -- GUI thread -----------------------------------------------------------------------------
    def request(self, design: Design, image: np.ndarray, focus: tuple[int, int] | None = None) -> int:
        """Ask for a new frame of ``design`` (must be valid) on ``image`` ``[C, H, W]``; returns its id."""
        self._latest_id += 1
        request = _Request(self._latest_id, design, np.array(image, dtype=np.float32, copy=True),
                           focus, self._device)
        with self._condition:
            self._pending = request
            self._condition.notify()
        return request.request_id

    def explain(self, target: Target) -> int:
        """Ask the worker to explain ``target`` (:class:`PixelTarget` or :class:`ChannelTarget`);
        replaces a pending request of the same kind. The answer is ``explained(target, result,
        error)``, unless a newer target of the same kind was asked for meanwhile."""
        kind = type(target)
        request_id = self._latest_target_ids.get(kind, 0) + 1
        self._latest_target_ids[kind] = request_id
        with self._condition:
            self._pending_targets[kind] = (request_id, target)
            self._condition.notify()
        return request_id

    def set_device(self, device: str) -> None:
        """Use ``device`` ("cpu", "cuda", "mps") for the next requests."""
        self._device = device

    @property
    def device(self) -> str:
        return self._device

    @property
    def idle(self) -> bool:
        """True when the newest request has been delivered (or has failed). For tests and benchmarks."""
        return (self._settled_id == self._latest_id
                and self._settled_target_ids == self._latest_target_ids)

    @property
    def latest_request_id(self) -> int:
        return self._latest_id

    def cancel(self) -> None:
        """Stop: drop the waiting request, stop the running frame before its next layer, and drop
        anything still on its way (the views keep what they show; ``idle`` is True again)."""
        with self._condition:
            self._pending = None
            self._pending_targets.clear()
            self._cancel_running.set()
        self._latest_id += 1               # whatever arrives now is stale
        self._settled_id = self._latest_id
        self._settled_target_ids = dict(self._latest_target_ids)

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the worker: the running frame stops before its next layer. Safe to call twice.
        Returns False when the worker is still inside one long PyTorch operation after
        ``timeout`` seconds (the app then leaves without waiting for it)."""
        with self._condition:
            self._stopping = True
            self._pending = None
            self._pending_targets.clear()
            self._cancel_running.set()
            self._condition.notify()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @Slot(object, object)
    def _deliver(self, request: _Request, outcome: object) -> None:
        if request.request_id < self._latest_id:
            self.dropped_count += 1      # a newer request is queued or running: this one is stale
            return
        self._settled_id = request.request_id
        if isinstance(outcome, Exception):
            self.failed.emit(str(outcome) if isinstance(outcome, ConvDesignerError)
                             else self.tr("computation failed: {error}").format(error=repr(outcome)))
        else:
            self.frameReady.emit(outcome)

    @Slot(int, object, object)
    def _deliver_explained(self, request_id: int, target: Target, outcome: object) -> None:
        kind = type(target)
        if request_id < self._latest_target_ids.get(kind, 0):
            self.dropped_count += 1      # a newer target of this kind was asked for
            return
        self._settled_target_ids[kind] = request_id
        if isinstance(outcome, Exception):
            message = (str(outcome) if isinstance(outcome, ConvDesignerError)
                       else self.tr("computation failed: {error}").format(error=repr(outcome)))
            self.explained.emit(target, None, message)
        else:
            self.explained.emit(target, outcome, "")

    # -- worker thread --------------------------------------------------------------------------
    def _work(self) -> None:
        # Importing torch takes about a second: it happens here, off the GUI thread, while the
        # window is already on screen.
        from convdesigner.compute import engine as engine_module
        from convdesigner.compute.device import available_devices
        self.ready_at = time.perf_counter()
        self.devices = available_devices()
        self.engineReady.emit(self.devices)
        _warm_up()
        engine: Engine | None = None
        engine_device: str | None = None
        explainer = _Explainer()
        while True:
            with self._condition:
                while self._pending is None and not self._pending_targets and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                # Explanations first: they are small and answer a click.
                if self._pending_targets:
                    kind = next(iter(self._pending_targets))
                    request_id, target = self._pending_targets.pop(kind)
                    request = None
                else:
                    request, self._pending = self._pending, None
                    self._cancel_running.clear()   # a cancel before this request is spent
            if request is None:
                try:
                    result: object = explainer.explain(target)
                except Exception as error:  # noqa: BLE001 -- reported to the receiver
                    if not isinstance(error, ConvDesignerError):
                        traceback.print_exc()
                    result = error
                self.explained_count += 1
                if not self._stopping:
                    self._explained.emit(request_id, target, result)
                continue
            try:
                if engine is None or engine_device != request.device:
                    # Looked up when needed, so a test can put a stand-in engine in its place.
                    engine, engine_device = engine_module.Engine(request.device), request.device
                    if engine.note:
                        self.deviceNote.emit(engine.note)
                outcome: object = self._compute(engine, request, self._cancel_running.is_set)
            except ComputationCancelled as error:
                outcome = error                   # stale by now: dropped on delivery
            except Exception as error:  # noqa: BLE001 -- reported to the user, the loop goes on
                traceback.print_exc()
                outcome = error
            self.computed_count += 1
            if not self._stopping:
                self._computed.emit(request, outcome)

    @staticmethod
    def _compute(engine: Engine, request: _Request, should_stop: Callable[[], bool]) -> Frame:
        analysis = analyze(request.design)
        started = time.perf_counter()
        # Classroom-size designs on the CPU are computed exactly (float64, rounded to float32 per
        # layer), so an explained pixel's sum equals its map value digit for digit.
        exact = engine.device.type == "cpu" and analysis.total_macs < EXACT_MACS
        with threads_for(analysis.total_macs):
            result = engine.compute(request.design, request.image, focus=request.focus, exact=exact,
                                    should_stop=should_stop)
        seconds = time.perf_counter() - started
        outputs = tuple(result.outputs)
        extents = tuple((float(array.min()), float(array.max())) if array.size else (0.0, 0.0)
                        for array in (request.image, *outputs))
        return Frame(request.request_id, request.design, analysis, request.image, outputs,
                     request.focus, result.contributions, str(engine.device), seconds, extents)


class _Explainer:
    """Explains targets on the worker thread, keeping the last design's parameters filled in."""

    def __init__(self) -> None:
        self._materialized: tuple[Design, Design] | None = None

    def explain(self, target: Target) -> PixelExplanation | Contributions | TransposedViews:
        from convdesigner.compute.explain import contributions, explain_pixel
        layer = self._with_parameters(target.design).layers[target.layer]
        with threads_for(0):
            if isinstance(target, TransposedTarget):
                from convdesigner.compute.transposed import transposed_views
                if not isinstance(layer, ConvTranspose2d):
                    raise ConvDesignerError(f"layer {target.layer} is not a ConvTranspose2d")
                return transposed_views(layer, target.layer_input, target.out_channel, target.pixel)
            if isinstance(target, PixelTarget):
                return explain_pixel(layer, target.layer_input, target.out_channel, target.y,
                                     target.x)
            return contributions(layer, target.layer_input, target.out_channel)

    def _with_parameters(self, design: Design) -> Design:
        # The engine materialises a design without parameters the same, seeded way.
        if all(getattr(layer, "has_explicit_parameters", True) for layer in design.layers):
            return design
        if self._materialized is None or self._materialized[0] is not design:
            from convdesigner.compute.weights import materialize
            self._materialized = (design, materialize(design))
        return self._materialized[1]


def explain_now(target: Target) -> PixelExplanation | Contributions | TransposedViews:
    """What the worker computes for ``target``, computed here (tests' stand-in updaters)."""
    return _Explainer().explain(target)


# Below this many multiply-accumulates a frame runs on one CPU thread. Measured here: the learner's
# design takes 0.5 ms on one thread but 56 ms on two when another program keeps a core busy
# (OpenMP threads wait for each other), and a second thread gains nothing on so little work.
SINGLE_THREAD_MACS = 30_000_000
# Up to this many multiply-accumulates the CPU computes frames exactly (Engine.compute(exact=True));
# float64 roughly doubles the cost: 1 ms instead of 0.5 for the learner's design.
EXACT_MACS = 30_000_000


def _warm_up() -> None:
    """Run one tiny convolution, so the first real frame does not pay PyTorch's first-call set-up
    (worker thread, while the GUI thread is still building its views)."""
    import torch
    with threads_for(0):
        torch.nn.functional.conv2d(torch.zeros(1, 1, 8, 8), torch.zeros(2, 1, 3, 3), padding=1)


@contextlib.contextmanager
def threads_for(macs: int) -> Iterator[None]:
    """Run a frame of ``macs`` work with torch's CPU thread count chosen for it, and put the count
    back afterwards (worker thread only).

    ``torch.set_num_threads`` is process-wide: a thread that first uses torch later (a test's main
    thread, the next updater's worker) starts with the last count set. Restoring it after every
    frame leaves the process as it was found.
    """
    import torch
    before = torch.get_num_threads()
    wanted = 1 if macs < SINGLE_THREAD_MACS else before
    if wanted == before:
        yield
        return
    torch.set_num_threads(wanted)
    try:
        yield
    finally:
        torch.set_num_threads(before)
