"""MNIST digits that work offline: a browser of the bundled digits (or an opened IDX data set),
and a dialog that prepares a user's photo or drawing the way MNIST's digits were prepared.

* :class:`DigitBrowser` -- a compact dock panel: source (bundled / opened IDX files), a label
  filter, a lazily drawn thumbnail grid (:class:`DigitListModel` + :class:`DigitDelegate`),
  Random / Previous / Next, and a status line naming the digit on the input (``mnist:7:12``).
  One click or Enter puts a digit on the input as one undo step.
* :class:`PrepareDialog` and :func:`prepare_and_choose` -- "what you gave" → "what the network
  receives", with the facts of the preparation, and the choice of prepared / as it is / cancel.

Thumbnails are made on demand: the model draws one only when the view paints its cell, and keeps
at most :attr:`DigitListModel.CACHE_LIMIT` of them, so 60,000 digits cost no more than a page.

Threading: GUI thread only.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel, QCoreApplication, QEvent, QModelIndex, QObject, QPersistentModelIndex,
    QPointF, QRect, QRectF, QSize, Qt, Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGridLayout, QHBoxLayout, QLabel, QListView, QMessageBox, QPushButton, QSizePolicy,
    QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolButton, QVBoxLayout, QWidget,
)

from convdesigner.data.loaders import IdxDataset, convert_channels, load_idx_dataset
from convdesigner.data.mnist import bundled_digit, bundled_images, bundled_labels
from convdesigner.data.prepare import FIELD_CENTER, FIELD_SIDE, FIT_SIDE, PreparedDigit, prepare_mnist_style
from convdesigner.errors import ConvDesignerError
from convdesigner.ui.panels.canvas import image_to_qimage
from convdesigner.ui.state.document import DesignDocument, ImageSource
from convdesigner.ui.widgets.eliding import ElidingToolButton
from convdesigner.data.fit import fit_image_to_spec

#: Colour of the mark on the digit that is on the input, and of the overlays in PrepareDialog.
ACCENT = QColor(255, 140, 0)

LABELS = tuple(range(10))


# ---------------------------------------------------------------------------------------------
# Sources of digits
# ---------------------------------------------------------------------------------------------
def _ranks(labels: np.ndarray | None, count: int) -> np.ndarray:
    """For each position, its index among the digits with the same label (its position when unlabelled)."""
    if labels is None:
        return np.arange(count, dtype=np.int64)
    ranks = np.empty(count, dtype=np.int64)
    for label in np.unique(labels):
        where = np.flatnonzero(labels == label)
        ranks[where] = np.arange(where.size, dtype=np.int64)
    return ranks


class DigitSource:
    """Digits to browse: ``images`` [N, H, W] as stored, ``labels`` [N] or None, and how to use one.

    A *position* is an image's place in ``images``; the *index* of a labelled digit counts from 0
    within its label (``mnist:7:12`` is the 7 with index 12).
    """

    def __init__(self, name: str, images: np.ndarray, labels: np.ndarray | None) -> None:
        self.name = name
        self.images = images
        self.labels = labels
        self._ranks = _ranks(labels, len(images))
        self._positions: dict[int | None, np.ndarray] = {}

    @property
    def bundled(self) -> bool:
        return False

    @property
    def labelled(self) -> bool:
        return self.labels is not None

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def positions(self, label: int | None) -> np.ndarray:
        """Positions (ascending) of the digits labelled ``label``; every position for None."""
        if label not in self._positions:
            if label is None:
                self._positions[label] = np.arange(len(self), dtype=np.int64)
            elif self.labels is None:
                self._positions[label] = np.zeros(0, dtype=np.int64)
            else:
                self._positions[label] = np.flatnonzero(self.labels == label)
        return self._positions[label]

    def label(self, position: int) -> int | None:
        return None if self.labels is None else int(self.labels[position])

    def index(self, position: int) -> int:
        """Index of the digit at ``position`` within its label (its position when unlabelled)."""
        return int(self._ranks[position])

    def digit(self, position: int) -> np.ndarray:
        """The digit at ``position`` as a new float32 [1, H, W] array (ubyte scaled to [0, 1])."""
        raise NotImplementedError

    def raw(self, position: int) -> np.ndarray:
        """The stored pixels [H, W] of the digit at ``position`` (for thumbnails)."""
        return self.images[position]


class BundledSource(DigitSource):
    """The 10,000 bundled MNIST test digits."""

    def __init__(self) -> None:
        super().__init__("mnist", bundled_images(), bundled_labels())

    @property
    def bundled(self) -> bool:
        return True

    def digit(self, position: int) -> np.ndarray:
        return bundled_digit(self.label(position), self.index(position))[np.newaxis]

    def spec(self, position: int) -> str:
        """``mnist:LABEL:INDEX``, the name the command line and the app accept for this digit."""
        return f"mnist:{self.label(position)}:{self.index(position)}"


class IdxSource(DigitSource):
    """An IDX data set the user opened (its labels when a matching label file was found)."""

    def __init__(self, dataset: IdxDataset, path: Path, labels_path: Path | None) -> None:
        super().__init__(dataset.name, dataset.images, dataset.labels)
        self.dataset = dataset
        self.path = path
        self.labels_path = labels_path

    def digit(self, position: int) -> np.ndarray:
        return self.dataset.image(position)


def find_labels_file(images_path: str | os.PathLike[str]) -> Path | None:
    """The IDX label file that goes with an IDX image file, found next to it by name, or None.

    ``train-images-idx3-ubyte(.gz)`` → ``train-labels-idx1-ubyte(.gz)``, ``t10k-images.idx3-ubyte``
    → ``t10k-labels.idx1-ubyte``; compressed or not, whatever the image file is; case ignored.
    """
    images_path = Path(images_path)
    lower = images_path.name.lower()
    if "images" not in lower:
        return None
    start = lower.rfind("images")
    bare = (lower[:start] + "labels" + lower[start + len("images"):]).replace("idx3", "idx1")
    bare = bare.removesuffix(".gz")
    wanted = [bare, bare + ".gz"]
    try:
        entries = {entry.name.lower(): entry for entry in images_path.parent.iterdir() if entry.is_file()}
    except OSError:
        return None
    for name in wanted:
        if name in entries:
            return entries[name]
    return None


# ---------------------------------------------------------------------------------------------
# The model and its delegate
# ---------------------------------------------------------------------------------------------
def thumbnail_image(pixels: np.ndarray, side: int) -> QImage:
    """Stored pixels [H, W] → a QImage that fits ``side``×``side`` (white ink on black, as the canvas shows).

    ubyte pixels are shown as they are; other types like :func:`image_to_qimage` shows them.
    Small pictures are enlarged by whole-pixel repetition (sharp), larger ones shrunk smoothly.
    """
    if pixels.dtype == np.uint8:
        gray = np.ascontiguousarray(pixels)
        image = QImage(gray.data, gray.shape[1], gray.shape[0], gray.strides[0], QImage.Format_Grayscale8).copy()
    else:
        image = image_to_qimage(np.clip(np.asarray(pixels, dtype=np.float32), 0.0, None)[np.newaxis])
    height, width = pixels.shape
    smooth = height > side or width > side
    return image.scaled(side, side, Qt.KeepAspectRatio,
                        Qt.SmoothTransformation if smooth else Qt.FastTransformation)


class DigitListModel(QAbstractListModel):
    """The digits of one source and label as a flat list; thumbnails are drawn lazily and cached.

    Rows are the digits labelled :attr:`label` (all of them when it is None) in stored order.
    ``data(DecorationRole)`` draws the row's thumbnail the first time it is asked for and keeps
    the newest :attr:`CACHE_LIMIT` of them.
    """

    PositionRole = Qt.UserRole + 1   # int: place of the digit in its source
    LabelRole = Qt.UserRole + 2      # int | None
    IndexRole = Qt.UserRole + 3      # int: index within its label
    OnInputRole = Qt.UserRole + 4    # bool: this digit is on the input now

    THUMBNAIL_SIDE = 56
    CACHE_LIMIT = 600

    def __init__(self, source: DigitSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._label: int | None = None
        self._positions = source.positions(None)
        self._cache: OrderedDict[int, QPixmap] = OrderedDict()
        self._on_input: int | None = None
        self.thumbnails_made = 0  # how many thumbnails were ever drawn (tests, diagnostics)

    # -- state ----------------------------------------------------------------------------------
    @property
    def source(self) -> DigitSource:
        return self._source

    @property
    def label(self) -> int | None:
        return self._label

    @property
    def cache_size(self) -> int:
        return len(self._cache)

    def set_source(self, source: DigitSource) -> None:
        """Browse ``source``; the label filter stays when the source has that label, else it is All."""
        if source is self._source:
            return
        self.beginResetModel()
        self._source = source
        self._cache.clear()
        self._on_input = None
        if self._label is not None and not source.positions(self._label).size:
            self._label = None
        self._positions = source.positions(self._label)
        self.endResetModel()

    def set_label(self, label: int | None) -> None:
        if label == self._label:
            return
        self.beginResetModel()
        self._label = label
        self._positions = self._source.positions(label)
        self.endResetModel()

    def position(self, row: int) -> int:
        return int(self._positions[row])

    def row_of(self, position: int) -> int | None:
        """The row showing ``position``, or None when the filter hides it."""
        row = int(np.searchsorted(self._positions, position))
        if row < len(self._positions) and self._positions[row] == position:
            return row
        return None

    def set_on_input(self, position: int | None) -> None:
        """Mark the digit at ``position`` of this model's source as the one on the input (None: none)."""
        if position == self._on_input:
            return
        old, self._on_input = self._on_input, position
        for changed in (old, position):
            row = None if changed is None else self.row_of(changed)
            if row is not None:
                index = self.index(row)
                self.dataChanged.emit(index, index, [self.OnInputRole])

    # -- QAbstractListModel ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._positions)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._positions):
            return None
        position = int(self._positions[index.row()])
        if role == Qt.DecorationRole:
            return self._thumbnail(position)
        if role == Qt.ToolTipRole:
            return self._tooltip(position)
        if role == Qt.AccessibleTextRole:
            return self._accessible_text(position)
        if role == self.PositionRole:
            return position
        if role == self.LabelRole:
            return self._source.label(position)
        if role == self.IndexRole:
            return self._source.index(position)
        if role == self.OnInputRole:
            return position == self._on_input
        return None

    # -- helpers --------------------------------------------------------------------------------
    def _thumbnail(self, position: int) -> QPixmap:
        pixmap = self._cache.get(position)
        if pixmap is not None:
            self._cache.move_to_end(position)
            return pixmap
        pixmap = QPixmap.fromImage(thumbnail_image(self._source.raw(position), self.THUMBNAIL_SIDE))
        self.thumbnails_made += 1
        self._cache[position] = pixmap
        while len(self._cache) > self.CACHE_LIMIT:
            self._cache.popitem(last=False)
        return pixmap

    def _tooltip(self, position: int) -> str:
        source, label, index = self._source, self._source.label(position), self._source.index(position)
        if isinstance(source, BundledSource):
            return self.tr("{label} · #{index} — use as input with {spec}").format(
                label=label, index=index, spec=source.spec(position))
        if label is None:
            return self.tr("#{position} of {file}").format(position=position, file=source.name)
        return self.tr("{label} · #{index} — image {position} of {file}").format(
            label=label, index=index, position=position, file=source.name)

    def _accessible_text(self, position: int) -> str:
        label = self._source.label(position)
        if label is None:
            return self.tr("image {position}").format(position=position)
        return self.tr("digit {label}, number {index}").format(label=label, index=self._source.index(position))


class DigitDelegate(QStyledItemDelegate):
    """Paints a thumbnail in a fixed cell: the selection as a frame, the digit on the input with an
    orange frame, and (when all labels are shown) the label in a corner.

    Its size hint never asks the model for data, so laying out 60,000 rows draws nothing.
    """

    CELL = 62

    def __init__(self, model: DigitListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self.CELL, self.CELL)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        rect: QRect = option.rect
        palette = option.palette
        selected = bool(option.state & QStyle.State_Selected)
        if selected:
            painter.fillRect(rect.adjusted(1, 1, -1, -1), palette.highlight())
        pixmap = index.data(Qt.DecorationRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            x = rect.x() + (rect.width() - pixmap.width()) // 2
            y = rect.y() + (rect.height() - pixmap.height()) // 2
            painter.drawPixmap(x, y, pixmap)
            inner = QRect(x, y, pixmap.width(), pixmap.height())
        else:
            inner = rect.adjusted(3, 3, -3, -3)
        if index.data(DigitListModel.OnInputRole):
            painter.setPen(QPen(ACCENT, 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(QRectF(inner).adjusted(1, 1, -1, -1))
        if self._model.label is None:
            label = index.data(DigitListModel.LabelRole)
            if label is not None:
                font = QFont(option.font)
                font.setPointSizeF(max(font.pointSizeF() * 0.8, 6.0))
                painter.setFont(font)
                text = str(label)
                metrics = painter.fontMetrics()
                box = QRect(0, 0, metrics.horizontalAdvance(text) + 4, metrics.height())
                box.moveBottomRight(inner.bottomRight())
                painter.fillRect(box, QColor(0, 0, 0, 150))
                painter.setPen(QColor(230, 230, 230))
                painter.drawText(box, Qt.AlignCenter, text)
        if option.state & QStyle.State_HasFocus and not selected:
            painter.setPen(QPen(palette.highlight().color(), 1, Qt.DotLine))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


# ---------------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------------
class DigitBrowser(QWidget):
    """A dock panel to put MNIST digits on the document's input (see the module docstring).

    ``seed`` seeds the generator behind Random (None: a fresh seed every run).
    """

    #: The digit just put on the input: its name (``mnist:7:12`` or ``file #1234``).
    digitUsed = Signal(str)
    #: The source being browsed changed (bundled or an opened data set).
    sourceChanged = Signal()


    def __init__(self, document: DesignDocument, parent: QWidget | None = None, *,
                 seed: int | None = None) -> None:
        super().__init__(parent)
        self._document = document
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
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open MNIST data set"), "",
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
            dataset = load_idx_dataset(path, labels_path)
        except ConvDesignerError as error:
            QMessageBox.critical(self, self.tr("Cannot open the data set"), str(error))
            return False
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


# ---------------------------------------------------------------------------------------------
# Preparing a photo or drawing
# ---------------------------------------------------------------------------------------------
class _PictureView(QWidget):
    """A picture fitted into a square (sharp when enlarged), with an optional box and cross on it
    (both in the picture's pixel coordinates)."""

    def __init__(self, image: QImage, side: int = 196, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = image
        self.box: QRectF | None = None
        self.cross: QPointF | None = None
        self.setFixedSize(side, side)

    def _smooth(self) -> bool:
        """Photos (over 64 pixels a side) are scaled smoothly; small pictures show their pixels."""
        return max(self._image.width(), self._image.height()) > 64

    def picture_rect(self) -> QRectF:
        width, height = self._image.width(), self._image.height()
        scale = min(self.width() / width, self.height() / height)
        if scale >= 1 and not self._smooth():
            scale = float(int(scale))  # whole-pixel enlargement of a small picture: every pixel the same size
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        rect = self.picture_rect()
        scale = rect.width() / self._image.width()
        painter.setRenderHint(QPainter.SmoothPixmapTransform, scale < 1 or self._smooth())
        painter.drawImage(rect, self._image)
        painter.setPen(QPen(QColor(128, 128, 128), 1))
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.setRenderHint(QPainter.Antialiasing, True)
        if self.box is not None:
            painter.setPen(QPen(ACCENT, 2))
            painter.drawRect(QRectF(rect.left() + self.box.left() * scale, rect.top() + self.box.top() * scale,
                                    self.box.width() * scale, self.box.height() * scale))
        if self.cross is not None:
            # Pixel centres are at integer indices, so pixel (r, c) is drawn from c to c + 1.
            x = rect.left() + (self.cross.x() + 0.5) * scale
            y = rect.top() + (self.cross.y() + 0.5) * scale
            arm = max(5.0, scale * 1.5)
            painter.setPen(QPen(ACCENT, 2))
            painter.drawLine(QPointF(x - arm, y), QPointF(x + arm, y))
            painter.drawLine(QPointF(x, y - arm), QPointF(x, y + arm))
        painter.end()


def _as_chw(image: np.ndarray) -> np.ndarray:
    array = np.array(image, dtype=np.float32)
    if array.ndim == 2:
        array = array[np.newaxis]
    if array.ndim != 3:
        raise ValueError(f"a picture is [H, W] or [C, H, W], not shape {array.shape}")
    return array


class PrepareDialog(QDialog):
    """Before / after of :func:`prepare_mnist_style` on a user's picture, and the choice of what to use.

    ``image`` is [H, W] or [C, H, W] (1 or 3 channels) in [0, 1]. The constructor prepares it and
    raises :class:`InputFileError` when it cannot (a blank picture, values outside [0, 1], another
    channel count). After ``exec()``, :attr:`choice` is ``"prepared"``, ``"original"`` or None and
    :meth:`chosen_image` the array to use.
    """

    PREPARED, ORIGINAL = "prepared", "original"

    def __init__(self, image: np.ndarray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = _as_chw(image)
        gray = convert_channels(self.original, 1, self.tr("the picture"))[0]
        self.prepared: PreparedDigit = prepare_mnist_style(gray)
        self.choice: str | None = None
        prepared = self.prepared
        _, height, width = self.original.shape

        self.setWindowTitle(self.tr("Prepare the picture like an MNIST digit"))

        intro = QLabel(self.tr(
            "Networks trained on MNIST expect light ink on black, 28×28, the digit fitted into "
            "20×20 and centred by its mass. This is your picture prepared that way:"))
        intro.setWordWrap(True)

        self.before_view = _PictureView(image_to_qimage(self.original))
        top, left, bottom, right = prepared.bbox
        self.before_view.box = QRectF(left, top, right - left, bottom - top)
        self.before_view.setToolTip(self.tr("Your picture; the orange box is where the ink was found"))
        self.after_view = _PictureView(image_to_qimage(prepared.after[np.newaxis]))
        self.after_view.cross = QPointF(prepared.center_of_mass[1], prepared.center_of_mass[0])
        self.after_view.setToolTip(self.tr(
            "The 28×28 digit the network receives; the orange cross is its centre of mass"))

        arrow = QLabel("→")
        font = arrow.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        arrow.setFont(font)
        arrow.setAlignment(Qt.AlignCenter)

        colour = self.tr("colour") if self.original.shape[0] == 3 else self.tr("grey")
        before_caption = QLabel(self.tr("<b>What you gave</b><br>{width}×{height} pixels, {colour}").format(
            width=width, height=height, colour=colour))
        after_caption = QLabel(self.tr(
            "<b>What the network receives</b><br>{side}×{side}, inverted if dark-on-light, ink fitted "
            "into {fit}×{fit}, centred by mass").format(side=FIELD_SIDE, fit=FIT_SIDE))
        for caption in (before_caption, after_caption):
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
            caption.setFixedWidth(self.before_view.width() + 24)

        pictures = QGridLayout()
        pictures.addWidget(self.before_view, 0, 0, Qt.AlignCenter)
        pictures.addWidget(arrow, 0, 1)
        pictures.addWidget(self.after_view, 0, 2, Qt.AlignCenter)
        pictures.addWidget(before_caption, 1, 0, Qt.AlignHCenter | Qt.AlignTop)
        pictures.addWidget(after_caption, 1, 2, Qt.AlignHCenter | Qt.AlignTop)
        pictures.setColumnStretch(0, 1)
        pictures.setColumnStretch(2, 1)

        if prepared.inverted:
            inverted = self.tr("yes — dark ink on a light background became light ink on black")
        else:
            inverted = self.tr("no — it already was light ink on a dark background")
        row, column = prepared.center_of_mass
        self.inverted_label = QLabel(inverted)
        self.bbox_label = QLabel(self.tr(
            "rows {top}–{bottom}, columns {left}–{right} ({ink_w}×{ink_h} pixels of ink)").format(
                top=top, bottom=bottom - 1, left=left, right=right - 1, ink_w=right - left, ink_h=bottom - top))
        self.center_label = QLabel(self.tr("row {row:.2f}, column {column:.2f} (MNIST: {mr:g}, {mc:g})").format(
            row=row, column=column, mr=FIELD_CENTER[0], mc=FIELD_CENTER[1]))
        for label in (self.inverted_label, self.bbox_label, self.center_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.inverted_label.setToolTip(self.tr(
            "A picture is inverted when its border (the background) is lighter than its middle"))
        self.bbox_label.setToolTip(self.tr(
            "Where the ink is in your picture (first and last row and column, counted from 0)"))
        self.center_label.setToolTip(self.tr(
            "The prepared digit's centre of mass; MNIST centres every digit's mass at the middle of 28×28"))
        facts = QFormLayout()
        facts.addRow(self.tr("Inverted:"), self.inverted_label)
        facts.addRow(self.tr("Ink bounding box:"), self.bbox_label)
        facts.addRow(self.tr("Centre of mass:"), self.center_label)

        buttons = QDialogButtonBox()
        self.prepared_button = buttons.addButton(self.tr("Use prepared"), QDialogButtonBox.AcceptRole)
        self.prepared_button.setToolTip(self.tr("Put the 28×28 MNIST-style digit on the input"))
        self.original_button = buttons.addButton(self.tr("Use as it is"), QDialogButtonBox.AcceptRole)
        self.original_button.setToolTip(self.tr(
            "Put your picture on the input unchanged (fitted to the input's size and channels)"))
        self.cancel_button = buttons.addButton(QDialogButtonBox.Cancel)
        self.cancel_button.setToolTip(self.tr("Leave the input as it is"))
        self.prepared_button.setDefault(True)
        self.prepared_button.clicked.connect(lambda: self._choose(self.PREPARED))
        self.original_button.clicked.connect(lambda: self._choose(self.ORIGINAL))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(pictures)
        layout.addLayout(facts)
        layout.addWidget(buttons)
        self.prepared_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        self.choice = None
        super().reject()

    def chosen_image(self) -> np.ndarray | None:
        """The array chosen, float32 [C, H, W]: the prepared [1, 28, 28] digit, the picture as
        given, or None when cancelled."""
        if self.choice == self.PREPARED:
            return np.array(self.prepared.after, dtype=np.float32)[np.newaxis]
        if self.choice == self.ORIGINAL:
            return self.original.copy()
        return None


def prepare_and_choose(parent: QWidget | None, image: np.ndarray) -> np.ndarray | None:
    """Show :class:`PrepareDialog` for ``image`` and return what the user chose (a new float32
    [C, H, W] array), or None when cancelled or when the picture cannot be prepared -- in which
    case the reason (e.g. a blank picture) is shown in a message box."""
    try:
        dialog = PrepareDialog(image, parent)
    except (ConvDesignerError, ValueError) as error:
        QMessageBox.warning(parent, QCoreApplication.translate("PrepareDialog", "Cannot prepare the picture"),
                            str(error))
        return None
    try:
        dialog.exec()
        return dialog.chosen_image()
    finally:
        dialog.deleteLater()


__all__ = [
    "BundledSource",
    "DigitBrowser",
    "DigitDelegate",
    "DigitListModel",
    "DigitSource",
    "IdxSource",
    "PrepareDialog",
    "find_labels_file",
    "prepare_and_choose",
    "thumbnail_image",
]
