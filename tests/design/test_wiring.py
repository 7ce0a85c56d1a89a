"""The wiring of a grouped Conv2d as numbers (convdesigner.design.wiring), without Qt."""

from __future__ import annotations

import numpy as np
import pytest

from convdesigner.design import Conv2d
from convdesigner.design.wiring import connection_matrix, density_image, wireable


def test_connection_matrix_rejects_groups_that_do_not_divide() -> None:
    assert not connection_matrix(128, 64, 3).any()
    assert connection_matrix(4, 2, 2).tolist() == [[True, False], [True, False], [False, True], [False, True]]


@pytest.mark.parametrize("out_channels, in_channels, groups", [(8, 4, 1), (8, 4, 2), (6, 6, 6), (128, 64, 4)])
def test_connection_matrix_agrees_with_the_channels_each_kernel_reads(out_channels, in_channels, groups) -> None:
    layer = Conv2d(in_channels, out_channels, 3, groups=groups)
    matrix = connection_matrix(out_channels, in_channels, groups)
    assert matrix.sum() == out_channels * layer.in_per_group
    for out_channel in range(out_channels):
        assert list(np.flatnonzero(matrix[out_channel])) == list(layer.input_channels_of(out_channel))


def test_wireable_only_when_groups_split_both_channel_counts() -> None:
    assert wireable(Conv2d(64, 128, 3, groups=4))
    assert not wireable(Conv2d(64, 128, 3, groups=3))
    assert not wireable(Conv2d(6, 4, 3, groups=6))


def test_one_horizontal_line_covers_its_row_with_alpha() -> None:
    colors = np.array([[1.0, 0.5, 0.0]])
    image = density_image(np.array([10.0]), np.array([10.0]), 1, columns=40, rows=20, colors=colors, alpha=0.5)
    assert image.shape == (20, 40, 4) and image.dtype == np.uint8
    alpha = image[..., 3] / 255.0
    assert alpha.sum(axis=0) == pytest.approx(np.full(40, 0.5), abs=0.01)   # one line's worth per column
    assert alpha[10].min() > 0.45 and alpha[:8].max() == 0 and alpha[13:].max() == 0
    assert tuple(image[10, 20, :3]) == (0, 64, 128)   # premultiplied B, G, R of (1, 0.5, 0) at 0.5


def test_more_lines_over_a_pixel_cover_it_as_stacked_strokes_would() -> None:
    colors = np.array([[0.0, 0.0, 1.0]])
    y = np.full(4, 10.0)   # four lines on top of each other
    image = density_image(y[:2], y[:2], 1, columns=10, rows=20, colors=colors, alpha=0.25)
    assert image[10, 5, 3] == round((1 - 0.75 ** 4) * 255)


def test_groups_keep_their_own_colours() -> None:
    colors = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    y_in = np.array([5.0, 30.0])
    image = density_image(y_in, y_in, 2, columns=10, rows=40, colors=colors, alpha=1.0)
    assert tuple(image[5, 5]) == (0, 0, 255, 255)     # group 0: red (B, G, R, A)
    assert tuple(image[30, 5]) == (255, 0, 0, 255)    # group 1: blue
