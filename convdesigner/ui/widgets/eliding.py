"""Buttons and check boxes that shorten their text with "…" instead of forcing a wide panel.

A translation can be half as long again as the English (and the pseudo-locale makes every text
so): a :class:`QCheckBox` or :class:`QToolButton` never shortens its text, so its minimum width
grows with it and a narrow dock ends up cut off or scrolling sideways. These subclasses ask for
room for the whole text (``sizeHint``) but accept less (``minimumSizeHint``): then they draw the
text elided, and their tooltip starts with the whole of it. ``text()`` is always the full text.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionToolButton,
    QStylePainter,
    QToolButton,
    QToolTip,
)

#: The text keeps at least this many characters' width before it is elided to nothing.
_MINIMUM_CHARACTERS = 4


class _Eliding:
    """Mixin for a QAbstractButton subclass; see the module docstring."""

    def _text_room(self) -> int:
        """Pixels the text may take at the widget's current width."""
        metrics = self.fontMetrics()  # type: ignore[attr-defined]
        chrome = super().sizeHint().width() - metrics.horizontalAdvance(self.text())  # type: ignore[misc]
        return self.width() - chrome  # type: ignore[attr-defined]

    def minimumSizeHint(self) -> QSize:
        full = super().sizeHint()  # type: ignore[misc]
        metrics = self.fontMetrics()  # type: ignore[attr-defined]
        text = metrics.horizontalAdvance(self.text())  # type: ignore[attr-defined]
        least = metrics.horizontalAdvance("M" * _MINIMUM_CHARACTERS)
        return QSize(full.width() - text + min(text, least), full.height())

    def elided_text(self) -> str:
        """The text as drawn now (the full text when it fits)."""
        text = self.text()  # type: ignore[attr-defined]
        if self.width() >= super().sizeHint().width():  # type: ignore[attr-defined, misc]
            return text
        return self.fontMetrics().elidedText(  # type: ignore[attr-defined]
            text, Qt.TextElideMode.ElideRight, max(self._text_room(), 0))

    def event(self, event) -> bool:
        text = self.text()  # type: ignore[attr-defined]
        if event.type() == QEvent.Type.ToolTip and self.elided_text() != text:
            # The text is cut short: the tooltip starts with the whole of it.
            tip = f"{text.replace('&', '')}\n\n{self.toolTip()}".strip()  # type: ignore[attr-defined]
            QToolTip.showText(event.globalPos(), tip, self)  # type: ignore[arg-type]
            return True
        return super().event(event)  # type: ignore[misc]


class ElidingCheckBox(_Eliding, QCheckBox):
    """A :class:`QCheckBox` that elides its text when its panel is too narrow."""

    def paintEvent(self, event) -> None:
        shown = self.elided_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = shown
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, option)


class ElidingToolButton(_Eliding, QToolButton):
    """A :class:`QToolButton` (text only) that elides its text when its panel is too narrow."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A tool button's width is fixed to its size hint by default: let it shrink.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, self.sizePolicy().verticalPolicy())

    def paintEvent(self, event) -> None:
        shown = self.elided_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        option.text = shown
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)


__all__ = ["ElidingCheckBox", "ElidingToolButton"]
