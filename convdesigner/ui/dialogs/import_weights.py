"""Importing trained weights from a PyTorch ``.pt``/``.pth`` file into the document's design.

:func:`import_weights` asks for the file, reads it safely
(:func:`~convdesigner.compute.import_weights.read_state_dict`: tensors only, nothing in the file is
run), pairs its tensors with the design's ``Conv2d`` layers by shape, lets the user choose where
several fit (:class:`WeightChoiceDialog`), and makes the import **one** undo step. Any problem is
shown in a message box and leaves the document as it was.

Threading: GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from convdesigner.errors import ConvDesignerError
from convdesigner.ui.i18n import QT_TRANSLATE_NOOP, translate
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.jobs import apply_match, match_weights, read_state_dict
from convdesigner.ui.widgets.busy import Cancelled, error_text, run_busy

if TYPE_CHECKING:   # the real module loads torch: reached through ui.state.jobs
    from convdesigner.compute.import_weights import Candidate, WeightMatch

WEIGHTS_FILTER = QT_TRANSLATE_NOOP("import_weights", "PyTorch weights (*.pt *.pth);;All files (*)")


def _tr(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP in the context "import_weights", translated."""
    return translate("import_weights", text)


class WeightChoiceDialog(QDialog):
    """One row per ``Conv2d`` of the design: a combo of the file's candidates (key and shape) where
    several fit, the one match where only one does, and a note where nothing does (that layer keeps
    its weights). :meth:`choices` gives the selection, preset to :meth:`WeightMatch.default_choices`.
    """

    def __init__(self, match: WeightMatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.match = match
        self.setWindowTitle(self.tr("Choose the weights for each layer"))
        intro = QLabel(self.tr(
            "Several tensors in {source} have the shape some layers need. Choose, for each "
            "layer, the weights it should take.").format(source=match.source))
        intro.setWordWrap(True)
        form = QFormLayout()
        self.combos: dict[int, QComboBox] = {}
        defaults = match.default_choices()
        for layer_match in match.layers:
            label = QLabel(self.tr("Layer {index}: {layer}").format(
                index=layer_match.index, layer=layer_match.layer.torch_repr()))
            label.setToolTip(self.tr("Needs {shapes}").format(shapes=layer_match.needs()))
            if len(layer_match.candidates) > 1:
                combo = QComboBox()
                combo.setToolTip(self.tr("The tensors of {source} whose shape fits this layer")
                                 .format(source=match.source))
                for candidate in layer_match.candidates:
                    combo.addItem(candidate.label(), candidate.weight_key)
                chosen = defaults.get(layer_match.index)
                if chosen is not None:
                    combo.setCurrentIndex(max(0, combo.findData(chosen.weight_key)))
                self.combos[layer_match.index] = combo
                form.addRow(label, combo)
            elif layer_match.candidates:
                form.addRow(label, QLabel(layer_match.candidates[0].label()))
            else:
                keep = QLabel(self.tr("nothing fits: keeps its current weights"))
                keep.setEnabled(False)
                form.addRow(label, keep)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choices(self) -> dict[int, Candidate]:
        """Layer index → the candidate chosen for it (layers nothing fits are left out)."""
        result = self.match.default_choices()
        for layer_match in self.match.layers:
            combo = self.combos.get(layer_match.index)
            if combo is not None:
                key = combo.currentData()
                result[layer_match.index] = next(c for c in layer_match.candidates
                                                 if c.weight_key == key)
        return result


def choose_weights(parent: QWidget | None, match: WeightMatch) -> dict[int, Candidate] | None:
    """Show :class:`WeightChoiceDialog`; the choices, or None when cancelled."""
    dialog = WeightChoiceDialog(match, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choices()


def import_weights(parent: QWidget | None, document: DesignDocument, path: str | None = None) -> bool:
    """Ask for a ``.pt``/``.pth`` file (unless ``path`` is given) and load its tensors into the
    matching ``Conv2d`` layers of ``document.design`` as one undo step ("Import weights from
    model.pt"). Returns True when the weights were imported; problems are shown in a message
    box and change nothing."""
    if not path:
        path, _ = QFileDialog.getOpenFileName(parent, translate("import_weights", "Import weights"), "",
                                              _tr(WEIGHTS_FILTER))
        if not path:
            return False
    name = Path(path).name
    try:
        # Reading a checkpoint can take seconds: on a worker thread, cancellable.
        state = run_busy(parent, translate("import_weights", "Reading {name}…").format(name=name),
                         lambda: read_state_dict(path), cancellable=True)
    except Cancelled:
        return False
    except Exception as error:  # noqa: BLE001 -- whatever went wrong, say so; nothing changed
        QMessageBox.critical(parent, translate("import_weights", "Cannot import these weights"),
                             error_text(error))
        return False
    design = document.design
    match = match_weights(design, state, source=name)
    if match.nothing_fits:
        QMessageBox.warning(parent, translate("import_weights", "No weights fit this design"), match.message)
        return False
    if match.is_ambiguous:
        choices = choose_weights(parent, match)
        if choices is None:
            return False
    else:
        if match.missing:
            answer = QMessageBox.question(
                parent, translate("import_weights", "Import the weights that fit?"),
                match.message + "\n\n" + translate("import_weights", "Import the weights that fit?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        choices = match.default_choices()
    try:
        new_design = apply_match(design, choices)
    except ConvDesignerError as error:
        QMessageBox.critical(parent, translate("import_weights", "Cannot import these weights"), str(error))
        return False
    document.edit_design(new_design, translate("import_weights", "Import weights from {name}").format(
        name=name))
    return True
