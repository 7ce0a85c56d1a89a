"""``tools/device_site.py`` packs the Qt the app needs for a GPU machine without Qt: the libraries
it keeps are exactly those the kept modules and plugins load (ELF ``NEEDED``, read here without
binutils), so the pack neither misses one nor carries Qt Quick."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "device_site.py"


@pytest.fixture(scope="module")
def device_site():
    spec = importlib.util.spec_from_file_location("device_site", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux ELF libraries")
def test_needed_reads_the_dynamic_section_as_the_loader_does(device_site, tmp_path):
    widgets = device_site.site_packages() / "PySide6" / "QtWidgets.abi3.so"
    names = device_site.needed(widgets)
    assert "libQt6Widgets.so.6" in names and "libQt6Core.so.6" in names
    readelf = subprocess.run(["readelf", "-d", str(widgets)], capture_output=True, text=True,
                             check=False)
    if readelf.returncode == 0:      # binutils present: the same list, in the same order
        shown = [line.split("[", 1)[1].rstrip("]") for line in readelf.stdout.splitlines()
                 if "(NEEDED)" in line]
        assert names == shown
    text = tmp_path / "not-elf.so"
    text.write_text("not a library")
    assert device_site.needed(text) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux ELF libraries")
def test_the_pack_keeps_what_the_app_loads_and_leaves_qt_quick(device_site):
    kept = {path.name for path in device_site.qt_files(device_site.site_packages())}
    for name in ("QtCore.abi3.so", "QtWidgets.abi3.so", "QtSvg.abi3.so", "libqoffscreen.so",
                 "libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6", "libQt6Svg.so.6"):
        assert name in kept, name
    assert any(name.startswith("libicu") for name in kept)      # QtCore needs ICU
    for name in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Designer.so.6", "QtQuick.abi3.so"):
        assert name not in kept, name
