"""The Explain-a-pixel panel: its numbers agree with PyTorch and with the map, digit for digit.

Frames are built directly, with every layer's output computed by plain ``torch.nn`` modules, and
fed through a stand-in for the live updater's ``frameReady`` signal.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")



import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication

from convdesigner.compute.weights import materialize
from convdesigner.design import (
    PADDING_MODES,
    Conv2d,
    Design,
    InputSpec,
    ReLU,
    analyze,
)
from convdesigner.design.examples import learner_design
from convdesigner.errors import ConvDesignerError
from convdesigner.ui.panels.explain import ExplainPanel, f32
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.live import Frame, explain_now
from convdesigner.ui.state.selection import Selection
from convdesigner.ui.widgets.cell_highlight import (
    HIGHLIGHT_COLOR,
    HIGHLIGHT_HOVER_COLOR,
    paint_highlight,
)
from tests.oracle import torch_outputs


class FakeLive(QObject):
    """The part of LiveUpdater the panel uses; explains at once, with the worker's own code."""

    frameReady = Signal(object)
    explained = Signal(object, object, str)

    def __init__(self) -> None:
        super().__init__()
        self.explain_count = 0

    def explain(self, target) -> int:
        self.explain_count += 1
        try:
            result, error = explain_now(target), ""
        except ConvDesignerError as failure:
            result, error = None, str(failure)
        self.explained.emit(target, result, error)
        return self.explain_count


# -- frames computed by torch ----------------------------------------------------------------------

def make_frame(design: Design, image: np.ndarray, request_id: int = 1) -> Frame:
    return Frame(request_id, design, analyze(design), image, torch_outputs(design, image), None,
                 None, "cpu", 0.0)


@pytest.fixture
def setup(qtbot):
    """``(panel, selection, live)`` for a fresh panel, shown."""
    document = DesignDocument(learner_design())
    selection = Selection()
    live = FakeLive()
    panel = ExplainPanel(document, selection, live)
    qtbot.addWidget(panel)
    panel.resize(420, 600)
    panel.show()
    return panel, selection, live


def show(setup, frame: Frame, layer: int, out_channel: int, pixel) -> ExplainPanel:
    panel, selection, live = setup
    live.frameReady.emit(frame)
    selection.select(layer=layer, out_channel=out_channel)
    selection.select(pixel=pixel)
    return panel


# -- random layers ---------------------------------------------------------------------------------

def random_layer(rng: np.random.Generator, exact: bool) -> tuple[Conv2d, tuple[int, int, int]]:
    """A random valid Conv2d with random parameters and an input shape it accepts.

    ``exact``: parameters are multiples of 1/8 in [-1, 1], so that with inputs that are multiples
    of 1/4 every sum PyTorch forms is exact in float32.
    """
    while True:
        in_channels = int(rng.choice([1, 2, 3, 4, 6]))
        groups = int(rng.choice([1, 2, in_channels]))
        if in_channels % groups:
            continue
        stride = tuple(int(s) for s in rng.integers(1, 4, size=2))
        kinds = ["valid", "explicit", "explicit"] + (["same", "same"] if stride == (1, 1) else [])
        kind = str(rng.choice(kinds))
        padding = tuple(int(p) for p in rng.integers(0, 4, size=2)) if kind == "explicit" else kind
        layer = Conv2d(in_channels, groups * int(rng.integers(1, 4)),
                       tuple(int(k) for k in rng.integers(1, 5, size=2)), stride=stride,
                       padding=padding, dilation=tuple(int(d) for d in rng.integers(1, 4, size=2)),
                       groups=groups, bias=bool(rng.integers(4)),
                       padding_mode=str(rng.choice(PADDING_MODES)))
        shape = (in_channels, *(int(s) for s in rng.integers(3, 14, size=2)))
        if not analyze(Design(InputSpec(*shape), (layer,))).valid:
            continue
        if exact:
            weight = rng.integers(-8, 9, size=layer.weight_shape) / 8
            bias = rng.integers(-8, 9, size=layer.out_channels) / 8
        else:
            weight = rng.normal(size=layer.weight_shape)
            bias = rng.normal(size=layer.out_channels)
        return layer.with_parameters(weight.astype(np.float32), bias.astype(np.float32)), shape


def random_design(rng: np.random.Generator, exact: bool) -> tuple[Design, np.ndarray, int]:
    """A design whose explained Conv2d is layer 0 (reads the image) or layer 2 (reads layer 1)."""
    layer, shape = random_layer(rng, exact)
    deep = bool(rng.integers(2))
    if deep:
        first = Conv2d(2, shape[0], 3, padding=1).with_parameters(
            (rng.integers(-4, 5, size=(shape[0], 2, 3, 3)) / 8).astype(np.float32),
            (rng.integers(-4, 5, size=shape[0]) / 8).astype(np.float32))
        design = Design(InputSpec(2, *shape[1:]), (first, ReLU(), layer))
    else:
        design = Design(InputSpec(*shape), (layer,))
    assert analyze(design).valid
    if exact:
        image = (rng.integers(-4, 5, size=design.input.shape) / 4).astype(np.float32)
    else:
        image = rng.normal(size=design.input.shape).astype(np.float32)
    return design, image, 2 if deep else 0


def expected_cells(layer: Conv2d, layer_input: np.ndarray, out_channel: int, y: int,
                   x: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and the padded mask under output pixel (y, x), found by torch itself.

    One-hot kernels over an image of (row + 1), resp. (column + 1), with the layer's stride,
    padding and dilation and zero padding: each kernel position of each output pixel reports the
    coordinate under it, or 0 where it lies on padding. Any real reading anywhere in the map fixes
    where torch starts the kernel (its padding before), which places the padded cells too.
    """
    _, height, width = layer_input.shape
    k_h, k_w = layer.kernel_size
    one_hot = torch.eye(k_h * k_w).reshape(k_h * k_w, 1, k_h, k_w)
    starts = []
    for axis, (size, k, stride, dilation) in enumerate(
            zip((height, width), layer.kernel_size, layer.stride, layer.dilation, strict=True)):
        values = np.arange(1, size + 1, dtype=np.float32)
        image = np.broadcast_to(values[:, None] if axis == 0 else values[None, :], (height, width))
        out = F.conv2d(torch.tensor(np.array(image))[None, None], one_hot, stride=layer.stride,
                       padding=layer.padding, dilation=layer.dilation)[0]
        found = out.reshape(k_h, k_w, *out.shape[1:]).numpy().round().astype(int) - 1
        i, j, oy, ox = np.argwhere(found >= 0)[0]
        position, kernel_index = (oy, i) if axis == 0 else (ox, j)
        # coordinate = output index × stride − padding before + kernel index × dilation
        before = position * stride + kernel_index * dilation - found[i, j, oy, ox]
        starts.append((before, stride, dilation, k))
        assert np.all((found == -1) | (found == (np.arange(k_h)[:, None, None, None] if axis == 0
                                                 else np.arange(k_w)[None, :, None, None])
                                       * dilation - before
                                       + (np.arange(out.shape[1])[None, None, :, None] if axis == 0
                                          else np.arange(out.shape[2])[None, None, None, :])
                                       * stride))
    (top, s_h, d_h, _), (left, s_w, d_w, _) = starts
    rows = y * s_h - top + d_h * np.arange(k_h)
    cols = x * s_w - left + d_w * np.arange(k_w)
    padded = ((rows < 0) | (rows >= height))[:, None] | ((cols < 0) | (cols >= width))[None, :]
    return rows, cols, padded


def check_panel(panel: ExplainPanel, frame: Frame, layer_index: int, out_channel: int, y: int,
                x: int) -> bool:
    """Check all the panel shows for one pixel; True when total and map agree to the digit."""
    layer = frame.design.layers[layer_index]
    layer_input = frame.image if layer_index == 0 else frame.outputs[layer_index - 1]
    truth = frame.outputs[layer_index][out_channel, y, x]
    explanation = panel.explanation()
    assert explanation is not None and not panel.hint_label.isVisibleTo(panel)
    assert (explanation.out_channel, explanation.y, explanation.x) == (out_channel, y, x)
    # The explanation equals torch's output within float32 tolerance.
    scale = (1.0 + sum(float(np.abs(t.products).sum()) for t in explanation.terms)
             + abs(explanation.bias))
    assert abs(explanation.total - float(truth)) <= 1e-6 * scale
    assert abs(explanation.value - float(truth)) <= 1e-6 * scale
    # The header shows the map value as the app shows it everywhere.
    shown = str(np.float32(truth))
    assert panel.displayed_value() == shown
    assert panel.header_label.text() == (f"Layer {layer_index}, output channel {out_channel}, "
                                         f"pixel ({y}, {x}) = {shown}")
    # The total is the exact sum rounded to float32; equal to the map, or honestly not.
    assert panel.displayed_total() == str(np.float32(explanation.total))
    agrees = panel.displayed_total() == shown
    if agrees:
        assert panel.total_label.text().endswith(f"= {shown} = the value in the map")
        assert not panel.note_label.isVisibleTo(panel)
    else:
        assert "≈" in panel.total_label.text()
        assert panel.note_label.isVisibleTo(panel)
        assert "in the last place" in panel.note_label.text()
        assert "that is rounding, not a mistake" in panel.note_label.text()
    # Bias.
    if layer.bias:
        assert panel.bias_label.text() == f"bias = {f32(layer.bias_values[out_channel])}"
    # The highlight: every cell the pixel reads, padded ones included, as torch places them.
    rows, cols, padded = expected_cells(layer, layer_input, out_channel, y, x)
    group = out_channel // (layer.out_channels // layer.groups)
    channels = range(group * layer.in_per_group, (group + 1) * layer.in_per_group)
    source, cells = panel.highlight()
    assert source == (-1 if layer_index == 0 else layer_index - 1)
    assert cells == [(c, int(r), int(q), bool(padded[i, j])) for c in channels
                     for i, r in enumerate(rows) for j, q in enumerate(cols)]
    # One row per input channel of the group.
    assert [t.in_channel for t in explanation.terms] == list(channels)
    assert panel.terms_view.row_count() == len(channels)
    assert panel.terms_view._content.sums == tuple(str(np.float32(t.sum))
                                                   for t in explanation.terms)
    return agrees


@pytest.mark.parametrize("seed", range(6))
def test_random_layers_agree_with_torch_and_with_the_map(setup, seed) -> None:
    rng = np.random.default_rng(seed)
    agreed = total = 0
    for case in range(15):
        design, image, index = random_design(rng, exact=False)
        frame = make_frame(design, image, request_id=case + 1)
        _, out_h, out_w = frame.outputs[index].shape
        conv = design.layers[index]
        for y, x in [(0, 0), (out_h - 1, out_w - 1),
                     (int(rng.integers(out_h)), int(rng.integers(out_w)))]:
            out_channel = int(rng.integers(conv.out_channels))
            panel = show(setup, frame, index, out_channel, (y, x))
            agreed += check_panel(panel, frame, index, out_channel, y, x)
            total += 1
    # PyTorch's float32 accumulation often ends a few units in the last place away from the
    # exact sum (about half of these pixels do); check_panel has seen the note say so each time.
    assert 0 < agreed <= total


@pytest.mark.parametrize("seed", range(4))
def test_exact_arithmetic_makes_the_total_equal_the_map_digit_for_digit(setup, seed) -> None:
    rng = np.random.default_rng(100 + seed)
    for case in range(12):
        design, image, index = random_design(rng, exact=True)
        frame = make_frame(design, image, request_id=case + 1)
        _, out_h, out_w = frame.outputs[index].shape
        y, x = int(rng.integers(out_h)), int(rng.integers(out_w))
        out_channel = int(rng.integers(design.layers[index].out_channels))
        panel = show(setup, frame, index, out_channel, (y, x))
        assert check_panel(panel, frame, index, out_channel, y, x)


def nudged_frame(frame: Frame, out_channel: int, y: int, x: int, value) -> Frame:
    outputs = (frame.outputs[0].copy(),)
    outputs[0][out_channel, y, x] = value
    return Frame(frame.request_id + 1, frame.design, frame.analysis, frame.image, outputs, None,
                 None, frame.device, 0.0)


def test_a_map_value_off_by_rounding_is_reported_honestly(setup) -> None:
    design = materialize(Design(InputSpec(2, 6, 6), (Conv2d(2, 3, 3, padding=1),)))
    image = np.random.default_rng(3).random((2, 6, 6), dtype=np.float32)
    frame = make_frame(design, image)
    panel = show(setup, frame, 0, 1, (2, 2))
    exact = np.float32(panel.explanation().total)
    # Say PyTorch's float32 accumulation ended two units in the last place from the exact sum.
    off = np.nextafter(np.nextafter(exact, np.float32(np.inf)), np.float32(np.inf))
    panel = show(setup, nudged_frame(frame, 1, 2, 2, off), 0, 1, (2, 2))
    assert panel.displayed_value() == str(off) and panel.displayed_total() == str(exact)
    assert panel.total_label.text() == (
        f"total = Σ + bias = {str(exact)} ≈ {str(off)}, the value in the map")
    note = panel.note_label.text()
    assert panel.note_label.isVisibleTo(panel)
    assert "the 18 products and the bias" in note and "(2 in the last place)" in note
    assert "that is rounding, not a mistake" in note
    # A map value far from the sum is not passed off as rounding.
    panel = show(setup, nudged_frame(frame, 1, 2, 2, exact + np.float32(0.5)), 0, 1, (2, 2))
    assert "more than rounding explains" in panel.note_label.text()
    # And back to the truth: the note goes.
    panel = show(setup, nudged_frame(frame, 1, 2, 2, exact), 0, 1, (2, 2))
    assert not panel.note_label.isVisibleTo(panel)
    assert panel.total_label.text() == f"total = Σ + bias = {str(exact)} = the value in the map"


def test_the_default_design_at_layer_2_and_the_padded_corner_of_layer_0(setup) -> None:
    design = materialize(learner_design())
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 6:22, 12:16] = 1.0   # a "1"
    frame = make_frame(design, image)
    panel = show(setup, frame, 2, 17, (3, 4))
    check_panel(panel, frame, 2, 17, 3, 4)
    assert panel.terms_view.row_count() == 64, panel.hint_label.text()
    panel = show(setup, frame, 0, 5, (0, 0))
    check_panel(panel, frame, 0, 5, 0, 0)
    source, cells = panel.highlight()
    assert source == -1
    assert [cell[1:] for cell in cells if cell[3]] == [
        (-1, -1, True), (-1, 0, True), (-1, 1, True), (-1, 2, True),
        (0, -1, True), (1, -1, True), (2, -1, True)]
    assert "padding (zeros)" in panel.legend_label.text()


@pytest.mark.parametrize("mode", PADDING_MODES)
def test_padded_cells_hold_the_padding_modes_value(setup, mode) -> None:
    rng = np.random.default_rng(5)
    layer = Conv2d(1, 2, 3, padding=1, padding_mode=mode)
    design = materialize(Design(InputSpec(1, 5, 6), (layer,)))
    image = rng.normal(size=(1, 5, 6)).astype(np.float32)
    frame = make_frame(design, image)
    panel = show(setup, frame, 0, 1, (0, 5))
    check_panel(panel, frame, 0, 1, 0, 5)
    torch_mode = "constant" if mode == "zeros" else mode
    padded_image = F.pad(torch.from_numpy(image)[None], (1, 1, 1, 1), mode=torch_mode)[0, 0].numpy()
    term = panel.explanation().terms[0]
    assert np.array_equal(term.patch, padded_image[0:3, 5:8])
    assert f"padding ({mode})" in panel.legend_label.text()
    panel.digits_box.setChecked(True)
    texts = panel.terms_view._content.texts[0]
    assert texts[0] == [str(np.float32(v + 0.0)) for v in term.patch.ravel()]
    assert texts[1] == [str(np.float32(v + 0.0)) for v in term.sub_kernel.ravel()]


def test_a_design_without_parameters_is_explained_with_the_engines_parameters(setup) -> None:
    design = Design(InputSpec(1, 8, 8), (Conv2d(1, 2, 3, padding=1),))   # weights not set
    image = np.random.default_rng(0).random((1, 8, 8), dtype=np.float32)
    frame = Frame(1, design, analyze(design), image, torch_outputs(materialize(design), image),
                  None, None, "cpu", 0.0)
    panel = show(setup, frame, 0, 1, (4, 4))
    assert panel.explanation() is not None
    assert panel.displayed_value() == str(frame.outputs[0][1, 4, 4])


# -- hints -----------------------------------------------------------------------------------------

def test_hint_without_a_pixel_or_on_a_layer_that_is_not_a_conv2d(setup, qtbot) -> None:
    panel, selection, live = setup
    hint = "Click a pixel of a Conv2d feature map to see how it was computed"
    assert panel.hint_label.isVisibleTo(panel) and panel.hint_label.text() == hint
    frame = make_frame(materialize(learner_design()), np.zeros((1, 28, 28), np.float32))
    live.frameReady.emit(frame)
    selection.select(layer=2, out_channel=3)
    assert panel.hint_label.isVisibleTo(panel) and panel.highlight() == (-1, [])
    with qtbot.waitSignal(panel.highlight_state.changed):
        selection.select(pixel=(1, 1))
    assert not panel.hint_label.isVisibleTo(panel) and panel.content.isVisibleTo(panel)
    assert panel.highlight()[0] == 1 and len(panel.highlight()[1]) == 64 * 16
    with qtbot.waitSignal(panel.highlight_state.changed):
        selection.select(layer=1, pixel=(1, 1))     # the LeakyReLU
    assert panel.hint_label.text() == hint and panel.explanation() is None
    assert panel.highlight() == (-1, [])
    selection.select(layer=0, out_channel=0, pixel=(40, 40))   # not in the 14×14 map
    assert panel.explanation() is None and panel.hint_label.isVisibleTo(panel)


# -- keyboard --------------------------------------------------------------------------------------

def test_arrow_keys_move_the_pixel_and_stop_at_the_edges(setup, qtbot) -> None:
    design = materialize(Design(InputSpec(1, 9, 9), (Conv2d(1, 2, 3, stride=2),)))   # 4×4 map
    frame = make_frame(design, np.random.default_rng(0).random((1, 9, 9), dtype=np.float32))
    panel = show(setup, frame, 0, 1, (0, 0))
    selection = setup[1]
    qtbot.keyClick(panel, Qt.Key_Up)
    qtbot.keyClick(panel, Qt.Key_Left)
    assert selection.pixel == (0, 0)
    qtbot.keyClick(panel, Qt.Key_Right)
    assert selection.pixel == (0, 1) and panel.explanation().x == 1
    qtbot.keyClick(panel, Qt.Key_Down)
    assert selection.pixel == (1, 1) and panel.explanation().y == 1
    for _ in range(5):
        qtbot.keyClick(panel, Qt.Key_Down)
        qtbot.keyClick(panel, Qt.Key_Right)
    assert selection.pixel == (3, 3)
    check_panel(panel, frame, 0, 1, 3, 3)
    qtbot.keyClick(panel, Qt.Key_Left)
    qtbot.keyClick(panel, Qt.Key_Up)
    assert selection.pixel == (2, 2)
    assert "arrow keys" in panel.keys_label.text().lower()


# -- hover -----------------------------------------------------------------------------------------

def send_mouse_move(widget, point: QPointF) -> None:
    event = QMouseEvent(QEvent.MouseMove, point, widget.mapToGlobal(point), Qt.NoButton,
                        Qt.NoButton, Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def test_hovering_a_term_row_emits_its_input_channel(setup, qtbot) -> None:
    rng = np.random.default_rng(2)
    design = materialize(Design(InputSpec(8, 7, 7), (Conv2d(8, 4, 3, padding=1, groups=2),)))
    frame = make_frame(design, rng.normal(size=(8, 7, 7)).astype(np.float32))
    panel = show(setup, frame, 0, 3, (2, 3))     # group 1: input channels 4..7
    view = panel.terms_view
    for row, channel in [(2, 6), (0, 4), (3, 7)]:
        centre = QPointF(view.row_rect(row).center())
        with qtbot.waitSignal(panel.termHovered) as blocker:
            send_mouse_move(view, centre)
        assert blocker.args == [channel]
        assert panel.hovered_channel() == channel and view.hovered_row == row
    with qtbot.waitSignal(panel.termHovered) as blocker:
        QApplication.sendEvent(view, QEvent(QEvent.Leave))
    assert blocker.args == [-1] and panel.hovered_channel() == -1


def test_cell_tooltips_name_the_exact_values(setup) -> None:
    design = materialize(Design(InputSpec(1, 6, 6), (Conv2d(1, 2, 3, padding=1),)))
    image = np.random.default_rng(4).random((1, 6, 6), dtype=np.float32)
    panel = show(setup, make_frame(design, image), 0, 0, (0, 0))
    view = panel.terms_view
    geometry = view._geometry
    top = view.MARGIN
    corner = geometry.grids[0] + QPointF(2, top + 2)              # patch cell (0, 0): padding
    assert "padding (zeros)" in view._tooltip(corner)
    inside = geometry.grids[0] + QPointF(geometry.cell_ws[0] * 1.5, top + geometry.cell_h * 1.5)
    assert f32(image[0, 0, 0]) in view._tooltip(inside)
    weight = geometry.grids[1] + QPointF(2, top + 2)
    assert f32(design.layers[0].weight[0, 0, 0, 0]) in view._tooltip(weight)


# -- the receptive-field overlay -------------------------------------------------------------------

def colour_at(image: QImage, x: float, y: float) -> QColor:
    return image.pixelColor(int(x), int(y))


def test_paint_highlight_outlines_cells_and_draws_padding_outside_the_image(qapp) -> None:
    image = QImage(100, 100, QImage.Format_RGB32)
    image.fill(QColor(0, 0, 0))
    rect = QRectF(20, 20, 60, 60)          # a 6×6 map: 10 px per cell
    cells = [(0, 0, 0, False), (0, -1, -1, True), (1, 0, 0, False), (0, 3, 4, False)]
    painter = QPainter(image)
    paint_highlight(painter, rect, (2, 6, 6), cells, hovered_channel=-1)
    painter.end()
    # Cell (0, 0): outlined, lightly filled inside, in the highlight colour.
    edge = colour_at(image, 20, 25)
    assert edge.red() > 150 and edge.blue() < 100
    assert colour_at(image, 25, 25) != QColor(0, 0, 0)
    # Cell (3, 4) at x 60..70, y 50..60.
    assert colour_at(image, 60, 55).red() > 150
    # The padded cell (-1, -1) lies outside the image (x, y 10..20): something is drawn there,
    # and nothing inside it is filled (dashed outline only).
    outline = [colour_at(image, x, y) for x in range(10, 20) for y in (10, 11, 18, 19)]
    assert any(c.red() > 150 for c in outline)
    assert colour_at(image, 15, 15) == QColor(0, 0, 0)
    # A cell far from every highlighted one stays untouched.
    assert colour_at(image, 45, 75) == QColor(0, 0, 0)

    hovered = QImage(100, 100, QImage.Format_RGB32)
    hovered.fill(QColor(0, 0, 0))
    painter = QPainter(hovered)
    paint_highlight(painter, rect, (6, 6), [(1, 3, 4, False)], hovered_channel=1)
    painter.end()
    assert HIGHLIGHT_HOVER_COLOR != HIGHLIGHT_COLOR
    assert colour_at(hovered, 60, 55).green() > colour_at(image, 60, 55).green()


def test_paint_highlight_with_no_cells_draws_nothing(qapp) -> None:
    image = QImage(20, 20, QImage.Format_RGB32)
    image.fill(QColor(0, 0, 0))
    painter = QPainter(image)
    paint_highlight(painter, QRectF(0, 0, 20, 20), (1, 4, 4), [], -1)
    painter.end()
    assert all(colour_at(image, x, y) == QColor(0, 0, 0) for x in range(20) for y in range(20))


# -- work done -----------------------------------------------------------------------------------

def test_64_channels_are_explained_once_and_only_the_rows_in_view_are_painted(setup) -> None:
    panel, selection, live = setup
    design = materialize(learner_design())
    rng = np.random.default_rng(0)
    frame = make_frame(design, rng.random((1, 28, 28), dtype=np.float32))
    show(setup, frame, 2, 0, (0, 0))
    asked = live.explain_count
    selection.select(sub_kernel=5)            # nothing the explanation depends on
    panel.digits_box.setChecked(True)         # reformatted from the explanation at hand
    assert live.explain_count == asked
    assert panel.terms_view.row_count() == 64, panel.hint_label.text()
    painted = []
    original = panel.terms_view._paint_row
    panel.terms_view._paint_row = lambda painter, index, *rest: (painted.append(index),
                                                                  original(painter, index, *rest))
    panel.scroll_area.grab()
    rows_in_view = panel.scroll_area.viewport().height() / panel.terms_view.row_height()
    assert 0 < len(painted) <= rows_in_view + 2 < 64
