"""Running one slow job (save, open, import) off the GUI thread while the window stays alive.

:func:`run_busy` starts the job on a worker thread and runs a nested event loop until it ends, so
the window keeps repainting; a progress dialog appears only when the job takes longer than a
moment. The job's result is returned, and its exception re-raised, on the GUI thread.

Threading: call :func:`run_busy` from the GUI thread. ``job`` runs on a worker thread: it must not
touch widgets or the document, only the snapshot it was given.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")

# A job shorter than this shows no dialog at all (milliseconds).
SHOW_AFTER_MS = 400


def error_text(error: BaseException) -> str:
    """What to tell the user about a job's failure: the project's errors speak for themselves;
    others are named, so the message still helps."""
    from convdesigner.errors import ConvDesignerError
    if isinstance(error, ConvDesignerError):
        return str(error)
    if isinstance(error, MemoryError):
        return QCoreApplication.translate("run_busy", "not enough memory")
    return f"{type(error).__name__}: {error}"


class Cancelled(Exception):  # noqa: N818 -- the user's choice, not an error
    """The user cancelled a job; its result, if it ever arrives, is dropped."""


class _Relay(QObject):
    finished = Signal()


def run_busy(parent: QWidget | None, label: str, job: Callable[[], T], *,
             cancellable: bool = False) -> T:
    """Run ``job()`` on a worker thread; return its result or raise its exception.

    With ``cancellable=True`` the dialog has a Cancel button; pressing it raises :class:`Cancelled`
    at once (the worker finishes in the background and its result is dropped), so only jobs whose
    late completion is harmless (reading a file) may be cancellable. Saving is not.
    """
    outcome: dict[str, object] = {}
    relay = _Relay()
    loop = QEventLoop()
    relay.finished.connect(loop.quit, Qt.QueuedConnection)

    def work() -> None:
        try:
            outcome["result"] = job()
        except BaseException as error:  # noqa: BLE001 -- handed to the GUI thread and re-raised
            outcome["error"] = error
        relay.finished.emit()

    dialog = QProgressDialog(label, QCoreApplication.translate("run_busy", "Cancel")
                             if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("ConvDesigner")
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    if not cancellable:
        dialog.setCancelButton(None)
    cancelled = False

    def cancel() -> None:
        nonlocal cancelled
        cancelled = True
        loop.quit()

    dialog.canceled.connect(cancel)
    thread = threading.Thread(target=work, name="convdesigner-busy", daemon=True)
    thread.start()
    loop.exec()   # quits on the worker's queued "finished", even one sent before exec began
    dialog.canceled.disconnect(cancel)
    dialog.reset()
    dialog.deleteLater()
    if cancelled and not ("result" in outcome or "error" in outcome):
        raise Cancelled
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]
