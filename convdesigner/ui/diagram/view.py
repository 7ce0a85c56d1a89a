"""The architecture diagram: the design drawn the way textbooks draw CNNs, and edited right there.

:class:`ArchitectureDiagram` is a horizontal strip. Every tensor -- the input, then the output of
every Conv2d and pooling layer -- is a 3-D box whose depth (left to right), height and receding
width follow its channels × H × W, log-scaled (``a + b·log2(n)``) so that 1 and 512 channels, or
7 and 224 pixels, both read well. Each Conv2d draws its kernel as a small box inside the box it
slides over, with projection lines to the one output value it makes and its arguments beside it
("4×4, stride 2, pad 1"). Activations and pools are thin labelled markers between the boxes.

It is a designer as well as a picture:

* click a block to select its layer (the shared :class:`~convdesigner.ui.state.selection.Selection`);
  the selected block is highlighted whoever selected it;
* drag a block left or right to move the layer (one undo step);
* the small "+" between blocks opens a menu of the seven layer kinds and inserts one there
  (one undo step);
* a layer with a problem is drawn in the error colour with its message as the tooltip; a box
  whose shape cannot be known (a layer above collapses it) is drawn dashed;
* right-click: export the diagram as SVG (vector, for papers) or PNG (3× resolution, white
  background, for slides).

Few items: one :class:`QGraphicsItem` per block (it paints its own box, kernel, lines and labels)
and one per "+", re-made whenever the document says the design changed.

The diagram reads ``document.design`` / ``document.analysis`` and changes the design only through
the document's edit methods (the same ones, and so the same undo texts, as the layer stack). Threading: GUI thread only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QContextMenuEvent,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGraphicsScene,
    QGraphicsView,
    QMenu,
    QMessageBox,
    QWidget,
)
from shiboken6 import isValid

from convdesigner.design import Analysis, Conv2d, Design, Layer
from convdesigner.design.catalog import LAYER_KINDS
from convdesigner.design.layers import (
    ACTIVATION_TYPES,
    POOL_TYPES,
    BatchNorm2d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    Linear,
    Upsample,
)
from convdesigner.design.numbers import shape_text
from convdesigner.ui.diagram.items import (
    AxisItem,
    BlockItem,
    BlockSpec,
    Box,
    DiagramFonts,
    ItemStyle,
    PlusItem,
)
from convdesigner.ui.diagram.layout import (
    LANE,
    MARGIN,
    MARKER_W,
    MIN_GAP,
    OBLIQUE_X,
    OBLIQUE_Y,
    PAD,
    PLUS_R,
    box_size,
    conv_lines,
    layer_input_shape,
    linear_lines,
    marker_text,
)
from convdesigner.ui.diagram.theme import LIGHT, theme_for
from convdesigner.ui.i18n import problem_text, translate
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import INPUT, Selection
from convdesigner.ui.zoom import zoom_signals


@dataclass(frozen=True)
class DiagramBlock:
    """One block of the diagram, as :meth:`ArchitectureDiagram.blocks` reports it.

    ``layer`` is the layer index (:data:`~convdesigner.ui.state.selection.INPUT` for the input);
    ``shape`` the tensor the block ends with (its output; None when unknown); ``rect`` the
    block's scene rectangle (what a click or a drag hits); ``box`` the scene rectangle of its 3-D
    box and ``size`` the box's drawn ``(depth, height, width)`` (both None for an activation,
    which draws no box); ``problems`` the messages of the layer's problems; ``unknown`` True when
    the shape is unknown (drawn dashed).
    """

    layer: int
    kind: str
    shape: tuple[int, int, int] | None
    rect: QRectF
    box: QRectF | None
    size: tuple[float, float, float] | None
    problems: tuple[str, ...]
    unknown: bool


def _text_width(metrics: QFontMetricsF, text: str) -> float:
    return metrics.horizontalAdvance(text) if text else 0.0


def layout_diagram(design: Design, analysis: Analysis, fonts: DiagramFonts
                   ) -> tuple[list[BlockSpec], list[tuple[int, QPointF, QRectF]], QRectF]:
    """Place every block: returns the block specs, the "+" buttons ``(position, centre, lane)``
    and the scene rectangle."""
    specs: list[BlockSpec] = []
    # 1. What each block shows, and its box size (unknown shapes borrow the last known size).
    input_problems = tuple(problem_text(p) for p in analysis.problems_of(None))
    input_shape = None if input_problems else design.input.shape
    last_size = box_size(input_shape or (1, 28, 28))
    specs.append(BlockSpec(INPUT, "Input", input_shape, box_style="input",
                           title=translate("diagram", "Input"), problems=input_problems,
                           unknown=input_shape is None, draggable=False))
    sizes: list[tuple[float, float, float] | None] = [last_size]
    for index, layer in enumerate(design.layers):
        info = analysis.layers[index] if index < len(analysis.layers) else None
        shape = info.out_shape if info is not None else None
        problems = tuple(problem_text(p) for p in analysis.problems_of(index))
        spec = BlockSpec(index, layer.kind, shape, problems=problems, unknown=shape is None)
        if isinstance(layer, (ConvTranspose2d, BatchNorm2d, Upsample)):
            generator_spec(spec, layer)
        elif isinstance(layer, Conv2d):
            spec.title = translate("diagram", "Conv2d")
            spec.lines = conv_lines(layer, translate)
            spec.box_style = "conv"
        elif isinstance(layer, Linear):
            spec.title = translate("diagram", "Linear")
            spec.lines = linear_lines(layer, translate)
            spec.box_style = "conv"
        elif isinstance(layer, Flatten):
            spec.title = translate("diagram", "Flatten")
            spec.box_style = "pool"
            spec.marker_color = "pool"
        elif isinstance(layer, POOL_TYPES):
            spec.title = marker_text(layer, translate)
            spec.box_style = "pool"
            spec.marker_color = "pool"
        else:
            spec.title = marker_text(layer, translate)
            spec.marker_color = "activation"
        # Dropout, like an activation, keeps the shape (and, outside training, the values).
        has_box = not isinstance(layer, (*ACTIVATION_TYPES, BatchNorm2d, Dropout))
        if has_box:
            size = box_size(shape) if shape is not None else last_size
            last_size = size
            sizes.append(size)
        else:
            sizes.append(None)
        specs.append(spec)

    # 2. Rows: labels above, boxes in the middle, shapes (and "+") below.
    title_h = fonts.title_metrics.height()
    body_h = fonts.body_metrics.height()
    max_lines = max((len(s.lines) for s in specs), default=0)
    top_h = title_h + max_lines * body_h
    box_extent = max((s[1] + s[2] * OBLIQUE_Y for s in sizes if s is not None), default=60.0)
    middle_h = max(box_extent, 60.0) + 2 * PAD
    bottom_h = max(fonts.shape_metrics.height(), 2 * PLUS_R) + 8
    top_y = MARGIN
    middle_y = top_y + top_h + 4
    axis_y = middle_y + middle_h / 2
    bottom_y = middle_y + middle_h
    height = bottom_y + bottom_h + MARGIN

    # 3. Columns, left to right.
    x = MARGIN
    plus: list[tuple[int, QPointF, QRectF]] = []
    previous_box: Box | None = None
    previous_box_height = 40.0
    for number, spec in enumerate(specs):
        if number > 0:
            lane = QRectF(x, top_y, LANE, height - 2 * MARGIN)
            plus.append((number - 1, QPointF(x + LANE / 2, bottom_y + bottom_h / 2), lane))
            x += LANE
        size = sizes[number]
        layer = design.layers[spec.layer] if spec.layer >= 0 else None
        left = x
        title_w = _text_width(fonts.title_metrics, spec.title)
        lines_w = max((_text_width(fonts.body_metrics, t) for t in spec.lines), default=0.0)
        spec.shape_label = (shape_text(spec.shape) if spec.shape is not None or layer is None
                            else (f"{layer.out_channels}×?×?" if isinstance(layer, Conv2d) else "?×?×?"))
        shape_w = _text_width(fonts.shape_metrics, spec.shape_label)
        label_w = max(title_w, lines_w) + 12
        if size is not None:
            depth, box_h, width = size
            drawn_w = depth + width * OBLIQUE_X
            box_part = max(drawn_w, shape_w) + 2 * PAD
        else:
            drawn_w = box_part = 0.0
        # A prefix part: the Conv2d's projection gap, or a marker; its label spans the whole block.
        if isinstance(layer, (Conv2d, ConvTranspose2d)):
            prefix = max(MIN_GAP, label_w - box_part)
        elif layer is not None:
            prefix = max(MARKER_W + 2 * PAD, label_w - box_part)
            bar_h = max(previous_box_height * 0.9, 36.0)
            spec.marker = QRectF(x + prefix / 2 - MARKER_W / 2, axis_y - bar_h / 2, MARKER_W, bar_h)
        else:   # the input
            prefix = max(0.0, label_w - box_part) / 2
        x += prefix
        if size is not None:
            box_top = axis_y - box_h / 2 + width * OBLIQUE_Y / 2
            spec.box = Box(x + (box_part - drawn_w) / 2, box_top, depth, box_h, width)
            spec.shape_rect = QRectF(x, bottom_y, box_part, bottom_h)
            x += box_part
            previous_box_height = box_h
        else:
            spec.shape_rect = QRectF(left, bottom_y, x - left, bottom_h)
        if layer is None:
            x += prefix
        spec.label_rect = QRectF(left, top_y, x - left, top_h)
        spec.rect = QRectF(left, top_y, x - left, height - 2 * MARGIN)
        # The kernel inside the box this Conv2d slides over.
        if isinstance(layer, Conv2d) and previous_box is not None and spec.box is not None:
            spec.kernel = _kernel_box(layer, previous_box, layer_input_shape(analysis, design, spec.layer))
            spec.kernel_target = spec.box.entry_point()
        if spec.box is not None:
            previous_box = spec.box
        spec.tooltip = _tooltip(spec, layer, analysis)
    # The "+" after the last layer.
    lane = QRectF(x, top_y, LANE, height - 2 * MARGIN)
    plus.append((len(design.layers), QPointF(x + LANE / 2, bottom_y + bottom_h / 2), lane))
    x += LANE
    return specs, plus, QRectF(0.0, 0.0, x + MARGIN, height)


def generator_spec(spec: BlockSpec, layer: ConvTranspose2d | BatchNorm2d | Upsample) -> None:
    """How a ConvTranspose2d (a box like Conv2d's, with its arguments), a BatchNorm2d (a marker:
    the shape does not change) and an Upsample (a marker and the larger box) are drawn."""
    if isinstance(layer, ConvTranspose2d):
        spec.title = translate("diagram", "ConvTranspose2d")
        kernel = "×".join(str(k) for k in layer.kernel_size)
        line = translate("diagram", "{kernel}, stride {stride}, pad {padding}").format(
            kernel=kernel, stride=_pair(layer.stride), padding=_pair(layer.padding))
        spec.lines = [line]
        extras = []
        if layer.output_padding != (0, 0):
            extras.append(translate("diagram", "out pad {padding}").format(
                padding=_pair(layer.output_padding)))
        if layer.groups != 1:
            extras.append(translate("diagram", "groups={groups}").format(groups=layer.groups))
        if layer.dilation != (1, 1):
            extras.append(translate("diagram", "dil {dilation}").format(dilation=_pair(layer.dilation)))
        if extras:
            spec.lines.append(" · ".join(extras))
        spec.box_style = "conv"
    elif isinstance(layer, BatchNorm2d):
        spec.title = translate("diagram", "BatchNorm")
        spec.marker_color = "activation"
    else:
        spec.title = translate("diagram", "Upsample ×{scale}").format(
            scale=" × ".join(f"{value:g}" for value in sorted(set(layer.scale_pair()))))
        spec.box_style = "pool"
        spec.marker_color = "pool"


def _pair(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"


def _kernel_box(layer: Conv2d, over: Box, in_shape: tuple[int, ...] | None) -> Box:
    """The kernel of ``layer`` as a box inside ``over``: as deep as the share of the channels one
    kernel reads (all of them for groups=1), as tall and wide as the share of H × W it spans."""
    # A Conv2d after a Flatten (a problem of its own) has no maps to slide over.
    channels, height, width = (in_shape if in_shape is not None and len(in_shape) == 3
                               else (layer.in_channels, 8, 8))
    span_h, span_w = layer.effective_kernel()
    share = layer.in_per_group / max(channels, 1) if layer.groups >= 1 else 1.0
    depth = max(3.0, over.depth * min(share, 1.0))
    # A kernel larger than its input sticks out of the box (that layer then has a problem).
    kh = max(6.0, over.height * min(span_h / max(height, 1), 1.25))
    kw = max(6.0, over.width * min(span_w / max(width, 1), 1.25))
    z = (over.width - kw) * 0.35
    y = (over.height - kh) * 0.35
    return over.sub_box(over.depth - depth, y, z, depth, kh, kw)


def _tooltip(spec: BlockSpec, layer: Layer | None, analysis: Analysis) -> str:
    if layer is None:
        head = translate("diagram", "Input {shape}").format(shape=shape_text(spec.shape))
        text = head + "\n" + translate("diagram", "Click to select the input.")
    else:
        text = f"[{spec.layer}] {layer.torch_repr()}"
        info = analysis.layers[spec.layer] if spec.layer < len(analysis.layers) else None
        if info is not None:
            text += "\n" + translate("diagram", "→ {shape} · {count} parameters").format(
                shape=shape_text(info.out_shape), count=f"{info.parameters:,}")
        elif not spec.problems:
            text += "\n" + translate("diagram",
                                      "Shape unknown: a layer above collapses the size.")
        text += "\n" + translate("diagram", "Click to select; drag left or right to move.")
    if spec.problems:
        text = "\n".join(spec.problems) + "\n\n" + text
    return text

# -- the view ------------------------------------------------------------------------------------
class ArchitectureDiagram(QGraphicsView):
    """The design as a textbook CNN diagram that can be edited in place (see the module docstring).

    ``layerActivated(int)`` is emitted when a block is double-clicked (the lead may open the
    layer editor on it).
    """

    layerActivated = Signal(int)

    MIN_SCALE = 0.8     # below this, scroll instead of shrinking (text stays readable)
    MAX_SCALE = 1.6

    def __init__(self, document: DesignDocument, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self._style = ItemStyle(theme_for(self.palette()), DiagramFonts(self.font()))
        self._blocks: list[BlockItem] = []
        self._plus: list[PlusItem] = []
        self._press: tuple[QPointF, BlockItem | PlusItem] | None = None
        self._dragging = False
        self._insert_menu: QMenu | None = None
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setMouseTracking(True)
        self.setMinimumHeight(140)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Architecture diagram"))
        self.setToolTip("")
        self.setWhatsThis(self.tr(
            "The design as a diagram: every box is a tensor (channels × height × width, "
            "log-scaled). Click a block to select it (or use Left / Right), drag it to move the "
            "layer (or Ctrl+Left / Ctrl+Right), click + to insert a layer. Right-click to export "
            "the diagram."))
        document.designChanged.connect(self.rebuild)
        zoom_signals().changed.connect(self._zoomed)   # its fonts are in pixels at the UI zoom
        selection.changed.connect(self._follow_selection)
        self.rebuild()

    def sizeHint(self) -> QSize:
        return QSize(900, 260)

    # -- reading (also for tests) ---------------------------------------------------------------
    def blocks(self) -> list[DiagramBlock]:
        """Every block, left to right: the input, then one per layer."""
        result = []
        for item in self._blocks:
            spec = item.spec
            box = spec.box
            result.append(DiagramBlock(
                spec.layer, spec.kind, spec.shape, QRectF(spec.rect).translated(item.pos()),
                box.bounds().translated(item.pos()) if box is not None else None,
                (box.depth, box.height, box.width) if box is not None else None,
                spec.problems, spec.unknown))
        return result

    def insert_points(self) -> list[tuple[int, QPointF]]:
        """``(position, scene centre)`` of every "+": a layer inserted there becomes layer ``position``."""
        return [(item.position, QPointF(item.centre)) for item in self._plus]

    def block_item(self, layer: int) -> BlockItem | None:
        return next((item for item in self._blocks if item.spec.layer == layer), None)

    # -- building ---------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Re-make every item from the document (on every design change)."""
        self._press, self._dragging = None, False
        self._scene.clear()
        self._blocks, self._plus = [], []
        self._style.theme = theme_for(self.palette())
        self._style.fonts = DiagramFonts(self.font())
        self._scene.setBackgroundBrush(self._style.theme.background)
        specs, plus, rect = layout_diagram(self._document.design, self._document.analysis, self._style.fonts)
        axis_y = next((s.box.top + s.box.height / 2 - s.box.oy / 2 for s in specs if s.box is not None), None)
        if axis_y is not None:
            self._scene.addItem(AxisItem(axis_y, MARGIN, rect.width() - MARGIN, self._style))
        for spec in specs:
            item = BlockItem(spec, self._style)
            self._scene.addItem(item)
            self._blocks.append(item)
        for position, centre, lane in plus:
            item = PlusItem(position, centre, lane, self._style)
            self._scene.addItem(item)
            self._plus.append(item)
        self._scene.setSceneRect(rect)
        self._follow_selection()
        self._fit()

    def _follow_selection(self) -> None:
        for item in self._blocks:
            selected = item.spec.layer == self._selection.layer
            if selected != item.selected_block:
                item.selected_block = selected
                item.update()
        selected_item = self.block_item(self._selection.layer)
        if selected_item is not None and self.transform().m11() > 0:
            self.ensureVisible(selected_item.spec.rect, 8, 0)

    def _zoomed(self, _factor: float) -> None:
        if isValid(self):
            self.rebuild()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.rebuild()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        rect = self._scene.sceneRect()
        viewport = self.viewport().size()
        if rect.width() <= 0 or rect.height() <= 0 or viewport.width() <= 0 or viewport.height() <= 0:
            return
        fit_height = viewport.height() / rect.height()
        fit_width = viewport.width() / rect.width()
        scale = min(fit_height, fit_width, self.MAX_SCALE)
        # Rather than shrink text below readable, scroll sideways (unless the height demands it).
        scale = max(scale, min(fit_height, self.MIN_SCALE))
        self.setTransform(QTransform.fromScale(scale, scale))

    # -- mouse: select, drag to move, "+" to insert ----------------------------------------------
    def _item_at(self, pos) -> BlockItem | PlusItem | None:
        for item in self.items(pos):
            if isinstance(item, (PlusItem, BlockItem)):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        item = self._item_at(event.position().toPoint())
        self._press = (event.position(), item) if item is not None else None
        self._dragging = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            super().mouseMoveEvent(event)
            return
        start, item = self._press
        if not isinstance(item, BlockItem) or not item.spec.draggable:
            return
        delta = event.position() - start
        if not self._dragging and abs(delta.x()) < QApplication.startDragDistance():
            return
        if not self._dragging:
            self._dragging = True
            item.setZValue(20)
            item.setOpacity(0.9)
            item.lifted = True
            item.update()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        scene_dx = self.mapToScene(event.position().toPoint()).x() - self.mapToScene(start.toPoint()).x()
        item.setPos(scene_dx, 0)
        target = self._drop_slot(self.mapToScene(event.position().toPoint()).x())
        for plus in self._plus:
            wanted = plus.position == target and self._move_destination(item.spec.layer, target) is not None
            if plus.drop_target != wanted:
                plus.drop_target = wanted
                plus.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        start, item = self._press
        self._press = None
        if self._dragging:
            self._dragging = False
            self.viewport().unsetCursor()
            assert isinstance(item, BlockItem)
            slot = self._drop_slot(self.mapToScene(event.position().toPoint()).x())
            destination = self._move_destination(item.spec.layer, slot)
            for plus in self._plus:
                plus.drop_target = False
                plus.update()
            if destination is not None:
                self.move_layer(item.spec.layer, destination)   # rebuilds every item
            else:
                item.setPos(0, 0)
                item.setZValue(0)
                item.setOpacity(1.0)
                item.lifted = False
                item.update()
            return
        if isinstance(item, PlusItem):
            self._open_insert_menu(item.position, self.viewport().mapToGlobal(event.position().toPoint()))
        elif isinstance(item, BlockItem):
            self._selection.select(layer=item.spec.layer)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self._item_at(event.position().toPoint())
        if isinstance(item, BlockItem) and item.spec.layer >= 0:
            self.layerActivated.emit(item.spec.layer)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Left / Right select the block beside the selected one; with Ctrl they move the layer."""
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: +1}.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        index = self._selection.layer
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.move_layer(index, index + step)
        else:
            last = len(self._document.design.layers) - 1
            self._selection.select(layer=max(INPUT, min(index + step, last)))
        event.accept()

    def _drop_slot(self, scene_x: float) -> int:
        """The insertion slot (a "+" position) nearest to ``scene_x``."""
        return min(self._plus, key=lambda plus: abs(plus.centre.x() - scene_x)).position

    @staticmethod
    def _move_destination(source: int, slot: int) -> int | None:
        """Where a layer dragged from ``source`` to insertion ``slot`` ends up (None: nowhere new)."""
        destination = slot if slot <= source else slot - 1
        return None if destination == source else destination

    # -- edits (each one document method, i.e. one undo step) -----------------------------------
    def move_layer(self, source: int, destination: int) -> None:
        """Move layer ``source`` to ``destination`` and select it there."""
        moved = self._document.move_layer(source, destination)
        if moved is not None:
            self._selection.select(layer=moved)

    def insert_layer(self, position: int, kind: str) -> None:
        """Insert a new ``kind`` layer so that it becomes layer ``position``, and select it."""
        self._selection.select(layer=self._document.insert_layer(kind, position))

    def insert_menu(self, position: int) -> QMenu:
        """The menu of the layer kinds that a "+" opens; each action's ``data()`` is its kind."""
        menu = QMenu(self)
        menu.setObjectName("insertLayerMenu")
        menu.setToolTipsVisible(True)
        header = menu.addAction(self.tr("Insert as layer {index}:").format(index=position))
        header.setEnabled(False)
        for kind in LAYER_KINDS:
            action = menu.addAction(kind)
            action.setData(kind)
            action.setToolTip(self.tr("Insert a {kind} layer here").format(kind=kind))
            action.triggered.connect(lambda _=False, k=kind: self.insert_layer(position, k))
        return menu

    def _open_insert_menu(self, position: int, global_pos) -> None:
        if self._insert_menu is not None:
            self._insert_menu.hide()
            self._insert_menu.deleteLater()
        self._insert_menu = self.insert_menu(position)
        self._insert_menu.popup(global_pos)

    # -- export ---------------------------------------------------------------------------------
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu().exec(event.globalPos())

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        svg = menu.addAction(self.tr("Export diagram as SVG…"))
        svg.setToolTip(self.tr("A vector drawing for papers and slides"))
        svg.triggered.connect(self._ask_export_svg)
        png = menu.addAction(self.tr("Export diagram as PNG…"))
        png.setToolTip(self.tr("A picture at 3× screen resolution on a white background"))
        png.triggered.connect(self._ask_export_png)
        return menu

    def _ask_export_svg(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export diagram as SVG"), "architecture.svg",
                                              self.tr("SVG drawing (*.svg)"))
        if path:
            self._export_reporting(lambda: self.export_svg(path))

    def _ask_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export diagram as PNG"), "architecture.png",
                                              self.tr("PNG image (*.png)"))
        if path:
            self._export_reporting(lambda: self.export_png(path))

    def _export_reporting(self, export) -> None:
        try:
            export()
        except OSError as error:
            QMessageBox.warning(self, self.tr("Export failed"), str(error))

    def export_rect(self) -> QRectF:
        """The part of the scene an export shows (the whole diagram)."""
        return QRectF(self._scene.sceneRect())

    def _render_for_export(self, painter: QPainter, target: QRectF) -> None:
        """Render the whole scene in the light theme, without the "+" and the selection."""
        saved_theme, saved_brush = self._style.theme, self._scene.backgroundBrush()
        self._style.theme, self._style.exporting = LIGHT, True
        self._scene.setBackgroundBrush(QBrush(LIGHT.background))
        try:
            painter.fillRect(target, LIGHT.background)
            self._scene.render(painter, target, self.export_rect(), Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            self._style.theme, self._style.exporting = saved_theme, False
            self._scene.setBackgroundBrush(saved_brush)
            self._scene.update()

    def export_svg(self, path: str | Path) -> None:
        """Write the diagram as an SVG drawing (vector paths and text). Raises OSError."""
        rect = self.export_rect()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(math.ceil(rect.width()), math.ceil(rect.height())))
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle(self.tr("Architecture of {name}").format(
            name=self._document.design.name or self.tr("the design")))
        generator.setDescription(" → ".join(
            [shape_text(self._document.design.input.shape)]
            + [layer.torch_repr() for layer in self._document.design.layers]))
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError(self.tr("Cannot write {path}").format(path=path))
        try:
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            self._render_for_export(painter, QRectF(0, 0, rect.width(), rect.height()))
        finally:
            painter.end()
        if not Path(path).is_file() or Path(path).stat().st_size == 0:
            raise OSError(self.tr("Cannot write {path}").format(path=path))

    def export_size(self, scale: float = 3.0) -> QSize:
        """The pixel size :meth:`export_png` writes at ``scale``."""
        rect = self.export_rect()
        return QSize(math.ceil(rect.width() * scale), math.ceil(rect.height() * scale))

    def export_png(self, path: str | Path, scale: float = 3.0) -> QSize:
        """Write the diagram as a PNG at ``scale`` × its scene size (slide resolution) on white.
        Returns the image size. Raises OSError."""
        size = self.export_size(scale)
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(LIGHT.background)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        try:
            self._render_for_export(painter, QRectF(0, 0, size.width(), size.height()))
        finally:
            painter.end()
        if not image.save(str(path), "PNG"):
            raise OSError(self.tr("Cannot write {path}").format(path=path))
        return size
