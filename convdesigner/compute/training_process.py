"""The app's training run in a process of its own: :func:`train_in_child` is the target of a
``multiprocessing`` *spawn* process (never a fork of the Qt process), and runs the very
:class:`~convdesigner.compute.training.Trainer` loop the command line runs, on that process's main
thread -- so it trains as fast as a plain loop and repeats the command line's weights bit for bit
(no GUI thread shares its interpreter, no live frame shares its torch threads). The app may
start it *in advance* (:func:`standby_in_child`): imported and ready, it waits for its run.

What it sends costs the training little, because on a small machine every millisecond this
process spends on the parent (copying, pickling, writing to the pipe) is a millisecond its torch
threads wait:

* the current weights only a few times a second, only when the parent has taken the previous
  ones, and not through the pipe: they are copied into a block of shared memory the parent made
  (:class:`PreviewBlock`; one copy, where pickling a design and writing it through a pipe cost
  a step about 12 ms, measured), and a tick says they are there;
* the weight snapshots (for scrubbing back through the run) are *kept here* as the run goes and
  sent once, when it ends -- the parent cannot scrub while a run goes on anyway;
* it keeps freed memory for reuse (:mod:`convdesigner.compute.allocator`), and before the clock
  starts it warms up (:meth:`Trainer.warm_up`): a fresh process's first epoch otherwise runs up
  to a fifth slower than the next (measured); the seconds the warm-up took are reported.

Messages to the parent, on ``messages`` (a ``multiprocessing`` queue), as plain tuples (no Qt
here; ``ui/state/training.py`` turns them into signals):

* ``("started", note, timings)`` once the data is loaded, the model built and warmed up;
  ``timings``: seconds spent loading the data and building the model (``build_seconds``), and
  warming up (``warm_up_seconds``) -- starting the interpreter and importing PyTorch come
  before this function runs (while the arguments are unpickled), so the parent measures them;
* ``("tick", StepReport, [(step, loss), ...], fresh)`` about every ``preview_seconds``: the
  losses since the last tick; ``fresh`` is True when the current weights have just been copied
  into the preview block, which happens only when the parent has taken the previous ones (it
  sets ``preview_wanted`` once it has copied them out), so previews never pile up and the block
  is never written while the parent reads it;
* ``("epoch", EpochReport, Design)``;
* ``("snapshots", [(step, epoch, step_in_epoch, Design), ...])`` when the run ends (stopped or
  not): before the first step, every few steps and after each epoch, at most
  ``max_snapshots`` (spread over the run) and at most :data:`MAX_SNAPSHOT_BYTES` in all;
* ``("done", TrainResult | None, error message)``, last.

Control from the parent: ``stop`` (an Event: stop after the step running now), ``resume`` (an
Event, cleared while paused; ``paused`` is set while this process waits in a pause). The process
also ends by itself when its parent is gone.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from multiprocessing import shared_memory
from typing import Any

import numpy as np

from convdesigner.design.layers import Design

#: How often (seconds) the child checks that its parent is still there, between steps and while
#: paused.
PARENT_CHECK_SECONDS = 0.5
#: The most memory the snapshots of one run may take (a large design keeps fewer of them).
MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024


class PreviewBlock:
    """The design's tensors (parameters and buffers, float32), one after the other in layer
    order and in each layer's :meth:`~Layer.parameter_names` order, in shared memory: the
    training process writes the current weights into it, the parent reads them out.

    The parent makes it (:meth:`create`, from the design's shapes alone; no torch needed) and
    passes :attr:`name`; the training process attaches (:meth:`attach`). The parent closes and
    unlinks it after the run. Not thread-safe: one writer and one reader that take turns (see
    the module docstring)."""

    def __init__(self, memory: shared_memory.SharedMemory, design: Design) -> None:
        self._memory = memory
        self._design = design
        #: ``(layer index, tensor name, shape, offset, size)`` of every tensor (in floats).
        self.layout, self.floats = _tensor_layout(design)
        self._values = np.ndarray((max(self.floats, 1),), dtype=np.float32, buffer=memory.buf)

    @property
    def name(self) -> str:
        return self._memory.name

    @classmethod
    def create(cls, design: Design) -> PreviewBlock:
        _layout, floats = _tensor_layout(design)
        return cls(shared_memory.SharedMemory(create=True, size=max(floats, 1) * 4), design)

    @classmethod
    def attach(cls, name: str, design: Design) -> PreviewBlock:
        return cls(shared_memory.SharedMemory(name=name), design)

    def write(self, tensors: Any) -> None:
        """Copy ``tensors`` (``tensors[layer index][name]``: float32 CPU arrays or tensors) in."""
        for index, name, _shape, offset, size in self.layout:
            self._values[offset:offset + size] = np.asarray(tensors[index][name]).reshape(-1)

    def read(self) -> Design:
        """The design (as given to :meth:`create`) holding the block's values (copies)."""
        values: dict[int, dict[str, np.ndarray]] = {}
        for index, name, shape, offset, size in self.layout:
            values.setdefault(index, {})[name] = self._values[offset:offset + size].reshape(shape)
        return self._design.with_layer_parameters(values)

    def close(self, unlink: bool = False) -> None:
        del self._values
        self._memory.close()
        if unlink:
            self._memory.unlink()


def _tensor_layout(design: Design) -> tuple[list[tuple[int, str, tuple[int, ...], int, int]], int]:
    """Where each of ``design``'s tensors lies in a :class:`PreviewBlock`, and the floats in all."""
    layout: list[tuple[int, str, tuple[int, ...], int, int]] = []
    offset = 0
    for index, layer in enumerate(design.layers):
        shapes = layer.parameter_shapes() or {}
        for name in layer.parameter_names():
            shape = tuple(shapes.get(name, ()))
            size = int(np.prod(shape)) if shape else 0
            layout.append((index, name, shape, offset, size))
            offset += size
    return layout, offset


def _parent_alive() -> bool:
    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def thin(snapshots: list[Any], most: int) -> list[Any]:
    """``snapshots`` with at most ``most`` entries (``most`` ≥ 2): the first, the newest, and
    every other one between, dropped as often as needed -- so they stay spread over the run."""
    while len(snapshots) > most:
        snapshots = [snapshots[0], *snapshots[1:-1][1::2], snapshots[-1]]
    return snapshots


def standby_in_child(jobs: Any, messages: Any, stop: Any, resume: Any, paused: Any,
                     preview_wanted: Any, preview_seconds: float, snapshots_per_run: int,
                     max_snapshots: int) -> None:
    """A training process started *before* Start (the app's Train panel asks for one when it is
    shown): it imports PyTorch and the trainer, and makes one throwaway optimizer -- PyTorch
    imports ``torch._dynamo`` on the first, 1.3 of the 2.3 s a fresh process took from Start to
    the first step (measured) -- then waits for one job on ``jobs``, ``(design, settings,
    source, preview_block)``, and runs it as :func:`train_in_child` would (the other arguments
    are that function's; it trains with PyTorch's default thread count here, which is the
    default of the parent's GUI thread, and the command line's). The parent's end ends it; a parent that no
    longer needs it terminates it (it holds nothing)."""
    import queue

    threads = 1          # PyTorch's default once imported; a failed import is reported by the job
    try:
        import torch

        import convdesigner.compute.training  # noqa: F401 -- imported now, not at Start
        threads = torch.get_num_threads()
        parameter = torch.zeros(1, requires_grad=True)
        torch.optim.Adam([parameter])    # PyTorch's first optimizer imports torch._dynamo
    except Exception:  # noqa: BLE001 -- a job still gets its own clear failure below
        traceback.print_exc()
    while True:
        try:
            job = jobs.get(timeout=PARENT_CHECK_SECONDS)
        except queue.Empty:
            if not _parent_alive():
                return
            continue
        except (EOFError, OSError):
            return
        design, settings, source, preview_block = job
        train_in_child(messages, stop, resume, paused, preview_wanted, design, settings, source,
                       threads, preview_seconds, snapshots_per_run, max_snapshots,
                       preview_block)
        return


def train_in_child(messages: Any, stop: Any, resume: Any, paused: Any, preview_wanted: Any,
                   design: Any, settings: Any, source: Any, threads: int,
                   preview_seconds: float, snapshots_per_run: int, max_snapshots: int,
                   preview_block: str | None = None) -> None:
    """The child process's whole life (see the module docstring). ``source``: ``"bundled"``, an
    (images, labels) pair of IDX paths, or ready :class:`TrainingData`. ``preview_block``: the
    name of the parent's :class:`PreviewBlock` for ``design`` (None: no previews)."""
    try:
        import torch

        from convdesigner.compute.allocator import keep_freed_memory
        from convdesigner.compute.training import Trainer
        from convdesigner.data.training_data import (
            TrainingData,
            bundled_training_data,
            idx_training_data,
        )
        from convdesigner.errors import ConvDesignerError
        imported = time.perf_counter()
        keep_freed_memory()
        torch.set_num_threads(threads)
        if isinstance(source, TrainingData):
            data = source
        elif source == "bundled":
            data = bundled_training_data()
        else:
            images, labels = source
            data = idx_training_data(images, labels)
        trainer = Trainer(design, data, settings)
        block = PreviewBlock.attach(preview_block, design) if preview_block else None
        built = time.perf_counter()
        trainer.warm_up()
        warmed = time.perf_counter()
    except Exception as problem:  # noqa: BLE001 -- reported to the user, the app goes on
        from convdesigner.errors import ConvDesignerError
        if not isinstance(problem, ConvDesignerError):
            traceback.print_exc()
        messages.put(("done", None, str(problem) if isinstance(problem, ConvDesignerError)
                      else repr(problem)))
        return
    messages.put(("started", trainer.note, {"build_seconds": built - imported,
                                            "warm_up_seconds": warmed - built}))
    total = settings.epochs * trainer.steps_per_epoch
    most = max(2, min(max_snapshots, MAX_SNAPSHOT_BYTES // max(trainer.parameter_bytes(), 1)))
    every = max(1, total // max(1, min(snapshots_per_run, most)))
    #: (step, epoch, step in epoch, Design) of each snapshot kept.
    snapshots: list[tuple[int, int, int, Any]] = [(0, 0, 0, trainer.current_design())]
    losses: list[tuple[int, float]] = []
    last_tick = [time.perf_counter()]
    last_check = [time.perf_counter()]
    parent_gone = [False]

    def keep(snapshot: tuple[int, int, int, Any]) -> None:
        nonlocal snapshots
        snapshots.append(snapshot)
        snapshots = thin(snapshots, most)

    def should_stop() -> bool:
        now = time.perf_counter()
        if now - last_check[0] >= PARENT_CHECK_SECONDS:
            last_check[0] = now
            if not _parent_alive():
                parent_gone[0] = True
        return parent_gone[0] or stop.is_set()

    def wait_while_paused() -> float:
        if resume.is_set():
            return 0.0
        started = time.perf_counter()
        paused.set()
        while not resume.wait(PARENT_CHECK_SECONDS):
            if not _parent_alive():
                parent_gone[0] = True
                break
        paused.clear()
        return time.perf_counter() - started

    def on_step(report: Any) -> None:
        losses.append((report.done_steps, report.loss))
        if report.done_steps % every == 0 and report.step != report.steps_per_epoch:
            keep((report.done_steps, report.epoch, report.step, trainer.current_design()))
        now = time.perf_counter()
        if now - last_tick[0] >= preview_seconds:
            last_tick[0] = now
            fresh = False
            if block is not None and preview_wanted.is_set():
                preview_wanted.clear()
                block.write(trainer.current_tensors())
                fresh = True
            messages.put(("tick", report, list(losses), fresh))
            losses.clear()

    def on_epoch(report: Any) -> None:
        current = trainer.current_design()
        keep((report.epoch * trainer.steps_per_epoch, report.epoch, trainer.steps_per_epoch,
              current))
        if losses and trainer.last_report is not None:
            messages.put(("tick", trainer.last_report, list(losses), False))
            losses.clear()
        messages.put(("epoch", report, current))

    result: Any
    error = ""
    try:
        result = trainer.run(on_step=on_step, on_epoch=on_epoch, should_stop=should_stop,
                             wait_while_paused=wait_while_paused)
    except ConvDesignerError as failure:
        result, error = None, str(failure)
    except Exception as failure:  # noqa: BLE001
        traceback.print_exc()
        result, error = None, repr(failure)
    if not parent_gone[0]:
        if result is not None and not result.diverged:
            if result.stopped and result.steps and snapshots[-1][0] != result.steps:
                last = result.history[-1]
                keep((result.steps, last.epoch, last.step, result.design))
            messages.put(("snapshots", snapshots))
        messages.put(("done", result, error))
    if block is not None:
        block.close()
    # The queue's feeder thread flushes what was put before the process exits.
