"""The diagram's colours: a light and a dark :class:`DiagramTheme`, chosen by the palette.

:data:`LIGHT` is also what exports use (slides and papers are white).

Threading: GUI thread only (QColor).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class Faces:
    front: QColor
    top: QColor
    side: QColor
    outline: QColor


def _faces(front: str, top: str, side: str, outline: str, alpha: int = 255) -> Faces:
    def color(name: str) -> QColor:
        result = QColor(name)
        result.setAlpha(alpha)
        return result
    return Faces(color(front), color(top), color(side), QColor(outline))


@dataclass(frozen=True)
class DiagramTheme:
    """Every colour the diagram uses. :data:`LIGHT` is also what exports use (slides are white)."""

    background: QColor
    text: QColor
    secondary: QColor
    input: Faces
    conv: Faces
    pool: Faces
    kernel: Faces
    error: Faces
    unknown: Faces
    projection: QColor
    activation_marker: QColor
    pool_marker: QColor
    error_text: QColor
    highlight_fill: QColor
    highlight_border: QColor
    hover_border: QColor
    plus_fill: QColor
    plus_border: QColor
    plus_glyph: QColor
    plus_hover: QColor
    axis: QColor


LIGHT = DiagramTheme(
    background=QColor("#ffffff"), text=QColor("#111111"), secondary=QColor("#3d3d3d"),
    input=_faces("#cfcfcf", "#ebebeb", "#b3b3b3", "#3a3a3a"),
    conv=_faces("#9fc6ee", "#d3e5f8", "#7eaedf", "#1b4a7a"),
    pool=_faces("#a9d9a4", "#d6efd3", "#87c581", "#23632a"),
    kernel=_faces("#f7a552", "#fccb93", "#e47f21", "#7a3900", alpha=190),
    error=_faces("#f6b9bf", "#fbdde0", "#ee969f", "#b00020"),
    unknown=_faces("#f3f3f3", "#f9f9f9", "#e9e9e9", "#6e6e6e"),
    projection=QColor(196, 94, 6, 210),
    activation_marker=QColor("#6a2c91"), pool_marker=QColor("#23632a"),
    error_text=QColor("#b00020"),
    highlight_fill=QColor("#fff1b8"), highlight_border=QColor("#c99700"),
    hover_border=QColor("#8aa9c9"),
    plus_fill=QColor("#ffffff"), plus_border=QColor("#8c8c8c"), plus_glyph=QColor("#4d4d4d"),
    plus_hover=QColor("#1565c0"), axis=QColor("#c8c8c8"),
)

DARK = DiagramTheme(
    background=QColor("#1d1f23"), text=QColor("#f2f2f2"), secondary=QColor("#d0d0d0"),
    input=LIGHT.input, conv=LIGHT.conv, pool=LIGHT.pool, kernel=LIGHT.kernel, error=LIGHT.error,
    unknown=_faces("#2c2f35", "#34373e", "#272a2f", "#a8a8a8"),
    projection=QColor(255, 167, 82, 220),
    activation_marker=QColor("#c89bea"), pool_marker=QColor("#8fd68a"),
    error_text=QColor("#ff8a80"),
    highlight_fill=QColor("#4a4120"), highlight_border=QColor("#ffcf40"),
    hover_border=QColor("#7e9bbb"),
    plus_fill=QColor("#2b2e34"), plus_border=QColor("#9a9a9a"), plus_glyph=QColor("#dedede"),
    plus_hover=QColor("#64a8f0"), axis=QColor("#4a4d55"),
)


def theme_for(palette: QPalette) -> DiagramTheme:
    return DARK if palette.color(QPalette.ColorRole.Base).lightness() < 128 else LIGHT


__all__ = ["DARK", "LIGHT", "DiagramTheme", "Faces", "theme_for"]
