"""The wiring of a Conv2d: which input channels each output channel (each kernel) reads.

:class:`WiringView` shows the selected Conv2d's ``in_channels`` as a column of dots on the left and
its ``out_channels`` as a column on the right, with a line wherever an output channel reads an
input channel -- or, toggled, the same as an ``out_channels × in_channels`` matrix of cells.

* ``groups=1``: every output reads every input (a dense web);
* ``groups=g``: ``g`` separate blocks, each in its own colour -- output ``o`` reads input ``i``
  exactly when ``o // (out/g) == i // (in/g)``;
* ``groups=in_channels`` (depthwise): one line per output channel.

The selected output channel's lines are drawn on top, thick; clicking an output channel selects
it (clicking one of the inputs it reads selects that sub-kernel too). A caption under the picture
says what groups does to the weight count, with the numbers, and changes as groups changes.

Fast at classroom sizes: one custom widget paints everything with ``QPainter.drawLines`` per group
into a cached pixmap (64 × 128 = 8,192 lines take a few milliseconds); only the highlight is
drawn on every paint. Past :data:`QPAINTER_LINES` lines, the lines are not drawn one by one but
computed all at once as the image they make
(:func:`~convdesigner.design.wiring.density_image`: one FFT per group).

Threading: GUI thread only.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design import Conv2d
from convdesigner.design.wiring import connection_matrix, density_image, wireable
from convdesigner.ui.i18n import problem_text
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import INPUT, Selection

#: Up to this many connections the lines view draws them with QPainter one by one; above, it
#: computes the image they make all at once (:func:`~convdesigner.design.wiring.density_image`),
#: which costs the same for 8,192 lines as for 262,144.
QPAINTER_LINES = 1_000

#: One colour per group (Tableau 10: distinct on white and on a dark background), cycled.
GROUP_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf")

LINES = "lines"
MATRIX = "matrix"


def group_color(group: int, groups: int) -> QColor:
    return QColor(GROUP_COLORS[0] if groups == 1 else GROUP_COLORS[group % len(GROUP_COLORS)])


def _nice_step(count: int, room: float, minimum: float) -> int:
    """The smallest of 1, 2, 4, 8, ... (or 5, 10, ...) label steps that keeps labels ``minimum`` apart."""
    if count <= 0:
        return 1
    spacing = room / count
    for step in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096):
        if spacing * step >= minimum:
            return step
    return max(count, 1)


class WiringView(QWidget):
    """The wiring of the selected Conv2d (see the module docstring): a "Lines / Matrix" toggle,
    the picture and a caption.

    ``modeChanged(str)`` is emitted with ``"lines"`` or ``"matrix"`` when the toggle changes.
    """

    modeChanged = Signal(str)

    def __init__(self, document: DesignDocument, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self._layer_index = INPUT
        self._layer: Conv2d | None = None
        self._connections = np.zeros((0, 0), dtype=bool)
        self._message = ""
        self._drawn_key: tuple | None = None

        self.title_label = QLabel(self)
        title_font = QFont(self.font())
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        # Wraps rather than widen the centre (translations can be longer than the English).
        self.title_label.setWordWrap(True)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lines_button = QToolButton(self)
        self.lines_button.setText(self.tr("Lines"))
        self.lines_button.setToolTip(self.tr("A line wherever an output channel reads an input channel"))
        self.matrix_button = QToolButton(self)
        self.matrix_button.setText(self.tr("Matrix"))
        self.matrix_button.setToolTip(self.tr(
            "One row per output channel (kernel), one column per input channel; a filled cell "
            "where the kernel reads that channel"))
        self._mode_group = QButtonGroup(self)
        self._mode_group.setExclusive(True)
        for button in (self.lines_button, self.matrix_button):
            button.setCheckable(True)
            button.setAutoRaise(True)
            self._mode_group.addButton(button)
        self.lines_button.setChecked(True)
        self._mode_group.buttonToggled.connect(self._on_mode_toggled)

        self.canvas = _WiringCanvas(self)
        self.caption_label = QLabel(self)
        self.caption_label.setWordWrap(True)
        self.caption_label.setTextFormat(Qt.TextFormat.PlainText)
        caption_font = QFont(self.font())
        if caption_font.pointSizeF() > 0:
            caption_font.setPointSizeF(caption_font.pointSizeF() + 1)
        self.caption_label.setFont(caption_font)
        self.caption_label.setMargin(4)
        self.caption_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 0)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.lines_button)
        header.addWidget(self.matrix_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.caption_label)
        self.setAccessibleName(self.tr("Channel wiring"))

        document.designChanged.connect(self.refresh)
        selection.changed.connect(self.refresh)
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(500, 500)

    # -- reading (also for tests) -----------------------------------------------------------------
    def connections(self) -> np.ndarray:
        """What is drawn: ``bool [out_channels, in_channels]`` (empty when no Conv2d is shown)."""
        return self._connections.copy()

    def layer(self) -> Conv2d | None:
        """The Conv2d shown, or None."""
        return self._layer

    def layer_index(self) -> int:
        return self._layer_index

    def caption(self) -> str:
        return self.caption_label.text()

    def message(self) -> str:
        """The text shown instead of a picture ("" when a Conv2d's wiring is drawn)."""
        return self._message

    def mode(self) -> str:
        return MATRIX if self.matrix_button.isChecked() else LINES

    def set_mode(self, mode: str) -> None:
        if mode not in (LINES, MATRIX):
            raise ValueError(f"mode must be {LINES!r} or {MATRIX!r}, got {mode!r}")
        (self.matrix_button if mode == MATRIX else self.lines_button).setChecked(True)

    def highlighted_output(self) -> int | None:
        if self._layer is None or self._message:
            return None
        out = self._selection.out_channel
        return out if 0 <= out < self._layer.out_channels else None

    def output_point(self, out_channel: int) -> QPoint:
        """Where output channel ``out_channel`` is drawn, in :attr:`canvas` coordinates (click it)."""
        return self.canvas.output_point(out_channel).toPoint()

    # -- following the document and selection ---------------------------------------------------
    def _on_mode_toggled(self, _button, checked: bool) -> None:
        if checked:
            self.canvas.invalidate()
            self.modeChanged.emit(self.mode())

    def refresh(self) -> None:
        design = self._document.design
        index = self._selection.layer
        layer = design.layers[index] if 0 <= index < len(design.layers) else None
        self._layer_index = index
        self._layer = layer if isinstance(layer, Conv2d) else None
        self._message = ""
        caption = ""
        if layer is None:
            self._message = self.tr(
                "The input has no kernels. Select a Conv2d layer to see which input channels each "
                "of its kernels reads.")
            title = self.tr("Channel wiring")
        elif not isinstance(layer, Conv2d):
            title = self.tr("[{index}] {kind}").format(index=index, kind=layer.kind)
            self._message = self._per_channel_message(index, layer.kind)
        else:
            title = self.tr("[{index}] Conv2d: which input channels each kernel reads").format(index=index)
            if not wireable(layer):
                messages = [problem_text(p) for p in self._document.analysis.problems_of(index)
                            if p.field in ("groups", "in_channels", "out_channels")]
                self._message = "\n".join(messages) or self.tr(
                    "groups={groups} must be at least 1 and divide in_channels={inputs} and "
                    "out_channels={outputs}.").format(groups=layer.groups, inputs=layer.in_channels,
                                                      outputs=layer.out_channels)
            else:
                caption = self._caption_text(layer)
        self._connections = (connection_matrix(layer.out_channels, layer.in_channels, layer.groups)
                             if isinstance(layer, Conv2d) else np.zeros((0, 0), dtype=bool))
        self.title_label.setText(title)
        self.caption_label.setText(caption)
        self.caption_label.setVisible(bool(caption))
        enabled = not self._message
        self.lines_button.setEnabled(enabled)
        self.matrix_button.setEnabled(enabled)
        # Only the layer, its arguments and the message change the picture; a new selected
        # output channel only moves the highlight, which is drawn over the cached picture.
        key = (index, self._layer, self._message)
        if key != self._drawn_key:
            self._drawn_key = key
            self.canvas.invalidate()
        else:
            self.canvas.update()

    def _per_channel_message(self, index: int, kind: str) -> str:
        if kind in ("MaxPool2d", "AvgPool2d"):
            text = self.tr("[{index}] {kind} pools every channel on its own: output channel k comes "
                           "from input channel k only, so there is no wiring between channels.")
        else:
            text = self.tr("[{index}] {kind} works on every value on its own: output channel k comes "
                           "from input channel k only, so there is no wiring between channels.")
        return text.format(index=index, kind=kind) + "\n\n" + self.tr(
            "Select a Conv2d layer to see how its kernels mix channels.")

    def _caption_text(self, layer: Conv2d) -> str:
        groups, inputs, outputs = layer.groups, layer.in_channels, layer.out_channels
        kh, kw = layer.kernel_size
        weights = outputs * layer.in_per_group * kh * kw
        if groups == 1:
            if inputs == 1:
                text = self.tr("groups=1: each of the {outputs} kernels reads the one input channel — "
                               "{weights} weights")
            elif outputs == 1:
                text = self.tr("groups=1: the one kernel reads all {inputs} input channels — "
                               "{weights} weights")
            else:
                text = self.tr("groups=1: each of the {outputs} kernels reads all {inputs} input "
                               "channels — {weights} weights")
        elif groups == inputs:
            text = self.tr("groups={groups} (depthwise): each kernel reads 1 of the {inputs} input "
                           "channels — {groups}× fewer weights ({weights})")
        else:
            text = self.tr("groups={groups}: each kernel reads {per_group} of the {inputs} input "
                           "channels — {groups}× fewer weights ({weights})")
        return text.format(groups=groups, inputs=f"{inputs:,}", outputs=f"{outputs:,}",
                           per_group=f"{layer.in_per_group:,}", weights=f"{weights:,}")

    # -- clicks from the canvas ----------------------------------------------------------------
    def _clicked(self, out_channel: int | None, in_channel: int | None) -> None:
        layer = self._layer
        if layer is None or self._message:
            return
        if out_channel is not None:
            self._selection.select(out_channel=out_channel)
        if in_channel is not None:
            out = self._selection.out_channel
            if 0 <= out < layer.out_channels and self._connections[out, in_channel]:
                self._selection.select(sub_kernel=in_channel % layer.in_per_group)


class _WiringCanvas(QWidget):
    """Paints the lines or the matrix of the parent :class:`WiringView`."""

    def __init__(self, view: WiringView) -> None:
        super().__init__(view)
        self._view = view
        self._cache: QPixmap | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(220, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def invalidate(self) -> None:
        self._cache = None
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._cache = None

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._cache = None

    # -- geometry -------------------------------------------------------------------------------
    def _fonts(self) -> tuple[QFont, QFontMetricsF]:
        font = QFont(self.font())
        return font, QFontMetricsF(font)

    def _lines_geometry(self) -> tuple[float, float, float, float, float, float]:
        """``(x_in, x_out, top, bottom, in_spacing, out_spacing)`` of the lines view."""
        layer = self._view.layer()
        _font, metrics = self._fonts()
        label_w = metrics.horizontalAdvance("0000") + 10
        x_in = label_w + 14
        x_out = self.width() - label_w - 14
        top = metrics.height() + 12
        bottom = self.height() - 8
        room = max(bottom - top, 1.0)
        n_in = max(layer.in_channels, 1) if layer else 1
        n_out = max(layer.out_channels, 1) if layer else 1
        return x_in, x_out, top, bottom, room / n_in, room / n_out

    def _matrix_geometry(self) -> QRectF:
        _font, metrics = self._fonts()
        left = metrics.horizontalAdvance("0000") + metrics.height() + 16
        top = 2 * metrics.height() + 10
        return QRectF(left, top, max(self.width() - left - 10, 1.0), max(self.height() - top - 8, 1.0))

    def output_point(self, out_channel: int) -> QPointF:
        layer = self._view.layer()
        if layer is None:
            return QPointF()
        if self._view.mode() == MATRIX:
            rect = self._matrix_geometry()
            row = rect.height() / max(layer.out_channels, 1)
            return QPointF(rect.left() + rect.width() / 2, rect.top() + (out_channel + 0.5) * row)
        x_in, x_out, top, _bottom, _si, so = self._lines_geometry()
        return QPointF(x_out, top + (out_channel + 0.5) * so)

    def _hit(self, pos: QPointF) -> tuple[int | None, int | None]:
        """``(out_channel, in_channel)`` under ``pos`` (either may be None)."""
        layer = self._view.layer()
        if layer is None or self._view.message():
            return None, None
        n_out, n_in = layer.out_channels, layer.in_channels
        if self._view.mode() == MATRIX:
            rect = self._matrix_geometry()
            if not rect.contains(pos):
                return None, None
            out = int((pos.y() - rect.top()) / rect.height() * n_out)
            inp = int((pos.x() - rect.left()) / rect.width() * n_in)
            return min(max(out, 0), n_out - 1), min(max(inp, 0), n_in - 1)
        x_in, x_out, top, bottom, si, so = self._lines_geometry()
        if not top - 4 <= pos.y() <= bottom + 4:
            return None, None
        grab = 40.0
        if abs(pos.x() - x_out) <= grab or pos.x() > x_out:
            return min(max(int((pos.y() - top) / so), 0), n_out - 1), None
        if abs(pos.x() - x_in) <= grab or pos.x() < x_in:
            return None, min(max(int((pos.y() - top) / si), 0), n_in - 1)
        return None, None

    # -- events ----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        out, inp = self._hit(event.position())
        if self._view.mode() == MATRIX:
            self._view._clicked(out, inp)
        elif out is not None:
            self._view._clicked(out, None)
        elif inp is not None:
            self._view._clicked(None, inp)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self._show_tooltip(event)  # type: ignore[arg-type]
            return True
        return super().event(event)

    def _show_tooltip(self, event: QHelpEvent) -> None:
        layer = self._view.layer()
        out, inp = self._hit(QPointF(event.pos()))
        if layer is None or (out is None and inp is None):
            QToolTip.hideText()
            return
        per_in = layer.in_per_group
        per_out = layer.out_channels // layer.groups
        if out is not None:
            group = out // per_out
            first, last = group * per_in, (group + 1) * per_in - 1
            reads = (self.tr("input {first}").format(first=first) if first == last else
                     self.tr("inputs {first}–{last}").format(first=first, last=last))
            text = self.tr("Output channel {out} (group {group}) reads {reads}. "
                                 "Click to select it.").format(out=out, group=group, reads=reads)
            if inp is not None:
                connected = self._view.connections()[out, inp]
                text = (self.tr("Kernel {out} reads input channel {inp} (sub-kernel {sub}).")
                        .format(out=out, inp=inp, sub=inp % per_in) if connected else
                        self.tr("Kernel {out} does not read input channel {inp}: they are "
                                      "in different groups.").format(out=out, inp=inp))
        else:
            group = inp // per_in
            first, last = group * per_out, (group + 1) * per_out - 1
            text = self.tr("Input channel {inp} (group {group}) is read by outputs "
                                 "{first}–{last}.").format(inp=inp, group=group, first=first, last=last)
        QToolTip.showText(event.globalPos(), text, self)

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        ratio = self.devicePixelRatioF()
        if self._cache is None or self._cache.size() != self.size() * ratio:
            self._cache = self._render_base(ratio)
        painter.drawPixmap(0, 0, self._cache)
        out = self._view.highlighted_output()
        if out is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            if self._view.mode() == MATRIX:
                self._paint_matrix_highlight(painter, out)
            else:
                self._paint_lines_highlight(painter, out)
        painter.end()

    def _colors(self) -> tuple[QColor, QColor, QColor]:
        palette = self.palette()
        return (palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text),
                palette.color(QPalette.ColorRole.PlaceholderText))

    def _render_base(self, ratio: float) -> QPixmap:
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        base, text, _quiet = self._colors()
        pixmap.fill(base)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        layer = self._view.layer()
        if self._view.message() or layer is None:
            painter.setPen(text)
            painter.drawText(QRectF(self.rect()).adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._view.message())
        elif self._view.mode() == MATRIX:
            self._paint_matrix(painter, layer)
        else:
            self._paint_lines(painter, layer)
        painter.end()
        return pixmap

    # lines
    def _paint_lines(self, painter: QPainter, layer: Conv2d) -> None:
        base, text, _quiet = self._colors()
        font, metrics = self._fonts()
        painter.setFont(font)
        n_in, n_out, groups = layer.in_channels, layer.out_channels, layer.groups
        x_in, x_out, top, bottom, si, so = self._lines_geometry()
        per_in, per_out = n_in // groups, n_out // groups
        total = n_out * per_in
        # Headers.
        painter.setPen(text)
        header_h = metrics.height()
        painter.drawText(QRectF(4, 2, x_in + 60, header_h), Qt.AlignmentFlag.AlignLeft,
                         self.tr("{count} inputs").format(count=f"{n_in:,}"))
        painter.drawText(QRectF(x_out - 120, 2, self.width() - x_out + 116, header_h), Qt.AlignmentFlag.AlignRight,
                         self.tr("{count} outputs (kernels)").format(count=f"{n_out:,}"))
        # Connections, group by group.
        line_alpha = max(10, min(160, round(800 / math.sqrt(max(per_in * per_out, 1)))))
        if total > QPAINTER_LINES and groups <= 256:
            self._paint_lines_as_density(painter, layer, line_alpha)
        else:
            for group in range(groups):
                color = group_color(group, groups)
                color.setAlpha(line_alpha)
                painter.setPen(QPen(color, 1.0))
                ys_in = [top + (i + 0.5) * si for i in range(group * per_in, (group + 1) * per_in)]
                painter.drawLines([QLineF(x_in, y_i, x_out, top + (o + 0.5) * so)
                                   for o in range(group * per_out, (group + 1) * per_out) for y_i in ys_in])
        # Group brackets and dots.
        for group in range(groups):
            color = group_color(group, groups)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRect(QRectF(x_in - 9, top + group * per_in * si + 0.5, 3, per_in * si - 1))
            painter.drawRect(QRectF(x_out + 6, top + group * per_out * so + 0.5, 3, per_out * so - 1))
        self._paint_dots(painter, x_in, top, si, n_in, text)
        self._paint_dots(painter, x_out, top, so, n_out, text)
        # Channel numbers.
        painter.setPen(text)
        label_h = metrics.height()
        for x, count, spacing, align in ((x_in - 12, n_in, si, Qt.AlignmentFlag.AlignRight),
                                         (x_out + 12, n_out, so, Qt.AlignmentFlag.AlignLeft)):
            step = _nice_step(count, count * spacing, label_h + 2)
            shown = set(range(0, count, step)) | {count - 1}
            for channel in sorted(shown):
                if channel != count - 1 and count - 1 - channel < step and channel != 0:
                    continue    # keep the last label clear of its neighbour
                y = top + (channel + 0.5) * spacing
                rect = (QRectF(x - 60, y - label_h / 2, 60, label_h) if align == Qt.AlignmentFlag.AlignRight
                        else QRectF(x, y - label_h / 2, 60, label_h))
                painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, str(channel))

    def _paint_lines_as_density(self, painter: QPainter, layer: Conv2d, line_alpha: int) -> None:
        """All the lines at once, as the image that drawing them one by one would give."""
        x_in, x_out, top, _bottom, si, so = self._lines_geometry()
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        columns = max(int(round((x_out - x_in) * ratio)), 1)
        first = max(int(math.floor((top - 2) * ratio)), 0)      # only the rows the lines cross
        rows = max(int(math.ceil((_bottom + 2) * ratio)) - first, 1)
        y_in = (top + (np.arange(layer.in_channels) + 0.5) * si) * ratio - first
        y_out = (top + (np.arange(layer.out_channels) + 0.5) * so) * ratio - first
        colors = np.array([group_color(g, layer.groups).getRgb()[:3] for g in range(layer.groups)],
                          dtype=np.float64) / 255.0
        image = density_image(y_in, y_out, layer.groups, columns, rows, colors, line_alpha / 255.0)
        qimage = QImage(image.data, columns, rows, columns * 4,
                        QImage.Format.Format_ARGB32_Premultiplied).copy()
        qimage.setDevicePixelRatio(ratio)
        painter.drawImage(QPointF(x_in, first / ratio), qimage)

    @staticmethod
    def _paint_dots(painter: QPainter, x: float, top: float, spacing: float, count: int, color: QColor) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        if spacing < 2.5:
            painter.drawRect(QRectF(x - 1.5, top, 3, spacing * count))
            return
        radius = min(4.0, spacing * 0.32)
        for i in range(count):
            painter.drawEllipse(QPointF(x, top + (i + 0.5) * spacing), radius, radius)

    def _paint_lines_highlight(self, painter: QPainter, out: int) -> None:
        layer = self._view.layer()
        assert layer is not None
        x_in, x_out, top, _bottom, si, so = self._lines_geometry()
        base, text, _quiet = self._colors()
        per_in, per_out = layer.in_per_group, layer.out_channels // layer.groups
        group = out // per_out
        # Darker than the web on a light background, lighter on a dark one: it stands out on both.
        dark = base.lightness() < 128
        color = group_color(group, layer.groups).lighter(150) if dark else group_color(group, layer.groups).darker(125)
        y_out = top + (out + 0.5) * so
        inputs = range(group * per_in, (group + 1) * per_in)
        width = 2.2 if per_in <= 64 else 1.2
        halo = QPen(base, width + 2.5)
        painter.setPen(halo)
        painter.drawLines([QLineF(x_in, top + (i + 0.5) * si, x_out, y_out) for i in inputs])
        painter.setPen(QPen(color, width))
        painter.drawLines([QLineF(x_in, top + (i + 0.5) * si, x_out, y_out) for i in inputs])
        radius = max(4.0, min(6.0, so * 0.5))
        painter.setPen(QPen(base, 1.5))
        painter.setBrush(color)
        painter.drawEllipse(QPointF(x_out, y_out), radius, radius)
        painter.setPen(QPen(color, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(x_out, y_out), radius + 3, radius + 3)
        # The output's number, on a plate so it reads over the other labels.
        _font, metrics = self._fonts()
        label = str(out)
        w, h = metrics.horizontalAdvance(label) + 8, metrics.height()
        plate = QRectF(x_out + 12, y_out - h / 2, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(plate, 3, 3)
        painter.setPen(QColor("black") if dark else QColor("white"))
        painter.drawText(plate, Qt.AlignmentFlag.AlignCenter, label)

    # matrix
    def _paint_matrix(self, painter: QPainter, layer: Conv2d) -> None:
        base, text, _quiet = self._colors()
        font, metrics = self._fonts()
        painter.setFont(font)
        rect = self._matrix_geometry()
        n_out, n_in, groups = layer.out_channels, layer.in_channels, layer.groups
        connections = self._view.connections()
        per_out = max(n_out // max(groups, 1), 1)
        # One pixel per cell, coloured by group; Qt scales it up without smoothing.
        empty = QColor(base).darker(112) if base.lightness() >= 128 else QColor(base).lighter(150)
        palette = np.array([[*group_color(g, groups).getRgb()[:3]] for g in range(min(groups, len(GROUP_COLORS)))],
                           dtype=np.uint8)
        rows_group = (np.arange(n_out) // per_out) % len(palette)
        rgb = np.empty((n_out, n_in, 4), dtype=np.uint8)
        rgb[..., 3] = 255
        rgb[..., 0], rgb[..., 1], rgb[..., 2] = empty.blue(), empty.green(), empty.red()
        colors = palette[rows_group]          # [n_out, 3] RGB
        for channel, source in ((2, 0), (1, 1), (0, 2)):   # QImage ARGB32 is B, G, R, A in memory
            plane = rgb[..., channel]
            plane[connections] = np.broadcast_to(colors[:, source:source + 1], (n_out, n_in))[connections]
        image = QImage(rgb.data, n_in, n_out, n_in * 4, QImage.Format.Format_ARGB32).copy()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(rect, image)
        # Grid lines where cells are large enough to tell apart.
        cell_w, cell_h = rect.width() / n_in, rect.height() / n_out
        grid = QColor(base)
        if cell_w >= 6:
            painter.setPen(QPen(grid, 1.0))
            painter.drawLines([QLineF(rect.left() + c * cell_w, rect.top(), rect.left() + c * cell_w, rect.bottom())
                               for c in range(1, n_in)])
        if cell_h >= 6:
            painter.setPen(QPen(grid, 1.0))
            painter.drawLines([QLineF(rect.left(), rect.top() + r * cell_h, rect.right(), rect.top() + r * cell_h)
                               for r in range(1, n_out)])
        painter.setPen(QPen(text, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        # Axis titles and ticks.
        h = metrics.height()
        painter.drawText(QRectF(rect.left(), 2, rect.width(), h), Qt.AlignmentFlag.AlignHCenter,
                         self.tr("input channel →"))
        step = _nice_step(n_in, rect.width(), metrics.horizontalAdvance("0000") + 4)
        for channel in sorted(set(range(0, n_in, step)) | {n_in - 1}):
            if channel not in (0, n_in - 1) and n_in - 1 - channel < step:
                continue
            x = rect.left() + (channel + 0.5) * cell_w
            painter.drawText(QRectF(x - 30, rect.top() - h - 2, 60, h), Qt.AlignmentFlag.AlignHCenter, str(channel))
        step = _nice_step(n_out, rect.height(), h + 2)
        for channel in sorted(set(range(0, n_out, step)) | {n_out - 1}):
            if channel not in (0, n_out - 1) and n_out - 1 - channel < step:
                continue
            y = rect.top() + (channel + 0.5) * cell_h
            painter.drawText(QRectF(0, y - h / 2, rect.left() - 4, h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(channel))
        painter.save()
        painter.translate(h / 2 + 2, rect.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-rect.height() / 2, -h / 2, rect.height(), h), Qt.AlignmentFlag.AlignCenter,
                         self.tr("output channel (kernel) →"))
        painter.restore()

    def _paint_matrix_highlight(self, painter: QPainter, out: int) -> None:
        layer = self._view.layer()
        assert layer is not None
        rect = self._matrix_geometry()
        cell_h = rect.height() / layer.out_channels
        _base, text, _quiet = self._colors()
        row = QRectF(rect.left() - 3, rect.top() + out * cell_h - 1.5, rect.width() + 6, cell_h + 3)
        painter.setPen(QPen(text, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(row)
