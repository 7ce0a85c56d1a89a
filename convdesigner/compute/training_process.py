"""The app's training run in a process of its own: :func:`train_in_child` is the target of a
``multiprocessing`` *spawn* process (never a fork of the Qt process), and runs the very
:class:`~convdesigner.compute.training.Trainer` loop the command line runs, on that process's main
thread -- so it trains as fast as a plain loop and repeats the command line's weights bit for bit
(no GUI thread shares its interpreter, no live frame shares its torch threads).

What goes to the parent, on ``messages`` (a ``multiprocessing`` queue), as plain tuples (no Qt
here; ``ui/state/training.py`` turns them into signals):

* ``("started", note)`` once the data is loaded and the model built;
* ``("tick", StepReport, [(step, loss), ...], Design | None)`` about every ``preview_seconds``:
  the losses since the last tick, and the current weights only when the parent has taken the
  previous ones (it sets ``preview_wanted``), so previews never pile up;
* ``("snapshot", step, epoch, step_in_epoch, Design)``;
* ``("epoch", EpochReport, Design)``;
* ``("done", TrainResult | None, error message)``, last.

Control from the parent: ``stop`` (an Event: stop after the step running now), ``resume`` (an
Event, cleared while paused; ``paused`` is set while this process waits in a pause). The process
also ends by itself when its parent is gone.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from typing import Any

#: How often (seconds) the child checks that its parent is still there, between steps and while
#: paused.
PARENT_CHECK_SECONDS = 0.5


def _parent_alive() -> bool:
    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def train_in_child(messages: Any, stop: Any, resume: Any, paused: Any, preview_wanted: Any,
                   design: Any, settings: Any, source: Any, threads: int,
                   preview_seconds: float, snapshots_per_run: int) -> None:
    """The child process's whole life (see the module docstring). ``source``: ``"bundled"``, an
    (images, labels) pair of IDX paths, or ready :class:`TrainingData`."""
    try:
        import torch

        from convdesigner.compute.training import Trainer
        from convdesigner.data.training_data import (
            TrainingData,
            bundled_training_data,
            idx_training_data,
        )
        from convdesigner.errors import ConvDesignerError
        torch.set_num_threads(threads)
        if isinstance(source, TrainingData):
            data = source
        elif source == "bundled":
            data = bundled_training_data()
        else:
            images, labels = source
            data = idx_training_data(images, labels)
        trainer = Trainer(design, data, settings)
    except Exception as problem:  # noqa: BLE001 -- reported to the user, the app goes on
        from convdesigner.errors import ConvDesignerError
        if not isinstance(problem, ConvDesignerError):
            traceback.print_exc()
        messages.put(("done", None, str(problem) if isinstance(problem, ConvDesignerError)
                      else repr(problem)))
        return
    messages.put(("started", trainer.note))
    total = settings.epochs * trainer.steps_per_epoch
    every = max(1, total // snapshots_per_run)
    messages.put(("snapshot", 0, 0, 0, trainer.current_design()))
    losses: list[tuple[int, float]] = []
    last_tick = [time.perf_counter()]
    last_check = [time.perf_counter()]
    parent_gone = [False]

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
        now = time.perf_counter()
        if report.done_steps % every == 0 and report.step != report.steps_per_epoch:
            messages.put(("snapshot", report.done_steps, report.epoch, report.step,
                          trainer.current_design()))
        if now - last_tick[0] >= preview_seconds:
            last_tick[0] = now
            preview = None
            if preview_wanted.is_set():
                preview_wanted.clear()
                preview = trainer.current_design()
            messages.put(("tick", report, list(losses), preview))
            losses.clear()

    def on_epoch(report: Any) -> None:
        current = trainer.current_design()
        step = report.epoch * trainer.steps_per_epoch
        messages.put(("snapshot", step, report.epoch, trainer.steps_per_epoch, current))
        if losses and trainer.last_report is not None:
            messages.put(("tick", trainer.last_report, list(losses), None))
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
        messages.put(("done", result, error))
    # The queue's feeder thread flushes what was put before the process exits.
