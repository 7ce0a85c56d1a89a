"""The sliding kernel, animated: every output cell it writes is the feature map PyTorch computes.

The animation is driven as a learner drives it (Step, Play, From the start) on an Explain panel fed
frames whose outputs torch.nn computed (tests/oracle.py); the live worker is stood in for by
``FakeLive``, which explains with the worker's own code, at once.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from convdesigner.compute.weights import materialize
from convdesigner.design import Conv2d, Design, InputSpec
from convdesigner.design.examples import learner_design
from convdesigner.ui.panels.animation import LAND, MOVE, MULTIPLY
from convdesigner.ui.panels.explain import ExplainPanel
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import Selection
from tests.oracle import torch_outputs
from tests.ui.test_explain import FakeLive, make_frame


def _panel(qtbot, design: Design) -> tuple[ExplainPanel, Selection, FakeLive]:
    document = DesignDocument(design)
    selection, live = Selection(), FakeLive()
    panel = ExplainPanel(document, selection, live)
    qtbot.addWidget(panel)
    panel.resize(520, 820)
    panel.show()
    return panel, selection, live


def _digit_like(shape: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random(shape, dtype=np.float32)


def test_stepping_writes_the_feature_map_cell_by_cell(qtbot) -> None:
    design = materialize(learner_design())
    image = _digit_like((1, 28, 28))
    panel, selection, live = _panel(qtbot, design)
    expected = torch_outputs(design, image)[2][5]            # Conv2d(64, 128, 4, 2, 1), channel 5
    live.frameReady.emit(make_frame(design, image))
    selection.select(layer=2, out_channel=5)
    selection.select(pixel=(3, 3))
    animation = panel.animation
    assert animation.position == (3, 3) and animation.phase == LAND
    # Clicking a pixel shows the map made up to it.
    shown = animation.shown_output().reshape(-1)
    np.testing.assert_array_equal(shown[:3 * 7 + 4], expected.reshape(-1)[:3 * 7 + 4])
    assert np.isnan(shown[3 * 7 + 4:]).all()

    animation.restart_button.click()
    assert animation.position == (0, 0) and animation.phase == MOVE
    assert np.isnan(animation.shown_output()).all()           # an empty map, the kernel at (0, 0)
    assert "of all 64 input maps at once" in animation.caption()
    cells = 7 * 7
    for index in range(cells):
        y, x = divmod(index, 7)
        assert animation.position == (y, x) and animation.phase == MOVE
        assert selection.pixel == (y, x)                      # the footprint is the selected pixel's
        animation.step_button.click()
        assert animation.phase == MULTIPLY
        sums = animation.shown_texts()
        terms = panel.explanation().terms
        # The 64 sub-kernels moved in step: the drawn channels' partial sums are theirs.
        assert sums["in 0"] == str(np.float32(terms[0].sum))
        assert np.isnan(animation.shown_output().reshape(-1)[index])
        animation.step_button.click()
        assert animation.phase == LAND
        texts = animation.shown_texts()
        assert texts["cell"] == str(np.float32(expected[y, x]))   # what torch computed, as shown
        assert texts["sigma"] == str(np.float32(sum(t.sum for t in terms)))
        assert texts["cell"] in animation.caption()
        shown = animation.shown_output()
        np.testing.assert_array_equal(shown.reshape(-1)[:index + 1], expected.reshape(-1)[:index + 1])
        if index + 1 < cells:
            animation.step_button.click()                      # the kernel moves on
    np.testing.assert_array_equal(animation.shown_output(), expected)
    animation.step_button.click()                              # at the end: nothing more to do
    assert animation.position == (6, 6) and not animation.playing


@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
def test_play_makes_the_whole_map_with_stride_dilation_padding_and_groups(qtbot, padding_mode) -> None:
    torch.manual_seed(3)
    layer = Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(2, 1), dilation=(2, 1), groups=2,
                   padding_mode=padding_mode)
    design = materialize(Design(InputSpec(4, 9, 8), (layer,), seed=3))
    image = _digit_like((4, 9, 8), seed=1) - 0.5
    panel, selection, live = _panel(qtbot, design)
    expected = torch_outputs(design, image)[0][4]              # group 1: reads input channels 2–3
    live.frameReady.emit(make_frame(design, image))
    selection.select(layer=0, out_channel=4)
    selection.select(pixel=(0, 0))
    animation = panel.animation
    animation.speed.setValue(animation.speed.maximum())
    animation.restart_button.click()
    assert [t.in_channel for t in panel.explanation().terms] == [2, 3]
    visited = []
    animation.stepped.connect(lambda: visited.append(animation.position))
    animation.play_button.click()
    assert animation.playing
    qtbot.waitUntil(lambda: not animation.playing, timeout=20_000)
    np.testing.assert_array_equal(animation.shown_output(), expected)
    height, width = expected.shape
    assert list(dict.fromkeys(visited)) == [(y, x) for y in range(height) for x in range(width)]
    # The footprint of the last pixel: stride and dilation put its rows 2 apart, from 2·y − 2.
    first = panel.explanation().terms[0]
    assert first.rows.tolist() == [2 * (height - 1) - 2 + 2 * i for i in range(3)]
    panel.grab()   # the picture paints, padded cells included


def test_the_animation_follows_the_zoom_and_a_new_frame(qtbot) -> None:
    design = materialize(learner_design())
    image = _digit_like((1, 28, 28))
    panel, selection, live = _panel(qtbot, design)
    live.frameReady.emit(make_frame(design, image))
    selection.select(layer=0, out_channel=2)
    selection.select(pixel=(1, 1))
    animation = panel.animation
    animation.restart_button.click()
    animation.step_button.click()
    assert animation.phase == MULTIPLY
    # A brush stroke brings a new frame: the same step, with the new numbers.
    image2 = _digit_like((1, 28, 28), seed=9)
    live.frameReady.emit(make_frame(design, image2, request_id=2))
    qtbot.waitUntil(lambda: panel.explanation() is not None
                    and float(panel.explanation().terms[0].patch[1, 1]) == float(image2[0, 0, 0]))
    assert animation.phase == MULTIPLY and animation.position == (0, 0)
    animation.step_button.click()
    expected = torch_outputs(design, image2)[0][2]
    assert animation.shown_texts()["cell"] == str(np.float32(expected[0, 0]))


def test_playing_fills_the_products_in_cell_by_cell(qtbot) -> None:
    design = materialize(learner_design())
    image = _digit_like((1, 28, 28))
    panel, selection, live = _panel(qtbot, design)
    live.frameReady.emit(make_frame(design, image))
    selection.select(layer=2, out_channel=5)
    selection.select(pixel=(0, 0))
    animation = panel.animation
    animation.restart_button.click()
    animation.speed.setValue(1)                          # the slowest: 16 products in 1.2 s
    counts: list[int] = []
    animation.play()
    qtbot.waitUntil(lambda: animation.phase == MULTIPLY, timeout=5000)
    while animation.products_drawn() < animation.footprint_cells():
        counts.append(animation.products_drawn())
        assert "in 0" not in animation.shown_texts()      # the partial sums come once all are in
        qtbot.waitUntil(lambda before=counts[-1]: animation.products_drawn() > before
                        or animation.phase != MULTIPLY, timeout=3000)
    assert animation.footprint_cells() == 16
    assert counts == sorted(counts) and len(set(counts)) >= 4   # one after the other
    assert animation.phase == MULTIPLY
    terms = panel.explanation().terms
    assert animation.shown_texts()["in 0"] == str(np.float32(terms[0].sum))
    animation.pause()
    # A Step (not playing) shows all the products at once, the partial sums with them.
    animation.restart_button.click()
    assert animation.phase == MOVE and animation.position == (0, 0)
    animation.step_button.click()
    assert animation.phase == MULTIPLY and animation.products_drawn() == 16
    assert animation.shown_texts()["in 0"] == str(np.float32(terms[0].sum))
