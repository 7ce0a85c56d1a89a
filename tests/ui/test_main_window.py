"""The live designer window end to end: painting, edits, selection, files, headless modes."""

from __future__ import annotations

import os
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from convdesigner.data.mnist import bundled_digit
from convdesigner.design import Conv2d
from convdesigner.design.examples import learner_design
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings
from tests.oracle import torch_outputs


@pytest.fixture
def window(qtbot, tmp_path):
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    # pytest-qt closes the window before this fixture's teardown: never with a "Save?" question
    # waiting for an answer nobody gives, even after a failed test left the document modified.
    qtbot.addWidget(main, before_close_func=lambda window: window.document.undo_stack.setClean())
    main.resize(1280, 800)
    main.show()
    qtbot.waitUntil(lambda: main.live.idle and main.last_frame is not None, timeout=30000)
    yield main
    main.document.undo_stack.setClean()  # no "save changes?" prompt at teardown
    main.close()
    assert not main.live._thread.is_alive()


def assert_views_show_torch(window: MainWindow) -> None:
    frame = window.last_frame
    expected = torch_outputs(frame.design, np.array(window.document.image))
    for index, maps in enumerate(expected):
        shown = window.feature_maps.displayed_maps(index)
        np.testing.assert_allclose(shown, maps, rtol=1e-5, atol=1e-6)


def test_opens_alive_with_the_learners_design_and_a_digit(window) -> None:
    assert window.last_frame.design is window.document.design
    assert window.summary.text() == (
        "Layer 2: 128 kernels × 64 sub-kernels of 4×4 = 131,072 weights + 128 biases")
    assert_views_show_torch(window)
    assert "compute" in window.timing_label.text() and "render" in window.timing_label.text()


def test_a_brush_stroke_updates_the_views_to_torchs_values_and_is_one_undo_step(window, qtbot) -> None:
    canvas = window.input_panel.canvas
    before = np.array(window.document.image)
    rect = canvas.image_rect()
    start = QPoint(int(rect.left() + rect.width() * 0.1), int(rect.top() + rect.height() * 0.1))
    end = QPoint(int(rect.left() + rect.width() * 0.4), int(rect.top() + rect.height() * 0.3))
    qtbot.mousePress(canvas, Qt.LeftButton, pos=start)
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.LeftButton, pos=end)
    assert window.document.undo_stack.count() == 1
    assert not np.array_equal(window.document.image, before)
    qtbot.waitUntil(lambda: window.live.idle and np.array_equal(window.last_frame.image, window.document.image),
                    timeout=30000)
    assert_views_show_torch(window)
    window.document.undo_stack.undo()
    assert np.array_equal(window.document.image, before)
    qtbot.waitUntil(lambda: window.live.idle and np.array_equal(window.last_frame.image, before), timeout=30000)
    assert_views_show_torch(window)


def test_an_invalid_edit_is_shown_and_the_views_keep_the_last_valid_state(window, qtbot) -> None:
    valid = window.document.design
    window.document.edit_design(valid.with_layer(2, Conv2d(64, 128, 4, 2, 1, groups=3)), "Set groups")
    assert "groups=3 must divide in_channels=64" in window.problem_label.text()
    # Painting still updates the views, with the last valid design.
    image = np.array(window.document.image)
    image[0, 5:9, 5:9] = 1.0
    window.document.set_image(image, "Paint")
    qtbot.waitUntil(lambda: window.live.idle and np.array_equal(window.last_frame.image, image), timeout=30000)
    assert window.last_frame.design is valid
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.problem_label.text() == ""


def test_selection_reaches_the_worker_and_the_sum_view(window, qtbot) -> None:
    window.selection.select(layer=2, out_channel=17)
    qtbot.waitUntil(lambda: window.live.idle and window.last_frame.focus == (2, 17), timeout=30000)
    contributions = window.last_frame.contributions
    assert len(contributions.in_channels) == 64
    total = contributions.partial_maps.sum(axis=0) + contributions.bias
    np.testing.assert_allclose(total, window.last_frame.outputs[2][17], rtol=1e-5, atol=1e-5)


def test_save_prompt_on_close_with_unsaved_changes(window, qtbot, monkeypatch) -> None:
    window.document.edit_design(window.document.design.with_layer(2, Conv2d(64, 64, 4, 2, 1)), "Edit")
    assert window.isWindowModified()
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kwargs: asked.append(args) or QMessageBox.Cancel)
    window.close()
    assert asked and window.isVisible()  # Cancel keeps the window and the work


def test_save_writes_the_design_and_marks_clean(window, tmp_path, monkeypatch) -> None:
    window.document.edit_design(window.document.design.with_layer(2, Conv2d(64, 32, 4, 2, 1)), "Edit")
    path = tmp_path / "mine.json"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.save()
    assert path.exists() and not window.isWindowModified()
    assert "mine.json" in window.windowTitle()


def test_a_broken_input_file_is_refused_with_a_message_and_nothing_changes(window, tmp_path, monkeypatch) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    image = np.array(window.document.image)
    assert not window.open_input(str(broken))
    assert shown and "broken.png" in shown[0]
    assert np.array_equal(window.document.image, image) and window.document.undo_stack.count() == 0


def run_app(*arguments: str, tmp_path, env) -> subprocess.CompletedProcess:
    env = dict(env, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "convdesigner", *arguments], capture_output=True, text=True,
                          timeout=180, env=env, cwd=tmp_path)


def test_screenshot_mode_writes_the_window(tmp_path, subprocess_env) -> None:
    out = tmp_path / "shot.png"
    result = run_app("--screenshot", str(out), "--input", "mnist:3", tmp_path=tmp_path, env=subprocess_env)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600


def test_self_test_passes(tmp_path, subprocess_env) -> None:
    result = run_app("--self-test", tmp_path=tmp_path, env=subprocess_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "FAIL" not in result.stdout


def test_progressive_start_shows_the_window_first_then_the_views(qtbot, tmp_path) -> None:
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None], defer_parameters=True)
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu", progressive=True)
    qtbot.addWidget(main)
    assert not main.views_ready          # nothing pyqtgraph-based before the first paint
    with qtbot.waitSignal(main.viewsReady, timeout=30000):
        main.show()
    # torch arrives in the worker; the design then gets its seeded parameters and is shown.
    qtbot.waitUntil(lambda: main.last_frame is not None and main.live.idle, timeout=60000)
    assert all(layer.weight is not None for layer in main.document.design.layers[::2])
    assert not main.document.modified
    assert_views_show_torch(main)
    main.close()


def test_an_explained_pixel_lights_up_the_cells_it_reads_on_the_previous_layers_maps(window, qtbot) -> None:
    window.selection.select(layer=2)
    window.selection.select(out_channel=17, pixel=(3, 4))
    qtbot.waitUntil(lambda: window.explain_panel.explanation() is not None, timeout=30000)
    source, cells = window.explain_panel.highlight()
    assert source == 1                       # layer 2 reads layer 1's maps
    inside = [cell for cell in cells if not cell[3]]
    assert len({cell[0] for cell in inside}) == 64      # every channel of the group
    rects = window.feature_maps.highlighted_rects(1)
    assert len(rects) == len(inside) == 64 * 16          # pixel (3, 4) reads no padding
    assert window.feature_maps.highlighted_rects(0) == []  # nothing on other layers
    window.selection.select(pixel=None)
    qtbot.waitUntil(lambda: window.feature_maps.highlighted_rects(1) == [], timeout=10000)


def test_ctrl_z_undoes_from_a_number_field_of_the_layer_settings(window, qtbot) -> None:
    """Type 2 into stride, Enter, Ctrl+Z: the document's edit is undone, not the field's text."""
    window.selection.select(layer=0)
    field = window.layer_editor.stride.first
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: field.lineEdit().hasFocus() or field.hasFocus())
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "1")
    qtbot.keyClick(field.lineEdit(), Qt.Key_Enter)
    assert window.document.design.layers[0].stride == (1, 1)
    qtbot.keyClick(field.lineEdit(), Qt.Key_Z, Qt.ControlModifier)
    assert window.document.design.layers[0].stride == (2, 2)
    assert field.value() == 2
    qtbot.keyClick(field.lineEdit(), Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.document.design.layers[0].stride == (1, 1)


def test_the_input_read_out_follows_a_new_image(qtbot) -> None:
    """Issue 16.7: the hover read-out names the loaded image's value, or nothing once the mouse
    has left the canvas -- never the previous image's."""
    from convdesigner.ui.panels.canvas import InputPanel
    document = DesignDocument(learner_design(), np.zeros((1, 28, 28), np.float32))
    panel = InputPanel(document)
    qtbot.addWidget(panel)
    panel.resize(300, 360)
    panel.show()
    qtbot.waitExposed(panel)
    canvas = panel.canvas
    rect = canvas.image_rect()
    point = QPoint(int(rect.left() + rect.width() * 7.5 / 28), int(rect.top() + rect.height() * 22.5 / 28))
    qtbot.mouseMove(canvas, point)
    qtbot.waitUntil(lambda: panel.readout.text() == "input (22, 7) = 0.0")
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 22, 7] = 0.5
    document.set_image(image, "Load input")            # the mouse is still over the canvas
    assert panel.readout.text() == "input (22, 7) = 0.5"
    QApplication.sendEvent(canvas, QEvent(QEvent.Type.Leave))
    document.set_image(np.ones((1, 28, 28), np.float32), "Load input")
    assert panel.readout.text() == ""


def test_the_brush_size_is_remembered(qtbot, tmp_path) -> None:
    settings = AppSettings(tmp_path / "brush.ini")
    first = MainWindow(DesignDocument(learner_design()), settings, device="cpu")
    qtbot.addWidget(first, before_close_func=lambda w: w.document.undo_stack.setClean())
    first.input_panel.size_slider.setValue(25)
    settings.sync()
    second = MainWindow(DesignDocument(learner_design()), AppSettings(tmp_path / "brush.ini"),
                        device="cpu")
    qtbot.addWidget(second, before_close_func=lambda w: w.document.undo_stack.setClean())
    assert second.input_panel.size_slider.value() == 25


def test_wait_for_frame_returns_once_the_frame_and_its_explanation_are_in(qtbot, tmp_path):
    """The first frame comes with the Σ view's explanation, which settles after it on a signal of
    its own: wait_for_frame (--screenshot, --self-test, the soak) must return then, not at its
    timeout."""
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda window: window.document.undo_stack.setClean())
    main.resize(1280, 800)
    main.show()
    timed_out: list[bool] = []
    QTimer.singleShot(30000, lambda: timed_out.append(True))   # half the wait's own timeout
    frame = main.wait_for_frame(timeout_ms=60000)
    assert frame is not None and main.live.idle and not timed_out
    assert frame is main.last_frame
