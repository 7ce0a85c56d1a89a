"""Honest numbers and views: counts that do not exist are not shown, views never mix two
documents, and long computations can be stopped, also by quitting."""

from __future__ import annotations

import os
import threading
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QMessageBox

from convdesigner.compute import engine as engine_module
from convdesigner.compute.engine import Engine
from convdesigner.compute.weights import materialize
from convdesigner.data.mnist import bundled_digit
from convdesigner.design import Conv2d, Design, InputSpec, ReLU
from convdesigner.design.budget import Cost
from convdesigner.design.examples import learner_design
from convdesigner.design.io import save_design
from convdesigner.errors import ComputationCancelled
from convdesigner.ui import main_window as main_window_module
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.live import LiveUpdater
from convdesigner.ui.state.settings import AppSettings


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Discard)
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda w: w.document.undo_stack.setClean())
    main.resize(1280, 800)
    main.show()
    qtbot.waitUntil(lambda: main.live.idle and main.last_frame is not None, timeout=30000)
    return main


def groups_three(document: DesignDocument) -> None:
    layer = document.design.layers[2]
    document.edit_design(document.design.with_layer(2, replace(layer, groups=3)), "groups=3")


def test_a_layer_whose_groups_do_not_divide_shows_no_made_up_counts(window) -> None:
    """Issue 16.3: groups=3 on Conv2d(64, 128) has no sub-kernel count; never 64 // 3 = 21."""
    groups_three(window.document)
    window.selection.select(layer=2)
    stack = window.layer_stack
    texts = [stack.total_label.text(), window.summary.text()]
    model = stack.view.model()
    texts += [str(model.data(model.index(row, 0), role))
              for row in range(model.rowCount()) for role in range(300)
              if isinstance(model.data(model.index(row, 0), role), str)]
    joined = "\n".join(texts)
    assert "21" not in joined and "24,192" not in joined and "43,008" not in joined
    assert "Total: —" in stack.total_label.text()
    assert "undefined until groups=3 divides in_channels=64" in window.summary.text()
    window.document.undo_stack.undo()                      # valid again: the numbers come back
    expected = sum(p.numel() for module in (torch.nn.Conv2d(1, 64, 4, 2, 1), torch.nn.Conv2d(64, 128, 4, 2, 1))
                   for p in module.parameters())
    assert f"Total: {expected:,} parameters" in stack.total_label.text()


def test_opening_a_design_that_cannot_be_computed_shows_none_of_the_previous_maps(
        window, qtbot, tmp_path) -> None:
    """Issue 16.4: the views never show the previous document's maps under the new one."""
    big = Design(name="too big", input=InputSpec(3, 512, 512), layers=(Conv2d(3, 512, 3),))
    path = tmp_path / "big.json"
    save_design(big, path)
    assert window.feature_maps.shown_frame is not None
    assert window.open_design(str(path))
    assert window.document.last_valid_design is None
    assert window.feature_maps.shown_frame is None
    assert window.feature_maps.panel.message.startswith("Not computed:")
    assert window.sum_view.message.startswith("Not computed:")
    assert window.kernel_matrix.message is not None        # not the learner's kernels
    assert window.layer_stack.view.model().rowCount() == 2  # the new design's structure is shown
    qtbot.waitUntil(lambda: window.live.idle, timeout=10000)
    assert window.feature_maps.shown_frame is None          # nothing old arrived afterwards


def test_a_design_that_would_take_hours_is_not_computed_and_says_how_long(
        window, monkeypatch) -> None:
    monkeypatch.setattr(main_window_module, "estimate_seconds",
                        lambda design, device="cpu", **kw: Cost(10**15, "cpu", 2e5))
    computed = window.live.latest_request_id
    window.document.set_image(np.zeros((1, 28, 28), np.float32), "Clear")
    assert window.live.latest_request_id > computed         # bumped by cancel, nothing queued
    assert window.feature_maps.panel.message.startswith("Not computed: this computation takes about")


def test_the_engine_stops_between_layers_when_asked() -> None:
    design = materialize(Design(input=InputSpec(1, 8, 8), layers=(ReLU(), ReLU(), ReLU())))
    calls = []

    def stop_after_first() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(ComputationCancelled):
        Engine("cpu").compute(design, np.zeros((1, 8, 8), np.float32), should_stop=stop_after_first)
    assert len(calls) == 2                                   # layer 0 ran, layer 1 did not


class _SlowEngine:
    """A stand-in engine whose frame runs until it is told to stop (as a long design would)."""

    started = threading.Event()

    def __init__(self, device, *args, **kwargs):
        self.device = torch.device("cpu")
        self.note = None

    def compute(self, design, image, focus=None, *, exact=False, should_stop=lambda: False):
        _SlowEngine.started.set()
        while not should_stop():
            threading.Event().wait(0.005)    # the fake "layer"; polls the stop flag
        raise ComputationCancelled("stopped")


def test_stop_cancels_a_long_computation_and_the_views_keep_their_frame(window, qtbot, monkeypatch) -> None:
    shown = window.last_frame
    _SlowEngine.started.clear()
    monkeypatch.setattr(engine_module, "Engine", _SlowEngine)
    window.live.set_device("auto")                       # a new engine is made for it
    window.request_frame()
    qtbot.waitUntil(_SlowEngine.started.is_set, timeout=10000)
    qtbot.waitUntil(window.stop_button.isVisible, timeout=10000)
    window.stop_button.click()
    assert window.live.idle and not window.stop_button.isVisible()
    assert window.last_frame is shown
    monkeypatch.undo()
    window.live.set_device("cpu")


def test_quitting_during_a_long_computation_stops_it_cleanly(qtbot, tmp_path, monkeypatch) -> None:
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main)
    qtbot.waitUntil(lambda: main.live.devices is not None, timeout=30000)
    _SlowEngine.started.clear()
    monkeypatch.setattr(engine_module, "Engine", _SlowEngine)
    main.live.set_device("auto")
    main.request_frame()
    qtbot.waitUntil(_SlowEngine.started.is_set, timeout=10000)
    assert main.close()
    assert not main.worker_left_running and not main.live._thread.is_alive()


def test_cancel_drops_what_is_on_its_way_and_the_next_request_works(qtbot) -> None:
    updater = LiveUpdater("cpu")
    try:
        design = materialize(learner_design())
        image = np.zeros((1, 28, 28), np.float32)
        updater.request(design, image)
        updater.cancel()
        assert updater.idle
        with qtbot.waitSignal(updater.frameReady, timeout=30000) as blocker:
            request = updater.request(design, image)
        assert blocker.args[0].request_id == request
    finally:
        updater.shutdown()


def test_an_edit_pytorch_cannot_initialise_yet_is_applied_and_shown_as_a_problem(qtbot) -> None:
    """Issue 16.26: padding='same' with stride 3, then out_channels: the edit is not dropped."""
    from convdesigner.ui.panels.layer_editor import LayerEditorPanel
    from convdesigner.ui.state.selection import Selection
    document = DesignDocument(learner_design())
    selection = Selection(document)
    editor = LayerEditorPanel(document, selection)
    qtbot.addWidget(editor)
    layer = document.design.layers[2]
    document.edit_design(document.design.with_layer(2, replace(layer, padding="same", stride=(3, 3))),
                         "same + stride 3")
    selection.select(layer=2)
    editor.out_channels.setValue(100)
    editor.out_channels.editingFinished.emit()
    assert document.design.layers[2].out_channels == 100
    assert editor.out_channels.value() == 100
    assert not document.analysis.valid                      # the stride problem is still shown
    document.undo_stack.undo()
    assert document.design.layers[2].out_channels == 128


def test_an_edit_too_large_for_memory_is_not_applied_and_the_field_says_why(qtbot, monkeypatch) -> None:
    from convdesigner.ui.panels.layer_editor import LayerEditorPanel
    from convdesigner.ui.state.selection import Selection
    document = DesignDocument(learner_design())
    monkeypatch.setenv("CONVDESIGNER_MEMORY_BUDGET", "80MiB")   # the learner's design fits, ×32 not
    selection = Selection(document)
    editor = LayerEditorPanel(document, selection)
    qtbot.addWidget(editor)
    selection.select(layer=2)
    steps = document.undo_stack.count()
    editor.out_channels.setValue(4096)                       # 64×4096×4×4 weights: over 64 MiB
    assert document.design.layers[2].out_channels == 128 and document.undo_stack.count() == steps
    assert editor.out_channels.value() == 128
    assert "Not applied" in editor.general_problems.text()


def test_a_stride_beyond_a_spin_box_is_shown_without_breaking_the_editor(qtbot) -> None:
    from convdesigner.ui.panels.layer_editor import LayerEditorPanel
    from convdesigner.ui.state.selection import Selection
    design = learner_design()
    design = design.with_layer(2, replace(design.layers[2], stride=(10**20, 10**20)))
    document = DesignDocument(design)
    selection = Selection(document)
    editor = LayerEditorPanel(document, selection)
    qtbot.addWidget(editor)
    selection.select(layer=2)
    assert editor.stride.pair() == (2**31 - 1, 2**31 - 1)
    assert "stride" in document.analysis.first_problem_text().__str__()


def test_an_edit_that_initialises_many_weights_does_it_off_the_gui_thread(qtbot, monkeypatch) -> None:
    """Issue 16.18: weight initialisation of a large edit runs on a worker thread; the result is
    the same parameters the document would have drawn itself."""
    from convdesigner.ui.panels import layer_editor as editor_module
    from convdesigner.ui.panels.layer_editor import LayerEditorPanel
    from convdesigner.ui.state.selection import Selection
    threads = []
    real = editor_module.carry_parameters

    def spy(design):
        threads.append(threading.current_thread())
        return real(design)

    monkeypatch.setattr(editor_module, "BUSY_INIT_VALUES", 10_000)   # layer 2 at 200 kernels: 204,800
    monkeypatch.setattr(editor_module, "carry_parameters", spy)
    document = DesignDocument(learner_design())
    reference = DesignDocument(learner_design())
    selection = Selection(document)
    editor = LayerEditorPanel(document, selection)
    qtbot.addWidget(editor)
    selection.select(layer=2)
    editor.out_channels.setValue(200)
    assert threads and threads[0] is not threading.main_thread()
    assert document.design.layers[2].out_channels == 200
    reference.edit_design(reference.design.with_layer(2, replace(reference.design.layers[2],
                                                                  out_channels=200)), "same")
    np.testing.assert_array_equal(document.design.layers[2].weight, reference.design.layers[2].weight)
    document.undo_stack.undo()
    assert document.design.layers[2].out_channels == 128
