"""Limits before work: memory and time are estimated from the design and refused before allocating."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from torch import nn

from convdesigner.cli import main
from convdesigner.compute import engine as engine_module
from convdesigner.compute import weights as weights_module
from convdesigner.compute.engine import Engine, run
from convdesigner.compute.weights import default_init_values, initialize_conv, materialize
from convdesigner.design import budget
from convdesigner.design.analysis import MAX_VALUES_PER_TENSOR, analyze
from convdesigner.design.budget import (
    BUDGET_ENV,
    check_memory,
    estimate_memory,
    estimate_seconds,
    memory_budget,
    parse_bytes,
)
from convdesigner.design.examples import learner_design
from convdesigner.design.layers import Conv2d, Design, InputSpec, ReLU
from convdesigner.errors import DesignError, ResourceError

MB = 1000**2


def relu_tower(count: int = 101) -> Design:
    """The issue's case, scaled down: ``count`` ReLU outputs of 1 MB each (256 MB each in the issue)."""
    return Design(InputSpec(1, 512, 512), tuple(ReLU() for _ in range(count)))


@pytest.fixture
def no_allocation(monkeypatch):
    """Fail the test if anything builds a module, a model or a big tensor."""
    def refuse(*args, **kwargs):
        raise AssertionError("allocated although the design was refused")
    monkeypatch.setattr(weights_module, "seeded_sequential", refuse)
    monkeypatch.setattr(engine_module, "build_model", refuse)
    monkeypatch.setattr(nn.Conv2d, "__init__", refuse)
    monkeypatch.setattr(torch, "empty", refuse)


def test_the_estimate_counts_weights_twice_every_output_partial_maps_and_a_margin() -> None:
    design = learner_design()  # 1×28×28 → 64×14×14 → 64×14×14 → 128×7×7
    estimate = estimate_memory(design)
    parameters = 64 * 16 + 64 + 128 * 64 * 16 + 128
    assert estimate.parameters == parameters * 4 * 2
    assert estimate.outputs == (28 * 28 + 2 * 64 * 14 * 14 + 128 * 7 * 7) * 4
    assert estimate.partial_maps == 64 * 7 * 7 * 4            # in_per_group × H_out × W_out floats
    assert estimate.working == (64 * 14 * 14 + 64 * 14 * 14) * 4
    assert estimate.margin == budget.MARGIN_BYTES + int(
        (estimate.parameters + estimate.outputs + estimate.partial_maps + estimate.working) * 0.25)
    exact = estimate_memory(design, exact=True)
    assert exact.parameters == parameters * (8 + 8)           # plus the float64 model
    assert exact.working > estimate.working                   # the float64 convolution unfolds its input
    assert estimate.total == sum((estimate.parameters, estimate.outputs, estimate.partial_maps,
                                  estimate.working, estimate.margin))


def test_101_relu_outputs_are_counted_all_together() -> None:
    estimate = estimate_memory(relu_tower())
    assert estimate.outputs == 102 * 512 * 512 * 4
    problem = check_memory(relu_tower(), budget=100 * MB)
    assert problem is not None and problem.layer is None
    assert problem.message == "this design needs ~203 MB of memory; the memory budget is 100 MB"
    assert check_memory(relu_tower(), budget=300 * MB) is None


def test_the_budget_follows_the_machine_or_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(BUDGET_ENV, raising=False)
    monkeypatch.setattr(budget, "machine_memory", lambda: 7_800_000_000)
    found = memory_budget()
    assert (found.available, found.limit, found.overridden) == (7_800_000_000, 6_240_000_000, False)
    big = Design(InputSpec(64, 1024, 1024), tuple(ReLU() for _ in range(30)))
    assert check_memory(big).message == (
        "this design needs ~11.1 GB of memory; this machine has 7.8 GB free (a computation may use "
        "6.2 GB of it)")
    monkeypatch.setenv(BUDGET_ENV, "2GiB")
    assert memory_budget().limit == 2 * 1024**3 and memory_budget().overridden
    monkeypatch.setattr(budget, "machine_memory", lambda: None)
    monkeypatch.delenv(BUDGET_ENV)
    assert memory_budget().limit is None and check_memory(big) is None   # unknown: nothing refused


def test_the_machine_reports_its_free_memory() -> None:
    free = budget.machine_memory()
    assert free is None or free > 0


@pytest.mark.parametrize("text, value", [("2G", 2 * 10**9), ("512MiB", 512 * 1024**2),
                                         ("1e9", 10**9), ("123", 123), (" 4 gb ", 4 * 10**9)])
def test_sizes_are_parsed(text: str, value: int) -> None:
    assert parse_bytes(text) == value


@pytest.mark.parametrize("text", ["", "-1G", "lots", "2X", "nan"])
def test_bad_sizes_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_bytes(text)


def test_run_and_the_engine_refuse_before_allocating(no_allocation) -> None:
    design = relu_tower()
    image = np.zeros(design.input.shape, np.float32)
    with pytest.raises(ResourceError, match=r"needs ~203 MB of memory; the memory budget is 100 MB"):
        run(design, image, budget=100 * MB)
    with pytest.raises(ResourceError) as caught:
        Engine("cpu", budget=100 * MB).compute(design, image)
    assert isinstance(caught.value, DesignError)             # the app's existing handlers catch it
    assert caught.value.text.render() == str(caught.value)


def test_the_exact_mode_is_checked_on_its_own(monkeypatch) -> None:
    design = Design(InputSpec(64, 64, 64), (Conv2d(64, 64, 7, padding=3),))
    image = np.zeros(design.input.shape, np.float32)
    normal, exact = estimate_memory(design).total, estimate_memory(design, exact=True).total
    engine = Engine("cpu", budget=(normal + exact) // 2)
    assert engine.compute(design, image).outputs[0].shape == (64, 64, 64)
    with pytest.raises(ResourceError):
        engine.compute(design, image, exact=True)


def test_weight_initialisation_refuses_before_allocating(no_allocation) -> None:
    layer = Conv2d(64, 128, 64)                 # 33.5 M weights: shown live, but 403 MB to initialise
    with pytest.raises(ResourceError, match=r"initialising Conv2d\(64, 128, kernel_size=\(64, 64\).*"
                                            r"needs ~4\d\d MB of memory; the memory budget is 100 MB"):
        default_init_values(layer, seed=0, budget=100 * MB)
    with pytest.raises(ResourceError):
        initialize_conv(layer, seed=0, budget=100 * MB)
    design = Design(InputSpec(64, 70, 70), (layer,))
    with pytest.raises(ResourceError, match="initialising the weights needs"):
        materialize(design, budget=100 * MB)


def test_kernel_size_128_on_the_opening_design_is_refused_before_any_weight_is_made(no_allocation) -> None:
    design = learner_design()
    edited = design.with_layer(2, Conv2d(64, 128, 128, 2, 1))   # 128·64·128·128 weights = 537 MB
    problems = analyze(edited).problems
    assert problems[0].message == ("layer 2 (Conv2d): weight 128×64×128×128 = 134,217,728 values is "
                                   f"more than this app can show live ({MAX_VALUES_PER_TENSOR:,})")
    with pytest.raises(ResourceError, match="134,217,728 values"):
        initialize_conv(edited.layers[2].without_parameters(), seed=0)   # whatever the budget


def test_a_4_gib_weight_design_is_refused_by_the_cli_in_one_line(tmp_path, capsys, monkeypatch,
                                                                    no_allocation) -> None:
    layers = [{"type": "Conv2d", "in_channels": 2048, "out_channels": 2048, "kernel_size": 4,
               "padding": "same"}] * 17          # 17 × 67 M weights = 4.6 GB of float32
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"format": "convdesigner-design", "version": 1,
                                "input": {"channels": 2048, "height": 4, "width": 4}, "layers": layers}))
    monkeypatch.setenv(BUDGET_ENV, "8G")
    for argv in (["run", str(path), "--out", str(tmp_path / "o.npz")],
                 ["explain", str(path), "--layer", "16", "--channel", "0", "--at", "0", "0"],
                 ["export", str(path), "-o", str(tmp_path / "m.py"), "--weights", str(tmp_path / "m.pt")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "needs ~" in err and "the memory budget is 8.0 GB" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json"]
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Memory for one run: ~11.5 GB" in out and "Time for one run: about 3.7 seconds on a CPU" in out


def test_compute_that_would_take_forever_is_estimated_warned_about_and_refused(tmp_path, capsys) -> None:
    slow = Design(InputSpec(512, 256, 256), tuple(Conv2d(512, 512, 11, padding=5) for _ in range(20)))
    cost = estimate_seconds(slow)
    assert cost.macs == 20 * 512 * 512 * 121 * 256 * 256
    assert cost.seconds == pytest.approx(cost.macs / 5e9) and cost.too_slow
    assert str(cost) == ("this computation takes about 2.3 hours (4.2e+13 multiply-accumulates at "
                         "about 5e+09 per second on the cpu)")
    assert estimate_seconds(slow, "cuda").seconds == pytest.approx(cost.seconds / 100)
    assert not estimate_seconds(learner_design()).slow
    from convdesigner.design.io import save_design
    path = tmp_path / "slow.json"
    save_design(slow, path)
    assert main(["run", str(path), "--out", str(tmp_path / "o.npz"), "--device", "cpu"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("convdesigner: error: this computation takes about 2.3 hours") and "--force" in err
    warned = Design(InputSpec(512, 64, 64), tuple(Conv2d(512, 512, 3, padding=1) for _ in range(12)))
    save_design(warned, path)
    # Slow but allowed: one warning line, then the run goes on (here to the missing input).
    assert main(["run", str(path), "--out", str(tmp_path / "o.npz"), "--device", "cpu"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == ("convdesigner: warning: this computation takes about 23 seconds (1.2e+11 "
                        "multiply-accumulates at about 5e+09 per second on the cpu)")
    assert "no input values" in lines[1]
