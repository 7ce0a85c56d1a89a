"""Vectors (what Flatten and Linear give) in the views that draw maps.

A vector of ``n`` values is drawn as one map, row by row: ``n ≤ 64`` values in a single row
(``Linear(…, 10)``'s ten scores side by side), more wrapped into rows of ``⌈√n⌉`` -- value ``k``
at row ``k // cols``, column ``k % cols`` -- with the cells after the last value left at 0.
Numbers stay numbers: hover read-outs and captions give the vector's own length ("6,272").
"""

from __future__ import annotations

import math

import numpy as np

#: Up to this many values a vector is drawn as one row.
ONE_ROW = 64


def vector_columns(count: int) -> int:
    """How many values one row of the drawn vector holds."""
    return max(count, 1) if count <= ONE_ROW else math.ceil(math.sqrt(count))


def as_maps(array: np.ndarray) -> np.ndarray:
    """``array`` as ``[C, H, W]`` for drawing: maps unchanged, a vector ``[n]`` as one map (see
    the module docstring; a new array)."""
    if array.ndim == 3:
        return array
    flat = np.asarray(array).reshape(-1)
    columns = vector_columns(flat.size)
    rows = max(math.ceil(flat.size / columns), 1)
    drawn = np.zeros(rows * columns, dtype=flat.dtype)
    drawn[:flat.size] = flat
    return drawn.reshape(1, rows, columns)


def vector_index(count: int, y: int, x: int) -> int | None:
    """The vector index drawn at row ``y``, column ``x`` (None past the last value)."""
    index = y * vector_columns(count) + x
    return index if 0 <= index < count else None
