"""The design file holds ConvTranspose2d, BatchNorm2d and Upsample, with their tensors inline
(running statistics included), bit for bit, and names what is wrong in a hand-typed one."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convdesigner.design import BatchNorm2d, ConvTranspose2d, Design, InputSpec, Upsample
from convdesigner.design.io import design_from_json, design_to_json, load_design, save_design
from convdesigner.errors import DesignError


def generator_with_tensors() -> Design:
    rng = np.random.default_rng(0)
    conv = ConvTranspose2d(4, 6, (3, 2), stride=(2, 1), padding=1, output_padding=(1, 0), groups=2,
                           dilation=(1, 2))
    conv = conv.with_parameter_values({"weight": rng.normal(size=(4, 3, 3, 2)),
                                       "bias": rng.normal(size=6)})
    norm = BatchNorm2d(6, eps=1e-3, momentum=0.05)
    norm = norm.with_parameter_values({name: rng.uniform(0.1, 2, size=6) for name in norm.parameter_names()})
    plain = BatchNorm2d(6, affine=False)
    plain = plain.with_parameter_values({"running_mean": np.arange(6), "running_var": np.ones(6)})
    return Design(InputSpec(4, 5, 5), (conv, norm, Upsample((2, 1.5), "bilinear"), plain), seed=4)


def test_round_trip_keeps_every_argument_and_tensor(tmp_path) -> None:
    design = generator_with_tensors()
    path = tmp_path / "g.json"
    save_design(design, path)
    loaded = load_design(path)
    assert loaded == design and loaded.same_parameters(design)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["layers"][0]["output_padding"] == [1, 0]
    assert np.array(data["layers"][0]["weight"]).shape == (4, 3, 3, 2)   # [in][out/groups][kH][kW]
    assert set(data["layers"][1]) >= {"weight", "bias", "running_mean", "running_var", "eps"}
    assert data["layers"][2] == {"type": "Upsample", "scale_factor": [2.0, 1.5], "mode": "bilinear"}
    assert "weight" not in data["layers"][3] and data["layers"][3]["affine"] is False


def test_defaults_apply_to_absent_keys() -> None:
    text = json.dumps({"format": "convdesigner-design", "version": 1,
                       "input": {"channels": 2, "height": 3, "width": 3},
                       "layers": [{"type": "ConvTranspose2d", "in_channels": 2, "out_channels": 1,
                                   "kernel_size": 4}, {"type": "BatchNorm2d", "num_features": 1},
                                  {"type": "Upsample"}]})
    design = design_from_json(text)
    assert design.layers == (ConvTranspose2d(2, 1, 4), BatchNorm2d(1), Upsample(2.0, "nearest"))


@pytest.mark.parametrize(("layer", "message"), [
    ({"type": "ConvTranspose2d", "in_channels": 1, "out_channels": 2, "kernel_size": 2,
      "weight": [[[[1, 2], [3, 4]]]], "bias": [0, 0]},
     "\"weight\" has shape [1, 1, 2, 2] but must be [1, 2, 2, 2]"),
    ({"type": "BatchNorm2d", "num_features": 2, "running_mean": [0, 0]}, "missing: weight, bias, running_var"),
    ({"type": "BatchNorm2d", "num_features": 2, "affine": False, "weight": [1, 1],
      "running_mean": [0, 0], "running_var": [1, 1]}, "'weight' given, but with these arguments"),
    ({"type": "BatchNorm2d", "num_features": 2, "eps": "small"}, "eps must be a number"),
    ({"type": "Upsample", "mode": "bicubic"}, "mode must be one of nearest, bilinear"),
    ({"type": "ConvTranspose2d", "in_channels": 1, "out_channels": 1, "kernel_size": 2,
      "padding_mode": "reflect"}, "unknown key 'padding_mode'"),
])
def test_mistakes_are_named(layer, message) -> None:
    text = json.dumps({"format": "convdesigner-design", "version": 1,
                       "input": {"channels": 1, "height": 3, "width": 3}, "layers": [layer]})
    with pytest.raises(DesignError, match="layer 0") as error:
        design_from_json(text)
    assert message in str(error.value)


def test_the_text_is_what_a_teacher_types() -> None:
    text = design_to_json(Design(InputSpec(1, 2, 2), (ConvTranspose2d(1, 1, 3, 2), Upsample(2))))
    assert '"type": "Upsample",\n      "scale_factor": 2.0,\n      "mode": "nearest"' in text
