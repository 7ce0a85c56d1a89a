"""What keeps the live views cheap while a model trains, and draws exactly what it drew before.

Each preview of the training weights is a new design drawn by every visible view about five times a
second, on the cores the training uses. These tests pin the savings down as behaviour (no clock):
the fast image colouring equals pyqtgraph's pixel for pixel, a hidden weight view draws nothing
until shown, unchanged axes are not laid out again, weights of a preview get steady levels, and a
text that changes every frame does not lay its window out again.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QStatusBar, QVBoxLayout, QWidget

from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import Selection
from convdesigner.ui.views import KernelMatrixView, SelectedKernelView
from convdesigner.ui.views.classifier import HeadView, PredictionView
from convdesigner.ui.views.colors import ColorScale, nice_ceil
from convdesigner.ui.views.tile_items import LutImageItem, TileAxis
from convdesigner.ui.widgets.steady_label import SteadyLabel
from tests.ui.test_views import FakeLive, default_design, digit, make_frame, shown


@pytest.fixture
def setup(qtbot):
    """The learner's two convolutions with a digit, a selection, a fake live updater."""
    return DesignDocument(default_design(), digit()), Selection(), FakeLive()


def _argb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    words = np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), -1)
    return words[:, :image.width()].copy()


def _mosaic_with_gaps() -> np.ndarray:
    rng = np.random.default_rng(3)
    image = rng.normal(0, 1, (64, 48)).astype(np.float32)
    image[::5, :] = np.nan
    image[:, ::5] = np.nan
    image[1, 1], image[1, 2], image[2, 1], image[2, 2] = 9.0, -9.0, 2.0, -2.0   # clipped, edges
    return image


@pytest.mark.parametrize("kind", ["diverging", "sequential"])
def test_fast_colouring_equals_pyqtgraphs_pixel_for_pixel(qtbot, kind) -> None:
    scale = ColorScale(kind, (-2.0, 2.0))
    image = _mosaic_with_gaps()
    ours, theirs = LutImageItem(axisOrder="row-major"), pg.ImageItem(axisOrder="row-major")
    for item in (ours, theirs):
        item.setLookupTable(scale.lut, update=False)
        item.setImage(image, levels=scale.levels, autoLevels=False)
        item.render()
    np.testing.assert_array_equal(_argb(ours.qimage), _argb(theirs.qimage))
    # A gap is transparent, so the backdrop behind the mosaic shows through it.
    assert _argb(ours.qimage)[0, 0] == 0


def test_an_image_that_fits_no_fast_path_is_drawn_by_pyqtgraph(qtbot) -> None:
    rgb = np.zeros((4, 4, 3), np.uint8)
    rgb[..., 0] = 255
    item = LutImageItem(axisOrder="row-major")
    item.setImage(rgb, autoLevels=False, levels=(0, 255))
    item.render()
    assert _argb(item.qimage)[2, 2] == 0xFFFF0000


def test_the_kernel_matrix_colours_only_around_what_it_shows(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, KernelMatrixView(document, selection, live))
    selection.select(layer=2)
    live.frameReady.emit(make_frame(document.design, document.image.copy()))
    assert view.shows_part()              # 128 × 64 sub-kernels at a readable size: a part
    view.grab()
    item = view.image_item
    height, width = item.image.shape
    r0, r1, c0, c1 = item._part
    assert (r1 - r0) * (c1 - c0) < 0.5 * height * width
    shown_rect = view.view.viewRect()
    assert r0 <= max(shown_rect.top(), 0) and c0 <= max(shown_rect.left(), 0)
    assert r1 >= min(shown_rect.bottom(), height) and c1 >= min(shown_rect.right(), width)
    # What is drawn there is the whole image's colouring, cut out.
    part = _argb(item.qimage)
    item.render()
    np.testing.assert_array_equal(part, _argb(item.qimage)[r0:r1, c0:c1])


def test_a_hidden_weight_view_draws_nothing_until_it_is_shown(qtbot, setup) -> None:
    document, selection, live = setup
    selection.select(layer=2)
    views = [KernelMatrixView(document, selection, live),
             SelectedKernelView(document, selection, live)]
    for view in views:
        qtbot.addWidget(view)
    counts = [view.render_count for view in views]
    design = document.design
    trained = design.with_layer(2, design.layers[2].with_parameters(
        design.layers[2].weight * 3, design.layers[2].bias_values))
    for k in range(4):     # training previews, each a new design, while the views are hidden
        live.frameReady.emit(make_frame(trained if k == 3 else design.with_layer(
            2, design.layers[2].with_parameters(design.layers[2].weight * (1 + k / 10),
                                                design.layers[2].bias_values)),
            document.image.copy(), request_id=k))
    assert [view.render_count for view in views] == counts
    # Asked what they show, they draw the newest design first.
    np.testing.assert_array_equal(views[0].displayed_weights(), design.layers[2].weight * 3)
    np.testing.assert_array_equal(views[1].displayed_kernel(), design.layers[2].weight[0] * 3)
    assert [view.render_count for view in views] == [c + 1 for c in counts]
    # Shown, a view draws what it owes, once.
    hidden = KernelMatrixView(document, selection, live)
    qtbot.addWidget(hidden)
    before = hidden.render_count
    live.frameReady.emit(make_frame(trained, document.image.copy(), request_id=9))
    assert hidden.render_count == before
    shown(qtbot, hidden)
    assert hidden.render_count == before + 1
    assert hidden.displayed_weights() is trained.layers[2].weight


def test_the_head_view_draws_only_when_shown(qtbot) -> None:
    from convdesigner.compute.weights import materialize
    from convdesigner.design.layers import Design, Flatten, InputSpec, Linear
    design = materialize(Design(InputSpec(1, 4, 4), (Flatten(), Linear(16, 10))))
    document = DesignDocument(design, digit(size=4))
    live = FakeLive()
    view = HeadView(document, Selection(), live)
    qtbot.addWidget(view)
    count = view.render_count
    live.frameReady.emit(make_frame(design.with_layer(1, design.layers[1].with_parameter_values(
        {"weight": design.layers[1].weight * 2, "bias": design.layers[1].bias_values})),
        document.image.copy()))
    assert view.render_count == count
    np.testing.assert_array_equal(view.displayed_weights().reshape(10, 16),
                                  design.layers[1].weight * 2)


def test_weights_being_trained_get_round_steady_levels(qtbot, setup) -> None:
    document, selection, live = setup
    view = shown(qtbot, KernelMatrixView(document, selection, live))
    selection.select(layer=2)
    design = document.design
    top = float(np.abs(design.layers[2].weight).max())
    live.frameReady.emit(make_frame(design, document.image.copy()))
    assert view.scale.levels == pytest.approx((-top, top))      # the document's own: exact
    levels = []
    for k in range(1, 4):    # previews: each weight a little larger, not the document's design
        preview = design.with_layer(2, design.layers[2].with_parameters(
            design.layers[2].weight * (1 + k / 100), design.layers[2].bias_values))
        live.frameReady.emit(make_frame(preview, document.image.copy(), request_id=k))
        levels.append(view.scale.levels)
        assert view.bar_levels() == [pytest.approx(view.scale.levels)]
    assert levels[0] == pytest.approx((-nice_ceil(top * 1.01), nice_ceil(top * 1.01)))
    assert levels[1] == levels[0] and levels[2] == levels[0]     # round: they hold still
    assert levels[2][1] >= top * 1.03                            # and cover every weight


def test_setting_the_same_tiles_keeps_the_axis_layout(qtbot) -> None:
    axis = TileAxis("bottom")
    axis.set_tiles(5, 4, 64)
    axis.picture = "laid out"    # stands for pyqtgraph's cached drawing
    axis.set_tiles(5, 4, 64)
    assert axis.picture == "laid out"
    axis.set_tiles(5, 4, 65)
    assert axis.picture is None


class _LayoutRequests(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_a_steady_label_changes_its_text_without_a_new_layout(qtbot) -> None:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    label = SteadyLabel("compute 8888.8 ms · render 8888.8 ms · cuda:0")
    bar.addPermanentWidget(label)
    bar.show()
    qtbot.waitExposed(bar)
    assert label.minimumSize() == label.maximumSize()
    assert label.width() >= label.fontMetrics().horizontalAdvance(
        "compute 8888.8 ms · render 8888.8 ms · cuda:0")
    QApplication.processEvents()
    requests = _LayoutRequests()
    bar.installEventFilter(requests)
    for k in range(20):
        label.setText(f"compute {k}.0 ms · render 1.{k} ms · cpu")
        QApplication.processEvents()     # the posted events, a layout request among them
    assert requests.count == 0
    # A larger font (the UI zoom): it fits its widest text again.
    before = label.width()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.width() > before


def test_the_prediction_answer_changes_without_laying_its_dock_out(qtbot) -> None:
    from convdesigner.compute.weights import materialize
    from convdesigner.design.layers import Design, Flatten, InputSpec, Linear
    design = materialize(Design(InputSpec(1, 4, 4), (Flatten(), Linear(16, 10))))
    live = FakeLive()
    holder = QWidget()
    QVBoxLayout(holder).addWidget(view := PredictionView(live))
    shown(qtbot, holder, (300, 300))
    live.frameReady.emit(make_frame(design, digit(size=4)))
    assert view.answer.isVisible() and not view.title.isVisible()
    assert view.answer.text().startswith("It thinks: ")
    QApplication.processEvents()        # the layout that showing the answer asked for
    requests = _LayoutRequests()
    holder.installEventFilter(requests)
    view.installEventFilter(requests)
    for k in range(5):
        live.frameReady.emit(make_frame(design, digit(size=4) * (k + 1) / 5, request_id=k + 2))
        QApplication.processEvents()
    assert requests.count == 0
    # A design without 10 outputs: the message, word-wrapped, in place of the answer.
    other = materialize(Design(InputSpec(1, 4, 4), (Flatten(), Linear(16, 3))))
    live.frameReady.emit(make_frame(other, digit(size=4)))
    assert view.title.isVisible() and not view.answer.isVisible()
    assert "not 10 values" in view.title.text()
