"""The command line on a generator: info, run (with ``--input normal:SEED``), explain of a
ConvTranspose2d pixel, export -- all equal to PyTorch."""

from __future__ import annotations

import json
import runpy

import numpy as np
import pytest
import torch
from torch import nn

from convdesigner.cli import main
from convdesigner.data.noise import normal_input
from convdesigner.design import BatchNorm2d, ConvTranspose2d, Design, InputSpec, ReLU, Tanh, analyze
from convdesigner.design.io import load_design, save_design

GENERATOR = Design(InputSpec(128, 7, 7), (ConvTranspose2d(128, 64, 4, 2, 1), BatchNorm2d(64), ReLU(),
                                          ConvTranspose2d(64, 1, 4, 2, 1), Tanh()),
                   name="generator", seed=3)


def reference() -> nn.Sequential:
    torch.manual_seed(3)
    return nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                         nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh()).eval()


def test_info_run_explain_and_export_of_a_generator(tmp_path, capsys) -> None:
    path = tmp_path / "generator.json"
    save_design(GENERATOR, path)
    assert load_design(path) == GENERATOR

    assert main(["info", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["output_shape"] == [1, 28, 28]
    assert [row["out_shape"] for row in data["layers"]] == [[64, 14, 14]] * 3 + [[1, 28, 28]] * 2
    assert data["layers"][0]["formula"] == list(analyze(GENERATOR).layers[0].formula)

    assert main(["info", str(path)]) == 0
    assert "the jump is kept a whole number (at least 1)" in capsys.readouterr().out

    out = tmp_path / "out.npz"
    assert main(["run", str(path), "--input", "normal:5", "--out", str(out)]) == 0
    capsys.readouterr()
    image = normal_input((128, 7, 7), 5)
    with torch.no_grad():
        expected = reference()(torch.from_numpy(image)[None])[0].numpy()
    with np.load(out) as archive:
        assert np.array_equal(archive["input"], image)
        assert np.array_equal(archive["4"], expected)
        pre_tanh = archive["3"]

    assert main(["explain", str(path), "--input", "normal:5", "--layer", "3", "--channel", "0",
                 "--at", "5", "6", "--json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert explained["value"] == float(pre_tanh[0, 5, 6])
    assert explained["total"] == pytest.approx(sum(explained["sums"]) + explained["bias"])
    # Kernel 4, stride 2: every output pixel gets 2 × 2 stamps from each of the 64 input channels.
    assert len(explained["terms"]) == 64 * 4
    assert abs(explained["total"] - explained["value"]) <= 1e-6 * max(1.0, abs(explained["value"]))

    assert main(["explain", str(path), "--input", "normal:5", "--layer", "0", "--channel", "2",
                 "--at", "0", "0"]) == 0
    text = capsys.readouterr().out
    assert "Input channel 127: 1 stamp" in text and "total = Σ + bias = " in text

    code = tmp_path / "model.py"
    assert main(["export", str(path), "-o", str(code)]) == 0
    namespace = runpy.run_path(str(code))   # not as __main__: only defines build_model
    with torch.no_grad():
        exported = namespace["build_model"]()(torch.from_numpy(image)[None])[0].numpy()
    assert np.array_equal(exported, expected)
