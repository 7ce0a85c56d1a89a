"""The generator's layers in the app: layer settings, the stack, the diagram, the tab "How a
transposed convolution is made" (its numbers equal the map the engine computed), the checkerboard
tab, the random normal input and the generator lessons."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")
torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from convdesigner.data.noise import normal_input  # noqa: E402
from convdesigner.design import (  # noqa: E402
    BatchNorm2d,
    ConvTranspose2d,
    Design,
    InputSpec,
    ReLU,
    Tanh,
    Upsample,
)
from convdesigner.design.checkerboard import overlap_counts  # noqa: E402
from convdesigner.design.lessons import lesson_by_key  # noqa: E402
from convdesigner.ui.diagram.view import ArchitectureDiagram  # noqa: E402
from convdesigner.ui.main_window import MainWindow  # noqa: E402
from convdesigner.ui.panels.canvas import InputPanel  # noqa: E402
from convdesigner.ui.panels.generator_fields import NumberField  # noqa: E402
from convdesigner.ui.panels.layer_editor import LayerEditorPanel  # noqa: E402
from convdesigner.ui.panels.layer_stack import LayerStackPanel  # noqa: E402
from convdesigner.ui.state.document import DesignDocument  # noqa: E402
from convdesigner.ui.state.settings import AppSettings  # noqa: E402
from convdesigner.ui.widgets.number_fields import PairEditor  # noqa: E402

GENERATOR = Design(InputSpec(128, 7, 7), (ConvTranspose2d(128, 64, 4, 2, 1), BatchNorm2d(64), ReLU(),
                                          ConvTranspose2d(64, 1, 3, 2, 1), Tanh(), Upsample(2.0)))


@pytest.fixture
def document(qapp) -> DesignDocument:
    return DesignDocument(GENERATOR, normal_input((128, 7, 7), 0))


def test_layer_settings_edit_every_argument(qtbot, document, selection) -> None:
    editor = LayerEditorPanel(document, selection)
    qtbot.addWidget(editor)
    selection.select(layer=3)
    stride = editor.field_widgets[("ConvTranspose2d", "output_padding")]
    assert isinstance(stride, PairEditor)
    stride.first.setValue(2)    # square: both become 2, and 2 is not smaller than stride 2
    assert document.design.layers[3].output_padding == (2, 2)
    message = editor.error_labels[("ConvTranspose2d", "output_padding")].text()
    assert "output_padding must be smaller than stride or dilation" in message
    assert "output_padding is 2, stride 2 and dilation 1" in message
    document.undo_stack.undo()
    assert document.design.layers[3].output_padding == (0, 0)

    selection.select(layer=1)
    eps = editor.field_widgets[("BatchNorm2d", "eps")]
    assert isinstance(eps, NumberField) and eps.text() == "1e-05"
    eps.setText("1e-3")
    eps.editingFinished.emit()
    assert document.design.layers[1].eps == 0.001
    assert editor.repr_label.full_text() == str(nn.BatchNorm2d(64, eps=1e-3))

    selection.select(layer=5)
    scale = editor.field_widgets[("Upsample", "scale_factor")]
    scale.setText("2, 1.5")
    scale.editingFinished.emit()
    assert document.design.layers[5] == Upsample((2.0, 1.5))
    assert editor.repr_label.full_text() == str(nn.Upsample(scale_factor=(2, 1.5)))
    assert "(13 − 1)·2" not in editor.formula_label.full_text()
    assert "⌊27 × 1.5⌋" in editor.formula_label.full_text()


def test_the_stack_prints_what_pytorch_prints(qtbot, document, selection) -> None:
    stack = LayerStackPanel(document, selection)
    qtbot.addWidget(stack)
    torch.manual_seed(0)
    model = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                          nn.ConvTranspose2d(64, 1, 3, 2, 1), nn.Tanh(), nn.Upsample(scale_factor=2))
    for row, module in enumerate(model, start=1):
        text = " ".join(stack.model.index(row, 0).data().split())
        assert " ".join(str(module).split()) in text


def test_the_diagram_draws_boxes_for_the_layers_that_change_the_shape(qtbot, document, selection) -> None:
    diagram = ArchitectureDiagram(document, selection)
    qtbot.addWidget(diagram)
    diagram.resize(1200, 260)
    blocks = diagram.blocks()
    assert [block.shape for block in blocks[1:]] == [info.out_shape for info in document.analysis.layers]
    boxed = [block.box is not None for block in blocks[1:]]
    assert boxed == [True, False, False, True, False, True]   # BatchNorm and activations: markers


@pytest.fixture
def window(qtbot, tmp_path, document):
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda window: window.document.undo_stack.setClean())
    main.resize(1600, 1000)
    main.show()
    qtbot.waitUntil(lambda: main.live.idle and main.last_frame is not None, timeout=30000)
    yield main
    main.document.undo_stack.setClean()


def test_scatter_and_gather_views_add_up_to_the_map_and_a_pixel_to_its_value(window, qtbot) -> None:
    view = window.transposed_view
    window.views.setCurrentWidget(window.sum_view)
    window.selection.select(layer=3, out_channel=0)
    assert window.views.currentWidget() is view      # a ConvTranspose2d brings its own view forward
    qtbot.waitUntil(lambda: view.shown_for == (3, 0, None), timeout=20000)
    frame = view._shown_key[0]
    expected = frame.outputs[3][0]
    for made in (view.shown.scatter, view.shown.gather):
        assert np.array_equal(made.output, expected)
        np.testing.assert_allclose(made.maps.sum(axis=0) + made.bias, expected, rtol=1e-5, atol=1e-6)
    assert "scatter 0, gather 0" in view.check_label.text()
    view.set_mode("gather")
    assert any(tile.mask is not None for tile in view.canvas.tiles)    # zeros inserted, padding
    view.set_mode("scatter")
    counts = [tile for tile in view.canvas.tiles if tile.integer]
    assert counts and np.array_equal(counts[0].values, overlap_counts(GENERATOR.layers[3], 14, 14))

    window.selection.select(pixel=(5, 6))
    qtbot.waitUntil(lambda: view.shown_for == (3, 0, (5, 6)), timeout=20000)
    found = view.shown.pixel
    assert np.float32(found.total) == expected[5, 6]
    # Kernel 3, stride 2: output (5, 6) is reached along rows by 1 tap, along columns by 2.
    assert len(found.terms) == 64 * 1 * 2
    assert "= the value in the map" in view.explanation.toPlainText()
    # The input pixels and kernel taps that reach it are outlined on the rows drawn.
    marked = [tile for tile in view.canvas.tiles if tile.marks]
    assert marked and all(len(tile.marks) == 2 for tile in marked)


def test_the_checkerboard_tab_counts_the_stamps_and_says_why(window, qtbot) -> None:
    window.selection.select(layer=3)
    window.views.setCurrentWidget(window.checkerboard_view)
    view = window.checkerboard_view
    assert view.layer_index == 3
    assert np.array_equal(view.counts, overlap_counts(GENERATOR.layers[3], 14, 14))
    assert view.verdict_label.text().startswith("Checkerboard: kernel_size 3 is not divisible by stride 2")
    window.selection.select(layer=0)
    assert view.layer_index == 0 and view.verdict_label.text().startswith("Even overlap")


def test_random_normal_input_is_one_undo_step(qtbot, document) -> None:
    panel = InputPanel(document, None)
    qtbot.addWidget(panel)
    panel.random_normal(7)
    assert np.array_equal(document.image, normal_input((128, 7, 7), 7))
    assert document.undo_stack.text(document.undo_stack.index() - 1) == "Random normal input (seed 7)"


def test_the_generator_lesson_opens_on_its_own_input(qtbot) -> None:
    design = lesson_by_key("generator").build()
    document = DesignDocument(design)
    assert document.image.shape == (128, 7, 7)
    assert np.array_equal(document.image, design.input_values)


def test_a_channel_mismatch_has_a_one_click_fix(qtbot, document, selection) -> None:
    from convdesigner.ui.panels.generator_fields import fix_button
    editor = LayerEditorPanel(document, selection)
    qtbot.addWidget(editor)
    editor.show()
    selection.select(layer=0)
    out_channels = editor.field_widgets[("ConvTranspose2d", "out_channels")]
    out_channels.setValue(32)                  # BatchNorm2d(64) now gets 32 channels
    selection.select(layer=1)
    button = fix_button(editor, "BatchNorm2d", "num_features")
    assert button is not None and button.isVisible()
    assert button.text() == "num_features ← previous layer (32)"
    button.click()
    assert document.design.layers[1].num_features == 32
    assert not button.isVisible()
    assert document.undo_stack.text(document.undo_stack.index() - 1) == "Set num_features of layer 1 to 32"
