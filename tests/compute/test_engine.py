"""The engine runs a design exactly as the same model written by hand in PyTorch runs it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from convdesigner.compute import engine as engine_module
from convdesigner.compute.engine import Engine, build_model, run
from convdesigner.compute.explain import contributions
from convdesigner.compute.weights import materialize
from convdesigner.design.analysis import analyze
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


def every_layer_kind() -> Design:
    return Design(InputSpec(3, 20, 18), (
        Conv2d(3, 8, 3, padding=1, padding_mode="reflect"),
        ReLU(),
        MaxPool2d((2, 3), stride=(2, 1), padding=1),
        Conv2d(8, 6, (3, 2), stride=(2, 1), dilation=(1, 2), groups=2, bias=False),
        LeakyReLU(0.2),
        Conv2d(6, 4, 4, padding="same", padding_mode="replicate"),
        Sigmoid(),
        AvgPool2d(2, padding=1),
        Conv2d(4, 4, 2, groups=4, padding=(1, 0), padding_mode="circular"),
        Tanh(),
    ), seed=3)


def hand_built(design: Design) -> nn.Sequential:
    """``every_layer_kind()`` written out in PyTorch, holding the materialized parameters."""
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, padding_mode="reflect"),
        nn.ReLU(),
        nn.MaxPool2d((2, 3), stride=(2, 1), padding=1),
        nn.Conv2d(8, 6, (3, 2), stride=(2, 1), dilation=(1, 2), groups=2, bias=False),
        nn.LeakyReLU(0.2),
        nn.Conv2d(6, 4, 4, padding="same", padding_mode="replicate"),
        nn.Sigmoid(),
        nn.AvgPool2d(2, padding=1),
        nn.Conv2d(4, 4, 2, groups=4, padding=(1, 0), padding_mode="circular"),
        nn.Tanh(),
    )
    with torch.no_grad():
        for layer, module in zip(materialize(design).layers, model, strict=True):
            if isinstance(layer, Conv2d):
                module.weight.copy_(torch.from_numpy(np.array(layer.weight)))
                if layer.bias:
                    module.bias.copy_(torch.from_numpy(np.array(layer.bias_values)))
    return model.eval()


@pytest.fixture
def image() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(3, 20, 18)).astype(np.float32)


def test_run_matches_the_hand_built_model_layer_by_layer(image) -> None:
    design = every_layer_kind()
    result = run(design, image)
    expected_shapes = [info.out_shape for info in analyze(design).layers]
    assert [output.shape for output in result.outputs] == expected_shapes
    x = torch.from_numpy(image).unsqueeze(0)
    with torch.no_grad():
        for output, module in zip(result.outputs, hand_built(design), strict=True):
            x = module(x)
            assert output.dtype == np.float32
            assert torch.equal(torch.from_numpy(output), x[0])
    assert result.device == torch.device("cpu") and result.note is None and result.seconds >= 0


def test_print_model_shows_each_layers_torch_repr() -> None:
    design = every_layer_kind()
    model = build_model(design)
    assert [str(module) for module in model] == [layer.torch_repr() for layer in design.layers]
    assert str(model) == str(hand_built(design))


def test_build_model_leaves_the_global_random_state_alone() -> None:
    before = torch.get_rng_state()
    build_model(every_layer_kind())
    assert torch.equal(before, torch.get_rng_state())


def test_inputs_are_not_modified_and_outputs_are_fresh(image) -> None:
    original = image.copy()
    outputs = run(every_layer_kind(), image).outputs
    assert np.array_equal(image, original)
    for index, output in enumerate(outputs):
        assert output.flags.writeable
        assert not np.shares_memory(output, image)
        assert not any(np.shares_memory(output, other) for other in outputs[index + 1:])


def test_an_integer_image_is_converted_to_float32() -> None:
    design = Design(InputSpec(1, 6, 6), (Conv2d(1, 2, 3),))
    pixels = np.arange(36, dtype=np.uint8).reshape(1, 6, 6)
    as_float = run(design, pixels.astype(np.float32)).outputs[0]
    assert np.array_equal(run(design, pixels).outputs[0], as_float)


def test_a_design_without_layers_gives_no_outputs(image) -> None:
    assert run(Design(InputSpec(3, 20, 18)), image).outputs == ()


def test_wrong_inputs_and_invalid_designs_are_refused(image) -> None:
    with pytest.raises(ConvDesignerError, match=r"\[1, 20, 18\] but the design takes \[3, 20, 18\]"):
        run(every_layer_kind(), image[:1])
    with pytest.raises(ConvDesignerError, match="real numbers"):
        run(every_layer_kind(), image.astype(np.complex64))
    with pytest.raises(DesignError, match="in_channels"):
        run(Design(InputSpec(3, 20, 18), (Conv2d(1, 2, 3),)), image)


def test_a_missing_device_runs_on_the_cpu_with_a_note(monkeypatch, image) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    result = run(every_layer_kind(), image, device="cuda")
    assert result.device == torch.device("cpu")
    assert "CUDA was asked for but is not available here" in result.note


def test_the_engine_rebuilds_only_for_a_new_design_object(monkeypatch, image) -> None:
    builds = []

    def counting_build(design, **kwargs):
        builds.append(design)
        return build_model(design, **kwargs)

    monkeypatch.setattr(engine_module, "build_model", counting_build)
    engine = Engine("cpu")
    design = every_layer_kind()
    first = engine.compute(design, image)
    brushed = image.copy()
    brushed[0, 5, 5] += 1
    second = engine.compute(design, brushed)
    assert len(builds) == 1
    edited = design.with_layer(1, LeakyReLU(0.3))
    engine.compute(edited, image)
    assert len(builds) == 2
    for live, reference in ((first, run(design, image)), (second, run(design, brushed))):
        assert all(np.array_equal(a, b) for a, b in zip(live.outputs, reference.outputs, strict=True))


def test_a_failing_design_keeps_the_engine_usable(image) -> None:
    engine = Engine("cpu")
    design = every_layer_kind()
    engine.compute(design, image)
    with pytest.raises(DesignError):
        engine.compute(design.with_layer(0, Conv2d(2, 8, 3)), image)
    assert np.array_equal(engine.compute(design, image).outputs[-1], run(design, image).outputs[-1])


@pytest.mark.parametrize(("index", "out_channel"), [(0, 5), (3, 4), (5, 0), (8, 3)])
def test_the_engine_explains_the_focused_channel(image, index, out_channel) -> None:
    design = every_layer_kind()
    live = Engine("cpu").compute(design, image, focus=(index, out_channel))
    layer_input = image if index == 0 else live.outputs[index - 1]
    expected = contributions(materialize(design).layers[index], layer_input, out_channel)
    found = live.contributions
    assert found.in_channels == expected.in_channels
    np.testing.assert_allclose(found.partial_maps, expected.partial_maps, rtol=1e-6, atol=1e-6)
    assert found.bias == expected.bias
    np.testing.assert_allclose(found.partial_maps.sum(axis=0) + found.bias,
                               live.outputs[index][out_channel], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("focus", "message"), [
    ((1, 0), "layer 1 is not a Conv2d layer"),
    ((10, 0), "layer 10 is not a Conv2d layer"),
    ((0, 8), "has 8 output channels"),
])
def test_a_bad_focus_is_refused(image, focus, message) -> None:
    with pytest.raises(ConvDesignerError, match=message):
        Engine("cpu").compute(every_layer_kind(), image, focus=focus)


@pytest.mark.gpu
def test_cuda_agrees_with_the_cpu(image) -> None:
    design = every_layer_kind()
    on_cpu = run(design, image, device="cpu")
    on_gpu = run(design, image, device="cuda")
    assert on_gpu.device.type == "cuda" and on_gpu.note is None
    for gpu_output, cpu_output in zip(on_gpu.outputs, on_cpu.outputs, strict=True):
        np.testing.assert_allclose(gpu_output, cpu_output, rtol=1e-4, atol=1e-4)
    live = Engine("cuda").compute(design, image, focus=(3, 2))
    cpu_live = Engine("cpu").compute(design, image, focus=(3, 2))
    np.testing.assert_allclose(live.contributions.partial_maps, cpu_live.contributions.partial_maps,
                               rtol=1e-4, atol=1e-4)
