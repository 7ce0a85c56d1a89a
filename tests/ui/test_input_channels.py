"""A 3-channel input of small integers is drawn channel by channel on one numeric scale, with its
numbers, not as saturated RGB; painting and the read-out find the pixel in any channel."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt

from convdesigner.design.lessons import worked_example
from convdesigner.ui.panels.canvas import PaintCanvas, channel_levels, shown_per_channel
from convdesigner.ui.state.document import DesignDocument


def _canvas(qtbot, image: np.ndarray | None = None) -> tuple[PaintCanvas, DesignDocument]:
    design = worked_example()
    document = DesignDocument(design, design.input_values if image is None else image)
    canvas = PaintCanvas(document)
    qtbot.addWidget(canvas)
    canvas.resize(420, 260)
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas, document


def test_small_integers_are_drawn_per_channel_on_one_numeric_scale(qtbot) -> None:
    canvas, document = _canvas(qtbot)
    image = np.array(document.image)
    assert image.shape == (3, 5, 5) and image.max() == 2
    assert canvas.per_channel and shown_per_channel(image)
    assert channel_levels(image) == (0.0, 2.0)
    rects = canvas.channel_rects()
    assert len(rects) == 3
    assert all(a.right() < b.left() for a, b in zip(rects, rects[1:], strict=False))  # side by side
    picture = canvas.grab().toImage()
    for channel, rect in enumerate(rects):
        step = rect.width() / 5
        for y, x in [(0, 0), (1, 2), (4, 4), (2, 3)]:
            # A corner of the cell (the number is written in its middle): grey = value / 2.
            point = QPoint(int(rect.left() + x * step + 3), int(rect.top() + y * step + 3))
            colour = picture.pixelColor(point)
            expected = round(float(image[channel, y, x]) / 2.0 * 255)
            assert abs(colour.red() - expected) <= 1, (channel, y, x)
            assert colour.red() == colour.green() == colour.blue()         # grey, not a colour
    # The read-out and the brush find the pixel in whichever channel the mouse is over.
    readouts = []
    canvas.hovered.connect(readouts.append)
    rect = rects[2]
    step = rect.width() / 5
    at = QPointF(rect.left() + 3.5 * step, rect.top() + 1.5 * step)
    assert np.allclose(canvas.to_image(at), (1.0, 3.0))
    qtbot.mouseMove(canvas, at.toPoint())
    assert readouts and readouts[-1] == "input (1, 3) = 2.0, 1.0, 2.0"
    assert image[:, 1, 3].tolist() == [2.0, 1.0, 2.0]
    qtbot.mousePress(canvas, Qt.RightButton, pos=at.toPoint())       # erase that one pixel
    qtbot.mouseRelease(canvas, Qt.RightButton, pos=at.toPoint())
    assert np.all(document.image[:, 1, 3] < image[:, 1, 3])
    assert document.undo_stack.count() == 1


def test_colours_in_zero_to_one_stay_one_rgb_picture(qtbot) -> None:
    image = np.random.default_rng(0).random((3, 5, 5)).astype(np.float32)
    canvas, _document = _canvas(qtbot, image)
    assert not canvas.per_channel and len(canvas.channel_rects()) == 1
