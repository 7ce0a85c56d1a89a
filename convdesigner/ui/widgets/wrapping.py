"""Text wrapped to a width the way code and formulas are written on a blackboard:
:func:`wrap_call` breaks a PyTorch call at its top-level commas, :func:`wrap_words` a line at its
words with a hanging indent, and :class:`WrappingLabel` re-wraps its text with either whenever its
width changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def wrap_call(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Wrap ``"[0] Conv2d(1, 64, kernel_size=(4, 4), ...)"`` at its top-level commas, continuation
    lines indented under the opening parenthesis (or by four spaces when that is too deep).
    Never breaks inside ``(4, 4)``; a single argument wider than ``width`` stays whole."""
    if width <= 0 or metrics.horizontalAdvance(text) <= width:
        return [text]
    pieces, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 1:
            pieces.append(text[start:position + 1].strip())
            start = position + 1
    pieces.append(text[start:].strip())
    paren = text.find("(")
    indent = " " * (paren + 1 if paren >= 0 else 4)
    if metrics.horizontalAdvance(indent) > width // 2:
        indent = " " * 4
    lines, current = [], pieces[0]
    for piece in pieces[1:]:
        candidate = f"{current} {piece}"
        if metrics.horizontalAdvance(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = indent + piece
    lines.append(current)
    return lines


def wrap_words(line: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Word-wrap one line to ``width`` pixels, continuation lines indented four spaces deeper than
    the line itself (so a wrapped formula step still reads as one step)."""
    if width <= 0 or metrics.horizontalAdvance(line) <= width:
        return [line]
    stripped = line.lstrip(" ")
    lead = line[:len(line) - len(stripped)]
    words = stripped.split(" ")
    lines, current = [], lead + words[0]
    for word in words[1:]:
        candidate = f"{current} {word}"
        if metrics.horizontalAdvance(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = f"{lead}    {word}"
    lines.append(current)
    return lines


class WrappingLabel(QLabel):
    """A label that wraps its text with ``wrap(line, metrics, width)`` whenever its width changes:
    the PyTorch line breaks at its commas, a formula at its words with a hanging indent. QLabel's
    own word wrap would break ``(4, 4)`` in two. :meth:`full_text` is the unwrapped text."""

    def __init__(self, wrap: Callable[[str, QFontMetrics, int], list[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wrap = wrap
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._rewrap()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._rewrap()

    def _rewrap(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        metrics = QFontMetrics(self.font())
        text = "\n".join(wrapped for line in self._full.split("\n")
                         for wrapped in self._wrap(line, metrics, width))
        if text != self.text():
            self.setText(text)
