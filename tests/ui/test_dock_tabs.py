"""Dead tab bars of Qt's dock layout are hidden; live ones never are."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabBar

from convdesigner.ui.widgets.dock_tabs import hide_stale_tab_bars


def _bars(window: QMainWindow) -> list[QTabBar]:
    return [bar for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if bar.isVisible()]


def _shown_bars(window: QMainWindow) -> list[list[str]]:
    return sorted([bar.tabText(i) for i in range(bar.count())] for bar in _bars(window))


def _window(qtbot) -> tuple[QMainWindow, dict[str, QDockWidget]]:
    # The main window's own sequence, in small: two groups tabified one after the other in a
    # nested column. Qt 6.11 leaves a second, dead "inputs | grid" bar behind.
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("centre"))
    window.setDockNestingEnabled(True)
    docks = {}
    for name in ("inputs", "explain", "edit", "grid"):
        docks[name] = QDockWidget(name)
        docks[name].setObjectName(name)
        docks[name].setWidget(QLabel(name))
        window.addDockWidget(Qt.RightDockWidgetArea, docks[name])
    window.splitDockWidget(docks["inputs"], docks["explain"], Qt.Vertical)
    window.tabifyDockWidget(docks["explain"], docks["edit"])
    window.tabifyDockWidget(docks["inputs"], docks["grid"])
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    return window, docks


def test_a_dead_bar_is_hidden_and_every_group_keeps_its_live_bar(qtbot) -> None:
    window, docks = _window(qtbot)
    assert _shown_bars(window).count(["inputs", "grid"]) == 2    # Qt's dead bar is there
    hidden = hide_stale_tab_bars(window, docks.values())
    assert len(hidden) == 1
    assert _shown_bars(window) == [["explain", "edit"], ["inputs", "grid"]]
    for bar in _bars(window):                     # the live bars still switch their docks
        bar.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not docks["edit"].visibleRegion().isEmpty()
                    and not docks["grid"].visibleRegion().isEmpty())


def test_nothing_is_hidden_when_no_bar_is_dead(qtbot) -> None:
    window, docks = _window(qtbot)
    hide_stale_tab_bars(window, docks.values())
    assert hide_stale_tab_bars(window, docks.values()) == []
    assert len(_bars(window)) == 2
