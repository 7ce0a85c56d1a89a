"""Number fields for forms: spin boxes that commit on Enter / focus out / arrows (never per
keystroke), ignore the mouse wheel unless focused (scrolling a form never edits it), and a
height × width pair with a "square" toggle.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from convdesigner.ui.widgets.eliding import ElidingCheckBox


class _WheelGuard:
    """Mixin: ignore the mouse wheel unless the field has focus, so scrolling the panel never edits."""

    def wheelEvent(self, event) -> None:
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()


#: The largest number a QSpinBox holds (a C int).
INT32_MAX = 2**31 - 1


class SpinBox(_WheelGuard, QSpinBox):
    """A spin box that commits on Enter / focus out / arrows (no keyboard tracking) and can show a
    value outside its usual range (a design file may hold ``kernel_size=0``) without clamping it."""

    def __init__(self, minimum: int, maximum: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._range = (minimum, maximum)
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def show_value(self, value: int) -> None:
        """Display ``value`` (the caller blocks signals). A value beyond what a spin box holds
        (a design file's stride of 10²⁰) shows as the nearest it can hold; the layer's problem
        text gives the real number."""
        shown = min(max(value, -INT32_MAX), INT32_MAX)
        self.setRange(min(self._range[0], shown), max(self._range[1], shown))
        self.setValue(shown)


class DoubleSpinBox(_WheelGuard, QDoubleSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(4)
        self.setRange(-1000.0, 1000.0)
        self.setSingleStep(0.01)
        self.setKeyboardTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)


class ComboBox(_WheelGuard, QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class PairEditor(QWidget):
    """Two spin boxes (height, width) and a "square" toggle that keeps them equal.

    ``edited(height, width)`` is emitted once per user change (with "square" on, editing one value
    sets both and still emits once). :meth:`set_pair` shows a value without emitting.
    """

    edited = Signal(int, int)

    def __init__(self, minimum: int, maximum: int, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = SpinBox(minimum, maximum, self)
        self.second = SpinBox(minimum, maximum, self)
        self.first.setToolTip(self.tr("{tip}\nHeight (the first number).").format(tip=tooltip))
        self.second.setToolTip(self.tr("{tip}\nWidth (the second number).").format(tip=tooltip))
        self.link = ElidingCheckBox(self.tr("square"), self)
        self.link.setChecked(True)
        self.link.setToolTip(self.tr("Keep height and width equal: a change to one changes both."))
        times = QLabel("×", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.first)
        layout.addWidget(times)
        layout.addWidget(self.second)
        layout.addWidget(self.link)
        layout.addStretch(1)
        self.first.valueChanged.connect(self._on_first)
        self.second.valueChanged.connect(self._on_second)
        self.link.toggled.connect(self._on_link)

    def pair(self) -> tuple[int, int]:
        return (self.first.value(), self.second.value())

    def set_pair(self, pair: tuple[int, int]) -> None:
        for widget in (self.first, self.second, self.link):
            widget.blockSignals(True)
        try:
            self.first.show_value(pair[0])
            self.second.show_value(pair[1])
            if pair[0] != pair[1]:
                self.link.setChecked(False)
        finally:
            for widget in (self.first, self.second, self.link):
                widget.blockSignals(False)

    def _on_first(self, value: int) -> None:
        if self.link.isChecked() and self.second.value() != value:
            self.second.blockSignals(True)
            self.second.show_value(value)
            self.second.blockSignals(False)
        self.edited.emit(*self.pair())

    def _on_second(self, value: int) -> None:
        if self.link.isChecked() and self.first.value() != value:
            self.first.blockSignals(True)
            self.first.show_value(value)
            self.first.blockSignals(False)
        self.edited.emit(*self.pair())

    def _on_link(self, checked: bool) -> None:
        if checked and self.first.value() != self.second.value():
            self._on_first(self.first.value())
