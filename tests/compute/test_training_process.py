"""What the app's training process relies on: the shared preview block gives the weights back
bit for bit, the snapshots are thinned evenly, the warm-up changes no result, and keeping freed
memory is set where it can be."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from convdesigner.compute.allocator import keep_freed_memory
from convdesigner.compute.training import Trainer, TrainSettings
from convdesigner.compute.training_process import PreviewBlock, thin
from convdesigner.compute.weights import materialize
from convdesigner.design.layers import (
    BatchNorm2d,
    Conv2d,
    Design,
    Flatten,
    InputSpec,
    Linear,
    ReLU,
)
from tests.compute.test_training import small_data, small_design


def test_the_preview_block_gives_every_tensor_back_bit_for_bit():
    design = Design(InputSpec(1, 28, 28), (
        Conv2d(1, 4, 4, 2, 1), BatchNorm2d(4), ReLU(), Conv2d(4, 3, 3, bias=False), Flatten(),
        Linear(3 * 12 * 12, 10)), seed=5)
    trainer = Trainer(design, small_data(64), TrainSettings(epochs=1, batch_size=32, device="cpu"))
    trainer.run()
    block = PreviewBlock.create(design)
    try:
        assert block.floats == sum(value.size for layer in materialize(design).layers
                                   for value in layer.parameter_values().values())
        block.write(trainer.current_tensors())
        shown = block.read()
        expected = trainer.current_design()
        assert shown == expected and shown.same_parameters(expected)
        # Each tensor is where the layout says (BatchNorm's running statistics included).
        names = [(index, name) for index, name, *_rest in block.layout]
        assert (1, "running_var") in names and (3, "bias") not in names
        # What was read is a copy: the next write does not change it.
        before = shown.layers[0].weight.copy()
        block.write({index: {name: np.zeros_like(value) for name, value in layer.items()}
                     for index, layer in trainer.current_tensors().items()})
        assert np.array_equal(shown.layers[0].weight, before)
        assert not block.read().same_parameters(expected)
    finally:
        block.close(unlink=True)


def test_a_second_handle_on_the_block_sees_what_the_first_wrote():
    design = small_design()
    trainer = Trainer(design, small_data(64), TrainSettings(epochs=1, batch_size=32, device="cpu"))
    writer = PreviewBlock.create(design)
    reader = PreviewBlock.attach(writer.name, design)
    try:
        writer.write(trainer.current_tensors())
        assert reader.read().same_parameters(trainer.current_design())
    finally:
        reader.close()
        writer.close(unlink=True)


@pytest.mark.parametrize("count, most", [(3, 48), (49, 48), (200, 48), (1000, 10), (5, 2)])
def test_snapshots_are_thinned_evenly_keeping_the_first_and_the_newest(count, most):
    kept = thin(list(range(count)), most)
    assert len(kept) == count if count <= most else most // 2 <= len(kept) <= most
    assert kept[0] == 0 and kept[-1] == count - 1
    assert kept == sorted(kept)
    if count > most and len(kept) > 3:
        gaps = np.diff(kept[:-1])
        assert gaps.max() <= 2 * gaps.min()   # spread over the run, not bunched at one end


def test_the_warm_up_changes_no_result():
    settings = TrainSettings(epochs=1, batch_size=30, lr=0.003, seed=4, device="cpu")
    data = small_data(200)          # 200 = 6 × 30 + 20: a last batch of another size
    plain = Trainer(small_design(), data, settings).run()
    warmed_trainer = Trainer(small_design(), data, settings)
    warmed_trainer.warm_up()
    warmed = warmed_trainer.run()
    assert warmed.design.same_parameters(plain.design)
    assert [step.loss for step in warmed.history] == [step.loss for step in plain.history]


def test_keeping_freed_memory_is_set_on_linux_and_left_alone_elsewhere():
    done = keep_freed_memory()
    assert done is (sys.platform.startswith("linux") and _glibc())


def _glibc() -> bool:
    import platform
    return platform.libc_ver()[0] == "glibc"
