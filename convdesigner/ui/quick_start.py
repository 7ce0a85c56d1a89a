"""The first-start overlay: "paint a digit here → watch these views", dismissible, and Help ▸ Quick
Start to show it again.

:class:`QuickStartOverlay` is a child of the main window drawn over its centre, next to the input
dock it points at; it follows the window's size and disappears for good with "Got it"
(``ui/quick_start_seen``).

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from convdesigner.ui.zoom import scaled_points, zoom_signals


class QuickStartOverlay(QFrame):
    """Three numbered steps in a yellow note, over the window, pointing right at the input."""

    dismissed = Signal()

    def __init__(self, window: QWidget, anchor: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._anchor = anchor           # the input dock: the note sits at its left, pointing at it
        self.setObjectName("quickStart")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.button = QPushButton(self.tr("Got it"))
        self.button.setToolTip(self.tr("Hide this note (Help ▸ Quick Start shows it again)"))
        self.button.clicked.connect(self.dismiss)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self._style()
        zoom_signals().changed.connect(self._style)
        self.hide()

    def _followed(self) -> list[QWidget]:
        """What moves the note: the window, the input dock and the centre (docks resized)."""
        window = self._window
        central = window.centralWidget() if isinstance(window, QMainWindow) else None
        return [w for w in (window, self._anchor, central) if w is not None]

    def _style(self, *_args) -> None:
        self.setStyleSheet(
            "QFrame#quickStart { background: #fff4c2; border: 2px solid #c79a00; border-radius: 8px; }"
            f"QFrame#quickStart QLabel {{ color: #1a1a1a; font-size: {scaled_points(12)}pt; }}")
        self.text.setText(self._html())
        self._place()

    def _html(self) -> str:
        steps = (
            self.tr("<b>Paint a digit</b> in the <b>Input</b> panel on the right (left button draws, "
                    "right button erases), or pick one under <b>MNIST digits</b>."),
            self.tr("<b>Watch</b> “How a map is made” here in the centre and the "
                    "<b>Feature maps</b> below follow your brush."),
            self.tr("<b>Click a pixel</b> of a feature map: <b>Explain a pixel</b> shows its "
                    "arithmetic, and <b>▶ Play</b> slides the kernel over the input."),
        )
        items = "".join(f"<li style='margin-bottom: 4px'>{step}</li>" for step in steps)
        keys = self.tr("F5: presentation mode · Ctrl+= / Ctrl+−: larger / smaller text")
        title = self.tr("Quick start")
        return (f"<p><b>{title}</b> &nbsp;→</p><ol style='margin-left: 12px'>"
                f"{items}</ol><p style='color: #444'>{keys}</p>")

    def show_over(self) -> None:
        """Show the note (Help ▸ Quick Start, or the first start)."""
        # Followed only while shown (eventFilter lets go once hidden): a Python event filter on
        # the window sees every event of it, each repaint included (15 a second while training).
        for widget in self._followed():
            widget.installEventFilter(self)
        self._place()
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _place(self) -> None:
        window = self._window
        width = min(int(440 * max(scaled_points(12) / 12, 1.0)), max(window.width() // 2, 280))
        self.setFixedWidth(width)
        # The wrapped text's height at this width (adjustSize can go by an older width).
        height = self.layout().totalHeightForWidth(width)
        if height > 0:
            self.setFixedHeight(height)
        else:
            self.adjustSize()
        anchor = self._anchor
        if anchor.isVisible() and not getattr(anchor, "isFloating", lambda: False)():
            top_left = anchor.mapTo(window, anchor.rect().topLeft())
            x = top_left.x() - width - 12
            y = top_left.y() + 30
        else:
            x, y = window.width() - width - 24, 80
        central = window.centralWidget() if isinstance(window, QMainWindow) else None
        if central is not None and central.isVisible():
            # At the foot of the centre, clear of the window's summary, the tabs and the view's
            # own title (two lines under the tabs): those say what the learner is looking at.
            area = central.geometry()
            tabs = central.findChild(QTabWidget)
            clear = area.top() + 4 * self.fontMetrics().height()
            if tabs is not None:
                bar = tabs.tabBar()
                clear = bar.mapTo(window, bar.rect().bottomLeft()).y() + 3 * bar.fontMetrics().height()
            y = max(area.bottom() - self.height() - 12, clear)
        self.move(max(x, 8), max(y, 8))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.isHidden():      # dismissed, or closed when training started
            watched.removeEventFilter(self)
        elif event.type() in (QEvent.Resize, QEvent.Move, QEvent.Show):
            self._place()
        return False
