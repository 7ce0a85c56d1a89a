"""Pack what a bare GPU machine lacks to run the app's tests and benchmarks, small enough to send.

The GPU machines this project is sometimes lent (see ``tools/device_check.sh``) have Python 3.12
with PyTorch (CUDA), NumPy and Pillow, but no Qt, pyqtgraph or pytest-qt, and no network. The
PySide6 wheel is 80 MB, over what a call may send (64 MiB with the checkout), and most of it is
Qt Quick, QML, Designer and translations, which the app never loads. This script copies from
*this* environment (``.venv``; its PySide6 and shiboken6 are ``cp310-abi3`` wheels, so they load
in any CPython from 3.10 on, 3.12 there) the packages the app and its tests import, keeps of Qt's
own libraries only the ones the kept Python modules and the ``offscreen`` platform plugin need
(found by following the ELF ``NEEDED`` entries, so nothing is guessed), and writes one
``.tar.xz`` (about 20 MB) to unpack there and put on ``PYTHONPATH``.

Usage: ``python tools/device_site.py [OUT.tar.xz]`` (default ``.devsite/site.tar.xz``; keep the
folder out of git with ``echo /.devsite/ >> .git/info/exclude``). Check it here first:
``tools/device_check.sh --local`` unpacks it into a fresh folder and runs a test against it.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tarfile
from pathlib import Path

#: The Python packages to send, as importable names.
PACKAGES = ("PySide6", "shiboken6", "pyqtgraph", "colorama", "pytestqt", "hypothesis",
            "sortedcontainers")
#: Their distributions' metadata (pytest finds the pytest-qt plugin through its entry point).
DISTRIBUTIONS = ("pyside6_essentials", "shiboken6", "pyqtgraph", "colorama", "pytest_qt",
                 "hypothesis", "sortedcontainers")
#: The PySide6 modules the app, pyqtgraph and the tests import.
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtTest", "QtOpenGL", "QtOpenGLWidgets",
              "QtSvgWidgets")
#: Qt plugins the app needs without a display: the offscreen platform, image formats, SVG icons.
QT_PLUGINS = ("platforms/libqoffscreen.so", "platforms/libqminimal.so", "imageformats/",
              "iconengines/")
#: Never needed: Qt's programs, QML and Quick, Designer, Qt's own translations, type stubs.
SKIP = re.compile(r"(^PySide6/(Qt/(qml|translations|libexec|metatypes)/|designer|assistant|"
                  r"linguist|lrelease|lupdate|qml\w*|uic|rcc|examples|glue|include|typesystems|"
                  r"scripts)|\.pyi$|__pycache__|\.pyc$)")


def site_packages() -> Path:
    import PySide6
    return Path(PySide6.__file__).resolve().parent.parent


def needed(path: Path) -> list[str]:
    """The ``DT_NEEDED`` library names of the ELF file ``path`` (empty for anything else)."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:      # 64-bit ELF only (the wheels' x86-64)
        return []
    import struct
    little = data[5] == 1
    end = "<" if little else ">"
    shoff, = struct.unpack_from(end + "Q", data, 0x28)
    shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
    sections = [struct.unpack_from(end + "IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    dynamic = next((s for s in sections if s[1] == 6), None)      # SHT_DYNAMIC
    if dynamic is None:
        return []
    strtab = sections[dynamic[6]]                                 # sh_link: its string table
    names = []
    for offset in range(dynamic[4], dynamic[4] + dynamic[5], 16):
        tag, value = struct.unpack_from(end + "qQ", data, offset)
        if tag == 0:
            break
        if tag == 1:                                              # DT_NEEDED
            start = strtab[4] + value
            names.append(data[start:data.index(b"\0", start)].decode())
    return names


def qt_files(site: Path) -> set[Path]:
    """The PySide6 files to keep: Python code, the chosen modules and plugins, and every library
    of ``PySide6/Qt/lib`` they need, directly or not."""
    pyside = site / "PySide6"
    library_folder = pyside / "Qt" / "lib"
    libraries = {p.name: p for p in library_folder.glob("*.so*")}
    kept = set(pyside.glob("*.py"))
    kept |= {p for p in (pyside / "support").rglob("*") if p.is_file()}
    roots = [pyside / f"{module}.abi3.so" for module in QT_MODULES]
    roots += list(pyside.glob("libpyside6.abi3.so*"))
    for plugin in QT_PLUGINS:
        found = pyside / "Qt" / "plugins" / plugin
        roots += list(found.rglob("*.so")) if plugin.endswith("/") else [found]
    roots = [p for p in roots if p.exists()]
    queue = list(roots)
    while queue:
        current = queue.pop()
        if current in kept:
            continue
        kept.add(current)
        for name in needed(current):
            if name in libraries:
                queue.append(libraries[name])
    return kept


def build(out: Path) -> int:
    site = site_packages()
    pyside_files = qt_files(site)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    count = 0
    with tarfile.open(fileobj=buffer, mode="w:xz", preset=6) as archive:
        roots = [site / package for package in PACKAGES]
        roots += [folder for name in DISTRIBUTIONS for folder in site.glob(f"{name}-*.dist-info")]
        for module in sorted(site.glob("_hypothesis*.py")):   # hypothesis's pytest plugin
            archive.add(module, arcname=module.name, recursive=False)
            count += 1
        for root in roots:
            if not root.exists():
                continue
            package = root.name
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(site).as_posix()
                if not path.is_file() or SKIP.search(relative):
                    continue
                if package == "PySide6" and path not in pyside_files:
                    continue
                archive.add(path, arcname=relative, recursive=False)
                count += 1
    out.write_bytes(buffer.getvalue())
    print(f"wrote {out}: {count} files, {out.stat().st_size / 1e6:.1f} MB (from {site})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=".devsite/site.tar.xz")
    return build(Path(parser.parse_args().out))


if __name__ == "__main__":
    sys.exit(main())
