"""The window in a classroom: UI zoom, presentation mode, the first start, the layout, slide figures."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from convdesigner.data.mnist import bundled_digit
from convdesigner.design.examples import learner_design
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.presentation import MIN_PRESENTATION_POINTS
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings
from convdesigner.ui.zoom import ui_scale


def _window(qtbot, settings_path) -> MainWindow:
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(settings_path), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda window: window.document.undo_stack.setClean())
    main.resize(1280, 800)
    main.show()
    qtbot.waitUntil(lambda: main.live.idle and main.last_frame is not None, timeout=30000)
    return main


@pytest.fixture
def window(qtbot, tmp_path):
    main = _window(qtbot, tmp_path / "settings.ini")
    yield main
    main.document.undo_stack.setClean()
    main.close()


def _action(window: MainWindow, text: str):
    return next(a for menu in window.menuBar().actions() for a in menu.menu().actions()
                if a.text().replace("&", "") == text)


def test_ui_zoom_scales_the_fonts_is_saved_and_reset(qtbot, tmp_path) -> None:
    path = tmp_path / "settings.ini"
    window = _window(qtbot, path)
    base = QApplication.font().pointSizeF()
    zoom_in = _action(window, "Zoom In")
    assert "Ctrl+=" in [key.toString() for key in zoom_in.shortcuts()]
    zoom_in.trigger()
    zoom_in.trigger()
    assert ui_scale() == pytest.approx(1.25)
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.25)
    qtbot.waitUntil(lambda: window.explain_panel.terms_view._font.pointSizeF()
                    == pytest.approx(0.85 * base * 1.25))
    panel = window.feature_maps.panel
    assert panel.labels.max_screen_pixels == pytest.approx(15.0 * 1.25)
    window.document.undo_stack.setClean()
    window.close()
    assert QApplication.font().pointSizeF() == pytest.approx(base)   # a closed window leaves none
    again = _window(qtbot, path)                                      # the zoom was saved
    assert ui_scale() == pytest.approx(1.25)
    _action(again, "Actual Size").trigger()
    assert ui_scale() == 1.0 and QApplication.font().pointSizeF() == pytest.approx(base)
    again.document.undo_stack.setClean()
    again.close()


def test_a_wheel_zoom_survives_a_resize(window, qtbot) -> None:
    panel = window.feature_maps.panel
    panel.view.scaleBy((0.5, 0.5))
    panel.view.sigRangeChangedManually.emit(panel.view.state["mouseEnabled"])
    zoomed = panel.view.viewRange()
    window.resize(1500, 900)
    qtbot.waitUntil(lambda: window.feature_maps.width() > 700)
    window.resize(1280, 800)
    assert panel.user_zoomed
    assert panel.view.viewRange()[0][1] - panel.view.viewRange()[0][0] < 0.8 * (
        panel._image_shape[1])
    panel.reset_view()                      # a double-click: the whole mosaic again
    assert not panel.user_zoomed
    del zoomed


def test_presentation_shows_one_view_large_and_gives_it_back(window, qtbot) -> None:
    presentation = window.presentation
    assert window.presentation_action.shortcut().toString() == "F5"
    sum_view = window.sum_view
    tabs = window.views.count()
    window.presentation_action.trigger()
    assert presentation.active and presentation.key == "sum"
    screen = presentation.screen
    assert sum_view.window() is screen and window.views.count() == tabs - 1
    # Body text of a 1080-line screen at 18 pt (offscreen screens scale it by their height).
    lines = QApplication.primaryScreen().geometry().height()
    assert QApplication.font().pointSizeF() >= MIN_PRESENTATION_POINTS * min(lines / 1080, 1) - 0.1
    assert not sum_view.triplets.hover_label.isVisible()            # no hints on the projector
    assert sum_view.triplets.theme.is_light                           # the light theme by default
    # Another view: the first goes back to its tab.
    screen.chooser.setCurrentIndex(screen.chooser.findData("maps"))
    screen.chooser.activated.emit(screen.chooser.currentIndex())
    assert presentation.key == "maps" and window.feature_maps.window() is screen
    assert sum_view.window() is window and window.views.count() == tabs
    assert not window.feature_maps.scroll.isVisible()                # the strip is left out
    qtbot.keyClick(screen, Qt.Key_Escape)
    assert not presentation.active
    assert window.feature_maps.window() is window and window.docks["maps"].widget() is window.feature_maps
    assert window.feature_maps.scroll.isVisibleTo(window.feature_maps)
    assert not window.feature_maps.panel.theme.is_light and ui_scale() == 1.0


def test_first_start_opens_the_lesson_and_the_quick_start(window) -> None:
    assert window.lesson_panel.lesson is not None
    assert window.lesson_panel.lesson.key == "learner"
    assert "learner" in window.lesson_panel.text.text().lower()
    assert window.quick_start.isVisible()
    assert "Paint a digit" in window.quick_start.text.text()
    window.quick_start.button.click()
    assert not window.quick_start.isVisible() and window.settings.value("ui/quick_start_seen")
    _action(window, "Quick Start").trigger()
    assert window.quick_start.isVisible()


def test_reset_layout_and_a_squeezed_layout_is_not_saved(qtbot, tmp_path) -> None:
    path = tmp_path / "settings.ini"
    window = _window(qtbot, path)
    window.docks["explain"].hide()
    _action(window, "Reset Layout").trigger()
    assert window.docks["explain"].isVisible()
    window.resize(700, 500)                       # squeezed: its layout is not carried over
    qtbot.waitUntil(lambda: window.width() <= 800)
    assert window.layout_is_squeezed()
    window.document.undo_stack.setClean()
    window.close()
    assert AppSettings(path).value("window/state").isEmpty()


def test_export_figure_saves_the_view_clicked_last_slide_ready(window, qtbot, tmp_path) -> None:
    from convdesigner.ui.slide_figure import export_slide_figure
    maps = window.feature_maps.panel
    qtbot.mouseClick(maps.viewport(), Qt.LeftButton, pos=QPoint(10, 10))
    assert window.clicked_view.view is window.feature_maps
    png, svg = tmp_path / "maps.png", tmp_path / "maps.svg"
    assert export_slide_figure(window, window.clicked_view.view, png)
    image = QImage(str(png))
    assert image.width() >= 3 * window.feature_maps.panel.width()    # the strip is left out too
    assert image.pixelColor(2, 2).lightness() > 240                   # a light background
    assert export_slide_figure(window, window.clicked_view.view, svg)
    text = svg.read_text(encoding="utf-8")
    assert "<text" in text and "Layer 2" in text                      # text stays text
    assert "Hover" not in text                                       # no hover hint
    # Back as it was on screen.
    assert not maps.theme.is_light and maps.hover_label.isVisible()
    assert window.feature_maps.scroll.isVisible()


def _visible_dock_tab_bars(window):
    from PySide6.QtWidgets import QTabBar
    return [bar for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if bar.isVisible()]


def test_each_dock_group_has_one_working_tab_bar_at_1920x1080_also_after_reset(qtbot, tmp_path) -> None:
    # The dead bars Qt leaves behind (see test_dock_tabs) are hidden without hiding a live one.
    window = _window(qtbot, tmp_path / "settings.ini")
    window.resize(1920, 1080)
    groups = {frozenset({dock.windowTitle()} | {other.windowTitle() for other in window.tabifiedDockWidgets(dock)})
              for dock in window.docks.values() if window.tabifiedDockWidgets(dock)}
    assert {"Layer settings", "Lesson", "History"} <= max(groups, key=lambda group: "Lesson" in group)

    def one_bar_per_group() -> bool:
        titles = [{bar.tabText(i) for i in range(bar.count())} for bar in _visible_dock_tab_bars(window)]
        return sorted(map(sorted, titles)) == sorted(map(sorted, groups))

    qtbot.waitUntil(one_bar_per_group)
    for bar in _visible_dock_tab_bars(window):        # each flush under the docks it switches
        docks = [dock for dock in window.docks.values() if dock.windowTitle() == bar.tabText(bar.currentIndex())]
        assert docks and docks[0].geometry().left() == bar.geometry().left()
    _action(window, "Reset Layout").trigger()
    qtbot.waitUntil(one_bar_per_group)
    bar = next(bar for bar in _visible_dock_tab_bars(window)
               if "Lesson" in [bar.tabText(i) for i in range(bar.count())])
    bar.setCurrentIndex([bar.tabText(i) for i in range(bar.count())].index("Lesson"))   # it works
    qtbot.waitUntil(lambda: not window.docks["lesson"].visibleRegion().isEmpty()
                    and window.docks["editor"].visibleRegion().isEmpty())
    window.document.undo_stack.setClean()
    window.close()


def test_colour_bars_keep_their_negative_labels_at_presentation_size(qtbot) -> None:
    # pyqtgraph gives a colour bar's tick axis a fixed 45 px and hides a label wider than that:
    # at presentation size (18 pt, 2× text) every negative label ("−0.4") was gone.
    import pyqtgraph as pg
    from PySide6.QtGui import QFontMetrics

    from convdesigner.ui.views.color_bars import ColorBars
    from convdesigner.ui.views.colors import diverging_scale

    original = QApplication.font()
    font = QApplication.font()
    font.setPointSizeF(18)
    QApplication.setFont(font)
    try:
        widget = pg.GraphicsLayoutWidget()
        qtbot.addWidget(widget)
        bars = ColorBars(widget.ci, row=0, first_column=0)
        bars.set([("output", diverging_scale(np.array([-0.5, 0.5])))])
        bars.set_text_scale(2.0)
        axis = bars.bars[0].axis
        axis.setFont(font)
        widest = max(QFontMetrics(font).horizontalAdvance(text)
                     for text in axis.tickStrings([-0.5, -0.4, 0.4], 1, 0.1))
        offset = axis.style["tickTextOffset"][0] + max(axis.style["tickLength"], 0)
        assert axis.minimumWidth() >= widest + offset
    finally:
        QApplication.setFont(original)
