"""A large rendering of one sub-kernel's weights, one square per weight, to paint on.

:class:`KernelPaintArea` colours each weight on the diverging blue – white – red scale (the same
colours the kernel mosaics draw) and turns mouse strokes into ``strokeStarted`` / ``cellEntered``
/ ``strokeFinished`` signals; it knows nothing of the design or the document -- the kernel editor
(:mod:`convdesigner.ui.panels.kernel_editor`) turns the signals into edits and hands back the
values with :meth:`KernelPaintArea.set_values`.

Threading: GUI thread only.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from convdesigner.design.numbers import cell_decimals, cell_text
from convdesigner.ui.views.colors import diverging_qcolor


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads on ``background``."""
    return QColor(Qt.black) if background.lightness() > 140 else QColor(Qt.white)


class KernelPaintArea(QWidget):
    """A large rendering of one sub-kernel, one square per weight, to paint on.

    Emits ``strokeStarted(sign)`` on a press (+1 left button, −1 right button), ``cellEntered(row,
    column)`` for the pressed cell and for every further cell the stroke enters (cells between two
    mouse samples included, so a quick drag skips none), and ``strokeFinished()`` on the release.
    It never changes values itself: the editor does, and calls :meth:`set_values`.
    """

    strokeStarted = Signal(float)
    cellEntered = Signal(int, int)
    strokeFinished = Signal()
    hovered = Signal(int, int)      # (-1, -1) when the mouse is not over a cell

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = np.zeros((1, 1), dtype=np.float32)
        self._levels = (-1.0, 1.0)
        self._last_cell: tuple[int, int] | None = None
        self._stroking = False
        self._hover: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(96, 96)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setCursor(Qt.CrossCursor)
        self.setContextMenuPolicy(Qt.PreventContextMenu)   # the right button paints
        self.setToolTip(self.tr("Paint the weights: the left button adds the step to each cell the "
                                "stroke passes, the right button subtracts it. One stroke is one "
                                "undo step."))

    def sizeHint(self) -> QSize:
        return QSize(180, 180)

    @property
    def stroking(self) -> bool:
        return self._stroking

    def set_values(self, values: np.ndarray, levels: tuple[float, float]) -> None:
        self._values = np.array(values, dtype=np.float32)
        self._levels = levels
        self.update()

    # -- geometry -------------------------------------------------------------------------------
    def cell_size(self) -> float:
        kh, kw = self._values.shape
        return max(min((self.width() - 2) / kw, (self.height() - 2) / kh), 1.0)

    def grid_rect(self) -> QRectF:
        kh, kw = self._values.shape
        size = self.cell_size()
        width, height = kw * size, kh * size
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def cell_at(self, point: QPointF | QPoint) -> tuple[int, int] | None:
        """``(row, column)`` of the cell under ``point`` (widget coordinates), or None."""
        rect, size = self.grid_rect(), self.cell_size()
        column = math.floor((point.x() - rect.left()) / size)
        row = math.floor((point.y() - rect.top()) / size)
        kh, kw = self._values.shape
        return (row, column) if 0 <= row < kh and 0 <= column < kw else None

    def cell_centre(self, row: int, column: int) -> QPoint:
        """The centre of a cell in widget coordinates (for tests and tooltips)."""
        rect, size = self.grid_rect(), self.cell_size()
        return QPoint(int(rect.left() + (column + 0.5) * size), int(rect.top() + (row + 0.5) * size))

    # -- drawing --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        rect, size = self.grid_rect(), self.cell_size()
        kh, kw = self._values.shape
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, min(size / 5.0, 10.0)))
        painter.setFont(font)
        decimals = cell_decimals(self._values)
        show_text = size >= 40
        for row in range(kh):
            for column in range(kw):
                cell = QRectF(rect.left() + column * size, rect.top() + row * size, size, size)
                colour = diverging_qcolor(self._values[row, column], self._levels)
                painter.fillRect(cell, colour)
                if show_text:
                    painter.setPen(text_colour_on(colour))
                    painter.drawText(cell, Qt.AlignCenter, cell_text(self._values[row, column], decimals))
        painter.setPen(QPen(QColor(128, 128, 128), 1))
        for row in range(kh + 1):
            y = rect.top() + row * size
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        for column in range(kw + 1):
            x = rect.left() + column * size
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        if self._hover is not None:
            row, column = self._hover
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(QRectF(rect.left() + column * size, rect.top() + row * size,
                                    size, size).adjusted(1, 1, -1, -1))
        painter.end()

    # -- painting -------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() not in (Qt.LeftButton, Qt.RightButton):
            return
        if self._stroking:           # a release we never got (focus stolen mid-stroke)
            self.finish_stroke()
        self._stroking = True
        self.strokeStarted.emit(1.0 if event.button() == Qt.LeftButton else -1.0)
        cell = self.cell_at(event.position())
        self._last_cell = cell
        if cell is not None:
            self.cellEntered.emit(*cell)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell != self._hover:
            self._hover = cell
            self.hovered.emit(*(cell if cell is not None else (-1, -1)))
            self.update()
        if not self._stroking:
            return
        if cell is None:              # outside the grid: the next cell entered starts afresh
            self._last_cell = None
            return
        if cell == self._last_cell:
            return
        cells = [cell] if self._last_cell is None else cells_on_line(self._last_cell, cell)[1:]
        self._last_cell = cell
        for between in cells:
            self.cellEntered.emit(*between)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._stroking:
            self.finish_stroke()

    def leaveEvent(self, event) -> None:
        if self._hover is not None:
            self._hover = None
            self.hovered.emit(-1, -1)
            self.update()
        super().leaveEvent(event)

    def hideEvent(self, event) -> None:
        if self._stroking:
            self.finish_stroke()
        super().hideEvent(event)

    def finish_stroke(self) -> None:
        self._stroking = False
        self._last_cell = None
        self.strokeFinished.emit()


def cells_on_line(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells from ``start`` to ``end`` (both included) along a Bresenham line."""
    (r0, c0), (r1, c1) = start, end
    cells = []
    dr, dc = abs(r1 - r0), abs(c1 - c0)
    sr, sc = (1 if r1 > r0 else -1), (1 if c1 > c0 else -1)
    error = dc - dr
    while True:
        cells.append((r0, c0))
        if (r0, c0) == (r1, c1):
            return cells
        twice = 2 * error
        if twice > -dr:
            error -= dr
            c0 += sc
        if twice < dc:
            error += dc
            r0 += sr



__all__ = ["KernelPaintArea", "cells_on_line", "text_colour_on"]
