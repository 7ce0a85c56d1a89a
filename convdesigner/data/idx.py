"""Read and write IDX files, the format of the original MNIST distribution.

An IDX file is a 4-byte magic number ``00 00 TT DD`` (``TT`` the element type, ``DD`` the number of
dimensions), then ``DD`` sizes as big-endian unsigned 32-bit integers, then the elements in C order,
big-endian. MNIST's ``*-images-idx3-ubyte`` files are ``0x00000803`` (ubyte, 3 dimensions:
count, rows, columns) and its ``*-labels-idx1-ubyte`` files ``0x00000801`` (ubyte, 1 dimension).
A name ending in ``.gz`` is read and written gzip-compressed.

Every problem with a file is an :class:`InputFileError` naming the file and the numbers involved;
sizes are checked against the file and against :data:`MAX_IDX_BYTES` before anything large is
allocated.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from convdesigner.errors import InputFileError

#: IDX type code -> big-endian NumPy dtype.
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_TYPE_NAMES = {0x08: "ubyte", 0x09: "byte", 0x0B: "short", 0x0C: "int", 0x0D: "float", 0x0E: "double"}

#: Largest payload read, so a damaged or hostile header cannot make us allocate without bound.
MAX_IDX_BYTES = 2 * 1024**3

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
_HEADER_BYTES = 4
_READ_CHUNK = 16 * 1024**2


def _is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _open(path: Path) -> io.BufferedIOBase:
    try:
        if path.is_dir():
            raise InputFileError(f"{path.name}: is a folder, not an IDX file")
        return gzip.open(path, "rb") if _is_gzip(path) else open(path, "rb")
    except FileNotFoundError:
        raise InputFileError(f"{path.name}: no such file ({path})") from None
    except OSError as error:
        raise InputFileError(f"{path.name}: cannot be opened ({error.strerror or error})") from None


def _read_exactly(stream: io.BufferedIOBase, count: int) -> bytes:
    """Read up to ``count`` bytes in chunks, so a lying header on a gzip file costs no more than its data."""
    chunks = []
    remaining = count
    while remaining > 0:
        chunk = stream.read(min(remaining, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _payload_limit() -> int:
    """:data:`MAX_IDX_BYTES`, or less when the memory budget is smaller (bytes)."""
    from convdesigner.design.budget import memory_budget

    limit = memory_budget().limit
    return MAX_IDX_BYTES if limit is None else min(MAX_IDX_BYTES, limit)


def _read_payload(stream: io.BufferedIOBase, count: int) -> np.ndarray:
    """Exactly up to ``count`` bytes into one new uint8 array, read in chunks straight into it (no
    second copy); a short read gives a shorter array. Never reads past ``count``."""
    buffer = np.empty(count, dtype=np.uint8)
    view = buffer.data   # a memoryview of the array's bytes
    done = 0
    while done < count:
        got = stream.readinto(view[done: done + min(count - done, _READ_CHUNK)])
        if not got:
            break
        done += got
    return buffer[:done]


def _read_header(stream: io.BufferedIOBase, name: str) -> tuple[int, tuple[int, ...]]:
    """``(type code, declared shape)`` from the header at the start of ``stream``; raises
    :class:`InputFileError` (naming ``name``) for a short or wrong header."""
    header = _read_exactly(stream, _HEADER_BYTES)
    if len(header) < _HEADER_BYTES:
        raise InputFileError(
            f"{name}: too short to be an IDX file ({_plural(len(header), 'byte')}; its header alone takes 4)"
        )
    (magic,) = struct.unpack(">I", header)
    type_code, ndim = header[2], header[3]
    if header[0] != 0 or header[1] != 0 or type_code not in IDX_DTYPES:
        raise InputFileError(
            f"{name}: wrong magic number 0x{magic:08X} (an IDX file starts with 0x0000TTDD, TT a type "
            f"code 08, 09, 0B, 0C, 0D or 0E; MNIST images start with 0x{IMAGES_MAGIC:08X})"
        )
    if ndim == 0:
        raise InputFileError(f"{name}: wrong dimension count 0 (an IDX file has at least 1 dimension)")
    size_bytes = _read_exactly(stream, 4 * ndim)
    if len(size_bytes) < 4 * ndim:
        raise InputFileError(
            f"{name}: truncated header ({ndim} dimensions need {4 * ndim} bytes of sizes, "
            f"only {len(size_bytes)} are there)"
        )
    return type_code, struct.unpack(f">{ndim}I", size_bytes)


def read_idx_shape(path: str | os.PathLike[str]) -> tuple[int, ...]:
    """The shape an IDX file's header declares (``(count, rows, columns)`` for MNIST images),
    reading only the header (a few bytes, also of a ``.gz``): cheap enough to call as soon as a
    file is chosen. Raises :class:`InputFileError` as :func:`read_idx` does for a bad header."""
    path = Path(path)
    try:
        with _open(path) as stream:
            return _read_header(stream, path.name)[1]
    except InputFileError:
        raise
    except (OSError, EOFError, zlib.error) as error:
        raise InputFileError(f"{path.name}: cannot be read ({error})") from None


def read_idx(path: str | os.PathLike[str], *,
             check_shape: Callable[[str, tuple[int, ...]], None] | None = None) -> np.ndarray:
    """Read a whole IDX file (``.gz`` allowed) into a native-endian array of its stored type and shape.

    Returns uint8, int8, int16, int32, float32 or float64 with the ``DD`` declared sizes as shape.
    Raises :class:`InputFileError` for a missing or unreadable file, a wrong magic number, an unknown
    type code, zero dimensions, a payload over :data:`MAX_IDX_BYTES` or over the memory budget
    (:mod:`convdesigner.design.budget`), a truncated payload, or extra bytes after it.

    Only the header is read before these checks, and ``check_shape(name, shape)`` (when given)
    may refuse the declared shape too: a decompression bomb (a small ``.gz`` that inflates to
    gigabytes) is refused before any of it is inflated. The payload is then streamed into one
    buffer of exactly the declared size, so a header that lies cannot inflate more than that (plus
    one byte, to notice the lie).
    """
    path = Path(path)
    name = path.name
    try:
        with _open(path) as stream:
            type_code, shape = _read_header(stream, name)
            ndim = len(shape)
            dtype = IDX_DTYPES[type_code]
            # Python ints: the product of several 32-bit sizes overflows any fixed-width integer.
            element_count = 1
            for size in shape:
                element_count *= size
            payload_bytes = element_count * dtype.itemsize
            shape_text = "×".join(str(size) for size in shape)
            if check_shape is not None:
                check_shape(name, shape)
            limit = _payload_limit()
            if payload_bytes > limit:
                raise InputFileError(
                    f"{name}: declares {shape_text} {_TYPE_NAMES[type_code]} values ({payload_bytes:,} bytes), "
                    f"more than the {limit:,}-byte limit"
                )
            header_total = _HEADER_BYTES + 4 * ndim
            if not _is_gzip(path):
                # Compare with the size on disk first, so a truncated file is refused before allocating.
                actual = path.stat().st_size - header_total
                if actual < payload_bytes:
                    raise InputFileError(
                        f"{name}: truncated: its header declares {shape_text} {_TYPE_NAMES[type_code]} values "
                        f"({payload_bytes:,} bytes) but only {actual:,} bytes follow"
                    )
            payload = _read_payload(stream, payload_bytes)
            if len(payload) < payload_bytes:
                raise InputFileError(
                    f"{name}: truncated: its header declares {shape_text} {_TYPE_NAMES[type_code]} values "
                    f"({payload_bytes:,} bytes) but only {len(payload):,} bytes follow"
                )
            extra = len(stream.read(1))
            if extra:
                raise InputFileError(
                    f"{name}: has more data than its header declares ({shape_text} {_TYPE_NAMES[type_code]} "
                    f"values, {payload_bytes:,} bytes); it is not a plain IDX file"
                )
    except InputFileError:
        raise
    except (OSError, EOFError, zlib.error) as error:
        # gzip reports a damaged stream as BadGzipFile (an OSError), EOFError or zlib.error.
        raise InputFileError(f"{name}: cannot be read ({error})") from None
    array = payload.view(dtype).reshape(shape)
    if not dtype.isnative:  # big-endian in the file: swap in place, no second copy
        array = array.byteswap(inplace=True).view(dtype.newbyteorder("="))
    return array


def read_idx_images(path: str | os.PathLike[str], *,
                    check_image: Callable[[str, int, int], None] | None = None) -> np.ndarray:
    """Read an IDX image file: an array [N, H, W] of its stored type (uint8 for MNIST), N ≥ 1.

    Raises :class:`InputFileError` for anything :func:`read_idx` refuses, for a file that does not
    have 3 dimensions (a label file has 1), and for a file with no images or empty images.
    ``check_image(name, height, width)`` may refuse the images' size; it is called with the
    header's sizes, before the payload is read.
    """
    def check_shape(name: str, shape: tuple[int, ...]) -> None:
        if check_image is not None and len(shape) == 3:
            check_image(name, shape[1], shape[2])

    array = read_idx(path, check_shape=check_shape)
    name = Path(path).name
    if array.ndim != 3:
        hint = " (this looks like a label file)" if array.ndim == 1 else ""
        raise InputFileError(
            f"{name}: wrong dimension count {array.ndim} (an IDX image file has 3: count, rows, columns){hint}"
        )
    if 0 in array.shape:
        raise InputFileError(f"{name}: holds no pixels (its sizes are {'×'.join(map(str, array.shape))})")
    return array


def read_idx_labels(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX label file: an integer array [N] (uint8 for MNIST).

    Raises :class:`InputFileError` for anything :func:`read_idx` refuses, for a file that does not
    have exactly 1 dimension, and for floating-point labels.
    """
    array = read_idx(path)
    name = Path(path).name
    if array.ndim != 1:
        raise InputFileError(f"{name}: wrong dimension count {array.ndim} (an IDX label file has 1: count)")
    if not np.issubdtype(array.dtype, np.integer):
        raise InputFileError(f"{name}: holds {array.dtype} values, but labels must be integers")
    return array


def write_idx(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Write ``array`` (at least 1 dimension, each size < 2**32) as an IDX file; gzip it if the name ends in ``.gz``.

    The element type must be one IDX stores: uint8, int8, int16, int32, float32 or float64.
    Raises ``ValueError`` for anything else (a programming error, not a user's bad file).
    """
    array = np.asarray(array)
    type_code = next(
        (code for code, dtype in IDX_DTYPES.items() if dtype.newbyteorder("=") == array.dtype.newbyteorder("=")),
        None,
    )
    if type_code is None:
        raise ValueError(f"IDX cannot store {array.dtype} values (only uint8, int8, int16, int32, float32, float64)")
    if not 1 <= array.ndim <= 255 or any(size >= 2**32 for size in array.shape):
        raise ValueError(f"IDX cannot store an array of shape {array.shape}")
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + np.ascontiguousarray(array, dtype=IDX_DTYPES[type_code]).tobytes()
    path = Path(path)
    if _is_gzip(path):
        # mtime=0 keeps the output byte-identical from one run to the next.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as stream:
            stream.write(data)
    else:
        path.write_bytes(data)
