"""Exporting for teaching: the design as PyTorch code (with a live preview), and views as figures.

* :class:`ExportCodeDialog` -- a read-only, syntax-highlighted preview of exactly the code
  :func:`~convdesigner.compute.export.generate_code` writes for the document's design, following
  every edit; *Copy to clipboard*, *Save .py…* (atomic), and "also save the weights next to it
  (.pt)", which is forced on when the design's own weights are too many to write into the code.
* :func:`export_view_image` -- a widget or a pyqtgraph item as a PNG at slide resolution (3× by
  default) or as an SVG; :func:`export_figure` asks for the file name and picks by its suffix.

Which code: when every ``Conv2d`` of the design holds exactly the values PyTorch's default
initialisation draws under the design's seed (the document materializes them, so an untouched
design looks "explicit"), the code says ``torch.manual_seed(SEED)`` instead of listing them -- the
same numbers, bit for bit, in a file a student can read. Otherwise the design's own values are
written inline, or, when there are too many, loaded from a ``.pt`` file saved beside the code.

Threading: GUI thread only.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRectF, QSize
from PySide6.QtGui import (
    QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPalette, QRegion,
    QSyntaxHighlighter, QTextCharFormat, QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QGraphicsItem, QGraphicsScene, QLabel,
    QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from convdesigner.compute.export import MAX_INLINE_VALUES, generate_code, save_weights
from convdesigner.compute.files import atomic_output
from convdesigner.compute.weights import materialize
from convdesigner.design.io import write_text_atomically
from convdesigner.design.layers import Conv2d, Design
from convdesigner.errors import ConvDesignerError
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.widgets.busy import run_busy
from convdesigner.ui.i18n import QT_TRANSLATE_NOOP, translate

#: Designs with more parameter values than this are not checked for being "the seed's values"
#: (the check initialises every layer once more); their code lists or loads the values instead.
MAX_SEED_CHECK_VALUES = 2_000_000
#: How much larger than on screen a PNG figure is by default: sharp on a projector or a slide.
DEFAULT_FIGURE_SCALE = 3.0
FIGURE_FILTER_PNG = QT_TRANSLATE_NOOP("export_figure", "PNG image (*.png)")
FIGURE_FILTER_SVG = QT_TRANSLATE_NOOP("export_figure", "SVG drawing (*.svg)")


def _tr(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP in the context "export_figure", translated."""
    return translate("export_figure", text)


# -- which design, and how its parameters reach the code ------------------------------------------

def _parameter_values(design: Design) -> int:
    return sum(layer.weight.size + (layer.bias_values.size if layer.bias_values is not None else 0)
               for layer in design.layers if isinstance(layer, Conv2d) and layer.weight is not None)


def _without_parameters(design: Design) -> Design:
    return replace(design, layers=tuple(layer.without_parameters() if isinstance(layer, Conv2d)
                                        else layer for layer in design.layers))


def code_design(design: Design) -> Design:
    """The design to write as code: ``design`` without its parameters when they are exactly the
    seed's default initialisation (so the code can say ``torch.manual_seed(SEED)``), else itself."""
    if not design.conv_indices() or _parameter_values(design) > MAX_SEED_CHECK_VALUES:
        return design
    bare = _without_parameters(design)
    try:
        seeded = materialize(bare)
    except ConvDesignerError:
        return design
    return bare if seeded.same_parameters(materialize(design)) else design


def inline_values(design: Design) -> int:
    """How many explicit parameter values :func:`generate_code` would write into the code."""
    return _parameter_values(design)


# -- syntax highlighting ---------------------------------------------------------------------------

class PythonHighlighter(QSyntaxHighlighter):
    """Keywords, strings (also triple-quoted over several lines), comments and numbers."""

    _TOKEN = re.compile(
        r'(?P<triple>"""|\'\'\')'
        r'|(?P<string>"(?:[^"\\]|\\.)*"?|\'(?:[^\'\\]|\\.)*\'?)'
        r'|(?P<comment>#.*)'
        r'|(?P<number>(?<![\w.])(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[jJ]?)'
        r'|(?P<word>[A-Za-z_]\w*)')
    _IN_TRIPLE = {'"""': 1, "'''": 2}

    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        colours = ({"keyword": "#c792ea", "string": "#c3e88d", "comment": "#9aa5b1",
                    "number": "#f78c6c", "builtin": "#82aaff"} if dark else
                   {"keyword": "#0033b3", "string": "#067d17", "comment": "#6a737d",
                    "number": "#a3470a", "builtin": "#7a3e9d"})
        self.formats: dict[str, QTextCharFormat] = {}
        for name, colour in colours.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name == "keyword":
                fmt.setFontWeight(QFont.Weight.Bold)
            if name == "comment":
                fmt.setFontItalic(True)
            self.formats[name] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.setCurrentBlockState(0)
        position = 0
        state = self.previousBlockState()
        if state in (1, 2):
            quote = '"""' if state == 1 else "'''"
            end = text.find(quote)
            if end < 0:
                self.setFormat(0, len(text), self.formats["string"])
                self.setCurrentBlockState(state)
                return
            self.setFormat(0, end + 3, self.formats["string"])
            position = end + 3
        while position < len(text):
            found = self._TOKEN.search(text, position)
            if found is None:
                break
            kind, start = found.lastgroup, found.start()
            position = found.end()
            if kind == "triple":
                end = text.find(found.group(), position)
                if end < 0:
                    self.setFormat(start, len(text) - start, self.formats["string"])
                    self.setCurrentBlockState(self._IN_TRIPLE[found.group()])
                    return
                position = end + 3
                self.setFormat(start, position - start, self.formats["string"])
            elif kind in ("string", "comment", "number"):
                self.setFormat(start, position - start, self.formats[kind])
            elif kind == "word":
                word = found.group()
                if keyword.iskeyword(word) or word in ("self",):
                    self.setFormat(start, position - start, self.formats["keyword"])
                elif word in ("torch", "nn", "print", "tuple", "str"):
                    self.setFormat(start, position - start, self.formats["builtin"])


# -- the dialog ------------------------------------------------------------------------------------

class ExportCodeDialog(QDialog):
    """A live preview of the PyTorch code for ``document``'s design, with Copy and Save.

    The preview shows the last valid design (an invalid one cannot be exported) and follows
    ``document.designChanged``. :meth:`code` is the text shown; :meth:`save` writes it.
    """

    def __init__(self, document: DesignDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(self.tr("Export PyTorch Code"))
        self.setObjectName("exportCodeDialog")
        self._forced = False
        self._user_wants_weights = False
        self._design: Design | None = None      # the design the preview shows (last valid)
        self._code_design: Design | None = None  # the same, bare when the seed reproduces it
        self._cache_key: object = None
        self.saved_path: Path | None = None

        self.intro = QLabel(self.tr(
            "A self-contained Python file: <code>build_model()</code> returns the design as "
            "<code>nn.Sequential</code> with exactly the weights shown in ConvDesigner."))
        self.intro.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("codePreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)
        self.preview.setFont(font)
        self.preview.setToolTip(self.tr("The code that will be saved or copied (read-only)"))
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.highlighter = PythonHighlighter(self.preview.document(), dark)

        self.weights_box = QCheckBox(self.tr("Also save the weights next to it (.pt)"))
        self.weights_box.setToolTip(self.tr(
            "Save the parameters as a state_dict file beside the .py file; the code loads it with "
            "torch.load(..., weights_only=True)"))
        self.weights_box.toggled.connect(self._weights_toggled)
        self.note = QLabel()
        self.note.setObjectName("exportNote")
        self.note.setWordWrap(True)
        self.note.setVisible(False)

        self.copy_button = QPushButton(self.tr("Copy to Clipboard"))
        self.copy_button.setToolTip(self.tr("Copy the code, to paste it into a notebook"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.save_button = QPushButton(self.tr("Save .py…"))
        self.save_button.setToolTip(self.tr("Save the code as a Python file (and the weights, if "
                                            "ticked above)"))
        self.save_button.clicked.connect(lambda: self.save())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("exportStatus")

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.weights_box)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 640)

        document.designChanged.connect(self.refresh)
        document.fileChanged.connect(self._show_code)   # the weights file is named after the design
        self.refresh()

    # -- state ----------------------------------------------------------------------------------
    @property
    def design(self) -> Design | None:
        """The design the code is for: the document's last valid design, or None."""
        return self._design

    @property
    def weights_forced(self) -> bool:
        """True when the design's own weights are too many for the code: a .pt file is required."""
        return self._forced

    @property
    def saves_weights(self) -> bool:
        return self._design is not None and self.weights_box.isChecked()

    def weights_file_name(self) -> str:
        """The name the code loads its weights from: beside the last saved file, or the document's
        name, or ``model.pt``."""
        if self.saved_path is not None:
            return self.saved_path.with_suffix(".pt").name
        if self.document.path is not None:
            return self.document.path.with_suffix(".pt").name
        return "model.pt"

    def code(self) -> str:
        """The code the preview shows (what Copy copies)."""
        return self.preview.toPlainText()

    def code_for(self, weights_file: str | None) -> str:
        """The code of the current design, loading its weights from ``weights_file`` when given."""
        if self._code_design is None:
            raise ConvDesignerError(self.tr("The design has never been valid: fix it first."))
        if weights_file is not None:
            return generate_code(self._design, weights_file=weights_file)
        return generate_code(self._code_design)

    # -- updates --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Follow the document: recompute the preview (cheap when the design did not change)."""
        design = self.document.last_valid_design
        if design is not self._design:
            self._design = design
            self._code_design = code_design(design) if design is not None else None
        forced = (self._code_design is not None
                  and inline_values(self._code_design) > MAX_INLINE_VALUES)
        self._set_forced(forced)
        self._show_code()

    def _set_forced(self, forced: bool) -> None:
        self._forced = forced
        self.weights_box.blockSignals(True)
        self.weights_box.setChecked(forced or self._user_wants_weights)
        self.weights_box.blockSignals(False)
        self.weights_box.setEnabled(not forced and self._design is not None)
        if forced:
            count = inline_values(self._code_design)
            self.note.setText(self.tr(
                "This design holds {count} weights of its own (imported, typed or edited), too "
                "many to write into the code (at most {limit}), so they are saved to a .pt file "
                "next to it.").format(count=f"{count:,}", limit=f"{MAX_INLINE_VALUES:,}"))
        elif self._design is not None and self.document.design is not self._design:
            self.note.setText(self.tr("The design has a problem right now; this is the code of "
                                      "the last valid design."))
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    def _weights_toggled(self, checked: bool) -> None:
        if not self._forced:
            self._user_wants_weights = checked
        self._show_code()

    def _show_code(self) -> None:
        valid = self._design is not None
        self.copy_button.setEnabled(valid)
        self.save_button.setEnabled(valid)
        if not valid:
            text = self.tr("# The design has never been valid: fix it first, then export it.")
        else:
            weights = self.weights_file_name() if self.weights_box.isChecked() else None
            try:
                text = self.code_for(weights)
            except ConvDesignerError as error:
                text = "# " + str(error)
                self.save_button.setEnabled(False)
                self.copy_button.setEnabled(False)
        if text != self.preview.toPlainText():
            scroll = self.preview.verticalScrollBar().value()
            self.preview.setPlainText(text)
            self.preview.verticalScrollBar().setValue(scroll)

    # -- actions --------------------------------------------------------------------------------
    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.code())
        self.status.setText(self.tr("Copied {lines} lines to the clipboard.").format(
            lines=self.code().count("\n")))

    def _suggested_path(self) -> str:
        if self.saved_path is not None:
            return str(self.saved_path)
        if self.document.path is not None:
            return str(self.document.path.with_suffix(".py"))
        return "model.py"

    def save(self, path: str | Path | None = None) -> bool:
        """Save the code (and, when ticked, the weights as ``<name>.pt`` beside it), atomically.

        Asks for the file name when ``path`` is None. Returns True when written; shows the reason
        and returns False otherwise (nothing half-written is left behind).
        """
        if self._design is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save PyTorch code"), self._suggested_path(),
                self.tr("Python files (*.py)"))
            if not chosen:
                return False
            path = chosen
        path = Path(path)
        if path.suffix.lower() != ".py":
            path = path.with_name(path.name + ".py")
        weights_path = path.with_suffix(".pt") if self.weights_box.isChecked() else None
        if weights_path is not None and weights_path.exists():
            answer = QMessageBox.question(
                self, self.tr("Replace the weights file?"),
                self.tr("{name} already exists in {folder}. Replace it with this design's weights?")
                .format(name=weights_path.name, folder=weights_path.parent),
                QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Yes:
                return False
        design = self._design
        code = self.code_for(weights_path.name if weights_path is not None else None)

        def write() -> None:
            if weights_path is not None:
                save_weights(design, weights_path)
            write_text_atomically(path, code)

        try:
            run_busy(self, self.tr("Saving {name}…").format(name=path.name), write)
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, say so
            QMessageBox.critical(self, self.tr("Cannot export"), str(error)
                                 if isinstance(error, ConvDesignerError)
                                 else f"{type(error).__name__}: {error}")
            return False
        self.saved_path = path
        self._show_code()
        if weights_path is not None:
            self.status.setText(self.tr("Saved {code} and {weights}.").format(
                code=path.name, weights=weights_path.name))
        else:
            self.status.setText(self.tr("Saved {code}.").format(code=path.name))
        return True


# -- figures ---------------------------------------------------------------------------------------

def _graphics_target(target: object) -> object | None:
    """The pyqtgraph item or scene to export for ``target``, or None for a plain widget."""
    if isinstance(target, (QGraphicsItem, QGraphicsScene)):
        return target
    import pyqtgraph as pg
    if isinstance(target, pg.PlotWidget):
        return target.getPlotItem()
    if isinstance(target, pg.GraphicsView):
        return target.scene()
    return None


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ConvDesignerError(translate("export_figure",
                                          "The picture could not be encoded as PNG."))
    buffer.close()
    return bytes(data.data())


def _render_into(widget: QWidget, painter: QPainter) -> None:
    """``widget`` and its children drawn with ``painter`` at the painter's origin."""
    import pyqtgraph as pg
    views = [widget] if isinstance(widget, pg.GraphicsView) else []
    for view in views + widget.findChildren(pg.GraphicsView):
        view.scene().prepareForPaint()   # what pyqtgraph's own render() does first
    # QWidget.render itself: pyqtgraph's GraphicsView overrides render() with QGraphicsView's.
    QWidget.render(widget, painter, QPoint(), QRegion(),
                   QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren)


def render_widget(widget: QWidget, scale: float = DEFAULT_FIGURE_SCALE) -> QImage:
    """``widget`` (and its children) drawn at ``scale`` times its size on screen, as an image."""
    size = QSize(max(1, round(widget.width() * scale)), max(1, round(widget.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().color(QPalette.ColorRole.Window))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    _render_into(widget, painter)
    painter.end()
    return image


def _figure_png(target: object, scale: float) -> bytes:
    if isinstance(target, QWidget):
        image = render_widget(target, scale)
    else:
        graphics = _graphics_target(target)
        if graphics is None:
            raise ConvDesignerError(translate(
                "export_figure", "Cannot draw a {kind} as a picture.").format(kind=type(target).__name__))
        from pyqtgraph.exporters import ImageExporter
        exporter = ImageExporter(graphics)
        width = exporter.parameters()["width"]
        exporter.parameters()["width"] = max(1, round(width * scale))
        image = exporter.export(toBytes=True)
    # Tell slide software the picture's size on screen: 96 dpi times the scale.
    dots_per_metre = round(96 * scale / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return _png_bytes(image)


def _qt_svg(width: float, height: float, title: str, draw) -> bytes:
    """SVG from Qt's own generator: ``draw(painter)`` paints a ``width``×``height`` picture."""
    from PySide6.QtSvg import QSvgGenerator
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(max(1, round(width)), max(1, round(height))))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setTitle(title)
    generator.setDescription("Exported from ConvDesigner")
    painter = QPainter(generator)
    try:
        draw(painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _graphics_svg_with_qt(graphics: object) -> bytes:
    """A pyqtgraph item or scene as SVG by Qt's generator, drawn as its view shows it (rendering
    the scene directly would lose the view boxes' clipping)."""
    scene = graphics.scene() if isinstance(graphics, QGraphicsItem) else graphics
    views = scene.views() if scene is not None else []
    if not views:
        raise ConvDesignerError(translate(
            "export_figure", "Cannot draw this picture as SVG: it is not shown in any view."))
    view = views[0]
    if isinstance(graphics, QGraphicsItem):
        area = view.mapFromScene(graphics.sceneBoundingRect()).boundingRect() & view.rect()
    else:
        area = view.rect()

    def draw(painter: QPainter) -> None:
        scene.prepareForPaint()
        QWidget.render(view, painter, QPoint(), QRegion(area),
                       QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren)

    return _qt_svg(area.width(), area.height(), "ConvDesigner", draw)


def _figure_svg(target: object) -> bytes:
    graphics = _graphics_target(target)
    if graphics is not None:
        from pyqtgraph.exporters import SVGExporter
        try:
            return SVGExporter(graphics).export(toBytes=True)
        except Exception:  # noqa: BLE001
            # pyqtgraph 0.14's exporter cannot parse the closed paths ("... Z") that recent Qt
            # versions write (pyqtgraph issues #3485, #3495): let Qt write the SVG instead.
            if isinstance(target, QWidget):
                return _widget_svg(target)
            return _graphics_svg_with_qt(graphics)
    if not isinstance(target, QWidget):
        raise ConvDesignerError(translate("export_figure", "Cannot draw a {kind} as SVG.").format(
            kind=type(target).__name__))
    return _widget_svg(target)


def _widget_svg(widget: QWidget) -> bytes:
    return _qt_svg(widget.width(), widget.height(), widget.windowTitle() or "ConvDesigner",
                   lambda painter: _render_into(widget, painter))


def export_view_image(target: object, path: str | Path, scale: float = DEFAULT_FIGURE_SCALE) -> None:
    """Write ``target`` -- a widget, or a pyqtgraph item or scene -- to ``path``, atomically.

    ``.png``: ``scale`` times the size on screen (3× suits slides and projectors); a widget is
    drawn with its children, a pyqtgraph item through pyqtgraph's ``ImageExporter``.
    ``.svg``: vector graphics -- pyqtgraph's ``SVGExporter`` for a plot, a graphics view, item or
    scene (Qt's own SVG generator where that exporter fails), Qt's SVG generator for any other
    widget; images inside (feature maps, kernels) stay bitmaps, pixel for pixel.
    Raises :class:`ConvDesignerError` for another suffix or a file that cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".png":
        data = _figure_png(target, scale)
    elif suffix == ".svg":
        data = _figure_svg(target)
    else:
        raise ConvDesignerError(translate(
            "export_figure", "Cannot save a figure as {name}: choose a name ending in .png (a "
            "picture) or .svg (vector graphics).").format(name=path.name))
    with atomic_output(path) as stream:
        stream.write(data)


def export_figure(parent: QWidget | None, widget: object, scale: float = DEFAULT_FIGURE_SCALE) -> bool:
    """Ask for a file name and save ``widget`` as PNG or SVG, chosen by the name's suffix (or the
    chosen filter when the name has none). Returns True when a file was written."""
    png_filter, svg_filter = _tr(FIGURE_FILTER_PNG), _tr(FIGURE_FILTER_SVG)
    path, chosen_filter = QFileDialog.getSaveFileName(
        parent, translate("export_figure", "Export figure"), "figure.png",
        f"{png_filter};;{svg_filter}")
    if not path:
        return False
    if Path(path).suffix.lower() not in (".png", ".svg"):
        path += ".svg" if chosen_filter == svg_filter else ".png"
    try:
        export_view_image(widget, path, scale)
    except ConvDesignerError as error:
        QMessageBox.critical(parent, translate("export_figure", "Cannot export the figure"),
                             str(error))
        return False
    return True
