"""Exported code of a generator (ConvTranspose2d, BatchNorm2d, Upsample), run in a fresh Python,
equals ``convdesigner run`` -- seeded, and with inline tensors (running statistics included).

Equal to float32 rounding, not always bit for bit: the two runs are in two processes, and one
full-suite run in about ten (2026-12-02) differed in the last bits, most likely because the
CPU's matrix library split a sum differently between them (its threading is not pinned). A wrong
argument, tensor or layout differs by far more."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from convdesigner.compute.engine import build_model, run
from convdesigner.compute.export import generate_code
from convdesigner.design import (
    BatchNorm2d,
    ConvTranspose2d,
    Design,
    InputSpec,
    ReLU,
    Tanh,
    Upsample,
)
from convdesigner.design.layers import Conv2d
from tests.compute.test_export import RUNNER

INPUT = InputSpec(4, 5, 6)


def seeded() -> Design:
    return Design(INPUT, (
        ConvTranspose2d(4, 6, (3, 4), stride=(2, 3), padding=(1, 0), output_padding=(1, 2),
                        groups=2, dilation=(1, 2)),
        BatchNorm2d(6, eps=1e-3, momentum=0.2), ReLU(),
        Upsample(scale_factor=(1.5, 2.0), mode="bilinear"),
        Conv2d(6, 3, 3, padding=1), BatchNorm2d(3, affine=False),
        ConvTranspose2d(3, 1, 4, 2, 1, bias=False), Tanh()), seed=99)


def inline() -> Design:
    design = seeded()
    rng = np.random.default_rng(3)
    norm = design.layers[1]
    values = {name: rng.normal(size=6).astype(np.float32) for name in norm.parameter_names()}
    values["running_var"] = rng.uniform(0.5, 2, size=6).astype(np.float32)
    design = design.with_layer(1, norm.with_parameter_values(values))
    last = design.layers[6]
    return design.with_layer(6, last.with_parameter_values(
        {"weight": rng.normal(size=(3, 1, 4, 4)).astype(np.float32)}))


def test_exported_generator_code_equals_run(tmp_path, subprocess_env) -> None:
    image = np.random.default_rng(0).normal(size=INPUT.shape).astype(np.float32)
    np.save(tmp_path / "input.npy", image)
    cases = {"seeded": seeded(), "inline": inline()}
    for name, design in cases.items():
        (tmp_path / f"{name}.py").write_text(generate_code(design), encoding="utf-8")
    assert "LAYER_1_RUNNING_VAR = [" in (tmp_path / "inline.py").read_text(encoding="utf-8")
    assert "# Layer 6's weight, [in_channels][out_channels / groups]" in \
        (tmp_path / "inline.py").read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", RUNNER, *cases], cwd=tmp_path, env=subprocess_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for name, design in cases.items():
        expected = run(design, image, device="cpu").outputs
        with np.load(tmp_path / f"{name}_outputs.npz") as archive:
            for index, output in enumerate(expected):
                np.testing.assert_allclose(archive[str(index)], output, rtol=1e-5, atol=1e-6,
                                           err_msg=f"{name}, layer {index}")
        assert report[name]["repr"] == str(build_model(design))
