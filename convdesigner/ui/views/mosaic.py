"""Many small images as one big one: the mosaic every view draws with a single ``ImageItem``.

Drawing 128 feature maps as 128 graphics items costs ~11 ms per redraw; one mosaic of them costs
~1 ms. This module builds mosaics with numpy reshapes (no Python loop over tiles) and maps a pixel
of the mosaic back to ``(tile index, y, x)`` so hover read-outs can look the exact value up in the
full-resolution array.

Big maps are *strided* (every ``step``-th row and column is shown) so a mosaic stays within a pixel
budget: the heavy design's 512 maps of 222×222 would otherwise make a 25 M-pixel texture per
brush stroke. :meth:`MosaicLayout.locate` answers in full-resolution coordinates, so a hover on a
strided mosaic still reads an exact value from the source array.

Pure numpy: no Qt here, so it is easy to test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: The most pixels a view builds into one mosaic ("about 2 M"): the heavy design's 512 maps of
#: 222×222 are strided by 4, its 512×256 kernels of 3×3 still fit unstrided.
MAX_MOSAIC_PIXELS = 2_200_000


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


@dataclass(frozen=True)
class MosaicLayout:
    """Where each tile of a mosaic lies.

    Tiles are placed row by row, ``columns`` per row, in index order. ``tile_shape`` is the shown
    size of a tile, ``source_shape`` its full-resolution size and ``step`` the stride between them
    (shown pixel ``(y, x)`` is source pixel ``(y * step, x * step)``). ``gap`` is ``(gap_y, gap_x)``:
    the empty rows above every tile row but the first (and below none), the empty columns between
    tiles. ``band`` empty rows sit on top of *every* tile row (room for labels), included in the
    mosaic's height.
    """

    count: int
    columns: int
    tile_shape: tuple[int, int]
    gap: tuple[int, int] = (1, 1)
    step: int = 1
    source_shape: tuple[int, int] | None = None
    band: int = 0

    def __post_init__(self) -> None:
        if self.source_shape is None:
            object.__setattr__(self, "source_shape", tuple(self.tile_shape))
        object.__setattr__(self, "columns", max(1, min(int(self.columns), max(self.count, 1))))

    # -- geometry -------------------------------------------------------------------------------
    @property
    def rows(self) -> int:
        return max(1, math.ceil(self.count / self.columns)) if self.count else 0

    @property
    def pitch(self) -> tuple[int, int]:
        """Distance in mosaic pixels from one tile's origin to the next: ``(down, across)``."""
        return (self.band + self.tile_shape[0] + self.gap[0], self.tile_shape[1] + self.gap[1])

    @property
    def shape(self) -> tuple[int, int]:
        """``(height, width)`` of the whole mosaic."""
        if not self.count:
            return (0, 0)
        pitch_y, pitch_x = self.pitch
        return (self.rows * pitch_y - self.gap[0], self.columns * pitch_x - self.gap[1])

    @property
    def pixels(self) -> int:
        height, width = self.shape
        return height * width

    def tile_origin(self, index: int) -> tuple[int, int]:
        """``(row, col)`` of tile ``index``'s top-left pixel in the mosaic."""
        if not 0 <= index < self.count:
            raise IndexError(f"tile {index} is out of range (the mosaic has {self.count} tiles)")
        pitch_y, pitch_x = self.pitch
        grid_row, grid_col = divmod(index, self.columns)
        return (grid_row * pitch_y + self.band, grid_col * pitch_x)

    def tile_rect(self, index: int) -> tuple[int, int, int, int]:
        """``(x, y, width, height)`` of tile ``index`` in mosaic pixels (scene units of its image)."""
        row, col = self.tile_origin(index)
        return (col, row, self.tile_shape[1], self.tile_shape[0])

    def locate(self, row: int, col: int) -> tuple[int, int, int] | None:
        """The tile and full-resolution pixel under mosaic pixel ``(row, col)``, or None in a gap,
        a label band, an unused slot or outside the mosaic."""
        height, width = self.shape
        if not (0 <= row < height and 0 <= col < width):
            return None
        pitch_y, pitch_x = self.pitch
        grid_row, y = divmod(int(row), pitch_y)
        grid_col, x = divmod(int(col), pitch_x)
        y -= self.band
        if not (0 <= y < self.tile_shape[0] and 0 <= x < self.tile_shape[1]):
            return None
        index = grid_row * self.columns + grid_col
        if index >= self.count:
            return None
        return (index, y * self.step, x * self.step)

    # -- building -------------------------------------------------------------------------------
    def render(self, tiles: np.ndarray, out: np.ndarray | None = None,
               fill: float = np.nan) -> np.ndarray:
        """Place ``tiles`` ``[count, *tile_shape]`` (already strided) into a mosaic.

        ``out`` (a mosaic of this layout's shape and the tiles' dtype, from an earlier call) is
        reused when given: its gaps already hold ``fill`` and only the tiles are written, which is
        what the live views do on every frame.
        """
        tiles = np.asarray(tiles)
        if tiles.shape != (self.count, *self.tile_shape):
            raise ValueError(f"tiles have shape {tiles.shape}, the layout expects "
                             f"{(self.count, *self.tile_shape)}")
        dtype = tiles.dtype if tiles.dtype.kind == "f" else np.float32
        rows, columns = self.rows, self.columns
        pitch_y, pitch_x = self.pitch
        th, tw = self.tile_shape
        if out is None or out.shape != self.shape or out.dtype != dtype:
            # Allocated one pitch larger than shown, so every tile row has the same shape; the
            # mosaic is a view that leaves the trailing gap off.
            full = np.full((rows * pitch_y, columns * pitch_x), fill, dtype=dtype)
            out = full[:self.shape[0], :self.shape[1]]
        if self.count == 0:
            return out
        grid = _grid_view(out, rows, pitch_y, columns, pitch_x)
        band = self.band
        full_rows, rest = divmod(self.count, columns)
        if full_rows:
            grid[:full_rows, band:band + th, :, :tw] = \
                tiles[:full_rows * columns].reshape(full_rows, columns, th, tw).transpose(0, 2, 1, 3)
        if rest:
            grid[full_rows, band:band + th, :rest, :tw] = tiles[full_rows * columns:].transpose(1, 0, 2)
        return out


def _grid_view(out: np.ndarray, rows: int, pitch_y: int, columns: int, pitch_x: int) -> np.ndarray:
    """``out`` (a mosaic made by :meth:`MosaicLayout.render`: a view of an array one pitch larger)
    as ``[rows, pitch_y, columns, pitch_x]`` sharing its memory."""
    base = out.base
    if base is None or base.shape != (rows * pitch_y, columns * pitch_x) or not base.flags.c_contiguous:
        raise ValueError("the output array was not made by MosaicLayout.render for this layout")
    return base.reshape(rows, pitch_y, columns, pitch_x)


@dataclass(frozen=True)
class Mosaic:
    """A built mosaic: ``image`` ``[H, W]`` (gaps hold the fill value, NaN by default) and its
    ``layout``."""

    image: np.ndarray
    layout: MosaicLayout

    def locate(self, row: int, col: int) -> tuple[int, int, int] | None:
        return self.layout.locate(row, col)

    def tile_origin(self, index: int) -> tuple[int, int]:
        return self.layout.tile_origin(index)

    def tile_rect(self, index: int) -> tuple[int, int, int, int]:
        return self.layout.tile_rect(index)


def build_mosaic(tiles: np.ndarray, columns: int, gap: int | tuple[int, int] = 1,
                 fill: float = np.nan, *, step: int = 1,
                 source_shape: tuple[int, int] | None = None, band: int = 0) -> Mosaic:
    """Tiles ``[N, h, w]`` as one image, ``columns`` tiles per row, ``gap`` pixels apart.

    ``step`` and ``source_shape`` say that the tiles were strided from larger ones (see
    :func:`downsample_for_budget`), so :meth:`Mosaic.locate` answers in the source's coordinates.
    ``band`` adds empty rows above every tile row (for labels).
    """
    tiles = np.asarray(tiles)
    if tiles.ndim != 3:
        raise ValueError(f"tiles must be [N, h, w], got shape {tiles.shape}")
    layout = MosaicLayout(tiles.shape[0], columns, tiles.shape[1:], _pair(gap), step,
                          source_shape, band)
    return Mosaic(layout.render(tiles, fill=fill), layout)


def stride_for_budget(count: int, shape: tuple[int, int], max_pixels: int,
                      gap: int | tuple[int, int] = 1, band: int = 0) -> int:
    """The smallest stride that keeps a mosaic of ``count`` tiles of ``shape`` within
    ``max_pixels`` (gaps and bands included). A tile never shrinks below 1×1."""
    gap_y, gap_x = _pair(gap)
    height, width = shape
    largest = max(height, width, 1)

    def pixels(step: int) -> int:
        return count * (-(-height // step) + gap_y + band) * (-(-width // step) + gap_x)

    step = 1
    while pixels(step) > max_pixels and step < largest:
        # Jump close to the answer (pixels fall about as 1 / step²), then step back below.
        ratio = math.sqrt(pixels(step) / max_pixels)
        step = min(max(step + 1, int(step * ratio)), largest)
    while step > 1 and pixels(step - 1) <= max_pixels:
        step -= 1
    return step


def downsample_for_budget(tiles: np.ndarray, max_pixels: int = MAX_MOSAIC_PIXELS,
                          gap: int | tuple[int, int] = 1, band: int = 0) -> tuple[np.ndarray, int]:
    """``(strided tiles, step)``: ``tiles[:, ::step, ::step]`` with the smallest ``step`` that keeps
    their mosaic within ``max_pixels``. The strided tiles are a view (no copy); hover values must
    be read from the full-resolution ``tiles`` at ``(y * step, x * step)``."""
    tiles = np.asarray(tiles)
    step = stride_for_budget(tiles.shape[0], tiles.shape[1:], max_pixels, gap, band)
    if step == 1:
        return tiles, 1
    return tiles[:, ::step, ::step], step


def mosaic_within_budget(tiles: np.ndarray, columns: int | None = None,
                         max_pixels: int = MAX_MOSAIC_PIXELS, gap: int | tuple[int, int] = 1,
                         band: int = 0, aspect: float = 1.5) -> Mosaic:
    """Stride ``tiles`` for the budget, then build their mosaic (``columns`` chosen for ``aspect``
    when not given)."""
    tiles = np.asarray(tiles)
    shown, step = downsample_for_budget(tiles, max_pixels, gap, band)
    if columns is None:
        columns = choose_columns(shown.shape[0], shown.shape[1:], aspect, gap, band)
    return build_mosaic(shown, columns, gap, step=step, source_shape=tiles.shape[1:], band=band)


def choose_columns(count: int, tile_shape: tuple[int, int], aspect: float = 1.5,
                   gap: int | tuple[int, int] = 1, band: int = 0) -> int:
    """How many tiles per row make the mosaic about ``aspect`` (width / height) wide."""
    if count <= 0:
        return 1
    gap_y, gap_x = _pair(gap)
    pitch_y = tile_shape[0] + gap_y + band
    pitch_x = tile_shape[1] + gap_x
    columns = round(math.sqrt(count * aspect * pitch_y / pitch_x))
    return max(1, min(count, columns))
