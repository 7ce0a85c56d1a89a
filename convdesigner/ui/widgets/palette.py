"""Colours and fonts that read well on the current palette, light or dark (also on a projector):
error text and its tinted background, quieter secondary text, a monospace font for code."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def error_text_color(palette: QPalette) -> QColor:
    """A red that keeps high contrast on the palette's base colour (also on a projector)."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b00020")


def error_background_color(palette: QPalette) -> QColor:
    return QColor("#4a1f24") if is_dark(palette) else QColor("#fdecee")


def error_bar_color(palette: QPalette) -> QColor:
    return QColor("#ef5350") if is_dark(palette) else QColor("#c62828")


def secondary_text_color(palette: QPalette) -> QColor:
    """Text a step quieter than the body text, still well above 7:1 contrast."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(round(text.red() * 0.8 + base.red() * 0.2),
                  round(text.green() * 0.8 + base.green() * 0.2),
                  round(text.blue() * 0.8 + base.blue() * 0.2))


def monospace_font(base: QFont, extra_points: float = 0.0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    size = base.pointSizeF()
    if size > 0:
        font.setPointSizeF(size + extra_points)
    return font
