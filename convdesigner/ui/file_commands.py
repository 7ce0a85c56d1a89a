"""The window's file commands: the question about unsaved changes, Open, Save, Save As, Open
Input, weight import, code and figure export, and the offer to restore what a crash left behind.

Each command asks what it must, runs its slow part (reading, initialising, writing) off the GUI
thread with :func:`~convdesigner.ui.widgets.busy.run_busy`, and on any failure says why and
changes nothing -- a failed save keeps the window open and the document modified.

Threading: GUI thread only (the jobs it starts run on worker threads).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from convdesigner.data.fit import fit_image_to_spec
from convdesigner.design.io import save_design
from convdesigner.ui.i18n import QT_TRANSLATE_NOOP, translate
from convdesigner.ui.state.autosave import Recovered
from convdesigner.ui.state.document import DesignDocument, ImageSource
from convdesigner.ui.state.jobs import open_design as open_design_file
from convdesigner.ui.state.settings import AppSettings
from convdesigner.ui.widgets.busy import Cancelled, error_text, run_busy

if TYPE_CHECKING:
    from convdesigner.ui.main_window import MainWindow

# File dialog filters: translated where they are used (self.tr(DESIGN_FILTER)).
DESIGN_FILTER = QT_TRANSLATE_NOOP("FileCommands", "ConvDesigner designs (*.json);;All files (*)")
INPUT_FILTER = QT_TRANSLATE_NOOP(
    "FileCommands", "Images and arrays (*.png *.jpg *.jpeg *.bmp *.gif *.npy *-idx3-ubyte "
    "*-idx3-ubyte.gz);;All files (*)")


def _ask_restore(parent: QWidget, title: str, text: str) -> QMessageBox.StandardButton:
    """Restore (Yes) / Discard / Later (Cancel), in words a teacher reads at a glance."""
    box = QMessageBox(QMessageBox.Question, title, text,
                      QMessageBox.Yes | QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.setDefaultButton(QMessageBox.Yes)
    box.button(QMessageBox.Yes).setText(QCoreApplication.translate("FileCommands", "Restore"))
    box.button(QMessageBox.Discard).setToolTip(QCoreApplication.translate(
        "FileCommands", "Delete the autosaved copy"))
    box.button(QMessageBox.Cancel).setText(QCoreApplication.translate("FileCommands", "Later"))
    box.button(QMessageBox.Cancel).setToolTip(QCoreApplication.translate(
        "FileCommands", "Keep the autosaved copy and ask again at the next start"))
    return QMessageBox.StandardButton(box.exec())


def _is_picture(path: str) -> bool:
    return Path(path).suffix.lower() in (".png", ".jpg", ".jpeg", ".bmp", ".gif")


class FileCommands(QObject):
    """The file commands of ``window`` on its ``document``; the last folder is kept in
    ``settings``."""

    def __init__(self, window: MainWindow, document: DesignDocument, settings: AppSettings) -> None:
        super().__init__(window)
        self._window = window
        self.document = document
        self.settings = settings

    def _folder(self) -> str:
        return self.settings.value("files/last_folder")

    def _remember_folder(self, path: str) -> None:
        self.settings.set_value("files/last_folder", str(Path(path).parent))

    def maybe_save(self) -> bool:
        """Ask about unsaved changes. True when it is fine to go on (saved or discarded)."""
        if not self.document.modified:
            return True
        answer = QMessageBox.warning(
            self._window, self.tr("Unsaved changes"),
            self.tr("The design has changes that are not saved. Save them first?"),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def open_design(self, path: str | None = None) -> bool:
        if not self.maybe_save():
            return False
        if not path:
            path, _ = QFileDialog.getOpenFileName(self._window, self.tr("Open design"), self._folder(),
                                                  self.tr(DESIGN_FILTER))
            if not path:
                return False
        try:
            # Read and given its parameters on a worker thread: a large design takes seconds.
            design = run_busy(self._window, self.tr("Opening {name}…").format(name=Path(path).name),
                              lambda: open_design_file(path), cancellable=True)
            self.document.reset(design, None, Path(path))
        except Cancelled:
            return False
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, say so; nothing changed
            QMessageBox.critical(self._window, self.tr("Cannot open the design"), error_text(error))
            return False
        self._window.select_initial_layer()
        self._remember_folder(path)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(str(self.document.path))

    def proposed_path(self) -> str:
        """What Save As offers: the file's own name, else one made from the design's name
        (``MNIST discriminator (the learner's question)`` → ``mnist-discriminator.json``), in
        the last folder used."""
        if self.document.path is not None:
            return str(self.document.path)
        import re
        name = translate("lessons", self.document.design.name) if self.document.design.name else ""
        name = re.sub(r"\(.*?\)|（.*?）", "", name)             # "(the learner's question)"
        stem = re.sub(r"[^\w]+", "-", name.strip().lower()).strip("-")[:60] or "design"
        folder = self._folder()
        return str(Path(folder) / f"{stem}.json") if folder else f"{stem}.json"

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self._window, self.tr("Save design"),
                                              self.proposed_path(), self.tr(DESIGN_FILTER))
        if not path:
            return False
        if not Path(path).suffix:
            path += ".json"
        return self._save_to(path)

    def _save_to(self, path: str) -> bool:
        """Save on a worker thread; on any failure say why and return False (the window stays)."""
        snapshot = self.document.snapshot()
        index = self.document.undo_stack.index()
        try:
            run_busy(self._window, self.tr("Saving {name}…").format(name=Path(path).name),
                     lambda: save_design(snapshot, path))
        except Exception as error:  # noqa: BLE001 -- a save must never fail silently
            QMessageBox.critical(self._window, self.tr("Cannot save"), self.tr(
                "The design was not saved to {path}:\n{error}").format(path=path,
                                                                      error=error_text(error)))
            return False
        if self.document.undo_stack.index() == index:
            self.document.mark_saved(path)
        else:   # edited while saving: the file holds the snapshot, the document is still modified
            self.document.path = Path(path)
            self.document.fileChanged.emit()
        self._remember_folder(path)
        self._window.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return True

    def open_input(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self._window, self.tr("Open input"), self._folder(),
                                                  self.tr(INPUT_FILTER))
            if not path:
                return False
        from convdesigner.data.loaders import load_array_file  # Pillow: loaded when first needed
        from convdesigner.ui.dialogs.prepare import prepare_and_choose
        spec = self.document.design.input
        try:
            image = run_busy(self._window, self.tr("Opening {name}…").format(name=Path(path).name),
                             lambda: load_array_file(path, channels=spec.channels), cancellable=True)
        except Cancelled:
            return False
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, say so; nothing changed
            QMessageBox.critical(self._window, self.tr("Cannot use this input"), error_text(error))
            return False
        if spec.shape == (1, 28, 28) and image.shape != spec.shape and _is_picture(path):
            # A photo or drawing for an MNIST-sized design: show what MNIST-style preparation
            # makes of it, and let the user choose.
            image = prepare_and_choose(self._window, image)
            if image is None:
                return False
        self.document.set_image(fit_image_to_spec(image, self.document.design.input),
                                self.tr("Load input {name}").format(name=Path(path).name),
                                ImageSource.file(path))
        self._remember_folder(path)
        return True

    # The dialogs below load torch-backed modules only when first used, so start-up stays fast.
    def export_code(self) -> None:
        from convdesigner.ui.dialogs.export import ExportCodeDialog
        ExportCodeDialog(self.document, self._window).exec()

    def export_current_figure(self) -> None:
        """The view the user last clicked (else the centre's tab in front), slide-ready."""
        from convdesigner.ui.slide_figure import export_slide_figure
        window = self._window
        clicked = getattr(window, "clicked_view", None)
        view = clicked.view if clicked is not None and clicked.view is not None else None
        if view is None or not view.isVisible():
            view = window.views.currentWidget()
        export_slide_figure(window, view)

    def import_weights(self) -> bool:
        from convdesigner.ui.dialogs.import_weights import import_weights
        return import_weights(self._window, self.document)

    def offer_recovery(self, recovered: list[Recovered]) -> bool:
        """After a crash: offer to restore what the crashed sessions autosaved, newest first.
        A restored design is unsaved (its file, if it had one, is where Save writes). Returns
        True when one was restored; the rest stay for the next start unless discarded."""
        from convdesigner.ui.state.autosave import discard, release
        restored = False
        for item in recovered:
            if restored:
                release(item.session)
                continue
            name = item.source_path.name if item.source_path else (
                translate("lessons", item.design.name) if item.design.name else self.tr("Untitled"))
            answer = _ask_restore(
                self._window, self.tr("Restore unsaved work?"),
                self.tr("ConvDesigner did not close properly. It autosaved “{name}” at {time}, with "
                        "changes that were not saved. Restore them?").format(
                    name=name, time=time.strftime("%H:%M", time.localtime(item.saved_at))))
            if answer == QMessageBox.Yes:
                try:
                    self.document.reset(item.design, None, item.source_path)
                except Exception as error:  # noqa: BLE001 -- keep the snapshot for another try
                    QMessageBox.critical(self._window, self.tr("Cannot restore"), error_text(error))
                    release(item.session)
                    continue
                self.document.undo_stack.resetClean()   # restored work is unsaved work
                self._window.select_initial_layer()
                discard(item.session)
                restored = True
            elif answer == QMessageBox.Discard:
                discard(item.session)
            else:
                release(item.session)
        return restored
