"""The graphics items of the architecture diagram, and what they paint.

* :class:`Box` -- a 3-D box in oblique projection (a tensor, or the kernel inside one);
* :class:`BlockSpec` -- everything one block paints, in scene coordinates (made by
  :func:`~convdesigner.ui.diagram.view.layout_diagram`);
* :class:`BlockItem`, :class:`PlusItem`, :class:`AxisItem` -- one item per block, one per "+"
  between blocks, and the axis behind them, sharing one :class:`ItemStyle` (theme and fonts) so
  an export can repaint them all in the light theme.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from convdesigner.ui.diagram.layout import MARKER_W, OBLIQUE_X, OBLIQUE_Y, PLUS_R
from convdesigner.ui.diagram.theme import DiagramTheme, Faces
from convdesigner.ui.i18n import translate
from convdesigner.ui.zoom import ui_scale


# -- geometry -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    """A 3-D box in oblique projection: the front face is ``x0 .. x0+depth`` × ``top .. top+height``;
    the receding ``width`` goes up and to the right."""

    x0: float
    top: float
    depth: float
    height: float
    width: float

    @property
    def ox(self) -> float:
        return self.width * OBLIQUE_X

    @property
    def oy(self) -> float:
        return self.width * OBLIQUE_Y

    def faces(self) -> tuple[QPolygonF, QPolygonF, QPolygonF]:
        """``(front, top, side)``; the side face is the H × W feature map."""
        x0, y0, x1, y1 = self.x0, self.top, self.x0 + self.depth, self.top + self.height
        ox, oy = self.ox, self.oy
        front = QPolygonF([QPointF(x0, y0), QPointF(x1, y0), QPointF(x1, y1), QPointF(x0, y1)])
        top = QPolygonF([QPointF(x0, y0), QPointF(x1, y0), QPointF(x1 + ox, y0 - oy),
                         QPointF(x0 + ox, y0 - oy)])
        side = QPolygonF([QPointF(x1, y0), QPointF(x1 + ox, y0 - oy), QPointF(x1 + ox, y1 - oy),
                          QPointF(x1, y1)])
        return front, top, side

    def outline(self) -> QPainterPath:
        x0, y0, x1, y1 = self.x0, self.top, self.x0 + self.depth, self.top + self.height
        ox, oy = self.ox, self.oy
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(x0, y0), QPointF(x0 + ox, y0 - oy), QPointF(x1 + ox, y0 - oy),
                                   QPointF(x1 + ox, y1 - oy), QPointF(x1, y1), QPointF(x0, y1),
                                   QPointF(x0, y0)]))
        return path

    def bounds(self) -> QRectF:
        return QRectF(self.x0, self.top - self.oy, self.depth + self.ox, self.height + self.oy)

    def map_point(self, x: float, y: float, z: float) -> QPointF:
        """The drawn point of the box-local 3-D point (x: depth, y: down from the top, z: width)."""
        return QPointF(self.x0 + x + z * OBLIQUE_X, self.top + y - z * OBLIQUE_Y)

    def sub_box(self, x: float, y: float, z: float, depth: float, height: float, width: float) -> Box:
        corner = self.map_point(x, y, z)
        return Box(corner.x(), corner.y(), depth, height, width)

    def entry_point(self) -> QPointF:
        """The middle of the near (left) H × W face, where projection lines end."""
        return self.map_point(0.0, self.height / 2, self.width / 2)



@dataclass
class BlockSpec:
    """Everything one block item paints, in scene coordinates."""

    layer: int
    kind: str
    shape: tuple[int, int, int] | None
    rect: QRectF = field(default_factory=QRectF)
    box: Box | None = None
    box_style: str = "conv"            # input / conv / pool
    marker: QRectF | None = None
    marker_color: str = "activation"   # activation / pool
    kernel: Box | None = None
    kernel_target: QPointF | None = None
    title: str = ""
    lines: list[str] = field(default_factory=list)
    label_rect: QRectF = field(default_factory=QRectF)   # where title + lines go
    shape_label: str = ""
    shape_rect: QRectF = field(default_factory=QRectF)
    problems: tuple[str, ...] = ()
    unknown: bool = False
    tooltip: str = ""
    draggable: bool = True


class DiagramFonts:
    """The diagram's fonts, in pixels at the UI zoom (the diagram is rebuilt when the zoom changes
    the application font)."""

    def __init__(self, base: QFont) -> None:
        scale = ui_scale()
        self.title = QFont(base)
        self.title.setPixelSize(round(15 * scale))
        self.title.setBold(True)
        self.body = QFont(base)
        self.body.setPixelSize(round(14 * scale))
        self.shape = QFont(base)
        self.shape.setPixelSize(round(15 * scale))
        self.shape.setBold(True)
        self.title_metrics = QFontMetricsF(self.title)
        self.body_metrics = QFontMetricsF(self.body)
        self.shape_metrics = QFontMetricsF(self.shape)


# -- items ----------------------------------------------------------------------------------------
class ItemStyle:
    """Shared by the items of one diagram, so an export can repaint them in the light theme."""

    def __init__(self, theme: DiagramTheme, fonts: DiagramFonts) -> None:
        self.theme = theme
        self.fonts = fonts
        self.exporting = False


class BlockItem(QGraphicsItem):
    """One block: its box (and the kernel it slides over the box before), marker and labels."""

    def __init__(self, spec: BlockSpec, style: ItemStyle) -> None:
        super().__init__()
        self.spec = spec
        self._style = style
        self.selected_block = False
        self.lifted = False         # being dragged
        self._hover = False
        bounds = QRectF(spec.rect)
        if spec.kernel is not None:
            bounds = bounds.united(spec.kernel.bounds())
        self._bounds = bounds.adjusted(-4, -4, 4, 4)
        self._shape = QPainterPath()
        self._shape.addRect(spec.rect)
        self.setAcceptHoverEvents(True)
        self.setToolTip(spec.tooltip)
        if spec.draggable:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        # Only the block's own column is clickable, not the kernel it draws in the box before.
        return self._shape

    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        spec, theme, fonts = self.spec, self._style.theme, self._style.fonts
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        exporting = self._style.exporting
        if self.lifted:
            painter.setPen(QPen(theme.plus_hover, 2.0))
            painter.setBrush(theme.background)
            painter.drawRoundedRect(spec.rect.adjusted(2, 0, -2, 0), 8, 8)
        elif self.selected_block and not exporting:
            painter.setPen(QPen(theme.highlight_border, 2.0))
            painter.setBrush(theme.highlight_fill)
            painter.drawRoundedRect(spec.rect.adjusted(2, 0, -2, 0), 8, 8)
        elif self._hover and not exporting:
            painter.setPen(QPen(theme.hover_border, 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(spec.rect.adjusted(2, 0, -2, 0), 8, 8)
        error = bool(spec.problems)
        if spec.marker is not None:
            color = theme.error.outline if error else (
                theme.pool_marker if spec.marker_color == "pool" else theme.activation_marker)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(spec.marker, MARKER_W / 2, MARKER_W / 2)
        if spec.box is not None:
            faces = (theme.error if error else theme.unknown if spec.unknown
                     else {"input": theme.input, "pool": theme.pool}.get(spec.box_style, theme.conv))
            self._paint_box(painter, spec.box, faces, dashed=spec.unknown, width=1.4)
        if spec.kernel is not None:
            self._paint_box(painter, spec.kernel, theme.kernel, dashed=False, width=1.2)
            if spec.kernel_target is not None:
                self._paint_projection(painter, spec.kernel, spec.kernel_target, theme)
        # Labels.
        text_color = theme.error_text if error else theme.text
        if spec.title:
            painter.setFont(fonts.title)
            painter.setPen(text_color)
            title_rect = QRectF(spec.label_rect.left() - 20, spec.label_rect.top(),
                                spec.label_rect.width() + 40, fonts.title_metrics.height())
            painter.drawText(title_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, spec.title)
            painter.setFont(fonts.body)
            painter.setPen(theme.error_text if error else theme.secondary)
            y = title_rect.bottom()
            for line in spec.lines:
                line_rect = QRectF(title_rect.left(), y, title_rect.width(), fonts.body_metrics.height())
                painter.drawText(line_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, line)
                y += fonts.body_metrics.height()
        if spec.shape_label and spec.box is not None:
            painter.setFont(fonts.shape)
            painter.setPen(theme.error_text if error else theme.secondary if spec.unknown else theme.text)
            painter.drawText(spec.shape_rect.adjusted(-20, 0, 20, 0),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, spec.shape_label)

    @staticmethod
    def _paint_box(painter: QPainter, box: Box, faces: Faces, dashed: bool, width: float) -> None:
        front, top, side = box.faces()
        painter.setPen(Qt.PenStyle.NoPen)
        for polygon, color in ((front, faces.front), (top, faces.top), (side, faces.side)):
            painter.setBrush(color)
            painter.drawPolygon(polygon)
        pen = QPen(faces.outline, width)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(box.outline())
        # The three inner edges that meet at the front top-right corner.
        x1, y0 = box.x0 + box.depth, box.top
        painter.drawLine(QPointF(box.x0, y0), QPointF(x1, y0))
        painter.drawLine(QPointF(x1, y0), QPointF(x1, y0 + box.height))
        painter.drawLine(QPointF(x1, y0), QPointF(x1 + box.ox, y0 - box.oy))

    @staticmethod
    def _paint_projection(painter: QPainter, kernel: Box, target: QPointF, theme: DiagramTheme) -> None:
        x1, y0 = kernel.x0 + kernel.depth, kernel.top
        corners = (QPointF(x1, y0), QPointF(x1 + kernel.ox, y0 - kernel.oy),
                   QPointF(x1 + kernel.ox, y0 - kernel.oy + kernel.height), QPointF(x1, y0 + kernel.height))
        pen = QPen(theme.projection, 1.1)
        painter.setPen(pen)
        for corner in corners:
            painter.drawLine(corner, target)
        painter.setBrush(theme.projection)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(target, 3.2, 3.2)


class PlusItem(QGraphicsItem):
    """A small "+" between two blocks: click it to insert a layer there."""

    def __init__(self, position: int, centre: QPointF, lane: QRectF, style: ItemStyle) -> None:
        super().__init__()
        self.position = position
        self.centre = centre
        self.lane = lane
        self._style = style
        self._hover = False
        self.drop_target = False
        self._shape = QPainterPath()
        self._shape.addEllipse(centre, PLUS_R + 3, PLUS_R + 3)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(translate("diagram", "Insert a layer here (as layer {index})").format(
            index=position))
        self.setZValue(5)

    def boundingRect(self) -> QRectF:
        return self.lane.united(self._shape.boundingRect()).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        return self._shape

    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._style.exporting:
            return
        theme = self._style.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        active = self._hover or self.drop_target
        if active:
            pen = QPen(theme.plus_hover, 3.0 if self.drop_target else 1.5)
            if not self.drop_target:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            x = self.centre.x()
            painter.drawLine(QPointF(x, self.lane.top() + 4), QPointF(x, self.centre.y() - PLUS_R - 2))
        painter.setPen(QPen(theme.plus_hover if active else theme.plus_border, 1.4))
        painter.setBrush(theme.plus_hover if self._hover else theme.plus_fill)
        painter.drawEllipse(self.centre, PLUS_R, PLUS_R)
        glyph = QPen(theme.plus_fill if self._hover else theme.plus_glyph, 2.0)
        glyph.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(glyph)
        arm = PLUS_R * 0.5
        c = self.centre
        painter.drawLine(QPointF(c.x() - arm, c.y()), QPointF(c.x() + arm, c.y()))
        painter.drawLine(QPointF(c.x(), c.y() - arm), QPointF(c.x(), c.y() + arm))


class AxisItem(QGraphicsItem):
    """The thin line the data flows along, behind every block."""

    def __init__(self, line_y: float, left: float, right: float, style: ItemStyle) -> None:
        super().__init__()
        self._y, self._left, self._right, self._style = line_y, left, right, style
        self.setZValue(-10)

    def boundingRect(self) -> QRectF:
        return QRectF(self._left, self._y - 6, self._right - self._left, 12)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self._style.theme.axis, 1.5)
        painter.setPen(pen)
        painter.drawLine(QPointF(self._left, self._y), QPointF(self._right, self._y))
        tip = QPolygonF([QPointF(self._right, self._y), QPointF(self._right - 8, self._y - 4.5),
                         QPointF(self._right - 8, self._y + 4.5)])
        painter.setBrush(self._style.theme.axis)
        painter.drawPolygon(tip)



__all__ = ["AxisItem", "BlockItem", "BlockSpec", "Box", "DiagramFonts", "ItemStyle", "PlusItem"]
