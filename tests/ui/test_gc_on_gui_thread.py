"""Reference cycles are collected on the GUI thread only (a Qt object freed by the collector on a
worker thread deadlocked the app)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QThread

from convdesigner.ui import gc_on_gui_thread
from convdesigner.ui.gc_on_gui_thread import collect_due, collect_on_gui_thread


class _Cycle:
    """Records the thread that collects it."""

    collected_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.collected_on.append(threading.current_thread().name)


def test_a_cycle_made_on_a_worker_is_collected_on_the_gui_thread(qtbot, qapp) -> None:
    collect_on_gui_thread()
    assert not gc.isenabled()
    timer = gc_on_gui_thread._timer
    assert timer is not None and timer.isActive() and timer.thread() is QThread.currentThread()
    _Cycle.collected_on.clear()

    kept: list[list[int]] = []

    def worker() -> None:
        _Cycle()
        # Far more allocations than the automatic collector's threshold: it would have run here.
        kept.extend([index] for index in range(5 * gc.get_threshold()[0]))

    thread = threading.Thread(target=worker, name="worker")
    thread.start()
    thread.join()
    assert _Cycle.collected_on == []                  # not collected on the worker
    timer.timeout.emit()                              # what the running timer does each second
    assert _Cycle.collected_on == [threading.main_thread().name], (
        _Cycle.collected_on, gc.get_count(), gc.get_threshold())


def test_collect_due_collects_only_past_the_threshold() -> None:
    gc.collect()
    assert collect_due((10**9, 10, 10)) == 0          # the count is far below this threshold
    _Cycle.collected_on.clear()
    _Cycle()
    assert collect_due((0, 10**9, 10**9)) >= 1
    assert _Cycle.collected_on


FREEZE_CHECK = r"""
import gc, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from convdesigner.data.mnist import bundled_digit
from convdesigner.design.examples import learner_design
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings
from convdesigner.ui import gc_on_gui_thread
window = MainWindow(DesignDocument(learner_design(), bundled_digit(7, 0)[None]),
                    AppSettings(sys.argv[1]), device="cpu")
window.show()
assert gc.get_freeze_count() > 0            # the imports, frozen when collection moved here
from PySide6.QtCore import QEventLoop, QTimer
waker = QTimer()
waker.start(20)
while not (window.live.idle and window.last_frame is not None):
    app.processEvents(QEventLoop.WaitForMoreEvents)
import torch                                # imported by the live worker for that frame
frozen = gc.get_freeze_count()
walked = len(gc.get_objects())              # what a full collection walks now
print(frozen, walked)
assert frozen > 100_000 and walked < frozen // 10, (frozen, walked)
assert gc_on_gui_thread.freeze_after_start_up() is False   # once per process
class Cycle:
    def __init__(self):
        self.me = self
Cycle(); Cycle()
assert gc_on_gui_thread.collect_due((0, 10**9, 10**9)) >= 2   # new cycles are still collected
window.document.undo_stack.setClean()
window.close()
"""


def test_start_up_objects_are_frozen_after_the_first_frame(tmp_path, subprocess_env) -> None:
    """A full collection walked ~230,000 objects that Qt, NumPy and PyTorch made at start-up
    (about 100 ms on the GUI thread); after the first frame they are frozen and it walks only
    what came later. In a fresh process: freezing is once per process."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FREEZE_CHECK, str(tmp_path / "s.ini")],
                          env=subprocess_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
