"""The layer stack: the design listed the way ``print(model)`` shows it, with the tools to change it.

:class:`LayerStackPanel` shows one row for the input and one per layer::

    Input 1 × 28 × 28
    [0] Conv2d(1, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))
        → 64 × 14 × 14 · 1,088 parameters

then a total line (parameters, multiply–accumulates, output shape). A layer with a problem is drawn
in the error colour with its message under it; layers after a collapse say their shape is unknown.

The panel is a view: it reads ``document.design`` / ``document.analysis`` every time it paints and
changes the design only through the document's edit methods (one undo step per action). The row that
is current follows the shared :class:`~convdesigner.ui.state.selection.Selection` both ways.

The rows themselves (the list model and how a row is painted) are
:mod:`convdesigner.ui.panels.layer_list`; the layer kinds and their defaults are
:mod:`convdesigner.design.catalog`.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design.catalog import HEAD_CLASSES, LAYER_KINDS
from convdesigner.design.numbers import shape_text
from convdesigner.ui.panels.layer_list import (
    LayerItemDelegate,
    LayerListModel,
    format_count,
    parameter_text,
)
from convdesigner.ui.state.selection import INPUT, Selection
from convdesigner.ui.widgets.palette import error_text_color


def drop_destination(source: int, drop_row: int) -> int | None:
    """The layer index a dragged layer ends up at.

    ``source`` is the dragged layer's index; ``drop_row`` the list row the drop indicator is
    above (row 0 is the input, row ``i + 1`` is layer ``i``; the row count means "at the end").
    None when the drop leaves the layer where it is.
    """
    slot = max(drop_row - 1, 0)                 # insertion slot among the layers
    destination = slot if slot <= source else slot - 1
    return None if destination == source else destination


def drawn_icon(kind: str, color: QColor) -> QIcon:
    """Small vector icons the standard style lacks or draws faintly: ``'add'``, ``'insert'``,
    ``'remove'``, ``'duplicate'``."""
    icon = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit = size / 16.0
        pen = QPen(color, max(1.5, 1.8 * unit))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        if kind == "add":
            painter.drawLine(round(8 * unit), round(2.5 * unit), round(8 * unit), round(13.5 * unit))
            painter.drawLine(round(2.5 * unit), round(8 * unit), round(13.5 * unit), round(8 * unit))
        elif kind == "insert":
            painter.drawLine(round(8 * unit), round(1.5 * unit), round(8 * unit), round(8.5 * unit))
            painter.drawLine(round(4.5 * unit), round(5 * unit), round(11.5 * unit), round(5 * unit))
            painter.setBrush(color)
            painter.drawRoundedRect(round(2 * unit), round(11 * unit), round(12 * unit),
                                    round(3 * unit), unit, unit)
        elif kind == "remove":
            painter.drawLine(round(2.5 * unit), round(4 * unit), round(13.5 * unit), round(4 * unit))
            painter.drawLine(round(6 * unit), round(2 * unit), round(10 * unit), round(2 * unit))
            painter.drawRoundedRect(round(4 * unit), round(6 * unit), round(8 * unit),
                                    round(8 * unit), unit, unit)
            painter.drawLine(round(7 * unit), round(8 * unit), round(7 * unit), round(12 * unit))
            painter.drawLine(round(9 * unit), round(8 * unit), round(9 * unit), round(12 * unit))
        elif kind == "duplicate":
            painter.drawRoundedRect(round(2 * unit), round(2 * unit), round(8 * unit),
                                    round(8 * unit), unit, unit)
            painter.setBrush(color)
            painter.drawRoundedRect(round(6 * unit), round(6 * unit), round(8 * unit),
                                    round(8 * unit), unit, unit)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class _LayerListView(QListView):
    """A list that reports a drag-and-drop reorder as ``rowDropped(source_row, drop_row)`` and
    leaves the actual move to the document (so it is one undo step)."""

    rowDropped = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)

    def dropEvent(self, event) -> None:
        if event.source() is not self:
            event.ignore()
            return
        source = self.currentIndex().row()
        position = event.position().toPoint()
        target = self.indexAt(position)
        where = self.dropIndicatorPosition()
        if not target.isValid():
            drop_row = self.model().rowCount()
        elif where == QAbstractItemView.DropIndicatorPosition.BelowItem:
            drop_row = target.row() + 1
        elif where == QAbstractItemView.DropIndicatorPosition.AboveItem:
            drop_row = target.row()
        else:
            drop_row = target.row() + (1 if position.y() > self.visualRect(target).center().y() else 0)
        # The document makes the move; tell Qt nothing was moved so it removes nothing itself.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if source > 0:
            self.rowDropped.emit(source, drop_row)


# -- the panel ---------------------------------------------------------------------------------------
class LayerStackPanel(QWidget):
    """The layer list with Add / Insert above / Remove / Duplicate / Move up / Move down and drag-and-drop.

    Public pieces for the main window and tests: ``model`` (:class:`LayerListModel`), ``view``
    (the list), ``total_label``, ``toolbar`` and the actions ``add_action``, ``insert_action``,
    ``remove_action``, ``duplicate_action``, ``move_up_action``, ``move_down_action``; the
    methods :meth:`add_layer`, :meth:`insert_layer`, :meth:`remove_layer`, :meth:`duplicate_layer`
    and :meth:`move_layer` each call the document's method of that name (one undo step) and
    select the layer it returns.
    """

    def __init__(self, document, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self._syncing = False

        self.model = LayerListModel(document, self)
        self.view = _LayerListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(LayerItemDelegate(self.view))
        self.view.setAccessibleName(self.tr("Layers"))

        self.total_label = QLabel(self)
        self.total_label.setWordWrap(True)
        self.total_label.setTextFormat(Qt.TextFormat.PlainText)
        self.total_label.setMargin(4)
        total_font = QFont(self.font())
        total_font.setBold(True)
        self.total_label.setFont(total_font)
        self.total_label.setToolTip(self.tr(
            "Parameters: the numbers the network learns. MACs: multiply–accumulate operations "
            "needed for one input image."))
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setMargin(4)

        # "Add a classifier head": offered while the output is not 10 class scores.
        self.head_button = QPushButton(self.tr("Add a classifier head"), self)
        self.head_button.setToolTip(self.tr(
            "Append Flatten() and Linear(C·H·W, 10) sized to the current output, so the network "
            "scores the ten digits (one undo step)."))
        self.head_button.clicked.connect(self.add_classifier_head)

        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.head_button)

        document.designChanged.connect(self._on_design_changed)
        selection.changed.connect(self._follow_selection)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.rowDropped.connect(self._on_row_dropped)
        self._render_totals()
        self._follow_selection()

    # -- construction -----------------------------------------------------------------------
    def _build_actions(self) -> None:
        style = self.style()
        icon_color = self.palette().color(QPalette.ColorRole.ButtonText)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut

        def make(text: str, tip: str, icon: QIcon, shortcut: QKeySequence | None) -> QAction:
            action = QAction(icon, text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
                action.setShortcutContext(context)
                tip = self.tr("{tip} ({shortcut})").format(
                    tip=tip, shortcut=shortcut.toString(QKeySequence.SequenceFormat.NativeText))
            action.setToolTip(tip)
            action.setStatusTip(tip)
            self.addAction(action)
            return action

        self.add_menu = QMenu(self.tr("Add layer"), self)
        self.insert_menu = QMenu(self.tr("Insert layer above"), self)
        for kind in LAYER_KINDS:
            self.add_menu.addAction(kind).triggered.connect(lambda _=False, k=kind: self.add_layer(k))
            self.insert_menu.addAction(kind).triggered.connect(lambda _=False, k=kind: self.insert_layer(k))

        self.add_action = make(self.tr("Add"), self.tr("Add a layer below the selected one"),
                               drawn_icon("add", icon_color), QKeySequence(Qt.Key.Key_Insert))
        self.add_action.setMenu(self.add_menu)
        self.add_action.triggered.connect(lambda: self._popup(self.add_menu, self.add_action))
        self.insert_action = make(self.tr("Insert"), self.tr("Insert a layer above the selected one"),
                                  drawn_icon("insert", icon_color),
                                  QKeySequence(Qt.KeyboardModifier.ShiftModifier | Qt.Key.Key_Insert))
        self.insert_action.setMenu(self.insert_menu)
        self.insert_action.triggered.connect(lambda: self._popup(self.insert_menu, self.insert_action))
        self.remove_action = make(self.tr("Remove"), self.tr("Remove the selected layer"),
                                  drawn_icon("remove", icon_color),
                                  QKeySequence(Qt.Key.Key_Delete))
        # Backspace too: many laptop keyboards (every Mac) have no separate Delete key.
        self.remove_action.setShortcuts([QKeySequence(Qt.Key.Key_Delete),
                                         QKeySequence(Qt.Key.Key_Backspace)])
        self.remove_action.triggered.connect(lambda: self.remove_layer(self._selection.layer))
        self.duplicate_action = make(self.tr("Duplicate"), self.tr("Duplicate the selected layer"),
                                     drawn_icon("duplicate", icon_color), QKeySequence("Ctrl+D"))
        self.duplicate_action.triggered.connect(lambda: self.duplicate_layer(self._selection.layer))
        self.move_up_action = make(self.tr("Up"), self.tr("Move the selected layer up"),
                                   style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp),
                                   QKeySequence("Ctrl+Up"))
        self.move_up_action.triggered.connect(lambda: self._move_selected(-1))
        self.move_down_action = make(self.tr("Down"), self.tr("Move the selected layer down"),
                                     style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
                                     QKeySequence("Ctrl+Down"))
        self.move_down_action.triggered.connect(lambda: self._move_selected(+1))

        self.toolbar = QToolBar(self.tr("Layer tools"), self)
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.add_action, self.insert_action):
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.toolbar.addSeparator()
        for action in (self.remove_action, self.duplicate_action, self.move_up_action,
                       self.move_down_action):
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.toolbar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _popup(self, menu: QMenu, action: QAction) -> None:
        """Keyboard shortcut of Add / Insert: open the kind menu under its button."""
        button = self.toolbar.widgetForAction(action)
        if button is not None and button.isVisible():
            menu.popup(button.mapToGlobal(QPoint(0, button.height())))
        else:
            menu.popup(self.view.mapToGlobal(self.view.rect().center()))

    # -- edits (each one document method, i.e. one undo step) -----------------------------------
    def add_layer(self, kind: str, index: int | None = None) -> None:
        """Add a new ``kind`` layer at ``index`` (default: just below the selected row)."""
        if index is None:
            index = self._selection.layer + 1
        self._select_after_edit(self._document.add_layer(kind, index))

    def insert_layer(self, kind: str, index: int | None = None) -> None:
        """Insert a new ``kind`` layer above layer ``index`` (default: the selected layer)."""
        if index is None:
            index = max(self._selection.layer, 0)
        self._select_after_edit(self._document.insert_layer(kind, index))

    def add_classifier_head(self) -> None:
        """Append the classifier head (Flatten, Linear to 10) and select its Linear."""
        self._select_after_edit(self._document.add_classifier_head())

    def remove_layer(self, index: int) -> None:
        self._select_after_edit(self._document.remove_layer(index))

    def duplicate_layer(self, index: int) -> None:
        self._select_after_edit(self._document.duplicate_layer(index))

    def move_layer(self, source: int, destination: int) -> None:
        self._select_after_edit(self._document.move_layer(source, destination))

    def _move_selected(self, step: int) -> None:
        index = self._selection.layer
        self.move_layer(index, index + step)

    def _on_row_dropped(self, source_row: int, drop_row: int) -> None:
        destination = drop_destination(source_row - 1, drop_row)
        if destination is not None:
            self.move_layer(source_row - 1, destination)

    def _select_after_edit(self, layer: int | None) -> None:
        """Select ``layer`` after an edit (None: the edit did nothing)."""
        if layer is not None:
            self._selection.select(layer=max(layer, INPUT))
        self._update_actions()

    # -- following the document and the selection -------------------------------------------
    def _on_design_changed(self) -> None:
        # The model has reset itself (it connected first) and the selection has kept itself
        # inside the design; re-select and re-total.
        self._render_totals()
        self._follow_selection()
        self.view.doItemsLayout()

    def _follow_selection(self) -> None:
        row = self._selection.layer + 1
        if not 0 <= row < self.model.rowCount():
            row = 0
        index = self.model.index(row, 0)
        self._syncing = True
        try:
            if self.view.currentIndex() != index or not self.view.selectionModel().isSelected(index):
                self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        finally:
            self._syncing = False
        self._update_actions()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        self._selection.select(layer=current.row() - 1)
        self._update_actions()

    def _update_actions(self) -> None:
        index = self._selection.layer
        count = len(self._document.design.layers)
        is_layer = 0 <= index < count
        self.insert_action.setEnabled(is_layer)
        self.remove_action.setEnabled(is_layer)
        self.duplicate_action.setEnabled(is_layer)
        self.move_up_action.setEnabled(is_layer and index > 0)
        self.move_down_action.setEnabled(is_layer and index < count - 1)

    def _render_totals(self) -> None:
        analysis = self._document.analysis
        output = analysis.output_shape
        shape = (shape_text(output, "spaced") if output is not None else self.tr("unknown"))
        if analysis.totals_defined:
            totals = self.tr("Total: {parameters} · {macs} MACs").format(
                parameters=parameter_text(analysis.total_parameters),
                macs=format_count(analysis.total_macs))
        else:   # never a sum that leaves out a layer, or counts 64 // 3 sub-kernels
            totals = self.tr("Total: — (a layer above has a problem)")
        output_line = self.tr("Output: {shape}").format(shape=shape)
        self.total_label.setText(f"{totals}\n{output_line}")
        self.head_button.setVisible(output is not None and not analysis.problems
                                    and tuple(output) != (HEAD_CLASSES,))
        count = len(analysis.problems)
        if count:
            text = (self.tr("1 problem: see the red row") if count == 1 else
                    self.tr("{count} problems: see the red rows").format(count=count))
            self.problems_label.setText(f"⚠ {text}")
            color = error_text_color(self.palette()).name()
            self.problems_label.setStyleSheet(f"color: {color}; font-weight: bold;")
            self.problems_label.show()
        else:
            self.problems_label.clear()
            self.problems_label.hide()
