"""The layer editor's pages for the classifier's layers: ``Linear`` (in_features, out_features,
bias, and a fix button "in_features ← previous layer (6,272)") and ``Dropout`` (p). ``Flatten``
has no arguments (PyTorch's defaults only) and no page.

Built into :class:`~convdesigner.ui.panels.layer_editor.LayerEditorPanel` with its own
``_add_field`` rows, so they behave like every other field: one ``document.edit_design`` per
change, problems in red under the field. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from convdesigner.design.analysis import MAX_VALUES_PER_TENSOR
from convdesigner.design.catalog import values_into
from convdesigner.design.layers import Dropout, Layer, Linear
from convdesigner.ui.widgets.eliding import ElidingCheckBox
from convdesigner.ui.widgets.number_fields import DoubleSpinBox, SpinBox

if TYPE_CHECKING:
    from convdesigner.ui.panels.layer_editor import LayerEditorPanel


def build_linear_page(panel: LayerEditorPanel, parent: QWidget) -> QWidget:
    page, form = panel._form(parent)
    panel.in_features = SpinBox(1, min(MAX_VALUES_PER_TENSOR, 2**31 - 1), page)
    panel.in_features_fix = QPushButton(page)
    panel.in_features_fix.setToolTip(QCoreApplication.translate(
        "LayerEditorPanel",
        "Set in_features to the number of values the layer before gives (one undo step)."))
    panel.in_features_fix.clicked.connect(lambda: _apply_in_features_fix(panel))
    fix_row = QWidget(page)
    row = QHBoxLayout(fix_row)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(panel.in_features_fix)
    row.addStretch(1)
    panel._in_features_fix_row = fix_row
    panel._add_field(form, "Linear", "in_features", "in_features", QCoreApplication.translate(
        "LayerEditorPanel",
        "How many values each output reads: all the values the layer before gives (C·H·W after "
        "a Flatten)."), panel.in_features, after_error=fix_row)
    panel.out_features = SpinBox(1, min(MAX_VALUES_PER_TENSOR, 2**31 - 1), page)
    panel._add_field(form, "Linear", "out_features", "out_features", QCoreApplication.translate(
        "LayerEditorPanel",
        "How many outputs this layer gives; 10 for the ten digit classes."), panel.out_features)
    panel.linear_bias = ElidingCheckBox(QCoreApplication.translate("LayerEditorPanel", "learn a bias"), page)
    panel._add_field(form, "Linear", "bias", "bias", QCoreApplication.translate(
        "LayerEditorPanel",
        "Add one learned number to each output."), panel.linear_bias)
    panel.in_features.valueChanged.connect(lambda value: panel._set_field("in_features", value))
    panel.out_features.valueChanged.connect(lambda value: panel._set_field("out_features", value))
    panel.linear_bias.toggled.connect(lambda checked: panel._set_field("bias", bool(checked)))
    return page


def build_dropout_page(panel: LayerEditorPanel, parent: QWidget) -> QWidget:
    page, form = panel._form(parent)
    panel.dropout_p = DoubleSpinBox(page)
    panel.dropout_p.setRange(0.0, 1.0)
    panel.dropout_p.setSingleStep(0.05)
    panel._add_field(form, "Dropout", "p", "p", QCoreApplication.translate(
        "LayerEditorPanel",
        "While training, the chance that each value is set to 0 (the others are scaled by "
        "1/(1 − p)). Outside training Dropout changes nothing."), panel.dropout_p)
    panel.dropout_p.valueChanged.connect(lambda value: panel._set_field("p", float(value)))
    return page


def render_classifier_layer(panel: LayerEditorPanel, layer: Layer) -> None:
    """Show ``layer``'s values in its page (signals are blocked by the caller)."""
    if isinstance(layer, Linear):
        panel.in_features.show_value(layer.in_features)
        panel.out_features.show_value(layer.out_features)
        panel.linear_bias.setChecked(layer.bias)
        document = panel._document
        expected = values_into(document.design, document.analysis, panel._shown or 0)
        panel._expected_in_features = expected
        show = expected is not None and expected != layer.in_features
        if show:
            panel.in_features_fix.setText(QCoreApplication.translate(
                "LayerEditorPanel", "in_features ← previous layer ({count})").format(count=f"{expected:,}"))
        panel._in_features_fix_row.setVisible(show)
    elif isinstance(layer, Dropout):
        panel.dropout_p.setValue(layer.p)


def _apply_in_features_fix(panel: LayerEditorPanel) -> None:
    expected = getattr(panel, "_expected_in_features", None)
    if expected is not None:
        panel._set_field("in_features", expected)


def classifier_page_kind(layer: Layer) -> str | None:
    if isinstance(layer, Linear):
        return "Linear"
    if isinstance(layer, Dropout):
        return "Dropout"
    return None


def classifier_about(kind: str) -> str:
    return {
        "Flatten": QCoreApplication.translate(
            "LayerEditorPanel", "Lays each sample's C×H×W maps out as one vector of C·H·W values, "
            "channel by channel, each map row by row. No arguments."),
        "Linear": QCoreApplication.translate(
            "LayerEditorPanel", "Each output is a weighted sum of every input value plus a bias: one "
            "row of out_features × in_features weights per output."),
        "Dropout": QCoreApplication.translate(
            "LayerEditorPanel", "While training, zeroes each value with probability p; outside "
            "training (every view here) it passes the values on unchanged."),
    }.get(kind, "")

