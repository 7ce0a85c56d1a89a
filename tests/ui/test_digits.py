"""The digit browser and the prepare dialog: bundled MNIST digits offline, one undo step each."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from convdesigner.data import bundled_digit, bundled_images, bundled_labels, indices_of, write_idx
from convdesigner.data.digit_sources import BundledSource, IdxSource, find_labels_file
from convdesigner.data.prepare import FIELD_CENTER
from convdesigner.design import Conv2d, Design, InputSpec
from convdesigner.ui.dialogs.prepare import PrepareDialog, prepare_and_choose
from convdesigner.ui.panels.digit_list import DigitListModel
from convdesigner.ui.panels.digits import DigitBrowser
from convdesigner.ui.state.document import DesignDocument


def make_document(channels: int = 1) -> DesignDocument:
    return DesignDocument(Design(InputSpec(channels, 28, 28), (Conv2d(channels, 4, 3),)))


@pytest.fixture
def document(qapp) -> DesignDocument:
    """Overrides tests/ui/conftest.py's: one small Conv2d is all the digit browser needs."""
    return make_document()


@pytest.fixture
def browser(qtbot, document) -> DigitBrowser:
    widget = DigitBrowser(document, seed=1234)
    qtbot.addWidget(widget)
    widget.resize(300, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_row(qtbot, browser: DigitBrowser, row: int) -> None:
    index = browser.model.index(row)
    browser.view.scrollTo(index)
    rect = browser.view.visualRect(index)
    assert rect.isValid() and browser.view.viewport().rect().contains(rect.center())
    qtbot.mouseClick(browser.view.viewport(), Qt.LeftButton, pos=rect.center())


# -- the model ------------------------------------------------------------------------------------
def test_the_model_lists_every_digit_and_exactly_those_of_a_label(qapp) -> None:
    model = DigitListModel(BundledSource())
    assert model.rowCount() == 10_000 == len(bundled_images())
    for label in range(10):
        model.set_label(label)
        expected = indices_of(label)
        assert model.rowCount() == len(expected)
        rows = [0, len(expected) // 2, len(expected) - 1]
        assert [model.index(row).data(DigitListModel.PositionRole) for row in rows] == list(expected[rows])
        assert all(model.index(row).data(DigitListModel.LabelRole) == label for row in rows)
        assert [model.index(row).data(DigitListModel.IndexRole) for row in rows] == rows
    model.set_label(None)
    assert model.rowCount() == 10_000


def test_a_thumbnail_is_made_on_demand_once_and_the_tooltip_names_the_digit(qapp) -> None:
    model = DigitListModel(BundledSource())
    model.set_label(7)
    assert model.cache_size == 0
    index = model.index(12)
    assert index.data(Qt.ToolTipRole) == "7 · #12 — use as input with mnist:7:12"
    pixmap = index.data(Qt.DecorationRole)
    assert (pixmap.width(), pixmap.height()) == (56, 56)
    assert index.data(Qt.DecorationRole).cacheKey() == pixmap.cacheKey()
    assert model.thumbnails_made == 1 and model.cache_size == 1
    # The thumbnail is the digit, each pixel doubled.
    image = pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_Grayscale8)
    expected = bundled_images()[indices_of(7)[12]]
    assert all(image.pixelColor(2 * c, 2 * r).red() == expected[r, c] for r in (5, 14, 20) for c in (5, 14, 20))


def test_thumbnails_are_made_lazily_only_for_the_visible_page(browser) -> None:
    browser.grab()  # paints the first page
    assert browser.model.rowCount() == 10_000
    assert 0 < browser.model.cache_size <= 100
    assert browser.model.thumbnails_made <= 100


# -- using a digit --------------------------------------------------------------------------------
def test_clicking_a_digit_puts_exactly_it_on_the_input_as_one_undo_step(qtbot, browser, document) -> None:
    previous = np.random.default_rng(0).random((1, 28, 28), dtype=np.float32)
    document.set_image(previous, "Something else")
    steps = document.undo_stack.count()
    browser.set_label(7)
    with qtbot.waitSignal(browser.digitUsed) as used:
        click_row(qtbot, browser, 12)
    assert used.args == ["mnist:7:12"]
    assert np.array_equal(document.image, bundled_digit(7, 12)[None])
    assert document.undo_stack.count() == steps + 1
    assert document.undo_stack.undoText() == "Use MNIST digit 7 #12"
    assert browser.status_label.text() == "On the input: mnist:7:12"
    assert browser.on_input == "mnist:7:12"
    assert browser.model.index(12).data(DigitListModel.OnInputRole)
    document.undo_stack.undo()
    assert document.image.tobytes() == previous.tobytes()
    assert browser.status_label.text() == "On the input: painted"
    document.undo_stack.redo()
    assert browser.on_input == "mnist:7:12"


def test_enter_uses_the_current_digit_and_arrows_move(qtbot, browser, document) -> None:
    browser.set_label(4)
    browser.view.setFocus()
    browser.view.setCurrentIndex(browser.model.index(2))
    qtbot.keyClick(browser.view, Qt.Key_Right)
    assert browser.view.currentIndex().row() == 3
    assert not np.any(document.image)  # moving does not use the digit
    qtbot.keyClick(browser.view, Qt.Key_Return)
    assert np.array_equal(document.image, bundled_digit(4, 3)[None])
    assert document.undo_stack.count() == 1


def test_painting_clears_the_status_and_undo_brings_the_name_back(browser, document) -> None:
    assert browser.status_label.text() == "On the input: blank"
    browser.set_label(2)
    browser.use_row(5)
    assert browser.status_label.text() == "On the input: mnist:2:5"
    before = np.array(document.image)
    stroke = before.copy()
    stroke[0, 0:3, 0:3] = 1.0
    document.begin_stroke("Brush stroke")
    document.preview_image(stroke)  # mid-stroke already counts
    assert browser.status_label.text() == "On the input: painted"
    assert not browser.model.index(5).data(DigitListModel.OnInputRole)
    document.end_stroke()
    document.undo_stack.undo()
    assert browser.status_label.text() == "On the input: mnist:2:5"


def test_random_respects_the_label_and_is_seeded(qtbot, browser, document) -> None:
    browser.set_label(3)
    assert browser.random_button.text() == "Random 3"
    chosen = set()
    for _ in range(12):
        browser.random()
        name = browser.on_input
        assert name is not None and name.startswith("mnist:3:")
        index = int(name.split(":")[2])
        assert np.array_equal(document.image, bundled_digit(3, index)[None])
        chosen.add(index)
    assert len(chosen) > 1
    qtbot.keyClick(browser.view, Qt.Key_R)
    assert browser.on_input.startswith("mnist:3:")
    assert document.undo_stack.count() >= 12

    again = DigitBrowser(make_document(), seed=1234)
    qtbot.addWidget(again)
    first = DigitBrowser(make_document(), seed=1234)
    qtbot.addWidget(first)
    names = []
    for widget in (first, again):
        widget.set_label(3)
        widget.random()
        names.append(widget.on_input)
    assert names[0] == names[1]


def test_next_and_previous_move_within_the_label(browser, document) -> None:
    browser.set_label(9)
    browser.use_row(5)
    browser.next()
    assert np.array_equal(document.image, bundled_digit(9, 6)[None])
    browser.previous()
    browser.previous()
    assert np.array_equal(document.image, bundled_digit(9, 4)[None])
    browser.use_row(0)
    assert not browser.previous_button.isEnabled()
    browser.use_row(len(indices_of(9)) - 1)
    assert not browser.next_button.isEnabled()
    browser.next()  # at the end: nothing happens
    assert browser.on_input == f"mnist:9:{len(indices_of(9)) - 1}"
    browser.previous_button.click()
    assert browser.on_input == f"mnist:9:{len(indices_of(9)) - 2}"


def test_a_three_channel_design_gets_the_digit_on_every_channel(qtbot, qapp) -> None:
    document = make_document(channels=3)
    browser = DigitBrowser(document)
    qtbot.addWidget(browser)
    browser.set_label(1)
    browser.use_row(7)
    digit = bundled_digit(1, 7)
    assert document.image.shape == (3, 28, 28)
    for channel in range(3):
        assert np.array_equal(document.image[channel], digit)
    assert browser.on_input == "mnist:1:7"


def test_a_larger_input_gets_the_digit_centred_and_still_named(qtbot, qapp) -> None:
    document = DesignDocument(Design(InputSpec(1, 32, 32), (Conv2d(1, 4, 3),)))
    browser = DigitBrowser(document)
    qtbot.addWidget(browser)
    browser.set_label(0)
    browser.use_row(0)
    assert np.array_equal(document.image[0, 2:30, 2:30], bundled_digit(0, 0))
    assert browser.on_input == "mnist:0:0"


# -- other data sets ------------------------------------------------------------------------------
def write_dataset(folder, count: int = 30, gz: bool = True):
    positions = np.arange(count) * 37
    images = np.ascontiguousarray(bundled_images()[positions])
    labels = np.ascontiguousarray(bundled_labels()[positions])
    suffix = ".gz" if gz else ""
    images_path = folder / f"train-images-idx3-ubyte{suffix}"
    write_idx(images_path, images)
    write_idx(folder / f"train-labels-idx1-ubyte{suffix}", labels)
    return images_path, images, labels


def test_an_idx_data_set_can_be_browsed_and_used(qtbot, browser, document, tmp_path,
                                                 monkeypatch) -> None:
    import threading

    import convdesigner.ui.panels.digits as digits_module

    images_path, images, labels = write_dataset(tmp_path)
    assert find_labels_file(images_path) == tmp_path / "train-labels-idx1-ubyte.gz"
    read_on = []
    load = digits_module.load_idx_dataset
    monkeypatch.setattr(digits_module, "load_idx_dataset", lambda *args: (
        read_on.append(threading.current_thread()), load(*args))[1])
    with qtbot.waitSignal(browser.sourceChanged):
        assert browser.open_dataset(images_path)
    # Read on a worker thread: the window stays alive while MNIST's 60,000 digits load.
    assert len(read_on) == 1 and read_on[0] is not threading.main_thread()
    assert isinstance(browser.source, IdxSource)
    assert browser.source_combo.count() == 2
    assert browser.source_combo.currentText() == "train-images-idx3-ubyte.gz"
    assert browser.model.rowCount() == 30
    label = int(labels[4])
    browser.set_label(label)
    expected = np.flatnonzero(labels == label)
    assert browser.model.rowCount() == len(expected)
    browser.use_row(1)
    assert np.array_equal(document.image, images[expected[1]][None].astype(np.float32) / np.float32(255))
    assert browser.on_input == f"train-images-idx3-ubyte.gz #{expected[1]}"
    assert browser.status_label.text() == f"On the input: train-images-idx3-ubyte.gz #{expected[1]}"
    # Back to the bundled digits.
    browser.source_combo.setCurrentIndex(0)
    assert isinstance(browser.source, BundledSource)
    assert browser.model.rowCount() == len(indices_of(label))


def test_an_idx_data_set_without_labels_is_browsed_unlabelled(browser, tmp_path) -> None:
    images = np.ascontiguousarray(bundled_images()[:10])
    path = tmp_path / "mine-images-idx3-ubyte"
    write_idx(path, images)
    assert find_labels_file(path) is None
    assert browser.open_dataset(path)
    assert browser.model.rowCount() == 10
    assert not browser.label_buttons[3].isEnabled()
    assert browser.model.index(4).data(Qt.ToolTipRole) == "#4 of mine-images-idx3-ubyte"


def test_a_broken_idx_file_shows_the_error_and_keeps_the_source(browser, tmp_path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args, **kwargs: calls.append(args))
    broken = tmp_path / "broken-images-idx3-ubyte"
    broken.write_bytes(b"\x00\x00\x08\x03\x00\x00\x00\x05\x00\x00\x00\x1c\x00\x00\x00\x1c" + b"\x00" * 100)
    browser.set_label(5)
    assert not browser.open_dataset(broken)
    assert len(calls) == 1
    assert "broken-images-idx3-ubyte" in calls[0][2] and "truncated" in calls[0][2]
    assert isinstance(browser.source, BundledSource)
    assert browser.source_combo.count() == 1
    assert browser.label == 5 and browser.model.rowCount() == len(indices_of(5))


# -- preparing a picture ------------------------------------------------------------------------
def off_centre_drawing() -> np.ndarray:
    """Dark ink on white paper, 100×80, a '7'-ish stroke in the top-left corner."""
    picture = np.ones((100, 80), dtype=np.float32)
    picture[10:14, 8:36] = 0.05
    rows = np.arange(14, 50)
    for row in rows:
        column = 34 - (row - 14) // 3
        picture[row, column - 2:column + 2] = 0.05
    return picture


def test_prepare_dialog_inverts_and_centres_an_off_centre_dark_drawing(qtbot) -> None:
    picture = off_centre_drawing()
    dialog = PrepareDialog(picture)
    qtbot.addWidget(dialog)
    prepared = dialog.prepared
    assert prepared.inverted
    assert prepared.after.shape == (28, 28) and prepared.after.max() == pytest.approx(1.0)
    row, column = prepared.center_of_mass
    assert abs(row - FIELD_CENTER[0]) <= 0.5 and abs(column - FIELD_CENTER[1]) <= 0.5
    # The ink, in the top-left quarter of the drawing, is fitted into 20×20 in the middle of 28×28.
    assert prepared.bbox[2] <= 50 and prepared.bbox[3] <= 40
    ink_rows = np.flatnonzero(prepared.after.any(axis=1))
    ink_cols = np.flatnonzero(prepared.after.any(axis=0))
    assert max(ink_rows[-1] - ink_rows[0], ink_cols[-1] - ink_cols[0]) + 1 == 20
    assert ink_cols[0] >= 4 and ink_cols[-1] <= 23
    assert dialog.inverted_label.text().startswith("yes")
    dialog.prepared_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    chosen = dialog.chosen_image()
    assert chosen.shape == (1, 28, 28) and np.array_equal(chosen[0], prepared.after)


def test_prepare_and_choose_returns_the_choice(qtbot, monkeypatch) -> None:
    picture = off_centre_drawing()
    colour = np.repeat(picture[None], 3, axis=0)
    button_for = {"prepared": "prepared_button", "original": "original_button", None: "cancel_button"}
    for choice, expected in (("prepared", None), ("original", colour), (None, None)):
        monkeypatch.setattr(PrepareDialog, "exec",
                            lambda self, name=button_for[choice]: getattr(self, name).click())
        result = prepare_and_choose(None, colour)
        if choice is None:
            assert result is None
        elif choice == "original":
            assert np.array_equal(result, expected)
        else:
            assert result.shape == (1, 28, 28) and result.max() == pytest.approx(1.0)


def test_a_blank_picture_shows_the_data_layers_error_and_changes_nothing(qtbot, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr(PrepareDialog, "exec", lambda self: pytest.fail("no dialog for a blank picture"))
    assert prepare_and_choose(None, np.full((40, 40), 0.7, dtype=np.float32)) is None
    assert len(calls) == 1 and "blank" in calls[0][2]


def test_the_label_buttons_filter_and_a_double_click_is_still_one_step(qtbot, browser, document) -> None:
    qtbot.mouseClick(browser.label_buttons[6], Qt.LeftButton)
    assert browser.label == 6 and browser.model.rowCount() == len(indices_of(6))
    assert browser.count_label.text() == f"{len(indices_of(6)):,} digits labelled 6"
    index = browser.model.index(1)
    browser.view.scrollTo(index)  # lays the grid out, as showing it would
    centre = browser.view.visualRect(index).center()
    # A real double click: press and release (a click), then the double-click event.
    qtbot.mouseClick(browser.view.viewport(), Qt.LeftButton, pos=centre)
    with qtbot.waitSignal(browser.view.doubleClicked):
        qtbot.mouseDClick(browser.view.viewport(), Qt.LeftButton, pos=centre)
    assert np.array_equal(document.image, bundled_digit(6, 1)[None])
    assert document.undo_stack.count() == 1
    qtbot.mouseClick(browser.label_buttons[None], Qt.LeftButton)
    assert browser.label is None and browser.model.rowCount() == 10_000
    # The digit on the input stays marked and current under All.
    row = browser.model.row_of(int(indices_of(6)[1]))
    assert browser.view.currentIndex().row() == row
    assert browser.model.index(row).data(DigitListModel.OnInputRole)
