"""A real app window that trains its design (with brush strokes meanwhile) and prints whether the
result equals the command line's run bit for bit, and the largest difference.

Used by tests/ui/test_training.py in a fresh process, so that no earlier test's state can mix
in. The command line's run is made as the command line makes it: a :class:`Trainer` on the main
thread of a process of its own (this script again, with ``--reference``), not on a thread of this
GUI process, whose other threads have set their own torch thread counts.
Prints ``same True`` or ``same False``, and ``used_standby`` (whether a process started in
advance trained it).
Usage: python training_driver.py SETTINGS.ini [--in-advance]  (``--in-advance``: as the app does,
a training process is started when the Train panel is shown, and Start hands the run to it)
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from convdesigner.compute.training import Trainer, TrainSettings
from convdesigner.data.mnist import bundled_digit
from convdesigner.design.examples import learner_design
from convdesigner.design.layers import LeakyReLU
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings
from tests.ui.test_training import small_data


def main(in_advance: bool) -> None:
    app = QApplication(sys.argv[:1])
    document = DesignDocument(learner_design().with_inserted(3, LeakyReLU(0.2)),
                              bundled_digit(7, 0)[None])
    window = MainWindow(document, AppSettings(sys.argv[1]), device="cpu",
                        train_in_advance=in_advance)
    window.docks["train"].raise_()
    window.show()

    def wait_for(condition) -> None:
        deadline = time.perf_counter() + 300
        waker = QTimer()
        waker.start(20)
        while not condition() and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.WaitForMoreEvents)
        waker.stop()

    wait_for(lambda: window.live.idle and window.last_frame is not None)
    document.add_classifier_head()
    wait_for(lambda: window.live.idle)
    before = document.design
    data = small_data(640)
    panel = window.train_panel
    panel.data_source = data
    panel.epochs_box.setValue(2)
    panel.seed_box.setValue(3)
    if in_advance:      # the process started when the panel was shown has imported PyTorch
        wait_for(lambda: window.training._standby is not None)
        standby = window.training._standby
        assert standby is not None
        wait_for(lambda: standby.process.pid is not None and standby.process.is_alive())
    panel.start()
    for row in range(4, 20, 2):       # paint while it trains: frames are computed meanwhile
        image = np.array(document.image)
        image[0, row, 4:24] = 1.0
        document.set_image(image, "paint")
        app.processEvents()
    wait_for(lambda: not window.training.busy)
    with tempfile.TemporaryDirectory() as folder:
        given, made = Path(folder) / "given.pickle", Path(folder) / "made.pickle"
        given.write_bytes(pickle.dumps((before, data)))
        subprocess.run([sys.executable, __file__, "--reference", str(given), str(made)], check=True,
                       timeout=300)
        expected = pickle.loads(made.read_bytes())
    difference = max(float(np.max(np.abs(value - expected.layers[i].parameter_values()[name])))
                     for i, layer in enumerate(document.design.layers)
                     for name, value in layer.parameter_values().items())
    print("same", document.design.same_parameters(expected), flush=True)
    print("max_difference", difference, flush=True)
    print("used_standby", window.training.used_standby, flush=True)
    document.undo_stack.setClean()
    window.close()


def reference(given: str, made: str) -> None:
    """The command line's run of the design and data in ``given``, written to ``made``."""
    design, data = pickle.loads(Path(given).read_bytes())
    trained = Trainer(design, data, TrainSettings(epochs=2, seed=3, device="cpu")).run().design
    Path(made).write_bytes(pickle.dumps(trained))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--reference"]:
        reference(sys.argv[2], sys.argv[3])
    else:
        main("--in-advance" in sys.argv[2:])
