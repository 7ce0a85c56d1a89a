"""The Train panel, the prediction chart and the head view, driven as a learner would: add the
head, start, watch the curves and views follow, paint meanwhile, pause, stop, undo; scrub back
through the snapshots and keep one; a diverging run changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import QCoreApplication, QRect

from convdesigner.compute.engine import run
from convdesigner.compute.training import Trainer, evaluate
from convdesigner.data.mnist import bundled_digit
from convdesigner.data.training_data import LabelledDigits, TrainingData, bundled_training_data
from convdesigner.design.examples import learner_design
from convdesigner.design.layers import Flatten, LeakyReLU, Linear
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings
from convdesigner.ui.state.training import IDLE, PAUSED
from convdesigner.ui.views.colors import nice_ceil


def small_data(count: int) -> TrainingData:
    full = bundled_training_data()
    rng = np.random.default_rng(0)
    chosen = np.sort(rng.choice(len(full.train), count, replace=False))
    kept = np.sort(rng.choice(len(full.heldout), 100, replace=False))
    return TrainingData(LabelledDigits(full.train.images[chosen], full.train.labels[chosen], "some"),
                        LabelledDigits(full.heldout.images[kept], full.heldout.labels[kept], "held"),
                        "test digits")


@pytest.fixture
def window(qtbot, tmp_path):
    design = learner_design()
    design = design.with_inserted(3, LeakyReLU(0.2))
    document = DesignDocument(design, bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda w: w.document.undo_stack.setClean())
    main.resize(1280, 800)
    main.show()
    qtbot.waitUntil(lambda: main.live.idle and main.last_frame is not None, timeout=30000)
    yield main
    main.training.shutdown()
    main.document.undo_stack.setClean()


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.live.idle and window.last_frame is not None, timeout=30000)


def add_head(qtbot, window) -> None:
    panel = window.train_panel
    assert panel.head_button.isVisible() and not panel.start_button.isEnabled()
    assert "add a classifier head" in panel.reason_label.text()
    panel.head_button.click()
    settle(qtbot, window)


def test_the_head_is_one_click_and_one_undo_step(qtbot, window):
    assert window.prediction.shown is None
    assert "not 10 values" in window.prediction.title.text()
    add_head(qtbot, window)
    layers = window.document.design.layers
    assert layers[-2:] == (Flatten(), Linear(6272, 10))
    assert window.document.undo_stack.undoText() == "Add a classifier head"
    assert window.train_panel.start_button.isEnabled() and not window.train_panel.head_button.isVisible()
    # The prediction is the softmax of what torch computes for the input.
    settle(qtbot, window)
    scores = run(window.document.design, window.document.image).outputs[-1]
    expected = torch.softmax(torch.from_numpy(scores).double(), 0).numpy()
    np.testing.assert_allclose(window.prediction.shown, expected, atol=1e-6)
    # The head view: each class's weights reshaped to the 128×7×7 maps the Linear reads.
    window.views.setCurrentWidget(window.head_view)
    qtbot.waitUntil(lambda: window.head_view.displayed_weights() is not None)
    weight = window.document.design.layers[-1].weight
    assert np.array_equal(window.head_view.displayed_weights(), weight.reshape(10, 128, 7, 7))
    window.document.undo_stack.undo()
    assert len(window.document.design.layers) == 4


def test_train_live_paint_pause_stop_and_undo(qtbot, window):
    add_head(qtbot, window)
    before = window.document.design
    panel = window.train_panel
    panel.data_source = small_data(3200)
    panel.epochs_box.setValue(20)
    panel.batch_box.setValue(32)
    session = window.training
    qtbot.waitUntil(window.quick_start.isVisible)      # a first start
    panel.start_button.click()
    assert not panel.start_button.isEnabled() and panel.stop_button.isEnabled()
    # Live: previews of the weights arrive and the views compute frames from them.
    qtbot.waitUntil(lambda: session.preview_count >= 2, timeout=60000)
    # The Quick start note, drawn over the views, closed when training began.
    assert not window.quick_start.isVisible()
    # Snapshots come when the run ends; meanwhile the panel says they are being recorded.
    assert panel.snapshot_label.text().startswith("Recording:")
    assert not panel.snapshot_slider.isEnabled()
    panel.pause_button.click()
    assert session.state == PAUSED and panel.pause_button.text() == "Resume"
    # The step running at the click finishes; then the worker waits and nothing more arrives.
    qtbot.waitUntil(session.worker_paused.is_set, timeout=30000)
    QCoreApplication.processEvents()
    preview = session.preview
    assert preview is not None
    qtbot.waitUntil(lambda: window.live.idle and window.last_frame.design is preview, timeout=30000)
    assert not preview.same_parameters(before)
    assert len(panel.curve_data()["loss"][0]) >= 2
    assert panel.progress.value() >= 1 and "left" in panel.progress.format()
    # Every view shows the weights of that moment on the current input...
    window.views.setCurrentWidget(window.kernel_matrix)
    window.selection.select(layer=2)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.kernel_matrix.displayed_weights() is preview.layers[2].weight)
    # ...also after a brush stroke made while it trains.
    image = np.array(window.document.image)
    image[0, 3:6, 3:6] = 1.0
    window.document.set_image(image, "paint")
    settle(qtbot, window)
    frame = window.last_frame
    assert frame.design is preview
    expected = run(preview, image).outputs[-1]
    np.testing.assert_allclose(frame.outputs[-1], expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(window.prediction.shown,
                               torch.softmax(torch.from_numpy(expected).double(), 0).numpy(), atol=1e-5)
    # The document is untouched until the run ends; painting was its own undo step.
    assert window.document.design.same_parameters(before)
    assert window.document.undo_stack.undoText() == "paint"
    panel.pause_button.click()
    with qtbot.waitSignal(session.finished, timeout=60000):
        panel.stop_button.click()
    assert session.state == IDLE
    trained = window.document.design
    assert not trained.same_parameters(before)
    steps = session.steps_done
    assert 0 < steps < 20 * 100
    assert window.document.undo_stack.undoText().startswith("Train ")
    assert "stopped (Adam, lr 0.002)" in window.document.undo_stack.undoText()
    # The snapshots came when the run ended; the newest is the weights it stopped with.
    assert len(session.snapshots) >= 2 and session.snapshots[0].step == 0
    assert window.document.undo_stack.undoText().startswith(
        f"Train {session.snapshots[-1].step} steps, stopped")
    assert session.snapshots[-1].design.same_parameters(trained)
    assert session.snapshots[0].design.same_parameters(before)
    # One undo step gives back the weights before the run (and the painted input stays).
    window.document.undo_stack.undo()
    assert window.document.design.same_parameters(before)
    assert np.array_equal(window.document.image, image)
    window.document.undo_stack.redo()
    assert window.document.design.same_parameters(trained)


def test_a_finished_run_is_one_step_and_its_snapshots_can_be_kept(qtbot, window):
    add_head(qtbot, window)
    before = window.document.design
    panel = window.train_panel
    panel.data_source = small_data(640)
    panel.epochs_box.setValue(2)
    session = window.training
    with qtbot.waitSignal(session.finished, timeout=120000):
        panel.start_button.click()
    assert window.document.undo_stack.undoText() == "Train 2 epochs (Adam, lr 0.002)"
    curves = panel.curve_data()
    assert list(curves["heldout_accuracy"][0]) == [1.0, 2.0]
    assert len(curves["train_accuracy"][1]) == 2 and len(curves["loss"][0]) == 20
    assert "Held-out accuracy" in panel.status_label.text()
    # The loss curve grows across still axes: every step of the run from the start, and from 0
    # to a round number above the highest loss (training + held-out), so neither re-ranges per point.
    (x_low, x_high), (y_low, y_high) = panel.loss_plot.getViewBox().viewRange()
    assert x_low <= 0 and x_high >= 20 and x_high - x_low < 21.5
    losses = np.concatenate([curves["loss"][1], curves["heldout_loss"][1]])
    assert y_low == 0 and losses.max() <= y_high == nice_ceil(y_high)
    # Scrub back to "before training": the views show those weights; keep them: one undo step.
    assert len(session.snapshots) >= 3 and panel.snapshot_slider.isEnabled()
    panel.snapshot_slider.setValue(0)
    assert session.preview is session.snapshots[0].design
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.last_frame.design is session.snapshots[0].design)
    assert session.snapshots[0].design.same_parameters(before)
    panel.keep_button.click()
    assert window.document.undo_stack.undoText() == "Keep the weights of before training"
    assert window.document.design.same_parameters(before)
    window.document.undo_stack.undo()
    assert not window.document.design.same_parameters(before)


def test_without_shared_memory_it_trains_all_the_same(qtbot, window, monkeypatch):
    """Where no shared memory can be made (a container without /dev/shm), the previews are
    left out and nothing else changes: the run ends as one undo step with its snapshots."""
    from convdesigner.compute import training_process

    def refuse(_design):
        raise OSError("no shared memory here")

    monkeypatch.setattr(training_process.PreviewBlock, "create", staticmethod(refuse))
    add_head(qtbot, window)
    before = window.document.design
    panel = window.train_panel
    panel.data_source = small_data(320)
    session = window.training
    with qtbot.waitSignal(session.finished, timeout=120000):
        panel.start_button.click()
    assert session.preview_count == 0
    assert window.document.undo_stack.undoText() == "Train 3 epochs (Adam, lr 0.002)"
    assert not window.document.design.same_parameters(before)
    assert len(session.snapshots) >= 3


def test_closing_right_after_start_ends_the_training_process(qtbot, window):
    """The process starts on the reader thread; a shutdown while it is still starting stops it
    all the same, and nothing is applied."""
    add_head(qtbot, window)
    before = window.document.design
    panel = window.train_panel
    panel.data_source = small_data(320)
    panel.start_button.click()
    session = window.training
    assert session.busy
    assert session.shutdown(timeout=60.0)
    process = session._process
    assert process.pid is not None and not process.is_alive()
    QCoreApplication.processEvents()
    assert window.document.design.same_parameters(before)


def test_a_diverging_run_changes_nothing_and_says_so(qtbot, window):
    add_head(qtbot, window)
    count = window.document.undo_stack.count()
    before = window.document.design
    panel = window.train_panel
    panel.data_source = small_data(640)
    panel.lr_box.setValue(10.0)
    with qtbot.waitSignal(window.training.finished, timeout=60000) as finished:
        panel.start_button.click()
    assert "diverged" in finished.args[0] and "as they were before the run" in finished.args[0]
    assert window.document.undo_stack.count() == count
    assert window.document.design is before
    assert window.training.preview is None


def test_start_folds_the_settings_away_so_that_the_curves_show(qtbot, window):
    """At 1280×800 the Train dock shares its column with the layer list: the settings fill it,
    and the curves are below, out of sight. Start folds the settings into one line (they cannot
    change during a run anyway), and the loss curve comes into view; the arrow unfolds them, and
    a lesson's suggestion shows them."""
    from convdesigner.design.lessons import lesson_by_key

    add_head(qtbot, window)
    window.docks["train"].raise_()
    panel = window.train_panel
    panel.data_source = small_data(320)
    panel.epochs_box.setValue(1)

    viewport = panel.parentWidget()          # the dock's scroll area's

    def curve_in_view() -> bool:
        top_left = panel.loss_plot.mapTo(viewport, panel.loss_plot.rect().topLeft())
        return viewport.rect().contains(QRect(top_left, panel.loss_plot.size()))

    def in_view(widget) -> bool:
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        return viewport.rect().contains(QRect(top_left, widget.size()))

    assert panel.settings_group.isVisible() and not panel.settings_summary.isVisible()
    assert not curve_in_view()
    # Scrolled down to Start, as a learner on a small screen does.
    scroll_bar = viewport.parentWidget().verticalScrollBar()
    scroll_bar.setValue(scroll_bar.maximum())
    assert scroll_bar.value() > 0
    with qtbot.waitSignal(window.training.finished, timeout=60000):
        panel.start_button.click()
        # Back at the top: the settings in one line, Pause and Stop, the progress, the curve.
        qtbot.waitUntil(lambda: in_view(panel.stop_button) and in_view(panel.settings_summary)
                        and curve_in_view())
        assert not panel.settings_group.isVisible()
        assert panel.settings_summary.text() == ("Adam · lr 0.002 · batch 64 · 1 epoch · seed 0 · "
                                                 "CPU · Bundled digits")
    qtbot.waitUntil(curve_in_view)
    # Folded they stay after the run (the curves are what a learner reads then); the arrow
    # unfolds them, and the summary follows the settings while folded.
    assert not panel.settings_group.isVisible()
    panel.settings_toggle.click()
    assert panel.settings_group.isVisible() and not panel.settings_summary.isVisible()
    panel.settings_toggle.click()
    panel.epochs_box.setValue(4)
    panel.schedule_box.setCurrentIndex(panel.schedule_box.findData("linear"))
    assert "lr 0.002 → 0 · batch 64 · 4 epochs" in panel.settings_summary.text()
    window.document.undo_stack.setClean()    # opening the lesson asks nothing (no unsaved work)
    window.open_lesson(lesson_by_key("lenet5"))
    assert panel.settings_group.isVisible()  # what the lesson filled in, shown


def test_the_status_line_changing_length_does_not_move_the_curves(qtbot, window):
    window.docks["train"].raise_()
    panel = window.train_panel
    panel.status_label.setText("Loading the digits and building the model… " * 2)
    qtbot.waitUntil(lambda: panel.status_label.height() >= panel.status_label.minimumHeight())
    QCoreApplication.processEvents()
    two_lines = panel.loss_plot.geometry()
    assert panel.status_label.heightForWidth(panel.status_label.width()) <= \
        panel.status_label.minimumHeight()           # the text takes two lines
    panel.status_label.setText("Training: loss 0.1234 · 5,000 digits/s")
    QCoreApplication.processEvents()
    QCoreApplication.processEvents()
    assert panel.loss_plot.geometry() == two_lines


def test_a_run_that_learns_nothing_is_kept_but_said(qtbot, window):
    """Adam at lr 10 collapses a small design to one answer without a NaN: the run is applied (one
    undo step, as any run) and the panel says it learned nothing, and what to try."""
    from convdesigner.design.layers import Conv2d, Design, InputSpec, ReLU

    small = Design(InputSpec(1, 28, 28), (Conv2d(1, 2, 4, 4), ReLU(), Flatten(), Linear(98, 10)),
                   seed=1)
    window.document.edit_design(small, "small")
    settle(qtbot, window)
    panel = window.train_panel
    panel.data_source = small_data(640)
    panel.epochs_box.setValue(1)
    panel.lr_box.setValue(10.0)
    with qtbot.waitSignal(window.training.finished, timeout=60000) as finished:
        panel.start_button.click()
    accuracy = window.training.epochs[-1].heldout_accuracy
    assert accuracy <= 0.2
    assert finished.args[0].startswith("Done: the trained weights are the design's")
    assert (f"But it has not learned: {accuracy:.1%} of the held-out digits are right, no better "
            "than guessing one of 10. The learning rate 10 may be too large") in finished.args[0]
    assert window.document.undo_stack.undoText() == "Train 1 epoch (Adam, lr 10)"


def test_a_design_with_a_problem_says_which_with_its_numbers(qtbot, window):
    add_head(qtbot, window)
    design = window.document.design
    window.document.edit_design(design.with_layer(5, Linear(6000, 10)), "in_features 6000")
    panel = window.train_panel
    assert not panel.start_button.isEnabled()
    assert panel.reason_label.text().startswith("The design has a problem; fix it to train: ")
    assert "expects 6,000 inputs" in panel.reason_label.text()
    assert "6,272 = 128×7×7" in panel.reason_label.text()


def test_a_design_for_other_inputs_says_why_it_cannot_train(qtbot, window):
    from convdesigner.design.layers import InputSpec
    design = window.document.design.with_input(InputSpec(1, 24, 24))
    window.document.edit_design(design, "input 24")
    assert not window.train_panel.start_button.isEnabled()
    assert "set the input to 1×28×28 (or larger" in window.train_panel.reason_label.text()
    assert not window.train_panel.input_note.isVisible()


def test_idx_files_of_another_size_say_at_once_what_the_design_needs(qtbot, window, tmp_path,
                                                                      monkeypatch):
    """Choosing IDX files reads the image header there and then: digits of 32×32 do not fit
    the learner's 28×28 input (said before Start, not by the training process after it), a
    broken file is named, and going back to the bundled digits clears both."""
    from PySide6.QtWidgets import QFileDialog

    from convdesigner.data.idx import write_idx
    from convdesigner.design.layers import InputSpec

    write_idx(tmp_path / "big-images-idx3-ubyte", np.zeros((3, 32, 32), np.uint8))
    write_idx(tmp_path / "big-labels-idx1-ubyte", np.arange(3, dtype=np.uint8))
    panel = window.train_panel
    add_head(qtbot, window)
    assert panel.start_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(tmp_path / "big-images-idx3-ubyte"), ""))
    panel.data_box.setCurrentIndex(1)
    panel.data_box.activated.emit(1)       # as a click on "MNIST IDX files…" does
    assert panel.data_source == (str(tmp_path / "big-images-idx3-ubyte"),
                                 str(tmp_path / "big-labels-idx1-ubyte"))
    assert panel.digit_shape() == (1, 32, 32)
    assert not panel.start_button.isEnabled()
    assert ("The digits are 1×32×32, but the design's input is 1×28×28: set the input to "
            "1×32×32" in panel.reason_label.text())
    # The next IDX dialog, here or in the digit browser, opens where these files were.
    assert window.settings.value("files/data_folder") == str(tmp_path)
    folders = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda parent, caption, folder, *rest: folders.append(folder) or ("", ""))
    window.digit_browser.open_dataset_dialog()
    panel.data_box.setCurrentIndex(1)
    panel.data_box.activated.emit(1)
    assert folders == [str(tmp_path), str(tmp_path)]
    assert panel.data_source == "bundled"      # the dialog cancelled: back to the bundled digits
    panel.use_idx_files(str(tmp_path / "big-images-idx3-ubyte"), str(tmp_path / "big-labels-idx1-ubyte"))
    # A 32×32 input takes them (the head resized to match): no reason, and no centring note.
    design = window.document.design.with_input(InputSpec(1, 32, 32))
    window.document.edit_design(design.with_layer(5, Linear(128 * 8 * 8, 10)), "input 32")
    assert panel.start_button.isEnabled() and not panel.input_note.isVisible()

    # Digits smaller than the bundled held-out ones, on an input of their size.
    write_idx(tmp_path / "small-images-idx3-ubyte", np.zeros((3, 20, 20), np.uint8))
    panel.use_idx_files(str(tmp_path / "small-images-idx3-ubyte"),
                        str(tmp_path / "big-labels-idx1-ubyte"))
    window.document.edit_design(window.document.design.with_input(InputSpec(1, 20, 20))
                                .with_layer(5, Linear(128 * 5 * 5, 10)), "input 20")
    assert window.document.analysis.problems == ()
    assert not panel.start_button.isEnabled()
    assert "held-out digits, which are 1×28×28" in panel.reason_label.text()

    (tmp_path / "broken-idx3-ubyte").write_bytes(b"not an idx file")
    panel.use_idx_files(str(tmp_path / "broken-idx3-ubyte"), str(tmp_path / "big-labels-idx1-ubyte"))
    assert not panel.start_button.isEnabled()
    assert ("These IDX files cannot be used: broken-idx3-ubyte: wrong magic number"
            in panel.reason_label.text())

    window.document.undo_stack.undo()
    window.document.undo_stack.undo()      # back to the learner's 28×28 design
    panel.data_box.setCurrentIndex(0)
    panel.data_box.activated.emit(0)
    assert panel.data_source == "bundled" and panel.digit_shape() == (1, 28, 28)
    assert panel.start_button.isEnabled() and not panel.reason_label.isVisible()


def test_the_app_trains_on_an_idx_pair_as_the_command_line_does(qtbot, window, tmp_path):
    """An IDX pair chosen in the panel is read by the training process: the run learns what the
    command line's loop learns from the same files, and says how many digits it trained on."""
    from convdesigner.data.idx import write_idx
    from convdesigner.data.training_data import idx_training_data

    digits = small_data(320).train
    images, labels = tmp_path / "some-images-idx3-ubyte", tmp_path / "some-labels-idx1-ubyte"
    write_idx(images, digits.images)
    write_idx(labels, digits.labels.astype(np.uint8))
    add_head(qtbot, window)
    panel = window.train_panel
    panel.use_idx_files(str(images), str(labels))
    assert panel.data_box.currentText() == "IDX: some-images-idx3-ubyte + some-labels-idx1-ubyte"
    panel.epochs_box.setValue(1)
    panel.batch_box.setValue(32)
    before = window.document.design
    with qtbot.waitSignal(window.training.finished, timeout=120000) as finished:
        panel.start_button.click()
    assert finished.args[0].startswith("Done:")
    assert window.training.last_step.samples == 320
    expected = Trainer(before, idx_training_data(images, labels), panel.settings()).run().design
    for ours, theirs in zip(window.document.design.layers, expected.layers, strict=True):
        for name, value in ours.parameter_values().items():
            np.testing.assert_allclose(value, theirs.parameter_values()[name], atol=1e-5)


def test_lenet5_of_1998_trains_on_its_32x32_input_once_it_has_a_head(qtbot, window):
    """The lesson as LeCun built it (32×32 input, Tanh, AvgPool2d): one click adds the head, and
    the run trains on the digits centred on 32×32, the way the input view shows them."""
    from convdesigner.design.lessons import lesson_by_key

    window.open_lesson(lesson_by_key("lenet5"))
    settle(qtbot, window)
    assert window.document.design.input.shape == (1, 32, 32)
    # The settings its lesson suggests: Adam, lr 0.01 falling to 0, batch 16, 3 epochs.
    suggested = window.train_panel.settings()
    assert (suggested.lr, suggested.schedule, suggested.batch_size, suggested.epochs) == \
        (0.01, "linear", 16, 3)
    add_head(qtbot, window)
    assert window.document.design.layers[-2:] == (Flatten(), Linear(400, 10))
    panel = window.train_panel
    assert panel.start_button.isEnabled() and not panel.reason_label.isVisible()
    # Said, not hidden: how the digits reach the larger input.
    assert panel.input_note.isVisible()
    assert "28×28 digits are centred on the 1×32×32 input" in panel.input_note.text()
    before = window.document.design
    data = small_data(320)
    panel.data_source = data
    panel.epochs_box.setValue(1)
    panel.batch_box.setValue(16)
    with qtbot.waitSignal(window.training.finished, timeout=120000):
        panel.start_button.click()
    trained = window.document.design
    assert not trained.same_parameters(before)
    # What the command line's loop learns from the same centred digits (to rounding: another
    # process may use other threads).
    expected_design = Trainer(before, data, panel.settings()).run().design
    for ours, theirs in zip(trained.layers, expected_design.layers, strict=True):
        for name, value in ours.parameter_values().items():
            np.testing.assert_allclose(value, theirs.parameter_values()[name], atol=1e-5)
    assert window.training.epochs[-1].heldout_accuracy == evaluate(trained, data.heldout).accuracy
    assert window.document.undo_stack.undoText() == "Train 1 epoch (Adam, lr 0.01 → 0)"
    settle(qtbot, window)
    scores = run(trained, window.document.image).outputs[-1]
    expected = torch.softmax(torch.from_numpy(scores).double(), 0).numpy()
    np.testing.assert_allclose(window.prediction.shown, expected, atol=1e-6)
    # Another lesson's suggestions put the schedule back to constant.
    window.document.undo_stack.setClean()      # no "Save?" question for the trained weights
    window.open_lesson(lesson_by_key("lenet5-train"))
    assert window.train_panel.settings().schedule == "constant"


@pytest.mark.parametrize("in_advance", [False, True], ids=["fresh-process", "started-in-advance"])
def test_the_app_trains_as_the_command_line_does(tmp_path, subprocess_env, in_advance):
    """Same design, data and settings: the app's run (in its training process, with frames
    computed meanwhile for brush strokes) gives the weights of a plain Trainer run bit for bit
    (the child runs the command line's loop on its own main thread with the same thread count)
    -- also when the process was started in advance, when the Train panel was shown, as the app
    does. In a fresh process, so that no earlier test's state mixes in."""
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("training_driver.py")),
                           str(tmp_path / "settings.ini"), *(["--in-advance"] if in_advance else [])],
                          env=subprocess_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines()
                 if line.startswith(("same ", "max_difference ", "used_standby ")))
    assert lines["same"] == "True" and float(lines["max_difference"]) == 0.0, done.stdout
    assert lines["used_standby"] == str(in_advance), done.stdout


def test_every_view_copes_with_the_classifier_layers(qtbot, window):
    """Select Flatten, Dropout and Linear in every tab: messages, not errors; the feature maps draw
    a vector row by row and caption it with its length."""
    add_head(qtbot, window)
    window.document.insert_layer("Dropout", 5)
    settle(qtbot, window)
    design = window.document.design
    assert [layer.kind for layer in design.layers[4:]] == ["Flatten", "Dropout", "Linear"]
    for index in (4, 5, 6):
        window.selection.select(layer=index)
        for tab in range(window.views.count()):
            window.views.setCurrentIndex(tab)
            settle(qtbot, window)
        window.layer_editor.refresh()
    window.selection.select(layer=6)
    settle(qtbot, window)
    window.feature_maps.flush_render()
    assert "Layer 6 (Linear) → 10 values" in window.feature_maps.panel.title
    window.selection.select(layer=6)
    assert window.layer_editor.field_widgets[("Linear", "in_features")].value() == 6272
    window.views.setCurrentWidget(window.kernel_matrix)
    settle(qtbot, window)
    # Not a crash, and not "only Conv2d layers have weights": a Linear has weights, no kernels.
    message = window.kernel_matrix.message
    assert message.startswith("layer 6 (Linear) has no kernels") and "matrix of weights" in message
    assert "What the classifier looks for" in message and "only Conv2d" not in message


def test_the_lesson_to_train_fills_in_the_settings_it_suggests(qtbot, window):
    from convdesigner.design.lessons import lesson_by_key

    panel = window.train_panel
    assert panel.lr_box.value() == 0.002 and panel.batch_box.value() == 64
    window.open_lesson(lesson_by_key("lenet5-train"))
    settle(qtbot, window)
    assert panel.lr_box.value() == 0.005 and panel.batch_box.value() == 32
    assert panel.epochs_box.value() == 3
    # Ready to train: no reason given, no head to add.
    assert panel.start_button.isEnabled() and not panel.reason_label.isVisible()
    assert panel.settings().lr == 0.005 and panel.settings().batch_size == 32


def window_training_in_advance(qtbot, tmp_path, shown_dock: str) -> MainWindow:
    """The learner's design + LeakyReLU in a window that starts training processes in advance,
    as the app does, shown with ``shown_dock`` raised in the Train panel's tab group."""
    design = learner_design().with_inserted(3, LeakyReLU(0.2))
    main = MainWindow(DesignDocument(design, bundled_digit(7, 0)[None]),
                      AppSettings(tmp_path / "settings.ini"), device="cpu", train_in_advance=True)
    qtbot.addWidget(main, before_close_func=lambda w: w.document.undo_stack.setClean())
    main.docks[shown_dock].raise_()
    main.show()
    return main


def test_a_process_started_in_advance_trains_when_start_is_pressed(qtbot, tmp_path):
    """As the app does (train_in_advance): showing the Train panel starts a training process,
    Start hands it the run, a finished run prepares the next one, and closing the window ends
    the one still waiting. Without the option nothing is started before Start."""
    main = window_training_in_advance(qtbot, tmp_path, shown_dock="lesson")
    settle(qtbot, main)
    session, panel = main.training, main.train_panel
    assert session._standby is None                     # the panel has not been shown yet
    main.docks["train"].raise_()
    qtbot.waitUntil(lambda: session._standby is not None)     # a moment after it is shown
    standby = session._standby
    qtbot.waitUntil(lambda: standby.process.pid is not None and standby.process.is_alive(),
                    timeout=30000)
    add_head(qtbot, main)
    panel.data_source = small_data(320)
    panel.epochs_box.setValue(1)
    with qtbot.waitSignal(session.finished, timeout=120000):
        panel.start_button.click()
    assert session.used_standby and session._process is standby.process
    assert main.document.undo_stack.undoText().startswith("Train 1 epoch")
    # The next run's process is on its way; closing the window ends it.
    following = session._standby
    assert following is not None and following.process is not standby.process
    qtbot.waitUntil(lambda: following.process.pid is not None, timeout=30000)
    main.document.undo_stack.setClean()
    main.close()
    qtbot.waitUntil(lambda: not following.process.is_alive(), timeout=30000)
    assert session._standby is None


def test_without_train_in_advance_nothing_starts_before_start(qtbot, window):
    window.docks["train"].raise_()
    qtbot.waitUntil(window.train_panel.isVisible)
    window.train_panel._prepare_if_shown()      # what the panel does a moment after it is shown
    assert window.training._standby is None


def test_a_process_started_in_advance_that_died_is_replaced(qtbot, tmp_path):
    main = window_training_in_advance(qtbot, tmp_path, shown_dock="train")
    settle(qtbot, main)
    session = main.training
    qtbot.waitUntil(lambda: session._standby is not None)
    first = session._standby
    qtbot.waitUntil(lambda: first.process.pid is not None and first.process.is_alive(),
                    timeout=30000)
    first.process.terminate()
    first.process.join(10)
    session.prepare()
    assert session._standby is not None and session._standby is not first
    # And a Start with a dead one waiting trains in a fresh process instead.
    session._standby.starter.join()
    session._standby.process.terminate()
    session._standby.process.join(10)
    add_head(qtbot, main)
    main.train_panel.data_source = small_data(320)
    main.train_panel.epochs_box.setValue(1)
    with qtbot.waitSignal(session.finished, timeout=120000):
        main.train_panel.start_button.click()
    assert not session.used_standby
    assert main.document.undo_stack.undoText().startswith("Train 1 epoch")


def test_a_process_that_cannot_be_started_in_advance_leaves_start_to_a_fresh_one(
        qtbot, window, monkeypatch):
    """Spawning can fail (no resources): nothing is said then (no error escapes the thread that
    starts it, which the app would show as a crash), and Start trains as usual."""
    import multiprocessing.context
    import threading

    def refuse(self) -> None:
        raise OSError("no more processes")

    escaped: list[object] = []
    monkeypatch.setattr(threading, "excepthook", escaped.append)
    window.training.standby_enabled = True
    real_start = multiprocessing.context.SpawnProcess.start
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    window.training.prepare()
    standby = window.training._standby
    assert standby is not None
    standby.starter.join()
    assert standby.process.pid is None and escaped == []
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", real_start)
    add_head(qtbot, window)
    window.train_panel.data_source = small_data(320)
    window.train_panel.epochs_box.setValue(1)
    with qtbot.waitSignal(window.training.finished, timeout=120000):
        window.train_panel.start_button.click()
    assert not window.training.used_standby
    assert window.document.undo_stack.undoText().startswith("Train 1 epoch")
