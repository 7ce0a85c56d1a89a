"""The app's languages: English (the source texts) and Simplified Chinese, with Qt's translators.

* Every user-visible text of the ui is marked with ``self.tr(...)`` or
  ``translate(context, text)`` (``QCoreApplication.translate``) and extracted by
  ``pyside6-lupdate`` into ``convdesigner/i18n/convdesigner_zh_CN.ts``; texts of the pure design
  model are :class:`~convdesigner.design.i18n.Text` values whose templates are marked with
  ``QT_TRANSLATE_NOOP`` (:func:`render` translates them). ``tools/update_translations.py``
  updates the ``.ts`` file and builds ``convdesigner/resources/i18n/convdesigner_zh_CN.qm``, the
  package data :func:`install_translators` loads (with ``importlib.resources``), together with
  Qt's own ``qtbase_zh_CN.qm`` for the standard dialogs' buttons.
* The language follows the system locale (``QLocale.system()``: any Chinese locale gives
  Simplified Chinese) until the user picks one under *View ▸ Language*; the choice is saved as
  ``ui/language`` and takes effect at the next start.
* ``CONVDESIGNER_PSEUDO_LOCALE=1`` installs :class:`PseudoTranslator` instead: every text of the
  app comes out 50 % longer and bracketed (``⟦Layers···⟧``), to find layouts that clip and texts
  that were never marked.

Texts built from numbers are templates with named placeholders, filled in after translation
(``self.tr("Layer {index}: …").format(index=…)``), never concatenated, so a translation can
reorder them. Numbers, layer reprs and code stay as PyTorch writes them.

Threading: GUI thread only (translators are installed once, before the window is built).
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QAction, QActionGroup, QFontDatabase
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text

#: ``(code, name)`` of each language, the name written in that language (it is never translated).
LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English"), ("zh_CN", "简体中文"))
LANGUAGE_CODES = tuple(code for code, _ in LANGUAGES)
#: Set to 1 to install :class:`PseudoTranslator` (layout checks).
PSEUDO_VARIABLE = "CONVDESIGNER_PSEUDO_LOCALE"
#: Where the compiled translations are, inside the ``convdesigner`` package.
QM_FOLDER = "resources/i18n"
SETTING = "ui/language"

_installed: list[QTranslator] = []


def translate(context: str, text: str) -> str:
    """``QCoreApplication.translate(context, text)``; lupdate extracts calls written with literals."""
    return QCoreApplication.translate(context, text)


def render(text: Text) -> str:
    """A :class:`~convdesigner.design.i18n.Text` of the design model in the current language."""
    return text.render(translate)


def problem_text(problem, *, without_layer: bool = False) -> str:
    """A :class:`~convdesigner.design.Problem`'s message in the current language.

    ``without_layer=True`` drops its leading layer name ("layer 2 (Conv2d): ") where the place it
    is shown already names the layer (a row of the layer list, the layer's own settings)."""
    message = render(problem.text)
    name = problem.values.get("layer") if without_layer else None
    if isinstance(name, Text) and problem.template.startswith("{layer}"):
        shown = render(name)
        if message.startswith(shown):
            message = message[len(shown):].lstrip(":：").lstrip()
    return message


# -- choosing the language -----------------------------------------------------------------------

def system_language(locale: QLocale | None = None) -> str:
    """``'zh_CN'`` for any Chinese system locale, else ``'en'``."""
    locale = QLocale.system() if locale is None else locale
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def startup_language(settings) -> str:
    """The saved choice (``ui/language``) when it names a language, else the system's."""
    saved = settings.value(SETTING)
    return saved if saved in LANGUAGE_CODES else system_language()


def qm_resource(language: str):
    """The compiled translation of ``language`` as an ``importlib.resources`` Traversable."""
    return importlib.resources.files("convdesigner").joinpath(QM_FOLDER, f"convdesigner_{language}.qm")


def _load_qm(translator: QTranslator, resource) -> bool:
    if isinstance(resource, Path):   # an installed package or a frozen app: a file on disk
        return translator.load(str(resource))
    try:                             # e.g. a zip import: Qt reads the bytes, which must stay alive
        data = resource.read_bytes()
    except OSError:
        return False
    translator._qm_data = data       # type: ignore[attr-defined]  (QTranslator does not copy it)
    return translator.load(data)


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators of ``language`` (or, with ``CONVDESIGNER_PSEUDO_LOCALE=1``, the
    pseudo-translator) on ``app``, replacing any installed before. English installs none. Returns
    the installed translators; a missing file is skipped (the texts then stay English)."""
    remove_translators(app)
    translators: list[QTranslator] = []
    if os.environ.get(PSEUDO_VARIABLE, "") not in ("", "0"):
        translators.append(PseudoTranslator(app))
    elif language != "en":
        own = QTranslator(app)
        if _load_qm(own, qm_resource(language)):
            translators.append(own)
        qt = QTranslator(app)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            translators.append(qt)
    for translator in translators:
        app.installTranslator(translator)
    _installed.extend(translators)
    return translators


def remove_translators(app: QCoreApplication) -> None:
    """Remove what :func:`install_translators` installed (tests go back to English with it)."""
    while _installed:
        app.removeTranslator(_installed.pop())


class PseudoTranslator(QTranslator):
    """Makes every text of the app 50 % longer, bracketed and padded with a visible filler:
    ``"Layers"`` → ``"⟦Layers···⟧"``. Placeholders (``{index}``), mnemonics (``&File``) and tags
    stay intact, so the app works as usual. Qt's own texts (contexts starting with ``Q``) and file
    dialog filters (``(*.png)``) are left alone."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        if not source or (context or "").startswith("Q") or "(*" in source:
            return None
        return pseudo(source)

    def isEmpty(self) -> bool:
        return False


def pseudo(text: str) -> str:
    """``text`` 50 % longer: ``⟦text⟧`` padded with ``·`` (at least one; a space after every ten,
    so that long texts can still wrap)."""
    filler = "·" * max(1, len(text) // 2 - 2)
    filler = " ".join(filler[i:i + 10] for i in range(0, len(filler), 10))
    return "⟦" + text + filler + "⟧"


# -- the Language menu ---------------------------------------------------------------------------

def build_language_menu(menu: QMenu, settings, parent: QWidget) -> list[QAction]:
    """Fill ``menu`` (*View ▸ Language*) with one checkable action per language; choosing one
    saves it as ``ui/language`` and says that it takes effect after a restart."""
    current = startup_language(settings)
    group = QActionGroup(menu)
    group.setExclusive(True)
    actions = []
    for code, name in LANGUAGES:
        action = QAction(name, menu, checkable=True, checked=code == current)
        action.setObjectName(f"language-{code}")
        action.setData(code)
        group.addAction(action)
        menu.addAction(action)
        action.triggered.connect(lambda _checked=False, chosen=code: _choose_language(
            settings, parent, chosen, current))
        actions.append(action)
    return actions


def _choose_language(settings, parent: QWidget, code: str, running: str) -> None:
    settings.set_value(SETTING, code)
    settings.sync()
    if code == running:
        return
    name = dict(LANGUAGES)[code]
    text = translate("Language", "The interface will be in {language} after you restart "
                     "ConvDesigner: the change takes effect after restart.").format(language=name)
    if code == "zh_CN" and not chinese_font_installed():
        text += "\n\n" + translate("Language", "No Chinese font was found on this computer: "
                                   "install one (for example fonts-noto-cjk) to read the interface.")
    if ask_restart(parent, text):
        restart_app(parent)


def ask_restart(parent: QWidget, text: str) -> bool:
    """``text`` with "Restart now" and "Later"; True for "Restart now"."""
    box = QMessageBox(QMessageBox.Information, translate("Language", "Language"), text,
                      QMessageBox.NoButton, parent)
    restart = box.addButton(translate("Language", "Restart now"), QMessageBox.AcceptRole)
    box.addButton(translate("Language", "Later"), QMessageBox.RejectRole)
    box.setDefaultButton(restart)
    box.exec()
    return box.clickedButton() is restart


def restart_app(parent: QWidget) -> bool:
    """Close the window (asking about unsaved changes as usual) and start the app again with the
    same arguments. Returns False when the user kept the window open."""
    import sys

    from PySide6.QtCore import QProcess
    from PySide6.QtWidgets import QApplication
    window = parent.window()
    if not window.close():
        return False
    if getattr(sys, "frozen", False):        # an installed bundle: the executable is the app
        program, arguments = sys.executable, sys.argv[1:]
    else:
        program, arguments = sys.executable, ["-m", "convdesigner", *sys.argv[1:]]
    QProcess.startDetached(program, arguments)
    QApplication.instance().quit()
    return True


def chinese_font_installed() -> bool:
    """Whether a font on this system can show Simplified Chinese (the app ships none)."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


__all__ = [
    "LANGUAGES", "PSEUDO_VARIABLE", "PseudoTranslator", "QT_TRANSLATE_NOOP", "Text",
    "build_language_menu", "chinese_font_installed", "install_translators", "problem_text",
    "pseudo", "qm_resource", "remove_translators", "render", "startup_language", "system_language",
    "translate",
]
