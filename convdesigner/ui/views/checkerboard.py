"""The checkerboard view: how many stamps of a ConvTranspose2d land on each output pixel.

For the selected ConvTranspose2d (or, when another layer is selected, the first one of the
design) the view paints the overlap count of every output pixel for the layer's real input size --
what an all-ones kernel makes of an all-ones input -- with the numbers in the cells, and says in
one sentence whether the overlap is even (kernel_size divisible by stride) or a checkerboard, and
why (:func:`convdesigner.design.checkerboard.verdict`). Beside it, one input pixel's footprint:
the stamp of a single pixel, so the learner sees what is being overlapped.

Pure arithmetic (:mod:`convdesigner.design.checkerboard`), computed on the GUI thread: the counts
are integers of the output's size, at most a few hundred thousand cells. Threading: GUI thread only.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from convdesigner.design.checkerboard import overlap_counts, verdict
from convdesigner.design.layers import ConvTranspose2d
from convdesigner.ui.i18n import render, translate
from convdesigner.ui.views.painted_tiles import Tile, paint_tile
from convdesigner.ui.views.theme import PANEL_BACKGROUND


class _Canvas(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles: list[Tile] = []
        self.setMinimumSize(360, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(self._small.pointSizeF() - 1.0, 7.0))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(PANEL_BACKGROUND))
        for tile in self.tiles:
            paint_tile(painter, tile, QColor(220, 222, 228), self._small)
        painter.end()


class CheckerboardView(QWidget):
    """The tab "Checkerboard". Public for tests: :attr:`counts` (int64 ``[H_out, W_out]`` shown),
    :attr:`layer_index` (the ConvTranspose2d shown, or None) and :attr:`verdict_label`."""

    def __init__(self, document, selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self.counts: np.ndarray | None = None
        self.layer_index: int | None = None
        self.title = QLabel(self)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.title.setFont(font)
        self.verdict_label = QLabel(self)
        self.verdict_label.setWordWrap(True)
        verdict_font = QFont(self.font())
        verdict_font.setPointSizeF(verdict_font.pointSizeF() + 1.0)
        self.verdict_label.setFont(verdict_font)
        self.pattern_label = QLabel(self)
        self.pattern_label.setWordWrap(True)
        self.canvas = _Canvas(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.pattern_label)
        layout.addWidget(self.canvas, 1)
        document.designChanged.connect(self.refresh)
        selection.changed.connect(self.refresh)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def _chosen(self) -> tuple[int, ConvTranspose2d, tuple[int, int, int]] | None:
        design, analysis = self._document.design, self._document.analysis
        index = self._selection.layer
        candidates = ([index] if 0 <= index < len(design.layers)
                      and isinstance(design.layers[index], ConvTranspose2d) else [])
        candidates += [i for i, layer in enumerate(design.layers) if isinstance(layer, ConvTranspose2d)]
        for i in candidates:
            info = analysis.layers[i] if i < len(analysis.layers) else None
            if info is not None:
                layer = design.layers[i]
                assert isinstance(layer, ConvTranspose2d)
                return i, layer, info.in_shape
        return None

    def refresh(self) -> None:
        """Show the counts of the ConvTranspose2d chosen (see the module docstring)."""
        chosen = self._chosen()
        if chosen is None:
            self.counts, self.layer_index = None, None
            self.title.setText(translate("CheckerboardView", "Where the stamps of a transposed convolution overlap"))
            self.verdict_label.setText(translate("CheckerboardView",
                "Add or select a ConvTranspose2d layer (with a valid shape) to see how many stamps "
                "land on each of its output pixels."))
            self.pattern_label.setText("")
            self.canvas.tiles = []
            self.canvas.update()
            return
        index, layer, (_, height, width) = chosen
        self.layer_index = index
        self.counts = overlap_counts(layer, height, width)
        found = verdict(layer)
        self.title.setText(translate("CheckerboardView", "Where the stamps overlap: layer {index}, {layer}").format(
            index=index, layer=layer.torch_repr()))
        self.verdict_label.setText(render(found.text))
        self.pattern_label.setText(translate("CheckerboardView",
            "Left: stamps per output pixel for this layer's {h}×{w} input (what an all-ones kernel "
            "makes of an all-ones input). Away from the border the rows repeat {rows}, the columns "
            "{cols}. Middle: its top-left corner with the counts. Right: the stamp of one input pixel.").format(
            h=height, w=width, rows=", ".join(map(str, found.rows)),
            cols=", ".join(map(str, found.cols))))
        self._place()

    def _place(self) -> None:
        counts = self.counts
        if counts is None or self.layer_index is None:
            return
        layer = self._document.design.layers[self.layer_index]
        if not isinstance(layer, ConvTranspose2d):
            return
        width, height = max(self.canvas.width(), 360), max(self.canvas.height(), 240)
        big = min(height - 40.0, (width - 60.0) * 0.45)
        rows, cols = counts.shape
        scale = big / max(rows, cols, 1)
        main = QRectF(20, 26, cols * scale, rows * scale)
        top = float(max(counts.max(), 1))
        tiles = [Tile(counts.astype(np.float64), main, translate("CheckerboardView", "stamps per output pixel"),
                      (0.0, top), kind="sequential", numbers=True, integer=True)]
        corner = counts[:12, :12]
        side = min(width - main.right() - 40, big * 0.55)
        if side > 60:
            step = side / max(corner.shape)
            zoom = QRectF(main.right() + 30, 26, corner.shape[1] * step, corner.shape[0] * step)
            tiles.append(Tile(corner.astype(np.float64), zoom,
                              translate("CheckerboardView", "top-left corner, enlarged"), (0.0, top),
                              kind="sequential", numbers=True, integer=True))
            left = zoom.right() + 30
        else:
            left = main.right() + 30
        span_h, span_w = layer.effective_kernel()
        footprint = np.zeros((span_h, span_w))
        footprint[::layer.dilation[0], ::layer.dilation[1]] = 1.0
        side = min(width - left - 10, big * 0.3)
        if side > 30:
            step = side / max(span_h, span_w)
            rect = QRectF(left, 26, span_w * step, span_h * step)
            tiles.append(Tile(footprint, rect, translate("CheckerboardView", "one pixel's stamp"), (0.0, 1.0),
                              kind="sequential", numbers=True, integer=True))
        self.canvas.tiles = tiles
        self.canvas.update()
