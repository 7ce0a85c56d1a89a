"""The command line: ``convdesigner info | run | explain | export``.

    convdesigner info DESIGN [--json]
    convdesigner run DESIGN [--input FILE] --out OUT.npz [--device auto|cpu|cuda|mps]
    convdesigner explain DESIGN [--input FILE] --layer L --channel O --at Y X [--json]
    convdesigner export DESIGN -o model.py [--weights model.pt]

Exit status 0 on success and 2 on any error (argparse's usage errors included). An error is one
line on stderr, ``convdesigner: error: ...``, without a traceback; output files are written
atomically, so a failed command leaves none behind. A device that is asked for but missing is not
an error: the run falls back to the CPU and says so as ``convdesigner: note: ...``.

Importing this module imports neither Qt nor torch. The subcommands that compute import
:mod:`convdesigner.compute` (and with it torch, which takes a moment to load) when they run, so
``info`` stays quick. Run it as ``python -m convdesigner.cli``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from convdesigner.data.loaders import load_array_file
from convdesigner.design.analysis import Analysis, LayerInfo, describe_parameters, require_valid
from convdesigner.design.io import load_design
from convdesigner.design.layers import Conv2d, Design
from convdesigner.errors import ConvDesignerError

if TYPE_CHECKING:  # the real import would load torch
    from convdesigner.compute.explain import PixelExplanation

PROG = "convdesigner"
EXIT_ERROR = 2


def _shape_text(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(size) for size in shape) + "]"


def _pair_text(pair: Sequence[int]) -> str:
    return f"{pair[0]}×{pair[1]}"


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _json_text(value: Any, level: int = 0) -> str:
    """JSON indented by structure, with each list of plain numbers (a kernel row) on one line."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(key)}: {_json_text(item, level + 1)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        items = [inner + _json_text(item, level + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


# -- info ------------------------------------------------------------------------------------------

def _parameter_arithmetic(info: LayerInfo) -> str:
    # describe_parameters starts "Layer N: ", which the output already says where it is shown.
    return describe_parameters(info).removeprefix(f"Layer {info.index}: ")


def _info_table(analysis: Analysis) -> list[str]:
    header = ("#", "layer", "output", "parameters", "MACs", "receptive field", "jump")
    rows = [header]
    for info in analysis.layers:
        assert info is not None  # require_valid: every layer of a valid design has a shape
        rows.append((str(info.index), info.layer.torch_repr(), _shape_text(info.out_shape),
                     f"{info.parameters:,}", f"{info.macs:,}", _pair_text(info.receptive_field),
                     _pair_text(info.jump)))
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    numeric = {0, 3, 4}
    return ["  ".join(cell.rjust(width) if column in numeric else cell.ljust(width)
                      for column, (cell, width) in enumerate(zip(row, widths))).rstrip()
            for row in rows]


def _info_text(design: Design, analysis: Analysis) -> str:
    title = f"Design {design.name!r}: input" if design.name else "Input"
    lines = [f"{title} {_shape_text(design.input.shape)} (channels, height, width), "
             f"seed {design.seed}", ""]
    if design.layers:
        lines += _info_table(analysis)
    else:
        lines.append("No layers: the output is the input.")
    lines += ["", f"Total: {analysis.total_parameters:,} parameters, {analysis.total_macs:,} "
              f"multiply-accumulates per image; output {_shape_text(analysis.output_shape)}"]
    for info in analysis.layers:
        assert info is not None
        lines += ["", f"Layer {info.index}: {info.layer.torch_repr()}"]
        lines += [f"  {formula}" for formula in info.formula]
        lines.append(f"  {_parameter_arithmetic(info)}")
    return "\n".join(lines)


def _info_layer_data(info: LayerInfo) -> dict[str, Any]:
    return {
        "index": info.index, "type": info.kind, "torch": info.layer.torch_repr(),
        "in_shape": list(info.in_shape), "out_shape": list(info.out_shape),
        "parameters": info.parameters, "weights": info.weights, "biases": info.biases,
        "macs": info.macs, "receptive_field": list(info.receptive_field), "jump": list(info.jump),
        "formula": list(info.formula),
        "parameter_arithmetic": _parameter_arithmetic(info),
    }


def _info_data(design: Design, analysis: Analysis) -> dict[str, Any]:
    return {
        "name": design.name, "seed": design.seed, "input": list(design.input.shape),
        "layers": [_info_layer_data(info) for info in analysis.layers if info is not None],
        "total_parameters": analysis.total_parameters, "total_macs": analysis.total_macs,
        "output_shape": list(analysis.output_shape),
    }


def _command_info(args: argparse.Namespace) -> int:
    design = load_design(args.design)
    analysis = require_valid(design)
    if args.json:
        print(_json_text(_info_data(design, analysis)))
    else:
        print(_info_text(design, analysis))
    return 0


# -- run -------------------------------------------------------------------------------------------

def _input_image(input_file: str | None, design: Design) -> np.ndarray:
    """float32 [C, H, W]: the ``--input`` file, else the values the design file carries."""
    if input_file is not None:
        return load_array_file(input_file, channels=design.input.channels)
    if design.input_values is not None:
        return design.input_values
    raise ConvDesignerError("the design holds no input values; give an input with --input FILE "
                            "(an image, a .npy or IDX file, or mnist:7)")


def _note(text: str) -> None:
    print(f"{PROG}: note: {_one_line(text)}", file=sys.stderr)


def _command_run(args: argparse.Namespace) -> int:
    from convdesigner.compute.engine import run
    from convdesigner.atomic import atomic_output

    design = load_design(args.design)
    require_valid(design)
    image = _input_image(args.input, design)
    # Opened first, so that an unwritable destination fails before any work is done.
    with atomic_output(args.out) as stream:
        result = run(design, image, device=args.device)
        if result.note:
            _note(result.note)
        layer_outputs = {str(index): output for index, output in enumerate(result.outputs)}
        np.savez(stream, input=image, **layer_outputs)
    count = len(result.outputs)
    print(f"wrote {args.out}: the input and {count} layer output{'s' if count != 1 else ''} "
          f"(computed on {result.device} in {result.seconds * 1000:.1f} ms)")
    return 0


# -- explain ---------------------------------------------------------------------------------------

def _conv_layer(design: Design, index: int) -> Conv2d:
    count = len(design.layers)
    if not 0 <= index < count:
        listed = f" (0 to {count - 1})" if count else ""
        raise ConvDesignerError(f"there is no layer {index}: the design has {count} layer"
                                f"{'s' if count != 1 else ''}{listed}")
    layer = design.layers[index]
    if not isinstance(layer, Conv2d):
        convs = ", ".join(map(str, design.conv_indices())) or "none"
        raise ConvDesignerError(f"layer {index} is a {layer.kind}; explain needs a Conv2d layer "
                                f"(Conv2d layers: {convs})")
    return layer


def _grid(values: np.ndarray, padded: np.ndarray | None = None) -> list[str]:
    """A 2-D array as right-aligned text rows; padded cells get a ``*``."""
    # "+ 0.0" shows a negative zero (a product with a padded 0) as 0.
    cells = [[f"{value + 0.0:.6g}" + ("*" if padded is not None and padded[r, c] else "")
              for c, value in enumerate(row)] for r, row in enumerate(values.tolist())]
    width = max(len(cell) for row in cells for cell in row)
    return ["  ".join(cell.rjust(width) for cell in row) for row in cells]


def _side_by_side(columns: list[tuple[str, list[str]]]) -> list[str]:
    widths = [max(len(title), *(len(line) for line in lines)) for title, lines in columns]
    gap = "    "
    rows = [gap.join(title.ljust(width) for (title, _), width in zip(columns, widths))]
    for lines in zip(*(lines for _, lines in columns)):
        rows.append(gap.join(line.ljust(width) for line, width in zip(lines, widths)))
    return ["  " + row.rstrip() for row in rows]


def _explain_text(index: int, layer: Conv2d, explanation: PixelExplanation) -> str:
    count = len(explanation.terms)
    lines = [f"Layer {index}: {layer.torch_repr()}",
             f"Output channel {explanation.out_channel} at (y={explanation.y}, x={explanation.x}) "
             f"= bias + Σ over its {count} input channel{'s' if count != 1 else ''} of "
             "Σ(patch × sub-kernel)"]
    if any(term.padded.any() for term in explanation.terms):
        lines.append(f"(* marks padding: cells outside the input, filled by "
                     f"padding_mode={layer.padding_mode!r})")
    for term in explanation.terms:
        lines += ["", f"Input channel {term.in_channel}, rows {', '.join(map(str, term.rows))}; "
                  f"columns {', '.join(map(str, term.cols))}"]
        lines += _side_by_side([("patch", _grid(term.patch, term.padded)),
                                ("sub-kernel", _grid(term.sub_kernel)),
                                ("products", _grid(term.products))])
        lines.append(f"  sum = {term.sum + 0.0:.8g}")
    lines += ["",
              f"bias  = {explanation.bias + 0.0:.8g}",
              f"total = {explanation.total + 0.0:.8g}   (sums + bias, in float64)",
              f"value = {explanation.value + 0.0:.8g}   (PyTorch's float32 result)"]
    return "\n".join(lines)


def _explain_data(index: int, explanation: PixelExplanation) -> dict[str, Any]:
    return {
        "layer": index, "out_channel": explanation.out_channel, "y": explanation.y,
        "x": explanation.x, "value": explanation.value, "bias": explanation.bias,
        "total": explanation.total,
        "terms": [{"in_channel": term.in_channel, "rows": term.rows.tolist(),
                   "cols": term.cols.tolist(), "patch": term.patch.tolist(),
                   "padded": term.padded.tolist(), "sub_kernel": term.sub_kernel.tolist(),
                   "products": term.products.tolist(), "sum": term.sum}
                  for term in explanation.terms],
    }


def _command_explain(args: argparse.Namespace) -> int:
    from convdesigner.compute.engine import run
    from convdesigner.compute.explain import explain_pixel
    from convdesigner.compute.weights import materialize

    design = materialize(load_design(args.design))  # validates the design too
    layer = _conv_layer(design, args.layer)
    image = _input_image(args.input, design)
    layer_input = image
    if args.layer > 0:
        # Only the layers before the explained one need to run.
        layer_input = run(replace(design, layers=design.layers[:args.layer]), image).outputs[-1]
    y, x = args.at
    explanation = explain_pixel(layer, layer_input, args.channel, y, x)
    if args.json:
        print(_json_text(_explain_data(args.layer, explanation)))
    else:
        print(_explain_text(args.layer, layer, explanation))
    return 0


# -- export ----------------------------------------------------------------------------------------

def _command_export(args: argparse.Namespace) -> int:
    from convdesigner.compute.export import generate_code, save_weights
    from convdesigner.atomic import atomic_output

    if args.weights is not None and Path(args.weights).resolve() == Path(args.output).resolve():
        raise ConvDesignerError(
            "the code (-o) and the weights (--weights) must go to different files")
    design = load_design(args.design)
    code = generate_code(design, weights_file=args.weights)
    # The code's temporary file is opened first: if its folder is missing, nothing is written.
    with atomic_output(args.output) as stream:
        if args.weights is not None:
            save_weights(design, args.weights)
        stream.write(code.encode("utf-8"))
    print(f"wrote {args.output}" + (f" and {args.weights}" if args.weights is not None else ""))
    return 0


# -- entry point -----------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Inspect, run, explain and export ConvDesigner designs.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = commands.add_parser("info", help="shapes, parameters and receptive fields, layer by layer")
    info.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    info.add_argument("--json", action="store_true", help="print the same as JSON")
    info.set_defaults(handler=_command_info)

    input_help = ("the input: an image, a .npy or IDX file, or mnist:LABEL[:INDEX] (default: the "
                  "values in the design file)")
    run = commands.add_parser("run", help="run an input through the design; save every layer's output")
    run.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    run.add_argument("--input", metavar="FILE", help=input_help)
    run.add_argument("--out", metavar="OUT.npz", required=True,
                     help='where to save "input" and one float32 [C, H, W] array per layer '
                          '("0", "1", ...)')
    run.add_argument("--device", default="auto", metavar="DEVICE",
                     help="auto (the default: CUDA, then MPS, then the CPU), cpu, cuda or mps")
    run.set_defaults(handler=_command_run)

    explain = commands.add_parser("explain", help="the arithmetic behind one output value of a Conv2d")
    explain.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    explain.add_argument("--input", metavar="FILE", help=input_help)
    explain.add_argument("--layer", type=int, required=True, metavar="L", help="a Conv2d layer's index")
    explain.add_argument("--channel", type=int, required=True, metavar="O", help="its output channel")
    explain.add_argument("--at", type=int, nargs=2, required=True, metavar=("Y", "X"),
                         help="the output pixel (row, column)")
    explain.add_argument("--json", action="store_true", help="print the same as JSON")
    explain.set_defaults(handler=_command_explain)

    export = commands.add_parser("export", help="write the design as PyTorch code")
    export.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    export.add_argument("-o", "--output", required=True, metavar="model.py",
                        help="the Python file to write")
    export.add_argument("--weights", metavar="model.pt",
                        help="also save the parameters here as a state_dict, which the code "
                             "loads from this path exactly as written (relative paths are relative "
                             "to where the code runs)")
    export.set_defaults(handler=_command_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (``argv`` defaults to ``sys.argv[1:]``) and return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help (0) or a usage error (2), already printed
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_ERROR
    try:
        return args.handler(args)
    except ConvDesignerError as error:
        print(f"{PROG}: error: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
