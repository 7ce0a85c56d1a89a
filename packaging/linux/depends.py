"""The .deb's Depends / Recommends / Suggests, derived from the bundle itself.

    python3 packaging/linux/depends.py BUNDLE_DIR [--report FILE]

Reads the dynamic section (``readelf -d``: DT_NEEDED) of every ELF file in the bundle and keeps
the libraries that the bundle does NOT carry: those must come from the system. Each such soname
must be in SONAMES below, which names the Debian/Ubuntu package that provides it and whether the
app needs it (Depends) or only an optional Qt plugin does (Recommends/Suggests). A soname that
is not in the table stops the build: a new torch/Qt/Python needs a new system library, and the
package must say so. The minimum libc6 version is the newest GLIBC_x.y symbol version any bundled
file asks for (``readelf -V``), so apt refuses a system too old to run the bundle instead of the
app failing at start.

Package names with "t64" are Ubuntu 24.04's / Debian 13's names after the 64-bit time_t
transition; each is given with its older name as the alternative, so the same .deb installs on
Debian 12 and on Ubuntu 24.04.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
from pathlib import Path

DEPENDS, RECOMMENDS, SUGGESTS = "Depends", "Recommends", "Suggests"

# soname -> (package, level). Keep sorted by package.
SONAMES: dict[str, tuple[str, str]] = {
    # C and C++ runtime (glibc's libraries: the version comes from the symbol versions).
    "ld-linux-x86-64.so.2": ("libc6", DEPENDS), "libc.so.6": ("libc6", DEPENDS),
    "libm.so.6": ("libc6", DEPENDS), "libdl.so.2": ("libc6", DEPENDS),
    "libpthread.so.0": ("libc6", DEPENDS), "librt.so.1": ("libc6", DEPENDS),
    "libresolv.so.2": ("libc6", DEPENDS), "libutil.so.1": ("libc6", DEPENDS),
    "libstdc++.so.6": ("libstdc++6", DEPENDS), "libgcc_s.so.1": ("libgcc-s1", DEPENDS),
    # Python's standard-library extension modules (ctypes, hashlib/ssl, lzma, bz2, sqlite3, uuid,
    # readline), built against the system's libraries.
    "libffi.so.8": ("libffi8", DEPENDS),
    "libssl.so.3": ("libssl3t64 | libssl3", DEPENDS), "libcrypto.so.3": ("libssl3t64 | libssl3", DEPENDS),
    "liblzma.so.5": ("liblzma5", DEPENDS), "libbz2.so.1.0": ("libbz2-1.0", DEPENDS),
    "libsqlite3.so.0": ("libsqlite3-0", DEPENDS), "libuuid.so.1": ("libuuid1", DEPENDS),
    "libreadline.so.8": ("libreadline8t64 | libreadline8", DEPENDS),
    "libz.so.1": ("zlib1g", DEPENDS), "libzstd.so.1": ("libzstd1", DEPENDS),
    # ... and those other Python builds (e.g. actions/setup-python's) may link instead or as well.
    "libncursesw.so.6": ("libncursesw6", DEPENDS), "libpanelw.so.6": ("libncursesw6", DEPENDS),
    "libtinfo.so.6": ("libtinfo6", DEPENDS), "libedit.so.2": ("libedit2", DEPENDS),
    "libgdbm.so.6": ("libgdbm6t64 | libgdbm6", DEPENDS),
    "libgdbm_compat.so.4": ("libgdbm-compat4t64 | libgdbm-compat4", DEPENDS),
    "libnsl.so.2": ("libnsl2", DEPENDS), "libtirpc.so.3": ("libtirpc3t64 | libtirpc3", DEPENDS),
    "libmpdec.so.3": ("libmpdec3", DEPENDS), "libexpat.so.1": ("libexpat1", DEPENDS),
    "libcrypt.so.1": ("libcrypt1", DEPENDS), "libdb-5.3.so": ("libdb5.3t64 | libdb5.3", DEPENDS),
    # QtCore / QtGui / QtDBus.
    "libglib-2.0.so.0": ("libglib2.0-0t64 | libglib2.0-0", DEPENDS),
    "libgthread-2.0.so.0": ("libglib2.0-0t64 | libglib2.0-0", DEPENDS),
    "libdbus-1.so.3": ("libdbus-1-3", DEPENDS),
    "libfontconfig.so.1": ("libfontconfig1", DEPENDS), "libfreetype.so.6": ("libfreetype6", DEPENDS),
    "libGL.so.1": ("libgl1", DEPENDS), "libEGL.so.1": ("libegl1", DEPENDS),
    "libOpenGL.so.0": ("libopengl0", DEPENDS), "libGLX.so.0": ("libglx0", DEPENDS),
    "libxkbcommon.so.0": ("libxkbcommon0", DEPENDS),
    # Qt's xcb platform plugin (X11, and XWayland under Wayland desktops).
    "libX11.so.6": ("libx11-6", DEPENDS), "libX11-xcb.so.1": ("libx11-xcb1", DEPENDS),
    "libxcb.so.1": ("libxcb1", DEPENDS),
    "libxcb-cursor.so.0": ("libxcb-cursor0", DEPENDS), "libxcb-glx.so.0": ("libxcb-glx0", DEPENDS),
    "libxcb-icccm.so.4": ("libxcb-icccm4", DEPENDS), "libxcb-image.so.0": ("libxcb-image0", DEPENDS),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", DEPENDS), "libxcb-randr.so.0": ("libxcb-randr0", DEPENDS),
    "libxcb-render.so.0": ("libxcb-render0", DEPENDS),
    "libxcb-render-util.so.0": ("libxcb-render-util0", DEPENDS),
    "libxcb-shape.so.0": ("libxcb-shape0", DEPENDS), "libxcb-shm.so.0": ("libxcb-shm0", DEPENDS),
    "libxcb-sync.so.1": ("libxcb-sync1", DEPENDS), "libxcb-util.so.1": ("libxcb-util1", DEPENDS),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", DEPENDS), "libxcb-xinerama.so.0": ("libxcb-xinerama0", DEPENDS),
    "libxcb-xinput.so.0": ("libxcb-xinput0", DEPENDS), "libxcb-xkb.so.1": ("libxcb-xkb1", DEPENDS),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", DEPENDS),
    # Qt's Wayland platform plugin: native Wayland sessions (without it Qt uses XWayland via xcb).
    "libwayland-client.so.0": ("libwayland-client0", RECOMMENDS),
    "libwayland-cursor.so.0": ("libwayland-cursor0", RECOMMENDS),
    "libwayland-egl.so.1": ("libwayland-egl1", RECOMMENDS),
    # Qt's GTK3 platform theme (GNOME look and native file dialogs); Qt falls back without it.
    "libgtk-3.so.0": ("libgtk-3-0t64 | libgtk-3-0", SUGGESTS),
    "libgdk-3.so.0": ("libgtk-3-0t64 | libgtk-3-0", SUGGESTS),
    "libatk-1.0.so.0": ("libatk1.0-0t64 | libatk1.0-0", SUGGESTS),
    "libcairo.so.2": ("libcairo2", SUGGESTS), "libcairo-gobject.so.2": ("libcairo-gobject2", SUGGESTS),
    "libgdk_pixbuf-2.0.so.0": ("libgdk-pixbuf-2.0-0", SUGGESTS),
    "libgio-2.0.so.0": ("libglib2.0-0t64 | libglib2.0-0", SUGGESTS),
    "libgobject-2.0.so.0": ("libglib2.0-0t64 | libglib2.0-0", SUGGESTS),
    "libharfbuzz.so.0": ("libharfbuzz0b", SUGGESTS),
    "libpango-1.0.so.0": ("libpango-1.0-0", SUGGESTS), "libpangocairo-1.0.so.0": ("libpangocairo-1.0-0", SUGGESTS),
}

# Not libraries: packages the app uses at run time without linking them.
EXTRA: dict[str, list[str]] = {
    # The Simplified Chinese interface needs a CJK font. Chinese-language systems have one; an
    # English system whose user switches to Chinese would show empty boxes, so apt installs the
    # small (5 MB) WenQuanYi font by default (Recommends), and Noto CJK satisfies it too.
    RECOMMENDS: ["fonts-wqy-microhei | fonts-noto-cjk"],
}

OPTIONAL_USERS = re.compile(r"(wayland|libqgtk3|WaylandClient|WlShellIntegration)")


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for root, _dirs, files in os.walk(bundle):
        for name in files:
            path = Path(root, name)
            if path.is_symlink():
                continue
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def external_needs(bundle: Path) -> tuple[dict[str, set[str]], str | None]:
    """({soname: bundle files that need it} for sonames the bundle lacks, newest GLIBC_ version)."""
    carried = {name for _root, _dirs, files in os.walk(bundle) for name in files}
    needs: dict[str, set[str]] = collections.defaultdict(set)
    glibc = (0, 0)
    for path in elf_files(bundle):
        dynamic = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True).stdout
        for soname in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic):
            if soname not in carried:
                needs[soname].add(str(path.relative_to(bundle)))
        versions = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"Name: GLIBC_(\d+)\.(\d+)", versions):
            glibc = max(glibc, (int(major), int(minor)))
    return needs, (f"{glibc[0]}.{glibc[1]}" if glibc != (0, 0) else None)


def fields(bundle: Path) -> tuple[dict[str, str], list[str]]:
    """({"Depends": ..., "Recommends": ..., "Suggests": ...}, report lines). Exits on an unknown soname."""
    needs, glibc = external_needs(bundle)
    unknown = sorted(soname for soname in needs if soname not in SONAMES)
    if unknown:
        lines = [f"  {soname}  (needed by {', '.join(sorted(needs[soname])[:3])})" for soname in unknown]
        raise SystemExit("depends: the bundle needs system libraries that packaging/linux/depends.py "
                         "does not know; add each with its Debian package:\n" + "\n".join(lines))
    chosen: dict[str, list[str]] = {DEPENDS: [], RECOMMENDS: [], SUGGESTS: []}
    report = []
    for soname in sorted(needs, key=lambda name: (SONAMES[name][0], name)):
        package, level = SONAMES[soname]
        users = sorted(needs[soname])
        if level == DEPENDS and users and all(OPTIONAL_USERS.search(user) for user in users):
            level = RECOMMENDS      # only optional plugins need it
        if level != DEPENDS and not all(OPTIONAL_USERS.search(user) for user in users):
            level = DEPENDS         # something the app always loads needs it
        if package == "libc6" and glibc:
            package = f"libc6 (>= {glibc})"
        report.append(f"{level:10} {package:36} {soname:28} <- {', '.join(users[:3])}"
                      + (f" (+{len(users) - 3})" if len(users) > 3 else ""))
        if package not in chosen[level]:
            chosen[level].append(package)
    for level, packages in EXTRA.items():
        chosen[level] += [package for package in packages if package not in chosen[level]]
    # A package already depended on need not be recommended or suggested too.
    for level in (RECOMMENDS, SUGGESTS):
        chosen[level] = [p for p in chosen[level] if p not in chosen[DEPENDS]]
    chosen[SUGGESTS] = [p for p in chosen[SUGGESTS] if p not in chosen[RECOMMENDS]]
    return {level: ", ".join(packages) for level, packages in chosen.items()}, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    result, report = fields(args.bundle)
    text = "\n".join(report + [""] + [f"{level}: {value}" for level, value in result.items()])
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
