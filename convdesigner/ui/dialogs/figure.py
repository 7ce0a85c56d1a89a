"""Views as figures for slides and papers: a widget or a pyqtgraph item as PNG or SVG.

* :func:`export_view_image` -- a widget or a pyqtgraph item as a PNG at slide resolution (3× by
  default) or as an SVG, written atomically;
* :func:`export_figure` -- asks for the file name and picks the format by its suffix;
* :func:`render_widget` -- a widget and its children drawn at a scale, as an image.

pyqtgraph is imported only when a figure is made (it is not needed before the views exist).

Threading: GUI thread only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QPalette, QRegion
from PySide6.QtWidgets import QFileDialog, QGraphicsItem, QGraphicsScene, QMessageBox, QWidget

from convdesigner.atomic import atomic_output
from convdesigner.errors import ConvDesignerError
from convdesigner.ui.i18n import QT_TRANSLATE_NOOP, translate

#: How much larger than on screen a PNG figure is by default: sharp on a projector or a slide.
DEFAULT_FIGURE_SCALE = 3.0
FIGURE_FILTER_PNG = QT_TRANSLATE_NOOP("export_figure", "PNG image (*.png)")
FIGURE_FILTER_SVG = QT_TRANSLATE_NOOP("export_figure", "SVG drawing (*.svg)")


def _tr(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP in the context "export_figure", translated."""
    return translate("export_figure", text)


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


__all__ = ["DEFAULT_FIGURE_SCALE", "export_figure", "export_view_image", "render_widget"]
