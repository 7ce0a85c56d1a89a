"""A pyqtgraph ``LabelItem`` for a narrow layout: titles and read-outs of the views."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt


class WrappingLabelItem(pg.LabelItem):
    """A LabelItem that wraps its text to the width it is given instead of demanding the width of
    its longest line (pyqtgraph's LabelItem makes the whole layout at least that wide, which pushes
    plots and colour bars out of a narrow widget)."""

    MIN_WIDTH = 40.0
    #: Height kept even when the text is shorter, so a read-out that changes on every mouse move
    #: does not resize the plot under the mouse (set by the owner; 0 = just the text).
    reserved_height = 0.0

    def updateMin(self) -> None:
        width = self.rect().width()
        if width >= self.MIN_WIDTH:
            self.item.setTextWidth(width)
        bounds = self.itemRect()
        height = max(bounds.height(), self.reserved_height)
        self.setMinimumWidth(self.MIN_WIDTH)
        self.setMinimumHeight(height)
        self._sizeHint = {
            Qt.SizeHint.MinimumSize: (self.MIN_WIDTH, height),
            Qt.SizeHint.PreferredSize: (self.MIN_WIDTH, height),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()
