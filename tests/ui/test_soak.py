"""Soak: tens of thousands of live view updates without a crash.

This is the test that would catch the PySide6 6.12.0 / CPython 3.11 crash (``Fatal Python error:
none_dealloc``) that pyproject.toml pins away from. It runs in a child process so that a fatal
error fails this test with its message instead of killing the test run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# .ci/run runs this test as its own step (`pytest -m soak`), after the rest of the suite; a plain
# `python -m pytest` runs it with everything else.
pytestmark = pytest.mark.soak

VIEW_UPDATES = 20_000
STROKES = 3_000


def test_twenty_thousand_view_updates_do_not_crash(subprocess_env) -> None:
    driver = Path(__file__).with_name("soak_driver.py")
    result = subprocess.run([sys.executable, str(driver), str(VIEW_UPDATES), str(STROKES)],
                            capture_output=True, text=True, timeout=900, env=subprocess_env)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr[-3000:]}"
    assert f"{VIEW_UPDATES} view updates" in result.stdout
    assert "Fatal Python error" not in result.stderr
