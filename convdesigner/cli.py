"""The command line: ``convdesigner info | run | explain | export | train | evaluate``.

    convdesigner info DESIGN [--json]
    convdesigner run DESIGN [--input FILE] --out OUT.npz [--device auto|cpu|cuda|mps]
    convdesigner explain DESIGN [--input FILE] --layer L --channel O --at Y X [--json]
    convdesigner export DESIGN -o model.py [--weights model.pt]
    convdesigner train DESIGN -o TRAINED.json [--epochs N] [--batch-size B] [--lr X]
                       [--schedule constant|linear] [--optimizer sgd|adam] [--seed S] [--device D]
                       [--data bundled|IMAGES LABELS]
    convdesigner evaluate DESIGN [--data bundled|IMAGES LABELS] [--device D]

Exit status 0 on success and 2 on any error (usage errors included). An error is one line on
stderr, ``convdesigner: error: ...``, without a traceback; output files are written atomically
(:mod:`convdesigner.atomic`), so a failed command leaves none behind, and an output that is the
same file as an input is refused. Ctrl-C ends a command with status 130 and one line. A device
that is asked for but missing is not an error: the run falls back to the CPU and says so as
``convdesigner: note: ...``. Where stdout or stderr cannot encode a character (a Windows console
or file in cp1252), it is written in ASCII (``floor(`` for ``⌊``, ``-`` for ``−``) or as ``?``.

Importing this module imports neither Qt nor torch. The subcommands that compute import
:mod:`convdesigner.compute` (and with it torch, which takes a moment to load) when they run, so
``info`` stays quick. Run it as ``python -m convdesigner.cli``.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from convdesigner.data.fit import centre_on, fits_inside
from convdesigner.data.loaders import load_array_file
from convdesigner.data.noise import normal_input, parse_normal_spec
from convdesigner.data.training_data import DEFAULT_LR
from convdesigner.design.analysis import Analysis, LayerInfo, describe_parameters, require_valid
from convdesigner.design.budget import (
    MACS_PER_SECOND,
    REFUSE_SECONDS,
    estimate_memory,
    estimate_seconds,
    format_bytes,
    format_duration,
    memory_budget,
    require_memory,
)
from convdesigner.design.io import load_design
from convdesigner.design.layers import Conv2d, ConvTranspose2d, Design, Upsample
from convdesigner.design.numbers import shape_text
from convdesigner.errors import ConvDesignerError, ResourceError

if TYPE_CHECKING:  # the real import would load torch
    from convdesigner.compute.explain import PixelExplanation
    from convdesigner.compute.transposed import TransposedPixelExplanation

PROG = "convdesigner"
EXIT_ERROR = 2
#: The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
COMMANDS = ("info", "run", "explain", "export", "train", "evaluate")

#: ASCII stand-ins for the characters the output uses, for a stream that cannot encode them.
_ASCII = {"⌊": "floor(", "⌋": ")", "−": "-", "×": "x", "·": "*", "Σ": "sum", "…": "...",
          "→": "->", "≈": "~", "⊛": "(*)", "±": "+/-", "≤": "<=", "≥": ">=", "²": "^2"}


def _encodable(text: str, stream: Any) -> str:
    """``text`` as ``stream`` can encode it: unchanged when it can, else each character it cannot
    encode replaced by its ASCII stand-in or ``?`` (a lone surrogate, a CJK name in cp1252)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
        except (UnicodeEncodeError, LookupError):
            out.append(_ASCII.get(char, "?"))
    return "".join(out)


def _out(text: str) -> None:
    print(_encodable(text, sys.stdout))


def _err(text: str) -> None:
    print(_encodable(text, sys.stderr), file=sys.stderr)


def _can_encode(text: str, stream: Any) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


class UsageError(Exception):
    """A command line argparse cannot make sense of; shown as one ``convdesigner: error:`` line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the subcommand named), not usage + message."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip()
        if "invalid choice" in message and not command:
            message = _unknown_command_message(message)
        hint = f" (see {self.prog} --help)"
        raise UsageError((f"{command}: " if command else "") + message + hint)


def _unknown_command_message(message: str) -> str:
    """argparse's "argument COMMAND: invalid choice: 'infos' (choose from ...)" as a suggestion."""
    word = message.split("invalid choice: ", 1)[-1].split(" (choose", 1)[0].strip("'\"")
    return unknown_command(word)


def unknown_command(word: str) -> str:
    """``unknown command 'infos' (did you mean 'info'?)``, or the list of commands."""
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    shown = word if len(word) <= 40 else word[:39] + "…"
    if close:
        return f"unknown command {shown!r} (did you mean {close[0]!r}?)"
    return f"unknown command {shown!r}; the commands are {', '.join(COMMANDS)}"


def _pair_text(pair: Sequence[int]) -> str:
    return f"{pair[0]}×{pair[1]}"


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _json_text(value: Any, level: int = 0, ascii_only: bool = False) -> str:
    """JSON indented by structure, with each list of plain numbers (a kernel row) on one line."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(key, ensure_ascii=ascii_only)}: "
                 f"{_json_text(item, level + 1, ascii_only)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        items = [inner + _json_text(item, level + 1, ascii_only) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


def _print_json(value: Any) -> None:
    """JSON on stdout; escaped to ASCII (``\\u230a``, ``\\ud800``) where stdout cannot take the
    text as it is -- a lone surrogate in a name, or a stdout that is not UTF-8. Either form reads
    back to the same data."""
    text = _json_text(value)
    if not _can_encode(text, sys.stdout):
        text = _json_text(value, ascii_only=True)
    print(text)


# -- info ------------------------------------------------------------------------------------------

def _parameter_arithmetic(info: LayerInfo) -> str:
    # describe_parameters starts "Layer N: ", which the output already says where it is shown.
    return describe_parameters(info).removeprefix(f"Layer {info.index}: ")


def _info_table(analysis: Analysis) -> list[str]:
    header = ("#", "layer", "output", "parameters", "MACs", "receptive field", "jump")
    rows = [header]
    for info in analysis.layers:
        assert info is not None  # require_valid: every layer of a valid design has a shape
        rows.append((str(info.index), info.layer.torch_repr(), shape_text(info.out_shape, "list"),
                     f"{info.parameters:,}", f"{info.macs:,}", _pair_text(info.receptive_field),
                     _pair_text(info.jump)))
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    numeric = {0, 3, 4}
    return ["  ".join(cell.rjust(width) if column in numeric else cell.ljust(width)
                      for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


def _info_text(design: Design, analysis: Analysis) -> str:
    title = f"Design {design.name!r}: input" if design.name else "Input"
    lines = [f"{title} {shape_text(design.input.shape, 'list')} (channels, height, width), "
             f"seed {design.seed}", ""]
    if design.layers:
        lines += _info_table(analysis)
    else:
        lines.append("No layers: the output is the input.")
    lines += ["", f"Total: {analysis.total_parameters:,} parameters, {analysis.total_macs:,} "
              f"multiply-accumulates per image; output {shape_text(analysis.output_shape, 'list')}"]
    lines += _limits_lines(analysis)
    if design.layers:
        lines += ["", *DEFINITIONS]
    if any(isinstance(layer, (ConvTranspose2d, Upsample)) for layer in design.layers):
        lines.append(UPSAMPLING_NOTE)
    for info in analysis.layers:
        assert info is not None
        lines += ["", f"Layer {info.index}: {info.layer.torch_repr()}"]
        lines += [f"  {formula}" for formula in info.formula]
        lines.append(f"  {_parameter_arithmetic(info)}")
    return "\n".join(lines)


#: What info's columns mean, printed below its table. k: kernel_size, d: dilation (1 for a pool),
#: s: stride; both start at the input with r = j = 1. Checked against analyze() by the tests.
DEFINITIONS = (
    "Receptive field: how many input pixels (rows × columns) one output pixel of the layer can "
    "see; r_out = r_in + (k − 1)·d·j_in, with r = 1 at the input.",
    "Jump: how many input pixels apart two neighbouring output pixels of the layer are; "
    "j_out = j_in·s, with j = 1 at the input.",
    "MACs count the multiply-accumulates of the convolutions and Linear layers only (activations "
    "and pooling are not counted).",
)


#: Below DEFINITIONS when a layer enlarges the map: jumps below one input pixel are not shown.
UPSAMPLING_NOTE = (
    "ConvTranspose2d and Upsample enlarge the map: their output pixels are 1/stride (1/scale_factor) "
    "input pixels apart; the jump is kept a whole number (at least 1), so receptive fields after "
    "them are upper bounds. A ConvTranspose2d output pixel receives stamps from at most "
    "⌈(dilation·(k − 1) + 1) / stride⌉ input pixels per side.")


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
    output_shape = analysis.output_shape
    assert output_shape is not None  # require_valid: every layer of a valid design has a shape
    return {
        "name": design.name, "seed": design.seed, "input": list(design.input.shape),
        "layers": [_info_layer_data(info) for info in analysis.layers if info is not None],
        "total_parameters": analysis.total_parameters, "total_macs": analysis.total_macs,
        "output_shape": list(output_shape), **_limits_data(analysis),
    }


def _limits_lines(analysis: Analysis) -> list[str]:
    estimate, cost, budget = estimate_memory(analysis), estimate_seconds(analysis), memory_budget()
    free = (f"; this machine has {format_bytes(budget.available)} free" if budget.available is not None
            else "")
    return [f"Memory for one run: ~{format_bytes(estimate.total)} (parameters twice, every output, "
            f"the largest partial maps, a margin){free}",
            f"Time for one run: about {format_duration(cost.seconds)} on a CPU (a rough estimate "
            f"from the MACs at {MACS_PER_SECOND['cpu']:.0e} per second)"]


def _limits_data(analysis: Analysis) -> dict[str, Any]:
    return {"memory_bytes": estimate_memory(analysis).total,
            "seconds_cpu": estimate_seconds(analysis).seconds}


def _check_limits(design: Design, device: str, force: bool) -> None:
    """Before anything is loaded or allocated: refuse a run that needs more memory than the budget
    (the compute layer checks again itself), refuse a very slow one without --force, and warn
    (stderr, one line) about a slow one."""
    from convdesigner.compute.device import resolve_device

    analysis = require_valid(design)
    require_memory(analysis)
    cost = estimate_seconds(analysis, resolve_device(device).device.type)
    if cost.too_slow and not force:
        raise ResourceError(f"{cost}; that is more than {REFUSE_SECONDS / 3600:g} hour, so it was "
                            "not started (add --force to run it anyway)")
    if cost.slow:
        print(f"{PROG}: warning: {cost}", file=sys.stderr)


def _command_info(args: argparse.Namespace) -> int:
    design = load_design(args.design)
    analysis = require_valid(design)
    if args.json:
        _print_json(_info_data(design, analysis))
    else:
        _out(_info_text(design, analysis))
    return 0


# -- run -------------------------------------------------------------------------------------------

def _input_image(input_file: str | None, design: Design) -> np.ndarray:
    """float32 [C, H, W]: the ``--input`` file (or ``normal:SEED``: random normal values), else
    the values the design file carries. An input smaller than the design's is centred on a zero
    field of the design's size (as the app and training place a 28×28 digit on LeNet-5's 32×32),
    with a note; a larger one is left for the engine to refuse (nothing is cropped)."""
    if input_file is not None and parse_normal_spec(input_file) is not None:
        return normal_input(design.input.shape, parse_normal_spec(input_file) or 0)
    if input_file is not None:
        image = load_array_file(input_file, channels=design.input.channels)
        if image.shape != design.input.shape and fits_inside(image.shape, design.input):
            _note(f"the {shape_text(image.shape)} input is centred on the design's "
                  f"{shape_text(design.input.shape)} input (zeros around it)")
            image = centre_on(image, design.input.height, design.input.width)
        return image
    if design.input_values is not None:
        return design.input_values
    raise ConvDesignerError("the design holds no input values; give an input with --input FILE "
                            "(an image, a .npy or IDX file, or mnist:7)")


def _note(text: str) -> None:
    _err(f"{PROG}: note: {_one_line(text)}")


def _same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` name one file: the same path after links, or hard links of one file."""
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)
    return os.path.realpath(a) == os.path.realpath(b)


def _refuse_overwriting_inputs(outputs: Sequence[tuple[str, str | None]],
                               inputs: Sequence[tuple[str, str | None]]) -> None:
    """Raise when an output is the same file as an input, or two outputs are one file."""
    for what, output in outputs:
        if output is None:
            continue
        for source_what, source in inputs:
            if source is not None and os.path.exists(source) and _same_file(output, source):
                raise ConvDesignerError(
                    f"{what} {output} is the same file as {source_what} {source}; writing it would "
                    "destroy the input: choose another name")
    named = [(what, path) for what, path in outputs if path is not None]
    for index, (what, path) in enumerate(named):
        for other_what, other in named[index + 1:]:
            if _same_file(path, other):
                raise ConvDesignerError(f"{what} and {other_what} must go to different files "
                                        f"({path})")


@contextlib.contextmanager
def _pytorch_failures() -> Iterator[None]:
    """PyTorch's own errors (memory it cannot allocate, a device failing) as one line.

    Validation is meant to refuse whatever PyTorch cannot do before it starts (the fuzz test checks
    that it does); this is the net below it, so that a user never sees a traceback.
    """
    try:
        yield
    except MemoryError:
        raise ConvDesignerError("not enough memory to compute this design") from None
    except RuntimeError as error:
        first = (str(error).strip().splitlines() or ["unknown error"])[0]
        raise ConvDesignerError(f"PyTorch could not compute the design: {first}") from None


def _command_run(args: argparse.Namespace) -> int:
    from convdesigner.atomic import atomic_output
    from convdesigner.compute.engine import run

    _refuse_overwriting_inputs([("--out", args.out)],
                               [("the design", args.design), ("--input", args.input)])
    design = load_design(args.design)
    require_valid(design)
    _check_limits(design, args.device, args.force)
    image = _input_image(args.input, design)
    # Opened first, so that an unwritable destination fails before any work is done.
    with atomic_output(args.out) as stream, _pytorch_failures():
        result = run(design, image, device=args.device)
        if result.note:
            _note(result.note)
        layer_outputs = {str(index): output for index, output in enumerate(result.outputs)}
        # numpy's stub lets a ``**`` mapping reach savez's ``allow_pickle: bool`` (numpy >= 2.1);
        # these keys are layer numbers ("0", "1", …), never that name.
        np.savez(stream, input=image, **layer_outputs)  # type: ignore[arg-type]
    count = len(result.outputs)
    _out(f"wrote {args.out}: the input and {count} layer output{'s' if count != 1 else ''} "
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
    rows = [gap.join(title.ljust(width) for (title, _), width in zip(columns, widths, strict=True))]
    for lines in zip(*(lines for _, lines in columns), strict=True):
        rows.append(gap.join(line.ljust(width) for line, width in zip(lines, widths, strict=True)))
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
        lines.append(f"  sum = {term.sum + 0.0:.9g}")
    lines += ["", f"bias  = {explanation.bias + 0.0:.9g}"]
    total32 = np.float32(explanation.total)
    value32 = np.float32(explanation.value)
    total, value = _float32_text(total32), _float32_text(value32)
    if total32 == value32:
        lines.append(f"total = Σ + bias = {total} = the value in the map")
    else:
        lines.append(f"total = Σ + bias = {total} ≈ {value}, the value in the map")
        lines.append(_rounding_note(explanation, layer, total32, value32))
    return "\n".join(lines)


def _float32_text(value: np.float32) -> str:
    """A float32 with 9 significant digits: enough that two different float32 never print alike."""
    return f"{float(value) + 0.0:.9g}"


def _rounding_note(explanation: PixelExplanation, layer: Conv2d, total32: np.float32,
                   value32: np.float32) -> str:
    """One line on why the exact total and PyTorch's float32 value differ (as the app says it)."""
    difference = abs(float(total32) - float(value32))
    spacing = float(np.spacing(np.abs(value32))) or float(np.finfo(np.float32).tiny)
    ulps = int(round(difference / spacing))
    count = sum(term.products.size for term in explanation.terms)
    # What float32 rounding can do to a sum of count terms: count × 2^-24 × Σ|terms|.
    magnitude = sum(float(np.abs(term.products).sum()) for term in explanation.terms)
    bound = (count + 1) * 2.0 ** -24 * (magnitude + abs(explanation.bias))
    terms = f"the {count} products" + (" and the bias" if layer.bias else "")
    verdict = ("that is rounding, not a mistake" if difference <= bound + spacing
               else "more than rounding explains")
    return (f"(PyTorch adds {terms} in float32, in its own order, rounding at every step; the "
            f"total is the exact sum, rounded once. They differ by {difference:.3g} "
            f"({ulps} in the last place): {verdict}.)")


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
    from convdesigner.compute.explain import explain_pixel
    from convdesigner.compute.weights import materialize

    with _pytorch_failures():
        design = load_design(args.design)
        _check_limits(replace(design, layers=design.layers[:args.layer + 1]), "cpu", args.force)
        design = materialize(design)  # validates the design too, and checks its memory
        if 0 <= args.layer < len(design.layers) and isinstance(design.layers[args.layer],
                                                                 ConvTranspose2d):
            return _explain_transposed(args, design)
        layer = _conv_layer(design, args.layer)
        layer_input, outputs = _run_up_to(args, design)
        y, x = args.at
        explanation = explain_pixel(layer, layer_input, args.channel, y, x)
    value = outputs[args.layer][explanation.out_channel, explanation.y, explanation.x]
    explanation = replace(explanation, value=float(value))
    if args.json:
        _print_json(_explain_data(args.layer, explanation))
    else:
        _out(_explain_text(args.layer, layer, explanation))
    return 0


def _run_up_to(args: argparse.Namespace, design: Design) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """``(the explained layer's input, every output up to it)``: the layers up to the explained
    one run exactly as `run` runs them, which checks the input against the design and gives the
    value in the map that the arithmetic explains."""
    from convdesigner.compute.engine import run

    image = _input_image(args.input, design)
    outputs = run(replace(design, layers=design.layers[:args.layer + 1]), image).outputs
    return (image if args.layer == 0 else outputs[args.layer - 1]), outputs


def _explain_transposed(args: argparse.Namespace, design: Design) -> int:
    """``explain`` of a ConvTranspose2d pixel: every stamp that reaches it, then Σ, bias, total."""
    from convdesigner.compute.transposed import explain_transposed_pixel

    layer = design.layers[args.layer]
    assert isinstance(layer, ConvTranspose2d)
    with _pytorch_failures():
        layer_input, outputs = _run_up_to(args, design)
        y, x = args.at
        explanation = explain_transposed_pixel(layer, layer_input, args.channel, y, x)
    value = outputs[args.layer][explanation.out_channel, explanation.y, explanation.x]
    explanation = replace(explanation, value=float(value))
    if args.json:
        _print_json(_transposed_data(args.layer, explanation))
    else:
        _out(_transposed_text(args.layer, layer, explanation))
    return 0


def _transposed_text(index: int, layer: ConvTranspose2d, found: TransposedPixelExplanation) -> str:
    (s_h, s_w), (d_h, d_w), (p_h, p_w) = layer.stride, layer.dilation, layer.padding
    lines = [f"Layer {index}: {layer.torch_repr()}",
             f"Output channel {found.out_channel} at (y={found.y}, x={found.x}) = bias + Σ of the "
             "stamps that land on it: input pixel (i, j) of an input channel c puts "
             f"x[c, i, j] × weight[c, {found.out_channel % layer.out_per_group}, a, b] on output "
             f"(i·{s_h} + a·{d_h} − {p_h}, j·{s_w} + b·{d_w} − {p_w})"]
    for position, channel in enumerate(found.in_channels):
        terms = [term for term in found.terms if term.in_channel == channel]
        lines += ["", f"Input channel {channel}: {len(terms)} stamp{'s' if len(terms) != 1 else ''}"]
        for term in terms:
            lines.append(f"  x[{channel}, {term.row}, {term.col}] × w[{term.tap_row}, {term.tap_col}] = "
                         f"{term.value + 0.0:.6g} × {term.weight + 0.0:.6g} = {term.product + 0.0:.9g}")
        lines.append(f"  sum = {found.sums[position] + 0.0:.9g}")
    lines += ["", f"bias  = {found.bias + 0.0:.9g}"]
    total32, value32 = np.float32(found.total), np.float32(found.value)
    if total32 == value32:
        lines.append(f"total = Σ + bias = {_float32_text(total32)} = the value in the map")
    else:
        difference = abs(float(total32) - float(value32))
        lines.append(f"total = Σ + bias = {_float32_text(total32)} ≈ {_float32_text(value32)}, the "
                     "value in the map")
        lines.append(f"(PyTorch adds the {len(found.terms)} products in float32, in its own order; "
                     f"the total is the exact sum, rounded once. They differ by {difference:.3g}: "
                     "that is rounding.)")
    return "\n".join(lines)


def _transposed_data(index: int, found: TransposedPixelExplanation) -> dict[str, Any]:
    return {
        "layer": index, "out_channel": found.out_channel, "y": found.y, "x": found.x,
        "value": found.value, "bias": found.bias, "total": found.total,
        "in_channels": list(found.in_channels), "sums": list(found.sums),
        "terms": [{"in_channel": term.in_channel, "row": term.row, "col": term.col,
                   "tap_row": term.tap_row, "tap_col": term.tap_col, "value": term.value,
                   "weight": term.weight, "product": term.product} for term in found.terms],
    }


# -- export ----------------------------------------------------------------------------------------

def _command_export(args: argparse.Namespace) -> int:
    from convdesigner.atomic import atomic_output
    from convdesigner.compute.export import generate_code, save_weights

    _refuse_overwriting_inputs([("the code (-o)", args.output), ("the weights (--weights)", args.weights)],
                               [("the design", args.design)])
    design = load_design(args.design)
    code = generate_code(design, weights_file=args.weights)
    # The code's temporary file is opened first: if its folder is missing, nothing is written.
    with atomic_output(args.output) as stream:
        if args.weights is not None:
            with _pytorch_failures():
                save_weights(design, args.weights)
        stream.write(code.encode("utf-8"))
    _out(f"wrote {args.output}" + (f" and {args.weights}" if args.weights is not None else ""))
    return 0


# -- train and evaluate ----------------------------------------------------------------------------

def _data_argument(values: Sequence[str] | None) -> tuple[str, str] | None:
    """``--data``: None for the bundled digits, else ``(images, labels)`` IDX paths."""
    if values is None or list(values) == ["bundled"]:
        return None
    if len(values) != 2 or ("bundled" in values and not os.path.exists("bundled")):
        raise UsageError("--data takes 'bundled' or two files: an IDX image file and its label file")
    return values[0], values[1]


def _check_writable(path: str) -> None:
    """Refuse, before any training, an output whose folder is missing or cannot be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ConvDesignerError(f"cannot write {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise ConvDesignerError(f"cannot write {path}: it is a folder, not a file")
    if not os.access(folder, os.W_OK):
        raise ConvDesignerError(f"cannot write {path}: the folder {folder} is not writable")


def _percent(value: float) -> str:
    return f"{value * 100:.2f}%"


class _ProgressBar:
    """A one-line progress bar on a terminal (nothing when stdout is a file or a pipe)."""

    def __init__(self) -> None:
        self.active = sys.stdout.isatty()
        self._shown = False

    def show(self, report: Any) -> None:
        if not self.active or (report.step % 5 and report.step != report.steps_per_epoch):
            return
        width = 30
        done = int(width * report.step / report.steps_per_epoch)
        text = (f"\repoch {report.epoch}/{report.epochs} [{'#' * done}{'.' * (width - done)}] "
                f"step {report.step}/{report.steps_per_epoch}  loss {report.loss:.4f}  "
                f"{format_duration(report.seconds_left)} left ")
        sys.stdout.write(_encodable(text, sys.stdout))
        sys.stdout.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            sys.stdout.write("\r" + " " * 100 + "\r")
            sys.stdout.flush()
            self._shown = False


def _command_train(args: argparse.Namespace) -> int:
    from convdesigner.compute.allocator import keep_freed_memory
    from convdesigner.compute.training import Trainer, TrainSettings
    from convdesigner.data.training_data import bundled_training_data, idx_training_data
    from convdesigner.design.io import save_design

    data_files = _data_argument(args.data)
    _refuse_overwriting_inputs([("-o", args.output)], [
        ("the design", args.design),
        *((("--data", path) for path in data_files) if data_files else ())])
    _check_writable(args.output)
    design = load_design(args.design)
    settings = TrainSettings(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                             optimizer=args.optimizer, seed=args.seed, device=args.device,
                             schedule=args.schedule)
    data = bundled_training_data() if data_files is None else idx_training_data(*data_files)
    keep_freed_memory()   # as the app's training process does: the first epoch at full pace
    with _pytorch_failures():
        trainer = Trainer(design, data, settings)
    if trainer.note:
        _note(trainer.note)
    _out(f"training {settings.describe()} on {trainer.device}, batch size {settings.batch_size}, "
         f"seed {settings.seed}; {data.description}")
    bar = _ProgressBar()

    def epoch_done(report: Any) -> None:
        bar.clear()
        _out(f"epoch {report.epoch}/{report.epochs}: loss {report.loss:.4f}, train accuracy "
             f"{_percent(report.train_accuracy)}, held-out accuracy "
             f"{_percent(report.heldout_accuracy)}, {report.seconds:.1f} s")

    try:
        result = trainer.run(on_step=bar.show, on_epoch=epoch_done)
    finally:
        bar.clear()
    if result.diverged:
        raise ConvDesignerError(f"training diverged: {result.message}; nothing was written")
    if result.learned_nothing:
        _note(f"held-out accuracy {_percent(result.epochs[-1].heldout_accuracy)} is no better than "
              f"guessing one of 10 digits: the learning rate {args.lr:g} may be too large (or too "
              "small)")
    save_design(result.design, args.output)
    _out(f"wrote {args.output}")
    return 0


def _confusion_lines(confusion: np.ndarray) -> list[str]:
    width = max(5, len(f"{int(confusion.max()):,}") + 1)
    lines = ["confusion matrix (rows: true label, columns: predicted):",
             "true\\pred" + "".join(str(c).rjust(width) for c in range(confusion.shape[1]))]
    for label, row in enumerate(confusion):
        lines.append(str(label).rjust(10) + "".join(f"{int(v):,}".rjust(width) for v in row))
    return lines


def _command_evaluate(args: argparse.Namespace) -> int:
    from convdesigner.compute.training import evaluate
    from convdesigner.data.training_data import bundled_heldout, idx_digits

    data_files = _data_argument(args.data)
    design = load_design(args.design)
    digits = bundled_heldout() if data_files is None else idx_digits(*data_files)
    with _pytorch_failures():
        result = evaluate(design, digits, args.device)
    what = "held-out accuracy" if data_files is None else "accuracy"
    correct = int(np.trace(result.confusion))
    _out(f"{what}: {_percent(result.accuracy)} ({correct:,} of {result.count:,} "
         f"{digits.name.removeprefix('the ')}), loss {result.loss:.4f}")
    _out("")
    for line in _confusion_lines(result.confusion):
        _out(line)
    return 0


# -- entry point -----------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG, description="Inspect, run, explain and export ConvDesigner designs.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = commands.add_parser("info", help="shapes, parameters and receptive fields, layer by layer")
    info.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    info.add_argument("--json", action="store_true", help="print the same as JSON")
    info.set_defaults(handler=_command_info)

    force_help = "start even when the computation is estimated to take more than an hour"
    input_help = ("the input: an image, a .npy or IDX file, mnist:LABEL[:INDEX], or normal:SEED "
                  "(random normal values) (default: the "
                  "values in the design file)")
    run = commands.add_parser("run", help="run an input through the design; save every layer's output")
    run.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    run.add_argument("--input", metavar="FILE", help=input_help)
    run.add_argument("--out", metavar="OUT.npz", required=True,
                     help='where to save "input" and one float32 array per layer ([C, H, W], '
                          'or [N] after Flatten) ("0", "1", ...)')
    run.add_argument("--device", default="auto", metavar="DEVICE",
                     help="auto (the default: CUDA, then MPS, then the CPU), cpu, cuda or mps")
    run.add_argument("--force", action="store_true", help=force_help)
    run.set_defaults(handler=_command_run)

    explain = commands.add_parser("explain", help="the arithmetic behind one output value of a Conv2d")
    explain.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    explain.add_argument("--input", metavar="FILE", help=input_help)
    explain.add_argument("--layer", type=int, required=True, metavar="L", help="a Conv2d layer's index")
    explain.add_argument("--channel", type=int, required=True, metavar="O", help="its output channel")
    explain.add_argument("--at", type=int, nargs=2, required=True, metavar=("Y", "X"),
                         help="the output pixel (row, column)")
    explain.add_argument("--json", action="store_true", help="print the same as JSON")
    explain.add_argument("--force", action="store_true", help=force_help)
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

    data_help = ("bundled (the default: train on the first 80%% of each label's bundled digits, "
                 "measure on the last 20%%) or an MNIST IDX image file and its label file")
    device_help = "auto (the default: CUDA, then MPS, then the CPU), cpu, cuda or mps"
    train = commands.add_parser("train", help="train the design to classify digits; save it")
    train.add_argument("design", metavar="DESIGN", help="a design file (.json) whose output is 10 "
                       "class scores")
    train.add_argument("-o", "--output", required=True, metavar="TRAINED.json",
                       help="where to write the trained design")
    train.add_argument("--epochs", type=int, default=3, metavar="N", help="passes over the data (3)")
    train.add_argument("--batch-size", type=int, default=64, metavar="B", help="digits per step (64)")
    train.add_argument("--lr", type=float, default=DEFAULT_LR, metavar="X",
                       help=f"learning rate ({DEFAULT_LR:g})")
    train.add_argument("--schedule", choices=("constant", "linear"), default="constant",
                       help="the learning rate over the run: constant (the default), or linear: "
                            "from --lr at the first step falling in a straight line to 0")
    train.add_argument("--optimizer", choices=("adam", "sgd"), default="adam",
                       help="adam (the default) or sgd (with momentum 0.9)")
    train.add_argument("--seed", type=int, default=0, metavar="S",
                       help="orders the digits and seeds Dropout (0)")
    train.add_argument("--device", default="auto", metavar="DEVICE", help=device_help)
    train.add_argument("--data", nargs="+", metavar="DATA", help=data_help)
    train.set_defaults(handler=_command_train)

    evaluate = commands.add_parser("evaluate", help="held-out accuracy and the confusion matrix")
    evaluate.add_argument("design", metavar="DESIGN", help="a design file (.json)")
    evaluate.add_argument("--data", nargs="+", metavar="DATA",
                          help="bundled (the default: the bundled held-out digits) or an MNIST IDX "
                               "image file and its label file (all of it)")
    evaluate.add_argument("--device", default="auto", metavar="DEVICE", help=device_help)
    evaluate.set_defaults(handler=_command_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (``argv`` defaults to ``sys.argv[1:]``) and return the exit status."""
    try:
        parser = _parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_request:  # --help or --version: 0, already printed
            return exit_request.code if isinstance(exit_request.code, int) else EXIT_ERROR
        handler: Callable[[argparse.Namespace], int] = args.handler  # set_defaults(handler=…)
        return handler(args)
    except (ConvDesignerError, UsageError) as error:
        _err(f"{PROG}: error: {_one_line(str(error))}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err(f"{PROG}: error: interrupted (Ctrl-C)")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
