"""Prepare a photo or drawing of a digit the way MNIST's digits were prepared.

LeCun, Cortes and Burges describe MNIST's preparation: each digit was size-normalised to fit a
20×20 box preserving its aspect ratio (anti-aliasing gives grey levels), then centred in a 28×28
field by its centre of mass. Their digits are light ink (up to 1) on a black background (0).
:func:`prepare_mnist_style` does the same to any grayscale picture, so a network trained on MNIST
sees something familiar:

1. decide whether the picture is dark ink on a light background (the usual photo or drawing) and
   invert it if so: the background is what the border shows, so the picture is inverted when the
   median border pixel is lighter than the mean of the central region;
2. subtract the background level (the border median) and stretch so the strongest ink is 1;
   pixels below :data:`INK_THRESHOLD` count as background (0), which removes paper texture;
3. crop the ink's bounding box and resize it (Lanczos, anti-aliased) so its longer side is 20;
4. place it in a 28×28 field, shifted by whole pixels so its centre of mass lands as close as
   possible to (14, 14), where MNIST puts it (row, column; pixel centres at integer indices --
   every bundled MNIST digit's centre of mass lies within half a pixel of (14, 14)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from convdesigner.errors import InputFileError

FIELD_SIDE = 28
FIT_SIDE = 20
#: Where MNIST puts a digit's centre of mass: (row, column) in pixel-index coordinates.
FIELD_CENTER = (FIELD_SIDE / 2, FIELD_SIDE / 2)
#: Least difference between the strongest ink and the background for a picture not to be blank.
MIN_CONTRAST = 0.05
#: After stretching, ink weaker than this is background (paper grain, shadows, JPEG noise).
INK_THRESHOLD = 0.2


@dataclass(frozen=True, eq=False)
class PreparedDigit:
    """The result of :func:`prepare_mnist_style`; its arrays are read-only.

    * ``before``: the grayscale input as given, float32 [H, W] in [0, 1];
    * ``after``: the MNIST-style digit, float32 [28, 28] in [0, 1], light ink on 0, brightest pixel 1;
    * ``inverted``: whether the input was taken as dark ink on a light background and inverted;
    * ``bbox``: the ink's bounding box in ``before`` as (top, left, bottom, right), bottom and
      right exclusive;
    * ``center_of_mass``: (row, column) of ``after``'s centre of mass, within half a pixel of
      (14, 14) on each axis unless the digit had to be kept from leaving the field.
    """

    before: np.ndarray
    after: np.ndarray
    inverted: bool
    bbox: tuple[int, int, int, int]
    center_of_mass: tuple[float, float]


def _center_of_mass(weights: np.ndarray) -> tuple[float, float]:
    """(row, column) weighted mean of the pixel indices; ``weights`` must have a positive sum."""
    total = float(weights.sum())
    rows = np.arange(weights.shape[0], dtype=np.float64)
    cols = np.arange(weights.shape[1], dtype=np.float64)
    return float(weights.sum(axis=1) @ rows) / total, float(weights.sum(axis=0) @ cols) / total


def _border(image: np.ndarray) -> np.ndarray:
    return np.concatenate([image[0], image[-1], image[1:-1, 0], image[1:-1, -1]])


def _central_region(image: np.ndarray) -> np.ndarray:
    """The middle half of the picture in each direction (at least one pixel)."""
    height, width = image.shape
    top, left = height // 4, width // 4
    return image[top : max(height - top, top + 1), left : max(width - left, left + 1)]


def prepare_mnist_style(image: np.ndarray) -> PreparedDigit:
    """Prepare a grayscale picture of one digit as MNIST did (see the module docstring).

    ``image`` is float [H, W] with values in [0, 1] (H, W ≥ 2), either polarity. Raises
    :class:`InputFileError` when the picture has another shape, values outside [0, 1] or NaN, or is
    blank (no pixel differs from the background by at least :data:`MIN_CONTRAST`).
    """
    before = np.array(image, dtype=np.float32)  # a copy: the caller's array is never changed
    if before.ndim != 2 or min(before.shape) < 2:
        raise InputFileError(
            f"a digit to prepare must be one grayscale picture [H, W] of at least 2×2 pixels, not shape {before.shape}"
        )
    if not np.all(np.isfinite(before)) or before.min() < 0.0 or before.max() > 1.0:
        raise InputFileError(
            f"a digit to prepare must have values in [0, 1], not from {np.nanmin(before):g} to {np.nanmax(before):g}"
        )

    border_median = float(np.median(_border(before)))
    central_mean = float(_central_region(before).mean())
    # Dark-on-light when the border (background) is lighter than the middle (where the digit is);
    # on a tie (e.g. a blank picture) the border's own brightness decides.
    inverted = border_median > central_mean if border_median != central_mean else border_median > 0.5
    ink = 1.0 - before if inverted else before.copy()

    background = float(np.median(_border(ink)))
    contrast = float(ink.max()) - background
    if contrast < MIN_CONTRAST:
        raise InputFileError(
            f"the picture is blank: its strongest ink differs from the background ({background:.3f}) by "
            f"{max(contrast, 0.0):.3f}, less than {MIN_CONTRAST}"
        )
    ink = np.clip((ink - background) / contrast, 0.0, 1.0)
    ink[ink < INK_THRESHOLD] = 0.0

    ink_rows = np.flatnonzero(ink.any(axis=1))
    ink_cols = np.flatnonzero(ink.any(axis=0))
    top, bottom = int(ink_rows[0]), int(ink_rows[-1]) + 1
    left, right = int(ink_cols[0]), int(ink_cols[-1]) + 1
    crop = ink[top:bottom, left:right].astype(np.float32)

    scale = FIT_SIDE / max(crop.shape)
    fit_height = min(FIT_SIDE, max(1, round(crop.shape[0] * scale)))
    fit_width = min(FIT_SIDE, max(1, round(crop.shape[1] * scale)))
    resized = Image.fromarray(crop).resize((fit_width, fit_height), Image.Resampling.LANCZOS)
    # Lanczos overshoots a little around edges; clip back into [0, 1].
    digit = np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)
    strongest = float(digit.max())
    if strongest <= 0.0:
        raise InputFileError(
            f"the picture's ink ({bottom - top}×{right - left} pixels) vanishes when shrunk to {FIT_SIDE} pixels"
        )
    # Shrinking a thin stroke a lot leaves it faint; MNIST digits all reach full ink.
    digit /= strongest

    # Whole-pixel shift, as MNIST did (it keeps the strokes as sharp as the resize left them),
    # kept within the field so no ink is cut off.
    digit_row, digit_col = _center_of_mass(digit)
    offset_row = int(np.clip(round(FIELD_CENTER[0] - digit_row), 0, FIELD_SIDE - fit_height))
    offset_col = int(np.clip(round(FIELD_CENTER[1] - digit_col), 0, FIELD_SIDE - fit_width))
    after = np.zeros((FIELD_SIDE, FIELD_SIDE), dtype=np.float32)
    after[offset_row : offset_row + fit_height, offset_col : offset_col + fit_width] = digit

    before.setflags(write=False)
    after.setflags(write=False)
    return PreparedDigit(
        before=before,
        after=after,
        inverted=bool(inverted),
        bbox=(top, left, bottom, right),
        center_of_mass=_center_of_mass(after),
    )
