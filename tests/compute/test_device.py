"""Device names: "auto" prefers CUDA, then MPS, then the CPU; a missing device falls back with a note."""

from __future__ import annotations

import pytest
import torch

from convdesigner.compute import device as device_module
from convdesigner.compute.device import DEVICE_NAMES, available_devices, resolve_device
from convdesigner.errors import ConvDesignerError


def _pretend(monkeypatch: pytest.MonkeyPatch, *, cuda: bool, mps: bool) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(device_module, "_mps_available", lambda: mps)


def test_the_cpu_is_always_available_and_listed_first() -> None:
    present = available_devices()
    assert present[0] == "cpu"
    assert set(present) <= {"cpu", "cuda", "mps"}
    assert ("cuda" in present) == torch.cuda.is_available()


@pytest.mark.parametrize(("cuda", "mps", "expected"), [
    (True, True, "cuda"), (False, True, "mps"), (True, False, "cuda"), (False, False, "cpu"),
])
def test_auto_prefers_cuda_then_mps_then_cpu(monkeypatch, cuda, mps, expected) -> None:
    _pretend(monkeypatch, cuda=cuda, mps=mps)
    choice = resolve_device("auto")
    assert choice.device == torch.device(expected)
    assert choice.note is None


@pytest.mark.parametrize(("name", "shown"), [("cuda", "CUDA"), ("mps", "MPS")])
def test_a_missing_device_falls_back_to_the_cpu_with_a_note(monkeypatch, name, shown) -> None:
    _pretend(monkeypatch, cuda=False, mps=False)
    choice = resolve_device(name)
    assert choice.device == torch.device("cpu")
    assert choice.note.startswith(f"{shown}")
    assert "is not available here; using the CPU" in choice.note


def test_a_present_device_is_used_as_asked(monkeypatch) -> None:
    _pretend(monkeypatch, cuda=True, mps=True)
    assert resolve_device("mps").device == torch.device("mps")
    assert resolve_device("cuda") == device_module.DeviceChoice(torch.device("cuda"))
    assert resolve_device("cpu").device == torch.device("cpu")


def test_an_unknown_device_name_lists_the_allowed_ones() -> None:
    with pytest.raises(ConvDesignerError) as raised:
        resolve_device("tpu")
    assert "'tpu'" in str(raised.value)
    for name in DEVICE_NAMES:
        assert name in str(raised.value)
