"""The layer list's items: :class:`LayerListModel` (a row for the input and one per layer, read live
from the document) and :class:`LayerItemDelegate` (how a row is painted: the PyTorch line wrapped
at its commas, the output shape, the problems in the error colour).

Texts are in the context ``"layer_stack"``. Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from convdesigner.design import Analysis, Design
from convdesigner.design.numbers import shape_text
from convdesigner.ui.i18n import problem_text, translate
from convdesigner.ui.state.selection import INPUT
from convdesigner.ui.widgets.palette import (
    error_background_color,
    error_bar_color,
    error_text_color,
    monospace_font,
    secondary_text_color,
)
from convdesigner.ui.widgets.wrapping import wrap_call
from convdesigner.ui.zoom import ui_scale

ROLE_REPR = Qt.ItemDataRole.UserRole + 1        # "Conv2d(1, 64, ...)" or None for the input row
ROLE_SUMMARY = Qt.ItemDataRole.UserRole + 2     # "→ 64 × 14 × 14 · 1,088 parameters"
ROLE_PROBLEMS = Qt.ItemDataRole.UserRole + 3    # list[str]: the row's validation messages
ROLE_LAYER = Qt.ItemDataRole.UserRole + 4       # layer index, or INPUT for the input row
ROLE_UNKNOWN = Qt.ItemDataRole.UserRole + 5     # True when the row's output shape is unknown


def format_count(count: int) -> str:
    return f"{count:,}"


def parameter_text(count: int) -> str:
    if count == 0:
        return translate("layer_stack", "no parameters")
    if count == 1:
        return translate("layer_stack", "1 parameter")
    return translate("layer_stack", "{count} parameters").format(count=format_count(count))


# -- model ----------------------------------------------------------------------------------------
class LayerListModel(QAbstractListModel):
    """Rows of the stack, read live from the document: row 0 is the input, row ``i + 1`` layer ``i``.

    Holds no copy of the design; it resets itself whenever the document's design changes.
    """

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self._document = document
        document.designChanged.connect(self._on_design_changed)

    def _on_design_changed(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    # -- reading ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._document.design.layers) + 1

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled      # drops land between rows, never on one
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.row() > 0:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        design, analysis = self._document.design, self._document.analysis
        layer_index = index.row() - 1
        if role == ROLE_LAYER:
            return INPUT if layer_index < 0 else layer_index
        if layer_index < 0:
            return self._input_data(design, analysis, role)
        layer = design.layers[layer_index]
        info = analysis.layers[layer_index]
        problems = [problem_text(p, without_layer=True) for p in analysis.problems_of(layer_index)]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"[{layer_index}] {layer.torch_repr()}"
        if role == ROLE_REPR:
            return layer.torch_repr()
        if role == ROLE_PROBLEMS:
            return problems
        if role == ROLE_UNKNOWN:
            return info is None
        if role == ROLE_SUMMARY:
            if info is None:
                if problems:
                    return translate("layer_stack", "→ output shape unknown")
                return translate("layer_stack", "→ output shape unknown (a layer above has a problem)")
            return translate("layer_stack", "→ {shape} · {parameters}").format(
                shape=shape_text(info.out_shape, "spaced"),
                parameters=parameter_text(info.parameters) if info.counts_defined
                else translate("layer_stack", "parameters unknown"))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"[{layer_index}] {layer.torch_repr()}", self.data(index, ROLE_SUMMARY)]
            lines += [f"⚠ {message}" for message in problems]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return "\n".join([f"[{layer_index}] {layer.torch_repr()}", self.data(index, ROLE_SUMMARY),
                              *problems])
        return None

    def _input_data(self, design: Design, analysis: Analysis, role: int):
        problems = [problem_text(p) for p in analysis.problems_of(None)]
        if role == Qt.ItemDataRole.DisplayRole:
            return translate("layer_stack", "Input {shape}").format(
                shape=shape_text(design.input.shape, "spaced"))
        if role == ROLE_PROBLEMS:
            return problems
        if role == ROLE_UNKNOWN:
            return bool(problems)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            text = translate("layer_stack", "Input image: {channels} channel(s) of {height} × {width} pixels").format(
                channels=design.input.channels, height=design.input.height, width=design.input.width)
            return "\n".join([text, *[f"⚠ {message}" for message in problems]])
        return None


# -- painting -------------------------------------------------------------------------------------
class LayerItemDelegate(QStyledItemDelegate):
    """Draws a row: the PyTorch line in monospace (wrapped at its commas), the shape line, and any
    problem in the error colour on a tinted background with a red bar at the left."""

    PAD_X = 10
    PAD_Y = 7
    GAP = 3
    BAR = 5

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        mono = monospace_font(base, 1.0)
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(max(base.pointSizeF(), 1.0) + 1.0 * ui_scale())   # base follows the zoom
        return mono, QFont(base), title

    def _blocks(self, index: QModelIndex, base: QFont, width: int) -> list[tuple[QFont, str, list[str], bool]]:
        """``(font, colour key, lines, word-wrap)`` from top to bottom."""
        mono, body, title = self._fonts(base)
        blocks: list[tuple[QFont, str, list[str], bool]] = []
        if index.data(ROLE_LAYER) == INPUT:
            blocks.append((title, "text", [index.data(Qt.ItemDataRole.DisplayRole)], False))
        else:
            lines = wrap_call(index.data(Qt.ItemDataRole.DisplayRole), QFontMetrics(mono), width)
            blocks.append((mono, "text", lines, False))
            blocks.append((body, "unknown" if index.data(ROLE_UNKNOWN) else "secondary",
                           [index.data(ROLE_SUMMARY)], True))
        for message in index.data(ROLE_PROBLEMS) or []:
            blocks.append((body, "error", [f"⚠ {message}"], True))
        return blocks

    def _text_width(self, total_width: int) -> int:
        return max(total_width - 2 * self.PAD_X - self.BAR, 40)

    @staticmethod
    def _block_height(font: QFont, lines: list[str], wrap: bool, width: int) -> int:
        metrics = QFontMetrics(font)
        if wrap:
            return metrics.boundingRect(QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap,
                                        lines[0]).height()
        return metrics.lineSpacing() * len(lines)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        total = self._view.viewport().width()
        width = self._text_width(total)
        blocks = self._blocks(index, option.font, width)
        height = sum(self._block_height(f, lines, wrap, width) for f, _, lines, wrap in blocks)
        height += self.GAP * (len(blocks) - 1) + 2 * self.PAD_Y
        return QSize(total, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        palette = option.palette
        rect = option.rect
        problems = bool(index.data(ROLE_PROBLEMS))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        background = error_background_color(palette) if problems else palette.color(QPalette.ColorRole.Base)
        painter.fillRect(rect, background)
        highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        if selected:
            tint = QColor(highlight)
            tint.setAlpha(55)
            painter.fillRect(rect, tint)
        elif hovered:
            tint = QColor(highlight)
            tint.setAlpha(18)
            painter.fillRect(rect, tint)
        if problems:
            painter.fillRect(QRect(rect.left(), rect.top(), self.BAR, rect.height()), error_bar_color(palette))
        elif selected:
            painter.fillRect(QRect(rect.left(), rect.top(), self.BAR, rect.height()), highlight)
        if selected:
            frame = QPen(highlight, 2)
            painter.setPen(frame)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Midlight), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

        colors = {
            "text": palette.color(QPalette.ColorRole.Text),
            "secondary": secondary_text_color(palette),
            "unknown": secondary_text_color(palette),
            "error": error_text_color(palette),
        }
        width = self._text_width(rect.width())
        x = rect.left() + self.BAR + self.PAD_X
        y = rect.top() + self.PAD_Y
        for font, color_key, lines, wrap in self._blocks(index, option.font, width):
            if color_key == "unknown":
                font = QFont(font)
                font.setItalic(True)
            painter.setFont(font)
            painter.setPen(colors[color_key])
            height = self._block_height(font, lines, wrap, width)
            if wrap:
                painter.drawText(QRect(x, y, width, height),
                                 Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, lines[0])
            else:
                metrics = QFontMetrics(font)
                for number, line in enumerate(lines):
                    painter.drawText(QPoint(x, y + number * metrics.lineSpacing() + metrics.ascent()), line)
            y += height + self.GAP
        painter.restore()
