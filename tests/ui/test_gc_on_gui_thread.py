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
