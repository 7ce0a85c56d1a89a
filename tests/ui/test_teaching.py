"""Teaching tools in the app: the code export dialog, figures, importing weights, the lessons menu
and panel, and the input grid. Every file dialog and message box is patched; nothing sleeps."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pickle
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QLineEdit, QMenu, QMessageBox, QWidget

from convdesigner.compute.engine import run
from convdesigner.compute.export import MAX_INLINE_VALUES, generate_code
from convdesigner.data.mnist import bundled_digit
from convdesigner.design.examples import learner_design
from convdesigner.design.lessons import LESSONS, lesson_by_key, worked_example
from convdesigner.design.numbers import format_compact as format_value
from convdesigner.design.numbers import parse_value
from convdesigner.errors import ConvDesignerError
from convdesigner.ui.dialogs import import_weights as import_dialog
from convdesigner.ui.dialogs.export import ExportCodeDialog, code_design
from convdesigner.ui.dialogs.figure import export_figure, export_view_image
from convdesigner.ui.panels.input_grid import InputGridEditor
from convdesigner.ui.panels.lessons import (
    LessonPanel,
    build_lessons_menu,
    explanation_html,
    open_lesson_in,
)
from convdesigner.ui.state.document import DesignDocument


@pytest.fixture
def worked_document(qapp) -> DesignDocument:
    return DesignDocument(worked_example())


@pytest.fixture
def learner_document(qapp) -> DesignDocument:
    return DesignDocument(learner_design())


def make_dialog(qtbot, document: DesignDocument) -> ExportCodeDialog:
    dialog = ExportCodeDialog(document)
    qtbot.addWidget(dialog)
    return dialog


def patch_save_dialog(monkeypatch, path: Path | str, chosen_filter: str = "") -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), chosen_filter)))


def patch_open_dialog(monkeypatch, path: Path | str) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))


class MessageBoxes:
    """Records QMessageBox.critical / warning / question calls instead of showing them."""

    def __init__(self, monkeypatch, answer=QMessageBox.StandardButton.Yes) -> None:
        self.calls: list[tuple[str, str, str]] = []
        for kind in ("critical", "warning", "information", "question"):
            monkeypatch.setattr(QMessageBox, kind, staticmethod(self._recorder(kind, answer)))

    def _recorder(self, kind, answer):
        def record(parent, title, text, *args, **kwargs):
            self.calls.append((kind, title, text))
            return answer if kind == "question" else QMessageBox.StandardButton.Ok
        return record


# -- running exported code in a fresh Python -----------------------------------------------------

RUNNER = """\
import importlib.util, sys
import torch
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
model = module.build_model()
x = torch.load(sys.argv[2], weights_only=True)
outputs = []
with torch.no_grad():
    for layer in model:
        x = layer(x)
        outputs.append(x[0].clone())
torch.save(outputs, sys.argv[3])
"""


def run_exported(code_path: Path, image: np.ndarray) -> list[torch.Tensor]:
    """Every layer's output of the exported ``build_model()`` for ``image``, from a child Python
    that imports only torch (no PYTHONPATH), run in the code's folder (where its .pt lies)."""
    folder = code_path.parent
    (folder / "runner.py").write_text(RUNNER, encoding="utf-8")
    torch.save(torch.tensor(image)[None], folder / "input.pt")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    subprocess.run([sys.executable, "runner.py", str(code_path), "input.pt", "outputs.pt"],
                   cwd=folder, env=env, check=True, capture_output=True, text=True)
    return torch.load(folder / "outputs.pt", weights_only=True)


def assert_same_as_app(design, image: np.ndarray, outputs: list[torch.Tensor]) -> None:
    expected = run(design, image).outputs
    assert len(outputs) == len(expected)
    for got, want in zip(outputs, expected, strict=True):
        assert torch.equal(got, torch.from_numpy(want))


# -- the export dialog ---------------------------------------------------------------------------

def test_the_preview_is_generate_code_with_highlighting_and_read_only(qtbot, worked_document) -> None:
    dialog = make_dialog(qtbot, worked_document)
    assert dialog.code() == generate_code(worked_document.design)
    assert dialog.preview.isReadOnly()
    assert dialog.preview.font().fixedPitch()
    assert not dialog.weights_forced and not dialog.weights_box.isChecked()
    # The highlighter formats something on the keyword line "import torch".
    block = dialog.preview.document().findBlockByNumber(
        dialog.code().splitlines().index("import torch"))
    assert any(r.format.fontWeight() > 400 for r in block.layout().formats())


def test_the_preview_follows_the_document(qtbot, worked_document) -> None:
    dialog = make_dialog(qtbot, worked_document)
    layer = worked_document.design.layers[0]
    edited = worked_document.design.with_layer(
        0, layer.with_parameters(layer.weight, np.array([5.0, -2.0], np.float32)))
    worked_document.edit_design(edited, "Set bias")
    assert dialog.code() == generate_code(worked_document.design)
    assert "[5.0, -2.0]" in dialog.code()
    worked_document.undo_stack.undo()
    assert dialog.code() == generate_code(worked_document.design)


def test_an_untouched_design_is_exported_with_its_seed(qtbot, learner_document) -> None:
    dialog = make_dialog(qtbot, learner_document)
    bare = code_design(learner_document.design)
    assert all(layer.weight is None for layer in bare.layers if hasattr(layer, "weight"))
    assert dialog.code() == generate_code(bare)
    assert "torch.manual_seed(SEED)" in dialog.code()
    assert not dialog.weights_forced


def test_the_checkbox_switches_to_a_weights_file(qtbot, worked_document) -> None:
    dialog = make_dialog(qtbot, worked_document)
    dialog.weights_box.setChecked(True)
    assert dialog.code() == generate_code(worked_document.design, weights_file="model.pt")
    dialog.weights_box.setChecked(False)
    assert dialog.code() == generate_code(worked_document.design)


def edited_learner(document: DesignDocument) -> None:
    """Give layer 2 weights of its own (too many to write into the code)."""
    layer = document.design.layers[2]
    weight = np.random.default_rng(1).normal(size=layer.weight.shape).astype(np.float32)
    document.edit_design(document.design.with_layer(2, layer.with_parameters(
        weight, layer.bias_values)), "Edit weights")


def test_weights_too_large_for_the_code_force_the_checkbox_with_a_note(qtbot, learner_document) -> None:
    dialog = make_dialog(qtbot, learner_document)
    edited_learner(learner_document)
    assert dialog.weights_forced
    assert dialog.weights_box.isChecked() and not dialog.weights_box.isEnabled()
    assert not dialog.note.isHidden() and f"{MAX_INLINE_VALUES:,}" in dialog.note.text()
    assert dialog.code() == generate_code(learner_document.design, weights_file="model.pt")
    learner_document.undo_stack.undo()
    assert not dialog.weights_forced and dialog.weights_box.isEnabled()
    assert not dialog.weights_box.isChecked()  # the user never asked for it


def test_copy_puts_the_code_on_the_clipboard(qtbot, worked_document) -> None:
    dialog = make_dialog(qtbot, worked_document)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.code()


def test_saved_inline_code_runs_and_equals_the_app(qtbot, worked_document, tmp_path, monkeypatch) -> None:
    dialog = make_dialog(qtbot, worked_document)
    patch_save_dialog(monkeypatch, tmp_path / "worked")      # no suffix: .py is added
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    code_path = tmp_path / "worked.py"
    assert code_path.read_text(encoding="utf-8") == dialog.code()
    assert not (tmp_path / "worked.pt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["worked.py"]  # no temporary left behind
    outputs = run_exported(code_path, worked_document.image)
    assert_same_as_app(worked_document.design, worked_document.image, outputs)


def test_saved_seeded_code_runs_and_equals_the_app(qtbot, learner_document, tmp_path) -> None:
    dialog = make_dialog(qtbot, learner_document)
    image = np.random.default_rng(3).random((1, 28, 28), dtype=np.float32)
    assert dialog.save(tmp_path / "learner.py")
    assert_same_as_app(learner_document.design, image, run_exported(tmp_path / "learner.py", image))


def test_saved_code_with_a_weights_file_runs_and_equals_the_app(qtbot, learner_document, tmp_path,
                                                                monkeypatch) -> None:
    edited_learner(learner_document)
    dialog = make_dialog(qtbot, learner_document)
    patch_save_dialog(monkeypatch, tmp_path / "net.py")
    assert dialog.save()
    assert (tmp_path / "net.pt").is_file()
    code = (tmp_path / "net.py").read_text(encoding="utf-8")
    assert code == generate_code(learner_document.design, weights_file="net.pt") == dialog.code()
    image = np.random.default_rng(4).random((1, 28, 28), dtype=np.float32)
    assert_same_as_app(learner_document.design, image, run_exported(tmp_path / "net.py", image))


def test_a_failed_save_says_why_and_leaves_nothing(qtbot, worked_document, tmp_path, monkeypatch) -> None:
    boxes = MessageBoxes(monkeypatch)
    dialog = make_dialog(qtbot, worked_document)
    assert not dialog.save(tmp_path / "missing-folder" / "x.py")
    assert boxes.calls and boxes.calls[0][0] == "critical" and "missing-folder" in boxes.calls[0][2]
    assert list(tmp_path.iterdir()) == []


def test_a_design_that_was_never_valid_cannot_be_exported(qtbot, qapp) -> None:
    from convdesigner.design.layers import Conv2d, Design, InputSpec
    document = DesignDocument(Design(InputSpec(1, 4, 4), (Conv2d(1, 2, 9),)))
    dialog = make_dialog(qtbot, document)
    assert dialog.design is None
    assert not dialog.save_button.isEnabled() and not dialog.copy_button.isEnabled()
    assert dialog.code().startswith("#")


# -- figures -------------------------------------------------------------------------------------

def test_a_widget_is_exported_as_png_at_three_times_its_size(qtbot, worked_document, tmp_path) -> None:
    grid = InputGridEditor(worked_document)
    qtbot.addWidget(grid)
    grid.resize(300, 200)
    export_view_image(grid, tmp_path / "grid.png", 3)
    image = QImage(str(tmp_path / "grid.png"))
    assert (image.width(), image.height()) == (900, 600)
    assert len({image.pixel(x, y) for x in range(0, 900, 7) for y in range(0, 600, 7)}) > 4


def test_plots_and_widgets_are_exported_as_valid_svg(qtbot, tmp_path) -> None:
    import pyqtgraph as pg
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(320, 240)
    plot.addItem(pg.ImageItem(np.arange(16, dtype=np.float32).reshape(4, 4)))
    plot.plot([0, 1, 2], [2, 0, 1])
    export_view_image(plot, tmp_path / "plot.svg")
    export_view_image(plot.getPlotItem(), tmp_path / "item.svg")
    label = QLabel("Σ w·x + b")
    qtbot.addWidget(label)
    label.resize(200, 40)
    export_view_image(label, tmp_path / "label.svg")
    for name in ("plot.svg", "item.svg", "label.svg"):
        root = ET.parse(tmp_path / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        assert len(list(root.iter())) > 3
    export_view_image(plot.getPlotItem(), tmp_path / "item.png", 2)
    assert QImage(str(tmp_path / "item.png")).width() >= 2 * 300
    export_view_image(plot, tmp_path / "plot.png", 3)
    assert QImage(str(tmp_path / "plot.png")).size().toTuple() == (960, 720)


def test_export_figure_picks_the_format_by_suffix_or_filter(qtbot, tmp_path, monkeypatch) -> None:
    widget = QLabel("figure")
    qtbot.addWidget(widget)
    widget.resize(100, 50)
    patch_save_dialog(monkeypatch, tmp_path / "a.png")
    assert export_figure(None, widget)
    assert QImage(str(tmp_path / "a.png")).width() == 300
    patch_save_dialog(monkeypatch, tmp_path / "b", "SVG drawing (*.svg)")
    assert export_figure(None, widget)
    assert ET.parse(tmp_path / "b.svg").getroot().tag.endswith("svg")
    with pytest.raises(ConvDesignerError, match=".png"):
        export_view_image(widget, tmp_path / "c.gif")


# -- importing weights ---------------------------------------------------------------------------

def learner_state(seed: int = 11) -> dict[str, torch.Tensor]:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = torch.nn.Sequential(torch.nn.Conv2d(1, 64, 4, 2, 1), torch.nn.LeakyReLU(0.2),
                                    torch.nn.Conv2d(64, 128, 4, 2, 1))
    return model.state_dict()


def test_importing_weights_is_one_undo_step_bit_for_bit(qapp, learner_document, tmp_path, monkeypatch) -> None:
    state = learner_state()
    torch.save({"epoch": 4, "model_state_dict": state}, tmp_path / "model.pt")
    patch_open_dialog(monkeypatch, tmp_path / "model.pt")
    boxes = MessageBoxes(monkeypatch)
    before = learner_document.design
    assert import_dialog.import_weights(None, learner_document)
    assert boxes.calls == []
    assert learner_document.undo_stack.count() == 1
    assert learner_document.undo_stack.undoText() == "Import weights from model.pt"
    for index in (0, 2):
        layer = learner_document.design.layers[index]
        assert layer.weight.tobytes() == state[f"{index}.weight"].numpy().tobytes()
        assert layer.bias_values.tobytes() == state[f"{index}.bias"].numpy().tobytes()
    learner_document.undo_stack.undo()
    assert learner_document.design.same_parameters(before)


def test_a_malicious_file_is_refused_and_nothing_changes(qapp, learner_document, tmp_path, monkeypatch) -> None:
    marker = tmp_path / "MARKER"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    (tmp_path / "model.pt").write_bytes(pickle.dumps({"0.weight": Evil()}, protocol=2))
    patch_open_dialog(monkeypatch, tmp_path / "model.pt")
    boxes = MessageBoxes(monkeypatch)
    before = learner_document.design
    assert not import_dialog.import_weights(None, learner_document)
    assert boxes.calls[0][0] == "critical"
    assert "asks to run code" in boxes.calls[0][2]
    assert not marker.exists()
    assert learner_document.undo_stack.count() == 0 and learner_document.design is before


def test_nothing_fits_shows_the_shapes_and_changes_nothing(qapp, learner_document, tmp_path, monkeypatch) -> None:
    torch.save({"conv.weight": torch.zeros(8, 3, 3, 3), "conv.bias": torch.zeros(8)},
               tmp_path / "other.pth")
    patch_open_dialog(monkeypatch, tmp_path / "other.pth")
    boxes = MessageBoxes(monkeypatch)
    assert not import_dialog.import_weights(None, learner_document)
    kind, _title, text = boxes.calls[0]
    assert kind == "warning"
    assert "conv.weight [8, 3, 3, 3]" in text and "weight [64, 1, 4, 4] and bias [64]" in text
    assert learner_document.undo_stack.count() == 0


def test_cancelling_the_file_dialog_changes_nothing(qapp, learner_document, monkeypatch) -> None:
    patch_open_dialog(monkeypatch, "")
    assert not import_dialog.import_weights(None, learner_document)
    assert learner_document.undo_stack.count() == 0


def ambiguous_setup(tmp_path):
    from convdesigner.design.layers import Conv2d, Design, InputSpec, ReLU
    design = Design(InputSpec(3, 8, 8), (Conv2d(3, 4, 3, padding=1), ReLU(),
                                         Conv2d(4, 4, 3, padding=1), ReLU(),
                                         Conv2d(4, 4, 3, padding=1)))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(2)
        net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU(),
                                  torch.nn.Conv2d(4, 4, 3, padding=1), torch.nn.ReLU(),
                                  torch.nn.Conv2d(4, 4, 3, padding=1))
    state = net.state_dict()
    torch.save(state, tmp_path / "net.pt")
    return DesignDocument(design), state


def test_ambiguous_layers_are_chosen_in_a_dialog(qtbot, tmp_path, monkeypatch) -> None:
    document, state = ambiguous_setup(tmp_path)
    patch_open_dialog(monkeypatch, tmp_path / "net.pt")
    shown = []

    def choose_swapped(dialog) -> int:
        qtbot.addWidget(dialog)
        shown.append(dialog)
        assert set(dialog.combos) == {2, 4}
        combo = dialog.combos[2]
        assert [combo.itemText(i) for i in range(combo.count())] == [
            "2.weight [4, 4, 3, 3] + 2.bias [4]", "4.weight [4, 4, 3, 3] + 4.bias [4]"]
        assert combo.currentData() == "2.weight" and dialog.combos[4].currentData() == "4.weight"
        combo.setCurrentIndex(1)
        dialog.combos[4].setCurrentIndex(0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(import_dialog.WeightChoiceDialog, "exec", choose_swapped)
    assert import_dialog.import_weights(None, document)
    assert shown and document.undo_stack.count() == 1
    layers = document.design.layers
    assert layers[0].weight.tobytes() == state["0.weight"].numpy().tobytes()
    assert layers[2].weight.tobytes() == state["4.weight"].numpy().tobytes()
    assert layers[2].bias_values.tobytes() == state["4.bias"].numpy().tobytes()
    assert layers[4].weight.tobytes() == state["2.weight"].numpy().tobytes()


def test_cancelling_the_choice_changes_nothing(qtbot, tmp_path, monkeypatch) -> None:
    document, _ = ambiguous_setup(tmp_path)
    patch_open_dialog(monkeypatch, tmp_path / "net.pt")

    def cancel(dialog) -> int:
        qtbot.addWidget(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(import_dialog.WeightChoiceDialog, "exec", cancel)
    assert not import_dialog.import_weights(None, document)
    assert document.undo_stack.count() == 0


def test_a_partial_match_asks_first(qapp, learner_document, tmp_path, monkeypatch) -> None:
    state = learner_state()
    torch.save({"0.weight": state["0.weight"], "0.bias": state["0.bias"]}, tmp_path / "half.pt")
    patch_open_dialog(monkeypatch, tmp_path / "half.pt")
    before = learner_document.design
    boxes = MessageBoxes(monkeypatch, answer=QMessageBox.StandardButton.Cancel)
    assert not import_dialog.import_weights(None, learner_document)
    assert boxes.calls[0][0] == "question" and "layer 2" in boxes.calls[0][2]
    boxes = MessageBoxes(monkeypatch, answer=QMessageBox.StandardButton.Yes)
    assert import_dialog.import_weights(None, learner_document)
    assert learner_document.design.layers[0].weight.tobytes() == state["0.weight"].numpy().tobytes()
    assert learner_document.design.layers[2].same_parameters(before.layers[2])


# -- lessons -------------------------------------------------------------------------------------

def test_the_menu_offers_every_lesson_and_opens_it(qtbot, learner_document) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    menu = QMenu("New from Example", host)
    opened = []
    actions = build_lessons_menu(menu, opened.append)
    assert [a.text() for a in actions] == [lesson.title for lesson in LESSONS]
    assert all(a.toolTip() and "`" not in a.toolTip() for a in actions)
    actions[2].trigger()
    assert opened == [LESSONS[2]]


def test_a_lesson_brings_its_own_input_never_the_previous_one(qapp, learner_document) -> None:
    drawn = np.zeros((1, 28, 28), np.float32)
    drawn[0, 10:18, 12:15] = 1.0
    learner_document.set_image(drawn, "Draw")
    open_lesson_in(learner_document, lesson_by_key("lenet5"))
    assert learner_document.design == lesson_by_key("lenet5").build()
    assert learner_document.image.shape == (1, 32, 32)
    # The lesson's digit (the bundled first 7), padded by 2 all round -- not what was drawn.
    assert np.array_equal(learner_document.image[0, 2:30, 2:30], bundled_digit(7, 0))
    learner_document.set_image(np.ones((1, 32, 32), np.float32), "Draw")
    open_lesson_in(learner_document, lesson_by_key("dilated"))
    assert np.array_equal(learner_document.image[0], bundled_digit(7, 0))
    assert learner_document.undo_stack.count() == 0 and not learner_document.modified
    open_lesson_in(learner_document, lesson_by_key("worked-example"))
    assert np.array_equal(learner_document.image, worked_example().input_values)
    assert learner_document.design.same_parameters(worked_example())


def test_the_lesson_panel_shows_title_and_explanation(qtbot) -> None:
    panel = LessonPanel()
    qtbot.addWidget(panel)
    assert "New from Example" in panel.text.text() and panel.lesson is None
    lesson = lesson_by_key("dilated")
    panel.show_lesson(lesson)
    assert panel.lesson is lesson
    assert panel.text.wordWrap() and panel.text.textFormat() == Qt.TextFormat.RichText
    html = panel.text.text()
    assert lesson.title in html and "<code>Conv2d(1, 4, 3, dilation=2)</code>" in html
    assert explanation_html(lesson) == html
    panel.show_lesson(None)
    assert panel.lesson is None


# -- the input grid ------------------------------------------------------------------------------

def test_one_typed_cell_is_one_undo_step_with_the_exact_value(qtbot, worked_document) -> None:
    grid = InputGridEditor(worked_document)
    qtbot.addWidget(grid)
    assert grid.editable and grid.tabs.count() == 3
    before = np.array(worked_document.image)
    assert grid.edit_cell(1, 2, 3, "0.1")
    assert worked_document.undo_stack.count() == 1
    assert worked_document.undo_stack.undoText() == "Set input [1, 2, 3] to 0.1"
    assert worked_document.image[1, 2, 3].tobytes() == np.float32(0.1).tobytes()
    changed = np.argwhere(worked_document.image != before)
    assert changed.tolist() == [[1, 2, 3]]
    assert grid.model.data(grid.model.index(2, 3), Qt.ItemDataRole.EditRole) == "0.1"
    worked_document.undo_stack.undo()
    assert np.array_equal(worked_document.image, before)
    assert grid.model.data(grid.model.index(2, 3)) == "2"  # the grid followed the undo


def test_typing_into_the_table_commits_one_step(qtbot, worked_document) -> None:
    grid = InputGridEditor(worked_document)
    qtbot.addWidget(grid)
    grid.show()
    qtbot.waitExposed(grid)
    index = grid.model.index(0, 1)
    grid.table.setCurrentIndex(index)
    grid.table.edit(index)
    editor = grid.table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "2"
    editor.selectAll()
    qtbot.keyClicks(editor, "-1.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits through a queued call, once the editor has handled the key.
    qtbot.waitUntil(lambda: worked_document.undo_stack.count() == 1)
    assert worked_document.image[0, 0, 1] == np.float32(-1.5)


def test_unchanged_or_invalid_values_make_no_step(qtbot, worked_document) -> None:
    grid = InputGridEditor(worked_document)
    qtbot.addWidget(grid)
    assert grid.edit_cell(0, 0, 0, "1")           # it is 1 already
    assert not grid.edit_cell(0, 0, 0, "two")
    assert not grid.edit_cell(0, 0, 0, "nan")
    assert not grid.edit_cell(0, 0, 0, "1e40")    # beyond float32
    assert worked_document.undo_stack.count() == 0
    assert "not a number" in grid.hint.text()
    assert parse_value("1,5") == np.float32(1.5) and parse_value("−2") == np.float32(-2)
    assert format_value(np.float32(0.1)) == "0.1" and format_value(-3.0) == "-3"


def test_the_grid_follows_the_document_without_editing_it(qtbot, worked_document) -> None:
    grid = InputGridEditor(worked_document)
    qtbot.addWidget(grid)
    image = np.array(worked_document.image)
    image[2, 4, 4] = 7.25
    worked_document.set_image(image, "Load")
    assert worked_document.undo_stack.count() == 1
    grid.tabs.setCurrentIndex(2)
    assert grid.model.channel == 2
    assert grid.model.data(grid.model.index(4, 4)) == "7.25"
    assert worked_document.undo_stack.count() == 1


def test_large_inputs_show_a_note_instead_of_a_grid(qtbot, learner_document) -> None:
    grid = InputGridEditor(learner_document)
    qtbot.addWidget(grid)
    assert not grid.editable
    assert "up to 16×16" in grid.too_large.text() and "28×28" in grid.too_large.text()
    assert grid.model.rowCount() == 0
    open_lesson_in(learner_document, lesson_by_key("worked-example"))
    assert grid.editable and grid.model.rowCount() == 5 and grid.tabs.count() == 3
