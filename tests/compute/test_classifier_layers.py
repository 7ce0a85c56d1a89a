"""Flatten, Linear and Dropout in the engine and in exported code, against PyTorch itself."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import torch

from convdesigner.compute.engine import Engine, build_model, run
from convdesigner.compute.export import generate_code
from convdesigner.compute.weights import materialize
from convdesigner.design.layers import (
    Conv2d,
    Design,
    Dropout,
    Flatten,
    InputSpec,
    LeakyReLU,
    Linear,
    MaxPool2d,
    ReLU,
)
from tests.oracle import torch_outputs, torch_sequential


def classifier() -> Design:
    return Design(InputSpec(1, 12, 12), (
        Conv2d(1, 4, 3, padding=1), LeakyReLU(0.2), MaxPool2d(2), Flatten(), Dropout(0.5),
        Linear(144, 16), ReLU(), Linear(16, 10)), seed=7)


def image() -> np.ndarray:
    return np.random.default_rng(3).random((1, 12, 12), dtype=np.float32)


def test_seeded_weights_are_torch_manual_seed_then_sequential():
    design = classifier()
    torch.manual_seed(design.seed)
    reference = torch_sequential(design).state_dict()
    state = build_model(design).state_dict()
    assert state.keys() == reference.keys()
    for name, tensor in reference.items():
        assert torch.equal(state[name], tensor), name


def test_run_equals_torch_and_dropout_is_identity_in_eval():
    design = materialize(classifier())
    outputs = run(design, image()).outputs
    expected = torch_outputs(design, image())
    assert [o.shape for o in outputs] == [e.shape for e in expected]
    assert outputs[3].shape == (144,) and outputs[-1].shape == (10,)
    for mine, theirs in zip(outputs, expected, strict=True):
        assert torch.equal(torch.from_numpy(mine), torch.from_numpy(theirs))
    assert np.array_equal(outputs[4], outputs[3])  # Dropout, evaluating


def test_live_engine_gives_vectors_too():
    design = classifier()
    result = Engine("cpu").compute(design, image(), exact=True)
    assert result.outputs[-1].shape == (10,)
    plain = run(design, image()).outputs[-1]
    np.testing.assert_allclose(result.outputs[-1], plain, rtol=1e-5, atol=1e-6)


def test_exported_code_predicts_what_the_app_predicts(tmp_path, subprocess_env):
    rng = np.random.default_rng(0)
    design = classifier()
    head = design.layers[7]
    assert isinstance(head, Linear)
    design = design.with_layer(7, head.with_parameter_values({
        "weight": rng.normal(size=(10, 16)).astype(np.float32),
        "bias": rng.normal(size=10).astype(np.float32)}))
    code = generate_code(design)
    assert "# Layer 7's weight, [out_features][in_features]." in code
    (tmp_path / "model.py").write_text(code, encoding="utf-8")
    np.save(tmp_path / "input.npy", image())
    runner = ("import numpy as np, torch, model\n"
              "m = model.build_model()\n"
              "with torch.no_grad():\n"
              "    y = m(torch.from_numpy(np.load('input.npy'))[None])[0]\n"
              "np.save('out.npy', y.numpy())\n")
    result = subprocess.run([sys.executable, "-c", runner], cwd=tmp_path, env=subprocess_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    expected = run(design, image()).outputs[-1]
    assert np.array_equal(np.load(tmp_path / "out.npy"), expected)
