"""The command line end to end: every subcommand, its files, its errors, and its imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from convdesigner.cli import main
from convdesigner.compute.engine import run
from convdesigner.compute.explain import explain_pixel
from convdesigner.compute.export import generate_code
from convdesigner.compute.weights import materialize
from convdesigner.design.analysis import analyze, describe_parameters
from convdesigner.design.io import save_design
from convdesigner.design.layers import Conv2d, Design, InputSpec, LeakyReLU, MaxPool2d, ReLU

ERROR_PREFIX = "convdesigner: error: "


def sample_design(input_values: np.ndarray | None = None) -> Design:
    return Design(InputSpec(2, 12, 10), (
        Conv2d(2, 4, 3, padding=1, padding_mode="reflect"),
        ReLU(),
        MaxPool2d(2),
        Conv2d(4, 6, (3, 2), stride=(1, 2), dilation=(2, 1), groups=2, padding="valid"),
        LeakyReLU(0.1),
    ), name="cli sample", seed=9, input_values=input_values)


@pytest.fixture
def image() -> np.ndarray:
    return np.random.default_rng(4).normal(size=(2, 12, 10)).astype(np.float32)


@pytest.fixture
def design_file(tmp_path) -> Path:
    path = tmp_path / "design.json"
    save_design(sample_design(), path)
    return path


@pytest.fixture
def input_file(tmp_path, image) -> Path:
    path = tmp_path / "image.npy"
    np.save(path, image)
    return path


def assert_failed_cleanly(status: int, stderr: str, folder: Path, before: set[str]) -> str:
    """Exit status 2, exactly one ``convdesigner: error:`` line, no new file in ``folder``."""
    assert status == 2
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), stderr
    assert {p.name for p in folder.iterdir()} == before
    return lines[0].removeprefix(ERROR_PREFIX)


# -- info ------------------------------------------------------------------------------------------

def test_info_prints_the_table_formulas_and_totals(design_file, capsys) -> None:
    assert main(["info", str(design_file)]) == 0
    out = capsys.readouterr().out
    analysis = analyze(sample_design())
    for info in analysis.layers:
        assert info.layer.torch_repr() in out
        for formula in info.formula:
            assert formula in out
        assert describe_parameters(info).removeprefix(f"Layer {info.index}: ") in out
    assert f"Total: {analysis.total_parameters:,} parameters, {analysis.total_macs:,} " in out
    table_row = out.splitlines()[3]  # title, blank, header, then layer 0
    assert table_row.split()[0] == "0" and "[4, 12, 10]" in table_row


def test_info_json_carries_the_same_numbers(design_file, capsys) -> None:
    assert main(["info", str(design_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    analysis = analyze(sample_design())
    assert data["total_parameters"] == analysis.total_parameters
    assert data["total_macs"] == analysis.total_macs
    assert data["output_shape"] == list(analysis.output_shape)
    for row, info in zip(data["layers"], analysis.layers, strict=True):
        assert row["torch"] == info.layer.torch_repr()
        assert row["out_shape"] == list(info.out_shape)
        assert (row["parameters"], row["macs"]) == (info.parameters, info.macs)
        assert row["receptive_field"] == list(info.receptive_field)
        assert row["jump"] == list(info.jump)
        assert row["formula"] == list(info.formula)


# -- run -------------------------------------------------------------------------------------------

def test_run_saves_the_input_and_every_layer_output(design_file, input_file, image, tmp_path,
                                                    capsys) -> None:
    out = tmp_path / "outputs.npz"
    assert main(["run", str(design_file), "--input", str(input_file), "--out", str(out),
                 "--device", "cpu"]) == 0
    assert "wrote" in capsys.readouterr().out
    expected = run(sample_design(), image).outputs
    with np.load(out) as archive:
        assert sorted(archive.files) == sorted(["input", *map(str, range(len(expected)))])
        assert np.array_equal(archive["input"], image)
        for index, output in enumerate(expected):
            assert archive[str(index)].dtype == np.float32
            assert torch.equal(torch.from_numpy(archive[str(index)]), torch.from_numpy(output))


def test_run_uses_the_designs_own_input_values(tmp_path, image) -> None:
    design_path = tmp_path / "lesson.json"
    save_design(sample_design(input_values=image), design_path)
    out = tmp_path / "outputs.npz"
    assert main(["run", str(design_path), "--out", str(out)]) == 0
    with np.load(out) as archive:
        assert np.array_equal(archive["input"], image)
        assert np.array_equal(archive["4"], run(sample_design(), image).outputs[4])


def test_a_missing_device_is_a_note_not_an_error(monkeypatch, design_file, input_file, tmp_path,
                                                 capsys) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    out = tmp_path / "outputs.npz"
    assert main(["run", str(design_file), "--input", str(input_file), "--out", str(out),
                 "--device", "cuda"]) == 0
    err = capsys.readouterr().err
    assert err == ("convdesigner: note: CUDA was asked for but is not available here; "
                   "using the CPU\n")
    assert out.exists()


# -- explain ---------------------------------------------------------------------------------------

def expected_explanation(image: np.ndarray, layer_index: int, out_channel: int, y: int, x: int):
    design = materialize(sample_design())
    layer_input = image if layer_index == 0 else run(design, image).outputs[layer_index - 1]
    return explain_pixel(design.layers[layer_index], layer_input, out_channel, y, x)


def test_explain_json_matches_explain_pixel(design_file, input_file, image, capsys) -> None:
    assert main(["explain", str(design_file), "--input", str(input_file), "--layer", "3",
                 "--channel", "4", "--at", "1", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = expected_explanation(image, 3, 4, 1, 1)
    value = float(run(sample_design(), image).outputs[3][4, 1, 1])
    assert (data["value"], data["bias"], data["total"]) == (value, expected.bias, expected.total)
    assert len(data["terms"]) == len(expected.terms) == 2
    for term, reference in zip(data["terms"], expected.terms, strict=True):
        assert term["in_channel"] == reference.in_channel
        assert term["sum"] == reference.sum
        for key in ("patch", "sub_kernel", "products", "padded", "rows", "cols"):
            assert np.array_equal(np.array(term[key]), getattr(reference, key)), key


def test_explain_text_shows_every_term_and_the_total(design_file, input_file, image,
                                                     capsys) -> None:
    assert main(["explain", str(design_file), "--input", str(input_file), "--layer", "0",
                 "--channel", "1", "--at", "0", "9"]) == 0
    out = capsys.readouterr().out
    expected = expected_explanation(image, 0, 1, 0, 9)
    assert "Layer 0: " + sample_design().layers[0].torch_repr() in out
    for term in expected.terms:
        assert f"Input channel {term.in_channel}, rows -1, 0, 1; columns 8, 9, 10" in out
        assert f"sum = {term.sum:.9g}" in out
    # The value is the map's own, as `run` computes it; the total the exact sum, rounded once.
    value = run(sample_design(), image).outputs[0][1, 0, 9]
    total = np.float32(expected.total)
    if total == value:
        assert f"total = Σ + bias = {float(total):.9g} = the value in the map" in out
    else:
        assert f"total = Σ + bias = {float(total):.9g} ≈ {float(value):.9g}, the value in the map" in out
    assert "* marks padding" in out and "*" in out.split("patch")[1]


# -- export ----------------------------------------------------------------------------------------

def test_export_writes_the_code_and_the_weights(design_file, tmp_path, capsys) -> None:
    code_path, weights_path = tmp_path / "model.py", tmp_path / "model.pt"
    assert main(["export", str(design_file), "-o", str(code_path),
                 "--weights", str(weights_path)]) == 0
    assert capsys.readouterr().out == f"wrote {code_path} and {weights_path}\n"
    assert code_path.read_text(encoding="utf-8") == generate_code(sample_design(), str(weights_path))
    state = torch.load(weights_path, weights_only=True)
    assert np.array_equal(state["3.weight"].numpy(), materialize(sample_design()).layers[3].weight)
    assert main(["export", str(design_file), "-o", str(code_path)]) == 0
    assert code_path.read_text(encoding="utf-8") == generate_code(sample_design())


# -- errors ----------------------------------------------------------------------------------------

@pytest.fixture
def invalid_design_file(tmp_path) -> Path:
    path = tmp_path / "invalid.json"
    save_design(Design(InputSpec(1, 8, 8), (Conv2d(3, 4, 3),)), path)
    return path


@pytest.mark.parametrize(("arguments", "message"), [
    (["info", "{tmp}/nowhere.json"], "no such file"),
    (["info", "{invalid}"], "in_channels is 3 but the input has 1 channel"),
    (["run", "{invalid}", "--input", "{input}", "--out", "{tmp}/out.npz"], "in_channels"),
    (["run", "{design}", "--out", "{tmp}/out.npz"], "no input values"),
    (["run", "{design}", "--input", "{tmp}/nowhere.npy", "--out", "{tmp}/out.npz"], "nowhere.npy"),
    (["run", "{design}", "--input", "{input}", "--out", "{tmp}/missing/out.npz"],
     "the folder {tmp}/missing does not exist"),
    (["run", "{design}", "--input", "{input}", "--out", "{tmp}/out.npz", "--device", "tpu"],
     "unknown device 'tpu'"),
    (["explain", "{design}", "--input", "{input}", "--layer", "7", "--channel", "0", "--at", "0",
      "0"], "there is no layer 7: the design has 5 layers (0 to 4)"),
    (["explain", "{design}", "--input", "{input}", "--layer", "1", "--channel", "0", "--at", "0",
      "0"], "layer 1 is a ReLU; explain needs a Conv2d layer (Conv2d layers: 0, 3)"),
    (["explain", "{design}", "--input", "{input}", "--layer", "0", "--channel", "0", "--at", "12",
      "0"], "y 12 is out of range"),
    (["export", "{design}", "-o", "{tmp}/missing/model.py", "--weights", "{tmp}/model.pt"],
     "does not exist"),
    (["export", "{design}", "-o", "{tmp}/model.py", "--weights", "{tmp}/missing/model.pt"],
     "the folder {tmp}/missing does not exist"),
    (["run", "{design}", "--input", "{input}", "--out", "{tmp}"], "it is a folder"),
    (["export", "{invalid}", "-o", "{tmp}/model.py"], "in_channels"),
    (["export", "{design}", "-o", "{tmp}/model.py", "--weights", "{tmp}/model.py"],
     "different files"),
])
def test_errors_exit_2_with_one_line_and_leave_no_file(arguments, message, tmp_path, design_file,
                                                       invalid_design_file, input_file,
                                                       capsys) -> None:
    fill = {"tmp": tmp_path, "design": design_file, "invalid": invalid_design_file, "input": input_file}
    before = {p.name for p in tmp_path.iterdir()}
    status = main([argument.format(**fill) for argument in arguments])
    captured = capsys.readouterr()
    reason = assert_failed_cleanly(status, captured.err, tmp_path, before)
    assert message.format(**fill) in reason
    assert captured.out == ""


def test_usage_errors_are_one_line_and_help_exits_0(design_file, capsys) -> None:
    assert main(["run", str(design_file)]) == 2  # --out is required
    assert capsys.readouterr().err == ("convdesigner: error: run: the following arguments are "
                                       "required: --out (see convdesigner run --help)\n")
    assert main(["frobnicate"]) == 2
    assert capsys.readouterr().err.startswith(
        "convdesigner: error: unknown command 'frobnicate'; the commands are info, run, explain, export")
    assert main(["infos", str(design_file)]) == 2
    assert capsys.readouterr().err.startswith(
        "convdesigner: error: unknown command 'infos' (did you mean 'info'?)")
    assert main(["explain", str(design_file), "--layer", "x", "--channel", "0", "--at", "0", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convdesigner: error: explain: argument --layer")
    assert main([]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert main(["--help"]) == 0
    assert "info" in capsys.readouterr().out


# -- as a process ----------------------------------------------------------------------------------

def test_python_m_convdesigner_cli_runs_as_a_program(design_file, input_file, image, tmp_path,
                                                     subprocess_env) -> None:
    out = tmp_path / "outputs.npz"
    command = [sys.executable, "-m", "convdesigner.cli", "run", str(design_file),
               "--input", str(input_file), "--out", str(out), "--device", "cpu"]
    result = subprocess.run(command, env=subprocess_env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    with np.load(out) as archive:
        assert np.array_equal(archive["2"], run(sample_design(), image).outputs[2])
    before = {p.name for p in tmp_path.iterdir()}
    command[-3] = str(tmp_path / "missing" / "outputs.npz")
    failed = subprocess.run(command, env=subprocess_env, capture_output=True, text=True,
                            timeout=120)
    assert_failed_cleanly(failed.returncode, failed.stderr, tmp_path, before)


def test_importing_the_cli_loads_neither_qt_nor_torch(subprocess_env) -> None:
    code = "import sys, convdesigner.cli; print(' '.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], env=subprocess_env, capture_output=True,
                            text=True, check=True, timeout=120)
    top_level = {name.split(".")[0] for name in result.stdout.split()}
    assert not top_level & {"PySide6", "shiboken6", "pyqtgraph"}
    assert "torch" not in top_level  # loaded by the computing subcommands only
