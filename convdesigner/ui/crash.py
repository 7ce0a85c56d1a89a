"""Errors nobody caught: logged to a file in the user's data folder and shown, never silent.

:func:`install` (called once by the app, not by tests) sets ``sys.excepthook`` and
``threading.excepthook`` to log the traceback and show a short dialog (the app keeps running: Qt
calls Python slots one at a time, and one failing slot leaves the others working), routes Qt's own
warnings to the same log, and enables :mod:`faulthandler` on it, so that even a hard crash leaves
a Python traceback behind.

Threading: install from the GUI thread. The hooks may run on any thread; only the GUI thread
shows a dialog (other threads log, and the next GUI-thread error shows it).
"""

from __future__ import annotations

import faulthandler
import sys
import threading
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QCoreApplication, QThread, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

LOG_NAME = "convdesigner.log"
#: The log is cut to its newer half when it grows past this many bytes.
LOG_LIMIT = 1_000_000
#: At most one dialog this often (seconds): an error in a paint handler repeats on every frame.
DIALOG_INTERVAL = 10.0

_state: dict[str, object] = {"last_dialog": 0.0, "in_dialog": False}
_fault_stream: list[IO[str]] = []


def log_path(folder: Path) -> Path:
    return folder / LOG_NAME


def install(folder: Path) -> Path:
    """Log uncaught errors and Qt's messages to ``folder / LOG_NAME``; returns the log's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = log_path(folder)
    _trim(path)
    _state["path"] = path

    def excepthook(kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        text = "".join(traceback.format_exception(kind, error, trace))
        write_log(path, "uncaught exception", text)
        sys.stderr.write(text)
        _show_dialog(path, error)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        write_log(path, f"uncaught exception in thread {getattr(args.thread, 'name', '?')}", text)
        sys.stderr.write(text)

    def qt_messages(kind: QtMsgType, _context: object, message: str) -> None:
        names = {QtMsgType.QtWarningMsg: "Qt warning", QtMsgType.QtCriticalMsg: "Qt critical",
                 QtMsgType.QtFatalMsg: "Qt fatal"}
        if kind in names:
            write_log(path, names[kind], message)
        sys.stderr.write(message + "\n")

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    qInstallMessageHandler(qt_messages)
    stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 -- kept open for faulthandler
    _fault_stream.append(stream)
    faulthandler.enable(stream)
    return path


def write_log(path: Path, title: str, text: str) -> None:
    """Append one entry to the log; never raises (a full disk must not cause a second error)."""
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {title}\n{text.rstrip()}\n")
    except OSError:
        pass


def _trim(path: Path) -> None:
    try:
        if path.stat().st_size > LOG_LIMIT:
            data = path.read_bytes()[-LOG_LIMIT // 2:]
            path.write_bytes(data)
    except OSError:
        pass


def _show_dialog(path: Path, error: BaseException) -> None:
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread() or _state["in_dialog"]:
        return
    now = time.monotonic()
    if now - float(_state["last_dialog"]) < DIALOG_INTERVAL:  # type: ignore[arg-type]
        return
    _state["last_dialog"] = now
    _state["in_dialog"] = True
    try:
        QMessageBox.critical(
            app.activeWindow(), "ConvDesigner",
            QCoreApplication.translate(
                "crash", "Something went wrong: {error}\n\nThe app keeps running, and your work is "
                "autosaved. The details are in {log}.").format(error=error, log=path))
    finally:
        _state["in_dialog"] = False
