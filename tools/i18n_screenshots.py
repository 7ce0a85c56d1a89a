"""Screenshots of the window and its panels in one language, and a report of texts that do not fit.

    python tools/i18n_screenshots.py zh_CN OUT_FOLDER     # Simplified Chinese
    python tools/i18n_screenshots.py pseudo OUT_FOLDER    # every text 50 % longer (⟦text···⟧)
    python tools/i18n_screenshots.py en OUT_FOLDER        # English, for comparison

Runs headless (Qt's offscreen platform). Chinese needs a CJK font installed (e.g. Debian's
``fonts-noto-cjk`` or ``fonts-wqy-microhei``); the app itself ships none and uses the system's.

Writes ``main-window.png`` (1280×800, the layer 2 of the learner's design selected, as
``convdesigner --screenshot`` shows it) and one picture per panel: the layer editor (Conv2d, pool
and input pages), the pixel explanation, the kernel editor, the digit browser, the lesson panel,
the channel wiring, the architecture diagram and the export dialog. Then it lists every label,
button, check box, combo box and tab whose text is cut off: a one-line text wider than its widget,
or a widget reaching past the visible width of the scroll area or window that holds it (texts
shortened with "…" on purpose, dock tabs and the eliding buttons, are listed as notes). Exit
status 1 when something is cut off.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's convdesigner


def _setup(language: str):
    if language == "pseudo":
        os.environ["CONVDESIGNER_PSEUDO_LOCALE"] = "1"
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ConvDesigner")
    from convdesigner.ui.i18n import install_translators
    install_translators(app, "en" if language == "pseudo" else language)
    return app


def clipped_widgets(root) -> tuple[list[str], list[str]]:
    """``(cut, elided)`` under ``root``: visible text widgets whose text is cut off (a one-line text
    wider than its widget, or a widget reaching past the visible width of its scroll area or
    window), and those that show their text shortened with "…" on purpose (tabs, the eliding
    buttons of :mod:`convdesigner.ui.widgets.eliding`), which is allowed."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractScrollArea,
        QComboBox,
        QDockWidget,
        QLabel,
        QTabBar,
        QToolButton,
        QWidget,
    )

    from convdesigner.ui.widgets.eliding import ElidingCheckBox, ElidingToolButton

    cut, elided = [], []

    def visible_columns(widget: QWidget) -> tuple[int, int]:
        """The columns of ``widget`` not hidden by its ancestors (left, right), in its own
        coordinates. Only the horizontal extent counts: scrolling up and down is fine."""
        left, right = 0, widget.width()
        child, parent, offset = widget, widget.parentWidget(), 0
        while parent is not None and not child.isWindow():
            offset += child.x()
            left, right = max(left, -offset), min(right, parent.width() - offset)
            child, parent = parent, parent.parentWidget()
        return left, right

    def behind_a_tab(widget: QWidget) -> bool:
        """Whether ``widget`` is in a dock that another dock's tab covers."""
        while widget is not None:
            if isinstance(widget, QDockWidget):
                return widget.visibleRegion().isEmpty()
            widget = widget.parentWidget()
        return False

    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1 or behind_a_tab(widget):
            continue
        text, needed = None, 0
        if isinstance(widget, QTabBar):
            for index in range(widget.count()):
                shown = widget.tabRect(index)
                if shown.width() and widget.tabSizeHint(index).width() > shown.width() + 1:
                    elided.append(f"tab elided: {widget.tabText(index)!r}")
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            text = widget.text()
            if not widget.wordWrap() and "\n" not in text and widget.textFormat() != 1:
                needed = widget.sizeHint().width()
        elif isinstance(widget, (ElidingCheckBox, ElidingToolButton)) and widget.text():
            text = widget.text()
            if widget.elided_text() != text:
                elided.append(f"{type(widget).__name__} elided: {text[:70]!r}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if isinstance(widget, QToolButton) and (
                    widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
                    and not widget.icon().isNull()):
                continue   # the text is the tooltip's
            text = widget.text()
            needed = widget.fontMetrics().horizontalAdvance(text.replace("&", "")) + 8
        elif isinstance(widget, QComboBox) and widget.currentText():
            text = widget.currentText()
            needed = widget.minimumSizeHint().width()
        if text is None:
            continue
        if needed > widget.width() + 1:
            cut.append(f"{type(widget).__name__} too narrow: {text[:70]!r} ({widget.width()} < {needed} px)")
            continue
        left, right = visible_columns(widget)
        shown = max(right - left, 0)
        if 0 < shown < widget.width() - 2 and widget.width() > 20:
            scroll = widget.parentWidget()
            while scroll is not None and not isinstance(scroll, QAbstractScrollArea):
                scroll = scroll.parentWidget()
            where = type(scroll).__name__ if scroll is not None else "window"
            cut.append(f"{type(widget).__name__} cut by its {where}: {text[:70]!r} "
                       f"(shows {shown} of {widget.width()} px)")
    return cut, elided


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("en", "zh_CN", "pseudo"):
        print(__doc__)
        return 2
    language, out = args[0], Path(args[1])
    out.mkdir(parents=True, exist_ok=True)
    app = _setup(language)

    from convdesigner.data.mnist import bundled_digit
    from convdesigner.design.examples import learner_design
    from convdesigner.design.layers import MaxPool2d
    from convdesigner.ui.main_window import MainWindow
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.settings import AppSettings

    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    window = MainWindow(document, AppSettings(os.devnull), device="cpu")
    window.resize(1280, 800)
    window.show()
    window.wait_for_frame()
    window.request_frame()
    window.wait_for_frame()
    app.processEvents()
    report: list[str] = []
    notes: list[str] = []

    from PySide6.QtWidgets import QScrollArea

    def shot(name: str, widget) -> None:
        app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))
        # A panel that scrolls: its whole content too, at the width it has.
        areas = [area for area in widget.findChildren(QScrollArea)
                 if area.widgetResizable() and area.isVisible() and area.widget() is not None
                 and area.widget().height() > area.viewport().height() + 4]
        if areas:
            areas[0].widget().grab().save(str(out / f"{name}-whole.png"))
        cut, elided = clipped_widgets(widget)
        report.extend(f"{name}: {line}" for line in cut)
        notes.extend(f"{name}: {line}" for line in elided)

    shot("main-window", window)
    docks = window.docks
    # The layer editor: Conv2d (layer 2), LeakyReLU (1), the input, and a pool.
    for name, layer in (("layer-editor-conv", 2), ("layer-editor-leaky", 1), ("layer-editor-input", -1)):
        window.selection.select(layer=layer)
        shot(name, docks["editor"])
    # The pixel explanation: a pixel of layer 2's channel 0.
    window.selection.select(layer=2, out_channel=0, sub_kernel=0)
    window.selection.select(pixel=(3, 4))      # a new layer clears the pixel: set it after
    window.request_frame()
    window.wait_for_frame()
    docks["explain"].raise_()
    shot("explain-panel", docks["explain"])
    docks["kernel_editor"].raise_()
    shot("kernel-editor", docks["kernel_editor"])
    docks["digits"].raise_()
    shot("digit-browser", docks["digits"])
    docks["grid"].raise_()
    shot("input-values", docks["grid"])
    docks["input"].raise_()
    for index in range(window.views.count()):
        window.views.setCurrentIndex(index)
        shot(f"centre-{index}", window.views)
    window.views.setCurrentIndex(0)
    docks["diagram"].raise_()
    shot("architecture", docks["diagram"])
    docks["maps"].raise_()
    from convdesigner.design.lessons import LESSONS
    window.open_lesson(LESSONS[1])       # LeNet-5: Tanh and AvgPool2d layers
    window.wait_for_frame()
    docks["lesson"].raise_()
    shot("lesson", docks["lesson"])
    window.selection.select(layer=2)
    docks["editor"].raise_()
    shot("layer-editor-pool", docks["editor"])
    shot("main-window-lenet", window)
    design = document.design.with_layer(2, MaxPool2d(3, padding=2))   # a problem, shown in red
    document.edit_design(design, "pool problem")
    shot("layer-editor-problem", docks["editor"])
    document.undo_stack.undo()

    from convdesigner.ui.dialogs.export import ExportCodeDialog
    dialog = ExportCodeDialog(document, window)
    dialog.show()
    shot("export-dialog", dialog)
    dialog.close()

    document.undo_stack.setClean()
    window.live.shutdown()
    for line in sorted(set(notes)):
        print(f"note: {line}")
    for line in sorted(set(report)):
        print(line)
    print(f"{len(set(report))} cut-off texts, {len(set(notes))} shortened with …; pictures in {out}")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
