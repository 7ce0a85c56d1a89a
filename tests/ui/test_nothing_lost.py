"""Nothing the user made is lost: a failed save or open says why and keeps the window and the
document; the document is autosaved and offered back after a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from convdesigner.data.mnist import bundled_digit
from convdesigner.design.examples import learner_design
from convdesigner.design.io import load_design, save_design
from convdesigner.ui import file_commands as file_commands_module
from convdesigner.ui.main_window import MainWindow
from convdesigner.ui.state import autosave
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.settings import AppSettings

HERE = Path(__file__).resolve().parent


@pytest.fixture
def messages(monkeypatch):
    """Every message box the app shows, as (kind, title, text); questions answer ``answers``."""
    shown: list[tuple[str, str, str]] = []
    answers = {"warning": QMessageBox.Save, "question": QMessageBox.Yes}

    def record(kind):
        def box(_parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return answers.get(kind, QMessageBox.Ok)
        return box

    for kind in ("critical", "warning", "question", "information"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown


@pytest.fixture
def window(qtbot, tmp_path):
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    qtbot.addWidget(main, before_close_func=lambda window: window.document.undo_stack.setClean())
    main.show()
    yield main
    main.document.undo_stack.setClean()
    main.close()


def paint(document: DesignDocument) -> np.ndarray:
    image = np.array(document.image)
    image[0, 3:9, 3:9] = 1.0 - image[0, 3:9, 3:9]
    document.set_image(image, "Paint")
    return image


@pytest.mark.parametrize("error", [UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
                                   MemoryError(), RuntimeError("disk on fire"), OSError(28, "No space left on device")])
def test_a_save_that_fails_with_any_error_keeps_the_window_open_and_says_why(
        window, messages, monkeypatch, tmp_path, error) -> None:
    path = tmp_path / "mine.json"
    save_design(learner_design(), path)
    before = path.read_bytes()
    window.document.path = path
    paint(window.document)

    def failing_save(design, target):
        raise error
    monkeypatch.setattr(file_commands_module, "save_design", failing_save)

    assert not window.close()                 # Ctrl+Q → "Save" → the save fails → stays open
    assert window.isVisible() and window.document.modified
    kinds = [kind for kind, _title, _text in messages]
    assert kinds == ["warning", "critical"]   # asked to save, then told it failed
    assert str(path) in messages[-1][2]
    assert path.read_bytes() == before
    assert not window.save()                  # File ▸ Save says so too
    assert [kind for kind, *_ in messages][-1] == "critical"


def test_a_design_name_that_json_cannot_encode_does_not_close_the_window(window, messages, tmp_path) -> None:
    """The reported case: a name holding the JSON escape "\\ud800" (a lone surrogate)."""
    source = tmp_path / "surrogate.json"
    source.write_text('{"format": "convdesigner-design", "version": 1, "name": "x\\ud800", '
                      '"input": {"channels": 1, "height": 28, "width": 28}, "layers": []}',
                      encoding="utf-8")
    before = source.read_bytes()
    assert window.open_design(str(source))
    paint(window.document)
    closed = window.close()
    if closed:   # the file could be written after all: then it must hold the painted input
        assert load_design(source).input_values is not None
    else:
        assert messages[-1][0] == "critical" and window.isVisible()
        assert source.read_bytes() == before


@pytest.mark.parametrize("error", [OverflowError("int too large"), MemoryError(), RuntimeError("boom")])
def test_an_open_that_fails_with_any_error_says_so_and_keeps_the_document(
        window, messages, monkeypatch, tmp_path, error) -> None:
    path = tmp_path / "other.json"
    save_design(learner_design(), path)
    design_before = window.document.design

    def failing_load(_path):
        raise error
    monkeypatch.setattr(file_commands_module, "open_design_file", failing_load)
    assert not window.open_design(str(path))
    assert messages and messages[-1][0] == "critical"
    assert window.document.design is design_before


def test_a_save_runs_off_the_gui_thread(window, messages, monkeypatch, tmp_path) -> None:
    import threading
    threads = []
    real_save = file_commands_module.save_design

    def recording_save(design, target):
        threads.append(threading.current_thread())
        real_save(design, target)
    monkeypatch.setattr(file_commands_module, "save_design", recording_save)
    paint(window.document)
    assert window.files._save_to(str(tmp_path / "saved.json"))
    assert threads and threads[0] is not threading.main_thread()
    assert not window.document.modified
    np.testing.assert_array_equal(load_design(tmp_path / "saved.json").input_values,
                                  np.array(window.document.image))


def test_saved_designs_respect_the_umask(window, messages, tmp_path) -> None:
    old = os.umask(0o022)
    try:
        assert window.files._save_to(str(tmp_path / "shared.json"))
    finally:
        os.umask(old)
    assert (tmp_path / "shared.json").stat().st_mode & 0o777 == 0o644


def test_the_autosave_follows_changes_and_goes_when_the_document_is_clean(qtbot, tmp_path) -> None:
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    saver = autosave.Autosaver(document, tmp_path / "autosave", idle_seconds=0.05)
    try:
        painted = paint(document)
        with qtbot.waitSignal(saver.saved, timeout=10000) as blocker:
            pass
        saved = load_design(blocker.args[0])
        np.testing.assert_array_equal(saved.input_values, painted)
        assert saved.same_parameters(document.snapshot())
        document.undo_stack.undo()          # back to the clean state: nothing to recover
        qtbot.waitUntil(lambda: not saver.session.design_path.exists(), timeout=10000)
    finally:
        saver.close()
    assert not any((tmp_path / "autosave").glob("*.json"))


def test_a_running_sessions_autosave_is_not_offered_to_another_app(qtbot, tmp_path) -> None:
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    saver = autosave.Autosaver(document, tmp_path / "autosave", idle_seconds=0.05)
    try:
        paint(document)
        qtbot.waitSignal(saver.saved, timeout=10000).wait()
        assert autosave.orphaned_sessions(tmp_path / "autosave") == []
    finally:
        saver.close()


def test_after_a_crash_the_next_start_offers_the_unsaved_work_back(
        qtbot, tmp_path, messages, subprocess_env, monkeypatch) -> None:
    settings_path = tmp_path / "settings.ini"
    child = subprocess.Popen([sys.executable, str(HERE / "autosave_driver.py"), str(settings_path)],
                             stdout=subprocess.PIPE, text=True, env=subprocess_env)
    try:
        line = child.stdout.readline()      # blocks until the child has autosaved (or died)
        assert line.startswith("autosaved "), f"the app did not autosave: {line!r}"
        os.kill(child.pid, signal.SIGKILL)  # a crash: no clean-up runs
    finally:
        child.kill()
        child.wait(30)
    folder = AppSettings(settings_path).data_folder() / "autosave"
    assert list(folder.glob("*.json"))

    # The next start: a fresh window on a fresh document finds the orphan and offers it.
    recovered = autosave.orphaned_sessions(folder)
    assert len(recovered) == 1
    expected = np.zeros((1, 28, 28), dtype=np.float32)
    expected[0, 8:20, 12:16] = 1.0
    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(settings_path), device="cpu")
    qtbot.addWidget(main)
    asked = []
    monkeypatch.setattr(file_commands_module, "_ask_restore",
                        lambda parent, title, text: asked.append(text) or QMessageBox.Yes)
    assert main.offer_recovery(recovered)
    assert asked and "did not close properly" in asked[0]
    np.testing.assert_array_equal(np.array(main.document.image), expected)
    assert main.document.modified                       # restored work is still unsaved
    assert not list(folder.glob("*.json"))              # offered once, then it is the document's
    main.document.undo_stack.setClean()
    main.close()


def test_exporting_with_weights_asks_before_replacing_an_existing_weights_file(
        qtbot, messages, monkeypatch, tmp_path) -> None:
    from convdesigner.design.lessons import worked_example
    from convdesigner.ui.dialogs.export import ExportCodeDialog
    dialog = ExportCodeDialog(DesignDocument(worked_example()))
    qtbot.addWidget(dialog)
    dialog.weights_box.setChecked(True)
    existing = tmp_path / "model.pt"
    existing.write_bytes(b"someone's trained weights")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: messages.append(("question", "", "")) or QMessageBox.Cancel)
    assert not dialog.save(tmp_path / "model.py")
    assert messages[-1][0] == "question"
    assert existing.read_bytes() == b"someone's trained weights"
    assert not (tmp_path / "model.py").exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.Yes)
    assert dialog.save(tmp_path / "model.py")
    assert existing.read_bytes() != b"someone's trained weights"


def test_weights_are_read_off_the_gui_thread_and_any_failure_is_reported(
        qtbot, messages, monkeypatch, tmp_path) -> None:
    import threading

    from convdesigner.ui.dialogs import import_weights as import_dialog
    threads = []

    def failing_read(path):
        threads.append(threading.current_thread())
        raise RuntimeError("PytorchStreamReader failed reading zip archive")
    monkeypatch.setattr(import_dialog, "read_state_dict", failing_read)
    document = DesignDocument(learner_design())
    before = document.design
    assert not import_dialog.import_weights(None, document, str(tmp_path / "broken.pt"))
    assert threads and threads[0] is not threading.main_thread()
    assert messages[-1][0] == "critical" and "zip archive" in messages[-1][2]
    assert document.design is before and not document.modified


def test_an_uncaught_error_is_logged_and_shown_and_the_app_goes_on(tmp_path, subprocess_env) -> None:
    """Issue 16.16: an exception in a slot and Qt's own warnings go to the log in the data folder,
    the user sees a short dialog, and the event loop keeps running."""
    result = subprocess.run([sys.executable, str(HERE / "crash_driver.py"), str(tmp_path)],
                            capture_output=True, text=True, env=subprocess_env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("DIALOG Something went wrong: a bug in a slot") for line in lines)
    assert "ALIVE" in lines
    log = (tmp_path / "convdesigner.log").read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug in a slot" in log and "failing_slot" in log
    assert "Qt warning" in log and "a Qt warning" in log
