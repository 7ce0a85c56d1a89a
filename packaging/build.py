"""Build ConvDesigner's installers: one entry point for every platform.

    python packaging/build.py bundle   # the frozen one-folder app (PyInstaller), any OS
    python packaging/build.py deb      # Linux: dist/convdesigner_VERSION_amd64.deb
    python packaging/build.py inno     # Windows: dist/ConvDesigner-VERSION-setup.exe (Inno Setup 6)
    python packaging/build.py dmg      # macOS (Apple Silicon): dist/ConvDesigner-VERSION-arm64.dmg
    python packaging/build.py icons    # re-render resources/icons/* from convdesigner.svg

Run it with the Python the bundle should carry (3.11 is what is tested). It never touches the
environment it runs in: it creates its own build venv, build/packaging/venv, installs
packaging/requirements-bundle.txt into it (torch first, as the CPU build), installs this
checkout's convdesigner into it (no dependencies, from a clean copy of the sources), and runs
PyInstaller there. The venv is reused while the requirements file and Python stay the same.

Options (all commands):
  --torch-index-url URL  where torch comes from. Linux needs the CPU index
                         (https://download.pytorch.org/whl/cpu; PyPI's Linux wheel is the multi-GB
                         CUDA build); also read from CONVDESIGNER_TORCH_INDEX_URL. Windows and
                         macOS take PyPI's wheel, which is the CPU build there.
  --reuse-bundle         deb/inno/dmg: package the existing bundle instead of rebuilding it
  --clean                rebuild PyInstaller's caches (slower)
  --compress xz|gzip|zstd|none   deb only; xz (default) for releases

A build that would bundle a CUDA torch stops: the installers are CPU-only by design.
Timings and sizes go to build/packaging/bundle-info.json and are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
BUILD = Path(os.environ.get("CONVDESIGNER_BUILD_DIR", REPO / "build" / "packaging")).resolve()
VENV = BUILD / "venv"
DIST = BUILD / "dist"
WORK = BUILD / "work"
OUTPUT = REPO / "dist"                       # the finished installers
REQUIREMENTS = PACKAGING / "requirements-bundle.txt"
ICONS = REPO / "resources" / "icons"
IS_WIN, IS_MAC, IS_LINUX = sys.platform == "win32", sys.platform == "darwin", sys.platform.startswith("linux")

# Runtime packages whose licence files are shipped with the bundle (licenses/NAME/...).
LICENSED = ("torch", "PySide6_Essentials", "shiboken6", "numpy", "pyqtgraph", "pillow", "sympy",
            "mpmath", "networkx", "jinja2", "MarkupSafe", "filelock", "fsspec", "typing_extensions",
            "colorama", "pyinstaller")


def version() -> str:
    text = (REPO / "convdesigner" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def run(command: list[str | Path], **kwargs) -> None:
    say("$ " + " ".join(str(part) for part in command))
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if IS_WIN else "bin/python")


def tree_size(path: Path) -> tuple[int, int]:
    """(bytes, files) under path, symlinks not followed."""
    total = count = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            file = Path(root, name)
            if not file.is_symlink():
                total += file.stat().st_size
                count += 1
    return total, count


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


# -- the build venv --------------------------------------------------------------------------------

def torch_pin() -> str:
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        if re.match(r"\s*torch\s*==", line):
            return line.split("#")[0].strip()
    raise SystemExit("packaging/requirements-bundle.txt pins no torch")


def ensure_venv(torch_index_url: str | None) -> None:
    stamp_text = json.dumps({"requirements": hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest(),
                             "python": sys.version, "executable": sys.executable,
                             "torch_index_url": torch_index_url}, sort_keys=True)
    stamp = VENV / "convdesigner-build-stamp.json"
    if venv_python().exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == stamp_text:
        say(f"build venv up to date: {VENV}")
        return
    if sys.version_info[:2] != (3, 11):
        say(f"note: building with Python {sys.version.split()[0]}; the installers are tested with 3.11")
    if VENV.exists():
        shutil.rmtree(VENV)
    run([sys.executable, "-m", "venv", VENV])
    pip = [venv_python(), "-m", "pip", "install", "--disable-pip-version-check"]
    index = ["--index-url", torch_index_url] if torch_index_url else []
    # torch alone and first, without its dependencies (pinned in the requirements file): with an
    # index URL, only torch comes from there.
    run(pip + ["--no-deps", torch_pin()] + index)
    run(pip + ["-r", REQUIREMENTS])
    cuda = subprocess.run([venv_python(), "-c", "import torch; print(torch.version.cuda or '')"],
                          capture_output=True, text=True, check=True).stdout.strip()
    if cuda:
        raise SystemExit(f"the build venv got a CUDA build of torch (CUDA {cuda}); the installers "
                         "bundle the CPU build. On Linux pass --torch-index-url "
                         "https://download.pytorch.org/whl/cpu (or install torch==2.13.0 from a "
                         "source that has the +cpu wheel).")
    stamp.write_text(stamp_text, encoding="utf-8")


def install_app() -> None:
    """This checkout's convdesigner, into the build venv, from a clean copy of its sources (so no
    stale build/lib or egg-info of the working tree gets in, and the tree is not written to)."""
    with tempfile.TemporaryDirectory(prefix="convdesigner-src-") as temporary:
        source = Path(temporary) / "src"
        source.mkdir()
        for name in ("pyproject.toml", "README.md", "NOTICE"):
            shutil.copy2(REPO / name, source / name)
        shutil.copytree(REPO / "convdesigner", source / "convdesigner",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        run([venv_python(), "-m", "pip", "install", "--disable-pip-version-check", "--no-deps",
             "--no-build-isolation", "--force-reinstall", "--quiet", source])


# -- bundle ----------------------------------------------------------------------------------------

def bundle_dir() -> Path:
    """The folder holding the executable(s) and _internal/."""
    if IS_MAC:
        return DIST / "ConvDesigner.app"
    return DIST / ("ConvDesigner" if IS_WIN else "convdesigner")


def collect_licenses(destination: Path) -> None:
    """The licence files of the bundled packages, from their installed metadata."""
    site = Path(subprocess.run([venv_python(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "NOTICE", destination / "NOTICE-convdesigner.txt")
    for dist_info in sorted(site.glob("*.dist-info")):
        name = dist_info.name.split("-")[0]
        if name.lower() not in {n.lower() for n in LICENSED}:
            continue
        files = [f for f in dist_info.rglob("*") if f.is_file() and
                 re.match(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", f.name, re.IGNORECASE)]
        for file in files:
            target = destination / name / file.relative_to(dist_info)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


def build_bundle(args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    ensure_venv(args.torch_index_url)
    install_app()
    venv_seconds = time.perf_counter() - started
    command = [venv_python(), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", DIST, "--workpath", WORK]
    if args.clean:
        command.append("--clean")
    freeze_started = time.perf_counter()
    run(command + [PACKAGING / "convdesigner.spec"], cwd=REPO)
    freeze_seconds = time.perf_counter() - freeze_started
    target = bundle_dir()
    licenses = (target / "Contents" / "Resources" / "licenses") if IS_MAC else (target / "licenses")
    collect_licenses(licenses)
    size, files = tree_size(target)
    info = {"version": version(), "platform": sys.platform, "bundle": str(target),
            "bundle_bytes": size, "bundle_files": files,
            "venv_and_install_seconds": round(venv_seconds, 1),
            "pyinstaller_seconds": round(freeze_seconds, 1),
            "total_seconds": round(time.perf_counter() - started, 1)}
    (BUILD / "bundle-info.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    say(f"bundle: {target}: {mib(size)} in {files} files; PyInstaller {freeze_seconds:.0f} s, "
        f"total {info['total_seconds']:.0f} s")
    return info


def ensure_bundle(args: argparse.Namespace) -> None:
    if args.reuse_bundle and bundle_dir().exists():
        say(f"reusing the bundle in {bundle_dir()}")
        return
    build_bundle(args)


# -- Linux .deb ------------------------------------------------------------------------------------

def build_deb(args: argparse.Namespace) -> Path:
    if not IS_LINUX or shutil.which("dpkg-deb") is None:
        raise SystemExit("deb: builds a Debian/Ubuntu package; run it on Linux with dpkg-deb "
                         "(apt-get install dpkg-dev). On Windows use 'inno', on macOS 'dmg'.")
    ensure_bundle(args)
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    name = f"convdesigner_{version()}_{arch}"
    root = BUILD / "deb" / name
    if root.exists():
        shutil.rmtree(root)
    linux = PACKAGING / "linux"
    shutil.copytree(bundle_dir(), root / "opt" / "convdesigner", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "convdesigner").symlink_to("/opt/convdesigner/convdesigner")
    applications = root / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(linux / "convdesigner.desktop", applications / "convdesigner.desktop")
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    for png in sorted((ICONS / "png").glob("convdesigner-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        (hicolor / f"{size}x{size}" / "apps").mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, hicolor / f"{size}x{size}" / "apps" / "convdesigner.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ICONS / "convdesigner.svg", hicolor / "scalable" / "apps" / "convdesigner.svg")
    doc = root / "usr" / "share" / "doc" / "convdesigner"
    doc.mkdir(parents=True)
    shutil.copy2(linux / "copyright", doc / "copyright")
    # Debian's permissions: directories 0755, executables 0755, everything else 0644.
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or os.access(path, os.X_OK):
            path.chmod(0o755)
        else:
            path.chmod(0o644)
    installed_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    # Depends/Recommends/Suggests from the bundle's own ELF files: every library it needs and
    # does not carry (packaging/linux/depends.py; it stops on a library it cannot place).
    sys.path.insert(0, str(linux))
    import depends

    relations, report = depends.fields(bundle_dir())
    (BUILD / "deb-depends.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    say("system libraries the bundle does not carry (-> control fields), see build/packaging/deb-depends.txt")
    control = (linux / "control.in").read_text(encoding="utf-8")
    control = (control.replace("@VERSION@", version()).replace("@ARCH@", arch)
               .replace("@INSTALLED_SIZE@", str(installed_kib))
               .replace("@DEPENDS@", relations["Depends"])
               .replace("@RECOMMENDS@", relations["Recommends"])
               .replace("@SUGGESTS@", relations["Suggests"]))
    control = "".join(line for line in control.splitlines(keepends=True) if not line.rstrip().endswith(":"))
    say("control:\n" + control)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    OUTPUT.mkdir(exist_ok=True)
    deb = OUTPUT / f"{name}.deb"
    started = time.perf_counter()
    compress = {"xz": ["-Zxz", "-z9"], "gzip": ["-Zgzip", "-z6"], "zstd": ["-Zzstd", "-z19"],
                "none": ["-Znone"]}[args.compress]
    run(["dpkg-deb", "--root-owner-group", *compress, "--build", root, deb])
    seconds = time.perf_counter() - started
    shutil.rmtree(root)      # the staging copy of the bundle (~630 MB)
    info_path = BUILD / "bundle-info.json"
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    info.update({"deb": str(deb), "deb_bytes": deb.stat().st_size, "deb_compress": args.compress,
                 "deb_seconds": round(seconds, 1), "installed_kib": installed_kib})
    info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    say(f"deb: {deb}: {mib(deb.stat().st_size)} ({args.compress}, {seconds:.0f} s); "
        f"installed {mib(installed_kib * 1024)}")
    return deb


# -- Windows (Inno Setup) --------------------------------------------------------------------------

def find_iscc() -> str | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES"),
                 os.path.expandvars(r"%LOCALAPPDATA%\Programs")):
        if base and Path(base, "Inno Setup 6", "ISCC.exe").exists():
            return str(Path(base, "Inno Setup 6", "ISCC.exe"))
    return None


def build_inno(args: argparse.Namespace) -> Path:
    if not IS_WIN:
        raise SystemExit("inno: builds the Windows installer with Inno Setup 6; run it on Windows "
                         "(CI: the windows-latest job of .github/workflows/installers.yml). "
                         f"This is {sys.platform}.")
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit("inno: ISCC.exe (Inno Setup 6) not found; install it "
                         "(choco install innosetup, or https://jrsoftware.org/isdl.php)")
    ensure_bundle(args)
    OUTPUT.mkdir(exist_ok=True)
    run([iscc, f"/DAppVersion={version()}", f"/DSourceDir={bundle_dir()}", f"/DOutputDir={OUTPUT}",
         f"/DIconFile={ICONS / 'convdesigner.ico'}", PACKAGING / "windows" / "convdesigner.iss"])
    setup = OUTPUT / f"ConvDesigner-{version()}-setup.exe"
    say(f"inno: {setup}: {mib(setup.stat().st_size)}")
    return setup


# -- macOS (.app in a .dmg) ------------------------------------------------------------------------

def build_dmg(args: argparse.Namespace) -> Path:
    if not IS_MAC or shutil.which("hdiutil") is None:
        raise SystemExit("dmg: builds the macOS disk image with hdiutil; run it on macOS on Apple "
                         "Silicon (CI: the macos-14 job of .github/workflows/installers.yml). "
                         f"This is {sys.platform}.")
    ensure_bundle(args)
    app = bundle_dir()
    # Unsigned for distribution, but every binary must carry a signature on Apple Silicon: sign the
    # whole .app ad hoc ("-") so the bundle's seal matches what was collected.
    run(["codesign", "--force", "--deep", "--sign", "-", app])
    run(["codesign", "--verify", "--deep", "--strict", app])
    staging = BUILD / "dmg"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    shutil.copytree(app, staging / app.name, symlinks=True)
    (staging / "Applications").symlink_to("/Applications")
    OUTPUT.mkdir(exist_ok=True)
    machine = os.uname().machine
    dmg = OUTPUT / f"ConvDesigner-{version()}-{machine}.dmg"
    run(["hdiutil", "create", "-volname", "ConvDesigner", "-srcfolder", staging, "-fs", "HFS+",
         "-format", "UDZO", "-imagekey", "zlib-level=9", "-ov", dmg])
    say(f"dmg: {dmg}: {mib(dmg.stat().st_size)}")
    return dmg


# -- command line ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python packaging/build.py",
                                     description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("bundle", "deb", "inno", "dmg", "icons"))
    parser.add_argument("--torch-index-url", default=os.environ.get("CONVDESIGNER_TORCH_INDEX_URL") or None)
    parser.add_argument("--reuse-bundle", action="store_true")
    parser.add_argument("--clean", action="store_true")
    parser.add_argument("--compress", choices=("xz", "gzip", "zstd", "none"), default="xz")
    args = parser.parse_args(argv)
    if args.command == "icons":
        run([sys.executable, PACKAGING / "make_icons.py"])
        return 0
    BUILD.mkdir(parents=True, exist_ok=True)
    {"bundle": build_bundle, "deb": build_deb, "inno": build_inno, "dmg": build_dmg}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
