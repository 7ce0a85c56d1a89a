"""The term rows of "Explain a pixel": ``in c: [patch] ⊙ [sub-kernel] = [products]  Σ = …``.

:class:`TermsView` paints one row per input channel of the explained pixel's group, and only the
rows in view, so 64 or 1024 input channels cost the same to show. It reads a :class:`TermsContent`
(everything formatted once per explanation) and reports the row under the mouse; the panel
(:mod:`convdesigner.ui.panels.explain`) owns it.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from convdesigner.ui.widgets.cell_highlight import padded_brush, padded_fill

_POSITIVE = QColor("#d6604d")                  # product tints, as the diverging colour map
_NEGATIVE = QColor("#4393c3")

COMPACT_DIGITS = 3  # significant digits in the grids unless "All digits" is on


def f32(value: float) -> str:
    """A number as the app shows float32 values everywhere: ``str(np.float32(value))``."""
    return str(np.float32(value))


def compact(value: float) -> str:
    """``value`` with :data:`COMPACT_DIGITS` significant digits, never ``-0``."""
    text = f"{value:.{COMPACT_DIGITS}g}"
    return "0" if text in ("-0", "0") else text


# -- the term rows ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TermsContent:
    """Everything the term rows draw, formatted once per explanation."""

    layer: int
    out_channel: int
    in_channels: tuple[int, ...]
    kernel: tuple[int, int]
    padded: np.ndarray                  # bool [kH, kW], the same for every term
    rows: np.ndarray                    # int [kH], coordinates in the unpadded input
    cols: np.ndarray                    # int [kW]
    patches: np.ndarray                 # float32 [n, kH, kW]
    weights: np.ndarray                 # float32 [n, kH, kW]
    products: np.ndarray                # float64 [n, kH, kW], exact
    tints: np.ndarray                   # float [n, kH, kW] in -1..1, product / max |product|
    texts: tuple[list[list[str]], ...]  # per term: [patch cells, weight cells, product cells]
    sums: tuple[str, ...]               # per term: Σ as str(np.float32(sum))
    padding_mode: str


@dataclass(frozen=True)
class _Geometry:
    """Where each part of a term row goes, relative to the row's top-left corner."""

    cell_ws: tuple[float, float, float]         # cell width of the patch, sub-kernel, products
    cell_h: float
    label: QPointF                              # top-left of "in 5:"
    grids: tuple[QPointF, QPointF, QPointF]     # top-left of the patch, sub-kernel, products
    operators: tuple[tuple[QPointF, str], ...]  # (centre, symbol)
    sum_at: QPointF                             # top-left of "Σ = …"
    sum_split: bool                             # "Σ =" above the value (in the label column)
    row_h: float
    needed_w: float                             # the width this arrangement needs


class TermsView(QWidget):
    """Paints one row per term; only the rows in view are drawn. Hover reports the row.

    A row is ``in c: [patch] ⊙ [sub-kernel] = [products]  Σ = …`` on one line when the width
    allows, else on two lines (``= [products] Σ`` below), else one grid per line with ``Σ`` in the
    label column; wider than that scrolls sideways.
    """

    hoveredRowChanged = Signal(int)   # row index, or -1
    contentHeightChanging = Signal(int, int)   # a relayout is about to resize to (width, height)

    MARGIN = 6.0
    GAP = 6.0        # between the items of a row
    ROW_GAP = 8.0    # between rows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.NoFocus)
        self._make_fonts()
        self._content: TermsContent | None = None
        self._geometry: _Geometry | None = None
        self._available_w = 400.0
        self._hovered = -1

    def _make_fonts(self) -> None:
        """The grids' monospace font and the operators' font, from the widget's font (which the
        UI zoom and presentation mode scale)."""
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7.0))
        self._font = font
        self._symbol_font = QFont(self.font())
        self._symbol_font.setPointSizeF(self.font().pointSizeF() * 1.2)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._make_fonts()
            self.relayout(self._available_w)
            self.update()

    # -- content ------------------------------------------------------------------------------
    def set_content(self, content: TermsContent | None) -> None:
        self._content = content
        self.relayout(self._available_w)
        if content is None or self._hovered >= len(content.in_channels):
            self._set_hovered(-1)
        self.update()

    def row_count(self) -> int:
        return 0 if self._content is None else len(self._content.in_channels)

    def row_height(self) -> float:
        return 0.0 if self._geometry is None else self._geometry.row_h

    def row_rect(self, index: int) -> QRect:
        """The row's rectangle in this widget's coordinates."""
        height = self.row_height()
        return QRectF(0, self.MARGIN + index * height, self.width(), height).toAlignedRect()

    def row_at(self, y: float) -> int:
        """The row under ``y`` (widget coordinates), or -1."""
        height = self.row_height()
        if height <= 0 or y < self.MARGIN:
            return -1
        index = int((y - self.MARGIN) // height)
        return index if index < self.row_count() else -1

    @property
    def hovered_row(self) -> int:
        return self._hovered

    def _label(self, channel: int) -> str:
        return self.tr("in {channel}:").format(channel=channel)

    def _sum_text(self, value: str) -> str:
        return self.tr("Σ = {sum}").format(sum=value)

    # -- layout -------------------------------------------------------------------------------
    def relayout(self, available_width: float) -> None:
        """Arrange the rows for ``available_width`` (the scroll area's viewport) and resize."""
        self._available_w = max(float(available_width), 50.0)
        content = self._content
        if content is None:
            self._geometry = None
            width, height = self._available_w, 0.0
        else:
            self._geometry = self._arrange(content, self._available_w)
            width = max(self._available_w, self._geometry.needed_w)
            height = self.MARGIN * 2 + self._geometry.row_h * len(content.in_channels)
        width, height = int(np.ceil(width)), int(np.ceil(height))
        if height != self.height():
            # Before the resize, so the scroll area can grow first and show no scroll bar for it.
            self.contentHeightChanging.emit(width, height)
        self.resize(width, height)

    def _arrange(self, content: TermsContent, available: float) -> _Geometry:
        metrics = QFontMetricsF(self._font)
        symbols = QFontMetricsF(self._symbol_font)
        gap = self.GAP
        cell_ws = tuple(
            metrics.horizontalAdvance("0" * max((len(text) for term in content.texts
                                                 for text in term[which]), default=1)) + 7.0
            for which in range(3))
        cell_h = metrics.height() + 3.0
        k_h, k_w = content.kernel
        grid_ws = [k_w * width for width in cell_ws]
        grid_h = k_h * cell_h
        label_w = max((metrics.horizontalAdvance(self._label(channel))
                       for channel in (content.in_channels[0], content.in_channels[-1])),
                      default=0.0)
        op_w = max(symbols.horizontalAdvance("⊙"), symbols.horizontalAdvance("=")) + gap
        sum_w = max((metrics.horizontalAdvance(self._sum_text(value)) for value in content.sums),
                    default=0.0)
        line_h = max(grid_h, cell_h)
        margin = self.MARGIN

        def line_y(line: int) -> float:
            return line * (line_h + gap)

        def build(lines: list[list[int]], split_sum: bool) -> _Geometry:
            """``lines``: which grids go on each line (0 patch, 1 sub-kernel, 2 products)."""
            column = label_w
            if split_sum:
                column = max(label_w, metrics.horizontalAdvance(self.tr("Σ =")),
                             max((metrics.horizontalAdvance(value) for value in content.sums),
                                 default=0.0))
            start = margin + column + gap
            grids = [QPointF()] * 3
            operators = []
            right = start
            sum_at = QPointF()
            for line, members in enumerate(lines):
                x, top = start, line_y(line)
                for which in members:
                    if which:
                        operators.append((QPointF(x + (op_w - gap) / 2, top + grid_h / 2),
                                          "⊙" if which == 1 else "="))
                        x += op_w
                    grids[which] = QPointF(x, top)
                    x += grid_ws[which] + gap
                if 2 in members and not split_sum:
                    sum_at = QPointF(x + gap, top + (grid_h - cell_h) / 2)
                    x += gap + sum_w + gap
                right = max(right, x)
            if split_sum:
                sum_at = QPointF(margin, line_y(1))
            row_h = line_y(len(lines)) - gap + self.ROW_GAP
            label_y = (grid_h - cell_h) / 2 if len(lines) == 1 else 0.0
            return _Geometry(cell_ws, cell_h, QPointF(margin, label_y),
                             tuple(grids), tuple(operators), sum_at, split_sum, row_h,
                             right - gap + margin)

        candidates = [build([[0, 1, 2]], False), build([[0, 1], [2]], False),
                      build([[0], [1], [2]], True)]
        for geometry in candidates:
            if geometry.needed_w <= available:
                return geometry
        return candidates[-1]

    # -- painting -----------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:
        content, geometry = self._content, self._geometry
        if content is None or geometry is None:
            return
        painter = QPainter(self)
        exposed = event.rect()
        first = max(self.row_at(max(exposed.top(), self.MARGIN)), 0)
        last = self.row_at(exposed.bottom())
        last = self.row_count() - 1 if last < 0 else last
        palette = self.palette()
        for index in range(first, last + 1):
            self._paint_row(painter, index, content, geometry, palette)
        painter.end()

    def _paint_row(self, painter: QPainter, index: int, content: TermsContent, geometry: _Geometry,
                   palette: QPalette) -> None:
        top = self.MARGIN + index * geometry.row_h
        band = QRectF(0, top - self.ROW_GAP / 2, self.width(), geometry.row_h)
        if index == self._hovered:
            colour = QColor(palette.color(QPalette.Highlight))
            colour.setAlpha(70)
            painter.fillRect(band, colour)
        elif index % 2:
            painter.fillRect(band, palette.color(QPalette.AlternateBase))
        text_colour = palette.color(QPalette.WindowText)
        metrics = QFontMetricsF(self._font)
        painter.setFont(self._font)
        painter.setPen(text_colour)
        at = geometry.label + QPointF(0, top + metrics.ascent() + 1.5)
        painter.drawText(at, self._label(content.in_channels[index]))
        texts = content.texts[index]
        for which in range(3):
            origin = geometry.grids[which] + QPointF(0, top)
            self._paint_grid(painter, origin, geometry, which, texts[which], content, index,
                             palette)
        painter.setFont(self._symbol_font)
        painter.setPen(text_colour)
        symbols = QFontMetricsF(self._symbol_font)
        for centre, symbol in geometry.operators:
            width = symbols.horizontalAdvance(symbol)
            painter.drawText(QPointF(centre.x() - width / 2, top + centre.y()
                                     + (symbols.ascent() - symbols.descent()) / 2), symbol)
        painter.setFont(self._font)
        painter.setPen(text_colour)
        at = geometry.sum_at + QPointF(0, top + metrics.ascent() + 1.5)
        if geometry.sum_split:
            painter.drawText(at, self.tr("Σ ="))
            painter.drawText(at + QPointF(0, metrics.height()), content.sums[index])
        else:
            painter.drawText(at, self._sum_text(content.sums[index]))

    def _paint_grid(self, painter: QPainter, origin: QPointF, geometry: _Geometry, which: int,
                    texts: list[str], content: TermsContent, index: int, palette: QPalette) -> None:
        k_h, k_w = content.kernel
        cell_w, cell_h = geometry.cell_ws[which], geometry.cell_h
        base = palette.color(QPalette.Base)
        painter.fillRect(QRectF(origin.x(), origin.y(), k_w * cell_w, k_h * cell_h), base)
        for i in range(k_h):
            for j in range(k_w):
                rect = QRectF(origin.x() + j * cell_w, origin.y() + i * cell_h, cell_w, cell_h)
                padded = which != 1 and content.padded[i, j]
                if padded:
                    painter.fillRect(rect, padded_fill(palette))
                if which == 2:
                    tint = float(content.tints[index, i, j])
                    if tint:
                        colour = QColor(_POSITIVE if tint > 0 else _NEGATIVE)
                        colour.setAlpha(int(15 + 100 * abs(tint)))
                        painter.fillRect(rect, colour)
                if padded:
                    painter.fillRect(rect, padded_brush(palette))
        painter.setPen(QPen(palette.color(QPalette.Mid), 1))
        painter.setBrush(Qt.NoBrush)
        right, bottom = origin.x() + k_w * cell_w, origin.y() + k_h * cell_h
        painter.drawRect(QRectF(origin.x(), origin.y(), k_w * cell_w, k_h * cell_h))
        for i in range(1, k_h):
            y = origin.y() + i * cell_h
            painter.drawLine(QPointF(origin.x(), y), QPointF(right, y))
        for j in range(1, k_w):
            x = origin.x() + j * cell_w
            painter.drawLine(QPointF(x, origin.y()), QPointF(x, bottom))
        painter.setPen(palette.color(QPalette.Text))
        for i in range(k_h):
            for j in range(k_w):
                rect = QRectF(origin.x() + j * cell_w, origin.y() + i * cell_h, cell_w - 4, cell_h)
                painter.drawText(rect, Qt.AlignRight | Qt.AlignVCenter, texts[i * k_w + j])

    # -- hover --------------------------------------------------------------------------------
    def cell_at(self, point: QPointF) -> tuple[int, int, int, int] | None:
        """``(row index, grid 0/1/2, i, j)`` under ``point``, or None."""
        index = self.row_at(point.y())
        geometry, content = self._geometry, self._content
        if index < 0 or geometry is None or content is None:
            return None
        local = point - QPointF(0, self.MARGIN + index * geometry.row_h)
        k_h, k_w = content.kernel
        for which, origin in enumerate(geometry.grids):
            if local.x() < origin.x() or local.y() < origin.y():
                continue
            j = int((local.x() - origin.x()) // geometry.cell_ws[which])
            i = int((local.y() - origin.y()) // geometry.cell_h)
            if i < k_h and j < k_w:
                return index, which, i, j
        return None

    def _set_hovered(self, index: int) -> None:
        if index == self._hovered:
            return
        old, self._hovered = self._hovered, index
        for row in (old, index):
            if row >= 0:
                self.update(self.row_rect(row).adjusted(0, -4, 0, 4))
        self.hoveredRowChanged.emit(index)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._set_hovered(self.row_at(event.position().y()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._set_hovered(-1)
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self._tooltip(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _tooltip(self, point: QPointF) -> str:
        hit = self.cell_at(point)
        content = self._content
        if hit is None or content is None:
            return ""
        index, which, i, j = hit
        channel = content.in_channels[index]
        if which == 0:
            row, col = int(content.rows[i]), int(content.cols[j])
            text = self.tr("input channel {channel}, row {row}, column {col} = {value}").format(
                channel=channel, row=row, col=col, value=f32(content.patches[index, i, j]))
            if content.padded[i, j]:
                text += "\n" + self.tr("outside the input: padding ({mode})").format(
                    mode=content.padding_mode)
            return text
        if which == 1:
            return self.tr("weight[{o}, {j}, {ky}, {kx}] = {value}").format(
                o=content.out_channel, j=index, ky=i, kx=j, value=f32(content.weights[index, i, j]))
        return self.tr("{a} × {b} = {value}\n(exactly {exact})").format(
            a=f32(content.patches[index, i, j]), b=f32(content.weights[index, i, j]),
            value=f32(content.products[index, i, j]),
            exact=repr(float(content.products[index, i, j])))
