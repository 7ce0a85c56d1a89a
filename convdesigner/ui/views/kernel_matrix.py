"""All the weights of one Conv2d at a glance: one row per kernel (output channel), one column per
sub-kernel (input channel of its group), each cell a kH×kW sub-kernel, on one diverging scale.

Layer 2 of the default design is 128 rows × 64 columns of 4×4 sub-kernels: one mosaic, one
``ImageItem``. The selected kernel's row and sub-kernel are outlined (two rectangle items); a click
on a sub-kernel selects its kernel and sub-kernel everywhere.

Weights do not change with the input, so the mosaic is rebuilt only when the design object or the
selected layer changes; a brush stroke's frame costs an identity check.

Legible at 1280×800: a sub-kernel is never drawn smaller than :data:`MIN_SUB_KERNEL_PIXELS` screen
pixels (nor a weight smaller than :data:`MIN_WEIGHT_PIXELS`); a layer with more than fits shows
the part around the selected kernel, with the kernels and sub-kernels it shows in the title, and
"Show all" fits every one (:meth:`ImagePanel.enable_readable_size`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF

from convdesigner.design.layers import BatchNorm2d, Conv2d, ConvTranspose2d, Design, Linear
from convdesigner.design.numbers import shape_text
from convdesigner.ui.i18n import translate
from convdesigner.ui.views.captions import describe_value, layer_name
from convdesigner.ui.views.colors import ColorScale, diverging_scale, round_diverging_scale
from convdesigner.ui.views.deferred import NEW_FRAME, DeferredRendering, flushed
from convdesigner.ui.views.image_panel import HoverInfo, ImagePanel
from convdesigner.ui.views.mosaic import MAX_MOSAIC_PIXELS, build_mosaic, downsample_for_budget

#: The smallest a sub-kernel is drawn (screen pixels, its longer side), and a weight of it.
MIN_SUB_KERNEL_PIXELS = 24
MIN_WEIGHT_PIXELS = 4


def kernels_per_row(out_channels: int, in_per_group: int) -> int:
    """Columns of the kernel matrix: one per sub-kernel -- except when every kernel has a single
    sub-kernel (a first layer on grey digits, a depthwise convolution), where one column would
    be a tall strip showing a handful of kernels: then the kernels are wrapped into a grid about
    as wide as it is tall (64 kernels: 8 a row), the classic picture of a first layer's filters."""
    if in_per_group > 1 or out_channels <= 1:
        return in_per_group
    return math.ceil(math.sqrt(out_channels))


def _offset_label(column: int) -> str:
    return f"+{column}"


@dataclass(frozen=True)
class _RowStartLabel:
    """Labels the rows of a wrapped grid with the first kernel of each (0, 8, 16, …). A value
    that compares equal for equal grids, so that an axis given the same tiles again is not laid
    out again (see :meth:`TileAxis.set_tiles`)."""

    columns: int

    def __call__(self, row: int) -> str:
        return str(row * self.columns)


class DesignPanel(DeferredRendering, ImagePanel):
    """An :class:`ImagePanel` that draws something of the design itself (weights), not of a frame.

    It follows ``live.frameReady`` (keeping ``shown_frame``), the document's ``designChanged``
    (its ``last_valid_design``) and the selection, and redraws through :meth:`render_design` only
    when the design object or the selection changed.

    A hidden panel (a tab behind another, a closed dock) only records the design it owes and
    draws it when shown (:class:`~convdesigner.ui.views.deferred.DeferredRendering`): while
    training, each preview is a new design, and the kernel matrix, the selected kernel and the
    head view redrawing for nobody took CPU from the training. Accessors that read what is drawn
    are :func:`~convdesigner.ui.views.deferred.flushed`, so they answer for the newest design.
    """

    def __init__(self, document, selection, live=None, parent=None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.document = document
        self.selection = selection
        self.shown_frame = None
        self._shown_design: Design | None = None
        self._shown_state: tuple | None = None
        self._newest: Design | None = None   # the design to show: drawn, or owed while hidden
        self.render_count = 0
        if live is not None:
            live.frameReady.connect(self.show_frame)
        selection.changed.connect(self._selection_changed)
        document.designChanged.connect(self._design_changed)
        design = document.last_valid_design
        if design is not None:
            self.show_design(design)
        else:
            self.show_message(self.tr("The design is not valid yet: fix it to see its kernels."))

    def show_frame(self, frame) -> None:
        """Take a new frame: redraws only when it holds another design than the one shown."""
        self.shown_frame = frame
        if frame.design is not self._newest:
            self.show_design(frame.design)

    def _design_changed(self) -> None:
        design = self.document.last_valid_design
        if design is not None and design is not self._newest:
            self.show_design(design)
        elif design is None and self._newest is not None:
            # A new document with nothing valid to show: never the previous document's kernels.
            self._shown_design = self._newest = None
            self.show_message(self.tr("The design is not valid yet: fix it to see its kernels."))

    def _selection_changed(self) -> None:
        if self._newest is not None:
            self.show_design(self._newest)

    def _selection_state(self) -> tuple:
        s = self.selection
        return (s.layer, s.out_channel, s.sub_kernel)

    def show_design(self, design: Design) -> None:
        """Draw ``design`` now when the panel is visible, else when it is next shown."""
        self._newest = design
        self._owe_render(NEW_FRAME)

    def _render_now(self, new_frame: bool) -> None:
        design = self._newest
        if design is None:
            return
        state = self._selection_state()
        if design is self._shown_design and state == self._shown_state:
            return
        rebuild = (design is not self._shown_design or self._shown_state is None
                   or state[0] != self._shown_state[0])
        self._shown_design, self._shown_state = design, state
        self.render_count += 1
        self.render_design(design, rebuild)

    def selected_conv(self, design: Design) -> tuple[int, Conv2d] | str:
        """``(index, layer)`` of the selected Conv2d, or the message to show instead."""
        index = self.selection.layer
        if index < 0:
            return self.tr("The input has no kernels: select a Conv2d layer to see its weights.")
        if index >= len(design.layers):
            return self.tr("Select a Conv2d layer to see its weights.")
        layer = design.layers[index]
        if isinstance(layer, ConvTranspose2d):
            return translate("views",
                "{layer} is a transposed convolution: its sub-kernels, input channel by input "
                "channel, are in the tab \"How a transposed convolution is made\".").format(
                layer=layer_name(design, index))
        if isinstance(layer, Linear):
            # It has weights, just no kernels: never tell a learner it has none.
            return self.tr("{layer} has no kernels: it connects every input value to every "
                           "output, with a matrix of weights (outputs × inputs). For a classifier "
                           "head, the tab “What the classifier looks for” shows them as "
                           "pictures.").format(layer=layer_name(design, index))
        if isinstance(layer, BatchNorm2d):
            return self.tr("{layer} has no kernels: its weights are one scale and one shift per "
                           "channel. Select a Conv2d layer to see kernels.").format(
                layer=layer_name(design, index))
        if not isinstance(layer, Conv2d):
            return self.tr("{layer} has no kernels: only Conv2d layers have weights. Select a "
                           "Conv2d layer to see them.").format(layer=layer_name(design, index))
        if layer.weight is None:
            return self.tr("{layer} has no weights yet.").format(layer=layer_name(design, index))
        return index, layer

    def weight_scale(self, design: Design, weights: np.ndarray) -> ColorScale:
        """The diverging scale to draw ``design``'s ``weights`` on: ±max|w| for the document's own
        weights; for weights that are not the document's (a training preview, a snapshot being
        scrubbed) ±the next round number above, so the colours and the colour bar hold still while
        training changes every weight a little, and a kernel growing stronger looks stronger."""
        if design is self.document.last_valid_design:
            return diverging_scale(weights)
        return round_diverging_scale(weights)

    def render_design(self, design: Design, rebuild: bool) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class KernelMatrixView(DesignPanel):
    """Every kernel of the selected Conv2d: ``out_channels`` rows × ``in_per_group`` columns of
    ``kH×kW`` sub-kernels, one diverging scale for the whole layer.

    Accessors for tests: :meth:`displayed_weights`, :attr:`layout_`, :meth:`value_at_scene_pos`,
    :meth:`outline_rects`, :attr:`message`.
    """

    def __init__(self, document, selection, live=None, parent=None) -> None:
        self._weights: np.ndarray | None = None
        self._layer_index: int | None = None
        self._layer: Conv2d | None = None
        # Kernels a row when they are wrapped into a grid (one sub-kernel each), else None.
        self.wrapped_columns: int | None = None
        self._axis_titles: tuple[str, str] | None = None
        super().__init__(document, selection, live, parent, axes=True,
                         x_label=translate("KernelMatrixView", "input channel (sub-kernel)"),
                         y_label=translate("KernelMatrixView", "output channel (kernel)"),
                         scale_caption=translate("views", "weight"))
        self.tileClicked.connect(self._tile_clicked)
        self._visible_part: tuple[int, int, int, int] | None = None
        self.enable_readable_size(MIN_SUB_KERNEL_PIXELS, MIN_WEIGHT_PIXELS)
        self.view.sigRangeChanged.connect(self._range_changed)
        self.setToolTip(self.tr("Every weight of the selected Conv2d layer: one row per kernel "
                                "(output channel), one column per sub-kernel (input channel).\nClick "
                                "a sub-kernel to select it · wheel: zoom · drag: pan · double-click: "
                                "reset the view"))

    @flushed
    def displayed_weights(self) -> np.ndarray | None:
        """The weight array drawn, ``[out_channels, in_per_group, kH, kW]`` (None for a message)."""
        return self._weights

    def render_design(self, design: Design, rebuild: bool) -> None:
        found = self.selected_conv(design)
        if isinstance(found, str):
            self._weights, self._layer_index, self._layer = None, None, None
            self.set_title(self.tr("Kernels"))
            self.show_message(found)
            return
        index, layer = found
        weight = layer.weight
        out_channels, in_per_group, kh, kw = weight.shape
        if rebuild or self._weights is not weight or self.message is not None:
            gap = 0 if kh * kw == 1 else 1
            tiles = weight.reshape(out_channels * in_per_group, kh, kw)
            shown, step = downsample_for_budget(tiles, MAX_MOSAIC_PIXELS, gap)
            columns = kernels_per_row(out_channels, in_per_group)
            self.wrapped_columns = columns if columns != in_per_group else None
            mosaic = build_mosaic(shown, columns, gap, step=step, source_shape=(kh, kw))
            self._weights = weight      # focus_rect reads it while set_mosaic places the view
            self.set_mosaic(mosaic.image, mosaic.layout, self.weight_scale(design, weight))
            pitch_y, pitch_x = mosaic.layout.pitch
            th, tw = mosaic.layout.tile_shape
            if self.wrapped_columns is None:
                self.plot.getAxis("bottom").set_tiles(pitch_x, tw, in_per_group)
                self.plot.getAxis("left").set_tiles(pitch_y, th, out_channels)
                self._set_axis_titles(self.tr("input channel (sub-kernel)"),
                                      self.tr("output channel (kernel)"))
            else:
                # Kernel k sits in row k // columns, column k % columns: the rows say where
                # they start, the columns how far along (row 8, column +3: kernel 11).
                self.plot.getAxis("bottom").set_tiles(pitch_x, tw, columns, label=_offset_label)
                self.plot.getAxis("left").set_tiles(pitch_y, th, math.ceil(out_channels / columns),
                                                    label=_RowStartLabel(columns))
                self._set_axis_titles(self.tr("+ kernel (along the row)"),
                                      self.tr("kernels (first of the row)"))
            self._weights, self._layer_index, self._layer = weight, index, layer
        out_channel = min(self.selection.out_channel, out_channels - 1)
        sub_kernel = min(self.selection.sub_kernel, in_per_group - 1)
        layout = self.layout_
        height, width = layout.shape
        selected = layout.tile_rect(out_channel * in_per_group + sub_kernel)
        if self.wrapped_columns is None:
            row_y = layout.tile_origin(out_channel * in_per_group)[0]
            self.set_outlines([(0, row_y, width, layout.tile_shape[0]), selected])
        else:
            self.set_outlines([selected])     # the kernel is its one sub-kernel
        if self.shows_part():
            self.bring_into_view(QRectF(*selected))
        self._title_parts(design, index, layer, out_channel, sub_kernel)

    def _set_axis_titles(self, bottom: str, left: str) -> None:
        if self._axis_titles != (bottom, left):     # a new title lays the plot out again
            self._axis_titles = (bottom, left)
            self.plot.getAxis("bottom").setLabel(bottom)
            self.plot.getAxis("left").setLabel(left)

    def _title_parts(self, design: Design, index: int, layer: Conv2d, out_channel: int,
                     sub_kernel: int) -> None:
        layout = self.layout_
        if layout is None or self._weights is None:
            return
        out_channels, in_per_group, kh, kw = self._weights.shape
        parts = [self.tr("Weights of {layer}: {kernels} kernels × {sub_kernels} sub-kernels of {size} "
                         "· selected: kernel {kernel}, sub-kernel {sub_kernel}").format(
            layer=layer_name(design, index), kernels=out_channels, sub_kernels=in_per_group,
            size=shape_text((kh, kw)), kernel=out_channel, sub_kernel=sub_kernel)]
        if layer.groups > 1:
            channels = layer.input_channels_of(out_channel)
            parts.append(self.tr("groups={groups}: kernel {kernel} reads input channels "
                                 "{first}–{last}").format(groups=layer.groups, kernel=out_channel,
                                                           first=channels.start, last=channels.stop - 1))
        if self.wrapped_columns is not None:
            parts.append(self.tr("{columns} kernels a row").format(columns=self.wrapped_columns))
        if layout.step > 1:
            parts.append(self.tr("every {step}th weight drawn (hover reads them all)").format(
                step=layout.step))
        self._visible_part = self.visible_part()
        if self._visible_part is not None:
            first_row, last_row, first_col, last_col = self._visible_part
            if self.wrapped_columns is not None:
                parts.append(self.tr("shown: kernels {first}–{last} (drag to see the others)")
                             .format(first=first_row, last=last_row))
            else:
                parts.append(self.tr("shown: kernels {first}–{last}, sub-kernels "
                                     "{first_sub}–{last_sub} (drag to see the others)").format(
                    first=first_row, last=last_row, first_sub=first_col, last_sub=last_col))
        self.set_title(" · ".join(parts))

    def visible_part(self) -> tuple[int, int, int, int] | None:
        """``(first kernel, last kernel, first sub-kernel, last sub-kernel)`` wholly or partly in
        view, or None when every one is. (Kernels wrapped into a grid: from the first of the
        first row in view to the last of the last one, sub-kernels 0–0.)"""
        layout = self.layout_
        if layout is None or self._weights is None or self._image_shape is None:
            return None
        shown = self.view.viewRect()
        height, width = self._image_shape
        if shown.left() <= 0.5 and shown.top() <= 0.5 and shown.right() >= width - 0.5 \
                and shown.bottom() >= height - 0.5:
            return None
        pitch_y, pitch_x = layout.pitch
        kernels = self._weights.shape[0]
        wrap = self.wrapped_columns
        rows = math.ceil(kernels / wrap) if wrap is not None else kernels
        columns = wrap if wrap is not None else self._weights.shape[1]
        first_row = min(max(int(shown.top() // pitch_y), 0), rows - 1)
        last_row = min(max(int((shown.bottom() - 1) // pitch_y), first_row), rows - 1)
        first_col = min(max(int(shown.left() // pitch_x), 0), columns - 1)
        last_col = min(max(int((shown.right() - 1) // pitch_x), first_col), columns - 1)
        if wrap is not None:
            return first_row * wrap, min(last_row * wrap + wrap - 1, kernels - 1), 0, 0
        return first_row, last_row, first_col, last_col

    def focus_rect(self) -> QRectF:
        """The selected sub-kernel: the readable part of the layer is placed around it."""
        if self.layout_ is None or self._weights is None:
            return QRectF(0, 0, 1, 1)
        in_per_group = self._weights.shape[1]
        out_channel = min(self.selection.out_channel, self._weights.shape[0] - 1)
        sub_kernel = min(self.selection.sub_kernel, in_per_group - 1)
        return QRectF(*self.layout_.tile_rect(out_channel * in_per_group + sub_kernel))

    def _range_changed(self, *_args) -> None:
        if self._alive() and self._weights is not None and self.visible_part() != self._visible_part:
            design, found = self._shown_design, None
            if design is not None:
                found = self.selected_conv(design)
            if found is not None and not isinstance(found, str):
                index, layer = found
                self._title_parts(design, index, layer,
                                  min(self.selection.out_channel, self._weights.shape[0] - 1),
                                  min(self.selection.sub_kernel, self._weights.shape[1] - 1))

    def describe_tile(self, index: int, y: int, x: int) -> HoverInfo | None:
        if self._weights is None or self._layer is None:
            return None
        in_per_group = self._weights.shape[1]
        out_channel, sub_kernel = divmod(index, in_per_group)
        value = self._weights[out_channel, sub_kernel, y, x]
        if self._layer.groups > 1:
            prefix = self.tr("layer {layer} · kernel {kernel} · sub-kernel {sub_kernel} (input "
                             "channel {channel})").format(
                layer=self._layer_index, kernel=out_channel, sub_kernel=sub_kernel,
                channel=self._layer.input_channels_of(out_channel)[sub_kernel])
        else:
            prefix = self.tr("layer {layer} · kernel {kernel} · sub-kernel {sub_kernel}").format(
                layer=self._layer_index, kernel=out_channel, sub_kernel=sub_kernel)
        return HoverInfo(describe_value(prefix, y, x, value), float(value), index, y, x)

    def _tile_clicked(self, index: int, _y: int, _x: int) -> None:
        if self._weights is None:
            return
        out_channel, sub_kernel = divmod(index, self._weights.shape[1])
        self.selection.select(out_channel=out_channel, sub_kernel=sub_kernel)


__all__ = ["DesignPanel", "KernelMatrixView", "kernels_per_row"]
