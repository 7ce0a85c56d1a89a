"""Shapes as text (convdesigner.design.numbers.shape_text): one helper for every place."""

from __future__ import annotations

import numpy as np

from convdesigner.design.numbers import shape_text


def test_the_three_ways_a_shape_is_written() -> None:
    assert shape_text((64, 14, 14)) == "64×14×14"
    assert shape_text((64, 14, 14), "spaced") == "64 × 14 × 14"
    assert shape_text((64, 1, 4, 4), "list") == "[64, 1, 4, 4]"
    assert shape_text((), "list") == "[]"
    assert shape_text((3,)) == "3"


def test_unknown_shapes_and_numpy_sizes() -> None:
    assert shape_text(None) == "?×?×?"
    assert shape_text(np.array([2, 28, 28])) == "2×28×28"
    assert shape_text(np.zeros((5, 3)).shape, "list") == "[5, 3]"
