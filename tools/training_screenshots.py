"""Screenshots for the README: the kernel matrix before and after training, and the window while
it trains.

    python tools/training_screenshots.py OUT_FOLDER [--epochs 3] [--size 1280x800]

Runs headless (Qt's offscreen platform) at 1280×800 (or ``--size``): the learner's design plus ``LeakyReLU(0.2)``
and a classifier head (added with the app's own "Add a classifier head"), the digit ``mnist:7``
as input, trained in the Train panel on the bundled digits (Adam at the panel's defaults: lr
0.002, batch 64, seed 0).
Writes ``kernels-before-training.png`` and ``kernels-after-training.png`` (the "All kernels of
the layer" view of layer 0 and of layer 2, side by side), ``training-window.png`` (the whole
window in the middle of the run: Train panel, curves, kernel matrix, feature maps and the
prediction following the weights) and ``trained-window.png`` (after the run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's convdesigner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT (1280x800)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QEventLoop, QRectF, QTimer
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ConvDesigner")
    from convdesigner.data.mnist import bundled_digit
    from convdesigner.design.examples import learner_design
    from convdesigner.design.layers import LeakyReLU
    from convdesigner.ui.main_window import MainWindow
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.settings import AppSettings

    design = learner_design().with_inserted(3, LeakyReLU(0.2))
    document = DesignDocument(design, bundled_digit(7, 0)[None])
    window = MainWindow(document, AppSettings(Path(tempfile.mkdtemp()) / "s.ini"), device="cpu")
    window.resize(width, height)
    window.show()

    def wait_for(condition, timeout_s: float = 600) -> None:
        deadline = time.perf_counter() + timeout_s
        waker = QTimer()
        waker.start(50)
        try:
            while not condition():
                if time.perf_counter() > deadline:
                    raise TimeoutError("timed out")
                app.processEvents(QEventLoop.WaitForMoreEvents)
        finally:
            waker.stop()

    def settle() -> None:
        wait_for(lambda: window.live.idle and window.last_frame is not None)
        for _ in range(5):
            app.processEvents()

    settle()
    window.layer_stack.add_classifier_head()
    settle()
    window.views.setCurrentWidget(window.kernel_matrix)
    window.docks["train"].raise_()
    window.docks["prediction"].raise_()

    def kernels(name: str) -> None:
        # Layer 0's 64 kernels whole (the 8 × 8 grid the view wraps them into), and layer 2 zoomed
        # in as a learner would with the wheel: its first 8 kernels × 16 sub-kernels (the whole
        # 128 × 64 is too fine to see in a README).
        shots = []
        for layer, rows, columns in ((0, 8, 8), (2, 8, 16)):
            window.selection.select(layer=layer)
            settle()
            matrix = window.kernel_matrix
            pitch_y, pitch_x = matrix.layout_.pitch
            matrix.view.setRange(QRectF(0, 0, pitch_x * columns, pitch_y * rows), padding=0.02)
            for _ in range(5):
                app.processEvents()
            shots.append(window.views.grab())
        width = sum(s.width() for s in shots)
        picture = QPixmap(width, max(s.height() for s in shots))
        painter = QPainter(picture)
        x = 0
        for shot in shots:
            painter.drawPixmap(x, 0, shot)
            x += shot.width()
        painter.end()
        picture.save(str(args.out / name))

    kernels("kernels-before-training.png")
    window.selection.select(layer=2)
    settle()
    panel = window.train_panel
    panel.epochs_box.setValue(args.epochs)
    panel.start()
    steps = [0]
    wait_for(lambda: window.training.last_step is not None
             and window.training.last_step.done_steps >= window.training.last_step.total_steps // 2)
    window.training.pause()
    wait_for(window.training.worker_paused.is_set)
    settle()
    # The window as the app lays it out: Start has folded the settings away, so the curves show.
    window.grab().save(str(args.out / "training-window.png"))
    window.training.resume()
    wait_for(lambda: not window.training.busy, 3600)
    settle()
    window.grab().save(str(args.out / "trained-window.png"))
    kernels("kernels-after-training.png")
    print(window.training.message, [f"{e.heldout_accuracy:.4f}" for e in window.training.epochs],
          steps)
    window.document.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
