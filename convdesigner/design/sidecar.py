"""Large arrays of a design file, kept beside it in a NumPy ``.npz`` "weights file".

A design file holds its numbers inline as long as they are few (a teacher can read and type
them). When a design holds more than :data:`INLINE_MAX_VALUES` values in all (weights, biases and
input values), :func:`convdesigner.design.io.save_design` writes every array of more than
:data:`SIDECAR_MIN_VALUES` values into ``<name>.weights.npz`` beside ``<name>.json`` and the JSON
refers to them by key::

    "weights_file": "model.weights.npz",
    "layers": [{"type": "Conv2d", ..., "weight": "layers.2.weight", "bias": "layers.2.bias"}]
    "input": {..., "values": "input.values"}

The ``.npz`` is written with ``np.savez`` (uncompressed, float32, bit for bit) and read with
``np.load(allow_pickle=False)``: it holds plain arrays, nothing in it is ever executed. It must lie
in the same folder as the JSON (``weights_file`` is a bare file name). Before any array is read,
the sizes in the zip's directory are checked against :data:`MAX_SIDECAR_BYTES` and the memory
budget (:mod:`convdesigner.design.budget`), and each array's header against the shape the design
needs. Every problem is a :class:`~convdesigner.errors.DesignError` naming the file.

Pure Python plus numpy: no torch, no Qt.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from convdesigner.errors import DesignError

if TYPE_CHECKING:
    from convdesigner.design.layers import Design

#: Up to this many values in all, a design file keeps every number inline (≈ 40–70 MB of JSON).
INLINE_MAX_VALUES = 4 * 1024**2
#: When the total is larger, arrays of more than this many values go to the weights file.
SIDECAR_MIN_VALUES = 4096
#: Largest weights file read, in bytes (a design's arrays are at most a few GB).
MAX_SIDECAR_BYTES = 16 * 1024**3
SIDECAR_SUFFIX = ".weights.npz"


def sidecar_name(design_path: Path) -> str:
    """``model.json`` → ``model.weights.npz``."""
    stem = design_path.name[: -len(".json")] if design_path.name.lower().endswith(".json") else design_path.name
    return stem + SIDECAR_SUFFIX


def write_sidecar(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` (float32) to ``path`` with ``np.savez``, atomically (temporary file + rename,
    the usual permissions). Raises :class:`DesignError` when the folder cannot be written."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "xb") as stream:
            # numpy's stub lets a ``**`` mapping reach savez's ``allow_pickle: bool`` (numpy >= 2.1);
            # these keys are a design's ("layers.2.weight", "input.values"), never that name.
            np.savez(stream, **{key: np.ascontiguousarray(value, dtype=np.float32)  # type: ignore[arg-type]
                                for key, value in arrays.items()})
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise DesignError(f"cannot write {path}: {error.strerror or error}") from None
        raise


def read_sidecar(design_path: Path, name: object, *, budget: int | None = None) -> dict[str, np.ndarray]:
    """The arrays of the weights file ``name`` beside ``design_path``, each a new float32 array.

    Refuses, before reading any array, a name that is not a bare file name, a missing file, a
    file larger than :data:`MAX_SIDECAR_BYTES`, a zip whose members would inflate to more than
    that or than the memory budget (``budget`` bytes overrides it), members that are not ``.npy``
    arrays of float32, and damaged members (their CRC is checked while reading).
    """
    from convdesigner.design.budget import format_bytes, memory_budget

    source = design_path.name
    if not isinstance(name, str) or not name or Path(name).name != name or name in (".", ".."):
        raise DesignError(f"{source}: \"weights_file\" must be the name of a file in the same folder, "
                          f"got {name!r}")
    path = design_path.parent / name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DesignError(f"{source} keeps its weights in {name}, which is missing (it must lie in the "
                          "same folder as the design file)") from None
    except OSError as error:
        raise DesignError(f"cannot read {path}: {error.strerror or error}") from None
    if size > MAX_SIDECAR_BYTES:
        raise DesignError(f"{name} is {size:,} bytes; a weights file is at most {MAX_SIDECAR_BYTES:,}")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            inflated = sum(member.file_size for member in members)
            limit = memory_budget(budget).limit
            if inflated > MAX_SIDECAR_BYTES or (limit is not None and inflated > limit):
                shown = MAX_SIDECAR_BYTES if limit is None else min(limit, MAX_SIDECAR_BYTES)
                raise DesignError(f"{name} would unpack to {inflated:,} bytes ({format_bytes(inflated)}); "
                                  f"at most {shown:,} bytes ({format_bytes(shown)}) can be loaded here")
            arrays = {}
            for member in members:
                if not member.filename.endswith(".npy"):
                    raise DesignError(f"{name} holds {member.filename!r}, which is not a NumPy array")
                with archive.open(member) as stream:   # zipfile checks the CRC at the end
                    array = np.lib.format.read_array(stream, allow_pickle=False)
                if array.dtype != np.float32:
                    raise DesignError(f"{name}: {member.filename[:-4]!r} holds {array.dtype} values, "
                                      "not float32")
                arrays[member.filename[:-4]] = array
            return arrays
    except DesignError:
        raise
    except zipfile.BadZipFile as error:
        raise DesignError(f"{name} is damaged: {error}") from None
    except (OSError, ValueError, EOFError) as error:
        raise DesignError(f"{name} is damaged or not a weights file ({error})") from None


__all__ = ["INLINE_MAX_VALUES", "SIDECAR_MIN_VALUES", "read_sidecar", "sidecar_name", "write_sidecar"]


def _size(array: np.ndarray | None) -> int:
    return 0 if array is None else int(array.size)


def externalize(design: Design) -> tuple[Design, dict[str, np.ndarray],
                                         Callable[[dict[str, Any]], None]]:
    """Split ``design`` for saving: ``(bare, arrays, refer)``.

    When the design holds at most :data:`INLINE_MAX_VALUES` values, ``bare`` is ``design``,
    ``arrays`` is empty and ``refer`` does nothing. Otherwise ``bare`` is the design without its
    large arrays (each of more than :data:`SIDECAR_MIN_VALUES` values; a weight takes its bias
    along), ``arrays`` maps keys (``"layers.2.weight"``, ``"input.values"``) to them, and
    ``refer(data)`` puts those keys where the arrays were in ``bare``'s JSON-ready dict.
    """
    from dataclasses import replace

    total = _size(design.input_values) + sum(
        _size(values) for layer in design.layers for values in layer.parameter_values().values())
    arrays: dict[str, np.ndarray] = {}
    if total <= INLINE_MAX_VALUES:
        return design, arrays, lambda data: None
    layers = list(design.layers)
    moved: dict[int, list[str]] = {}
    for index, layer in enumerate(layers):
        values = layer.parameter_values()
        if layer.has_explicit_parameters and any(_size(array) > SIDECAR_MIN_VALUES for array in values.values()):
            for name, array in values.items():
                if array is not None:
                    arrays[f"layers.{index}.{name}"] = array
            layers[index] = layer.without_parameters()
            moved[index] = list(values)
    values_moved = False
    if design.input_values is not None and design.input_values.size > SIDECAR_MIN_VALUES:
        arrays["input.values"] = design.input_values
        values_moved = True
    bare = replace(design, layers=tuple(layers), input_values=None if values_moved else design.input_values)

    def refer(data: dict[str, Any]) -> None:
        for index, names in moved.items():
            for name in names:
                data["layers"][index][name] = f"layers.{index}.{name}"
        if values_moved:
            data["input"]["values"] = "input.values"

    return bare, arrays, refer


#: The design-file keys that may hold a layer's tensor (state_dict names); a text there is a
#: reference into the weights file.
_TENSOR_KEYS = ("weight", "bias", "running_mean", "running_var")


def resolve_references(data: dict[str, Any], arrays: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """A copy of a parsed design file in which every reference to the weights file (a text
    where a ``weight``, a ``bias`` list or input ``values`` belong) is replaced by its array.
    Raises :class:`DesignError` for a key the weights file does not hold."""
    def look_up(key: str, where: str) -> np.ndarray:
        if key not in arrays:
            raise DesignError(f"{where} refers to {key!r}, which the weights file does not hold "
                              f"(it holds {', '.join(sorted(arrays)) or 'nothing'})")
        return arrays[key]

    data = {key: value for key, value in data.items() if key != "weights_file"}
    raw_input = data.get("input")
    if isinstance(raw_input, dict) and isinstance(raw_input.get("values"), str):
        data["input"] = {**raw_input, "values": look_up(raw_input["values"], "\"input\" \"values\"")}
    layers = data.get("layers")
    if isinstance(layers, list):
        resolved = []
        for index, layer in enumerate(layers):
            if isinstance(layer, dict):
                layer = dict(layer)
                for key in _TENSOR_KEYS:
                    if isinstance(layer.get(key), str):
                        layer[key] = look_up(layer[key], f"layer {index} \"{key}\"")
            resolved.append(layer)
        data["layers"] = resolved
    return data


__all__ += ["externalize", "resolve_references"]
