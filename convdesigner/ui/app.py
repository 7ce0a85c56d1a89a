"""Starting the desktop app: ``convdesigner [DESIGN] [--input FILE] [--screenshot OUT.png | --self-test]``.

``--screenshot`` and ``--self-test`` run without a screen (Qt's offscreen platform is chosen when
no display is set), so installers and CI can use them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_DIGIT = (7, 0)   # the first bundled 7: a digit every learner recognises


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="convdesigner",
        description="Design stacks of nn.Conv2d layers and see how convolution works, live. "
                    "Command-line tools: convdesigner info|run|explain|export|train|evaluate --help.")
    parser.add_argument("design", nargs="?", help="a design file (.json) to open")
    parser.add_argument("--input", metavar="FILE",
                        help="input image, .npy, IDX file, or a bundled digit such as mnist:7:12")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"),
                        help="where to compute (default: the saved choice, else auto)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--screenshot", metavar="OUT.png",
                      help="render the window after the first live update, save it, and exit")
    mode.add_argument("--self-test", action="store_true",
                      help="run one live update headless, check the shown numbers against PyTorch, "
                           "and exit 0 (passed) or 1")
    parser.add_argument("--settings", metavar="FILE.ini", help=argparse.SUPPRESS)  # tests
    return parser.parse_args(argv)


def _headless_if_no_display() -> None:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def configure_qt() -> None:
    """Settings Qt reads once, before the application object exists.

    ``QT_NO_GUI_THREADPOOL``: Qt's raster engine hands every fill of 96 or more spans (a long
    axis line, a large tile) to a thread pool and waits for it. For the app's small tiles and
    axes the hand-off costs more than the fill, and while a training process keeps every core
    busy each hand-off also waits for a core (profiles of the app training on a 2-core machine
    showed the GUI thread waiting on Qt's latch inside axis and image paints); painting on the
    GUI thread alone avoids both. A value the user set is kept."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if args.screenshot or args.self_test:
        _headless_if_no_display()
    configure_qt()

    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ConvDesigner")
    app.setOrganizationName("ConvDesigner")
    app.setApplicationDisplayName("ConvDesigner")
    # Lets Wayland and the desktop match the window to convdesigner.desktop and its icon.
    app.setDesktopFileName("convdesigner")
    from importlib import resources

    from PySide6.QtGui import QIcon
    icon = resources.files("convdesigner") / "resources" / "icons" / "convdesigner.svg"
    app.setWindowIcon(QIcon(str(icon)))

    from convdesigner.errors import ConvDesignerError
    from convdesigner.ui.main_window import MainWindow
    from convdesigner.ui.state.settings import AppSettings

    headless = bool(args.screenshot or args.self_test)
    settings = AppSettings(args.settings if args.settings else
                           (Path(os.devnull) if headless and os.name != "nt" else None))
    # The interface language: the saved choice (View ▸ Language), else the system's.
    from convdesigner.ui.i18n import install_translators, startup_language
    install_translators(app, startup_language(settings))
    try:
        document = build_document(args)
    except ConvDesignerError as error:
        if headless:
            print(f"convdesigner: error: {error}", file=sys.stderr)
            return 2
        QMessageBox.critical(None, "ConvDesigner", str(error))
        from convdesigner.design.examples import learner_design
        from convdesigner.ui.state.document import DesignDocument
        document = DesignDocument(learner_design(), _default_digit(learner_design()))
    autosave_folder = None
    if not headless:
        # Uncaught errors are logged and shown, and the document is autosaved: nothing is lost.
        from convdesigner.ui import crash
        crash.install(settings.data_folder())
        autosave_folder = settings.data_folder() / "autosave"
    # On screen, the window appears first and fills in its views right after (see MainWindow).
    window = MainWindow(document, settings, device=args.device, progressive=not headless,
                        autosave_folder=autosave_folder, train_in_advance=not headless)
    if args.self_test:
        from convdesigner.ui.self_test import run_self_test
        return run_self_test(window)
    if args.screenshot:
        return _screenshot(window, args.screenshot)
    report = os.environ.get(STARTUP_REPORT_VARIABLE)
    if report:
        _report_startup(window, report)
    window.show()
    if autosave_folder is not None:
        from PySide6.QtCore import QTimer

        from convdesigner.ui.state.autosave import orphaned_sessions
        recovered = orphaned_sessions(autosave_folder)
        if recovered:   # asked once the window is on screen, so the question has its context
            QTimer.singleShot(0, lambda: window.offer_recovery(recovered))
    status = app.exec()
    if window.worker_left_running:
        # Quitting stopped the computation between layers, but one PyTorch operation is still
        # running: everything is saved, so leave now rather than crash in interpreter shutdown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


# Benchmarks set this to a file name: the app writes when its window was first shown and when the
# first live feature maps were, as Unix times, then quits (see benchmarks/live.py).
STARTUP_REPORT_VARIABLE = "CONVDESIGNER_STARTUP_REPORT"


def _report_startup(window, path: str) -> None:
    import json
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    marks: dict[str, float] = {}

    def shown() -> None:
        marks.setdefault("window_shown", time.time())

    def frame_shown(frame) -> None:
        if "window_shown" not in marks or any(
                getattr(layer, "weight", 0) is None for layer in frame.design.layers):
            return
        window.repaint()  # the maps are on screen, not just computed
        marks["first_maps"] = time.time()
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(marks, stream)
        window.document.undo_stack.setClean()
        QTimer.singleShot(0, QApplication.instance().quit)

    window.firstPainted.connect(shown)
    window.frameShown.connect(frame_shown)


def build_document(args: argparse.Namespace):
    """The document the app opens with: the given design (or the learner's) and input."""
    from convdesigner.data.fit import fit_image_to_spec
    from convdesigner.data.loaders import load_array_file
    from convdesigner.design.examples import learner_design
    from convdesigner.design.io import load_design
    from convdesigner.ui.state.document import DesignDocument

    design = load_design(args.design) if args.design else learner_design()
    image = None
    if args.input:
        image = fit_image_to_spec(load_array_file(args.input, channels=design.input.channels), design.input)
    elif design.input_values is None:
        image = _default_digit(design)
    # Parameters are completed once the worker has imported torch (MainWindow._engine_ready).
    document = DesignDocument(design, image, defer_parameters=True)
    if args.design:
        document.path = Path(args.design)
    return document


def _default_digit(design):
    from convdesigner.data.fit import fit_image_to_spec
    from convdesigner.data.mnist import bundled_digit
    return fit_image_to_spec(bundled_digit(*DEFAULT_DIGIT)[None], design.input)


def _screenshot(window, path: str) -> int:
    window.resize(1280, 800)
    window.show()
    frame = window.wait_for_frame()
    if frame is not None:
        # The first update builds the model and warms PyTorch up; show a steady-state one.
        window.request_frame()
        frame = window.wait_for_frame()
    if frame is None:
        print("convdesigner: error: no live update arrived; nothing was saved", file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    if not window.grab().save(path):
        print(f"convdesigner: error: cannot write {path}", file=sys.stderr)
        return 2
    window.live.shutdown()
    return 0
