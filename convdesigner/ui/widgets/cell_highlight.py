"""How the cells an explained pixel reads are drawn, everywhere: one style, one set of colours.

* :func:`paint_highlight` -- on a widget that draws an image in a rectangle (the input canvas);
* :class:`HighlightItem` -- on a mosaic in a graphics scene (the feature maps), all cells of one
  mosaic in one item;
* :func:`padded_fill`, :func:`padded_brush`, :func:`paint_padded` -- how padded cells are marked
  in the pixel explanation's grids and its legend.

Both highlight painters take their pens and fills from :func:`_cell_style`, so the canvas and the
maps cannot drift apart again. Plain Qt (no pyqtgraph), so the canvas can use it before the views
load.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

HIGHLIGHT_COLOR = QColor(255, 140, 0)          # receptive-field cells
HIGHLIGHT_HOVER_COLOR = QColor(255, 221, 0)    # cells of the hovered term's channel
_HALO_COLOR = QColor(0, 0, 0, 170)             # keeps the outline visible on white ink


def _cell_style(hovered: bool, padded: bool) -> tuple[QPen, QPen, QBrush]:
    """``(halo pen, pen, fill)`` of a cell. Cosmetic pens: the same width at every zoom. Padded
    cells are dashed and not filled (they lie outside the image)."""
    colour = HIGHLIGHT_HOVER_COLOR if hovered else HIGHLIGHT_COLOR
    width = 2.5 if hovered else 1.5
    style = Qt.CustomDashLine if padded else Qt.SolidLine
    halo = QPen(_HALO_COLOR, width + 2.0, style)
    pen = QPen(colour, width, style)
    for each in (halo, pen):
        each.setCosmetic(True)
        if padded:   # short dashes, so even a small cell shows several
            dash = 2.0 * width / each.widthF()   # in units of the pen's width
            each.setDashPattern([dash, dash])
    if padded:
        return halo, pen, QBrush(Qt.NoBrush)
    fill = QColor(colour)
    fill.setAlpha(70 if hovered else 45)
    return halo, pen, QBrush(fill)


def _draw(painter: QPainter, path: QPainterPath, hovered: bool, padded: bool) -> None:
    if path.isEmpty():
        return
    halo, pen, fill = _cell_style(hovered, padded)
    painter.setPen(halo)
    painter.setBrush(fill)
    painter.drawPath(path)
    painter.setBrush(Qt.NoBrush)
    painter.setPen(pen)
    painter.drawPath(path)


def paint_highlight(painter: QPainter, image_rect: QRectF, image_shape, cells,
                    hovered_channel: int = -1) -> None:
    """Outline the ``cells`` a pixel reads on an image drawn in ``image_rect``.

    ``image_shape`` is the shape of the map drawn there, ``(H, W)`` or ``(C, H, W)``; ``cells``
    are ``(channel, row, col, padded)`` (pass only one channel's cells for a view that draws one
    channel). Cells inside the image are outlined with a light fill; padded cells lie outside it
    and are outlined dashed, so leave the widget a margin of ``padding`` cells around the image to
    see them. Cells of ``hovered_channel`` (-1: none) are drawn thicker and brighter. Positions
    shared by several channels are drawn once. The painter's state is restored afterwards.
    """
    if not cells:
        return
    height, width = int(image_shape[-2]), int(image_shape[-1])
    if height <= 0 or width <= 0 or image_rect.isEmpty():
        return
    step_x, step_y = image_rect.width() / width, image_rect.height() / height
    positions: dict[tuple[int, int], list[bool]] = {}
    for channel, row, col, padded in cells:
        entry = positions.setdefault((int(row), int(col)), [bool(padded), False])
        if channel == hovered_channel:
            entry[1] = True
    inset = min(step_x, step_y) * 0.08
    paths = {(hovered, padded): QPainterPath() for hovered in (False, True)
             for padded in (False, True)}
    for (row, col), (padded, hovered) in positions.items():
        paths[hovered, padded].addRect(
            QRectF(image_rect.left() + col * step_x, image_rect.top() + row * step_y,
                   step_x, step_y).adjusted(inset, inset, -inset, -inset))
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing, True)
    # Hovered cells last, so their outline wins where neighbouring outlines overlap.
    for (hovered, padded), path in paths.items():
        _draw(painter, path, hovered, padded)
    painter.restore()


class HighlightItem(QGraphicsPathItem):
    """All outlined cells of one mosaic in one item, the hovered channel's brighter; drawn like
    :func:`paint_highlight`. Rectangles are ``(x, y, w, h)`` in the scene units of the mosaic.

    Owned by the view box it is added to (a child of its scene): it goes when the view goes, so
    nobody keeps a reference to a deleted item."""

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.setZValue(20)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._hovered_path = QPainterPath()
        self.rect_count = 0

    def set_cells(self, rects, hovered_rects) -> None:
        paths = []
        for chosen in (rects, hovered_rects):
            path = QPainterPath()
            for x, y, w, h in chosen:
                path.addRect(QRectF(x, y, w, h))
            paths.append(path)
        self._hovered_path = paths[1]
        self.rect_count = len(rects)
        self.prepareGeometryChange()
        self.setPath(paths[0])
        self.update()

    def boundingRect(self) -> QRectF:
        # Cosmetic pens are a few device pixels wide whatever the zoom; a cell's width of margin
        # is plenty at the zooms where a cell shows at all.
        bounds = self.path().boundingRect().united(self._hovered_path.boundingRect())
        return bounds.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        _draw(painter, self.path(), False, False)
        _draw(painter, self._hovered_path, True, False)
        painter.restore()


def padded_fill(palette: QPalette) -> QColor:
    """The background of a padded cell: between the base and the mid colour of the palette."""
    base, mid = palette.color(QPalette.Base), palette.color(QPalette.Mid)
    return QColor((2 * base.red() + mid.red()) // 3, (2 * base.green() + mid.green()) // 3,
                  (2 * base.blue() + mid.blue()) // 3)


def padded_brush(palette: QPalette) -> QBrush:
    """How padded cells are marked: a diagonal hatch over :func:`padded_fill`."""
    return QBrush(palette.color(QPalette.Mid), Qt.BDiagPattern)


def paint_padded(painter: QPainter, rect: QRectF, palette: QPalette) -> None:
    painter.fillRect(rect, padded_fill(palette))
    painter.fillRect(rect, padded_brush(palette))
