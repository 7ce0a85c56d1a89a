"""Python's cycle collector, moved to the GUI thread.

Why: the collector runs on whichever thread happens to allocate when a generation's threshold is
crossed -- in this app often the live worker or the training thread. When it frees a reference
cycle that holds a Qt wrapper (a menu, an action, a widget of a closed window), Shiboken destroys
the C++ QObject on that thread. ``QObject::~QObject`` locks Qt's connection mutexes and asks for
the GIL, while the GUI thread, holding the GIL, may wait on one of those very mutexes: the app
freezes for good. This was seen (a test run hung with the live worker in ``gc_collect_main`` →
``QObject::~QObject`` → ``GilState::acquire`` and the GUI thread in ``QBasicMutex::lockInternal``).

The remedy is the one pyqtgraph documents (``pyqtgraph.util.garbage_collector``): automatic
collection off, and a timer on the GUI thread that collects each generation when its count has
crossed the threshold the automatic collector would have used. Reference counting still frees
everything that is not in a cycle at once, on any thread.

**What start-up made is frozen** (:func:`freeze_long_lived`, ``gc.freeze``): the modules of Qt,
pyqtgraph, NumPy and PyTorch leave about 230,000 objects that live as long as the app, and a
collection of the oldest generation walked all of them -- about 100 ms on the GUI thread
(measured on a 2-core machine), every couple of minutes and in the middle of a training run too.
Frozen, they are never walked again; only what was made afterwards is. (A reference cycle of
start-up garbage that is frozen with them is kept: a few objects, once.)

GUI thread only.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

#: How often the GUI thread looks at the collector's counts.
CHECK_INTERVAL_MS = 1000

_timer: QTimer | None = None
_frozen_after_start_up = False


def collect_on_gui_thread() -> None:
    """Turn automatic collection off and collect on a GUI-thread timer instead (once per
    application; later calls do nothing). Needs a running ``QCoreApplication``."""
    global _timer
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("collect_on_gui_thread needs a QApplication")
    if _timer is not None and _timer.parent() is app:
        return
    thresholds = gc.get_threshold()
    timer = QTimer(app)
    timer.setInterval(CHECK_INTERVAL_MS)
    timer.timeout.connect(lambda: collect_due(thresholds))
    timer.start()
    _timer = timer
    gc.disable()
    freeze_long_lived()     # the imports so far: Qt, pyqtgraph, NumPy, this package
    app.destroyed.connect(_restore)


def freeze_long_lived() -> int:
    """Move every object the collector tracks now into its permanent generation, which no
    collection walks (``gc.freeze``); returns how many objects are frozen in all."""
    gc.freeze()
    return gc.get_freeze_count()


def freeze_after_start_up() -> bool:
    """:func:`freeze_long_lived` the first time it is called in this process, when start-up is
    over (:class:`~convdesigner.ui.main_window.MainWindow` calls it once its first frame is
    shown: PyTorch imported, the views built); later calls -- another window, a test's next
    window -- do nothing, so that what a closed window left in a cycle can still be collected.
    Returns True when it froze."""
    global _frozen_after_start_up
    if _frozen_after_start_up:
        return False
    _frozen_after_start_up = True
    freeze_long_lived()
    return True


def collect_due(thresholds: tuple[int, int, int]) -> int:
    """Collect the generations whose counts have crossed ``thresholds`` (as the automatic
    collector would have); returns how many unreachable objects were found."""
    first, second, third = gc.get_count()
    found = 0
    if first > thresholds[0]:
        generation = 0
        if second > thresholds[1]:
            generation = 2 if third > thresholds[2] else 1
        found = gc.collect(generation)
    return found


def _restore(_: QObject | None = None) -> None:
    global _timer
    _timer = None
    gc.enable()
