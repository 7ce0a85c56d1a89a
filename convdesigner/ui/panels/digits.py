"""The MNIST digit browser: the bundled digits (or an opened IDX data set), offline.

:class:`DigitBrowser` -- a compact dock panel: source (bundled / opened IDX files), a label
filter, a lazily drawn thumbnail grid (:class:`~convdesigner.ui.panels.digit_list.DigitListModel`
+ :class:`~convdesigner.ui.panels.digit_list.DigitDelegate`), Random / Previous / Next, and a
status line naming the digit on the input (``mnist:7:12``). One click or Enter puts a digit on the
input as one undo step.

The sources are in :mod:`convdesigner.data.digit_sources`; the dialog that prepares a user's
picture like an MNIST digit is :mod:`convdesigner.ui.dialogs.prepare`.

Threading: GUI thread only.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convdesigner.data.digit_sources import BundledSource, DigitSource, IdxSource, find_labels_file
from convdesigner.data.fit import fit_image_to_spec
from convdesigner.data.loaders import load_idx_dataset
from convdesigner.ui.panels.digit_list import DigitDelegate, DigitListModel
from convdesigner.ui.state.document import DesignDocument, ImageSource
from convdesigner.ui.widgets.busy import Cancelled, error_text, run_busy
from convdesigner.ui.widgets.eliding import ElidingToolButton

LABELS = tuple(range(10))


class DigitBrowser(QWidget):
    """A dock panel to put MNIST digits on the document's input (see the module docstring).

    ``seed`` seeds the generator behind Random (None: a fresh seed every run).
    """

    #: The digit just put on the input: its name (``mnist:7:12`` or ``file #1234``).
    digitUsed = Signal(str)
    #: The source being browsed changed (bundled or an opened data set).
    sourceChanged = Signal()


    def __init__(self, document: DesignDocument, parent: QWidget | None = None, *,
                 seed: int | None = None, settings=None) -> None:
        super().__init__(parent)
        self._document = document
        # The app's AppSettings (where a data set was last opened from), or None.
        self._settings = settings
        self._rng = np.random.default_rng(seed)
        self._sources: list[DigitSource] = [BundledSource()]
        # (source, position, name, digit [1, H, W]), newest last.

        self.model = DigitListModel(self._sources[0], self)

        # Source row.
        self.source_combo = QComboBox()
        self.source_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.source_combo.setMinimumContentsLength(8)
        self.source_combo.setToolTip(self.tr(
            "Which digits to browse: the 10,000 bundled MNIST test digits (no download needed) "
            "or an MNIST-style IDX data set you opened"))
        self.source_combo.addItem(self._source_title(self._sources[0]))
        self.source_combo.setItemData(0, self._source_tooltip(self._sources[0]), Qt.ToolTipRole)
        self.source_combo.currentIndexChanged.connect(self._source_chosen)
        self.open_button = ElidingToolButton()
        self.open_button.setText(self.tr("Open MNIST data set…"))
        self.open_button.setToolTip(self.tr(
            "Browse an MNIST-style data set: choose a …-images-idx3-ubyte file (.gz allowed); the "
            "matching …-labels-idx1-ubyte file next to it is found by name"))
        self.open_button.clicked.connect(self.open_dataset_dialog)

        # Label filter.
        self.label_group = QButtonGroup(self)
        self.label_group.setExclusive(True)
        self.label_buttons: dict[int | None, QToolButton] = {}
        label_row = QHBoxLayout()
        label_row.setSpacing(1)
        for label in (None, *LABELS):
            button = QToolButton()
            button.setText(self.tr("All") if label is None else str(label))
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 10)
            self.label_group.addButton(button, -1 if label is None else label)
            self.label_buttons[label] = button
            label_row.addWidget(button, 3 if label is None else 2)
        self.label_buttons[None].setChecked(True)
        self.label_group.idClicked.connect(lambda id_: self.set_label(None if id_ < 0 else id_))

        # The grid.
        self.view = QListView()
        self.view.setViewMode(QListView.IconMode)
        self.view.setMovement(QListView.Static)
        self.view.setFlow(QListView.LeftToRight)
        self.view.setWrapping(True)
        self.view.setResizeMode(QListView.Adjust)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(0)
        self.view.setGridSize(QSize(DigitDelegate.CELL, DigitDelegate.CELL))
        self.view.setIconSize(QSize(DigitListModel.THUMBNAIL_SIDE, DigitListModel.THUMBNAIL_SIDE))
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setDragEnabled(False)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
        self.view.setMinimumHeight(3 * DigitDelegate.CELL + 4)
        self.view.setModel(self.model)
        self.delegate = DigitDelegate(self.model, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setToolTip(self.tr(
            "Click a digit (or press Enter) to put it on the input; arrow keys move, R picks a random one"))
        self.view.clicked.connect(self._use_index)
        # A double click is a click too; using the same digit again makes no second undo step.
        self.view.doubleClicked.connect(self._use_index)
        self.view.installEventFilter(self)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

        # Buttons.
        self.previous_button = QPushButton(self.tr("◀ Previous"))
        self.previous_button.setToolTip(self.tr("Put the previous digit of this label on the input"))
        self.previous_button.clicked.connect(self.previous)
        self.random_button = QPushButton()
        self.random_button.clicked.connect(self.random)
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setToolTip(self.tr("Put the next digit of this label on the input"))
        self.next_button.clicked.connect(self.next)
        for button in (self.previous_button, self.random_button, self.next_button):
            button.setAutoDefault(False)
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            button.setMinimumWidth(10)

        self.count_label = QLabel()
        self.count_label.setWordWrap(True)   # never wider than the grid, in any language
        self.count_label.setToolTip(self.tr("How many digits the grid shows"))
        self.status_label = QLabel()
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.status_label.setWordWrap(True)
        self.status_label.setToolTip(self.tr(
            "Which digit is on the input, by the name the command line accepts (e.g. mnist:7:12); "
            "'painted' once the input was painted or replaced and is no longer that digit"))

        source_row = QHBoxLayout()
        source_row.addWidget(self.source_combo, 1)
        source_row.addWidget(self.open_button)
        button_row = QHBoxLayout()
        button_row.setSpacing(4)
        button_row.addWidget(self.previous_button)
        button_row.addWidget(self.random_button)
        button_row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(source_row)
        layout.addLayout(label_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(button_row)
        layout.addWidget(self.status_label)

        document.imageSourceChanged.connect(self._refresh_status)
        document.imageChanged.connect(self._refresh_status)   # blank or painted
        self._update_filter()
        self._after_reset()
        self._refresh_status()

    def sizeHint(self) -> QSize:
        return QSize(300, 520)

    # -- public API -----------------------------------------------------------------------------
    @property
    def source(self) -> DigitSource:
        return self.model.source

    @property
    def label(self) -> int | None:
        return self.model.label

    @property
    def on_input(self) -> str | None:
        """Name of the browsed digit on the input now (``mnist:7:12``), or None."""
        source = self._document.image_source
        return source.name if source.kind == ImageSource.DIGIT else None

    def set_label(self, label: int | None) -> None:
        """Show only the digits labelled ``label`` (None: all)."""
        if label is not None and not self.source.positions(label).size:
            label = None
        self.model.set_label(label)
        button = self.label_buttons.get(label)
        if button is not None and not button.isChecked():
            button.setChecked(True)
        self._after_reset()

    def use_row(self, row: int) -> None:
        """Put the digit in ``row`` of the grid on the input (one undo step) and make it current."""
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self._use_index(index)

    def use_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._use_index(index)

    def random(self) -> None:
        """Put a random digit of the chosen label on the input."""
        count = self.model.rowCount()
        if count:
            self.use_row(int(self._rng.integers(count)))

    def next(self) -> None:
        """Put the next digit (within the label) on the input; the first when none is current."""
        row = self.view.currentIndex().row()
        self.use_row(row + 1 if row >= 0 else 0)

    def previous(self) -> None:
        """Put the previous digit (within the label) on the input; the last when none is current."""
        row = self.view.currentIndex().row()
        self.use_row(row - 1 if row >= 0 else self.model.rowCount() - 1)

    def open_dataset_dialog(self) -> None:
        folder = self._settings.value("files/data_folder") if self._settings is not None else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open MNIST data set"), folder,
            self.tr("MNIST image files (*-images-idx3-ubyte *-images-idx3-ubyte.gz *images.idx3-ubyte "
                    "*images.idx3-ubyte.gz *.idx3 *.idx);;All files (*)"))
        if path:
            self.open_dataset(path)

    def open_dataset(self, path: str | os.PathLike[str]) -> bool:
        """Browse the IDX data set at ``path`` (+ its label file, found by name); False, with an
        error box and the previous source kept, when it cannot be read."""
        path = Path(path)
        labels_path = find_labels_file(path)
        try:
            # Read on a worker thread (MNIST's 60,000 digits, gzipped, take a moment).
            dataset = run_busy(self, self.tr("Opening {name}…").format(name=path.name),
                               lambda: load_idx_dataset(path, labels_path), cancellable=True)
        except Cancelled:
            return False
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, say so; nothing changed
            QMessageBox.critical(self, self.tr("Cannot open the data set"), error_text(error))
            return False
        if self._settings is not None:
            self._settings.set_value("files/data_folder", str(path.parent))
        source = IdxSource(dataset, path, labels_path)
        for number, existing in enumerate(self._sources):
            if isinstance(existing, IdxSource) and existing.path.resolve() == path.resolve():
                self._sources[number] = source  # opened again: read afresh
                self.source_combo.setItemText(number, self._source_title(source))
                self.source_combo.setItemData(number, self._source_tooltip(source), Qt.ToolTipRole)
                if self.source_combo.currentIndex() == number:
                    self._source_chosen(number)
                else:
                    self.source_combo.setCurrentIndex(number)
                return True
        self._sources.append(source)
        self.source_combo.addItem(self._source_title(source))
        self.source_combo.setItemData(len(self._sources) - 1, self._source_tooltip(source), Qt.ToolTipRole)
        self.source_combo.setCurrentIndex(len(self._sources) - 1)
        return True

    # -- events ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.KeyPress and self._handle_key(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeypadModifier
        if modifiers != Qt.NoModifier:
            return False
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.use_current()
            return True
        if event.key() == Qt.Key_R:
            self.random()
            return True
        return False

    # -- internals ------------------------------------------------------------------------------
    def _source_title(self, source: DigitSource) -> str:
        if isinstance(source, BundledSource):
            return self.tr("Bundled")
        return source.name

    def _source_tooltip(self, source: DigitSource) -> str:
        if isinstance(source, IdxSource):
            if source.labels_path is None:
                return self.tr("{count:,} images from {path}\nNo label file was found next to it, so they "
                               "are unlabelled").format(count=len(source), path=source.path)
            return self.tr("{count:,} images from {path}\nLabels from {labels}").format(
                count=len(source), path=source.path, labels=source.labels_path.name)
        return self.tr("The {count:,} MNIST test digits shipped with ConvDesigner").format(count=len(source))

    def _source_chosen(self, number: int) -> None:
        if not 0 <= number < len(self._sources):
            return
        self.model.set_source(self._sources[number])
        self._update_filter()
        button = self.label_buttons[self.model.label]
        button.setChecked(True)
        self._after_reset()
        self.sourceChanged.emit()

    def _update_filter(self) -> None:
        source = self.source
        for label, button in self.label_buttons.items():
            count = len(source.positions(label))
            button.setEnabled(count > 0)
            if label is None:
                button.setToolTip(self.tr("Show all {count:,} digits").format(count=count))
            elif not source.labelled:
                button.setToolTip(self.tr("This data set has no labels"))
            else:
                button.setToolTip(self.tr("Show only the digits labelled {label} ({count:,} of them)").format(
                    label=label, count=count))

    def _after_reset(self) -> None:
        """After the model was reset (new label or source): mark, scroll, texts, buttons."""
        position = self._position_on_input()
        self.model.set_on_input(position)
        row = None if position is None else self.model.row_of(position)
        if row is not None:
            index = self.model.index(row)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        else:
            self.view.scrollToTop()
        label = self.model.label
        count = self.model.rowCount()
        if label is None:
            self.random_button.setText(self.tr("Random"))
            self.random_button.setToolTip(self.tr("Put a random digit on the input (R)"))
            self.count_label.setText(self.tr("{count:,} digits").format(count=count))
        else:
            self.random_button.setText(self.tr("Random {label}").format(label=label))
            self.random_button.setToolTip(
                self.tr("Put a random digit labelled {label} on the input (R)").format(label=label))
            self.count_label.setText(self.tr("{count:,} digits labelled {label}").format(count=count, label=label))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.view.currentIndex().row(), self.model.rowCount()
        self.previous_button.setEnabled(count > 0 and row != 0)
        self.next_button.setEnabled(count > 0 and row < count - 1)
        self.random_button.setEnabled(count > 0)

    def _use_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        source = self.source
        position = self.model.position(index.row())
        digit = source.digit(position)
        if isinstance(source, BundledSource):
            label, number = source.label(position), source.index(position)
            name = source.spec(position)
            description = self.tr("Use MNIST digit {label} #{index}").format(label=label, index=number)
        else:
            name = self.tr("{file} #{position}").format(file=source.name, position=position)
            description = self.tr("Use {file} image {position}").format(file=source.name, position=position)
        self._document.set_image(fit_image_to_spec(digit, self._document.design.input), description,
                                 ImageSource.digit(name, _dataset_key(source), position))
        self.digitUsed.emit(name)

    def _position_on_input(self) -> int | None:
        """The position in the browsed source of the digit on the input (the document records
        where its image came from), or None."""
        source = self._document.image_source
        if source.kind == ImageSource.DIGIT and source.dataset == _dataset_key(self.source):
            return source.position
        return None

    def _refresh_status(self) -> None:
        name = self.on_input
        if name is not None:
            text = self.tr("On the input: {name}").format(name=name)
        else:
            blank = not np.any(self._document.image)
            text = self.tr("On the input: blank") if blank else self.tr("On the input: painted")
        self.model.set_on_input(self._position_on_input())
        self.status_label.setText(text)


def _dataset_key(source: DigitSource) -> str:
    """How an :class:`ImageSource` names the data set of ``source``."""
    return str(source.path) if isinstance(source, IdxSource) else source.name


__all__ = ["DigitBrowser"]
