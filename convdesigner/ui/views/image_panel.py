"""The shared base of the views: one mosaic image in a pan/zoom view, with its colour scale(s),
a title, a hover read-out of the exact value under the mouse and a click signal per tile.

Everything a view draws per tile lives in *one* item: the mosaic is one ``ImageItem``, the tile
labels are one path item (:class:`TileLabels`), outlines are a couple of rectangle items. No view
adds an item per tile.

Coordinates: the image is row-major and the y axis points down, so mosaic pixel ``(row, col)``
covers the scene rectangle ``[col, col + 1) × [row, row + 1)`` of the view.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from convdesigner.ui.i18n import QT_TRANSLATE_NOOP, translate
from convdesigner.ui.views.colors import ColorScale, format_value
from convdesigner.ui.views.mosaic import MosaicLayout

#: The colour of the widgets' own background and text (a dark theme that suits both colour maps).
PANEL_BACKGROUND = "#1e2026"
TEXT_COLOR = "#e6e6e6"
DIM_TEXT_COLOR = "#a9adb6"
# Short, so that it takes one line even in a narrow dock; the panel's tooltip says more.
# Texts of the views' module-level helpers are in the context "views".
HOVER_HINT = QT_TRANSLATE_NOOP("views", "Hover: exact value · click: select · wheel: zoom · "
                                        "double-click: reset")


def hover_hint() -> str:
    return translate("views", HOVER_HINT)


@dataclass(frozen=True)
class HoverInfo:
    """What lies under the mouse: the read-out ``text``, the exact ``value`` shown there, and the
    tile and full-resolution pixel (or whatever the view's ``where`` names)."""

    text: str
    value: float
    tile: int
    y: int
    x: int


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

    def set_tiles(self, pitch: float, size: float, count: int, offset: float = 0.0,
                  label: Callable[[int], str] = str) -> None:
        """Tiles ``size`` wide every ``pitch`` pixels from ``offset``, ``count`` of them."""
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


class _ViewBox(pg.ViewBox):
    """A ViewBox that emits ``doubleClicked`` on a left double-click (the panel resets the view)."""

    doubleClicked = Signal()

    def mouseClickEvent(self, ev) -> None:
        if ev.double() and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.doubleClicked.emit()
            return
        super().mouseClickEvent(ev)


class MosaicImageItem(pg.ImageItem):
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


def _device_scale(painter) -> tuple[float, float]:
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
        sx, sy = _device_scale(painter)
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
        _sx, sy = _device_scale(painter)
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


class WrappingLabel(pg.LabelItem):
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


class ImagePanel(pg.GraphicsLayoutWidget):
    """A title, one mosaic image in a pan/zoom view with optional tile axes, colour bar(s) beside
    it and a hover read-out below.

    Subclasses (or owners) call :meth:`set_mosaic` with an image, its :class:`MosaicLayout` and a
    :class:`ColorScale`, and word the read-out by overriding :meth:`describe_tile` or by passing
    ``describe_tile(index, y, x)`` / ``describe_pixel(row, col)`` (mosaic pixels) to the
    constructor. ``tileClicked(index, y, x)`` reports a click on a tile in full-resolution
    coordinates.

    Hover and click find the pixel under the mouse the same way (:meth:`mosaic_pixel_at`), and a
    click also shows the clicked pixel's read-out, so what is read and what is chosen agree even
    when the mouse moved between the press and the release.
    """

    tileClicked = Signal(int, int, int)
    hovered = Signal(object)   # HoverInfo or None

    def __init__(self, parent=None, *, axes: bool = False, x_label: str | None = None,
                 y_label: str | None = None, scale_caption: str = "value",
                 describe_tile: Callable[[int, int, int], HoverInfo | None] | None = None,
                 describe_pixel: Callable[[int, int], HoverInfo | None] | None = None) -> None:
        super().__init__(parent)
        self.setBackground(PANEL_BACKGROUND)
        self.setMinimumSize(160, 120)
        self.ci.setContentsMargins(4, 4, 4, 4)
        self.ci.setSpacing(2)
        self.scale_caption = scale_caption

        self.title_label = WrappingLabel("", justify="left", color=TEXT_COLOR, size="10pt")
        self.addItem(self.title_label, row=0, col=0, colspan=4)

        self.view = _ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.view.doubleClicked.connect(self.reset_view)
        self.axes_shown = axes
        self.plot = pg.PlotItem(viewBox=self.view,
                                axisItems={"left": TileAxis("left"), "bottom": TileAxis("bottom")})
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(DIM_TEXT_COLOR))
            axis.setTextPen(pg.mkPen(TEXT_COLOR))
        if axes:
            if x_label:
                self.plot.setLabel("bottom", x_label, color=TEXT_COLOR)
            if y_label:
                self.plot.setLabel("left", y_label, color=TEXT_COLOR)
        else:
            self.plot.hideAxis("left")
            self.plot.hideAxis("bottom")
        self.addItem(self.plot, row=1, col=0)

        self.image_item = MosaicImageItem()
        self.image_item.clicked.connect(self._image_clicked)
        self.image_item.doubleClicked.connect(self.reset_view)
        self.view.addItem(self.image_item)
        self.backdrop = make_backdrop()
        self.view.addItem(self.backdrop, ignoreBounds=True)
        self.labels = TileLabels()
        self.view.addItem(self.labels, ignoreBounds=True)
        self.outlines: list[OutlineItem] = []

        self.message_item = pg.TextItem("", color=TEXT_COLOR, anchor=(0.5, 0.5))
        font = QFont()
        font.setPointSize(12)
        self.message_item.setFont(font)
        self.message_item.setTextWidth(420)
        self.message_item.hide()
        self.view.addItem(self.message_item, ignoreBounds=True)

        self.colorbars: list[pg.ColorBarItem] = []
        self._bar_states: list[tuple | None] = []

        self.hover_label = WrappingLabel(hover_hint(), justify="left", color=DIM_TEXT_COLOR, size="9pt")
        hover_font = QFont()
        hover_font.setPointSizeF(9.0)
        self.hover_label.reserved_height = 2 * QFontMetricsF(hover_font).lineSpacing() + 6
        self.hover_label.updateMin()
        self.addItem(self.hover_label, row=2, col=0, colspan=4)
        self.ci.layout.setRowStretchFactor(1, 1)
        self.ci.layout.setColumnStretchFactor(0, 1)

        self.layout_: MosaicLayout | None = None
        self.scale: ColorScale | None = None
        self.message: str | None = None
        self._kind: str | None = None
        self._image_shape: tuple[int, int] | None = None
        self._backdrop_state: tuple | None = None
        self._describe_tile = describe_tile
        self._describe_pixel = describe_pixel
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.setToolTip(self.tr("Wheel: zoom · drag: pan · double-click: reset the view · click a "
                                "tile: select it"))

    # -- content --------------------------------------------------------------------------------
    def set_title(self, text: str, *, rich: bool = False) -> None:
        text = text if rich else html.escape(text)
        if text != self.title_label.text:      # setText re-lays the panel out: skip when unchanged
            self.title_label.setText(text)

    @property
    def title(self) -> str:
        return self.title_label.text

    def set_mosaic(self, image: np.ndarray, layout: MosaicLayout | None, scale: ColorScale,
                   bars: Sequence[tuple] | None = None) -> None:
        """Show ``image`` (a mosaic laid out by ``layout``) with ``scale``'s colour map and levels
        (set explicitly, never auto-levelled). ``bars`` lists the colour bars to draw beside it,
        ``(caption, scale)`` or ``(caption, scale, ticks)`` each (``ticks``: ``[(value, text)]``);
        by default one bar for ``scale``."""
        if self.message is not None:
            self._leave_message()
        if scale.kind != self._kind:
            self._kind = scale.kind
            self.image_item.setLookupTable(scale.lut, update=False)
        self.layout_ = layout
        self.scale = scale
        self.image_item.setImage(image, levels=scale.levels, autoLevels=False)
        self._set_bars(bars if bars is not None else [(self.scale_caption, scale)])
        shape = tuple(image.shape[:2])
        if (shape, scale.kind) != self._backdrop_state:
            self._backdrop_state = (shape, scale.kind)
            set_backdrop(self.backdrop, shape, scale.background)
        self.backdrop.show()
        if shape != self._image_shape:
            self._image_shape = shape
            height, width = shape
            span = 5.0 * max(height, width, 1)
            self.view.setLimits(minXRange=1.0, minYRange=1.0, maxXRange=span, maxYRange=span)
            self.reset_view()

    def _set_bars(self, bars: Sequence[tuple]) -> None:
        while len(self.colorbars) < len(bars):
            bar = pg.ColorBarItem(values=(0, 1), width=12, interactive=False, colorMapMenu=False)
            bar.axis.enableAutoSIPrefix(False)
            bar.axis.setTextPen(pg.mkPen(TEXT_COLOR))
            for name in ("left", "right", "top", "bottom"):
                bar.getAxis(name).setPen(pg.mkPen(DIM_TEXT_COLOR))
            bar.setToolTip(self.tr("Colour scale: the value each colour stands for"))
            self.addItem(bar, row=1, col=1 + len(self.colorbars))
            self.colorbars.append(bar)
            self._bar_states.append(None)
        while len(self.colorbars) > len(bars):
            bar = self.colorbars.pop()
            self._bar_states.pop()
            self.removeItem(bar)
        for i, (bar, spec) in enumerate(zip(self.colorbars, bars, strict=True)):
            caption, scale = spec[0], spec[1]
            ticks = tuple(spec[2]) if len(spec) > 2 and spec[2] is not None else None
            # Any change re-lays the bar's axis out (~2 ms): touch only what differs. With the
            # live views' steady levels, a brush stroke's frame usually changes nothing here.
            state = (caption, scale.kind, tuple(scale.levels), ticks)
            if self._bar_states[i] == state:
                continue
            old = self._bar_states[i]
            self._bar_states[i] = state
            if old is None or old[3] != ticks:
                bar.axis.setTicks(None if ticks is None else [list(ticks)])
            if old is None or old[1] != scale.kind:
                bar.setColorMap(scale.colormap)
            if old is None or old[0] != caption:
                _set_caption(bar.getAxis("left"), caption)
            bar.setLevels(scale.levels)
            bar.setVisible(True)

    def bar_levels(self) -> list[tuple[float, float]]:
        """The levels every colour bar shows, in order (for tests)."""
        return [tuple(bar.levels()) for bar in self.colorbars]

    def set_outlines(self, rects: Sequence[tuple[float, float, float, float]]) -> None:
        """Outline these ``(x, y, width, height)`` rectangles (mosaic pixels)."""
        while len(self.outlines) < len(rects):
            item = OutlineItem()
            self.view.addItem(item, ignoreBounds=True)
            self.outlines.append(item)
        for item, rect in zip(self.outlines, rects):  # noqa: B905 -- spare outlines stay hidden
            x, y, w, h = rect
            item.setRect(QRectF(x, y, w, h))
            item.setVisible(self.message is None)
        for item in self.outlines[len(rects):]:
            item.setVisible(False)

    def outline_rects(self) -> list[tuple[float, float, float, float]]:
        """The shown outlines as ``(x, y, width, height)`` of what they surround (for tests)."""
        return [(i.rect().x(), i.rect().y(), i.rect().width(), i.rect().height())
                for i in self.outlines if i.isVisible()]

    def set_tile_labels(self, labels: Sequence[TileLabel]) -> None:
        """Label tiles (channel numbers, operators): one item for all of them."""
        self.labels.set_labels(labels)
        self.labels.setVisible(self.message is None)

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of a mosaic (e.g. "layer 1 (LeakyReLU) has no kernels")."""
        self.message = text
        self.image_item.clear()
        self.backdrop.hide()
        self._image_shape = None
        self.layout_ = None
        self.labels.set_labels(())
        for item in self.outlines:
            item.hide()
        for i, bar in enumerate(self.colorbars):
            bar.hide()
            self._bar_states[i] = None
        if self.axes_shown:
            self.plot.hideAxis("left")
            self.plot.hideAxis("bottom")
        self.message_item.setText(text)
        self.message_item.setPos(0.5, 0.5)
        self.message_item.show()
        self.view.setRange(QRectF(0, 0, 1, 1), padding=0)
        self.hover_label.setText("")

    def _leave_message(self) -> None:
        self.message = None
        self.message_item.hide()
        if self.axes_shown:
            self.plot.showAxis("left")
            self.plot.showAxis("bottom")
        self.hover_label.setText(hover_hint())

    def reset_view(self) -> None:
        """Show the whole mosaic (a double-click does this)."""
        if self._image_shape is None:
            return
        height, width = self._image_shape
        self.view.setRange(QRectF(0, 0, width, height), padding=0.02)

    # -- hover and clicks -----------------------------------------------------------------------
    def describe_tile(self, index: int, y: int, x: int) -> HoverInfo | None:
        """The read-out for full-resolution pixel ``(y, x)`` of tile ``index`` (override, or pass
        ``describe_tile`` to the constructor)."""
        return None if self._describe_tile is None else self._describe_tile(index, y, x)

    def describe_pixel(self, row: int, col: int) -> HoverInfo | None:
        """The read-out for mosaic pixel ``(row, col)``; by default :meth:`describe_tile` of the
        tile there (None in a gap)."""
        if self._describe_pixel is not None:
            return self._describe_pixel(row, col)
        if self.layout_ is None:
            return None
        found = self.layout_.locate(row, col)
        return None if found is None else self.describe_tile(*found)

    def mosaic_pixel_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """The mosaic pixel ``(row, col)`` under a scene position, or None outside the image."""
        if self.image_item.image is None or self.message is not None:
            return None
        point = self.image_item.mapFromScene(scene_pos)
        row, col = math.floor(point.y()), math.floor(point.x())
        height, width = self.image_item.image.shape[:2]
        if 0 <= row < height and 0 <= col < width:
            return row, col
        return None

    def value_at_scene_pos(self, scene_pos: QPointF) -> HoverInfo | None:
        """What the hover read-out says at ``scene_pos``: the exact value and where it is."""
        pixel = self.mosaic_pixel_at(scene_pos)
        return None if pixel is None else self.describe_pixel(*pixel)

    def settle(self) -> None:
        """Apply pending layout and view-range changes now (pyqtgraph applies them lazily, before
        the next paint), so scene positions are those the user will see."""
        self.ci.layout.activate()
        self.view.updateMatrix()

    def scene_pos_of_pixel(self, row: float, col: float) -> QPointF:
        """The scene position of the centre of mosaic pixel ``(row, col)`` (as it is drawn)."""
        self.settle()
        return self.image_item.mapToScene(QPointF(col + 0.5, row + 0.5))

    def scene_pos_of_tile(self, index: int, y: int = 0, x: int = 0) -> QPointF:
        """The scene position of full-resolution pixel ``(y, x)`` of tile ``index``."""
        assert self.layout_ is not None
        row, col = self.layout_.tile_origin(index)
        step = self.layout_.step
        return self.scene_pos_of_pixel(row + y // step, col + x // step)

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if self.message is not None:
            return
        self._show_hover(self.value_at_scene_pos(scene_pos))

    def _show_hover(self, info: HoverInfo | None) -> None:
        self.hover_label.setText(html.escape(info.text) if info is not None else hover_hint())
        self.hovered.emit(info)

    @property
    def hover_text(self) -> str:
        return self.hover_label.text

    def _image_clicked(self, scene_pos: QPointF) -> None:
        pixel = self.mosaic_pixel_at(scene_pos)
        if pixel is None:
            return
        # The read-out follows the click: it names exactly the pixel chosen.
        self._show_hover(self.describe_pixel(*pixel))
        self.pixel_clicked(*pixel)

    def pixel_clicked(self, row: int, col: int) -> None:
        """A click on mosaic pixel ``(row, col)``: emits ``tileClicked`` for the tile there."""
        if self.layout_ is None:
            return
        found = self.layout_.locate(row, col)
        if found is not None:
            self.tileClicked.emit(*found)

    def leaveEvent(self, event) -> None:
        if self.message is None:
            self.hover_label.setText(hover_hint())
        super().leaveEvent(event)

    def displayed_pixel_count(self) -> int:
        """How many pixels the shown mosaic has (the budget tests read this)."""
        return 0 if self.image_item.image is None else int(self.image_item.image.size)


def describe_value(prefix: str, y: int, x: int, value: float) -> str:
    """``'layer 2 · kernel 17 · sub-kernel 3 · (1, 2) = -0.0412731'``."""
    return f"{prefix} · ({y}, {x}) = {format_value(value)}"


# -- small shared helpers of the views ------------------------------------------------------------

def shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(int(n)) for n in shape)


def layer_name(design, index: int) -> str:
    """``'layer 1 (LeakyReLU)'`` or ``'the input'``."""
    if index < 0:
        return translate("views", "the input")
    return translate("views", "layer {index} ({kind})").format(index=index, kind=design.layers[index].kind)


def layer_caption(design, index: int, shape: Sequence[int] | None) -> str:
    """The strip's caption of a layer: ``'[0] Conv2d → 64×14×14'`` or ``'Input 1×28×28'``."""
    tail = "" if shape is None else shape_text(shape)
    if index < 0:
        return translate("views", "Input {shape}").format(shape=tail).strip()
    return f"[{index}] {design.layers[index].kind} → {tail}".strip()


def layer_input_of(frame, index: int) -> np.ndarray:
    """The array layer ``index`` of ``frame`` reads: the image for layer 0, else the previous output."""
    return frame.image if index == 0 else frame.outputs[index - 1]


def group_channels(layer, out_channel: int) -> range:
    """The input channels output channel ``out_channel`` of a Conv2d reads (those of its group)."""
    per_group_out = max(layer.out_channels // max(layer.groups, 1), 1)
    group = out_channel // per_group_out
    return range(group * layer.in_per_group, (group + 1) * layer.in_per_group)


#: Room around a colour bar's rotated caption (pixels). pyqtgraph places a left axis label 5 px
#: left of the axis and reserves 0.8 of its height: Latin text fits, but CJK glyphs fill the
#: whole line and lost their left half ("输出"). The margin moves the text inside the axis.
CAPTION_MARGIN = 8


def _set_caption(axis: pg.AxisItem, caption: str) -> None:
    """Put ``caption`` on a colour bar's left axis so that every script is drawn whole."""
    axis.setLabel(caption, color=TEXT_COLOR)
    axis.label.document().setDocumentMargin(CAPTION_MARGIN)
    height = axis.label.boundingRect().height()
    # The text box starts 5 px left of the axis (pyqtgraph's nudge); the glyphs start a margin
    # later. Reserve the rest of the box, and a little air, as the axis' width.
    axis.setWidth(int(height - 5 + 2))
