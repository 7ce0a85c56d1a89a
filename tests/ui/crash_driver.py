"""A child app whose slot raises, and which emits a Qt warning, with the crash handler installed.

Used by tests/ui/test_nothing_lost.py. Prints "DIALOG <text>" for each error dialog it would show
(the message box is replaced by a print, there is nobody to click it) and "ALIVE" once the event
loop ran on after the error. Usage: python crash_driver.py FOLDER
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox

from convdesigner.ui import crash


def main() -> None:
    app = QApplication(sys.argv[:1])
    QMessageBox.critical = staticmethod(   # type: ignore[method-assign]
        lambda parent, title, text, *args: print("DIALOG", text.replace("\n", " "), flush=True))
    crash.install(Path(sys.argv[1]))

    def failing_slot() -> None:
        raise ZeroDivisionError("a bug in a slot")

    QTimer.singleShot(0, failing_slot)
    QTimer.singleShot(10, lambda: qWarning("a Qt warning"))
    QTimer.singleShot(50, lambda: (print("ALIVE", flush=True), app.quit()))
    app.exec()


if __name__ == "__main__":
    main()
