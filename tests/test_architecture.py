"""The three layers import one way: the design model needs neither torch nor Qt, compute and the
command line never import Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest


def modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in result.stdout.split()}


QT = {"PySide6", "shiboken6", "pyqtgraph"}


def test_design_model_imports_neither_torch_nor_qt() -> None:
    loaded = modules_loaded_by("import convdesigner.design, convdesigner.design.io")
    assert not loaded & (QT | {"torch"})


@pytest.mark.parametrize("module", ["convdesigner.compute", "convdesigner.cli", "convdesigner.data"])
def test_lower_layers_never_import_qt(module) -> None:
    loaded = modules_loaded_by(f"import {module}")
    assert not loaded & QT, f"{module} pulled in {loaded & QT}"
