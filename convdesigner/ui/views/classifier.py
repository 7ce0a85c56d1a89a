"""What a classifier makes of the input: the prediction chart and the head's weights.

* :class:`PredictionView` -- for any design whose output is 10 values: the softmax of those
  values (the class probabilities) as 10 bars, recomputed for every frame, so it follows every
  brush stroke (and, while training, the weights as they learn).
* :class:`HeadView` -- the weights of a ``Linear`` head that reads a flattened ``C×H×W``: each
  class's row of weights reshaped back to ``C×H×W``, one row of ``C`` maps per class, on one
  diverging scale: "what the classifier looks for in each map" (red: ink there raises that
  class's score, blue: lowers it).

Both only render what frames and the design give them. GUI thread only.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from convdesigner.data.training_data import probabilities
from convdesigner.design.analysis import analyze
from convdesigner.design.catalog import HEAD_CLASSES
from convdesigner.design.layers import Design, Dropout, Flatten, Linear
from convdesigner.design.numbers import shape_text
from convdesigner.ui.i18n import translate
from convdesigner.ui.views.captions import describe_value
from convdesigner.ui.views.deferred import flushed
from convdesigner.ui.views.image_panel import HoverInfo
from convdesigner.ui.views.kernel_matrix import DesignPanel
from convdesigner.ui.views.mosaic import MAX_MOSAIC_PIXELS, build_mosaic, downsample_for_budget
from convdesigner.ui.views.tile_items import cache_axis_drawing
from convdesigner.ui.widgets.steady_label import SteadyLabel

BAR_COLOR = "#4c72b0"
TOP_COLOR = "#dd8452"


class PredictionView(QWidget):
    """10 class probabilities of the current input as bars (see the module docstring).

    For tests: :attr:`shown` (the probabilities drawn, or None), :attr:`title` (a message when
    there is no answer), :attr:`answer` ("It thinks: …") and :attr:`render_count`.
    """

    def __init__(self, live, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: np.ndarray | None = None
        self.render_count = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 4, 6, 4)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 2)
        self.title.setFont(font)
        column.addWidget(self.title)
        # The answer changes with every frame: a label of fixed size, so that a new answer does
        # not lay the dock out again (measured: the dock's layout reloaded its title-bar icons).
        self.answer = SteadyLabel(self._answer_text(8, 1.0), self)
        self.answer.setFont(font)
        self.answer.hide()
        column.addWidget(self.answer)
        self.plot = pg.PlotWidget(self)
        self.plot.setBackground("w")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setYRange(0, 1, padding=0.02)
        self.plot.setXRange(-0.6, HEAD_CLASSES - 0.4, padding=0)
        self.plot.setLabel("left", self.tr("probability"))
        self.plot.setLabel("bottom", self.tr("digit"))
        self.plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(HEAD_CLASSES)]])
        self.plot.showGrid(y=True, alpha=0.25)
        cache_axis_drawing(self.plot.getAxis("left"), self.plot.getAxis("bottom"))
        self.bars = pg.BarGraphItem(x=np.arange(HEAD_CLASSES), height=np.zeros(HEAD_CLASSES),
                                    width=0.7, brushes=[BAR_COLOR] * HEAD_CLASSES)
        self.plot.addItem(self.bars)
        self.plot.setMinimumHeight(140)
        column.addWidget(self.plot, 1)
        self.setToolTip(self.tr("The network's answer for the input: the softmax of its 10 outputs, "
                                "one bar per digit. Paint and watch it change."))
        self._show_message(self.tr("Waiting for the first update…"))
        live.frameReady.connect(self.show_frame)

    def _answer_text(self, digit: int, probability: float) -> str:
        return self.tr("It thinks: {digit} ({percent:.1f} %)").format(
            digit=digit, percent=probability * 100)

    def _show_message(self, text: str) -> None:
        self.shown = None
        self.title.setText(text)
        self.answer.hide()
        self.title.show()
        self.bars.setOpts(height=np.zeros(HEAD_CLASSES))

    def show_frame(self, frame) -> None:
        self.render_count += 1
        scores = frame.outputs[-1] if frame.outputs else frame.image
        if scores.size != HEAD_CLASSES or scores.ndim != 1:
            self._show_message(self.tr("The output is {shape}, not 10 values: add a classifier head "
                                       "to see what the network thinks.").format(
                shape=shape_text(scores.shape, "spaced")))
            return
        values = probabilities(scores)
        best = int(np.argmax(values))
        brushes = [TOP_COLOR if i == best else BAR_COLOR for i in range(HEAD_CLASSES)]
        self.bars.setOpts(height=values, brushes=brushes)
        self.shown = values
        self.answer.setText(self._answer_text(best, float(values[best])))
        if self.answer.isHidden():
            self.title.hide()
            self.answer.show()


def head_maps_shape(design: Design) -> tuple[int, tuple[int, int, int]] | None:
    """``(index of the Linear, (C, H, W))`` when the design's last layer is a ``Linear`` that reads
    a ``Flatten``'s ``C×H×W`` (Dropouts may sit between them); else None."""
    if not design.layers or not isinstance(design.layers[-1], Linear):
        return None
    analysis = analyze(design)
    index = len(design.layers) - 1
    for before in range(index - 1, -1, -1):
        layer = design.layers[before]
        if isinstance(layer, Dropout):
            continue
        info = analysis.layers[before]
        if isinstance(layer, Flatten) and info is not None and len(info.in_shape) == 3:
            c, h, w = info.in_shape
            return index, (c, h, w)
        return None
    return None


class HeadView(DesignPanel):
    """The Linear head's weights per class, reshaped to the maps it reads (see the module
    docstring): rows are the classes 0–9, columns the channels."""

    def __init__(self, document, selection, live=None, parent=None) -> None:
        self._weights: np.ndarray | None = None
        self._index: int | None = None
        self._source: np.ndarray | None = None   # the Linear's weight the mosaic was built from
        super().__init__(document, selection, live, parent, axes=True,
                         x_label=translate("HeadView", "channel of the last maps"),
                         y_label=translate("HeadView", "class (digit)"),
                         scale_caption=translate("views", "weight"))
        self.setToolTip(self.tr("Each digit's Linear weights laid back onto the maps they read: "
                                "red where a high value raises that digit's score, blue where it "
                                "lowers it.\nwheel: zoom · drag: pan · double-click: reset the view"))

    @flushed
    def displayed_weights(self) -> np.ndarray | None:
        """``[classes, C, H, W]`` as drawn (None for a message)."""
        return self._weights

    def render_design(self, design: Design, rebuild: bool) -> None:
        found = head_maps_shape(design)
        layer = design.layers[found[0]] if found is not None else None
        if found is None or not isinstance(layer, Linear) or layer.weight is None:
            self._weights = self._index = None
            self.set_title(self.tr("What the classifier looks for"))
            self.show_message(self.tr("This view needs a classifier head: a Flatten of C×H×W maps "
                                      "followed by a Linear layer at the end (Add a classifier head)."))
            return
        index, (c, h, w) = found
        weights = layer.weight.reshape(layer.out_features, c, h, w)
        if rebuild or self._source is not layer.weight or self.message is not None:
            tiles = weights.reshape(layer.out_features * c, h, w)
            gap = 0 if h * w == 1 else 1
            shown, step = downsample_for_budget(tiles, MAX_MOSAIC_PIXELS, gap)
            mosaic = build_mosaic(shown, c, gap, step=step, source_shape=(h, w))
            self.set_mosaic(mosaic.image, mosaic.layout, self.weight_scale(design, weights))
            pitch_y, pitch_x = mosaic.layout.pitch
            th, tw = mosaic.layout.tile_shape
            self.plot.getAxis("bottom").set_tiles(pitch_x, tw, c)
            self.plot.getAxis("left").set_tiles(pitch_y, th, layer.out_features)
        self._weights, self._index, self._source = weights, index, layer.weight
        self.set_outlines([])
        self.set_title(self.tr("What the classifier looks for: layer {index}'s weights, one row per "
                               "class, each reshaped to the {maps} maps it reads").format(
            index=index, maps=shape_text((c, h, w))))

    def describe_tile(self, index: int, y: int, x: int) -> HoverInfo | None:
        if self._weights is None:
            return None
        channels = self._weights.shape[1]
        digit, channel = divmod(index, channels)
        value = self._weights[digit, channel, y, x]
        prefix = self.tr("class {digit} · channel {channel}").format(digit=digit, channel=channel)
        return HoverInfo(describe_value(prefix, y, x, value), float(value), index, y, x)


__all__ = ["HeadView", "PredictionView", "head_maps_shape"]
