"""Small maps painted with QPainter: a labelled, colour-mapped image per array, with optional
numbers in the cells. Used by the transposed-convolution and checkerboard views, which show a
handful of maps (not hundreds, where a pyqtgraph mosaic pays off).

Colours are those of :mod:`convdesigner.ui.views.colors`: signed data on the diverging map with
symmetric levels (white is exactly 0), counts on the sequential one.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from convdesigner.ui.views.colors import _LUTS


def array_image(values: np.ndarray, levels: tuple[float, float], kind: str = "diverging",
                mask: np.ndarray | None = None) -> QImage:
    """``values`` ``[H, W]`` as an RGB image on the ``kind`` map spanning ``levels``; cells where
    ``mask`` is False are drawn grey-blue (inserted zeros, padding)."""
    low, high = levels
    span = high - low if high > low else 1.0
    index = np.clip(((np.asarray(values, dtype=np.float64) - low) / span * 255.0).round(), 0, 255)
    rgb = _LUTS[kind][index.astype(np.intp)][..., :3].astype(np.uint8)
    if mask is not None:
        rgb = rgb.copy()
        rgb[~mask] = (58, 61, 68)
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()   # owns its pixels: rgb may go away


@dataclass
class Tile:
    """One map to paint at ``rect``: ``values`` ``[H, W]``, its colour ``levels`` and ``kind``,
    a ``title`` above, and ``numbers`` (the values written in the cells, when they fit)."""

    values: np.ndarray
    rect: QRectF
    title: str = ""
    levels: tuple[float, float] = (-1.0, 1.0)
    kind: str = "diverging"
    numbers: bool = False
    integer: bool = False
    mask: np.ndarray | None = None
    outline: tuple[int, int] | None = None   # a cell (y, x) outlined in orange
    marks: list[tuple[int, int]] = field(default_factory=list)   # cells outlined in yellow
    tags: dict[str, object] = field(default_factory=dict)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        """The cell ``(y, x)`` under ``point``, or None."""
        if not self.rect.contains(point):
            return None
        height, width = self.values.shape
        x = int((point.x() - self.rect.left()) / self.rect.width() * width)
        y = int((point.y() - self.rect.top()) / self.rect.height() * height)
        return (min(max(y, 0), height - 1), min(max(x, 0), width - 1))


def paint_tile(painter: QPainter, tile: Tile, text_color: QColor, small_font: QFont) -> None:
    """Paint ``tile``: its image (no smoothing: one block per cell), a frame, its title and, where a
    cell is at least 18 pixels wide, its numbers."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(tile.rect, array_image(tile.values, tile.levels, tile.kind, tile.mask))
    painter.setPen(QPen(QColor(120, 124, 132), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(tile.rect)
    height, width = tile.values.shape
    cell_w, cell_h = tile.rect.width() / max(width, 1), tile.rect.height() / max(height, 1)
    if tile.numbers and cell_w >= 18 and cell_h >= 12:
        painter.setFont(small_font)
        low, high = tile.levels
        for y in range(height):
            for x in range(width):
                value = float(tile.values[y, x])
                if tile.mask is not None and not tile.mask[y, x]:
                    continue
                middle = (low + high) / 2
                dark = tile.kind == "sequential" and value < middle
                strong = tile.kind == "diverging" and abs(value) > 0.6 * max(abs(low), abs(high))
                painter.setPen(QColor(255, 255, 255) if dark or strong else QColor(0, 0, 0))
                text = str(int(round(value))) if tile.integer else f"{value:.2g}"
                painter.drawText(QRectF(tile.rect.left() + x * cell_w, tile.rect.top() + y * cell_h,
                                        cell_w, cell_h), Qt.AlignmentFlag.AlignCenter, text)
    if tile.marks:
        painter.setPen(QPen(QColor(255, 214, 0), 2))
        for y, x in tile.marks:
            if not (0 <= y < height and 0 <= x < width):
                continue    # a cell the gather view crops away
            painter.drawRect(QRectF(tile.rect.left() + x * cell_w, tile.rect.top() + y * cell_h,
                                    cell_w, cell_h))
    if tile.outline is not None:
        y, x = tile.outline
        painter.setPen(QPen(QColor(255, 140, 0), 2))
        painter.drawRect(QRectF(tile.rect.left() + x * cell_w, tile.rect.top() + y * cell_h,
                                cell_w, cell_h))
    if tile.title:
        painter.setPen(text_color)
        painter.setFont(small_font)
        painter.drawText(QRectF(tile.rect.left() - 40, tile.rect.top() - 18, tile.rect.width() + 80, 16),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, tile.title)
    painter.restore()


def symmetric(*arrays: np.ndarray) -> tuple[float, float]:
    """``(−m, m)`` with ``m`` the largest |value| (1 when all are 0)."""
    peak = max((float(np.abs(array).max()) for array in arrays if array.size), default=0.0)
    peak = peak if peak > 0 else 1.0
    return (-peak, peak)
