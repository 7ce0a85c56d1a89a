"""The layer editor: every argument of the selected layer (or the input) with a fitting widget.

:class:`LayerEditorPanel` shows the arguments of the layer the shared
:class:`~convdesigner.ui.state.selection.Selection` points at, in PyTorch's order and under PyTorch's
names. Each change is exactly one ``document.edit_design`` call ("Set stride of layer 2 to 1");
spin boxes commit when the user presses Enter, leaves the field or clicks an arrow -- never per
keystroke. An invalid value is kept in the document (the user may be in the middle of a fix); its
message is shown in red right under the offending field, field-less problems above the fields.

A view only: it reads ``document.design`` / ``document.analysis`` whenever it refreshes and keeps
no copy of the design, only the index of the layer it shows. Refreshing blocks the widgets'
signals, so showing a design never edits it. Its fields are
:mod:`convdesigner.ui.widgets.number_fields`.

Threading: GUI thread only.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design import (
    PADDING_MODES,
    AvgPool2d,
    Conv2d,
    Design,
    Layer,
    LeakyReLU,
    MaxPool2d,
    describe_parameters_text,
)
from convdesigner.design.analysis import MAX_CHANNELS, MAX_INPUT_SIDE
from convdesigner.design.catalog import channels_into
from convdesigner.design.layers import ConvTranspose2d
from convdesigner.design.numbers import shape_text
from convdesigner.errors import ConvDesignerError, DesignError
from convdesigner.ui.i18n import problem_text, render
from convdesigner.ui.panels import classifier_fields, generator_fields
from convdesigner.ui.state.jobs import carry_parameters
from convdesigner.ui.state.selection import INPUT, Selection
from convdesigner.ui.widgets.busy import run_busy
from convdesigner.ui.widgets.eliding import ElidingCheckBox
from convdesigner.ui.widgets.number_fields import ComboBox, DoubleSpinBox, PairEditor, SpinBox
from convdesigner.ui.widgets.palette import error_text_color, monospace_font, secondary_text_color
from convdesigner.ui.widgets.wrapping import WrappingLabel, wrap_call, wrap_words
from convdesigner.ui.zoom import ui_scale, zoom_signals

#: A generator starts from 128×7×7 random numbers: the input may have as many channels as a layer.
MAX_INPUT_CHANNELS = MAX_CHANNELS


def show_value(value: object) -> str:
    """A value as PyTorch code writes it: ``(3, 3)``, ``'same'``, ``True``, ``0.2``."""
    if isinstance(value, str):
        return repr(value)
    return str(value)


def formula_steps(line: str) -> list[str]:
    """Break ``H_out = ⌊...⌋ + 1 = ⌊(28 + 2·1 ...)⌋ + 1 = ⌊26 / 2⌋ + 1 = 14`` into one step a line,
    the way it is written on a blackboard."""
    parts = line.split(" = ")
    if len(parts) < 3:
        return [line]
    head, rest = [parts[0]], parts[1:]
    while rest and re.fullmatch(r"[HW]_out", rest[0]):
        head.append(rest.pop(0))
    return [" = ".join(head)] + [f"  = {part}" for part in rest]


# -- the panel ---------------------------------------------------------------------------------------
#: An edit that must initialise more weights than this does it on a worker thread (about 20 ms
#: of work here), with a progress dialog if it takes more than a moment.
BUSY_INIT_VALUES = 1_000_000


def values_to_initialise(design: Design) -> int:
    """How many weights an edit to ``design`` must draw afresh: those of every Conv2d whose
    parameters no longer have its weight's shape (0 for layers PyTorch cannot build yet)."""
    total = 0
    for layer in design.layers:
        if isinstance(layer, Conv2d) and layer.counts_defined and min(layer.kernel_size) >= 1:
            shape = layer.weight_shape
            if layer.weight is None or layer.weight.shape != shape:
                total += shape[0] * shape[1] * shape[2] * shape[3]
        elif isinstance(layer, ConvTranspose2d):
            total += _values_to_initialise(layer)
    return total


def _values_to_initialise(layer: Layer) -> int:
    """The values of ``layer``'s tensors whose shape no longer fits (0 when undefined)."""
    shapes = layer.parameter_shapes()
    if shapes is None:
        return 0
    values = layer.parameter_values()
    return sum(math.prod(shape) for name, shape in shapes.items()
               if values.get(name) is None or values[name].shape != shape)


class LayerEditorPanel(QWidget):
    """Edits every argument of the selected layer, or of the input when the input row is selected.

    Public pieces for tests and the main window: ``field_widgets[(kind, field)]`` (the editor of
    an argument, kind is ``'Conv2d'``, ``'LeakyReLU'``, ``'pool'`` or ``'input'``),
    ``error_labels[(kind, field)]`` (its red message), ``general_problems`` (field-less
    messages), ``fix_button`` (in_channels ← previous layer), ``formula_label`` and
    ``parameters_label``.
    """

    _previous_row: tuple[QHBoxLayout, QVBoxLayout]   # the last row _add_field made

    def __init__(self, document, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._selection = selection
        self._shown: int | None = None          # the layer index (or INPUT) the fields show
        self._refreshing = False
        self._expected_in_channels: int | None = None
        # The arithmetic under "Output size": None = shown while the panel has room for it,
        # True / False = as the user last asked with the toggle.
        self._formula_wanted: bool | None = None
        self._fit_pending = False
        # The texts _fit may leave out, as the last refresh showed them.
        self._optional_shown: set[QWidget] = set()
        self._counts_shown = False      # parameters_label holds a count, not a message
        self.field_widgets: dict[tuple[str, str], QWidget] = {}
        self.error_labels: dict[tuple[str, str], QLabel] = {}

        self._mono = monospace_font(self.font())
        self._build()
        # Fonts set by hand do not follow the application font: they follow the UI zoom here.
        zoom_signals().changed.connect(self._follow_zoom)
        document.designChanged.connect(self.refresh)
        selection.changed.connect(self.refresh)
        self.refresh()

    # -- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        error_color = error_text_color(self.palette()).name()
        self._error_style = f"color: {error_color};"
        quiet = secondary_text_color(self.palette()).name()

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(6)

        self.title_label = QLabel(content)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 1.0) + 2.0)
        self.title_label.setFont(title_font)
        self.repr_label = WrappingLabel(wrap_call, content)
        self.repr_label.setFont(self._mono)
        self.repr_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about_label = QLabel(content)
        self.about_label.setWordWrap(True)
        self.about_label.setStyleSheet(f"color: {quiet};")
        self.general_problems = self._error_label(content)
        for widget in (self.title_label, self.repr_label, self.about_label, self.general_problems):
            column.addWidget(widget)

        self._pages: dict[str, QWidget] = {}
        self._pages["input"] = self._build_input_page(content)
        self._pages["Conv2d"] = self._build_conv_page(content)
        self._pages["LeakyReLU"] = self._build_leaky_page(content)
        self._pages["pool"] = self._build_pool_page(content)
        self._pages.update(generator_fields.build_pages(self, content))
        self._pages["Linear"] = classifier_fields.build_linear_page(self, content)
        self._pages["Dropout"] = classifier_fields.build_dropout_page(self, content)
        for page in self._pages.values():
            column.addWidget(page)

        self.formula_box = QGroupBox(self.tr("Output size"), content)
        box = QVBoxLayout(self.formula_box)
        box.setSpacing(4)
        self.shape_label = QLabel(self.formula_box)
        shape_font = QFont(self.font())
        shape_font.setBold(True)
        self.shape_label.setFont(shape_font)
        self.formula_label = WrappingLabel(wrap_words, self.formula_box)
        self.formula_label.setFont(self._mono)
        self.formula_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formula_label.setToolTip(self.tr(
            "How PyTorch computes the output's height and width, with this layer's numbers put in."))
        self.parameters_label = QLabel(self.formula_box)
        self.parameters_label.setWordWrap(True)
        self.parameters_label.setToolTip(self.tr("How many numbers this layer learns, and where they sit."))
        self.formula_toggle = QToolButton(self.formula_box)
        self.formula_toggle.setCheckable(True)
        self.formula_toggle.setAutoRaise(True)
        self.formula_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.formula_toggle.setToolTip(self.tr(
            "Show or hide how PyTorch computes the output size (hidden by itself when the panel "
            "is too short for it)."))
        self.formula_toggle.clicked.connect(self._toggle_formula)
        shape_row = QHBoxLayout()
        shape_row.setContentsMargins(0, 0, 0, 0)
        shape_row.addWidget(self.shape_label, 1)
        shape_row.addWidget(self.formula_toggle)
        box.addLayout(shape_row)
        for widget in (self.formula_label, self.parameters_label):
            box.addWidget(widget)
        column.addWidget(self.formula_box)
        column.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        self.scroll_area = scroll
        scroll.viewport().installEventFilter(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _error_label(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(self._error_style)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    def _form(self, parent: QWidget) -> tuple[QWidget, QFormLayout]:
        page = QWidget(parent)
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(5)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        return page, form

    def _add_field(self, form: QFormLayout, kind: str, name: str, label_text: str, tooltip: str,
                   editor: QWidget, *extra: QWidget, after_error: QWidget | None = None,
                   beside_previous: bool = False) -> QLabel:
        """A form row: the argument's name, its editor (plus ``extra`` widgets under it), the red
        message label and ``after_error`` (a fix button) under that. Returns the message label.
        ``beside_previous`` puts a small field's name and editor on the previous row, after its
        editor, and its message under that row's (a compact form is one row shorter)."""
        if beside_previous:
            line, layout = self._previous_row
            label = QLabel(label_text, form.parentWidget())
            label.setFont(self._mono)
            label.setToolTip(tooltip)
            label.setBuddy(editor)
            editor.setToolTip(tooltip)
            line.insertSpacing(line.count() - 1, 12)
            line.insertWidget(line.count() - 1, label)
            line.insertWidget(line.count() - 1, editor)
            error = self._error_label(form.parentWidget())
            layout.addWidget(error)
            self.field_widgets[(kind, name)] = editor
            self.error_labels[(kind, name)] = error
            return error
        container = QWidget(form.parentWidget())
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(editor)
        line.addStretch(1)
        layout.addLayout(line)
        self._previous_row = (line, layout)
        for widget in extra:
            layout.addWidget(widget)
        error = self._error_label(container)
        layout.addWidget(error)
        if after_error is not None:
            layout.addWidget(after_error)
        label = QLabel(label_text, form.parentWidget())
        label.setFont(self._mono)
        label.setToolTip(tooltip)
        label.setBuddy(editor if not isinstance(editor, PairEditor) else editor.first)
        if not isinstance(editor, PairEditor):
            editor.setToolTip(tooltip)
        container.setToolTip(tooltip)
        form.addRow(label, container)
        self.field_widgets[(kind, name)] = editor
        self.error_labels[(kind, name)] = error
        return error

    def _build_input_page(self, parent: QWidget) -> QWidget:
        page, form = self._form(parent)
        self.input_channels = SpinBox(1, MAX_INPUT_CHANNELS, page)
        self.input_height = SpinBox(1, MAX_INPUT_SIDE, page)
        self.input_width = SpinBox(1, MAX_INPUT_SIDE, page)
        self._add_field(form, "input", "channels", "channels", self.tr(
            "Colour channels of the input image: 1 for grayscale like MNIST, 3 for RGB colour."),
            self.input_channels)
        self._add_field(form, "input", "height", "height", self.tr(
            "Height of the input image in pixels."), self.input_height)
        self._add_field(form, "input", "width", "width", self.tr(
            "Width of the input image in pixels."), self.input_width)
        for name, spin in (("channels", self.input_channels), ("height", self.input_height),
                           ("width", self.input_width)):
            spin.valueChanged.connect(lambda value, n=name: self._set_input(n, value))
        return page

    def _build_conv_page(self, parent: QWidget) -> QWidget:
        page, form = self._form(parent)
        self.in_channels = SpinBox(1, MAX_CHANNELS, page)
        self.fix_button = QPushButton(page)
        self.fix_button.setToolTip(self.tr(
            "Set in_channels to the number of channels the layer before produces (one undo step)."))
        self.fix_button.clicked.connect(self._apply_in_channels_fix)
        self.fix_button.hide()
        fix_row = QWidget(page)
        fix_layout = QHBoxLayout(fix_row)
        fix_layout.setContentsMargins(0, 0, 0, 0)
        fix_layout.addWidget(self.fix_button)
        fix_layout.addStretch(1)
        self._fix_row = fix_row
        self._add_field(form, "Conv2d", "in_channels", "in_channels", self.tr(
            "How many channels the input of this layer has; it must equal the channels the layer "
            "before produces."), self.in_channels, after_error=fix_row)
        self.out_channels = SpinBox(1, MAX_CHANNELS, page)
        self._add_field(form, "Conv2d", "out_channels", "out_channels", self.tr(
            "How many kernels this layer learns; each kernel produces one output channel "
            "(feature map)."), self.out_channels)
        self.kernel_size = PairEditor(1, MAX_INPUT_SIDE, self.tr(
            "Height and width of each kernel: the window of input pixels one output pixel looks at."),
            page)
        self._add_field(form, "Conv2d", "kernel_size", "kernel_size", self.tr(
            "Height and width of each kernel: the window of input pixels one output pixel looks at."),
            self.kernel_size)
        self.stride = PairEditor(1, MAX_INPUT_SIDE, self.tr(
            "How many pixels the kernel moves between neighbouring outputs; 2 halves the output size."),
            page)
        self._add_field(form, "Conv2d", "stride", "stride", self.tr(
            "How many pixels the kernel moves between neighbouring outputs; 2 halves the output size."),
            self.stride)
        padding_tip = self.tr(
            "Zeros (or copies, see padding_mode) added around the input's border before the kernel "
            "slides: 'same' keeps the size, 'valid' adds none.")
        self.padding_kind = ComboBox(page)
        for text, data in ((self.tr("number"), "number"), ("same", "same"), ("valid", "valid")):
            self.padding_kind.addItem(text, data)
        self.padding_kind.setToolTip(padding_tip)
        self.padding = PairEditor(0, MAX_INPUT_SIDE, padding_tip, page)
        self._add_field(form, "Conv2d", "padding", "padding", padding_tip, self.padding_kind, self.padding)
        self.dilation = PairEditor(1, MAX_INPUT_SIDE, self.tr(
            "Spacing between the kernel's taps; 2 spreads a 3×3 kernel over 5×5 pixels without "
            "adding weights."), page)
        self._add_field(form, "Conv2d", "dilation", "dilation", self.tr(
            "Spacing between the kernel's taps; 2 spreads a 3×3 kernel over 5×5 pixels without "
            "adding weights."), self.dilation)
        self.groups = SpinBox(1, MAX_CHANNELS, page)
        self._add_field(form, "Conv2d", "groups", "groups", self.tr(
            "Split input and output channels into this many groups; each output channel then reads "
            "only the in_channels/groups inputs of its group."), self.groups)
        self.bias = ElidingCheckBox(self.tr("learn a bias"), page)
        self._add_field(form, "Conv2d", "bias", "bias", self.tr(
            "Add one learned number to every value of each output channel after the convolution."),
            self.bias, beside_previous=True)
        self.padding_mode = ComboBox(page)
        for mode in PADDING_MODES:
            self.padding_mode.addItem(mode, mode)
        self._add_field(form, "Conv2d", "padding_mode", "padding_mode", self.tr(
            "What fills the padding: zeros, a mirror image of the edge (reflect), the edge pixel "
            "repeated (replicate) or the opposite edge (circular)."), self.padding_mode)

        for name, spin in (("in_channels", self.in_channels), ("out_channels", self.out_channels),
                           ("groups", self.groups)):
            spin.valueChanged.connect(lambda value, n=name: self._set_field(n, value))
        for name, pair in (("kernel_size", self.kernel_size), ("stride", self.stride),
                           ("dilation", self.dilation)):
            pair.edited.connect(lambda h, w, n=name: self._set_field(n, (h, w)))
        self.padding.edited.connect(lambda h, w: self._set_conv_padding())
        self.padding_kind.currentIndexChanged.connect(lambda _i: self._set_conv_padding())
        self.bias.toggled.connect(lambda checked: self._set_field("bias", bool(checked)))
        self.padding_mode.currentIndexChanged.connect(
            lambda _i: self._set_field("padding_mode", self.padding_mode.currentData()))
        return page

    def _build_leaky_page(self, parent: QWidget) -> QWidget:
        page, form = self._form(parent)
        self.negative_slope = DoubleSpinBox(page)
        self._add_field(form, "LeakyReLU", "negative_slope", "negative_slope", self.tr(
            "How much of a negative value gets through: the output is negative_slope × x when x is "
            "below 0."), self.negative_slope)
        self.negative_slope.valueChanged.connect(lambda value: self._set_field("negative_slope", float(value)))
        return page

    def _build_pool_page(self, parent: QWidget) -> QWidget:
        page, form = self._form(parent)
        kernel_tip = self.tr(
            "Size of the window whose largest (MaxPool2d) or average (AvgPool2d) value becomes one "
            "output pixel.")
        self.pool_kernel = PairEditor(1, MAX_INPUT_SIDE, kernel_tip, page)
        self._add_field(form, "pool", "kernel_size", "kernel_size", kernel_tip, self.pool_kernel)
        stride_tip = self.tr(
            "How far the window moves between outputs; by default as far as it is wide, so the "
            "windows do not overlap.")
        self.pool_stride_default = ElidingCheckBox(self.tr("= kernel_size (default)"), page)
        self.pool_stride_default.setToolTip(self.tr(
            "Leave stride out (stride=None), so it follows kernel_size as in PyTorch."))
        self.pool_stride = PairEditor(1, MAX_INPUT_SIDE, stride_tip, page)
        self._add_field(form, "pool", "stride", "stride", stride_tip, self.pool_stride_default,
                        self.pool_stride)
        padding_tip = self.tr(
            "Border added around the input before pooling; at most half the kernel size.")
        self.pool_padding = PairEditor(0, MAX_INPUT_SIDE, padding_tip, page)
        self._add_field(form, "pool", "padding", "padding", padding_tip, self.pool_padding)
        self.pool_kernel.edited.connect(lambda h, w: self._set_field("kernel_size", _int_or_pair(h, w)))
        self.pool_stride.edited.connect(lambda h, w: self._set_field("stride", _int_or_pair(h, w)))
        self.pool_stride_default.toggled.connect(self._set_pool_stride_default)
        self.pool_padding.edited.connect(lambda h, w: self._set_field("padding", _int_or_pair(h, w)))
        return page

    def _inputs(self) -> list[QWidget]:
        return [*self.field_widgets.values(), self.padding, self.pool_stride, self.pool_stride_default]

    # -- showing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the selected layer (or the input) as the document has it now. Never edits."""
        widgets = self._inputs()
        self._refreshing = True
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._render()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
            self._refreshing = False
        # A count of parameters may go; a message about a problem stays.
        self._optional_shown = {label for label in (self.about_label, self.repr_label,
                                                    self.parameters_label)
                                if not label.isHidden() and label.text()
                                and (label is not self.parameters_label or self._counts_shown)}
        self._fit()

    def _follow_zoom(self, *_args) -> None:
        """Set the hand-set fonts (the title, the PyTorch names, the shape) again from the
        application font, which the UI zoom scales; then fit the panel again."""
        base = QApplication.font()
        mono = monospace_font(base)
        for label in self.findChildren(QLabel):
            if label.font().family() == self._mono.family():
                label.setFont(mono)
        self._mono = mono
        title_font = QFont(base)
        title_font.setBold(True)
        title_font.setPointSizeF(max(base.pointSizeF(), 1.0) + 2.0 * ui_scale())
        self.title_label.setFont(title_font)
        shape_font = QFont(base)
        shape_font.setBold(True)
        self.shape_label.setFont(shape_font)
        self._fit()

    # -- fitting the height it has ----------------------------------------------------------------
    def _fit(self) -> None:
        """Leave out what the panel can do without while its content is taller than its view, in
        this order: the arithmetic under "Output size" (the toggle shows it again), the sentence
        about the layer, the count of its parameters (the centre's title says it too) and its
        PyTorch line (the layer list shows it); the sentence and the line stay in the title's
        tooltip. The fields and the output shape always show, so on a 1280×800 screen a Conv2d's
        settings fit without scrolling. The user's own choice of the arithmetic wins.

        Call after a refresh or a resize (GUI thread)."""
        shown = self._shown is not None
        has_formula = shown and bool(self.formula_label.full_text())
        optional = [widget for widget in (self.about_label, self.parameters_label, self.repr_label)
                    if shown and widget in self._optional_shown]
        self.title_label.setToolTip("\n\n".join(
            text for text in (self.about_label.text() if self.about_label in optional else "",
                              self.repr_label.full_text() if self.repr_label in optional else "")
            if text))
        self.formula_toggle.setVisible(has_formula)
        content = self.scroll_area.widget()
        room = self.scroll_area.viewport().height()

        def fits() -> bool:
            content.layout().activate()
            return content.layout().minimumSize().height() <= room

        show_formula = has_formula and self._formula_wanted is not False
        self.formula_label.setVisible(show_formula)
        for widget in optional:
            widget.show()
        if show_formula and self._formula_wanted is None and not fits():
            self.formula_label.hide()
            show_formula = False
        for widget in optional:
            if fits():
                break
            widget.hide()
        self.formula_toggle.setChecked(show_formula)
        self.formula_toggle.setArrowType(Qt.ArrowType.DownArrow if show_formula
                                         else Qt.ArrowType.RightArrow)
        self.formula_toggle.setText(self.tr("How?"))

    def _toggle_formula(self, checked: bool) -> None:
        self._formula_wanted = checked
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and not self._fit_pending:
            # After the resize has laid the content out at its new width.
            self._fit_pending = True
            QTimer.singleShot(0, self._fit_after_resize)
        return False

    def _fit_after_resize(self) -> None:
        self._fit_pending = False
        self._fit()

    def _render(self) -> None:
        design, analysis = self._document.design, self._document.analysis
        index = self._selection.layer
        if index == INPUT:
            self._shown = INPUT
            self._render_input()
            return
        if not 0 <= index < len(design.layers):
            self._shown = None
            self._show_page(None)
            self.title_label.setText(self.tr("No layer selected"))
            for label in (self.repr_label, self.about_label, self.general_problems):
                label.hide()
            self.formula_box.hide()
            return
        self._shown = index
        self._counts_shown = False
        layer = design.layers[index]
        info = analysis.layers[index]
        self.title_label.setText(self.tr("Layer {index} · {kind}").format(index=index, kind=layer.kind))
        self.repr_label.set_full_text(layer.torch_repr())
        self.repr_label.show()
        self.about_label.setText(self._about(layer))
        self.about_label.show()
        page = self._page_kind(layer)
        self._show_page(page)
        if isinstance(layer, Conv2d):
            self._render_conv(layer)
        elif isinstance(layer, LeakyReLU):
            self.negative_slope.setValue(layer.negative_slope)
        elif isinstance(layer, (MaxPool2d, AvgPool2d)):
            self.pool_kernel.set_pair(layer.kernel_pair())
            self.pool_stride_default.setChecked(layer.stride is None)
            self.pool_stride.set_pair(layer.stride_pair())
            self.pool_stride.setEnabled(layer.stride is not None)
            self.pool_padding.set_pair(layer.padding_pair())
        elif layer.kind in generator_fields.GENERATOR_KINDS:
            generator_fields.render(self, layer)
        else:
            classifier_fields.render_classifier_layer(self, layer)
        self._render_problems(page, index, layer)
        self.formula_box.setTitle(self.tr("Output size"))
        self.formula_box.show()
        if info is None:
            self.shape_label.setText(self.tr("Output shape unknown"))
            own = analysis.problems_of(index)
            self.formula_label.set_full_text("")
            self.formula_label.hide()
            self.parameters_label.setText(
                self.tr("Fix the problem above to see the arithmetic.") if own
                else self.tr("A layer above has a problem, so the shape that reaches this layer "
                             "is unknown."))
            self.parameters_label.show()
        else:
            self.shape_label.setText(self.tr("{before}  →  {after}").format(
                before=shape_text(info.in_shape, "spaced"), after=shape_text(info.out_shape, "spaced")))
            lines = [render(text) for text in info.formula_texts] or list(info.formula)
            self.formula_label.set_full_text("\n".join(step for line in lines
                                                       for step in formula_steps(line)))
            self.formula_label.show()
            self.parameters_label.setText(render(describe_parameters_text(info)))
            self.parameters_label.show()
            self._counts_shown = True

    def _render_input(self) -> None:
        spec = self._document.design.input
        self.title_label.setText(self.tr("Input"))
        self.repr_label.hide()
        self.about_label.setText(self.tr(
            "The image the network sees: channels × height × width, as a PyTorch tensor [C, H, W]."))
        self.about_label.show()
        self._show_page("input")
        self.input_channels.show_value(spec.channels)
        self.input_height.show_value(spec.height)
        self.input_width.show_value(spec.width)
        self._render_problems("input", None, None)
        self.formula_box.show()
        self.shape_label.setText(shape_text(spec.shape, "spaced"))
        self.formula_box.setTitle(self.tr("Input shape"))
        self.formula_label.set_full_text("")
        self.formula_label.hide()
        self.parameters_label.setText(self.tr("{count} values go into layer 0.").format(
            count=f"{spec.channels * spec.height * spec.width:,}"))
        self.parameters_label.show()
        self._counts_shown = True

    def _render_conv(self, layer: Conv2d) -> None:
        self.in_channels.show_value(layer.in_channels)
        self.out_channels.show_value(layer.out_channels)
        self.groups.show_value(layer.groups)
        self.kernel_size.set_pair(layer.kernel_size)
        self.stride.set_pair(layer.stride)
        self.dilation.set_pair(layer.dilation)
        if isinstance(layer.padding, str):
            self.padding_kind.setCurrentIndex(self.padding_kind.findData(layer.padding))
            amounts = layer.padding_amounts()
            self.padding.set_pair((amounts[0][0], amounts[1][0]))
            self.padding.setEnabled(False)
        else:
            self.padding_kind.setCurrentIndex(self.padding_kind.findData("number"))
            self.padding.set_pair(layer.padding)
            self.padding.setEnabled(True)
        self.bias.setChecked(layer.bias)
        self.padding_mode.setCurrentIndex(self.padding_mode.findData(layer.padding_mode))
        expected = channels_into(self._document.design, self._document.analysis, self._shown or 0)
        self._expected_in_channels = expected
        if expected is not None and expected != layer.in_channels:
            source = self.tr("input") if self._shown == 0 else self.tr("previous layer")
            self.fix_button.setText(self.tr("in_channels ← {source} ({channels})").format(
                source=source, channels=expected))
            self.fix_button.show()
            self._fix_row.show()
        else:
            self.fix_button.hide()
            self._fix_row.hide()

    def _render_problems(self, page: str | None, index: int | None, layer: Layer | None) -> None:
        problems = self._document.analysis.problems_of(index)
        fields = {name: label for (kind, name), label in self.error_labels.items() if kind == page}
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        for problem in problems:
            message = problem_text(problem, without_layer=index is not None and layer is not None)
            if problem.field in fields:
                by_field.setdefault(problem.field, []).append(message)
            else:
                general.append(message)
        for name, label in fields.items():
            messages = by_field.get(name, [])
            label.setText("\n".join(f"⚠ {m}" for m in messages))
            label.setVisible(bool(messages))
        self.general_problems.setText("\n".join(f"⚠ {m}" for m in general))
        self.general_problems.setVisible(bool(general))

    def _show_page(self, page: str | None) -> None:
        for name, widget in self._pages.items():
            widget.setVisible(name == page)
        if page is None:
            for label in self.error_labels.values():
                label.hide()

    @staticmethod
    def _page_kind(layer: Layer) -> str | None:
        if layer.kind in generator_fields.GENERATOR_KINDS:
            return layer.kind
        if isinstance(layer, Conv2d):
            return "Conv2d"
        if isinstance(layer, LeakyReLU):
            return "LeakyReLU"
        if isinstance(layer, (MaxPool2d, AvgPool2d)):
            return "pool"
        return classifier_fields.classifier_page_kind(layer)

    def _about(self, layer: Layer) -> str:
        about = {
            "Conv2d": self.tr("Slides out_channels kernels over the input; each kernel produces one "
                              "output channel."),
            "ReLU": self.tr("max(0, x) on every value: negative values become 0. No arguments."),
            "LeakyReLU": self.tr("x for positive values, negative_slope × x for negative ones."),
            "Sigmoid": self.tr("1 / (1 + e^−x) on every value: squeezes it into (0, 1). No arguments."),
            "Tanh": self.tr("tanh(x) on every value: squeezes it into (−1, 1). No arguments."),
            "MaxPool2d": self.tr("Keeps the largest value of each window, channel by channel."),
            "AvgPool2d": self.tr("Keeps the average of each window, channel by channel."),
        }
        return (about.get(layer.kind) or generator_fields.about(layer.kind)
                or classifier_fields.classifier_about(layer.kind) or "")

    # -- editing (each change: one document.edit_design) ----------------------------------------
    def _set_field(self, name: str, value: object) -> None:
        design = self._document.design
        index = self._shown
        if self._refreshing or index is None or not 0 <= index < len(design.layers):
            return
        layer = design.layers[index]
        if getattr(layer, name, object()) == value and type(getattr(layer, name)) is type(value):
            return
        try:
            new_layer = replace(layer, **{name: value})
        except (DesignError, TypeError) as error:
            self.general_problems.setText(f"⚠ {error}")
            self.general_problems.show()
            return
        self._edit(design.with_layer(index, new_layer),
                   self.tr("Set {field} of layer {index} to {value}").format(
                       field=name, index=index, value=show_value(value)))

    def _set_input(self, name: str, value: int) -> None:
        if self._refreshing or self._shown != INPUT:
            return
        design = self._document.design
        if getattr(design.input, name) == value:
            return
        spec = replace(design.input, **{name: value})
        self._edit(design.with_input(spec), self.tr("Set input {field} to {value}").format(
            field=name, value=value))

    def _edit(self, design: Design, description: str) -> None:
        """One document edit; when it cannot be made (its weights cannot be initialised, or would
        not fit in memory) the fields go back to the document's values and say why."""
        try:
            if values_to_initialise(design) > BUSY_INIT_VALUES:
                # Initialising a large layer takes seconds (59 M weights: 1.2 s): done on a worker
                # thread first, so the document's own carry-over finds nothing left to do.
                design = run_busy(self, self.tr("Initialising the weights…"),
                                  lambda: carry_parameters(design))
            self._document.edit_design(design, description)
        except ConvDesignerError as error:
            self.refresh()
            self.general_problems.setText(self.tr("⚠ Not applied: {reason}").format(
                reason=render(error.text) if getattr(error, "text", None) is not None else error))
            self.general_problems.show()
            return
        self.refresh()

    def _set_conv_padding(self) -> None:
        kind = self.padding_kind.currentData()
        self.padding.setEnabled(kind == "number")
        self._set_field("padding", self.padding.pair() if kind == "number" else kind)

    def _set_pool_stride_default(self, checked: bool) -> None:
        self.pool_stride.setEnabled(not checked)
        if checked:
            self._set_field("stride", None)
        else:
            self._set_field("stride", _int_or_pair(*self.pool_stride.pair()))

    def _apply_in_channels_fix(self) -> None:
        if self._expected_in_channels is not None:
            self._set_field("in_channels", self._expected_in_channels)


def _int_or_pair(first: int, second: int) -> int | tuple[int, int]:
    """Pools print what they are given, so a square value is kept as one int (``kernel_size=2``)."""
    return first if first == second else (first, second)
