"""Presentation mode (View ▸ Presentation, F5): one view fills the screen, readable from the back row.

The chosen view is lent to a full-screen :class:`PresentationScreen` for as long as the mode lasts
(taken out of its tab or dock, and put back where it was on leaving): nothing is copied, so the
view keeps following the brush, the selection and the animation. While presenting, the UI zoom is
raised so that body text is at least :data:`MIN_PRESENTATION_POINTS` on a 1080-line screen,
the views' hover hints are hidden, and, by default, the views are drawn on a high-contrast light
theme. Esc (or F5 again) leaves.

A view may implement ``set_presentation(on: bool, theme: Theme)`` to rearrange itself (the feature
maps hide their layer strip, for instance); every :class:`ImagePanel` inside is re-themed here.

Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from convdesigner.ui.views.theme import DARK, LIGHT, Theme

#: Body text in presentation mode, in points at 1920×1080 (the zoom grows with taller screens).
MIN_PRESENTATION_POINTS = 18.0


@dataclass(frozen=True)
class PresentedView:
    """A view presentation mode can show: ``key`` (saved), its ``title`` and where it lives —
    a tab of ``tabs`` or the dock ``dock_key`` of the window."""

    key: str
    title: str
    widget: Callable[[], QWidget]
    tabs: QTabWidget | None = None
    dock_key: str | None = None


def light_palette() -> QPalette:
    """Black on white, strong accents: what a projector in a lit room still shows."""
    palette = QPalette()
    white, black = QColor("#ffffff"), QColor("#000000")
    for role, color in ((QPalette.Window, white), (QPalette.Base, white),
                        (QPalette.AlternateBase, QColor("#f0f0f0")), (QPalette.Button, QColor("#eeeeee")),
                        (QPalette.WindowText, black), (QPalette.Text, black),
                        (QPalette.ButtonText, black), (QPalette.PlaceholderText, QColor("#333333")),
                        (QPalette.Mid, QColor("#555555")), (QPalette.Highlight, QColor("#0047b3")),
                        (QPalette.HighlightedText, white), (QPalette.ToolTipBase, white),
                        (QPalette.ToolTipText, black)):
        palette.setColor(role, color)
    return palette


class PresentationScreen(QWidget):
    """The full-screen window: a header (the view's name, a chooser, the theme, how to leave)
    above the lent view."""

    leaveRequested = Signal()
    viewChosen = Signal(str)
    themeToggled = Signal(bool)

    def __init__(self, views: list[PresentedView], light: bool) -> None:
        super().__init__(None, Qt.Window)
        self.setWindowTitle(self.tr("ConvDesigner — presentation"))
        self.title = QLabel()
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        self.title.setFont(title_font)
        self.chooser = QComboBox()
        self.chooser.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        for view in views:
            self.chooser.addItem(view.title, view.key)
        self.chooser.setToolTip(self.tr("The view to show"))
        self.chooser.activated.connect(lambda _i: self.viewChosen.emit(self.chooser.currentData()))
        self.light_box = QCheckBox(self.tr("Light, high contrast"))
        self.light_box.setToolTip(self.tr("Black on white: easier to read on a projector in a lit "
                                          "room"))
        self.light_box.setChecked(light)
        self.light_box.toggled.connect(self.themeToggled)
        leave = QLabel(self.tr("Esc leaves"))
        header = QHBoxLayout()
        header.setContentsMargins(12, 6, 12, 6)
        header.addWidget(self.title, 1)
        header.addWidget(self.chooser)
        header.addWidget(self.light_box)
        header.addWidget(leave)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addLayout(self.body, 1)
        for key in (Qt.Key_Escape, Qt.Key_F5):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.WindowShortcut)
            shortcut.activated.connect(self.leaveRequested)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Escape, Qt.Key_F5):   # also before the window is active
            self.leaveRequested.emit()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.leaveRequested.emit()
        event.accept()


class Presentation(QObject):
    """Lends one view at a time to a :class:`PresentationScreen` and gives it back.

    ``Presentation(window, zoom, settings)``; :meth:`enter` (optionally with a view key),
    :meth:`leave`, :attr:`active`, :attr:`key` (the view shown), :attr:`screen`."""

    changed = Signal(bool)   # presenting or not

    def __init__(self, window, zoom, settings) -> None:
        super().__init__(window)
        self._window = window
        self._zoom = zoom
        self._settings = settings
        self.screen: PresentationScreen | None = None
        self.key: str | None = None
        self._lent: tuple[PresentedView, QWidget, int, QWidget | None] | None = None

    @property
    def active(self) -> bool:
        return self.screen is not None

    def views(self) -> list[PresentedView]:
        w = self._window

        def title(text: str) -> str:   # the window's own tab and dock titles, already translated
            return QCoreApplication.translate("MainWindow", text)
        return [
            PresentedView("sum", title("How a map is made"), lambda: w.sum_view, w.views),
            PresentedView("explain", title("Explain a pixel"), lambda: w.explain_panel,
                          dock_key="explain"),
            PresentedView("maps", title("Feature maps"), lambda: w.feature_maps, dock_key="maps"),
            PresentedView("selected", title("Selected kernel"), lambda: w.selected_kernel, w.views),
            PresentedView("kernels", title("All kernels"), lambda: w.kernel_matrix,
                          w.views),
            PresentedView("wiring", title("Channel wiring"), lambda: w.wiring, w.views),
            PresentedView("diagram", title("Architecture"), lambda: w.diagram, dock_key="diagram"),
            PresentedView("input", title("Input"), lambda: w.input_panel, dock_key="input"),
        ]

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self, key: str | None = None) -> None:
        """Show view ``key`` (else the one shown last time) full screen."""
        self._window._build_views()
        views = self.views()
        keys = [view.key for view in views]
        key = key or self._settings.value("ui/presentation_view")
        if key not in keys:
            key = keys[0]
        if self.screen is None:
            light = bool(self._settings.value("ui/presentation_light"))
            # The zoom first: the screen's own header is built at the presentation size.
            self._zoom.set_temporary(max(self._zoom.factor, self.presentation_zoom()))
            self.screen = PresentationScreen(views, light)
            self.screen.leaveRequested.connect(self.leave)
            self.screen.viewChosen.connect(self.show_view)
            self.screen.themeToggled.connect(self._theme_toggled)
            self._apply_palette()
            screen = self._window.screen() or QApplication.primaryScreen()
            if screen is not None:   # without a window manager, full screen alone may not size it
                self.screen.setGeometry(screen.geometry())
            self.screen.showFullScreen()
            self.changed.emit(True)
        self.show_view(key)

    def presentation_zoom(self) -> float:
        """The zoom that makes body text :data:`MIN_PRESENTATION_POINTS` on this screen, counted
        per 1080 lines (a 4K projector gets the same proportions as a 1080p one)."""
        base = self._zoom._base_points or 9.0
        screen = QApplication.primaryScreen()
        lines = screen.geometry().height() if screen is not None else 1080
        return MIN_PRESENTATION_POINTS / base * max(lines / 1080.0, 0.75)

    @property
    def theme(self) -> Theme:
        light = self.screen is not None and self.screen.light_box.isChecked()
        return LIGHT if light else DARK

    def show_view(self, key: str) -> None:
        if self.screen is None:
            return
        view = next(v for v in self.views() if v.key == key)
        self._give_back()
        widget = view.widget()
        if view.tabs is not None:
            index = view.tabs.indexOf(widget)
            tip = view.tabs.tabToolTip(index)
            was_current = view.tabs.currentIndex() == index
            view.tabs.removeTab(index)
            self._lent = (view, widget, index, None)
            self._tab_state = (tip, was_current)
        else:
            dock = self._window.docks[view.dock_key]
            holder = QLabel(self.tr("Shown in presentation mode (Esc leaves)"))
            holder.setAlignment(Qt.AlignCenter)
            holder.setEnabled(False)
            widget = dock.widget()
            dock.setWidget(holder)
            self._lent = (view, widget, -1, holder)
        self.screen.body.addWidget(widget, 1)
        widget.show()
        self.key = key
        self._settings.set_value("ui/presentation_view", key)
        self.screen.title.setText(view.title)
        self.screen.chooser.setCurrentIndex(self.screen.chooser.findData(key))
        self._theme_widget(widget, True)

    def _give_back(self) -> None:
        if self._lent is None:
            return
        view, widget, index, holder = self._lent
        self._lent = None
        self._theme_widget(widget, False)
        self.screen.body.removeWidget(widget)
        if view.tabs is not None:
            tip, was_current = self._tab_state
            index = view.tabs.insertTab(index, widget, view.title)
            view.tabs.setTabToolTip(index, tip)
            if was_current:
                view.tabs.setCurrentIndex(index)
        else:
            dock = self._window.docks[view.dock_key]
            dock.setWidget(widget)
            if holder is not None:
                holder.deleteLater()
        widget.show()

    def leave(self) -> None:
        """Give the view back and close the screen; the window is as it was."""
        if self.screen is None:
            return
        self._give_back()
        screen, self.screen = self.screen, None
        self._settings.set_value("ui/presentation_light", screen.light_box.isChecked())
        screen.blockSignals(True)
        screen.close()
        screen.deleteLater()
        self._zoom.clear_temporary()
        self.key = None
        self.changed.emit(False)
        self._window.activateWindow()

    def _theme_toggled(self, _light: bool) -> None:
        self._apply_palette()
        if self._lent is not None:
            self._theme_widget(self._lent[1], True)

    def _apply_palette(self) -> None:
        if self.screen is None:
            return
        light = self.screen.light_box.isChecked()
        self.screen.setPalette(light_palette() if light else QApplication.palette())
        self.screen.setAutoFillBackground(True)

    def _theme_widget(self, widget: QWidget, presenting: bool) -> None:
        from convdesigner.ui.views.image_panel import ImagePanel
        theme = self.theme if presenting else DARK
        candidates = [widget, *widget.findChildren(QWidget)]
        for child in candidates:
            if isinstance(child, ImagePanel):
                child.apply_theme(theme)
                child.set_hints_shown(not presenting)
                # Once laid out at its new size: the whole mosaic, as large as it goes.
                QTimer.singleShot(50, child.reset_view)
            hook = getattr(child, "set_presentation", None)
            if callable(hook):
                hook(presenting, theme)
