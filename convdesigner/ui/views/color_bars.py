"""The colour bars beside an :class:`~convdesigner.ui.views.image_panel.ImagePanel`'s image: as
many as the panel asks for, each with its caption, colour map, levels and optional ticks, changed
only where they differ (re-laying a bar's axis out costs ~2 ms a frame)."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg

from convdesigner.ui.i18n import translate
from convdesigner.ui.views.theme import DIM_TEXT_COLOR, TEXT_COLOR
from convdesigner.ui.views.tile_items import cache_axis_drawing

#: The width pyqtgraph gives a colour bar's tick axis (``ColorBarItem``), at 1× text.
COLOR_BAR_AXIS_WIDTH = 45


class ColorBars:
    """The colour bars of one panel, placed in its layout on row ``row`` from column
    ``first_column`` on (one column each). ``bars`` is the list of ``pg.ColorBarItem``\\ s, in order.

    Call from the GUI thread only.
    """

    def __init__(self, layout, row: int = 1, first_column: int = 1) -> None:
        self._layout = layout           # a GraphicsLayoutWidget (addItem / removeItem)
        self._row = row
        self._first_column = first_column
        self.bars: list[pg.ColorBarItem] = []
        self._states: list[tuple | None] = []
        self._text = TEXT_COLOR
        self._dim = DIM_TEXT_COLOR
        self._text_scale = 1.0

    def set(self, bars: Sequence[tuple]) -> None:
        """Show these bars: ``(caption, scale)`` or ``(caption, scale, ticks)`` each (``ticks``:
        ``[(value, text)]``); bars beyond them are removed."""
        while len(self.bars) < len(bars):
            bar = pg.ColorBarItem(values=(0, 1), width=12, interactive=False, colorMapMenu=False)
            bar.axis.enableAutoSIPrefix(False)
            cache_axis_drawing(bar.axis)
            self._style(bar)
            bar.setToolTip(translate("ImagePanel", "Colour scale: the value each colour stands for"))
            self._layout.addItem(bar, row=self._row, col=self._first_column + len(self.bars))
            self.bars.append(bar)
            self._states.append(None)
        while len(self.bars) > len(bars):
            bar = self.bars.pop()
            self._states.pop()
            self._layout.removeItem(bar)
        for i, (bar, spec) in enumerate(zip(self.bars, bars, strict=True)):
            caption, scale = spec[0], spec[1]
            ticks = tuple(spec[2]) if len(spec) > 2 and spec[2] is not None else None
            # Any change re-lays the bar's axis out (~2 ms): touch only what differs. With the
            # live views' steady levels, a brush stroke's frame usually changes nothing here.
            state = (caption, scale.kind, tuple(scale.levels), ticks)
            if self._states[i] == state:
                continue
            old = self._states[i]
            self._states[i] = state
            if old is None or old[3] != ticks:
                bar.axis.setTicks(None if ticks is None else [list(ticks)])
            if old is None or old[1] != scale.kind:
                bar.setColorMap(scale.colormap)
            if old is None or old[0] != caption:
                _set_caption(bar.getAxis("left"), caption, self._text, self._text_scale)
            bar.setLevels(scale.levels)
            bar.setVisible(True)

    def _style(self, bar: pg.ColorBarItem) -> None:
        bar.axis.setTextPen(pg.mkPen(self._text))
        # pyqtgraph gives a colour bar's tick axis a fixed 45 px, and hides a label wider than
        # that: at 2× text (presentation) every negative label ("−0.4") was gone. The width, and
        # the number of ticks (picked by the bar's length alone), follow the text size.
        scale = max(self._text_scale, 1.0)
        bar.axis.setWidth(int(round(COLOR_BAR_AXIS_WIDTH * scale)))
        bar.axis.setTickDensity(1.0 / scale)
        for name in ("left", "right", "top", "bottom"):
            bar.getAxis(name).setPen(pg.mkPen(self._dim))

    def set_theme(self, theme) -> None:
        """Draw ticks and captions in ``theme``'s text colours."""
        self._text, self._dim = theme.text, theme.dim_text
        self._restyle()

    def set_text_scale(self, factor: float) -> None:
        """Ticks and captions ``factor`` times their size (UI zoom, presentation): they follow
        the application font, which the zoom scales; the captions are set anew to re-measure."""
        self._text_scale = factor
        self._restyle()

    def _restyle(self) -> None:
        for i, bar in enumerate(self.bars):
            self._style(bar)
            if self._states[i] is not None:
                _set_caption(bar.getAxis("left"), self._states[i][0], self._text, self._text_scale)

    def hide(self) -> None:
        """Hide every bar (a message is shown instead of a mosaic); the next :meth:`set` shows
        them again, afresh."""
        for i, bar in enumerate(self.bars):
            bar.hide()
            self._states[i] = None

    def levels(self) -> list[tuple[float, float]]:
        """The levels every bar shows, in order."""
        return [tuple(bar.levels()) for bar in self.bars]


#: Room around a colour bar's rotated caption (pixels). pyqtgraph places a left axis label 5 px
#: left of the axis and reserves 0.8 of its height: Latin text fits, but CJK glyphs fill the
#: whole line and lost their left half ("输出"). The margin moves the text inside the axis.
CAPTION_MARGIN = 8


def _set_caption(axis: pg.AxisItem, caption: str, color: str = TEXT_COLOR,
                 scale: float = 1.0) -> None:
    """Put ``caption`` on a colour bar's left axis so that every script is drawn whole."""
    if scale == 1.0:
        axis.setLabel(caption, color=color)
    else:   # the UI zoom: pyqtgraph's label has a size of its own
        axis.setLabel(caption, color=color, **{"font-size": f"{9 * scale:.1f}pt"})
    axis.label.document().setDocumentMargin(CAPTION_MARGIN)
    height = axis.label.boundingRect().height()
    # The text box starts 5 px left of the axis (pyqtgraph's nudge); the glyphs start a margin
    # later. Reserve the rest of the box, and a little air, as the axis' width.
    axis.setWidth(int(height - 5 + 2))
