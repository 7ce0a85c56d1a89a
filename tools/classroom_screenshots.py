"""Screenshots for the classroom: the window at 1280×800 and 1920×1080, and presentation mode.

    python tools/classroom_screenshots.py en|zh_CN OUT_FOLDER

Writes ``window-1280x800.png``, ``window-1920x1080.png`` (layer 2 of the learner's design, pixel
(3, 3) of channel 5 explained, the animation at its "multiply" step), ``layer-settings-1280x800.png``
and ``all-kernels-1280x800.png`` (the Conv2d's settings, the kernels at a legible size),
``first-start-1280x800.png``
(the quick-start note over the opening lesson) and ``presentation-<view>.png`` for the sum view, the
explain panel and the feature maps. Presentation mode fills the screen, so run it under a
1920×1080 X server for projector-sized pictures::

    Xvfb :99 -screen 0 1920x1080x24 & DISPLAY=:99 python tools/classroom_screenshots.py en out/

(Qt's offscreen platform, the default without a display, has an 800×800 screen.)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's convdesigner
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    language, out = argv[0], Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ConvDesigner")
    from convdesigner.ui.i18n import install_translators
    install_translators(app, language)
    from tempfile import TemporaryDirectory

    from convdesigner.design.examples import learner_design
    from convdesigner.ui.app import _default_digit
    from convdesigner.ui.main_window import MainWindow
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.settings import AppSettings

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()

    with TemporaryDirectory() as folder:
        for width, height in ((1280, 800), (1920, 1080)):
            design = learner_design()
            document = DesignDocument(design, _default_digit(design))
            window = MainWindow(document, AppSettings(Path(folder) / f"s{width}.ini"))
            window.resize(width, height)
            window.show()
            settle(4.0)
            if width == 1280:
                window.grab().save(str(out / "first-start-1280x800.png"))
            window.quick_start.dismiss()
            window.selection.select(layer=2, out_channel=5)
            window.selection.select(pixel=(3, 3))
            settle(2.0)
            window.explain_panel.animation.step()
            settle(0.5)
            window.grab().save(str(out / f"window-{width}x{height}.png"))
            if width == 1280:
                # Layer settings of the Conv2d, without scrolling; every kernel at a legible size.
                window.docks["editor"].raise_()
                settle(0.5)
                window.docks["editor"].grab().save(str(out / "layer-settings-1280x800.png"))
                window.views.setCurrentWidget(window.kernel_matrix)
                settle(1.0)
                window.grab().save(str(out / "all-kernels-1280x800.png"))
                window.views.setCurrentIndex(0)
                window.docks["lesson"].raise_()
                settle(0.5)
            if width == 1920:
                for key in ("sum", "explain", "maps"):
                    window.presentation.enter(key)
                    settle(2.5)
                    window.presentation.screen.grab().save(str(out / f"presentation-{key}.png"))
                window.presentation.leave()
            window.document.undo_stack.setClean()
            window.close()
            settle(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
