"""Benchmark: does training reach its targets, and does watching it live cost anything?

Prints a table (and writes it with ``--json OUT``):

1. **Accuracy** -- held-out accuracy (the bundled digits' fixed split: per label the last 20 %)
   after each of 3 epochs of Adam (CPU), trained by ``convdesigner.compute.training.Trainer``
   exactly as ``convdesigner train`` does, for

   * the learner's design + ``LeakyReLU(0.2)`` + the head: ``Conv2d(1, 64, 4, 2, 1)``,
     ``LeakyReLU(0.2)``, ``Conv2d(64, 128, 4, 2, 1)``, ``LeakyReLU(0.2)``, ``Flatten()``,
     ``Linear(6272, 10)``, at the Train panel's defaults (lr 0.002, batch 64), seeds 0 to 4, and
     at PyTorch's own Adam default, lr 0.001, seeds 0 to 4;
   * LeNet-5 as LeCun et al. (1998) built it -- the app's lesson "LeNet-5 (convolutional
     part)", its 1×32×32 input (the 28×28 digits centred on it, as the paper did), ``Conv2d(1,
     6, 5)``, ``Tanh()``, ``AvgPool2d(2)``, ``Conv2d(6, 16, 5)``, ``Tanh()``, ``AvgPool2d(2)`` --
     with the head the Train panel's "Add a classifier head" appends (``Flatten()``,
     ``Linear(400, 10)``), at the defaults, at the best constant rate found (lr 0.003, batch 8),
     seeds 0, 1, 2, and at the settings its lesson suggests (lr 0.01 falling linearly to 0,
     batch 16), seeds 0 to 4;
   * LeNet-5 with ``ReLU`` and ``MaxPool2d`` in place of ``Tanh`` and ``AvgPool2d``, as
     PyTorch's own tutorial writes LeNet ("Neural Networks", the 60-minute blitz; its
     convolution part, with the same one-``Linear`` head), lr 0.005, batch 32, seeds 0, 1, 2.

   Target: ≥ 95 % after 3 epochs.

2. **Throughput with live views** -- samples per second of one epoch trained in the app (the real
   main window, offscreen, 1280×800, the kernel matrix of layer 2, the feature maps and the
   prediction chart shown and following the weights) against a plain PyTorch loop
   (``nn.Sequential`` built here from ``torch.nn``, Adam with ``fused=True`` as the app's trainer
   uses it, the same batch size and the same digits as float32 tensors), measured in the same
   run, alternating plain, app, plain, app, …, plain (``--rounds`` app epochs, after one plain
   epoch that warms up and is not counted); each app epoch is compared with the mean of the plain epochs just
   before and after it (so a slow drift of the machine's load cancels), and the median of those
   ratios is reported. Target: ≥ 0.9×. Then one more app epoch while a brush stroke
   arrives every 50 ms the whole time (a learner painting non-stop), reported beside it.

3. **Responsiveness while training** -- in two more app epochs (one idle, one painting every
   50 ms): the longest event-loop block (a 5 ms timer records its own lateness; it runs only in
   these two epochs, because its 200 wake-ups a second themselves take the CPU from the
   training, which the throughput epochs must not measure), and in every app epoch how many
   times per second the views were refreshed with new weights (frames showing a new weight
   snapshot). Targets: ≤ 50 ms, ≥ 4 per second. Also: the seconds from Start to the first step
   (a fresh process starts and imports PyTorch, then loads the digits and builds the model,
   then warms up; as in the app, a process started in advance while the Train panel was shown
   for ``START_AFTER_SECONDS`` takes the run) and the share of one core the app's own process
   used while it trained.

4. With CUDA present: the same accuracy runs on CUDA, and CPU vs GPU samples/s side by side.
   ``--device cuda`` also runs parts 2 and 3 on CUDA (the app's training and its frames, and the
   plain loop), 20 epochs a run (``--throughput-epochs``), since one epoch is over in a
   fraction of a second there. ``tools/device_check.sh`` runs it on a lent GPU machine.

Usage: ``python benchmarks/train.py [--json OUT] [--quick] [--rounds N] [--device cpu|cuda]``
(``--quick``: 1 epoch, 1 round, a smoke run).
Timings are figures to read, not assertions: no test depends on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import torch
from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from torch import nn

from convdesigner.compute.training import Trainer, TrainSettings
from convdesigner.data.mnist import bundled_digit
from convdesigner.data.training_data import DEFAULT_LR, bundled_training_data
from convdesigner.design.analysis import analyze
from convdesigner.design.catalog import classifier_head
from convdesigner.design.layers import (
    Conv2d,
    Design,
    Flatten,
    InputSpec,
    LeakyReLU,
    Linear,
    MaxPool2d,
    ReLU,
)
from convdesigner.design.lessons import lenet5
from convdesigner.ui.app import configure_qt

LEARNER = Design(InputSpec(1, 28, 28), (
    Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1), LeakyReLU(0.2), Flatten(),
    Linear(6272, 10)), name="learner's design + LeakyReLU + head")
def _with_head(design: Design, name: str) -> Design:
    """``design`` with the head the Train panel's "Add a classifier head" appends."""
    head = classifier_head(design, analyze(design))
    assert head is not None
    return replace(design, layers=design.layers + head, name=name)


#: The lesson "LeNet-5 (convolutional part)" as LeCun et al. built it -- 1×32×32 input (the digits
#: centred on it), Tanh, AvgPool2d -- with the head the app adds.
LENET = _with_head(lenet5(), "LeNet-5 (1998: 32×32, Tanh, AvgPool2d) + head")
LENET_TUTORIAL = Design(InputSpec(1, 28, 28), (
    Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2),
    Flatten(), Linear(400, 10)), name="LeNet-5 + head, ReLU and max-pool (PyTorch's tutorial)")
BATCH = 64
#: How long the Train panel is shown before Start is pressed in an app run (seconds).
START_AFTER_SECONDS = 4.0
#: (design, lr, batch size, schedule, seeds) of the accuracy runs.
ACCURACY_RUNS = [(LEARNER, DEFAULT_LR, BATCH, "constant", (0, 1, 2, 3, 4)),
                 (LEARNER, 0.001, BATCH, "constant", (0, 1, 2, 3, 4)),
                 (LENET, DEFAULT_LR, BATCH, "constant", (0,)), (LENET, 0.003, 8, "constant", (0, 1, 2)),
                 (LENET, 0.01, 16, "linear", (0, 1, 2, 3, 4)),
                 (LENET_TUTORIAL, 0.005, 32, "constant", (0, 1, 2))]


def accuracy_run(design: Design, epochs: int, device: str, lr: float = DEFAULT_LR, batch: int = BATCH,
                 seed: int = 0, schedule: str = "constant") -> dict:
    settings = TrainSettings(epochs=epochs, batch_size=batch, lr=lr, optimizer="adam", seed=seed,
                             device=device, schedule=schedule)
    trainer = Trainer(design, bundled_training_data(), settings)
    started = time.perf_counter()
    result = trainer.run()
    seconds = time.perf_counter() - started
    return {"design": design.name, "device": str(trainer.device), "lr": lr, "batch_size": batch,
            "schedule": schedule, "seed": seed,
            "heldout_accuracy": [e.heldout_accuracy for e in result.epochs],
            "train_accuracy": [e.train_accuracy for e in result.epochs],
            "seconds_per_epoch": [e.seconds for e in result.epochs],
            "samples_per_second": result.history[-1].samples / result.history[-1].seconds,
            "total_seconds": seconds}


def plain_loop(device: str = "cpu", epochs: int = 1) -> float:
    """Samples/s of ``epochs`` epochs of a plain PyTorch loop over the learner's design + head;
    between two epochs it evaluates the held-out digits, as the app's run does (the app's
    figure, too, stops at its last step, before the last evaluation)."""
    data = bundled_training_data()
    x = torch.from_numpy(data.train.pixels(np.arange(len(data.train)))).to(device)
    y = torch.from_numpy(data.train.labels).to(device)
    heldout = torch.from_numpy(data.heldout.pixels(np.arange(len(data.heldout)))).to(device)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1),
                          nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(6272, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=DEFAULT_LR, fused=True)   # as the app's
    loss_function = nn.CrossEntropyLoss()
    order = torch.from_numpy(np.random.default_rng(0).permutation(len(y))).to(device)
    model.train()
    synchronize(device)
    started = time.perf_counter()
    for epoch in range(epochs):
        if epoch:
            model.eval()
            with torch.inference_mode():
                for start in range(0, len(heldout), 1000):
                    model(heldout[start:start + 1000]).argmax(1).cpu()
            model.train()
        for start in range(0, len(y), BATCH):
            batch = order[start:start + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            loss.item()   # the app reads every step's loss too (which waits for a GPU, too)
    synchronize(device)
    return epochs * len(y) / (time.perf_counter() - started)


def synchronize(device: str) -> None:
    """Wait for the GPU's queued work, so that a clock read after it counts that work."""
    if device == "cuda":
        torch.cuda.synchronize()


def app_run(settings_folder: Path, paint: bool, watch_blocks: bool = True,
            device: str = "cpu", epochs: int = 1) -> dict:
    """One epoch trained in the real window with every live view on; see the module docstring.
    ``device``: where the training runs and the window computes its frames (the app's choice
    of "auto" on a machine with that device)."""
    from convdesigner.ui.main_window import MainWindow
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    # As the app: a training process is started in advance once the Train panel is shown.
    window = MainWindow(DesignDocument(LEARNER, bundled_digit(7, 0)[None]),
                        AppSettings(settings_folder / "s.ini"), device=device, train_in_advance=True)
    window.resize(1280, 800)
    window.views.setCurrentWidget(window.kernel_matrix)
    window.docks["prediction"].raise_()
    window.docks["train"].raise_()
    window.selection.select(layer=2)
    window.show()

    def wait_for(condition, timeout_s: float) -> None:
        deadline = time.perf_counter() + timeout_s
        waker = QTimer()
        waker.start(100)
        try:
            while not condition():
                if time.perf_counter() > deadline:
                    raise TimeoutError("timed out")
                app.processEvents(QEventLoop.WaitForMoreEvents)
        finally:
            waker.stop()

    wait_for(lambda: window.live.idle and window.last_frame is not None, 600)
    canvas = window.input_panel.canvas

    def send(kind, position: QPointF) -> None:
        buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else Qt.LeftButton
        QApplication.sendEvent(canvas, QMouseEvent(kind, position, canvas.mapToGlobal(position),
                                                   Qt.LeftButton, buttons, Qt.NoModifier))

    frames = [0]
    renders: list[float] = []
    weights_shown: list[object] = []

    def shown(frame) -> None:
        frames[0] += 1
        renders.append(window.last_render_ms)
        if not weights_shown or frame.design is not weights_shown[-1]:
            weights_shown.append(frame.design)   # a frame with new weights (not just a stroke)

    window.frameShown.connect(shown)
    lateness: list[float] = []
    last_tick = [time.perf_counter()]
    step = [0]

    when: list[float] = []

    def tick() -> None:
        now = time.perf_counter()
        lateness.append((now - last_tick[0]) * 1000 - 5.0)
        when.append(now)
        last_tick[0] = now

    def stroke() -> None:
        step[0] += 1
        angle = step[0] * 0.3
        send(QEvent.MouseMove, QPointF(canvas.width() * (0.5 + 0.25 * np.cos(angle)),
                                       canvas.height() * (0.5 + 0.25 * np.sin(angle))))

    panel = window.train_panel
    panel.epochs_box.setValue(epochs)
    panel.batch_box.setValue(BATCH)
    wait_for(lambda: panel.device_box.findData(device) >= 0, 60)   # once the devices are known
    panel.device_box.setCurrentIndex(panel.device_box.findData(device))
    ticker, stroker = QTimer(), QTimer()
    ticker.setTimerType(Qt.PreciseTimer)
    stroker.setTimerType(Qt.PreciseTimer)
    ticker.timeout.connect(tick)
    stroker.timeout.connect(stroke)
    # A learner reads the panel before pressing Start: the process started in advance has
    # imported PyTorch meanwhile (it takes about 2 s on this machine).
    wait_for(lambda: window.training._standby is not None, 60)
    settle_until = time.perf_counter() + START_AFTER_SECONDS
    wait_for(lambda: time.perf_counter() > settle_until, 60)
    send(QEvent.MouseButtonPress, QPointF(canvas.width() * 0.5, canvas.height() * 0.5))
    panel.start()
    wait_for(lambda: window.training.last_step is not None, 600)   # data loaded, first step done
    frames[0] = 0
    renders.clear()
    weights_shown.clear()
    previews_before = window.training.preview_count
    started = time.perf_counter()
    cpu_started = time.process_time()
    last_tick[0] = started
    if watch_blocks:
        ticker.start(5)
    if paint:
        stroker.start(50)
    wait_for(lambda: not window.training.busy, 3600)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    ticker.stop()
    stroker.stop()
    send(QEvent.MouseButtonRelease, QPointF(canvas.width() * 0.5, canvas.height() * 0.5))
    report = window.training.last_step
    result = {
        "samples_per_second": report.samples / report.seconds,
        "longest_block_ms": max(lateness) + 5.0 if lateness else None,
        # When it ended, in seconds after the first step (the run lasted "seconds").
        "longest_block_at": when[int(np.argmax(lateness))] - started if lateness else None,
        "blocks_over_50_ms": [(round(w - started, 2), round(b + 5.0, 1))
                              for w, b in zip(when, lateness, strict=True) if b + 5.0 > 50],
        "seconds": seconds,
        "start_seconds": window.training.start_seconds,
        "started_in_advance": window.training.used_standby,
        "start_timings": window.training.start_timings,
        "app_process_core_share": cpu_seconds / seconds,
        "frames_per_second": frames[0] / seconds,
        "views_refreshed_per_second": len(weights_shown) / seconds,
        "render_ms_p50_max": [float(np.median(renders)), float(max(renders))] if renders else None,
        "previews_per_second": (window.training.preview_count - previews_before) / seconds,
        "strokes": step[0],
        "heldout_accuracy": window.training.epochs[-1].heldout_accuracy if window.training.epochs
        else None,
    }
    window.document.undo_stack.setClean()
    window.close()
    # Gone for good, as when a learner quits: a closed window left alive would go on listening
    # (zoom, settings) and make every later epoch of this benchmark slower.
    window.deleteLater()
    app.processEvents()
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    app.processEvents()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="1 epoch, 1 round (a smoke run)")
    parser.add_argument("--rounds", type=int, default=3, help="plain / app alternations (3)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                        help="where the throughput runs train, app and plain loop alike (cpu); "
                             "with cuda, the accuracy runs are repeated on CUDA beside the CPU's")
    parser.add_argument("--throughput-epochs", type=int, default=None, metavar="N",
                        help="epochs per throughput run (1 on the CPU, 20 on CUDA, where one "
                             "epoch of 100 steps is over in a fraction of a second)")
    args = parser.parse_args()
    device = args.device
    if device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda: CUDA is not available here")
    per_run = args.throughput_epochs or (20 if device == "cuda" else 1)
    configure_qt()        # as the app starts Qt
    app = QApplication.instance() or QApplication([])
    epochs = 1 if args.quick else 3
    results: dict = {"machine": platform.platform(), "cpu_count": os.cpu_count(),
                     "torch": torch.__version__, "torch_threads": torch.get_num_threads()}

    print(f"Accuracy: {epochs} epochs of Adam on the bundled digits; held-out = per label the "
          "last 20 %")
    results["accuracy"] = []
    for design, lr, batch, schedule, seeds in ACCURACY_RUNS:
        for seed in seeds:
            run = accuracy_run(design, epochs, "cpu", lr, batch, seed, schedule)
            results["accuracy"].append(run)
            per_epoch = ", ".join(f"{a * 100:.2f} %" for a in run["heldout_accuracy"])
            seconds = ", ".join(f"{s:.1f}" for s in run["seconds_per_epoch"])
            rate = f"{lr:g} → 0" if schedule == "linear" else f"{lr:g}"
            print(f"  {design.name}, lr {rate}, batch {batch}, seed {seed}: held-out accuracy per "
                  f"epoch {per_epoch} (seconds per epoch {seconds}; "
                  f"{run['samples_per_second']:.0f} samples/s)")

    rounds = 1 if args.quick else max(args.rounds, 1)
    print(f"Throughput on {device}: {per_run} epoch{'s' if per_run > 1 else ''} a run, batch 64, "
          f"learner's design + head; plain / app × {rounds}")

    def plain_run() -> float:
        return plain_loop(device, per_run)

    plain_loop(device)   # warm-up: the first epoch of a process pays for allocations and caches
    plains, apps = [plain_run()], []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)

        def app_epochs(paint: bool, watch_blocks: bool) -> dict:
            return app_run(folder, paint, watch_blocks, device, per_run)

        for _ in range(rounds):
            apps.append(app_epochs(paint=False, watch_blocks=False))
            plains.append(plain_run())
        painting = app_epochs(paint=True, watch_blocks=False)
        plains.append(plain_run())
        watched = [app_epochs(paint=False, watch_blocks=True),
                   app_epochs(paint=True, watch_blocks=True)]
    ratios = [a["samples_per_second"] / ((plains[i] + plains[i + 1]) / 2) for i, a in enumerate(apps)]
    plain = float(np.median(plains))
    app_rate = float(np.median([a["samples_per_second"] for a in apps]))
    ratio = float(np.median(ratios))
    painting_ratio = painting["samples_per_second"] / ((plains[-2] + plains[-1]) / 2)
    results["throughput"] = {"device": device, "epochs_per_run": per_run,
                             "plain_samples_per_second": plains, "app": apps,
                             "app_painting": painting, "ratios": ratios, "ratio": ratio,
                             "ratio_painting": painting_ratio}
    results["responsiveness"] = {"idle": watched[0], "painting": watched[1]}
    print(f"  plain PyTorch loop: {', '.join(f'{p:.0f}' for p in plains)} samples/s (median {plain:.0f})")
    app_rates = ", ".join(f"{a['samples_per_second']:.0f}" for a in apps)
    print(f"  the app, live views on: {app_rates} samples/s (median {app_rate:.0f}); each against "
          f"the plain epochs around it: {', '.join(f'{r:.2f}×' for r in ratios)}, median "
          f"{ratio:.2f}× (target ≥ 0.9×)")
    print(f"  painting non-stop: {painting['samples_per_second']:.0f} samples/s = "
          f"{painting_ratio:.2f}× the plain epochs around it")
    for name, figures in [*((f"app epoch {i + 1}", a) for i, a in enumerate(apps)),
                          ("app epoch, painting every 50 ms", painting),
                          ("responsiveness epoch", watched[0]),
                          ("responsiveness epoch, painting every 50 ms", watched[1])]:
        block = figures["longest_block_ms"]
        starting = figures["start_seconds"] - sum(figures["start_timings"].values())
        print(f"  {name}: "
              + (f"longest event-loop block {block:.1f} ms (target ≤ 50 ms); " if block else "")
              + f"views refreshed with new weights {figures['views_refreshed_per_second']:.1f}/s "
              f"(target ≥ 4); {figures['frames_per_second']:.1f} frames/s in all; render p50 / max "
              f"{figures['render_ms_p50_max'][0]:.1f} / {figures['render_ms_p50_max'][1]:.1f} ms; "
              f"{figures['samples_per_second']:.0f} samples/s; {figures['strokes']} strokes; "
              f"Start → first step {figures['start_seconds']:.2f} s ("
              + ("a process started in advance; handing it the run "
                 if figures["started_in_advance"] else "process start and PyTorch import ")
              + f"{starting:.2f}, digits and model {figures['start_timings']['build_seconds']:.2f}, "
              f"warm-up {figures['start_timings']['warm_up_seconds']:.2f}); the app's process used "
              f"{figures['app_process_core_share'] * 100:.0f} % of a core")

    if torch.cuda.is_available():
        print("CUDA:")
        results["cuda"] = []
        for design, lr, batch, schedule, _seeds in ACCURACY_RUNS:
            run = accuracy_run(design, epochs, "cuda", lr, batch, schedule=schedule)
            results["cuda"].append(run)
            cpu = next(r for r in results["accuracy"] if r["design"] == design.name
                       and r["lr"] == lr and r["batch_size"] == batch
                       and r["schedule"] == schedule)
            print(f"  {design.name}: held-out {run['heldout_accuracy'][-1] * 100:.2f} %, "
                  f"{run['samples_per_second']:.0f} samples/s on {run['device']} vs "
                  f"{cpu['samples_per_second']:.0f} on the CPU")
    else:
        print("CUDA: not available on this machine (GPU figures not measured)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
