"""The lessons in the app: "New from Example" menu entries and a panel explaining the current lesson.

* :func:`build_lessons_menu` fills a menu with one action per :data:`~convdesigner.design.lessons.LESSONS`
  entry, each calling ``open_lesson(lesson)``;
* :func:`open_lesson_in` is what such a callback usually does: start the document over with the
  lesson's design, keeping the digit on screen (fitted to the lesson's input) when the lesson has
  no input of its own;
* :class:`LessonPanel` shows a lesson's title and explanation, word-wrapped, for a dock.

Lesson texts live in the pure :mod:`convdesigner.design.lessons`; they are translated here, with
the context ``"lessons"`` (an untranslated text shows as written).

Threading: GUI thread only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QScrollArea, QVBoxLayout, QWidget

from convdesigner.data.fit import fit_image_to_spec
from convdesigner.design.lessons import LESSONS, Lesson
from convdesigner.ui.state.document import DesignDocument


def lesson_title(lesson: Lesson) -> str:
    return QCoreApplication.translate("lessons", lesson.title)


def lesson_explanation(lesson: Lesson) -> str:
    return QCoreApplication.translate("lessons", lesson.explanation)


def _first_sentence(text: str) -> str:
    found = re.match(r"(.+?[.!?])(\s|$)", text)
    return (found.group(1) if found else text).replace("`", "")


def build_lessons_menu(menu: QMenu, open_lesson: Callable[[Lesson], None]) -> list[QAction]:
    """Add one action per lesson to ``menu`` ("New from Example"); triggering one calls
    ``open_lesson(lesson)``. Returns the actions (in :data:`LESSONS` order)."""
    actions = []
    for lesson in LESSONS:
        action = QAction(lesson_title(lesson), menu)
        action.setObjectName(f"lesson-{lesson.key}")
        action.setData(lesson.key)
        tip = _first_sentence(lesson_explanation(lesson))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False, chosen=lesson: open_lesson(chosen))
        menu.addAction(action)
        actions.append(action)
    menu.setToolTipsVisible(True)
    return actions


def open_lesson_in(document: DesignDocument, lesson: Lesson) -> None:
    """Start ``document`` over with ``lesson``'s design (a fresh, clean history). A lesson with an
    input of its own shows it; the others bring the same bundled MNIST digit (the first 7), fitted
    to the lesson's input shape (a 28×28 digit is centred in LeNet's 32×32, as LeCun did) -- never
    what the previous lesson or the brush left behind, so a lesson always starts the same."""
    design = lesson.build()
    image = None
    if design.input_values is None:
        image = fit_image_to_spec(lesson_digit(), design.input)
    document.reset(design, image)


def lesson_digit():
    """The digit lessons without an input of their own start from: float32 ``[1, 28, 28]``."""
    from convdesigner.data.mnist import bundled_digit
    return bundled_digit(7, 0)[None]


def opening_lesson(design) -> Lesson | None:
    """The lesson whose design ``design`` is, judged by its name (the app opens on the learner's
    design, which is also the first lesson), else None."""
    return next((lesson for lesson in LESSONS if lesson.build().name == design.name), None)


def explanation_html(lesson: Lesson) -> str:
    """The lesson's title and explanation as rich text; `backticked` text becomes code."""
    def paragraph(text: str) -> str:
        escaped = html.escape(text)
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)

    return (f"<h3 style='margin-bottom: 6px'>{html.escape(lesson_title(lesson))}</h3>"
            f"<p style='line-height: 130%'>{paragraph(lesson_explanation(lesson))}</p>")


class LessonPanel(QWidget):
    """The current lesson's title and explanation (rich text, word-wrapped, scrolls when long)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lesson: Lesson | None = None
        self.text = QLabel()
        self.text.setObjectName("lessonText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setContentsMargins(8, 4, 8, 8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setToolTip(self.tr("What this example shows"))
        self.show_lesson(None)

    @property
    def lesson(self) -> Lesson | None:
        return self._lesson

    def show_lesson(self, lesson: Lesson | None) -> None:
        """Show ``lesson``, or, for None, a hint where lessons are found."""
        self._lesson = lesson
        if lesson is None:
            self.text.setText("<p><i>{}</i></p>".format(html.escape(self.tr(
                "No lesson is open. Choose one from File ▸ New from Example: each starts a design "
                "that shows one idea, with an explanation here."))))
        else:
            self.text.setText(explanation_html(lesson))
