"""The design file: JSON a teacher can read and type by hand.

Format (version 1)::

    {
      "format": "convdesigner-design",
      "version": 1,
      "name": "MNIST discriminator",            (optional)
      "seed": 0,                                (optional; initialises weights not given inline)
      "input": {"channels": 1, "height": 28, "width": 28,
                "values": [[[...], ...]]},      (optional, [C][H][W])
      "layers": [
        {"type": "Conv2d", "in_channels": 1, "out_channels": 64, "kernel_size": 4,
         "stride": 2, "padding": 1},
        {"type": "LeakyReLU", "negative_slope": 0.2},
        ...
      ]
    }

Each layer names its ``type`` and then PyTorch's own argument names; PyTorch's defaults apply to
absent ones. A ``Conv2d`` may carry its parameters inline: ``"weight"`` nested lists shaped
``[out_channels, in_channels/groups, kH, kW]`` and ``"bias"`` a list of numbers (``"bias": false``
still means no bias).

Loading checks everything (types, unknown keys, shapes) and raises only
:class:`~convdesigner.errors.DesignError`; nothing in a file is ever executed. Saving is atomic (a
temporary file renamed over the target) and lossless: float32 values round-trip bit for bit,
because each is written as the shortest decimal of its exact float64 value.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from convdesigner.atomic import write_text_atomically as _write_text_atomically
from convdesigner.design.layers import (
    LAYER_TYPES,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    ConvTranspose2d,
    Design,
    InputSpec,
    Layer,
    LeakyReLU,
    MaxPool2d,
    Pair,
    Upsample,
)
from convdesigner.design.sidecar import (
    externalize,
    read_sidecar,
    resolve_references,
    sidecar_name,
    write_sidecar,
)
from convdesigner.errors import DesignError

FORMAT_NAME = "convdesigner-design"
FORMAT_VERSION = 1
# A design file with inline weights of a large layer is a few MB; anything far beyond is a mistake.
MAX_FILE_BYTES = 256 * 1024 * 1024

_LAYER_KEYS: dict[str, tuple[str, ...]] = {
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
               "groups", "bias", "padding_mode", "weight"),
    "ReLU": (),
    "LeakyReLU": ("negative_slope",),
    "Sigmoid": (),
    "Tanh": (),
    "MaxPool2d": ("kernel_size", "stride", "padding"),
    "AvgPool2d": ("kernel_size", "stride", "padding"),
}
_LAYER_KEYS["ConvTranspose2d"] = ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                                  "output_padding", "groups", "bias", "dilation", "weight")
_LAYER_KEYS["BatchNorm2d"] = ("num_features", "eps", "momentum", "affine", "bias", "weight",
                              "running_mean", "running_var")
_LAYER_KEYS["Upsample"] = ("scale_factor", "mode")
_REQUIRED_KEYS = {"Conv2d": ("in_channels", "out_channels", "kernel_size"),
                  "MaxPool2d": ("kernel_size",), "AvgPool2d": ("kernel_size",)}
_REQUIRED_KEYS["ConvTranspose2d"] = ("in_channels", "out_channels", "kernel_size")
_REQUIRED_KEYS["BatchNorm2d"] = ("num_features",)
L = TypeVar("L", bound=Layer)
_TOP_KEYS = ("format", "version", "name", "seed", "input", "layers", "weights_file")
_INPUT_KEYS = ("channels", "height", "width", "values")


# -- loading ---------------------------------------------------------------------------------------

def load_design(path: str | os.PathLike[str]) -> Design:
    """Read and validate the *format* of a design file (layer rules are :func:`analyze`'s job)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DesignError(f"{path.name} is {size:,} bytes; a design file is at most "
                              f"{MAX_FILE_BYTES:,}")
        text = path.read_text(encoding="utf-8-sig")  # a leading BOM (Windows editors) is fine
    except FileNotFoundError:
        raise DesignError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DesignError(f"{path} is a folder, not a design file") from None
    except UnicodeDecodeError:
        raise DesignError(f"{path.name} is not a text (UTF-8) file") from None
    except OSError as error:
        raise DesignError(f"cannot read {path}: {error.strerror or error}") from None
    return design_from_json(text, source=path.name, path=path)


def design_from_json(text: str, source: str = "the design", path: Path | None = None) -> Design:
    """Parse and check a design file's text. ``path`` (the file's own) lets ``"weights_file"``
    be read from beside it (see :mod:`convdesigner.design.sidecar`)."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise DesignError(f"{source} is not valid JSON: {error.msg} at line {error.lineno}, "
                          f"column {error.colno}") from None
    except ValueError as error:  # raised by _refuse_constant
        raise DesignError(f"{source}: {error}") from None
    except RecursionError:
        raise DesignError(f"{source} is nested too deeply to be a design") from None
    if isinstance(data, dict) and "weights_file" in data:
        if path is None:
            raise DesignError(f"{source} keeps its weights in a separate file; open it from its folder")
        data = resolve_references(data, read_sidecar(path, data["weights_file"]))
    try:
        return design_from_dict(data, source=source)
    except RecursionError:
        raise DesignError(f"{source} is nested too deeply to be a design") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a design can hold")


def design_from_dict(data: Any, source: str = "the design") -> Design:
    """Build a :class:`Design` from parsed JSON. Raises :class:`DesignError` naming the bad part."""
    if not isinstance(data, dict):
        raise DesignError(f"{source} must be a JSON object with \"format\": \"{FORMAT_NAME}\"")
    _check_keys(data, _TOP_KEYS, source)
    if data.get("format") != FORMAT_NAME:
        raise DesignError(f"{source}: \"format\" must be \"{FORMAT_NAME}\", got {data.get('format')!r}")
    version = data.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise DesignError(f"{source}: this app reads design format version {FORMAT_VERSION}, "
                          f"the file says {version!r}")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise DesignError(f"{source}: \"name\" must be text, got {name!r}")
    seed = data.get("seed", 0)
    if not _is_plain_int(seed) or not 0 <= seed < 2**63:
        raise DesignError(f"{source}: \"seed\" must be a whole number from 0 to 2^63−1, got {seed!r}")
    spec, values = _input_from_dict(data.get("input"), source)
    raw_layers = data.get("layers")
    if not isinstance(raw_layers, list):
        raise DesignError(f"{source}: \"layers\" must be a list of layers, got {raw_layers!r}")
    layers = tuple(_layer_from_dict(item, index, source) for index, item in enumerate(raw_layers))
    try:
        return Design(input=spec, layers=layers, name=name, seed=seed, input_values=values)
    except DesignError as error:
        raise DesignError(f"{source}: {error}") from None


def _input_from_dict(raw: Any, source: str) -> tuple[InputSpec, np.ndarray | None]:
    where = f"{source}: \"input\""
    if not isinstance(raw, dict):
        raise DesignError(f"{where} must be an object like {{\"channels\": 1, \"height\": 28, "
                          f"\"width\": 28}}, got {raw!r}")
    _check_keys(raw, _INPUT_KEYS, where)
    sizes = {}
    for key, default in (("channels", 1), ("height", None), ("width", None)):
        value = raw.get(key, default)
        if value is None:
            raise DesignError(f"{where} needs \"{key}\"")
        if not _is_plain_int(value) or value < 1:
            raise DesignError(f"{where}: \"{key}\" must be a whole number of at least 1, got {value!r}")
        sizes[key] = value
    spec = InputSpec(sizes["channels"], sizes["height"], sizes["width"])
    values = None
    if "values" in raw:
        values = _number_array(raw["values"], spec.shape, f"{where} \"values\"", "[C][H][W]")
    return spec, values


def _layer_from_dict(raw: Any, index: int, source: str) -> Layer:
    where = f"{source}: layer {index}"
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise DesignError(f"{where} must be an object with a \"type\" "
                          f"({', '.join(LAYER_TYPES)}), got {_short(raw)}")
    kind = raw["type"]
    if kind not in LAYER_TYPES:
        raise DesignError(f"{where}: unknown type {kind!r}; known types: {', '.join(LAYER_TYPES)}")
    where = f"{source}: layer {index} ({kind})"
    args = {key: value for key, value in raw.items() if key != "type"}
    _check_keys(args, _LAYER_KEYS[kind], where)
    for key in _REQUIRED_KEYS.get(kind, ()):
        if key not in args:
            raise DesignError(f"{where} needs \"{key}\"")
    for key, value in args.items():
        if key in ("kernel_size", "stride", "padding", "dilation", "output_padding",
                   "scale_factor") and isinstance(value, list):
            args[key] = tuple(value)
    if kind in ("ConvTranspose2d", "BatchNorm2d"):
        return _generator_layer_from_args(kind, args, where)
    try:
        if kind == "Conv2d":
            return _conv_from_args(args, where)
        if kind == "LeakyReLU":
            return LeakyReLU(**args)
        return LAYER_TYPES[kind](**args)
    except DesignError as error:
        raise DesignError(f"{where}: {error}") from None
    except TypeError as error:  # a value of a JSON type the dataclass cannot take
        raise DesignError(f"{where}: {error}") from None


def _conv_from_args(args: dict[str, Any], where: str) -> Conv2d:
    weight = args.pop("weight", None)
    bias = args.pop("bias", True)
    bias_values = None
    if isinstance(bias, (list, np.ndarray)):
        bias_values, bias = bias, True
    elif not isinstance(bias, bool):
        raise DesignError(f"\"bias\" must be true, false or a list of numbers, got {_short(bias)}")
    layer = Conv2d(bias=bias, **args)
    # Shapes of inline parameters are checked here, against the layer's own arguments, so that a
    # typing mistake in a hand-written worked example is reported where it was made.
    if weight is not None:
        if layer.groups < 1 or layer.in_channels % layer.groups:
            raise DesignError(f"groups={layer.groups} must divide in_channels={layer.in_channels}")
        weight = _number_array(weight, layer.weight_shape, "\"weight\"",
                               "[out_channels][in_channels/groups][kH][kW]")
    if bias_values is not None:
        bias_values = _number_array(bias_values, (layer.out_channels,), "\"bias\"", "[out_channels]")
    if (weight is None) != (bias_values is None) and layer.bias:
        raise DesignError("give both \"weight\" and a list for \"bias\", or neither (weights not "
                          "given inline are initialised from the seed)")
    return Conv2d(**{**args, "bias": bias}, weight=weight, bias_values=bias_values)


def _generator_layer_from_args(kind: str, args: dict[str, Any], where: str) -> Layer:
    """A ``ConvTranspose2d`` or ``BatchNorm2d`` with its inline tensors, if any: ``"bias"`` is
    the flag or (ConvTranspose2d, BatchNorm2d with affine) the list of values, as for Conv2d."""
    names = LAYER_TYPES[kind].parameter_fields
    bias = args.pop("bias", True)
    given: dict[str, Any] = {name: args.pop(name) for name in list(names) if name in args}
    if isinstance(bias, (list, np.ndarray)):
        given["bias"], bias = bias, True
    elif not isinstance(bias, bool):
        raise DesignError(f"{where}: \"bias\" must be true, false or a list of numbers, got "
                          f"{_short(bias)}")
    try:
        make: Any = LAYER_TYPES[kind]   # ConvTranspose2d or BatchNorm2d, both take bias
        layer: Layer = make(bias=bias, **args)
    except (DesignError, TypeError) as error:
        raise DesignError(f"{where}: {error}") from None
    try:
        return _with_inline_parameters(layer, given, where)
    except DesignError as error:
        text = str(error)
        raise DesignError(text if text.startswith(where) else f"{where}: {text}") from None


def _with_inline_parameters(layer: L, given: dict[str, Any], where: str) -> L:
    """``layer`` holding the tensors ``given`` inline (``{state_dict name: nested lists, or an
    array from the weights file}``), each checked against the shape the layer's arguments need.
    A layer takes all of its tensors or none (missing ones come from the seed)."""
    if not given:
        return layer
    shapes = layer.parameter_shapes()
    if shapes is None:
        raise DesignError(f"{where}: its arguments do not define the shape of "
                          f"{', '.join(sorted(given))}, so the values cannot be read")
    unknown = sorted(set(given) - set(shapes))
    if unknown:
        raise DesignError(f"{where}: {', '.join(repr(name) for name in unknown)} given, but with "
                          f"these arguments the layer has only {', '.join(shapes)}")
    missing = [name for name in shapes if name not in given]
    if missing:
        raise DesignError(f"{where}: give all of {', '.join(repr(name) for name in shapes)} "
                          f"inline, or none (those not given are initialised from the seed); "
                          f"missing: {', '.join(missing)}")
    return layer.with_parameter_values({
        name: _number_array(given[name], shape, f"\"{name}\"", "[" + "][".join(str(n) for n in shape) + "]")
        for name, shape in shapes.items()})


def _number_array(raw: Any, shape: tuple[int, ...], what: str, layout: str) -> np.ndarray:
    if isinstance(raw, np.ndarray):  # from the weights file: float32 already, kept bit for bit
        if raw.shape != tuple(shape):
            raise DesignError(f"{what} has shape {list(raw.shape)} but must be {list(shape)} {layout}")
        if not np.all(np.isfinite(raw)):
            raise DesignError(f"{what} contains NaN or infinity")
        return raw
    found = _nested_shape(raw, what)
    if found != tuple(shape):
        raise DesignError(f"{what} has shape {list(found)} but must be {list(shape)} {layout}")
    try:
        array = np.array(raw, dtype=np.float64)
    except OverflowError:  # an integer literal beyond float64 (more than 308 digits)
        raise DesignError(f"{what} holds a number too large for float32") from None
    if not np.all(np.isfinite(array)):
        raise DesignError(f"{what} holds a number too large for float32")
    with np.errstate(over="ignore"):
        result = array.astype(np.float32)
    if not np.all(np.isfinite(result)):
        raise DesignError(f"{what} holds a number too large for float32")
    return result


def _nested_shape(raw: Any, what: str) -> tuple[int, ...]:
    """The shape of a rectangular nested list of numbers; DesignError for anything else."""
    if isinstance(raw, bool) or not isinstance(raw, (list, int, float)):
        raise DesignError(f"{what} must hold only numbers, found {_short(raw)}")
    if not isinstance(raw, list):
        return ()
    if not raw:
        return (0,)
    shapes = {_nested_shape(item, what) for item in raw}
    if len(shapes) != 1:
        raise DesignError(f"{what} is ragged: its rows differ in length")
    return (len(raw), *shapes.pop())


def _check_keys(mapping: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [key for key in mapping if key not in allowed]
    if unknown:
        listed = ", ".join(repr(k) for k in unknown)
        allowed_text = ", ".join(allowed) if allowed else "none"
        raise DesignError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {listed} "
                          f"(allowed: {allowed_text})")


def _is_plain_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- saving ----------------------------------------------------------------------------------------

def design_to_dict(design: Design) -> dict[str, Any]:
    """The JSON-ready form of ``design``. Arrays become nested lists of Python floats."""
    data: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    if design.name:
        data["name"] = design.name
    data["seed"] = design.seed
    spec = design.input
    data["input"] = {"channels": spec.channels, "height": spec.height, "width": spec.width}
    if design.input_values is not None:
        data["input"]["values"] = _float_lists(design.input_values)
    data["layers"] = [_layer_to_dict(layer) for layer in design.layers]
    return data


def _layer_to_dict(layer: Layer) -> dict[str, Any]:
    out: dict[str, Any] = {"type": layer.kind}
    if isinstance(layer, Conv2d):
        out.update(in_channels=layer.in_channels, out_channels=layer.out_channels,
                   kernel_size=_compact_pair(layer.kernel_size), stride=_compact_pair(layer.stride),
                   padding=layer.padding if isinstance(layer.padding, str)
                   else _compact_pair(layer.padding),
                   dilation=_compact_pair(layer.dilation), groups=layer.groups,
                   bias=layer.bias, padding_mode=layer.padding_mode)
    elif isinstance(layer, ConvTranspose2d):
        out.update(in_channels=layer.in_channels, out_channels=layer.out_channels,
                   kernel_size=_compact_pair(layer.kernel_size), stride=_compact_pair(layer.stride),
                   padding=_compact_pair(layer.padding),
                   output_padding=_compact_pair(layer.output_padding), groups=layer.groups,
                   bias=layer.bias, dilation=_compact_pair(layer.dilation))
    elif isinstance(layer, BatchNorm2d):
        out.update(num_features=layer.num_features, eps=layer.eps, momentum=layer.momentum,
                   affine=layer.affine, bias=layer.bias)
    elif isinstance(layer, Upsample):
        scale = layer.scale_factor
        out.update(scale_factor=list(scale) if isinstance(scale, tuple) else scale, mode=layer.mode)
    elif isinstance(layer, LeakyReLU):
        out["negative_slope"] = layer.negative_slope
    elif isinstance(layer, (MaxPool2d, AvgPool2d)):
        out["kernel_size"] = _json_int_or_pair(layer.kernel_size)
        if layer.stride is not None:
            out["stride"] = _json_int_or_pair(layer.stride)
        out["padding"] = _json_int_or_pair(layer.padding)
    # A layer's tensors go inline all together or not at all (the rest come from the seed).
    if layer.has_parameters and layer.has_explicit_parameters:
        for name, values in layer.parameter_values().items():
            if values is not None:
                out[name] = _float_lists(values)
    return out


def _compact_pair(pair: Pair) -> int | list[int]:
    return pair[0] if pair[0] == pair[1] else list(pair)


def _json_int_or_pair(value: int | Pair) -> int | list[int]:
    return value if isinstance(value, int) else list(value)


def _float_lists(array: np.ndarray) -> Any:
    # float32 -> float64 is exact, and json writes the shortest repr that reads back to the same
    # float64, so the float32 comes back bit for bit.
    return array.astype(np.float64).tolist()


def design_to_json(design: Design) -> str:
    """Readable JSON: structure indented, each innermost row of numbers on one line."""
    return _dump(design_to_dict(design), 0) + "\n"


def _dump(value: Any, level: int) -> str:
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {_dump(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (list, dict)) for v in value):
            return "[" + ", ".join(_scalar(v) for v in value) + "]"
        return "[\n" + ",\n".join(inner + _dump(v, level + 1) for v in value) + "\n" + pad + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DesignError("a design cannot hold NaN or infinity")
        return _shortest_float_text(value)
    return json.dumps(value, ensure_ascii=False)


def _shortest_float_text(value: float) -> str:
    """The shortest decimal that reads back to ``value`` -- as float32 when ``value`` is one.

    Weights are float32; their float64 repr (``0.10000000149011612``) is exact but unreadable, so a
    value that is exactly a float32 is written as float32's shortest repr (``0.1``), checked to read
    back to the same bits through float64 as every JSON reader does.
    """
    single = np.float32(value)
    if float(single) == value:
        text = str(single)
        if np.float32(float(text)).tobytes() == single.tobytes():
            return text
    return repr(value)


def save_design(design: Design, path: str | os.PathLike[str]) -> None:
    """Write ``design`` to ``path`` atomically: either the whole new file is there, or the old one.

    A design holding more than :data:`~convdesigner.design.sidecar.INLINE_MAX_VALUES` numbers
    keeps its large arrays in ``<name>.weights.npz`` beside the file, written first (see
    :mod:`convdesigner.design.sidecar`), so that whatever is saved here :func:`load_design` reads.
    Raises :class:`DesignError` when a folder cannot be written or the file would still be larger
    than :data:`MAX_FILE_BYTES` (nothing is written then).
    """
    path = Path(path)
    bare, arrays, refer = externalize(design)
    data = design_to_dict(bare)
    if arrays:
        data["weights_file"] = sidecar_name(path)
        refer(data)
    text = _dump(data, 0) + "\n"
    size = len(text.encode("utf-8", "surrogatepass"))  # unencodable text: refused when written
    if size > MAX_FILE_BYTES:
        raise DesignError(f"{path.name} would be {size:,} bytes, more than the {MAX_FILE_BYTES:,} a "
                          "design file may have; nothing was written")
    if arrays:
        write_sidecar(path.with_name(sidecar_name(path)), arrays)
    write_text_atomically(path, text)


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :mod:`convdesigner.atomic`, the one writer).

    Raises :class:`DesignError` with the reason when the file cannot be written.
    """
    _write_text_atomically(path, text, DesignError)
