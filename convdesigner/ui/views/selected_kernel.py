"""The selected kernel drawn large: its ``in_per_group`` sub-kernels, one per input channel,
each labelled with the input channel it reads, on the layer's weight scale (the same colours as the
kernel matrix). A click selects a sub-kernel; the selected one is outlined.
"""

from __future__ import annotations

import numpy as np

from convdesigner.design.layers import Design
from convdesigner.design.numbers import shape_text
from convdesigner.ui.i18n import translate
from convdesigner.ui.views.captions import describe_value
from convdesigner.ui.views.colors import format_value
from convdesigner.ui.views.deferred import flushed
from convdesigner.ui.views.image_panel import HoverInfo
from convdesigner.ui.views.kernel_matrix import DesignPanel
from convdesigner.ui.views.mosaic import (
    MAX_MOSAIC_PIXELS,
    build_mosaic,
    choose_columns,
    downsample_for_budget,
)
from convdesigner.ui.views.tile_items import TileLabel


class SelectedKernelView(DesignPanel):
    """Kernel ``selection.out_channel`` of the selected Conv2d: a grid of its sub-kernels.

    Accessors for tests: :meth:`displayed_kernel` (``[in_per_group, kH, kW]``),
    :meth:`displayed_bias`, :meth:`displayed_channels`, :meth:`value_at_scene_pos`.
    """

    def __init__(self, document, selection, live=None, parent=None) -> None:
        self._kernel: np.ndarray | None = None
        self._bias: float | None = None
        self._channels: range | None = None
        self._where: tuple[int, int] | None = None
        super().__init__(document, selection, live, parent, scale_caption=translate("views", "weight"))
        self.labels.min_screen_pixels = 6.0
        self.tileClicked.connect(self._tile_clicked)
        self.setToolTip(self.tr("The selected kernel: one sub-kernel per input channel, labelled "
                                "with that channel's number.\nClick a sub-kernel to select it · "
                                "wheel: zoom · drag: pan · double-click: reset the view"))

    @flushed
    def displayed_kernel(self) -> np.ndarray | None:
        """``weight[out_channel]`` of the selected layer, ``[in_per_group, kH, kW]``."""
        return self._kernel

    @flushed
    def displayed_bias(self) -> float | None:
        return self._bias

    @flushed
    def displayed_channels(self) -> list[int]:
        """The input channel each shown sub-kernel reads, in tile order."""
        return [] if self._channels is None else list(self._channels)

    def render_design(self, design: Design, rebuild: bool) -> None:
        found = self.selected_conv(design)
        if isinstance(found, str):
            self._kernel = self._bias = self._channels = self._where = None
            self.set_title(self.tr("Selected kernel"))
            self.show_message(found)
            return
        index, layer = found
        weight = layer.weight
        out_channels, in_per_group, kh, kw = weight.shape
        out_channel = min(self.selection.out_channel, out_channels - 1)
        sub_kernel = min(self.selection.sub_kernel, in_per_group - 1)
        kernel = weight[out_channel]
        if kernel is not self._kernel or (index, out_channel) != self._where or self.message is not None:
            band = max(1, round(0.3 * kh))
            gap = (1, max(1, round(0.25 * kw)))
            shown, step = downsample_for_budget(kernel, MAX_MOSAIC_PIXELS, gap, band)
            columns = choose_columns(in_per_group, shown.shape[1:], 1.6, gap, band)
            mosaic = build_mosaic(shown, columns, gap, step=step, source_shape=(kh, kw), band=band)
            self.set_mosaic(mosaic.image, mosaic.layout, self.weight_scale(design, weight))
            self._channels = layer.input_channels_of(out_channel)
            labels = []
            width = mosaic.layout.pitch[1] * 0.95
            for j, channel in enumerate(self._channels):
                row, col = mosaic.layout.tile_origin(j)
                text = translate("views", "in {channel}").format(channel=channel)
                height = self.labels.fit_height(text, width, 0.9 * band)
                labels.append(TileLabel(col, row - 0.05 * band, height, text, "bottom-left"))
            self.set_tile_labels(labels)
            self._kernel, self._where = kernel, (index, out_channel)
            self._bias = float(layer.bias_values[out_channel]) if layer.bias else None
        self.set_outlines([self.layout_.tile_rect(sub_kernel)])
        bias = (self.tr("+ bias {bias}").format(bias=format_value(self._bias)) if self._bias is not None
                else self.tr("(no bias)"))
        if layer.groups > 1:
            reads = self.tr("(one per input channel of its group: channels {first}–{last})").format(
                first=self._channels.start, last=self._channels.stop - 1)
        else:
            reads = self.tr("(one per input channel)")
        title = (self.tr("Kernel {kernel} of layer {layer}: {count} sub-kernel of {size} {reads} {bias}")
                 if in_per_group == 1 else
                 self.tr("Kernel {kernel} of layer {layer}: {count} sub-kernels of {size} {reads} {bias}"))
        self.set_title(title.format(kernel=out_channel, layer=index, count=in_per_group,
                                    size=shape_text((kh, kw)), reads=reads, bias=bias))

    def describe_tile(self, index: int, y: int, x: int) -> HoverInfo | None:
        if self._kernel is None or self._where is None:
            return None
        layer_index, out_channel = self._where
        value = self._kernel[index, y, x]
        prefix = self.tr("layer {layer} · kernel {kernel} · sub-kernel {sub_kernel} (input channel "
                         "{channel})").format(layer=layer_index, kernel=out_channel, sub_kernel=index,
                                              channel=self._channels[index])
        return HoverInfo(describe_value(prefix, y, x, value), float(value), index, y, x)

    def _tile_clicked(self, index: int, _y: int, _x: int) -> None:
        if self._kernel is not None:
            self.selection.select(sub_kernel=index)


__all__ = ["SelectedKernelView"]
