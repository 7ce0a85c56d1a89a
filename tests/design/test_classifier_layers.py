"""Flatten, Linear and Dropout in the design model: reprs, shapes, counts and problems, checked
against PyTorch itself, and the file format."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from torch import nn

from convdesigner.design.analysis import analyze, describe_parameters
from convdesigner.design.catalog import classifier_head, default_layer
from convdesigner.design.io import design_from_json, design_to_json
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
from convdesigner.design.numbers import shape_text
from convdesigner.errors import DesignError
from tests.oracle import torch_sequential

LEARNER = (Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1), LeakyReLU(0.2))


def learner_with_head(in_features: int = 6272) -> Design:
    return Design(InputSpec(1, 28, 28), (*LEARNER, Flatten(), Dropout(0.25), Linear(in_features, 10)))


@pytest.mark.parametrize(("layer", "module"), [
    (Flatten(), nn.Flatten()),
    (Dropout(), nn.Dropout()),
    (Dropout(0.25), nn.Dropout(0.25)),
    (Dropout(0), nn.Dropout(0.0)),  # the layer keeps p a float, as the engine builds it
    (Linear(6272, 10), nn.Linear(6272, 10)),
    (Linear(3, 7, bias=False), nn.Linear(3, 7, bias=False)),
])
def test_torch_repr_is_pytorchs(layer, module):
    assert layer.torch_repr() == repr(module)


def test_shapes_parameters_and_macs_match_torch():
    design = Design(InputSpec(1, 28, 28), (
        Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2),
        Flatten(), Linear(400, 120), ReLU(), Dropout(0.1), Linear(120, 84), ReLU(),
        Linear(84, 10, bias=False)))
    analysis = analyze(design)
    assert analysis.valid, analysis.problems
    torch.manual_seed(0)
    model = torch_sequential(design).eval()
    x = torch.zeros(1, 1, 28, 28)
    for info, module in zip(analysis.layers, model, strict=True):
        assert info is not None
        x = module(x)
        assert info.out_shape == tuple(x.shape[1:])
        assert info.parameters == sum(p.numel() for p in module.parameters())
    linear = analysis.layers[7]
    assert linear is not None and linear.macs == 400 * 120
    assert analysis.output_shape == (10,)
    assert analysis.layers[12] is not None and analysis.layers[12].biases == 0


def test_vectors_read_as_counts():
    analysis = analyze(learner_with_head())
    flat = analysis.layers[4]
    assert flat is not None and flat.out_shape == (6272,)
    assert shape_text(flat.out_shape) == "6,272"
    assert shape_text(flat.out_shape, "spaced") == "6,272"
    assert shape_text(flat.out_shape, "list") == "[6272]"
    assert "128·7·7 = 6,272" in flat.formula[0]
    linear = analysis.layers[6]
    assert linear is not None
    assert describe_parameters(linear) == "Layer 6: 10 outputs × 6,272 inputs = 62,720 weights + 10 biases"
    # Each Linear output reads every input value: the whole image.
    assert linear.receptive_field == (28, 28)


def test_wrong_in_features_names_the_numbers():
    problems = analyze(learner_with_head(6000)).problems
    assert [(p.layer, p.field) for p in problems] == [(6, "in_features")]
    assert problems[0].message == ("layer 6 (Linear) expects 6,000 inputs, but layer 5 gives "
                                   "6,272 = 128×7×7: set in_features=6272")
    assert problems[0].text.template  # translatable


def test_linear_on_maps_asks_for_a_flatten():
    design = Design(InputSpec(1, 28, 28), (*LEARNER, Linear(6272, 10)))
    (problem,) = analyze(design).problems
    assert problem.message == ("layer 4 (Linear) expects a vector of 6,272 values, but gets "
                               "128×7×7 maps (6,272 values): add a Flatten before it")


def test_conv_after_flatten_is_refused_with_the_count():
    design = Design(InputSpec(1, 28, 28), (*LEARNER, Flatten(), Conv2d(128, 8, 3)))
    (problem,) = analyze(design).problems
    assert "layer 5 (Conv2d) works on C×H×W maps, but it gets a vector of 6,272 values" in problem.message
    # Pools too; activations work on vectors.
    assert analyze(Design(InputSpec(1, 4, 4), (Flatten(), MaxPool2d(2)))).problems
    assert analyze(Design(InputSpec(1, 4, 4), (Flatten(), ReLU(), LeakyReLU()))).valid


@pytest.mark.parametrize(("layer", "field", "text"), [
    (Linear(0, 10), "in_features", "in_features must be at least 1, got 0"),
    (Linear(16, 0), "out_features", "out_features must be at least 1, got 0"),
])
def test_bad_linear_arguments(layer, field, text):
    design = Design(InputSpec(1, 4, 4), (Flatten(), layer))
    problems = analyze(design).problems
    assert problems[0].field == field and text in problems[0].message


def test_dropout_probability_must_be_one():
    (problem,) = analyze(Design(InputSpec(1, 4, 4), (Dropout(1.5),))).problems
    assert problem.field == "p" and "p=1.5 must be between 0 and 1" in problem.message
    with pytest.raises(DesignError, match="p must be a number"):
        Dropout("half")  # type: ignore[arg-type]


def test_wrongly_shaped_linear_weight():
    layer = Linear(16, 10, weight=np.zeros((10, 15), np.float32))
    (problem,) = analyze(Design(InputSpec(1, 4, 4), (Flatten(), layer))).problems
    assert problem.field == "weight" and "[10, 15]" in problem.message and "[10, 16]" in problem.message


def test_file_round_trip_is_bit_for_bit():
    rng = np.random.default_rng(1)
    linear = Linear(16, 3, weight=rng.normal(size=(3, 16)).astype(np.float32),
                    bias_values=rng.normal(size=3).astype(np.float32))
    design = Design(InputSpec(1, 4, 4), (Flatten(), Dropout(0.2), linear, Linear(3, 2, bias=False)))
    text = design_to_json(design)
    data = json.loads(text)
    assert data["layers"][0] == {"type": "Flatten"}
    assert data["layers"][1] == {"type": "Dropout", "p": 0.2}
    assert data["layers"][2]["in_features"] == 16 and len(data["layers"][2]["weight"]) == 3
    assert len(data["layers"][2]["bias"]) == 3
    assert data["layers"][3] == {"type": "Linear", "in_features": 3, "out_features": 2, "bias": False}
    back = design_from_json(text)
    assert back == design and back.same_parameters(design)


@pytest.mark.parametrize(("layer", "message"), [
    ({"type": "Linear", "in_features": 4}, 'needs "out_features"'),
    ({"type": "Linear", "in_features": 4, "out_features": 2, "weight": [[1, 2, 3, 4]] * 2,
      "bias": [1]}, '"bias" has shape [1] but must be [2]'),
    ({"type": "Linear", "in_features": 4, "out_features": 2, "weight": [[1, 2, 3]] * 2,
      "bias": [1, 2]}, '"weight" has shape [2, 3] but must be [2, 4]'),
    ({"type": "Linear", "in_features": 4, "out_features": 2, "weight": [[1, 2, 3, 4]] * 2},
     "missing: bias"),
    ({"type": "Linear", "in_features": 4, "out_features": 2, "bias": "yes"}, '"bias" must be'),
    ({"type": "Flatten", "start_dim": 0}, "unknown key 'start_dim'"),
    ({"type": "Dropout", "p": "x"}, "p must be a number"),
])
def test_file_errors_name_the_part(layer, message):
    text = json.dumps({"format": "convdesigner-design", "version": 1,
                       "input": {"channels": 1, "height": 2, "width": 2}, "layers": [layer]})
    with pytest.raises(DesignError) as error:
        design_from_json(text)
    assert message in str(error.value)


def test_default_layers_fit_their_place():
    design = Design(InputSpec(1, 28, 28), LEARNER)
    analysis = analyze(design)
    assert default_layer("Linear", design, analysis, 4) == Linear(6272, 10)
    assert default_layer("Flatten", design, analysis, 4) == Flatten()
    flattened = design.with_inserted(4, Flatten())
    # A Conv2d after a Flatten does not take 6,272 channels from the vector.
    conv = default_layer("Conv2d", flattened, analyze(flattened), 5)
    assert isinstance(conv, Conv2d) and conv.in_channels == 128


def test_classifier_head_is_sized_to_the_output():
    design = Design(InputSpec(1, 28, 28), LEARNER)
    assert classifier_head(design, analyze(design)) == (Flatten(), Linear(6272, 10))
    flat = design.with_inserted(4, Flatten())
    assert classifier_head(flat, analyze(flat)) == (Linear(6272, 10),)
    broken = design.with_layer(2, Conv2d(3, 128, 4, 2, 1))
    assert classifier_head(broken, analyze(broken)) is None
