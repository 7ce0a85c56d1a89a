"""The digits of a source as a list of lazily drawn thumbnails, and their delegate.

* :class:`DigitListModel` -- the digits of one source and label as a flat list;
* :class:`DigitDelegate` -- paints a thumbnail in a fixed cell, marks the digit on the input;
* :func:`thumbnail_image` -- stored pixels → a small QImage.

Thumbnails are made on demand: the model draws one only when the view paints its cell, and keeps
at most :attr:`DigitListModel.CACHE_LIMIT` of them, so 60,000 digits cost no more than a page.

Threading: GUI thread only.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from convdesigner.data.digit_sources import BundledSource, DigitSource
from convdesigner.ui.panels.canvas import image_to_qimage

#: Colour of the mark on the digit that is on the input, and of the overlays in PrepareDialog.
ACCENT = QColor(255, 140, 0)


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


__all__ = ["ACCENT", "DigitDelegate", "DigitListModel", "thumbnail_image"]
