"""Numbers as the user reads and types them: weights, biases and input values (float32), and
tensor shapes.

Pure (numpy only), shared by the kernel editor, the input grid, the document's undo texts, the
views, the command line and the weight import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np

#: How :func:`shape_text` writes a shape.
ShapeStyle = Literal["compact", "spaced", "list"]


def format_value(value: float) -> str:
    """The exact float32 value, in its shortest form: ``-0.0412731``, ``1.0``."""
    return str(np.float32(value))


def format_compact(value: float) -> str:
    """The shortest text that reads back to the same float32 (``1``, ``-0.5``, ``0.1``, ``1e-45``);
    whole numbers without a decimal point."""
    single = np.float32(value)
    if float(single).is_integer() and abs(float(single)) < 1e7:
        return str(int(single)) if single != 0 else "0"
    return str(single)


def short_value(value: float) -> str:
    """:func:`format_compact` when it is short, else three significant digits (a narrow cell)."""
    text = format_compact(value)
    return text if len(text) <= 6 else f"{float(value):.3g}"


def cell_decimals(values: np.ndarray) -> int:
    """Decimals that show the largest |value| of ``values`` with two significant digits; every
    cell of a grid uses the same number, so the decimal points line up (0.030, -0.004, 0.018)."""
    top = float(np.max(np.abs(values), initial=0.0))
    if top == 0.0 or not math.isfinite(top):
        return 1
    return int(min(max(1 - math.floor(math.log10(top)), 0), 6))


def cell_text(value: float, decimals: int) -> str:
    """A value for a grid cell, rounded to ``decimals`` places; exactly 0 shows as ``0``."""
    value = float(value)
    return "0" if value == 0.0 else f"{value:.{decimals}f}"


def parse_number(text: str) -> float | None:
    """A finite number from what the user typed, or None (``"1,5"`` is 1.5; the minus sign may
    be a typographic one)."""
    cleaned = str(text).strip().replace("−", "-").replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def as_float32(value: float | None) -> np.float32 | None:
    """``value`` as a float32, or None when it is missing or beyond float32's range."""
    if value is None:
        return None
    with np.errstate(over="ignore"):
        single = np.float32(value)
    return single if np.isfinite(single) else None


def parse_value(text: str) -> np.float32 | None:
    """The float32 a typed text means, or None when it is not a finite float32 number."""
    return as_float32(parse_number(text))


def shape_text(shape: Sequence[int] | None, style: ShapeStyle = "compact") -> str:
    """A tensor's shape as text, in PyTorch's order, for ``(64, 14, 14)``:

    * ``"compact"``: ``"64×14×14"`` (the diagram, the views);
    * ``"spaced"``: ``"64 × 14 × 14"`` (the layer list and settings);
    * ``"list"``: ``"[64, 14, 14]"`` (the command line, messages about weight files: as
      ``list(tensor.shape)`` prints).

    None (a shape that cannot be known) -> ``"?×?×?"``.
    """
    if shape is None:
        return "?×?×?"
    if len(shape) == 1 and style != "list":
        # A vector (after Flatten): its length, as a learner reads it -- "6,272", not "6272".
        return f"{int(shape[0]):,}"
    sizes = [str(int(size)) for size in shape]
    if style == "list":
        return "[" + ", ".join(sizes) + "]"
    return (" × " if style == "spaced" else "×").join(sizes)
