"""Drive the real main window through many live view updates (run by tests/test_ui_soak.py).

PySide6 6.12.0 on CPython 3.11 aborts with "Fatal Python error: none_dealloc / bool_dealloc"
after a few thousand signal emissions or QGraphicsItem.update() calls. This driver makes tens of
thousands of both, through the app's own paths, in a child process, so such a crash shows as a
failed test instead of killing the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

from convdesigner.design import Conv2d, Design, InputSpec, LeakyReLU
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings


def main(view_updates: int, strokes: int) -> int:
    app = QApplication.instance() or QApplication([])
    design = Design(InputSpec(1, 12, 12), (Conv2d(1, 4, 3), LeakyReLU(0.2), Conv2d(4, 8, 3)))
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(DesignDocument(design, rng.random((1, 12, 12), dtype=np.float32)),
                            AppSettings(Path(folder) / "settings.ini"), device="cpu")
        window.show()
        frames = []
        for _ in range(2):
            window.document.preview_image(rng.random((1, 12, 12), dtype=np.float32))
            frames.append(window.wait_for_frame())
        if any(frame is None for frame in frames):
            print("no frame arrived", file=sys.stderr)
            return 1
        for i in range(view_updates):
            # Every view re-renders: ImageItem.setImage, label updates, item updates.
            window.live.frameReady.emit(frames[i % 2])
            if i % 97 == 0:
                window.selection.select(out_channel=i % 8, sub_kernel=i % 4)
            if i % 25 == 0:
                app.processEvents()
        for i in range(strokes):
            # The brush path: imageChanged → request → worker → frameReady, coalesced.
            window.document.preview_image(rng.random((1, 12, 12), dtype=np.float32))
            if i % 10 == 0:
                app.processEvents()
        last = window.wait_for_frame()
        window.document.undo_stack.setClean()
        window.close()
        print(f"{view_updates} view updates and {strokes} strokes, "
              f"{window.live.computed_count} computations, {window.live.dropped_count} stale results "
              f"dropped; last frame {'arrived' if last is not None else 'MISSING'}")
        return 0 if last is not None else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
