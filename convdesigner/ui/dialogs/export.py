"""Exporting for teaching: the design as PyTorch code, with a live preview.

* :class:`ExportCodeDialog` -- a read-only, syntax-highlighted preview of exactly the code
  :func:`~convdesigner.compute.export.generate_code` writes for the document's design, following
  every edit; *Copy to clipboard*, *Save .py…* (atomic), and "also save the weights next to it
  (.pt)", which is forced on when the design's own weights are too many to write into the code.
* figures (a view as PNG or SVG) are in :mod:`convdesigner.ui.dialogs.figure`.

Which code: when every ``Conv2d`` of the design holds exactly the values PyTorch's default
initialisation draws under the design's seed (the document materializes them, so an untouched
design looks "explicit"), the code says ``torch.manual_seed(SEED)`` instead of listing them -- the
same numbers, bit for bit, in a file a student can read. Otherwise the design's own values are
written inline, or, when there are too many, loaded from a ``.pt`` file saved beside the code.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design.io import write_text_atomically
from convdesigner.design.layers import Conv2d, Design
from convdesigner.errors import ConvDesignerError
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.jobs import (
    complete_parameters,
    exported_code,
    max_inline_values,
    save_weights,
)
from convdesigner.ui.widgets.busy import error_text, run_busy
from convdesigner.ui.widgets.code_highlight import PythonHighlighter

#: Designs with more parameter values than this are not checked for being "the seed's values"
#: (the check initialises every layer once more); their code lists or loads the values instead.
MAX_SEED_CHECK_VALUES = 2_000_000


# -- which design, and how its parameters reach the code ------------------------------------------

def _parameter_values(design: Design) -> int:
    return sum(layer.weight.size + (layer.bias_values.size if layer.bias_values is not None else 0)
               for layer in design.layers if isinstance(layer, Conv2d) and layer.weight is not None)


def _without_parameters(design: Design) -> Design:
    return replace(design, layers=tuple(layer.without_parameters() if isinstance(layer, Conv2d)
                                        else layer for layer in design.layers))


def code_design(design: Design) -> Design:
    """The design to write as code: ``design`` without its parameters when they are exactly the
    seed's default initialisation (so the code can say ``torch.manual_seed(SEED)``), else itself."""
    if not design.conv_indices() or _parameter_values(design) > MAX_SEED_CHECK_VALUES:
        return design
    bare = _without_parameters(design)
    try:
        seeded = complete_parameters(bare)
    except ConvDesignerError:
        return design
    return bare if seeded.same_parameters(complete_parameters(design)) else design


def inline_values(design: Design) -> int:
    """How many explicit parameter values :func:`generate_code` would write into the code."""
    return _parameter_values(design)


# -- the dialog ------------------------------------------------------------------------------------

class ExportCodeDialog(QDialog):
    """A live preview of the PyTorch code for ``document``'s design, with Copy and Save.

    The preview shows the last valid design (an invalid one cannot be exported) and follows
    ``document.designChanged``. :meth:`code` is the text shown; :meth:`save` writes it.
    """

    def __init__(self, document: DesignDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(self.tr("Export PyTorch Code"))
        self.setObjectName("exportCodeDialog")
        self._forced = False
        self._user_wants_weights = False
        self._design: Design | None = None      # the design the preview shows (last valid)
        self._code_design: Design | None = None  # the same, bare when the seed reproduces it
        self._cache_key: object = None
        self.saved_path: Path | None = None

        self.intro = QLabel(self.tr(
            "A self-contained Python file: <code>build_model()</code> returns the design as "
            "<code>nn.Sequential</code> with exactly the weights shown in ConvDesigner."))
        self.intro.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("codePreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)
        self.preview.setFont(font)
        self.preview.setToolTip(self.tr("The code that will be saved or copied (read-only)"))
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.highlighter = PythonHighlighter(self.preview.document(), dark)

        self.weights_box = QCheckBox(self.tr("Also save the weights next to it (.pt)"))
        self.weights_box.setToolTip(self.tr(
            "Save the parameters as a state_dict file beside the .py file; the code loads it with "
            "torch.load(..., weights_only=True)"))
        self.weights_box.toggled.connect(self._weights_toggled)
        self.note = QLabel()
        self.note.setObjectName("exportNote")
        self.note.setWordWrap(True)
        self.note.setVisible(False)

        self.copy_button = QPushButton(self.tr("Copy to Clipboard"))
        self.copy_button.setToolTip(self.tr("Copy the code, to paste it into a notebook"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.save_button = QPushButton(self.tr("Save .py…"))
        self.save_button.setToolTip(self.tr("Save the code as a Python file (and the weights, if "
                                            "ticked above)"))
        self.save_button.clicked.connect(lambda: self.save())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("exportStatus")

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.weights_box)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 640)

        document.designChanged.connect(self.refresh)
        document.fileChanged.connect(self._show_code)   # the weights file is named after the design
        self.refresh()

    # -- state ----------------------------------------------------------------------------------
    @property
    def design(self) -> Design | None:
        """The design the code is for: the document's last valid design, or None."""
        return self._design

    @property
    def weights_forced(self) -> bool:
        """True when the design's own weights are too many for the code: a .pt file is required."""
        return self._forced

    @property
    def saves_weights(self) -> bool:
        return self._design is not None and self.weights_box.isChecked()

    def weights_file_name(self) -> str:
        """The name the code loads its weights from: beside the last saved file, or the document's
        name, or ``model.pt``."""
        if self.saved_path is not None:
            return self.saved_path.with_suffix(".pt").name
        if self.document.path is not None:
            return self.document.path.with_suffix(".pt").name
        return "model.pt"

    def code(self) -> str:
        """The code the preview shows (what Copy copies)."""
        return self.preview.toPlainText()

    def code_for(self, weights_file: str | None) -> str:
        """The code of the current design, loading its weights from ``weights_file`` when given."""
        if self._code_design is None:
            raise ConvDesignerError(self.tr("The design has never been valid: fix it first."))
        if weights_file is not None:
            return exported_code(self._design, weights_file)
        return exported_code(self._code_design)

    # -- updates --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Follow the document: recompute the preview (cheap when the design did not change)."""
        design = self.document.last_valid_design
        if design is not self._design:
            self._design = design
            self._code_design = code_design(design) if design is not None else None
        forced = (self._code_design is not None
                  and inline_values(self._code_design) > max_inline_values())
        self._set_forced(forced)
        self._show_code()

    def _set_forced(self, forced: bool) -> None:
        self._forced = forced
        self.weights_box.blockSignals(True)
        self.weights_box.setChecked(forced or self._user_wants_weights)
        self.weights_box.blockSignals(False)
        self.weights_box.setEnabled(not forced and self._design is not None)
        if forced:
            count = inline_values(self._code_design)
            self.note.setText(self.tr(
                "This design holds {count} weights of its own (imported, typed or edited), too "
                "many to write into the code (at most {limit}), so they are saved to a .pt file "
                "next to it.").format(count=f"{count:,}", limit=f"{max_inline_values():,}"))
        elif self._design is not None and self.document.design is not self._design:
            self.note.setText(self.tr("The design has a problem right now; this is the code of "
                                      "the last valid design."))
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    def _weights_toggled(self, checked: bool) -> None:
        if not self._forced:
            self._user_wants_weights = checked
        self._show_code()

    def _show_code(self) -> None:
        valid = self._design is not None
        self.copy_button.setEnabled(valid)
        self.save_button.setEnabled(valid)
        if not valid:
            text = self.tr("# The design has never been valid: fix it first, then export it.")
        else:
            weights = self.weights_file_name() if self.weights_box.isChecked() else None
            try:
                text = self.code_for(weights)
            except ConvDesignerError as error:
                text = "# " + str(error)
                self.save_button.setEnabled(False)
                self.copy_button.setEnabled(False)
        if text != self.preview.toPlainText():
            scroll = self.preview.verticalScrollBar().value()
            self.preview.setPlainText(text)
            self.preview.verticalScrollBar().setValue(scroll)

    # -- actions --------------------------------------------------------------------------------
    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.code())
        self.status.setText(self.tr("Copied {lines} lines to the clipboard.").format(
            lines=self.code().count("\n")))

    def _suggested_path(self) -> str:
        if self.saved_path is not None:
            return str(self.saved_path)
        if self.document.path is not None:
            return str(self.document.path.with_suffix(".py"))
        return "model.py"

    def save(self, path: str | Path | None = None) -> bool:
        """Save the code (and, when ticked, the weights as ``<name>.pt`` beside it), atomically.

        Asks for the file name when ``path`` is None. Returns True when written; shows the reason
        and returns False otherwise (nothing half-written is left behind).
        """
        if self._design is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save PyTorch code"), self._suggested_path(),
                self.tr("Python files (*.py)"))
            if not chosen:
                return False
            path = chosen
        path = Path(path)
        if path.suffix.lower() != ".py":
            path = path.with_name(path.name + ".py")
        weights_path = path.with_suffix(".pt") if self.weights_box.isChecked() else None
        if weights_path is not None and weights_path.exists():
            answer = QMessageBox.question(
                self, self.tr("Replace the weights file?"),
                self.tr("{name} already exists in {folder}. Replace it with this design's weights?")
                .format(name=weights_path.name, folder=weights_path.parent),
                QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Yes:
                return False
        design = self._design
        code = self.code_for(weights_path.name if weights_path is not None else None)

        def write() -> None:
            if weights_path is not None:
                save_weights(design, weights_path)
            write_text_atomically(path, code)

        try:
            run_busy(self, self.tr("Saving {name}…").format(name=path.name), write)
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, say so
            QMessageBox.critical(self, self.tr("Cannot export"), error_text(error))
            return False
        self.saved_path = path
        self._show_code()
        if weights_path is not None:
            self.status.setText(self.tr("Saved {code} and {weights}.").format(
                code=path.name, weights=weights_path.name))
        else:
            self.status.setText(self.tr("Saved {code}.").format(code=path.name))
        return True


__all__ = ["ExportCodeDialog", "code_design", "inline_values"]
