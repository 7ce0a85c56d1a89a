"""The document: one source of truth, every edit one undo step, undo exact to the bit."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

import numpy as np
import pytest

from convdesigner.design import Conv2d, Design, InputSpec, LeakyReLU, MaxPool2d
from convdesigner.design.examples import learner_design
from convdesigner.errors import DesignError
from convdesigner.ui.state.document import DesignDocument
from convdesigner.data.fit import fit_image_to_spec


@pytest.fixture
def document(qapp) -> DesignDocument:
    return DesignDocument(learner_design())


def test_opening_gives_every_conv_its_parameters_as_torch_would_seed_them(document) -> None:
    import torch
    from torch import nn
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1))
    for index in (0, 2):
        layer = document.design.layers[index]
        assert np.array_equal(layer.weight, model[index].weight.detach().numpy())
        assert np.array_equal(layer.bias_values, model[index].bias.detach().numpy())


def test_an_edit_is_one_undo_step_and_undo_redo_are_exact(document) -> None:
    before = document.design
    grown = before.with_layer(2, replace(before.layers[2], out_channels=130))
    document.edit_design(grown, "Set out_channels of layer 2 to 130")
    assert document.undo_stack.count() == 1 and document.modified
    after = document.design
    # The 128 kernels that were there are kept bit for bit; two new ones were added.
    assert after.layers[2].weight.shape == (130, 64, 4, 4)
    assert np.array_equal(after.layers[2].weight[:128], before.layers[2].weight)
    document.undo_stack.undo()
    assert document.design.same_parameters(before)
    document.undo_stack.redo()
    assert document.design.same_parameters(after)
    assert document.undo_stack.undoText() == "Set out_channels of layer 2 to 130"


def test_an_invalid_edit_is_kept_while_the_last_valid_design_stays(document) -> None:
    valid = document.design
    document.edit_design(valid.with_layer(2, Conv2d(64, 128, 4, 2, 1, groups=3)), "Set groups")
    assert not document.analysis.valid
    assert "groups=3 must divide in_channels=64" in document.analysis.first_problem_message()
    assert document.last_valid_design is valid
    document.undo_stack.undo()
    assert document.analysis.valid and document.design is valid


def test_a_stroke_previews_live_and_commits_as_one_step(document, qtbot) -> None:
    before = np.array(document.image)
    with qtbot.waitSignals([document.imageChanged] * 3):
        for value in (0.25, 0.5, 1.0):
            image = np.array(before)
            image[0, 10, 10] = value
            document.preview_image(image)
    assert document.undo_stack.count() == 0
    document.commit_image(before, "Brush stroke")
    assert document.undo_stack.count() == 1 and document.image[0, 10, 10] == 1.0
    document.undo_stack.undo()
    assert np.array_equal(document.image, before)
    document.undo_stack.redo()
    assert document.image[0, 10, 10] == 1.0


def test_changing_the_input_shape_refits_the_image_and_undo_gives_the_pixels_back(document) -> None:
    rng = np.random.default_rng(0)
    document.set_image(rng.random((1, 28, 28), dtype=np.float32), "Random input")
    pixels = np.array(document.image)
    bigger = document.design.with_input(InputSpec(1, 32, 32))
    document.edit_design(bigger, "Set input size to 32×32")
    assert document.image.shape == (1, 32, 32)
    assert np.array_equal(document.image[:, 2:30, 2:30], pixels)  # centred, as LeNet did
    document.undo_stack.undo()
    assert np.array_equal(document.image, pixels)


def test_save_marks_clean_and_keeps_the_input_and_open_restores_everything(document, tmp_path) -> None:
    document.set_image(np.full((1, 28, 28), 0.5, np.float32), "Grey")
    document.edit_design(document.design.with_inserted(3, MaxPool2d(2)), "Add pool")
    path = tmp_path / "lesson.json"
    document.save(path)
    assert not document.modified and document.path == path
    other = DesignDocument(Design(InputSpec(1, 8, 8), (Conv2d(1, 1, 3),)))
    other.open(path)
    assert other.design.same_parameters(document.design.with_input_values(document.image))
    assert np.array_equal(other.image, document.image)
    assert not other.modified and other.undo_stack.count() == 0


def test_open_of_a_broken_file_changes_nothing(document, tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "convdesigner-design", "version": 1, "layers": 3}')
    design, image = document.design, np.array(document.image)
    with pytest.raises(DesignError):
        document.open(broken)
    assert document.design is design and np.array_equal(document.image, image)


def test_fit_image_converts_channels() -> None:
    rgb = np.zeros((3, 4, 4), np.float32)
    rgb[0] = 1.0
    gray = fit_image_to_spec(rgb, InputSpec(1, 4, 4))
    assert np.allclose(gray, 0.299)
    back = fit_image_to_spec(gray, InputSpec(3, 4, 4))
    assert back.shape == (3, 4, 4) and np.allclose(back, 0.299)


def test_an_edit_that_changes_nothing_pushes_nothing(document) -> None:
    document.edit_design(document.design.with_layer(1, LeakyReLU(0.2)), "Same")
    assert document.undo_stack.count() == 0
