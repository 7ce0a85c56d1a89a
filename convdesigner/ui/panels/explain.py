"""Explain a pixel: how one value of a Conv2d feature map was computed, term by term.

When the selection holds a pixel of a ``Conv2d`` layer's output channel, :class:`ExplainPanel`
opens it up with :func:`~convdesigner.compute.explain.explain_pixel` on the last frame: for each
input channel of the channel's group, the patch under the kernel (padded cells hatched, holding the
value the padding mode puts there), ⊙ the sub-kernel, = the element-wise products, and their sum
Σ; then the bias and the total, which is checked against the value in the map, digit for digit.

The explanation is computed on the GUI thread: a few kH×kW patches, cheap. The term rows are
painted by one widget that draws only the rows in view, so 64 or 1024 input channels cost the same
to show.

:meth:`ExplainPanel.highlight` gives the cells the pixel reads, as data, for the views that outline
the receptive field on their images; :func:`paint_highlight` draws them.

Threading: GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontDatabase, QFontMetricsF, QHelpEvent, QKeyEvent, QMouseEvent,
    QPainter, QPaintEvent, QPalette, QPen, QPixmap,
)
from PySide6.QtWidgets import (
    QCheckBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QToolTip, QVBoxLayout, QWidget,
)

from convdesigner.design.layers import Conv2d, Design
from convdesigner.errors import ConvDesignerError

if TYPE_CHECKING:  # torch is imported only when a pixel is explained
    from convdesigner.compute.explain import PixelExplanation

#: ``(channel, row, col, padded)``: one cell a pixel reads, in the coordinates of the unpadded map
#: it reads (padded cells lie outside ``0 .. H-1`` / ``0 .. W-1``).
Cell = tuple[int, int, int, bool]

INPUT_SOURCE = -1  # highlight source meaning "the input image" (as Selection's INPUT)

HIGHLIGHT_COLOR = QColor(255, 140, 0)          # receptive-field cells
HIGHLIGHT_HOVER_COLOR = QColor(255, 221, 0)    # cells of the hovered term's channel
_HALO_COLOR = QColor(0, 0, 0, 170)             # keeps the outline visible on white ink
_POSITIVE = QColor("#d6604d")                  # product tints, as the diverging colour map
_NEGATIVE = QColor("#4393c3")

COMPACT_DIGITS = 3  # significant digits in the grids unless "All digits" is on


def f32(value: float) -> str:
    """A number as the app shows float32 values everywhere: ``str(np.float32(value))``."""
    return str(np.float32(value))


def _compact(value: float) -> str:
    text = f"{value:.{COMPACT_DIGITS}g}"
    return "0" if text in ("-0", "0") else text


def _no_negative_zero(values: np.ndarray) -> np.ndarray:
    return values + 0.0  # -0.0 + 0.0 == +0.0: a product of 0 and a negative weight shows "0"


# -- the receptive-field overlay -------------------------------------------------------------------

def paint_highlight(painter: QPainter, image_rect: QRectF, image_shape, cells,
                    hovered_channel: int = -1) -> None:
    """Outline the ``cells`` a pixel reads on an image drawn in ``image_rect``.

    ``image_shape`` is the shape of the map drawn there, ``(H, W)`` or ``(C, H, W)``; ``cells``
    are ``(channel, row, col, padded)`` as :meth:`ExplainPanel.highlight` returns them (pass only
    one channel's cells for a view that draws one channel). Cells inside the image are outlined
    with a light fill; padded cells lie outside it and are outlined dashed, so leave the widget a
    margin of ``padding`` cells around the image to see them. Cells of ``hovered_channel`` (-1:
    none) are drawn thicker and brighter. Positions shared by several channels are drawn once.
    The painter's state is restored afterwards.
    """
    if not cells:
        return
    height, width = int(image_shape[-2]), int(image_shape[-1])
    if height <= 0 or width <= 0 or image_rect.isEmpty():
        return
    step_x, step_y = image_rect.width() / width, image_rect.height() / height
    positions: dict[tuple[int, int], list[bool]] = {}
    for channel, row, col, padded in cells:
        entry = positions.setdefault((int(row), int(col)), [bool(padded), False])
        if channel == hovered_channel:
            entry[1] = True
    inset = min(step_x, step_y) * 0.08
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing, True)
    # Hovered cells last, so their outline wins where neighbouring outlines overlap.
    for (row, col), (padded, hovered) in sorted(positions.items(), key=lambda item: item[1][1]):
        rect = QRectF(image_rect.left() + col * step_x, image_rect.top() + row * step_y,
                      step_x, step_y).adjusted(inset, inset, -inset, -inset)
        colour = HIGHLIGHT_HOVER_COLOR if hovered else HIGHLIGHT_COLOR
        width_px = 2.5 if hovered else 1.5
        style = Qt.CustomDashLine if padded else Qt.SolidLine
        if padded:
            painter.setBrush(Qt.NoBrush)
        else:
            fill = QColor(colour)
            fill.setAlpha(70 if hovered else 45)
            painter.setBrush(fill)
        halo = QPen(_HALO_COLOR, width_px + 2.0, style)
        pen = QPen(colour, width_px, style)
        for each in (halo, pen):
            each.setCosmetic(True)
            if padded:   # short dashes, so even a small cell shows several
                dash = 2.0 * width_px / each.widthF()   # in units of the pen's width
                each.setDashPattern([dash, dash])
        painter.setPen(halo)
        painter.drawRect(rect)
        painter.setBrush(Qt.NoBrush)
        painter.setPen(pen)
        painter.drawRect(rect)
    painter.restore()


# -- the term rows ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Content:
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
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7.0))
        self._font = font
        self._symbol_font = QFont(self.font())
        self._symbol_font.setPointSizeF(self.font().pointSizeF() * 1.2)
        self._content: _Content | None = None
        self._geometry: _Geometry | None = None
        self._available_w = 400.0
        self._hovered = -1

    # -- content ------------------------------------------------------------------------------
    def set_content(self, content: _Content | None) -> None:
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

    @property
    def lines_per_row(self) -> int:
        """How many lines a row takes in the current arrangement (1, 2 or 3)."""
        geometry = self._geometry
        return 0 if geometry is None else len({origin.y() for origin in geometry.grids})

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

    def _arrange(self, content: _Content, available: float) -> _Geometry:
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

    def _paint_row(self, painter: QPainter, index: int, content: _Content, geometry: _Geometry,
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
                    texts: list[str], content: _Content, index: int, palette: QPalette) -> None:
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


def padded_fill(palette: QPalette) -> QColor:
    """The background of a padded cell: between the base and the mid colour of the palette."""
    base, mid = palette.color(QPalette.Base), palette.color(QPalette.Mid)
    return QColor((2 * base.red() + mid.red()) // 3, (2 * base.green() + mid.green()) // 3,
                  (2 * base.blue() + mid.blue()) // 3)


def padded_brush(palette: QPalette) -> QBrush:
    """How padded cells are marked: a diagonal hatch over :func:`padded_fill`."""
    return QBrush(palette.color(QPalette.Mid), Qt.BDiagPattern)


def paint_padded(painter: QPainter, rect: QRectF, palette: QPalette) -> None:
    painter.fillRect(rect, padded_fill(palette))
    painter.fillRect(rect, padded_brush(palette))


# -- the panel -------------------------------------------------------------------------------------

class ExplainPanel(QWidget):
    """Opens up the selected pixel of a Conv2d output channel (a widget for a dock).

    Signals: ``termHovered(int)`` -- the input channel of the term row under the mouse, -1 when
    none; ``highlightChanged()`` -- :meth:`highlight` changed (new pixel, frame or selection).
    Feed it frames with ``live.frameReady`` (connected here) or :meth:`set_frame`.
    """

    termHovered = Signal(int)
    highlightChanged = Signal()

    def __init__(self, document: QObject, selection: QObject, live: QObject,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self._frame = None
        self._key: tuple | None = None
        self._explanation: PixelExplanation | None = None
        self._conv: Conv2d | None = None
        self._map_size: tuple[int, int] | None = None
        self._highlight: tuple[int, list[Cell]] = (INPUT_SOURCE, [])
        self._materialized: tuple[Design, Design] | None = None
        self._hovered_channel = -1
        self._shown: tuple[int, int] | None = None
        self._displayed_value = ""
        self._displayed_total = ""
        self.setFocusPolicy(Qt.StrongFocus)
        self._build()
        selection.changed.connect(self.refresh)
        live.frameReady.connect(self.set_frame)
        self.refresh()

    # -- widgets ------------------------------------------------------------------------------
    def _build(self) -> None:
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.9)

        def label(font: QFont | None = None, selectable: bool = False) -> QLabel:
            widget = QLabel()
            widget.setWordWrap(True)
            if font is not None:
                widget.setFont(font)
            if selectable:
                widget.setTextInteractionFlags(Qt.TextSelectableByMouse)
            widget.setFocusPolicy(Qt.NoFocus)
            return widget

        self.hint_label = label()
        self.hint_label.setAlignment(Qt.AlignCenter)
        self.hint_label.setText(self._hint_text())
        self.hint_label.setForegroundRole(QPalette.PlaceholderText)

        bold = QFont(self.font())
        bold.setBold(True)
        self.header_label = label(bold, selectable=True)
        self.reads_label = label(small)
        self.reads_label.setForegroundRole(QPalette.PlaceholderText)

        self.legend_swatch = QLabel()
        self.legend_swatch.setFixedSize(18, 14)
        self.legend_label = label(small)
        self.digits_box = QCheckBox(self.tr("All digits"))
        self.digits_box.setFont(small)
        self.digits_box.setFocusPolicy(Qt.TabFocus)
        self.digits_box.setToolTip(self.tr(
            "The grids show {digits} significant digits; tick to show every digit of each float32 "
            "value. Hover a cell for its exact value.").format(digits=COMPACT_DIGITS))
        self.digits_box.toggled.connect(self._digits_toggled)
        legend_row = QHBoxLayout()
        legend_row.setContentsMargins(0, 0, 0, 0)
        legend_row.addWidget(self.legend_swatch)
        legend_row.addWidget(self.legend_label, 1)
        legend_row.addWidget(self.digits_box)

        self.terms_view = TermsView()
        self.terms_view.hoveredRowChanged.connect(self._row_hovered)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setWidget(self.terms_view)
        self.scroll_area.setFocusPolicy(Qt.NoFocus)
        self.scroll_area.setFrameShape(QFrame.StyledPanel)
        self.scroll_area.viewport().installEventFilter(self)

        self.bias_label = label(selectable=True)
        self.total_label = label(bold, selectable=True)
        self.note_label = label(small)
        self.note_label.setForegroundRole(QPalette.PlaceholderText)
        self.keys_label = label(small)
        self.keys_label.setForegroundRole(QPalette.PlaceholderText)

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(3)
        content_layout.addWidget(self.header_label)
        content_layout.addWidget(self.reads_label)
        content_layout.addLayout(legend_row)
        content_layout.addWidget(self.scroll_area, 1)
        content_layout.addWidget(self.bias_label)
        content_layout.addWidget(self.total_label)
        content_layout.addWidget(self.note_label)
        content_layout.addWidget(self.keys_label)
        content_layout.addStretch(0)
        self.terms_view.contentHeightChanging.connect(self._fit_scroll_area)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.content, 1)
        self._update_keys_hint()

    def sizeHint(self) -> QSize:
        return QSize(420, 600)

    def _fit_scroll_area(self, width: int, height: int) -> None:
        """A few rows need no more room than they take: the bias and total follow right below."""
        frame = 2 * self.scroll_area.frameWidth()
        sideways = width > self.scroll_area.viewport().width()
        scrollbar = self.scroll_area.horizontalScrollBar().sizeHint().height() if sideways else 0
        self.scroll_area.setMaximumHeight(max(height + frame + scrollbar, 40))
        self.content.layout().activate()   # now, so that no scroll bar flashes in between

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Resize:
            self.terms_view.relayout(self.scroll_area.viewport().width())
        return super().eventFilter(watched, event)

    # -- public API ---------------------------------------------------------------------------
    def set_frame(self, frame) -> None:
        """Explain from ``frame`` (a :class:`~convdesigner.ui.state.live.Frame`) from now on."""
        self._frame = frame
        self.refresh()

    def explanation(self) -> PixelExplanation | None:
        """The explanation shown, or None when the panel shows its hint."""
        return self._explanation

    def highlight(self) -> tuple[int, list[Cell]]:
        """``(source, cells)``: what the explained pixel reads.

        ``source`` is -1 when it reads the input image, else the index of the layer whose output
        map it reads. ``cells`` are ``(channel, row, col, padded)`` for every input channel of the
        group and every kernel position (with dilation they are ``dilation`` apart); padded cells
        have coordinates outside the map. Empty when nothing is explained.
        """
        source, cells = self._highlight
        return source, list(cells)

    def hovered_channel(self) -> int:
        """The input channel of the term row under the mouse, or -1."""
        return self._hovered_channel

    def displayed_value(self) -> str:
        """The map value as the header shows it (``str(np.float32(v))``), or ``""``."""
        return self._displayed_value

    def displayed_total(self) -> str:
        """The total as the panel shows it (float32-rounded exact sum), or ``""``."""
        return self._displayed_total

    # -- computing ----------------------------------------------------------------------------
    def _target(self):
        """``(frame, layer, conv, out_channel, y, x)`` to explain, or None."""
        frame, selection = self._frame, self._selection
        if frame is None or selection.pixel is None:
            return None
        layer = selection.layer
        layers = frame.design.layers
        if not 0 <= layer < min(len(layers), len(frame.outputs)):
            return None
        conv = layers[layer]
        if not isinstance(conv, Conv2d):
            return None
        output = frame.outputs[layer]
        out_channel = selection.out_channel
        y, x = selection.pixel
        if not (0 <= out_channel < output.shape[0] and 0 <= y < output.shape[1]
                and 0 <= x < output.shape[2]):
            return None
        return frame, layer, conv, out_channel, int(y), int(x)

    def _with_parameters(self, design: Design, layer: int) -> Conv2d:
        conv = design.layers[layer]
        if conv.has_explicit_parameters:
            return conv
        # The engine materialises a design without parameters the same, seeded way.
        if self._materialized is None or self._materialized[0] is not design:
            from convdesigner.compute.weights import materialize  # torch: loaded after start-up
            self._materialized = (design, materialize(design))
        return self._materialized[1].layers[layer]

    def refresh(self) -> None:
        """Recompute from the current frame and selection (cheap when nothing changed)."""
        target = self._target()
        key = None if target is None else (id(target[0]), *target[1:2], *target[3:],
                                            self.digits_box.isChecked())
        if target is not None and key == self._key and self._explanation is not None:
            return
        self._key = key
        if target is None:
            self._show_hint(None)
            return
        frame, layer, conv, out_channel, y, x = target
        layer_input = frame.image if layer == 0 else frame.outputs[layer - 1]
        try:
            conv = self._with_parameters(frame.design, layer)
            from convdesigner.compute.explain import explain_pixel  # torch: loaded after start-up
            explanation = explain_pixel(conv, layer_input, out_channel, y, x)
        except ConvDesignerError as error:
            self._show_hint(str(error))
            return
        self._show(frame, layer, conv, explanation)

    def _show_hint(self, message: str | None) -> None:
        self._explanation = None
        self._conv = None
        self._shown = None
        self._map_size = None
        self._displayed_value = self._displayed_total = ""
        self.hint_label.setText(message or self._hint_text())
        self.hint_label.show()
        self.content.hide()
        self.terms_view.set_content(None)
        self._set_highlight((INPUT_SOURCE, []))
        self._update_keys_hint()

    def _hint_text(self) -> str:
        return self.tr("Click a pixel of a Conv2d feature map to see how it was computed")

    def _show(self, frame, layer: int, conv: Conv2d, explanation: PixelExplanation) -> None:
        shown_before, self._shown = self._shown, (layer, explanation.out_channel)
        self._explanation = explanation
        self._conv = conv
        output = frame.outputs[layer]
        self._map_size = (int(output.shape[1]), int(output.shape[2]))
        o, y, x = explanation.out_channel, explanation.y, explanation.x
        value = output[o, y, x]
        self._displayed_value = f32(value)
        self.header_label.setText(self.tr(
            "Layer {layer}, output channel {channel}, pixel ({y}, {x}) = {value}").format(
            layer=layer, channel=o, y=y, x=x, value=self._displayed_value))
        self.header_label.setToolTip(conv.torch_repr())

        terms = explanation.terms
        first = terms[0]
        channels = [term.in_channel for term in terms]
        source = (self.tr("the input image") if layer == 0
                  else self.tr("the output of layer {index}").format(index=layer - 1))
        channel_text = (self.tr("channel {first}").format(first=channels[0]) if len(channels) == 1
                        else self.tr("channels {first}–{last}").format(first=channels[0],
                                                                        last=channels[-1]))
        self.reads_label.setText(self.tr("Reads {source}, {channels}, rows {rows}, columns {cols}")
                                 .format(source=source, channels=channel_text,
                                         rows=self._span(first.rows), cols=self._span(first.cols)))
        self.reads_label.setToolTip(conv.torch_repr())
        self._show_legend(conv, bool(first.padded.any()))

        content = self._format(layer, conv, explanation)
        self.terms_view.set_content(content)
        if shown_before != self._shown:   # another kernel: start from its first term
            self.scroll_area.verticalScrollBar().setValue(0)

        if conv.bias:
            self.bias_label.setText(self.tr("bias = {bias}").format(bias=f32(explanation.bias)))
        else:
            self.bias_label.setText(self.tr("bias = 0 (the layer has bias=False)"))
        self._show_total(frame, explanation, value)

        cells = [(term.in_channel, int(r), int(c), bool(first.padded[i, j]))
                 for term in terms
                 for i, r in enumerate(first.rows) for j, c in enumerate(first.cols)]
        self._set_highlight((INPUT_SOURCE if layer == 0 else layer - 1, cells))
        self.hint_label.hide()
        self.content.show()
        self._update_keys_hint()

    def _span(self, coordinates: np.ndarray) -> str:
        """``-1…2``, or ``-1…3 in steps of 2`` with dilation."""
        first, last = int(coordinates[0]), int(coordinates[-1])
        if len(coordinates) == 1:
            return str(first)
        step = int(coordinates[1] - coordinates[0])
        if step == 1:
            return f"{first}…{last}"
        return self.tr("{first}…{last} in steps of {step}").format(first=first, last=last,
                                                                    step=step)

    def _show_total(self, frame, explanation: PixelExplanation, value: np.floating) -> None:
        total32 = np.float32(explanation.total)
        value32 = np.float32(value)
        self._displayed_total = f32(total32)
        if self._displayed_total == self._displayed_value:
            self.total_label.setText(self.tr("total = Σ + bias = {total} = the value in the map")
                                     .format(total=self._displayed_total))
            self.note_label.hide()
            return
        self.total_label.setText(self.tr(
            "total = Σ + bias = {total} ≈ {value}, the value in the map").format(
            total=self._displayed_total, value=self._displayed_value))
        difference = abs(float(total32) - float(value32))
        spacing = float(np.spacing(np.abs(value32))) or float(np.finfo(np.float32).tiny)
        ulps = int(round(difference / spacing))
        count = sum(term.products.size for term in explanation.terms)
        device = str(getattr(frame, "device", "cpu"))
        on_cpu = device.startswith("cpu")
        # What rounding can do to a sum of ``count`` terms: count × unit roundoff × Σ|terms|
        # (float32's 2^-24 on the CPU; TF32's 2^-11 on a GPU, which may use it for convolutions).
        magnitude = sum(float(np.abs(term.products).sum()) for term in explanation.terms)
        bound = (count + 1) * 2.0 ** (-24 if on_cpu else -11) * (magnitude + abs(explanation.bias))
        terms_text = (self.tr("the {count} products and the bias") if self._conv.bias
                      else self.tr("the {count} products")).format(count=count)
        note = self.tr(
            "PyTorch adds {terms} in float32, in its own order, rounding at every step; the total "
            "here is the exact sum, rounded once. They differ by {difference} ({ulps} in the last "
            "place):").format(terms=terms_text, difference=f"{difference:.3g}", ulps=ulps)
        if not on_cpu:
            note += " " + self.tr("the map was computed on {device}, whose convolutions may use "
                                  "reduced-precision (TF32) arithmetic;").format(device=device)
        if difference <= bound + spacing:
            note += " " + self.tr("that is rounding, not a mistake.")
        else:
            note += " " + self.tr("more than rounding explains. The map may have been computed "
                                  "from other values than these.")
        self.note_label.setText(note)
        self.note_label.show()

    def _show_legend(self, conv: Conv2d, padded_here: bool) -> None:
        mode = conv.padding_mode
        descriptions = {
            "zeros": self.tr("padding (zeros): cells outside the input count as 0"),
            "reflect": self.tr("padding (reflect): mirrored from inside the input, the edge "
                               "not repeated"),
            "replicate": self.tr("padding (replicate): the nearest edge value, repeated"),
            "circular": self.tr("padding (circular): wrapped around from the opposite edge"),
        }
        text = descriptions[mode]
        if not padded_here:
            (top, bottom), (left, right) = conv.padding_amounts()
            text = (self.tr("no padding under this pixel") if top or bottom or left or right
                    else self.tr("no padding in this layer"))
        self.legend_label.setText(text)
        pixmap = QPixmap(self.legend_swatch.size())
        pixmap.fill(self.palette().color(QPalette.Base))
        painter = QPainter(pixmap)
        if padded_here:
            paint_padded(painter, QRectF(pixmap.rect()), self.palette())
        painter.setPen(self.palette().color(QPalette.Mid))
        painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1))
        painter.end()
        self.legend_swatch.setPixmap(pixmap)
        self.legend_swatch.setVisible(padded_here)

    def _format(self, layer: int, conv: Conv2d, explanation: PixelExplanation) -> _Content:
        terms = explanation.terms
        first = terms[0]
        patches = np.stack([term.patch for term in terms])
        weights = np.stack([term.sub_kernel for term in terms])
        products = np.stack([term.products for term in terms])
        style = f32 if self.digits_box.isChecked() else _compact

        def shown(values: np.ndarray) -> list[str]:
            # Products are shown as float32 like everything else (the tooltip has them exact).
            return [style(v) for v in _no_negative_zero(values.astype(np.float32)).ravel().tolist()]

        texts = tuple([shown(patches[n]), shown(weights[n]), shown(products[n])]
                      for n in range(len(terms)))
        sums = tuple(f32(term.sum) for term in terms)
        largest = float(np.max(np.abs(products))) if products.size else 0.0
        tints = products / largest if largest > 0 else np.zeros_like(products)
        return _Content(layer=layer, out_channel=explanation.out_channel,
                        in_channels=tuple(term.in_channel for term in terms),
                        kernel=conv.kernel_size, padded=first.padded, rows=first.rows,
                        cols=first.cols, patches=patches, weights=weights, products=products,
                        tints=tints, texts=texts, sums=sums, padding_mode=conv.padding_mode)

    def _digits_toggled(self, _checked: bool) -> None:
        self._key = None
        self.refresh()

    def _set_highlight(self, highlight: tuple[int, list[Cell]]) -> None:
        if highlight != self._highlight:
            self._highlight = highlight
            self.highlightChanged.emit()

    def _row_hovered(self, row: int) -> None:
        channel = -1
        if row >= 0 and self._explanation is not None and row < len(self._explanation.terms):
            channel = self._explanation.terms[row].in_channel
        if channel != self._hovered_channel:
            self._hovered_channel = channel
            self.termHovered.emit(channel)

    # -- keyboard -----------------------------------------------------------------------------
    _MOVES = {Qt.Key_Up: (-1, 0), Qt.Key_Down: (1, 0), Qt.Key_Left: (0, -1), Qt.Key_Right: (0, 1)}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        move = self._MOVES.get(Qt.Key(event.key()))
        if (move is None or self._explanation is None or self._map_size is None
                or event.modifiers() & ~Qt.KeypadModifier):
            super().keyPressEvent(event)
            return
        height, width = self._map_size
        y = min(max(self._explanation.y + move[0], 0), height - 1)
        x = min(max(self._explanation.x + move[1], 0), width - 1)
        self._selection.select(pixel=(y, x))
        event.accept()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self._update_keys_hint()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self._update_keys_hint()

    def _update_keys_hint(self) -> None:
        if self.hasFocus():
            self.keys_label.setText(self.tr("Arrow keys move the pixel"))
        else:
            self.keys_label.setText(self.tr("Click this panel, then use the arrow keys to move "
                                            "the pixel"))
