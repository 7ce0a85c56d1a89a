"""UI zoom: one factor that scales every font of the window and the texts the views draw.

The factor is a saved setting (``ui/zoom``), changed with *View ▸ Zoom In / Zoom Out / Actual
Size* (``Ctrl+=``, ``Ctrl+−``, ``Ctrl+0``). Widgets follow the application font, which
:class:`UiZoom` scales; views that draw text in pixels (pyqtgraph labels, tile labels, painted
panels) read :func:`ui_scale` and listen to :func:`zoom_signals` ``.changed``. Presentation mode
raises the factor for as long as it lasts (:meth:`UiZoom.set_temporary`) without saving it.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

#: The factors Zoom In / Zoom Out step through.
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
MIN_ZOOM, MAX_ZOOM = ZOOM_STEPS[0], ZOOM_STEPS[-1]


class _ZoomSignals(QObject):
    changed = Signal(float)   # the new factor


_signals: _ZoomSignals | None = None
_scale = 1.0


def zoom_signals() -> _ZoomSignals:
    """The object whose ``changed(float)`` announces a new factor (one per process)."""
    global _signals
    if _signals is None:
        _signals = _ZoomSignals()
    return _signals


def ui_scale() -> float:
    """The factor in effect now (1.0 = the system's sizes)."""
    return _scale


def scaled_points(points: float) -> float:
    """``points`` at the current zoom, for style sheets and fonts set by hand."""
    return round(points * _scale, 1)


def scaled_font(points: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(scaled_points(points))
    font.setBold(bold)
    return font


class UiZoom(QObject):
    """The window's zoom: scales the application font from the size it had when created.

    ``UiZoom(settings)`` applies the saved factor at once. :attr:`factor` is the saved choice;
    :meth:`set_temporary` overrides what is shown (presentation mode) until
    :meth:`clear_temporary`."""

    def __init__(self, settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        app = QApplication.instance()
        self._base_font = QFont(app.font()) if app is not None else QFont()
        self._base_points = self._base_font.pointSizeF() if self._base_font.pointSizeF() > 0 else 9.0
        self.factor = _clamp(float(settings.value("ui/zoom")))
        self._temporary: float | None = None
        self._apply()

    def effective(self) -> float:
        return self._temporary if self._temporary is not None else self.factor

    def set_factor(self, factor: float) -> None:
        """Choose (and save) a zoom factor, clamped to :data:`ZOOM_STEPS`' range."""
        self.factor = _clamp(factor)
        self._settings.set_value("ui/zoom", self.factor)
        self._apply()

    def zoom_in(self) -> None:
        self.set_factor(next((step for step in ZOOM_STEPS if step > self.factor + 1e-6), MAX_ZOOM))

    def zoom_out(self) -> None:
        self.set_factor(next((step for step in reversed(ZOOM_STEPS) if step < self.factor - 1e-6),
                             MIN_ZOOM))

    def reset(self) -> None:
        self.set_factor(1.0)

    def set_temporary(self, factor: float) -> None:
        """Show ``factor`` without saving it (presentation mode)."""
        self._temporary = max(factor, MIN_ZOOM)
        self._apply()

    def clear_temporary(self) -> None:
        self._temporary = None
        self._apply()

    def _apply(self) -> None:
        global _scale
        factor = self.effective()
        app = QApplication.instance()
        if app is not None:
            font = QFont(self._base_font)
            font.setPointSizeF(self._base_points * factor)
            app.setFont(font)
        if abs(factor - _scale) > 1e-9:
            _scale = factor
            zoom_signals().changed.emit(factor)

    def close(self) -> None:
        """Back to the system's sizes (a window that goes away leaves no zoom behind)."""
        global _scale
        app = QApplication.instance()
        if app is not None:
            app.setFont(self._base_font)
        if _scale != 1.0:
            _scale = 1.0
            zoom_signals().changed.emit(1.0)


def _clamp(factor: float) -> float:
    return min(max(factor, MIN_ZOOM), MAX_ZOOM)
