"""The one source of truth of the app: the design being edited, the input image, where that image
came from, and the undo stack.

Views never change the design themselves: they call the document's edit methods, each of which
pushes one :class:`QUndoCommand` (so every edit can be undone), and they re-render when the
document's signals say something changed. The edits a user can make are methods here:

* layers: :meth:`~DesignDocument.add_layer`, :meth:`~DesignDocument.insert_layer`,
  :meth:`~DesignDocument.remove_layer`, :meth:`~DesignDocument.duplicate_layer`,
  :meth:`~DesignDocument.move_layer`, and :meth:`~DesignDocument.edit_design` for any other change;
* weights: :meth:`~DesignDocument.set_weight`, :meth:`~DesignDocument.set_bias`,
  :meth:`~DesignDocument.apply_preset`, :meth:`~DesignDocument.zero_input_channel` /
  :meth:`~DesignDocument.restore_input_channel`;
* the input: :meth:`~DesignDocument.set_image`;
* a stroke (the brush on the input, the brush on a sub-kernel): :meth:`~DesignDocument.begin_stroke`,
  any number of :meth:`~DesignDocument.preview_image` / :meth:`~DesignDocument.preview_layer`
  (shown live everywhere), :meth:`~DesignDocument.end_stroke` -- one undo step for the whole stroke.
  While a stroke is open the undo stack refuses undo/redo (an open macro), so nothing slips in.

Every command keeps the state before and after it (design, image, :class:`ImageSource`), so undo
and redo are exact to the bit.

The document may hold an *invalid* design -- the user is in the middle of an edit --; its
``analysis`` says what is wrong, and ``last_valid_design`` is what the live views keep showing.

Threading: a GUI-thread object. Call every method from the GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from convdesigner.data.fit import fit_image_to_spec
from convdesigner.design import Analysis, Conv2d, Design, InputSpec, analyze, presets
from convdesigner.design.analysis import Problem
from convdesigner.design.budget import check_memory
from convdesigner.design.catalog import classifier_head, default_layer
from convdesigner.design.io import load_design, save_design
from convdesigner.design.presets import PYTORCH_INIT, SCOPE_KERNEL, SCOPE_LAYER, SCOPE_SUB_KERNEL

# The undo texts keep the translation context of the panel that wrote them first
# ("LayerStackPanel", "KernelEditor"), so their translations stay where they are.


@dataclass(frozen=True)
class ImageSource:
    """Where the input image came from.

    ``kind`` is :attr:`DIGIT` (a digit of a data set: ``name`` is ``"mnist:7:12"`` or
    ``"train-images-idx3-ubyte.gz #3"``, ``dataset`` is ``"mnist"`` or the data set file's path,
    ``position`` its position there), :attr:`FILE` (``name``: the file's name), :attr:`DESIGN` (the
    values saved in the design file) or :attr:`EDITED` (painted, typed, cleared, or unknown).
    """

    DIGIT = "digit"
    FILE = "file"
    DESIGN = "design"
    EDITED = "edited"

    kind: str = EDITED
    name: str = ""
    dataset: str = ""
    position: int = -1

    @classmethod
    def digit(cls, name: str, dataset: str, position: int) -> ImageSource:
        return cls(cls.DIGIT, name, dataset, position)

    @classmethod
    def file(cls, path: str | Path) -> ImageSource:
        return cls(cls.FILE, Path(path).name)


_EDITED = ImageSource()


@dataclass(frozen=True)
class _State:
    """What one undo step changes: the design, the image (None: this step leaves it alone) and
    the image's source."""

    design: Design
    image: np.ndarray | None
    source: ImageSource


class DesignDocument(QObject):
    """The design, the input image ``[C, H, W]`` float32, its source, the file path and the undo
    history."""

    designChanged = Signal()     # the design (possibly invalid) was replaced
    imageChanged = Signal()      # the input image changed (also mid-stroke, for live views)
    imageSourceChanged = Signal()  # image_source changed (a digit, a file, painted ...)
    fileChanged = Signal()       # path or clean state changed (the window title follows)

    def __init__(self, design: Design, image: np.ndarray | None = None,
                 parent: QObject | None = None, *, defer_parameters: bool = False,
                 image_source: ImageSource | None = None) -> None:
        """``defer_parameters=True`` leaves missing Conv2d parameters empty until
        :meth:`complete_parameters` is called -- the app does so once PyTorch has been imported in
        the background, so that its window can appear before torch is loaded."""
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.path: Path | None = None
        self._design = design if defer_parameters else _materialize_if_possible(design)
        self._last_valid: Design | None = None
        self._resource_problem: Problem | None = None
        self._analyze(self._design)
        self._image = self._initial_image(self._design, image)
        self._source = self._initial_source(self._design, image, image_source)
        self._stroke: _OpenStroke | None = None
        #: What "zero this input channel" replaced, by (layer, kernel, sub-kernel): the values and
        #: the layer's arguments (a different layer moved to that index is never "restored").
        #: Written and taken back by the zero commands themselves, so it follows undo/redo.
        self._zeroed: dict[tuple[int, int, int], tuple[np.ndarray, Conv2d]] = {}

    def _clean_changed(self, _clean: bool) -> None:
        self.fileChanged.emit()

    def _analyze(self, design: Design, *, new_document: bool = False) -> None:
        """Make ``design`` current: its analysis, whether this machine can compute it, and the
        last design the views may show. A new document (New, Open, a lesson) forgets the
        previous document's last valid design, so views never mix two documents."""
        self._design, self._analysis = design, analyze(design)
        self._resource_problem = check_memory(self._analysis) if self._analysis.valid else None
        if self._analysis.valid and self._resource_problem is None:
            self._last_valid = design
        elif new_document:
            self._last_valid = None

    # -- reading ------------------------------------------------------------------------------
    @property
    def design(self) -> Design:
        return self._design

    @property
    def analysis(self) -> Analysis:
        return self._analysis

    @property
    def last_valid_design(self) -> Design | None:
        """The newest design of this document that passed validation and fits this machine's
        memory, or None if there never was one."""
        return self._last_valid

    @property
    def resource_problem(self) -> Problem | None:
        """Why a valid design is not computed (it needs more memory than this machine has), or
        None. Shown like a validation problem: the edit is "not applied" to the views."""
        return self._resource_problem

    @property
    def image(self) -> np.ndarray:
        """The input image, float32 ``[C, H, W]``. Read-only view: edit through the methods below."""
        view = self._image.view()
        view.flags.writeable = False
        return view

    @property
    def image_source(self) -> ImageSource:
        """Where the input image came from (``imageSourceChanged`` says when it changes)."""
        return self._source

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def stroking(self) -> bool:
        """Whether a stroke is open (between :meth:`begin_stroke` and :meth:`end_stroke`)."""
        return self._stroke is not None

    def complete_parameters(self) -> None:
        """Give every Conv2d that has none its seeded default parameters. Not an edit: no undo
        step, and the document stays clean (the parameters are what the seed defines)."""
        completed = _materialize_if_possible(self._design)
        if not completed.same_parameters(self._design):
            self._apply(_State(completed, None, self._source))

    # -- design edits (each is one undo step) ---------------------------------------------------
    def edit_design(self, new_design: Design, description: str) -> None:
        """Replace the design with ``new_design`` as one undoable step called ``description``.

        Conv2d layers whose parameter shape changed get parameters that keep what still fits
        (the overlapping kernels and sub-kernels) and default-initialise the rest. When the input's
        shape changes, the image is fitted to it (and undo gives back the exact pixels).
        """
        new_design = _carry_parameters(new_design)
        if new_design.same_parameters(self._design) and new_design.input == self._design.input:
            return
        image = None
        if new_design.input.shape != self._image.shape:
            image = fit_image_to_spec(self._image, new_design.input)
        self._push(_State(new_design, image, self._source), description)

    def add_layer(self, kind: str, index: int) -> int:
        """Add a new ``kind`` layer (defaults that fit there) as layer ``index`` (clamped to the
        stack); returns the index it got. Undo text "Add {kind} as layer {index}"."""
        return self._insert(kind, index, QCoreApplication.translate("LayerStackPanel", "Add {kind} as layer {index}"))

    def insert_layer(self, kind: str, index: int) -> int:
        """:meth:`add_layer`, worded "Insert {kind} as layer {index}" (inserting above a layer,
        or at a "+" of the diagram)."""
        return self._insert(kind, index, QCoreApplication.translate(
            "LayerStackPanel", "Insert {kind} as layer {index}"))

    def _insert(self, kind: str, index: int, text: str) -> int:
        design = self._design
        index = max(0, min(index, len(design.layers)))
        layer = default_layer(kind, design, self._analysis, index)
        self.edit_design(design.with_inserted(index, layer), text.format(kind=kind, index=index))
        return index

    def add_classifier_head(self) -> int | None:
        """Append ``Flatten()`` (when the output is still maps) and ``Linear(C·H·W, 10)`` sized to
        the current output, as one undo step "Add a classifier head"; returns the Linear's index,
        or None when the design has a problem (nothing to size the head to)."""
        head = classifier_head(self._design, self._analysis)
        if head is None:
            return None
        design = self._design
        for layer in head:
            design = design.with_inserted(len(design.layers), layer)
        self.edit_design(design, QCoreApplication.translate("LayerStackPanel", "Add a classifier head"))
        return len(self._design.layers) - 1

    def set_weights(self, design: Design, description: str) -> bool:
        """Make ``design``'s parameters the document's (training, a kept snapshot) as one undo
        step ``description``. Only when ``design`` has the document's layers and input (``==``:
        the same arguments); returns False and changes nothing otherwise."""
        if design != self._design:
            return False
        self.edit_design(replace(design, input_values=self._design.input_values), description)
        return True

    def remove_layer(self, index: int) -> int | None:
        """Remove layer ``index``; returns the index to select after it (the layer that took its
        place, or the one above), or None when there is no such layer."""
        design = self._design
        if not 0 <= index < len(design.layers):
            return None
        kind = design.layers[index].kind
        self.edit_design(design.without_layer(index), QCoreApplication.translate(
            "LayerStackPanel", "Remove layer {index} ({kind})").format(index=index, kind=kind))
        return min(index, len(self._design.layers) - 1)

    def duplicate_layer(self, index: int) -> int | None:
        """Insert a copy of layer ``index`` (parameters too) below it; returns the copy's index,
        or None when there is no such layer."""
        design = self._design
        if not 0 <= index < len(design.layers):
            return None
        layer = design.layers[index]
        self.edit_design(design.with_inserted(index + 1, layer), QCoreApplication.translate(
            "LayerStackPanel", "Duplicate layer {index} ({kind})").format(index=index, kind=layer.kind))
        return index + 1

    def move_layer(self, source: int, destination: int) -> int | None:
        """Move layer ``source`` so that it becomes layer ``destination``; returns
        ``destination``, or None when either is outside the stack or they are equal."""
        design = self._design
        count = len(design.layers)
        if not (0 <= source < count and 0 <= destination < count) or source == destination:
            return None
        if destination == source - 1:
            text = QCoreApplication.translate("LayerStackPanel", "Move layer {index} up").format(index=source)
        elif destination == source + 1:
            text = QCoreApplication.translate("LayerStackPanel", "Move layer {index} down").format(index=source)
        else:
            text = QCoreApplication.translate(
                "LayerStackPanel", "Move layer {source} to position {destination}").format(
                source=source, destination=destination)
        self.edit_design(design.with_moved(source, destination), text)
        return destination

    # -- weight edits (each is one undo step) ---------------------------------------------------
    def conv_layer(self, index: int) -> Conv2d:
        """Layer ``index`` when it is a Conv2d holding weights of its shape; else DesignError."""
        from convdesigner.errors import DesignError
        layers = self._design.layers
        layer = layers[index] if 0 <= index < len(layers) else None
        if (not isinstance(layer, Conv2d) or layer.weight is None
                or layer.weight.shape != layer.weight_shape):
            raise DesignError(f"layer {index} is not a Conv2d with weights")
        return layer

    def _set_layer(self, index: int, layer: Conv2d, text: str) -> None:
        self.edit_design(self._design.with_layer(index, layer), text)

    def set_weight(self, index: int, out_channel: int, sub_kernel: int, row: int, column: int,
                   value: float) -> None:
        """Set ``weight[out_channel, sub_kernel, row, column]`` of Conv2d ``index`` to ``value``
        (as float32). Raises DesignError when the place or the value does not fit."""
        layer = self.conv_layer(index)
        value32 = np.float32(value)
        self._set_layer(index, presets.set_weight(layer, out_channel, sub_kernel, row, column, value32),
                        QCoreApplication.translate(
                            "KernelEditor", "Set weight [{index}][{o}, {s}, {r}, {c}] to {value}").format(
                            index=index, o=out_channel, s=sub_kernel, r=row, c=column,
                            value=_format_value(value32)))

    def set_bias(self, index: int, out_channel: int, value: float) -> None:
        """Set the bias of kernel ``out_channel`` of Conv2d ``index`` to ``value`` (as float32)."""
        layer = self.conv_layer(index)
        value32 = np.float32(value)
        self._set_layer(index, presets.set_bias(layer, out_channel, value32),
                        QCoreApplication.translate("KernelEditor", "Set bias [{index}][{o}] to {value}").format(
                            index=index, o=out_channel, value=_format_value(value32)))

    def apply_preset(self, index: int, key: str, scope: str, out_channel: int = 0,
                     sub_kernel: int = 0, *, theta: float = 0.0, seed: int = 0,
                     also_bias: bool = False) -> None:
        """Apply preset ``key`` (a key of :data:`~convdesigner.design.presets.PRESETS`, or
        :data:`~convdesigner.design.presets.PYTORCH_INIT` with ``seed``) to ``scope`` of Conv2d
        ``index``; ``also_bias`` sets the touched kernels' bias too (0, or the seeded init).
        Raises DesignError when the preset does not fit (its message says why)."""
        layer = self.conv_layer(index)
        if key == PYTORCH_INIT:
            from convdesigner.ui.state.jobs import default_init_values  # torch, lazily
            values, init_bias = default_init_values(layer.without_parameters(), seed)
            bias = (0.0 if init_bias is None else init_bias) if also_bias and layer.bias else None
            name = QCoreApplication.translate("KernelEditor", "PyTorch default init (seed {seed})").format(seed=seed)
        else:
            params = {"theta": theta} if key == "gabor" else {}
            values = presets.preset_values(key, *layer.kernel_size, **params)
            bias = 0.0 if also_bias and layer.bias else None
            name = QCoreApplication.translate("presets", presets.PRESETS[key].name)
            if key == "gabor":
                name = QCoreApplication.translate("KernelEditor", "{name} θ={theta:g}°").format(name=name, theta=theta)
        new_layer = presets.apply_preset(layer, scope, values, out_channel, sub_kernel, bias)
        if scope == SCOPE_LAYER:
            text = QCoreApplication.translate("KernelEditor", "Apply {preset} to every kernel of layer {index}").format(
                preset=name, index=index)
        elif scope == SCOPE_KERNEL:
            text = QCoreApplication.translate("KernelEditor", "Apply {preset} to kernel {o} of layer {index}").format(
                preset=name, o=out_channel, index=index)
        else:
            assert scope == SCOPE_SUB_KERNEL
            text = QCoreApplication.translate("KernelEditor", "Apply {preset} to sub-kernel {s} of kernel {o} of layer "
                       "{index}").format(preset=name, s=sub_kernel, o=out_channel, index=index)
        self._set_layer(index, new_layer, text)

    def zero_input_channel(self, index: int, out_channel: int, sub_kernel: int) -> None:
        """Zero sub-kernel ``[out_channel, sub_kernel]`` of Conv2d ``index``, so that kernel no
        longer reads that input channel. The values are kept (by the undo step) for
        :meth:`restore_input_channel`. Nothing happens when it is zero already."""
        layer = self.conv_layer(index)
        values = presets.sub_kernel_values(layer, out_channel, sub_kernel)
        if not np.any(values != 0):
            return
        after = self._design.with_layer(index, presets.zero_input_channel(layer, out_channel, sub_kernel))
        text = QCoreApplication.translate("KernelEditor", "Zero sub-kernel {s} of kernel {o} of layer {index} (input "
                   "channel {c})").format(s=sub_kernel, o=out_channel, index=index,
                                          c=layer.input_channel(out_channel, sub_kernel))
        self.undo_stack.push(_Edit(self, self._state(), _State(after, None, self._source), text,
                                   zeroed=((index, out_channel, sub_kernel),
                                           (values, layer.without_parameters()))))

    def restorable_values(self, index: int, out_channel: int, sub_kernel: int) -> np.ndarray | None:
        """The values :meth:`zero_input_channel` replaced at this place of this very layer (same
        arguments), or None."""
        layers = self._design.layers
        layer = layers[index] if 0 <= index < len(layers) else None
        saved = self._zeroed.get((index, out_channel, sub_kernel))
        if (saved is None or not isinstance(layer, Conv2d) or saved[1] != layer
                or saved[0].shape != tuple(layer.kernel_size)):
            return None
        return saved[0]

    def restore_input_channel(self, index: int, out_channel: int, sub_kernel: int) -> None:
        """Put back, bit for bit, the values the sub-kernel had before it was zeroed (nothing
        happens when there are none)."""
        saved = self.restorable_values(index, out_channel, sub_kernel)
        if saved is None:
            return
        layer = self.conv_layer(index)
        self._set_layer(index, presets.restore_input_channel(layer, out_channel, sub_kernel, saved),
                        QCoreApplication.translate(
                            "KernelEditor", "Restore sub-kernel {s} of kernel {o} of layer {index}")
                        .format(s=sub_kernel, o=out_channel, index=index))

    # -- input edits ----------------------------------------------------------------------------
    def set_image(self, image: np.ndarray, description: str,
                  source: ImageSource | None = None) -> None:
        """Replace the whole input (a loaded file, a digit, clear, invert, a typed value) as one
        undo step. ``source`` says where it came from (None: edited by hand)."""
        image = _checked_image(image, self._design.input)
        source = _EDITED if source is None else source
        if np.array_equal(image, self._image) and source == self._source:
            return
        self._push(_State(self._design, image, source), description)

    # -- strokes: one stroke, one undo step -----------------------------------------------------
    def begin_stroke(self, description: str) -> None:
        """Open a stroke called ``description``: the changes until :meth:`end_stroke` are one undo
        step. A stroke still open is ended first."""
        if self._stroke is not None:
            self.end_stroke()
        self._stroke = _OpenStroke(self._state(with_image=True), description)

    def preview_image(self, image: np.ndarray) -> None:
        """Show ``image`` live (mid-stroke: the input becomes "edited"); the undo step is made by
        :meth:`end_stroke`. Outside a stroke nothing records it until the next edit."""
        self._open_macro()
        self._apply(_State(self._design, _checked_image(image, self._design.input), _EDITED))

    def preview_layer(self, index: int, layer: Conv2d) -> None:
        """Show layer ``index`` replaced by ``layer`` live (mid-stroke); see :meth:`preview_image`."""
        self._open_macro()
        self._apply(_State(self._design.with_layer(index, layer), None, self._source))

    def end_stroke(self) -> None:
        """Close the open stroke: when it changed anything, that is one undo step."""
        stroke, self._stroke = self._stroke, None
        if stroke is None or not stroke.macro_open:
            return
        after = self._state(with_image=True)
        changed = (after.design is not stroke.before.design or after.source != stroke.before.source
                   or not np.array_equal(after.image, stroke.before.image))
        if changed:
            self.undo_stack.push(_Edit(self, stroke.before, after, stroke.description, applied=True))
        self.undo_stack.endMacro()

    def _open_macro(self) -> None:
        # The macro opens at the stroke's first change, so an empty stroke leaves no step; while
        # it is open the undo stack refuses undo/redo.
        if self._stroke is not None and not self._stroke.macro_open:
            self.undo_stack.beginMacro(self._stroke.description)
            self._stroke.macro_open = True

    # -- applying states ------------------------------------------------------------------------
    def _state(self, with_image: bool = False) -> _State:
        return _State(self._design, self._image.copy() if with_image else None, self._source)

    def _push(self, after: _State, description: str) -> None:
        before = _State(self._design, None if after.image is None else self._image.copy(), self._source)
        self.undo_stack.push(_Edit(self, before, after, description))

    def _apply(self, state: _State) -> None:
        """Make ``state`` current and say what changed (image, then design, then source)."""
        design_changed = state.design is not self._design
        image_changed = state.image is not None and not (
            state.image.shape == self._image.shape and np.array_equal(state.image, self._image))
        source_changed = state.source != self._source
        if design_changed:
            self._analyze(state.design)
        if image_changed:
            assert state.image is not None
            self._image = state.image.copy()
        self._source = state.source
        if image_changed:
            self.imageChanged.emit()
        if design_changed:
            self.designChanged.emit()
        if source_changed:
            self.imageSourceChanged.emit()

    # -- files ----------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Save design and input to ``path`` (atomic); marks the document clean. Raises DesignError."""
        save_design(self.snapshot(), path)
        self.mark_saved(path)

    def snapshot(self) -> Design:
        """The design with a copy of the input as its values: what a file keeps. A frozen value
        that a worker thread may write while the user goes on editing."""
        return self._design.with_input_values(self._image.copy())

    def mark_saved(self, path: str | Path) -> None:
        """The snapshot taken at this undo step is now in ``path``: the document is clean."""
        self.path = Path(path)
        self.undo_stack.setClean()
        self.fileChanged.emit()

    def open(self, path: str | Path) -> None:
        """Replace everything with the design file at ``path`` (its input values too, if it has
        them). Raises DesignError and changes nothing when the file cannot be used."""
        design = load_design(path)
        self.reset(design, None, Path(path))

    def reset(self, design: Design, image: np.ndarray | None = None, path: Path | None = None,
              image_source: ImageSource | None = None) -> None:
        """Start over with ``design`` (New, Open, a lesson): a fresh, clean undo history."""
        if self._stroke is not None:
            self.end_stroke()
        design = _materialize_if_possible(design)
        if image is None and design.input_values is None and self._image.shape == design.input.shape:
            image = self._image  # New keeps the digit the user was looking at
            if image_source is None:
                image_source = self._source
        source = self._initial_source(design, image, image_source)
        self._image = self._initial_image(design, image)
        self.path = path
        self.undo_stack.clear()
        self._zeroed.clear()
        self._analyze(design, new_document=True)
        source_changed, self._source = source != self._source, source
        self.imageChanged.emit()
        self.designChanged.emit()
        if source_changed:
            self.imageSourceChanged.emit()
        self.fileChanged.emit()

    @staticmethod
    def _initial_image(design: Design, image: np.ndarray | None) -> np.ndarray:
        if image is not None:
            return fit_image_to_spec(np.asarray(image, dtype=np.float32), design.input)
        if design.input_values is not None:
            return np.array(design.input_values, dtype=np.float32)
        return np.zeros(design.input.shape, dtype=np.float32)

    @staticmethod
    def _initial_source(design: Design, image: np.ndarray | None,
                        source: ImageSource | None) -> ImageSource:
        if source is not None:
            return source
        if image is None and design.input_values is not None:
            return ImageSource(ImageSource.DESIGN)
        return _EDITED


def _materialize_if_possible(design: Design) -> Design:
    from convdesigner.ui.state.jobs import complete_parameters as materialize_if_possible
    return materialize_if_possible(design)


def _carry_parameters(design: Design) -> Design:
    from convdesigner.ui.state.jobs import carry_parameters  # torch, lazily
    return carry_parameters(design)


def _format_value(value: float) -> str:
    from convdesigner.design.numbers import format_value
    return format_value(value)


def _checked_image(image: np.ndarray, spec: InputSpec) -> np.ndarray:
    image = np.asarray(image, dtype=np.float32)
    if image.shape != spec.shape:
        raise ValueError(f"image has shape {image.shape}, the design's input is {spec.shape}")
    return image.copy()


class _OpenStroke:
    def __init__(self, before: _State, description: str) -> None:
        self.before = before
        self.description = description
        self.macro_open = False


class _Edit(QUndoCommand):
    """One edit: the document's state before and after it. ``applied=True`` when the document
    already shows ``after`` (a stroke), so the push does not apply it again. ``zeroed`` is the
    restore data a "zero this input channel" step adds while it is done."""

    def __init__(self, document: DesignDocument, before: _State, after: _State, text: str, *,
                 applied: bool = False,
                 zeroed: tuple[tuple[int, int, int], tuple[np.ndarray, Conv2d]] | None = None) -> None:
        super().__init__(text)
        self._document, self._before, self._after = document, before, after
        self._skip_redo = applied
        self._zeroed = zeroed
        self._replaced: tuple[np.ndarray, Conv2d] | None = None

    def redo(self) -> None:
        if self._zeroed is not None:
            key, saved = self._zeroed
            self._replaced = self._document._zeroed.get(key)
            self._document._zeroed[key] = saved
        if self._skip_redo:
            self._skip_redo = False
            return
        self._document._apply(self._after)

    def undo(self) -> None:
        if self._zeroed is not None:
            key = self._zeroed[0]
            if self._replaced is None:
                self._document._zeroed.pop(key, None)
            else:
                self._document._zeroed[key] = self._replaced
        self._document._apply(self._before)
