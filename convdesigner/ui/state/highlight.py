"""The cells the explained pixel reads, as state that several views listen to.

The "Explain a pixel" panel writes it (:meth:`Highlight.set_cells` when it shows a pixel,
:meth:`Highlight.set_hovered_channel` while a term row is under the mouse); the input canvas and the
feature maps read it and repaint on :attr:`Highlight.changed`. No view reaches into another for it.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from convdesigner.ui.state.selection import INPUT

#: ``(channel, row, col, padded)``: one cell a pixel reads, in the coordinates of the unpadded map
#: it reads (padded cells lie outside ``0 .. H-1`` / ``0 .. W-1``).
Cell = tuple[int, int, int, bool]


class Highlight(QObject):
    """Which map's cells are outlined, and which channel's cells are drawn brighter.

    ``source`` is :data:`~convdesigner.ui.state.selection.INPUT` (-1) when the explained pixel reads
    the input image, else the index of the layer whose output it reads. ``cells`` is empty when
    nothing is explained. ``hovered_channel`` is the input channel of the term row under the mouse,
    -1 when none. ``changed`` is emitted once per actual change.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = INPUT
        self._cells: tuple[Cell, ...] = ()
        self._hovered = -1

    @property
    def source(self) -> int:
        return self._source

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self._cells

    @property
    def hovered_channel(self) -> int:
        return self._hovered

    def cells_on(self, source: int) -> tuple[Cell, ...]:
        """The cells to outline on the maps of ``source`` (-1: the input); empty for other maps."""
        return self._cells if self._cells and source == self._source else ()

    def set_cells(self, source: int, cells) -> None:
        """Outline ``cells`` (``(channel, row, col, padded)``) on the maps of ``source``."""
        cells = tuple((int(c), int(r), int(k), bool(p)) for c, r, k, p in cells)
        source = int(source) if cells else INPUT
        if (source, cells) != (self._source, self._cells):
            self._source, self._cells = source, cells
            self.changed.emit()

    def clear(self) -> None:
        self.set_cells(INPUT, ())

    def set_hovered_channel(self, channel: int) -> None:
        if channel != self._hovered:
            self._hovered = int(channel)
            self.changed.emit()
