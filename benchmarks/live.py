"""Benchmark: does "live" hold? Prints a table of figures (and writes them with ``--json OUT``).

Runs the real main window offscreen at 1280×800 and measures:

1. stroke-to-frame latency -- from a simulated brush movement (a ``QMouseEvent`` sent to the
   input canvas, the same code path as the mouse) until every visible view shows the new result
   and has been repainted (``repaint()`` of each visible view forces the paint), p50 / p95 / max over
   ``--strokes`` movements, for the learner's design (with the 128 × 64 kernel matrix tab and all
   feature maps visible), LeNet-5's convolution part, and a heavy design (3 → 256 → 512, 3×3, on
   224×224);
2. responsiveness under load -- the longest time the event loop is blocked while strokes arrive
   every 16 ms on the heavy design (a 5 ms timer records its own lateness), and whether the newest
   stroke's result arrives;
3. start-up -- process start to the first shown window and to the first live feature maps (the
   app run as a child process with ``CONVDESIGNER_STARTUP_REPORT``);
4. memory -- peak RSS after the learner's-design strokes;
5. the notebook way -- a matplotlib figure with one ``imshow`` subplot per feature map (64 + 128),
   updated and redrawn with the Agg backend, timed per redraw; and the ratio of medians.

Usage: ``python benchmarks/live.py [--strokes 200] [--json results.json] [--quick]``
(matplotlib is needed for part 5 only: ``pip install matplotlib``).

Timings here are figures to read, not assertions: nothing in the test suite depends on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from convdesigner.data.fit import fit_image_to_spec
from convdesigner.data.mnist import bundled_digit
from convdesigner.design import Conv2d, Design, InputSpec, ReLU
from convdesigner.design.examples import learner_design
from convdesigner.design.lessons import lesson_by_key
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings

HEAVY = Design(InputSpec(3, 224, 224), (Conv2d(3, 256, 3), ReLU(), Conv2d(256, 512, 3)),
               name="heavy: 3 → 256 → 512 on 224×224")


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {"p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
            "max": ordered[-1], "n": len(ordered)}


class Bench:
    """One main window for one design, driven like a user would drive it."""

    def __init__(self, design: Design, settings_folder: Path, tab: int = 0) -> None:
        digit = fit_image_to_spec(bundled_digit(7, 0)[None], design.input)
        self.window = MainWindow(DesignDocument(design, digit), AppSettings(settings_folder / "s.ini"),
                                 device="cpu")
        self.window.resize(1280, 800)
        self.window.views.setCurrentIndex(tab)
        self.window.show()
        self.canvas = self.window.input_panel.canvas
        self.app = QApplication.instance()
        self._wait_for(lambda: self.window.live.idle and self.window.last_frame is not None, 600)
        self.window.repaint()
        self.app.processEvents()
        self.position = QPointF(self.canvas.width() * 0.3, self.canvas.height() * 0.3)
        self._send(QEvent.MouseButtonPress, self.position)

    def _wait_for(self, condition, timeout_s: float) -> None:
        # Block in the event loop (no polling: a busy loop here would hold the GIL and slow the
        # worker thread down); a coarse timer wakes it to enforce the timeout.
        deadline = time.perf_counter() + timeout_s
        waker = QTimer()
        waker.start(100)
        try:
            while not condition():
                if time.perf_counter() > deadline:
                    raise TimeoutError("no frame arrived")
                self.app.processEvents(QEventLoop.WaitForMoreEvents)
        finally:
            waker.stop()

    def _send(self, kind: QEvent.Type, position: QPointF) -> None:
        buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else Qt.LeftButton
        event = QMouseEvent(kind, position, self.canvas.mapToGlobal(position), Qt.LeftButton,
                            buttons, Qt.NoModifier)
        QApplication.sendEvent(self.canvas, event)

    def next_position(self, step: int) -> QPointF:
        # A slow loop over the middle of the canvas, so every movement paints new ink.
        angle = step * 0.35
        radius = 0.18 + 0.1 * np.sin(step * 0.05)
        return QPointF(self.canvas.width() * (0.5 + radius * np.cos(angle)),
                       self.canvas.height() * (0.5 + radius * np.sin(angle)))

    def stroke_latencies(self, count: int) -> list[float]:
        """Milliseconds from each brush movement to all views updated and repainted."""
        latencies = []
        for step in range(count):
            started = time.perf_counter()
            self._send(QEvent.MouseMove, self.next_position(step))
            wanted = self.window.live.latest_request_id
            self._wait_for(lambda wanted=wanted: self.window.live.idle and self.window.last_frame is not None
                           and self.window.last_frame.request_id >= wanted, 600)
            self.paint_views()
            latencies.append((time.perf_counter() - started) * 1000)
            self.app.processEvents()  # anything else queued, outside the timed part
        return latencies

    def paint_views(self) -> None:
        """Repaint, synchronously, every visible widget that shows a result: the feature maps,
        the view in front in the centre, the explain panel and the status bar (its timing label).
        Hidden ones are skipped, as Qt skips them. (The input canvas shows the stroke itself; it
        repaints while the worker computes, and that time is inside the measurement.)"""
        window = self.window
        for widget in (window.feature_maps, window.views.currentWidget(),
                       window.explain_panel, window.statusBar()):
            if widget.isVisible():
                widget.repaint()

    def responsiveness(self, seconds: float) -> dict[str, float]:
        """Strokes every 16 ms for ``seconds``; the longest event-loop block seen by a 5 ms timer."""
        lateness: list[float] = []
        last_tick = [time.perf_counter()]
        step = [0]

        def tick() -> None:
            now = time.perf_counter()
            lateness.append((now - last_tick[0]) * 1000 - 5.0)
            last_tick[0] = now

        def stroke() -> None:
            step[0] += 1
            self._send(QEvent.MouseMove, self.next_position(1000 + step[0]))

        ticker, stroker = QTimer(), QTimer()
        ticker.setTimerType(Qt.PreciseTimer)
        stroker.setTimerType(Qt.PreciseTimer)
        ticker.timeout.connect(tick)
        stroker.timeout.connect(stroke)
        frames_before = self.window.live.computed_count
        ticker.start(5)
        stroker.start(16)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents(QEventLoop.WaitForMoreEvents)  # the 5 ms timer wakes it
        stroker.stop()
        ticker.stop()
        self._send(QEvent.MouseButtonRelease, self.next_position(1000 + step[0]))
        last_request = self.window.live.latest_request_id
        self._wait_for(lambda: self.window.live.idle, 600)
        newest_arrived = (self.window.last_frame.request_id == last_request and np.array_equal(
            self.window.last_frame.image, self.window.document.image))
        return {"strokes": step[0], "longest_block_ms": max(lateness) + 5.0,
                "frames_computed": self.window.live.computed_count - frames_before,
                "stale_results_dropped": self.window.live.dropped_count,
                "newest_result_arrived": bool(newest_arrived)}

    def close(self) -> None:
        self._send(QEvent.MouseButtonRelease, self.position)
        self.window.document.undo_stack.setClean()
        self.window.close()
        self.app.processEvents()


def startup(runs: int) -> dict[str, object]:
    """Process start → first shown window and → first live feature maps, as the app reports them."""
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "startup.json"
            env = dict(os.environ, CONVDESIGNER_STARTUP_REPORT=str(report), QT_QPA_PLATFORM="offscreen",
                       PYTHONPATH=str(Path(__file__).resolve().parent.parent))
            started = time.time()
            subprocess.run([sys.executable, "-m", "convdesigner", "--settings", str(Path(folder) / "s.ini")],
                           env=env, check=True, capture_output=True, timeout=300)
            marks = json.loads(report.read_text())
            results.append({"window_s": marks["window_shown"] - started,
                            "first_maps_s": marks["first_maps"] - started})
    return {"runs": results,
            "window_s_median": statistics.median(r["window_s"] for r in results),
            "first_maps_s_median": statistics.median(r["first_maps_s"] for r in results)}


def notebook_way(redraws: int) -> dict[str, float] | None:
    """What a teacher does today: one imshow subplot per feature map (64 + 128), redrawn."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    from convdesigner.compute.engine import run
    from convdesigner.compute.weights import materialize

    design = materialize(learner_design())
    rng = np.random.default_rng(0)
    figure, axes = plt.subplots(12, 16, figsize=(16, 12))
    images = []
    outputs = run(design, bundled_digit(7, 0)[None]).outputs
    maps = list(outputs[0]) + list(outputs[2])
    for axis, image in zip(axes.flat, maps, strict=True):
        images.append(axis.imshow(image, cmap="RdBu_r"))
        axis.set_axis_off()
    figure.canvas.draw()
    samples = []
    for _ in range(redraws):
        image = np.clip(bundled_digit(7, 0) + rng.random((28, 28), dtype=np.float32) * 0.1, 0, 1)
        started = time.perf_counter()
        outputs = run(design, image[None]).outputs   # the same work the app does per stroke
        for artist, new in zip(images, list(outputs[0]) + list(outputs[2]), strict=True):
            artist.set_data(new)
            artist.autoscale()
        figure.canvas.draw()
        samples.append((time.perf_counter() - started) * 1000)
    plt.close(figure)
    return percentiles(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=200, help="brush movements per design (≥ 200)")
    parser.add_argument("--heavy-strokes", type=int, default=30,
                        help="brush movements for the heavy design (each takes seconds on a CPU)")
    parser.add_argument("--load-seconds", type=float, default=8.0)
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.strokes, args.heavy_strokes, args.load_seconds, args.startup_runs = 30, 3, 3.0, 1

    app = QApplication.instance() or QApplication([])
    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cores": os.cpu_count(),
                    "platform": platform.platform(), "qt_platform": QApplication.platformName()}}
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        bench = Bench(learner_design(), folder_path, tab=2)   # tab 2: the 128 × 64 kernel matrix
        results["default"] = percentiles(bench.stroke_latencies(args.strokes))
        bench.close()
        results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        bench = Bench(lesson_by_key("lenet5").build(), folder_path)
        results["lenet5"] = percentiles(bench.stroke_latencies(args.strokes))
        bench.close()

        bench = Bench(HEAVY, folder_path)
        results["heavy"] = percentiles(bench.stroke_latencies(args.heavy_strokes))
        results["heavy_under_load"] = bench.responsiveness(args.load_seconds)
        bench.close()
    del app

    results["startup"] = startup(args.startup_runs)
    notebook = notebook_way(20 if args.quick else 60)
    results["notebook"] = notebook
    if notebook is not None:
        results["notebook_vs_app_p50_ratio"] = notebook["p50"] / results["default"]["p50"]

    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def print_table(results: dict) -> None:
    print(f"ConvDesigner live benchmark — {results['machine']['platform']}, "
          f"{results['machine']['cores']} cores, Qt {results['machine']['qt_platform']}, CPU")
    print(f"{'stroke → frame (ms)':34} {'p50':>8} {'p95':>8} {'max':>8} {'n':>5}")
    for key, label in (("default", "learner's design, kernel matrix"), ("lenet5", "LeNet-5 conv part"),
                       ("heavy", "heavy 3→256→512 @ 224²")):
        row = results[key]
        print(f"  {label:32} {row['p50']:8.2f} {row['p95']:8.2f} {row['max']:8.2f} {row['n']:5d}")
    load = results["heavy_under_load"]
    print(f"heavy design, strokes every 16 ms: longest event-loop block {load['longest_block_ms']:.1f} ms; "
          f"{load['strokes']} strokes, {load['frames_computed']} frames computed, "
          f"{load['stale_results_dropped']} stale results dropped; newest result arrived: "
          f"{'yes' if load['newest_result_arrived'] else 'NO'}")
    start = results["startup"]
    print(f"start-up: first window {start['window_s_median']:.2f} s, first live maps "
          f"{start['first_maps_s_median']:.2f} s (median of {len(start['runs'])})")
    print(f"peak RSS after the learner's-design strokes: {results['peak_rss_mb']:.0f} MB")
    notebook = results["notebook"]
    if notebook is None:
        print("notebook way: matplotlib is not installed (pip install matplotlib)")
    else:
        print(f"notebook way (192 imshow subplots, Agg): p50 {notebook['p50']:.1f} ms per redraw; "
              f"{results['notebook_vs_app_p50_ratio']:.0f}× the app's p50")


if __name__ == "__main__":
    sys.exit(main())
