"""What the user is looking at: the selected layer, output channel, sub-kernel and pixel.

Shared by every view, so that clicking a kernel in one view selects that channel everywhere.
Made with the document, it keeps itself inside the design: when an edit leaves fewer layers or
fewer channels, it moves to the nearest one that exists (before the views hear of the edit, as it
connects to ``designChanged`` first).
Threading: GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from convdesigner.design import Conv2d, ConvTranspose2d, Design

if TYPE_CHECKING:
    from convdesigner.ui.state.document import DesignDocument

INPUT = -1  # ``layer`` value meaning "the input" rather than a layer


class Selection(QObject):
    """``layer`` (index, or :data:`INPUT`), ``out_channel`` of that layer, ``sub_kernel`` (the
    position of an input channel within the selected kernel, 0 .. in_channels/groups − 1) and
    ``pixel`` ``(y, x)`` of the selected output map, or None."""

    changed = Signal()

    def __init__(self, document: DesignDocument | None = None, parent: QObject | None = None) -> None:
        """With ``document``, the selection follows its design changes (and starts inside it);
        without one (tests of a single view), it is only what ``select`` makes it."""
        super().__init__(parent)
        self.layer = INPUT
        self.out_channel = 0
        self.sub_kernel = 0
        self.pixel: tuple[int, int] | None = None
        self._document = document
        if document is not None:
            document.designChanged.connect(self._follow_design)

    def _follow_design(self) -> None:
        assert self._document is not None
        self._clamp_to(self._document.design)

    def select(self, layer: int | None = None, out_channel: int | None = None,
               sub_kernel: int | None = None, pixel: tuple[int, int] | None | bool = False) -> None:
        """Change any of the fields (``pixel=None`` clears the pixel; leaving it out keeps it)."""
        new = (self.layer if layer is None else layer,
               self.out_channel if out_channel is None else out_channel,
               self.sub_kernel if sub_kernel is None else sub_kernel,
               self.pixel if pixel is False else pixel)
        if layer is not None and layer != self.layer:
            new = (layer, new[1], new[2], None)
        if new != (self.layer, self.out_channel, self.sub_kernel, self.pixel):
            self.layer, self.out_channel, self.sub_kernel, self.pixel = new
            self.changed.emit()

    def _clamp_to(self, design: Design) -> None:
        """Keep the selection inside ``design`` after an edit (fewer layers, fewer channels)."""
        layer = min(self.layer, len(design.layers) - 1)
        out_channel, sub_kernel = self.out_channel, self.sub_kernel
        if layer >= 0:
            selected = design.layers[layer]
            if isinstance(selected, Conv2d):
                out_channel = min(out_channel, max(selected.out_channels - 1, 0))
                sub_kernel = min(sub_kernel, max(selected.in_per_group - 1, 0))
            elif isinstance(selected, ConvTranspose2d):
                out_channel = min(out_channel, max(selected.out_channels - 1, 0))
        new = (layer, max(out_channel, 0), max(sub_kernel, 0))
        if new != (self.layer, self.out_channel, self.sub_kernel):
            self.layer, self.out_channel, self.sub_kernel = new
            self.pixel = None
            self.changed.emit()

    def conv_focus(self, design: Design) -> tuple[int, int] | None:
        """``(layer, out_channel)`` when a Conv2d is selected, for the worker's partial maps."""
        if 0 <= self.layer < len(design.layers) and isinstance(design.layers[self.layer], Conv2d):
            layer = design.layers[self.layer]
            if self.out_channel < layer.out_channels:
                return (self.layer, self.out_channel)
        return None
