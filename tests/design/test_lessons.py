"""The lessons: every one is a valid design of the stated layers, and the worked example's numbers
are the ones of examples/worked-example.json, checked against PyTorch and by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from convdesigner.design.analysis import analyze
from convdesigner.design.examples import learner_design
from convdesigner.design.io import load_design
from convdesigner.design.layers import AvgPool2d, Conv2d, ReLU, Tanh
from convdesigner.design.lessons import (
    LESSONS,
    SOBEL_X,
    SOBEL_Y,
    Lesson,
    lesson_by_key,
    worked_example,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.key for lesson in LESSONS])
def test_every_lesson_is_a_valid_design_with_an_explanation(lesson: Lesson) -> None:
    design = lesson.build()
    analysis = analyze(design)
    assert analysis.valid, analysis.first_problem_message()
    assert lesson.title and design.name
    text = lesson.explanation
    assert len(text) > 200 and "\n" not in text, "one paragraph of plain text"
    assert text.count("`") % 2 == 0, "code spans are closed"
    if design.input_values is not None:
        assert design.input_values.shape == design.input.shape
    # build() makes a fresh, equal design every time.
    again = lesson.build()
    assert again is not design and again.same_parameters(design)


def test_the_lessons_of_the_course_have_unique_keys() -> None:
    keys = [lesson.key for lesson in LESSONS]
    assert keys == ["learner", "lenet5", "lenet5-train", "worked-example", "sobel",
                    "depthwise-separable", "dilated", "generator", "checkerboard-k3",
                    "checkerboard-k4", "checkerboard-upsample"]
    assert lesson_by_key("sobel") is LESSONS[4]
    with pytest.raises(KeyError, match="lessons: learner"):
        lesson_by_key("nope")


def test_the_learner_lesson_is_the_learners_design() -> None:
    assert lesson_by_key("learner").build() == learner_design()


def test_lenet5_is_the_convolutional_part_of_lecun_1998() -> None:
    design = lesson_by_key("lenet5").build()
    assert design.input.shape == (1, 32, 32)
    assert design.layers == (Conv2d(1, 6, 5), Tanh(), AvgPool2d(2), Conv2d(6, 16, 5), Tanh(),
                             AvgPool2d(2))
    shapes = [info.out_shape for info in analyze(design).layers]
    assert shapes == [(6, 28, 28), (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 10, 10), (16, 5, 5)]
    assert design.input_values is None  # the digit on screen, padded to 32×32


def test_the_worked_example_has_the_numbers_of_the_example_file() -> None:
    built = worked_example()
    from_file = load_design(EXAMPLES / "worked-example.json")
    assert built == from_file
    assert built.same_parameters(from_file)  # weights, biases and input values, bit for bit
    layer = built.layers[0]
    assert layer == Conv2d(3, 2, 3, stride=2, padding=1)
    assert layer.bias_values.tolist() == [1.0, 0.0]
    assert np.all(built.input_values == np.round(built.input_values))


def hand_convolution(image: np.ndarray, weight: np.ndarray, bias: np.ndarray, stride: int,
                     padding: int) -> np.ndarray:
    """Convolution the way it is worked on the board: pad, slide, multiply, add (float64)."""
    padded = np.pad(image.astype(np.float64), ((0, 0), (padding, padding), (padding, padding)))
    out_channels, _, kh, kw = weight.shape
    height = (padded.shape[1] - kh) // stride + 1
    width = (padded.shape[2] - kw) // stride + 1
    out = np.zeros((out_channels, height, width))
    for o in range(out_channels):
        for y in range(height):
            for x in range(width):
                patch = padded[:, y * stride:y * stride + kh, x * stride:x * stride + kw]
                out[o, y, x] = float(np.sum(patch * weight[o])) + float(bias[o])
    return out


def test_the_worked_example_output_is_what_torch_and_a_hand_computation_give() -> None:
    torch = pytest.importorskip("torch")
    from convdesigner.compute.engine import run
    design = worked_example()
    layer = design.layers[0]
    conv = torch.nn.Conv2d(3, 2, 3, stride=2, padding=1)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(layer.weight))
        conv.bias.copy_(torch.tensor(layer.bias_values))
        expected = conv(torch.tensor(design.input_values)[None])[0]
    output = run(design, design.input_values).outputs[0]
    assert output.shape == (2, 3, 3)
    assert torch.equal(torch.from_numpy(output), expected)
    by_hand = hand_convolution(design.input_values, layer.weight, layer.bias_values, 2, 1)
    assert np.array_equal(output.astype(np.float64), by_hand)
    assert np.all(by_hand == np.round(by_hand))  # integers a class can check


def test_the_sobel_lesson_holds_the_sobel_kernels_and_finds_the_edges_it_says() -> None:
    design = lesson_by_key("sobel").build()
    layer = design.layers[0]
    assert design.input.shape == (1, 28, 28) and layer == Conv2d(1, 2, 3, padding=1)
    assert layer.weight.tolist() == [[list(map(list, SOBEL_X))], [list(map(list, SOBEL_Y))]]
    assert layer.weight[0, 0].tolist() == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert layer.weight[1, 0].tolist() == [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
    assert layer.bias_values.tolist() == [0.0, 0.0]
    image = design.input_values
    sobel_x = hand_convolution(image, layer.weight, layer.bias_values, 1, 1)[0]
    # The square spans rows 5-14, columns 3-12: its left edge is positive, its right edge negative,
    # and the middle of its top edge gives no x-response.
    assert sobel_x[9, 3] > 0 and sobel_x[9, 12] < 0 and sobel_x[5, 8] == 0


def test_the_depthwise_separable_and_dilated_lessons() -> None:
    separable = lesson_by_key("depthwise-separable").build()
    assert separable.input.shape == (3, 32, 32)
    assert separable.layers == (Conv2d(3, 3, 3, padding=1, groups=3), Conv2d(3, 8, 1))
    assert [info.out_shape for info in analyze(separable).layers] == [(3, 32, 32), (8, 32, 32)]
    assert separable.input_values is not None and separable.input_values.shape == (3, 32, 32)
    dilated = lesson_by_key("dilated").build()
    assert dilated.input.shape == (1, 28, 28)
    assert dilated.layers == (Conv2d(1, 4, 3, dilation=2), ReLU(), Conv2d(4, 4, 3, dilation=4))
    infos = analyze(dilated).layers
    assert infos[-1].out_shape == (4, 16, 16) and infos[-1].receptive_field == (13, 13)


def test_lessons_import_neither_torch_nor_qt(subprocess_env) -> None:
    code = "import sys, convdesigner.design.lessons; print('\\n'.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env=subprocess_env).stdout.split()
    assert not {name.split(".")[0] for name in loaded} & {"torch", "PySide6", "shiboken6", "pyqtgraph"}

