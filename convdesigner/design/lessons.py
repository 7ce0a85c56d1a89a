"""Lessons: ready-made designs a teacher opens from "New from Example", each with a short explanation.

Each :class:`Lesson` builds a fresh :class:`~convdesigner.design.layers.Design`. Lessons that need
an input of their own (exact numbers to check by hand, a picture with clear edges) carry it as the
design's ``input_values``; the others leave it out, so the app keeps the digit on screen (padded or
cropped to the lesson's input size, the way LeNet-5 padded 28×28 digits to 32×32).

Explanations are plain English text, one paragraph for a first course on CNNs; text between
backticks is code (the lesson panel shows it in a monospace font). Titles, explanations and design
names are marked with :func:`~convdesigner.design.i18n.QT_TRANSLATE_NOOP` under the context
``"lessons"``; the app translates them when it shows them.

Pure Python plus numpy: no torch, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from convdesigner.design.examples import learner_design
from convdesigner.design.i18n import QT_TRANSLATE_NOOP
from convdesigner.design.layers import (
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Design,
    Flatten,
    InputSpec,
    Layer,
    Linear,
    MaxPool2d,
    ReLU,
    Tanh,
    Upsample,
)


@dataclass(frozen=True)
class Lesson:
    """A starting point: ``key`` (stable, for settings and tests), ``title`` (menu text),
    ``explanation`` (one paragraph) and ``build()``, which returns a new design each time.
    ``training``: for a lesson meant to be trained, the Train panel settings it suggests
    (``lr``, ``batch_size``, ``epochs``, ``schedule``; the app fills them in when the lesson
    opens)."""

    key: str
    title: str
    explanation: str
    build: Callable[[], Design]
    training: Mapping[str, float | str] | None = None


# -- the classic worked example ------------------------------------------------------------------
# The numbers of examples/worked-example.json (the CS231n convolution demo's layout): a 3×5×5 input
# and two 3×3×3 kernels, stride 2, padding 1, biases 1 and 0. Integers, so outputs can be checked by
# hand.
WORKED_INPUT = (
    ((1, 2, 0, 1, 2),
     (1, 0, 2, 2, 0),
     (2, 0, 0, 2, 2),
     (0, 0, 2, 2, 0),
     (2, 2, 2, 1, 2)),
    ((2, 0, 0, 1, 1),
     (1, 0, 2, 1, 2),
     (2, 0, 2, 2, 1),
     (0, 2, 0, 0, 1),
     (1, 2, 1, 2, 0)),
    ((0, 0, 2, 1, 2),
     (0, 1, 0, 2, 0),
     (1, 1, 0, 0, 2),
     (0, 0, 0, 1, 1),
     (0, 1, 2, 0, 2)),
)
WORKED_WEIGHT = (
    (((-1, -1, 0), (1, 1, 1), (1, 1, 0)),
     ((1, 1, -1), (0, 0, 0), (1, 1, -1)),
     ((0, -1, 0), (-1, 0, -1), (1, 0, 1))),
    (((-1, 0, 0), (1, 1, 1), (-1, -1, 0)),
     ((1, -1, -1), (-1, 1, -1), (1, -1, 0)),
     ((1, -1, 0), (0, 1, 1), (1, 0, 1))),
)
WORKED_BIAS = (1, 0)
WORKED_NAME = QT_TRANSLATE_NOOP("lessons", "Worked example: 3 channels, two 3×3 kernels, stride 2, "
                                           "padding 1 (CS231n)")

# -- Sobel kernels ---------------------------------------------------------------------------------
# PyTorch's Conv2d is a cross-correlation (the kernel is not flipped), so SOBEL_X is positive where
# the image gets brighter to the right, SOBEL_Y where it gets brighter downwards.
SOBEL_X = ((-1, 0, 1),
           (-2, 0, 2),
           (-1, 0, 1))
SOBEL_Y = ((-1, -2, -1),
           (0, 0, 0),
           (1, 2, 1))


def worked_example() -> Design:
    layer = Conv2d(3, 2, 3, stride=2, padding=1,
                   weight=np.array(WORKED_WEIGHT, dtype=np.float32),
                   bias_values=np.array(WORKED_BIAS, dtype=np.float32))
    return Design(InputSpec(3, 5, 5), (layer,), name=WORKED_NAME, seed=0,
                  input_values=np.array(WORKED_INPUT, dtype=np.float32))


def lenet5() -> Design:
    return Design(
        InputSpec(1, 32, 32),
        (Conv2d(1, 6, 5), Tanh(), AvgPool2d(2), Conv2d(6, 16, 5), Tanh(), AvgPool2d(2)),
        name=QT_TRANSLATE_NOOP("lessons", "LeNet-5: the convolutional part (LeCun et al., 1998)"), seed=0)


def lenet5_to_train() -> Design:
    return Design(
        InputSpec(1, 28, 28),
        (Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2),
         Flatten(), Linear(400, 10)),
        name=QT_TRANSLATE_NOOP("lessons", "LeNet-5, ready to train"), seed=0)


#: What the "LeNet-5, ready to train" lesson suggests (measured by benchmarks/train.py: 96.25,
#: 96.50 and 97.00 % held-out after 3 epochs with seeds 0, 1 and 2).
LENET5_TRAINING: dict[str, float | str] = {"lr": 0.005, "batch_size": 32, "epochs": 3}
#: What the lesson "LeNet-5 (convolutional part)" suggests once it has a head: Adam with a
#: learning rate falling from 0.01 to 0 (measured by benchmarks/train.py: 96.45, 96.00, 96.00,
#: 95.75 and 95.50 % held-out after 3 epochs with seeds 0 to 4; at a constant rate no setting
#: tried reached 95 % reliably).
LENET5_1998_TRAINING: dict[str, float | str] = {"lr": 0.01, "batch_size": 16, "epochs": 3,
                                                "schedule": "linear"}


def _shapes_picture() -> np.ndarray:
    """1×28×28 in [0, 1]: a bright square and a bright disc on black, edges in every direction."""
    rows, cols = np.mgrid[0:28, 0:28]
    image = np.zeros((28, 28), dtype=np.float32)
    image[5:15, 3:13] = 1.0                                       # square: vertical and horizontal edges
    image[(rows - 18.5) ** 2 + (cols - 18.5) ** 2 <= 6.5 ** 2] = 1.0  # disc: edges of every slope
    return image[None]


def sobel_edges() -> Design:
    weight = np.array([[SOBEL_X], [SOBEL_Y]], dtype=np.float32)   # [2, 1, 3, 3]
    layer = Conv2d(1, 2, 3, padding=1, weight=weight, bias_values=np.zeros(2, dtype=np.float32))
    return Design(InputSpec(1, 28, 28), (layer,),
                  name=QT_TRANSLATE_NOOP("lessons", "Edge detectors: Sobel x and y"), seed=0,
                  input_values=_shapes_picture())


def _colour_picture() -> np.ndarray:
    """3×32×32 in [0, 1], a different pattern per channel: vertical stripes in red, horizontal
    stripes in green, a disc in blue -- so each channel's own kernel has something of its own."""
    rows, cols = np.mgrid[0:32, 0:32]
    red = ((cols // 4) % 2).astype(np.float32)
    green = ((rows // 4) % 2).astype(np.float32)
    blue = ((rows - 15.5) ** 2 + (cols - 15.5) ** 2 <= 10.0 ** 2).astype(np.float32)
    return np.stack([red, green, blue])


def depthwise_separable() -> Design:
    return Design(InputSpec(3, 32, 32),
                  (Conv2d(3, 3, 3, padding=1, groups=3), Conv2d(3, 8, 1)),
                  name=QT_TRANSLATE_NOOP("lessons", "Depthwise-separable convolution"), seed=0,
                  input_values=_colour_picture())


def dilated() -> Design:
    return Design(InputSpec(1, 28, 28),
                  (Conv2d(1, 4, 3, dilation=2), ReLU(), Conv2d(4, 4, 3, dilation=4)),
                  name=QT_TRANSLATE_NOOP("lessons", "Dilated convolution"), seed=0)


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "learner", QT_TRANSLATE_NOOP("lessons", "The learner's MNIST discriminator"),
        QT_TRANSLATE_NOOP("lessons",
            "This is the network from the question ConvDesigner was built to answer: the first layers "
            "of a GAN discriminator for 28×28 MNIST digits. `Conv2d(1, 64, 4, 2, 1)` slides 64 kernels "
            "of 4×4 over the one-channel digit, two pixels at a time, after adding one pixel of zero "
            "padding all round, so each of its 64 feature maps is 14×14: (28 + 2·1 − 4) / 2 + 1 = 14. "
            "`LeakyReLU(0.2)` keeps negative values but shrinks them to a fifth. The second "
            "`Conv2d(64, 128, 4, 2, 1)` has 128 kernels, and each kernel has 64 sub-kernels of 4×4, one "
            "for every feature map it reads: an output map is the sum of 64 partial maps plus a bias. "
            "Select a kernel to see those partial maps and their sum."),
        learner_design),
    Lesson(
        "lenet5", QT_TRANSLATE_NOOP("lessons", "LeNet-5 (convolutional part)"),
        QT_TRANSLATE_NOOP("lessons",
            "LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998) read handwritten digits for banks and is "
            "the ancestor of today's CNNs. Its 28×28 digits were padded to 32×32 so that strokes near "
            "the border still fall under a whole kernel. `Conv2d(1, 6, 5)` makes six 28×28 feature "
            "maps, `Tanh` squashes them into (−1, 1), and `AvgPool2d(2)` averages each 2×2 block, "
            "halving the size to 14×14. The second `Conv2d(6, 16, 5)` combines all six maps into "
            "sixteen 10×10 maps, pooled again to 16×5×5 = 400 numbers; in the full network, "
            "fully connected layers then turn these into ten digit scores. (The 1998 paper connected "
            "each of the sixteen maps to only some of the six; here every kernel reads all six, as "
            "modern re-implementations do.) To train it, open the Train panel and click \"Add a "
            "classifier head\" (`Flatten` and `Linear(400, 10)`): the digits are trained on as you "
            "see them here, centred on the 32×32 input. The panel is filled in for this network: "
            "Adam with a learning rate that falls from 0.01 to 0 over the run, batch size 16, 3 "
            "epochs. It ends near 96 % held-out, a few seconds later."),
        lenet5, LENET5_1998_TRAINING),
    Lesson(
        "lenet5-train", QT_TRANSLATE_NOOP("lessons", "LeNet-5, ready to train"),
        QT_TRANSLATE_NOOP("lessons",
            "LeNet-5 as it is usually written today, with a classifier head, so that you can train "
            "it on the bundled digits. `padding=2` on the 28×28 digit does what LeNet's 32×32 "
            "border did. `ReLU` and `MaxPool2d` take the place of `Tanh` and `AvgPool2d`, as in "
            "PyTorch's own tutorial: the network learns faster. `Flatten` turns the 16×5×5 maps "
            "into 400 numbers and `Linear(400, 10)` into ten digit scores. Open the Train panel: "
            "the learning rate (0.005), batch size (32) and epochs (3) are filled in, and a run "
            "takes a few seconds. Held-out accuracy ends near 96 %. Watch the six first-layer "
            "kernels turn from noise into stroke detectors in the tab \"All kernels\", and drag "
            "the snapshot slider afterwards to see how they got there."),
        lenet5_to_train, LENET5_TRAINING),
    Lesson(
        "worked-example", QT_TRANSLATE_NOOP("lessons", "Worked example: 3×5×5 input, stride 2, padding 1"),
        QT_TRANSLATE_NOOP("lessons",
            "The classic example worked by hand (as in Stanford's CS231n notes): a 3-channel 5×5 input "
            "of small integers, zero-padded by one pixel, and two 3×3×3 kernels moving two pixels at a "
            "time, with biases 1 and 0. The output is 2×3×3: (5 + 2·1 − 3) / 2 + 1 = 3. Each output "
            "number is the sum of 27 products, nine per input channel, plus the bias. Pick an output "
            "pixel, multiply the highlighted 3×3 patches by the kernel's three sub-kernels yourself, add "
            "the bias, and compare with the value PyTorch computed: they are integers, so they match "
            "exactly."),
        worked_example),
    Lesson(
        "sobel", QT_TRANSLATE_NOOP("lessons", "Edge detectors: Sobel kernels"),
        QT_TRANSLATE_NOOP("lessons",
            "A kernel is a pattern detector, and the Sobel kernels are the classic hand-made ones. "
            "`Conv2d(1, 2, 3, padding=1)` here holds two fixed kernels with bias 0: Sobel x, "
            "[[−1, 0, 1], [−2, 0, 2], [−1, 0, 1]], answers where the image gets brighter from left to "
            "right, and Sobel y, its transpose, where it gets brighter from top to bottom. Flat regions "
            "give 0 because each kernel's numbers add up to 0. Look at the square: Sobel x lights up "
            "its left edge (positive) and right edge (negative) and ignores its top and bottom; the "
            "disc shows how the response turns with the edge's slope. A trained first layer often "
            "learns kernels much like these. (PyTorch's Conv2d does not flip the kernel: it computes a "
            "cross-correlation.)"),
        sobel_edges),
    Lesson(
        "depthwise-separable", QT_TRANSLATE_NOOP("lessons", "Depthwise-separable convolution"),
        QT_TRANSLATE_NOOP("lessons",
            "A normal `Conv2d(3, 8, 3)` gives each of its 8 kernels a 3×3 sub-kernel for every input "
            "channel: 8 × 3 × 3 × 3 = 216 weights. A depthwise-separable convolution (used in "
            "MobileNet) splits this into two cheaper steps. The depthwise step, `Conv2d(3, 3, 3, "
            "padding=1, groups=3)`, gives every channel its own single 3×3 kernel and never mixes "
            "channels (27 weights): see how the red stripes, green stripes and blue disc are filtered "
            "separately. The pointwise step, `Conv2d(3, 8, 1)`, then mixes the channels with 1×1 "
            "kernels (24 weights): each output map is a weighted sum of the three filtered maps. "
            "Together 51 weights instead of 216 (plus biases), for a similar receptive field."),
        depthwise_separable),
    Lesson(
        "dilated", QT_TRANSLATE_NOOP("lessons", "Dilated convolution"),
        QT_TRANSLATE_NOOP("lessons",
            "Dilation spreads a kernel's taps apart without adding weights. `Conv2d(1, 4, 3, "
            "dilation=2)` still has 3×3 weights per kernel, but they read pixels two apart, so each "
            "kernel covers a 5×5 area: 2·(3 − 1) + 1 = 5, and the 28×28 input becomes 24×24. After "
            "`ReLU`, `Conv2d(4, 4, 3, dilation=4)` spaces its taps four apart and covers 9×9, giving "
            "16×16 maps. Stacking dilations lets one output pixel see a 13×13 region of the input with "
            "only two small layers and no pooling, which is why dilated convolutions are popular for "
            "segmentation and audio (WaveNet)."),
        dilated),
)


def lesson_by_key(key: str) -> Lesson:
    """The lesson called ``key``; ``KeyError`` naming the known keys when there is none."""
    for lesson in LESSONS:
        if lesson.key == key:
            return lesson
    raise KeyError(f"no lesson {key!r}; lessons: {', '.join(each.key for each in LESSONS)}")


# -- the generator's lessons: transposed convolutions and their checkerboard ----------------------

def generator_mirror() -> Design:
    """The learner's discriminator run backwards: 128×7×7 random numbers (the seed-0 normal values
    NumPy's ``default_rng(0)`` draws, as the input editor's "random normal" makes them) → 1×28×28."""
    noise = np.random.default_rng(0).standard_normal((128, 7, 7), dtype=np.float32)
    return Design(InputSpec(128, 7, 7),
                  (ConvTranspose2d(128, 64, 4, 2, 1), BatchNorm2d(64), ReLU(),
                   ConvTranspose2d(64, 1, 4, 2, 1), Tanh()),
                  name=QT_TRANSLATE_NOOP("lessons", "The generator's mirror"), seed=0,
                  input_values=noise)


def _flat_upsampler(layers: tuple[Layer, ...], name: str) -> Design:
    """``layers`` on a flat 8×8 input of ones, every weight 1 and bias 0 (a Conv2d's weights
    1/9), so that each output value counts how much of the input reaches it."""
    filled: list[Layer] = []
    for layer in layers:
        shapes = layer.parameter_shapes() or {}
        values = {name: np.ones(shape, dtype=np.float32) if name == "weight"
                  else np.zeros(shape, dtype=np.float32) for name, shape in shapes.items()}
        if isinstance(layer, Conv2d):
            values["weight"] = values["weight"] / np.float32(layer.weight_shape[2] * layer.weight_shape[3])
        filled.append(layer.with_parameter_values(values) if layer.has_parameters else layer)
    return Design(InputSpec(1, 8, 8), tuple(filled), name=name, seed=0,
                  input_values=np.ones((1, 8, 8), dtype=np.float32))


def checkerboard_kernel3() -> Design:
    return _flat_upsampler((ConvTranspose2d(1, 1, 3, 2, 1, output_padding=1),),
                           QT_TRANSLATE_NOOP("lessons", "Checkerboard: kernel 3, stride 2"))


def checkerboard_kernel4() -> Design:
    return _flat_upsampler((ConvTranspose2d(1, 1, 4, 2, 1),),
                           QT_TRANSLATE_NOOP("lessons", "No checkerboard: kernel 4, stride 2"))


def checkerboard_upsample() -> Design:
    return _flat_upsampler((Upsample(2.0), Conv2d(1, 1, 3, padding=1)),
                           QT_TRANSLATE_NOOP("lessons", "No checkerboard: Upsample + Conv2d"))


_CHECKERBOARD_TEXT = QT_TRANSLATE_NOOP(
    "lessons",
    "Three ways to double an 8×8 map to 16×16, each given a flat input of ones and all-one "
    "weights, so every output value counts what reaches it. With `ConvTranspose2d(1, 1, 3, 2, 1, "
    "output_padding=1)` each input pixel stamps a 3×3 patch two pixels after its neighbour: 3 is "
    "not divisible by 2, so output pixels receive 1, 2 or 4 stamps and the flat input comes out as "
    "a grid of 1s, 2s and 4s, the checkerboard of Odena, Dumoulin and Olah (Distill, 2016). With "
    "`ConvTranspose2d(1, 1, 4, 2, 1)` the stamps overlap evenly, 2 × 2 = 4 everywhere away from "
    "the border. `Upsample(scale_factor=2)` followed by `Conv2d(1, 1, 3, padding=1)`, what the "
    "article recommends, first repeats pixels and then smooths them, so nothing is stamped twice. "
    "Open the three lessons one after another and look at the Checkerboard tab and the output map.")

GENERATOR_LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "generator", QT_TRANSLATE_NOOP("lessons", "The generator's mirror"),
        QT_TRANSLATE_NOOP("lessons",
            "The learner's discriminator shrinks a 1×28×28 digit to 64×14×14 and then 128×7×7 with "
            "`Conv2d(1, 64, 4, 2, 1)` and `Conv2d(64, 128, 4, 2, 1)`. A GAN's generator walks the "
            "same road backwards, from 128×7×7 random numbers to a 1×28×28 image. "
            "`ConvTranspose2d(128, 64, 4, 2, 1)` lets each of the 7×7 input pixels stamp its 4×4 "
            "sub-kernels, scaled by its value, onto a 14×14 output, two pixels after its neighbour: "
            "(7 − 1)·2 − 2·1 + (4 − 1) + 1 = 14. Its weight is 128 × 64 × 4 × 4, input channels "
            "first, the mirror of Conv2d's order. `BatchNorm2d(64)` brings each channel to mean 0 "
            "and variance 1 with its running statistics, then scales and shifts it; `ReLU` keeps "
            "the positive part; `ConvTranspose2d(64, 1, 4, 2, 1)` makes the 28×28 image and `Tanh` "
            "squeezes it into (−1, 1), the range of the training digits. Open the tab \"How a "
            "transposed convolution is made\" to see the stamps, and the same result as an ordinary "
            "convolution of a zero-stretched input with the flipped kernel."),
        generator_mirror),
    Lesson("checkerboard-k3", QT_TRANSLATE_NOOP("lessons", "Checkerboard: kernel 3, stride 2"),
           _CHECKERBOARD_TEXT, checkerboard_kernel3),
    Lesson("checkerboard-k4", QT_TRANSLATE_NOOP("lessons", "No checkerboard: kernel 4, stride 2"),
           _CHECKERBOARD_TEXT, checkerboard_kernel4),
    Lesson("checkerboard-upsample", QT_TRANSLATE_NOOP("lessons", "No checkerboard: Upsample + Conv2d"),
           _CHECKERBOARD_TEXT, checkerboard_upsample),
)
LESSONS = (*LESSONS, *GENERATOR_LESSONS)
