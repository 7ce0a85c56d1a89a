"""The mosaic builder (pure numpy): layout round trips, strides for the pixel budget, buffer reuse."""

from __future__ import annotations

import numpy as np
import pytest

from convdesigner.ui.views.mosaic import (
    MAX_MOSAIC_PIXELS,
    MosaicLayout,
    build_mosaic,
    choose_columns,
    downsample_for_budget,
    mosaic_within_budget,
    stride_for_budget,
)


def tiles_of(count: int, height: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((count, height, width)).astype(np.float32)


@pytest.mark.parametrize("gap, band", [(1, 0), (0, 0), ((2, 1), 0), ((1, 3), 2)])
def test_every_mosaic_pixel_maps_back_to_its_tile(gap, band) -> None:
    tiles = tiles_of(13, 3, 5)
    mosaic = build_mosaic(tiles, columns=4, gap=gap, band=band)
    height, width = mosaic.image.shape
    assert mosaic.layout.shape == (height, width)
    seen = np.zeros(tiles.shape, dtype=bool)
    for row in range(height):
        for col in range(width):
            found = mosaic.locate(row, col)
            if found is None:
                assert np.isnan(mosaic.image[row, col])
            else:
                index, y, x = found
                assert mosaic.image[row, col] == tiles[index, y, x]
                seen[index, y, x] = True
    assert seen.all(), "every pixel of every tile is drawn exactly where locate says"


def test_tile_origin_and_locate_are_inverse() -> None:
    tiles = tiles_of(10, 4, 6)
    layout = build_mosaic(tiles, columns=3, gap=(2, 1), band=1).layout
    for index in range(10):
        row, col = layout.tile_origin(index)
        for y in range(4):
            for x in range(6):
                assert layout.locate(row + y, col + x) == (index, y, x)
        assert layout.tile_rect(index) == (col, row, 6, 4)
    assert layout.rows == 4 and layout.columns == 3
    with pytest.raises(IndexError):
        layout.tile_origin(10)


def test_gaps_unused_slots_and_outside_are_none() -> None:
    mosaic = build_mosaic(tiles_of(5, 2, 2), columns=3, gap=1)
    # Row 0: tiles 0..2; row 1: tiles 3, 4 and one unused slot.
    assert mosaic.image.shape == (5, 8)
    assert mosaic.locate(2, 0) is None            # the gap row
    assert mosaic.locate(0, 2) is None            # the gap column
    assert mosaic.locate(3, 6) is None            # the unused slot
    assert np.isnan(mosaic.image[3:5, 6:8]).all()
    assert mosaic.locate(-1, 0) is None and mosaic.locate(0, 8) is None and mosaic.locate(5, 0) is None


def test_render_reuses_its_buffer() -> None:
    tiles = tiles_of(7, 3, 3)
    mosaic = build_mosaic(tiles, columns=3)
    again = mosaic.layout.render(tiles * 2, out=mosaic.image)
    assert again is mosaic.image
    index, y, x = mosaic.locate(4, 5)
    assert again[4, 5] == tiles[index, y, x] * 2
    with pytest.raises(ValueError):
        mosaic.layout.render(tiles[:, :2])
    with pytest.raises(ValueError):
        mosaic.layout.render(tiles, out=np.zeros(mosaic.image.shape, np.float32))


def test_empty_and_single_tile() -> None:
    empty = build_mosaic(np.zeros((0, 3, 3), np.float32), columns=4)
    assert empty.image.shape == (0, 0) and empty.locate(0, 0) is None
    one = build_mosaic(np.ones((1, 2, 3), np.float32), columns=8)
    assert one.image.shape == (2, 3) and one.layout.columns == 1
    assert not np.isnan(one.image).any()


def test_budget_strides_the_heavy_design_and_hover_reads_full_resolution() -> None:
    # The heavy design's 512 maps of 222×222: 25 M pixels unstrided.
    maps = np.broadcast_to(np.arange(222 * 222, dtype=np.float32).reshape(1, 222, 222),
                           (512, 222, 222))
    shown, step = downsample_for_budget(maps, MAX_MOSAIC_PIXELS)
    assert step == 4 and shown.shape == (512, 56, 56)
    assert np.shares_memory(shown, maps), "striding is a view, not a copy"
    mosaic = build_mosaic(shown, choose_columns(512, shown.shape[1:]), step=step,
                          source_shape=(222, 222))
    assert mosaic.image.size <= MAX_MOSAIC_PIXELS
    index, y, x = mosaic.locate(*np.add(mosaic.tile_origin(37), (10, 13)))
    assert (index, y, x) == (37, 40, 52)
    assert mosaic.image[mosaic.tile_origin(37)[0] + 10, mosaic.tile_origin(37)[1] + 13] == maps[37, y, x]


def test_small_tiles_are_not_strided_and_budget_never_goes_below_one_pixel() -> None:
    small = tiles_of(128, 7, 7)
    shown, step = downsample_for_budget(small, MAX_MOSAIC_PIXELS)
    assert step == 1 and shown is small
    assert stride_for_budget(10_000_000, (10, 10), 1000) == 10       # 1×1 tiles at most
    assert stride_for_budget(4, (100, 100), 4 * 101 * 101) == 1
    assert stride_for_budget(4, (100, 100), 4 * 101 * 101 - 1) == 2


def test_within_budget_includes_bands_and_gaps() -> None:
    maps = tiles_of(64, 100, 100)
    mosaic = mosaic_within_budget(maps, max_pixels=200_000, gap=(1, 2), band=10)
    assert mosaic.image.size <= 200_000
    assert mosaic.layout.step > 1 and mosaic.layout.source_shape == (100, 100)


@pytest.mark.parametrize("count", [1, 7, 64, 128, 512])
def test_choose_columns_gives_about_the_asked_aspect(count) -> None:
    columns = choose_columns(count, (14, 14), aspect=1.5)
    layout = MosaicLayout(count, columns, (14, 14))
    height, width = layout.shape
    if count >= 16:
        assert 0.9 < width / height < 2.5
    assert 1 <= columns <= count
