"""The feature maps of every layer: the selected layer's maps large, all layers small in a strip.

This is the live path: it redraws on every frame (every brush stroke), so it does the least
possible: per layer one mosaic written into a reused buffer and one ``setImage`` with explicit
levels; layouts, labels and captions are rebuilt only when a shape changes.

A click on a small mosaic selects that layer, a click on a map of the large one selects that
channel (the selected channel is outlined). The hover read-out names the layer, channel and pixel
with the exact value, for the strip too.
"""

from __future__ import annotations

import html
import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QSizePolicy, QWidget
from shiboken6 import isValid

from convdesigner.ui.i18n import translate
from convdesigner.ui.state.highlight import Highlight
from convdesigner.ui.state.selection import INPUT
from convdesigner.ui.views.captions import describe_value, layer_caption, layer_name
from convdesigner.ui.views.colors import ColorScale, StickyScale, output_signs
from convdesigner.ui.views.deferred import NEW_FRAME, NOTHING, SELECTION, DeferredRendering, flushed
from convdesigner.ui.views.image_panel import HoverInfo, ImagePanel
from convdesigner.ui.views.mosaic import (
    MAX_MOSAIC_PIXELS,
    MosaicLayout,
    choose_columns,
    stride_for_budget,
)
from convdesigner.ui.views.theme import DIM_TEXT_COLOR, PANEL_BACKGROUND, TEXT_COLOR
from convdesigner.ui.views.tile_items import LutImageItem, TileLabel, make_backdrop, set_backdrop
from convdesigner.ui.views.vectors import as_maps
from convdesigner.ui.widgets.cell_highlight import HighlightItem
from convdesigner.ui.zoom import ui_scale, zoom_signals

#: Pixels of one small mosaic in the strip.
THUMBNAIL_PIXELS = 60_000
STRIP_ENTRY_HEIGHT = 150
STRIP_WIDTH = 210
#: The smallest a feature map of the large panel is drawn (screen pixels, its longer side).
MIN_MAP_PIXELS = 32


class _Mosaicker:
    """Turns ``[C, H, W]`` maps into a mosaic, re-using its layout and buffer while the shape holds."""

    def __init__(self, max_pixels: int, aspect: float, labelled: bool,
                 fit_width: float | None = None) -> None:
        self.max_pixels = max_pixels
        self.aspect = aspect
        self.labelled = labelled
        self.fit_width = fit_width   # mosaic pixels across at a legible size: at most that wide
        self.layout: MosaicLayout | None = None
        self.buffer: np.ndarray | None = None
        self._shape: tuple[int, ...] | None = None

    def _band_and_gap(self, shown: tuple[int, int]) -> tuple[int, tuple[int, int]]:
        if not self.labelled or shown[0] < 4:
            return 0, (1, 1)          # maps of 1 to 3 pixels: the read-out names their channel
        return max(2, math.ceil(0.35 * shown[0])), (1, max(1, round(0.08 * shown[1])))

    def build(self, maps: np.ndarray) -> tuple[np.ndarray, MosaicLayout, bool]:
        """``(mosaic, layout, layout_changed)``."""
        changed = maps.shape != self._shape
        if changed:
            count, height, width = maps.shape
            step = stride_for_budget(count, (height, width), self.max_pixels)
            while True:
                # The label band and the gaps scale with the *shown* tile, which the stride sets.
                shown = (-(-height // step), -(-width // step))
                band, gap = self._band_and_gap(shown)
                if (count * (shown[0] + band + gap[0]) * (shown[1] + gap[1]) <= self.max_pixels
                        or shown == (1, 1)):
                    break
                step += 1
            columns = choose_columns(count, shown, self.aspect, gap, band)
            if self.fit_width is not None:   # legible tiles, one under the other: scroll down
                columns = min(columns, max(1, int((self.fit_width + gap[1]) // (shown[1] + gap[1]))))
            self.layout = MosaicLayout(count, columns, shown, gap, step, (height, width), band)
            self.buffer = None
            self._shape = maps.shape
        step = self.layout.step
        tiles = maps if step == 1 else maps[:, ::step, ::step]
        self.buffer = self.layout.render(tiles, out=self.buffer)
        return self.buffer, self.layout, changed


class _StripViewBox(pg.ViewBox):
    """One strip entry's view; ``clicked(index)`` on a left click. It owns the entry's
    :class:`HighlightItem` (a child item), so the outline goes when the view goes."""

    clicked = Signal(int)

    def __init__(self, index: int) -> None:
        super().__init__(lockAspect=True, invertY=True, enableMenu=False, enableMouse=False)
        self.index = index
        self.highlight_item = HighlightItem()
        self.addItem(self.highlight_item, ignoreBounds=True)

    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.clicked.emit(self.index)
        else:
            ev.ignore()

    def wheelEvent(self, ev, axis=None) -> None:
        ev.ignore()


def _strip_label_size() -> str:
    """The strip's labels: 8 points at the UI zoom."""
    return f"{8 * ui_scale():.1f}pt"


class _StripEntry:
    def __init__(self, strip: LayerStrip, index: int, row: int) -> None:
        self.index = index
        self.label = pg.LabelItem("", justify="left", color=TEXT_COLOR, size=_strip_label_size())
        self.view = _StripViewBox(index)
        self.view.clicked.connect(strip.layerClicked)
        self.view.setBorder(pg.mkPen(DIM_TEXT_COLOR, width=1))
        self.image = LutImageItem(axisOrder="row-major")
        self.view.addItem(self.image)
        self.backdrop = make_backdrop()
        self.view.addItem(self.backdrop, ignoreBounds=True)
        strip.ci.addItem(self.label, row=2 * row, col=0)
        strip.ci.addItem(self.view, row=2 * row + 1, col=0)
        self.mosaicker = _Mosaicker(THUMBNAIL_PIXELS, 1.3, labelled=False)
        self.kind: str | None = None
        self.caption = ""
        self.shape: tuple[int, int] | None = None
        self.backdrop_kind: str | None = None


class LayerStrip(pg.GraphicsLayoutWidget):
    """Small mosaics of the input and every layer, one under the other; click one to select it.

    ``layerClicked(index)`` on a click (-1: the input); ``pixelHovered(entry, row, col)`` when the
    mouse is over mosaic pixel ``(row, col)`` of an entry, ``(None, -1, -1)`` off every mosaic."""

    layerClicked = Signal(int)
    pixelHovered = Signal(object, int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackground(PANEL_BACKGROUND)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.ci.setSpacing(1)
        self.entries: list[_StripEntry] = []
        self.selected: int | None = None
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.setToolTip(self.tr("Every layer's output, small. Click one to select that layer."))
        zoom_signals().changed.connect(self._follow_zoom)

    def _follow_zoom(self, *_args) -> None:
        """The entries' labels at the UI zoom's size."""
        if not isValid(self):
            return
        for entry in self.entries:
            entry.label.opts["size"] = _strip_label_size()
            entry.label.setText(entry.label.text)

    def set_count(self, count: int) -> None:
        """Make ``count`` entries (the input and each layer)."""
        if count == len(self.entries):
            return
        self.ci.clear()
        self.entries = [_StripEntry(self, i - 1, i) for i in range(count)]
        self.setMinimumHeight(count * STRIP_ENTRY_HEIGHT)
        self.selected = None

    def set_selected(self, index: int) -> None:
        if index == self.selected:
            return
        self.selected = index
        for entry in self.entries:
            chosen = entry.index == index
            entry.view.setBorder(pg.mkPen("#ffd400" if chosen else DIM_TEXT_COLOR, width=3 if chosen else 1))

    def entry_at(self, scene_pos: QPointF) -> tuple[_StripEntry, int, int] | None:
        for entry in self.entries:
            if entry.image.image is None or not entry.view.sceneBoundingRect().contains(scene_pos):
                continue
            point = entry.image.mapFromScene(scene_pos)
            row, col = math.floor(point.y()), math.floor(point.x())
            height, width = entry.image.image.shape
            if 0 <= row < height and 0 <= col < width:
                return entry, row, col
            return None
        return None

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        found = self.entry_at(scene_pos)
        self.pixelHovered.emit(*(found if found is not None else (None, -1, -1)))


class FeatureMapsView(DeferredRendering, QWidget):
    """The output maps of every layer of the newest frame.

    ``FeatureMapsView(document, selection, live, highlight)``: draws ``highlight``'s cells (the
    explained pixel's) on the maps they belong to. Accessors for tests: :attr:`shown_frame`,
    :meth:`displayed_maps` (the raw ``[C, H, W]`` array drawn for a layer, ``-1`` = the input),
    :attr:`panel` (the large :class:`ImagePanel`), :attr:`strip`, :meth:`value_at_scene_pos`,
    :meth:`displayed_pixel_count`.
    """

    def __init__(self, document, selection, live=None, highlight: Highlight | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.selection = selection
        self.highlight = highlight if highlight is not None else Highlight(self)
        self.shown_frame = None
        self._maps: dict[int, np.ndarray] = {}
        self._shapes: dict[int, tuple[int, ...]] = {}
        self._scales: dict[int, ColorScale] = {}
        self._sticky: dict[int, StickyScale] = {}
        self._design = None
        self._big_layer: int | None = None
        self._big = _Mosaicker(MAX_MOSAIC_PIXELS, 1.5, labelled=True)
        self.render_seconds = 0.0

        self.strip = LayerStrip()
        self.strip.layerClicked.connect(lambda index: self.selection.select(layer=index))
        self.strip.pixelHovered.connect(self._strip_hover)
        scroll = QScrollArea()
        scroll.setWidget(self.strip)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(STRIP_WIDTH)
        scroll.setToolTip(self.strip.toolTip())
        self.scroll = scroll

        self.panel = ImagePanel(scale_caption=translate("views", "value"),
                                describe_tile=self._describe_big)
        self.panel.tileClicked.connect(self._big_clicked)
        self._big_highlight = HighlightItem()
        self.panel.view.addItem(self._big_highlight, ignoreBounds=True)
        self.panel.setToolTip(self.tr("The selected layer's feature maps, one per channel (numbered "
                                      "above each map).\nClick a map to select its channel · wheel: "
                                      "zoom · drag: pan · double-click: reset the view"))
        self.panel.show_message(translate("views", "Waiting for the first computed frame…"))
        # Tiles of a legible size, one under the other, scrolled to the selected channel.
        self.panel.enable_readable_size(MIN_MAP_PIXELS, 2)
        self.panel.focus_provider = self._selected_tile
        if self.panel.all_box is not None:
            self.panel.all_box.toggled.connect(self._all_toggled)
        self._refit_pending = False
        self.panel.view.sigResized.connect(self._panel_resized)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(scroll)
        layout.addWidget(self.panel, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        if live is not None:
            live.frameReady.connect(self.show_frame)
        selection.changed.connect(self._selection_changed)
        self.highlight.changed.connect(self._draw_highlight)

    # -- accessors ------------------------------------------------------------------------------
    @flushed
    def displayed_maps(self, layer: int) -> np.ndarray | None:
        """The raw maps drawn for ``layer`` (``-1``: the input), ``[C, H, W]`` float32."""
        return self._maps.get(layer)

    @flushed
    def displayed_scale(self, layer: int) -> ColorScale | None:
        return self._scales.get(layer)

    @property
    def selected_layer(self) -> int | None:
        """The layer drawn large (None before the first frame)."""
        self.flush_render()
        return self._big_layer

    @flushed
    def value_at_scene_pos(self, scene_pos: QPointF) -> HoverInfo | None:
        """The large panel's read-out at ``scene_pos`` (a position in :attr:`panel`'s scene)."""
        return self.panel.value_at_scene_pos(scene_pos)

    @flushed
    def displayed_pixel_count(self) -> int:
        count = self.panel.displayed_pixel_count()
        for entry in self.strip.entries:
            count += 0 if entry.image.image is None else int(entry.image.image.size)
        return count

    # -- rendering ------------------------------------------------------------------------------
    def show_frame(self, frame) -> None:
        """Draw ``frame``: every layer small, the selected one large. The live path (skipped
        while the view is hidden; it then renders when shown)."""
        self.shown_frame = frame
        self._owe_render(NEW_FRAME)

    def show_not_computed(self, text: str) -> None:
        """Show ``text`` instead of any map: there is no frame of this document to show (a new
        document that cannot be computed, or a computation that failed)."""
        self.shown_frame = None
        self._owed = NOTHING
        self._maps, self._scales = {}, {}
        self._big_layer = None
        self.strip.set_count(0)
        self.panel.show_message(text)

    def _render_now(self, new_frame: bool) -> None:
        if new_frame:
            self._draw_frame(self.shown_frame)
        else:
            self._draw_selection()

    def _draw_frame(self, frame) -> None:
        started = time.perf_counter()
        self.shown_frame = frame
        design = frame.design
        layers = [INPUT, *range(len(frame.outputs))]
        # Vectors (after Flatten) are drawn as one map; their own shapes go into the captions.
        self._shapes = {INPUT: frame.image.shape, **{i: o.shape for i, o in enumerate(frame.outputs)}}
        self._maps = {INPUT: frame.image, **{i: as_maps(o) for i, o in enumerate(frame.outputs)}}
        signs = output_signs(design, frame.image)
        if design is not self._design:
            self._design = design
            self._sticky = {}
        self._scales = {
            i: self._sticky.setdefault(i, StickyScale()).update(
                self._maps[i], signed=signs[i + 1],
                extent=None if frame.extents is None else frame.extents[i + 1])
            for i in layers}
        self.strip.set_count(len(layers))
        for entry in self.strip.entries:
            self._draw_entry(entry, design, frame)
        self._draw_big()
        self._draw_highlight()   # mosaics may have been laid out anew
        self.render_seconds = time.perf_counter() - started

    def _draw_entry(self, entry: _StripEntry, design, frame) -> None:
        maps = self._maps[entry.index]
        scale = self._scales[entry.index]
        mosaic, layout, changed = entry.mosaicker.build(maps)
        if scale.kind != entry.kind:
            entry.kind = scale.kind
            entry.image.setLookupTable(scale.lut, update=False)
        entry.image.setImage(mosaic, levels=scale.levels, autoLevels=False)
        caption = layer_caption(design, entry.index, self._shapes.get(entry.index, maps.shape))
        if caption != entry.caption:
            entry.caption = caption
            entry.label.setText(html.escape(caption))
        if changed or entry.shape != mosaic.shape or entry.backdrop_kind != scale.kind:
            entry.shape = mosaic.shape
            entry.backdrop_kind = scale.kind
            set_backdrop(entry.backdrop, mosaic.shape, scale.background)
            entry.view.setRange(QRectF(0, 0, mosaic.shape[1], mosaic.shape[0]), padding=0.03)

    def _selected_index(self) -> int:
        if self.shown_frame is None:
            return INPUT
        layer = self.selection.layer
        return layer if -1 <= layer < len(self.shown_frame.outputs) else INPUT

    def _draw_big(self) -> None:
        index = self._selected_index()
        self.strip.set_selected(index)
        maps = self._maps[index]
        scale = self._scales[index]
        aspect = self._panel_aspect()
        if index != self._big_layer:
            self.panel.user_zoomed = False   # another layer: start from the whole mosaic
        fit = self.panel.readable_width(maps.shape[1:])
        if (index != self._big_layer or not 0.8 < aspect / self._big.aspect < 1.25
                or not _same_fit(fit, self._big.fit_width)):
            self._big = _Mosaicker(MAX_MOSAIC_PIXELS, aspect, labelled=True, fit_width=fit)
            self._big_layer = None  # forces the range and labels to be redone below
        mosaic, layout, changed = self._big.build(maps)
        changed = changed or index != self._big_layer
        self._big_layer = index
        caption = self.tr("input") if index == INPUT else self.tr("output")
        self.panel.set_mosaic(mosaic, layout, scale, bars=[(caption, scale)])
        if changed:
            band, width = layout.band, layout.pitch[1] * 0.95
            labels = []
            for channel in range(layout.count if band else 0):
                row, col = layout.tile_origin(channel)
                text = str(channel)
                height = self.panel.labels.fit_height(text, width, 0.8 * band)
                labels.append(TileLabel(col, row - 0.05 * band, height, text, "bottom-left"))
            self.panel.set_tile_labels(labels)
        self._draw_selected_channel()

    def _set_title(self, frame, index: int, maps: np.ndarray, layout: MosaicLayout) -> None:
        shape = self._shapes.get(index, maps.shape)
        if len(shape) == 1:
            self.panel.set_title(self.tr("Layer {index} ({kind}) → {count} values, drawn row by "
                                         "row").format(index=index, kind=frame.design.layers[index].kind,
                                                       count=f"{shape[0]:,}"))
            return
        count, height, width = maps.shape
        if index == INPUT:
            title = (self.tr("The input → {count} map of {height}×{width}") if count == 1
                     else self.tr("The input → {count} maps of {height}×{width}"))
        else:
            title = (self.tr("Layer {index} ({kind}) → {count} map of {height}×{width}") if count == 1
                     else self.tr("Layer {index} ({kind}) → {count} maps of {height}×{width}"))
        parts = [title.format(index=index, kind=frame.design.layers[index].kind if index != INPUT else "",
                              count=count, height=height, width=width)]
        channel = self.selection.out_channel
        if 0 <= channel < count:
            parts.append(self.tr("channel {channel} outlined").format(channel=channel))
        if layout.step > 1:
            parts.append(self.tr("every {step}th pixel drawn (hover reads them all)").format(step=layout.step))
        if self.panel.shows_part():
            parts.append(self.tr("drag up and down for the other channels"))
        self.panel.set_title(" · ".join(parts))

    def _panel_aspect(self) -> float:
        """Width / height of the large panel, so the mosaic fills it (a wide dock gets wide rows)."""
        width, height = self.panel.width(), self.panel.height() - 40  # title and read-out lines
        return min(max(width / max(height, 40), 0.5), 12.0) if width > 50 else 1.5

    def set_presentation(self, on: bool, _theme) -> None:
        """Presentation mode shows the selected layer's maps only, as large as they go."""
        self.scroll.setVisible(not on)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.flush_render()
        # A zoom the user chose is kept: re-flowing the tiles would move them under it.
        if (self._big_layer is not None and self._maps and not self.panel.user_zoomed
                and (not 0.8 < self._panel_aspect() / self._big.aspect < 1.25
                     or not _same_fit(self.panel.readable_width(self._maps[self._big_layer].shape[1:]),
                                      self._big.fit_width))):
            self._draw_big()

    def _selection_changed(self) -> None:
        if self.shown_frame is not None:
            self._owe_render(SELECTION)

    def _draw_selection(self) -> None:
        if self._selected_index() == self._big_layer:
            self._draw_selected_channel()      # same layer: move the outline, nothing else
        else:
            self._draw_big()

    def _draw_selected_channel(self) -> None:
        layout = self.panel.layout_
        index = self._big_layer
        channel = self.selection.out_channel
        self.panel.set_outlines([layout.tile_rect(channel)] if 0 <= channel < layout.count else [])
        if 0 <= channel < layout.count and self.panel.shows_part():
            self.panel.bring_into_view(QRectF(*layout.tile_rect(channel)))
        self._set_title(self.shown_frame, index, self._maps[index], layout)

    def _selected_tile(self) -> QRectF | None:
        layout = self.panel.layout_
        channel = self.selection.out_channel
        if layout is None or not 0 <= channel < layout.count:
            return None
        return QRectF(*layout.tile_rect(channel))

    def _panel_resized(self, *_args) -> None:
        # The columns that fit at a legible size follow the view's own width (its colour bar and
        # title settle after the first layout). Not at once: the resize may come from inside
        # set_mosaic (a colour bar being added), which must not be entered again.
        if not self._refit_pending:
            self._refit_pending = True
            QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        self._refit_pending = False
        if (isValid(self) and self._big_layer is not None and self._maps
                and not self.panel.user_zoomed and not _same_fit(
                    self.panel.readable_width(self._maps[self._big_layer].shape[1:]),
                    self._big.fit_width)):
            self._draw_big()

    def _all_toggled(self, _checked: bool) -> None:
        if self._big_layer is not None and self._maps:
            self._draw_big()

    # -- the cells an explained pixel reads ----------------------------------------------------
    def highlighted_rects(self, layer: int) -> list[tuple[float, float, float, float]]:
        """The outlined cells on ``layer``'s strip mosaic, ``(x, y, w, h)`` in mosaic pixels."""
        entry = next((e for e in self.strip.entries if e.index == layer), None)
        if entry is None or entry.mosaicker.layout is None:
            return []
        return _cell_rects(entry.mosaicker.layout, self.highlight.cells_on(layer))

    def _draw_highlight(self) -> None:
        """Outline the highlight's cells on the maps of its source: in the strip and, when that
        layer is drawn large, in the large panel. Padded cells lie outside the maps and are drawn
        on the input canvas only; the hovered channel's cells are drawn brighter. Each outline
        item belongs to its view (a strip entry's goes with the entry)."""
        hovered = self.highlight.hovered_channel
        targets = [(entry.view.highlight_item, entry.mosaicker.layout, entry.index)
                   for entry in self.strip.entries]
        targets.append((self._big_highlight, self.panel.layout_, self._big_layer))
        for item, layout, index in targets:
            cells = self.highlight.cells_on(index) if layout is not None and index is not None else ()
            item.set_cells(_cell_rects(layout, cells) if cells else [],
                           _cell_rects(layout, [c for c in cells if c[0] == hovered]) if cells else [])

    # -- hover and clicks -----------------------------------------------------------------------
    def _describe_big(self, index: int, y: int, x: int) -> HoverInfo | None:
        layer = self._big_layer
        maps = self._maps.get(layer) if layer is not None else None
        if maps is None:
            return None
        value = maps[index, y, x]
        where = self.tr("input") if layer == INPUT else layer_name(self.shown_frame.design, layer)
        prefix = self.tr("{where} · channel {channel}").format(where=where, channel=index)
        return HoverInfo(describe_value(prefix, y, x, value), float(value), index, y, x)

    def _describe_strip(self, entry: _StripEntry, row: int, col: int) -> HoverInfo | None:
        layout = entry.mosaicker.layout
        found = None if layout is None else layout.locate(row, col)
        if found is None:
            return None
        channel, y, x = found
        maps = self._maps[entry.index]
        value = maps[channel, y, x]
        where = (self.tr("input") if entry.index == INPUT
                 else layer_name(self.shown_frame.design, entry.index))
        prefix = self.tr("{where} · channel {channel}").format(where=where, channel=channel)
        return HoverInfo(describe_value(prefix, y, x, value), float(value), channel, y, x)

    def _strip_hover(self, entry: _StripEntry | None, row: int, col: int) -> None:
        info = None if entry is None else self._describe_strip(entry, row, col)
        if info is not None:
            self.panel.hover_label.setText(html.escape(info.text))

    def _big_clicked(self, index: int, y: int, x: int) -> None:
        # The clicked pixel is also the one "Explain a pixel" explains (y, x in the full map).
        self.selection.select(out_channel=index, pixel=(y, x))


def _same_fit(first: float | None, second: float | None) -> bool:
    """Whether two legible widths lay tiles out alike (within 3 %, or both None)."""
    if first is None or second is None:
        return first is second
    return 0.97 < first / max(second, 1e-9) < 1.03


def _cell_rects(layout: MosaicLayout, cells) -> list[tuple[float, float, float, float]]:
    """Mosaic rectangles ``(x, y, w, h)`` of the non-padded ``(channel, row, col, padded)`` cells
    (a strided mosaic shows one pixel per ``step``: a cell is then a fraction of a pixel)."""
    rects = []
    height, width = layout.source_shape
    size = 1.0 / layout.step
    for channel, row, col, padded in cells:
        if padded or not (0 <= channel < layout.count and 0 <= row < height and 0 <= col < width):
            continue
        origin_row, origin_col = layout.tile_origin(channel)
        rects.append((origin_col + col * size, origin_row + row * size, size, size))
    return rects


__all__ = ["FeatureMapsView", "LayerStrip"]
