"""``convdesigner --self-test``: one live update end to end, checked against PyTorch, and a
short training run in the app's training process.

Installers run it after installing: it proves that Qt starts (offscreen), torch computes, the
worker thread delivers a frame, the numbers the views show equal an independent PyTorch
computation, and that the training process starts (a *spawned* process: in a frozen app on
Windows and macOS it is the app's own executable, which must recognise it as a child), trains
and hands its weights back -- the same weights as the same loop run here. Prints a short report;
returns 0 when everything passed, 1 otherwise.
"""

from __future__ import annotations

import platform
import sys
import time

import numpy as np


def run_self_test(window) -> int:
    import torch
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication

    started = time.perf_counter()
    checks: list[tuple[str, bool, str]] = []
    window.resize(1280, 800)
    window.show()
    frame = window.wait_for_frame()
    checks.append(("live update arrives", frame is not None,
                   f"{(time.perf_counter() - started) * 1000:.0f} ms" if frame else "timed out"))
    if frame is not None:
        reference = independent_outputs(frame.design, frame.image)
        compared, worst = 0, 0.0
        for index, expected in enumerate(reference):
            shown = window.feature_maps.displayed_maps(index)
            ok_shape = shown is not None and shown.shape == expected.shape
            difference = float(np.max(np.abs(shown - expected))) if ok_shape else float("inf")
            worst = max(worst, difference)
            compared += expected.size
        tolerance = 1e-5 if frame.device == "cpu" else 1e-3
        checks.append(("feature maps shown equal PyTorch", worst <= tolerance,
                       f"{compared:,} values, largest difference {worst:.3g}"))
        if frame.contributions is not None:
            layer_index, channel = frame.focus
            total = frame.contributions.partial_maps.sum(axis=0) + frame.contributions.bias
            expected = reference[layer_index][channel]
            difference = float(np.max(np.abs(total - expected)))
            checks.append((f"Σ partial maps + bias = feature map (layer {layer_index}, channel {channel})",
                           difference <= 1e-4, f"largest difference {difference:.3g}"))
    checks.append(training_check(window))
    window.live.shutdown()
    print(f"ConvDesigner self-test — Python {platform.python_version()}, torch {torch.__version__}, "
          f"PySide6 {pyside_version}, Qt platform {QGuiApplication.platformName()}, "
          f"device {frame.device if frame else '?'}")
    for name, passed, detail in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")
    passed = all(ok for _, ok, _ in checks)
    print("self-test passed" if passed else "self-test FAILED", file=sys.stdout if passed else sys.stderr)
    return 0 if passed else 1


#: The self-test's training run: a small classifier, 128 digits, 4 steps.
SELF_TEST_TRAIN_DIGITS = 128


def training_check(window, timeout_ms: int = 180000) -> tuple[str, bool, str]:
    """Train a small design for one epoch of :data:`SELF_TEST_TRAIN_DIGITS` digits in the app's
    training process (a :class:`TrainingSession` of its own, beside ``window``'s), and compare
    the weights it hands back with the same :class:`Trainer` loop run in this process."""
    from PySide6.QtCore import QEventLoop, QTimer

    from convdesigner.compute.training import Trainer, TrainSettings
    from convdesigner.data.training_data import LabelledDigits, TrainingData, bundled_training_data
    from convdesigner.design.layers import Conv2d, Design, Flatten, InputSpec, Linear, ReLU
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.training import TrainingSession

    name = "training process: trains and hands back the weights"
    started = time.perf_counter()
    design = Design(InputSpec(1, 28, 28), (Conv2d(1, 4, 4, 2, 1), ReLU(), Flatten(),
                                           Linear(4 * 14 * 14, 10)), seed=0)
    full = bundled_training_data()
    chosen = np.linspace(0, len(full.train) - 1, SELF_TEST_TRAIN_DIGITS).astype(int)
    kept = np.linspace(0, len(full.heldout) - 1, 50).astype(int)
    data = TrainingData(LabelledDigits(full.train.images[chosen], full.train.labels[chosen], "some"),
                        LabelledDigits(full.heldout.images[kept], full.heldout.labels[kept], "held"),
                        "self-test digits")
    settings = TrainSettings(epochs=1, batch_size=32, lr=0.003, seed=1, device="cpu")
    document = DesignDocument(design, window.document.image)
    session = TrainingSession(document, window)
    loop = QEventLoop()
    session.finished.connect(lambda _message: loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    session.start(settings, data)
    if session.busy:
        loop.exec()
    if session.busy:
        session.shutdown()
        return name, False, f"no result within {timeout_ms / 1000:.0f} s"
    seconds = time.perf_counter() - started
    trained = document.design
    if trained.same_parameters(design) or not session.snapshots:
        return name, False, session.message or "the weights did not change"
    expected = Trainer(design, data, settings).run().design
    difference = max(float(np.max(np.abs(value - expected.layers[index].parameter_values()[key])))
                     for index, layer in enumerate(trained.layers)
                     for key, value in layer.parameter_values().items())
    # Bit for bit on this machine's own runs (tests check that); across systems only rounding
    # may differ, which must not fail a teacher's installation.
    return (name, difference <= 1e-5,
            f"{SELF_TEST_TRAIN_DIGITS} digits in {seconds:.1f} s (the process's start included), "
            f"largest difference from this process's run {difference:.3g}")


def independent_outputs(design, image: np.ndarray) -> list[np.ndarray]:
    """Every layer's output computed with plain ``torch.nn`` modules, not the app's engine."""
    import torch
    from torch import nn

    from convdesigner.design import Conv2d, LeakyReLU, MaxPool2d

    outputs = []
    x = torch.from_numpy(np.array(image, dtype=np.float32))[None]
    with torch.no_grad():
        for layer in design.layers:
            if isinstance(layer, Conv2d):
                module = nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                                   layer.stride, layer.padding, layer.dilation, layer.groups,
                                   layer.bias, layer.padding_mode)
                module.weight.copy_(torch.from_numpy(np.array(layer.weight)))
                if layer.bias:
                    module.bias.copy_(torch.from_numpy(np.array(layer.bias_values)))
            elif isinstance(layer, LeakyReLU):
                module = nn.LeakyReLU(layer.negative_slope)
            elif hasattr(layer, "kernel_size"):
                cls = nn.MaxPool2d if isinstance(layer, MaxPool2d) else nn.AvgPool2d
                module = cls(layer.kernel_size, layer.stride, layer.padding)
            else:
                module = getattr(nn, layer.kind)()
            x = module(x)
            outputs.append(x[0].numpy().copy())
    return outputs
