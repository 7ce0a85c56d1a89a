"""English and Simplified Chinese: every text of the ui is translatable, the Chinese translation is
complete and up to date, the app speaks Chinese when asked, and English stays exactly as it was."""

from __future__ import annotations

import ast
import fnmatch
import importlib.resources
import importlib.util
import os
import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from convdesigner.design import (
    AvgPool2d,
    Conv2d,
    Design,
    InputSpec,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    analyze,
    describe_parameters,
    describe_parameters_template,
    describe_parameters_text,
)
from convdesigner.design.examples import learner_design
from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text
from convdesigner.design.lessons import LESSONS
from convdesigner.design.presets import PRESETS
from convdesigner.ui import i18n
from convdesigner.ui.i18n import problem_text, render, translate
from convdesigner.ui.panels.layer_list import ROLE_SUMMARY

REPO = Path(__file__).resolve().parent.parent
UI = REPO / "convdesigner" / "ui"
TS = REPO / "convdesigner" / "i18n" / "convdesigner_zh_CN.ts"
GLOSSARY = REPO / "convdesigner" / "i18n" / "GLOSSARY.md"


# -- every user-visible literal of the ui is marked --------------------------------------------

#: Qt setters (and this app's own view methods) whose string arguments the user reads.
TEXT_SETTERS = {
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "addAction", "addMenu",
    "setPlaceholderText", "setTabText", "setTabToolTip", "addTab", "insertTab", "setTitle",
    "setLabelText", "showMessage", "setItemText", "setHorizontalHeaderLabels",
    "setVerticalHeaderLabels", "setHeaderLabels", "setSuffix", "setPrefix", "setSpecialValueText",
    "setInformativeText", "setDetailedText", "setEmptyLabel", "setAccessibleName", "drawText",
    "set_title", "show_message",
}
#: Only the first argument is text (the others are data: keys, flags, indexes).
FIRST_ARGUMENT_ONLY = {"addItem"}
#: Widgets and items whose constructor takes their text.
TEXT_CONSTRUCTORS = {
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QToolButton", "QAction",
    "QMenu", "QDockWidget", "QTableWidgetItem", "QListWidgetItem", "QStandardItem",
    "QCommandLinkButton", "TextItem", "LabelItem", "ElidingCheckBox", "ElidingToolButton",
}
#: Static dialogs: which positional arguments are text (title, message, filter).
DIALOG_TEXT_ARGUMENTS = {
    ("QMessageBox", "information"): (1, 2), ("QMessageBox", "warning"): (1, 2),
    ("QMessageBox", "critical"): (1, 2), ("QMessageBox", "question"): (1, 2),
    ("QMessageBox", "about"): (1, 2), ("QFileDialog", "getOpenFileName"): (1, 3),
    ("QFileDialog", "getOpenFileNames"): (1, 3), ("QFileDialog", "getSaveFileName"): (1, 3),
    ("QFileDialog", "getExistingDirectory"): (1,), ("QColorDialog", "getColor"): (2,),
    ("QInputDialog", "getText"): (1, 2), ("QInputDialog", "getInt"): (1, 2),
    ("QInputDialog", "getDouble"): (1, 2), ("QInputDialog", "getItem"): (1, 2),
}
#: Words that stay as they are in every language: PyTorch's names, devices, the app, formats.
ALLOWED_WORDS = (
    "Conv2d", "LeakyReLU", "ReLU", "Sigmoid", "Tanh", "MaxPool2d", "AvgPool2d", "nn.Sequential",
    "CPU", "CUDA", "MPS", "ConvDesigner", "PyTorch", "MNIST", "PNG", "SVG", "max", "px",
)


def _needs_translation(text: str) -> bool:
    """Whether a literal holds words (two letters or more) beyond the allowed names."""
    for word in sorted(ALLOWED_WORDS, key=len, reverse=True):
        text = text.replace(word, "")
    return re.search(r"[A-Za-z]{2,}", text) is not None


def _literal_parts(node: ast.AST) -> list[str]:
    """The string literals ``node`` builds its text from directly (not through a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [part.value for part in node.values if isinstance(part, ast.Constant)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _literal_parts(node.left) + _literal_parts(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_parts(node.body) + _literal_parts(node.orelse)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "join")):
        return _literal_parts(node.func.value)   # "text {n}".format(...) is still a bare literal
    return []


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def untranslated_literals(source: str, filename: str = "<source>") -> list[str]:
    """``file:line: call: text`` for each literal user-visible text not wrapped in tr/translate."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        owner = _name(node.func.value) if isinstance(node.func, ast.Attribute) else None
        if (owner, name) in DIALOG_TEXT_ARGUMENTS:
            arguments = [node.args[i] for i in DIALOG_TEXT_ARGUMENTS[(owner, name)] if i < len(node.args)]
        elif name in TEXT_SETTERS or name in TEXT_CONSTRUCTORS:
            # Keywords are options (justify="left", size="8pt"), except the text itself.
            arguments = list(node.args) + [keyword.value for keyword in node.keywords
                                           if keyword.arg in ("text", "title", "tip")]
        elif name in FIRST_ARGUMENT_ONLY:
            arguments = node.args[:1]
        else:
            continue
        for argument in arguments:
            parts = _literal_parts(argument)
            if any(_needs_translation(text) for text in parts):
                found.append(f"{filename}:{node.lineno}: {name}: {'…'.join(parts)!r}")
    return found


def test_the_scan_finds_an_unmarked_text() -> None:
    """The scan below would pass vacuously if it recognised nothing: it recognises these."""
    source = '''
class Panel(QWidget):
    def build(self):
        QLabel("Kernel size")
        self.button.setToolTip(f"Layer {index} has no kernels")
        self.box.addItem("Zeros", "zeros")
        QMessageBox.warning(self, "Cannot save", str(error))
        self.ok.setText(self.tr("Kernel size"))
        self.kind.setText("Conv2d")
        self.shape.setText(f"{c} × {h} × {w}")
        self.combo.addItem(self.tr("Auto"), "auto")
'''
    found = untranslated_literals(source)
    assert [line.split(": ", 2)[1] for line in found] == ["QLabel", "setToolTip", "addItem", "warning"]


def test_every_user_visible_text_of_the_ui_is_translatable() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        found += untranslated_literals(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    assert not found, "texts not wrapped in self.tr() / translate():\n" + "\n".join(found)


# -- the .ts file: complete, consistent, and what the sources hold ------------------------------

def ts_messages() -> dict[tuple[str, str], tuple[str | None, str]]:
    """``{(context, source): (translation type, translation)}`` of the committed .ts file."""
    found = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            found[(name, message.findtext("source") or "")] = (
                translation.get("type") if translation is not None else "unfinished",
                (translation.text or "") if translation is not None else "")
    return found


def _fields(text: str) -> list[tuple[str, str]]:
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def test_the_chinese_translation_is_complete_and_keeps_every_placeholder() -> None:
    messages = ts_messages()
    assert len(messages) > 500
    unfinished = [key for key, (kind, text) in messages.items() if kind is not None or not text]
    assert not unfinished, f"untranslated, vanished or obsolete entries: {unfinished}"
    for (context, source), (_, translation) in messages.items():
        assert _fields(translation) == _fields(source), (context, source, translation)
        tags = re.compile(r"</?(?:b|i|p|h\d|br|code|span|sub|sup)\b")
        assert tags.findall(translation) == tags.findall(source), (context, source)
        assert ("&" in source) == ("&" in translation), (context, source)   # menu mnemonics


def test_stride_spacing_and_sub_kernel_counts_read_as_meant() -> None:
    """步长 reads as stride: the row spacing under dilation is 间隔; a sub-kernel count reads
    "每个卷积核含 64 个…", not "每个 1 个…"; one sentence says 步幅 or stride, never both."""
    messages = ts_messages()
    spacing = messages[("ExplainPanel", "{first}…{last} in steps of {step}")][1]
    assert "间隔" in spacing and "步长" not in spacing
    for source in ("{count:,} sub-kernel of {kh}×{kw}", "{count:,} sub-kernels of {kh}×{kw}"):
        translation = messages[("analysis", source)][1]
        assert translation.startswith("每个卷积核") and not translation.startswith("每个 {count"), translation
    for (context, source), (_, translation) in messages.items():
        words = re.sub(r"\{[^}]*\}|stride=|\w+=", "", translation)
        assert not ("步幅" in words and "stride" in words), (context, source, translation)


def test_the_ts_file_is_what_lupdate_finds_in_the_sources_and_the_qm_is_built_from_it() -> None:
    spec = importlib.util.spec_from_file_location("update_translations",
                                                  REPO / "tools" / "update_translations.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    try:
        tool.tool("lupdate"), tool.tool("lrelease")
    except SystemExit:
        pytest.skip("pyside6-lupdate / pyside6-lrelease not installed")
    assert tool.check("zh_CN") == []


def _texts(value) -> list[Text]:
    """``value`` and the Text values nested in it."""
    if not isinstance(value, Text):
        return []
    return [value] + [inner for nested in value.values.values() for inner in _texts(nested)]


def _designs_with_every_problem() -> list[Design]:
    base = learner_design()
    layers = [
        Conv2d(32, 128, 4, 2, 1), Conv2d(64, 128, 4, 2, 1, groups=3), Conv2d(64, 100, 4, 2, 1, groups=8),
        Conv2d(64, 128, 3, 2, "same"), Conv2d(64, 128, 3, 1, 14, padding_mode="reflect"),
        Conv2d(64, 128, 3, 1, 15, padding_mode="circular"), Conv2d(64, 128, 20), Conv2d(64, 128, 0),
        Conv2d(64, 128, 3, stride=(1, 0)), Conv2d(64, 128, 3, padding=-1), Conv2d(64, 0, 3),
        Conv2d(64, 5000, 3), Conv2d(64, 128, 3, groups=0), Conv2d(64, 128, 3, dilation=0),
        MaxPool2d(3, padding=2), AvgPool2d(20), MaxPool2d(0), Conv2d(64, 128, (3, 5), padding="same"),
        Conv2d(64, 1, 3, groups=1, bias=False), Conv2d(64, 64, 3, groups=64), ReLU(), AvgPool2d(2),
        Conv2d(64, 128, 3, padding=-1, padding_mode="reflect"), Conv2d(64, 128, 3, stride=2**64),
        Conv2d(64, 128, 3, dilation=2**40), MaxPool2d(2, stride=2**31), LeakyReLU(1e300),
        Conv2d(64, 128, 3, padding=4000), Conv2d(64, 4096, 200, padding=100),
    ]
    designs = [base.with_layer(2, layer) for layer in layers]
    designs += [Design(InputSpec(c, h, w), (Conv2d(1, 4, 3),)) for c, h, w in
                ((0, 8, 8), (3, 0, 8), (1, 8, 3000), (5000, 8, 8), (3, 8, 8))]
    designs.append(Design(InputSpec(1, 8, 8), (Conv2d(1, 2, 3, weight=np.zeros((2, 1, 2, 2), np.float32)),
                                               Conv2d(4, 2, 3))))
    designs.append(Design(InputSpec(1, 8, 8), (Conv2d(1, 2, 3, weight=np.zeros((2, 1, 3, 3), np.float32),
                                                      bias_values=np.zeros(5, np.float32)),)))
    designs.append(Design(InputSpec(1, 2048, 2048), (Conv2d(1, 4096, 1),)))
    return designs


def test_every_text_of_the_design_model_is_in_the_ts_file() -> None:
    """QT_TRANSLATE_NOOP really marks them: lupdate put every template the model makes in the .ts."""
    messages = ts_messages()
    texts: list[Text] = []
    for design in _designs_with_every_problem() + [lesson.build() for lesson in LESSONS]:
        analysis = analyze(design)
        for problem in analysis.problems:
            assert problem.template, problem.message
            texts += _texts(problem.text)
        texts += _texts(analysis.first_problem_text())
        for info in analysis.layers:
            if info is not None:
                texts += _texts(describe_parameters_text(info))
                texts += [inner for line in info.formula_texts for inner in _texts(line)]
    for preset in PRESETS.values():
        texts += [Text("presets", preset.name), Text("presets", preset.description),
                  Text("presets", preset.sizes), *_texts(preset.unavailable_text(4, 4))]
    for lesson in LESSONS:
        texts += [Text("lessons", lesson.title), Text("lessons", lesson.explanation),
                  Text("lessons", lesson.build().name)]
    texts.append(Text("lessons", learner_design().name))
    missing = sorted({(text.context, text.template) for text in texts} - set(messages))
    assert not missing, f"model texts lupdate did not extract: {missing}"
    # The marker is the no-op lupdate expects: it returns its text.
    assert QT_TRANSLATE_NOOP("analysis", "channels") == "channels"


def test_the_translations_use_the_glossary_terms() -> None:
    """Checked terms (✓ in GLOSSARY.md): wherever the English uses one, the Chinese has its term."""
    rows = re.findall(r"^\| ([^|]+?) \| (\S+) ✓ \|", GLOSSARY.read_text(encoding="utf-8"), re.M)
    terms = {english.split(" (")[0]: chinese for english, chinese in rows}
    assert terms == {"kernel": "卷积核", "sub-kernel": "子卷积核", "feature map": "特征图",
                     "partial map": "部分特征图", "bias": "偏置", "weight": "权重"}
    messages = ts_messages()
    # Where a word names PyTorch's argument or attribute rather than the idea, or a pooling window.
    exempt = {"{layer}: bias has {count} values but the layer needs {needed} (one per output channel)",
              "{layer}: weight has shape {shape} but the layer needs {needed} (out_channels, "
              "in_channels/groups, kH, kW)"}
    wrong = []
    for english, chinese in terms.items():
        pattern = re.compile(rf"(?<![\w.\-\[]){re.escape(english)}(s|es)?\b(?![_=\[])", re.I)
        for (context, source), (_, translation) in messages.items():
            words = re.sub(r"\{[^}]*\}", "", source)          # placeholders are not words
            if (source in exempt or "kernel size" in words or "⌊" in words
                    or not pattern.search(words.replace("sub-kernel", "sub_kernel")
                                          if english == "kernel" else words)):
                continue
            if chinese not in translation:
                wrong.append((english, context, source, translation))
    assert not wrong, "\n".join(map(str, wrong))


def test_the_compiled_translation_ships_as_package_data() -> None:
    resource = i18n.qm_resource("zh_CN")
    assert resource.is_file()
    relative = "resources/i18n/convdesigner_zh_CN.qm"
    assert resource == importlib.resources.files("convdesigner").joinpath(relative)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    patterns = re.search(r'convdesigner = \[([^\]]*)\]', pyproject).group(1)
    assert any(fnmatch.fnmatch(relative, pattern.strip(' "')) for pattern in patterns.split(","))


# -- switching languages -------------------------------------------------------------------------

@pytest.fixture
def chinese(qapp):
    installed = i18n.install_translators(qapp, "zh_CN")
    yield installed
    i18n.remove_translators(qapp)


@pytest.fixture
def pseudo(qapp, monkeypatch):
    monkeypatch.setenv(i18n.PSEUDO_VARIABLE, "1")
    installed = i18n.install_translators(qapp, "en")
    yield installed
    i18n.remove_translators(qapp)


def test_the_language_follows_the_system_until_the_user_chooses(tmp_path) -> None:
    from convdesigner.ui.state.settings import AppSettings

    assert i18n.system_language(QLocale("zh_CN")) == "zh_CN"
    assert i18n.system_language(QLocale("zh_TW")) == "zh_CN"
    assert i18n.system_language(QLocale("en_GB")) == "en"
    assert i18n.system_language(QLocale("de_DE")) == "en"
    settings = AppSettings(tmp_path / "settings.ini")
    assert i18n.startup_language(settings) == i18n.system_language()
    settings.set_value("ui/language", "zh_CN")
    assert i18n.startup_language(settings) == "zh_CN"
    settings.set_value("ui/language", "tlh")       # not a language of the app: the system's
    assert i18n.startup_language(settings) == i18n.system_language()


def test_chinese_installs_the_apps_and_qts_own_translations(chinese) -> None:
    assert len(chinese) == 2
    assert translate("MainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("QPlatformTheme", "Save") == "保存"   # qtbase_zh_CN.qm


def test_why_a_run_diverged_is_said_in_chinese_and_printed_in_english(chinese) -> None:
    """The trainer (no Qt) says why a run diverged as a translatable text: the app renders it in
    the user's language, the command line prints its English."""
    from convdesigner.compute.training import Trainer, TrainSettings
    from convdesigner.data.training_data import bundled_training_data
    from convdesigner.design.layers import Design, Flatten, InputSpec, Linear

    design = Design(InputSpec(1, 28, 28), (Flatten(), Linear(784, 10)))
    result = Trainer(design, bundled_training_data(), TrainSettings(
        epochs=1, batch_size=64, lr=1e12, optimizer="sgd")).run()
    assert result.diverged and result.reason is not None
    assert result.message.startswith("the loss became ") and "learning rate 1e+12" in result.message
    chinese_text = i18n.render(result.reason)
    assert "学习率 1e+12 可能太大了" in chinese_text and "权重已恢复为训练前的样子" in chinese_text


@pytest.fixture
def window(qtbot, tmp_path):
    from convdesigner.data.mnist import bundled_digit
    from convdesigner.ui.main_window import MainWindow
    from convdesigner.ui.state.document import DesignDocument
    from convdesigner.ui.state.settings import AppSettings

    document = DesignDocument(learner_design(), bundled_digit(7, 0)[None])
    main = MainWindow(document, AppSettings(tmp_path / "settings.ini"), device="cpu")
    yield main
    # Closed here, not by qtbot (which closes before fixtures end): no "save changes?" prompt.
    main.document.undo_stack.setClean()
    main.close()
    main.deleteLater()


def test_in_chinese_the_window_speaks_chinese_and_pytorch_stays_pytorch(chinese, window) -> None:
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
    docks = {key: dock.windowTitle() for key, dock in window.docks.items()}
    assert docks["layers"] == "层" and docks["editor"] == "层设置" and docks["maps"] == "特征图"
    assert docks["explain"] == "解释像素" and docks["kernel_editor"] == "编辑卷积核"
    assert [window.views.tabText(i) for i in range(window.views.count())] == [
        "特征图是怎样算出来的", "所选卷积核", "全部卷积核", "通道连接",
        "分类器在找什么", "转置卷积是怎样算出来的", "棋盘格"]
    assert window.summary.text() == ("第 2 层：128 个卷积核 × 每个卷积核含 64 个 4×4 子卷积核 = "
                                     "131,072 个权重 + 128 个偏置")
    # The layer repr, the formula's PyTorch names and numbers stay as PyTorch writes them.
    model = window.layer_stack.model
    assert model.data(model.index(3)) == "[2] Conv2d(64, 128, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))"
    assert model.data(model.index(3), ROLE_SUMMARY) == "→ 128 × 7 × 7 · 131,200 个参数"
    editor = window.layer_editor
    assert editor.repr_label.full_text() == "Conv2d(64, 128, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))"
    assert editor.title_label.text() == "第 2 层 · Conv2d"
    assert "⌊(in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋" in editor.formula_label.full_text()
    assert editor.parameters_label.text() == window.summary.text()
    # A validation message, in Chinese, without the layer name where the panel already says it.
    valid = window.document.design
    window.document.edit_design(valid.with_layer(2, Conv2d(64, 128, 4, 2, 1, groups=3)), "groups")
    assert "第 2 层（Conv2d）：groups=3 必须能整除 in_channels=64" in window.problem_label.text()
    assert window.problem_label.text().startswith("未生效：")
    assert "⚠ groups=3 必须能整除 in_channels=64" in editor.error_labels[("Conv2d", "groups")].text()
    language = window.language_menu
    assert language.title() == "语言(&L)"
    assert [action.text() for action in language.actions()] == ["English", "简体中文"]


def test_the_pseudo_locale_makes_every_text_longer_and_keeps_it_working(pseudo, window) -> None:
    for text in ("&File", "Layers", "Layer settings"):
        shown = translate("MainWindow", text)
        assert shown.startswith("⟦") and text in shown and len(shown) >= 1.5 * len(text)
    assert window.menuBar().actions()[0].text().startswith("⟦&File")
    assert window.docks["layers"].windowTitle().startswith("⟦Layers")
    summary = window.summary.text()
    assert summary.startswith("⟦Layer 2: ⟦128 kernels") and "131,072" in summary
    # Placeholders survive: the padded template still formats.
    info = window.document.analysis.layers[2]
    template, values = describe_parameters_template(info)
    assert render(Text("analysis", template, values)) == summary
    # File filters stay usable, Qt's own texts untouched.
    assert translate("MainWindow", "ConvDesigner designs (*.json);;All files (*)").endswith("(*)")
    assert QCoreApplication.translate("QPlatformTheme", "Save") == "Save"


def test_without_a_translator_every_text_is_the_english_one() -> None:
    for design in _designs_with_every_problem():
        analysis = analyze(design)
        for problem in analysis.problems:
            assert problem.message == problem.template.format(**problem.values)
            assert render(problem.text) == problem.message
            assert problem_text(problem) == problem.message
        message = analysis.first_problem_message()
        if message is not None:
            assert render(analysis.first_problem_text()) == message
        for info in analysis.layers:
            if info is not None:
                template, values = describe_parameters_template(info)
                assert template.format(**values) == describe_parameters(info)
                assert render(describe_parameters_text(info)) == describe_parameters(info)
                assert tuple(render(line) for line in info.formula_texts) == info.formula
    problem = analyze(learner_design().with_layer(2, Conv2d(64, 128, 4, 2, 1, groups=3))).problems[0]
    assert problem.message == "layer 2 (Conv2d): groups=3 must divide in_channels=64"
    assert problem_text(problem, without_layer=True) == "groups=3 must divide in_channels=64"
    assert translate("MainWindow", "&File") == "&File"


def test_choosing_a_language_is_remembered_and_takes_effect_after_a_restart(window, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(i18n, "ask_restart", lambda *args: shown.append(args) or False)
    actions = {action.data(): action for action in window.language_menu.actions()}
    current = i18n.startup_language(window.settings)
    other = "zh_CN" if current == "en" else "en"
    actions[other].trigger()
    assert window.settings.value("ui/language") == other
    assert actions[other].isChecked() and not actions[current].isChecked()
    assert len(shown) == 1 and "restart" in shown[0][1]


def test_colour_bar_captions_are_drawn_inside_their_axis_in_chinese(chinese, window, qtbot) -> None:
    """Issue 16.8: "输出" lost the left half of its glyphs; every caption's text lies inside the
    axis that reserves room for it (pyqtgraph draws the label 5 px left of a left axis)."""
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.live.idle and window.last_frame is not None, timeout=30000)
    window.feature_maps.flush_render()
    window.sum_view.flush_render()

    def misplaced() -> list[str]:
        """Captions whose text (their box less its margin) reaches outside their axis."""
        bad = []
        for panel in (window.feature_maps.panel, window.sum_view.triplets, window.sum_view.result):
            for bar in panel.colorbars:
                axis = bar.getAxis("left")
                margin = axis.label.document().documentMargin()
                text = axis.label.sceneBoundingRect().adjusted(margin, margin, -margin, -margin)
                room = axis.sceneBoundingRect()
                if not (room.left() <= text.left() and text.right() <= room.right()):
                    bad.append(axis.label.toPlainText())
        return bad

    bars = [bar for panel in (window.feature_maps.panel, window.sum_view.triplets,
                              window.sum_view.result) for bar in panel.colorbars]
    assert len(bars) >= 2
    # The layouts settle over a few event-loop turns on a loaded machine; then none may reach out.
    qtbot.waitUntil(lambda: not misplaced(), timeout=5000)
