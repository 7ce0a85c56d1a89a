"""Training the document's design in a process of its own, with live previews, pause, stop, undo
and a bounded history of weight snapshots.

:class:`TrainingSession` starts :func:`convdesigner.compute.training_process.train_in_child` in a
``multiprocessing`` process made by *spawn* (a fresh interpreter, never a fork of this Qt process;
the same on Linux, Windows and macOS). It runs :class:`convdesigner.compute.training.Trainer`
(plain PyTorch, the command line's own loop) on that process's main thread, so the GUI thread and
the live frames share neither its interpreter lock nor its torch threads: it trains at the plain
loop's pace and gives the command line's weights bit for bit. This module is one of the few in
``ui/`` that reach PyTorch (tests/test_architecture.py lists it). A reader thread here turns the
child's messages into signals delivered on the GUI thread, at a bounded rate:

* a **preview** (:attr:`TrainingSession.preview`): the design holding the weights as they are
  now, about every :data:`PREVIEW_SECONDS` -- and only once the GUI has taken the previous one
  (so previews never queue up behind a busy GUI thread). The main window computes its frames from it (kernel
  matrix, selected kernel, Σ view, feature maps, prediction), so every view shows the weights
  learning on the current input while the user keeps painting; the document itself is not
  touched until the run ends.
* the losses of the steps since the last preview, the newest :class:`StepReport` and, after each
  epoch, its :class:`EpochReport` (for the progress bar and the curves).
* **snapshots** of the weights: before the first step, every few steps and after each epoch,
  at most :data:`MAX_SNAPSHOTS` (when full, every other one is dropped, so they stay spread
  over the whole run). The training process keeps them while it trains and hands them over
  when the run ends (they can only be scrubbed then), so that they cost the training nothing.

Starting a process takes a few seconds (a fresh interpreter imports PyTorch, and PyTorch's
first optimizer imports ``torch._dynamo``): the reader thread starts it, so that the GUI thread
never waits for it (handing a large design to a process that is still starting would otherwise
block the caller), and ``start_seconds`` says how long it took, from Start to the first step's
being ready. In the app (:attr:`TrainingSession.standby_enabled`) a process is started **in
advance** (:meth:`TrainingSession.prepare`), once PyTorch is loaded here, whenever the Train
panel is shown and after each run: Start hands it the run and it trains at once. It trains
exactly as a fresh one would; one that is not used is terminated when the window closes.

When the run ends its weights become the document's in **one undo step** ("Train 3 epochs (Adam,
lr 0.002)"); undo gives back the weights before it. A run stopped early keeps the weights of its
last finished step (also one undo step); a diverging run (loss NaN, infinite or huge) changes
nothing and says so. After a run, :meth:`TrainingSession.scrub` shows any snapshot in the views
and :meth:`TrainingSession.keep` makes it the document's weights (undoable).

Pause and Stop reach the child through ``multiprocessing`` Events; it stops after the step
running now. It also ends by itself when this process is gone, and :meth:`TrainingSession.shutdown`
(closing the window) stops it, terminating it if it does not stop in time.

Threading: construct and call every method from the GUI thread; every signal is emitted on the
GUI thread. The child gets only what it was given (a frozen design, the settings, the data).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from convdesigner.design.layers import Design
from convdesigner.ui.i18n import render

if TYPE_CHECKING:
    from convdesigner.compute.training import EpochReport, StepReport, TrainResult, TrainSettings

#: How often the worker hands the GUI the current weights (seconds): about 5 previews a second
#: (between two steps, so never more often than steps finish).
PREVIEW_SECONDS = 0.2
#: The most weight snapshots kept for scrubbing.
MAX_SNAPSHOTS = 48
#: About this many snapshots are taken during a run (besides one per epoch).
SNAPSHOTS_PER_RUN = 40

IDLE, RUNNING, PAUSED, STOPPING = "idle", "running", "paused", "stopping"


@dataclass
class _Standby:
    """A training process started before Start (:meth:`TrainingSession.prepare`), with the queue
    it takes its one job from and the queue and Events of the run it will train."""

    process: Any
    starter: threading.Thread      # runs process.start() (off the GUI thread)
    jobs: Any
    messages: Any
    stop: Any
    resume: Any
    paused: Any
    preview_wanted: Any


@dataclass(frozen=True)
class Snapshot:
    """The weights after ``step`` steps (0: before training) of ``epoch`` (1-based; 0 before)."""

    step: int
    epoch: int
    step_in_epoch: int
    design: Design

    def label(self) -> str:
        if self.step == 0:
            return QCoreApplication.translate("TrainPanel", "before training")
        return QCoreApplication.translate("TrainPanel", "epoch {epoch}, step {step}").format(
            epoch=self.epoch, step=self.step_in_epoch)


#: Where training digits come from: "bundled", an (images, labels) pair of IDX paths, or
#: ready :class:`TrainingData` (tests).
DataSource = object


def settings_from(**values: object) -> TrainSettings:
    """:class:`~convdesigner.compute.training.TrainSettings` from the panel's values (imports torch,
    which the live worker has loaded long before anyone presses Start)."""
    from convdesigner.compute.training import TrainSettings
    return TrainSettings(**values)  # type: ignore[arg-type]


class TrainingSession(QObject):
    """One document's training runs (one at a time) and the snapshots of the last one."""

    stateChanged = Signal()         # state: idle / running / paused / stopping
    started = Signal(object)        # TrainSettings, once the data is loaded and the model built
    stepped = Signal(object, list)  # the newest StepReport, [(step, loss), ...] since the last
    epochDone = Signal(object)      # EpochReport
    finished = Signal(str)          # what happened, one sentence (applied, stopped, diverged, failed)
    previewChanged = Signal()       # preview is another design (or None)
    snapshotsChanged = Signal()

    _started = Signal(int, object, object, object)  # run id, settings, device note, timings
    _tick = Signal(int, object, list, object)      # run id, StepReport, losses, Design
    _epoch = Signal(int, object, object)           # run id, EpochReport, Design
    _snapshots = Signal(int, list)                 # run id, [Snapshot, ...]
    _done = Signal(int, object, str)               # run id, TrainResult | None, error message

    def __init__(self, document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.state = IDLE
        self.preview: Design | None = None
        self.snapshots: list[Snapshot] = []
        self.scrubbed: int | None = None       # the snapshot shown, when scrubbing
        self.settings: TrainSettings | None = None
        self.last_step: StepReport | None = None
        self.epochs: list[EpochReport] = []
        self.message = ""
        self.preview_count = 0                 # previews delivered (tests, benchmarks)
        self.steps_done = 0
        #: Seconds from Start to the training process's being ready to train (None before),
        #: and what the process says it spent them on (import, build, warm-up); benchmarks.
        self.start_seconds: float | None = None
        self.start_timings: dict[str, float] = {}
        self._start_clock = 0.0
        self._run_id = 0
        self._trained_from: Design | None = None
        self._process: Any = None             # the training process (multiprocessing, spawn)
        #: Whether :meth:`prepare` starts a training process in advance (the app: True).
        self.standby_enabled = False
        self._standby: _Standby | None = None
        #: Whether the last run was handed to a process started in advance (tests, benchmarks).
        self.used_standby = False
        self._reader: threading.Thread | None = None
        # Replaced by multiprocessing Events for each run (see start).
        self._stop: Any = threading.Event()
        self._resume: Any = threading.Event()
        self._resume.set()
        self._preview_wanted: Any = threading.Event()
        #: Set while the training process waits in a pause (tests: nothing more arrives until
        #: Resume).
        self.worker_paused: Any = threading.Event()
        self._started.connect(self._on_started)
        self._tick.connect(self._on_tick)
        self._epoch.connect(self._on_epoch)
        self._snapshots.connect(self._on_snapshots)
        self._done.connect(self._on_done)
        document.designChanged.connect(self._design_changed)

    # -- GUI thread ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.state != IDLE

    def start(self, settings: TrainSettings, data: DataSource = "bundled") -> None:
        """Start training the document's current design (runs until done, stopped or diverged).
        Problems (a setting, the design, the data) arrive as ``finished(message)``."""
        if self.busy:
            return
        self._run_id += 1
        self.settings = settings
        self.epochs = []
        self.last_step = None
        self.steps_done = 0
        self.message = ""
        self.start_seconds = None
        self.start_timings = {}
        self._start_clock = time.perf_counter()
        self._clear_snapshots()
        self._trained_from = self._document.design
        self._set_state(RUNNING)
        # The CPU threads to train with: the process's default, read here because the GUI thread
        # never changes its own count (the live worker lowers its own to 1 for small frames).
        # The command line trains with the same default, so both give the same weights.
        import torch

        from convdesigner.compute.training_process import PreviewBlock, train_in_child
        threads = torch.get_num_threads()
        self.threads = threads          # the CPU threads this run trains with (benchmarks, tests)
        try:
            # The current weights come through shared memory (see compute/training_process.py).
            block: PreviewBlock | None = PreviewBlock.create(self._trained_from)
        except OSError:
            block = None       # no shared memory here: it trains all the same, without previews
        block_name = block.name if block is not None else None
        standby = self._take_standby()
        self.used_standby = standby is not None
        if standby is not None:
            # Handed over through its queue's feeder thread: the GUI thread does not wait for a
            # large design or data set to be pickled and written.
            messages = standby.messages
            self._stop, self._resume = standby.stop, standby.resume
            self.worker_paused, self._preview_wanted = standby.paused, standby.preview_wanted
            self._process = standby.process
            standby.jobs.put((self._trained_from, settings, data, block_name))
        else:
            # A process of its own, started by spawning (never a fork of this Qt process): the
            # plain loop on its main thread, sharing no interpreter lock with the GUI or the
            # frames.
            context = multiprocessing.get_context("spawn")
            messages = context.Queue()
            self._stop, self._resume = context.Event(), context.Event()
            self._resume.set()
            self._preview_wanted = context.Event()
            self._preview_wanted.set()
            self.worker_paused = context.Event()
            self._process = context.Process(
                target=train_in_child, name="convdesigner-train", daemon=True,
                args=(messages, self._stop, self._resume, self.worker_paused,
                      self._preview_wanted, self._trained_from, settings, data, threads,
                      PREVIEW_SECONDS, SNAPSHOTS_PER_RUN, MAX_SNAPSHOTS, block_name))
        # The reader thread starts a new process (see the module docstring).
        self._reader = threading.Thread(
            target=self._read, args=(self._run_id, self._process, messages, block),
            name="convdesigner-train-reader", daemon=True)
        self._reader.start()

    def prepare(self) -> None:
        """Start a training process in advance (when :attr:`standby_enabled`, idle, and none is
        waiting): it imports PyTorch and what its first optimizer needs while the learner still
        sets things up, so that Start trains at once instead of after ~2 s. The Train panel
        calls it when it is shown and after a run. The process waits for its job and ends with
        this one (:meth:`shutdown`) or by itself when this process is gone."""
        if not self.standby_enabled or self.busy:
            return
        if self._standby is not None:
            if not _started(self._standby.process) or self._standby.process.is_alive():
                return
            self._standby = None            # it died waiting: prepare another
        from convdesigner.compute.training_process import standby_in_child
        context = multiprocessing.get_context("spawn")
        jobs, messages = context.Queue(), context.Queue()
        stop, resume, paused, preview_wanted = (context.Event(), context.Event(), context.Event(),
                                                context.Event())
        resume.set()
        preview_wanted.set()
        process = context.Process(
            target=standby_in_child, name="convdesigner-train", daemon=True,
            args=(jobs, messages, stop, resume, paused, preview_wanted, PREVIEW_SECONDS,
                  SNAPSHOTS_PER_RUN, MAX_SNAPSHOTS))
        # Started off the GUI thread: spawning writes the process's arguments to a pipe.
        starter = threading.Thread(target=_start_in_advance, args=(process,),
                                   name="convdesigner-train-standby", daemon=True)
        starter.start()
        self._standby = _Standby(process, starter, jobs, messages, stop, resume, paused,
                                 preview_wanted)

    def _take_standby(self) -> _Standby | None:
        """The process started in advance, when it is there to take a job (it is no longer
        this session's standby either way)."""
        standby, self._standby = self._standby, None
        if standby is None:
            return None
        standby.starter.join()
        if _started(standby.process) and standby.process.is_alive():
            return standby
        return None

    def _end_standby(self) -> None:
        """End the process started in advance (it was not used). It holds nothing of the
        learner's, so it is not waited for: one still importing PyTorch would keep the window
        from closing for a second or two."""
        standby, self._standby = self._standby, None
        if standby is None:
            return
        standby.starter.join()
        if _started(standby.process) and standby.process.is_alive():
            standby.process.terminate()
            standby.process.join(2.0)

    def pause(self) -> None:
        if self.state == RUNNING:
            self._resume.clear()
            self._set_state(PAUSED)

    def resume(self) -> None:
        if self.state == PAUSED:
            self._resume.set()
            self._set_state(RUNNING)

    def stop(self) -> None:
        """Stop after the step running now; the weights of that step become the document's."""
        if self.state in (RUNNING, PAUSED):
            self._stop.set()
            self._resume.set()
            self._set_state(STOPPING)

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop and wait for the training process (quitting); nothing is applied. True when it
        ended (it is terminated when it does not stop within ``timeout``)."""
        self._run_id += 1          # whatever it still sends is stale
        self._end_standby()
        self._stop.set()
        self._resume.set()
        process = self._process
        if process is None:
            return True
        if self._reader is not None:
            # The reader starts the process, and ends after it (a stopped process ends after
            # the step it was running).
            self._reader.join(timeout)
        if _started(process) and process.is_alive():
            process.terminate()
            process.join(2.0)
        if self._reader is not None:
            self._reader.join(2.0)
        return not (_started(process) and process.is_alive())

    def scrub(self, index: int | None) -> None:
        """Show snapshot ``index`` in the views (None or the last one: the document's weights)."""
        if self.busy:
            return
        if index is None or not 0 <= index < len(self.snapshots) - 1:
            self.scrubbed = None
            self._set_preview(None)
            return
        self.scrubbed = index
        self._set_preview(self.snapshots[index].design)

    def keep(self, index: int) -> bool:
        """Make snapshot ``index``'s weights the document's, as one undo step."""
        if self.busy or not 0 <= index < len(self.snapshots):
            return False
        snapshot = self.snapshots[index]
        text = QCoreApplication.translate("TrainPanel", "Keep the weights of {when}").format(
            when=snapshot.label())
        kept = self._document.set_weights(snapshot.design, text)
        self.scrubbed = None
        self._set_preview(None)
        return kept

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit()

    def _set_preview(self, design: Design | None) -> None:
        if design is not self.preview:
            self.preview = design
            self.previewChanged.emit()

    def _clear_snapshots(self) -> None:
        self.scrubbed = None
        if self.snapshots:
            self.snapshots = []
            self.snapshotsChanged.emit()

    def _design_changed(self) -> None:
        # Snapshots of another design (layers or input changed) cannot be shown or kept.
        if not self.busy and self.snapshots and self.snapshots[0].design != self._document.design:
            self._clear_snapshots()
            self._set_preview(None)

    def preview_for(self, design: Design | None) -> Design | None:
        """What the views should compute for ``design`` (the document's last valid design): the
        preview when it has the same layers, else ``design``."""
        preview = self.preview
        if preview is not None and design is not None and preview == design:
            return preview
        return design

    @Slot(int, object, object, object)
    def _on_started(self, run_id: int, settings: TrainSettings, note: object,
                    timings: object) -> None:
        if run_id == self._run_id:
            self.start_seconds = time.perf_counter() - self._start_clock
            self.start_timings = dict(timings) if isinstance(timings, dict) else {}
            self.started.emit(settings)
            if note:
                self.message = str(note)

    @Slot(int, object, list, object)
    def _on_tick(self, run_id: int, report: StepReport, losses: list, design: Design) -> None:
        if run_id != self._run_id:
            return
        self.last_step = report
        self.steps_done = report.done_steps
        if design is not None:
            self.preview_count += 1
            self._set_preview(design)
            # Taken: the process may send the next one (so previews never pile up here).
            self._preview_wanted.set()
        self.stepped.emit(report, losses)

    @Slot(int, object, object)
    def _on_epoch(self, run_id: int, report: EpochReport, design: Design) -> None:
        if run_id != self._run_id:
            return
        self.epochs.append(report)
        self._set_preview(design)
        self.epochDone.emit(report)

    @Slot(int, list)
    def _on_snapshots(self, run_id: int, snapshots: list) -> None:
        if run_id != self._run_id:
            return
        self.snapshots = snapshots[-MAX_SNAPSHOTS:]
        self.snapshotsChanged.emit()

    @Slot(int, object, str)
    def _on_done(self, run_id: int, result: TrainResult | None, error: str) -> None:
        if run_id != self._run_id:
            return
        self._set_preview(None)
        if result is None:
            self.message = QCoreApplication.translate("TrainPanel", "Not trained: {reason}").format(
                reason=error)
            self._clear_snapshots()
        elif result.diverged:
            self.message = QCoreApplication.translate(
                "TrainPanel", "Training diverged and was stopped: {reason}").format(
                reason=render(result.reason) if result.reason is not None else "")
            self._clear_snapshots()
        else:
            self._apply(result)
        self._set_state(IDLE)
        self.finished.emit(self.message)

    def _apply(self, result: TrainResult) -> None:
        settings = self.settings
        assert settings is not None
        optimizer = {"adam": "Adam", "sgd": "SGD"}.get(settings.optimizer, settings.optimizer)
        if result.stopped:
            text = QCoreApplication.translate(
                "TrainPanel", "Train {steps} steps, stopped ({optimizer}, lr {lr})").format(
                steps=result.steps, optimizer=optimizer, lr=settings.lr_text())
        else:
            text = (QCoreApplication.translate("TrainPanel", "Train {epochs} epoch ({optimizer}, lr {lr})")
                    if settings.epochs == 1 else
                    QCoreApplication.translate("TrainPanel", "Train {epochs} epochs ({optimizer}, lr {lr})")
                    ).format(epochs=settings.epochs, optimizer=optimizer, lr=settings.lr_text())
        if result.steps == 0:
            self.message = QCoreApplication.translate("TrainPanel", "Stopped before the first step: "
                                                      "the weights are unchanged.")
        elif self._document.set_weights(result.design, text):
            self.message = (QCoreApplication.translate(
                "TrainPanel", "Stopped after {steps} steps; those weights are kept (Undo gives back "
                "the weights before training).").format(steps=result.steps) if result.stopped else
                QCoreApplication.translate(
                    "TrainPanel", "Done: the trained weights are the design's (Undo gives back the "
                    "weights before training)."))
            if result.learned_nothing:
                self.message += " " + QCoreApplication.translate(
                    "TrainPanel", "But it has not learned: {accuracy} of the held-out digits are "
                    "right, no better than guessing one of 10. The learning rate {lr} may be too "
                    "large (or too small).").format(
                    accuracy=f"{result.epochs[-1].heldout_accuracy:.1%}", lr=f"{settings.lr:g}")
        else:
            self.message = QCoreApplication.translate(
                "TrainPanel", "The layers were changed while training, so the trained weights were "
                "not applied.")
            self._clear_snapshots()

    # -- reader thread ------------------------------------------------------------------------
    def _read(self, run_id: int, process, messages, block) -> None:
        """Start the training process, turn its messages into the private signals (delivered on
        the GUI thread) until it sends ``done`` or ends without it, then free ``block`` (the
        :class:`PreviewBlock`, or None)."""
        try:
            self._start_and_read(run_id, process, messages, block)
        finally:
            if block is not None:
                block.close(unlink=True)

    def _start_and_read(self, run_id: int, process, messages, block) -> None:
        import queue
        try:
            if not _started(process):       # a process started in advance runs already
                process.start()
        except Exception as failure:  # noqa: BLE001 -- said to the user; the app goes on
            self._done.emit(run_id, None, QCoreApplication.translate(
                "TrainPanel", "the training process could not start ({reason})").format(
                reason=failure))
            return
        done = False
        while not done:
            try:
                message = messages.get(timeout=0.2)
            except queue.Empty:
                if process.is_alive():
                    continue
                try:   # it ended: what it sent last may still be in the pipe
                    message = messages.get(timeout=0.5)
                except queue.Empty:
                    if run_id == self._run_id:
                        self._done.emit(run_id, None, QCoreApplication.translate(
                            "TrainPanel", "the training process ended unexpectedly (exit code "
                            "{code})").format(code=process.exitcode))
                    return
            except (EOFError, OSError):
                return
            kind = message[0]
            if kind == "started":
                self._started.emit(run_id, self.settings, message[1], message[2])
            elif kind == "tick":
                # Copied out here, before the GUI thread says it may be written again.
                preview = block.read() if message[3] and block is not None else None
                self._tick.emit(run_id, message[1], message[2], preview)
            elif kind == "snapshots":
                self._snapshots.emit(run_id, [Snapshot(*entry) for entry in message[1]])
            elif kind == "epoch":
                self._epoch.emit(run_id, message[1], message[2])
            elif kind == "done":
                done = True
                self._done.emit(run_id, message[1], message[2])
        process.join(10.0)

    def wait_until_done(self, timeout: float = 60.0) -> bool:
        """Join the training process and its reader (tests); the GUI thread must still process
        ``finished``."""
        process = self._process
        if process is None:
            return True
        if self._reader is not None:
            self._reader.join(timeout)
        return not (_started(process) and process.is_alive())


def _start_in_advance(process: Any) -> None:
    """Start ``process``; a failure is not the learner's business yet: Start then trains in a
    fresh process, which says why if it cannot start either."""
    with contextlib.suppress(Exception):
        process.start()


def _started(process: Any) -> bool:
    """Whether ``process`` (a multiprocessing Process) has been started."""
    return process.pid is not None
