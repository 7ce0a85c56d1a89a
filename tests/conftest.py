"""Shared test setup: the ``gpu`` marker and how to run the package in a subprocess."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

# The ui tests run headless everywhere (CI has no display); a developer can still override it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt as the app configures it (convdesigner.ui.app.configure_qt), before any test makes the
# application object.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "gpu: needs a CUDA device; skipped without one")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gpu_items = [item for item in items if item.get_closest_marker("gpu")]
    if not gpu_items:
        return
    import torch  # only when GPU tests were collected: most test files never need torch

    if not torch.cuda.is_available():
        skip = pytest.mark.skip(reason="needs CUDA (torch.cuda.is_available() is False)")
        for item in gpu_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def subprocess_env() -> dict[str, str]:
    """The environment for a child Python that must import this checkout's ``convdesigner``
    from any working folder, installed or not."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def _character_device(folder: Path, name: str) -> Path:
    """A character device to write to that a broken writer cannot destroy for everyone: a node
    of our own in ``folder`` where we may make one (as root, who could replace /dev/null itself),
    else the system's (which a user cannot replace)."""
    minor = {"null": 3, "full": 7}[name]
    node = folder / name
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        return node
    except OSError:
        if os.geteuid() == 0 or not Path(f"/dev/{name}").exists():
            pytest.skip(f"cannot make a private /dev/{name} node")
        return Path(f"/dev/{name}")


@pytest.fixture
def character_device():
    """``character_device(folder, "null" | "full")``: see :func:`_character_device`."""
    return _character_device
