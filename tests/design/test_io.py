"""The design file: lossless round trips, atomic saves, and a clear message for every bad file."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from convdesigner.design import (
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
from convdesigner.design.io import (
    design_from_dict,
    design_from_json,
    design_to_json,
    load_design,
    save_design,
)
from convdesigner.errors import DesignError


def a_design_with_everything() -> Design:
    rng = np.random.default_rng(7)
    # Values chosen to stress float32 printing: tiny, huge, negative zero, subnormal.
    weight = rng.standard_normal((4, 1, 3, 5)).astype(np.float32)
    weight[0, 0, 0, :4] = [1e-38, -0.0, 3.4e38, np.float32(1e-45)]
    layers = (
        Conv2d(2, 4, (3, 5), stride=(1, 2), padding=(1, 2), dilation=1, groups=2,
               padding_mode="reflect", weight=weight, bias_values=rng.standard_normal(4)),
        LeakyReLU(0.2), Sigmoid(), Tanh(), ReLU(),
        MaxPool2d(2), AvgPool2d((3, 2), stride=1, padding=(1, 0)),
        Conv2d(4, 3, 1, bias=False, padding="same"),
        Conv2d(3, 3, 3, padding="valid", dilation=(2, 1), padding_mode="circular"),
    )
    return Design(InputSpec(2, 12, 16), layers, name="Everything — 全部", seed=12345,
                  input_values=rng.random((2, 12, 16)))


def test_save_and_load_round_trips_bit_for_bit(tmp_path) -> None:
    design = a_design_with_everything()
    path = tmp_path / "lesson.json"
    save_design(design, path)
    loaded = load_design(path)
    assert loaded == design
    assert loaded.same_parameters(design)
    assert loaded.layers[0].weight.tobytes() == design.layers[0].weight.tobytes()
    assert loaded.name == "Everything — 全部"
    # And the file is what it says: readable JSON of our format.
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "convdesigner-design" and data["version"] == 1


def test_short_float_text_and_defaults_when_keys_are_absent() -> None:
    design = design_from_dict({
        "format": "convdesigner-design", "version": 1,
        "input": {"channels": 1, "height": 5, "width": 5},
        "layers": [{"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 3,
                    "weight": [[[[0.1, 0, 0], [0, 1, 0], [0, 0, -2.5]]]], "bias": [0.5]},
                   {"type": "MaxPool2d", "kernel_size": 2}],
    })
    conv = design.layers[0]
    assert conv.stride == (1, 1) and conv.padding == (0, 0) and conv.groups == 1
    assert conv.padding_mode == "zeros" and conv.bias
    assert design.layers[1].stride is None
    assert "[0.1, 0.0, 0.0]" in design_to_json(design)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(format="other"), '"format" must be "convdesigner-design"'),
    (lambda d: d.update(version=2), "version 1, the file says 2"),
    (lambda d: d.update(colour="red"), "unknown key 'colour'"),
    (lambda d: d["layers"][0].update(strid=2), "layer 0 (Conv2d): unknown key 'strid'"),
    (lambda d: d["layers"][0].update(type="Conv3d"), "unknown type 'Conv3d'"),
    (lambda d: d["layers"][0].update(kernel_size="big"), "kernel_size must be an integer or a pair"),
    (lambda d: d["layers"][0].update(kernel_size=[1, 2, 3]), "kernel_size must be an integer or a pair"),
    (lambda d: d["layers"][0].update(padding="full"), "padding must be an integer, a pair, 'same' or 'valid'"),
    (lambda d: d["layers"][0].update(padding_mode="mirror"), "padding_mode must be one of"),
    (lambda d: d["layers"][0].update(bias="yes"), '"bias" must be true, false or a list'),
    (lambda d: d["layers"][0].update(in_channels=1.5), "in_channels must be an integer"),
    (lambda d: d["layers"][0].update(in_channels=True), "in_channels must be an integer"),
    (lambda d: d["layers"][0].pop("out_channels"), 'needs "out_channels"'),
    (lambda d: d["layers"][0].update(weight=[[[[1, 2], [3, 4]]]], bias=[0.0, 0.0]),
     '"weight" has shape [1, 1, 2, 2] but must be [2, 1, 3, 3]'),
    (lambda d: d["layers"][0].update(weight=[[[[1, 2, 3], [3, 4]]]]), "ragged"),
    (lambda d: d["layers"][0].update(weight=[[[["a"]]]]), "must hold only numbers"),
    (lambda d: d["layers"][0].update(bias=[1.0]), '"bias" has shape [1] but must be [2]'),
    (lambda d: d["layers"][0].update(bias=[1e39, 0]), "too large for float32"),
    (lambda d: d["layers"][1].update(negative_slope="x"), "negative_slope must be a number"),
    (lambda d: d["input"].update(height=0), '"height" must be a whole number of at least 1'),
    (lambda d: d["input"].update(values=[[[1]]]), '"values" has shape [1, 1, 1] but must be [1, 6, 6]'),
    (lambda d: d.update(layers={}), '"layers" must be a list'),
    (lambda d: d["layers"].append(7), "layer 2 must be an object with a \"type\""),
    (lambda d: d.update(seed=-1), '"seed" must be a whole number'),
])
def test_every_bad_file_gets_its_own_message(change, message) -> None:
    data = {"format": "convdesigner-design", "version": 1, "input": {"channels": 1, "height": 6, "width": 6},
            "layers": [{"type": "Conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 3},
                       {"type": "LeakyReLU", "negative_slope": 0.2}]}
    change(data)
    with pytest.raises(DesignError) as caught:
        design_from_json(json.dumps(data))
    assert message in str(caught.value)


@pytest.mark.parametrize("text, message", [
    ("{", "is not valid JSON"),
    ('{"format": NaN}', "NaN is not a number"),
    ("[" * 100000, "nested too deeply"),
    ("[]", "must be a JSON object"),
])
def test_broken_json_is_refused_with_a_message(text, message) -> None:
    with pytest.raises(DesignError) as caught:
        design_from_json(text)
    assert message in str(caught.value)


def test_missing_and_binary_files(tmp_path) -> None:
    with pytest.raises(DesignError, match="no such file"):
        load_design(tmp_path / "nope.json")
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DesignError, match="not a text"):
        load_design(binary)
    with pytest.raises(DesignError, match="is a folder"):
        load_design(tmp_path)


def test_a_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch) -> None:
    path = tmp_path / "d.json"
    save_design(a_design_with_everything(), path)
    before = path.read_bytes()

    def broken_replace(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DesignError, match="No space left"):
        save_design(Design(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.json"]


def test_saving_into_a_missing_folder_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(DesignError, match="cannot write"):
        save_design(Design(), tmp_path / "missing" / "d.json")
