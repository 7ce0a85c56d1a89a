"""The bundled MNIST digits and the ``mnist:LABEL[:INDEX]`` input syntax.

ConvDesigner ships 10,000 MNIST test digits (see ``NOTICE``) in
``convdesigner/resources/mnist_digits.npz``, made by ``tools/convert_mnist.py``: ``images`` uint8
[N, 28, 28] (0 = background, 255 = full ink, upright) and ``labels`` uint8 [N] (0 to 9), grouped
by label. The file is read once, on first use, and kept; the arrays handed out are read-only views
of that cache.

On the command line and in the app, ``mnist:7`` names the first bundled 7 and ``mnist:7:12`` the
thirteenth (indices count from 0 within one label).
"""

from __future__ import annotations

import functools
import re
import zipfile
from importlib import resources

import numpy as np

from convdesigner.errors import InputFileError

SPEC_PREFIX = "mnist:"
DIGIT_SIDE = 28
#: One bundled digit as ``run`` takes it: ``(channels, height, width)``.
DIGIT_SHAPE = (1, DIGIT_SIDE, DIGIT_SIDE)
_RESOURCE_NAME = "mnist_digits.npz"
_SPEC_BODY = re.compile(r"([0-9]+)(?::([0-9]+))?")


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[np.ndarray, np.ndarray]:
    """Read and check the bundled archive once; return read-only (images, labels)."""
    resource = resources.files("convdesigner") / "resources" / _RESOURCE_NAME
    try:
        with resource.open("rb") as stream, np.load(stream, allow_pickle=False) as archive:
            images = archive["images"]
            labels = archive["labels"]
    except FileNotFoundError:
        raise InputFileError(
            f"the bundled MNIST digits (convdesigner/resources/{_RESOURCE_NAME}) are missing; reinstall ConvDesigner"
        ) from None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise InputFileError(
            f"the bundled MNIST digits (convdesigner/resources/{_RESOURCE_NAME}) cannot be read ({error}); "
            "reinstall ConvDesigner"
        ) from None
    if (
        images.dtype != np.uint8
        or labels.dtype != np.uint8
        or images.ndim != 3
        or images.shape[1:] != (DIGIT_SIDE, DIGIT_SIDE)
        or labels.shape != images.shape[:1]
    ):
        raise InputFileError(
            f"the bundled MNIST digits have the wrong layout (images {images.dtype} {images.shape}, "
            f"labels {labels.dtype} {labels.shape}; expected uint8 [N, 28, 28] and uint8 [N]); reinstall ConvDesigner"
        )
    # Read-only, so no caller can change the digits every other caller sees.
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def bundled_images() -> np.ndarray:
    """All bundled digits: read-only uint8 [N, 28, 28], 0 = background, 255 = full ink (N = 10,000)."""
    return _bundled()[0]


def bundled_labels() -> np.ndarray:
    """The label (0 to 9) of every bundled digit: read-only uint8 [N], aligned with :func:`bundled_images`."""
    return _bundled()[1]


def _check_label(label: int) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise InputFileError(f"MNIST labels are the digits 0 to 9, not {label!r}")
    return int(label)


def indices_of(label: int) -> np.ndarray:
    """Positions (int64 [n], ascending) in :func:`bundled_images` of the digits labelled ``label`` (0 to 9)."""
    return np.flatnonzero(bundled_labels() == _check_label(label))


def _position_of(label: int, index: int, context: str = "") -> int:
    """Position in the bundle of the ``index``-th digit labelled ``label``, or a clear error.

    ``context`` (e.g. the spec being parsed) starts the error message when given.
    """
    positions = indices_of(label)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(positions):
        raise InputFileError(
            f"{context}there are only {len(positions):,} bundled {label}s (index 0 to {len(positions) - 1}), "
            f"so there is no index {index!r}"
        )
    return int(positions[index])


def bundled_digit(label: int, index: int = 0) -> np.ndarray:
    """The ``index``-th bundled digit labelled ``label``: a new float32 [28, 28] array in [0, 1].

    ``index`` counts from 0 within that label. Raises :class:`InputFileError` when ``label`` is not
    0 to 9 or ``index`` is out of range.
    """
    image = bundled_images()[_position_of(label, index)]
    scaled: np.ndarray = image.astype(np.float32) / np.float32(255.0)
    return scaled


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_input_spec(text: str) -> tuple[int, int] | None:
    """Parse ``mnist:LABEL`` or ``mnist:LABEL:INDEX`` into ``(label, index)``.

    Returns ``None`` when ``text`` does not start with ``mnist:`` (it is then a file path). Raises
    :class:`InputFileError` when it does but the rest is not a label 0 to 9 and an optional index
    within the bundled digits of that label (``mnist:x``, ``mnist:10``, ``mnist:7:``,
    ``mnist:7:5000``). ``mnist:7`` is ``(7, 0)``.
    """
    if not text.startswith(SPEC_PREFIX):
        return None
    body = text[len(SPEC_PREFIX) :]
    match = _SPEC_BODY.fullmatch(body)
    shown = _shorten(text)
    if match is None:
        raise InputFileError(
            f"{shown!r} is not a bundled digit: write mnist:LABEL or mnist:LABEL:INDEX, e.g. mnist:7 or mnist:7:12"
        )
    # Numbers are compared as text first: int() refuses more than 4,300 digits, and no label or
    # index has more than a few.
    label_digits, index_digits = match.group(1).lstrip("0") or "0", (match.group(2) or "0").lstrip("0") or "0"
    if len(label_digits) > 1 or not 0 <= int(label_digits) <= 9:
        raise InputFileError(f"{shown!r}: MNIST labels are the digits 0 to 9, not {_shorten(label_digits)}")
    label = int(label_digits)
    if len(index_digits) > 18:
        count = len(indices_of(label))
        raise InputFileError(
            f"{shown}: there are only {count:,} bundled {label}s (index 0 to {count - 1}), so there is "
            f"no index {_shorten(index_digits)} ({len(index_digits):,} digits)"
        )
    index = int(index_digits)
    _position_of(label, index, context=f"{shown}: ")  # checked now, so a bad spec fails where it is parsed
    return label, index
