"""The layer stack and the layer editor: what they show, and that every action is one undo step.

Run with QT_QPA_PLATFORM=offscreen. The stack's lines are compared with what PyTorch itself prints.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")
torch = pytest.importorskip("torch")
from PySide6.QtCore import Qt  # noqa: E402
from torch import nn  # noqa: E402

from convdesigner.design import (  # noqa: E402
    AvgPool2d,
    Conv2d,
    Design,
    InputSpec,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
)
from convdesigner.design.catalog import LAYER_KINDS  # noqa: E402
from convdesigner.ui.panels.layer_editor import (  # noqa: E402
    LayerEditorPanel,
    formula_steps,
    show_value,
)
from convdesigner.ui.panels.layer_list import (  # noqa: E402
    ROLE_LAYER,
    ROLE_PROBLEMS,
    ROLE_SUMMARY,
    ROLE_UNKNOWN,
)
from convdesigner.ui.panels.layer_stack import LayerStackPanel, drop_destination  # noqa: E402
from convdesigner.ui.state.document import DesignDocument  # noqa: E402
from convdesigner.ui.state.selection import INPUT  # noqa: E402
from convdesigner.ui.widgets.number_fields import PairEditor, SpinBox  # noqa: E402

C0 = Conv2d(1, 64, 4, 2, 1)
LEAKY = LeakyReLU(0.2)
C2 = Conv2d(64, 128, 4, 2, 1)


MNIST_SPEC = InputSpec(1, 28, 28)


def make_document(layers=(C0, LEAKY, C2), spec=MNIST_SPEC) -> DesignDocument:
    return DesignDocument(Design(spec, tuple(layers)))


@pytest.fixture
def stack(qtbot, document, selection) -> LayerStackPanel:
    panel = LayerStackPanel(document, selection)
    qtbot.addWidget(panel)
    panel.resize(380, 500)
    return panel


@pytest.fixture
def editor(qtbot, document, selection) -> LayerEditorPanel:
    panel = LayerEditorPanel(document, selection)
    qtbot.addWidget(panel)
    panel.resize(380, 500)
    return panel


def row_text(panel: LayerStackPanel, row: int, role=Qt.ItemDataRole.DisplayRole):
    return panel.model.index(row, 0).data(role)


def shown_lines(panel: LayerStackPanel) -> list[str]:
    return [row_text(panel, row) for row in range(panel.model.rowCount())]


def layers_of(document: DesignDocument) -> tuple:
    return document.design.layers


def assert_one_step_and_undo(document: DesignDocument, before: Design, text: str) -> None:
    """Exactly one undo step named ``text`` was pushed, and undoing it restores ``before`` exactly."""
    stack = document.undo_stack
    assert stack.count() == 1
    assert stack.text(0) == text
    stack.undo()
    assert document.design == before
    assert document.design.same_parameters(before)


# -- the stack: what it shows ------------------------------------------------------------------------
def test_stack_lines_are_what_print_model_shows(stack) -> None:
    torch_layers = [nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1)]
    printed = str(nn.Sequential(*torch_layers))
    lines = shown_lines(stack)
    assert lines[0] == "Input 1 × 28 × 28"
    for index, module in enumerate(torch_layers):
        assert lines[index + 1] == f"[{index}] {module}"
        assert f"({index}): {module}" in printed
    assert row_text(stack, 1, ROLE_SUMMARY) == "→ 64 × 14 × 14 · 1,088 parameters"
    assert row_text(stack, 2, ROLE_SUMMARY) == "→ 64 × 14 × 14 · no parameters"
    assert row_text(stack, 3, ROLE_SUMMARY) == "→ 128 × 7 × 7 · 131,200 parameters"
    assert "132,288 parameters" in stack.total_label.text()
    assert f"{200704 + 6422528:,} MACs" in stack.total_label.text()
    assert "128 × 7 × 7" in stack.total_label.text()
    assert stack.problems_label.isHidden()


def test_stack_shows_every_kind_and_argument_as_torch_prints_it(qtbot, selection) -> None:
    pairs = [
        (Conv2d(3, 6, (3, 5), stride=1, padding="same", dilation=(2, 1), groups=3, bias=False,
                padding_mode="reflect"),
         nn.Conv2d(3, 6, (3, 5), stride=1, padding="same", dilation=(2, 1), groups=3, bias=False,
                   padding_mode="reflect")),
        (Conv2d(6, 6, 3, stride=(1, 2), padding=(0, 2)), nn.Conv2d(6, 6, 3, stride=(1, 2), padding=(0, 2))),
        (Conv2d(6, 6, 3, padding="valid"), nn.Conv2d(6, 6, 3, padding="valid")),
        (ReLU(), nn.ReLU()), (Sigmoid(), nn.Sigmoid()), (Tanh(), nn.Tanh()),
        (LeakyReLU(), nn.LeakyReLU()),
        (MaxPool2d(2), nn.MaxPool2d(2)),
        (AvgPool2d((2, 3), stride=1, padding=1), nn.AvgPool2d((2, 3), stride=1, padding=1)),
    ]
    document = make_document([layer for layer, _ in pairs], InputSpec(3, 32, 32))
    panel = LayerStackPanel(document, selection)
    qtbot.addWidget(panel)
    for index, (_, module) in enumerate(pairs):
        assert row_text(panel, index + 1) == f"[{index}] {module}"


def test_stack_updates_after_edits_and_undo(stack, document) -> None:
    document.edit_design(document.design.with_layer(1, LeakyReLU(0.1)), "Set negative_slope")
    assert row_text(stack, 2) == f"[1] {nn.LeakyReLU(0.1)}"
    document.edit_design(document.design.with_input(InputSpec(3, 32, 32)), "input")
    assert row_text(stack, 0) == "Input 3 × 32 × 32"
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert shown_lines(stack)[:3] == ["Input 1 × 28 × 28", f"[0] {nn.Conv2d(1, 64, 4, 2, 1)}",
                                      f"[1] {nn.LeakyReLU(0.2)}"]


def test_invalid_layers_show_their_message_and_later_shapes_are_unknown(qtbot, selection) -> None:
    document = make_document([C0, Conv2d(64, 8, 20), ReLU()])
    panel = LayerStackPanel(document, selection)
    qtbot.addWidget(panel)
    problems = row_text(panel, 2, ROLE_PROBLEMS)
    assert problems and "output would be 0×0" in problems[0]
    assert problems[0] in row_text(panel, 2, Qt.ItemDataRole.ToolTipRole)
    assert row_text(panel, 2, ROLE_UNKNOWN)
    assert row_text(panel, 3, ROLE_UNKNOWN)
    assert "unknown" in row_text(panel, 3, ROLE_SUMMARY)
    assert not row_text(panel, 3, ROLE_PROBLEMS)
    assert not panel.problems_label.isHidden()
    assert "unknown" in panel.total_label.text()


# -- the stack: actions, each one undo step ------------------------------------------------------------
def test_add_puts_a_fitting_layer_below_the_selection(stack, document, selection) -> None:
    before = document.design
    selection.select(layer=2)
    stack.add_layer("Conv2d")
    assert layers_of(document) == (C0, LEAKY, C2, Conv2d(128, 128, 3, 1, 1))
    assert selection.layer == 3
    assert stack.view.currentIndex().row() == 4
    assert_one_step_and_undo(document, before, "Add Conv2d as layer 3")
    assert selection.layer == 2


def test_add_menu_offers_the_seven_kinds_with_defaults(stack, document, selection) -> None:
    texts = [action.text() for action in stack.add_menu.actions()]
    assert tuple(texts) == LAYER_KINDS
    selection.select(layer=0)
    pool = next(a for a in stack.add_menu.actions() if a.text() == "MaxPool2d")
    pool.trigger()
    assert layers_of(document)[1] == MaxPool2d(2)
    assert document.undo_stack.text(0) == "Add MaxPool2d as layer 1"
    selection.select(layer=INPUT)
    stack.add_layer("Conv2d")      # below the input: takes the input's channels
    assert layers_of(document)[0] == Conv2d(1, 1, 3, 1, 1)
    assert document.undo_stack.count() == 2


def test_insert_above(stack, document, selection) -> None:
    before = document.design
    selection.select(layer=1)
    next(a for a in stack.insert_menu.actions() if a.text() == "Conv2d").trigger()
    assert layers_of(document) == (C0, Conv2d(64, 64, 3, 1, 1), LEAKY, C2)
    assert selection.layer == 1
    assert_one_step_and_undo(document, before, "Insert Conv2d as layer 1")


def test_remove(stack, document, selection) -> None:
    before = document.design
    selection.select(layer=1)
    stack.remove_action.trigger()
    assert layers_of(document) == (C0, C2)
    assert selection.layer == 1
    assert_one_step_and_undo(document, before, "Remove layer 1 (LeakyReLU)")


def test_remove_the_last_layer_selects_the_one_above(stack, document, selection) -> None:
    selection.select(layer=2)
    stack.remove_action.trigger()
    assert selection.layer == 1
    assert stack.view.currentIndex().row() == 2


def test_duplicate(stack, document, selection) -> None:
    before = document.design
    selection.select(layer=1)
    stack.duplicate_action.trigger()
    assert layers_of(document) == (C0, LEAKY, LEAKY, C2)
    assert selection.layer == 2
    assert_one_step_and_undo(document, before, "Duplicate layer 1 (LeakyReLU)")


def test_duplicate_a_conv_keeps_its_weights(stack, document, selection) -> None:
    selection.select(layer=2)
    stack.duplicate_action.trigger()
    original, copy = layers_of(document)[2], layers_of(document)[3]
    assert copy == original and copy.same_parameters(original)


@pytest.mark.parametrize("step, expected, selected, text", [
    (-1, (C0, C2, LEAKY), 1, "Move layer 2 up"),
    (+1, (C0, LEAKY, C2), 2, None),   # already last: nothing happens
])
def test_move_up_and_down(stack, document, selection, step, expected, selected, text) -> None:
    before = document.design
    selection.select(layer=2)
    (stack.move_up_action if step < 0 else stack.move_down_action).trigger()
    assert layers_of(document) == expected
    assert selection.layer == selected
    if text is None:
        assert document.undo_stack.count() == 0
    else:
        assert_one_step_and_undo(document, before, text)


def test_move_down(stack, document, selection) -> None:
    before = document.design
    selection.select(layer=0)
    stack.move_down_action.trigger()
    assert layers_of(document) == (LEAKY, C0, C2)
    assert selection.layer == 1
    assert_one_step_and_undo(document, before, "Move layer 0 down")


def test_actions_follow_what_is_selected(stack, selection) -> None:
    selection.select(layer=INPUT)
    assert not stack.remove_action.isEnabled() and not stack.move_up_action.isEnabled()
    selection.select(layer=0)
    assert stack.remove_action.isEnabled() and not stack.move_up_action.isEnabled()
    assert stack.move_down_action.isEnabled()
    selection.select(layer=2)
    assert stack.move_up_action.isEnabled() and not stack.move_down_action.isEnabled()


@pytest.mark.parametrize("source, drop_row, expected", [
    (2, 1, 0),      # drop above layer 0
    (2, 0, 0),      # above the input still means "first"
    (0, 4, 2),      # below the last of three layers
    (0, 3, 1),      # between layers 1 and 2
    (1, 2, None),   # just above itself
    (1, 3, None),   # just below itself
])
def test_drop_destination(source, drop_row, expected) -> None:
    assert drop_destination(source, drop_row) == expected


def test_drag_and_drop_moves_in_one_step(stack, document, selection) -> None:
    before = document.design
    selection.select(layer=2)
    stack.view.rowDropped.emit(3, 1)         # drag row of layer 2 above the row of layer 0
    assert layers_of(document) == (C2, C0, LEAKY)
    assert selection.layer == 0
    assert_one_step_and_undo(document, before, "Move layer 2 to position 0")


def test_keyboard_shortcuts(qtbot, stack, document, selection) -> None:
    stack.show()
    qtbot.waitExposed(stack)
    stack.activateWindow()
    stack.view.setFocus()
    qtbot.waitUntil(lambda: stack.view.hasFocus())
    selection.select(layer=1)
    qtbot.keyClick(stack.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert layers_of(document) == (C0, LEAKY, LEAKY, C2)
    assert selection.layer == 2
    qtbot.keyClick(stack.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert layers_of(document) == (C0, LEAKY, C2, LEAKY)
    assert selection.layer == 3 and document.undo_stack.text(1) == "Move layer 2 down"
    qtbot.keyClick(stack.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert layers_of(document) == (C0, LEAKY, LEAKY, C2)
    assert selection.layer == 2 and document.undo_stack.text(2) == "Move layer 3 up"
    qtbot.keyClick(stack.view, Qt.Key.Key_Delete)
    assert layers_of(document) == (C0, LEAKY, C2)
    assert document.undo_stack.count() == 4
    assert document.undo_stack.text(3) == "Remove layer 2 (LeakyReLU)"


def test_selection_follows_both_ways(stack, selection) -> None:
    stack.view.setCurrentIndex(stack.model.index(2, 0))
    assert selection.layer == 1
    selection.select(layer=2)
    assert stack.view.currentIndex().row() == 3
    assert stack.view.currentIndex().data(ROLE_LAYER) == 2
    selection.select(layer=INPUT)
    assert stack.view.currentIndex().row() == 0


def test_undo_elsewhere_keeps_the_selection_inside_the_design(stack, document, selection) -> None:
    selection.select(layer=2)
    stack.add_layer("ReLU")
    assert selection.layer == 3
    document.undo_stack.undo()
    assert selection.layer == 2
    assert stack.view.currentIndex().row() == 3


# -- the editor ------------------------------------------------------------------------------------------
def test_editor_shows_the_selected_layer(editor, selection) -> None:
    selection.select(layer=2)
    assert editor.in_channels.value() == 64 and editor.out_channels.value() == 128
    assert editor.kernel_size.pair() == (4, 4) and editor.stride.pair() == (2, 2)
    assert editor.padding.pair() == (1, 1) and editor.padding_kind.currentData() == "number"
    assert editor.bias.isChecked() and editor.padding_mode.currentData() == "zeros"
    assert editor.repr_label.full_text() == str(nn.Conv2d(64, 128, 4, 2, 1))
    assert editor.formula_label.full_text().splitlines()[-1].strip() == "= 7"
    assert "128 kernels × 64 sub-kernels of 4×4 = 131,072 weights + 128 biases" \
        in editor.parameters_label.text()
    assert editor.fix_button.isHidden()
    selection.select(layer=1)
    assert editor.negative_slope.value() == pytest.approx(0.2)
    assert editor.negative_slope.decimals() == 4
    selection.select(layer=INPUT)
    assert (editor.input_channels.value(), editor.input_height.value(), editor.input_width.value()) \
        == (1, 28, 28)


def test_every_field_has_a_tooltip_and_no_keyboard_tracking(editor) -> None:
    for key, widget in editor.field_widgets.items():
        if isinstance(widget, PairEditor):
            assert widget.first.toolTip() and widget.second.toolTip(), key
            assert not widget.first.keyboardTracking()
        else:
            assert widget.toolTip(), key
        if isinstance(widget, SpinBox):
            assert not widget.keyboardTracking(), key
    assert not editor.negative_slope.keyboardTracking()
    assert "each output channel then reads only the in_channels/groups inputs" \
        in editor.groups.toolTip()


def test_refreshing_never_edits(editor, stack, document, selection) -> None:
    for layer in (INPUT, 0, 1, 2, 1, INPUT, 2):
        selection.select(layer=layer)
        document.designChanged.emit()
        editor.refresh()
    assert document.undo_stack.count() == 0
    document.edit_design(document.design.with_layer(0, Conv2d(1, 64, (3, 5), 1, "same")), "x")
    selection.select(layer=0)
    selection.select(layer=2)
    selection.select(layer=0)
    assert document.undo_stack.count() == 1


def test_spin_edit_is_one_step_with_a_readable_name(editor, document, selection) -> None:
    before = document.design
    selection.select(layer=2)
    editor.stride.first.setValue(1)          # "square" is on: both change, one step
    assert layers_of(document)[2].stride == (1, 1)
    assert_one_step_and_undo(document, before, "Set stride of layer 2 to (1, 1)")
    assert editor.stride.pair() == (2, 2)


def test_pair_editor_without_square(editor, document, selection) -> None:
    selection.select(layer=0)
    editor.kernel_size.link.setChecked(False)
    editor.kernel_size.second.setValue(3)
    assert layers_of(document)[0].kernel_size == (4, 3)
    assert not editor.kernel_size.link.isChecked()
    editor.kernel_size.link.setChecked(True)           # squaring up is one more step
    assert layers_of(document)[0].kernel_size == (4, 4)
    assert document.undo_stack.count() == 2


def test_typing_without_finishing_pushes_nothing(qtbot, editor, document, selection) -> None:
    editor.show()
    qtbot.waitExposed(editor)
    selection.select(layer=2)
    spin = editor.out_channels
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "32")
    assert spin.text() == "32"
    assert document.undo_stack.count() == 0
    assert layers_of(document)[2].out_channels == 128
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert layers_of(document)[2].out_channels == 32
    assert document.undo_stack.count() == 1
    assert document.undo_stack.text(0) == "Set out_channels of layer 2 to 32"


def test_invalid_edit_is_kept_and_shown_next_to_the_field(editor, stack, document, selection) -> None:
    old = document.design
    selection.select(layer=2)
    editor.groups.setValue(3)
    assert layers_of(document)[2].groups == 3            # kept: the user may be mid-fix
    assert not document.analysis.valid
    assert document.last_valid_design == old and document.last_valid_design.same_parameters(old)
    message = "groups=3 must divide in_channels=64"
    groups_error = editor.error_labels[("Conv2d", "groups")]
    assert not groups_error.isHidden() and message in groups_error.text()
    assert message not in editor.general_problems.text()
    assert editor.error_labels[("Conv2d", "in_channels")].isHidden()
    assert any(message in text for text in row_text(stack, 3, ROLE_PROBLEMS))
    assert message in row_text(stack, 3, Qt.ItemDataRole.ToolTipRole)
    assert document.undo_stack.count() == 1
    assert document.undo_stack.text(0) == "Set groups of layer 2 to 3"
    editor.groups.setValue(2)                             # fixed: the message goes away
    assert groups_error.isHidden()
    assert document.analysis.valid and document.last_valid_design == document.design


def test_field_less_problems_go_to_the_general_area(editor, document, selection) -> None:
    selection.select(layer=2)
    editor.kernel_size.first.setValue(20)                 # collapses the 14×14 input
    assert "output would be 0×0" in editor.general_problems.text()
    assert not editor.general_problems.isHidden()
    assert "unknown" in editor.shape_label.text().lower()


def test_padding_modes(editor, document, selection) -> None:
    selection.select(layer=2)
    editor.padding_kind.setCurrentIndex(editor.padding_kind.findData("same"))
    assert layers_of(document)[2].padding == "same"
    assert document.undo_stack.text(0) == "Set padding of layer 2 to 'same'"
    padding_error = editor.error_labels[("Conv2d", "padding")]
    assert "padding='same' needs stride 1" in padding_error.text()
    assert not editor.padding.isEnabled()
    editor.padding_kind.setCurrentIndex(editor.padding_kind.findData("number"))
    assert layers_of(document)[2].padding == (1, 1)       # the amounts 'same' used (kernel 4: 1 before)
    editor.padding_mode.setCurrentIndex(editor.padding_mode.findData("circular"))
    editor.bias.setChecked(False)
    assert layers_of(document)[2] == Conv2d(64, 128, 4, 2, 1, bias=False, padding_mode="circular")
    assert document.undo_stack.count() == 4


def test_in_channels_fix_button(editor, document, selection) -> None:
    document.edit_design(document.design.with_layer(2, Conv2d(32, 128, 4, 2, 1)), "break it")
    selection.select(layer=2)
    assert not editor.fix_button.isHidden()
    assert editor.fix_button.text() == "in_channels ← previous layer (64)"
    assert "in_channels is 32 but layer 1 gives 64 channels" in \
        editor.error_labels[("Conv2d", "in_channels")].text()
    editor.fix_button.click()
    assert layers_of(document)[2] == C2
    assert document.analysis.valid
    assert document.undo_stack.count() == 2
    assert document.undo_stack.text(1) == "Set in_channels of layer 2 to 64"
    assert editor.fix_button.isHidden()


def test_in_channels_fix_from_the_input(editor, document, selection) -> None:
    document.edit_design(document.design.with_input(InputSpec(3, 28, 28)), "colour")
    selection.select(layer=0)
    assert editor.fix_button.text() == "in_channels ← input (3)"
    editor.fix_button.click()
    assert layers_of(document)[0].in_channels == 3


def test_leaky_relu_slope(editor, document, selection) -> None:
    selection.select(layer=1)
    editor.negative_slope.setValue(0.1234)
    assert layers_of(document)[1] == LeakyReLU(0.1234)
    assert document.undo_stack.text(0) == "Set negative_slope of layer 1 to 0.1234"


def test_pool_fields(editor, document, selection) -> None:
    document.edit_design(document.design.with_inserted(3, MaxPool2d(2)), "pool")
    selection.select(layer=3)
    assert editor.pool_stride_default.isChecked() and not editor.pool_stride.isEnabled()
    editor.pool_kernel.first.setValue(3)
    assert layers_of(document)[3] == MaxPool2d(3)              # square stays an int, as PyTorch prints
    editor.pool_stride_default.setChecked(False)
    assert layers_of(document)[3] == MaxPool2d(3, stride=3)
    editor.pool_stride.first.setValue(1)
    editor.pool_padding.first.setValue(1)
    assert layers_of(document)[3] == MaxPool2d(3, stride=1, padding=1)
    assert editor.repr_label.full_text() == str(nn.MaxPool2d(3, stride=1, padding=1))
    editor.pool_stride_default.setChecked(True)
    assert layers_of(document)[3].stride is None
    assert document.undo_stack.count() == 6


def test_input_fields(editor, stack, document, selection) -> None:
    selection.select(layer=INPUT)
    editor.input_channels.setValue(3)
    assert document.design.input == InputSpec(3, 28, 28)
    assert document.undo_stack.text(0) == "Set input channels to 3"
    assert row_text(stack, 0) == "Input 3 × 28 × 28"
    assert editor.input_channels.maximum() == 4096   # a generator starts from 128 channels
    editor.input_height.setValue(32)
    assert document.design.input == InputSpec(3, 32, 28)
    assert not editor.fix_button.isVisible()


def test_editor_handles_every_kind_without_crashing(qtbot, selection) -> None:
    layers = [Conv2d(1, 4, 3), ReLU(), Sigmoid(), Tanh(), AvgPool2d(2), Conv2d(4, 4, 30), ReLU()]
    document = make_document(layers)
    panel = LayerEditorPanel(document, selection)
    qtbot.addWidget(panel)
    for index in range(len(layers)):
        selection.select(layer=index)
        assert panel.title_label.text().startswith(f"Layer {index}")
    assert "unknown" in panel.shape_label.text().lower()
    selection.select(layer=99)        # stale selection: shows nothing, raises nothing
    assert document.undo_stack.count() == 0


def test_formula_steps_and_values() -> None:
    steps = formula_steps("H_out = W_out = ⌊(a) / s⌋ + 1 = ⌊26 / 2⌋ + 1 = 14")
    assert steps == ["H_out = W_out", "  = ⌊(a) / s⌋ + 1", "  = ⌊26 / 2⌋ + 1", "  = 14"]
    assert formula_steps("element-wise: the shape does not change") == \
        ["element-wise: the shape does not change"]
    assert show_value((1, 2)) == "(1, 2)" and show_value("same") == "'same'" and show_value(None) == "None"


def test_the_mouse_wheel_does_not_edit_a_field_without_focus(qtbot, editor, document, selection) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    selection.select(layer=2)
    spin = editor.groups
    assert not spin.hasFocus()
    wheel = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(spin, wheel)
    assert spin.value() == 1
    assert document.undo_stack.count() == 0


def test_the_stack_and_the_diagram_make_the_same_edits_with_the_same_undo_text(qtbot, document,
                                                                               selection, stack) -> None:
    from convdesigner.ui.diagram.view import ArchitectureDiagram
    diagram = ArchitectureDiagram(document, selection)
    qtbot.addWidget(diagram)
    texts = {}
    for name, owner in (("stack", stack), ("diagram", diagram)):
        owner.move_layer(0, 1)
        moved = document.undo_stack.undoText()
        if owner is stack:
            owner.insert_layer("ReLU", 2)
        else:
            owner.insert_layer(2, "ReLU")
        texts[name] = (moved, document.undo_stack.undoText(), selection.layer)
        document.undo_stack.undo()
        document.undo_stack.undo()
    assert texts["stack"] == texts["diagram"] == ("Move layer 0 down", "Insert ReLU as layer 2", 2)
