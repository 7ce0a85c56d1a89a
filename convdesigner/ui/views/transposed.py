"""How a transposed convolution is made: one output channel of a ConvTranspose2d taken apart, two ways.

For the selected ConvTranspose2d and output channel ``o`` the view shows, per input channel of
``o``'s group (the strongest few, all of them in the sum):

* **Scatter**: input map ``c`` × sub-kernel ``weight[c, o]`` → the map its stamps make (each input
  pixel stamps the sub-kernel, scaled by its value, ``stride`` pixels after its neighbour), and
  the overlap count: how many stamps each output pixel receives (uneven counts: the checkerboard).
* **Gather**: the input with ``stride − 1`` zeros inserted and the implied padding, ⊛ the flipped
  sub-kernel → the same map.

Then Σ of all the maps + bias = output channel ``o``, with the largest difference of either
construction from the map the engine computed (0 when they agree). Clicking a pixel of a map
lists the stamps that reach it (input pixel × kernel tap), their sum, the bias and the total,
next to PyTorch's value.

The arithmetic runs on the live updater's worker (:class:`~convdesigner.ui.state.live.TransposedTarget`);
this view only asks and draws. Threading: GUI thread only.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design.layers import ConvTranspose2d
from convdesigner.ui.i18n import translate
from convdesigner.ui.state.live import TransposedTarget
from convdesigner.ui.views.painted_tiles import Tile, paint_tile, symmetric
from convdesigner.ui.views.sum_parts import layer_input_of
from convdesigner.ui.views.theme import PANEL_BACKGROUND
from convdesigner.ui.widgets.palette import monospace_font

#: Input channels drawn as rows (the strongest ones); the Σ always adds all of them.
MAX_ROWS = 4


class _Canvas(QWidget):
    """Paints the tiles and the operators between them; a click on a map reports its cell."""

    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles: list[Tile] = []
        self.glyphs: list[tuple[QPointF, str]] = []
        self.notes: list[tuple[QRectF, str]] = []
        self.setMinimumSize(420, 170)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(self._small.pointSizeF() - 1.0, 7.0))
        self._big = QFont(self.font())
        self._big.setPointSizeF(self._big.pointSizeF() + 6.0)
        self._big.setBold(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(PANEL_BACKGROUND))
        text = QColor(220, 222, 228)
        for tile in self.tiles:
            paint_tile(painter, tile, text, self._small)
        painter.setPen(text)
        painter.setFont(self._big)
        for point, glyph in self.glyphs:
            painter.drawText(QRectF(point.x() - 20, point.y() - 16, 40, 32),
                             Qt.AlignmentFlag.AlignCenter, glyph)
        painter.setFont(self._small)
        for rect, note in self.notes:
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                             | Qt.TextFlag.TextWordWrap, note)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Hovering a cell shows its exact value."""
        point = event.position()
        for tile in self.tiles:
            cell = tile.cell_at(point)
            if cell is not None:
                value = float(tile.values[cell])
                text = str(int(value)) if tile.integer else f"{value + 0.0:.9g}"
                QToolTip.showText(event.globalPosition().toPoint(),
                                  f"{tile.title} [{cell[0]}, {cell[1]}] = {text}", self)
                return
        QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        for tile in self.tiles:
            if tile.tags.get("map"):
                cell = tile.cell_at(point)
                if cell is not None:
                    self.cellClicked.emit(*cell)
                    return
        super().mousePressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        view = self.parent()
        while view is not None and not isinstance(view, TransposedView):
            view = view.parent()
        if view is not None:
            view.relayout()


class TransposedView(QWidget):
    """The tab "How a transposed convolution is made". Public for tests: :attr:`mode`
    (``'scatter'``/``'gather'``), :attr:`shown` (the worker's
    :class:`~convdesigner.compute.transposed.TransposedViews` drawn), :attr:`check_label`,
    :attr:`explanation` (the pixel's arithmetic as text) and :meth:`set_mode`."""

    def __init__(self, document, selection, live=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.selection = selection
        self._live = live
        self.shown_frame = None
        self.shown = None                 # TransposedViews on screen
        self._shown_key: tuple | None = None
        self._asked: TransposedTarget | None = None
        self.mode = "scatter"

        self.title = QLabel(self)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.title.setFont(font)
        self.scatter_button = QRadioButton(translate("TransposedView", "Scatter: stamp each input pixel"), self)
        self.gather_button = QRadioButton(translate("TransposedView", "Gather: convolve a stretched input"), self)
        self.scatter_button.setToolTip(translate("TransposedView",
            "Each input pixel puts its sub-kernel, scaled by its value, on the output; overlapping "
            "stamps add up."))
        self.gather_button.setToolTip(translate("TransposedView",
            "The same map as an ordinary convolution: zeros inserted between the input pixels, "
            "padding, and the kernel flipped."))
        self.scatter_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.scatter_button)
        group.addButton(self.gather_button)
        self.scatter_button.toggled.connect(
            lambda checked: self.set_mode("scatter" if checked else "gather"))
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.canvas = _Canvas(self)
        self.canvas.cellClicked.connect(self._cell_clicked)
        self.check_label = QLabel(self)
        self.check_label.setWordWrap(True)
        self.check_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation = QPlainTextEdit(self)
        self.explanation.setReadOnly(True)
        self.explanation.setFont(monospace_font(self.font()))
        self.explanation.setPlaceholderText(translate("TransposedView",
            "Click a pixel of a map to see which input pixels and kernel taps reach it."))

        controls = QHBoxLayout()
        controls.addWidget(self.scatter_button)
        controls.addWidget(self.gather_button)
        controls.addStretch(1)
        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(8, 6, 8, 4)
        column.addWidget(self.title)
        column.addLayout(controls)
        column.addWidget(self.caption)
        column.addWidget(self.canvas, 1)
        column.addWidget(self.check_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.explanation)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 120])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._message(translate("TransposedView", "Waiting for the first computed frame…"))
        if live is not None:
            live.frameReady.connect(self.show_frame)
            live.explained.connect(self._explained)
        selection.changed.connect(self._refresh)

    # -- input ---------------------------------------------------------------------------------
    def show_frame(self, frame) -> None:
        self.shown_frame = frame
        self._refresh()

    def show_not_computed(self, text: str) -> None:
        self.shown_frame = None
        self._message(text)

    def set_mode(self, mode: str) -> None:
        """``'scatter'`` or ``'gather'``: which construction the rows show."""
        if mode == self.mode:
            return
        self.mode = mode
        self.scatter_button.setChecked(mode == "scatter")
        self.gather_button.setChecked(mode == "gather")
        self.relayout()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._refresh()

    def _target_of(self, frame) -> tuple[int, ConvTranspose2d, int] | None:
        index = self.selection.layer
        if frame is None or not 0 <= index < len(frame.outputs):
            return None
        layer = frame.design.layers[index]
        if not isinstance(layer, ConvTranspose2d):
            return None
        return index, layer, min(max(self.selection.out_channel, 0), layer.out_channels - 1)

    def _refresh(self) -> None:
        if not self.isVisible():
            return
        frame = self.shown_frame
        found = self._target_of(frame)
        if found is None:
            self._message(translate("TransposedView",
                "Select a ConvTranspose2d layer to see how each of its output channels is made "
                "from its input channels: by stamping, or as a convolution of a stretched input."))
            return
        index, _layer, out_channel = found
        pixel = self.selection.pixel
        key = (frame, index, out_channel, pixel)
        if _same(key, self._shown_key) or (self._asked is not None and _same(key, self._asked_key)):
            return
        if self._live is None:
            return
        target = TransposedTarget(frame.design, index, layer_input_of(frame, index), out_channel, pixel)
        self._asked, self._asked_key = target, key
        self._live.explain(target)

    _asked_key: tuple | None = None

    @property
    def shown_for(self) -> tuple[int, int, tuple[int, int] | None] | None:
        """``(layer, out_channel, pixel)`` of what is on screen, or None."""
        return None if self._shown_key is None else self._shown_key[1:]

    def _explained(self, target, result, error: str) -> None:
        if target is not self._asked:
            return
        self._asked = None
        key, self._asked_key = self._asked_key, None
        if result is None:
            self._message(error)
            return
        self.shown, self._shown_key = result, key
        self.relayout()
        self._show_pixel()

    def _cell_clicked(self, y: int, x: int) -> None:
        self.selection.select(pixel=(y, x))

    # -- drawing -------------------------------------------------------------------------------
    def _message(self, text: str) -> None:
        self.shown, self._shown_key = None, None
        self.title.setText(translate("TransposedView", "How a transposed convolution is made"))
        self.caption.setText(text)
        self.canvas.tiles, self.canvas.glyphs, self.canvas.notes = [], [], []
        self.canvas.update()
        self.check_label.setText("")
        self.explanation.setPlainText("")

    def relayout(self) -> None:
        """Place the tiles for the current size and mode, and write the captions."""
        views, key = self.shown, self._shown_key
        if views is None or key is None:
            return
        frame, index, out_channel, pixel = key
        layer = frame.design.layers[index]
        scatter, gather = views.scatter, views.gather
        engine_map = frame.outputs[index][out_channel]
        self.title.setText(translate("TransposedView",
            "How output channel {channel} of layer {index} is made").format(
            channel=out_channel, index=index))
        n = len(scatter.in_channels)
        strength = np.abs(scatter.maps.reshape(n, -1)).mean(axis=1) if n else np.zeros(0)
        rows = [int(j) for j in np.argsort(-strength, kind="stable")[:MAX_ROWS]]
        width, height = max(self.canvas.width(), 420), max(self.canvas.height(), 170)
        top, row_gap = 22.0, 22.0
        row_h = min(150.0, (height - top - 8) / max(len(rows), 1) - row_gap)
        tiles: list[Tile] = []
        glyphs: list[tuple[QPointF, str]] = []
        notes: list[tuple[QRectF, str]] = []
        layer_input = layer_input_of(frame, index)
        input_levels = symmetric(*(layer_input[scatter.in_channels[j]] for j in rows)) if rows else (-1, 1)
        kernels = scatter.sub_kernels if self.mode == "scatter" else gather.flipped
        kernel_levels = symmetric(kernels)
        # Each kind on its own scale (one channel's map is much weaker than the sum of 64).
        maps = scatter.maps if self.mode == "scatter" else gather.maps
        map_levels = symmetric(*(maps[j] for j in rows)) if rows else (-1.0, 1.0)
        output_levels = symmetric(scatter.output, engine_map)
        left = 24.0
        out_h, out_w = scatter.output.shape
        reached = _reached(views.pixel, self.mode, layer, gather.padding)
        for position, j in enumerate(rows):
            y0 = top + position * (row_h + row_gap)
            channel = scatter.in_channels[j]
            source_marks, tap_marks = reached.get(channel, ([], []))
            if self.mode == "scatter":
                source, mask = layer_input[channel], None
                source_title = translate("TransposedView", "input {channel}").format(channel=channel)
            else:
                source, mask = gather.stretched[j], gather.real
                source_title = translate("TransposedView", "stretched {channel}").format(channel=channel)
            s_rect = _fit(left, y0, row_h * 1.25, row_h, source.shape)
            tiles.append(Tile(source, s_rect, source_title, input_levels, mask=mask,
                              marks=source_marks))
            k_size = row_h * 0.55
            k_rect = _fit(s_rect.right() + 36, y0 + (row_h - k_size) / 2, k_size, k_size,
                          kernels[j].shape)
            k_title = (translate("TransposedView", "w[{channel}, {local}]") if self.mode == "scatter"
                       else translate("TransposedView", "flipped w[{channel}, {local}]")).format(
                channel=channel, local=out_channel % layer.out_per_group)
            tiles.append(Tile(kernels[j], k_rect, k_title, kernel_levels, numbers=True,
                              marks=tap_marks))
            glyphs.append((QPointF(s_rect.right() + 18, y0 + row_h / 2),
                           "×" if self.mode == "scatter" else "⊛"))
            m_rect = _fit(k_rect.right() + 40, y0, row_h * 1.25, row_h, (out_h, out_w))
            glyphs.append((QPointF(k_rect.right() + 20, y0 + row_h / 2), "→"))
            tiles.append(Tile(maps[j], m_rect, translate("TransposedView", "its map"), map_levels,
                              outline=pixel, tags={"map": True}))
        right = max((tile.rect.right() for tile in tiles), default=left) + 60
        big = max(min(width - right - 20, (height - top - 60) / 2, 260.0), 60.0)
        o_rect = _fit(right, top, big, big, (out_h, out_w))
        glyphs.append((QPointF(right - 30, top + big / 2), "Σ"))
        tiles.append(Tile(scatter.output if self.mode == "scatter" else gather.output, o_rect,
                          translate("TransposedView", "Σ + bias = output {channel}").format(channel=out_channel),
                          output_levels, outline=pixel, tags={"map": True}))
        if self.mode == "scatter":
            c_rect = _fit(right, o_rect.bottom() + 34, big, big, scatter.overlap.shape)
            tiles.append(Tile(scatter.overlap.astype(np.float64), c_rect,
                              translate("TransposedView", "stamps per output pixel"),
                              (0.0, float(max(scatter.overlap.max(), 1))), kind="sequential",
                              numbers=True, integer=True))
        self.canvas.tiles, self.canvas.glyphs, self.canvas.notes = tiles, glyphs, notes
        self.canvas.update()
        self.caption.setText(_caption(self.mode, layer, layer_input.shape[1:], gather.padding))
        scatter_gap = float(np.abs(scatter.output - engine_map).max()) if engine_map.size else 0.0
        gather_gap = float(np.abs(gather.output - engine_map).max()) if engine_map.size else 0.0
        more = "" if n <= len(rows) else translate("TransposedView",
            "Rows: the {shown} input channels that contribute most; the other {count} are in the "
            "Σ too. ").format(shown=len(rows), count=n - len(rows))
        self.check_label.setText(more + translate("TransposedView",
            "Σ of the {count} maps + bias {bias:.6g} = output channel {channel}. Largest difference "
            "from the map PyTorch computed: scatter {scatter:.3g}, gather {gather:.3g}.").format(
            count=n, bias=scatter.bias, channel=out_channel, scatter=scatter_gap, gather=gather_gap))

    def _show_pixel(self) -> None:
        views, key = self.shown, self._shown_key
        if views is None or views.pixel is None or key is None:
            self.explanation.setPlainText("")
            return
        frame, index, out_channel, _ = key
        found = views.pixel
        lines = [translate("TransposedView",
            "Pixel (y={y}, x={x}) of output channel {channel}: the stamps that land on it, input "
            "pixel × kernel tap").format(y=found.y, x=found.x, channel=out_channel)]
        for position, channel in enumerate(found.in_channels):
            terms = [term for term in found.terms if term.in_channel == channel]
            parts = [f"x[{term.row},{term.col}]·w[{term.tap_row},{term.tap_col}] = "
                     f"{term.value + 0.0:.4g}×{term.weight + 0.0:.4g} = {term.product + 0.0:.6g}"
                     for term in terms]
            lines.append(translate("TransposedView", "input {channel}: {terms}  → Σ = {sum}").format(
                channel=channel, terms="; ".join(parts) or "—",
                sum=f"{found.sums[position] + 0.0:.9g}"))
        value = float(frame.outputs[index][out_channel, found.y, found.x])
        total32 = float(np.float32(found.total))
        lines.append(translate("TransposedView", "bias = {bias}").format(bias=f"{found.bias + 0.0:.9g}"))
        verdict = (translate("TransposedView", "= the value in the map") if total32 == value
                   else translate("TransposedView", "≈ the value in the map (float32 rounding)"))
        lines.append(translate("TransposedView", "total = Σ + bias = {total} {verdict} {value}").format(
            total=f"{total32:.9g}", verdict=verdict, value=f"{value:.9g}"))
        self.explanation.setPlainText("\n".join(lines))


def _reached(pixel, mode: str, layer: ConvTranspose2d,
             padding: tuple[tuple[int, int], tuple[int, int]]
             ) -> dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """Per input channel, the cells of the input tile and of the kernel tile that reach the
    explained pixel: input pixels and taps (scatter), or stretched cells and flipped taps (gather)."""
    found: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    if pixel is None:
        return found
    (kh, kw), (sh, sw) = layer.kernel_size, layer.stride
    (top, _), (left, _) = padding
    for term in pixel.terms:
        sources, taps = found.setdefault(term.in_channel, ([], []))
        if mode == "scatter":
            sources.append((term.row, term.col))
            taps.append((term.tap_row, term.tap_col))
        else:
            # Stretched (and padded, or cropped) coordinates; the flipped kernel's own tap.
            sources.append((top + term.row * sh, left + term.col * sw))
            taps.append((kh - 1 - term.tap_row, kw - 1 - term.tap_col))
    return found


def _same(a: tuple | None, b: tuple | None) -> bool:
    """Keys ``(frame, layer, channel, pixel)`` equal, the frame by identity (a Frame's ``==``
    would compare its arrays)."""
    return a is not None and b is not None and a[0] is b[0] and a[1:] == b[1:]


def _fit(x: float, y: float, width: float, height: float, shape: tuple[int, ...]) -> QRectF:
    """The largest rectangle of ``shape``'s aspect (rows × columns) inside the given box."""
    rows, cols = max(shape[0], 1), max(shape[1], 1)
    scale = min(width / cols, height / rows)
    return QRectF(x, y + (height - rows * scale) / 2, cols * scale, rows * scale)


def _caption(mode: str, layer: ConvTranspose2d, size: tuple[int, ...],
             padding: tuple[tuple[int, int], tuple[int, int]]) -> str:
    (kh, kw), (sh, sw) = layer.kernel_size, layer.stride
    if mode == "scatter":
        return translate("TransposedView",
            "Scatter: each of the {h}×{w} pixels of an input channel stamps the {kh}×{kw} "
            "sub-kernel, scaled by its value, onto the output, {sh} rows and {sw} columns after its "
            "neighbour; where stamps overlap they add up. Bottom right: how many stamps each output "
            "pixel receives (uneven counts make the checkerboard).").format(
            h=size[0], w=size[1], kh=kh, kw=kw, sh=sh, sw=sw)
    (top, bottom), (left, right) = padding
    return translate("TransposedView",
        "Gather: the same maps as an ordinary convolution (stride 1). The input gets {zh} zero "
        "rows and {zw} zero columns between its pixels (stride − 1), then padding {top} above and "
        "{bottom} below, {left} left and {right} right (dilation·(kernel_size − 1) − padding, plus "
        "output_padding after; a negative amount crops); the kernel is flipped by 180°. Dark "
        "cells: inserted zeros and padding.").format(
        zh=sh - 1, zw=sw - 1, top=top, bottom=bottom, left=left, right=right)
