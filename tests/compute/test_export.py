"""Exported code, run in a fresh Python, rebuilds the app's model bit for bit, and cannot be injected.

The three ways the code gets its parameters -- seeding, a weights file, inline literals -- are each
written to a ``.py`` file, imported by a child process that runs an input through ``build_model()``
layer by layer, and compared with :func:`run` using ``torch.equal``.
"""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import tokenize
from pathlib import Path

import numpy as np
import pytest
import torch

from convdesigner.compute.engine import build_model, run
from convdesigner.compute.export import MAX_INLINE_VALUES, generate_code, save_weights
from convdesigner.compute.weights import materialize
from convdesigner.design.analysis import analyze
from convdesigner.design.examples import learner_design
from convdesigner.design.layers import (
    AvgPool2d,
    Conv2d,
    Design,
    InputSpec,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
)
from convdesigner.errors import ConvDesignerError, DesignError

INPUT = InputSpec(2, 17, 15)


def seeded_design() -> Design:
    """Every layer kind and Conv2d option, no explicit parameters."""
    return Design(INPUT, (
        Conv2d(2, 6, 3, padding=1, padding_mode="reflect"),
        ReLU(),
        MaxPool2d((2, 3), stride=(2, 1), padding=1),
        Conv2d(6, 4, (3, 2), stride=(2, 1), dilation=(1, 2), groups=2, bias=False),
        LeakyReLU(0.25),
        Conv2d(4, 4, 4, padding="same", padding_mode="replicate"),
        Sigmoid(),
        AvgPool2d(2, padding=1),
        Conv2d(4, 4, 2, groups=4, padding=(1, 0), padding_mode="circular"),
        Tanh(),
    ), name="every layer", seed=2024)


def inline_design() -> Design:
    """Layers 0 and 3 explicit (with awkward float32 values), the others left to the seed."""
    design = seeded_design()
    rng = np.random.default_rng(5)
    weight = rng.normal(size=(6, 2, 3, 3)).astype(np.float32)
    weight.flat[:5] = [0.1, -0.0, np.float32(1e-45), np.nextafter(np.float32(1), np.float32(2)), 1 / 3]
    design = design.with_layer(0, design.layers[0].with_parameters(
        weight, rng.normal(size=6).astype(np.float32)))
    return design.with_layer(3, design.layers[3].with_parameters(
        rng.uniform(-1, 1, size=(4, 3, 3, 2)).astype(np.float32), None))


def large_design() -> Design:
    """Explicit parameters too many to write inline."""
    rng = np.random.default_rng(6)
    conv = Conv2d(2, 64, 6, padding=2)
    conv = conv.with_parameters(rng.normal(size=conv.weight_shape).astype(np.float32),
                                rng.normal(size=64).astype(np.float32))
    return Design(INPUT, (conv, ReLU(), Conv2d(64, 3, 3)), seed=11)


RUNNER = """
import contextlib, importlib.util, io, json, runpy, sys
import numpy as np, torch

image = torch.from_numpy(np.load("input.npy")).unsqueeze(0)
report = {}
for name in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location(name, f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    outputs, x = {}, image
    with torch.no_grad():
        for index, layer in enumerate(model):
            x = layer(x)
            outputs[str(index)] = x[0].numpy()
    np.savez(f"{name}_outputs.npz", **outputs)
    torch.save(model.state_dict(), f"{name}_state.pt")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(f"{name}.py", run_name="__main__")
    report[name] = {"repr": str(model), "main": printed.getvalue()}
print(json.dumps(report))
"""

CASES = {
    "seeded": (seeded_design, None),
    "inline": (inline_design, None),
    "from_file": (large_design, "from_file_weights.pt"),
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, subprocess_env) -> tuple[Path, dict, np.ndarray]:
    """Write every case's code (and weights), run them all in one child Python (torch loads once)."""
    folder = tmp_path_factory.mktemp("export")
    image = np.random.default_rng(0).normal(size=INPUT.shape).astype(np.float32)
    np.save(folder / "input.npy", image)
    for name, (make_design, weights_file) in CASES.items():
        design = make_design()
        if weights_file is not None:
            save_weights(design, folder / weights_file)
        (folder / f"{name}.py").write_text(generate_code(design, weights_file), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", RUNNER, *CASES], cwd=folder, env=subprocess_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return folder, json.loads(result.stdout), image


@pytest.mark.parametrize("name", CASES)
def test_exported_code_reproduces_run_bit_for_bit(exported, name) -> None:
    folder, _, image = exported
    design = CASES[name][0]()
    expected = run(design, image, device="cpu").outputs
    with np.load(folder / f"{name}_outputs.npz") as archive:
        assert sorted(archive.files, key=int) == [str(i) for i in range(len(expected))]
        for index, output in enumerate(expected):
            assert torch.equal(torch.from_numpy(archive[str(index)]), torch.from_numpy(output))
    state = torch.load(folder / f"{name}_state.pt", weights_only=True)
    reference = build_model(design).state_dict()
    assert state.keys() == reference.keys()
    assert all(torch.equal(state[key], reference[key]) for key in state)


@pytest.mark.parametrize("name", CASES)
def test_exported_code_prints_the_model_and_runs_a_zero_input(exported, name) -> None:
    _, report, _ = exported
    design = CASES[name][0]()
    assert report[name]["repr"] == str(build_model(design))
    output_shape = (1, *analyze(design).output_shape)
    assert report[name]["main"] == f"{build_model(design)}\noutput shape: {output_shape}\n"


def test_each_case_uses_the_means_it_should() -> None:
    seeded = generate_code(seeded_design())
    assert "torch.manual_seed(SEED)" in seeded and "SEED = 2024" in seeded
    assert "LAYER_" not in seeded and "torch.load" not in seeded
    inline = generate_code(inline_design())
    assert "LAYER_0_WEIGHT = [" in inline and "LAYER_0_BIAS = [" in inline
    assert "LAYER_3_WEIGHT = [" in inline and "LAYER_3_BIAS" not in inline  # bias=False
    assert "torch.manual_seed(SEED)" in inline  # layers 5 and 8 are still seeded
    fully_explicit = generate_code(materialize(Design(INPUT, (Conv2d(2, 3, 3),))))
    assert "manual_seed" not in fully_explicit and "SEED" not in fully_explicit
    from_file = generate_code(large_design(), weights_file="w.pt")
    assert "WEIGHTS_FILE = os.path.join(_HERE, 'w.pt')" in from_file
    assert "def build_model(weights_path: str = WEIGHTS_FILE) -> nn.Sequential:" in from_file
    assert "torch.load(weights_path, weights_only=True)" in from_file
    assert "manual_seed" not in from_file and "LAYER_" not in from_file


def test_the_code_has_a_shape_comment_per_layer_and_is_valid_python() -> None:
    design = seeded_design()
    code = generate_code(design)
    tree = ast.parse(code)
    assert ast.get_docstring(tree).startswith("A convolutional network designed in ConvDesigner.")
    for info in analyze(design).layers:
        arrow = f"# {list(info.in_shape)} -> {list(info.out_shape)}"
        assert arrow in code
    assert 'if __name__ == "__main__":' in code


def test_too_many_explicit_values_without_a_weights_file_are_refused() -> None:
    with pytest.raises(ConvDesignerError, match="weights file"):
        generate_code(large_design())
    small_enough = Design(InputSpec(1, 8, 8), (Conv2d(1, 16, 16, padding=4),))
    assert MAX_INLINE_VALUES < 16 * 16 * 16 + 16
    with pytest.raises(ConvDesignerError, match=f"{16 * 16 * 16 + 16:,} values"):
        generate_code(materialize(small_enough))


def test_an_invalid_design_is_not_exported(tmp_path) -> None:
    broken = Design(InputSpec(1, 8, 8), (Conv2d(3, 4, 3),))
    with pytest.raises(DesignError):
        generate_code(broken)
    with pytest.raises(DesignError):
        save_weights(broken, tmp_path / "w.pt")
    assert list(tmp_path.iterdir()) == []


def test_save_weights_writes_the_state_dict_atomically(tmp_path) -> None:
    design = inline_design()
    path = tmp_path / "w.pt"
    path.write_bytes(b"old")
    save_weights(design, path)
    state = torch.load(path, weights_only=True)
    assert list(state) == ["0.weight", "0.bias", "3.weight", "5.weight", "5.bias", "8.weight",
                           "8.bias"]
    assert np.array_equal(state["0.weight"].numpy(), design.layers[0].weight)
    assert all(tensor.dtype == torch.float32 and tensor.device.type == "cpu"
               for tensor in state.values())
    assert [p.name for p in tmp_path.iterdir()] == ["w.pt"]
    with pytest.raises(ConvDesignerError, match="does not exist"):
        save_weights(design, tmp_path / "missing" / "w.pt")
    assert [p.name for p in tmp_path.iterdir()] == ["w.pt"]


MALICIOUS_NAME = ('pwned"""\n__import__(\'os\').system("touch {marker}")\n"""\r'
                  "'''\\\n# \u2028 __import__('os').system('touch {marker}')\x00")


def test_a_malicious_name_cannot_inject_code(tmp_path) -> None:
    marker = tmp_path / "PWNED"
    name = MALICIOUS_NAME.format(marker=marker)
    design = Design(InputSpec(1, 6, 6), (Conv2d(1, 2, 3), ReLU()), name=name)
    code = generate_code(design)
    assert f"# Design: {name!r}\n" in code
    assert name not in code
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    payload_tokens = [token for token in tokens if "__import__" in token.string]
    assert payload_tokens and all(token.type == tokenize.COMMENT for token in payload_tokens)
    namespace = {"__name__": "exported"}
    exec(compile(code, "model.py", "exec"), namespace)  # noqa: S102 -- proving it is harmless
    namespace["build_model"]()
    assert not marker.exists()


def test_a_malicious_weights_path_is_only_a_string(tmp_path) -> None:
    marker = tmp_path / "PWNED"
    path = f"w.pt'\n__import__('os').system('touch {marker}')\n'"
    code = generate_code(seeded_design(), weights_file=path)
    assert f"WEIGHTS_FILE = os.path.join(_HERE, {path!r})\n" in code
    tree = ast.parse(code)
    constants = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]
    assert path in constants
    calls = {node.func.id for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "__import__" not in calls


def test_a_relative_weights_file_is_found_beside_the_script_from_any_folder(tmp_path) -> None:
    design = materialize(learner_design())
    folder = tmp_path / "lesson"
    folder.mkdir()
    save_weights(design, folder / "net.pt")
    (folder / "net.py").write_text(generate_code(design, weights_file="net.pt"), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([sys.executable, str(folder / "net.py")], cwd=elsewhere,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "output shape: (1, 128, 7, 7)" in result.stdout
