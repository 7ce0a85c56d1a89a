"""The document: one source of truth, every edit one undo step, undo exact to the bit."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

import numpy as np
import pytest

from convdesigner.data.fit import fit_image_to_spec
from convdesigner.design import Conv2d, Design, InputSpec, LeakyReLU, MaxPool2d
from convdesigner.errors import DesignError
from convdesigner.ui.state.document import DesignDocument


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
    document.begin_stroke("Brush stroke")
    with qtbot.waitSignals([document.imageChanged] * 3):
        for value in (0.25, 0.5, 1.0):
            image = np.array(before)
            image[0, 10, 10] = value
            document.preview_image(image)
    assert not document.undo_stack.canUndo()     # nothing slips in mid-stroke
    document.end_stroke()
    assert document.undo_stack.count() == 1 and document.image[0, 10, 10] == 1.0
    assert document.undo_stack.undoText() == "Brush stroke"
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


# -- the document's edit API: every method one undo step, undo exact ----------------------------
def _snapshot(document: DesignDocument) -> tuple:
    design = document.design
    weights = tuple((layer.weight.tobytes(), None if layer.bias_values is None else layer.bias_values.tobytes())
                    for layer in design.layers if isinstance(layer, Conv2d))
    return design, weights, document.image.tobytes(), document.image_source


EDITS = {
    "add_layer": lambda d: d.add_layer("ReLU", 3),
    "insert_layer": lambda d: d.insert_layer("Conv2d", 1),
    "remove_layer": lambda d: d.remove_layer(1),
    "duplicate_layer": lambda d: d.duplicate_layer(0),
    "move_layer": lambda d: d.move_layer(0, 2),
    "set_weight": lambda d: d.set_weight(2, 5, 7, 1, 2, 0.25),
    "set_bias": lambda d: d.set_bias(0, 3, -1.5),
    "apply_preset": lambda d: d.apply_preset(0, "box_blur", "kernel", 2, 0, also_bias=True),
    "apply_init": lambda d: d.apply_preset(2, "pytorch_default", "layer", seed=7, also_bias=True),
    "zero_input_channel": lambda d: d.zero_input_channel(2, 1, 3),
    "set_image": lambda d: d.set_image(np.ones(d.image.shape, np.float32), "Fill"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_method_is_one_undo_step_and_undo_restores_exactly(document, name) -> None:
    before = _snapshot(document)
    EDITS[name](document)
    after = _snapshot(document)
    assert after != before
    assert document.undo_stack.count() == 1 and document.modified
    document.undo_stack.undo()
    assert _snapshot(document) == before
    document.undo_stack.redo()
    assert _snapshot(document) == after


def test_layer_edits_say_what_they_did(document) -> None:
    texts = []
    for edit in (lambda: document.add_layer("ReLU", 99), lambda: document.insert_layer("Tanh", -4),
                 lambda: document.move_layer(1, 0), lambda: document.move_layer(0, 1),
                 lambda: document.move_layer(0, 3), lambda: document.duplicate_layer(1),
                 lambda: document.remove_layer(0)):
        edit()
        texts.append(document.undo_stack.undoText())
    assert texts == ["Add ReLU as layer 3", "Insert Tanh as layer 0", "Move layer 1 up",
                     "Move layer 0 down", "Move layer 0 to position 3",
                     "Duplicate layer 1 (LeakyReLU)", "Remove layer 0 (Conv2d)"]
    assert document.move_layer(0, 0) is None and document.remove_layer(42) is None
    assert document.undo_stack.count() == 7


def test_zero_then_restore_are_undo_steps_and_restore_is_exact(document) -> None:
    original = np.array(document.design.layers[2].weight[4, 9])
    document.zero_input_channel(2, 4, 9)
    assert not np.any(document.design.layers[2].weight[4, 9])
    assert document.restorable_values(2, 4, 9).tobytes() == original.tobytes()
    assert document.undo_stack.undoText() == (
        "Zero sub-kernel 9 of kernel 4 of layer 2 (input channel 9)")
    document.restore_input_channel(2, 4, 9)
    assert document.design.layers[2].weight[4, 9].tobytes() == original.tobytes()
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()                     # back to zeroed: Restore possible again
    assert not np.any(document.design.layers[2].weight[4, 9])
    assert document.restorable_values(2, 4, 9) is not None
    document.undo_stack.undo()                     # before the zeroing: nothing to restore
    assert document.design.layers[2].weight[4, 9].tobytes() == original.tobytes()
    assert document.restorable_values(2, 4, 9) is None
    document.undo_stack.redo()
    assert document.restorable_values(2, 4, 9).tobytes() == original.tobytes()
    # another layer moved to that index is never "restored"
    document.edit_design(document.design.with_layer(2, Conv2d(64, 128, 3, 2, 1)), "Kernel 3")
    assert document.restorable_values(2, 4, 9) is None


def test_a_weight_stroke_is_one_step_and_undo_restores_the_weights(document) -> None:
    before = document.design.layers[0]
    document.begin_stroke("Paint sub-kernel 0 of kernel 0 of layer 0")
    for value in (0.5, 1.0, 1.5):
        values = np.array(before.weight[0, 0])
        values[0, 0] = value
        from convdesigner.design.presets import apply_to_sub_kernel
        document.preview_layer(0, apply_to_sub_kernel(before, 0, 0, values))
    assert document.design.layers[0].weight[0, 0, 0, 0] == np.float32(1.5)
    document.end_stroke()
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Paint sub-kernel 0 of kernel 0 of layer 0"
    document.undo_stack.undo()
    assert document.design.layers[0].same_parameters(before)


def test_an_empty_stroke_leaves_no_step(document) -> None:
    document.begin_stroke("Brush stroke")
    document.end_stroke()
    assert document.undo_stack.count() == 0 and not document.stroking


def test_the_image_source_follows_set_image_strokes_and_undo(document, qtbot) -> None:
    from convdesigner.ui.state.document import ImageSource
    assert document.image_source.kind == ImageSource.EDITED
    digit = ImageSource.digit("mnist:7:12", "mnist", 1234)
    with qtbot.waitSignal(document.imageSourceChanged):
        document.set_image(np.full(document.image.shape, 0.5, np.float32), "Use digit", digit)
    assert document.image_source == digit
    document.begin_stroke("Brush stroke")
    image = np.array(document.image)
    image[0, 3, 3] = 1.0
    with qtbot.waitSignal(document.imageSourceChanged):
        document.preview_image(image)
    assert document.image_source.kind == ImageSource.EDITED     # mid-stroke already
    document.end_stroke()
    document.undo_stack.undo()
    assert document.image_source == digit
    document.undo_stack.redo()
    assert document.image_source.kind == ImageSource.EDITED
    # A design edit that refits the image keeps where it came from.
    document.undo_stack.undo()
    document.edit_design(document.design.with_input(InputSpec(1, 32, 32)), "Bigger")
    assert document.image_source == digit
    # The same pixels from a file are a step too: the source changed.
    document.set_image(np.array(document.image), "Load input a.png", ImageSource.file("/x/a.png"))
    assert document.image_source == ImageSource(ImageSource.FILE, "a.png")


def test_the_selection_keeps_itself_inside_the_design(document) -> None:
    from convdesigner.ui.state.selection import INPUT, Selection
    selection = Selection(document)
    selection.select(layer=2, out_channel=127, sub_kernel=63, pixel=(3, 3))
    document.edit_design(document.design.with_layer(2, Conv2d(64, 10, 4, 2, 1, groups=2)), "Shrink")
    assert (selection.layer, selection.out_channel, selection.sub_kernel) == (2, 9, 31)
    assert selection.pixel is None
    document.remove_layer(2)
    assert selection.layer == 1
    document.remove_layer(1)
    document.remove_layer(0)
    assert selection.layer == INPUT
    document.undo_stack.undo()
    assert selection.layer == INPUT       # undo does not select anything by itself
