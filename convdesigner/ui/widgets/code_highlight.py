"""Python source highlighted in a :class:`QTextDocument`: keywords, strings (triple-quoted ones
over several lines too), comments, numbers and a few builtins, in a light or a dark palette.

Used by the code export's preview (:mod:`convdesigner.ui.dialogs.export`). Knows nothing of the
design.

Threading: GUI thread only.
"""

from __future__ import annotations

import keyword
import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument


class PythonHighlighter(QSyntaxHighlighter):
    """Keywords, strings (also triple-quoted over several lines), comments and numbers."""

    _TOKEN = re.compile(
        r'(?P<triple>"""|\'\'\')'
        r'|(?P<string>"(?:[^"\\]|\\.)*"?|\'(?:[^\'\\]|\\.)*\'?)'
        r'|(?P<comment>#.*)'
        r'|(?P<number>(?<![\w.])(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[jJ]?)'
        r'|(?P<word>[A-Za-z_]\w*)')
    _IN_TRIPLE = {'"""': 1, "'''": 2}

    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        colours = ({"keyword": "#c792ea", "string": "#c3e88d", "comment": "#9aa5b1",
                    "number": "#f78c6c", "builtin": "#82aaff"} if dark else
                   {"keyword": "#0033b3", "string": "#067d17", "comment": "#6a737d",
                    "number": "#a3470a", "builtin": "#7a3e9d"})
        self.formats: dict[str, QTextCharFormat] = {}
        for name, colour in colours.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name == "keyword":
                fmt.setFontWeight(QFont.Weight.Bold)
            if name == "comment":
                fmt.setFontItalic(True)
            self.formats[name] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        self.setCurrentBlockState(0)
        position = 0
        state = self.previousBlockState()
        if state in (1, 2):
            quote = '"""' if state == 1 else "'''"
            end = text.find(quote)
            if end < 0:
                self.setFormat(0, len(text), self.formats["string"])
                self.setCurrentBlockState(state)
                return
            self.setFormat(0, end + 3, self.formats["string"])
            position = end + 3
        while position < len(text):
            found = self._TOKEN.search(text, position)
            if found is None:
                break
            kind, start = found.lastgroup, found.start()
            position = found.end()
            if kind == "triple":
                end = text.find(found.group(), position)
                if end < 0:
                    self.setFormat(start, len(text) - start, self.formats["string"])
                    self.setCurrentBlockState(self._IN_TRIPLE[found.group()])
                    return
                position = end + 3
                self.setFormat(start, position - start, self.formats["string"])
            elif kind in ("string", "comment", "number"):
                self.setFormat(start, position - start, self.formats[kind])
            elif kind == "word":
                word = found.group()
                if keyword.iskeyword(word) or word in ("self",):
                    self.setFormat(start, position - start, self.formats["keyword"])
                elif word in ("torch", "nn", "print", "tuple", "str"):
                    self.setFormat(start, position - start, self.formats["builtin"])



__all__ = ["PythonHighlighter"]
