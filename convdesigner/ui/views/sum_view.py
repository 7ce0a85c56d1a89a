"""How 64 maps become 128: one output channel of a Conv2d taken apart.

For the selected Conv2d and output channel ``o``, every input channel ``i`` of ``o``'s group gives
a triplet *input map i ⊛ sub-kernel (o, i) = partial map i*. The triplets are one mosaic (one
``ImageItem``): each kind is divided by its own ``max|v|`` so the three share one colour map, and
the three scales are drawn beside it. On the right, large: the sum of all partial maps, and that sum
plus the bias, which *is* feature map ``o`` (the convolution's output, before any activation).

The partial maps come with the frame (``frame.contributions``) when the frame was computed for this
channel; otherwise (right after a click) the view asks the live updater's worker for them (a
:class:`~convdesigner.ui.state.live.ChannelTarget`) and keeps showing what it showed until they
arrive. Nothing here runs PyTorch.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design.layers import Conv2d, ConvTranspose2d
from convdesigner.design.numbers import shape_text
from convdesigner.ui.i18n import translate
from convdesigner.ui.state.live import ChannelTarget
from convdesigner.ui.views.captions import describe_value, layer_name
from convdesigner.ui.views.colors import (
    ColorScale,
    StickyScale,
    format_level,
    format_value,
    symmetric_levels,
)
from convdesigner.ui.views.deferred import NEW_FRAME, NOTHING, SELECTION, DeferredRendering, flushed
from convdesigner.ui.views.image_panel import HoverInfo, ImagePanel
from convdesigner.ui.views.mosaic import (
    MAX_MOSAIC_PIXELS,
    build_mosaic,
    choose_columns,
    downsample_for_budget,
)
from convdesigner.ui.views.sum_parts import (
    FEW_TRIPLETS,
    MAX_TRIPLETS,
    TRIPLET_PIXELS,
    Explained,
    TripletGeometry,
    explain,
    layer_input_of,
    shown_order,
    triplet_geometry,
)
from convdesigner.ui.views.theme import DARK
from convdesigner.ui.views.tile_items import TileLabel
from convdesigner.ui.zoom import scaled_points, zoom_signals


class SumView(DeferredRendering, QWidget):
    """Output channel ``o`` of the selected Conv2d = Σ over its input channels (input map ⊛ its own
    sub-kernel) + bias.

    ``SumView(document, selection, live)``. Accessors for tests (raw values, as drawn):
    :meth:`displayed_channels`, :meth:`displayed_input_maps`, :meth:`displayed_sub_kernels`,
    :meth:`displayed_partial_maps` (the shown triplets, in shown order), :meth:`all_partial_maps`,
    :meth:`displayed_sum`, :meth:`displayed_bias`, :meth:`displayed_output`, :attr:`shown_frame`,
    :attr:`message`, :attr:`triplets` and :attr:`result` (the two :class:`ImagePanel`\\ s).
    ``live`` (the :class:`~convdesigner.ui.state.live.LiveUpdater`) brings the frames and computes
    the partial maps a frame does not carry.
    """

    def __init__(self, document, selection, live=None, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.selection = selection
        self._live = live
        self._asked: tuple[ChannelTarget, object, int, int] | None = None
        self.shown_frame = None
        self.message: str | None = None
        self._explained: Explained | None = None
        self._shown: np.ndarray = np.zeros(0, dtype=np.intp)
        self._geometry: TripletGeometry | None = None
        self._triplet_levels: dict[str, tuple[float, float]] = {}
        self._sticky: dict[str, StickyScale] = {}
        self._sticky_key: tuple | None = None
        self._scratch: dict = {}
        self.render_count = 0

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.order_box = QCheckBox(self.tr("Order by contribution"))
        self.order_box.setToolTip(self.tr("Put the input channels whose partial maps are largest "
                                          "(mean |value|) first. Channel numbers stay on every "
                                          "triplet."))
        self.order_box.toggled.connect(self._order_toggled)
        # By default only the few channels that contribute most, drawn large enough to read from
        # the back row; all of them are one click away.
        self.all_box = QCheckBox(self.tr("Show all"))
        self.all_box.setToolTip(self.tr("Draw the triplets of every input channel, not only the {few} "
                                        "that contribute most").format(few=FEW_TRIPLETS))
        self.all_box.toggled.connect(self._order_toggled)
        self.info = QLabel()
        self.info.setWordWrap(True)
        # Its numbers change with the data; a height that followed them would make the whole
        # window lay itself out again during a stroke (measured: 60 ms on the heavy design).
        self.info.setFixedHeight(3 * self.info.fontMetrics().lineSpacing() + 4)
        self.info.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.info.setToolTip(self.tr("Which input channels this output channel reads, and how many "
                                     "are drawn"))

        self.triplets = ImagePanel(describe_pixel=self._describe_triplet)
        self.triplets.labels.min_screen_pixels = 6.0
        self.triplets.labels.max_screen_pixels = 16.0
        self.triplets.tileClicked.connect(self._triplet_clicked)
        self.triplets.setToolTip(self.tr("For each input channel: its map ⊛ its own sub-kernel = its "
                                         "partial map. Each kind has its own colour scale.\nClick a "
                                         "triplet to select that sub-kernel · wheel: zoom · "
                                         "double-click: reset the view"))
        self.result = ImagePanel(scale_caption=translate("views", "value"),
                                 describe_tile=self._describe_result)
        self.result.setToolTip(self.tr("The sum of all partial maps, and that sum plus the bias: the "
                                       "output channel (before any activation)"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.triplets)
        splitter.addWidget(self.result)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([680, 300])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.message_label)

        controls = QHBoxLayout()
        controls.addWidget(self.all_box)
        controls.addWidget(self.order_box)
        controls.addWidget(self.info, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addLayout(controls)
        layout.addWidget(self.stack, 1)
        self.setAutoFillBackground(True)
        self._theme = DARK
        self._style()
        zoom_signals().changed.connect(self._style)
        # A QWidget subclass paints a style-sheet background only when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._show_message(translate("views", "Waiting for the first computed frame…"))

        if live is not None:
            live.frameReady.connect(self.show_frame)
            live.explained.connect(self._channel_explained)
        selection.changed.connect(self._selection_changed)

    def _style(self, *_args) -> None:
        """Colours and sizes of the view's own labels: its theme's, at the UI zoom."""
        text, background = self._theme.text, self._theme.background
        self.title.setStyleSheet(f"color: {text}; font-size: {scaled_points(12)}pt; padding: 2px;")
        self.order_box.setStyleSheet(f"color: {text};")
        self.all_box.setStyleSheet(f"color: {text};")
        self.info.setStyleSheet(f"color: {text};")
        self.info.setFixedHeight(3 * self.info.fontMetrics().lineSpacing() + 4)
        self.message_label.setStyleSheet(
            f"color: {text}; font-size: {scaled_points(13)}pt; padding: 24px;")
        self.setStyleSheet(f"SumView {{ background: {background}; }}")

    def set_presentation(self, on: bool, theme) -> None:
        """Presentation mode: ``theme``'s colours for the view's own labels."""
        self._theme = theme if on else DARK
        self._style()

    # -- accessors ------------------------------------------------------------------------------
    @flushed
    def displayed_channels(self) -> list[int]:
        """The input channel of each drawn triplet, in drawn order."""
        e = self._explained
        return [] if e is None else [e.channels[j] for j in self._shown]

    @flushed
    def displayed_input_maps(self) -> np.ndarray | None:
        e = self._explained
        return None if e is None else e.inputs[self._shown]

    @flushed
    def displayed_sub_kernels(self) -> np.ndarray | None:
        e = self._explained
        return None if e is None else e.kernels[self._shown]

    @flushed
    def displayed_partial_maps(self) -> np.ndarray | None:
        """The partial maps of the drawn triplets, raw, in drawn order ``[n_shown, Ho, Wo]``."""
        e = self._explained
        return None if e is None else e.partials[self._shown]

    @flushed
    def all_partial_maps(self) -> np.ndarray | None:
        """Every partial map of the output channel, in channel order (the Σ adds all of them)."""
        e = self._explained
        return None if e is None else e.partials

    @flushed
    def displayed_sum(self) -> np.ndarray | None:
        e = self._explained
        return None if e is None else e.total

    @flushed
    def displayed_bias(self) -> float | None:
        e = self._explained
        return None if e is None else e.bias

    @flushed
    def displayed_output(self) -> np.ndarray | None:
        e = self._explained
        return None if e is None else e.output

    @property
    def focus(self) -> tuple[int, int] | None:
        self.flush_render()
        e = self._explained
        return None if e is None else (e.layer_index, e.out_channel)

    @flushed
    def displayed_pixel_count(self) -> int:
        return self.triplets.displayed_pixel_count() + self.result.displayed_pixel_count()

    # -- input ----------------------------------------------------------------------------------
    def show_frame(self, frame) -> None:
        self.shown_frame = frame
        self._owe_render(NEW_FRAME)

    def show_not_computed(self, text: str) -> None:
        """Show ``text`` instead of partial maps: there is no frame of this document to show."""
        self.shown_frame = None
        self._owed = NOTHING
        self._asked = None
        self._show_message(text)

    def _selection_changed(self) -> None:
        if self.shown_frame is not None:
            self._owe_render(SELECTION)

    def _render_now(self, new_frame: bool) -> None:
        self._render(new_frame=new_frame)

    def _order_toggled(self, _checked: bool) -> None:
        if self._explained is not None:
            self._draw()

    def _show_message(self, text: str) -> None:
        self.message = text
        self._explained = None
        self._shown = np.zeros(0, dtype=np.intp)
        self.message_label.setText(html.escape(text))
        self.stack.setCurrentWidget(self.message_label)
        self.title.setText(self.tr("How an output channel is computed"))
        self.info.setText("")

    def _render(self, new_frame: bool) -> None:
        frame = self.shown_frame
        design = frame.design
        index = self.selection.layer
        if index < 0 or index >= len(frame.outputs):
            self._show_message(self.tr("Select a Conv2d layer to see how each of its output channels "
                                       "is computed from all of its input channels."))
            return
        layer = design.layers[index]
        if isinstance(layer, ConvTranspose2d):
            self._show_message(translate("views",
                "{layer} is a transposed convolution: the tab \"How a transposed convolution is "
                "made\" shows how its output channels are made.").format(
                layer=layer_name(design, index)))
            return
        if not isinstance(layer, Conv2d):
            self._show_message(self.tr(
                "{layer} is not a convolution: it works on every value on its own, with no sum over "
                "channels. Select a Conv2d layer to see how its output channels are made.").format(
                layer=layer_name(design, index)))
            return
        out_channel = min(max(self.selection.out_channel, 0), layer.out_channels - 1)
        e = self._explained
        if e is None or e.frame is not frame or (e.layer_index, e.out_channel) != (index, out_channel):
            found = frame.contributions
            if frame.focus == (index, out_channel) and found is not None \
                    and found.out_channel == out_channel:
                self._asked = None
                self._explained = explain(frame, index, out_channel, found, self._scratch)
                self._draw()
                return
            self._ask_worker(frame, index, out_channel)
            if e is not None and e.frame.design is design and e.layer_index == index:
                self._draw_outline()   # the last channel stays until the worker's answer
            else:
                self._show_message(self.tr("Computing output channel {channel} of layer {layer}…").format(
                    channel=out_channel, layer=index))
        else:
            self._draw_outline()

    def _ask_worker(self, frame, index: int, out_channel: int) -> None:
        """Ask the worker for the partial maps of ``out_channel`` of layer ``index`` in ``frame``
        (once per frame and channel; a newer question replaces an older one)."""
        asked = self._asked
        if asked is not None and asked[1:] == (frame, index, out_channel):
            return
        if self._live is None or not hasattr(self._live, "explain"):
            return
        target = ChannelTarget(frame.design, index, layer_input_of(frame, index), out_channel)
        self._asked = (target, frame, index, out_channel)
        self._live.explain(target)

    def _channel_explained(self, target, found, error: str) -> None:
        """The worker's answer (GUI thread): drawn if it is still the channel shown."""
        asked = self._asked
        if asked is None or target is not asked[0]:
            return
        self._asked = None
        _target, frame, index, out_channel = asked
        if frame is not self.shown_frame:
            return                # a newer frame came meanwhile (and asked anew if it needed to)
        if found is None:
            self._show_message(error)
            return
        self._explained = explain(frame, index, out_channel, found, self._scratch)
        self._draw()

    # -- drawing --------------------------------------------------------------------------------
    def _draw(self) -> None:
        e = self._explained
        self.render_count += 1
        self.message = None
        self.stack.setCurrentWidget(self.splitter)
        count = len(e.channels)
        self.all_box.setText(self.tr("Show all {count}").format(count=count))
        self.all_box.setVisible(count > FEW_TRIPLETS)
        every = self.all_box.isChecked() or count <= FEW_TRIPLETS
        self.order_box.setVisible(every and count > 1)
        self._shown = (shown_order(e.strengths, self.order_box.isChecked()) if every
                       else shown_order(e.strengths, True, limit=FEW_TRIPLETS))
        self._draw_triplets()
        self._draw_result()
        self._draw_texts()
        self._draw_outline()

    def _draw_triplets(self) -> None:
        e, shown = self._explained, self._shown
        geo = triplet_geometry(e.inputs.shape[1:], e.kernels.shape[1:], e.partials.shape[1:],
                                len(shown), TRIPLET_PIXELS)
        step, zoom = geo.step, geo.zoom
        # Only the shown, strided pixels are gathered (a view is strided first, then indexed).
        inputs = e.inputs[:, ::step, ::step][shown]
        partials = e.partials[:, ::step, ::step][shown]
        kernels = e.kernels[shown]
        self._geometry = geo
        key = (e.frame.design, e.layer_index, e.out_channel)
        old = self._sticky_key
        if old is None or old[0] is not key[0] or old[1:] != key[1:]:
            # A new design or another channel: the scales start afresh; during strokes they hold.
            self._sticky = {kind: StickyScale() for kind in ("input", "kernel", "partial", "result")}
            self._sticky_key = key
        levels = {"input": self._sticky["input"].update(e.input_peaks[shown], signed=True).levels,
                  "kernel": symmetric_levels(kernels),
                  "partial": self._sticky["partial"].update(e.partial_peaks[shown], signed=True).levels}
        self._triplet_levels = levels
        cells = np.full((len(shown), *geo.cell_shape), np.nan, dtype=np.float32)
        for (y, x, h, w), data, kind in ((geo.input_box, inputs, "input"),
                                         (geo.partial_box, partials, "partial")):
            cells[:, y:y + h, x:x + w] = data / np.float32(levels[kind][1])
        y, x, h, w = geo.kernel_box
        zoomed = np.repeat(np.repeat(kernels, zoom, axis=1), zoom, axis=2)
        cells[:, y:y + h, x:x + w] = zoomed / np.float32(levels["kernel"][1])
        cell_h, cell_w = geo.cell_shape
        gap = (max(1, round(0.08 * cell_h)), max(2, round(0.1 * cell_h)))
        columns = choose_columns(len(shown), geo.cell_shape, self._triplet_aspect(), gap)
        mosaic = build_mosaic(cells, columns, gap)
        unit = ColorScale("diverging", (-1.0, 1.0))
        ticks = [(-1.0, self.tr("most −")), (0.0, "0"), (1.0, self.tr("most +"))]
        self.triplets.set_mosaic(mosaic.image, mosaic.layout, unit,
                                 bars=[(self.tr("blue − · white 0 · red +"), unit, ticks)])
        labels = []
        layout = mosaic.layout
        body = cell_h - geo.band
        op_height = min(0.9 * geo.op_gap, 0.6 * body)
        for position, j in enumerate(shown):
            row, col = layout.tile_origin(position)
            labels.append(TileLabel(col, row + 0.95 * geo.band, 0.85 * geo.band,
                                    translate("views", "in {channel}").format(channel=e.channels[j]),
                                    "bottom-left"))
            middle = row + geo.band + body / 2
            for x, text in ((col + geo.input_box[3] + geo.op_gap / 2, "⊛"),
                            (col + geo.partial_box[1] - geo.op_gap / 2, "=")):
                labels.append(TileLabel(x, middle, op_height, text, "center", max_pixels=32))
        self.triplets.set_tile_labels(labels)
        count = len(e.channels)
        if len(shown) < count and not self.all_box.isChecked():
            what = self.tr("the {shown} of {count} input channels that contribute most").format(
                shown=len(shown), count=count)
        elif len(shown) < count:
            what = self.tr("the {shown} strongest of {count} input channels").format(
                shown=len(shown), count=count)
        elif count == 1:
            what = self.tr("all {count} input channel").format(count=count)
        else:
            what = self.tr("all {count} input channels").format(count=count)
        order = (self.tr("largest mean |partial| first")
                 if self.order_box.isChecked() or not self.all_box.isChecked()
                 else self.tr("in channel order"))
        scales = " · ".join(self.tr("{name} ±{level}").format(name=name, level=format_level(levels[kind][1]))
                            for name, kind in ((self.tr("input maps"), "input"),
                                               (self.tr("sub-kernels"), "kernel"),
                                               (self.tr("partial maps"), "partial")))
        self.triplets.set_title(self.tr("<b>input map ⊛ sub-kernel = partial map</b> · {what}, {order}"
                                        "<br>Colour: blue = negative, white = 0, red = positive. "
                                        "Not one shared scale: each kind has its own ({scales}), so "
                                        "compare colours within a kind only.").format(
            what=html.escape(what), order=html.escape(order), scales=html.escape(scales)), rich=True)

    def _triplet_aspect(self) -> float:
        """Width / height of the triplets' view, so the mosaic fills it (1.3 before it is laid out)."""
        size = self.triplets.view.size()
        if size.width() > 50 and size.height() > 50:
            return min(4.0, max(0.5, size.width() / size.height()))
        return 1.3

    def _draw_result(self) -> None:
        e = self._explained
        maps = np.stack([e.total, e.output])
        height, width = maps.shape[1:]
        band = max(2, round(0.22 * height))
        shown, step = downsample_for_budget(maps, MAX_MOSAIC_PIXELS // 4, 1, band)
        mosaic = build_mosaic(shown, 1, (max(1, round(0.05 * height)), 1), step=step,
                              source_shape=(height, width), band=band)
        scale = self._sticky["result"].update(e.total, e.output, signed=True)
        self.result.set_mosaic(mosaic.image, mosaic.layout, scale,
                               bars=[(self.tr("value (one scale for both)"), scale)])
        count = len(e.channels)
        sigma = _sigma_text(count)
        captions = [sigma, self.tr("+ bias = feature map {channel}").format(channel=e.out_channel)]
        labels = []
        shown_w = mosaic.layout.tile_shape[1]
        for tile, caption in enumerate(captions):
            row, col = mosaic.layout.tile_origin(tile)
            size = self.result.labels.fit_height(caption, shown_w, 0.75 * band)
            labels.append(TileLabel(col, row - 0.1 * band, size, caption, "bottom-left"))
        self.result.set_tile_labels(labels)
        self.result.set_title(self.tr("{sum} + bias {bias} = feature map {channel} (the convolution's "
                                      "output, before any activation)").format(
            sum=sigma, bias=format_value(e.bias), channel=e.out_channel))

    def _draw_texts(self) -> None:
        e = self._explained
        layer, count = e.layer, len(e.channels)
        kernel = shape_text(layer.kernel_size)
        title = (self.tr("<b>Output channel {channel} of layer {layer}</b> = Σ over {count} input "
                         "channel (input map ⊛ its own {kernel} sub-kernel) + bias") if count == 1
                 else self.tr("<b>Output channel {channel} of layer {layer}</b> = Σ over {count} input "
                              "channels (input map ⊛ its own {kernel} sub-kernel) + bias"))
        self.title.setText(title.format(channel=e.out_channel, layer=e.layer_index, count=count,
                                        kernel=kernel))
        notes = []
        if layer.groups > 1:
            group = e.channels[0] // max(layer.in_per_group, 1)
            notes.append(self.tr("groups={groups}: output channel {channel} is in group {group}, which "
                                 "reads input channels {first}–{last} only").format(
                groups=layer.groups, channel=e.out_channel, group=group, first=e.channels[0],
                last=e.channels[-1]))
        if len(self._shown) < count and not self.all_box.isChecked():
            notes.append(self.tr("showing the {shown} of {count} that contribute most (largest mean "
                                 "|partial map|); the Σ adds all of them").format(
                shown=len(self._shown), count=count))
        elif len(self._shown) < count:
            notes.append(self.tr("showing {shown} of {count} (the strongest: largest mean |partial "
                                 "map|); the Σ adds all of them").format(shown=len(self._shown), count=count))
        notes.append(self.tr("bias = {bias}").format(bias=format_value(e.bias)))
        self.info.setText(" · ".join(html.escape(n) for n in notes))

    def _draw_outline(self) -> None:
        e = self._explained
        layout = self.triplets.layout_
        if e is None or layout is None:
            return
        sub_kernel = self.selection.sub_kernel
        where = np.nonzero(self._shown == sub_kernel)[0]
        if len(where) and self._geometry is not None:
            # Around the triplet's pictures, below its label, so the channel number stays readable.
            x, y, w, h = layout.tile_rect(int(where[0]))
            band = self._geometry.band
            self.triplets.set_outlines([(x, y + band, w, h - band)])
        else:
            self.triplets.set_outlines([])

    # -- hover and clicks -----------------------------------------------------------------------
    def _describe_triplet(self, row: int, col: int) -> HoverInfo | None:
        e, geo, layout = self._explained, self._geometry, self.triplets.layout_
        if e is None or geo is None or layout is None:
            return None
        found = layout.locate(row, col)
        if found is None:
            return None
        position, cy, cx = found
        part = geo.which(cy, cx)
        if part is None:
            return None
        kind, y, x = part
        j = int(self._shown[position])
        channel = e.channels[j]
        if kind == "input":
            value = e.inputs[j, y, x]
            prefix = self.tr("input map {channel}").format(channel=channel)
        elif kind == "kernel":
            value = e.kernels[j, y, x]
            prefix = self.tr("layer {layer} · kernel {kernel} · sub-kernel {sub_kernel} (input channel "
                             "{channel})").format(layer=e.layer_index, kernel=e.out_channel,
                                                  sub_kernel=j, channel=channel)
        else:
            value = e.partials[j, y, x]
            prefix = self.tr("partial map of input channel {channel} (input map {channel} ⊛ "
                             "sub-kernel {sub_kernel})").format(channel=channel, sub_kernel=j)
        return HoverInfo(describe_value(prefix, y, x, value), float(value), position, y, x)

    def _describe_result(self, tile: int, y: int, x: int) -> HoverInfo | None:
        e = self._explained
        if e is None:
            return None
        if tile == 0:
            value = e.total[y, x]
            text = self.tr("{sum} (+ bias {bias} → {output})").format(
                sum=describe_value(_sigma_text(len(e.channels)), y, x, value),
                bias=format_value(e.bias), output=format_value(e.output[y, x]))
        else:
            value = e.output[y, x]
            text = describe_value(self.tr("feature map {channel} of layer {layer}").format(
                channel=e.out_channel, layer=e.layer_index), y, x, value)
        return HoverInfo(text, float(value), tile, y, x)

    def _triplet_clicked(self, position: int, _y: int, _x: int) -> None:
        if self._explained is not None and position < len(self._shown):
            self.selection.select(sub_kernel=int(self._shown[position]))


def _sigma_text(count: int) -> str:
    if count == 1:
        return translate("SumView", "Σ of the {count} partial map").format(count=count)
    return translate("SumView", "Σ of the {count} partial maps").format(count=count)


__all__ = ["SumView", "MAX_TRIPLETS"]
