"""The Train panel: train the design on digits, watch the loss and accuracy curves, scrub back
through the weight snapshots.

A view of a :class:`~convdesigner.ui.state.training.TrainingSession` (which owns the worker,
the previews and the snapshots) and of the document (whether the design can be trained at all,
and why not). Settings: data (the bundled digits, or an MNIST IDX image file and its label file),
optimiser (Adam, SGD with momentum), learning rate, batch size, epochs, seed, device. Start,
Pause / Resume, Stop; a progress bar with the epoch, the step and the time left; two pyqtgraph
plots (loss per step and held-out loss per epoch; training and held-out accuracy per epoch); a
slider over the snapshots with "Keep these weights".

Threading: GUI thread only.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convdesigner.data.digit_sources import find_labels_file
from convdesigner.data.fit import fits_inside
from convdesigner.data.idx import read_idx_shape
from convdesigner.data.mnist import DIGIT_SHAPE
from convdesigner.data.training_data import DEFAULT_LR, TrainingData
from convdesigner.design.catalog import HEAD_CLASSES
from convdesigner.design.numbers import shape_text
from convdesigner.errors import InputFileError
from convdesigner.ui.i18n import problem_text
from convdesigner.ui.state.training import IDLE, PAUSED, RUNNING, TrainingSession
from convdesigner.ui.views.colors import nice_ceil
from convdesigner.ui.views.tile_items import cache_axis_drawing
from convdesigner.ui.widgets.number_fields import ComboBox, DoubleSpinBox, SpinBox
from convdesigner.ui.widgets.palette import error_text_color, secondary_text_color

#: How often the curves and the progress bar are redrawn while training (seconds).
PANEL_SECONDS = 0.5
#: How long the panel must have been shown before a training process is started in advance.
PREPARE_AFTER_MS = 300
TRAIN_COLOR = "#4c72b0"
HELDOUT_COLOR = "#dd8452"


def _duration(seconds: float) -> str:
    seconds = max(int(round(seconds)), 0)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class TrainPanel(QWidget):
    """Train the document's design; see the module docstring.

    For tests: ``start_button``, ``pause_button``, ``stop_button``, ``progress``,
    ``reason_label``, ``head_button``, ``snapshot_slider``, ``keep_button``,
    :meth:`curve_data` and :attr:`data_source` (set it to ready training data to skip loading).
    """

    def __init__(self, document, session: TrainingSession, devices: list[str] | None = None,
                 parent: QWidget | None = None, *, settings=None) -> None:
        super().__init__(parent)
        self._document = document
        self.session = session
        # The app's AppSettings (where IDX files were last opened from), or None.
        self._settings = settings
        #: "bundled", (images, labels) paths, or TrainingData (tests).
        self.data_source: object = "bundled"
        # The image shape an IDX image file's header declares, (1, rows, columns), and why the
        # file cannot be used (its header read as it was chosen), for reason().
        self._idx_shape: tuple[int, int, int] | None = None
        self._idx_problem: str | None = None
        self._losses: list[tuple[int, float]] = []
        self._report = None
        self._drawn_at = 0.0
        self._loss_steps_shown: int | None = None   # the loss plot's x range: 0 to this step
        self._loss_top: float | None = None         # and its y range: 0 to this loss
        self._build(devices or ["cpu"])
        document.designChanged.connect(self._update)
        session.stateChanged.connect(self._update)
        session.stepped.connect(self._stepped)
        session.epochDone.connect(self._epoch_done)
        session.finished.connect(self._finished)
        session.snapshotsChanged.connect(self._snapshots_changed)
        session.started.connect(lambda _settings: self._update())
        self._update()

    # -- construction -------------------------------------------------------------------------
    def _build(self, devices: list[str]) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.setSpacing(6)

        # The settings fold away while a run goes on (they cannot change then), so that on a
        # small screen the curves below come into view; the arrow shows them again.
        self.settings_toggle = QToolButton(self)
        self.settings_toggle.setText(self.tr("Settings"))
        self.settings_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.settings_toggle.setAutoRaise(True)
        self.settings_toggle.setCheckable(True)
        self.settings_toggle.setChecked(True)
        self.settings_toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.settings_toggle.setToolTip(self.tr(
            "Show or hide the settings. They fold away when you press Start, so that the curves "
            "show."))
        self.settings_toggle.toggled.connect(self._show_settings)
        column.addWidget(self.settings_toggle)
        self.settings_summary = QLabel(self)
        self.settings_summary.setWordWrap(True)
        self.settings_summary.setStyleSheet(
            f"color: {secondary_text_color(self.palette()).name()};")
        self.settings_summary.hide()
        column.addWidget(self.settings_summary)
        settings = QGroupBox(self)
        self.settings_group = settings
        form = QFormLayout(settings)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.data_box = ComboBox(settings)
        self.data_box.addItem(self.tr("Bundled digits"), "bundled")
        self.data_box.addItem(self.tr("MNIST IDX files…"), "idx")
        self.data_box.setToolTip(self.tr(
            "The bundled digits: the first 80 % of each label's digits are trained on, the last "
            "20 % (mnist:L:i with i ≥ round(0.8·n)) never are, and accuracy is measured on them. "
            "MNIST IDX files: an image file and its label file (e.g. the 60,000 training digits), "
            "trained on whole; accuracy is still measured on the bundled held-out digits."))
        self.data_box.activated.connect(self._data_chosen)
        form.addRow(self.tr("Data"), self.data_box)
        self.optimizer_box = ComboBox(settings)
        self.optimizer_box.addItem(self.tr("Adam"), "adam")
        self.optimizer_box.addItem(self.tr("SGD with momentum 0.9"), "sgd")
        form.addRow(self.tr("Optimizer"), self.optimizer_box)
        self.lr_box = DoubleSpinBox(settings)
        self.lr_box.setDecimals(5)
        self.lr_box.setRange(0.00001, 10.0)
        self.lr_box.setSingleStep(0.0005)
        self.lr_box.setValue(DEFAULT_LR)
        self.lr_box.setToolTip(self.tr(
            "How big a step the weights take each time: too small learns slowly, too large "
            "diverges. {lr} is twice PyTorch's default for Adam: on the 8,000 bundled digits, "
            "3 epochs get further with it.").format(lr=f"{DEFAULT_LR:g}"))
        form.addRow(self.tr("Learning rate"), self.lr_box)
        self.schedule_box = ComboBox(settings)
        self.schedule_box.addItem(self.tr("Constant"), "constant")
        self.schedule_box.addItem(self.tr("Falls to 0"), "linear")
        self.schedule_box.setToolTip(self.tr(
            "Constant: the same learning rate for the whole run. Falls to 0: it starts at the "
            "learning rate above and falls in a straight line to 0 at the last step, so the "
            "weights take big steps first and then settle (learning-rate annealing)."))
        form.addRow(self.tr("Schedule"), self.schedule_box)
        self.batch_box = SpinBox(1, 4096, settings)
        self.batch_box.setValue(64)
        self.batch_box.setToolTip(self.tr("Digits per step: the loss is averaged over them."))
        form.addRow(self.tr("Batch size"), self.batch_box)
        self.epochs_box = SpinBox(1, 100, settings)
        self.epochs_box.setValue(3)
        self.epochs_box.setToolTip(self.tr("Passes over all the training digits."))
        form.addRow(self.tr("Epochs"), self.epochs_box)
        self.seed_box = SpinBox(0, 2**31 - 1, settings)
        self.seed_box.setToolTip(self.tr("Orders the digits and seeds Dropout: on the CPU the same "
                                         "seed and settings give the same weights, bit for bit."))
        form.addRow(self.tr("Seed"), self.seed_box)
        self.device_box = ComboBox(settings)
        self.set_devices(devices)
        form.addRow(self.tr("Device"), self.device_box)
        column.addWidget(settings)
        # The dock is narrow: fields take the width they are given, not their longest text.
        for box in (self.data_box, self.optimizer_box, self.device_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)
        for combo in (self.data_box, self.optimizer_box, self.schedule_box, self.device_box):
            combo.currentIndexChanged.connect(self._update_summary)
        for spin in (self.lr_box, self.batch_box, self.epochs_box, self.seed_box):
            spin.valueChanged.connect(self._update_summary)

        self.reason_label = QLabel(self)
        self.reason_label.setWordWrap(True)
        self.reason_label.setStyleSheet(f"color: {error_text_color(self.palette()).name()};")
        column.addWidget(self.reason_label)
        # Said, not hidden: on a larger input the digits are trained on with a zero border.
        self.input_note = QLabel(self)
        self.input_note.setWordWrap(True)
        self.input_note.setStyleSheet(f"color: {secondary_text_color(self.palette()).name()};")
        column.addWidget(self.input_note)
        self.head_button = QPushButton(self.tr("Add a classifier head"), self)
        self.head_button.setToolTip(self.tr(
            "Append Flatten() and Linear(C·H·W, 10) sized to the current output (one undo step)."))
        self.head_button.clicked.connect(self._add_head)
        column.addWidget(self.head_button)

        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start"), self)
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setToolTip(self.tr("Stop after this step; the weights learnt so far are "
                                            "kept (one undo step)."))
        self.stop_button.clicked.connect(self.session.stop)
        for button in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        column.addLayout(buttons)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat(self.tr("not started"))
        column.addWidget(self.progress)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(f"color: {secondary_text_color(self.palette()).name()};")
        self._reserve_status_lines()
        column.addWidget(self.status_label)

        self.loss_plot = self._plot(self.tr("loss"), self.tr("step"))
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen(TRAIN_COLOR, width=1),
                                              name=self.tr("training (each step)"))
        self.heldout_loss_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(HELDOUT_COLOR, width=2), symbol="o", symbolSize=6,
            symbolBrush=HELDOUT_COLOR, name=self.tr("held-out (each epoch)"))
        self.accuracy_plot = self._plot(self.tr("accuracy %"), self.tr("epoch"))
        self.accuracy_plot.setYRange(0, 100)
        self.accuracy_plot.getAxis("bottom").setTickSpacing(1, 1)   # whole epochs
        self.train_accuracy_curve = self.accuracy_plot.plot(
            [], [], pen=pg.mkPen(TRAIN_COLOR, width=2), symbol="o", symbolSize=6,
            symbolBrush=TRAIN_COLOR, name=self.tr("training"))
        self.heldout_accuracy_curve = self.accuracy_plot.plot(
            [], [], pen=pg.mkPen(HELDOUT_COLOR, width=2), symbol="o", symbolSize=6,
            symbolBrush=HELDOUT_COLOR, name=self.tr("held-out"))
        column.addWidget(self.loss_plot, 1)
        column.addWidget(self.accuracy_plot, 1)

        history = QGroupBox(self.tr("Weights during training"), self)
        rows = QVBoxLayout(history)
        self.snapshot_slider = QSlider(Qt.Orientation.Horizontal, history)
        self.snapshot_slider.setRange(0, 0)
        self.snapshot_slider.setToolTip(self.tr(
            "Scrub back through training: the views show the weights of that moment."))
        self.snapshot_slider.valueChanged.connect(self._scrubbed)
        self.snapshot_label = QLabel(history)
        self.snapshot_label.setWordWrap(True)
        self.keep_button = QPushButton(self.tr("Keep these weights"), history)
        self.keep_button.setToolTip(self.tr("Make the weights shown the design's (one undo step)."))
        self.keep_button.clicked.connect(self._keep)
        rows.addWidget(self.snapshot_slider)
        rows.addWidget(self.snapshot_label)
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(self.keep_button)
        rows.addLayout(line)
        column.addWidget(history)

    def _scroll_to_top(self) -> None:
        """Scroll the dock (when it scrolls) back to the panel's top: a learner who scrolled
        down to Start would otherwise, once the settings folded away, see the curves with Pause
        and Stop above the view."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.verticalScrollBar().setValue(0)

    def _reserve_status_lines(self) -> None:
        # Two lines kept for the status, whether it says one or two: at Start it goes from two
        # ("Loading the digits and building the model…") to one ("Training: loss …"), and a
        # label that changed height laid the curves below out again (pyqtgraph resizing both
        # plots) just as the first steps ran.
        self.status_label.setMinimumHeight(2 * self.status_label.fontMetrics().lineSpacing() + 2)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:    # the UI zoom: lines of another height
            self._reserve_status_lines()

    def _plot(self, left: str, bottom: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(self)
        plot.setMinimumHeight(120)
        plot.setBackground("w")
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setLabel("left", left)
        plot.setLabel("bottom", bottom)
        plot.addLegend(offset=(-10, 10))
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        cache_axis_drawing(plot.getAxis("left"), plot.getAxis("bottom"))
        return plot

    def set_devices(self, devices: list[str]) -> None:
        names = {"cpu": "CPU", "cuda": "CUDA", "mps": "MPS"}
        current = self.device_box.currentData()
        self.device_box.clear()
        for device in devices:
            self.device_box.addItem(names.get(device, device), device)
        found = self.device_box.findData(current)
        self.device_box.setCurrentIndex(found if found >= 0 else 0)

    # -- actions --------------------------------------------------------------------------------
    def settings(self):
        from convdesigner.ui.state.training import settings_from
        return settings_from(epochs=self.epochs_box.value(), batch_size=self.batch_box.value(),
                             lr=float(self.lr_box.value()), optimizer=self.optimizer_box.currentData(),
                             seed=self.seed_box.value(), device=self.device_box.currentData() or "cpu",
                             schedule=self.schedule_box.currentData())

    def suggest(self, lr: float | None = None, batch_size: int | None = None,
                epochs: int | None = None, schedule: str | None = None) -> None:
        """Fill in the settings a lesson suggests (not while a run goes on); ``schedule``: one
        of :data:`~convdesigner.compute.training.SCHEDULES`, constant when not given."""
        if self.session.busy:
            return
        self.settings_toggle.setChecked(True)       # show what the lesson filled in
        self.schedule_box.setCurrentIndex(max(self.schedule_box.findData(schedule or "constant"), 0))
        if lr is not None:
            self.lr_box.setValue(float(lr))
        if batch_size is not None:
            self.batch_box.setValue(int(batch_size))
        if epochs is not None:
            self.epochs_box.setValue(int(epochs))

    def _show_settings(self, shown: bool) -> None:
        self.settings_group.setVisible(shown)
        self.settings_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._update_summary()

    def _update_summary(self) -> None:
        """The settings in one line, shown while they are folded away."""
        folded = not self.settings_toggle.isChecked()
        self.settings_summary.setVisible(folded)
        if not folded:
            return
        lr = f"{float(self.lr_box.value()):g}" + (
            " → 0" if self.schedule_box.currentData() == "linear" else "")
        epochs = self.epochs_box.value()
        text = (self.tr("{optimizer} · lr {lr} · batch {batch} · 1 epoch · seed {seed} · {device} "
                        "· {data}") if epochs == 1 else
                self.tr("{optimizer} · lr {lr} · batch {batch} · {epochs} epochs · seed {seed} · "
                        "{device} · {data}"))
        self.settings_summary.setText(text.format(
            optimizer=self.optimizer_box.currentText(), lr=lr, batch=self.batch_box.value(),
            epochs=epochs, seed=self.seed_box.value(), device=self.device_box.currentText(),
            data=self.data_box.currentText()))

    def start(self) -> None:
        if self.session.busy or self.reason() is not None:
            return
        self.settings_toggle.setChecked(False)     # fold the settings away: the curves show
        self._scroll_to_top()
        self._losses = []
        self._report = None
        self._loss_steps_shown = None
        self._loss_top = None
        for curve in (self.loss_curve, self.heldout_loss_curve, self.train_accuracy_curve,
                      self.heldout_accuracy_curve):
            curve.setData([], [])
        self.status_label.setText(self.tr("Loading the digits and building the model…"))
        self.session.start(self.settings(), self.data_source)

    def _pause_or_resume(self) -> None:
        if self.session.state == PAUSED:
            self.session.resume()
        else:
            self.session.pause()

    def _add_head(self) -> None:
        self._document.add_classifier_head()

    def _data_chosen(self, _index: int) -> None:
        self._choose_data()
        self._update()

    def _choose_data(self) -> None:
        if self.data_box.currentData() == "bundled":
            self.data_source = "bundled"
            return
        folder = self._settings.value("files/data_folder") if self._settings is not None else ""
        images, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open MNIST IDX images"), folder,
            self.tr("IDX image files (*idx3* *.idx *.gz);;All files (*)"))
        labels = find_labels_file(images) if images else None
        if images and labels is None:
            labels_path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open the matching IDX labels"), str(Path(images).parent),
                self.tr("IDX label files (*idx1* *.idx *.gz);;All files (*)"))
            labels = Path(labels_path) if labels_path else None
        if not images or labels is None:
            self.data_box.setCurrentIndex(0)
            self.data_source = "bundled"
            return
        self.use_idx_files(images, str(labels))

    def use_idx_files(self, images: str, labels: str) -> None:
        """Train on the IDX pair ``images`` + ``labels`` (as chosen in the Data box). Only the
        image file's header is read now (a few bytes), so that :meth:`reason` can tell at once
        whether the design takes images of that size; the digits are read when a run starts,
        in the training process, which reports any other problem with the files."""
        self.data_source = (images, labels)
        if self._settings is not None:
            self._settings.set_value("files/data_folder", str(Path(images).parent))
        self._idx_shape, self._idx_problem = None, None
        try:
            shape = read_idx_shape(images)
        except InputFileError as problem:
            self._idx_problem = str(problem)
        else:
            if len(shape) == 3:
                self._idx_shape = (1, int(shape[1]), int(shape[2]))
        self.data_box.setItemText(1, self.tr("IDX: {images} + {labels}").format(
            images=Path(images).name, labels=Path(labels).name))
        self.data_box.setCurrentIndex(1)
        self._update()

    def digit_shape(self) -> tuple[int, int, int]:
        """The shape of the digits the run will train on: the bundled ones' 1×28×28, an IDX
        image file's (from its header), or that of ready training data."""
        source = self.data_source
        if isinstance(source, TrainingData):
            return source.train.image_shape
        if isinstance(source, tuple) and self._idx_shape is not None:
            return self._idx_shape
        return DIGIT_SHAPE

    def _scrubbed(self, value: int) -> None:
        self.session.scrub(value)
        self._show_snapshot_label()

    def _keep(self) -> None:
        if self.session.keep(self.snapshot_slider.value()):
            self.status_label.setText(self.tr("Those weights are now the design's (Undo gives back "
                                              "the others)."))

    # -- showing --------------------------------------------------------------------------------
    def reason(self) -> str | None:
        """Why the design cannot be trained now, in words, or None."""
        design = self._document.design
        analysis = self._document.analysis
        if analysis.problems:
            return self.tr("The design has a problem; fix it to train: {problem}").format(
                problem=problem_text(analysis.problems[0]))
        if isinstance(self.data_source, tuple) and self._idx_problem is not None:
            return self.tr("These IDX files cannot be used: {problem}").format(
                problem=self._idx_problem)
        digits = self.digit_shape()
        if not fits_inside(digits, design.input):
            return self.tr("The digits are {digits}, but the design's input is {shape}: set the "
                           "input to {digits} (or larger: the digits are then centred on it) to "
                           "train.").format(digits=shape_text(digits),
                                            shape=shape_text(design.input.shape))
        if not fits_inside(DIGIT_SHAPE, design.input):
            return self.tr("Accuracy is measured on the bundled held-out digits, which are "
                           "{digits}, but the design's input is {shape}: set the input to "
                           "{digits} or larger to train.").format(
                digits=shape_text(DIGIT_SHAPE), shape=shape_text(design.input.shape))
        if not any(layer.has_parameters for layer in design.layers):
            return self.tr("The design has no weights to train: add a Conv2d or Linear layer.")
        output = analysis.output_shape
        if output is None or tuple(output) != (HEAD_CLASSES,):
            return self.tr("Training sorts digits into 10 classes, but the output is {shape}: add "
                           "a classifier head.").format(shape=shape_text(output, "spaced"))
        return None

    def input_note_text(self) -> str | None:
        """What happens to the digits on the way in, when it is more than a copy: on an input
        larger than theirs they are centred with zeros around them (as the input view shows)."""
        spec = self._document.design.input
        digits = self.digit_shape()
        if spec.shape == digits or not fits_inside(digits, spec):
            return None
        return self.tr("The {size} digits are centred on the {shape} input, with zeros around "
                       "them, as the input view shows.").format(
            size=f"{digits[1]}×{digits[2]}", shape=shape_text(spec.shape))

    def _update(self) -> None:
        state = self.session.state
        idle = state == IDLE
        reason = self.reason() if idle else None
        self.reason_label.setText(reason or "")
        self.reason_label.setVisible(bool(reason))
        note = self.input_note_text()
        self.input_note.setText(note or "")
        self.input_note.setVisible(bool(note))
        output = self._document.analysis.output_shape
        self.head_button.setVisible(idle and not self._document.analysis.problems
                                    and output is not None and tuple(output) != (HEAD_CLASSES,))
        self.start_button.setEnabled(idle and reason is None)
        self.pause_button.setEnabled(state in (RUNNING, PAUSED))
        self.pause_button.setText(self.tr("Resume") if state == PAUSED else self.tr("Pause"))
        self.stop_button.setEnabled(state in (RUNNING, PAUSED))
        for widget in (self.data_box, self.optimizer_box, self.lr_box, self.schedule_box,
                       self.batch_box, self.epochs_box, self.seed_box, self.device_box):
            widget.setEnabled(idle)
        self._snapshots_changed()
        if state == PAUSED:
            self.status_label.setText(self.tr("Paused: paint on, or look around; Resume goes on."))

    def _stepped(self, report, losses: list) -> None:
        self._losses.extend(losses)
        self._report = report
        # The curves and the progress bar redraw about twice a second: the previews come more
        # often, and every redraw here is time the GUI thread holds the interpreter away from the
        # training thread.
        now = time.monotonic()
        if now - self._drawn_at >= PANEL_SECONDS:
            self._draw_progress()

    def _draw_progress(self) -> None:
        report = self._report
        if report is None:
            return
        self._drawn_at = time.monotonic()
        if report.total_steps != self._loss_steps_shown:
            # The whole run's steps from the start: the curve grows across a still axis (an
            # axis that re-ranged with every point cost ~3 ms a redraw), like the progress bar.
            self._loss_steps_shown = report.total_steps
            self.loss_plot.setXRange(0, max(report.total_steps, 1), padding=0.02)
        if self._losses:
            steps, values = zip(*self._losses, strict=True)
            losses = np.array(values, dtype=float)
            self.loss_curve.setData(np.array(steps, dtype=float), losses)
            self._fit_loss_range(losses)
        self.progress.setRange(0, report.total_steps)
        self.progress.setValue(report.done_steps)
        self.progress.setFormat(self.tr("Epoch {epoch}/{epochs} · step {step}/{steps} · {left} "
                                        "left").format(
            epoch=report.epoch, epochs=report.epochs, step=report.step,
            steps=report.steps_per_epoch, left=_duration(report.seconds_left)))
        if self.session.state == RUNNING:
            self.status_label.setText(self.tr("Training: loss {loss:.4f} · {rate:,.0f} digits/s").format(
                loss=report.loss, rate=report.samples / max(report.seconds, 1e-9)))

    def _fit_loss_range(self, losses: np.ndarray) -> None:
        """Show the loss from 0 to a round number above the highest loss yet: the axis holds still
        while the loss falls (one that re-ranged with every point cost ~3 ms a redraw)."""
        finite = losses[np.isfinite(losses)]
        if not finite.size:
            return
        highest = float(finite.max())
        if self._loss_top is None or highest > self._loss_top:
            self._loss_top = nice_ceil(max(highest, 1e-6) * 1.05)
            self.loss_plot.setYRange(0, self._loss_top, padding=0)

    def _epoch_done(self, report) -> None:
        self._draw_progress()
        epochs = self.session.epochs
        x = np.array([e.epoch for e in epochs], dtype=float)
        steps = x * (self.session.last_step.steps_per_epoch if self.session.last_step else 1)
        heldout = np.array([e.heldout_loss for e in epochs], dtype=float)
        self.heldout_loss_curve.setData(steps, heldout)
        self._fit_loss_range(heldout)
        self.train_accuracy_curve.setData(x, np.array([e.train_accuracy * 100 for e in epochs]))
        self.heldout_accuracy_curve.setData(x, np.array([e.heldout_accuracy * 100 for e in epochs]))
        self.accuracy_plot.setXRange(0.5, max(report.epochs, 1) + 0.5)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The learner is looking at Start: have a process ready to train (when the app asks
        # for it) -- if the panel is still shown a moment later: docks are shown and hidden
        # again while the window lays itself out.
        QTimer.singleShot(PREPARE_AFTER_MS, self._prepare_if_shown)

    def _prepare_if_shown(self) -> None:
        if self.isVisible():
            self.session.prepare()

    def _finished(self, message: str) -> None:
        if self.isVisible():
            self.session.prepare()      # for the next run
        self._draw_progress()
        self.status_label.setText(message)
        if self.session.epochs:
            last = self.session.epochs[-1]
            self.status_label.setText(message + "\n" + self.tr(
                "Held-out accuracy: {accuracy:.2f} %").format(accuracy=last.heldout_accuracy * 100))
        self._update()

    def _snapshots_changed(self) -> None:
        count = len(self.session.snapshots)
        self.snapshot_slider.blockSignals(True)
        self.snapshot_slider.setRange(0, max(count - 1, 0))
        if self.session.scrubbed is None:
            self.snapshot_slider.setValue(max(count - 1, 0))
        self.snapshot_slider.blockSignals(False)
        usable = count > 1 and not self.session.busy
        self.snapshot_slider.setEnabled(usable)
        self.keep_button.setEnabled(usable and self.session.scrubbed is not None)
        self._show_snapshot_label()

    def _show_snapshot_label(self) -> None:
        snapshots = self.session.snapshots
        if self.session.busy:
            # The training process keeps them until the run ends (compute/training_process.py).
            self.snapshot_label.setText(self.tr("Recording: scrub them when the run ends."))
            return
        if not snapshots:
            self.snapshot_label.setText(self.tr("No snapshots yet: train to record some."))
            return
        index = self.snapshot_slider.value()
        shown = snapshots[min(index, len(snapshots) - 1)]
        self.snapshot_label.setText(self.tr("Showing {when} ({number} of {count})").format(
            when=shown.label(), number=index + 1, count=len(snapshots)))
        self.keep_button.setEnabled(not self.session.busy and self.session.scrubbed is not None)

    def curve_data(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The plotted points of each curve (tests)."""
        return {name: curve.getData() for name, curve in (
            ("loss", self.loss_curve), ("heldout_loss", self.heldout_loss_curve),
            ("train_accuracy", self.train_accuracy_curve),
            ("heldout_accuracy", self.heldout_accuracy_curve))}

