"""The views of the selected layer show exactly what PyTorch computes, and react to clicks.

Frames are built here with tests/oracle.py (torch.nn, not the app's engine), so what the views show
is compared with an independent computation. One test runs the real LiveUpdater end to end.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

pytest.importorskip("pytestqt")

from PySide6.QtCore import QObject, QPoint, Qt, Signal

from convdesigner.compute.explain import Contributions
from convdesigner.compute.weights import materialize
from convdesigner.design import (
    Conv2d,
    Design,
    InputSpec,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    analyze,
)
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.live import Frame
from convdesigner.ui.state.selection import INPUT, Selection
from convdesigner.ui.views import (
    FeatureMapsView,
    KernelMatrixView,
    SelectedKernelView,
    SumView,
)
from convdesigner.ui.views.colors import (
    StickyScale,
    nice_ceil,
    output_signs,
    scale_for,
    symmetric_levels,
)
from convdesigner.ui.views.mosaic import MAX_MOSAIC_PIXELS
from convdesigner.ui.views.sum_parts import (
    FEW_TRIPLETS,
    MAX_TRIPLETS,
    shown_order,
    triplet_geometry,
)
from tests.oracle import torch_outputs

# -- helpers ---------------------------------------------------------------------------------------

class FakeLive(QObject):
    """Stands in for LiveUpdater: the tests emit the frames themselves. What the views ask the
    worker to explain waits in ``asked`` until :meth:`answer` (the worker's own code) runs."""

    frameReady = Signal(object)
    explained = Signal(object, object, str)

    def __init__(self) -> None:
        super().__init__()
        self.asked = []

    def explain(self, target) -> int:
        self.asked.append(target)
        return len(self.asked)

    def answer(self) -> None:
        from convdesigner.ui.state.live import explain_now
        asked, self.asked = self.asked, []
        for target in asked:
            self.explained.emit(target, explain_now(target), "")


def default_design() -> Design:
    return materialize(Design(InputSpec(1, 28, 28), (
        Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1))))


def digit(channels: int = 1, size: int = 28) -> np.ndarray:
    """A digit-like blob: a thick ring with a stroke, values in [0, 1]."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    ring = np.exp(-((np.hypot(yy - 0.45, xx - 0.5) - 0.25) ** 2) / 0.004)
    stroke = np.exp(-((xx - 0.62 - 0.2 * (yy - 0.5)) ** 2) / 0.002) * (yy > 0.5)
    image = np.clip(ring + stroke, 0, 1).astype(np.float32)
    return np.stack([image] * channels)


def torch_contributions(layer: Conv2d, layer_input: np.ndarray, out_channel: int) -> Contributions:
    """Each input channel's partial map, by brute force: one conv2d per input channel."""
    per_group_out = layer.out_channels // layer.groups
    group = out_channel // per_group_out
    channels = tuple(range(group * layer.in_per_group, (group + 1) * layer.in_per_group))
    weight = torch.tensor(layer.weight)
    maps = []
    for j, channel in enumerate(channels):
        x = torch.tensor(layer_input[channel:channel + 1])[None]
        maps.append(F.conv2d(x, weight[out_channel:out_channel + 1, j:j + 1], None, layer.stride,
                             layer.padding, layer.dilation)[0, 0].numpy())
    bias = float(layer.bias_values[out_channel]) if layer.bias else 0.0
    partials = np.stack(maps).astype(np.float32)
    return Contributions(out_channel, channels, partials, bias,
                         (partials.sum(0) + np.float32(bias)).astype(np.float32))


def make_frame(design: Design, image: np.ndarray, focus=None, outputs=None, request_id=1) -> Frame:
    outputs = torch_outputs(design, image) if outputs is None else outputs
    found = None
    if focus is not None:
        index, out_channel = focus
        layer_input = image if index == 0 else outputs[index - 1]
        found = torch_contributions(design.layers[index], layer_input, out_channel)
    return Frame(request_id, design, analyze(design), image, outputs, focus, found, "cpu", 0.0)


@pytest.fixture
def setup(qtbot):
    """A document with the default design and a digit, a selection, a fake live updater."""
    document = DesignDocument(default_design(), digit())
    selection = Selection()
    live = FakeLive()
    return document, selection, live


def shown(qtbot, widget, size=(900, 600)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_scene(qtbot, panel, scene_pos) -> None:
    """A real left click on ``panel`` at a scene position."""
    point = panel.mapFromScene(scene_pos)
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))


def hover_scene(qtbot, panel, scene_pos) -> None:
    point = panel.mapFromScene(scene_pos)
    qtbot.mouseMove(panel.viewport(), QPoint(point.x(), point.y()))


# -- colours ---------------------------------------------------------------------------------------

def test_levels_are_symmetric_for_signed_data_and_start_at_zero_otherwise() -> None:
    data = np.array([[-0.3, 0.1], [0.2, 0.05]], np.float32)
    assert symmetric_levels(data) == pytest.approx((-0.3, 0.3))
    assert scale_for(data).kind == "diverging"
    assert scale_for(np.abs(data)).kind == "sequential"
    assert scale_for(np.abs(data)).levels == pytest.approx((0.0, 0.3))
    assert symmetric_levels(np.zeros((2, 2))) == (-1.0, 1.0)       # a blank input stays readable
    assert nice_ceil(0.031) == pytest.approx(0.04) and nice_ceil(1.0) == 1.0
    assert nice_ceil(0.26) == pytest.approx(0.3)


def test_sticky_scale_covers_the_data_and_holds_still() -> None:
    sticky = StickyScale()
    first = sticky.update(np.array([-0.26, 0.1]), signed=True)
    assert first.levels == pytest.approx((-0.3, 0.3))
    assert sticky.update(np.array([0.2]), signed=True) is first       # within [½, 1]: unchanged
    grown = sticky.update(np.array([0.31]), signed=True)
    assert grown.levels[1] >= 0.31                                    # never clips
    shrunk = sticky.update(np.array([0.01]), signed=True)
    assert shrunk.levels[1] < 0.05


def test_output_signs_follow_the_layers() -> None:
    design = Design(InputSpec(1, 8, 8), (Conv2d(1, 2, 3), ReLU(), MaxPool2d(2), Conv2d(2, 2, 1),
                                         LeakyReLU(0.0)))
    assert output_signs(design, np.zeros((1, 8, 8))) == (False, True, False, False, True, False)
    assert output_signs(design, -np.ones((1, 8, 8)))[0] is True


# -- kernel matrix ---------------------------------------------------------------------------------

def test_kernel_matrix_shows_exactly_the_layer_weights(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, KernelMatrixView(document, selection, live))
    selection.select(layer=2)
    design = document.design
    live.frameReady.emit(make_frame(design, document.image.copy(), (2, 0)))
    weight = design.layers[2].weight
    assert view.displayed_weights() is weight
    layout = view.layout_
    assert (layout.count, layout.rows, layout.columns, layout.tile_shape) == (128 * 64, 128, 64, (4, 4))
    image = view.image_item.image
    for o, j in [(0, 0), (17, 3), (127, 63), (64, 10)]:
        row, col = layout.tile_origin(o * 64 + j)
        np.testing.assert_array_equal(image[row:row + 4, col:col + 4], weight[o, j])
    # One diverging scale for the whole layer, set explicitly.
    top = float(np.abs(weight).max())
    assert view.scale.kind == "diverging" and view.scale.levels == pytest.approx((-top, top))
    assert tuple(view.image_item.levels) == pytest.approx((-top, top))
    assert view.bar_levels() == [pytest.approx((-top, top))]


def test_kernel_matrix_click_and_hover(qtbot, setup) -> None:
    document, selection, live = setup
    # Large enough that one weight pixel spans whole screen pixels: a mouse lands on integers.
    view = shown(qtbot, KernelMatrixView(document, selection, live), size=(1800, 1100))
    selection.select(layer=2)
    weight = document.design.layers[2].weight
    # A real mouse click on kernel 17, sub-kernel 3.
    with qtbot.waitSignal(selection.changed):
        click_scene(qtbot, view, view.scene_pos_of_tile(17 * 64 + 3, 1, 2))
    assert (selection.out_channel, selection.sub_kernel) == (17, 3)
    layout = view.layout_
    x, y, w, h = layout.tile_rect(17 * 64 + 3)
    assert view.outline_rects()[1] == pytest.approx((x, y, w, h))
    assert view.outline_rects()[0] == pytest.approx((0, y, layout.shape[1], 4))   # the kernel's row
    # Hover read-out: the exact float32 value, in its shortest form.
    expected = f"layer 2 · kernel 17 · sub-kernel 3 · (1, 2) = {str(np.float32(weight[17, 3, 1, 2]))}"
    info = view.value_at_scene_pos(view.scene_pos_of_tile(17 * 64 + 3, 1, 2))
    assert info.text == expected and info.value == float(weight[17, 3, 1, 2])
    hover_scene(qtbot, view, view.scene_pos_of_tile(17 * 64 + 3, 1, 2))
    qtbot.waitUntil(lambda: view.hover_text == expected)
    # The tileClicked signal itself.
    view.tileClicked.emit(5 * 64 + 60, 0, 0)
    assert (selection.out_channel, selection.sub_kernel) == (5, 60)


def test_kernels_of_one_sub_kernel_are_wrapped_into_a_grid(qtbot, setup) -> None:
    """Layer 0 of the learner's design: 64 kernels of one 4×4 sub-kernel each. One column would
    show a handful; the grid shows all 64 at once, 8 a row, row labels 0, 8, … and column
    labels +0 … +7, so that row 8, column +3 is kernel 11 -- where hover and click say it is."""
    from convdesigner.ui.views.kernel_matrix import kernels_per_row

    assert [kernels_per_row(n, 1) for n in (1, 6, 16, 64, 128)] == [1, 3, 4, 8, 12]
    assert kernels_per_row(128, 64) == 64 and kernels_per_row(6, 2) == 2
    document, selection, live = setup
    view = shown(qtbot, KernelMatrixView(document, selection, live), size=(1200, 900))
    selection.select(layer=0)
    weight = document.design.layers[0].weight
    assert weight.shape == (64, 1, 4, 4)
    assert view.displayed_weights() is weight and view.wrapped_columns == 8
    layout = view.layout_
    assert (layout.rows, layout.columns) == (8, 8)
    image = view.image_item.image
    for kernel in (0, 11, 63):
        row, col = layout.tile_origin(kernel)
        assert (row // layout.pitch[0], col // layout.pitch[1]) == divmod(kernel, 8)
        np.testing.assert_array_equal(image[row:row + 4, col:col + 4], weight[kernel, 0])
    left, bottom = view.plot.getAxis("left"), view.plot.getAxis("bottom")
    assert [left._label(r) for r in range(8)] == ["0", "8", "16", "24", "32", "40", "48", "56"]
    assert [bottom._label(c) for c in (0, 3, 7)] == ["+0", "+3", "+7"]
    assert left.labelText == "kernels (first of the row)"
    assert bottom.labelText == "+ kernel (along the row)"
    assert "64 kernels × 1 sub-kernels of 4×4" in view.title and "8 kernels a row" in view.title
    assert view.visible_part() is None           # every kernel in view
    info = view.value_at_scene_pos(view.scene_pos_of_tile(11, 2, 1))
    assert info.text.startswith("layer 0 · kernel 11 · sub-kernel 0 · (2, 1) = ")
    assert info.value == float(weight[11, 0, 2, 1])
    with qtbot.waitSignal(selection.changed):
        click_scene(qtbot, view, view.scene_pos_of_tile(11, 2, 1))
    assert (selection.out_channel, selection.sub_kernel) == (11, 0)
    assert view.outline_rects() == [pytest.approx(layout.tile_rect(11))]
    # Back to a layer of many sub-kernels: rows are kernels again, columns sub-kernels.
    selection.select(layer=2)
    assert view.wrapped_columns is None and view.layout_.columns == 64
    assert view.plot.getAxis("left").labelText == "output channel (kernel)"


def test_kernel_matrix_redraws_only_for_a_new_design_or_selection(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, KernelMatrixView(document, selection, live))
    selection.select(layer=2)
    design = document.design
    count = view.render_count
    for k in range(5):       # brush strokes: new frames of the same design
        live.frameReady.emit(make_frame(design, document.image * (k + 1) / 5, request_id=k))
    assert view.render_count == count
    assert view.shown_frame.request_id == 4
    selection.select(out_channel=3)
    assert view.render_count == count + 1
    new_design = design.with_layer(2, design.layers[2].with_parameters(
        design.layers[2].weight * 2, design.layers[2].bias_values))
    live.frameReady.emit(make_frame(new_design, document.image.copy()))
    assert view.render_count == count + 2
    np.testing.assert_array_equal(view.displayed_weights(), design.layers[2].weight * 2)


def test_a_batchnorm_layer_is_said_to_have_weights_but_no_kernels(qtbot) -> None:
    from convdesigner.design.layers import BatchNorm2d

    design = materialize(Design(InputSpec(1, 28, 28), (Conv2d(1, 4, 3), BatchNorm2d(4)), seed=0))
    document = DesignDocument(design, digit())
    selection = Selection()
    live = FakeLive()
    kernels = shown(qtbot, KernelMatrixView(document, selection, live))
    live.frameReady.emit(make_frame(design, document.image.copy()))
    selection.select(layer=1)
    assert kernels.message.startswith("layer 1 (BatchNorm2d) has no kernels")
    assert "one scale and one shift per channel" in kernels.message
    assert "only Conv2d layers have weights" not in kernels.message


def test_views_without_kernels_say_so(qtbot, setup) -> None:
    document, selection, live = setup
    kernels = shown(qtbot, KernelMatrixView(document, selection, live))
    selected = shown(qtbot, SelectedKernelView(document, selection, live))
    sums = shown(qtbot, SumView(document, selection, live))
    live.frameReady.emit(make_frame(document.design, document.image.copy()))
    selection.select(layer=1)
    assert kernels.message.startswith("layer 1 (LeakyReLU) has no kernels")
    assert selected.message.startswith("layer 1 (LeakyReLU) has no kernels")
    assert kernels.displayed_weights() is None and selected.displayed_kernel() is None
    assert "layer 1 (LeakyReLU) is not a convolution" in sums.message
    assert sums.displayed_partial_maps() is None
    assert kernels.image_item.image is None       # nothing stale is left drawn
    selection.select(layer=INPUT)
    assert "input has no kernels" in kernels.message
    assert "Select a Conv2d layer" in sums.message
    selection.select(layer=0)
    assert kernels.message is None and kernels.displayed_weights().shape == (64, 1, 4, 4)


# -- selected kernel -------------------------------------------------------------------------------

def test_selected_kernel_shows_the_kernel_and_its_bias(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, SelectedKernelView(document, selection, live))
    selection.select(layer=2, out_channel=17, sub_kernel=3)
    layer = document.design.layers[2]
    np.testing.assert_array_equal(view.displayed_kernel(), layer.weight[17])
    bias = str(np.float32(layer.bias_values[17]))
    assert view.title == (f"Kernel 17 of layer 2: 64 sub-kernels of 4×4 (one per input channel) "
                          f"+ bias {bias}")
    assert view.displayed_channels() == list(range(64))
    assert [label.text for label in view.labels.labels][:3] == ["in 0", "in 1", "in 2"]
    layout = view.layout_
    image = view.image_item.image
    for j in (0, 3, 63):
        row, col = layout.tile_origin(j)
        np.testing.assert_array_equal(image[row:row + 4, col:col + 4], layer.weight[17, j])
    assert view.outline_rects() == [pytest.approx(layout.tile_rect(3))]
    info = view.value_at_scene_pos(view.scene_pos_of_tile(5, 2, 0))
    assert info.text == (f"layer 2 · kernel 17 · sub-kernel 5 (input channel 5) · (2, 0) = "
                         f"{str(np.float32(layer.weight[17, 5, 2, 0]))}")
    with qtbot.waitSignal(selection.changed):
        click_scene(qtbot, view, view.scene_pos_of_tile(40, 1, 1))
    assert selection.sub_kernel == 40 and selection.out_channel == 17
    assert view.outline_rects() == [pytest.approx(layout.tile_rect(40))]


def test_selected_kernel_names_the_group_it_reads(qtbot) -> None:
    design = materialize(Design(InputSpec(4, 10, 10), (Conv2d(4, 6, 3, groups=2),)))
    document, selection, live = DesignDocument(design, digit(4, 10)), Selection(), FakeLive()
    view = shown(qtbot, SelectedKernelView(document, selection, live))
    selection.select(layer=0, out_channel=4)
    assert view.displayed_channels() == [2, 3]
    assert "channels 2–3" in view.title


# -- feature maps ----------------------------------------------------------------------------------

def test_feature_maps_equal_torch_outputs(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, FeatureMapsView(document, selection, live))
    design, image = document.design, document.image.copy()
    expected = torch_outputs(design, image)
    selection.select(layer=0, out_channel=5)
    live.frameReady.emit(make_frame(design, image))
    assert view.shown_frame is not None
    np.testing.assert_array_equal(view.displayed_maps(INPUT), image)
    for index, output in enumerate(expected):
        np.testing.assert_allclose(view.displayed_maps(index), output, rtol=0, atol=1e-6)
    # The large mosaic holds exactly these maps, tile c at its origin.
    maps = view.displayed_maps(0)
    layout = view.panel.layout_
    assert layout.count == 64 and layout.step == 1
    mosaic = view.panel.image_item.image
    for channel in (0, 5, 63):
        row, col = layout.tile_origin(channel)
        np.testing.assert_array_equal(mosaic[row:row + 14, col:col + 14], maps[channel])
    # Every layer is in the strip, captioned with its shape.
    captions = [entry.caption for entry in view.strip.entries]
    assert captions == ["Input 1×28×28", "[0] Conv2d → 64×14×14", "[1] LeakyReLU → 64×14×14",
                        "[2] Conv2d → 128×7×7"]
    # Conv outputs are signed (diverging, symmetric), the digit is not (black to white).
    assert view.displayed_scale(0).kind == "diverging"
    low, high = view.displayed_scale(0).levels
    assert low == -high and high >= np.abs(maps).max()
    assert view.displayed_scale(INPUT).kind == "sequential"
    assert tuple(view.panel.image_item.levels) == pytest.approx((low, high))
    assert view.panel.outline_rects() == [pytest.approx(layout.tile_rect(5))]
    info = view.value_at_scene_pos(view.panel.scene_pos_of_tile(5, 3, 4))
    assert info.text == f"layer 0 (Conv2d) · channel 5 · (3, 4) = {str(np.float32(maps[5, 3, 4]))}"


def test_feature_maps_clicks_select_layer_and_channel(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, FeatureMapsView(document, selection, live))
    live.frameReady.emit(make_frame(document.design, document.image.copy()))
    assert view.selected_layer == INPUT
    entry = view.strip.entries[3]             # layer 2
    with qtbot.waitSignal(selection.changed):
        click_scene(qtbot, view.strip, entry.view.sceneBoundingRect().center())
    assert selection.layer == 2 and view.selected_layer == 2
    assert view.panel.layout_.count == 128
    with qtbot.waitSignal(selection.changed):
        click_scene(qtbot, view.panel, view.panel.scene_pos_of_tile(100, 3, 3))
    assert selection.out_channel == 100
    assert view.panel.outline_rects() == [pytest.approx(view.panel.layout_.tile_rect(100))]
    assert "channel 100 outlined" in view.panel.title


def test_feature_maps_live_path_reuses_its_items(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, FeatureMapsView(document, selection, live))
    selection.select(layer=2)
    design = document.design
    live.frameReady.emit(make_frame(design, document.image.copy()))
    items = [view.panel.image_item, *(e.image for e in view.strip.entries)]
    scene_items = len(view.panel.scene().items()) + len(view.strip.scene().items())
    for k in range(3):
        image = np.clip(document.image + 0.1 * k, 0, 1).astype(np.float32)
        frame = make_frame(design, image, request_id=k + 2)
        live.frameReady.emit(frame)
        np.testing.assert_allclose(view.displayed_maps(2), torch_outputs(design, image)[2], atol=1e-6)
    assert [view.panel.image_item, *(e.image for e in view.strip.entries)] == items
    assert len(view.panel.scene().items()) + len(view.strip.scene().items()) == scene_items


# -- the sum ---------------------------------------------------------------------------------------

def test_sum_view_partials_and_bias_add_up_to_torch_output(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, SumView(document, selection, live))
    design, image = document.design, document.image.copy()
    selection.select(layer=2, out_channel=17, sub_kernel=3)
    live.frameReady.emit(make_frame(design, image, (2, 17)))
    expected = torch_outputs(design, image)[2][17]          # the conv output, before activation
    # By default: the few channels that contribute most, largest first, each labelled.
    strengths = np.abs(view.all_partial_maps()).mean(axis=(1, 2))
    strongest = list(np.argsort(-strengths, kind="stable")[:FEW_TRIPLETS])
    assert view.displayed_channels() == strongest
    assert [label.text for label in view.triplets.labels.labels if label.text.startswith("in ")] \
        == [f"in {c}" for c in strongest]
    assert "6 of 64 input channels that contribute most" in view.triplets.title
    assert view.all_box.text() == "Show all 64"
    view.all_box.setChecked(True)
    partials = view.displayed_partial_maps()
    assert partials.shape == (64, 7, 7)
    assert view.displayed_channels() == list(range(64))
    np.testing.assert_allclose(partials.sum(0) + view.displayed_bias(), expected, atol=1e-5)
    np.testing.assert_allclose(view.displayed_sum() + view.displayed_bias(), expected, atol=1e-5)
    np.testing.assert_allclose(view.displayed_output(), expected, atol=1e-5)
    assert view.displayed_bias() == float(design.layers[2].bias_values[17])
    # Each partial map is its input map convolved with its own sub-kernel.
    layer_input = torch_outputs(design, image)[1]
    np.testing.assert_array_equal(view.displayed_input_maps(), layer_input)
    np.testing.assert_array_equal(view.displayed_sub_kernels(), design.layers[2].weight[17])
    assert view.title.text().endswith("= Σ over 64 input channels (input map ⊛ its own 4×4 "
                                      "sub-kernel) + bias")
    assert "Output channel 17 of layer 2" in view.title.text()
    assert view.triplets.layout_.count == 64
    assert view.message is None


def test_sum_view_hover_click_and_order(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, SumView(document, selection, live))
    design, image = document.design, document.image.copy()
    selection.select(layer=2, out_channel=17)
    live.frameReady.emit(make_frame(design, image, (2, 17)))
    view.all_box.setChecked(True)
    geo, panel = view._geometry, view.triplets
    row, col = panel.layout_.tile_origin(9)
    # Hover over each block of triplet 9: the raw value of the cell under the mouse.
    y, x, _h, _w = geo.input_box
    info = panel.value_at_scene_pos(panel.scene_pos_of_pixel(row + y + 2, col + x + 3))
    assert info.value == float(view.displayed_input_maps()[9, 2 * geo.step, 3 * geo.step])
    assert info.text.startswith("input map 9 · ")
    y, x, _h, _w = geo.kernel_box
    info = panel.value_at_scene_pos(panel.scene_pos_of_pixel(row + y + geo.zoom, col + x))
    weight = design.layers[2].weight[17, 9, 1, 0]
    assert info.text == ("layer 2 · kernel 17 · sub-kernel 9 (input channel 9) · (1, 0) = "
                         f"{str(np.float32(weight))}")
    y, x, _h, _w = geo.partial_box
    info = panel.value_at_scene_pos(panel.scene_pos_of_pixel(row + y + 1, col + x + 2))
    assert info.value == float(view.displayed_partial_maps()[9, 1, 2])
    assert panel.value_at_scene_pos(panel.scene_pos_of_pixel(row, col)) is None   # the label band
    # A click on a triplet selects its sub-kernel.
    with qtbot.waitSignal(selection.changed):
        click_scene(qtbot, panel,
                    panel.scene_pos_of_pixel(row + geo.partial_box[0], col + geo.partial_box[1]))
    assert selection.sub_kernel == 9
    # Order by contribution: largest mean |partial| first, channel numbers kept on the triplets.
    view.order_box.setChecked(True)
    strengths = np.abs(view.all_partial_maps()).mean(axis=(1, 2))
    order = view.displayed_channels()
    assert order == list(np.argsort(-strengths, kind="stable"))
    assert sorted(order) == list(range(64))
    labels = [label.text for label in panel.labels.labels if label.text.startswith("in ")]
    assert labels == [f"in {c}" for c in order]
    np.testing.assert_array_equal(view.displayed_partial_maps(), view.all_partial_maps()[order])
    # Result panel: Σ then the feature map, with the exact values on hover.
    result = view.result
    info = result.value_at_scene_pos(result.scene_pos_of_tile(1, 2, 3))
    value = view.displayed_output()[2, 3]
    assert info.text == f"feature map 17 of layer 2 · (2, 3) = {str(np.float32(value))}"


def test_sum_view_shows_the_64_strongest_of_more(qtbot) -> None:
    design = materialize(Design(InputSpec(1, 12, 12), (Conv2d(1, 256, 3), ReLU(), Conv2d(256, 8, 3))))
    document, selection, live = DesignDocument(design, digit(1, 12)), Selection(), FakeLive()
    view = shown(qtbot, SumView(document, selection, live))
    selection.select(layer=2, out_channel=5)
    image = document.image.copy()
    live.frameReady.emit(make_frame(document.design, image, (2, 5)))
    view.all_box.setChecked(True)
    assert len(view.displayed_channels()) == MAX_TRIPLETS
    assert "showing 64 of 256" in view.info.text()
    strengths = np.abs(view.all_partial_maps()).mean(axis=(1, 2))
    strongest = set(np.argsort(-strengths, kind="stable")[:64].tolist())
    assert set(view.displayed_channels()) == strongest
    assert view.displayed_channels() == sorted(strongest)          # channel order by default
    expected = torch_outputs(document.design, image)[2][5]
    np.testing.assert_allclose(view.displayed_sum() + view.displayed_bias(), expected, atol=1e-5)


def test_sum_parts_order_and_geometry_need_no_widget() -> None:
    strengths = np.array([0.1, 0.5, 0.3, 0.5])
    assert shown_order(strengths, False).tolist() == [0, 1, 2, 3]
    assert shown_order(strengths, True).tolist() == [1, 3, 2, 0]            # ties keep channel order
    assert shown_order(strengths, True, limit=2).tolist() == [1, 3]
    assert shown_order(strengths, False, limit=3).tolist() == [1, 2, 3]
    geo = triplet_geometry((28, 28), (4, 4), (14, 14), 1, MAX_MOSAIC_PIXELS)
    y, x, h, w = geo.kernel_box
    assert geo.which(y, x) == ("kernel", 0, 0)
    assert geo.which(y + h - 1, x + w - 1) == ("kernel", 3, 3)
    assert geo.which(0, 0) is None                                          # the label band


def test_sum_view_names_the_group(qtbot) -> None:
    design = materialize(Design(InputSpec(4, 10, 10), (Conv2d(4, 8, 3, groups=2),)))
    document, selection, live = DesignDocument(design, digit(4, 10)), Selection(), FakeLive()
    view = shown(qtbot, SumView(document, selection, live))
    selection.select(layer=0, out_channel=5)
    image = document.image.copy()
    live.frameReady.emit(make_frame(document.design, image, (0, 5)))
    assert view.displayed_channels() == [2, 3]
    assert "reads input channels 2–3 only" in view.info.text()
    expected = torch_outputs(document.design, image)[0][5]
    np.testing.assert_allclose(view.displayed_partial_maps().sum(0) + view.displayed_bias(),
                               expected, atol=1e-5)


def test_sum_view_explains_a_channel_the_frame_was_not_computed_for(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, SumView(document, selection, live))
    design, image = document.design, document.image.copy()
    live.frameReady.emit(make_frame(design, image, (2, 0)))
    selection.select(layer=2, out_channel=99)       # the frame explains channel 0, not 99
    assert [(t.layer, t.out_channel) for t in live.asked] == [(2, 99)]   # asked the worker
    live.answer()
    assert view.focus == (2, 99)
    expected = torch_outputs(design, image)[2][99]
    np.testing.assert_allclose(view.displayed_sum() + view.displayed_bias(), expected, atol=1e-5)


# -- budget ----------------------------------------------------------------------------------------

def test_heavy_frame_stays_within_the_pixel_budget(qtbot) -> None:
    design = materialize(Design(InputSpec(3, 224, 224), (Conv2d(3, 256, 3), ReLU(),
                                                         Conv2d(256, 512, 3, padding=1))))
    rng = np.random.default_rng(1)
    image = np.clip(digit(3, 224) + 0.05 * rng.standard_normal((3, 224, 224)), 0, 1).astype(np.float32)
    conv0 = rng.standard_normal((256, 222, 222), dtype=np.float32)
    # Stand-in outputs of the right shapes (a real 256→512 convolution would take seconds); the
    # focus channel's partial maps are real.
    outputs = (conv0, np.maximum(conv0, 0), rng.standard_normal((512, 222, 222), dtype=np.float32))
    frame = make_frame(design, image, (2, 7), outputs=outputs)
    document, selection, live = DesignDocument(design, image), Selection(), FakeLive()
    views = [shown(qtbot, cls(document, selection, live))
             for cls in (KernelMatrixView, SelectedKernelView, FeatureMapsView, SumView)]
    selection.select(layer=2, out_channel=7)
    live.frameReady.emit(frame)
    for view in views:
        assert view.displayed_pixel_count() <= 4_000_000, type(view).__name__
    feature_maps, sums = views[2], views[3]
    assert feature_maps.panel.displayed_pixel_count() <= MAX_MOSAIC_PIXELS
    assert feature_maps.panel.layout_.step > 1
    assert "showing the 6 of 256 that contribute most" in sums.info.text()
    sums.all_box.setChecked(True)           # every channel drawn: still within the budget
    assert sums.displayed_pixel_count() <= 4_000_000
    assert "showing 64 of 256" in sums.info.text()
    # Hover on a strided mosaic still reads the exact full-resolution value.
    panel = feature_maps.panel
    step = panel.layout_.step
    info = feature_maps.value_at_scene_pos(panel.scene_pos_of_tile(300, 5 * step, 7 * step))
    assert (info.tile, info.y, info.x) == (300, 5 * step, 7 * step)
    assert info.value == float(outputs[2][300, 5 * step, 7 * step])
    np.testing.assert_allclose(sums.displayed_partial_maps().shape, (64, 222, 222))
    qtbot.wait(1)   # let the views paint once
    for view in views:
        view.grab()


# -- end to end ------------------------------------------------------------------------------------

def test_views_follow_the_real_live_updater(qtbot, setup) -> None:
    from convdesigner.ui.state.live import LiveUpdater
    document, selection, _fake = setup
    live = LiveUpdater("cpu")
    try:
        maps = shown(qtbot, FeatureMapsView(document, selection, live))
        sums = shown(qtbot, SumView(document, selection, live))
        selection.select(layer=2, out_channel=3)
        with qtbot.waitSignal(live.frameReady, timeout=30_000):
            live.request(document.design, document.image, focus=(2, 3))
        expected = torch_outputs(document.design, document.image.copy())
        for index, output in enumerate(expected):
            np.testing.assert_allclose(maps.displayed_maps(index), output, atol=1e-5)
        np.testing.assert_allclose(sums.all_partial_maps().sum(0) + sums.displayed_bias(),
                                   expected[2][3], atol=1e-5)
    finally:
        live.shutdown()


# -- panel behaviour -------------------------------------------------------------------------------

def test_double_click_resets_the_view_and_gaps_are_transparent(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, KernelMatrixView(document, selection, live))
    selection.select(layer=2)
    view.all_box.setChecked(True)     # the whole layer, however small (else a readable part)
    height, width = view.image_item.image.shape
    assert np.isnan(view.image_item.image[4, :]).all(), "the gap rows are NaN (drawn transparent)"
    view.settle()
    full = view.view.viewRange()
    view.view.setRange(xRange=(10, 20), yRange=(10, 20), padding=0)
    view.settle()
    assert view.view.viewRange()[0][1] - view.view.viewRange()[0][0] < 20
    point = view.mapFromScene(view.scene_pos_of_pixel(12, 12))
    at = QPoint(point.x(), point.y())
    # A double-click as a window system delivers it: press, release, double-click, release.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: view.view.viewRange()[0][1] - view.view.viewRange()[0][0] > width)
    view.settle()
    np.testing.assert_allclose(view.view.viewRange(), full, rtol=1e-3)
    (x0, x1), (y0, y1) = view.view.viewRange()
    assert x0 <= 0 and x1 >= width and y0 <= 0 and y1 >= height       # the whole mosaic shows
    assert view.view.state["aspectLocked"] and view.view.state["yInverted"]


def test_tile_labels_name_the_channels(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, FeatureMapsView(document, selection, live))
    selection.select(layer=0)
    live.frameReady.emit(make_frame(document.design, document.image.copy()))
    labels = view.panel.labels.labels
    assert [label.text for label in labels] == [str(c) for c in range(64)]
    view.panel.settle()
    pixels_per_unit = 1.0 / view.panel.view.viewPixelSize()[1]
    assert len(view.panel.labels.visible_labels(pixels_per_unit)) == 64   # big enough at 900×600
    assert len(view.panel.labels.visible_labels(0.5)) == 0                # a smudge: left out


def test_sum_view_keeps_the_last_channel_until_the_worker_answers(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, SumView(document, selection, live))
    design, image = document.design, document.image.copy()
    selection.select(layer=2, out_channel=4)
    live.frameReady.emit(make_frame(design, image, (2, 4)))
    assert view.focus == (2, 4) and view.message is None and live.asked == []
    selection.select(out_channel=99)                 # the frame shown explains channel 4 only
    assert view.focus == (2, 4) and view.message is None       # no flash while the worker works
    live.frameReady.emit(make_frame(design, image, (2, 99), request_id=2))
    assert view.focus == (2, 99) and view.message is None
    live.answer()                                    # the answer for the older frame: ignored
    assert view.focus == (2, 99) and view.render_count == 2
    # A frame without the channel: the worker is asked, its answer drawn.
    selection.select(out_channel=5)
    live.frameReady.emit(make_frame(design, image, (2, 99), request_id=3))
    assert view.focus == (2, 99)
    live.answer()
    assert view.focus == (2, 5)
    np.testing.assert_allclose(view.displayed_sum() + view.displayed_bias(),
                               torch_outputs(design, image)[2][5], atol=1e-5)
    # Nothing drawn for this layer yet: the view says it is computing.
    selection.select(layer=0, out_channel=3)
    assert view.message == "Computing output channel 3 of layer 0…"
    live.answer()
    assert view.focus == (0, 3) and view.message is None


# -- fixes from testing it as users would (issue 16) ----------------------------------------------

def test_strip_outlines_follow_the_highlight_while_layers_come_and_go(qtbot, setup) -> None:
    """Issue 16.1: outlines of a layer-2 pixel, layers added and removed, clicks: no deleted item
    is reused, and the outlines keep updating on the strip entry of the layer read."""
    import dataclasses
    import gc

    from convdesigner.ui.state.highlight import Highlight
    document, selection, live = setup
    highlight = Highlight()
    view = shown(qtbot, FeatureMapsView(document, selection, live, highlight))
    base, image = document.design, document.image.copy()
    selection.select(layer=2)
    every = [(c, y, x, False) for c in range(64) for y in (1, 2) for x in (1, 2)]
    for round_ in range(8):
        design = dataclasses.replace(base, layers=base.layers + (ReLU(),) * (round_ % 3))
        live.frameReady.emit(make_frame(design, image, request_id=round_ + 1))
        gc.collect()          # views of removed strip entries go now, as they would in time
        cells = every if round_ % 2 else every[:16]
        highlight.set_cells(1, cells)            # a click on another pixel of layer 2
        highlight.set_hovered_channel(round_ % 4)
        entry = next(e for e in view.strip.entries if e.index == 1)
        assert entry.view.highlight_item.rect_count == len(cells)
        assert len(view.highlighted_rects(1)) == len(cells)
        others = [e for e in view.strip.entries if e.index != 1]
        assert all(e.view.highlight_item.rect_count == 0 for e in others)
    highlight.clear()
    assert all(e.view.highlight_item.rect_count == 0 for e in view.strip.entries)


def test_a_click_reads_out_the_pixel_it_selects_at_the_edge_between_two(qtbot, setup) -> None:
    """Issue 16.6: pressed on one side of the edge between two map pixels and released a pixel
    away, on the other side: the read-out names the pixel the click selected."""
    document, selection, live = setup
    view = shown(qtbot, FeatureMapsView(document, selection, live))
    selection.select(layer=0)
    live.frameReady.emit(make_frame(document.design, document.image.copy()))
    panel = view.panel
    panel.settle()
    centre = panel.mapFromScene(panel.scene_pos_of_tile(0, 3, 3))
    y = centre.y()

    def pixel_at(x):
        return panel.mosaic_pixel_at(panel.mapToScene(QPoint(x, y)))

    x = centre.x()
    while pixel_at(x + 1) == pixel_at(x):    # the last viewport column of this map pixel
        x += 1
    inside, across = QPoint(x, y), QPoint(x + 1, y)
    qtbot.mousePress(panel.viewport(), Qt.MouseButton.LeftButton, pos=across)
    qtbot.mouseMove(panel.viewport(), inside)
    qtbot.mouseRelease(panel.viewport(), Qt.MouseButton.LeftButton, pos=inside)
    qtbot.waitUntil(lambda: selection.pixel is not None)
    _tile, pixel_y, pixel_x = panel.layout_.locate(*pixel_at(across.x()))
    assert selection.pixel == (pixel_y, pixel_x)
    assert f"({pixel_y}, {pixel_x}) = " in panel.hover_text
