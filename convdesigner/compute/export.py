"""A design as PyTorch code a student can paste into a notebook, and its weights as a state_dict.

:func:`generate_code` writes a self-contained module: imports, a docstring, ``build_model()``
returning the ``nn.Sequential`` with a shape comment per layer, and a ``__main__`` block that
prints the model and runs a zero input. The code reproduces the app's model bit for bit, by one of
three means:

* no ``Conv2d`` holds explicit parameters: ``torch.manual_seed(SEED)`` before the layers are
  built redraws exactly the weights :func:`~convdesigner.compute.weights.materialize` drew;
* a weights file is given: ``build_model(weights_path=...)`` loads the state_dict written by
  :func:`save_weights`, with ``torch.load(..., weights_only=True)``;
* otherwise the explicit parameters are written inline (at most :data:`MAX_INLINE_VALUES` values)
  as float literals that read back to the same float32, and any others are seeded as above.

Safety: the generated code is built only from validated numbers and fixed strings. The one free
text of a design, its ``name``, appears only as ``repr(name)`` inside a comment, where ``repr``
keeps it on one line (newlines and other control characters are escaped), so no design file can
inject code.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import torch

from convdesigner import __version__
from convdesigner.atomic import atomic_output
from convdesigner.compute.engine import build_model
from convdesigner.compute.modules import module_call
from convdesigner.design.analysis import Analysis, require_valid
from convdesigner.design.io import _shortest_float_text as shortest_float_text
from convdesigner.design.layers import BatchNorm2d, ConvTranspose2d, Design, Layer
from convdesigner.errors import ConvDesignerError

#: Most explicit parameter values written into generated code; beyond it, export a weights file.
MAX_INLINE_VALUES = 4096
_INDENT = "    "


def save_weights(design: Design, path: str | os.PathLike[str]) -> None:
    """Write the design's materialized parameters as a ``torch.save``'d state_dict, atomically.

    Keys are as ``nn.Sequential`` names them (``"0.weight"``, ``"0.bias"``, ...); tensors are
    float32 on the CPU. Raises :class:`DesignError` for an invalid design and
    :class:`ConvDesignerError` when ``path`` cannot be written (nothing is left behind then).
    """
    state = build_model(design).state_dict()
    with atomic_output(path) as stream:
        try:
            torch.save(state, stream)
        except RuntimeError as error:  # how torch's zip writer reports a failed write (full disk)
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "write failed"
            raise ConvDesignerError(f"cannot write {path}: {reason}") from None


def _explicit_parameters(design: Design) -> list[tuple[int, str, np.ndarray]]:
    """``(layer index, tensor name, values)`` for every parameter the design gives itself."""
    return [(index, name, values)
            for index, layer in enumerate(design.layers)
            for name, values in layer.parameter_values().items() if values is not None]


def _needs_seed(design: Design) -> bool:
    return any(not layer.has_explicit_parameters for layer in design.layers)


def _float_literal(values: list[Any]) -> str:
    """Nested lists of floats as source: innermost rows on one line, deeper levels one per line.

    Each float32 is written as the shortest decimal that reads back (through float64, as Python
    reads it, then to float32 by ``torch.tensor``) to the same float32: ``0.1``, not
    ``0.10000000149011612`` -- exactly as the design file writes it.
    """
    def render(item: list[Any], depth: int) -> str:   # ndarray.tolist(): lists nested to any depth
        if not item or not isinstance(item[0], list):
            return "[" + ", ".join(shortest_float_text(value) for value in item) + "]"
        inner = _INDENT * (depth + 1)
        rows = "".join(f"{inner}{render(row, depth + 1)},\n" for row in item)
        return f"[\n{rows}{_INDENT * depth}]"

    return render(values, 0)


def _shape(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(size) for size in shape) + "]"


def _docstring(design: Design, analysis: Analysis, provenance: str) -> str:
    count = len(design.layers)
    output_shape = analysis.output_shape
    assert output_shape is not None  # require_valid: every layer of a valid design has a shape
    return (
        '"""A convolutional network designed in ConvDesigner.\n'
        "\n"
        f"Input: {_shape(design.input.shape)} (channels, height, width); "
        f"output: {_shape(output_shape)}.\n"
        f"{count} layer{'s' if count != 1 else ''}, {analysis.total_parameters:,} parameters, "
        f"{analysis.total_macs:,} multiply-accumulates per image.\n"
        f"{provenance}\n"
        "\n"
        "Run this file to print the model and pass an all-zero image through it.\n"
        '"""'
    )


def _provenance(seeded: bool, inline: bool, weights_file: str | None) -> str:
    """Where the parameters come from, for the docstring."""
    if weights_file is not None:
        return "Its parameters are loaded from WEIGHTS_FILE, a state_dict saved by ConvDesigner."
    if seeded and inline:
        return ("Weights set in the design are written below; the others are PyTorch's default\n"
                "initialisation after torch.manual_seed(SEED), as ConvDesigner showed them.")
    if seeded:
        return ("Its weights are PyTorch's default initialisation after torch.manual_seed(SEED),\n"
                "the very values ConvDesigner showed.")
    return "Its weights are written below, exactly as they were in the design."


def _constant_name(index: int, kind: str) -> str:
    return f"LAYER_{index}_{kind.upper()}"


def _layout(layer: Layer, kind: str) -> str:
    """How tensor ``kind`` of ``layer`` is nested, for the comment above its literal."""
    if isinstance(layer, ConvTranspose2d):
        return ("[in_channels][out_channels / groups][kernel height][kernel width]"
                if kind == "weight" else "[out_channels]")
    if isinstance(layer, BatchNorm2d):
        return "[num_features]"
    return ("[out_channels][in_channels / groups][kernel height][kernel width]"
            if kind == "weight" else "[out_channels]")


def _constants(design: Design, seeded: bool, inline: list[tuple[int, str, np.ndarray]],
               weights_file: str | None) -> list[str]:
    lines = [f"INPUT_SHAPE = {design.input.shape!r}  # (channels, height, width)"]
    if seeded:
        lines.append(f"SEED = {design.seed!r}")
    if weights_file is not None and os.path.isabs(weights_file):
        lines.append(f"WEIGHTS_FILE = {weights_file!r}")
    elif weights_file is not None:
        # A relative name is looked for beside this file, so `python path/to/model.py` works from
        # any folder; pasted into a notebook (no __file__), in the current folder.
        lines += ["# Beside this file when run as a script; in the current folder in a notebook.",
                  "_HERE = os.path.dirname(os.path.abspath(__file__)) if \"__file__\" in globals() "
                  "else os.getcwd()",
                  f"WEIGHTS_FILE = os.path.join(_HERE, {weights_file!r})"]
    for index, kind, values in inline:
        layout = _layout(design.layers[index], kind)
        literal = _float_literal(values.astype(np.float64).tolist())
        lines += ["", f"# Layer {index}'s {kind}, {layout}.",
                  f"{_constant_name(index, kind)} = {literal}"]
    return lines


def _build_function(analysis: Analysis, seeded: bool, inline: list[tuple[int, str, np.ndarray]],
                    weights_file: str | None) -> list[str]:
    one, two = _INDENT, _INDENT * 2
    signature = "weights_path: str = WEIGHTS_FILE" if weights_file is not None else ""
    lines = [f"def build_model({signature}) -> nn.Sequential:",
             f'{one}"""Return the network, in evaluation mode, with the design\'s parameters."""']
    if seeded:
        lines += [f"{one}# Seeding right before the layers are created makes PyTorch's default "
                  "initialisation",
                  f"{one}# draw the same weights every time.",
                  f"{one}torch.manual_seed(SEED)"]
    if analysis.layers:
        lines.append(f"{one}model = nn.Sequential(")
        for info in analysis.layers:
            assert info is not None  # require_valid: every layer of a valid design has a shape
            lines += [f"{two}# {_shape(info.in_shape)} -> {_shape(info.out_shape)}",
                      f"{two}{module_call(info.layer).source()},"]
        lines.append(f"{one})")
    else:
        lines.append(f"{one}model = nn.Sequential()  # no layers: the output is the input")
    if inline:
        lines.append(f"{one}with torch.no_grad():")
        lines += [f"{two}model[{index}].{kind}.copy_(torch.tensor({_constant_name(index, kind)}))"
                  for index, kind, _ in inline]
    if weights_file is not None:
        lines += [f"{one}# weights_only=True reads tensors only, never arbitrary pickled objects.",
                  f"{one}model.load_state_dict(torch.load(weights_path, weights_only=True))"]
    lines.append(f"{one}return model.eval()")
    return lines


_MAIN_BLOCK = f"""\
if __name__ == "__main__":
{_INDENT}model = build_model()
{_INDENT}print(model)
{_INDENT}with torch.no_grad():
{_INDENT * 2}output = model(torch.zeros(1, *INPUT_SHAPE))
{_INDENT}print("output shape:", tuple(output.shape))"""


def generate_code(design: Design, weights_file: str | None = None) -> str:
    """Python source that builds ``design`` as ``nn.Sequential`` with the design's parameters.

    ``weights_file``: the path the code loads a state_dict from (written by :func:`save_weights`);
    it appears in the code as ``repr(weights_file)``. Without it, explicit parameters are written
    inline; more than :data:`MAX_INLINE_VALUES` values raise :class:`ConvDesignerError` asking for
    a weights file. Raises :class:`DesignError` for an invalid design.
    """
    analysis = require_valid(design)
    inline = [] if weights_file is not None else _explicit_parameters(design)
    inline_values = sum(values.size for _, _, values in inline)
    if inline_values > MAX_INLINE_VALUES:
        raise ConvDesignerError(
            f"the design's own weights hold {inline_values:,} values, too many to write into the "
            f"code (at most {MAX_INLINE_VALUES:,}); export them to a weights file as well "
            "(on the command line: --weights model.pt)")
    seeded = weights_file is None and _needs_seed(design)

    header = [f"# Generated by ConvDesigner {__version__}."]
    if design.name:
        header.append(f"# Design: {design.name!r}")
    header.append(_docstring(design, analysis, _provenance(seeded, bool(inline), weights_file)))
    needs_os = weights_file is not None and not os.path.isabs(weights_file)
    preamble = "\n".join(header) + ("\n\nimport os\n\n" if needs_os else "\n\n") + \
        "import torch\nfrom torch import nn"
    constants = "\n".join(_constants(design, seeded, inline, weights_file))
    function = "\n".join(_build_function(analysis, seeded, inline, weights_file))
    # PEP 8 layout: two blank lines between top-level sections.
    return "\n\n\n".join([preamble, constants, function, _MAIN_BLOCK]) + "\n"
