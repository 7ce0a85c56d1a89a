"""Tab bars that Qt's dock layout leaves behind, found and hidden.

Qt 6.11's ``QMainWindowLayout`` makes a new tab bar for a group of tabbed docks when a dock is
tabified next to another group (and more on ``restoreState``), and leaves the earlier bar shown
where it was. Inside a 1280×800 window the live docks happen to cover them; at 1920×1080 they show
as dead rows of tabs in the middle of the side columns ("Layer settings | Lesson" above the real
"Layer settings | Lesson | History"). Clicking them does nothing useful.

GUI thread only.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar


def _titles(bar: QTabBar) -> set[str]:
    return {bar.tabText(index) for index in range(bar.count())}


def _is_live(bar: QTabBar, docks: dict[str, QDockWidget]) -> bool:
    """A live bar sits flush with the docks it switches: as wide as they are, at their left edge."""
    geometry = bar.geometry()
    for title in _titles(bar):
        dock = docks.get(title)
        if dock is not None and dock.isVisible() and not dock.isFloating():
            area = dock.geometry()
            if area.left() == geometry.left() and area.width() == geometry.width():
                return True
    return False


def hide_stale_tab_bars(window: QMainWindow, docks: Iterable[QDockWidget]) -> list[QTabBar]:
    """Hide every tab bar of ``window``'s dock layout that no longer switches anything, and return
    them. A bar is hidden only when it is not flush with its docks *and* a live bar offers all of
    its tabs, so a group can never lose its only bar. Call it once the layout has its geometry
    (after the window is shown, after ``restoreState``)."""
    by_title = {dock.windowTitle(): dock for dock in docks}
    bars = [bar for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if not bar.isHidden() and bar.count() > 0]
    live = [bar for bar in bars if _is_live(bar, by_title)]
    stale = [bar for bar in bars if bar not in live
             and any(_titles(bar) <= _titles(other) for other in live)]
    for bar in stale:
        bar.hide()
    return stale
