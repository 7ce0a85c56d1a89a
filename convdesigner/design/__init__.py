"""The pure design model: layers, designs, validation, shape arithmetic and the design file.

Imports neither torch nor Qt (a test proves it), so the command line and worker threads can use it
freely.
"""

from convdesigner.design.analysis import (
    Analysis,
    LayerInfo,
    Problem,
    analyze,
    describe_parameters,
    describe_parameters_template,
    describe_parameters_text,
    require_valid,
)
from convdesigner.design.i18n import QT_TRANSLATE_NOOP, Text
from convdesigner.design.layers import (
    LAYER_TYPES,
    PADDING_MODES,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Design,
    InputSpec,
    Layer,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
    Upsample,
)

__all__ = [
    "Analysis", "AvgPool2d", "Conv2d", "Design", "InputSpec", "LAYER_TYPES", "Layer", "LayerInfo",
    "LeakyReLU", "MaxPool2d", "PADDING_MODES", "Problem", "ReLU", "Sigmoid", "Tanh", "analyze",
    "describe_parameters", "describe_parameters_template", "describe_parameters_text", "require_valid",
    "QT_TRANSLATE_NOOP", "Text",
    "BatchNorm2d", "ConvTranspose2d", "Upsample",
]
