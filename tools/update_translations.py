"""Update the translations: ``pyside6-lupdate`` the sources into the ``.ts`` files, then
``pyside6-lrelease`` them into the ``.qm`` files the app ships.

    python tools/update_translations.py            # update convdesigner/i18n/*.ts, build the .qm
    python tools/update_translations.py --check    # change nothing; exit 1 when a .ts is out of
                                                   # date or has unfinished entries (CI, tests)

Sources scanned: every ``convdesigner/ui/**/*.py`` (``self.tr``, ``translate(context, text)``,
``QCoreApplication.translate``, ``QT_TRANSLATE_NOOP``) and the pure-model files that hold
user-visible texts (:data:`MODEL_SOURCES`, marked with ``QT_TRANSLATE_NOOP``). Entries whose text
left the sources are dropped (``-no-obsolete``); locations are not written (``-locations none``),
so a ``.ts`` file changes only when texts change.

The workflow for a new or changed text: run this script, translate the new entries (Qt Linguist:
``pyside6-linguist convdesigner/i18n/convdesigner_zh_CN.ts``, or any editor: replace
``<translation type="unfinished">`` by ``<translation>`` with the text, keeping every
``{placeholder}``), run the script again, and commit the ``.ts`` and the ``.qm``. Terms:
``convdesigner/i18n/GLOSSARY.md``. The tests (``tests/test_i18n.py``) fail while a text is
missing from the ``.ts`` file or untranslated.

The tools come with PySide6 (``pyside6-lupdate``, ``pyside6-lrelease``, next to the Python that
runs this script or on the PATH).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "convdesigner"
TS_FOLDER = PACKAGE / "i18n"
QM_FOLDER = PACKAGE / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
#: The model and compute files with user-visible texts (marked with QT_TRANSLATE_NOOP).
MODEL_SOURCES = ("design/analysis.py", "design/budget.py", "design/examples.py", "design/lessons.py",
                 "design/presets.py", "design/checkerboard.py", "compute/training.py")


def ts_path(language: str) -> Path:
    return TS_FOLDER / f"convdesigner_{language}.ts"


def qm_path(language: str) -> Path:
    return QM_FOLDER / f"convdesigner_{language}.qm"


def sources() -> list[Path]:
    found = sorted((PACKAGE / "ui").rglob("*.py"))
    return found + [PACKAGE / name for name in MODEL_SOURCES]


def tool(name: str) -> str:
    """``pyside6-<name>`` next to this Python (a virtual environment), else on the PATH."""
    for folder in (Path(sys.executable).parent, ):
        for candidate in (folder / f"pyside6-{name}", folder / f"pyside6-{name}.exe"):
            if candidate.exists():
                return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"update_translations: pyside6-{name} not found (install PySide6)")
    return found


def lupdate(ts: Path) -> str:
    """Run lupdate over :func:`sources` into ``ts``; returns its report."""
    ts.parent.mkdir(parents=True, exist_ok=True)
    files = [str(path.relative_to(REPO)) for path in sources()]
    result = subprocess.run(
        [tool("lupdate"), "-no-obsolete", "-locations", "none", "-source-language", "en",
         "-target-language", ts.stem.split("_", 1)[1], *files, "-ts", str(ts)],
        cwd=REPO, capture_output=True, text=True, check=True)
    return (result.stdout + result.stderr).strip()


def lrelease(ts: Path, qm: Path) -> str:
    qm.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], cwd=REPO,
                            capture_output=True, text=True, check=True)
    return (result.stdout + result.stderr).strip()


def messages(ts: Path) -> dict[tuple[str, str], tuple[str | None, str]]:
    """``{(context, source): (translation type or None, translation)}`` of a .ts file."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            found[(name, message.findtext("source") or "")] = (
                translation.get("type") if translation is not None else "unfinished",
                (translation.text or "") if translation is not None else "")
    return found


def check(language: str) -> list[str]:
    """What is wrong with the committed .ts of ``language`` (empty when it is up to date)."""
    ts = ts_path(language)
    if not ts.exists():
        return [f"{ts.relative_to(REPO)} is missing"]
    qm = qm_path(language)
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / ts.name
        shutil.copy(ts, fresh)
        lupdate(fresh)
        current, updated = messages(ts), messages(fresh)
        built = Path(folder) / qm.name
        lrelease(ts, built)
        qm_current = qm.exists() and qm.read_bytes() == built.read_bytes()
    errors = [f"new text, not in {ts.name}: [{context}] {source!r}"
              for context, source in sorted(set(updated) - set(current))]
    errors += [f"text no longer in the sources: [{context}] {source!r}"
               for context, source in sorted(set(current) - set(updated))]
    errors += [f"{kind or 'translated'} entry: [{context}] {source!r}"
               for (context, source), (kind, _) in sorted(current.items())
               if kind in ("unfinished", "vanished", "obsolete")]
    if not qm_current:
        errors.append(f"{qm.relative_to(REPO)} is missing or not built from {ts.name}: run this script")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a .ts file is out of date or unfinished")
    args = parser.parse_args(argv)
    status = 0
    for language in LANGUAGES:
        if args.check:
            errors = check(language)
            for error in errors:
                print(f"{language}: {error}")
            status |= bool(errors)
            continue
        ts, qm = ts_path(language), qm_path(language)
        print(lupdate(ts))
        unfinished = [key for key, (kind, _) in messages(ts).items() if kind == "unfinished"]
        print(lrelease(ts, qm))
        if unfinished:
            print(f"{language}: {len(unfinished)} entries still to translate in {ts.relative_to(REPO)}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
