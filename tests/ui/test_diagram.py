"""The architecture diagram and the channel wiring: drawn from the analysis, edited through the
document (one undo step each), and exported as files that open."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from itertools import pairwise

import numpy as np
import pytest
from PySide6.QtCore import QLineF, QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QMenu

from convdesigner.design import Conv2d, Design, InputSpec, LeakyReLU, MaxPool2d, ReLU
from convdesigner.design.catalog import LAYER_KINDS
from convdesigner.design.wiring import connection_matrix, density_image
from convdesigner.ui.diagram.layout import box_size, conv_lines, marker_text
from convdesigner.ui.diagram.view import ArchitectureDiagram
from convdesigner.ui.diagram.wiring import LINES, MATRIX, WiringView
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import INPUT


def basic_design() -> Design:
    return Design(InputSpec(1, 28, 28), (Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1)))


@pytest.fixture
def diagram(qtbot, document, selection) -> ArchitectureDiagram:
    view = ArchitectureDiagram(document, selection)
    qtbot.addWidget(view)
    view.resize(1000, 260)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def wiring(qtbot, document, selection) -> WiringView:
    view = WiringView(document, selection)
    qtbot.addWidget(view)
    view.resize(500, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def viewport_point(diagram: ArchitectureDiagram, scene_point) -> QPoint:
    return diagram.mapFromScene(scene_point)


def set_groups(document: DesignDocument, index: int, groups: int) -> None:
    layer = document.design.layers[index]
    document.edit_design(document.design.with_layer(index, replace(layer, groups=groups)),
                         f"Set groups of layer {index} to {groups}")


# -- the diagram draws what analyze computes -------------------------------------------------------
def test_blocks_follow_the_shapes_analyze_computes(diagram, document) -> None:
    blocks = diagram.blocks()
    assert [b.layer for b in blocks] == [INPUT, 0, 1, 2]
    assert blocks[0].shape == (1, 28, 28)
    for block in blocks[1:]:
        assert block.shape == document.analysis.layers[block.layer].out_shape
    assert [b.shape for b in blocks] == [(1, 28, 28), (64, 14, 14), (64, 14, 14), (128, 7, 7)]
    # Tensors are boxes; the LeakyReLU is a marker between them, with no box of its own.
    assert blocks[2].box is None and all(blocks[i].box is not None for i in (0, 1, 3))
    # Blocks run left to right without overlapping.
    for left, right in pairwise(blocks):
        assert left.rect.right() <= right.rect.left()
    for block in blocks:
        if block.box is not None:
            depth, height, width = block.size
            assert block.box.width() == pytest.approx(depth + width * 0.62)
            assert block.rect.contains(block.box)


def test_boxes_grow_monotonically_with_channels_height_and_width() -> None:
    sizes = [1, 2, 3, 7, 14, 28, 64, 128, 512, 4096]
    depths = [box_size((n, 8, 8))[0] for n in sizes]
    heights = [box_size((8, n, 8))[1] for n in sizes]
    widths = [box_size((8, 8, n))[2] for n in sizes]
    for values in (depths, heights, widths):
        assert all(a < b for a, b in pairwise(values))
    # Log-scaled: 1 channel is still visible and 512 does not swamp the strip.
    assert depths[0] >= 3 and box_size((512, 8, 8))[0] < 15 * depths[0]


def test_drawn_boxes_deepen_with_channels_and_shrink_with_height(qtbot, selection) -> None:
    design = Design(InputSpec(1, 64, 64), (Conv2d(1, 8, 3, 1, 1), Conv2d(8, 32, 4, 2, 1),
                                          Conv2d(32, 128, 4, 2, 1)))
    view = ArchitectureDiagram(DesignDocument(design), selection)
    qtbot.addWidget(view)
    boxes = [b for b in view.blocks() if b.box is not None]
    channels = [b.shape[0] for b in boxes]
    heights = [b.shape[1] for b in boxes]
    assert channels == [1, 8, 32, 128] and heights == [64, 64, 32, 16]
    depths = [b.size[0] for b in boxes]
    drawn_heights = [b.size[1] for b in boxes]
    assert all(a < b for a, b in pairwise(depths))
    assert drawn_heights[0] == drawn_heights[1] and drawn_heights[1] > drawn_heights[2] > drawn_heights[3]
    assert boxes[1].box.height() > boxes[3].box.height()


def test_labels_say_kernel_stride_padding_and_the_unusual_arguments() -> None:
    assert conv_lines(Conv2d(1, 64, 4, 2, 1)) == ["4×4, stride 2, pad 1"]
    assert conv_lines(Conv2d(64, 64, 3, 1, 2, dilation=2, groups=4)) == [
        "3×3, stride 1, pad 2", "groups=4 · dil 2"]
    assert marker_text(LeakyReLU(0.2)) == "LeakyReLU 0.2"
    assert marker_text(MaxPool2d(2)) == "MaxPool 2"
    assert marker_text(ReLU()) == "ReLU"


def test_the_classifier_layers_are_drawn_as_what_they_do(qtbot, selection) -> None:
    """Flatten turns the maps into one long vector (a box of its own, 6,272 long), Linear maps it
    to 10 (a box, its title and "6,272 → 10"), and Dropout, which keeps the shape, is a marker
    between boxes, as an activation is."""
    from convdesigner.design.layers import Dropout, Flatten, Linear

    design = Design(InputSpec(1, 28, 28), (Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2),
                                          Conv2d(64, 128, 4, 2, 1), Flatten(), Dropout(0.5),
                                          Linear(6272, 10)))
    view = ArchitectureDiagram(DesignDocument(design), selection)
    qtbot.addWidget(view)
    blocks = {block.layer: block for block in view.blocks()}
    specs = {item.spec.layer: item.spec for item in view._blocks}
    assert blocks[3].shape == (6272,) and blocks[3].box is not None
    assert specs[3].title == "Flatten"
    assert blocks[4].shape == (6272,) and blocks[4].box is None and specs[4].title == "Dropout 0.5"
    assert blocks[5].shape == (10,) and blocks[5].box is not None
    assert (specs[5].title, specs[5].lines) == ("Linear", ["6,272 → 10"])
    # The long vector is drawn longer than the 10 scores it becomes.
    assert blocks[3].box.height() > blocks[5].box.height()
    for left, right in pairwise(view.blocks()):
        assert left.rect.right() <= right.rect.left()


# -- designing on it -----------------------------------------------------------------------------
def test_clicking_a_block_selects_its_layer_and_the_highlight_follows(qtbot, diagram, selection) -> None:
    for block in diagram.blocks():
        qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_point(diagram, block.rect.center()))
        assert selection.layer == block.layer
    # A selection made elsewhere highlights the block here.
    selection.select(layer=0)
    assert diagram.block_item(0).selected_block and not diagram.block_item(2).selected_block


def test_clicking_the_box_a_kernel_is_drawn_in_selects_that_box_not_the_conv(qtbot, diagram, selection) -> None:
    # Layer 2's kernel is drawn inside layer 0's box; a click there still means layer 0.
    box = diagram.blocks()[1].box
    qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(diagram, box.center()))
    assert selection.layer == 0


def test_dragging_a_block_moves_the_layer_as_one_undo_step(qtbot, diagram, document, selection) -> None:
    before = document.design
    blocks = diagram.blocks()
    start = viewport_point(diagram, blocks[2].rect.center())           # the LeakyReLU
    end_scene = dict(diagram.insert_points())[3]                       # after the last layer
    end = viewport_point(diagram, end_scene)
    qtbot.mousePress(diagram.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(diagram.viewport(), start + (end - start) * (step / 5))
    qtbot.mouseRelease(diagram.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert [layer.kind for layer in document.design.layers] == ["Conv2d", "Conv2d", "LeakyReLU"]
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Move layer 1 down"  # the layer stack says the same
    assert selection.layer == 2
    assert [b.layer for b in diagram.blocks()] == [INPUT, 0, 1, 2]      # re-rendered
    document.undo_stack.undo()
    assert document.design.same_parameters(before)
    assert [b.shape for b in diagram.blocks()][2] == (64, 14, 14)


def test_a_short_drag_or_a_drop_in_place_changes_nothing(qtbot, diagram, document) -> None:
    start = viewport_point(diagram, diagram.blocks()[3].rect.center())
    qtbot.mousePress(diagram.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(diagram.viewport(), start + QPoint(30, 0))
    qtbot.mouseRelease(diagram.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(30, 0))
    assert document.undo_stack.count() == 0
    assert diagram.block_item(2).pos().x() == 0


def test_keys_select_neighbours_and_ctrl_moves(qtbot, diagram, document, selection) -> None:
    qtbot.keyClick(diagram, Qt.Key.Key_Right)
    assert selection.layer == 0
    qtbot.keyClick(diagram, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert [layer.kind for layer in document.design.layers] == ["LeakyReLU", "Conv2d", "Conv2d"]
    assert selection.layer == 1 and document.undo_stack.count() == 1
    qtbot.keyClick(diagram, Qt.Key.Key_Left)
    qtbot.keyClick(diagram, Qt.Key.Key_Left)
    qtbot.keyClick(diagram, Qt.Key.Key_Left)
    assert selection.layer == INPUT


def test_plus_inserts_a_layer_as_one_undo_step(qtbot, diagram, document, selection) -> None:
    before = document.design
    positions = dict(diagram.insert_points())
    assert sorted(positions) == [0, 1, 2, 3]
    qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton,
                     pos=viewport_point(diagram, positions[1]))
    menu = diagram.findChild(QMenu, "insertLayerMenu")
    assert menu is not None
    kinds = [action.data() for action in menu.actions() if action.data()]
    assert kinds == list(LAYER_KINDS)
    next(action for action in menu.actions() if action.data() == "Conv2d").trigger()
    new = document.design.layers[1]
    assert isinstance(new, Conv2d)
    assert (new.in_channels, new.out_channels, new.kernel_size, new.padding) == (64, 64, (3, 3), (1, 1))
    assert document.analysis.valid
    assert document.undo_stack.count() == 1
    assert selection.layer == 1
    assert [b.kind for b in diagram.blocks()] == ["Input", "Conv2d", "Conv2d", "LeakyReLU", "Conv2d"]
    document.undo_stack.undo()
    assert document.design.same_parameters(before)
    assert len(diagram.blocks()) == 4


def test_insert_at_the_ends(diagram, document) -> None:
    diagram.insert_layer(0, "MaxPool2d")
    diagram.insert_layer(len(document.design.layers), "ReLU")
    kinds = [layer.kind for layer in document.design.layers]
    assert kinds == ["MaxPool2d", "Conv2d", "LeakyReLU", "Conv2d", "ReLU"]
    assert document.undo_stack.count() == 2


def test_an_invalid_layer_is_flagged_and_unknown_shapes_are_marked(qtbot, selection) -> None:
    design = Design(InputSpec(1, 28, 28), (Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2),
                                          Conv2d(32, 128, 4, 2, 1),       # in_channels wrong
                                          Conv2d(128, 128, 30),           # collapses 7×7
                                          Conv2d(128, 16, 3)))            # shape unknown
    document = DesignDocument(design)
    view = ArchitectureDiagram(document, selection)
    qtbot.addWidget(view)
    blocks = {b.layer: b for b in view.blocks()}
    assert not blocks[0].problems and not blocks[1].problems
    assert any("in_channels is 32" in message for message in blocks[2].problems)
    assert "in_channels is 32" in view.block_item(2).toolTip()
    assert blocks[2].shape == (128, 7, 7) and not blocks[2].unknown
    assert blocks[3].problems and blocks[3].unknown and blocks[3].shape is None
    assert blocks[4].unknown and not blocks[4].problems
    assert "unknown" in view.block_item(4).toolTip()
    # Fixing the design through the document re-renders the diagram.
    document.edit_design(design.with_layer(2, Conv2d(64, 128, 4, 2, 1)).without_layer(3), "Fix")
    assert all(not b.problems and not b.unknown for b in view.blocks())


# -- export ----------------------------------------------------------------------------------------
def test_svg_export_is_xml_with_paths(diagram, tmp_path) -> None:
    path = tmp_path / "diagram.svg"
    diagram.export_svg(path)
    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("svg")
    tags = [element.tag.rsplit("}", 1)[-1] for element in root.iter()]
    # A path per box outline (3 tensors, 2 kernels) and the marker; faces are polygons.
    assert tags.count("path") >= 6 and tags.count("polygon") >= 15
    texts = "".join(element.text or "" for element in root.iter() if element.tag.endswith("text"))
    assert "128×7×7" in texts and "LeakyReLU 0.2" in texts


def test_png_export_is_at_slide_resolution_on_white(diagram, tmp_path) -> None:
    path = tmp_path / "diagram.png"
    size = diagram.export_png(path, scale=3)
    image = QImage(str(path))
    assert not image.isNull()
    rect = diagram.export_rect()
    assert (image.width(), image.height()) == (size.width(), size.height())
    assert image.width() == pytest.approx(rect.width() * 3, abs=1)
    assert image.height() == pytest.approx(rect.height() * 3, abs=1)
    assert image.pixelColor(2, 2).name() == "#ffffff"
    # Something is drawn: not every pixel is white.
    colors = {image.pixel(x, image.height() // 2) for x in range(0, image.width(), 7)}
    assert len(colors) > 3


def test_context_menu_offers_both_exports(diagram) -> None:
    texts = [action.text() for action in diagram.context_menu().actions()]
    assert texts == ["Export diagram as SVG…", "Export diagram as PNG…"]


# -- wiring --------------------------------------------------------------------------------------
def expected_from_weight(layer: Conv2d) -> np.ndarray:
    """Scatter the weight [out, in/groups, kH, kW] into a dense [out, in] "reads" matrix."""
    out, per_group = layer.weight.shape[:2]
    groups = layer.groups
    dense = np.zeros((out, layer.in_channels), dtype=bool)
    for o in range(out):
        group = o // (out // groups)
        nonzero = np.any(layer.weight[o] != 0, axis=(1, 2))
        dense[o, group * per_group:(group + 1) * per_group] = nonzero
    return dense


@pytest.mark.parametrize("groups", [1, 4, 64])
def test_wiring_is_the_structure_of_the_weight(wiring, document, selection, groups) -> None:
    set_groups(document, 2, groups)
    selection.select(layer=2)
    layer = document.design.layers[2]
    drawn = wiring.connections()
    assert drawn.shape == (128, 64)
    assert np.array_equal(drawn, expected_from_weight(layer))
    o, i = np.meshgrid(np.arange(128), np.arange(64), indexing="ij")
    assert np.array_equal(drawn, o // (128 // groups) == i // (64 // groups))
    assert drawn.sum(axis=1).tolist() == [64 // groups] * 128   # each kernel reads in/groups inputs
    assert not wiring.grab().isNull()
    wiring.set_mode(MATRIX)
    assert np.array_equal(wiring.connections(), drawn)
    assert not wiring.grab().isNull()


def test_depthwise_is_one_line_per_output(wiring, document, selection) -> None:
    document.edit_design(document.design.with_layer(2, Conv2d(64, 64, 3, 1, 1, groups=64)), "Depthwise")
    selection.select(layer=2)
    assert np.array_equal(wiring.connections(), np.eye(64, dtype=bool))


def test_caption_numbers_change_with_groups(wiring, document, selection) -> None:
    selection.select(layer=2)
    assert wiring.caption() == ("groups=1: each of the 128 kernels reads all 64 input channels — "
                                "131,072 weights")
    set_groups(document, 2, 4)
    assert wiring.caption() == ("groups=4: each kernel reads 16 of the 64 input channels — "
                                "4× fewer weights (32,768)")
    set_groups(document, 2, 64)
    assert "groups=64 (depthwise)" in wiring.caption() and "(2,048)" in wiring.caption()
    set_groups(document, 2, 3)   # does not divide 64: no wiring, the problem instead
    assert not wiring.connections().any()
    assert "groups=3 must divide in_channels=64" in wiring.message()


def test_clicking_an_output_channel_selects_it(qtbot, wiring, selection) -> None:
    selection.select(layer=2)
    for mode in (LINES, MATRIX):
        wiring.set_mode(mode)
        for channel in (0, 77, 127):
            qtbot.mouseClick(wiring.canvas, Qt.MouseButton.LeftButton, pos=wiring.output_point(channel))
            assert selection.out_channel == channel
            assert wiring.highlighted_output() == channel


def test_a_layer_without_kernels_shows_a_message(wiring, selection) -> None:
    selection.select(layer=1)
    assert wiring.layer() is None and wiring.connections().size == 0
    assert "LeakyReLU" in wiring.message() and "Conv2d" in wiring.message()
    selection.select(layer=INPUT)
    assert "Conv2d" in wiring.message()
    wiring.grab()   # paints the message without error


@pytest.mark.parametrize("n_in, n_out, groups", [(8, 16, 2), (64, 128, 4)])
def test_the_lines_computed_at_once_look_like_the_lines_drawn_one_by_one(qapp, n_in, n_out, groups) -> None:
    width, height, alpha = 200, 300, 0.1
    y_in = 5 + (np.arange(n_in) + 0.5) * (height - 10) / n_in
    y_out = 5 + (np.arange(n_out) + 0.5) * (height - 10) / n_out
    colors = np.tile([[0.1, 0.4, 0.7]], (groups, 1))
    ours = density_image(y_in, y_out, groups, width, height, colors, alpha)[..., 3] / 255.0
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(0, 0, 0)
    color.setAlphaF(alpha)
    painter.setPen(QPen(color, 1.0))
    connected = connection_matrix(n_out, n_in, groups)
    painter.drawLines([QLineF(0, y_in[i], width, y_out[o]) for o, i in zip(*np.nonzero(connected), strict=True)])
    painter.end()
    drawn = np.frombuffer(image.constBits(), np.uint8).reshape(height, width, 4)[..., 3] / 255.0
    assert ours.mean() == pytest.approx(drawn.mean(), abs=0.005)
    blocks = lambda a: a.reshape(height // 10, 10, width // 10, 10).mean(axis=(1, 3))  # noqa: E731
    assert np.abs(blocks(ours) - blocks(drawn)).max() < 0.1
