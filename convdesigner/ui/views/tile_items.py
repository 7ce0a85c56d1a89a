"""The graphics items an :class:`~convdesigner.ui.views.image_panel.ImagePanel` is made of: the tile
axes, the view box and the mosaic's image item, the outlines, the tile labels and the backdrop.

Everything a view draws per tile lives in *one* item: the mosaic is one ``ImageItem``, the tile
labels are one path item (:class:`TileLabels`), outlines are a couple of rectangle items. No view
adds an item per tile.

Coordinates: the image is row-major and the y axis points down, so mosaic pixel ``(row, col)``
covers the scene rectangle ``[col, col + 1) × [row, row + 1)`` of the view.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from convdesigner.ui.views.theme import TEXT_COLOR


def cache_axis_drawing(*axes: pg.AxisItem) -> None:
    """Keep each axis's drawing as a pixmap until the axis itself changes.

    pyqtgraph keeps an axis as a ``QPicture`` and replays it on every paint of its view, which
    lays every tick label's text out again: while a model trains, the views repaint 5 times a
    second and the replays were a tenth of the GUI thread's time. Qt's device-coordinate cache
    repaints an axis only when pyqtgraph says it changed (``update()``, as it does for new ticks,
    a new range or a new size).
    """
    for axis in axes:
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class TileAxis(pg.AxisItem):
    """An axis that counts tiles instead of pixels: ticks at tile centres, labelled with the tile's
    row or column number (or a label function), thinned out so labels never crowd."""

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self._pitch = 1.0
        self._size = 1.0
        self._offset = 0.0
        self._count = 0
        self._label: Callable[[int], str] = str
        self.enableAutoSIPrefix(False)
        cache_axis_drawing(self)

    def set_tiles(self, pitch: float, size: float, count: int, offset: float = 0.0,
                  label: Callable[[int], str] = str) -> None:
        """Tiles ``size`` wide every ``pitch`` pixels from ``offset``, ``count`` of them.

        The same tiles again change nothing: laying an axis out costs 1-2 ms, and the weight
        views set their tiles on every new design (each training preview is one)."""
        tiles = (float(pitch), float(size), int(count), float(offset), label)
        if tiles == (self._pitch, self._size, self._count, self._offset, self._label):
            return
        self._pitch, self._size = float(pitch), float(size)
        self._count, self._offset = int(count), float(offset)
        self._label = label
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float):
        if self._count <= 0 or size <= 0:
            return []
        minVal, maxVal = sorted((minVal, maxVal))
        pixels_per_tile = size / max(maxVal - minVal, 1e-9) * self._pitch
        # Room for the widest label along the axis.
        needed = (10.0 + 7.0 * len(self._label(self._count - 1))
                  if self.orientation in ("top", "bottom") else 18.0)
        step = 1
        for candidate in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096):
            step = candidate
            if candidate * pixels_per_tile >= needed:
                break
        first = max(0, math.ceil((minVal - self._offset - self._size / 2) / self._pitch))
        last = min(self._count - 1, math.floor((maxVal - self._offset - self._size / 2) / self._pitch))
        first = math.ceil(first / step) * step
        values = [self._offset + i * self._pitch + self._size / 2 for i in range(first, last + 1, step)]
        return [(step * self._pitch, values)]

    def tickStrings(self, values, scale, spacing):
        return [self._label(int(round((v - self._offset - self._size / 2) / self._pitch)))
                for v in values]



class DoubleClickViewBox(pg.ViewBox):
    """A ViewBox that emits ``doubleClicked`` on a left double-click (the panel resets the view)."""

    doubleClicked = Signal()

    def mouseClickEvent(self, ev) -> None:
        if ev.double() and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.doubleClicked.emit()
            return
        super().mouseClickEvent(ev)


class LutImageItem(pg.ImageItem):
    """pyqtgraph's ``ImageItem`` with a faster way to what every view draws: a 2-D float mosaic
    with NaN gaps, a lookup table of at most 256 RGB(A) colours and explicit levels.

    pyqtgraph colours the whole image, through a pass to find the NaNs, a 4-byte lookup pass and
    an alpha pass (1.3 ms for the kernel matrix's 639×319 mosaic on an idle machine), and Qt
    converts its RGBA8888 to premultiplied ARGB again on every paint. Here:

    * only the part of the image that is painted is coloured (with a margin, so a small pan
      reuses it): the kernel matrix at a readable size shows about 2 % of its mosaic;
    * one pass finds each pixel's colour index exactly as pyqtgraph does (``(value - low) · n /
      (high - low)``, clipped to ``0 … n-1``, truncated) and one ``take`` reads the colours from a
      premultiplied ARGB32 table;
    * NaN stays transparent (the backdrop shows through), as with pyqtgraph.

    Anything else (RGB images, a callable LUT, downsampling) goes to pyqtgraph.
    """

    #: The coloured part reaches this fraction of the painted part's size beyond it on each side.
    MARGIN = 0.5

    def __init__(self, *args, **kwargs) -> None:
        self._argb_tables: tuple[object, np.ndarray] | None = None
        self._argb: np.ndarray | None = None      # the pixels self.qimage points at
        self._part: tuple[int, int, int, int] | None = None   # rows r0:r1, cols c0:c1 coloured
        super().__init__(*args, **kwargs)
        # option.exposedRect: the part of the item being painted, in image pixels.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def _fast(self) -> bool:
        image, lut, levels = self.image, self.lut, self.levels
        return not (image is None or image.ndim != 2 or image.size == 0 or image.dtype.kind != "f"
                    or self.axisOrder != "row-major" or self.autoDownsample
                    or not isinstance(lut, np.ndarray) or lut.ndim != 2
                    or lut.shape[1] not in (3, 4) or not 0 < lut.shape[0] <= 256
                    or levels is None or np.ndim(levels) != 1)

    def render(self) -> None:
        """Colour the whole image (pyqtgraph calls this; painting colours only what it shows)."""
        if not self._fast():
            self._argb = self._part = None
            super().render()
            return
        height, width = self.image.shape
        self._colour((0, height, 0, width))

    def paint(self, painter, option=None, widget=None) -> None:
        if not self._fast():
            if self._part is not None:      # self.qimage holds a part: pyqtgraph renders anew
                self._renderRequired = True
            self._argb = self._part = None
            super().paint(painter, option, widget)
            return
        height, width = self.image.shape
        wanted = (0, height, 0, width)
        exposed = getattr(option, "exposedRect", None)
        if exposed is not None and not exposed.isEmpty():
            r0, r1 = max(int(math.floor(exposed.top())), 0), min(int(math.ceil(exposed.bottom())), height)
            c0, c1 = max(int(math.floor(exposed.left())), 0), min(int(math.ceil(exposed.right())), width)
            if r0 >= r1 or c0 >= c1:
                return
            wanted = (r0, r1, c0, c1)
        part = self._part
        if (self._renderRequired or part is None or wanted[0] < part[0] or wanted[1] > part[1]
                or wanted[2] < part[2] or wanted[3] > part[3]):
            r0, r1, c0, c1 = wanted
            rows, columns = int((r1 - r0) * self.MARGIN) + 1, int((c1 - c0) * self.MARGIN) + 1
            self._colour((max(r0 - rows, 0), min(r1 + rows, height),
                          max(c0 - columns, 0), min(c1 + columns, width)))
        r0, r1, c0, c1 = self._part
        painter.drawImage(QRectF(c0, r0, c1 - c0, r1 - r0), self.qimage)

    def _colour(self, part: tuple[int, int, int, int]) -> None:
        """Make ``self.qimage`` the colours of rows ``r0:r1`` and columns ``c0:c1``."""
        r0, r1, c0, c1 = part
        lut = self.lut
        colours = lut.shape[0]
        low, high = float(self.levels[0]), float(self.levels[1])
        span = (high - low) or 1.0
        scaled = np.subtract(self.image[r0:r1, c0:c1], low, dtype=np.float32)
        scaled *= np.float32(colours / span)
        np.clip(scaled, 0, colours - 1, out=scaled)
        # NaN (a gap) becomes index ``colours``: the table's one transparent entry.
        np.nan_to_num(scaled, copy=False, nan=colours)
        argb = self._argb_table(lut).take(scaled.astype(np.uint16))
        height, width = argb.shape
        self._argb, self._part = argb, part
        self.qimage = QImage(argb.data, width, height, 4 * width,
                             QImage.Format.Format_ARGB32_Premultiplied)
        self._renderRequired = False
        self._unrenderable = False

    def _argb_table(self, lut: np.ndarray) -> np.ndarray:
        """``lut`` as premultiplied ARGB32 words, and one transparent word after them (cached)."""
        if self._argb_tables is not None and self._argb_tables[0] is lut:
            return self._argb_tables[1]
        rgb = lut[:, :3].astype(np.uint32)
        alpha = lut[:, 3].astype(np.uint32) if lut.shape[1] == 4 else np.full(len(lut), 255, np.uint32)
        rgb = rgb * alpha[:, None] // 255
        table = (alpha << 24) | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
        table = np.append(table, np.uint32(0))       # for NaN: transparent, the backdrop shows
        self._argb_tables = (lut, table)
        return table


class MosaicImageItem(LutImageItem):
    """The mosaic's ImageItem: ``clicked(scene position)`` on a left click, ``doubleClicked()``
    on a double-click (which resets the view like a double-click beside the image)."""

    clicked = Signal(QPointF)
    doubleClicked = Signal()

    def __init__(self) -> None:
        super().__init__(axisOrder="row-major")

    def mouseClickEvent(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        if ev.double():
            self.doubleClicked.emit()
        else:
            self.clicked.emit(QPointF(ev.scenePos()))


def device_scale(painter) -> tuple[float, float]:
    """Device pixels per scene unit along x and y of what ``painter`` draws."""
    t = painter.transform()
    return (math.hypot(t.m11(), t.m12()) or 1.0, math.hypot(t.m21(), t.m22()) or 1.0)


class OutlineItem(QGraphicsRectItem):
    """A rectangle drawn twice, dark then bright, a few device pixels *outside* the rectangle it
    surrounds (whatever the zoom), so it shows on blue, white, red, black and grey and never hides
    the tile's own edge."""

    MARGIN_PIXELS = 2.5

    def __init__(self, color: str = "#ffd400") -> None:
        super().__init__()
        self._outer = QPen(QColor("#000000"), 4)
        self._outer.setCosmetic(True)
        self._inner = QPen(QColor(color), 2)
        self._inner.setCosmetic(True)
        self._margin = 1.0          # scene units the bounding rect allows for; grows when needed
        self.setZValue(20)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def paint(self, painter, option, widget=None) -> None:
        sx, sy = device_scale(painter)
        needed = (self.MARGIN_PIXELS + 3) / min(sx, sy)
        if needed > self._margin:
            # Zoomed out further than the bounding rect allowed for: widen it, draw next time.
            self.prepareGeometryChange()
            self._margin = needed * 2
            self.update()
        rect = self.rect().adjusted(-self.MARGIN_PIXELS / sx, -self.MARGIN_PIXELS / sy,
                                    self.MARGIN_PIXELS / sx, self.MARGIN_PIXELS / sy)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._outer)
        painter.drawRect(rect)
        painter.setPen(self._inner)
        painter.drawRect(rect)

    def boundingRect(self) -> QRectF:
        m = self._margin
        return self.rect().adjusted(-m, -m, m, m)


@dataclass(frozen=True)
class TileLabel:
    """One text of a :class:`TileLabels` item, in mosaic pixels. ``height`` is the text's size at
    the current zoom (capped on screen); ``align`` says what ``(x, y)`` is: ``'left'`` the top-left
    corner, ``'bottom-left'`` the bottom-left corner, ``'center'`` the centre."""

    x: float
    y: float
    height: float
    text: str
    align: str = "left"
    max_pixels: float | None = None     # this label's own cap on screen (else the item's)


class TileLabels(QGraphicsItem):
    """Many short texts (channel numbers, operators) in *one* graphics item.

    Each label is anchored in scene units, so it moves and grows with its tile when the view
    zooms, but its text is drawn in device pixels: never larger than ``max_screen_pixels`` (one
    sub-kernel drawn huge does not get a huge label) and left out below ``min_screen_pixels``
    (64 labels at 4 pixels each would be a smudge; the hover read-out names the tile then).
    """

    _FONT_PIXELS = 100.0

    def __init__(self, color: str = TEXT_COLOR) -> None:
        super().__init__()
        self._metric_font = QFont()
        self._metric_font.setPixelSize(int(self._FONT_PIXELS))
        self._metrics = QFontMetricsF(self._metric_font)
        self._fonts: dict[int, QFont] = {}
        self._color = QColor(color)
        self._bounds = QRectF()
        self.min_screen_pixels = 7.0
        self.max_screen_pixels = 15.0
        self.labels: tuple[TileLabel, ...] = ()
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_color(self, color: str) -> None:
        self._color = QColor(color)
        self.update()

    def _width(self, text: str, height: float) -> float:
        return self._metrics.horizontalAdvance(text) / self._FONT_PIXELS * height

    def fit_height(self, text: str, width: float, max_height: float) -> float:
        """The largest text height (scene units, at most ``max_height``) at which ``text`` is no
        wider than ``width``."""
        advance = self._width(text, 1.0)
        return min(max_height, width / advance) if advance > 0 else max_height

    def set_labels(self, labels: Sequence[TileLabel]) -> None:
        labels = tuple(labels)
        if labels == self.labels:
            return
        self.prepareGeometryChange()
        self.labels = labels
        bounds = QRectF()
        for label in labels:
            bounds = bounds.united(self._rect(label, label.height))
        self._bounds = bounds.adjusted(-1, -1, 1, 1)
        self.update()

    def _rect(self, label: TileLabel, height: float) -> QRectF:
        width = self._width(label.text, height)
        line = height * 1.25
        if label.align == "center":
            return QRectF(label.x - width / 2, label.y - line / 2, width, line)
        if label.align == "bottom-left":
            return QRectF(label.x, label.y - line, width, line)
        return QRectF(label.x, label.y, width, line)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _font(self, pixels: int) -> QFont:
        font = self._fonts.get(pixels)
        if font is None:
            font = QFont()
            font.setPixelSize(pixels)
            self._fonts[pixels] = font
        return font

    def visible_labels(self, pixels_per_unit: float) -> list[TileLabel]:
        """The labels drawn at this zoom (for tests)."""
        return [label for label in self.labels
                if label.height * pixels_per_unit >= self.min_screen_pixels]

    def paint(self, painter, option, widget=None) -> None:
        if not self.labels:
            return
        transform = painter.transform()
        _sx, sy = device_scale(painter)
        painter.save()
        painter.resetTransform()
        painter.setPen(self._color)
        flags = {"left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                 "bottom-left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                 "center": Qt.AlignmentFlag.AlignCenter}
        for label in self.labels:
            pixels = label.height * sy
            if pixels < self.min_screen_pixels:
                continue
            cap = self.max_screen_pixels if label.max_pixels is None else label.max_pixels
            pixels = int(round(min(pixels, cap)))
            painter.setFont(self._font(pixels))
            anchor = transform.map(QPointF(label.x, label.y))
            line = pixels * 1.3
            if label.align == "center":
                box = QRectF(anchor.x() - 500, anchor.y() - line / 2, 1000, line)
            elif label.align == "bottom-left":
                box = QRectF(anchor.x(), anchor.y() - line, 1000, line)
            else:
                box = QRectF(anchor.x(), anchor.y(), 1000, line)
            painter.drawText(box, flags.get(label.align, flags["left"]), label.text)
        painter.restore()


def make_backdrop() -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    item.setPen(QPen(Qt.PenStyle.NoPen))
    item.setZValue(-10)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item


def set_backdrop(item: QGraphicsRectItem, shape: tuple[int, int], color: str) -> None:
    """Fit a mosaic's backdrop (what its NaN gaps show) to its ``(height, width)``."""
    height, width = shape
    item.setRect(QRectF(0, 0, width, height))
    item.setBrush(QBrush(QColor(color)))
