"""The kernel editor: edit one sub-kernel of the selected Conv2d by hand, by painting or by preset.

For the selected layer, kernel (``selection.out_channel``) and sub-kernel (``selection.sub_kernel``)
:class:`KernelEditor` shows

* a grid of the ``kH×kW`` weights (a :class:`QTableWidget`), coloured blue – white – red around 0;
  double-click or type to edit a cell, Enter commits: one undo step per cell;
* a large rendering of the same weights to paint on
  (:class:`~convdesigner.ui.widgets.kernel_paint.KernelPaintArea`): the left button adds ``step``
  to each cell the stroke enters, the right button subtracts it;
* the kernel's bias;
* presets (:mod:`convdesigner.design.presets`, plus PyTorch's default initialisation under a seed)
  applied to this sub-kernel, this whole kernel or the whole layer: one undo step;
* "Zero this input channel" and "Restore", which brings the zeroed values back bit for bit.

Every change is one of the document's edit methods (``set_weight``, ``set_bias``, ``apply_preset``,
``zero_input_channel`` / ``restore_input_channel``; the values Restore brings back are kept by the
document's undo history, not here). A paint stroke is a document stroke: ``begin_stroke`` on the
press, ``preview_layer`` at each cell it enters (so every live view follows), ``end_stroke`` on the
release -- one undo step per stroke, which restores the weights bit for bit.

The editor refreshes on ``document.designChanged`` and ``selection.changed`` with its controls'
signals blocked, so a refresh never pushes an edit.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QCoreApplication, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design import Conv2d
from convdesigner.design.numbers import as_float32 as as_weight
from convdesigner.design.numbers import (
    cell_decimals,
    cell_text,
    format_value,
    parse_number,
)
from convdesigner.design.presets import (
    PRESETS,
    PYTORCH_INIT,
    SCOPE_KERNEL,
    SCOPE_LAYER,
    SCOPE_SUB_KERNEL,
    apply_to_sub_kernel,
    sub_kernel_values,
)
from convdesigner.errors import DesignError
from convdesigner.ui.i18n import render
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import Selection
from convdesigner.ui.views.colors import diverging_qcolor, diverging_scale, format_level
from convdesigner.ui.widgets.eliding import ElidingCheckBox
from convdesigner.ui.widgets.kernel_paint import KernelPaintArea, text_colour_on
from convdesigner.ui.zoom import ui_scale, zoom_signals

ERROR_STYLE = "color: #c62828;"


def paint_step_for(largest: float) -> float:
    """A 1-2-5 step near ``largest / 10`` (0.05 when the layer is all zeros)."""
    if not np.isfinite(largest) or largest <= 0:
        return 0.05
    target = largest / 10
    exponent = np.floor(np.log10(target))
    for mantissa in (1, 2, 5, 10):
        if mantissa * 10 ** exponent >= target * 0.75:
            return float(max(round(mantissa * 10 ** exponent, 6), 0.0001))
    return float(target)


@dataclass
class _Stroke:
    """One paint stroke in progress: where it paints, the values so far, the cells it entered."""

    layer_index: int
    out_channel: int
    sub_kernel: int
    sign: float
    values: np.ndarray
    visited: set[tuple[int, int]] = field(default_factory=set)


class _ValueDelegate(QStyledItemDelegate):
    """Edits a cell with its *exact* float32 value (the cell shows a short one) and hands the typed
    text to the editor's commit, so Enter always commits what was typed."""

    def __init__(self, editor: KernelEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def createEditor(self, parent, option, index):
        line = QLineEdit(parent)
        line.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        return line

    def setEditorData(self, editor, index) -> None:
        value = index.data(Qt.UserRole)
        editor.setText(format_value(value) if value is not None else str(index.data() or ""))
        editor.selectAll()

    def setModelData(self, editor, model, index) -> None:
        self._editor.commit_cell(index.row(), index.column(), editor.text())


class KernelEditor(QWidget):
    """Edit the selected sub-kernel of the selected Conv2d (see the module docstring)."""

    def __init__(self, document: DesignDocument, selection: Selection,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self._stroke: _Stroke | None = None
        self._build()
        document.designChanged.connect(self.refresh)
        selection.changed.connect(self.refresh)
        self.refresh()

    # -- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        # At the top: the page is as tall as the editor, often taller than the dock.
        self.notice.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.notice.setMargin(12)
        self.notice.setToolTip(self.tr("The kernel editor works on a Conv2d layer"))

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setToolTip(self.tr("The sub-kernel being edited: the weights one output channel "
                                       "(kernel) applies to one of its input channels"))

        self.kernel_spin = QSpinBox()
        self.kernel_spin.setToolTip(self.tr("Which kernel (output channel) of the layer to edit"))
        self.kernel_spin.valueChanged.connect(lambda value: self._selection.select(out_channel=value))
        self.sub_kernel_spin = QSpinBox()
        self.sub_kernel_spin.setToolTip(self.tr("Which sub-kernel of the kernel to edit: one per "
                                                "input channel the kernel reads"))
        self.sub_kernel_spin.valueChanged.connect(lambda value: self._selection.select(sub_kernel=value))
        self.bias_edit = QLineEdit()
        self.bias_edit.setToolTip(self.tr("The bias of this kernel: added to every pixel of its "
                                          "output map. Type a number and press Enter."))
        self.bias_edit.setMinimumWidth(70)
        self.bias_edit.editingFinished.connect(self._bias_edited)
        # Two rows, so that the panel fits a narrow dock in every language.
        pick = QGridLayout()
        pick.setContentsMargins(0, 0, 0, 0)
        pick.addWidget(QLabel(self.tr("Kernel")), 0, 0)
        pick.addWidget(self.kernel_spin, 0, 1)
        pick.addWidget(QLabel(self.tr("Sub-kernel")), 0, 2)
        pick.addWidget(self.sub_kernel_spin, 0, 3)
        pick.addWidget(QLabel(self.tr("Bias")), 1, 0)
        pick.addWidget(self.bias_edit, 1, 1, 1, 3)
        pick.setColumnStretch(1, 1)
        pick.setColumnStretch(3, 1)

        self.table = QTableWidget()
        self.table.setItemDelegate(_ValueDelegate(self))
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.AnyKeyPressed)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(46)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self._table_font()
        zoom_signals().changed.connect(self._table_font)   # a hand-set font follows the UI zoom
        self.table.setToolTip(self.tr("The weights of this sub-kernel (row, column). Double-click "
                                      "or start typing to edit; Enter commits."))
        self.paint_area = KernelPaintArea()
        self.paint_area.strokeStarted.connect(self._stroke_started)
        self.paint_area.cellEntered.connect(self._cell_painted)
        self.paint_area.strokeFinished.connect(self._stroke_finished)
        self.paint_area.hovered.connect(self._hovered)
        self.table.setSizeAdjustPolicy(QAbstractItemView.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)

        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.legend.setToolTip(self.tr("Blue is negative, white 0, red positive; the scale spans "
                                       "± the largest |weight| of this sub-kernel"))
        self.step_spin = QDoubleSpinBox()
        self.step_spin.setDecimals(4)
        self.step_spin.setRange(0.0001, 100.0)
        self.step_spin.setSingleStep(0.01)
        self.step_spin.setValue(0.05)
        self.step_spin.setToolTip(self.tr("How much one paint stroke adds to (left button) or "
                                          "subtracts from (right button) each cell it passes"))
        step_label = QLabel(self.tr("Paint step"))
        step_label.setToolTip(self.step_spin.toolTip())
        step_row = QHBoxLayout()
        step_row.setContentsMargins(0, 0, 0, 0)
        step_row.addWidget(step_label)
        step_row.addWidget(self.step_spin)
        step_row.addStretch(1)
        numbers = QVBoxLayout()
        numbers.setContentsMargins(0, 0, 0, 0)
        numbers.addWidget(self.table)
        numbers.addWidget(self.legend)
        numbers.addLayout(step_row)
        numbers.addStretch(1)
        grids = QHBoxLayout()
        grids.setContentsMargins(0, 0, 0, 0)
        grids.addLayout(numbers)
        grids.addWidget(self.paint_area, 1)

        self.preset_combo = QComboBox()
        for key, preset in PRESETS.items():
            self.preset_combo.addItem(QCoreApplication.translate("presets", preset.name), key)
            self.preset_combo.setItemData(
                self.preset_combo.count() - 1,
                self.tr("{description} Sizes: {sizes}.").format(
                    description=QCoreApplication.translate("presets", preset.description),
                    sizes=QCoreApplication.translate("presets", preset.sizes)),
                Qt.ToolTipRole)
        self.preset_combo.addItem(self.tr("PyTorch default init"), PYTORCH_INIT)
        self.preset_combo.setItemData(
            self.preset_combo.count() - 1,
            self.tr("The values nn.Conv2d starts with: torch.manual_seed(seed), then Kaiming-uniform "
                    "weights in ±1/√(fan-in)."), Qt.ToolTipRole)
        self.preset_combo.setToolTip(self.tr("A ready-made kernel to apply (hover an entry for what "
                                             "it does)"))
        self.preset_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(9)
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        self.theta_spin = QDoubleSpinBox()
        self.theta_spin.setRange(-180.0, 180.0)
        self.theta_spin.setDecimals(1)
        self.theta_spin.setSingleStep(15.0)
        self.theta_spin.setWrapping(True)
        self.theta_spin.setSuffix(self.tr("°"))
        self.theta_spin.setToolTip(self.tr("Gabor orientation θ, counter-clockwise: 0° makes vertical "
                                           "stripes, 90° horizontal ones"))
        self.theta_label = QLabel(self.tr("θ"))
        self.theta_label.setToolTip(self.theta_spin.toolTip())
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(self.tr("The seed given to torch.manual_seed before nn.Conv2d "
                                          "draws its default values"))
        self.seed_label = QLabel(self.tr("Seed"))
        self.seed_label.setToolTip(self.seed_spin.toolTip())
        preset_row = self._preset_row = QHBoxLayout()
        preset_row.setContentsMargins(0, 0, 0, 0)
        preset_label = QLabel(self.tr("Preset"))
        preset_label.setToolTip(self.preset_combo.toolTip())
        preset_row.addWidget(preset_label)
        preset_row.addWidget(self.preset_combo, 1)
        for widget in (self.theta_label, self.theta_spin, self.seed_label, self.seed_spin):
            preset_row.addWidget(widget)

        self.scope_combo = QComboBox()
        self.scope_combo.setToolTip(self.tr("Where Apply puts the preset: this sub-kernel only, every "
                                            "sub-kernel of this kernel, or every kernel of the layer"))
        self.scope_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.scope_combo.setMinimumContentsLength(12)
        self.scope_combo.currentIndexChanged.connect(self._update_controls)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setToolTip(self.tr("Apply the preset to the chosen scope (one undo step)"))
        self.apply_button.clicked.connect(self.apply_preset)
        scope_row = QHBoxLayout()
        scope_row.setContentsMargins(0, 0, 0, 0)
        scope_label = QLabel(self.tr("To"))
        scope_label.setToolTip(self.scope_combo.toolTip())
        scope_row.addWidget(scope_label)
        scope_row.addWidget(self.scope_combo, 1)
        scope_row.addWidget(self.apply_button)
        self.bias_check = ElidingCheckBox()
        self.bias_check.setToolTip(self.tr("Also set the bias of every kernel Apply touches (a "
                                           "sub-kernel's: its kernel's bias)"))

        self.zero_button = QPushButton(self.tr("Zero this input channel"))
        self.zero_button.setToolTip(self.tr("Set this sub-kernel to 0, so the kernel ignores the input "
                                            "channel it reads; Restore brings the values back"))
        self.zero_button.clicked.connect(self.zero_sub_kernel)
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setToolTip(self.tr("Bring back exactly the values this sub-kernel had "
                                               "before it was zeroed"))
        self.restore_button.clicked.connect(self.restore_sub_kernel)
        zero_row = QHBoxLayout()
        zero_row.setContentsMargins(0, 0, 0, 0)
        zero_row.addWidget(self.zero_button, 1)
        zero_row.addWidget(self.restore_button)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setToolTip(self.tr("Why the last action could not be done"))

        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addLayout(pick)
        layout.addLayout(grids, 1)
        layout.addLayout(preset_row)
        layout.addLayout(scope_row)
        layout.addWidget(self.bias_check)
        layout.addLayout(zero_row)
        layout.addWidget(self.message)

        self.pages = QStackedWidget()
        self.pages.addWidget(editor)
        self.pages.addWidget(self.notice)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.pages)

    def sizeHint(self) -> QSize:
        return QSize(360, 420)

    def resizeEvent(self, event) -> None:
        # A big kernel's grid scrolls rather than squeezing the paint area below about 40 %.
        self.table.setMaximumWidth(max(150, int(self.width() * 0.62)))
        super().resizeEvent(event)

    # -- what is being edited -------------------------------------------------------------------
    def context(self) -> tuple[int, Conv2d, int, int] | None:
        """``(layer index, layer, kernel, sub-kernel)`` being edited, or None when there is none."""
        design = self._document.design
        index = self._selection.layer
        if not 0 <= index < len(design.layers):
            return None
        layer = design.layers[index]
        if not isinstance(layer, Conv2d) or layer.weight is None or layer.weight.shape != layer.weight_shape:
            return None
        out_channel, sub_kernel = self._selection.out_channel, self._selection.sub_kernel
        if not (0 <= out_channel < layer.out_channels and 0 <= sub_kernel < layer.in_per_group):
            return None
        return index, layer, out_channel, sub_kernel

    def current_values(self) -> np.ndarray | None:
        """The shown sub-kernel's weights (a copy), or None."""
        context = self.context()
        return None if context is None else sub_kernel_values(context[1], context[2], context[3])

    def _notice_text(self) -> str:
        design = self._document.design
        index = self._selection.layer
        if not 0 <= index < len(design.layers):
            return self.tr("Select a Conv2d layer to edit its kernels.")
        layer = design.layers[index]
        if not isinstance(layer, Conv2d):
            return self.tr("Layer {index} is a {kind}, which has no kernels. Select a Conv2d layer to "
                           "edit its kernels.").format(index=index, kind=layer.kind)
        if layer.weight is None or layer.weight.shape != layer.weight_shape:
            return self.tr("Layer {index} has no weights yet: fix its settings first.").format(index=index)
        return self.tr("Kernel {kernel}, sub-kernel {sub} is outside layer {index}.").format(
            kernel=self._selection.out_channel, sub=self._selection.sub_kernel, index=index)

    # -- refresh (never pushes an edit) ---------------------------------------------------------
    def refresh(self) -> None:
        """Show the document's current values for the current selection."""
        context = self.context()
        if context is None:
            self.notice.setText(self._notice_text())
            self.pages.setCurrentWidget(self.notice)
            self._update_controls()
            return
        self.pages.setCurrentIndex(0)
        index, layer, out_channel, sub_kernel = context
        values = sub_kernel_values(layer, out_channel, sub_kernel)
        kh, kw = layer.kernel_size
        levels = diverging_scale(values).levels
        self.header.setText(self.tr("Layer {index}: kernel {kernel} of {kernels}, sub-kernel {sub} of "
                                    "{subs} (reads input channel {channel}), {kh}×{kw} weights").format(
            index=index, kernel=out_channel, kernels=layer.out_channels, sub=sub_kernel,
            subs=layer.in_per_group, channel=layer.input_channel(out_channel, sub_kernel),
            kh=kh, kw=kw))
        blockers = [QSignalBlocker(widget) for widget in (
            self.kernel_spin, self.sub_kernel_spin, self.bias_edit, self.table, self.scope_combo)]
        try:
            self.kernel_spin.setRange(0, layer.out_channels - 1)
            self.kernel_spin.setValue(out_channel)
            self.sub_kernel_spin.setRange(0, layer.in_per_group - 1)
            self.sub_kernel_spin.setValue(sub_kernel)
            if layer.bias and layer.bias_values is not None:
                self.bias_edit.setEnabled(True)
                self.bias_edit.setPlaceholderText("")
                self.bias_edit.setText(format_value(layer.bias_values[out_channel]))
            else:
                self.bias_edit.setEnabled(False)
                self.bias_edit.clear()
                self.bias_edit.setPlaceholderText(self.tr("no bias"))
            self._fill_table(layer, index, out_channel, sub_kernel, values, levels)
            self._fill_scopes(layer)
        finally:
            del blockers
        self.paint_area.set_values(values, levels)
        self._follow_weight_scale(index, layer)
        self.legend.setText(self.tr("colours: ±{level} (blue < 0 < red)").format(
            level=format_level(levels[1])))
        self._update_controls()

    def _follow_weight_scale(self, index: int, layer: Conv2d) -> None:
        """On another layer, the paint step becomes about a tenth of its largest |weight|
        (a 1-2-5 number): layer 2's weights of ~±0.03 get 0.002, not a step that overshoots
        their whole range in one click. The user's own step stays until the layer changes."""
        key = (index, layer.weight_shape)
        if getattr(self, "_step_for", None) == key or layer.weight is None:
            return
        self._step_for = key
        self.step_spin.setValue(paint_step_for(float(np.max(np.abs(layer.weight)))))

    def _fill_table(self, layer: Conv2d, index: int, out_channel: int, sub_kernel: int,
                    values: np.ndarray, levels: tuple[float, float]) -> None:
        kh, kw = values.shape
        decimals = cell_decimals(values)
        if (self.table.rowCount(), self.table.columnCount()) != (kh, kw):
            self.table.setRowCount(kh)
            self.table.setColumnCount(kw)
            self.table.setHorizontalHeaderLabels([str(c) for c in range(kw)])
            self.table.setVerticalHeaderLabels([str(r) for r in range(kh)])
        for row in range(kh):
            for column in range(kw):
                value = values[row, column]
                item = self.table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                    self.table.setItem(row, column, item)
                colour = diverging_qcolor(value, levels)
                item.setText(cell_text(value, decimals))
                item.setData(Qt.UserRole, float(value))
                item.setBackground(QBrush(colour))
                item.setForeground(QBrush(text_colour_on(colour)))
                item.setToolTip(self.tr("weight[{index}][{o}, {s}, {r}, {c}] = {value}\nDouble-click or "
                                        "type to edit").format(index=index, o=out_channel, s=sub_kernel,
                                                               r=row, c=column, value=format_value(value)))

    def _fill_scopes(self, layer: Conv2d) -> None:
        current = self.scope_combo.currentData() or SCOPE_SUB_KERNEL
        self.scope_combo.clear()
        self.scope_combo.addItem(self.tr("this sub-kernel"), SCOPE_SUB_KERNEL)
        self.scope_combo.addItem(self.tr("this kernel (all {n} sub-kernels)").format(n=layer.in_per_group),
                                 SCOPE_KERNEL)
        self.scope_combo.addItem(self.tr("the whole layer ({n} kernels)").format(n=layer.out_channels),
                                 SCOPE_LAYER)
        self.scope_combo.setCurrentIndex(max(self.scope_combo.findData(current), 0))

    def _preset_changed(self) -> None:
        self.message.clear()
        self._update_controls()

    def _update_controls(self) -> None:
        """Show the parameters the preset takes, say when it does not fit the size, and enable
        Zero / Restore according to the shown values."""
        key = self.preset_combo.currentData()
        self.theta_label.setVisible(key == "gabor")
        self.theta_spin.setVisible(key == "gabor")
        self.seed_label.setVisible(key == PYTORCH_INIT)
        self.seed_spin.setVisible(key == PYTORCH_INIT)
        self._preset_row.invalidate()   # Qt does not, for children hidden before the first show
        self.bias_check.setText(self.tr("Also re-initialise the bias") if key == PYTORCH_INIT
                                else self.tr("Also set the bias to 0"))
        context = self.context()
        if context is None:
            return
        index, layer, out_channel, sub_kernel = context
        self.bias_check.setEnabled(layer.bias)
        problem = None
        if key in PRESETS:
            text = PRESETS[key].unavailable_text(*layer.kernel_size)
            problem = render(text) if text is not None else None
        self.message.setText(problem or "")
        self.apply_button.setEnabled(problem is None)
        values = sub_kernel_values(layer, out_channel, sub_kernel)
        self.zero_button.setEnabled(bool(np.any(values != 0)))
        saved = self._document.restorable_values(index, out_channel, sub_kernel)
        self.restore_button.setEnabled(
            saved is not None and not np.any(values != 0) and saved.tobytes() != values.tobytes())

    def _hovered(self, row: int, column: int) -> None:
        values = self.current_values()
        if values is None or row < 0 or row >= values.shape[0] or column >= values.shape[1]:
            self.refresh_legend()
            return
        self.legend.setText(self.tr("[{r}, {c}] = {value}").format(
            r=row, c=column, value=format_value(values[row, column])))

    def refresh_legend(self) -> None:
        values = self.current_values()
        if values is not None:
            self.legend.setText(self.tr("colours: ±{level} (blue < 0 < red)").format(
                level=format_level(diverging_scale(values).levels[1])))

    # -- edits (each one document method, i.e. one undo step) -----------------------------------
    def commit_cell(self, row: int, column: int, text: str) -> None:
        """Set weight ``[kernel, sub-kernel, row, column]`` to the number in ``text`` (one undo step)."""
        context = self.context()
        if context is None:
            return
        index, layer, out_channel, sub_kernel = context
        value = parse_number(text)
        value32 = as_weight(value)
        if value32 is None:
            self.refresh()
            self.message.setText(
                self.tr("“{text}” is not a number; the weight was not changed.").format(text=text)
                if value is None else
                self.tr("{text} is too large for a float32 weight; the weight was not changed.")
                .format(text=text))
            return
        current = layer.weight[out_channel, sub_kernel, row, column]
        if value32.tobytes() == np.float32(current).tobytes():
            self.refresh()       # nothing changes; show the short form again
            return
        self._document.set_weight(index, out_channel, sub_kernel, row, column, value32)

    def _bias_edited(self) -> None:
        self.commit_bias(self.bias_edit.text())

    def commit_bias(self, text: str) -> None:
        """Set the selected kernel's bias to the number in ``text`` (one undo step)."""
        context = self.context()
        if context is None:
            return
        index, layer, out_channel, _sub = context
        if not layer.bias or layer.bias_values is None:
            return
        value32 = as_weight(parse_number(text))
        if value32 is None:
            self.refresh()
            self.message.setText(self.tr("“{text}” is not a usable number; the bias was not changed.")
                                 .format(text=text))
            return
        if value32.tobytes() == layer.bias_values[out_channel].tobytes():
            self.refresh()
            return
        self._document.set_bias(index, out_channel, value32)

    def _table_font(self, *_args) -> None:
        """The grid's numbers one point smaller than the application font (which the UI zoom
        scales), its cells as much larger as the zoom."""
        small = QFont(QApplication.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.0 * ui_scale(), 7.0))
        self.table.setFont(small)
        self.table.horizontalHeader().setDefaultSectionSize(round(46 * ui_scale()))
        self.table.verticalHeader().setDefaultSectionSize(round(24 * ui_scale()))

    def apply_preset(self) -> None:
        """Apply the chosen preset to the chosen scope (one undo step)."""
        context = self.context()
        if context is None:
            return
        index, layer, out_channel, sub_kernel = context
        try:
            self._document.apply_preset(
                index, self.preset_combo.currentData(), self.scope_combo.currentData() or SCOPE_SUB_KERNEL,
                out_channel, sub_kernel, theta=self.theta_spin.value(), seed=self.seed_spin.value(),
                also_bias=self.bias_check.isChecked() and layer.bias)
        except DesignError as error:
            self.message.setText(str(error))
            return
        self._update_controls()

    def zero_sub_kernel(self) -> None:
        """Zero the selected sub-kernel (one undo step; the document keeps its values for Restore)."""
        context = self.context()
        if context is not None:
            index, _layer, out_channel, sub_kernel = context
            self._document.zero_input_channel(index, out_channel, sub_kernel)

    def restore_sub_kernel(self) -> None:
        """Put back the values the selected sub-kernel had before it was zeroed (one undo step)."""
        context = self.context()
        if context is not None:
            index, _layer, out_channel, sub_kernel = context
            self._document.restore_input_channel(index, out_channel, sub_kernel)

    # -- painting: one stroke, one undo step ----------------------------------------------------
    def _stroke_started(self, sign: float) -> None:
        context = self.context()
        if context is None:
            self._stroke = None
            return
        index, layer, out_channel, sub_kernel = context
        self._stroke = _Stroke(index, out_channel, sub_kernel, sign,
                               sub_kernel_values(layer, out_channel, sub_kernel))
        self._document.begin_stroke(
            self.tr("Paint sub-kernel {s} of kernel {o} of layer {index}").format(
                s=sub_kernel, o=out_channel, index=index))

    def _cell_painted(self, row: int, column: int) -> None:
        stroke = self._stroke
        if stroke is None or (row, column) in stroke.visited:
            return
        stroke.visited.add((row, column))
        context = self.context()
        if context is None or context[0] != stroke.layer_index or context[2:] != (
                stroke.out_channel, stroke.sub_kernel) or context[1].kernel_size != stroke.values.shape:
            return
        old = stroke.values[row, column]
        with np.errstate(over="ignore"):
            new = np.float32(old + np.float32(stroke.sign) * np.float32(self.step_spin.value()))
        if not np.isfinite(new) or new.tobytes() == old.tobytes():
            return
        stroke.values[row, column] = new
        try:
            layer = apply_to_sub_kernel(context[1], stroke.out_channel, stroke.sub_kernel, stroke.values)
        except DesignError as error:
            self.message.setText(str(error))
            return
        # Shown live everywhere; end_stroke makes the whole stroke one undo step.
        self._document.preview_layer(stroke.layer_index, layer)

    def _stroke_finished(self) -> None:
        stroke, self._stroke = self._stroke, None
        if stroke is not None:
            self._document.end_stroke()

    def hideEvent(self, event) -> None:
        if self.paint_area.stroking:
            self.paint_area.finish_stroke()
        super().hideEvent(event)
