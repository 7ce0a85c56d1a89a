"""A real app window that paints one stroke and then runs until it is killed.

Used by tests/test_ui_nothing_lost.py: the test waits for "autosaved PATH" on stdout, kills this
process with SIGKILL (a crash), and checks that the next start offers the painted input back.
Usage: python autosave_driver.py SETTINGS.ini
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

from convdesigner.design.examples import learner_design
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings


def main() -> None:
    app = QApplication(sys.argv[:1])
    settings = AppSettings(sys.argv[1])
    design = learner_design()
    document = DesignDocument(design, np.zeros(design.input.shape, dtype=np.float32))
    window = MainWindow(document, settings, device="cpu",
                        autosave_folder=settings.data_folder() / "autosave")
    window.autosaver.saved.connect(lambda path: print("autosaved", path, flush=True))
    image = np.array(document.image)
    image[0, 8:20, 12:16] = 1.0     # a vertical bar: "a 1"
    document.set_image(image, "Paint")
    app.exec()


if __name__ == "__main__":
    main()
