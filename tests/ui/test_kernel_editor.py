"""The kernel editor: every edit is one undo step through the document, undo is exact to the bit,
and refreshing never pushes anything."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from convdesigner.compute.weights import default_init_values
from convdesigner.design import Conv2d, Design, InputSpec
from convdesigner.design.numbers import parse_value
from convdesigner.design.presets import PYTORCH_INIT, identity, laplacian, sobel_x, sobel_y
from convdesigner.ui.panels.kernel_editor import KernelEditor
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import Selection

LAYER, KERNEL, SUB = 2, 17, 3


@pytest.fixture
def selection(document) -> Selection:
    selection = Selection(document)
    selection.select(layer=LAYER, out_channel=KERNEL, sub_kernel=SUB)
    return selection


@pytest.fixture
def editor(qtbot, document, selection) -> KernelEditor:
    widget = KernelEditor(document, selection)
    qtbot.addWidget(widget)
    widget.resize(360, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def weight(document: DesignDocument) -> np.ndarray:
    return document.design.layers[LAYER].weight


def bias(document: DesignDocument) -> np.ndarray:
    return document.design.layers[LAYER].bias_values


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_it_shows_the_selected_sub_kernel(editor, document) -> None:
    values = weight(document)[KERNEL, SUB]
    assert editor.table.rowCount() == 4 and editor.table.columnCount() == 4
    for row in range(4):
        for column in range(4):
            assert editor.table.item(row, column).data(Qt.UserRole) == float(values[row, column])
    assert "kernel 17" in editor.header.text() and "sub-kernel 3" in editor.header.text()
    assert np.float32(parse_value(editor.bias_edit.text())) == bias(document)[KERNEL]
    assert editor.kernel_spin.value() == KERNEL and editor.sub_kernel_spin.value() == SUB
    assert editor.scope_combo.itemText(1) == "this kernel (all 64 sub-kernels)"


def test_editing_a_cell_in_the_grid_is_one_undo_step(editor, document, qtbot) -> None:
    before = document.design
    table = editor.table
    table.setCurrentCell(1, 2)
    table.editItem(table.item(1, 2))
    line = table.viewport().findChild(QLineEdit)
    assert line is not None
    line.setText("0.5")
    qtbot.keyClick(line, Qt.Key_Return)
    qtbot.waitUntil(lambda: document.undo_stack.count() == 1)   # the view commits queued
    assert document.undo_stack.undoText() == "Set weight [2][17, 3, 1, 2] to 0.5"
    changed = weight(document)
    assert changed[KERNEL, SUB, 1, 2] == np.float32(0.5)
    mask = changed.view(np.uint32) != before.layers[LAYER].weight.view(np.uint32)
    assert np.count_nonzero(mask) == 1
    assert table.item(1, 2).data(Qt.UserRole) == 0.5          # the grid follows the document
    document.undo_stack.undo()
    assert document.design.same_parameters(before)
    assert table.item(1, 2).data(Qt.UserRole) == float(before.layers[LAYER].weight[KERNEL, SUB, 1, 2])


def test_committing_an_unchanged_or_invalid_cell_pushes_nothing(editor, document) -> None:
    exact = str(weight(document)[KERNEL, SUB, 0, 0])
    editor.commit_cell(0, 0, exact)
    editor.commit_cell(0, 0, "banana")
    assert document.undo_stack.count() == 0
    assert "not a number" in editor.message.text()
    editor.commit_cell(0, 0, "1e39")        # beyond float32
    assert document.undo_stack.count() == 0
    assert "too large for a float32 weight" in editor.message.text()
    assert editor.table.item(0, 0).data(Qt.UserRole) == float(weight(document)[KERNEL, SUB, 0, 0])


def test_a_layer_without_bias_offers_no_bias_edit(qtbot, qapp) -> None:
    document = DesignDocument(Design(InputSpec(1, 8, 8), (Conv2d(1, 2, 3, bias=False),)))
    selection = Selection(document)
    selection.select(layer=0)
    editor = KernelEditor(document, selection)
    qtbot.addWidget(editor)
    assert not editor.bias_edit.isEnabled() and not editor.bias_check.isEnabled()
    editor.commit_bias("1.0")
    assert document.undo_stack.count() == 0


def test_the_bias_is_editable(editor, document, qtbot) -> None:
    before = document.design
    editor.bias_edit.setFocus()
    editor.bias_edit.selectAll()
    qtbot.keyClicks(editor.bias_edit, "-0.25")
    qtbot.keyClick(editor.bias_edit, Qt.Key_Return)
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Set bias [2][17] to -0.25"
    assert bias(document)[KERNEL] == np.float32(-0.25)
    assert same(weight(document), before.layers[LAYER].weight)
    document.undo_stack.undo()
    assert document.design.same_parameters(before)


def stroke(qtbot, editor: KernelEditor, cells: list[tuple[int, int]], button=Qt.LeftButton) -> None:
    area = editor.paint_area
    qtbot.mousePress(area, button, pos=area.cell_centre(*cells[0]))
    for cell in cells[1:]:
        qtbot.mouseMove(area, pos=area.cell_centre(*cell))
    qtbot.mouseRelease(area, button, pos=area.cell_centre(*cells[-1]))


def test_a_paint_stroke_is_one_undo_step_and_updates_live(editor, document, qtbot) -> None:
    before = document.design
    editor.step_spin.setValue(0.5)
    seen: list[np.ndarray] = []
    document.designChanged.connect(lambda: seen.append(np.array(weight(document)[KERNEL, SUB])))
    # (0, 0) → (0, 3) passes (0, 1) and (0, 2) too; going back over them adds nothing twice.
    stroke(qtbot, editor, [(0, 0), (0, 3), (2, 3), (0, 3), (0, 0)])
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Paint sub-kernel 3 of kernel 17 of layer 2"
    old = before.layers[LAYER].weight[KERNEL, SUB]
    expected = np.array(old)
    for cell in [(0, 0), (0, 1), (0, 2), (0, 3), (1, 3), (2, 3)]:
        expected[cell] = np.float32(expected[cell] + np.float32(0.5))
    assert same(weight(document)[KERNEL, SUB], expected)
    assert len(seen) == 6                    # every view saw each cell as it was painted
    assert same(seen[0][0, 0:1], expected[0, 0:1]) and same(seen[0][0, 1:], old[0, 1:])
    untouched = np.ones(weight(document).shape, bool)
    untouched[KERNEL, SUB] = False
    assert same(weight(document)[untouched], before.layers[LAYER].weight[untouched])
    assert same(editor.paint_area._values, expected)
    document.undo_stack.undo()
    assert document.design.same_parameters(before)
    document.undo_stack.redo()
    assert same(weight(document)[KERNEL, SUB], expected)


def test_the_right_button_subtracts_and_each_stroke_is_its_own_step(editor, document, qtbot) -> None:
    before = document.design
    editor.step_spin.setValue(0.25)
    stroke(qtbot, editor, [(1, 1)], Qt.RightButton)
    stroke(qtbot, editor, [(3, 0), (3, 1)])
    assert document.undo_stack.count() == 2
    old = before.layers[LAYER].weight[KERNEL, SUB]
    assert weight(document)[KERNEL, SUB, 1, 1] == np.float32(old[1, 1] - np.float32(0.25))
    assert weight(document)[KERNEL, SUB, 3, 1] == np.float32(old[3, 1] + np.float32(0.25))
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.design.same_parameters(before)


def test_a_stroke_outside_the_grid_pushes_nothing(editor, document, qtbot) -> None:
    area = editor.paint_area
    qtbot.mousePress(area, Qt.LeftButton, pos=QPoint(1, 1))
    qtbot.mouseRelease(area, Qt.LeftButton, pos=QPoint(1, 1))
    assert area.cell_at(QPoint(1, 1)) is None
    assert document.undo_stack.count() == 0


@pytest.mark.parametrize("scope, index", [("sub_kernel", 0), ("kernel", 1), ("layer", 2)])
def test_apply_a_preset_to_each_scope(editor, document, scope, index) -> None:
    # 4×4 kernels: Sharpen (it needs a centre cell) is refused with a message, identity works.
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("sharpen"))
    assert not editor.apply_button.isEnabled()
    assert editor.message.text() == ("Sharpen is not available for 4×4 kernels "
                                     "(it needs an odd size: 3×3, 5×5, …)")
    editor.apply_preset()
    assert document.undo_stack.count() == 0
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("identity"))
    assert editor.apply_button.isEnabled() and editor.message.text() == ""
    editor.scope_combo.setCurrentIndex(index)
    assert editor.scope_combo.currentData() == scope
    before = document.design
    old = before.layers[LAYER].weight
    editor.apply_button.click()
    assert document.undo_stack.count() == 1
    new = weight(document)
    region = np.zeros(old.shape, bool)
    if scope == "sub_kernel":
        region[KERNEL, SUB] = True
        assert document.undo_stack.undoText() == "Apply Identity to sub-kernel 3 of kernel 17 of layer 2"
    elif scope == "kernel":
        region[KERNEL] = True
        assert document.undo_stack.undoText() == "Apply Identity to kernel 17 of layer 2"
    else:
        region[...] = True
        assert document.undo_stack.undoText() == "Apply Identity to every kernel of layer 2"
    assert np.all(new[region].reshape(-1, 4, 4) == identity(4, 4))
    assert same(new[~region], old[~region])
    assert same(bias(document), before.layers[LAYER].bias_values)
    assert same(document.design.layers[0].weight, before.layers[0].weight)
    document.undo_stack.undo()
    assert document.design.same_parameters(before)


def test_gabor_uses_the_orientation_and_a_sobel_fits_3x3(qtbot, qapp) -> None:
    document = DesignDocument(Design(InputSpec(1, 28, 28), (Conv2d(1, 8, 3, padding=1),)))
    selection = Selection(document)
    selection.select(layer=0, out_channel=5, sub_kernel=0)
    editor = KernelEditor(document, selection)
    qtbot.addWidget(editor)
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("sobel_x"))
    assert editor.apply_button.isEnabled() and editor.message.text() == ""
    editor.apply_preset()
    assert same(document.design.layers[0].weight[5, 0], sobel_x(3, 3))
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("gabor"))
    assert not editor.theta_spin.isHidden() and editor.seed_spin.isHidden()
    editor.theta_spin.setValue(45.0)
    editor.apply_preset()
    assert document.undo_stack.undoText() == "Apply Gabor θ=45° to sub-kernel 0 of kernel 5 of layer 0"
    from convdesigner.design.presets import gabor
    assert same(document.design.layers[0].weight[5, 0], gabor(3, 3, theta=45.0))


def test_pytorch_default_init_with_a_seed_and_the_bias(editor, document) -> None:
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData(PYTORCH_INIT))
    assert not editor.seed_spin.isHidden() and editor.theta_spin.isHidden()
    editor.seed_spin.setValue(7)
    editor.scope_combo.setCurrentIndex(1)          # this kernel
    editor.bias_check.setChecked(True)
    before = document.design
    editor.apply_preset()
    layer = before.layers[LAYER]
    fresh_weight, fresh_bias = default_init_values(layer.without_parameters(), 7)
    assert document.undo_stack.undoText() == "Apply PyTorch default init (seed 7) to kernel 17 of layer 2"
    assert same(weight(document)[KERNEL], fresh_weight[KERNEL])
    assert same(weight(document)[:KERNEL], layer.weight[:KERNEL])
    assert bias(document)[KERNEL] == fresh_bias[KERNEL]
    others = np.arange(128) != KERNEL
    assert same(bias(document)[others], layer.bias_values[others])


def test_zero_and_restore_round_trip_bit_for_bit(editor, document) -> None:
    before = document.design
    assert editor.zero_button.isEnabled() and not editor.restore_button.isEnabled()
    editor.zero_button.click()
    assert np.all(weight(document)[KERNEL, SUB] == 0)
    assert document.undo_stack.undoText() == ("Zero sub-kernel 3 of kernel 17 of layer 2 "
                                              "(input channel 3)")
    assert not editor.zero_button.isEnabled() and editor.restore_button.isEnabled()
    # Looking elsewhere and coming back keeps what Restore will bring back.
    editor._selection.select(out_channel=3)
    assert not editor.restore_button.isEnabled()
    editor._selection.select(out_channel=KERNEL)
    assert editor.restore_button.isEnabled()
    editor.restore_button.click()
    assert document.undo_stack.count() == 2
    assert document.undo_stack.undoText() == "Restore sub-kernel 3 of kernel 17 of layer 2"
    assert document.design.same_parameters(before)
    assert not editor.restore_button.isEnabled()
    document.undo_stack.undo()          # back to zeros: Restore is offered again
    assert editor.restore_button.isEnabled()
    document.undo_stack.undo()
    assert document.design.same_parameters(before)
    # The restore data lives in the document's undo history, not in the widget.
    assert not hasattr(editor, "_zeroed")
    assert not editor.restore_button.isEnabled() and editor.zero_button.isEnabled()
    document.undo_stack.redo()          # zeroed again by redo: Restore brings the values back
    assert editor.restore_button.isEnabled()
    editor.restore_button.click()
    assert document.design.same_parameters(before)


def test_refreshing_pushes_nothing(editor, document, selection, qtbot) -> None:
    editor.refresh()
    selection.select(out_channel=100, sub_kernel=60)
    assert editor.table.item(0, 0).data(Qt.UserRole) == float(weight(document)[100, 60, 0, 0])
    selection.select(layer=0)
    selection.select(layer=2, out_channel=1, sub_kernel=0)
    document.edit_design(document.design.with_layer(0, Conv2d(1, 64, 4, 2, 1, bias=False)), "No bias")
    document.undo_stack.undo()
    document.undo_stack.redo()
    assert document.undo_stack.count() == 1 and document.undo_stack.index() == 1
    # The spin boxes follow the selection and drive it (without an undo step).
    editor.kernel_spin.setValue(9)
    assert selection.out_channel == 9
    assert document.undo_stack.count() == 1


def test_a_layer_without_kernels_shows_a_message(editor, selection) -> None:
    selection.select(layer=1)
    assert editor.pages.currentWidget() is editor.notice
    assert "LeakyReLU" in editor.notice.text() and "Conv2d" in editor.notice.text()
    selection.select(layer=-1)
    assert "Select a Conv2d layer" in editor.notice.text()
    selection.select(layer=2)
    assert editor.pages.currentIndex() == 0


def test_every_control_has_a_tooltip(editor) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox
    controls = editor.findChildren(QAbstractButton) + editor.findChildren(QAbstractSpinBox) \
        + editor.findChildren(QComboBox) + [editor.table, editor.paint_area, editor.bias_edit]
    for control in controls:
        if control.parent() is editor.table or control.objectName().startswith("qt_"):
            continue
        assert control.toolTip(), control


def test_cells_are_coloured_like_the_kernel_mosaics(editor, document) -> None:
    from convdesigner.ui.views.colors import diverging_qcolor, diverging_scale
    values = weight(document)[KERNEL, SUB]
    levels = diverging_scale(values).levels
    for row, column in ((0, 0), (1, 2), (3, 3)):
        expected = diverging_qcolor(values[row, column], levels)
        assert editor.table.item(row, column).background().color() == expected


def test_a_quick_drag_enters_every_cell_between_two_samples() -> None:
    from convdesigner.ui.widgets.kernel_paint import cells_on_line
    assert cells_on_line((0, 0), (0, 3)) == [(0, 0), (0, 1), (0, 2), (0, 3)]
    assert cells_on_line((3, 3), (0, 0)) == [(3, 3), (2, 2), (1, 1), (0, 0)]
    line = cells_on_line((0, 0), (1, 4))
    assert line[0] == (0, 0) and line[-1] == (1, 4) and len(line) == 5


def test_the_paint_step_follows_the_layers_weight_scale(qtbot) -> None:
    from convdesigner.compute.weights import materialize
    from convdesigner.design.examples import learner_design
    from convdesigner.ui.panels.kernel_editor import KernelEditor, paint_step_for
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.selection import Selection

    assert paint_step_for(0.035) == 0.005 and paint_step_for(0.5) == 0.05
    assert paint_step_for(0.0) == 0.05
    document = DesignDocument(materialize(learner_design()))
    selection = Selection(document)
    editor = KernelEditor(document, selection)
    qtbot.addWidget(editor)
    selection.select(layer=2, out_channel=0, sub_kernel=0)
    largest = float(np.abs(document.design.layers[2].weight).max())     # ~0.031
    assert editor.step_spin.value() == paint_step_for(largest) < largest / 2
    editor.step_spin.setValue(0.01)                                       # the user's own step
    selection.select(out_channel=3)
    assert editor.step_spin.value() == 0.01
    selection.select(layer=0, out_channel=0, sub_kernel=0)                 # ±0.25: another scale
    assert editor.step_spin.value() == paint_step_for(float(np.abs(document.design.layers[0].weight).max()))


@pytest.mark.parametrize("key, function", [("sobel_x", sobel_x), ("sobel_y", sobel_y),
                                           ("laplacian", laplacian)])
def test_the_edge_presets_fill_the_opening_designs_4x4_kernels(editor, document, key, function) -> None:
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData(key))
    assert editor.apply_button.isEnabled() and editor.message.text() == ""
    editor.scope_combo.setCurrentIndex(editor.scope_combo.findData("sub_kernel"))
    editor.apply_button.click()
    assert document.undo_stack.count() == 1
    expected = function(4, 4)
    assert same(weight(document)[KERNEL, SUB], expected)
    shown = np.array([[editor.table.item(row, column).data(Qt.UserRole) for column in range(4)]
                      for row in range(4)], dtype=np.float32)
    np.testing.assert_array_equal(shown, expected)           # what the editor shows is applied
