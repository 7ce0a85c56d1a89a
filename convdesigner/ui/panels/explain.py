"""Explain a pixel: how one value of a Conv2d feature map was computed, term by term.

When the selection holds a pixel of a ``Conv2d`` layer's output channel, :class:`ExplainPanel`
asks the live updater's worker to open it up (a :class:`~convdesigner.ui.state.live.PixelTarget`,
answered with a :class:`~convdesigner.compute.explain.PixelExplanation`) on the last frame: for
each input channel of the channel's group, the patch under the kernel (padded cells hatched,
holding the value the padding mode puts there), ⊙ the sub-kernel, = the element-wise products, and
their sum Σ; then the bias and the total, which is checked against the value in the map, digit for
digit. The term rows are a :class:`~convdesigner.ui.panels.explain_terms.TermsView`.

The cells the pixel reads go into the window's :class:`~convdesigner.ui.state.highlight.Highlight`,
which the input canvas and the feature maps draw.

Threading: GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design.layers import Conv2d
from convdesigner.ui.panels.animation import KernelAnimation
from convdesigner.ui.panels.explain_terms import (
    COMPACT_DIGITS,
    TermsContent,
    TermsView,
    compact,
    f32,
)
from convdesigner.ui.state.highlight import Cell, Highlight
from convdesigner.ui.state.live import PixelTarget
from convdesigner.ui.state.selection import INPUT
from convdesigner.ui.widgets.cell_highlight import paint_padded

if TYPE_CHECKING:  # the worker computes explanations; here they are data
    from convdesigner.compute.explain import PixelExplanation

__all__ = ["COMPACT_DIGITS", "Cell", "ExplainPanel", "f32"]


def _no_negative_zero(values: np.ndarray) -> np.ndarray:
    return values + 0.0  # -0.0 + 0.0 == +0.0: a product of 0 and a negative weight shows "0"


# -- the panel -------------------------------------------------------------------------------------

class ExplainPanel(QWidget):
    """Opens up the selected pixel of a Conv2d output channel (a widget for a dock).

    ``ExplainPanel(document, selection, live, highlight)``: ``live`` is the
    :class:`~convdesigner.ui.state.live.LiveUpdater` (its ``frameReady`` feeds the panel frames,
    its :meth:`explain` computes the explanation off the GUI thread, its ``explained`` brings it
    back); ``highlight`` receives the cells the pixel reads and the hovered term's channel (one of
    the panel's own when not given). Signal: ``termHovered(int)`` -- the input channel of the term
    row under the mouse, -1 when none.
    """

    termHovered = Signal(int)

    def __init__(self, document: QObject, selection: QObject, live: QObject,
                 highlight: Highlight | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self._live = live
        self.highlight_state = highlight if highlight is not None else Highlight(self)
        self._frame = None
        self._key: tuple | None = None
        self._asked: tuple[PixelTarget, object, int, Conv2d] | None = None   # waiting for this
        self._shown_from: tuple[object, int, Conv2d] | None = None
        self._explanation: PixelExplanation | None = None
        self._conv: Conv2d | None = None
        self._map_size: tuple[int, int] | None = None
        self._hovered_channel = -1
        self._shown: tuple[int, int] | None = None
        self._displayed_value = ""
        self._displayed_total = ""
        self.setFocusPolicy(Qt.StrongFocus)
        self._build()
        selection.changed.connect(self.refresh)
        live.frameReady.connect(self.set_frame)
        live.explained.connect(self._explained)
        self.refresh()

    # -- widgets ------------------------------------------------------------------------------
    def _build(self) -> None:
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.9)

        def label(font: QFont | None = None, selectable: bool = False) -> QLabel:
            widget = QLabel()
            widget.setWordWrap(True)
            if font is not None:
                widget.setFont(font)
            if selectable:
                widget.setTextInteractionFlags(Qt.TextSelectableByMouse)
            widget.setFocusPolicy(Qt.NoFocus)
            return widget

        self.hint_label = label()
        self.hint_label.setAlignment(Qt.AlignCenter)
        self.hint_label.setText(self._hint_text())
        self.hint_label.setForegroundRole(QPalette.PlaceholderText)

        bold = QFont(self.font())
        bold.setBold(True)
        self.header_label = label(bold, selectable=True)
        self.reads_label = label(small)
        self.reads_label.setForegroundRole(QPalette.PlaceholderText)

        self.legend_swatch = QLabel()
        self.legend_swatch.setFixedSize(18, 14)
        self.legend_label = label(small)
        self.digits_box = QCheckBox(self.tr("All digits"))
        self.digits_box.setFont(small)
        self.digits_box.setFocusPolicy(Qt.TabFocus)
        self.digits_box.setToolTip(self.tr(
            "The grids show {digits} significant digits; tick to show every digit of each float32 "
            "value. Hover a cell for its exact value.").format(digits=COMPACT_DIGITS))
        self.digits_box.toggled.connect(self._digits_toggled)
        legend_row = QHBoxLayout()
        legend_row.setContentsMargins(0, 0, 0, 0)
        legend_row.addWidget(self.legend_swatch)
        legend_row.addWidget(self.legend_label, 1)
        legend_row.addWidget(self.digits_box)

        self.terms_view = TermsView()
        self.terms_view.hoveredRowChanged.connect(self._row_hovered)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setWidget(self.terms_view)
        self.scroll_area.setFocusPolicy(Qt.NoFocus)
        self.scroll_area.setFrameShape(QFrame.StyledPanel)
        self.scroll_area.viewport().installEventFilter(self)

        self.animation = KernelAnimation(self._selection)
        self.sigma_label = label(selectable=True)
        self.bias_label = label(selectable=True)
        self.total_label = label(bold, selectable=True)
        self.note_label = label(small)
        self.note_label.setForegroundRole(QPalette.PlaceholderText)
        self.keys_label = label(small)
        self.keys_label.setForegroundRole(QPalette.PlaceholderText)

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(3)
        content_layout.addWidget(self.header_label)
        content_layout.addWidget(self.reads_label)
        content_layout.addLayout(legend_row)
        content_layout.addWidget(self.animation, 3)
        content_layout.addWidget(self.scroll_area, 2)
        content_layout.addWidget(self.sigma_label)
        content_layout.addWidget(self.bias_label)
        content_layout.addWidget(self.total_label)
        content_layout.addWidget(self.note_label)
        content_layout.addWidget(self.keys_label)
        content_layout.addStretch(0)
        self.terms_view.contentHeightChanging.connect(self._fit_scroll_area)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.content, 1)
        self.content.hide()   # until a pixel is explained: the hint alone
        self._update_keys_hint()

    def sizeHint(self) -> QSize:
        return QSize(420, 600)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:   # the UI zoom: the smaller texts follow
            small = QFont(self.font())
            small.setPointSizeF(self.font().pointSizeF() * 0.9)
            bold = QFont(self.font())
            bold.setBold(True)
            for widget in (self.reads_label, self.legend_label, self.digits_box, self.note_label,
                           self.keys_label):
                widget.setFont(small)
            for widget in (self.header_label, self.total_label):
                widget.setFont(bold)

    def _fit_scroll_area(self, width: int, height: int) -> None:
        """A few rows need no more room than they take: the bias and total follow right below."""
        frame = 2 * self.scroll_area.frameWidth()
        sideways = width > self.scroll_area.viewport().width()
        scrollbar = self.scroll_area.horizontalScrollBar().sizeHint().height() if sideways else 0
        self.scroll_area.setMaximumHeight(max(height + frame + scrollbar, 40))
        self.content.layout().activate()   # now, so that no scroll bar flashes in between

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Resize:
            self.terms_view.relayout(self.scroll_area.viewport().width())
        return super().eventFilter(watched, event)

    # -- public API ---------------------------------------------------------------------------
    def set_frame(self, frame) -> None:
        """Explain from ``frame`` (a :class:`~convdesigner.ui.state.live.Frame`) from now on."""
        self._frame = frame
        self.refresh()

    def explanation(self) -> PixelExplanation | None:
        """The explanation shown, or None when the panel shows its hint."""
        return self._explanation

    def highlight(self) -> tuple[int, list[Cell]]:
        """``(source, cells)``: what the explained pixel reads.

        ``source`` is -1 when it reads the input image, else the index of the layer whose output
        map it reads. ``cells`` are ``(channel, row, col, padded)`` for every input channel of the
        group and every kernel position (with dilation they are ``dilation`` apart); padded cells
        have coordinates outside the map. Empty when nothing is explained.
        """
        state = self.highlight_state
        return state.source, list(state.cells)

    def hovered_channel(self) -> int:
        """The input channel of the term row under the mouse, or -1."""
        return self._hovered_channel

    def displayed_value(self) -> str:
        """The map value as the header shows it (``str(np.float32(v))``), or ``""``."""
        return self._displayed_value

    def displayed_total(self) -> str:
        """The total as the panel shows it (float32-rounded exact sum), or ``""``."""
        return self._displayed_total

    # -- computing ----------------------------------------------------------------------------
    def _target(self):
        """``(frame, layer, conv, out_channel, y, x)`` to explain, or None."""
        frame, selection = self._frame, self._selection
        if frame is None or selection.pixel is None:
            return None
        layer = selection.layer
        layers = frame.design.layers
        if not 0 <= layer < min(len(layers), len(frame.outputs)):
            return None
        conv = layers[layer]
        if not isinstance(conv, Conv2d):
            return None
        output = frame.outputs[layer]
        out_channel = selection.out_channel
        y, x = selection.pixel
        if not (0 <= out_channel < output.shape[0] and 0 <= y < output.shape[1]
                and 0 <= x < output.shape[2]):
            return None
        return frame, layer, conv, out_channel, int(y), int(x)

    def refresh(self) -> None:
        """Ask the worker for the current frame and selection's pixel (nothing when unchanged).

        What is shown stays until the answer arrives (:meth:`_explained`), so a click does not
        flash the hint; an answer for an older pixel or frame is ignored."""
        target = self._target()
        key = None if target is None else (id(target[0]), target[1], *target[3:])
        if key == self._key and (target is None or self._asked is not None
                                 or self._explanation is not None):
            return
        self._key = key
        if target is None:
            self._asked = None
            self._show_hint(None)
            return
        frame, layer, conv, out_channel, y, x = target
        layer_input = frame.image if layer == 0 else frame.outputs[layer - 1]
        asked = PixelTarget(frame.design, layer, layer_input, out_channel, y, x)
        self._asked = (asked, frame, layer, conv)
        self._live.explain(asked)

    def _explained(self, target, explanation, error: str) -> None:
        """The worker's answer (GUI thread); only the one for the pixel asked last is shown."""
        if self._asked is None or target is not self._asked[0]:
            return
        _target, frame, layer, conv = self._asked
        self._asked = None
        if explanation is None:
            self._show_hint(error)
        else:
            self._show(frame, layer, conv, explanation)

    def _show_hint(self, message: str | None) -> None:
        self._explanation = None
        self._shown_from = None
        self._conv = None
        self._shown = None
        self._map_size = None
        self._displayed_value = self._displayed_total = ""
        self.hint_label.setText(message or self._hint_text())
        self.hint_label.show()
        self.content.hide()
        self.terms_view.set_content(None)
        self.animation.clear()
        self.highlight_state.clear()
        self._update_keys_hint()

    def _hint_text(self) -> str:
        return self.tr("Click a pixel of a Conv2d feature map to see how it was computed")

    def _show(self, frame, layer: int, conv: Conv2d, explanation: PixelExplanation) -> None:
        shown_before, self._shown = self._shown, (layer, explanation.out_channel)
        self._shown_from = (frame, layer, conv)
        self._explanation = explanation
        self._conv = conv
        output = frame.outputs[layer]
        self._map_size = (int(output.shape[1]), int(output.shape[2]))
        o, y, x = explanation.out_channel, explanation.y, explanation.x
        value = output[o, y, x]
        self._displayed_value = f32(value)
        self.header_label.setText(self.tr(
            "Layer {layer}, output channel {channel}, pixel ({y}, {x}) = {value}").format(
            layer=layer, channel=o, y=y, x=x, value=self._displayed_value))
        self.header_label.setToolTip(conv.torch_repr())

        terms = explanation.terms
        first = terms[0]
        channels = [term.in_channel for term in terms]
        source = (self.tr("the input image") if layer == 0
                  else self.tr("the output of layer {index}").format(index=layer - 1))
        channel_text = (self.tr("channel {first}").format(first=channels[0]) if len(channels) == 1
                        else self.tr("channels {first}–{last}").format(first=channels[0],
                                                                        last=channels[-1]))
        self.reads_label.setText(self.tr("Reads {source}, {channels}, rows {rows}, columns {cols}")
                                 .format(source=source, channels=channel_text,
                                         rows=self._span(first.rows), cols=self._span(first.cols)))
        self.reads_label.setToolTip(conv.torch_repr())
        self._show_legend(conv, bool(first.padded.any()))

        content = self._format(layer, conv, explanation)
        self.terms_view.set_content(content)
        if shown_before != self._shown:   # another kernel: start from its first term
            self.scroll_area.verticalScrollBar().setValue(0)

        sigma = f32(sum(term.sum for term in terms))
        self.sigma_label.setText(
            self.tr("Σ = {sigma} (the sum of all {count} products)").format(
                sigma=sigma, count=sum(term.products.size for term in terms)) if len(terms) == 1
            else self.tr("Σ = {sigma} (the {count} partial sums above, added)").format(
                sigma=sigma, count=len(terms)))
        if conv.bias:
            self.bias_label.setText(self.tr("bias = {bias}").format(bias=f32(explanation.bias)))
        else:
            self.bias_label.setText(self.tr("bias = 0 (the layer has bias=False)"))
        self._show_total(frame, explanation, value)

        cells = [(term.in_channel, int(r), int(c), bool(first.padded[i, j]))
                 for term in terms
                 for i, r in enumerate(first.rows) for j, c in enumerate(first.cols)]
        self.highlight_state.set_cells(INPUT if layer == 0 else layer - 1, cells)
        self.hint_label.hide()
        self.content.show()
        self.animation.set_explanation(frame, layer, conv, explanation)
        self._update_keys_hint()

    def _span(self, coordinates: np.ndarray) -> str:
        """``-1…2``, or ``-1…3 in steps of 2`` with dilation."""
        first, last = int(coordinates[0]), int(coordinates[-1])
        if len(coordinates) == 1:
            return str(first)
        step = int(coordinates[1] - coordinates[0])
        if step == 1:
            return f"{first}…{last}"
        return self.tr("{first}…{last} in steps of {step}").format(first=first, last=last,
                                                                    step=step)

    def _show_total(self, frame, explanation: PixelExplanation, value: np.floating) -> None:
        total32 = np.float32(explanation.total)
        value32 = np.float32(value)
        self._displayed_total = f32(total32)
        if self._displayed_total == self._displayed_value:
            self.total_label.setText(self.tr("total = Σ + bias = {total} = the value in the map")
                                     .format(total=self._displayed_total))
            self.note_label.hide()
            return
        self.total_label.setText(self.tr(
            "total = Σ + bias = {total} ≈ {value}, the value in the map").format(
            total=self._displayed_total, value=self._displayed_value))
        difference = abs(float(total32) - float(value32))
        spacing = float(np.spacing(np.abs(value32))) or float(np.finfo(np.float32).tiny)
        ulps = int(round(difference / spacing))
        count = sum(term.products.size for term in explanation.terms)
        device = str(getattr(frame, "device", "cpu"))
        on_cpu = device.startswith("cpu")
        # What rounding can do to a sum of ``count`` terms: count × unit roundoff × Σ|terms|
        # (float32's 2^-24 on the CPU; TF32's 2^-11 on a GPU, which may use it for convolutions).
        magnitude = sum(float(np.abs(term.products).sum()) for term in explanation.terms)
        bound = (count + 1) * 2.0 ** (-24 if on_cpu else -11) * (magnitude + abs(explanation.bias))
        terms_text = (self.tr("the {count} products and the bias") if self._conv.bias
                      else self.tr("the {count} products")).format(count=count)
        note = self.tr(
            "PyTorch adds {terms} in float32, in its own order, rounding at every step; the total "
            "here is the exact sum, rounded once. They differ by {difference} ({ulps} in the last "
            "place):").format(terms=terms_text, difference=f"{difference:.3g}", ulps=ulps)
        if not on_cpu:
            note += " " + self.tr("the map was computed on {device}, whose convolutions may use "
                                  "reduced-precision (TF32) arithmetic;").format(device=device)
        if difference <= bound + spacing:
            note += " " + self.tr("that is rounding, not a mistake.")
        else:
            note += " " + self.tr("more than rounding explains. The map may have been computed "
                                  "from other values than these.")
        self.note_label.setText(note)
        self.note_label.show()

    def _show_legend(self, conv: Conv2d, padded_here: bool) -> None:
        mode = conv.padding_mode
        descriptions = {
            "zeros": self.tr("padding (zeros): cells outside the input count as 0"),
            "reflect": self.tr("padding (reflect): mirrored from inside the input, the edge "
                               "not repeated"),
            "replicate": self.tr("padding (replicate): the nearest edge value, repeated"),
            "circular": self.tr("padding (circular): wrapped around from the opposite edge"),
        }
        text = descriptions[mode]
        if not padded_here:
            (top, bottom), (left, right) = conv.padding_amounts()
            text = (self.tr("no padding under this pixel") if top or bottom or left or right
                    else self.tr("no padding in this layer"))
        self.legend_label.setText(text)
        pixmap = QPixmap(self.legend_swatch.size())
        pixmap.fill(self.palette().color(QPalette.Base))
        painter = QPainter(pixmap)
        if padded_here:
            paint_padded(painter, QRectF(pixmap.rect()), self.palette())
        painter.setPen(self.palette().color(QPalette.Mid))
        painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1))
        painter.end()
        self.legend_swatch.setPixmap(pixmap)
        self.legend_swatch.setVisible(padded_here)

    def _format(self, layer: int, conv: Conv2d, explanation: PixelExplanation) -> TermsContent:
        terms = explanation.terms
        first = terms[0]
        patches = np.stack([term.patch for term in terms])
        weights = np.stack([term.sub_kernel for term in terms])
        products = np.stack([term.products for term in terms])
        style = f32 if self.digits_box.isChecked() else compact

        def shown(values: np.ndarray) -> list[str]:
            # Products are shown as float32 like everything else (the tooltip has them exact).
            return [style(v) for v in _no_negative_zero(values.astype(np.float32)).ravel().tolist()]

        texts = tuple([shown(patches[n]), shown(weights[n]), shown(products[n])]
                      for n in range(len(terms)))
        sums = tuple(f32(term.sum) for term in terms)
        largest = float(np.max(np.abs(products))) if products.size else 0.0
        tints = products / largest if largest > 0 else np.zeros_like(products)
        return TermsContent(layer=layer, out_channel=explanation.out_channel,
                        in_channels=tuple(term.in_channel for term in terms),
                        kernel=conv.kernel_size, padded=first.padded, rows=first.rows,
                        cols=first.cols, patches=patches, weights=weights, products=products,
                        tints=tints, texts=texts, sums=sums, padding_mode=conv.padding_mode)

    def _digits_toggled(self, _checked: bool) -> None:
        if self._explanation is not None and self._shown_from is not None:
            self._show(*self._shown_from, self._explanation)   # the same numbers, formatted anew

    def _row_hovered(self, row: int) -> None:
        channel = -1
        if row >= 0 and self._explanation is not None and row < len(self._explanation.terms):
            channel = self._explanation.terms[row].in_channel
        if channel != self._hovered_channel:
            self._hovered_channel = channel
            self.highlight_state.set_hovered_channel(channel)
            self.termHovered.emit(channel)

    # -- keyboard -----------------------------------------------------------------------------
    _MOVES = {Qt.Key_Up: (-1, 0), Qt.Key_Down: (1, 0), Qt.Key_Left: (0, -1), Qt.Key_Right: (0, 1)}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        move = self._MOVES.get(Qt.Key(event.key()))
        if (move is None or self._explanation is None or self._map_size is None
                or event.modifiers() & ~Qt.KeypadModifier):
            super().keyPressEvent(event)
            return
        height, width = self._map_size
        y = min(max(self._explanation.y + move[0], 0), height - 1)
        x = min(max(self._explanation.x + move[1], 0), width - 1)
        self._selection.select(pixel=(y, x))
        event.accept()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self._update_keys_hint()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self._update_keys_hint()

    def _update_keys_hint(self) -> None:
        if self.hasFocus():
            self.keys_label.setText(self.tr("Arrow keys move the pixel"))
        else:
            self.keys_label.setText(self.tr("Click this panel, then use the arrow keys to move "
                                            "the pixel"))
