"""The window on a 1280×800 laptop: Layer settings without scrolling, every tab title whole, the
quick-start note clear of the centre's titles; in English and in Chinese."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from convdesigner.data.mnist import bundled_digit
from convdesigner.design.examples import learner_design
from convdesigner.ui.i18n import install_translators
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.panels.layer_editor import LayerEditorPanel
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import Selection
from convdesigner.ui.state.settings import AppSettings


@pytest.fixture(params=["en", "zh_CN"])
def window(request, qtbot, tmp_path):
    app = QApplication.instance()
    install_translators(app, request.param)
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda window: window.document.undo_stack.setClean())
    main.resize(1280, 800)
    main.show()
    qtbot.waitUntil(lambda: main.live.idle and main.last_frame is not None, timeout=30000)
    yield main
    main.document.undo_stack.setClean()
    main.close()
    install_translators(app, "en")


def test_conv2d_settings_fit_without_scrolling_at_1280x800(window, qtbot) -> None:
    window.docks["editor"].raise_()
    window.selection.select(layer=2)
    editor = window.layer_editor
    bar = editor.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0)
    viewport = editor.scroll_area.viewport()
    for widget in (editor.bias, editor.padding_mode, editor.groups, editor.shape_label):
        assert widget.isVisible()
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        assert QRect(top_left, widget.size()).bottom() <= viewport.height(), widget
    assert "128 × 7 × 7" in editor.shape_label.text()
    # What it left out is one click (the arithmetic) or a hover (the sentence) away.
    assert not editor.formula_label.isVisible() and editor.formula_toggle.isVisible()
    assert "kernel" in editor.title_label.toolTip().lower() or "卷积核" in editor.title_label.toolTip()
    editor.formula_toggle.click()
    assert editor.formula_label.isVisible() and editor.formula_label.full_text().endswith("7")


def test_every_tab_title_is_whole_at_1280x800(window) -> None:
    tabs = window.views.tabBar()
    shown = [index for index in range(tabs.count()) if tabs.isTabVisible(index)]
    assert len(shown) == 4                              # a Conv2d design: the generator's are hidden
    needed = sum(tabs.tabSizeHint(index).width() for index in shown)
    assert needed <= tabs.width()
    for index in shown:
        assert tabs.tabRect(index).width() >= tabs.tabSizeHint(index).width()
        assert tabs.tabRect(index).right() <= tabs.width()
        assert window.views.tabToolTip(index)           # the longer description


def test_the_quick_start_note_leaves_the_centre_titles_free(window) -> None:
    note = window.quick_start
    assert note.isVisible()
    tabs = window.views.tabBar()
    titles_bottom = tabs.mapTo(window, tabs.rect().bottomLeft()).y() + 2 * tabs.fontMetrics().height()
    assert note.geometry().top() > titles_bottom
    summary = window.summary.geometry().translated(window.centralWidget().pos())
    assert not note.geometry().intersects(summary)
    # All of its text shows: its height is the text's at its width.
    assert note.height() >= note.layout().totalHeightForWidth(note.width())


def test_the_editor_shows_the_arithmetic_when_it_has_room(qtbot, document) -> None:
    selection = Selection(document)
    editor = LayerEditorPanel(document, selection)
    qtbot.addWidget(editor)
    editor.resize(330, 900)
    editor.show()
    selection.select(layer=2)
    qtbot.waitUntil(lambda: editor.formula_label.isVisible())
    assert editor.about_label.isVisible() and editor.repr_label.isVisible()
    editor.resize(330, 380)                       # a laptop's dock: the arithmetic goes first
    qtbot.waitUntil(lambda: not editor.formula_label.isVisible())
    assert editor.scroll_area.verticalScrollBar().maximum() == 0
    editor.formula_toggle.click()                 # the user's choice wins, and it scrolls
    assert editor.formula_label.isVisible()
    editor.resize(330, 900)
    qtbot.waitUntil(lambda: editor.about_label.isVisible())
    editor.formula_toggle.click()
    assert not editor.formula_label.isVisible()



@pytest.fixture
def english_window(qtbot, tmp_path):
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda window: window.document.undo_stack.setClean())
    main.resize(1280, 800)
    main.show()
    qtbot.waitUntil(lambda: main.live.idle and main.last_frame is not None, timeout=30000)
    main.quick_start.dismiss()
    yield main
    main.document.undo_stack.setClean()
    main.close()


def _tile_screen_pixels(panel) -> float:
    """The shown tiles' longer side in screen pixels."""
    per_pixel = panel.view.viewPixelSize()[0]            # mosaic pixels per screen pixel
    return max(panel.layout_.tile_shape) / per_pixel


def test_all_kernels_are_readable_at_1280x800_and_all_one_click_away(english_window, qtbot) -> None:
    from convdesigner.ui.views.kernel_matrix import MIN_SUB_KERNEL_PIXELS
    window = english_window
    window.selection.select(layer=2, out_channel=5)
    window.views.setCurrentWidget(window.kernel_matrix)
    matrix = window.kernel_matrix
    qtbot.waitUntil(lambda: matrix.isVisible() and matrix.shows_part())
    qtbot.waitUntil(lambda: _tile_screen_pixels(matrix) >= MIN_SUB_KERNEL_PIXELS - 0.5)
    # A part around the selected kernel, named in the title; the box fits them all.
    first, last, first_sub, last_sub = matrix.visible_part()
    assert first <= 5 <= last and first_sub == 0 and last - first >= 4
    assert f"kernels {first}–{last}" in matrix.title
    assert matrix.all_box.isVisible() and not matrix.all_box.isChecked()
    # Another kernel selected elsewhere comes into view.
    window.selection.select(out_channel=100, sub_kernel=40)
    first, last, first_sub, last_sub = matrix.visible_part()
    assert first <= 100 <= last and first_sub <= 40 <= last_sub
    assert f"kernels {first}–{last}" in matrix.title
    matrix.all_box.setChecked(True)
    assert matrix.visible_part() is None and "shown:" not in matrix.title
    assert _tile_screen_pixels(matrix) < 5                  # 128 × 64 of them: tiny
    matrix.all_box.setChecked(False)
    first, last, first_sub, last_sub = matrix.visible_part()
    assert first <= 100 <= last


def test_feature_map_tiles_are_legible_at_1280x800(english_window, qtbot) -> None:
    from convdesigner.ui.views.feature_maps import MIN_MAP_PIXELS
    window = english_window
    window.selection.select(layer=2, out_channel=90)
    panel = window.feature_maps.panel
    qtbot.waitUntil(lambda: panel.layout_ is not None and panel.layout_.count == 128
                    and panel.shows_part())
    assert _tile_screen_pixels(panel) >= MIN_MAP_PIXELS - 0.5
    # As many columns as fit across: only up and down to scroll, the selected channel in view.
    (x0, x1), (y0, y1) = panel.view.viewRange()
    height, width = panel.image_item.image.shape
    assert x0 <= 0.5 and x1 >= width - 0.5 and y1 - y0 < height
    x, y, w, h = panel.layout_.tile_rect(90)
    assert y0 <= y and y + h <= y1 + 0.5
    assert "drag up and down" in panel.title
    assert any(label.text == "90" for label in panel.labels.labels)
    panel.all_box.setChecked(True)                          # all 128, however small
    qtbot.waitUntil(lambda: not panel.shows_part())
    (x0, x1), (y0, y1) = panel.view.viewRange()
    height, width = panel.image_item.image.shape
    assert y0 <= 0.5 and y1 >= height - 0.5 and x0 <= 0.5 and x1 >= width - 0.5


def test_a_4x4_sobel_on_the_opening_design_draws_torchs_feature_map(english_window, qtbot) -> None:
    import numpy as np

    from convdesigner.design.presets import sobel_x
    from tests.oracle import torch_outputs
    window = english_window
    window.selection.select(layer=0, out_channel=3, sub_kernel=0)
    editor = window.kernel_editor
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("sobel_x"))
    assert editor.apply_button.isEnabled()                  # 4×4: no longer refused
    editor.scope_combo.setCurrentIndex(editor.scope_combo.findData("sub_kernel"))
    editor.apply_button.click()
    design = window.document.design
    np.testing.assert_array_equal(design.layers[0].weight[3, 0], sobel_x(4, 4))
    qtbot.waitUntil(lambda: window.live.idle and window.last_frame is not None
                    and window.last_frame.design is design, timeout=30000)
    expected = torch_outputs(design, window.document.image)[0]
    # (float32 rounding: PyTorch may sum a batch of channels in another order than one alone)
    np.testing.assert_allclose(window.feature_maps.displayed_maps(0)[3], expected[3],
                               rtol=1e-5, atol=1e-6)
    # A vertical stroke's left edge (dark → bright) answers positive, its right edge negative.
    assert expected[3].max() > 0 > expected[3].min()


def test_hand_set_fonts_follow_the_ui_zoom(english_window) -> None:
    window = english_window
    window.selection.select(layer=2)
    editor, kernels = window.layer_editor, window.kernel_editor
    title = editor.title_label.font().pointSizeF()

    name = next(label for label in editor.findChildren(type(editor.title_label))
                if label.text() == "in_channels")
    mono = name.font().pointSizeF()
    grid = kernels.table.font().pointSizeF()
    window.zoom.set_factor(1.5)
    assert editor.title_label.font().pointSizeF() >= 1.45 * title - 0.5
    assert name.font().pointSizeF() == pytest.approx(1.5 * mono, rel=0.05)
    assert kernels.table.font().pointSizeF() >= 1.4 * grid
    # The architecture diagram and the feature maps' strip too.
    assert window.diagram._style.fonts.title.pixelSize() == round(15 * 1.5)
    assert window.feature_maps.strip.entries[0].label.opts["size"] == "12.0pt"
    window.zoom.reset()
    assert name.font().pointSizeF() == pytest.approx(mono, rel=0.05)
    assert window.diagram._style.fonts.title.pixelSize() == 15



def test_a_squeezed_feature_maps_dock_gets_its_height_back(english_window, qtbot) -> None:
    window = english_window
    maps = window.docks["maps"]
    qtbot.waitUntil(lambda: maps.height() >= 200)
    before = maps.height()
    window.resize(1280, 430)                     # as small as the window goes: the maps shrink
    qtbot.waitUntil(lambda: maps.height() < 0.8 * before)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: maps.height() >= before - 4, timeout=3000)


def test_presentation_draws_the_wiring_and_the_diagram_light_on_a_dark_desktop(english_window,
                                                                                 qtbot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from convdesigner.ui.diagram.theme import DARK as DIAGRAM_DARK
    from convdesigner.ui.diagram.theme import LIGHT as DIAGRAM_LIGHT
    app = QApplication.instance()
    saved = QPalette(app.palette())
    dark = QPalette(saved)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        dark.setColor(role, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    app.setPalette(dark)
    try:
        window = english_window
        diagram, wiring = window.diagram, window.wiring
        qtbot.waitUntil(lambda: diagram._style.theme is DIAGRAM_DARK)
        window.presentation.enter("diagram")
        qtbot.waitUntil(lambda: diagram._style.theme is DIAGRAM_LIGHT)
        window.presentation.enter("wiring")
        canvas_base = wiring.palette().color(QPalette.ColorRole.Base)
        assert canvas_base.lightness() > 200
        assert diagram._style.theme is DIAGRAM_DARK                 # back in the window: dark
        window.presentation.leave()
        assert wiring.palette().color(QPalette.ColorRole.Base).lightness() < 100
    finally:
        app.setPalette(saved)


def test_the_generator_tabs_show_with_a_conv_transpose(english_window) -> None:
    from convdesigner.design.layers import ConvTranspose2d
    window = english_window
    views = window.views
    for view in (window.transposed_view, window.checkerboard_view):
        assert not views.isTabVisible(views.indexOf(view))
    design = window.document.design
    window.document.edit_design(design.with_inserted(3, ConvTranspose2d(128, 8, 4, 2, 1)),
                                "add a ConvTranspose2d")
    for view in (window.transposed_view, window.checkerboard_view):
        assert views.isTabVisible(views.indexOf(view))
    window.document.undo_stack.undo()
    assert not views.isTabVisible(views.indexOf(window.transposed_view))
