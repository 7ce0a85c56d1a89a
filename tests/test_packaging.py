"""The installers' recipes (packaging/): quick checks of their rules, and the slow end-to-end proof.

The proof, ``packaging/prove_deb.sh``, freezes the app, builds the .deb, installs it with apt and
runs the installed app (self-test offscreen and under Xvfb, screenshot, no network, the Depends);
it takes minutes and needs root, so it runs only with CONVDESIGNER_SLOW_TESTS=1:

    CONVDESIGNER_SLOW_TESTS=1 python -m pytest tests/test_packaging.py -m slow
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"


def load(path: Path, name: str):
    """A packaging/ script as a module (packaging/ is not a package: PyPI's 'packaging' owns the name)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def trim():
    return load(PACKAGING / "trim.py", "convdesigner_packaging_trim")


@pytest.fixture(scope="module")
def depends():
    return load(PACKAGING / "linux" / "depends.py", "convdesigner_packaging_depends")


def test_bundle_requirements_are_exact_pins() -> None:
    pins = {}
    for line in (PACKAGING / "requirements-bundle.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = line.split(";")[0].strip()
            assert "==" in requirement, f"not an exact pin: {line}"
            name, version = requirement.split("==")
            pins[name.strip().lower()] = version.strip()
    assert pins["torch"] == "2.13.0"
    assert pins["pyside6-essentials"] == pins["shiboken6"]
    # PySide6 6.12.0 aborts on CPython 3.11 under live updates (see pyproject.toml).
    assert tuple(int(part) for part in pins["pyside6-essentials"].split(".")[:2]) < (6, 12)
    for name in ("pyinstaller", "pyinstaller-hooks-contrib", "numpy", "pyqtgraph", "pillow"):
        assert name in pins


@pytest.mark.parametrize("path", [
    "torch/bin/test_api", "torch/bin/protoc-3.13.0.0", "torch/test/atest",
    "torch/lib/libtorchbind_test.so", "torch/include/ATen/ATen.h", "torch/share/cmake/Torch/TorchConfig.cmake",
    "PySide6/Qt/translations/designer_de.qm", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so", "PySide6/Qt/lib/libQt6Network.so.6",
])
def test_trim_leaves_out_what_the_app_never_loads(trim, path) -> None:
    assert trim.matching_rule(path) is not None


@pytest.mark.parametrize("path", [
    # torch breaks without these (measured): they must never match a rule.
    "torch/_dynamo/eval_frame.py", "torch/_inductor/config.py", "torch/testing/_internal/common_utils.py",
    "torch/distributed/__init__.py", "torch/lib/libtorch_cpu.so", "torch/lib/libgomp.so.1",
    "torch/bin/torch_shm_manager",
    # what Qt needs to show the window on X11, Wayland and headless, and its own dialog strings
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/lib/libQt6Gui.so.6",
    "numpy.libs/libscipy_openblas64_-32a4b2a6.so",
    "convdesigner/resources/mnist_digits.npz",
])
def test_trim_keeps_what_the_app_needs(trim, path) -> None:
    assert trim.matching_rule(path) is None


def test_only_torch_libraries_are_stripped(trim) -> None:
    # A global strip breaks numpy's OpenBLAS (measured): only named torch libraries are stripped.
    assert all(path.startswith("torch/lib/") for path in trim.STRIP)


def test_system_libraries_are_left_to_the_deb_depends(trim) -> None:
    binaries = [
        ("libX11.so.6", "/lib/x86_64-linux-gnu/libX11.so.6", "BINARY"),
        ("libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "BINARY"),
        ("torch/lib/libc10.so", "/venv/lib/python3.11/site-packages/torch/lib/libc10.so", "BINARY"),
        ("numpy.libs/libgfortran-040039e1.so.5",
         "/venv/lib/python3.11/site-packages/numpy.libs/libgfortran-040039e1.so.5", "BINARY"),
    ]
    kept, left_out = trim.split_system_libraries(binaries)
    assert [entry[0] for entry in left_out] == ["libX11.so.6", "libstdc++.so.6"]
    assert "libpython3.11.so.1.0" in [entry[0] for entry in kept]


def test_depends_table_covers_qt_xcb_and_uses_debian_names(depends) -> None:
    for soname in ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
                   "libxcb-render-util.so.0", "libxcb-shape.so.0", "libxcb-xkb.so.1",
                   "libxkbcommon-x11.so.0", "libxkbcommon.so.0", "libGL.so.1", "libEGL.so.1",
                   "libfontconfig.so.1", "libdbus-1.so.3", "libglib-2.0.so.0"):
        assert depends.SONAMES[soname][1] == depends.DEPENDS, soname
    for package, _level in depends.SONAMES.values():
        for alternative in package.split("|"):
            assert re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", alternative.strip()), package


def test_desktop_entry() -> None:
    desktop = PACKAGING / "linux" / "convdesigner.desktop"
    entries = dict(line.split("=", 1) for line in desktop.read_text(encoding="utf-8").splitlines()
                   if "=" in line and not line.startswith("#"))
    assert entries["Type"] == "Application"
    assert entries["Exec"].split()[0] == "convdesigner"
    assert entries["Icon"] == "convdesigner"
    assert entries["Categories"].startswith("Education;Science;")
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "error" not in result.stdout.lower()


def test_icons_are_rendered_at_every_size() -> None:
    from PIL import Image

    svg = (ICONS / "convdesigner.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(ICONS / "png" / f"convdesigner-{size}.png") as image:
            assert image.size == (size, size) and image.mode == "RGBA"
    with Image.open(ICONS / "convdesigner.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    assert (ICONS / "convdesigner.icns").read_bytes()[:4] == b"icns"


@pytest.mark.parametrize("command, platform_word", [("inno", "Windows"), ("dmg", "macOS")])
def test_build_script_explains_other_platforms(command, platform_word, tmp_path) -> None:
    if (command == "inno" and sys.platform == "win32") or (command == "dmg" and sys.platform == "darwin"):
        pytest.skip("this is the platform that builds it")
    env = {**os.environ, "CONVDESIGNER_BUILD_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, str(PACKAGING / "build.py"), command],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert platform_word in result.stderr and ".github/workflows/installers.yml" in result.stderr


def test_inno_setup_script_installs_per_user() -> None:
    script = (PACKAGING / "windows" / "convdesigner.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", script, re.MULTILINE)
    assert re.search(r"^DefaultDirName=\{autopf\}\\ConvDesigner$", script, re.MULTILINE)
    assert "{autoprograms}\\ConvDesigner" in script            # Start-menu entry
    assert "/VERYSILENT /SUPPRESSMSGBOXES /NORESTART" in script  # documented for IT
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", script, re.MULTILINE)


def test_workflow_installs_and_self_tests_on_three_systems() -> None:
    workflow = (REPO / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8")
    for pinned in ("actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4"):
        assert pinned in workflow
    for runner in ("ubuntu-22.04", "windows-latest", "macos-14"):
        assert f"os: {runner}" in workflow
    assert "https://download.pytorch.org/whl/cpu" in workflow
    assert "sudo apt-get install -y \"./$deb\"" in workflow
    assert "/VERYSILENT" in workflow and "/DIR=" in workflow
    assert "hdiutil attach" in workflow
    assert workflow.count("--self-test") >= 4        # Linux offscreen + Xvfb, Windows, macOS
    assert "xvfb-run -a convdesigner --self-test" in workflow


def test_spec_is_one_folder_with_package_data() -> None:
    spec = (PACKAGING / "convdesigner.spec").read_text(encoding="utf-8")
    assert 'collect_data_files("convdesigner")' in spec
    assert "COLLECT(" in spec and "exclude_binaries=True" in spec     # one-folder, never one-file
    assert "BUNDLE(" in spec and "IS_MAC" in spec


SLOW = os.environ.get("CONVDESIGNER_SLOW_TESTS") == "1"


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason="the installer proof takes minutes; set CONVDESIGNER_SLOW_TESTS=1")
@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None
                    or shutil.which("apt-get") is None, reason="needs Debian/Ubuntu (dpkg, apt)")
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() != 0, reason="needs root (apt-get install)")
def test_deb_builds_installs_and_passes_its_self_test() -> None:
    arguments = os.environ.get("CONVDESIGNER_PROVE_ARGS", "").split()
    result = subprocess.run(["bash", str(PACKAGING / "prove_deb.sh"), *arguments], cwd=REPO,
                            capture_output=True, text=True, timeout=3600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "ALL PASSED" in result.stdout
    assert "self-test passed" in output
    for check in ("self-test offscreen", "self-test under Xvfb (xcb)", "screenshot: /tmp/installed.png",
                  "self-test passes with no network at all", "without libxcb-cursor0"):
        assert f"PASS  {check}" in result.stdout, check
