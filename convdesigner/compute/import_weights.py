"""Reading a PyTorch weights file safely and pairing its tensors with a design's ``Conv2d`` layers.

* :func:`read_state_dict` -- a ``.pt``/``.pth`` file (a ``state_dict``, or a checkpoint that nests
  one under ``"state_dict"``, ``"model_state_dict"`` or ``"model"``) as ``{key: numpy array}``;
* :func:`match_weights`   -- per ``Conv2d`` layer of a design, the (weight, bias) pairs of the file
  whose shapes fit it (a :class:`WeightMatch`);
* :func:`apply_match`     -- the design with the chosen tensors, float32, bit for bit.

Safety: a ``.pt`` file is a pickle, and an ordinary unpickler runs whatever function the file names.
Files are read **only** with ``torch.load(path, map_location="cpu", weights_only=True)``, PyTorch's
restricted unpickler, which builds tensors, numbers, strings, lists and dicts and refuses every
other global *before* calling it. A refusal is reported as "… asks to run code (the function it
names)"; nothing in the file is ever executed. When PyTorch's refusal does not name the function
(a pickle using opcodes its unpickler does not support), the pickle's opcodes are listed with
:func:`pickletools.genops` -- which only parses, never runs -- to name it.

Every problem is an :class:`~convdesigner.errors.InputFileError` whose message names the file.
Imports torch and numpy, never Qt.
"""

from __future__ import annotations

import os
import pickle
import pickletools
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import torch

from convdesigner.design.layers import Conv2d, Design
from convdesigner.design.numbers import shape_text
from convdesigner.errors import DesignError, InputFileError

#: Largest weights file read (a VGG-16 state_dict is about 0.5 GB).
MAX_FILE_BYTES = 2 * 1024**3
#: Most members a weights archive may have (a state_dict of a large model has a few thousand).
MAX_MEMBERS = 100_000
#: Where checkpoints commonly keep the model's state_dict, in the order they are looked for.
CHECKPOINT_KEYS = ("state_dict", "model_state_dict", "model")
#: At most this many tensors are listed in a "nothing fits" message.
MAX_LISTED = 24

_ZIP_SIGNATURE = b"PK\x03\x04"
_CRC_CHUNK = 16 * 1024**2
_PICKLE_PROTOCOL_OPCODE = b"\x80"
# Globals a torch.save'd state_dict legitimately names: PyTorch's tensor rebuilders and storages,
# and the OrderedDict a state_dict is.
_TORCH_GLOBAL = re.compile(r"^(torch(\.|$)|collections\.OrderedDict$|_codecs\.encode$)")
_MAX_OPCODES_SCANNED = 200_000


# -- reading -----------------------------------------------------------------------------------

def read_state_dict(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """The tensors of a ``state_dict`` file (or of the state_dict inside a checkpoint).

    Returns ``{key: array}`` in file order; floating-point tensors keep their dtype (bfloat16,
    which numpy lacks, becomes float32 exactly), integer and bool tensors are kept too; entries
    that are not tensors (an epoch number, an optimizer's settings) and tensors numpy cannot hold
    (quantized, sparse) are left out. Arrays are new and owned by the caller.

    Raises :class:`InputFileError` with a plain-language reason for a missing, empty, damaged or
    unsafe file (one that asks to run code), a TorchScript archive, or a file holding no tensors.

    Before ``torch.load`` reads anything: a file larger than :data:`MAX_FILE_BYTES`, or than half
    the memory budget (its tensors are held twice while they are copied), is refused from its size;
    a zip archive (what ``torch.save`` writes) is refused from its central directory when its
    members would unpack to more than that or number more than :data:`MAX_MEMBERS` (a
    decompression bomb), and when any member's bytes do not match their CRC-32 (damaged tensor
    data, which ``torch.load`` would import as it is).
    """
    path = Path(path)
    name = path.name or str(path)
    head = _check_file(path, name)
    if head.startswith(_ZIP_SIGNATURE):
        _check_archive(path, name)
    try:
        with warnings.catch_warnings():
            # "Detected pickle protocol 4", "looks like a TorchScript archive": reported below.
            warnings.simplefilter("ignore")
            loaded = torch.load(str(path), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        raise InputFileError(_unpickling_message(path, name, head, str(error))) from None
    except MemoryError:
        raise InputFileError(f"{name} is too large to load into memory") from None
    except Exception as error:  # noqa: BLE001 -- torch raises RuntimeError, KeyError, EOFError, OSError, ...
        raise InputFileError(_load_failure_message(path, name, head, error)) from None
    return _tensors_of(loaded, name)


def _load_limit() -> int:
    """Bytes of tensors a file may hold: :data:`MAX_FILE_BYTES`, or half the memory budget."""
    from convdesigner.design.budget import memory_budget

    limit = memory_budget().limit
    return MAX_FILE_BYTES if limit is None else min(MAX_FILE_BYTES, limit // 2)


def _check_archive(path: Path, name: str) -> None:
    """Refuse a zip whose directory promises too much, or whose members fail their CRC-32.

    Reads the central directory first (a few kB at the end of the file) and refuses before
    inflating anything; then reads every member through once, in chunks, to check its CRC
    (nothing is kept). A file that is not a readable zip is left to torch.load to report.
    """
    from convdesigner.design.budget import format_bytes

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputFileError(f"{name} holds {len(members):,} files; a weights file holds at "
                                     f"most {MAX_MEMBERS:,}")
            inflated = sum(member.file_size for member in members)
            limit = _load_limit()
            if inflated > limit:
                raise InputFileError(
                    f"{name} would unpack to {inflated:,} bytes ({format_bytes(inflated)}); at most "
                    f"{limit:,} bytes ({format_bytes(limit)}) of weights can be imported here")
            for member in members:
                try:
                    with archive.open(member) as stream:
                        while stream.read(_CRC_CHUNK):
                            pass
                except zipfile.BadZipFile as error:
                    what = (f"its record {member.filename!r} does not match its checksum (CRC-32)"
                            if "CRC" in str(error) else f"{error}")
                    raise InputFileError(f"{name} is damaged: {what}; it was not imported (copy or "
                                         "download it again)") from None
    except InputFileError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return  # not a zip zipfile can read: torch.load's own error says what is wrong


def _check_file(path: Path, name: str) -> bytes:
    """The file's first bytes, after checking it exists, is a file, is not empty or too large."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputFileError(f"{path} is a folder, not a weights file")
        if size == 0:
            raise InputFileError(f"{name} is empty (0 bytes), not a weights file")
        limit = _load_limit()
        if size > limit:
            raise InputFileError(f"{name} is {size:,} bytes; weights files of at most "
                                 f"{limit:,} bytes are accepted here")
        with open(path, "rb") as stream:
            return stream.read(8)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror or error}") from None


def _refused(name: str, what: str) -> str:
    return (f"{name} is not a plain weights file: it asks to run code ({what}); only state_dicts "
            "of tensors are accepted")


def _unpickling_message(path: Path, name: str, head: bytes, message: str) -> str:
    """Why the restricted unpickler refused the file: a named global, or else a damaged pickle."""
    found = re.search(r"GLOBAL ([\w.]+)", message)
    if found:
        return _refused(name, found.group(1))
    names = _pickle_globals(path, head)
    foreign = [item for item in names if not _TORCH_GLOBAL.match(item)]
    if foreign:
        return _refused(name, ", ".join(dict.fromkeys(foreign)))
    return (f"{name} cannot be read as PyTorch weights: it is damaged, or it was written by "
            "something other than torch.save")


def _pickle_globals(path: Path, head: bytes) -> list[str]:
    """The functions and classes a pickle names, found by parsing its opcodes (nothing is run).

    Looks at the file itself, or at the ``data.pkl`` inside a torch zip archive. Returns what it
    could find before the first parse error (a damaged pickle stops the scan, not the caller).
    """
    try:
        if head.startswith(_ZIP_SIGNATURE):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.endswith("data.pkl")]
                if not members:
                    return []
                with archive.open(members[0]) as stream:
                    return _scan_opcodes(stream)
        with open(path, "rb") as stream:
            return _scan_opcodes(stream)
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return []


def _scan_opcodes(stream: IO[bytes]) -> list[str]:
    names: list[str] = []
    strings: list[str] = []
    try:
        for count, (opcode, argument, _position) in enumerate(pickletools.genops(stream)):
            if count > _MAX_OPCODES_SCANNED:
                break
            if opcode.name in ("GLOBAL", "INST") and isinstance(argument, str):
                names.append(argument.replace(" ", "."))
            elif opcode.name == "STACK_GLOBAL":
                names.append(".".join(strings[-2:]) if len(strings) >= 2 else "an unnamed function")
            elif isinstance(argument, str) and ("UNICODE" in opcode.name or "STRING" in opcode.name):
                strings.append(str(argument))
            if opcode.name == "STOP":
                break
    except Exception:  # noqa: BLE001 -- genops raises ValueError and others on a damaged pickle: keep what was found
        pass
    return names


def _load_failure_message(path: Path, name: str, head: bytes, error: Exception) -> str:
    text = str(error)
    if "TorchScript" in text:
        return (f"{name} is a TorchScript archive (a compiled program), not a state_dict; in "
                "Python, save the weights with torch.save(model.state_dict(), 'model.pt') and "
                "import that file")
    if head.startswith(_ZIP_SIGNATURE):
        if not zipfile.is_zipfile(path):
            return f"{name} is damaged or incomplete: its zip archive is cut short or corrupt"
        return (f"{name} is a zip archive but not one written by torch.save (it lacks the "
                "data.pkl and tensor records PyTorch writes)")
    if head.startswith(_PICKLE_PROTOCOL_OPCODE) or isinstance(error, EOFError):
        return (f"{name} is damaged or incomplete: it ends before all its tensors are read "
                "(was the download or copy interrupted?)")
    return (f"{name} is not a PyTorch weights file: it is neither the zip archive nor the pickle "
            "that torch.save writes")


def _tensors_of(loaded: object, name: str) -> dict[str, np.ndarray]:
    if isinstance(loaded, torch.Tensor):
        raise InputFileError(f"{name} holds a single tensor of shape {list(loaded.shape)}, not a "
                             "state_dict (a dict of named tensors such as model.state_dict())")
    if not isinstance(loaded, Mapping):
        raise InputFileError(f"{name} holds a {type(loaded).__name__}, not a state_dict (a dict "
                             "of named tensors such as model.state_dict())")
    state = loaded
    if not any(isinstance(value, torch.Tensor) for value in loaded.values()):
        for key in CHECKPOINT_KEYS:
            nested = loaded.get(key)
            if isinstance(nested, Mapping) and any(isinstance(v, torch.Tensor) for v in nested.values()):
                state = nested
                break
    tensors: dict[str, np.ndarray] = {}
    for key, value in state.items():
        if isinstance(value, torch.Tensor):
            array = _as_array(value)
            if array is not None:
                tensors[str(key)] = array
    if not tensors:
        keys = ", ".join(repr(str(key)) for key in list(loaded)[:8]) or "nothing"
        raise InputFileError(
            f"{name} holds no tensors to import: neither at its top level nor under "
            f"{', '.join(repr(k) for k in CHECKPOINT_KEYS)} (its keys: {keys})")
    return tensors


def _as_array(tensor: torch.Tensor) -> np.ndarray | None:
    """A new numpy copy of a dense CPU tensor, or None for one numpy cannot hold."""
    if tensor.layout != torch.strided or tensor.is_quantized or tensor.is_complex():
        return None
    tensor = tensor.detach()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.to(torch.float32)  # exact: every bfloat16 is a float32
    try:
        return np.array(tensor.cpu().numpy(), copy=True)
    except (TypeError, RuntimeError):
        return None


# -- matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One (weight, bias) pair of the file that fits a layer.

    ``weight_key``/``bias_key`` name the tensors in the file (``bias_key`` is None when the file
    has no bias for that module); ``position`` is the weight's place in the file (0, 1, ...).
    ``note`` says how the bias is handled when the file and the layer disagree about having one.
    """

    weight_key: str
    bias_key: str | None
    position: int
    weight: np.ndarray = field(repr=False, compare=False)
    bias: np.ndarray | None = field(repr=False, compare=False)
    note: str = ""

    def label(self) -> str:
        """``"features.3.weight [64, 64, 3, 3] + features.3.bias [64]"``, for a list of choices."""
        text = f"{self.weight_key} {shape_text(self.weight.shape, 'list')}"
        if self.bias_key is not None and self.bias is not None:
            text += f" + {self.bias_key} {shape_text(self.bias.shape, 'list')}"
        return text + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class LayerMatch:
    """A ``Conv2d`` of the design (``index`` in ``design.layers``) and the file's candidates for it."""

    index: int
    layer: Conv2d
    candidates: tuple[Candidate, ...]

    def needs(self) -> str:
        """``"weight [64, 1, 4, 4] and bias [64]"``: what the layer needs, as text."""
        text = f"weight {shape_text(self.layer.weight_shape, 'list')}"
        if self.layer.bias:
            text += f" and bias {shape_text((self.layer.out_channels,), 'list')}"
        return text


@dataclass(frozen=True)
class WeightMatch:
    """What :func:`match_weights` found: one :class:`LayerMatch` per ``Conv2d`` of the design."""

    source: str
    layers: tuple[LayerMatch, ...]
    file_shapes: tuple[tuple[str, tuple[int, ...]], ...]

    @property
    def is_ambiguous(self) -> bool:
        """Some layer has several candidates (e.g. two 64×64×3×3 weights): the user must choose."""
        return any(len(match.candidates) > 1 for match in self.layers)

    @property
    def nothing_fits(self) -> bool:
        """No layer has a single candidate (also when the design has no ``Conv2d``)."""
        return not any(match.candidates for match in self.layers)

    @property
    def missing(self) -> tuple[LayerMatch, ...]:
        """The layers nothing in the file fits; an import leaves their parameters as they are."""
        return tuple(match for match in self.layers if not match.candidates)

    @property
    def message(self) -> str:
        """Why nothing fits (the shapes in the file vs the shapes the design needs), or, when
        only some layers fit, which ones keep their weights; empty when every layer has a match."""
        if not self.layers:
            return (f"The design has no Conv2d layer, so there is nothing to take weights from "
                    f"{self.source}.")
        if self.nothing_fits:
            return "\n".join([f"No tensors in {self.source} fit this design's Conv2d layers.",
                              *self._needs_lines(self.layers), *self._file_lines()])
        if self.missing:
            indices = ", ".join(str(match.index) for match in self.missing)
            plural = "s" if len(self.missing) > 1 else ""
            return "\n".join([f"Nothing in {self.source} fits layer{plural} {indices}; "
                              f"{'they keep' if plural else 'it keeps'} {'their' if plural else 'its'} "
                              "current weights.", *self._needs_lines(self.missing),
                              *self._file_lines()])
        return ""

    def _needs_lines(self, matches: tuple[LayerMatch, ...]) -> list[str]:
        return ["The design needs (weight shapes are [out_channels, in_channels / groups, "
                "kernel height, kernel width]):",
                *(f"  layer {match.index} ({match.layer.torch_repr()}): {match.needs()}"
                  for match in matches)]

    def _file_lines(self) -> list[str]:
        four_d = [(key, shape) for key, shape in self.file_shapes if len(shape) == 4]
        if not four_d:
            examples = ", ".join(f"{key} {shape_text(shape, 'list')}" for key, shape in self.file_shapes[:4])
            return [f"{self.source} holds no 4-dimensional (convolution weight) tensors; it holds "
                    f"{len(self.file_shapes)} others, e.g. {examples}."]
        lines = [f"{self.source} holds these convolution weights:"]
        lines += [f"  {key} {shape_text(shape, 'list')}" for key, shape in four_d[:MAX_LISTED]]
        if len(four_d) > MAX_LISTED:
            lines.append(f"  … and {len(four_d) - MAX_LISTED} more")
        return lines

    def default_choices(self) -> dict[int, Candidate]:
        """A choice per layer that has candidates: in file order, the first candidate after the
        one chosen for the previous layer (so two 64×64×3×3 layers take the file's first and second
        such weights); the first candidate when none comes later."""
        choices: dict[int, Candidate] = {}
        last = -1
        used: set[str] = set()
        for match in self.layers:
            if not match.candidates:
                continue
            ordered = sorted(match.candidates, key=lambda c: c.position)
            pick = next((c for c in ordered if c.position > last and c.weight_key not in used),
                        next((c for c in ordered if c.weight_key not in used), ordered[0]))
            choices[match.index] = pick
            used.add(pick.weight_key)
            last = pick.position
        return choices


def match_weights(design: Design, state: Mapping[str, np.ndarray],
                  source: str = "the file") -> WeightMatch:
    """Pair each ``Conv2d`` of ``design`` with the file's tensors that fit it, by shape.

    A weight fits when it is a floating-point tensor of exactly the layer's shape
    ``[out_channels, in_channels / groups, kH, kW]``; its bias is the tensor of the same module
    (``"features.3.weight"`` → ``"features.3.bias"``) of shape ``[out_channels]``. A layer with a
    bias also takes a weight whose module has none (its bias is then 0, which is what that module
    computes); a layer without one leaves the file's bias out. ``source`` names the file in messages.
    """
    keys = list(state)
    floating = {key: np.asarray(value) for key, value in state.items()
                if np.asarray(value).dtype.kind == "f"}
    matches = []
    for index, layer in enumerate(design.layers):
        if not isinstance(layer, Conv2d):
            continue
        candidates = []
        for position, key in enumerate(keys):
            weight = floating.get(key)
            if weight is None or weight.shape != layer.weight_shape:
                continue
            candidate = _candidate(layer, key, position, weight, floating)
            if candidate is not None:
                candidates.append(candidate)
        matches.append(LayerMatch(index, layer, tuple(candidates)))
    shapes = tuple((key, tuple(np.asarray(value).shape)) for key, value in state.items())
    return WeightMatch(source, tuple(matches), shapes)


def _candidate(layer: Conv2d, key: str, position: int, weight: np.ndarray,
               floating: Mapping[str, np.ndarray]) -> Candidate | None:
    bias_key = key[: -len("weight")] + "bias" if key.endswith("weight") else None
    bias = floating.get(bias_key) if bias_key is not None else None
    if bias is not None and bias.shape != (layer.out_channels,):
        return None  # a "bias" of another shape: this is not a convolution's weight and bias
    if bias is None:
        bias_key = None
    if layer.bias:
        note = "" if bias is not None else "no bias in the file: the bias is set to 0"
        return Candidate(key, bias_key, position, weight, bias, note)
    note = "the file's bias is left out: the layer has bias=False" if bias is not None else ""
    return Candidate(key, None, position, weight, None, note)


def apply_match(design: Design, choices: Mapping[int, Candidate]) -> Design:
    """``design`` with each chosen layer (``choices``: layer index → :class:`Candidate`) holding
    the candidate's tensors as float32 -- bit for bit when the file holds float32. Layers not in
    ``choices`` are unchanged. Raises :class:`DesignError` when a choice does not fit its layer."""
    for index, candidate in choices.items():
        layer = design.layers[index] if 0 <= index < len(design.layers) else None
        if not isinstance(layer, Conv2d):
            raise DesignError(f"layer {index} is not a Conv2d layer, so it cannot take weights")
        if tuple(candidate.weight.shape) != layer.weight_shape:
            raise DesignError(f"{candidate.weight_key} has shape {shape_text(candidate.weight.shape, 'list')} "
                              f"but layer {index} needs {shape_text(layer.weight_shape, 'list')}")
        weight = np.asarray(candidate.weight, dtype=np.float32)
        bias = None
        if layer.bias:
            bias = (np.asarray(candidate.bias, dtype=np.float32) if candidate.bias is not None
                    else np.zeros(layer.out_channels, dtype=np.float32))
        design = design.with_layer(index, layer.with_parameters(weight, bias))
    return design
