"""What the bundle leaves out, and why each rule is safe. Used by convdesigner.spec.

Each rule names files of the collected TOC (their path inside the bundle, with ``/`` separators)
by fnmatch-style patterns. Only files that the app provably never loads are listed: C++ test
programs and test libraries, C/C++ headers and CMake files (for building extensions against torch,
which a frozen app cannot do), Qt translations of modules the app does not use, and the static
libraries some wheels carry. Every rule was checked with ``convdesigner --self-test`` and
``--screenshot`` on the trimmed bundle (packaging/prove_deb.sh runs both on the installed .deb).

What is *not* trimmed, on purpose: ``torch._dynamo``, ``torch._inductor``, ``torch.testing._internal``
and ``torch.distributed`` (measured here: leaving any of them out breaks ``import torch`` in the
frozen app); ``PySide6.QtOpenGL``/``QtOpenGLWidgets`` (pyqtgraph imports them unconditionally).

Stripping: a global ``strip=True`` breaks numpy's OpenBLAS (measured), so only the libraries in
STRIP are stripped (Linux, ``strip --strip-unneeded``: the static symbol tables go, the dynamic
symbols that linking needs stay). libtorch_cpu.so ships its full .symtab: 434 -> 345 MB.

Set ``CONVDESIGNER_NO_TRIM=1`` to build without these rules (to measure what they save, or to
rule them out when a new torch/Qt release misbehaves in the bundle).
"""

from __future__ import annotations

import fnmatch
import os

# (reason, patterns). Patterns match the destination path inside the bundle's _internal folder.
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("torch C++ test programs, protobuf compiler and test models (never run by torch itself)",
     ("torch/bin/test_*", "torch/bin/*Test", "torch/bin/protoc*", "torch/bin/*.pt", "torch/bin/*.ptl",
      "torch/bin/upgrader_models/*", "torch/test/*")),
    ("torch test-only shared libraries (loaded only by torch's own C++/JIT test suites)",
     ("torch/lib/libjitbackend_test.*", "torch/lib/libtorchbind_test.*",
      "torch/lib/libbackend_with_compiler.*", "torch/lib/libaoti_custom_ops.*",
      "torch/lib/jitbackend_test.*", "torch/lib/torchbind_test.*",
      "torch/lib/backend_with_compiler.*", "torch/lib/aoti_custom_ops.*")),
    ("C/C++ headers, CMake packages and static/import libraries (for compiling against torch "
     "or Qt; a frozen app compiles nothing)",
     ("torch/include/*", "torch/share/cmake/*", "torch/share/*.cmake", "*.a", "*.lib",
      "torch/_inductor/codegen/aoti_runtime/*.cpp", "PySide6/include/*",
      "PySide6/Qt/lib/cmake/*", "PySide6/Qt/metatypes/*", "PySide6/Qt/mkspecs/*")),
    ("Qt plugins for embedded/kiosk use and networking (eglfs, linuxfb, vnc, Vulkan-display "
     "platforms, evdev/tuio input, network-information and TLS backends): a desktop app on X11, "
     "Wayland, Windows or macOS never loads them, and the app makes no network connection",
     ("PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
      "PySide6/Qt/plugins/platforms/libqminimalegl.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
      "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so", "PySide6/Qt/plugins/egldeviceintegrations/*",
      "PySide6/Qt/plugins/generic/*", "PySide6/Qt/plugins/networkinformation/*",
      "PySide6/Qt/plugins/tls/*", "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.*",
      "PySide6/Qt/lib/libQt6EglFsKmsSupport.*", "libQt6EglFSDeviceIntegration.*",
      "libQt6EglFsKmsSupport.*",
      # QtNetwork: its Python module is excluded in the spec and no kept library or plugin
      # links it (packaging/linux/depends.py would name one); it would need brotli and Kerberos.
      "PySide6/Qt/lib/libQt6Network.*", "libQt6Network.so*",
      "PySide6/Qt/plugins/networkinformation/*.dll", "PySide6/Qt/plugins/tls/*.dll",
      "PySide6/Qt/plugins/generic/*.dll")),
    ("Qt translations other than qtbase (the app uses only QtCore/QtGui/QtWidgets/QtSvg, "
     "whose standard-dialog strings live in qtbase_*.qm)",
     ("PySide6/Qt/translations/assistant_*", "PySide6/Qt/translations/designer_*",
      "PySide6/Qt/translations/linguist_*", "PySide6/Qt/translations/qt_help_*",
      "PySide6/Qt/translations/qtdeclarative_*", "PySide6/Qt/translations/qtmultimedia_*",
      "PySide6/Qt/translations/qtserialport_*", "PySide6/Qt/translations/qtwebsockets_*",
      "PySide6/Qt/translations/qtwebengine_*", "PySide6/Qt/translations/qtconnectivity_*",
      "PySide6/Qt/translations/qtlocation_*", "PySide6/Qt/translations/qtscript_*",
      "PySide6/Qt/translations/qtxmlpatterns_*", "PySide6/Qt/translations/qtquickcontrols*")),
]


# Linux only: libraries stripped of their static symbol tables (see the module docstring).
STRIP = ("torch/lib/libtorch_cpu.so", "torch/lib/libtorch_python.so", "torch/lib/libc10.so")


def strip_some(binaries, folder, log=print):
    """binaries with the STRIP entries replaced by stripped copies made in folder."""
    import shutil
    import subprocess

    if not enabled() or shutil.which("strip") is None:
        return binaries
    os.makedirs(folder, exist_ok=True)
    result = []
    for entry in binaries:
        dest, source = entry[0], entry[1]
        if dest.replace("\\", "/") in STRIP and source:
            target = os.path.join(folder, dest.replace("/", "__"))
            subprocess.run(["strip", "--strip-unneeded", "-o", target, source], check=True)
            log(f"trim: stripped {dest}: {os.path.getsize(source) / 2**20:.0f} -> "
                f"{os.path.getsize(target) / 2**20:.0f} MiB")
            entry = (dest, target, *entry[2:])
        result.append(entry)
    return result


# Linux only: shared libraries that PyInstaller picked up from the build machine's own system
# (/lib, /usr/lib) rather than from a wheel. The .deb does not carry them: it declares the Debian
# packages that provide them in Depends (packaging/linux/control.in), so the installed app uses the
# target system's own X11/xcb, fontconfig, glib, libstdc++ ... Bundling the build host's copies
# breaks on newer systems (an old bundled libstdc++ next to a newer Mesa driver) and would hide a
# missing Depends (the libxcb-cursor0 check in packaging/prove_deb.sh). libpython stays bundled.
SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def split_system_libraries(binaries):
    """(kept, left_out): left_out are the TOC entries of system libraries (Linux only)."""
    kept, left_out = [], []
    for entry in binaries:
        source = entry[1] or ""
        if (source.startswith(SYSTEM_LIBRARY_DIRS) and "libpython" not in os.path.basename(source)):
            left_out.append(entry)
        else:
            kept.append(entry)
    return kept, left_out


def enabled() -> bool:
    return os.environ.get("CONVDESIGNER_NO_TRIM", "") not in ("1", "true", "yes")


def matching_rule(dest: str) -> str | None:
    path = dest.replace("\\", "/")
    for reason, patterns in RULES:
        if any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns):
            return reason
    return None


def trim(toc, log=print):
    """The TOC without the files the rules name; logs how much each rule removed."""
    if not enabled():
        log("trim: CONVDESIGNER_NO_TRIM is set; nothing is left out")
        return toc
    kept, removed = [], {}
    for entry in toc:
        dest, source = entry[0], entry[1]
        reason = matching_rule(dest)
        if reason is None:
            kept.append(entry)
            continue
        size = os.path.getsize(source) if source and os.path.isfile(source) else 0
        count, total = removed.get(reason, (0, 0))
        removed[reason] = (count + 1, total + size)
    for reason, (count, total) in removed.items():
        log(f"trim: left out {count} files, {total / 2**20:.1f} MiB: {reason}")
    return kept
