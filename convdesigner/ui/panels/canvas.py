"""The input panel: a paint canvas at the design's input size, with brush, eraser, clear and invert.

Painting goes through the document: every mouse move shows the stroke live
(:meth:`DesignDocument.preview_image`) inside a document stroke (``begin_stroke`` on the press,
``end_stroke`` on the release), which makes the whole stroke one undo step. Files dropped on the
canvas or opened from its toolbar are loaded with the data layer's loaders.

A 3-channel input whose values are not colours (outside [0, 1]: the small integers of a worked
example, say) is drawn one channel beside the other, each in grey on one shared numeric scale with
its numbers in the cells when they fit (:func:`shown_per_channel`); saturated RGB would hide them.

Threading: GUI thread only.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convdesigner.data.noise import normal_input
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.highlight import Highlight
from convdesigner.ui.state.selection import INPUT
from convdesigner.ui.widgets.cell_highlight import paint_highlight

BRUSH, ERASER = "brush", "eraser"
PADDING_MARGIN_CELLS = 2


def stamp_segment(mask: np.ndarray, start: tuple[float, float], end: tuple[float, float],
                  radius: float) -> None:
    """Add a soft round brush swept along ``start`` → ``end`` to a stroke's coverage ``mask`` ``[H, W]``.

    Positions are in input pixels (``(y, x)``, pixel centres at integers). Coverage falls off
    linearly over the last pixel of the radius, which gives MNIST-like anti-aliased strokes. The
    mask takes the maximum, so segments that overlap where they join do not paint twice. Only the
    pixels near the segment are touched, so a stroke on a 224×224 input stays cheap.
    """
    height, width = mask.shape
    (y0, x0), (y1, x1) = start, end
    top = max(int(np.floor(min(y0, y1) - radius - 1)), 0)
    bottom = min(int(np.ceil(max(y0, y1) + radius + 1)) + 1, height)
    left = max(int(np.floor(min(x0, x1) - radius - 1)), 0)
    right = min(int(np.ceil(max(x0, x1) + radius + 1)) + 1, width)
    if top >= bottom or left >= right:
        return
    ys, xs = np.mgrid[top:bottom, left:right].astype(np.float32)
    dy, dx = y1 - y0, x1 - x0
    length_squared = dy * dy + dx * dx
    if length_squared > 0:
        t = np.clip(((ys - y0) * dy + (xs - x0) * dx) / length_squared, 0.0, 1.0)
    else:
        t = np.zeros_like(ys)
    distance = np.hypot(ys - (y0 + t * dy), xs - (x0 + t * dx))
    coverage = np.clip(radius + 0.5 - distance, 0.0, 1.0)
    np.maximum(mask[top:bottom, left:right], coverage, out=mask[top:bottom, left:right])


def composite_stroke(before: np.ndarray, mask: np.ndarray, colour: np.ndarray | None) -> np.ndarray:
    """The image after a stroke: ``before`` ``[C, H, W]`` moved towards ``colour`` (one value per
    channel) by the coverage ``mask``, or towards 0 when ``colour`` is None (the eraser)."""
    if colour is None:
        return before * (1.0 - mask)[None]
    return before + (colour.reshape(-1, 1, 1) - before) * mask[None]


def image_to_qimage(image: np.ndarray) -> QImage:
    """``[C, H, W]`` float (1 or 3 channels, shown over [0, 1], clipped) → an 8-bit QImage copy."""
    scale = max(float(image.max(initial=0.0)), 1.0)
    data = np.clip(image / scale * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if data.shape[0] == 3:
        rgb = np.ascontiguousarray(np.transpose(data, (1, 2, 0)))
        qimage = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format_RGB888)
    else:
        gray = np.ascontiguousarray(data[0])
        qimage = QImage(gray.data, gray.shape[1], gray.shape[0], gray.strides[0],
                        QImage.Format_Grayscale8)
    return qimage.copy()  # own the pixels: the numpy buffer goes away


def shown_per_channel(image: np.ndarray) -> bool:
    """Whether ``image`` ``[C, H, W]`` is drawn channel by channel on a numeric scale rather than
    as colours: 3 channels with a value outside [0, 1] (RGB would saturate and hide the numbers)."""
    return image.shape[0] == 3 and image.size > 0 and (
        float(image.min()) < 0.0 or float(image.max()) > 1.0)


def channel_levels(image: np.ndarray) -> tuple[float, float]:
    """The numeric scale shared by the channels drawn side by side: black at the lower value (0,
    or the minimum when below), white at the maximum."""
    low = min(float(image.min()), 0.0)
    return low, max(float(image.max()), low + 1e-6)


def channel_qimage(channel: np.ndarray, levels: tuple[float, float]) -> QImage:
    """One ``[H, W]`` channel in grey: ``levels[0]`` black, ``levels[1]`` white (an 8-bit copy)."""
    low, high = levels
    data = np.clip((channel - low) / (high - low) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    gray = np.ascontiguousarray(data)
    return QImage(gray.data, gray.shape[1], gray.shape[0], gray.strides[0],
                  QImage.Format_Grayscale8).copy()


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2g}"


class PaintCanvas(QWidget):
    """Shows the document's input image, nearest-neighbour enlarged, and paints on it; outlines the
    input cells of ``highlight`` (the explained pixel's, when it reads the input)."""

    hovered = Signal(str)   # a read-out of the pixel under the mouse ("" when there is none)

    def __init__(self, document: DesignDocument, highlight: Highlight | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.highlight = highlight if highlight is not None else Highlight(self)
        self.tool = BRUSH
        self.radius = 1.0
        self.colour = np.ones(3, dtype=np.float32)
        self._stroke_before: np.ndarray | None = None
        self._stroke_mask: np.ndarray | None = None
        self._stroke_erases = False
        self._last_position: tuple[float, float] | None = None
        self._hover_position: tuple[float, float] | None = None   # under the mouse, in pixels
        self._qimage = image_to_qimage(document.image)
        self.setMouseTracking(True)
        self.setMinimumSize(160, 160)
        self.setCursor(Qt.CrossCursor)
        self.setToolTip(self.tr("Paint with the left button; the right button erases. "
                                "Every view follows the brush."))
        document.imageChanged.connect(self._refresh)
        self.highlight.changed.connect(self.update)

    def sizeHint(self) -> QSize:
        return QSize(280, 280)

    def _refresh(self) -> None:
        self._qimage = image_to_qimage(self._document.image)
        # The read-out names the new image's value, or nothing (a loaded image of another size).
        if self._hover_position is None or not self._report(self._hover_position):
            self.hovered.emit("")
        self.update()

    @property
    def per_channel(self) -> bool:
        """Whether the channels are drawn side by side on a numeric scale (:func:`shown_per_channel`)."""
        return shown_per_channel(self._document.image)

    def channel_rects(self) -> list[QRectF]:
        """Where each channel is drawn: one rectangle for the whole image, or one per channel side
        by side (with a line of text above and below) when :attr:`per_channel`; each keeps the
        image's aspect and a margin of two cells where padded cells of an explained pixel show."""
        channels, height, width = self._document.image.shape
        margin = 2 * PADDING_MARGIN_CELLS
        if not self.per_channel:
            scale = min(self.width() / (width + margin), self.height() / (height + margin))
            w, h = width * scale, height * scale
            return [QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)]
        text = self.fontMetrics().height() + 4
        room = max(self.height() - 2 * text, 1)
        scale = min(self.width() / (channels * (width + margin)), room / (height + margin))
        w, h = width * scale, height * scale
        pitch = (width + margin) * scale
        left = (self.width() - channels * pitch) / 2 + margin * scale / 2
        top = text + (room - h) / 2
        return [QRectF(left + c * pitch, top, w, h) for c in range(channels)]

    def image_rect(self) -> QRectF:
        """Where the image is drawn: the largest rectangle of the image's aspect that fits, with a
        margin of two cells on each side where padded cells of an explained pixel are drawn (the
        first channel's, when the channels are drawn side by side)."""
        return self.channel_rects()[0]

    def to_image(self, point: QPointF) -> tuple[float, float]:
        """Widget coordinates → ``(y, x)`` in input pixels (pixel centres at integers); with the
        channels side by side, in the channel drawn nearest to the point."""
        rects = self.channel_rects()
        rect = min(rects, key=lambda r: abs(point.x() - r.center().x()))
        _, height, width = self._document.image.shape
        return ((point.y() - rect.top()) / rect.height() * height - 0.5,
                (point.x() - rect.left()) / rect.width() * width - 0.5)

    def _paint_channels(self, painter: QPainter) -> None:
        image = self._document.image
        levels = channel_levels(image)
        rects = self.channel_rects()
        metrics = self.fontMetrics()
        cells = self.highlight.cells_on(INPUT)
        painter.setRenderHint(QPainter.SmoothPixmapTransform, False)
        for channel, rect in enumerate(rects):
            painter.drawImage(rect, channel_qimage(image[channel], levels))
            painter.setPen(QPen(QColor(128, 128, 128), 1))
            painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(rect.left() - 20, rect.top() - metrics.height() - 4,
                                    rect.width() + 40, metrics.height()),
                             Qt.AlignCenter, self.tr("channel {c}").format(c=channel))
            height, width = image.shape[1:]
            step = rect.width() / width
            if step >= 12 and height * width <= 400:
                low, high = levels
                number_font = QFont(self.font())
                number_font.setPixelSize(max(7, min(int(step * 0.45), metrics.height())))
                painter.setFont(number_font)
                for y in range(height):
                    for x in range(width):
                        value = float(image[channel, y, x])
                        bright = (value - low) / (high - low) > 0.5
                        painter.setPen(QColor(0, 0, 0) if bright else QColor(255, 255, 255))
                        painter.drawText(QRectF(rect.left() + x * step, rect.top() + y * step,
                                                step, step), Qt.AlignCenter, _number_text(value))
                painter.setFont(self.font())
            own = tuple(cell for cell in cells if cell[0] == channel)
            if own:
                paint_highlight(painter, rect, image.shape, own, self.highlight.hovered_channel)
        low, high = levels
        painter.setPen(self.palette().windowText().color())
        painter.drawText(QRectF(0, rects[0].bottom() + 4, self.width(), metrics.height()),
                         Qt.AlignCenter, self.tr("black = {low} · white = {high}, one scale for the "
                                                 "3 channels").format(low=_number_text(low),
                                                                      high=_number_text(high)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        if self.per_channel:
            self._paint_channels(painter)
            painter.end()
            return
        rect = self.image_rect()
        painter.setRenderHint(QPainter.SmoothPixmapTransform, False)
        painter.drawImage(rect, self._qimage)
        painter.setPen(QPen(QColor(128, 128, 128), 1))
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        cells = self.highlight.cells_on(INPUT)
        if cells:
            paint_highlight(painter, rect, self._document.image.shape, cells,
                            self.highlight.hovered_channel)
        painter.end()

    # -- painting -------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() not in (Qt.LeftButton, Qt.RightButton):
            return
        erase = self.tool == ERASER or event.button() == Qt.RightButton
        self._stroke_erases = erase
        self._document.begin_stroke(self.tr("Eraser stroke") if erase else self.tr("Brush stroke"))
        self._stroke_before = np.array(self._document.image)
        self._stroke_mask = np.zeros(self._stroke_before.shape[1:], dtype=np.float32)
        position = self.to_image(event.position())
        self._last_position = position
        self.paint_segment(position, position)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = self.to_image(event.position())
        self._hover_position = position
        self._report(position)
        if self._stroke_mask is None or self._last_position is None:
            return
        self.paint_segment(self._last_position, position)
        self._last_position = position

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._stroke_before is None:
            return
        self._stroke_before, self._stroke_mask = None, None
        self._last_position = None
        self._document.end_stroke()

    def paint_segment(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        """Paint one segment of the current stroke and show it live (no undo step yet)."""
        assert self._stroke_before is not None and self._stroke_mask is not None
        channels = self._stroke_before.shape[0]
        colour = None if self._stroke_erases else (
            self.colour if channels == 3 else np.ones(channels, np.float32))
        stamp_segment(self._stroke_mask, start, end, self.radius)
        self._document.preview_image(composite_stroke(self._stroke_before, self._stroke_mask, colour))

    def leaveEvent(self, event) -> None:
        self._hover_position = None
        super().leaveEvent(event)

    def _report(self, position: tuple[float, float]) -> bool:
        """Emit the read-out of the pixel at ``position``; False when there is no pixel there."""
        y, x = int(round(position[0])), int(round(position[1]))
        image = self._document.image
        if 0 <= y < image.shape[1] and 0 <= x < image.shape[2]:
            values = ", ".join(str(np.float32(v)) for v in image[:, y, x])
            self.hovered.emit(self.tr("input ({y}, {x}) = {values}").format(y=y, x=x, values=values))
            return True
        return False


class InputPanel(QWidget):
    """The canvas with its tools: brush / eraser, size, colour (RGB inputs), clear, invert."""

    def __init__(self, document: DesignDocument, highlight: Highlight | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.canvas = PaintCanvas(document, highlight)
        self.readout = QLabel(" ")
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        # Its text changes on every mouse move: a size that followed the text would make the whole
        # window lay itself out again (and resize the docks) while the user paints.
        self.readout.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.readout.setFixedHeight(self.readout.fontMetrics().lineSpacing() + 4)
        self.canvas.hovered.connect(self.readout.setText)

        tools = QToolBar()
        tools.setToolButtonStyle(Qt.ToolButtonTextOnly)
        group = QActionGroup(self)
        self.brush_action = QAction(self.tr("Brush"), self, checkable=True, checked=True)
        self.brush_action.setShortcut(QKeySequence("B"))
        self.brush_action.setToolTip(self.tr("Paint ink (B)"))
        self.eraser_action = QAction(self.tr("Eraser"), self, checkable=True)
        self.eraser_action.setShortcut(QKeySequence("E"))
        self.eraser_action.setToolTip(self.tr("Erase ink (E); the right mouse button erases too"))
        for action, tool in ((self.brush_action, BRUSH), (self.eraser_action, ERASER)):
            group.addAction(action)
            tools.addAction(action)
            action.triggered.connect(lambda _=False, t=tool: setattr(self.canvas, "tool", t))
        tools.addSeparator()
        self.clear_action = tools.addAction(self.tr("Clear"), self.clear)
        self.clear_action.setToolTip(self.tr("Set every input pixel to 0"))
        self.invert_action = tools.addAction(self.tr("Invert"), self.invert)
        self.invert_action.setToolTip(self.tr("Replace each value v by max − v (white on black ↔ "
                                              "black on white)"))
        self.random_action = tools.addAction(self.tr("Random…"), self.ask_random_normal)
        self.random_action.setToolTip(self.tr(
            "Fill every channel with random normal values (mean 0, standard deviation 1) from a "
            "seed: the input of a generator"))
        self.colour_button = QToolButton()
        self.colour_button.setText(self.tr("Colour…"))
        self.colour_button.setToolTip(self.tr("Brush colour for 3-channel (RGB) inputs"))
        self.colour_button.clicked.connect(self._choose_colour)

        self.size_slider = QSlider(Qt.Horizontal)
        self.size_slider.setRange(1, 40)  # radius in tenths... of a sensible unit, see _set_size
        self.size_slider.setToolTip(self.tr("Brush size, in input pixels"))
        self.size_label = QLabel()
        self.size_slider.valueChanged.connect(self._set_size)
        self.size_slider.setValue(10)
        self._set_size(10)

        size_row = QHBoxLayout()
        size_row.addWidget(QLabel(self.tr("Size")))
        size_row.addWidget(self.size_slider, 1)
        size_row.addWidget(self.size_label)
        size_row.addWidget(self.colour_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(tools)
        layout.addLayout(size_row)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.readout)
        document.designChanged.connect(self._update_colour_button)
        self._update_colour_button()

    def _set_size(self, value: int) -> None:
        # Slider units are tenths of a pixel of radius, so small inputs get fine control.
        self.canvas.radius = value / 10.0
        self.size_label.setText(self.tr("{diameter:.1f} px").format(diameter=2 * value / 10.0))

    def _update_colour_button(self) -> None:
        self.colour_button.setVisible(self._document.design.input.channels == 3)

    def _choose_colour(self) -> None:
        r, g, b = (int(c * 255) for c in self.canvas.colour)
        colour = QColorDialog.getColor(QColor(r, g, b), self, self.tr("Brush colour"))
        if colour.isValid():
            self.canvas.colour = np.array([colour.redF(), colour.greenF(), colour.blueF()], np.float32)

    def clear(self) -> None:
        self._document.set_image(np.zeros_like(self._document.image), self.tr("Clear input"))

    def ask_random_normal(self) -> None:
        """Ask for a seed, then :meth:`random_normal`."""
        seed, accepted = QInputDialog.getInt(
            self, self.tr("Random normal input"),
            self.tr("Seed (the same seed always gives the same numbers):"), 0, 0, 2**31 - 1)
        if accepted:
            self.random_normal(seed)

    def random_normal(self, seed: int) -> None:
        """Replace the input by standard normal values drawn from ``seed`` (one undo step), for
        any C×H×W: ``numpy.random.default_rng(seed)``, as ``--input normal:SEED`` does."""
        image = normal_input(self._document.design.input.shape, seed)
        self._document.set_image(image, self.tr("Random normal input (seed {seed})").format(seed=seed))

    def invert(self) -> None:
        image = self._document.image
        top = max(float(image.max(initial=0.0)), 1.0)
        self._document.set_image(top - image, self.tr("Invert input"))
