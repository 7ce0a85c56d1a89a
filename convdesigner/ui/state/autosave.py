"""Autosave and crash recovery: nothing the user made is lost when the app dies.

Every running app owns one *session* in the autosave folder (``AppSettings.data_folder() /
"autosave"``): a lock file held for the app's lifetime (:class:`QLockFile`, which knows when its
owner process has died), the newest snapshot of the document as a design file (design, weights
and input values) and a small ``.meta.json`` (the file the design came from, its name, when).

:class:`Autosaver` writes the snapshot a few seconds after the last change, on a worker thread and
atomically (a newer snapshot replaces one still waiting); a clean document has no snapshot. A
normal exit removes the session. At the next start, a session whose lock is no longer held is what
a crash left behind: :func:`orphaned_sessions` lists them and the app offers to restore them.

Threading: construct and call :class:`Autosaver` from the GUI thread; ``saved`` is emitted on it.
"""

from __future__ import annotations

import json
import os
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from convdesigner.design import Design
from convdesigner.design.io import load_design, save_design
from convdesigner.ui.state.document import DesignDocument

# Seconds of quiet after the last change before a snapshot is written.
IDLE_SECONDS = 3.0


@dataclass(frozen=True)
class Session:
    """The files of one app session in the autosave folder."""

    folder: Path
    name: str

    @property
    def lock_path(self) -> Path:
        return self.folder / f"{self.name}.lock"

    @property
    def design_path(self) -> Path:
        return self.folder / f"{self.name}.json"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.name}.meta.json"

    def remove(self) -> None:
        for path in (self.design_path, self.meta_path):
            path.unlink(missing_ok=True)

    def meta(self) -> dict[str, object]:
        try:
            data = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Recovered:
    """What a crashed session left: the design (with its input values) and where it came from."""

    session: Session
    design: Design
    source_path: Path | None
    saved_at: float


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)   # stale only when the owner process is gone, never by age
    return lock


def orphaned_sessions(folder: Path) -> list[Recovered]:
    """Snapshots left by sessions whose app is no longer running, newest first.

    Each returned session's lock is taken over (held by the returned object's caller until
    :func:`discard` or :func:`release`), so two apps started at once do not both offer it.
    Unreadable snapshots are skipped (and kept, for a person to look at).
    """
    found: list[Recovered] = []
    if not folder.is_dir():
        return found
    for design_path in folder.glob("*.json"):
        if design_path.name.endswith(".meta.json"):
            continue
        session = Session(folder, design_path.stem)
        lock = _lock(session.lock_path)
        if not lock.tryLock(0):
            continue                      # its app is still running
        _held_locks[session.name] = lock
        try:
            design = load_design(design_path)
        except Exception:  # noqa: BLE001 -- a damaged snapshot is left alone, not offered
            release(session)
            continue
        meta = session.meta()
        source = meta.get("source_path")
        saved_at = meta.get("saved_at")
        found.append(Recovered(session, design, Path(source) if isinstance(source, str) else None,
                               float(saved_at) if isinstance(saved_at, (int, float))
                               else design_path.stat().st_mtime))
    found.sort(key=lambda recovered: recovered.saved_at, reverse=True)
    return found


_held_locks: dict[str, QLockFile] = {}


def release(session: Session) -> None:
    """Let go of a session taken over by :func:`orphaned_sessions`, keeping its files."""
    lock = _held_locks.pop(session.name, None)
    if lock is not None:
        lock.unlock()


def discard(session: Session) -> None:
    """Remove a session's snapshot and let go of its lock."""
    session.remove()
    release(session)


class Autosaver(QObject):
    """Keeps a snapshot of ``document`` in ``folder`` while it has unsaved changes."""

    saved = Signal(str)      # the snapshot's path, after each write (tests, status bar)
    failed = Signal(str)     # a message: the snapshot could not be written
    _written = Signal(object)

    def __init__(self, document: DesignDocument, folder: Path, *,
                 idle_seconds: float = IDLE_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        folder.mkdir(parents=True, exist_ok=True)
        self.session = Session(folder, f"session-{uuid.uuid4().hex[:12]}")
        self._lock = _lock(self.session.lock_path)
        self._lock.tryLock(0)
        self._timer = QTimer(self, singleShot=True, interval=int(idle_seconds * 1000))
        self._timer.timeout.connect(self.save_now)
        self._condition = threading.Condition()
        self._pending: tuple[Design, dict[str, object]] | None = None
        self._stopping = False
        self._written.connect(self._report)
        document.undo_stack.indexChanged.connect(self._changed)
        document.undo_stack.cleanChanged.connect(self._changed)
        document.fileChanged.connect(self._changed)
        self._thread = threading.Thread(target=self._work, name="convdesigner-autosave", daemon=True)
        self._thread.start()

    def _changed(self, *_args: object) -> None:
        self._timer.start()

    def save_now(self) -> None:
        """Snapshot the document now (GUI thread); the file is written on the worker thread."""
        self._timer.stop()
        document = self._document
        if not document.modified:
            with self._condition:
                self._pending = None
            self.session.remove()
            return
        snapshot = document.design.with_input_values(document.image.copy())
        meta = {"source_path": str(document.path) if document.path else None,
                "name": document.design.name, "saved_at": time.time(), "pid": os.getpid()}
        with self._condition:
            self._pending = (snapshot, meta)
            self._condition.notify()

    def close(self) -> None:
        """The app ends normally: stop the worker and remove this session's files."""
        self._timer.stop()
        with self._condition:
            self._stopping = True
            self._pending = None
            self._condition.notify()
        self._thread.join(5.0)
        self.session.remove()
        self._lock.unlock()

    def _work(self) -> None:
        while True:
            with self._condition:
                while self._pending is None and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                (design, meta), self._pending = self._pending, None
            try:
                save_design(design, self.session.design_path)
                _write_json(self.session.meta_path, meta)
                outcome: object = str(self.session.design_path)
            except Exception as error:  # noqa: BLE001 -- reported, the next change tries again
                traceback.print_exc()
                outcome = error
            if not self._stopping:
                self._written.emit(outcome)

    def _report(self, outcome: object) -> None:
        if isinstance(outcome, Exception):
            self.failed.emit(self.tr("Autosave failed: {error}").format(error=outcome))
        else:
            self.saved.emit(str(outcome))


def _write_json(path: Path, data: dict[str, object]) -> None:
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)
