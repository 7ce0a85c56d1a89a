"""The layer editor's pages for the generator's layers: ConvTranspose2d, BatchNorm2d, Upsample.

Built into :class:`~convdesigner.ui.panels.layer_editor.LayerEditorPanel` (which owns the form
helpers, the problem labels and the one-edit-per-change rule): :func:`build_pages` adds a page per
kind, :func:`render` shows a layer's values in it. Field keys are ``(kind, field)`` as for Conv2d.
Numbers that may be tiny or written as ``1e-05`` (``eps``) and ``scale_factor`` (a number or
``height, width``) are typed in a :class:`NumberField`, committed on Enter or when leaving it.

Threading: GUI thread only.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from convdesigner.design.analysis import MAX_CHANNELS, MAX_INPUT_SIDE
from convdesigner.design.catalog import channels_into
from convdesigner.design.layers import UPSAMPLE_MODES, BatchNorm2d, ConvTranspose2d, Layer, Upsample
from convdesigner.ui.i18n import translate
from convdesigner.ui.widgets.eliding import ElidingCheckBox
from convdesigner.ui.widgets.number_fields import ComboBox, PairEditor, SpinBox

if TYPE_CHECKING:
    from convdesigner.ui.panels.layer_editor import LayerEditorPanel

GENERATOR_KINDS = ("ConvTranspose2d", "BatchNorm2d", "Upsample")


class NumberField(QLineEdit):
    """One float, or two separated by a comma when ``pairs`` is set (``2`` or ``2, 1.5``), typed as
    Python writes them (``1e-05`` too). ``committed(value)`` is emitted on Enter or leaving the
    field when the text reads as a finite number (or pair) different from the one shown; anything
    else turns the text back to the value shown."""

    committed = Signal(object)

    def __init__(self, pairs: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pairs = pairs
        self._shown: float | tuple[float, float] | None = None
        self.setMaximumWidth(160)
        self.editingFinished.connect(self._commit)

    def show_value(self, value: float | tuple[float, float]) -> None:
        self._shown = value
        self.setText(", ".join(map(repr, value)) if isinstance(value, tuple) else repr(value))

    def parsed(self) -> float | tuple[float, float] | None:
        parts = [part.strip() for part in self.text().replace("(", "").replace(")", "").split(",")]
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            return None
        if not all(math.isfinite(number) for number in numbers):
            return None
        if len(numbers) == 1:
            return numbers[0]
        if len(numbers) == 2 and self._pairs:
            return (numbers[0], numbers[1])
        return None

    def _commit(self) -> None:
        value = self.parsed()
        if value is None:
            if self._shown is not None:
                self.show_value(self._shown)
            return
        if value != self._shown:
            self.committed.emit(value)


def build_pages(panel: LayerEditorPanel, parent: QWidget) -> dict[str, QWidget]:
    """One page per generator kind, its fields registered in ``panel.field_widgets``."""
    return {"ConvTranspose2d": _conv_transpose_page(panel, parent),
            "BatchNorm2d": _batch_norm_page(panel, parent),
            "Upsample": _upsample_page(panel, parent)}


def _conv_transpose_page(panel: LayerEditorPanel, parent: QWidget) -> QWidget:
    page, form = panel._form(parent)
    kind = "ConvTranspose2d"
    fields: dict[str, QWidget] = {}
    tips = {
        "in_channels": translate("GeneratorFields",
            "How many channels the input of this layer has; it must equal the "
            "channels the layer before produces."),
        "out_channels": translate("GeneratorFields",
            "How many output channels (maps) the layer makes. Each input channel "
            "holds one sub-kernel per output channel of its group."),
        "kernel_size": translate("GeneratorFields",
            "Height and width of the stamp each input pixel puts on the output."),
        "stride": translate("GeneratorFields",
            "How far apart, on the output, the stamps of neighbouring input pixels land; "
            "2 doubles the size."),
        "padding": translate("GeneratorFields",
            "Cells cut from each border of the stamped result: dilation·(kernel_size − 1) "
            "− padding zeros around the input in the gather view."),
        "output_padding": translate("GeneratorFields",
            "Extra rows and columns added at the bottom and right of the output, "
            "to reach the exact size wanted; must be smaller than stride or "
            "dilation."),
        "groups": translate("GeneratorFields",
            "Split input and output channels into this many groups; each input channel "
            "then stamps only onto the out_channels/groups outputs of its group."),
        "bias": translate("GeneratorFields",
            "Add one learned number to every value of each output channel."),
        "dilation": translate("GeneratorFields",
            "Spacing between the taps of a stamp; 2 spreads a 3×3 stamp over 5×5 pixels."),
    }
    for name in ("in_channels", "out_channels", "groups"):
        fields[name] = SpinBox(1, MAX_CHANNELS, page)
    for name, minimum in (("kernel_size", 1), ("stride", 1), ("padding", 0), ("output_padding", 0),
                          ("dilation", 1)):
        fields[name] = PairEditor(minimum, MAX_INPUT_SIDE, tips[name], page)
    fields["bias"] = ElidingCheckBox(translate("GeneratorFields", "learn a bias"), page)
    for name in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding",
                 "groups", "bias", "dilation"):
        fix = _fix_button(panel, page, kind, name) if name == "in_channels" else None
        panel._add_field(form, kind, name, name, tips[name], fields[name], after_error=fix)
    for name in ("in_channels", "out_channels", "groups"):
        fields[name].valueChanged.connect(lambda value, n=name: panel._set_field(n, value))
    for name in ("kernel_size", "stride", "padding", "output_padding", "dilation"):
        fields[name].edited.connect(lambda h, w, n=name: panel._set_field(n, (h, w)))
    fields["bias"].toggled.connect(lambda checked: panel._set_field("bias", bool(checked)))
    return page


def _batch_norm_page(panel: LayerEditorPanel, parent: QWidget) -> QWidget:
    page, form = panel._form(parent)
    kind = "BatchNorm2d"
    features = SpinBox(1, MAX_CHANNELS, page)
    panel._add_field(form, kind, "num_features", "num_features", translate("GeneratorFields",
        "How many channels it normalises; must equal the channels the layer before produces."),
        features, after_error=_fix_button(panel, page, kind, "num_features"))
    eps = NumberField(parent=page)
    panel._add_field(form, kind, "eps", "eps", translate("GeneratorFields",
        "Added to running_var before the square root, so that a channel of variance 0 does not "
        "divide by 0."), eps)
    momentum = NumberField(parent=page)
    panel._add_field(form, kind, "momentum", "momentum", translate("GeneratorFields",
        "How fast running_mean and running_var follow the batches while training (not used in "
        "eval mode, which the app shows)."), momentum)
    affine = ElidingCheckBox(translate("GeneratorFields", "learn weight and bias"), page)
    panel._add_field(form, kind, "affine", "affine", translate("GeneratorFields",
        "Scale by a learned weight and shift by a learned bias after normalising, per channel."),
        affine)
    bias = ElidingCheckBox(translate("GeneratorFields", "learn a bias (with affine)"), page)
    panel._add_field(form, kind, "bias", "bias", translate("GeneratorFields",
        "With affine, whether the learned shift is there (PyTorch's bias= keyword)."), bias)
    features.valueChanged.connect(lambda value: panel._set_field("num_features", value))
    eps.committed.connect(lambda value: panel._set_field("eps", float(value)))
    momentum.committed.connect(lambda value: panel._set_field("momentum", float(value)))
    affine.toggled.connect(lambda checked: panel._set_field("affine", bool(checked)))
    bias.toggled.connect(lambda checked: panel._set_field("bias", bool(checked)))
    return page


def _upsample_page(panel: LayerEditorPanel, parent: QWidget) -> QWidget:
    page, form = panel._form(parent)
    kind = "Upsample"
    scale = NumberField(pairs=True, parent=page)
    panel._add_field(form, kind, "scale_factor", "scale_factor", translate("GeneratorFields",
        "How many times larger the output is: one number, or height, width (2, 1.5)."), scale)
    mode = ComboBox(page)
    for name in UPSAMPLE_MODES:
        mode.addItem(name, name)
    panel._add_field(form, kind, "mode", "mode", translate("GeneratorFields",
        "nearest repeats each pixel; bilinear blends the four nearest input pixels."), mode)
    scale.committed.connect(lambda value: panel._set_field("scale_factor", value))
    mode.currentIndexChanged.connect(lambda _i: panel._set_field("mode", mode.currentData()))
    return page


def _fix_button(panel: LayerEditorPanel, page: QWidget, kind: str, field: str) -> QPushButton:
    """A "field ← previous layer (N)" button: sets the field to the channels that arrive (one
    undo step). Found again by its object name (:func:`fix_button`)."""
    button = QPushButton(page)
    button.setObjectName(f"fix:{kind}:{field}")
    button.setToolTip(translate("GeneratorFields",
        "Set it to the number of channels the layer before produces (one undo step)."))
    button.hide()
    button.clicked.connect(lambda: _apply_fix(panel, field))
    return button


def fix_button(panel: LayerEditorPanel, kind: str, field: str) -> QPushButton | None:
    """The fix button of ``field`` on ``panel``'s ``kind`` page."""
    return panel.findChild(QPushButton, f"fix:{kind}:{field}")


def _expected_channels(panel: LayerEditorPanel) -> int | None:
    document, index = panel._document, panel._shown
    if index is None or index < 0:
        return None
    return channels_into(document.design, document.analysis, index)


def _apply_fix(panel: LayerEditorPanel, field: str) -> None:
    expected = _expected_channels(panel)
    if expected is not None:
        panel._set_field(field, expected)


def _show_fix(panel: LayerEditorPanel, kind: str, field: str, value: int) -> None:
    button = fix_button(panel, kind, field)
    if button is None:
        return
    expected = _expected_channels(panel)
    if expected is None or expected == value:
        button.hide()
        return
    source = (translate("GeneratorFields", "input") if panel._shown == 0
              else translate("GeneratorFields", "previous layer"))
    button.setText(translate("GeneratorFields", "{field} ← {source} ({channels})").format(
        field=field, source=source, channels=expected))
    button.show()


def render(panel: LayerEditorPanel, layer: Layer) -> None:
    """Show ``layer``'s values in its page (signals are blocked by the caller)."""
    widgets = panel.field_widgets
    if isinstance(layer, ConvTranspose2d):
        kind = "ConvTranspose2d"
        for name in ("in_channels", "out_channels", "groups"):
            spin = widgets[(kind, name)]
            assert isinstance(spin, SpinBox)
            spin.show_value(getattr(layer, name))
        for name in ("kernel_size", "stride", "padding", "output_padding", "dilation"):
            pair = widgets[(kind, name)]
            assert isinstance(pair, PairEditor)
            pair.set_pair(getattr(layer, name))
        check = widgets[(kind, "bias")]
        assert isinstance(check, ElidingCheckBox)
        check.setChecked(layer.bias)
        _show_fix(panel, kind, "in_channels", layer.in_channels)
    elif isinstance(layer, BatchNorm2d):
        kind = "BatchNorm2d"
        spin = widgets[(kind, "num_features")]
        assert isinstance(spin, SpinBox)
        spin.show_value(layer.num_features)
        for name in ("eps", "momentum"):
            field = widgets[(kind, name)]
            assert isinstance(field, NumberField)
            field.show_value(getattr(layer, name))
        for name in ("affine", "bias"):
            check = widgets[(kind, name)]
            assert isinstance(check, ElidingCheckBox)
            check.setChecked(getattr(layer, name))
        widgets[(kind, "bias")].setEnabled(layer.affine)
        _show_fix(panel, kind, "num_features", layer.num_features)
    elif isinstance(layer, Upsample):
        field = widgets[("Upsample", "scale_factor")]
        assert isinstance(field, NumberField)
        field.show_value(layer.scale_factor)
        mode = widgets[("Upsample", "mode")]
        assert isinstance(mode, ComboBox)
        mode.setCurrentIndex(mode.findData(layer.mode))


def about(kind: str) -> str | None:
    """The one-line description of a generator kind (None for another kind)."""
    texts = {
        "ConvTranspose2d": translate("GeneratorFields",
            "Each input pixel stamps its sub-kernels, scaled by its value, onto the output, stride "
            "pixels apart; overlapping stamps add up. The mirror of Conv2d: it enlarges."),
        "BatchNorm2d": translate("GeneratorFields",
            "Per channel: subtracts running_mean, divides by √(running_var + eps), then scales by "
            "weight and adds bias (eval mode)."),
        "Upsample": translate("GeneratorFields",
            "Enlarges every channel by scale_factor, repeating pixels (nearest) or blending them "
            "(bilinear). No weights."),
    }
    return texts.get(kind)
