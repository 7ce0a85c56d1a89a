"""File ▸ Export Figure: the view the user last clicked, ready for a slide.

:class:`ClickedView` remembers which of the window's views was clicked last (the centre's tabs,
the feature maps, the explanation, the architecture, the input). :func:`export_slide_figure`
saves that view as PNG or SVG without UI chrome: on a light background by default, hover hints,
check boxes and buttons hidden, its titles, labels and colour bars kept. In SVG, text stays text
(Qt's SVG generator writes ``<text>``); the maps themselves stay bitmaps, pixel for pixel. The
architecture diagram uses its own clean export.

Threading: GUI thread only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QMessageBox,
    QSlider,
    QWidget,
)

from convdesigner.errors import ConvDesignerError
from convdesigner.ui.i18n import translate
from convdesigner.ui.views.theme import DARK, LIGHT, Theme


class ClickedView(QObject):
    """Watches mouse presses on the given views (and everything inside them); :attr:`view` is
    the last one pressed, else None."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view: QWidget | None = None
        self._owners: dict[QObject, QWidget] = {}

    def watch(self, view: QWidget) -> None:
        for widget in (view, *view.findChildren(QWidget)):
            if widget not in self._owners:
                self._owners[widget] = view
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.MouseButtonPress:
            owner = self._owners.get(watched)
            if owner is not None:
                self.view = owner
        return False


@contextlib.contextmanager
def slide_ready(view: QWidget, theme: Theme = LIGHT) -> Iterator[None]:
    """While inside: ``view`` drawn in ``theme``, without hover hints, buttons or check boxes
    (the look of a figure on a slide); everything is put back afterwards."""
    from convdesigner.ui.presentation import light_palette
    from convdesigner.ui.views.image_panel import ImagePanel
    widgets = [view, *view.findChildren(QWidget)]
    hidden = [w for w in widgets if isinstance(w, (QAbstractButton, QSlider)) and w.isVisible()]
    panels = [w for w in widgets if isinstance(w, ImagePanel)]
    hooks = [w for w in widgets if callable(getattr(w, "set_presentation", None))]
    saved_palette = view.palette()
    try:
        for widget in hidden:
            widget.hide()
        for panel in panels:
            panel.apply_theme(theme)
            panel.set_hints_shown(False)
        for widget in hooks:
            widget.set_presentation(True, theme)
        if theme.is_light:
            view.setPalette(light_palette())
        QApplication.processEvents()   # lay out without the hidden parts before drawing
        yield
    finally:
        for panel in panels:
            panel.apply_theme(DARK)
            panel.set_hints_shown(True)
        for widget in hooks:
            widget.set_presentation(False, DARK)
        view.setPalette(saved_palette)
        for widget in hidden:
            widget.show()


def export_slide_figure(parent: QWidget, view: QWidget, path: str | Path | None = None,
                        light: bool = True) -> bool:
    """Save ``view`` as a slide figure; asks for the file name unless ``path`` is given.
    Returns True when a file was written."""
    from convdesigner.ui.dialogs.figure import (
        DEFAULT_FIGURE_SCALE,
        FIGURE_FILTER_PNG,
        FIGURE_FILTER_SVG,
        export_view_image,
    )
    export_diagram = getattr(view, "export_png", None)
    if path is None:
        png_filter = translate("export_figure", FIGURE_FILTER_PNG)
        svg_filter = translate("export_figure", FIGURE_FILTER_SVG)
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            parent, translate("export_figure", "Export figure"), "figure.png",
            f"{png_filter};;{svg_filter}")
        if not chosen:
            return False
        if Path(chosen).suffix.lower() not in (".png", ".svg"):
            chosen += ".svg" if chosen_filter == svg_filter else ".png"
        path = chosen
    path = Path(path)
    try:
        if callable(export_diagram):   # the architecture diagram: its own clean export
            if path.suffix.lower() == ".svg":
                view.export_svg(path)
            else:
                export_diagram(path)
            return True
        flush_render = getattr(view, "flush_render", None)
        if callable(flush_render):     # a hidden view draws what it owes (views/deferred.py)
            flush_render()
        with slide_ready(view, LIGHT if light else DARK):
            export_view_image(view, path, DEFAULT_FIGURE_SCALE)
    except (ConvDesignerError, OSError) as error:
        QMessageBox.critical(parent, translate("export_figure", "Cannot export the figure"),
                             str(error))
        return False
    return True
