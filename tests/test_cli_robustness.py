"""The command line's promise, tried as an attacker would: exit 2 with one line, never a
traceback, never a destroyed input; plus the fixes to explain, info and export found that way."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convdesigner.__main__ import main as entry_main
from convdesigner.cli import DEFINITIONS, main
from convdesigner.compute.engine import run
from convdesigner.compute.export import generate_code
from convdesigner.compute.weights import materialize
from convdesigner.design.analysis import analyze
from convdesigner.design.io import save_design
from convdesigner.design.layers import Conv2d, Design, InputSpec, MaxPool2d, ReLU

ERROR = "convdesigner: error: "


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR), err
    return lines[0].removeprefix(ERROR)


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def design_data(layers, channels=1, height=8, width=8, **extra):
    return {"format": "convdesigner-design", "version": 1,
            "input": {"channels": channels, "height": height, "width": width}, "layers": layers,
            **extra}


@pytest.fixture
def small(tmp_path) -> Path:
    """A 1×8×8 design with a 3×3 Conv2d, and its input beside it."""
    path = tmp_path / "small.json"
    save_design(Design(InputSpec(1, 8, 8), (Conv2d(1, 2, 3), ReLU(), Conv2d(2, 3, 3))), path)
    np.save(tmp_path / "in.npy", np.random.default_rng(1).normal(size=(8, 8)).astype(np.float32))
    return path


# -- 22: every listed traceback is one line and exit 2 ---------------------------------------------

BIG = int("1" + "0" * 400)


@pytest.mark.parametrize(("layer", "message"), [
    ({"type": "LeakyReLU", "negative_slope": 1e300}, "negative_slope=1e+300 is beyond what a float32"),
    ({"type": "MaxPool2d", "kernel_size": 2, "stride": 2**31}, "stride=2147483648 is larger than "
     "PyTorch's pooling layers accept (at most 2,147,483,647)"),
    ({"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 2**64},
     "stride=18446744073709551616 is larger than PyTorch accepts (at most 9,223,372,036,854,775,807)"),
    ({"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 3, "dilation": 2**64},
     "dilation=18446744073709551616 is larger than PyTorch accepts"),
    ({"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 3, "padding": "same",
      "dilation": 2**62}, "dilation=4611686018427387904 is larger than this app allows"),
    ({"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 2**62,
      "padding": 2**62}, "stride=4611686018427387904 is larger than this app allows"),
    ({"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 1,
      "weight": [[[[BIG]]]], "bias": [0]}, '"weight" holds a number too large for float32'),
])
@pytest.mark.parametrize("command", ["info", "run"])
def test_numbers_pytorch_cannot_take_are_one_line_errors(tmp_path, capsys, layer, message,
                                                         command) -> None:
    path = write_json(tmp_path / "d.json", design_data([layer]))
    np.save(tmp_path / "in.npy", np.ones((8, 8), np.float32))
    extra = ["--input", str(tmp_path / "in.npy"), "--out", str(tmp_path / "o.npz")] \
        if command == "run" else []
    assert main([command, str(path), *extra]) == 2
    assert message in one_error_line(capsys)
    assert not (tmp_path / "o.npz").exists()


def test_huge_input_values_and_digit_indexes_are_one_line_errors(tmp_path, small, capsys) -> None:
    data = design_data([], height=1, width=1)
    data["input"]["values"] = [[[-BIG]]]
    assert main(["info", str(write_json(tmp_path / "v.json", data))]) == 2
    assert '"values" holds a number too large for float32' in one_error_line(capsys)
    assert main(["run", str(small), "--input", "mnist:7:" + "9" * 5000,
                 "--out", str(tmp_path / "o.npz")]) == 2
    assert "(5,000 digits)" in one_error_line(capsys)


def test_info_json_with_a_lone_surrogate_in_the_name(tmp_path, capsys) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"format": "convdesigner-design", "version": 1, "name": "x\\ud800y", '
                    '"input": {"channels": 1, "height": 4, "width": 4}, "layers": []}')
    assert main(["info", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"x\\ud800y"' in out and json.loads(out)["name"] == "x\ud800y"


def test_a_full_disk_while_saving_weights_is_one_line(tmp_path, small, capsys, monkeypatch,
                                                     character_device) -> None:
    devices = tmp_path / "dev"
    devices.mkdir()
    full = character_device(devices, "full")  # a real full device, written through
    assert main(["export", str(small), "-o", str(tmp_path / "m.py"), "--weights", str(full)]) == 2
    assert one_error_line(capsys) == f"cannot write {full}: No space left on device"
    assert not (tmp_path / "m.py").exists() and stat.S_ISCHR(full.stat().st_mode)
    for node in devices.iterdir():
        node.unlink()
    devices.rmdir()

    def full(*args, **kwargs):
        raise RuntimeError("[enforce fail at inline_container.cc:778] . PytorchStreamWriter failed "
                           "writing file data/0: file write failed\nframe #0: ...")

    monkeypatch.setattr(torch, "save", full)
    assert main(["export", str(small), "-o", str(tmp_path / "m.py"),
                 "--weights", str(tmp_path / "m.pt")]) == 2
    assert one_error_line(capsys).startswith(f"cannot write {tmp_path / 'm.pt'}: [enforce fail")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.npy", "small.json"]


def test_ctrl_c_is_exit_130_with_one_line_and_no_file(tmp_path, small, capsys, monkeypatch) -> None:
    import convdesigner.compute.engine as engine

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "run", interrupted)
    try:
        status = main(["run", str(small), "--input", str(tmp_path / "in.npy"),
                       "--out", str(tmp_path / "o.npz")])
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C escaped main() as a traceback")
    assert status == 130
    assert one_error_line(capsys) == "interrupted (Ctrl-C)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.npy", "small.json"]


def test_stdout_that_is_not_utf8_gets_ascii_stand_ins(tmp_path, subprocess_env) -> None:
    path = tmp_path / "d.json"
    save_design(Design(InputSpec(1, 8, 8), (Conv2d(1, 1, 3), MaxPool2d(2)), name="数字"), path)
    env = {**subprocess_env, "PYTHONIOENCODING": "cp1252"}
    result = subprocess.run([sys.executable, "-m", "convdesigner.cli", "info", str(path)], env=env,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("cp1252")
    assert "floor((8 + 2·0 - 1·(3 - 1) - 1) / 1) + 1 = floor(5 / 1) + 1 = 6" in out
    assert "Design '??'" in out and "⌊" not in out
    result = subprocess.run([sys.executable, "-m", "convdesigner.cli", "info", str(path), "--json"],
                            env=env, capture_output=True, timeout=120)
    assert json.loads(result.stdout.decode("ascii"))["name"] == "数字"


def test_a_json_file_with_a_bom_is_read(tmp_path, capsys) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(design_data([])).encode())
    assert main(["info", str(path)]) == 0


def test_a_successful_run_prints_no_pytorch_warning(tmp_path, subprocess_env) -> None:
    path = tmp_path / "even.json"
    save_design(Design(InputSpec(1, 8, 8), (Conv2d(1, 2, 4, padding="same"),)), path)
    np.save(tmp_path / "in.npy", np.ones((8, 8), np.float32))
    result = subprocess.run([sys.executable, "-m", "convdesigner.cli", "run", str(path), "--input",
                             str(tmp_path / "in.npy"), "--out", str(tmp_path / "o.npz")],
                            env=subprocess_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == ""


# -- 25: usage errors and mistyped commands -------------------------------------------------------

def test_a_mistyped_command_is_named_instead_of_starting_the_app(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert entry_main(["infos", "x.json"]) == 2
    assert one_error_line(capsys).startswith("unknown command 'infos' (did you mean 'info'?)")
    assert entry_main(["expor"]) == 2
    assert "did you mean 'export'?" in one_error_line(capsys)
    # A file of that name is opened by the app, as before.
    import convdesigner.ui.app as app
    monkeypatch.setattr(app, "main", lambda arguments: 0)
    (tmp_path / "infos").write_text("{}")
    assert entry_main(["infos"]) == 0


# -- 23: outputs never destroy inputs --------------------------------------------------------------

@pytest.mark.parametrize(("arguments", "message"), [
    (["run", "{d}", "--input", "{i}", "--out", "{d}"], "--out {d} is the same file as the design {d}"),
    (["run", "{d}", "--input", "{i}", "--out", "{i}"], "--out {i} is the same file as --input {i}"),
    (["run", "{d}", "--input", "{i}", "--out", "{hard}"], "is the same file as the design"),
    (["run", "{d}", "--input", "{i}", "--out", "{link}"], "is the same file as the design"),
    (["export", "{d}", "-o", "{d}"], "the code (-o) {d} is the same file as the design"),
    (["export", "{d}", "-o", "{tmp}/m.py", "--weights", "{d}"],
     "the weights (--weights) {d} is the same file as the design"),
    (["export", "{d}", "-o", "{tmp}/m.py", "--weights", "{tmp}/./m.py"], "must go to different files"),
])
def test_an_output_that_is_an_input_is_refused(tmp_path, small, capsys, arguments, message) -> None:
    os.link(small, tmp_path / "hard.json")
    (tmp_path / "link.json").symlink_to(small)
    fill = {"d": small, "i": tmp_path / "in.npy", "tmp": tmp_path, "hard": tmp_path / "hard.json",
                "link": tmp_path / "link.json"}
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert main([a.format(**fill) for a in arguments]) == 2
    assert message.format(**fill) in one_error_line(capsys)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_outputs_to_links_and_devices_keep_them(tmp_path, small, capsys, character_device) -> None:
    target = tmp_path / "real.npz"
    target.write_bytes(b"old")
    (tmp_path / "link.npz").symlink_to(target)
    assert main(["run", str(small), "--input", str(tmp_path / "in.npy"),
                 "--out", str(tmp_path / "link.npz")]) == 0
    assert (tmp_path / "link.npz").is_symlink() and np.load(target)["0"].shape == (2, 6, 6)
    null = character_device(tmp_path, "null")
    assert main(["export", str(small), "-o", str(null)]) == 0
    assert stat.S_ISCHR(null.stat().st_mode)


# -- 9, 10: explain -------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["npy9", "mnist:3"])
def test_explain_checks_the_input_like_run(tmp_path, small, capsys, source) -> None:
    np.save(tmp_path / "in9.npy", np.ones((9, 9), np.float32))
    given_input = str(tmp_path / "in9.npy") if source == "npy9" else source
    assert main(["run", str(small), "--input", given_input, "--out", str(tmp_path / "o.npz")]) == 2
    run_error = one_error_line(capsys)
    assert main(["explain", str(small), "--input", given_input, "--layer", "0", "--channel", "0",
                 "--at", "0", "0"]) == 2
    assert one_error_line(capsys) == run_error
    assert "but the design takes [1, 8, 8]" in run_error


def test_explain_value_is_the_maps_own_with_9_digits_and_a_rounding_line(tmp_path, capsys) -> None:
    """Over many pixels of a wide layer, the value line is exactly what `run` writes, and every
    pixel where the exact total differs from it says so in one line."""
    rng = np.random.default_rng(7)
    design = Design(InputSpec(16, 6, 6), (Conv2d(16, 2, 3),), seed=3)
    path = tmp_path / "wide.json"
    save_design(design, path)
    image = rng.normal(size=(16, 6, 6)).astype(np.float32)
    np.save(tmp_path / "in.npy", image)
    output = run(design, image).outputs[0]
    differing = 0
    for y in range(4):
        for x in range(4):
            assert main(["explain", str(path), "--input", str(tmp_path / "in.npy"), "--layer", "0",
                         "--channel", "1", "--at", str(y), str(x), "--json"]) == 0
            data = json.loads(capsys.readouterr().out)
            assert data["value"] == float(output[1, y, x])
            assert main(["explain", str(path), "--input", str(tmp_path / "in.npy"), "--layer", "0",
                         "--channel", "1", "--at", str(y), str(x)]) == 0
            out = capsys.readouterr().out
            value = f"{float(output[1, y, x]):.9g}"
            assert np.float32(value) == output[1, y, x]  # 9 digits read back to the float32
            total32 = np.float32(data["total"])
            if total32 == output[1, y, x]:
                assert f"total = Σ + bias = {value} = the value in the map" in out
            else:
                differing += 1
                assert f"≈ {value}, the value in the map" in out
                note = [line for line in out.splitlines() if line.startswith("(PyTorch adds")]
                assert len(note) == 1 and note[0].endswith("that is rounding, not a mistake.)")
    assert differing > 0  # the sample does exercise the rounding line


# -- 11: info's definitions -----------------------------------------------------------------------

def test_info_defines_receptive_field_jump_and_macs(tmp_path, capsys) -> None:
    design = Design(InputSpec(1, 32, 32), (Conv2d(1, 2, 3, stride=2, dilation=2), MaxPool2d(3, 2),
                                           Conv2d(2, 2, 5, stride=3)))
    path = tmp_path / "d.json"
    save_design(design, path)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    for line in DEFINITIONS:
        assert line in out
    assert "r_out = r_in + (k − 1)·d·j_in" in out and "j_out = j_in·s" in out
    assert "MACs count the multiply-accumulates of the convolutions and Linear layers only" in out
    # The recursion as stated gives analyze()'s numbers.
    r, j = 1, 1
    for info, (k, d, s) in zip(analyze(design).layers, [(3, 2, 2), (3, 1, 2), (5, 1, 3)], strict=True):
        r, j = r + (k - 1) * d * j, j * s
        assert info.receptive_field == (r, r) and info.jump == (j, j)
    bad = tmp_path / "bad.json"
    save_design(Design(InputSpec(1, 4, 4), (Conv2d(1, 1, 7),)), bad)
    assert main(["info", str(bad)]) == 2
    assert "⌊−3 / 1⌋ + 1 = −2" in one_error_line(capsys)


# -- 13: exported inline weights ------------------------------------------------------------------

def test_exported_inline_weights_are_shortest_float32_literals() -> None:
    weight = np.array([[[[0.1, -0.3, 1e-8], [3.4028235e38, 1.0, 0.0]]]], np.float32)
    design = materialize(Design(InputSpec(1, 4, 4), (
        Conv2d(1, 1, (2, 3), weight=weight, bias_values=np.array([0.2], np.float32)),)))
    code = generate_code(design)
    assert "[0.1, -0.3, 1e-08]" in code and "[3.4028235e+38, 1.0, 0.0]" in code
    assert "0.10000000149011612" not in code
    namespace: dict = {}
    exec(compile(code, "model.py", "exec"), namespace)  # noqa: S102 (our own generated code)
    model = namespace["build_model"]()
    assert np.array_equal(model[0].weight.detach().numpy(), weight)
    assert model[0].bias.detach().numpy().tobytes() == np.float32(0.2).tobytes()


# -- the fuzz test --------------------------------------------------------------------------------

_INTS = st.one_of(st.integers(-3, 12), st.integers(-2**70, 2**70),
                  st.sampled_from([0, 2**31 - 1, 2**31, 2**62, 2**63 - 1, 2**63, 2**64, 10**400]))
_SCALARS = st.one_of(_INTS, st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none(),
                     st.text(max_size=5), st.sampled_from(["same", "valid", "zeros", "reflect",
                                                           "replicate", "circular"]))
_VALUES = st.one_of(_SCALARS, st.lists(_INTS, min_size=2, max_size=2),
                    st.lists(st.lists(_SCALARS, max_size=3), max_size=3))
_KEYS = {"Conv2d": ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                     "groups", "bias", "padding_mode", "weight"],
         "LeakyReLU": ["negative_slope"], "MaxPool2d": ["kernel_size", "stride", "padding"],
         "AvgPool2d": ["kernel_size", "stride", "padding"], "ReLU": [], "Sigmoid": [], "Tanh": []}
#: Numbers at PyTorch's edges: int32, int64, float64 and beyond.
_EDGES = st.sampled_from([2**31 - 1, 2**31, 2**62, 2**63 - 1, 2**63, 2**64, -2**63, 10**400,
                          1e300, -1e300, 3.5e38, 2**20, -1])


@st.composite
def _plain_layer(draw) -> dict:
    """A layer that fits a 1×8×8 input and keeps one channel."""
    kind = draw(st.sampled_from(sorted(_KEYS)))
    layer: dict = {"type": kind}
    if kind == "Conv2d":
        layer.update(in_channels=1, out_channels=1, kernel_size=draw(st.integers(1, 3)),
                     padding=draw(st.sampled_from([0, 1, "same", "valid"])),
                     padding_mode=draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"])))
    elif kind in ("MaxPool2d", "AvgPool2d"):
        layer.update(kernel_size=draw(st.integers(1, 2)), stride=1)
    elif kind == "LeakyReLU":
        layer["negative_slope"] = draw(st.floats(-2, 2))
    return layer


@st.composite
def _designs(draw) -> dict:
    """A valid design with one or two of its values replaced by an edge case or anything at all:
    the way to reach every check, since a design wrong in many places stops at the first."""
    layers = draw(st.lists(_plain_layer(), min_size=1, max_size=3))
    kinds = [layer["type"] for layer in layers]
    data = design_data(layers)
    for _ in range(draw(st.integers(1, 2))):
        value = draw(st.one_of(_EDGES, _VALUES))
        where = draw(st.sampled_from(["layer", "layer", "layer", "input", "top"]))
        if where == "layer":
            index = draw(st.integers(0, len(layers) - 1))
            layers[index][draw(st.sampled_from(_KEYS[kinds[index]] + ["type", "extra"]))] = value
        elif where == "input":
            data["input"][draw(st.sampled_from(["channels", "height", "width", "values"]))] = value
        else:
            data[draw(st.sampled_from(["name", "seed", "version", "format", "junk"]))] = value
    return data


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=_designs())
def test_fuzzed_designs_exit_0_or_2_with_one_line_never_a_traceback(tmp_path, capsys, data) -> None:
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=False), encoding="utf-8",
                    errors="surrogatepass")
    np.save(tmp_path / "in.npy", np.ones((1, 8, 8), np.float32))
    out = tmp_path / "out.npz"
    for arguments in (["info", str(path)], ["info", str(path), "--json"],
                      ["run", str(path), "--input", str(tmp_path / "in.npy"), "--out", str(out)]):
        status = main(arguments)
        captured = capsys.readouterr()
        assert status in (0, 2), (arguments, data)
        if status == 2:
            lines = captured.err.splitlines()
            assert len(lines) == 1 and lines[0].startswith(ERROR), captured.err
            # Validation refused it before PyTorch had to: the net in the CLI never caught it.
            assert "PyTorch could not compute" not in lines[0], data
            assert "not enough memory" not in lines[0], data
        else:
            assert "Traceback" not in captured.err
    out.unlink(missing_ok=True)


def test_the_entry_point_passes_every_command_to_the_command_line(capsys) -> None:
    # `convdesigner train` once started the app's path and said "unknown command 'train'".
    from convdesigner.__main__ import CLI_COMMANDS
    from convdesigner.cli import COMMANDS
    assert CLI_COMMANDS == COMMANDS
    for command in COMMANDS:
        assert entry_main([command, "--help"]) == 0
        assert f"usage: convdesigner {command}" in capsys.readouterr().out
