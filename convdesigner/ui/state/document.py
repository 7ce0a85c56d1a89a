"""The one source of truth of the app: the design being edited, the input image, and the undo stack.

Views never change the design themselves: they call the document's edit methods, each of which
pushes one :class:`QUndoCommand` (so every edit can be undone), and they re-render when the
document's signals say something changed.

The document may hold an *invalid* design -- the user is in the middle of an edit --; its
``analysis`` says what is wrong, and ``last_valid_design`` is what the live views keep showing.

Threading: a GUI-thread object. Call every method from the GUI thread only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from convdesigner.design import Analysis, Conv2d, Design, InputSpec, analyze
from convdesigner.design.io import load_design, save_design
from convdesigner.data.fit import fit_image_to_spec


class DesignDocument(QObject):
    """The design, the input image ``[C, H, W]`` float32, the file path and the undo history."""

    designChanged = Signal()     # the design (possibly invalid) was replaced
    imageChanged = Signal()      # the input image changed (also mid-stroke, for live views)
    fileChanged = Signal()       # path or clean state changed (the window title follows)

    def __init__(self, design: Design, image: np.ndarray | None = None,
                 parent: QObject | None = None, *, defer_parameters: bool = False) -> None:
        """``defer_parameters=True`` leaves missing Conv2d parameters empty until
        :meth:`complete_parameters` is called -- the app does so once PyTorch has been imported in
        the background, so that its window can appear before torch is loaded."""
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.path: Path | None = None
        self._design = design if defer_parameters else materialize_if_possible(design)
        self._analysis = analyze(self._design)
        self._last_valid = self._design if self._analysis.valid else None
        self._image = self._initial_image(self._design, image)

    def _clean_changed(self, _clean: bool) -> None:
        self.fileChanged.emit()

    # -- reading ------------------------------------------------------------------------------
    @property
    def design(self) -> Design:
        return self._design

    @property
    def analysis(self) -> Analysis:
        return self._analysis

    @property
    def last_valid_design(self) -> Design | None:
        """The newest design that passed validation, or None if there never was one."""
        return self._last_valid

    @property
    def image(self) -> np.ndarray:
        """The input image, float32 ``[C, H, W]``. Read-only view: edit through the methods below."""
        view = self._image.view()
        view.flags.writeable = False
        return view

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def complete_parameters(self) -> None:
        """Give every Conv2d that has none its seeded default parameters. Not an edit: no undo
        step, and the document stays clean (the parameters are what the seed defines)."""
        completed = materialize_if_possible(self._design)
        if not completed.same_parameters(self._design):
            self._set_design(completed)

    # -- design edits (each is one undo step) ---------------------------------------------------
    def edit_design(self, new_design: Design, description: str) -> None:
        """Replace the design with ``new_design`` as one undoable step called ``description``.

        Conv2d layers whose parameter shape changed get parameters that keep what still fits
        (the overlapping kernels and sub-kernels) and default-initialise the rest.
        """
        new_design = carry_parameters(self._design, new_design)
        if new_design.same_parameters(self._design) and new_design.input == self._design.input:
            return
        self.undo_stack.push(_ReplaceDesign(self, self._design, new_design, description))

    def _set_design(self, design: Design, image: np.ndarray | None = None) -> None:
        self._design = design
        self._analysis = analyze(design)
        if self._analysis.valid:
            self._last_valid = design
        if image is not None or self._image.shape != design.input.shape:
            self._image = (image.copy() if image is not None
                           else fit_image_to_spec(self._image, design.input))
            self.imageChanged.emit()
        self.designChanged.emit()

    # -- input edits ----------------------------------------------------------------------------
    def preview_image(self, image: np.ndarray) -> None:
        """Show ``image`` live (mid-stroke) without making an undo step; end with :meth:`commit_image`."""
        self._image = _checked_image(image, self._design.input)
        self.imageChanged.emit()

    def commit_image(self, before: np.ndarray, description: str) -> None:
        """Make the change from ``before`` to the current image one undo step (one brush stroke)."""
        if before.shape == self._image.shape and np.array_equal(before, self._image):
            return
        self.undo_stack.push(_ReplaceImage(self, before.copy(), self._image.copy(), description))

    def set_image(self, image: np.ndarray, description: str) -> None:
        """Replace the whole input (a loaded file, a digit, clear, invert) as one undo step."""
        before = self._image.copy()
        self.preview_image(image)
        self.commit_image(before, description)

    def _restore_image(self, image: np.ndarray) -> None:
        self._image = image.copy()
        self.imageChanged.emit()

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

    def reset(self, design: Design, image: np.ndarray | None = None, path: Path | None = None) -> None:
        """Start over with ``design`` (New, Open, a lesson): a fresh, clean undo history."""
        design = materialize_if_possible(design)
        if image is None and design.input_values is None and self._image.shape == design.input.shape:
            image = self._image  # New keeps the digit the user was looking at
        self._image = self._initial_image(design, image)
        self.path = path
        self.undo_stack.clear()
        self._set_design(design)
        self.imageChanged.emit()
        self.fileChanged.emit()

    @staticmethod
    def _initial_image(design: Design, image: np.ndarray | None) -> np.ndarray:
        if image is not None:
            return fit_image_to_spec(np.asarray(image, dtype=np.float32), design.input)
        if design.input_values is not None:
            return np.array(design.input_values, dtype=np.float32)
        return np.zeros(design.input.shape, dtype=np.float32)


def materialize_if_possible(design: Design) -> Design:
    """Give every Conv2d its parameters (seeded default init), so edits elsewhere never reshuffle them.

    A valid design gets exactly PyTorch's sequence of initialisations, so that the exported code
    (``torch.manual_seed(seed)`` + ``nn.Sequential``) reproduces it. In an invalid one each
    buildable Conv2d is initialised on its own (seed + index); the others get parameters once fixed.
    """
    from convdesigner.compute.weights import initialize_conv, materialize  # torch, lazily
    if analyze(design).valid:
        return materialize(design)
    layers = tuple(
        initialize_conv(layer, seed=design.seed + index)
        if isinstance(layer, Conv2d) and layer.weight is None and _buildable(layer) else layer
        for index, layer in enumerate(design.layers))
    return replace(design, layers=layers)


def _buildable(layer: Conv2d) -> bool:
    return (layer.in_channels >= 1 and layer.out_channels >= 1 and layer.groups >= 1
            and layer.in_channels % layer.groups == 0 and min(layer.kernel_size) >= 1)


def carry_parameters(old: Design, new: Design) -> Design:
    """Give each Conv2d of ``new`` parameters of the right shape, keeping what ``old`` had.

    A layer whose arguments leave the weight shape unchanged keeps its parameters. One whose
    shape changed (more kernels, fewer input channels, ...) gets fresh default-initialised
    parameters with the overlapping block copied from its old self when the kernel size is
    unchanged, so growing ``out_channels`` from 64 to 65 adds one kernel and changes nothing else.
    """
    layers = []
    for index, layer in enumerate(new.layers):
        if isinstance(layer, Conv2d) and _buildable(layer):
            layer = _fit_parameters(layer, new.seed + index)
        layers.append(layer)
    return replace(new, layers=tuple(layers))


def _fit_parameters(layer: Conv2d, seed: int) -> Conv2d:
    from convdesigner.compute.weights import initialize_conv  # torch, lazily
    shape = layer.weight_shape
    weight_fits = layer.weight is not None and layer.weight.shape == shape
    bias_fits = not layer.bias or (layer.bias_values is not None
                                   and layer.bias_values.shape == (layer.out_channels,))
    if weight_fits and bias_fits:
        return layer if layer.bias or layer.bias_values is None else layer.with_parameters(layer.weight, None)
    fresh = initialize_conv(layer.without_parameters(), seed=seed)
    weight = np.array(fresh.weight)
    bias = None if fresh.bias_values is None else np.array(fresh.bias_values)
    if layer.weight is not None and layer.weight.shape[2:] == shape[2:]:
        o = min(shape[0], layer.weight.shape[0])
        i = min(shape[1], layer.weight.shape[1])
        weight[:o, :i] = layer.weight[:o, :i]
    if bias is not None and layer.bias_values is not None:
        o = min(bias.shape[0], layer.bias_values.shape[0])
        bias[:o] = layer.bias_values[:o]
    return layer.with_parameters(weight, bias)


def _checked_image(image: np.ndarray, spec: InputSpec) -> np.ndarray:
    image = np.asarray(image, dtype=np.float32)
    if image.shape != spec.shape:
        raise ValueError(f"image has shape {image.shape}, the design's input is {spec.shape}")
    return image.copy()


class _ReplaceDesign(QUndoCommand):
    """One design edit. When it changes the input's shape, the image before it is kept too, so
    undo gives back the exact pixels rather than a resized copy."""

    def __init__(self, document: DesignDocument, before: Design, after: Design, text: str) -> None:
        super().__init__(text)
        self._document, self._before, self._after = document, before, after
        self._image_before = document._image.copy() if before.input != after.input else None

    def redo(self) -> None:
        self._document._set_design(self._after)

    def undo(self) -> None:
        self._document._set_design(self._before, self._image_before)


class _ReplaceImage(QUndoCommand):
    def __init__(self, document: DesignDocument, before: np.ndarray, after: np.ndarray, text: str) -> None:
        super().__init__(text)
        self._document, self._before, self._after = document, before, after
        self._first = True

    def redo(self) -> None:
        # The first redo happens on push, when the document already shows ``after``.
        if self._first:
            self._first = False
            return
        self._document._restore_image(self._after)

    def undo(self) -> None:
        self._document._restore_image(self._before)
