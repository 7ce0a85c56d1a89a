"""Prepare a user's photo or drawing the way MNIST's digits were prepared, and choose what to use.

:class:`PrepareDialog` and :func:`prepare_and_choose` -- "what you gave" → "what the network
receives", with the facts of the preparation, and the choice of prepared / as it is / cancel.

Threading: GUI thread only.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from convdesigner.data.loaders import convert_channels
from convdesigner.data.prepare import (
    FIELD_CENTER,
    FIELD_SIDE,
    FIT_SIDE,
    PreparedDigit,
    prepare_mnist_style,
)
from convdesigner.errors import ConvDesignerError
from convdesigner.ui.panels.canvas import image_to_qimage
from convdesigner.ui.panels.digit_list import ACCENT


class _PictureView(QWidget):
    """A picture fitted into a square (sharp when enlarged), with an optional box and cross on it
    (both in the picture's pixel coordinates)."""

    def __init__(self, image: QImage, side: int = 196, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = image
        self.box: QRectF | None = None
        self.cross: QPointF | None = None
        self.setFixedSize(side, side)

    def _smooth(self) -> bool:
        """Photos (over 64 pixels a side) are scaled smoothly; small pictures show their pixels."""
        return max(self._image.width(), self._image.height()) > 64

    def picture_rect(self) -> QRectF:
        width, height = self._image.width(), self._image.height()
        scale = min(self.width() / width, self.height() / height)
        if scale >= 1 and not self._smooth():
            scale = float(int(scale))  # whole-pixel enlargement of a small picture: every pixel the same size
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        rect = self.picture_rect()
        scale = rect.width() / self._image.width()
        painter.setRenderHint(QPainter.SmoothPixmapTransform, scale < 1 or self._smooth())
        painter.drawImage(rect, self._image)
        painter.setPen(QPen(QColor(128, 128, 128), 1))
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.setRenderHint(QPainter.Antialiasing, True)
        if self.box is not None:
            painter.setPen(QPen(ACCENT, 2))
            painter.drawRect(QRectF(rect.left() + self.box.left() * scale, rect.top() + self.box.top() * scale,
                                    self.box.width() * scale, self.box.height() * scale))
        if self.cross is not None:
            # Pixel centres are at integer indices, so pixel (r, c) is drawn from c to c + 1.
            x = rect.left() + (self.cross.x() + 0.5) * scale
            y = rect.top() + (self.cross.y() + 0.5) * scale
            arm = max(5.0, scale * 1.5)
            painter.setPen(QPen(ACCENT, 2))
            painter.drawLine(QPointF(x - arm, y), QPointF(x + arm, y))
            painter.drawLine(QPointF(x, y - arm), QPointF(x, y + arm))
        painter.end()


def _as_chw(image: np.ndarray) -> np.ndarray:
    array = np.array(image, dtype=np.float32)
    if array.ndim == 2:
        array = array[np.newaxis]
    if array.ndim != 3:
        raise ValueError(f"a picture is [H, W] or [C, H, W], not shape {array.shape}")
    return array


class PrepareDialog(QDialog):
    """Before / after of :func:`prepare_mnist_style` on a user's picture, and the choice of what to use.

    ``image`` is [H, W] or [C, H, W] (1 or 3 channels) in [0, 1]. The constructor prepares it and
    raises :class:`InputFileError` when it cannot (a blank picture, values outside [0, 1], another
    channel count). After ``exec()``, :attr:`choice` is ``"prepared"``, ``"original"`` or None and
    :meth:`chosen_image` the array to use.
    """

    PREPARED, ORIGINAL = "prepared", "original"

    def __init__(self, image: np.ndarray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = _as_chw(image)
        gray = convert_channels(self.original, 1, self.tr("the picture"))[0]
        self.prepared: PreparedDigit = prepare_mnist_style(gray)
        self.choice: str | None = None
        prepared = self.prepared
        _, height, width = self.original.shape

        self.setWindowTitle(self.tr("Prepare the picture like an MNIST digit"))

        intro = QLabel(self.tr(
            "Networks trained on MNIST expect light ink on black, 28×28, the digit fitted into "
            "20×20 and centred by its mass. This is your picture prepared that way:"))
        intro.setWordWrap(True)

        self.before_view = _PictureView(image_to_qimage(self.original))
        top, left, bottom, right = prepared.bbox
        self.before_view.box = QRectF(left, top, right - left, bottom - top)
        self.before_view.setToolTip(self.tr("Your picture; the orange box is where the ink was found"))
        self.after_view = _PictureView(image_to_qimage(prepared.after[np.newaxis]))
        self.after_view.cross = QPointF(prepared.center_of_mass[1], prepared.center_of_mass[0])
        self.after_view.setToolTip(self.tr(
            "The 28×28 digit the network receives; the orange cross is its centre of mass"))

        arrow = QLabel("→")
        font = arrow.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        arrow.setFont(font)
        arrow.setAlignment(Qt.AlignCenter)

        colour = self.tr("colour") if self.original.shape[0] == 3 else self.tr("grey")
        before_caption = QLabel(self.tr("<b>What you gave</b><br>{width}×{height} pixels, {colour}").format(
            width=width, height=height, colour=colour))
        after_caption = QLabel(self.tr(
            "<b>What the network receives</b><br>{side}×{side}, inverted if dark-on-light, ink fitted "
            "into {fit}×{fit}, centred by mass").format(side=FIELD_SIDE, fit=FIT_SIDE))
        for caption in (before_caption, after_caption):
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
            caption.setFixedWidth(self.before_view.width() + 24)

        pictures = QGridLayout()
        pictures.addWidget(self.before_view, 0, 0, Qt.AlignCenter)
        pictures.addWidget(arrow, 0, 1)
        pictures.addWidget(self.after_view, 0, 2, Qt.AlignCenter)
        pictures.addWidget(before_caption, 1, 0, Qt.AlignHCenter | Qt.AlignTop)
        pictures.addWidget(after_caption, 1, 2, Qt.AlignHCenter | Qt.AlignTop)
        pictures.setColumnStretch(0, 1)
        pictures.setColumnStretch(2, 1)

        if prepared.inverted:
            inverted = self.tr("yes — dark ink on a light background became light ink on black")
        else:
            inverted = self.tr("no — it already was light ink on a dark background")
        row, column = prepared.center_of_mass
        self.inverted_label = QLabel(inverted)
        self.bbox_label = QLabel(self.tr(
            "rows {top}–{bottom}, columns {left}–{right} ({ink_w}×{ink_h} pixels of ink)").format(
                top=top, bottom=bottom - 1, left=left, right=right - 1, ink_w=right - left, ink_h=bottom - top))
        self.center_label = QLabel(self.tr("row {row:.2f}, column {column:.2f} (MNIST: {mr:g}, {mc:g})").format(
            row=row, column=column, mr=FIELD_CENTER[0], mc=FIELD_CENTER[1]))
        for label in (self.inverted_label, self.bbox_label, self.center_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.inverted_label.setToolTip(self.tr(
            "A picture is inverted when its border (the background) is lighter than its middle"))
        self.bbox_label.setToolTip(self.tr(
            "Where the ink is in your picture (first and last row and column, counted from 0)"))
        self.center_label.setToolTip(self.tr(
            "The prepared digit's centre of mass; MNIST centres every digit's mass at the middle of 28×28"))
        facts = QFormLayout()
        facts.addRow(self.tr("Inverted:"), self.inverted_label)
        facts.addRow(self.tr("Ink bounding box:"), self.bbox_label)
        facts.addRow(self.tr("Centre of mass:"), self.center_label)

        buttons = QDialogButtonBox()
        self.prepared_button = buttons.addButton(self.tr("Use prepared"), QDialogButtonBox.AcceptRole)
        self.prepared_button.setToolTip(self.tr("Put the 28×28 MNIST-style digit on the input"))
        self.original_button = buttons.addButton(self.tr("Use as it is"), QDialogButtonBox.AcceptRole)
        self.original_button.setToolTip(self.tr(
            "Put your picture on the input unchanged (fitted to the input's size and channels)"))
        self.cancel_button = buttons.addButton(QDialogButtonBox.Cancel)
        self.cancel_button.setToolTip(self.tr("Leave the input as it is"))
        self.prepared_button.setDefault(True)
        self.prepared_button.clicked.connect(lambda: self._choose(self.PREPARED))
        self.original_button.clicked.connect(lambda: self._choose(self.ORIGINAL))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(pictures)
        layout.addLayout(facts)
        layout.addWidget(buttons)
        self.prepared_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        self.choice = None
        super().reject()

    def chosen_image(self) -> np.ndarray | None:
        """The array chosen, float32 [C, H, W]: the prepared [1, 28, 28] digit, the picture as
        given, or None when cancelled."""
        if self.choice == self.PREPARED:
            return np.array(self.prepared.after, dtype=np.float32)[np.newaxis]
        if self.choice == self.ORIGINAL:
            return self.original.copy()
        return None


def prepare_and_choose(parent: QWidget | None, image: np.ndarray) -> np.ndarray | None:
    """Show :class:`PrepareDialog` for ``image`` and return what the user chose (a new float32
    [C, H, W] array), or None when cancelled or when the picture cannot be prepared -- in which
    case the reason (e.g. a blank picture) is shown in a message box."""
    try:
        dialog = PrepareDialog(image, parent)
    except (ConvDesignerError, ValueError) as error:
        QMessageBox.warning(parent, QCoreApplication.translate("PrepareDialog", "Cannot prepare the picture"),
                            str(error))
        return None
    try:
        dialog.exec()
        return dialog.chosen_image()
    finally:
        dialog.deleteLater()



__all__ = ["PrepareDialog", "prepare_and_choose"]
