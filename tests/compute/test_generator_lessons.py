"""The generator lessons against PyTorch: the generator's mirror is the DCGAN generator from
128×7×7 to 1×28×28, and of the three ways to double a flat map only kernel 3 stride 2 makes a
checkerboard."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from convdesigner.compute.engine import run
from convdesigner.data.noise import normal_input
from convdesigner.design import analyze
from convdesigner.design.checkerboard import verdict
from convdesigner.design.lessons import (
    checkerboard_kernel3,
    checkerboard_kernel4,
    checkerboard_upsample,
    generator_mirror,
)


def test_the_generators_mirror_is_torchs_generator_from_128x7x7_to_1x28x28() -> None:
    design = generator_mirror()
    assert [info.out_shape for info in analyze(design).layers] == [
        (64, 14, 14), (64, 14, 14), (64, 14, 14), (1, 28, 28), (1, 28, 28)]
    assert np.array_equal(design.input_values, normal_input((128, 7, 7), 0))
    torch.manual_seed(design.seed)
    reference = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                              nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh()).eval()
    with torch.no_grad():
        expected = reference(torch.from_numpy(np.array(design.input_values))[None])[0].numpy()
    assert np.array_equal(run(design, design.input_values).outputs[-1], expected)


def test_only_kernel_3_stride_2_makes_a_checkerboard_of_a_flat_input() -> None:
    outputs = {}
    for name, build in (("k3", checkerboard_kernel3), ("k4", checkerboard_kernel4),
                        ("upsample", checkerboard_upsample)):
        design = build()
        outputs[name] = run(design, design.input_values).outputs[-1][0]
        assert outputs[name].shape == (16, 16)
    inner = (slice(2, -2), slice(2, -2))
    assert sorted(np.unique(outputs["k3"][inner]).tolist()) == [1.0, 2.0, 4.0]
    assert np.unique(outputs["k4"][inner]).tolist() == [4.0]
    assert np.allclose(outputs["upsample"][inner], 1.0)
    assert not verdict(checkerboard_kernel3().layers[0]).uniform
    assert verdict(checkerboard_kernel4().layers[0]).uniform
