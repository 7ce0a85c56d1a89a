"""Training a design to classify digits: a plain PyTorch loop that reports, and can be paused and
stopped between two steps.

:class:`Trainer` owns the model while it trains. It is driven from one thread (the command line's
main thread, or the main thread of the app's training process, ``compute/training_process.py``)
and calls back after every step and every epoch; a caller that wants the current weights (the
app, a few times a second) asks :meth:`Trainer.current_design` *from inside* a callback, where
the weights are consistent (no step is half done). It never touches Qt, and the caller decides
how often to draw.

What it does, and why so:

* The loss is ``nn.CrossEntropyLoss`` on the design's 10 outputs (its last layer's values are the
  class scores); the digits are fed exactly as ``mnist:L:i`` gives them to ``run`` (float32 in
  [0, 1], no normalisation; on a larger input, centred on a zero field, as ``run``, the app and
  LeNet-5 put a 28×28 digit on 32×32), so the trained design predicts the same in the app, in
  ``run`` and in exported code.
* **Determinism.** On the CPU, the same design, data and settings give bit-identical weights:
  the order of the digits comes from ``numpy.random.default_rng(seed)``, Dropout draws from
  torch's generator seeded with ``seed`` (inside ``torch.random.fork_rng``, so the caller's
  random state is left as it was), and PyTorch's CPU kernels for these layers are deterministic.
  On CUDA, cuDNN may choose non-deterministic convolution algorithms (and atomics in the
  backward pass add in varying order): runs agree to rounding, not bit for bit.
* **Divergence.** A batch loss that is NaN, infinite or above :data:`DIVERGED_LOSS` ends the run
  at once: the result says so and holds the design *as it was before the run* (``diverged``).
* **Stop** ends the run between two steps; the result holds the weights of the last finished
  step (a consistent design), marked ``stopped``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from convdesigner.compute.device import resolve_device
from convdesigner.compute.engine import build_model
from convdesigner.compute.weights import materialize
from convdesigner.data.fit import centre_on, fits_inside
from convdesigner.data.mnist import DIGIT_SHAPE
from convdesigner.data.training_data import CLASSES, DEFAULT_LR, LabelledDigits, TrainingData
from convdesigner.design.analysis import analyze
from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text
from convdesigner.design.layers import Design, InputSpec
from convdesigner.design.numbers import shape_text
from convdesigner.errors import ConvDesignerError

#: The lupdate context of this module's user-visible texts (see :mod:`convdesigner.design.i18n`).
CONTEXT = "Training"
OPTIMIZERS = ("adam", "sgd")
#: How the learning rate goes over a run: ``constant``, or ``linear`` -- it falls in a straight
#: line from ``lr`` at the first step towards 0 after the last (see :func:`learning_rate`).
SCHEDULES = ("constant", "linear")
#: SGD's momentum (the usual choice; the Train panel and the command line do not change it).
SGD_MOMENTUM = 0.9
#: Held-out digits evaluated per forward pass.
EVAL_BATCH = 500
MAX_EPOCHS = 1000
MAX_BATCH_SIZE = 65536
#: A batch loss above this counts as divergence, as NaN and infinity do: a cross-entropy of 10,000
#: means the right class scores 10,000 below the others -- the weights have blown up, and the
#: softmax cross-entropy (computed stably) would otherwise stay finite while they go on growing.
DIVERGED_LOSS = 1e4
#: Held-out accuracy at or below this after a whole run is no better than guessing one of 10
#: digits (10 %, with some slack): typically a learning rate so large that the weights collapse
#: to one answer without the loss ever becoming NaN -- which the divergence check cannot see.
GUESSING_ACCURACY = 0.2


class TrainingError(ConvDesignerError):
    """A design, a setting or data that cannot be trained on; one sentence with the numbers."""


@dataclass(frozen=True)
class TrainSettings:
    """How to train. ``optimizer`` is ``"adam"`` or ``"sgd"`` (with momentum 0.9); ``schedule``
    one of :data:`SCHEDULES`; ``device`` a name for
    :func:`~convdesigner.compute.device.resolve_device`."""

    epochs: int = 3
    batch_size: int = 64
    lr: float = DEFAULT_LR
    optimizer: str = "adam"
    seed: int = 0
    device: str = "auto"
    schedule: str = "constant"

    def describe(self) -> str:
        """``3 epochs (Adam, lr 0.002)``, ``… lr 0.01 → 0)`` with the linear schedule: what the
        undo step and the command line call a run."""
        name = {"adam": "Adam", "sgd": "SGD"}.get(self.optimizer, self.optimizer)
        return (f"{self.epochs} epoch{'s' if self.epochs != 1 else ''} ({name}, "
                f"lr {self.lr_text()})")

    def lr_text(self) -> str:
        """``0.002``, or ``0.01 → 0`` when it falls over the run."""
        return f"{self.lr:g}" + (" → 0" if self.schedule == "linear" else "")


def check_settings(settings: TrainSettings) -> None:
    """Raise :class:`TrainingError` for a setting that cannot be trained with."""
    def whole(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    if not whole(settings.epochs) or not 1 <= settings.epochs <= MAX_EPOCHS:
        raise TrainingError(f"epochs must be a whole number from 1 to {MAX_EPOCHS:,}, got "
                            f"{settings.epochs!r}")
    if not whole(settings.batch_size) or not 1 <= settings.batch_size <= MAX_BATCH_SIZE:
        raise TrainingError(f"the batch size must be a whole number from 1 to {MAX_BATCH_SIZE:,}, "
                            f"got {settings.batch_size!r}")
    lr = settings.lr
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise TrainingError(f"the learning rate must be a number above 0, got {lr!r}")
    if settings.optimizer not in OPTIMIZERS:
        raise TrainingError(f"the optimizer must be adam or sgd, got {settings.optimizer!r}")
    if settings.schedule not in SCHEDULES:
        raise TrainingError(f"the schedule must be constant or linear, got {settings.schedule!r}")
    if not whole(settings.seed) or not 0 <= settings.seed < 2**63:
        raise TrainingError(f"the seed must be a whole number from 0 to 2^63−1, got {settings.seed!r}")


def learning_rate(settings: TrainSettings, done_steps: int, total_steps: int) -> float:
    """The learning rate of the step after ``done_steps`` of ``total_steps``: ``settings.lr``
    throughout, or with the ``linear`` schedule ``lr · (1 − done_steps / total_steps)`` -- the
    full rate at the first step, falling by the same amount each step (learning-rate
    annealing: big steps while the weights are far from good ones, small ones to settle)."""
    if settings.schedule == "linear":
        return settings.lr * (1.0 - done_steps / max(total_steps, 1))
    return settings.lr


def trainability_problem(design: Design, image_shape: tuple[int, int, int] = DIGIT_SHAPE) -> str | None:
    """Why ``design`` cannot be trained to sort digits of ``image_shape`` into 10 classes, as one
    sentence, or None when it can. Digits smaller than the design's input are centred on it
    (:func:`digit_batch`). (The app offers the classifier head when the output is not 10 values;
    see :func:`needs_head`.)"""
    analysis = analyze(design)
    if analysis.problems:
        return f"the design cannot run: {analysis.first_problem_message()}"
    if not fits_inside(image_shape, design.input):
        return (f"the design's input is {shape_text(design.input.shape)} but the digits are "
                f"{shape_text(image_shape)}: set the input to {shape_text(image_shape)} (or "
                "larger: the digits are then centred on it)")
    if not any(layer.has_parameters for layer in design.layers):
        return "the design has no weights to train: add a Conv2d or Linear layer"
    if needs_head(design):
        output = analysis.output_shape
        return (f"the design's output is {shape_text(output, 'list')}, not {CLASSES} class scores: add a "
                f"classifier head (Flatten and Linear to {CLASSES} outputs)")
    return None


def digit_batch(digits: LabelledDigits, spec: InputSpec, device: torch.device | str) -> torch.Tensor:
    """All of ``digits`` as float32 ``[N, 1, H, W]`` on ``device``, as ``run`` gives a design of
    input ``spec`` one of them: in [0, 1], centred on a zero field when the design's input is
    larger (LeNet-5's 28×28 digits on 32×32), never cropped (:func:`trainability_problem` refuses
    a smaller input first)."""
    pixels = centre_on(digits.pixels(np.arange(len(digits))), spec.height, spec.width)
    return torch.from_numpy(pixels).to(device)


def needs_head(design: Design) -> bool:
    """True when the valid ``design``'s output is not 10 values (class scores)."""
    output = analyze(design).output_shape
    return output is None or int(np.prod(output)) != CLASSES or len(output) != 1


@dataclass(frozen=True)
class StepReport:
    """After step ``step`` (1-based) of ``steps_per_epoch`` in epoch ``epoch`` (1-based) of
    ``epochs``: ``loss`` of that batch, ``samples`` trained on so far in the run, ``seconds``
    since the run started (not counting pauses)."""

    epoch: int
    epochs: int
    step: int
    steps_per_epoch: int
    loss: float
    samples: int
    seconds: float

    @property
    def done_steps(self) -> int:
        return (self.epoch - 1) * self.steps_per_epoch + self.step

    @property
    def total_steps(self) -> int:
        return self.epochs * self.steps_per_epoch

    @property
    def seconds_left(self) -> float:
        """The time left at this pace (evaluation after each epoch not counted)."""
        return self.seconds / self.done_steps * (self.total_steps - self.done_steps)


@dataclass(frozen=True)
class EpochReport:
    """After epoch ``epoch`` (1-based): the mean training ``loss`` over its batches,
    ``train_accuracy`` over those batches (as they were trained on, Dropout active), the
    ``heldout_accuracy`` and ``heldout_loss`` after it, and its ``seconds`` (evaluation
    included)."""

    epoch: int
    epochs: int
    loss: float
    train_accuracy: float
    heldout_loss: float
    heldout_accuracy: float
    seconds: float


@dataclass(frozen=True)
class TrainResult:
    """``design``: the trained design (every parameter explicit) -- or the design as it was before
    the run when ``diverged``. ``stopped``: ended by a stop request before the last step."""

    design: Design
    epochs: tuple[EpochReport, ...]
    steps: int
    stopped: bool = False
    diverged: bool = False
    #: Why the run diverged (translatable: the app shows it in the user's language), or None.
    reason: Text | None = None
    history: tuple[StepReport, ...] = field(default=(), repr=False)

    @property
    def message(self) -> str:
        """:attr:`reason` in English ("" when there is none), as the command line prints it."""
        return str(self.reason) if self.reason is not None else ""

    @property
    def learned_nothing(self) -> bool:
        """True when the run went through all its epochs and the held-out accuracy is still no
        better than guessing (:data:`GUESSING_ACCURACY`)."""
        return (not self.stopped and not self.diverged and bool(self.epochs)
                and self.epochs[-1].heldout_accuracy <= GUESSING_ACCURACY)


def _never() -> bool:
    return False


class Trainer:
    """One training run of ``design`` on ``data`` with ``settings``.

    Construction checks everything (raises :class:`TrainingError`), fills in missing weights
    from the design's seed, builds the model on the device and moves the digits there.
    :meth:`run` then trains; call it once, from one thread.
    """

    def __init__(self, design: Design, data: TrainingData, settings: TrainSettings) -> None:
        check_settings(settings)
        problem = trainability_problem(design, data.train.image_shape)
        if problem is not None:
            raise TrainingError(problem)
        if not fits_inside(data.heldout.image_shape, design.input):
            raise TrainingError(
                f"accuracy is measured on {data.heldout.name}, which are "
                f"{shape_text(data.heldout.image_shape)}, but the design's input is "
                f"{shape_text(design.input.shape)}: set the input to "
                f"{shape_text(data.heldout.image_shape)} or larger")
        if len(data.train) == 0:
            raise TrainingError(f"{data.train.name}: no digits to train on")
        choice = resolve_device(settings.device)
        self.device: torch.device = choice.device
        #: Why the device is not the one asked for, or None.
        self.note: str | None = choice.note
        self.settings = settings
        self.data = data
        self.original = design
        self._design = materialize(design)
        self.model = build_model(self._design, device=self.device)
        self._train_x = self._tensor(data.train)
        self._train_y = torch.from_numpy(np.asarray(data.train.labels)).to(self.device)
        self._heldout_x = self._tensor(data.heldout)
        self._heldout_y = torch.from_numpy(np.asarray(data.heldout.labels)).to(self.device)
        parameters = [p for p in self.model.parameters() if p.requires_grad]
        # The fused implementations update every tensor in one operation: the same arithmetic in
        # far fewer Python-level calls, which matters when a GUI thread shares the interpreter.
        fused = True if self.device.type in ("cpu", "cuda") else None
        if settings.optimizer == "adam":
            self.optimizer: torch.optim.Optimizer = torch.optim.Adam(parameters, lr=settings.lr,
                                                                     fused=fused)
        else:
            self.optimizer = torch.optim.SGD(parameters, lr=settings.lr, momentum=SGD_MOMENTUM,
                                             fused=fused)
        self.loss_function = nn.CrossEntropyLoss()
        self.steps_per_epoch = math.ceil(len(data.train) / settings.batch_size)
        #: The report of the newest step (None before the first).
        self.last_report: StepReport | None = None

    def _tensor(self, digits: LabelledDigits) -> torch.Tensor:
        # Converted once (as mnist:L:i converts one digit), not per batch.
        return digit_batch(digits, self._design.input, self.device)

    def warm_up(self, steps: int = 2) -> None:
        """Run ``steps`` forward and backward passes on a throwaway copy of the model, with batches
        of the sizes the run will use, so that the run's own first steps do not pay for what a
        fresh process pays once (memory mapped and faulted in, oneDNN primitives made for these
        shapes). It changes nothing a run gives: the copy's weights and gradients are dropped,
        and :meth:`run` seeds its own random numbers. The app's training process calls it while
        it starts; the command line does not."""
        import copy
        model = copy.deepcopy(self.model)
        model.train()
        sizes = {min(self.settings.batch_size, len(self.data.train))}
        last = len(self.data.train) % self.settings.batch_size
        if last:
            sizes.add(last)
        for size in sorted(sizes):
            x, y = self._train_x[:size], self._train_y[:size]
            for _ in range(steps):
                loss = self.loss_function(model(x), y)
                loss.backward()
                float(loss.item())
                model.zero_grad(set_to_none=True)
        del model

    def parameter_bytes(self) -> int:
        """Bytes one copy of the design's tensors takes (parameters and buffers, float32)."""
        return sum(t.numel() * t.element_size() for t in self.model.state_dict().values())

    def current_tensors(self) -> dict[int, dict[str, torch.Tensor]]:
        """``{layer index: {name: tensor}}`` of the design's tensors as they are now: the model's
        own (CPU) tensors or CPU copies -- read them before the next step changes them."""
        tensors: dict[int, dict[str, torch.Tensor]] = {}
        for index, layer in enumerate(self._design.layers):
            if layer.has_parameters:
                state = self.model[index].state_dict()
                tensors[index] = {name: state[name].detach().cpu()
                                  for name in layer.parameter_names()}
        return tensors

    def current_design(self) -> Design:
        """The design holding the model's weights as they are now (new float32 arrays). Call it
        from inside a :meth:`run` callback (between two steps) or after :meth:`run`."""
        with torch.no_grad():
            return self._design.with_layer_parameters(
                {index: {name: tensor.numpy() for name, tensor in named.items()}
                 for index, named in self.current_tensors().items()})

    def evaluate(self) -> tuple[float, float]:
        """``(loss, accuracy)`` of the model as it is now on the held-out digits."""
        return evaluate_model(self.model, self._heldout_x, self._heldout_y)

    def run(self, *, on_step: Callable[[StepReport], None] | None = None,
            on_epoch: Callable[[EpochReport], None] | None = None,
            should_stop: Callable[[], bool] = _never,
            wait_while_paused: Callable[[], float] | None = None,
            step_lock: AbstractContextManager[object] | None = None) -> TrainResult:
        """Train for ``settings.epochs`` epochs; returns a :class:`TrainResult`.

        ``on_step`` and ``on_epoch`` are called on this thread after each step / epoch.
        ``should_stop`` is asked before each step. ``wait_while_paused`` is called before each
        step; it blocks while the run is paused and returns the seconds it waited (which the
        reported times leave out). ``step_lock`` is held around each step's forward, backward and
        update (a caller training on a thread beside live frames can pass
        :data:`convdesigner.compute.exclusive.TORCH_WORK`, so that the two take turns). Raises
        :class:`TrainingError` when PyTorch fails (memory).
        """
        lock: AbstractContextManager[object] = step_lock if step_lock is not None else nullcontext()
        settings = self.settings
        generator = np.random.default_rng(settings.seed)
        count = len(self.data.train)
        epochs: list[EpochReport] = []
        history: list[StepReport] = []
        samples = 0
        paused = 0.0
        start = time.perf_counter()
        total_steps = settings.epochs * self.steps_per_epoch
        devices = [self.device.index or 0] if self.device.type == "cuda" else []
        try:
            with torch.random.fork_rng(devices=devices):
                torch.manual_seed(settings.seed)
                for epoch in range(1, settings.epochs + 1):
                    epoch_start = time.perf_counter()
                    epoch_paused = paused
                    order = torch.from_numpy(generator.permutation(count)).to(self.device)
                    self.model.train()
                    loss_sum, correct, seen = 0.0, 0, 0
                    for step in range(1, self.steps_per_epoch + 1):
                        if wait_while_paused is not None:
                            paused += wait_while_paused()
                        if should_stop():
                            return self._finish(epochs, history, stopped=True)
                        batch = order[(step - 1) * settings.batch_size: step * settings.batch_size]
                        x, y = self._train_x[batch], self._train_y[batch]
                        if settings.schedule != "constant":
                            rate = learning_rate(settings, len(history), total_steps)
                            for group in self.optimizer.param_groups:
                                group["lr"] = rate
                        with lock:
                            self.optimizer.zero_grad(set_to_none=True)
                            scores = self.model(x)
                            loss = self.loss_function(scores, y)
                            loss.backward()
                            self.optimizer.step()
                            value = float(loss.item())
                        if not math.isfinite(value) or value > DIVERGED_LOSS:
                            return TrainResult(
                                self.original, tuple(epochs), len(history), diverged=True,
                                reason=Text(CONTEXT, QT_TRANSLATE_NOOP(
                                    "Training", "the loss became {loss} at step {step} of epoch "
                                    "{epoch} (the learning rate {lr} is probably too large); the "
                                    "weights are as they were before the run"),
                                    {"loss": f"{value:.4g}", "step": step, "epoch": epoch,
                                     "lr": f"{settings.lr:g}"}),
                                history=tuple(history))
                        samples += len(batch)
                        loss_sum += value * len(batch)
                        correct += int((scores.argmax(1) == y).sum())
                        seen += len(batch)
                        report = StepReport(epoch, settings.epochs, step, self.steps_per_epoch, value,
                                            samples, time.perf_counter() - start - paused)
                        history.append(report)
                        self.last_report = report
                        if on_step is not None:
                            on_step(report)
                    self.model.eval()
                    with lock:
                        heldout_loss, heldout_accuracy = self.evaluate()
                    if not math.isfinite(heldout_loss):
                        return TrainResult(
                            self.original, tuple(epochs), len(history), diverged=True,
                            reason=Text(CONTEXT, QT_TRANSLATE_NOOP(
                                "Training", "the held-out loss became {loss} after epoch {epoch}; "
                                "the weights are as they were before the run"),
                                {"loss": f"{heldout_loss}", "epoch": epoch}),
                            history=tuple(history))
                    report_epoch = EpochReport(
                        epoch, settings.epochs, loss_sum / seen, correct / seen, heldout_loss,
                        heldout_accuracy, time.perf_counter() - epoch_start - (paused - epoch_paused))
                    epochs.append(report_epoch)
                    if on_epoch is not None:
                        on_epoch(report_epoch)
        except (RuntimeError, MemoryError) as error:
            first = (str(error).strip().splitlines() or ["unknown error"])[0]
            raise TrainingError(f"PyTorch could not train the design: {first}") from None
        finally:
            self.model.eval()
        return self._finish(epochs, history, stopped=False)

    def _finish(self, epochs: list[EpochReport], history: list[StepReport], *,
                stopped: bool) -> TrainResult:
        self.model.eval()
        return TrainResult(self.current_design(), tuple(epochs), len(history), stopped=stopped,
                           history=tuple(history))


def evaluate_model(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """``(mean cross-entropy loss, accuracy)`` of ``model`` (in eval mode) on ``x``, ``y``."""
    if len(y) == 0:
        return math.nan, math.nan
    loss_sum, correct = 0.0, 0
    with torch.inference_mode():
        for start in range(0, len(y), EVAL_BATCH):
            scores = model(x[start:start + EVAL_BATCH])
            labels = y[start:start + EVAL_BATCH]
            loss_sum += float(nn.functional.cross_entropy(scores, labels, reduction="sum"))
            correct += int((scores.argmax(1) == labels).sum())
    return loss_sum / len(y), correct / len(y)


@dataclass(frozen=True)
class Evaluation:
    """``accuracy`` and ``loss`` on ``count`` digits, and ``confusion[true][predicted]``."""

    count: int
    loss: float
    accuracy: float
    confusion: np.ndarray


def evaluate(design: Design, digits: LabelledDigits, device: str = "cpu") -> Evaluation:
    """How well ``design`` sorts ``digits`` (raises :class:`TrainingError` when it cannot)."""
    problem = trainability_problem(design, digits.image_shape)
    if problem is not None:
        raise TrainingError(problem)
    choice = resolve_device(device)
    model = build_model(design, device=choice.device)
    x = digit_batch(digits, design.input, choice.device)
    y = torch.from_numpy(np.asarray(digits.labels)).to(choice.device)
    confusion = np.zeros((CLASSES, CLASSES), dtype=np.int64)
    loss_sum = 0.0
    with torch.inference_mode():
        for start in range(0, len(y), EVAL_BATCH):
            scores = model(x[start:start + EVAL_BATCH])
            labels = y[start:start + EVAL_BATCH]
            loss_sum += float(nn.functional.cross_entropy(scores, labels, reduction="sum"))
            predicted = scores.argmax(1).cpu().numpy()
            np.add.at(confusion, (labels.cpu().numpy(), predicted), 1)
    count = len(digits)
    accuracy = float(np.trace(confusion)) / count if count else math.nan
    return Evaluation(count, loss_sum / count if count else math.nan, accuracy, confusion)

