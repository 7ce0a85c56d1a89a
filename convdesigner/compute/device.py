"""Choosing the torch device a design runs on.

Users name a device as ``"auto"``, ``"cpu"``, ``"cuda"`` or ``"mps"``. A device that is asked for
but missing is not an error: the work falls back to the CPU and :class:`DeviceChoice` carries a
note saying so, which the command line prints as ``convdesigner: note: ...`` and the app shows in
its status bar. Only a name outside that list is an error.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from convdesigner.errors import ConvDesignerError

#: The device names a user may give, ``"auto"`` first.
DEVICE_NAMES = ("auto", "cpu", "cuda", "mps")
_DISPLAY_NAMES = {"cuda": "CUDA", "mps": "MPS (Apple GPU)"}


@dataclass(frozen=True)
class DeviceChoice:
    """The device to use and, when it is not the one asked for, a sentence saying why."""

    device: torch.device
    note: str | None = None


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return backend is not None and backend.is_available()


def available_devices() -> list[str]:
    """The device kinds present here, ``"cpu"`` first, then ``"cuda"`` and ``"mps"`` if present."""
    present = ["cpu"]
    if torch.cuda.is_available():
        present.append("cuda")
    if _mps_available():
        present.append("mps")
    return present


def resolve_device(name: str) -> DeviceChoice:
    """Turn a user's device name into a :class:`DeviceChoice`.

    ``"auto"`` picks CUDA, then MPS, then the CPU. ``"cuda"`` or ``"mps"`` when missing gives the
    CPU with a note. Any other name raises :class:`ConvDesignerError` listing the allowed names.
    """
    if name not in DEVICE_NAMES:
        raise ConvDesignerError(f"unknown device {name!r}; choose one of {', '.join(DEVICE_NAMES)}")
    present = available_devices()
    if name == "auto":
        preferred = next(kind for kind in ("cuda", "mps", "cpu") if kind in present)
        return DeviceChoice(torch.device(preferred))
    if name in present:
        return DeviceChoice(torch.device(name))
    note = f"{_DISPLAY_NAMES[name]} was asked for but is not available here; using the CPU"
    return DeviceChoice(torch.device("cpu"), note)
