"""Importing weights: only tensors are ever read (a file that asks to run code is refused and
nothing runs), checkpoints are unwrapped, tensors pair with Conv2d layers by shape, bit for bit."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from convdesigner.compute.engine import run
from convdesigner.compute.import_weights import (
    CHECKPOINT_KEYS,
    apply_match,
    match_weights,
    read_state_dict,
)
from convdesigner.design.examples import learner_design
from convdesigner.design.layers import Conv2d, Design, InputSpec, ReLU
from convdesigner.errors import DesignError, InputFileError


def _touch_command(marker: Path) -> str:
    return f"{sys.executable} -c \"open({str(marker)!r}, 'w').write('ran')\""


class RunsASystemCommand:
    """Unpickling this with a plain unpickler would run ``os.system(...)`` and create the marker."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (_touch_command(self.marker),))


class RunsEval:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (eval, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def learner_sequential(seed: int = 123) -> nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1))


# -- reading: safety ---------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["torch.save", "pickle protocol 2", "pickle default protocol",
                                 "eval in torch.save", "inside a state_dict"])
def test_a_file_that_asks_to_run_code_is_refused_and_nothing_runs(tmp_path, how) -> None:
    marker = tmp_path / "MARKER"
    path = tmp_path / "model.pt"
    # The payload really works: a plain unpickler would create the marker.
    assert os.system(_touch_command(tmp_path / "control")) == 0 and (tmp_path / "control").exists()
    if how == "torch.save":
        torch.save(RunsASystemCommand(marker), path)
    elif how == "pickle protocol 2":
        path.write_bytes(pickle.dumps({"w": RunsASystemCommand(marker)}, protocol=2))
    elif how == "pickle default protocol":
        path.write_bytes(pickle.dumps({"w": RunsASystemCommand(marker)}))
    elif how == "eval in torch.save":
        torch.save({"0.weight": torch.zeros(1, 1, 3, 3), "x": RunsEval(marker)}, path)
    else:
        state = learner_sequential().state_dict()
        state["0.weight"] = RunsASystemCommand(marker)
        torch.save(state, path)
    with pytest.raises(InputFileError) as caught:
        read_state_dict(path)
    message = str(caught.value)
    assert message.startswith("model.pt is not a plain weights file: it asks to run code (")
    assert message.endswith("); only state_dicts of tensors are accepted")
    assert ("system" in message) or ("eval" in message)
    assert not marker.exists()


def test_the_refused_file_really_would_have_run_code(tmp_path) -> None:
    """The control: loading the same bytes with an ordinary unpickler does run the command."""
    marker = tmp_path / "MARKER"
    data = pickle.dumps({"w": RunsASystemCommand(marker)}, protocol=2)
    (tmp_path / "evil.pt").write_bytes(data)
    with pytest.raises(InputFileError):
        read_state_dict(tmp_path / "evil.pt")
    assert not marker.exists()
    # Only now, deliberately, in a child process, with the unsafe loader:
    subprocess.run([sys.executable, "-c", "import pickle,sys; pickle.load(open(sys.argv[1], 'rb'))",
                    str(tmp_path / "evil.pt")], check=True)
    assert marker.exists()


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.write_bytes(b""), "is empty"),
    (lambda p: p.write_bytes(b"hello, this is not a model"), "is not a PyTorch weights file"),
    (lambda p: _truncated(p), "damaged or incomplete"),
    (lambda p: _zip_not_torch(p), "is a zip archive but not one written by torch.save"),
    (lambda p: torch.save(torch.zeros(3), p), "holds a single tensor of shape [3], not a state_dict"),
    (lambda p: torch.save([torch.zeros(3)], p), "holds a list, not a state_dict"),
    (lambda p: torch.save({"epoch": 3, "lr": 0.1}, p), "holds no tensors to import"),
    (lambda p: _torchscript(p), "is a TorchScript archive"),
], ids=["empty", "text", "truncated", "zip", "tensor", "list", "no tensors", "torchscript"])
def test_unusable_files_get_clear_messages(tmp_path, make, expected) -> None:
    path = tmp_path / "model.pt"
    make(path)
    with pytest.raises(InputFileError) as caught:
        read_state_dict(path)
    assert expected in str(caught.value)
    assert str(caught.value).startswith("model.pt ")


def _truncated(path: Path) -> None:
    torch.save(learner_sequential().state_dict(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _torchscript(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # torch.jit.script is deprecated
        torch.jit.script(nn.Linear(2, 2)).save(str(path))


def _zip_not_torch(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a model")


def test_missing_files_and_folders_are_named(tmp_path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_state_dict(tmp_path / "absent.pt")
    with pytest.raises(InputFileError, match="is a folder"):
        read_state_dict(tmp_path)


# -- reading: what is accepted -------------------------------------------------------------------

def test_a_state_dict_is_read_bit_for_bit_in_file_order(tmp_path) -> None:
    model = learner_sequential()
    torch.save(model.state_dict(), tmp_path / "model.pt")
    state = read_state_dict(tmp_path / "model.pt")
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for key, tensor in model.state_dict().items():
        assert state[key].dtype == np.float32
        assert state[key].tobytes() == tensor.numpy().tobytes()
        assert state[key].flags.writeable  # a copy the caller owns


@pytest.mark.parametrize("key", CHECKPOINT_KEYS)
def test_checkpoints_nesting_the_state_dict_are_accepted(tmp_path, key) -> None:
    model = learner_sequential()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    checkpoint = {"epoch": 7, "loss": 0.25, key: model.state_dict(),
                  "optimizer_state_dict": optimizer.state_dict(), "note": "trained on MNIST"}
    torch.save(checkpoint, tmp_path / "checkpoint.pth")
    state = read_state_dict(tmp_path / "checkpoint.pth")
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert np.array_equal(state["2.weight"], model[2].weight.detach().numpy())


def test_entries_that_are_not_tensors_are_ignored(tmp_path) -> None:
    state = {"conv.weight": torch.ones(2, 1, 3, 3), "epoch": 3, "name": "x",
             "bn.num_batches_tracked": torch.tensor(5), "half": torch.ones(2, dtype=torch.bfloat16)}
    torch.save(state, tmp_path / "m.pt")
    read = read_state_dict(tmp_path / "m.pt")
    assert set(read) == {"conv.weight", "bn.num_batches_tracked", "half"}
    assert read["half"].dtype == np.float32  # bfloat16 widened exactly


# -- matching ------------------------------------------------------------------------------------

def test_a_real_sequential_matches_the_design_bit_for_bit(tmp_path) -> None:
    model = learner_sequential(seed=99)
    torch.save(model.state_dict(), tmp_path / "model.pt")
    design = learner_design()
    match = match_weights(design, read_state_dict(tmp_path / "model.pt"), source="model.pt")
    assert not match.is_ambiguous and not match.nothing_fits and not match.missing
    assert match.message == ""
    assert [(m.index, [c.weight_key for c in m.candidates]) for m in match.layers] == \
        [(0, ["0.weight"]), (2, ["2.weight"])]
    assert match.layers[0].candidates[0].bias_key == "0.bias"
    imported = apply_match(design, match.default_choices())
    for index in (0, 2):
        layer = imported.layers[index]
        assert layer.weight.tobytes() == model[index].weight.detach().numpy().tobytes()
        assert layer.bias_values.tobytes() == model[index].bias.detach().numpy().tobytes()
    image = np.random.default_rng(0).random((1, 28, 28), dtype=np.float32)
    outputs = run(imported, image).outputs
    with torch.no_grad():
        expected = model(torch.from_numpy(image)[None])[0]
    assert torch.equal(torch.from_numpy(outputs[-1]), expected)


def vgg_like() -> tuple[Design, nn.Module]:
    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(),
                                          nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                                          nn.Conv2d(64, 64, 3, padding=1))
            self.classifier = nn.Linear(64, 10)

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(5)
        net = Net()
    design = Design(InputSpec(3, 8, 8), (Conv2d(3, 64, 3, padding=1), ReLU(),
                                         Conv2d(64, 64, 3, padding=1), ReLU(),
                                         Conv2d(64, 64, 3, padding=1)))
    return design, net


def test_two_layers_of_the_same_shape_are_ambiguous_and_default_to_file_order() -> None:
    design, net = vgg_like()
    state = {key: value.numpy() for key, value in net.state_dict().items()}
    match = match_weights(design, state)
    assert match.is_ambiguous
    candidates = {m.index: [c.weight_key for c in m.candidates] for m in match.layers}
    assert candidates == {0: ["features.0.weight"],
                          2: ["features.2.weight", "features.4.weight"],
                          4: ["features.2.weight", "features.4.weight"]}
    label = match.layers[1].candidates[0].label()
    assert label == "features.2.weight [64, 64, 3, 3] + features.2.bias [64]"
    defaults = match.default_choices()
    assert {i: c.weight_key for i, c in defaults.items()} == \
        {0: "features.0.weight", 2: "features.2.weight", 4: "features.4.weight"}
    # The user may swap them.
    swapped = {**defaults, 2: match.layers[2].candidates[1], 4: match.layers[1].candidates[0]}
    imported = apply_match(design, swapped)
    assert np.array_equal(imported.layers[2].weight, state["features.4.weight"])
    assert np.array_equal(imported.layers[2].bias_values, state["features.4.bias"])
    assert np.array_equal(imported.layers[4].weight, state["features.2.weight"])


def test_nothing_fits_lists_the_file_shapes_and_the_needed_shapes() -> None:
    _, net = vgg_like()
    state = {key: value.numpy() for key, value in net.state_dict().items()}
    match = match_weights(learner_design(), state, source="vgg.pt")
    assert match.nothing_fits and not match.is_ambiguous
    message = match.message
    assert message.startswith("No tensors in vgg.pt fit this design's Conv2d layers.")
    for needed in ("layer 0 (Conv2d(1, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))): "
                   "weight [64, 1, 4, 4] and bias [64]", "weight [128, 64, 4, 4] and bias [128]"):
        assert needed in message
    for found in ("features.0.weight [64, 3, 3, 3]", "features.2.weight [64, 64, 3, 3]",
                  "features.4.weight [64, 64, 3, 3]"):
        assert found in message


def test_a_file_without_convolution_weights_says_so() -> None:
    match = match_weights(learner_design(), {"fc.weight": np.zeros((10, 84), np.float32)},
                          source="mlp.pt")
    assert match.nothing_fits
    assert "mlp.pt holds no 4-dimensional (convolution weight) tensors" in match.message
    assert "fc.weight [10, 84]" in match.message


def test_a_partial_match_names_the_layers_that_keep_their_weights() -> None:
    model = learner_sequential()
    state = {"0.weight": model[0].weight.detach().numpy(), "0.bias": model[0].bias.detach().numpy()}
    match = match_weights(learner_design(), state, source="half.pt")
    assert not match.nothing_fits and [m.index for m in match.missing] == [2]
    assert "Nothing in half.pt fits layer 2; it keeps its current weights." in match.message
    imported = apply_match(learner_design(), match.default_choices())
    assert imported.layers[2].weight is None  # untouched


def test_bias_mismatches_are_handled_as_the_file_computes() -> None:
    weight = np.arange(2 * 1 * 3 * 3, dtype=np.float32).reshape(2, 1, 3, 3)
    with_bias = Design(InputSpec(1, 5, 5), (Conv2d(1, 2, 3),))
    no_bias = Design(InputSpec(1, 5, 5), (Conv2d(1, 2, 3, bias=False),))
    # The file's conv had bias=False: the layer's bias becomes 0.
    match = match_weights(with_bias, {"conv.weight": weight})
    candidate = match.layers[0].candidates[0]
    assert candidate.bias_key is None and "bias is set to 0" in candidate.note
    imported = apply_match(with_bias, match.default_choices())
    assert np.array_equal(imported.layers[0].bias_values, np.zeros(2, np.float32))
    # The layer has no bias: the file's is left out.
    match = match_weights(no_bias, {"conv.weight": weight, "conv.bias": np.ones(2, np.float32)})
    assert "left out" in match.layers[0].candidates[0].note
    imported = apply_match(no_bias, match.default_choices())
    assert imported.layers[0].bias_values is None
    assert np.array_equal(imported.layers[0].weight, weight)


def test_integer_tensors_never_match_and_half_precision_is_widened() -> None:
    design = Design(InputSpec(1, 5, 5), (Conv2d(1, 2, 3, bias=False),))
    assert match_weights(design, {"w": np.ones((2, 1, 3, 3), np.int64)}).nothing_fits
    half = np.full((2, 1, 3, 3), 0.5, np.float16)
    imported = apply_match(design, match_weights(design, {"w": half}).default_choices())
    assert imported.layers[0].weight.dtype == np.float32
    assert np.array_equal(imported.layers[0].weight, half.astype(np.float32))


def test_apply_match_refuses_a_choice_that_does_not_fit() -> None:
    _, net = vgg_like()
    state = {key: value.numpy() for key, value in net.state_dict().items()}
    design, _ = vgg_like()
    first = match_weights(design, state).layers[0].candidates[0]
    with pytest.raises(DesignError, match="needs"):
        apply_match(design, {2: first})
    with pytest.raises(DesignError, match="not a Conv2d"):
        apply_match(design, {1: first})


def test_import_weights_never_imports_qt(subprocess_env) -> None:
    code = "import sys, convdesigner.compute.import_weights; print('\\n'.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env=subprocess_env).stdout.split()
    assert not {name.split(".")[0] for name in loaded} & {"PySide6", "shiboken6", "pyqtgraph"}
