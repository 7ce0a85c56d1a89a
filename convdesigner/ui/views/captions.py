"""The texts the views share: a layer's name and strip caption, and the hover read-out of a value.

Their translatable texts are in the context ``"views"``.
"""

from __future__ import annotations

from collections.abc import Sequence

from convdesigner.design.numbers import format_value, shape_text
from convdesigner.ui.i18n import translate


def describe_value(prefix: str, y: int, x: int, value: float) -> str:
    """``'layer 2 · kernel 17 · sub-kernel 3 · (1, 2) = -0.0412731'``."""
    return f"{prefix} · ({y}, {x}) = {format_value(value)}"


def layer_name(design, index: int) -> str:
    """``'layer 1 (LeakyReLU)'`` or ``'the input'``."""
    if index < 0:
        return translate("views", "the input")
    return translate("views", "layer {index} ({kind})").format(index=index, kind=design.layers[index].kind)


def layer_caption(design, index: int, shape: Sequence[int] | None) -> str:
    """The strip's caption of a layer: ``'[0] Conv2d → 64×14×14'`` or ``'Input 1×28×28'``."""
    tail = "" if shape is None else shape_text(shape)
    if index < 0:
        return translate("views", "Input {shape}").format(shape=tail).strip()
    return f"[{index}] {design.layers[index].kind} → {tail}".strip()
