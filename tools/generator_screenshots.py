"""Screenshots of the generator lesson and the checkerboard view, for the README.

    python tools/generator_screenshots.py en OUT_FOLDER
    python tools/generator_screenshots.py zh_CN OUT_FOLDER

Runs headless (Qt's offscreen platform), at 1920×1080. Writes ``generator-lesson[-zh_CN].png``
(the lesson "The generator's mirror", layer 3 ``ConvTranspose2d(64, 1, 4, 2, 1)`` selected, the tab
"How a transposed convolution is made" in front with one pixel explained) and
``checkerboard[-zh_CN].png`` (the lesson "Checkerboard: kernel 3, stride 2", the Checkerboard tab).
Chinese needs a CJK font installed (``fonts-noto-cjk``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's convdesigner


def main(language: str, folder: Path) -> int:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ConvDesigner")
    from convdesigner.ui.i18n import install_translators
    install_translators(app, language)
    from convdesigner.design.examples import learner_design
    from convdesigner.design.lessons import lesson_by_key
    from convdesigner.ui.main_window import MainWindow
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.settings import AppSettings

    suffix = "" if language == "en" else f"-{language}"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(DesignDocument(learner_design()), AppSettings(Path(scratch) / "s.ini"),
                            device="cpu")
        window.resize(1920, 1080)
        window.show()

        def settle(condition=lambda: True, seconds: float = 30.0) -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                app.processEvents()
                if window.live.idle and window.last_frame is not None and condition():
                    break
            for _ in range(30):
                app.processEvents()

        settle(lambda: window.views_ready)
        window.open_lesson(lesson_by_key("generator"))
        settle()
        window.selection.select(layer=3, out_channel=0)
        window.views.setCurrentWidget(window.transposed_view)
        window.selection.select(pixel=(13, 14))
        settle(lambda: window.transposed_view.shown_for == (3, 0, (13, 14)))
        window.grab().save(str(folder / f"generator-lesson{suffix}.png"))

        window.open_lesson(lesson_by_key("checkerboard-k3"))
        settle()
        window.selection.select(layer=0)
        window.views.setCurrentWidget(window.checkerboard_view)
        settle()
        window.grab().save(str(folder / f"checkerboard{suffix}.png"))
        window.document.undo_stack.setClean()
        window.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("en", "zh_CN"):
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
