"""Typing the input's numbers one by one: a table per channel, for inputs of up to 16×16.

Hand-worked examples (a 3×5×5 input of small integers) need exact values, which a brush cannot
give. :class:`InputGridEditor` shows one channel at a time (a tab per channel) as a table of its
values; typing a number into a cell and committing it (Enter, Tab, or leaving the cell) is one undo
step through :meth:`DesignDocument.set_image`, holding exactly the float32 of what was typed. The
grid follows the document (``imageChanged``, ``designChanged``) without ever making an edit of its
own. Larger inputs show a note instead: a 28×28 table is no way to draw a digit.

Threading: GUI thread only.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QStyledItemDelegate,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design.numbers import format_compact, parse_value, short_value
from convdesigner.ui.state.document import DesignDocument

#: The largest height and width per channel the grid edits.
MAX_GRID_SIDE = 16
# What a cell accepts (a prefix of it is "intermediate" while typing): 2, -0.5, 1,5, .25, 3e-2.
_NUMBER = QRegularExpression(r"\s*[-+−]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*")


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = min(max(t, 0.0), 1.0)
    return QColor(round(a.red() + (b.red() - a.red()) * t),
                  round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


_WHITE = QColor("#ffffff")
_POSITIVE = QColor("#2166ac")   # the strongest tint for the largest value of a non-negative input
_SIGNED_POSITIVE = QColor("#d6604d")
_SIGNED_NEGATIVE = QColor("#4393c3")


class ChannelTableModel(QAbstractTableModel):
    """One channel of the document's input as a table; :meth:`setData` edits through the document."""

    rejected = Signal(str)   # a typed text that is not a number: the message to show

    def __init__(self, document: DesignDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.channel = 0
        self._scale = 1.0
        self._signed = False
        self._shape = self._grid_shape()
        self._update_levels()

    def _grid_shape(self) -> tuple[int, int]:
        _, height, width = self.document.image.shape
        if height > MAX_GRID_SIDE or width > MAX_GRID_SIDE:
            return (0, 0)
        return (height, width)

    def _update_levels(self) -> None:
        image = self.document.image
        largest = float(np.max(np.abs(image))) if image.size else 0.0
        self._scale = largest if largest > 0 else 1.0
        self._signed = bool(image.size and float(np.min(image)) < 0)

    def set_channel(self, channel: int) -> None:
        self.channel = channel
        self.refresh()

    def refresh(self) -> None:
        """Re-read the document's image (never edits it)."""
        self._update_levels()
        shape = self._grid_shape()
        channels = self.document.image.shape[0]
        if shape != self._shape or self.channel >= channels:
            self.beginResetModel()
            self._shape = shape
            self.channel = min(self.channel, max(channels - 1, 0))
            self.endResetModel()
        elif shape[0] and shape[1]:
            self.dataChanged.emit(self.index(0, 0), self.index(shape[0] - 1, shape[1] - 1))

    # -- the model --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._shape[0]

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._shape[1]

    def value(self, row: int, column: int) -> float:
        return float(self.document.image[self.channel, row, column])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return short_value(value)
        if role == Qt.ItemDataRole.EditRole:
            return format_compact(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Channel {c}, row {y}, column {x}: {value}").format(
                c=self.channel, y=index.row(), x=index.column(), value=format_compact(value))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(value)
        if role == Qt.ItemDataRole.ForegroundRole:
            background = self._background(value)
            return QColor("#ffffff") if background.lightnessF() < 0.55 else QColor("#000000")
        return None

    def _background(self, value: float) -> QColor:
        t = abs(value) / self._scale
        if self._signed:
            return _mix(_WHITE, _SIGNED_POSITIVE if value > 0 else _SIGNED_NEGATIVE, 0.85 * t)
        return _mix(_WHITE, _POSITIVE, 0.9 * t)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (self.tr("Column {x}").format(x=section) if orientation == Qt.Orientation.Horizontal
                    else self.tr("Row {y}").format(y=section))
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Set one value: one undo step "Set input [c, y, x] to v", or nothing when unchanged."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        number = parse_value(value)
        if number is None:
            self.rejected.emit(self.tr("“{text}” is not a number; the value stays {value}.").format(
                text=str(value).strip(), value=format_compact(self.value(index.row(), index.column()))))
            return False
        row, column = index.row(), index.column()
        image = np.array(self.document.image, dtype=np.float32)
        if image[self.channel, row, column] == number:
            return True
        image[self.channel, row, column] = number
        self.document.set_image(image, self.tr("Set input [{c}, {y}, {x}] to {value}").format(
            c=self.channel, y=row, x=column, value=format_compact(number)))
        return True


class _NumberDelegate(QStyledItemDelegate):
    """A line edit that accepts only number-like text, pre-filled with the exact value."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setValidator(QRegularExpressionValidator(_NUMBER, editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor


class InputGridEditor(QWidget):
    """A table per channel of the document's input (tabs choose the channel), for inputs of up to
    :data:`MAX_GRID_SIDE`×:data:`MAX_GRID_SIDE`; a note for larger ones."""

    def __init__(self, document: DesignDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = ChannelTableModel(document, self)
        self.model.rejected.connect(self._show_rejection)

        self.tabs = QTabBar()
        self.tabs.setObjectName("channelTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.currentChanged.connect(self._channel_chosen)
        self.table = QTableView()
        self.table.setObjectName("inputGrid")
        self.table.setModel(self.model)
        self.table.setItemDelegate(_NumberDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setToolTip(self.tr("Type a number into a cell and press Enter or Tab; each "
                                      "value is one step in the history (Ctrl+Z undoes it)"))
        for header, size in ((self.table.horizontalHeader(), 46), (self.table.verticalHeader(), 28)):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setDefaultSectionSize(size)
            header.setMinimumSectionSize(20)
        self.hint = QLabel()
        self.hint.setObjectName("gridHint")
        self.hint.setWordWrap(True)
        self.hint.setContentsMargins(4, 2, 4, 2)

        grid_page = QWidget()
        grid_layout = QVBoxLayout(grid_page)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(self.tabs)
        grid_layout.addWidget(self.table, 1)
        grid_layout.addWidget(self.hint)
        self.too_large = QLabel()
        self.too_large.setObjectName("gridTooLarge")
        self.too_large.setWordWrap(True)
        self.too_large.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.too_large.setMargin(16)
        self.pages = QStackedWidget()
        self.pages.addWidget(grid_page)
        self.pages.addWidget(self.too_large)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        document.imageChanged.connect(self.refresh)
        document.designChanged.connect(self.refresh)
        self.refresh()

    @property
    def editable(self) -> bool:
        """True when the input is small enough to be shown as a grid."""
        return self.pages.currentIndex() == 0

    def refresh(self) -> None:
        """Follow the document's image and input shape (never edits the document)."""
        channels, height, width = self.document.image.shape
        small = height <= MAX_GRID_SIDE and width <= MAX_GRID_SIDE
        if not small:
            self.too_large.setText(self.tr(
                "The grid is for inputs of up to {max}×{max} pixels per channel; this input is "
                "{h}×{w}. Paint on the canvas or open an image instead.").format(
                    max=MAX_GRID_SIDE, h=height, w=width))
            self.pages.setCurrentIndex(1)
        else:
            self.pages.setCurrentIndex(0)
        if self.tabs.count() != channels:
            self.tabs.blockSignals(True)
            while self.tabs.count() > channels:
                self.tabs.removeTab(self.tabs.count() - 1)
            while self.tabs.count() < channels:
                index = self.tabs.count()
                self.tabs.addTab(self.tr("Channel {c}").format(c=index))
                self.tabs.setTabToolTip(index, self.tr("Show and edit input channel {c}").format(c=index))
            self.tabs.setCurrentIndex(min(self.model.channel, channels - 1))
            self.tabs.blockSignals(False)
        self.tabs.setVisible(channels > 1)
        self.model.refresh()
        if self.tabs.currentIndex() != self.model.channel:
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(self.model.channel)
            self.tabs.blockSignals(False)
        self.hint.setText(self.tr("Input {c} × {h} × {w}. Double-click or type into a cell to "
                                  "set its value.").format(c=channels, h=height, w=width))

    def _channel_chosen(self, channel: int) -> None:
        if channel >= 0:
            self.model.set_channel(channel)

    def _show_rejection(self, message: str) -> None:
        self.hint.setText(message)

    def edit_cell(self, channel: int, row: int, column: int, text: str) -> bool:
        """Commit ``text`` into one cell, as typing it would (for scripts and tests)."""
        self.tabs.setCurrentIndex(channel)
        self.model.set_channel(channel)
        return self.model.setData(self.model.index(row, column), text, Qt.ItemDataRole.EditRole)
