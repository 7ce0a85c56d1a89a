"""A label whose text changes often (every frame) without making its window lay itself out again.

``QLabel.setText`` asks the parent for a new layout unless the label's size is fixed in *both*
directions (``QWidget::updateGeometry`` returns early only then), and a ``QStatusBar`` answers
every layout request by repainting itself whole, device box included: 1 ms of the GUI thread
per frame, 5 times a second while a model trains. :class:`SteadyLabel` fixes its size to fit the
widest text it expects, and fits again when its font changes (the UI zoom).

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """A one-line label sized for ``template``, the widest text it will show."""

    def __init__(self, template: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._template = template
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        chrome = 2 * self.margin() + 2 * self.frameWidth()
        self.setFixedSize(metrics.horizontalAdvance(self._template) + 12 + chrome
                          + margins.left() + margins.right(),
                          metrics.height() + 2 + chrome + margins.top() + margins.bottom())


__all__ = ["SteadyLabel"]
