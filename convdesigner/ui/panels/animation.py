"""The sliding kernel, animated: Play / Step / speed on the "Explain a pixel" panel.

:class:`KernelAnimation` walks the explained output channel pixel by pixel, in reading order. Each
pixel takes three steps:

1. the kernel's footprint moves over the input maps (padding cells drawn around them; every input
   channel of the group has its own sub-kernel at the same place, the first few are drawn);
2. the products fill in: cell by cell while playing (all at once on a Step), each footprint cell
   takes the colour of input × weight; then each drawn channel shows its partial sum;
3. Σ of the partial sums + bias lands in the output cell, and the output map fills in.

It computes nothing: moving to a pixel selects it (:class:`~convdesigner.ui.state.selection.Selection`),
the panel asks the live worker to explain it, and the panel hands the answer back here
(:meth:`KernelAnimation.set_explanation`). The values written into the output map are the frame's
own feature map -- what PyTorch computed -- so the animation shows exactly the map the views show.
Stride, dilation, every padding mode and groups come with the explanation (coordinates of every
footprint cell, padded or not).

Threading: GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convdesigner.ui.panels.explain_terms import f32
from convdesigner.ui.widgets.cell_highlight import paint_padded

if TYPE_CHECKING:
    from convdesigner.compute.explain import PixelExplanation

#: Milliseconds per step at speeds 1 … 5 (slow enough to read at 1; a blur at 5).
STEP_MS = (1200, 700, 350, 120, 30)
#: Input channels drawn with the footprint (the others move in step, and their sums are counted).
DRAWN_CHANNELS = 3
FOOTPRINT_COLOR = QColor("#ffd400")
_POSITIVE = QColor("#d6604d")
_NEGATIVE = QColor("#4393c3")

MOVE, MULTIPLY, LAND = 0, 1, 2


def _diverging(value: float, peak: float) -> QColor:
    """White at 0, red for positive, blue for negative, full at ``±peak``."""
    t = 0.0 if peak <= 0 else max(-1.0, min(1.0, value / peak))
    end = _POSITIVE if t >= 0 else _NEGATIVE
    a = abs(t)
    return QColor(round(255 + (end.red() - 255) * a), round(255 + (end.green() - 255) * a),
                  round(255 + (end.blue() - 255) * a))


def _image(values: np.ndarray, signed: bool, peak: float, low: float, high: float,
           empty: QColor | None = None) -> QImage:
    """``values`` [H, W] as an RGB image: diverging (white 0, red +, blue −, full at ``±peak``)
    when ``signed``, else gray from ``low`` (dark) to ``high`` (light); NaN cells ``empty``."""
    values = np.asarray(values, dtype=np.float64)
    missing = np.isnan(values)
    values = np.where(missing, 0.0, values)
    if signed:
        t = np.clip(values / (peak or 1.0), -1.0, 1.0)[..., None]
        positive = np.array([_POSITIVE.red(), _POSITIVE.green(), _POSITIVE.blue()], float)
        negative = np.array([_NEGATIVE.red(), _NEGATIVE.green(), _NEGATIVE.blue()], float)
        end = np.where(t >= 0, positive, negative)
        rgb = 255.0 + (end - 255.0) * np.abs(t)
    else:
        t = np.clip((values - low) / (high - low), 0.0, 1.0) if high > low else np.zeros_like(values)
        rgb = np.repeat((20.0 + 235.0 * t)[..., None], 3, axis=2)
    if empty is not None:
        rgb[missing] = (empty.red(), empty.green(), empty.blue())
    pixels = np.ascontiguousarray(np.round(rgb).astype(np.uint8))
    height, width = pixels.shape[:2]
    image = QImage(pixels.data, width, height, 3 * width, QImage.Format_RGB888)
    return image.copy()   # owns its bytes: the array goes away


def _gray(value: float, low: float, high: float) -> QColor:
    t = 0.0 if high <= low else max(0.0, min(1.0, (value - low) / (high - low)))
    level = round(20 + 235 * t)
    return QColor(level, level, level)


class KernelAnimation(QWidget):
    """Controls (Play, Step, Restart, speed) and the picture of the kernel sliding.

    ``KernelAnimation(selection)``; the owner (the explain panel) calls :meth:`set_explanation`
    with every explanation it shows and :meth:`clear` when it shows none. Accessors for tests:
    :attr:`phase`, :attr:`position`, :meth:`shown_output` (the output map as drawn: NaN where not
    filled yet), :meth:`shown_texts` (the numbers written on the picture)."""

    stepped = Signal()   # a step was drawn (tests and the status of the buttons)

    def __init__(self, selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selection = selection
        self._frame = None
        self._layer = -1
        self._conv = None
        self._explanation: PixelExplanation | None = None
        self._map: np.ndarray | None = None         # the output channel [Ho, Wo], float32
        self._filled = 0                            # cells before this raster index are drawn
        self._awaiting: tuple[int, int] | None = None
        self._channel_key: tuple | None = None
        self.phase = LAND
        self.texts: dict[str, str] = {}
        # Footprint cells whose product is drawn (row by row); all of them but while playing the
        # multiply step, when they fill in one by one.
        self.cells_shown = 0
        self._fill_timer = QTimer(self)
        self._fill_timer.timeout.connect(self._fill_one)

        self.play_button = QToolButton()
        self.play_button.setCheckable(True)
        self.play_button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.play_button.toggled.connect(self._play_toggled)
        self.step_button = QToolButton()
        self.step_button.setText(self.tr("Step"))
        self.step_button.setToolTip(self.tr("One step: move the kernel · multiply · add up and write "
                                            "the output cell"))
        self.step_button.clicked.connect(self.step)
        self.restart_button = QToolButton()
        self.restart_button.setText(self.tr("From the start"))
        self.restart_button.setToolTip(self.tr("Empty the output map and put the kernel on its first "
                                               "position"))
        self.restart_button.clicked.connect(self.restart)
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(1, len(STEP_MS))
        self.speed.setValue(2)
        self.speed.setMaximumWidth(110)
        self.speed.setToolTip(self.tr("Speed"))
        self.speed.valueChanged.connect(self._speed_changed)
        speed_label = QLabel(self.tr("Speed"))
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.play_button)
        controls.addWidget(self.step_button)
        controls.addWidget(self.restart_button)
        controls.addStretch(1)
        controls.addWidget(speed_label)
        controls.addWidget(self.speed)
        self.picture = _Picture(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.picture, 1)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._speed_changed(self.speed.value())
        self._update_play_text()

    # -- accessors ----------------------------------------------------------------------------
    @property
    def position(self) -> tuple[int, int] | None:
        """The output pixel the kernel is on, or None."""
        e = self._explanation
        return None if e is None else (e.y, e.x)

    @property
    def playing(self) -> bool:
        return self.play_button.isChecked()

    def shown_output(self) -> np.ndarray | None:
        """The output map as drawn: the frame's values where filled in, NaN elsewhere."""
        if self._map is None:
            return None
        shown = np.full(self._map.shape, np.nan, dtype=np.float32)
        flat = shown.reshape(-1)
        flat[:self._filled] = self._map.reshape(-1)[:self._filled]
        return shown

    def shown_texts(self) -> dict[str, str]:
        """The numbers the picture writes now: ``"cell"`` (the landed output value), ``"sigma"``,
        ``"bias"``, and ``"in c"`` per drawn channel's partial sum."""
        return dict(self.texts)

    # -- fed by the panel ---------------------------------------------------------------------
    def set_explanation(self, frame, layer: int, conv, explanation: PixelExplanation) -> None:
        """The panel shows ``explanation`` of ``frame``'s Conv2d ``layer`` (GUI thread)."""
        output = frame.outputs[layer][explanation.out_channel]
        height, width = output.shape
        index = explanation.y * width + explanation.x
        key = (frame.design.layers[layer] is conv and id(frame.design), layer,
               explanation.out_channel, output.shape)
        moved = self._explanation is None or (self._explanation.y, self._explanation.x) != (
            explanation.y, explanation.x)
        same_channel = key[1:] == (self._channel_key[1:] if self._channel_key else None)
        self._frame, self._layer, self._conv = frame, layer, conv
        self._explanation = explanation
        self._map = np.asarray(output, dtype=np.float32)
        self._channel_key = key
        if self._awaiting == (explanation.y, explanation.x):
            # Our own move: the kernel has arrived; the products and the sum are the next steps.
            self._awaiting = None
            self.phase = MOVE
            self._filled = min(self._filled, index) if same_channel else index
            self._fill_timer.stop()
        elif moved or not same_channel:
            # The user chose this pixel: everything up to it is shown as computed.
            self._awaiting = None
            self.phase = LAND
            self._filled = index + 1
        # else: a new frame for the same pixel (a brush stroke): same step, new numbers.
        self._filled = min(self._filled, height * width)
        self._update_texts()
        self.picture.update()
        self.stepped.emit()

    def clear(self) -> None:
        """Nothing is explained: stop, and draw nothing."""
        self.pause()
        self._fill_timer.stop()
        self._explanation = None
        self._map = None
        self._frame = None
        self._awaiting = None
        self._channel_key = None
        self.texts = {}
        self.picture.update()

    # -- controls -----------------------------------------------------------------------------
    def play(self) -> None:
        self.play_button.setChecked(True)

    def pause(self) -> None:
        self.play_button.setChecked(False)

    def step(self) -> None:
        """One step: move the kernel to the next pixel, or fill in its products, or land its sum."""
        if self._explanation is None or self._awaiting is not None:
            return
        self._fill_timer.stop()
        if self.phase < LAND:
            self.phase += 1
            if self.phase == LAND:
                self._filled = max(self._filled, self._index() + 1)
            if self.phase == MULTIPLY and self.playing and self.footprint_cells() > 1:
                # Playing: the products appear one after the other within this step's time.
                self.cells_shown = 0
                self._fill_timer.start(max(self._timer.interval() // (self.footprint_cells() + 1), 1))
            self._update_texts()
            self.picture.update()
            self.stepped.emit()
            return
        height, width = self._map.shape
        following = self._index() + 1
        if following >= height * width:
            self.pause()      # the whole map is made
            return
        self._go_to(following)

    def restart(self) -> None:
        """An empty output map, the kernel on the first output pixel."""
        if self._explanation is None:
            return
        self._filled = 0
        if self._index() == 0:
            self.phase = MOVE
            self._update_texts()
            self.picture.update()
        else:
            self._go_to(0)

    def _go_to(self, index: int) -> None:
        width = self._map.shape[1]
        pixel = (index // width, index % width)
        self._filled = index
        self._awaiting = pixel
        self._selection.select(pixel=pixel)   # the panel asks the worker; set_explanation follows

    def _index(self) -> int:
        e = self._explanation
        return e.y * self._map.shape[1] + e.x

    def products_drawn(self) -> int:
        """How many footprint cells show their product: all of them, but while they fill in."""
        return self.cells_shown if self._fill_timer.isActive() else self.footprint_cells()

    def footprint_cells(self) -> int:
        """How many cells the kernel's footprint has (kH·kW), 0 with nothing explained."""
        e = self._explanation
        return 0 if e is None else len(e.terms[0].rows) * len(e.terms[0].cols)

    def _fill_one(self) -> None:
        """One more product drawn; the partial sums are written once every product is."""
        self.cells_shown = min(self.cells_shown + 1, self.footprint_cells())
        if self.cells_shown >= self.footprint_cells():
            self._fill_timer.stop()
        self._update_texts()
        self.picture.update()

    def _tick(self) -> None:
        if self._awaiting is not None or self._fill_timer.isActive():
            return                       # the worker has not explained the new pixel yet
        if self._explanation is None:
            self.pause()
            return
        self.step()

    def _play_toggled(self, playing: bool) -> None:
        if playing and self._explanation is not None:
            height, width = self._map.shape
            if self.phase == LAND and self._index() + 1 >= height * width:
                self.restart()            # at the end: play from the start again
            self._timer.start()
        else:
            self._timer.stop()
            self._fill_timer.stop()      # paused while the products fill in: all of them now
            self._update_texts()
            self.picture.update()
            if playing:
                self.play_button.setChecked(False)
        self._update_play_text()

    def _update_play_text(self) -> None:
        playing = self.play_button.isChecked()
        self.play_button.setText(self.tr("⏸ Pause") if playing else self.tr("▶ Play"))
        self.play_button.setToolTip(self.tr("Slide the kernel over the input, pixel by pixel, and "
                                            "watch the output map fill in"))

    def _speed_changed(self, value: int) -> None:
        self._timer.setInterval(STEP_MS[value - 1])

    # -- texts ----------------------------------------------------------------------------------
    def _update_texts(self) -> None:
        e = self._explanation
        texts: dict[str, str] = {}
        if e is not None:
            if self.phase >= MULTIPLY and self.products_drawn() >= self.footprint_cells():
                for term in e.terms[:DRAWN_CHANNELS]:
                    texts[f"in {term.in_channel}"] = f32(term.sum)
            if self.phase >= LAND:
                texts["sigma"] = f32(sum(term.sum for term in e.terms))
                texts["bias"] = f32(e.bias)
                texts["cell"] = f32(self._map[e.y, e.x])
        self.texts = texts

    def caption(self) -> str:
        """The sentence above the picture: what this step does."""
        e = self._explanation
        if e is None:
            return ""
        count = len(e.terms)
        first = e.terms[0]
        if self.phase == MOVE:
            text = self.tr("① The kernel moves to output pixel ({y}, {x}): it covers rows {r0}…{r1}, "
                           "columns {c0}…{c1}").format(
                y=e.y, x=e.x, r0=int(first.rows[0]), r1=int(first.rows[-1]),
                c0=int(first.cols[0]), c1=int(first.cols[-1]))
            if count > 1:
                text += self.tr(" of all {count} input maps at once").format(count=count)
            return text
        if self.phase == MULTIPLY:
            return (self.tr("② Multiply cell by cell and add up: one partial sum per input map "
                            "({count} of them)").format(count=count) if count > 1
                    else self.tr("② Multiply cell by cell and add up"))
        texts = self.texts
        return self.tr("③ Σ {sigma} + bias {bias} = {value} → output ({y}, {x})").format(
            sigma=texts.get("sigma", ""), bias=texts.get("bias", ""), value=texts.get("cell", ""),
            y=e.y, x=e.x)


class _Picture(QWidget):
    """Paints the animation's state: input maps with padding and footprint, the output map."""

    def __init__(self, animation: KernelAnimation) -> None:
        super().__init__(animation)
        self._a = animation
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumHeight(160)

    def sizeHint(self) -> QSize:
        return QSize(400, 260)

    def paintEvent(self, _event: QPaintEvent) -> None:
        a = self._a
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing, False)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.Base))
        e = a._explanation
        if e is None or a._frame is None:
            painter.end()
            return
        text_color = palette.color(QPalette.Text)
        font = QFont(self.font())
        line = self.fontMetrics().lineSpacing()
        width, height = self.width(), self.height()
        # The caption: what this step does.
        painter.setPen(text_color)
        painter.setFont(font)
        flags = Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap
        needed = painter.boundingRect(QRectF(4, 2, width - 8, 10 * line), flags, a.caption())
        caption_rect = QRectF(4, 2, width - 8, min(needed.height(), 4 * line) + 2)
        painter.drawText(caption_rect, flags, a.caption())
        top = caption_rect.bottom() + 4
        label_h = line + 2
        area = QRectF(4, top, width - 8, height - top - 4)
        inputs_area = QRectF(area.left(), area.top(), area.width() * 0.6, area.height())
        output_area = QRectF(inputs_area.right() + 8, area.top(),
                             area.right() - inputs_area.right() - 8, area.height())
        self._paint_inputs(painter, inputs_area, label_h, text_color)
        self._paint_output(painter, output_area, label_h, text_color)
        painter.end()

    # -- the input maps, padded, with the footprint -------------------------------------------
    def _paint_inputs(self, painter: QPainter, area: QRectF, label_h: float, text: QColor) -> None:
        a, e = self._a, self._a._explanation
        frame, layer, conv = a._frame, a._layer, a._conv
        layer_input = frame.image if layer == 0 else frame.outputs[layer - 1]
        (top, bottom), (left, right) = conv.padding_amounts()
        # As many maps as leave room for their partial sums beside each other (at most three).
        room = self.fontMetrics().horizontalAdvance("Σ = −0.00123456") + 10
        drawn = e.terms[:max(1, min(DRAWN_CHANNELS, int(area.width() // room)))]
        rest = len(e.terms) - len(drawn)
        rows_h = area.height() - 2 * label_h - (2 * label_h if rest else 0)
        _c, h, w = layer_input.shape
        cells_h, cells_w = h + top + bottom, w + left + right
        count = len(drawn)
        size = min(rows_h / cells_h, (area.width() - 8 * (count - 1)) / (count * cells_w))
        size = max(size, 1.0)
        first = e.terms[0]
        products_peak = max(float(np.max(np.abs(t.products))) for t in e.terms) or 1.0
        for n, term in enumerate(drawn):
            x0 = area.left() + n * (cells_w * size + 8)
            y0 = area.top() + label_h
            painter.setPen(text)
            painter.drawText(QRectF(x0, area.top(), cells_w * size + 8, label_h),
                             Qt.AlignLeft | Qt.AlignVCenter,
                             self.tr("in {channel}").format(channel=term.in_channel))
            data = layer_input[term.in_channel]
            signed = float(data.min()) < 0
            peak = float(np.max(np.abs(data))) or 1.0
            low, high = float(data.min()), float(data.max())
            # Padding: a hatched ring; the cells under the kernel show what the mode puts there.
            paint_padded(painter, QRectF(x0, y0, cells_w * size, cells_h * size), self.palette())
            painter.drawImage(QRectF(x0 + left * size, y0 + top * size, w * size, h * size),
                              _image(data, signed, peak, low, high))
            cell_pen = QPen(FOOTPRINT_COLOR, max(1.0, size / 6))
            for i, r in enumerate(first.rows):
                for j, c in enumerate(first.cols):
                    rect = QRectF(x0 + (int(c) + left) * size, y0 + (int(r) + top) * size, size, size)
                    if first.padded[i, j]:
                        value = float(term.patch[i, j])
                        color = _diverging(value, peak) if signed else _gray(value, low, high)
                        painter.fillRect(rect, color)
                    if a.phase >= MULTIPLY and i * len(first.cols) + j < a.products_drawn():
                        tint = _diverging(float(term.products[i, j]), products_peak)
                        tint.setAlpha(220)
                        painter.fillRect(rect, tint)
                    painter.setPen(cell_pen)
                    painter.setBrush(Qt.NoBrush)
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            # The whole footprint (with dilation, the cells are apart inside it).
            box = QRectF(x0 + (int(first.cols[0]) + left) * size, y0 + (int(first.rows[0]) + top) * size,
                         (int(first.cols[-1]) - int(first.cols[0]) + 1) * size,
                         (int(first.rows[-1]) - int(first.rows[0]) + 1) * size)
            painter.setPen(QPen(FOOTPRINT_COLOR, max(2.0, size / 3)))
            painter.drawRect(box)
            painter.setPen(text)
            sum_text = a.texts.get(f"in {term.in_channel}")
            if sum_text is not None:
                painter.drawText(QRectF(x0, y0 + cells_h * size + 2, cells_w * size + 40, label_h),
                                 Qt.AlignLeft | Qt.AlignVCenter, f"Σ = {sum_text}")
        if rest:
            painter.setPen(text)
            y = area.top() + 2 * label_h + cells_h * size + 4
            painter.drawText(QRectF(area.left(), y, area.width(), 2 * label_h),
                             Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap,
                             self.tr("+ {count} more input maps: the same footprint, their own "
                                     "sub-kernels").format(count=rest))

    # -- the output map, filling in -----------------------------------------------------------
    def _paint_output(self, painter: QPainter, area: QRectF, label_h: float, text: QColor) -> None:
        a, e = self._a, self._a._explanation
        output = a._map
        height, width = output.shape
        painter.setPen(text)
        painter.drawText(QRectF(area.left(), area.top(), area.width(), label_h),
                         Qt.AlignLeft | Qt.AlignVCenter,
                         self.tr("output {channel}").format(channel=e.out_channel))
        y0 = area.top() + label_h
        size = min((area.height() - 2 * label_h) / height, area.width() / width)
        size = max(size, 1.0)
        peak = float(np.max(np.abs(output))) or 1.0
        empty = self.palette().color(QPalette.AlternateBase)
        painter.fillRect(QRectF(area.left(), y0, width * size, height * size), empty)
        shown = a.shown_output()
        painter.drawImage(QRectF(area.left(), y0, width * size, height * size),
                          _image(shown, True, peak, -peak, peak, empty))
        grid = QPen(self.palette().color(QPalette.Mid), 1)
        if size >= 6:
            painter.setPen(grid)
            for r in range(height + 1):
                painter.drawLine(QPointF(area.left(), y0 + r * size),
                                 QPointF(area.left() + width * size, y0 + r * size))
            for c in range(width + 1):
                painter.drawLine(QPointF(area.left() + c * size, y0),
                                 QPointF(area.left() + c * size, y0 + height * size))
        cell = QRectF(area.left() + e.x * size, y0 + e.y * size, size, size)
        painter.setPen(QPen(FOOTPRINT_COLOR, max(2.0, size / 5)))
        painter.setBrush(QBrush(Qt.NoBrush))
        painter.drawRect(cell)
        value = a.texts.get("cell")
        if value is not None:
            painter.setPen(text)
            painter.drawText(QRectF(area.left(), y0 + height * size + 2, area.width(), label_h),
                             Qt.AlignLeft | Qt.AlignVCenter, f"= {value}")
