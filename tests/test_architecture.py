"""The three layers import one way: the design model needs neither torch nor Qt, compute and the
command line never import Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


# -- ui/: PyTorch runs on the live worker only ----------------------------------------------------

UI = Path(__file__).resolve().parent.parent / "convdesigner" / "ui"
#: The modules of ui/ that may import torch (directly, or through convdesigner.compute, whose
#: package imports torch): the worker, and the self-test that checks it against torch.
#: The modules of ui/ that may import torch (directly, or through convdesigner.compute, whose
#: package imports torch): the live worker, the jobs that files and parameters need (see its
#: docstring for which thread runs each), and the self-test that checks the app against torch.
TORCH_ALLOWED = {"state/live.py", "state/jobs.py", "self_test.py",
                 # the training session: it starts compute.training's plain PyTorch loop in a
                 # spawned process of its own (compute/training_process.py) and reads its messages
                 "state/training.py"}
TORCH_NOT_YET_MOVED: set[str] = set()


def _torch_imports(path: Path) -> list[str]:
    """``'line: module'`` for every import of torch or convdesigner.compute in ``path``, at module
    level or inside a function (TYPE_CHECKING blocks excepted: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            if name.split(".")[0] == "torch" or name.startswith("convdesigner.compute"):
                found.append(f"{node.lineno}: {name}")
    return found


def test_no_ui_module_but_the_worker_imports_torch() -> None:
    offenders = {}
    for path in sorted(UI.rglob("*.py")):
        name = path.relative_to(UI).as_posix()
        if name in TORCH_ALLOWED | TORCH_NOT_YET_MOVED:
            continue
        found = _torch_imports(path)
        if found:
            offenders[name] = found
    assert not offenders, f"torch imported outside the live worker: {offenders}"
    for name in TORCH_ALLOWED | TORCH_NOT_YET_MOVED:
        assert (UI / name).exists(), f"{name} is listed but gone: update the list"


def test_the_scan_sees_lazy_imports(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import torch\n"
                      "def f():\n    from convdesigner.compute.explain import explain_pixel\n")
    assert _torch_imports(module) == ["5: convdesigner.compute.explain"]


def test_the_window_and_its_views_import_without_torch() -> None:
    loaded = modules_loaded_by(
        "import convdesigner.ui.main_window, convdesigner.ui.panels.explain, "
        "convdesigner.ui.views.sum_view, convdesigner.ui.views.feature_maps, "
        "convdesigner.ui.panels.canvas, convdesigner.ui.state.live")
    assert "torch" not in loaded


def test_every_module_below_ui_imports_no_qt() -> None:
    """Each module of design/, data/ and compute/ on its own (the packages' ``__init__`` files do
    not import every module, so the checks above would miss a new one)."""
    package = UI.parent
    names = sorted(
        "convdesigner." + path.relative_to(package).with_suffix("").as_posix().replace("/", ".")
        for layer in ("design", "data", "compute") for path in (package / layer).glob("*.py")
        if path.name != "__init__.py")
    loaded = modules_loaded_by("import " + ", ".join(names))
    assert not loaded & QT, f"{loaded & QT} pulled in below ui/"
    design = [name for name in names if name.startswith("convdesigner.design.")]
    assert not modules_loaded_by("import " + ", ".join(design)) & (QT | {"torch"})
