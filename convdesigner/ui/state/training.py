"""Training the document's design on a worker thread, with live previews, pause, stop, undo and
a bounded history of weight snapshots.

:class:`TrainingSession` runs :class:`convdesigner.compute.training.Trainer` (plain PyTorch) on
a thread of its own -- this module is one of the few in ``ui/`` that reach PyTorch
(tests/test_architecture.py lists it) -- and hands the GUI thread, at a bounded rate:

* a **preview** (:attr:`TrainingSession.preview`): the design holding the weights as they are
  now, every :data:`PREVIEW_SECONDS`. The main window computes its frames from it (kernel
  matrix, selected kernel, Σ view, feature maps, prediction), so every view shows the weights
  learning on the current input while the user keeps painting; the document itself is not
  touched until the run ends.
* the losses of the steps since the last preview, the newest :class:`StepReport` and, after each
  epoch, its :class:`EpochReport` (for the progress bar and the curves).
* **snapshots** of the weights: before the first step, every few steps and after each epoch,
  at most :data:`MAX_SNAPSHOTS` (when full, every other one is dropped, so they stay spread
  over the whole run).

When the run ends its weights become the document's in **one undo step** ("Train 3 epochs (Adam,
lr 0.001)"); undo gives back the weights before it. A run stopped early keeps the weights of its
last finished step (also one undo step); a diverging run (loss NaN, infinite or huge) changes
nothing and says so. After a run, :meth:`TrainingSession.scrub` shows any snapshot in the views
and :meth:`TrainingSession.keep` makes it the document's weights (undoable).

Threading: construct and call every method from the GUI thread; every signal is emitted on the
GUI thread. The worker reads only what it was given (a frozen design, the settings, the data).
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from convdesigner.design.layers import Design
from convdesigner.errors import ConvDesignerError

if TYPE_CHECKING:
    from convdesigner.compute.training import EpochReport, StepReport, TrainResult, TrainSettings
    from convdesigner.data.training_data import TrainingData

#: How often the worker hands the GUI the current weights (seconds): about 5 previews a second
#: (between two steps, so never more often than steps finish).
PREVIEW_SECONDS = 0.2
#: The most weight snapshots kept for scrubbing.
MAX_SNAPSHOTS = 48
#: About this many snapshots are taken during a run (besides one per epoch).
SNAPSHOTS_PER_RUN = 40

IDLE, RUNNING, PAUSED, STOPPING = "idle", "running", "paused", "stopping"


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


def _load_data(source: DataSource) -> TrainingData:
    from convdesigner.data.training_data import (
        TrainingData,
        bundled_training_data,
        idx_training_data,
    )
    if isinstance(source, TrainingData):
        return source
    if source == "bundled":
        return bundled_training_data()
    images, labels = source  # type: ignore[misc]
    return idx_training_data(images, labels)


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

    _started = Signal(int, object, object)        # run id, settings, device note
    _tick = Signal(int, object, list, object)      # run id, StepReport, losses, Design
    _epoch = Signal(int, object, object)           # run id, EpochReport, Design
    _snapshot = Signal(int, object)                # run id, Snapshot
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
        self._run_id = 0
        self._trained_from: Design | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()
        #: Set while the worker waits in a pause (tests: nothing more arrives until Resume).
        self.worker_paused = threading.Event()
        self._started.connect(self._on_started)
        self._tick.connect(self._on_tick)
        self._epoch.connect(self._on_epoch)
        self._snapshot.connect(self._on_snapshot)
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
        self._stop.clear()
        self._resume.set()
        self.settings = settings
        self.epochs = []
        self.last_step = None
        self.steps_done = 0
        self.message = ""
        self._clear_snapshots()
        self._trained_from = self._document.design
        self._set_state(RUNNING)
        # The CPU threads to train with: the process's default, read here because the GUI thread
        # never changes its own count. A new thread inherits the count of the moment, which the
        # live worker lowers to 1 while it computes a small frame (live.threads_for); training
        # with whatever it caught would be slower and not repeat bit for bit.
        import torch
        threads = torch.get_num_threads()
        self.threads = threads          # the CPU threads this run trains with (benchmarks, tests)
        self._thread = threading.Thread(
            target=self._work, args=(self._run_id, self._trained_from, settings, data, threads),
            name="convdesigner-train", daemon=True)
        self._thread.start()

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
        """Stop and wait for the worker (quitting); nothing is applied. True when it ended."""
        self._run_id += 1          # whatever it still sends is stale
        self._stop.set()
        self._resume.set()
        thread = self._thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)
        return thread is None or not thread.is_alive()

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

    @Slot(int, object, object)
    def _on_started(self, run_id: int, settings: TrainSettings, note: object) -> None:
        if run_id == self._run_id:
            self.started.emit(settings)
            if note:
                self.message = str(note)

    @Slot(int, object, list, object)
    def _on_tick(self, run_id: int, report: StepReport, losses: list, design: Design) -> None:
        if run_id != self._run_id:
            return
        self.last_step = report
        self.steps_done = report.done_steps
        self.preview_count += 1
        self._set_preview(design)
        self.stepped.emit(report, losses)

    @Slot(int, object, object)
    def _on_epoch(self, run_id: int, report: EpochReport, design: Design) -> None:
        if run_id != self._run_id:
            return
        self.epochs.append(report)
        self._set_preview(design)
        self.epochDone.emit(report)

    @Slot(int, object)
    def _on_snapshot(self, run_id: int, snapshot: Snapshot) -> None:
        if run_id != self._run_id:
            return
        self.snapshots.append(snapshot)
        if len(self.snapshots) > MAX_SNAPSHOTS:
            # Keep the first, the newest, and every other one between: spread over the run.
            self.snapshots = [self.snapshots[0], *self.snapshots[1:-1][1::2], self.snapshots[-1]]
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
                "TrainPanel", "Training diverged and was stopped: {reason}").format(reason=result.message)
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
                steps=result.steps, optimizer=optimizer, lr=f"{settings.lr:g}")
        else:
            text = (QCoreApplication.translate("TrainPanel", "Train {epochs} epoch ({optimizer}, lr {lr})")
                    if settings.epochs == 1 else
                    QCoreApplication.translate("TrainPanel", "Train {epochs} epochs ({optimizer}, lr {lr})")
                    ).format(epochs=settings.epochs, optimizer=optimizer, lr=f"{settings.lr:g}")
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
        else:
            self.message = QCoreApplication.translate(
                "TrainPanel", "The layers were changed while training, so the trained weights were "
                "not applied.")
            self._clear_snapshots()

    # -- worker thread ------------------------------------------------------------------------
    def _wait_while_paused(self) -> float:
        if self._resume.is_set():
            return 0.0
        started = time.perf_counter()
        self.worker_paused.set()
        self._resume.wait()
        self.worker_paused.clear()
        return time.perf_counter() - started

    def _work(self, run_id: int, design: Design, settings: TrainSettings, source: DataSource,
              threads: int) -> None:
        try:
            import torch

            from convdesigner.compute.training import Trainer
            torch.set_num_threads(threads)   # this thread's own count (see start)
            trainer = Trainer(design, _load_data(source), settings)
        except ConvDesignerError as error:
            self._done.emit(run_id, None, str(error))
            return
        except Exception as error:  # noqa: BLE001 -- reported to the user, the app goes on
            traceback.print_exc()
            self._done.emit(run_id, None, repr(error))
            return
        self._started.emit(run_id, settings, trainer.note)
        total = settings.epochs * trainer.steps_per_epoch
        every = max(1, total // SNAPSHOTS_PER_RUN)
        self._snapshot.emit(run_id, Snapshot(0, 0, 0, trainer.current_design()))
        losses: list[tuple[int, float]] = []
        last_preview = [time.perf_counter()]

        def on_step(report: StepReport) -> None:
            losses.append((report.done_steps, report.loss))
            now = time.perf_counter()
            snapshot_due = report.done_steps % every == 0 and report.step != report.steps_per_epoch
            if now - last_preview[0] >= PREVIEW_SECONDS or snapshot_due:
                current = trainer.current_design()
                if snapshot_due:
                    self._snapshot.emit(run_id, Snapshot(report.done_steps, report.epoch,
                                                         report.step, current))
                if now - last_preview[0] >= PREVIEW_SECONDS:
                    last_preview[0] = now
                    self._tick.emit(run_id, report, list(losses), current)
                    losses.clear()

        def on_epoch(report: EpochReport) -> None:
            current = trainer.current_design()
            step = report.epoch * trainer.steps_per_epoch
            self._snapshot.emit(run_id, Snapshot(step, report.epoch, trainer.steps_per_epoch, current))
            if losses and trainer.last_report is not None:
                self._tick.emit(run_id, trainer.last_report, list(losses), current)
                losses.clear()
            self._epoch.emit(run_id, report, current)

        try:
            from convdesigner.compute.exclusive import TORCH_WORK
            result: TrainResult | None = trainer.run(
                on_step=on_step, on_epoch=on_epoch, should_stop=self._stop.is_set,
                wait_while_paused=self._wait_while_paused, step_lock=TORCH_WORK)
            error = ""
        except ConvDesignerError as failure:
            result, error = None, str(failure)
        except Exception as failure:  # noqa: BLE001
            traceback.print_exc()
            result, error = None, repr(failure)
        self._done.emit(run_id, result, error)

    def wait_until_done(self, timeout: float = 60.0) -> bool:
        """Join the worker (tests); the GUI thread must still process ``finished``."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()
