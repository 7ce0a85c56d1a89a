"""Turn an input file (or a bundled digit) into the float32 [C, H, W] array a design convolves.

Accepted inputs, told apart by their first bytes (the name's ending only decides for IDX files,
whose header has no signature of its own):

* ``mnist:LABEL[:INDEX]``: a bundled MNIST digit, [1, 28, 28] in [0, 1];
* ``.npy``: a numeric array [H, W] or [C, H, W], values kept as they are (an ``.npy`` holds
  numbers, not pixels); object, string, complex, NaN and infinite values are refused;
* PNG, JPEG, BMP, GIF images (via Pillow): [1, H, W] when grayscale, [3, H, W] (RGB) otherwise,
  scaled to [0, 1]; transparent pixels are laid over white; an animated GIF gives its first frame;
* IDX image files (``*-idx3-ubyte``, ``.idx``, ``.gz`` allowed): image ``index`` (default the
  first) as [1, H, W]; ubyte pixels are scaled to [0, 1], other IDX types kept as they are.

Pixel counts are limited (:data:`MAX_IMAGE_SIDE`, :data:`MAX_IMAGE_PIXELS`) and checked from the
header before any decoding, which also defeats decompression bombs. Every problem is an
:class:`InputFileError` whose message names the file and the numbers involved.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from convdesigner.data.idx import IDX_DTYPES, read_idx_images, read_idx_labels
from convdesigner.data.mnist import bundled_digit, parse_input_spec
from convdesigner.errors import InputFileError

#: Largest width or height accepted, for images and arrays alike.
MAX_IMAGE_SIDE = 8192
#: Largest H×W accepted (16 megapixels, e.g. 4096×4096).
MAX_IMAGE_PIXELS = 4096 * 4096
#: Largest C×H×W accepted from an ``.npy`` file (256 MB as float32).
MAX_ARRAY_ELEMENTS = 64 * 1024**2

#: ITU-R BT.601 luma weights for R, G, B: how a colour input becomes one channel.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)

_NPY_SIGNATURE = b"\x93NUMPY"
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"GIF87a", b"GIF89a")
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif"}
#: The decoders Pillow may use: only the formats offered, so no other decoder sees untrusted bytes.
_PILLOW_FORMATS = ("PNG", "JPEG", "BMP", "GIF")


def _display_name(path: Path) -> str:
    return path.name or str(path)


def _check_pixels(name: str, height: int, width: int) -> None:
    """Refuse an empty or oversized picture; messages give width×height, as image sizes usually are."""
    if height < 1 or width < 1:
        raise InputFileError(f"{name}: is empty ({width}×{height} pixels)")
    if height > MAX_IMAGE_SIDE or width > MAX_IMAGE_SIDE or height * width > MAX_IMAGE_PIXELS:
        raise InputFileError(
            f"{name}: is {width}×{height} pixels ({width * height:,}), too large: the limit is "
            f"{MAX_IMAGE_PIXELS:,} pixels (e.g. 4096×4096) and {MAX_IMAGE_SIDE:,} on a side"
        )


def convert_channels(array: np.ndarray, channels: int | None, name: str) -> np.ndarray:
    """Adapt float32 [C, H, W] to ``channels`` channels (``None``: leave as is).

    1 → 3 repeats the channel; 3 → 1 takes the ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B.
    Any other mismatch raises :class:`InputFileError` (``name`` is the input named in the message).
    """
    have = array.shape[0]
    if channels is None or channels == have:
        return array
    if have == 1 and channels == 3:
        return np.repeat(array, 3, axis=0)
    if have == 3 and channels == 1:
        return np.tensordot(LUMA_WEIGHTS, array, axes=1)[np.newaxis].astype(np.float32)
    raise InputFileError(
        f"{name}: has {_channel_text(have)} but the design takes {_channel_text(channels)} "
        "(only 1 → 3 by repeating and 3 → 1 by luminance are converted)"
    )


def _channel_text(count: int) -> str:
    return f"{count} channel" + ("" if count == 1 else "s")


def load_array_file(
    path: str | os.PathLike[str], channels: int | None = None, *, index: int = 0
) -> np.ndarray:
    """Load an input (file or ``mnist:`` spec) as a new float32 [C, H, W] array with finite values.

    ``channels`` is the channel count the design takes (``None``: keep the input's own); 1 ↔ 3 are
    converted (see :func:`convert_channels`). ``index`` picks the image of an IDX image file.
    Raises :class:`InputFileError` for anything that cannot be used, with the reason.
    """
    if channels is not None and (isinstance(channels, bool) or not isinstance(channels, int) or channels < 1):
        raise ValueError(f"channels must be a positive int or None, not {channels!r}")
    if isinstance(path, str):
        spec = parse_input_spec(path)
        if spec is not None:
            digit = bundled_digit(*spec)[np.newaxis]
            return convert_channels(digit, channels, path)
    path = Path(path)
    name = _display_name(path)
    kind = _detect_kind(path)
    if kind == "npy":
        array = _load_npy(path)
    elif kind == "image":
        array = _load_image(path)
    else:
        array = _load_idx_image(path, index)
    return convert_channels(array, channels, name)


def _looks_like_idx_name(name: str) -> bool:
    """MNIST's own names (``train-images-idx3-ubyte``, ``t10k-images.idx3-ubyte``) and ``.idx``, ``.idx3``."""
    bare = name.lower().removesuffix(".gz")
    return bare.endswith("ubyte") or re.search(r"\.idx[0-9]?$", bare) is not None


def _detect_kind(path: Path) -> str:
    """'npy', 'image' or 'idx', from the file's signature, else (IDX has none) its header or name."""
    name = _display_name(path)
    try:
        if path.is_dir():
            raise InputFileError(f"{name}: is a folder, not a file")
        with open(path, "rb") as stream:
            start = stream.read(8)
    except FileNotFoundError:
        raise InputFileError(f"{name}: no such file ({path})") from None
    except OSError as error:
        raise InputFileError(f"{name}: cannot be opened ({error.strerror or error})") from None
    if start.startswith(_NPY_SIGNATURE):
        return "npy"
    if start.startswith(_IMAGE_SIGNATURES):
        return "image"
    if _looks_like_idx_name(name) or (len(start) >= 4 and start[:2] == b"\x00\x00" and start[2] in IDX_DTYPES):
        return "idx"
    suffix = path.suffix.lower()
    # The name promises a format the content does not have: say so in that format's terms.
    if suffix == ".npy":
        raise InputFileError(f"{name}: is not a NumPy .npy file (it does not start with the .npy signature)")
    if suffix in _IMAGE_SUFFIXES:
        raise InputFileError(
            f"{name}: is not a valid {suffix[1:].upper()} image (it does not start with an image signature)"
        )
    raise InputFileError(
        f"{name}: unknown kind of file; give a .npy array, a PNG, JPEG, BMP or GIF image, "
        "an IDX image file (…-idx3-ubyte, .idx, optionally .gz) or mnist:LABEL[:INDEX]"
    )


def _finite_float32(array: np.ndarray, name: str) -> np.ndarray:
    with np.errstate(over="ignore"):  # values beyond float32 become inf, reported just below
        converted = array.astype(np.float32)
    if not np.all(np.isfinite(converted)):
        bad = int(np.count_nonzero(~np.isfinite(converted)))
        raise InputFileError(
            f"{name}: {bad:,} of its {converted.size:,} values are NaN or infinite (or too large for float32)"
        )
    return converted


def _load_npy(path: Path) -> np.ndarray:
    name = _display_name(path)
    try:
        # A damaged header text can make Python's parser warn (e.g. an invalid escape); the
        # damage is reported as an error below if it matters, so the warning is only noise.
        with warnings.catch_warnings(), open(path, "rb") as stream:
            warnings.simplefilter("ignore", (DeprecationWarning, SyntaxWarning))
            # Read only the header first, so the shape and type are checked before any allocation.
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                shape, _fortran, dtype = np.lib.format.read_array_header_1_0(stream)
            elif version in ((2, 0), (3, 0)):
                shape, _fortran, dtype = np.lib.format.read_array_header_2_0(stream)
            else:
                raise InputFileError(f"{name}: .npy format version {version[0]}.{version[1]} is not supported")
    except InputFileError:
        raise
    except Exception as error:  # noqa: BLE001
        # NumPy parses the header's Python-dict text with tokenize and ast, so a damaged header
        # can raise ValueError, SyntaxError, tokenize.TokenError, EOFError, ...: all mean "damaged".
        raise InputFileError(f"{name}: is not a readable .npy file ({error})") from None
    if dtype.hasobject or dtype.fields is not None:
        raise InputFileError(f"{name}: holds Python objects or records ({dtype}), not numbers; save a numeric array")
    if not (np.issubdtype(dtype, np.number) or dtype == np.bool_) or np.issubdtype(dtype, np.complexfloating):
        raise InputFileError(f"{name}: holds {dtype} values, not real numbers")
    if len(shape) not in (2, 3):
        raise InputFileError(
            f"{name}: has {len(shape)} dimensions {tuple(shape)}; an input is [H, W] or [C, H, W]"
        )
    height, width = shape[-2], shape[-1]
    _check_pixels(name, height, width)
    element_count = math.prod(shape)  # Python ints: no overflow, whatever the header claims
    if element_count == 0:
        raise InputFileError(f"{name}: is empty (shape {tuple(shape)})")
    if element_count > MAX_ARRAY_ELEMENTS:
        raise InputFileError(
            f"{name}: holds {element_count:,} values (shape {tuple(shape)}), more than the limit of "
            f"{MAX_ARRAY_ELEMENTS:,}"
        )
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        # A short payload surfaces as "cannot reshape array of size …" (ValueError) or EOFError.
        raise InputFileError(f"{name}: is truncated or damaged ({error})") from None
    if array.ndim == 2:
        array = array[np.newaxis]
    return _finite_float32(array, name)


def _has_transparency(image: Image.Image) -> bool:
    return "A" in image.getbands() or "transparency" in image.info


def _load_image(path: Path) -> np.ndarray:
    """Decode an image file into float32 [1 or 3, H, W] in [0, 1]."""
    name = _display_name(path)
    with warnings.catch_warnings():
        # Pillow warns about, then refuses, huge images on its own; the stricter limit is checked below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=_PILLOW_FORMATS) as image:
                # Image.open reads only the header: check the size before decoding any pixel.
                width, height = image.size
                _check_pixels(name, height, width)
                image.load()  # the first frame of an animation
                return _image_to_array(image)
        except InputFileError:
            raise
        except Image.DecompressionBombError:
            pillow_limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
            raise InputFileError(
                f"{name}: declares more than {pillow_limit:,} pixels (a possible decompression bomb), "
                f"far over the limit of {MAX_IMAGE_PIXELS:,} pixels"
            ) from None
        except Exception as error:  # noqa: BLE001 -- see the comment below
            # Pillow reports damaged data with many exception types (OSError, SyntaxError,
            # ValueError, struct.error, EOFError, IndexError, ...); each means "cannot be decoded".
            raise InputFileError(f"{name}: is damaged or truncated and cannot be decoded ({error})") from None


def _image_to_array(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit grayscale (PNG); 'I' is how some Pillow versions hand it over. Scale, do not clip.
        gray = np.asarray(image, dtype=np.float64) / 65535.0
        return np.clip(gray, 0.0, 1.0).astype(np.float32)[np.newaxis]
    # A palette image counts as colour even when its palette happens to be grey.
    grayscale = image.mode in ("1", "L", "LA")
    if _has_transparency(image):
        # Lay transparent pixels over white, as a viewer shows them: a drawing saved with a
        # transparent background then looks the same here as on screen.
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    pixels = np.asarray(image.convert("L" if grayscale else "RGB"), dtype=np.float32) / np.float32(255.0)
    return pixels[np.newaxis] if pixels.ndim == 2 else np.ascontiguousarray(pixels.transpose(2, 0, 1))


def _load_idx_image(path: Path, index: int) -> np.ndarray:
    images = read_idx_images(path, check_image=_check_pixels)
    name = _display_name(path)
    count = images.shape[0]
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < count:
        raise InputFileError(f"{name}: holds {count:,} images (index 0 to {count - 1}), so there is no index {index!r}")
    _check_pixels(name, images.shape[1], images.shape[2])
    return _idx_pixels(images[index], name)[np.newaxis]


def _idx_pixels(image: np.ndarray, name: str) -> np.ndarray:
    """float32 [H, W]: ubyte pixels scaled to [0, 1], other IDX types kept as they are."""
    if image.dtype == np.uint8:
        scaled: np.ndarray = image.astype(np.float32) / np.float32(255.0)
        return scaled
    return _finite_float32(image, name)


@dataclass(frozen=True, eq=False)
class IdxDataset:
    """A whole IDX data set for browsing: ``images`` [N, H, W] as stored, optional ``labels`` [N].

    ``images`` keeps the file's type (uint8 for MNIST: 47 MB for 60,000 digits instead of 188 MB
    as float32); :meth:`image` gives one as float32 [1, H, W] the way :func:`load_array_file` would.
    """

    images: np.ndarray
    labels: np.ndarray | None
    name: str

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def image(self, index: int) -> np.ndarray:
        """Image ``index`` as a new float32 [1, H, W] array (ubyte scaled to [0, 1])."""
        count = len(self)
        if not 0 <= index < count:
            raise InputFileError(
                f"{self.name}: holds {count:,} images (index 0 to {count - 1}), so there is no index {index}"
            )
        return _idx_pixels(self.images[index], self.name)[np.newaxis]

    def label(self, index: int) -> int | None:
        """The label of image ``index``, or ``None`` when no label file was given."""
        return None if self.labels is None else int(self.labels[index])


def load_idx_dataset(
    images_path: str | os.PathLike[str], labels_path: str | os.PathLike[str] | None = None
) -> IdxDataset:
    """Read an IDX image file, and optionally its IDX label file, for browsing.

    Raises :class:`InputFileError` for any bad file and when the label count differs from the
    image count.
    """
    images_path = Path(images_path)
    images = read_idx_images(images_path, check_image=_check_pixels)
    _check_pixels(_display_name(images_path), images.shape[1], images.shape[2])
    labels = None
    if labels_path is not None:
        labels_path = Path(labels_path)
        labels = read_idx_labels(labels_path)
        if labels.shape[0] != images.shape[0]:
            raise InputFileError(
                f"{_display_name(labels_path)}: holds {labels.shape[0]:,} labels but "
                f"{_display_name(images_path)} holds {images.shape[0]:,} images"
            )
    images.setflags(write=False)
    if labels is not None:
        labels.setflags(write=False)
    return IdxDataset(images=images, labels=labels, name=_display_name(images_path))


__all__ = [
    "IdxDataset",
    "LUMA_WEIGHTS",
    "MAX_IMAGE_PIXELS",
    "MAX_IMAGE_SIDE",
    "convert_channels",
    "load_array_file",
    "load_idx_dataset",
]
