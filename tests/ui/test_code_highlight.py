"""The code preview's highlighter (convdesigner.ui.widgets.code_highlight), on its own."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QTextDocument

from convdesigner.ui.widgets.code_highlight import PythonHighlighter


def formats_of(document: QTextDocument, line: int) -> dict[int, str]:
    """``{column: foreground colour name}`` of the formatted characters of ``line``."""
    block = document.findBlockByNumber(line)
    found = {}
    for change in block.layout().formats():
        for column in range(change.start, change.start + change.length):
            found[column] = change.format.foreground().color().name()
    return found


def test_keywords_strings_comments_and_multi_line_docstrings(qapp) -> None:
    document = QTextDocument('import torch  # the library\n"""a docstring\nstill one"""\nx = 1.5e3\n')
    highlighter = PythonHighlighter(document)
    colours = highlighter.formats
    keyword, comment, string, number = (colours[name].foreground().color().name()
                                        for name in ("keyword", "comment", "string", "number"))
    assert formats_of(document, 0)[0] == keyword and formats_of(document, 0)[14] == comment
    assert set(formats_of(document, 1).values()) == {string}
    assert set(formats_of(document, 2).values()) == {string}     # the docstring goes on
    assert formats_of(document, 3)[4] == number and 0 not in formats_of(document, 3)


def test_the_dark_palette_changes_the_colours(qapp) -> None:
    document = QTextDocument()
    highlighter = PythonHighlighter(document)
    light = highlighter.formats["keyword"].foreground().color().name()
    highlighter.set_dark(True)
    assert highlighter.formats["keyword"].foreground().color().name() != light
