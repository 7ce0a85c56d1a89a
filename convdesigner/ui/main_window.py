"""The main window: the layer stack and editor, the input canvas, and the live views around them.

It wires things together and owns nothing but the wiring: the document is the source of truth,
the :class:`LiveUpdater` computes off the GUI thread, and each view renders the frames it is sent.

Threading: GUI thread only.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from convdesigner.design import Analysis, Conv2d, Design, analyze, describe_parameters_text
from convdesigner.design.budget import estimate_seconds, format_duration
from convdesigner.design.examples import learner_design
from convdesigner.design.layers import ConvTranspose2d, Linear
from convdesigner.ui.file_commands import FileCommands
from convdesigner.ui.gc_on_gui_thread import collect_on_gui_thread, freeze_after_start_up
from convdesigner.ui.i18n import build_language_menu, render, translate
from convdesigner.ui.panels.canvas import InputPanel
from convdesigner.ui.panels.layer_editor import LayerEditorPanel
from convdesigner.ui.panels.layer_stack import LayerStackPanel
from convdesigner.ui.state.autosave import Autosaver, Recovered
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.highlight import Highlight
from convdesigner.ui.state.live import Frame, LiveUpdater
from convdesigner.ui.state.selection import Selection
from convdesigner.ui.state.settings import AppSettings
from convdesigner.ui.state.training import TrainingSession
from convdesigner.ui.widgets.dock_tabs import hide_stale_tab_bars
from convdesigner.ui.widgets.steady_label import SteadyLabel
from convdesigner.ui.zoom import UiZoom


def _placeholder() -> QWidget:
    label = QLabel(QCoreApplication.translate("MainWindow", "Loading…"))
    label.setAlignment(Qt.AlignCenter)
    label.setEnabled(False)
    return label


# No dock is squeezed below this (pixels): a shrunken window cannot leave one unusably small.
MIN_DOCK_SIZE = 120
# A layout is saved only from a window at least this big: a squeeze is not carried to the next start.
MIN_SAVED_WINDOW = (1000, 600)
# The side columns' width at which they show their panels well (the first start's proportions).
PREFERRED_SIDE_WIDTH = {"layers": 300, "input": 340}
# The same for the feature maps under the centre: their height.
PREFERRED_BOTTOM_HEIGHT = {"maps": 250}

# A computation still running after this long shows the Stop button (milliseconds).
BUSY_AFTER_MS = 700


class _UndoKeysToDocument(QObject):
    """Event filter for number fields: lets the Undo / Redo actions' keys through to them."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.actions: tuple[QAction, ...] = ()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.ShortcutOverride:
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(shortcut) == QKeySequence.ExactMatch
                   for action in self.actions for shortcut in action.shortcuts()):
                return True   # not accepted by the field: the Edit menu's shortcut fires
        return False


class MainWindow(QMainWindow):
    """The designer window for one :class:`DesignDocument`."""

    frameShown = Signal(object)   # a Frame, after every view has rendered it (tests, benchmarks)
    firstPainted = Signal()       # the window is on screen (start-up measurements)
    viewsReady = Signal()         # the pyqtgraph views and the other panels exist

    def __init__(self, document: DesignDocument, settings: AppSettings,
                 device: str | None = None, parent: QWidget | None = None, *,
                 progressive: bool = False, autosave_folder: Path | None = None,
                 train_in_advance: bool = False) -> None:
        """``progressive=True`` (the app) builds the layer list, the editor and the input first,
        shows them, and builds the views (pyqtgraph) and the other panels right after the first
        paint; otherwise (tests, benchmarks) everything exists when the constructor returns.
        With ``autosave_folder`` (the app) the document is autosaved there while it has unsaved
        changes (see :mod:`convdesigner.ui.state.autosave`). With ``train_in_advance`` (the app)
        a training process is started whenever the Train panel is shown, so that Start trains
        at once (see :meth:`TrainingSession.prepare`)."""
        super().__init__(parent)
        collect_on_gui_thread()   # never free Qt objects on a worker thread (see the module)
        self.document = document
        self.settings = settings
        self.selection = Selection(document, self)
        self.highlight = Highlight(self)   # the cells the explained pixel reads
        self.live = LiveUpdater(device or settings.value("compute/device"), self)
        # Training runs on a worker of its own; its previews of the weights feed request_frame.
        self.training = TrainingSession(document, self)
        # Enabled once PyTorch is loaded here (_engine_ready): a training process importing it
        # at the same time would slow the first frame down.
        self._train_in_advance = train_in_advance
        self.training.previewChanged.connect(self.request_frame)
        self.files = FileCommands(self, document, settings)
        self.zoom = UiZoom(settings, self)
        self.autosaver: Autosaver | None = None
        if autosave_folder is not None:
            self.autosaver = Autosaver(document, autosave_folder, parent=self)
            self.autosaver.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        self.last_frame: Frame | None = None
        self.last_compute_ms = 0.0
        self.last_render_ms = 0.0
        self._render_started = 0.0

        self._undo_key_filter = _UndoKeysToDocument(self)
        self.views_ready = False
        self.worker_left_running = False
        self._expected_seconds = 0.0
        self._shown_analysis: Analysis | None = None
        self._painted = False
        self.installEventFilter(self)

        # Slots run in connection order: this one starts the render clock, the views render,
        # and _frame_rendered (connected in _build_views, after them) stops it.
        self.live.frameReady.connect(self._frame_arrived)
        self.input_panel = InputPanel(document, self.highlight)
        # The brush size the user last chose (the slider's value: tenths of an input pixel).
        self.input_panel.size_slider.setValue(settings.value("input/brush_size"))
        self.input_panel.size_slider.valueChanged.connect(
            lambda value: settings.set_value("input/brush_size", value))
        self.layer_stack = LayerStackPanel(document, self.selection)
        self.layer_editor = LayerEditorPanel(document, self.selection)
        self.live.failed.connect(self._computation_failed)
        self.live.deviceNote.connect(lambda note: self.statusBar().showMessage(note, 10000))
        self.live.engineReady.connect(self._engine_ready)

        self._build_layout()
        self._build_status_bar()
        self._build_menus()
        self.setAcceptDrops(True)

        document.designChanged.connect(self._design_changed)
        document.imageChanged.connect(self.request_frame)
        document.fileChanged.connect(self._update_title)
        self.selection.changed.connect(self._selection_changed)
        self._update_title()
        if self.live.devices is not None:   # torch was loaded before we connected (a test, say)
            self._engine_ready(self.live.devices)
        if progressive:
            self.firstPainted.connect(self._build_views, Qt.QueuedConnection)
        else:
            self._build_views()
        self._restore_geometry()
        self.select_initial_layer()
        self._design_changed()

    def eventFilter(self, watched, event) -> bool:
        # Installed on the window itself until its first paint, then removed: an event() override
        # would route every later event of the window through Python.
        if watched is self and event.type() == QEvent.Paint and not self._painted:
            self._painted = True
            self.removeEventFilter(self)
            # Queued: runs once this paint, children included, has finished.
            QTimer.singleShot(0, self.firstPainted.emit)
        return False

    def _build_views(self) -> None:
        """Create the views and the panels that are not needed for the first paint, and put them
        in their tabs and docks. Imports pyqtgraph (about 0.3 s), hence not before the window shows."""
        if self.views_ready:
            return
        from convdesigner.ui.diagram.view import ArchitectureDiagram
        from convdesigner.ui.diagram.wiring import WiringView
        from convdesigner.ui.panels.digits import DigitBrowser
        from convdesigner.ui.panels.explain import ExplainPanel
        from convdesigner.ui.panels.input_grid import InputGridEditor
        from convdesigner.ui.panels.kernel_editor import KernelEditor
        from convdesigner.ui.panels.lessons import LessonPanel
        from convdesigner.ui.panels.train import TrainPanel
        from convdesigner.ui.views.classifier import HeadView, PredictionView
        from convdesigner.ui.views.feature_maps import FeatureMapsView
        from convdesigner.ui.views.kernel_matrix import KernelMatrixView
        from convdesigner.ui.views.selected_kernel import SelectedKernelView
        from convdesigner.ui.views.sum_view import SumView

        document, selection, live = self.document, self.selection, self.live
        self.sum_view = SumView(document, selection, live)
        self.selected_kernel = SelectedKernelView(document, selection, live)
        self.kernel_matrix = KernelMatrixView(document, selection, live)
        self.wiring = WiringView(document, selection)
        self.feature_maps = FeatureMapsView(document, selection, live, self.highlight)
        self.explain_panel = ExplainPanel(document, selection, live, self.highlight)
        self.kernel_editor = KernelEditor(document, selection)
        self.input_grid = InputGridEditor(document)
        self.lesson_panel = LessonPanel()
        self.diagram = ArchitectureDiagram(document, selection)
        self.digit_browser = DigitBrowser(document, settings=self.settings)
        self.train_panel = TrainPanel(document, self.training, self.live.devices,
                                      settings=self.settings)
        self.prediction = PredictionView(live)
        self.head_view = HeadView(document, selection, live)
        self.views.addTab(self.head_view, self.tr("What the classifier looks for"))
        self.views.setTabToolTip(self.views.count() - 1, self.tr(
            "The Linear head's weights per digit, reshaped to the maps it reads"))
        self.live.frameReady.connect(self._frame_rendered)

        current = self.views.currentIndex()
        for index, view in enumerate((self.sum_view, self.selected_kernel, self.kernel_matrix, self.wiring)):
            title, tip = self.views.tabText(index), self.views.tabToolTip(index)
            placeholder = self.views.widget(index)
            self.views.removeTab(index)
            self.views.insertTab(index, view, title)
            self.views.setTabToolTip(index, tip)
            placeholder.deleteLater()
        self.views.setCurrentIndex(current)
        self._add_generator_views()
        self._generator_tabs()
        self.document.designChanged.connect(self._generator_tabs)
        self.views.currentChanged.connect(self._tab_changed)
        for key, widget in (("maps", self.feature_maps), ("explain", self.explain_panel),
                            ("kernel_editor", self.kernel_editor), ("grid", self.input_grid),
                            ("lesson", self.lesson_panel), ("diagram", self.diagram),
                            ("digits", self.digit_browser), ("train", self.train_panel),
                            ("prediction", self.prediction)):
            self._set_dock_widget(key, widget, scroll=key in ("kernel_editor", "digits", "train"))

        self.highlight.changed.connect(self._show_explain_panel)
        from convdesigner.ui.slide_figure import ClickedView
        self.clicked_view = ClickedView(self)   # File ▸ Export Figure exports the one clicked last
        for view in (self.sum_view, self.selected_kernel, self.kernel_matrix, self.wiring,
                     self.feature_maps, self.explain_panel, self.diagram, self.input_panel):
            self.clicked_view.watch(view)
        from convdesigner.ui.panels.lessons import opening_lesson
        lesson = opening_lesson(document.design) if document.path is None else None
        if lesson is not None:   # the opening design is the learner's lesson: say so, show its text
            self.lesson_panel.show_lesson(lesson)
            self.docks["lesson"].raise_()
        from convdesigner.ui.quick_start import QuickStartOverlay
        self.quick_start = QuickStartOverlay(self, self.docks["input"])
        self.quick_start.dismissed.connect(lambda: self.settings.set_value("ui/quick_start_seen", True))
        if not self.settings.value("ui/quick_start_seen"):
            QTimer.singleShot(0, self.quick_start.show_over)
        # A learner who starts training is past the first steps; and the note, drawn over the
        # centre, would be drawn again with every refresh of the view under it (measured: about
        # 4 % of the training's pace on a 2-core machine). Help ▸ Quick Start shows it again.
        self.training.started.connect(self._close_quick_start)
        self.views_ready = True
        self.viewsReady.emit()
        self.request_frame()  # a frame computed before the views existed was not shown

    def _add_generator_views(self) -> None:
        """The tabs of the generator's layers: how a ConvTranspose2d output channel is made, and
        where its stamps overlap (the checkerboard)."""
        from convdesigner.ui.views.checkerboard import CheckerboardView
        from convdesigner.ui.views.transposed import TransposedView

        self.transposed_view = TransposedView(self.document, self.selection, self.live)
        self.views.addTab(self.transposed_view, self.tr("How a transposed convolution is made"))
        self.views.setTabToolTip(self.views.indexOf(self.transposed_view), self.tr(
            "Each input pixel stamps its sub-kernel onto the output (scatter), or the same as a "
            "convolution of a zero-stretched input with the flipped kernel (gather)"))
        self.checkerboard_view = CheckerboardView(self.document, self.selection)
        self.views.addTab(self.checkerboard_view, self.tr("Checkerboard"))
        self.views.setTabToolTip(self.views.indexOf(self.checkerboard_view), self.tr(
            "How many stamps of a ConvTranspose2d land on each output pixel: even, or a checkerboard"))

    def _generator_tabs(self) -> None:
        """The generator's two tabs show while the design has a ConvTranspose2d, and the
        classifier's while it has a Linear, so that a Conv2d design's four tabs fit a 1280×800
        window with their titles whole."""
        layers = self.document.design.layers
        generator = any(isinstance(layer, ConvTranspose2d) for layer in layers)
        classifier = any(isinstance(layer, Linear) for layer in layers)
        for view, shown in ((self.transposed_view, generator), (self.checkerboard_view, generator),
                            (self.head_view, classifier)):
            index = self.views.indexOf(view)
            if index >= 0:
                self.views.setTabVisible(index, shown)

    def _follow_layer_kind(self) -> None:
        """Selecting a ConvTranspose2d while the Conv2d sum view is in front brings its own view
        forward, and back for a Conv2d."""
        if not self.views_ready:
            return
        design, index = self.document.design, self.selection.layer
        layer = design.layers[index] if 0 <= index < len(design.layers) else None
        current = self.views.currentWidget()
        if isinstance(layer, ConvTranspose2d) and current is self.sum_view:
            self.views.setCurrentWidget(self.transposed_view)
        elif isinstance(layer, Conv2d) and current in (self.transposed_view, self.checkerboard_view):
            self.views.setCurrentWidget(self.sum_view)

    # -- layout ---------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.setDockNestingEnabled(True)
        # The side columns run the full height; the feature maps sit under the centre only, so
        # the input canvas and the pixel explanation keep room for their numbers.
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("QLabel#summary { font-size: 15px; font-weight: 600; padding: 4px 8px; }")
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        # Placeholders until _build_views puts the real views in.
        # Short titles: the four tabs fit the centre of a 1280×800 window; the tooltips say more.
        for title in (self.tr("How a map is made"), self.tr("Selected kernel"),
                      self.tr("All kernels"), self.tr("Channel wiring")):
            self.views.addTab(_placeholder(), title)
        self.views.setTabToolTip(1, self.tr("The selected kernel: one sub-kernel per input channel it "
                                            "reads, drawn large, and its bias"))
        self.views.setTabToolTip(3, self.tr("Who connects to whom: which input channels each "
                                            "output channel reads; groups splits them into blocks"))
        self.views.setTabToolTip(0, self.tr("How a feature map is made: each input map ⊛ its own "
                                            "sub-kernel gives a partial map; their sum plus the bias "
                                            "is the output feature map"))
        self.views.setTabToolTip(2, self.tr("All kernels of the layer: every kernel (row) and its "
                                            "sub-kernels (one per input channel, across)"))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.summary)
        column.addWidget(self.views, 1)
        self.setCentralWidget(central)

        self.docks: dict[str, QDockWidget] = {}
        stack = self._dock("layers", self.tr("Layers"), self.layer_stack, Qt.LeftDockWidgetArea)
        editor = self._dock("editor", self.tr("Layer settings"), self.layer_editor, Qt.LeftDockWidgetArea)
        self.splitDockWidget(stack, editor, Qt.Vertical)
        inputs = self._dock("input", self.tr("Input"), self.input_panel, Qt.RightDockWidgetArea)
        explain = self._dock("explain", self.tr("Explain a pixel"), _placeholder(), Qt.RightDockWidgetArea)
        self.splitDockWidget(inputs, explain, Qt.Vertical)
        edit = self._dock("kernel_editor", self.tr("Edit kernel"), _placeholder(), Qt.RightDockWidgetArea)
        self.tabifyDockWidget(explain, edit)
        explain.raise_()
        grid = self._dock("grid", self.tr("Input values"), _placeholder(), Qt.RightDockWidgetArea)
        self.tabifyDockWidget(inputs, grid)
        lesson = self._dock("lesson", self.tr("Lesson"), _placeholder(), Qt.LeftDockWidgetArea)
        self.tabifyDockWidget(editor, lesson)
        digits = self._dock("digits", self.tr("MNIST digits"), _placeholder(), Qt.RightDockWidgetArea)
        self.tabifyDockWidget(inputs, digits)
        inputs.raise_()
        maps = self._dock("maps", self.tr("Feature maps"), _placeholder(), Qt.BottomDockWidgetArea)
        diagram = self._dock("diagram", self.tr("Architecture"), _placeholder(), Qt.BottomDockWidgetArea)
        self.tabifyDockWidget(maps, diagram)
        maps.raise_()
        train = self._dock("train", self.tr("Train"), _placeholder(), Qt.LeftDockWidgetArea)
        self.tabifyDockWidget(editor, train)
        prediction = self._dock("prediction", self.tr("Prediction"), _placeholder(),
                                Qt.RightDockWidgetArea)
        self.tabifyDockWidget(explain, prediction)
        explain.raise_()
        self.history = QUndoView(self.document.undo_stack)
        for dock in (stack, editor, inputs, explain, edit, grid, lesson, digits, maps, diagram):
            dock.setMinimumSize(MIN_DOCK_SIZE, MIN_DOCK_SIZE)
        self.history.setEmptyLabel(self.tr("<opened>"))
        history = self._dock("history", self.tr("History"), self.history, Qt.LeftDockWidgetArea)
        self.tabifyDockWidget(editor, history)
        editor.raise_()
        self._default_dock_sizes()
        self._first_start_state = self.saveState()   # what View ▸ Reset Layout goes back to

    def _default_dock_sizes(self) -> None:
        """The first-start proportions (a saved layout replaces them)."""
        docks = self.docks
        # The right column holds the pixel explanation and its animation: it gets the room.
        self.resizeDocks([docks["layers"], docks["input"]], [330, 360], Qt.Horizontal)
        self.resizeDocks([docks["layers"], docks["editor"]], [300, 360], Qt.Vertical)
        self.resizeDocks([docks["maps"]], [250], Qt.Vertical)
        self.resizeDocks([docks["input"], docks["explain"]], [330, 390], Qt.Vertical)

    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{key}")   # saveState needs stable names
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _set_dock_widget(self, key: str, widget: QWidget, scroll: bool) -> None:
        if scroll:
            # Tall panels scroll rather than force the window taller than a 1280×800 screen.
            area_widget = QScrollArea()
            area_widget.setWidget(widget)
            area_widget.setWidgetResizable(True)
            area_widget.setFrameShape(QScrollArea.NoFrame)
            widget = area_widget
        old = self.docks[key].widget()
        self.docks[key].setWidget(widget)
        if old is not None:
            old.deleteLater()

    def _build_status_bar(self) -> None:
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #b00020;")
        # A fixed size: a label that asks for a new layout on every frame would make the window
        # lay itself out again (measured: 3 ms of a 7 ms stroke) and the status bar repaint.
        self.timing_label = SteadyLabel(
            self.tr("compute {compute:.1f} ms · render {render:.1f} ms · {device}").format(
                compute=8888.8, render=8888.8, device="cuda:0"))
        self.timing_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.timing_label.setToolTip(self.tr("Time of the last update: computing all layers (worker "
                                             "thread) and drawing every view"))
        self.device_box = QComboBox()
        self.device_box.setToolTip(self.tr("Where PyTorch computes: the CPU or a GPU"))
        # Filled in by _engine_ready once the worker has imported torch and found the devices.
        self.device_box.addItem(self.tr("Loading PyTorch…"), self.live.device)
        self.device_box.setEnabled(False)
        self.device_box.currentIndexChanged.connect(self._device_chosen)
        # A computation still running after a moment can be stopped (Esc while it shows).
        self.stop_button = QToolButton()
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop this computation; the views keep what they show"))
        self.stop_button.setShortcut(QKeySequence(Qt.Key_Escape))
        self.stop_button.clicked.connect(self.stop_computation)
        self.stop_button.hide()
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        bar = self.statusBar()
        bar.addWidget(self.problem_label, 1)
        bar.addPermanentWidget(self.stop_button)
        bar.addPermanentWidget(self.timing_label)
        bar.addPermanentWidget(QLabel(self.tr("Device:")))
        bar.addPermanentWidget(self.device_box)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("&New"), self.new_design, QKeySequence.New,
                     self.tr("Start again from the learner's design"))
        from convdesigner.ui.panels.lessons import build_lessons_menu
        build_lessons_menu(file_menu.addMenu(self.tr("New from E&xample")), self.open_lesson)
        self._action(file_menu, self.tr("&Open…"), self.open_design, QKeySequence.Open,
                     self.tr("Open a design file (.json)"))
        self._action(file_menu, self.tr("&Save"), self.save, QKeySequence.Save,
                     self.tr("Save the design and its input"))
        self._action(file_menu, self.tr("Save &As…"), self.files.save_as, QKeySequence.SaveAs,
                     self.tr("Save the design and its input under a new name"))
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Open &Input…"), self.open_input, QKeySequence("Ctrl+I"),
                     self.tr("Load an image, a .npy array or an MNIST IDX file as the input"))
        self._action(file_menu, self.tr("&Export PyTorch Code…"), self.files.export_code,
                     QKeySequence("Ctrl+E"), self.tr("Preview, copy or save the design as runnable "
                                                      "PyTorch code, with its weights"))
        self._action(file_menu, self.tr("Export &Figure…"), self.files.export_current_figure,
                     QKeySequence("Ctrl+Shift+E"),
                     self.tr("Save the view you clicked last as a slide-ready PNG (3×) or SVG: "
                             "light background, labels and colour bars, no buttons"))
        self._action(file_menu, self.tr("Import &Weights…"), self.files.import_weights,
                     QKeySequence("Ctrl+Shift+I"),
                     self.tr("Load trained weights from a PyTorch state_dict (.pt); files that "
                             "would run code are refused"))
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.Quit, self.tr("Quit"))

        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        undo = self.document.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.Undo)
        redo = self.document.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo_keys = [*QKeySequence.keyBindings(QKeySequence.Redo), QKeySequence("Ctrl+Shift+Z"),
                     QKeySequence("Ctrl+Y")]
        redo.setShortcuts(list(dict.fromkeys(redo_keys)))   # every platform's habit, once each
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self._undo_key_filter.actions = (undo, redo)
        QApplication.instance().focusChanged.connect(self._route_undo_keys)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        from convdesigner.ui.presentation import Presentation
        self.presentation = Presentation(self, self.zoom, self.settings)
        self.presentation_action = self._action(
            view_menu, self.tr("&Presentation"), self.presentation.toggle, QKeySequence(Qt.Key_F5),
            self.tr("Show one view full screen, large enough for a projector (Esc leaves)"))
        view_menu.addSeparator()
        zoom_in = self._action(view_menu, self.tr("Zoom &In"), self.zoom.zoom_in, None,
                               self.tr("Larger text and labels everywhere"))
        zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++"),
                              QKeySequence.ZoomIn])
        zoom_out = self._action(view_menu, self.tr("Zoom &Out"), self.zoom.zoom_out, None,
                                self.tr("Smaller text and labels everywhere"))
        zoom_out.setShortcuts([QKeySequence("Ctrl+-"), QKeySequence.ZoomOut])
        self._action(view_menu, self.tr("&Actual Size"), self.zoom.reset, QKeySequence("Ctrl+0"),
                     self.tr("Text and labels at the system's size"))
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        self._action(view_menu, self.tr("&Reset Layout"), self.reset_layout, None,
                     self.tr("Put every panel back where it was at the first start"))
        view_menu.addSeparator()
        self.language_menu = view_menu.addMenu(self.tr("&Language"))
        build_language_menu(self.language_menu, self.settings, self)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("&Quick Start"), self.show_quick_start, QKeySequence.HelpContents,
                     self.tr("What to do first, and where to look"))
        self._action(help_menu, self.tr("&About ConvDesigner"), self._about, None, "")

    def _action(self, menu, text: str, slot, shortcut, tip: str) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _route_undo_keys(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Ctrl+Z works from anywhere: a number field's line edit would take the undo keys for
        its own text history (of a value already applied), so, while it has the focus, they go
        to the document's undo stack instead. Only focus changes pass through Python here."""
        field = new.parent() if isinstance(new, QLineEdit) else new
        if (isinstance(field, QAbstractSpinBox) and self.isAncestorOf(field)
                and not field.property("convdesigner_undo_keys")):
            # On both: the spin box hands ShortcutOverride to its line edit directly, and
            # events sent to the line edit itself never pass the spin box.
            field.setProperty("convdesigner_undo_keys", True)
            field.installEventFilter(self._undo_key_filter)
            field.findChild(QLineEdit).installEventFilter(self._undo_key_filter)

    # -- live updates ---------------------------------------------------------------------------
    def request_frame(self) -> None:
        """Ask the worker for a frame of the current design (or the last valid one) and input."""
        # While training (or scrubbing its snapshots) the views show the weights of that moment.
        design = self.training.preview_for(self.document.last_valid_design)
        if design is None:   # nothing of this document can be computed: say why, show nothing old
            self._show_not_computed(self._problem_text() or "")
            return
        if design.input.shape != self.document.image.shape:
            return
        cost = estimate_seconds(self._analysis_of(design), self.live.device)
        if cost.too_slow:
            self._show_not_computed(render(cost.text))
            return
        if any(layer.has_parameters and not layer.has_explicit_parameters for layer in design.layers):
            return  # parameters come with torch (_engine_ready), and the views show them
        # The partial maps are computed only while the sum view can show them.
        wants_partials = self.views_ready and self.sum_view.isVisible()
        focus = self.selection.conv_focus(design) if wants_partials else None
        # While a model trains, frames are float32 (see LiveUpdater.request).
        self.live.request(design, self.document.image, focus, fast=self.training.busy)
        self._expected_seconds = cost.seconds
        if not self._busy_timer.isActive() and not self.stop_button.isVisible():
            self._busy_timer.start()

    def _analysis_of(self, design: Design) -> Analysis:
        """The analysis of the design the views show: the document's own, or, while the current
        design is invalid, the last valid one's, analysed once rather than on every stroke."""
        if design is self.document.design:
            return self.document.analysis
        if self._shown_analysis is None or self._shown_analysis.design is not design:
            self._shown_analysis = analyze(design)
        return self._shown_analysis

    def _show_busy(self) -> None:
        if self.live.idle:
            return
        self.stop_button.show()
        self.statusBar().showMessage(self.tr("Computing… (about {duration}; Stop or Esc cancels)")
                                     .format(duration=render(format_duration(self._expected_seconds))))

    def _done_busy(self) -> None:
        self._busy_timer.stop()
        if self.stop_button.isVisible():
            self.stop_button.hide()
            self.statusBar().clearMessage()

    def stop_computation(self) -> None:
        """The Stop button: cancel the running computation; the views keep the last frame."""
        self.live.cancel()
        self._done_busy()
        self.statusBar().showMessage(self.tr("Stopped: the views show the last finished update"),
                                     10000)

    def _show_not_computed(self, reason: str) -> None:
        """No frame of this document can be shown: every view says so instead of showing maps."""
        self.live.cancel()
        self._done_busy()
        if not self.views_ready:
            return
        text = self.tr("Not computed: {reason}").format(reason=reason) if reason else ""
        self.feature_maps.show_not_computed(text)
        self.sum_view.show_not_computed(text)
        self.transposed_view.show_not_computed(text)
        self.explain_panel.set_frame(None)
        self.last_frame = None

    def _problem_text(self) -> str | None:
        """The first reason the current design is not shown (invalid, or too big here)."""
        problem = self.document.analysis.first_problem_text()
        if problem is None and self.document.resource_problem is not None:
            problem = self.document.resource_problem.text
        return render(problem) if problem is not None else None

    def _frame_arrived(self, frame: Frame) -> None:
        self._render_started = time.perf_counter()

    def _frame_rendered(self, frame: Frame) -> None:
        if self.live.idle:
            self._done_busy()
        if self.last_frame is None:
            freeze_after_start_up()   # later collections skip what start-up made
        self.last_frame = frame
        self.last_compute_ms = frame.compute_seconds * 1000
        self.last_render_ms = (time.perf_counter() - self._render_started) * 1000
        self.timing_label.setText(self.tr("compute {compute:.1f} ms · render {render:.1f} ms · {device}")
                                  .format(compute=self.last_compute_ms, render=self.last_render_ms,
                                          device=frame.device))
        self.frameShown.emit(frame)

    def _show_explain_panel(self) -> None:
        if self.selection.pixel is not None:
            self.docks["explain"].raise_()

    def select_initial_layer(self) -> None:
        """Open on the last Conv2d: in the learner's design, the layer the question is about."""
        design = self.document.design
        convs = design.conv_indices()
        self.selection.select(layer=convs[-1] if convs else (0 if design.layers else -1),
                              out_channel=0, sub_kernel=0)

    def _computation_failed(self, message: str) -> None:
        self._done_busy()
        self.problem_label.setText(message)
        self._show_not_computed(message)

    def wait_for_frame(self, timeout_ms: int = 60000) -> Frame | None:
        """Run the event loop until the newest request has been shown (for --screenshot/--self-test)."""
        if self.live.idle and self.last_frame is not None:
            return self.last_frame
        loop = QEventLoop()

        def quit_when_settled(*_args: object) -> None:
            if self.live.idle and self.last_frame is not None:
                loop.quit()

        # Idle can come after the frame: an explanation (the Σ view's) asked for with it arrives
        # on its own signal; without listening to it this waited for the whole timeout.
        signals = (self.frameShown, self.live.explained, self.live.failed)
        for signal in signals:
            signal.connect(quit_when_settled)
        self.live.failed.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        try:
            loop.exec()
        finally:
            for signal in signals:
                signal.disconnect(quit_when_settled)
            self.live.failed.disconnect(loop.quit)
        return self.last_frame if self.live.idle else None

    def _design_changed(self) -> None:
        problem = self._problem_text()
        self.problem_label.setText(self.tr("Not applied: {problem} (the views show the last valid "
                                           "design)").format(problem=problem) if problem else "")
        self._update_summary()
        self.request_frame()

    def _tab_changed(self, _index: int) -> None:
        if self.views.currentWidget() is self.sum_view:
            self.request_frame()   # the sum view needs the partial maps of the selected channel

    def _selection_changed(self) -> None:
        self._update_summary()
        self._follow_layer_kind()
        self.request_frame()

    def _update_summary(self) -> None:
        analysis = self.document.analysis
        index = self.selection.layer
        if 0 <= index < len(analysis.layers) and analysis.layers[index] is not None:
            text = render(describe_parameters_text(analysis.layers[index]))
        else:
            spec = self.document.design.input
            parameters = (f"{analysis.total_parameters:,}" if analysis.totals_defined else "—")
            text = self.tr("Input: {c} channel(s) of {h}×{w} pixels · {n} layers · {p} parameters").format(
                c=spec.channels, h=spec.height, w=spec.width, n=len(self.document.design.layers),
                p=parameters)
        self.summary.setText(text)

    def _engine_ready(self, devices: list[str]) -> None:
        """PyTorch is loaded: list the devices, give the design its parameters, compute."""
        names = {"auto": self.tr("Auto"), "cpu": "CPU", "cuda": "CUDA", "mps": "MPS"}
        self.device_box.blockSignals(True)
        self.device_box.clear()
        for device in ["auto", *devices]:
            self.device_box.addItem(names.get(device, device), device)
        self.device_box.setCurrentIndex(max(self.device_box.findData(self.live.device), 0))
        self.device_box.setEnabled(True)
        self.device_box.blockSignals(False)
        self.document.complete_parameters()
        if self.views_ready:
            self.train_panel.set_devices(devices)
        self.request_frame()
        self.training.standby_enabled = self._train_in_advance
        if self.views_ready and self.train_panel.isVisible():
            self.training.prepare()

    def _device_chosen(self) -> None:
        if not self.device_box.isEnabled():
            return
        device = self.device_box.currentData()
        self.live.set_device(device)
        self.settings.set_value("compute/device", device)
        self.request_frame()

    # -- files ----------------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = self.document.path.name if self.document.path else (
            translate("lessons", self.document.design.name) if self.document.design.name
            else self.tr("Untitled"))
        self.setWindowTitle(self.tr("{name}[*] — ConvDesigner").format(name=name))
        self.setWindowModified(self.document.modified)

    # -- files: FileCommands does the work ------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask about unsaved changes. True when it is fine to go on (saved or discarded)."""
        return self.files.maybe_save()

    def new_design(self) -> None:
        if self.maybe_save():
            self.document.reset(learner_design())
            if self.views_ready:
                from convdesigner.ui.panels.lessons import opening_lesson
                self.lesson_panel.show_lesson(opening_lesson(self.document.design))
            self.select_initial_layer()

    def open_design(self, path: str | None = None) -> bool:
        return self.files.open_design(path)

    def save(self) -> bool:
        return self.files.save()

    def open_input(self, path: str | None = None) -> bool:
        return self.files.open_input(path)

    def open_lesson(self, lesson) -> None:
        from convdesigner.ui.panels.lessons import open_lesson_in
        self._build_views()
        if self.maybe_save():
            open_lesson_in(self.document, lesson)
            if lesson.training:
                self.train_panel.suggest(**lesson.training)
            self.lesson_panel.show_lesson(lesson)
            self.docks["lesson"].raise_()
            self.select_initial_layer()

    # -- drag and drop --------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not urls:
            return
        path = urls[0]
        if path.lower().endswith(".json"):
            self.open_design(path)
        else:
            self.open_input(path)
        event.acceptProposedAction()

    # -- lifetime -------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("window/state")
        self._restored_layout = not state.isEmpty() and self.restoreState(state)

    def reset_layout(self) -> None:
        """View ▸ Reset Layout: every dock where, and as large as, it was at the first start."""
        if self.presentation.active:
            self.presentation.leave()
        self.restoreState(self._first_start_state)
        for dock in self.docks.values():
            dock.setFloating(False)
        self.docks["editor"].raise_()
        self.docks["input"].raise_()
        self.docks["explain"].raise_()
        self.docks["maps"].raise_()
        self._default_dock_sizes()
        QTimer.singleShot(0, self._hide_stale_tab_bars)

    def _close_quick_start(self, *_args) -> None:
        if self.quick_start.isVisible():
            self.quick_start.dismiss()

    def show_quick_start(self) -> None:
        """Help ▸ Quick Start: the first-start note again."""
        self._build_views()
        self.quick_start.show_over()

    def layout_is_squeezed(self) -> bool:
        """True when the window or a side column is too small for its panels to be read: such a
        layout is not saved, and the next start opens with the first start's proportions."""
        if self.width() < MIN_SAVED_WINDOW[0] or self.height() < MIN_SAVED_WINDOW[1]:
            return True
        for key, preferred in PREFERRED_SIDE_WIDTH.items():
            dock = self.docks[key]
            if dock.isVisible() and not dock.isFloating() and dock.width() < 0.6 * preferred:
                return True
        return False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        old = event.oldSize()
        if old.width() > 0 and (event.size().width() > old.width()
                                or event.size().height() > old.height()):
            # QMainWindow gives every extra pixel to the centre; side columns (and the feature
            # maps under the centre) squeezed by an earlier shrink get their size back first.
            QTimer.singleShot(0, self._recover_docks)

    def _recover_docks(self) -> None:
        if self.presentation.active:
            return
        spare = self.centralWidget().width() - 420
        docks, sizes = [], []
        for key, preferred in PREFERRED_SIDE_WIDTH.items():
            dock = self.docks[key]
            missing = preferred - dock.width()
            if dock.isVisible() and not dock.isFloating() and missing > 0 and spare > 0:
                grow = min(missing, spare)
                spare -= grow
                docks.append(dock)
                sizes.append(dock.width() + grow)
        if docks:
            self.resizeDocks(docks, sizes, Qt.Horizontal)
        spare = self.centralWidget().height() - 300
        for key, preferred in PREFERRED_BOTTOM_HEIGHT.items():
            dock = self.docks[key]
            missing = preferred - dock.height()
            if dock.isVisible() and not dock.isFloating() and missing > 0 and spare > 0:
                self.resizeDocks([dock], [dock.height() + min(missing, spare)], Qt.Vertical)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._restored_layout and not getattr(self, "_sized", False):
            # Dock sizes only take once the window has its real size.
            self._sized = True
            QTimer.singleShot(0, self._default_dock_sizes)
        QTimer.singleShot(0, self._hide_stale_tab_bars)

    def _hide_stale_tab_bars(self) -> None:
        hide_stale_tab_bars(self, self.docks.values())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        if self.presentation.active:
            self.presentation.leave()
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.settings.set_value("window/state", QByteArray() if self.layout_is_squeezed()
                                else self.saveState())
        self.settings.sync()
        # The running frame stops before its next layer; one PyTorch operation longer than this
        # is left behind, and the app leaves without waiting for it (see app.main).
        self.worker_left_running = not self.live.shutdown(timeout=5.0)
        # A run still going is abandoned: the document keeps the weights it had.
        self.worker_left_running |= not self.training.shutdown(timeout=5.0)
        if self.autosaver is not None:
            self.autosaver.close()
        self.zoom.close()
        event.accept()

    def offer_recovery(self, recovered: list[Recovered]) -> bool:
        """After a crash: offer to restore what crashed sessions autosaved (FileCommands)."""
        return self.files.offer_recovery(recovered)

    def _about(self) -> None:
        from convdesigner import __version__
        QMessageBox.about(self, self.tr("About ConvDesigner"), self.tr(
            "<h3>ConvDesigner {version}</h3><p>Design stacks of <code>nn.Conv2d</code> layers and see "
            "how convolution works, live.</p><p>MNIST digits: Yann LeCun, Corinna Cortes and "
            "Christopher J.C. Burges (CC BY-SA 3.0).</p>").format(version=__version__))
