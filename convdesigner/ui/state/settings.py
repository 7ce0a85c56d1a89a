"""Saved settings: one table of ``(key, type, default, meaning)`` over :class:`QSettings`.

Tests point the store at a temporary file (``AppSettings(path)``), so they never touch the user's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

SETTINGS: tuple[tuple[str, type, Any, str], ...] = (
    ("window/geometry", QByteArray, QByteArray(), "main window position and size"),
    ("window/state", QByteArray, QByteArray(), "dock and toolbar layout"),
    ("compute/device", str, "auto", "where the live computation runs: auto, cpu, cuda or mps"),
    ("files/last_folder", str, "", "the folder of the last opened or saved file"),
    ("files/data_folder", str, "", "the folder of the last MNIST IDX data set opened (digits "
                                  "to browse or to train on)"),
    ("input/brush_size", int, 10, "brush radius in tenths of an input pixel"),
    ("ui/language", str, "", "interface language; empty follows the system"),
    ("ui/zoom", float, 1.0, "UI zoom: every font and view text scaled by this factor"),
    ("ui/presentation_view", str, "sum", "the view presentation mode shows first"),
    ("ui/presentation_light", bool, True, "presentation mode uses the high-contrast light theme"),
    ("ui/quick_start_seen", bool, False, "the first-start overlay was dismissed"),
)
_TYPES = {key: (kind, default) for key, kind, default, _ in SETTINGS}


class AppSettings:
    """Typed access to the keys of :data:`SETTINGS`; unknown keys are a programming error."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = None if path is None else Path(path)
        self._store = (QSettings(str(path), QSettings.IniFormat) if path is not None
                       else QSettings("ConvDesigner", "ConvDesigner"))

    def value(self, key: str) -> Any:
        kind, default = _TYPES[key]
        raw = self._store.value(key, default)
        if kind is QByteArray:
            return raw if isinstance(raw, QByteArray) else default
        if kind is bool and isinstance(raw, str):   # an INI file stores "true" / "false"
            return raw.strip().lower() in ("true", "1", "yes")
        try:
            return kind(raw)
        except (TypeError, ValueError):  # a hand-edited or older settings file
            return default

    def set_value(self, key: str, value: Any) -> None:
        if key not in _TYPES:
            raise KeyError(key)
        self._store.setValue(key, value)

    def data_folder(self) -> Path:
        """Where the app keeps autosaves and its log: the user's data folder, or, for settings kept
        in a file of their own (tests), a folder beside that file."""
        if self._path is not None:
            return self._path.parent / f"{self._path.stem}-data"
        return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))

    def sync(self) -> None:
        self._store.sync()
