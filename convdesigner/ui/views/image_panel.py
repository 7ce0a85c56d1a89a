"""The shared base of the views: one mosaic image in a pan/zoom view, with its colour scale(s),
a title, a hover read-out of the exact value under the mouse and a click signal per tile.

The items it is made of are :mod:`convdesigner.ui.views.tile_items` (axes, image, outlines, tile
labels: one item for all tiles, never one per tile) and :mod:`convdesigner.ui.views.color_bars`;
the texts the views share are :mod:`convdesigner.ui.views.captions`.

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
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QCheckBox
from shiboken6 import isValid

from convdesigner.ui.i18n import QT_TRANSLATE_NOOP, translate
from convdesigner.ui.views.color_bars import ColorBars
from convdesigner.ui.views.colors import ColorScale
from convdesigner.ui.views.mosaic import MosaicLayout
from convdesigner.ui.views.theme import DARK, DIM_TEXT_COLOR, PANEL_BACKGROUND, TEXT_COLOR, Theme
from convdesigner.ui.views.tile_items import (
    DoubleClickViewBox,
    MosaicImageItem,
    OutlineItem,
    TileAxis,
    TileLabel,
    TileLabels,
    make_backdrop,
    set_backdrop,
)
from convdesigner.ui.widgets.label_item import WrappingLabelItem
from convdesigner.ui.zoom import ui_scale, zoom_signals

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

        self.title_label = WrappingLabelItem("", justify="left", color=TEXT_COLOR, size="10pt")
        self.addItem(self.title_label, row=0, col=0, colspan=4)

        self.view = DoubleClickViewBox(lockAspect=True, invertY=True, enableMenu=False)
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

        self.color_bars = ColorBars(self, row=1, first_column=1)

        self.hover_label = WrappingLabelItem(hover_hint(), justify="left", color=DIM_TEXT_COLOR, size="9pt")
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
        self.theme: Theme = DARK
        self.hints_shown = True
        self._label_caps = (self.labels.min_screen_pixels, self.labels.max_screen_pixels)
        self._scale = 1.0
        self.user_zoomed = False   # wheel or drag changed the range: a re-layout keeps it
        # A legible size (see enable_readable_size); None: the whole mosaic always fits the view.
        self.readable: tuple[float, float] | None = None
        self.all_box: QCheckBox | None = None
        # Where the readable part is placed when the panel has no subclass saying it (a view
        # that owns a plain ImagePanel sets this: the selected tile, in mosaic pixels).
        self.focus_provider: Callable[[], QRectF | None] | None = None
        self.view.sigRangeChangedManually.connect(self._zoomed_by_user)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        zoom_signals().changed.connect(self.apply_scale)
        if ui_scale() != 1.0:
            self.apply_scale(ui_scale())
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
        self.color_bars.set(bars if bars is not None else [(self.scale_caption, scale)])
        shape = tuple(image.shape[:2])
        if (shape, scale.kind, self.theme.name) != self._backdrop_state:
            self._backdrop_state = (shape, scale.kind, self.theme.name)
            set_backdrop(self.backdrop, shape, self._gap_color(scale))
        self.backdrop.show()
        if shape != self._image_shape:
            self._image_shape = shape
            height, width = shape
            span = 5.0 * max(height, width, 1)
            self.view.setLimits(minXRange=1.0, minYRange=1.0, maxXRange=span, maxYRange=span)
            if not self.user_zoomed:   # a zoom the user chose survives a new layout or size
                self.reset_view()
        if self.all_box is not None:
            self._place_all_box()

    def bar_levels(self) -> list[tuple[float, float]]:
        """The levels every colour bar shows, in order (for tests)."""
        return self.color_bars.levels()

    @property
    def colorbars(self) -> list[pg.ColorBarItem]:
        """The colour bars beside the image, in order."""
        return self.color_bars.bars

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
        self.color_bars.hide()
        if self.axes_shown:
            self.plot.hideAxis("left")
            self.plot.hideAxis("bottom")
        self.message_item.setText(text)
        self.message_item.setPos(0.5, 0.5)
        self.message_item.show()
        if self.all_box is not None:
            self._place_all_box()
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
        """Show the whole mosaic (a double-click does this) -- or, with a readable size set and
        "Show all" off, as much of it as fits at that size, around :meth:`focus_rect`."""
        self.user_zoomed = False
        if self._image_shape is None:
            return
        self.view.setRange(self.home_rect(), padding=0 if self.shows_part() else 0.02)

    # -- a legible size -------------------------------------------------------------------------
    def enable_readable_size(self, tile_pixels: float, pixel_pixels: float) -> None:
        """Never draw a tile smaller than ``tile_pixels`` screen pixels (its longer side), nor a
        mosaic pixel smaller than ``pixel_pixels``: when the whole mosaic would be smaller, the
        view shows the part that fits at that size (drag or wheel to see the rest) and a
        "Show all" box, bottom right, fits everything. Call once, from the GUI thread."""
        self.readable = (tile_pixels, pixel_pixels)
        self.all_box = QCheckBox(self.tr("Show all"), self)
        self.all_box.setToolTip(self.tr("Fit every tile into the view, however small; unticked, "
                                        "tiles keep a readable size and you drag to see the rest"))
        self.all_box.toggled.connect(lambda _checked: self.reset_view())
        self.all_box.setStyleSheet(f"QCheckBox {{ color: {self.theme.text}; }}")
        self.all_box.hide()
        self.view.sigResized.connect(self._view_resized)

    def readable_scale(self, tile_shape: tuple[int, int] | None = None) -> float:
        """Screen pixels per mosaic pixel at the legible size, for tiles of ``tile_shape``
        (by default the shown layout's); 0 without a legible size."""
        if tile_shape is None and self.layout_ is not None:
            tile_shape = self.layout_.tile_shape
        if self.readable is None or tile_shape is None:
            return 0.0
        tile_pixels, pixel_pixels = self.readable
        return max(pixel_pixels, tile_pixels / max(max(tile_shape), 1)) * self._scale

    def readable_width(self, tile_shape: tuple[int, int]) -> float | None:
        """How many mosaic pixels of tiles of ``tile_shape`` fit across the view at the legible
        size (a view that lays tiles out chooses its columns by it); None when every tile is to
        be shown however small ("Show all") or there is no legible size."""
        scale = self.readable_scale(tile_shape)
        if scale <= 0 or self.all_box is None or self.all_box.isChecked():
            return None
        return max(self.view.boundingRect().width(), 1.0) / scale

    def whole_scale(self) -> float:
        """Screen pixels per mosaic pixel when the whole mosaic fits the view."""
        if self._image_shape is None:
            return 0.0
        height, width = self._image_shape
        rect = self.view.boundingRect()
        return min(rect.width() / max(width, 1), rect.height() / max(height, 1))

    def shows_part(self) -> bool:
        """Whether the home view is a part of the mosaic (too many tiles to read them all)."""
        return (self.readable is not None and self.all_box is not None
                and not self.all_box.isChecked() and self._image_shape is not None
                and 0 < self.whole_scale() < self.readable_scale())

    def focus_rect(self) -> QRectF:
        """The mosaic rectangle the part shown at a readable size is placed around (subclasses:
        the selected tile). :attr:`focus_provider`'s, else the top-left corner."""
        found = self.focus_provider() if self.focus_provider is not None else None
        return found if found is not None else QRectF(0, 0, 1, 1)

    def home_rect(self) -> QRectF:
        """What :meth:`reset_view` shows, in mosaic pixels."""
        height, width = self._image_shape or (1, 1)
        if not self.shows_part():
            return QRectF(0, 0, width, height)
        scale = self.readable_scale()
        rect = self.view.boundingRect()
        part_w = min(width, rect.width() / scale)
        part_h = min(height, rect.height() / scale)
        focus = self.focus_rect().center()
        x = min(max(focus.x() - part_w / 2, 0.0), width - part_w)
        y = min(max(focus.y() - part_h / 2, 0.0), height - part_h)
        return QRectF(x, y, part_w, part_h)

    def bring_into_view(self, rect: QRectF) -> None:
        """Pan (keeping the zoom) so that ``rect`` is seen, when it is not."""
        shown = self.view.viewRect()
        if shown.contains(rect):
            return
        dx = dy = 0.0
        if rect.left() < shown.left() or rect.right() > shown.right():
            dx = rect.center().x() - shown.center().x()
        if rect.top() < shown.top() or rect.bottom() > shown.bottom():
            dy = rect.center().y() - shown.center().y()
        self.view.setRange(shown.translated(dx, dy), padding=0)

    def _alive(self) -> bool:
        """False while the panel is being destroyed (its view still signals a resize then)."""
        return isValid(self) and isValid(self.view) and (self.all_box is None or isValid(self.all_box))

    def _view_resized(self, *_args) -> None:
        if not self._alive():
            return
        if self.all_box is not None:
            self._place_all_box()
        # At a legible size the part that fits depends on the view's size; the whole mosaic
        # ("Show all") is kept in view by the view box itself.
        if (not self.user_zoomed and self._image_shape is not None and self.message is None
                and self.all_box is not None and not self.all_box.isChecked()):
            self.reset_view()

    def _place_all_box(self) -> None:
        box = self.all_box
        if box is None or not self._alive():
            return
        box.adjustSize()
        box.move(self.width() - box.width() - 6, self.height() - box.height() - 4)
        box.setVisible(self.message is None and self.readable is not None
                       and self._image_shape is not None
                       and (box.isChecked() or 0 < self.whole_scale() < self.readable_scale()))
        # The read-out line wraps before the box.
        width = max(self.width() - box.width() - 20, 100) if box.isVisible() else 16777215
        if self.hover_label.maximumWidth() != width:
            self.hover_label.setMaximumWidth(width)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "all_box", None) is not None:   # pyqtgraph resizes before __init__ ends
            self._place_all_box()

    def _zoomed_by_user(self, *_args) -> None:
        self.user_zoomed = True

    # -- zoom, theme, hints ---------------------------------------------------------------------
    def apply_scale(self, factor: float) -> None:
        """Draw titles, read-outs, tile labels and colour-bar ticks ``factor`` times their size
        (the UI zoom and presentation mode call this)."""
        self._scale = factor
        low, high = self._label_caps
        # Labels appear earlier, and may grow larger, when the text is zoomed.
        self.labels.min_screen_pixels = low * min(factor, 1.5)
        self.labels.max_screen_pixels = high * factor
        self.labels.update()
        self._restyle_labels()
        font = QFont()
        font.setPointSizeF(12 * factor)
        self.message_item.setFont(font)
        self.message_item.setTextWidth(420 * factor)
        self.color_bars.set_text_scale(factor)

    def _restyle_labels(self) -> None:
        factor, theme = self._scale, self.theme
        self.title_label.opts["color"] = theme.text
        self.title_label.opts["size"] = f"{10 * factor:.1f}pt"
        self.title_label.setText(self.title_label.text)
        self.hover_label.opts["color"] = theme.dim_text
        self.hover_label.opts["size"] = f"{9 * factor:.1f}pt"
        hover_font = QFont()
        hover_font.setPointSizeF(9.0 * factor)
        self.hover_label.reserved_height = (
            2 * QFontMetricsF(hover_font).lineSpacing() + 6 if self.hints_shown else 0)
        self.hover_label.setText(self.hover_label.text)
        self.hover_label.updateMin()

    def apply_theme(self, theme: Theme) -> None:
        """Draw on ``theme``'s background with its text colours (light: projector, slides)."""
        self.theme = theme
        self.setBackground(theme.background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.dim_text))
            axis.setTextPen(pg.mkPen(theme.text))
        self.labels.set_color(theme.text)
        self.message_item.setColor(theme.text)
        self.color_bars.set_theme(theme)
        if self.all_box is not None:
            self.all_box.setStyleSheet(f"QCheckBox {{ color: {theme.text}; }}")
        if self._image_shape is not None and self.scale is not None:
            self._backdrop_state = (self._image_shape, self.scale.kind, theme.name)
            set_backdrop(self.backdrop, self._image_shape, self._gap_color(self.scale))
        self._restyle_labels()

    def _gap_color(self, scale: ColorScale) -> str:
        """What the gaps between tiles show: a colour neither map uses, on this theme."""
        if not self.theme.is_light:
            return scale.background
        return "#c8c8c8" if scale.signed else "#ffffff"

    def set_hints_shown(self, shown: bool) -> None:
        """Show or hide the hover read-out line (hidden in presentation mode and in figures)."""
        self.hints_shown = shown
        self.hover_label.setVisible(shown)
        self._restyle_labels()
        if not shown:
            self.hover_label.setMinimumHeight(0)
            self.hover_label.setMaximumHeight(0)
        else:
            self.hover_label.setMaximumHeight(16777215)

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
