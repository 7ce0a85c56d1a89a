"""Whatever Save writes, Open reads: large arrays go to a .weights.npz beside the design file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convdesigner.design import io, sidecar
from convdesigner.design.io import load_design, save_design
from convdesigner.design.layers import Conv2d, Design, InputSpec, ReLU
from convdesigner.errors import DesignError


def big_design() -> Design:
    rng = np.random.default_rng(5)
    weight = rng.standard_normal((16, 8, 5, 5)).astype(np.float32)      # 3,200 values
    weight.flat[:3] = [np.float32(1e-45), -0.0, np.float32(3.4e38)]
    values = rng.standard_normal((8, 40, 40)).astype(np.float32)        # 12,800 values
    return Design(InputSpec(8, 40, 40), (
        Conv2d(8, 16, 5, weight=weight, bias_values=rng.standard_normal(16).astype(np.float32)),
        ReLU(),
        Conv2d(16, 2, 1, weight=np.ones((2, 16, 1, 1), np.float32), bias=False),
    ), name="big", input_values=values)


@pytest.fixture
def small_limits(monkeypatch):
    """The old limits scaled down: a design file of at most 60 kB, inline up to 1,000 values."""
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 60_000)
    monkeypatch.setattr(sidecar, "INLINE_MAX_VALUES", 1_000)
    monkeypatch.setattr(sidecar, "SIDECAR_MIN_VALUES", 100)


def same_arrays(a: Design, b: Design) -> bool:
    return a.same_parameters(b)


def test_a_design_over_the_old_limit_saves_and_opens_bit_for_bit(tmp_path, small_limits) -> None:
    design = big_design()
    inline = io.design_to_json(design)
    assert len(inline.encode()) > io.MAX_FILE_BYTES          # what Save used to write, Open refused
    path = tmp_path / "big.json"
    save_design(design, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json", "big.weights.npz"]
    assert path.stat().st_size < io.MAX_FILE_BYTES
    data = json.loads(path.read_text())
    assert data["weights_file"] == "big.weights.npz"
    assert data["layers"][0]["weight"] == "layers.0.weight" and data["layers"][0]["bias"] == "layers.0.bias"
    assert data["input"]["values"] == "input.values"
    assert isinstance(data["layers"][2]["weight"], list)              # small arrays stay inline
    loaded = load_design(path)
    assert loaded == design and same_arrays(loaded, design)
    assert loaded.layers[0].weight.tobytes() == design.layers[0].weight.tobytes()
    assert loaded.input_values.tobytes() == design.input_values.tobytes()


def test_small_designs_stay_inline(tmp_path) -> None:
    path = tmp_path / "d.json"
    save_design(big_design(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["d.json"]
    assert "weights_file" not in json.loads(path.read_text())
    assert load_design(path).same_parameters(big_design())


def test_save_refuses_what_open_would_refuse(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 1_000)         # even inline-sized designs go over
    with pytest.raises(DesignError, match=r"would be [\d,]+ bytes, more than the 1,000"):
        save_design(big_design(), tmp_path / "d.json")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_damaged_weights_file_is_named(tmp_path, small_limits) -> None:
    path = tmp_path / "big.json"
    save_design(big_design(), path)
    npz = tmp_path / "big.weights.npz"
    raw = bytearray(npz.read_bytes())
    offset = raw.index(b"\x93NUMPY") + 200                  # inside the first array's data
    raw[offset] ^= 0xFF
    npz.write_bytes(bytes(raw))
    with pytest.raises(DesignError, match="big.weights.npz is damaged"):
        load_design(path)
    npz.unlink()
    with pytest.raises(DesignError, match="keeps its weights in big.weights.npz, which is missing"):
        load_design(path)


def test_the_weights_file_must_lie_beside_the_design(tmp_path, small_limits) -> None:
    path = tmp_path / "big.json"
    save_design(big_design(), path)
    data = json.loads(path.read_text())
    data["weights_file"] = "../elsewhere.npz"
    path.write_text(json.dumps(data))
    with pytest.raises(DesignError, match="must be the name of a file in the same folder"):
        load_design(path)


def test_a_weights_file_that_would_inflate_past_the_budget_is_refused_before_reading(
        tmp_path, small_limits, monkeypatch) -> None:
    path = tmp_path / "big.json"
    save_design(big_design(), path)
    monkeypatch.setenv("CONVDESIGNER_MEMORY_BUDGET", "10000")
    monkeypatch.setattr(np.lib.format, "read_array", lambda *a, **k: pytest.fail("read an array"))
    with pytest.raises(DesignError, match=r"would unpack to [\d,]+ bytes .* at most 10,000 bytes"):
        load_design(path)
