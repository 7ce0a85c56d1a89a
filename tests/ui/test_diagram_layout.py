"""The architecture diagram's arithmetic and texts (convdesigner.ui.diagram.layout), without Qt."""

from __future__ import annotations

import subprocess
import sys

from convdesigner.design import (
    AvgPool2d,
    Conv2d,
    Design,
    InputSpec,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    analyze,
)
from convdesigner.ui.diagram.layout import box_size, conv_lines, layer_input_shape, marker_text


def test_the_layout_module_imports_no_qt() -> None:
    code = "import sys, convdesigner.ui.diagram.layout; print(' '.join(sys.modules))"
    loaded = {name.split(".")[0] for name in subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()}
    assert not loaded & {"PySide6", "shiboken6", "pyqtgraph", "torch"}


def test_box_sizes_grow_with_the_log_of_each_dimension() -> None:
    assert box_size((1, 1, 1)) == (4.0, 20.0, 10.0)
    assert box_size((64, 16, 8)) == (4.0 + 5.0 * 6, 20.0 + 13.0 * 4, 10.0 + 8.0 * 3)
    assert box_size((0, 0, 0)) == box_size((1, 1, 1))   # never below one


def test_texts_are_english_without_a_translator_and_go_through_it_with_one() -> None:
    assert conv_lines(Conv2d(1, 64, (3, 5), 2, (1, 2))) == ["3×5, stride 2, pad 1×2"]
    assert conv_lines(Conv2d(64, 64, 3, 1, 2, dilation=2, groups=4)) == [
        "3×3, stride 1, pad 2", "groups=4 · dil 2"]
    assert marker_text(LeakyReLU(0.2)) == "LeakyReLU 0.2"
    assert marker_text(MaxPool2d(2)) == "MaxPool 2"
    assert marker_text(AvgPool2d(3, 2, 1)) == "AvgPool 3, stride 2, pad 1"
    assert marker_text(ReLU()) == "ReLU"
    asked = []

    def mark(context: str, text: str) -> str:
        asked.append(context)
        return "»" + text

    assert marker_text(MaxPool2d(2), mark) == "»»MaxPool 2"
    assert conv_lines(Conv2d(1, 4, 3), mark) == ["»3×3, stride 1, pad 0"]
    assert set(asked) == {"diagram"}


def test_the_shape_a_layer_reads_is_known_as_far_as_it_can_be() -> None:
    design = Design(InputSpec(1, 28, 28), (Conv2d(1, 8, 3), ReLU(), Conv2d(8, 4, 40), Conv2d(4, 2, 1)))
    analysis = analyze(design)
    assert layer_input_shape(analysis, design, 0) == (1, 28, 28)
    assert layer_input_shape(analysis, design, 2) == (8, 26, 26)
    assert layer_input_shape(analysis, design, 3) is None   # the kernel 40 collapses the size
