"""Input files: IDX read/write, .npy, images, mnist: specs, channel conversion, and every bad-file message."""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from convdesigner.data import (
    bundled_digit,
    convert_channels,
    idx,
    load_array_file,
    load_idx_dataset,
    read_idx,
    read_idx_images,
    read_idx_labels,
    write_idx,
)
from convdesigner.errors import InputFileError

RNG = np.random.default_rng(20240601)


def small_images(count: int = 5, height: int = 4, width: int = 3) -> np.ndarray:
    return RNG.integers(0, 256, size=(count, height, width), dtype=np.uint8)


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header declares width×height grey pixels, followed by a token of data.

    Lets a test offer a "huge" image without spending the memory or time to make one.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


# --------------------------------------------------------------------------------------------- IDX


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
def test_idx_round_trip(tmp_path: Path, dtype: type, compressed: bool) -> None:
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else np.finfo(dtype)
    array = RNG.uniform(max(info.min, -1e6), min(info.max, 1e6), size=(3, 5, 4)).astype(dtype)
    array.flat[0] = info.max  # the extremes survive the big-endian trip
    array.flat[1] = info.min
    path = tmp_path / ("data.idx3-ubyte.gz" if compressed else "data.idx3-ubyte")
    write_idx(path, array)
    raw = path.read_bytes()
    assert raw.startswith(b"\x1f\x8b") == compressed
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype)
    assert back.dtype.isnative
    np.testing.assert_array_equal(back, array)


def test_idx_header_layout_matches_mnist(tmp_path: Path) -> None:
    path = tmp_path / "t10k-images-idx3-ubyte"
    write_idx(path, small_images(2, 28, 28))
    raw = path.read_bytes()
    # MNIST's own header: magic 0x00000803, then 2, 28, 28 as big-endian 32-bit integers.
    assert raw[:16] == bytes.fromhex("00000803 00000002 0000001c 0000001c")
    assert len(raw) == 16 + 2 * 28 * 28


def test_idx_labels_and_images_readers(tmp_path: Path) -> None:
    labels = np.array([7, 2, 1, 0, 4], dtype=np.uint8)
    write_idx(tmp_path / "l-idx1-ubyte", labels)
    write_idx(tmp_path / "i-idx3-ubyte", small_images())
    np.testing.assert_array_equal(read_idx_labels(tmp_path / "l-idx1-ubyte"), labels)
    assert read_idx_images(tmp_path / "i-idx3-ubyte").shape == (5, 4, 3)
    with pytest.raises(InputFileError, match="wrong dimension count 1 .*label file"):
        read_idx_images(tmp_path / "l-idx1-ubyte")
    with pytest.raises(InputFileError, match="wrong dimension count 3 .*label file has 1"):
        read_idx_labels(tmp_path / "i-idx3-ubyte")


def test_write_idx_refuses_types_idx_cannot_store(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="uint16"):
        write_idx(tmp_path / "x.idx", np.zeros(3, dtype=np.uint16))


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gz"])
def test_idx_truncated(tmp_path: Path, compressed: bool) -> None:
    full = tmp_path / "full-idx3-ubyte"
    write_idx(full, small_images(5, 28, 28))
    cut = full.read_bytes()[:-100]
    path = tmp_path / ("cut-idx3-ubyte.gz" if compressed else "cut-idx3-ubyte")
    path.write_bytes(gzip.compress(cut) if compressed else cut)
    with pytest.raises(InputFileError, match=r"truncated: its header declares 5×28×28 ubyte "
                                             r"values \(3,920 bytes\) but only 3,820"):
        read_idx(path)


def test_idx_wrong_magic(tmp_path: Path) -> None:
    path = tmp_path / "digits.idx"
    path.write_bytes(bytes(16))
    with pytest.raises(InputFileError, match=r"digits.idx: wrong magic number 0x00000000 .*0x00000803"):
        read_idx(path)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8))
    with pytest.raises(InputFileError, match=r"wrong magic number 0x89504E47"):
        read_idx(path)


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gz"])
def test_idx_shape_reads_the_header_alone(tmp_path: Path, compressed: bool) -> None:
    path = tmp_path / ("digits-idx3-ubyte.gz" if compressed else "digits-idx3-ubyte")
    write_idx(path, small_images(7, 32, 30))
    assert idx.read_idx_shape(path) == (7, 32, 30)
    # The payload is not read: a file cut after its header still tells its shape...
    whole = gzip.decompress(path.read_bytes()) if compressed else path.read_bytes()
    cut = tmp_path / "cut-idx3-ubyte"
    cut.write_bytes(whole[:16])
    assert idx.read_idx_shape(cut) == (7, 32, 30)
    # ...while a bad header is refused as read_idx refuses it.
    cut.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(InputFileError, match="cut-idx3-ubyte: wrong magic number 0x89504E47"):
        idx.read_idx_shape(cut)
    with pytest.raises(InputFileError, match="missing-idx3-ubyte: no such file"):
        idx.read_idx_shape(tmp_path / "missing-idx3-ubyte")


def test_idx_zero_dimensions(tmp_path: Path) -> None:
    path = tmp_path / "scalar.idx"
    path.write_bytes(bytes([0, 0, 0x08, 0]) + b"\x05")
    with pytest.raises(InputFileError, match="wrong dimension count 0"):
        read_idx(path)


def test_idx_header_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "short.idx"
    path.write_bytes(b"\x00\x00")
    with pytest.raises(InputFileError, match=r"too short to be an IDX file \(2 bytes; its header alone takes 4\)"):
        read_idx(path)
    path.write_bytes(bytes([0, 0, 0x08, 3]) + struct.pack(">I", 10))
    with pytest.raises(InputFileError, match=r"truncated header \(3 dimensions need 12 bytes of sizes, only 4"):
        read_idx(path)


def peak_allocation(call: Callable[[], object]) -> int:
    """The most memory (bytes, Python and NumPy allocations) in use at once during ``call()``,
    above what was in use before; what ``call`` raises propagates."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak - before


def refused(path: Path, reader: Callable[[Path], object], match: str) -> Callable[[], None]:
    def call() -> None:
        with pytest.raises(InputFileError, match=match):
            reader(path)
    return call


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gz"])
def test_idx_huge_declared_size_is_refused_before_allocating(tmp_path: Path, compressed: bool,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    header = bytes([0, 0, 0x0E, 3]) + struct.pack(">III", 4_000_000_000, 60_000, 60_000)
    path = tmp_path / ("huge-idx3-ubyte.gz" if compressed else "huge-idx3-ubyte")
    path.write_bytes(gzip.compress(header + bytes(100)) if compressed else header + bytes(100))
    payload_reads: list[int] = []
    monkeypatch.setattr(idx, "_read_payload", lambda stream, count: payload_reads.append(count))
    peak = peak_allocation(refused(path, read_idx, r"declares 4000000000×60000×60000 double values "
                                                   r".* 2,147,483,648-byte limit"))
    # Refused from the 16-byte header: no payload buffer made, nothing past the header read.
    assert payload_reads == []
    assert peak < 16 << 20  # imports on first use take a few MB; a payload would take GBs


def test_idx_extra_bytes_after_payload(tmp_path: Path) -> None:
    path = tmp_path / "long-idx1-ubyte"
    write_idx(path, np.arange(4, dtype=np.uint8))
    path.write_bytes(path.read_bytes() + b"\x00")
    with pytest.raises(InputFileError, match="more data than its header declares"):
        read_idx(path)


def test_idx_damaged_gzip(tmp_path: Path) -> None:
    path = tmp_path / "bad-idx3-ubyte.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(30))
    with pytest.raises(InputFileError, match="bad-idx3-ubyte.gz: cannot be read"):
        read_idx(path)
    path.write_bytes(b"this is not gzip at all")
    with pytest.raises(InputFileError, match="bad-idx3-ubyte.gz: cannot be read"):
        read_idx(path)


def test_idx_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="nothing-idx3-ubyte: no such file"):
        read_idx(tmp_path / "nothing-idx3-ubyte")


# ------------------------------------------------------------------------------ load_array_file: IDX


@pytest.mark.parametrize("name", ["train-images-idx3-ubyte", "t10k-images.idx3-ubyte.gz", "digits.idx", "no-name"])
def test_load_idx_image_scales_ubyte(tmp_path: Path, name: str) -> None:
    images = small_images()
    write_idx(tmp_path / name, images)
    first = load_array_file(tmp_path / name)
    assert first.shape == (1, 4, 3)
    assert first.dtype == np.float32
    np.testing.assert_allclose(first[0], images[0] / 255.0, atol=1e-7)
    np.testing.assert_allclose(load_array_file(tmp_path / name, index=4)[0], images[4] / 255.0, atol=1e-7)
    assert load_array_file(tmp_path / name, channels=3, index=2).shape == (3, 4, 3)


def test_load_idx_image_keeps_float_values(tmp_path: Path) -> None:
    images = np.array([[[-2.5, 0.0], [1.0, 300.0]]], dtype=np.float32)
    write_idx(tmp_path / "f.idx", images)
    np.testing.assert_array_equal(load_array_file(tmp_path / "f.idx")[0], images[0])


def test_load_idx_image_index_out_of_range(tmp_path: Path) -> None:
    write_idx(tmp_path / "i-idx3-ubyte", small_images())
    with pytest.raises(InputFileError, match=r"holds 5 images \(index 0 to 4\), so there is no index 5"):
        load_array_file(tmp_path / "i-idx3-ubyte", index=5)


def test_load_idx_label_file_as_image(tmp_path: Path) -> None:
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.arange(10, dtype=np.uint8))
    with pytest.raises(InputFileError, match="wrong dimension count 1"):
        load_array_file(tmp_path / "train-labels-idx1-ubyte")


def test_load_idx_dataset(tmp_path: Path) -> None:
    images = small_images(6)
    labels = np.array([3, 1, 4, 1, 5, 9], dtype=np.uint8)
    write_idx(tmp_path / "i-idx3-ubyte.gz", images)
    write_idx(tmp_path / "l-idx1-ubyte.gz", labels)
    dataset = load_idx_dataset(tmp_path / "i-idx3-ubyte.gz", tmp_path / "l-idx1-ubyte.gz")
    assert len(dataset) == 6
    assert dataset.images.dtype == np.uint8  # kept compact for browsing
    assert dataset.label(5) == 9
    np.testing.assert_allclose(dataset.image(5), images[5][np.newaxis] / 255.0, atol=1e-7)
    with pytest.raises(InputFileError, match=r"holds 6 images \(index 0 to 5\)"):
        dataset.image(6)
    unlabelled = load_idx_dataset(tmp_path / "i-idx3-ubyte.gz")
    assert unlabelled.labels is None and unlabelled.label(0) is None


def test_load_idx_dataset_count_mismatch(tmp_path: Path) -> None:
    write_idx(tmp_path / "i-idx3-ubyte", small_images(6))
    write_idx(tmp_path / "l-idx1-ubyte", np.zeros(5, dtype=np.uint8))
    with pytest.raises(InputFileError, match="l-idx1-ubyte: holds 5 labels but i-idx3-ubyte holds 6 images"):
        load_idx_dataset(tmp_path / "i-idx3-ubyte", tmp_path / "l-idx1-ubyte")


# ------------------------------------------------------------------------------ load_array_file: .npy


def test_load_npy_two_and_three_dimensions(tmp_path: Path) -> None:
    plane = np.arange(12, dtype=np.int16).reshape(3, 4) - 5
    np.save(tmp_path / "plane.npy", plane)
    loaded = load_array_file(tmp_path / "plane.npy")
    assert loaded.shape == (1, 3, 4) and loaded.dtype == np.float32
    np.testing.assert_array_equal(loaded[0], plane)  # numbers are kept as they are, not rescaled
    stack = RNG.normal(size=(2, 5, 6)).astype(np.float64)
    np.save(tmp_path / "stack.npy", stack)
    np.testing.assert_allclose(load_array_file(tmp_path / "stack.npy"), stack, rtol=1e-6)
    np.save(tmp_path / "fortran.npy", np.asfortranarray(stack))
    np.testing.assert_allclose(load_array_file(tmp_path / "fortran.npy"), stack, rtol=1e-6)


def test_npy_object_array_is_refused_without_unpickling(tmp_path: Path) -> None:
    np.save(tmp_path / "objects.npy", np.array([[1, "a"], [None, 2.0]], dtype=object), allow_pickle=True)
    with pytest.raises(InputFileError, match="objects.npy: holds Python objects"):
        load_array_file(tmp_path / "objects.npy")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_npy_nan_and_infinity_are_refused(tmp_path: Path, bad: float) -> None:
    array = np.zeros((4, 4))
    array[1, 2] = bad
    np.save(tmp_path / "bad.npy", array)
    with pytest.raises(InputFileError, match="bad.npy: 1 of its 16 values are NaN or infinite"):
        load_array_file(tmp_path / "bad.npy")


def test_npy_too_large_for_float32_is_refused(tmp_path: Path) -> None:
    np.save(tmp_path / "big.npy", np.full((2, 2), 1e300))
    with pytest.raises(InputFileError, match="NaN or infinite"):
        load_array_file(tmp_path / "big.npy")


@pytest.mark.parametrize(("shape", "ndim"), [((5,), 1), ((1, 2, 3, 4), 4), ((), 0)])
def test_npy_wrong_ndim(tmp_path: Path, shape: tuple[int, ...], ndim: int) -> None:
    np.save(tmp_path / "w.npy", np.zeros(shape))
    with pytest.raises(InputFileError, match=rf"w.npy: has {ndim} dimensions .*\[H, W\] or \[C, H, W\]"):
        load_array_file(tmp_path / "w.npy")


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.array([["a", "b"], ["c", "d"]]), "holds <U1 values, not real numbers"),
        (np.ones((2, 2), dtype=np.complex64), "holds complex64 values, not real numbers"),
        (np.zeros((2, 2), dtype=[("x", "f4"), ("y", "f4")]), "objects or records"),
        (np.zeros((3, 0, 4)), r"is empty \(4×0 pixels\)"),
        (np.zeros((0, 4, 4)), r"is empty \(shape \(0, 4, 4\)\)"),
    ],
)
def test_npy_non_numeric_or_empty(tmp_path: Path, array: np.ndarray, message: str) -> None:
    np.save(tmp_path / "odd.npy", array)
    with pytest.raises(InputFileError, match=message):
        load_array_file(tmp_path / "odd.npy")


def test_npy_truncated(tmp_path: Path) -> None:
    np.save(tmp_path / "full.npy", np.ones((10, 10)))
    (tmp_path / "cut.npy").write_bytes((tmp_path / "full.npy").read_bytes()[:-9])
    with pytest.raises(InputFileError, match="cut.npy: is truncated or damaged"):
        load_array_file(tmp_path / "cut.npy")
    (tmp_path / "header.npy").write_bytes((tmp_path / "full.npy").read_bytes()[:30])
    with pytest.raises(InputFileError, match="header.npy: is not a readable .npy file"):
        load_array_file(tmp_path / "header.npy")


def test_npy_huge_declared_shape_is_refused_before_allocating(tmp_path: Path) -> None:
    path = tmp_path / "huge.npy"
    with open(path, "wb") as stream:
        np.lib.format.write_array_header_1_0(
            stream, {"descr": "<f8", "fortran_order": False, "shape": (50_000, 50_000)}
        )
    with pytest.raises(InputFileError, match=r"huge.npy: is 50000×50000 pixels \(2,500,000,000\), too large"):
        load_array_file(path)
    with open(path, "wb") as stream:
        np.lib.format.write_array_header_1_0(
            stream, {"descr": "<f4", "fortran_order": False, "shape": (1000, 1024, 1024)}
        )
    with pytest.raises(InputFileError, match="holds 1,048,576,000 values"):
        load_array_file(path)


def test_npy_name_without_npy_content(tmp_path: Path) -> None:
    (tmp_path / "fake.npy").write_bytes(b"hello, world")
    with pytest.raises(InputFileError, match="fake.npy: is not a NumPy .npy file"):
        load_array_file(tmp_path / "fake.npy")


# ---------------------------------------------------------------------------- load_array_file: images


def test_grayscale_png_is_one_channel_scaled_to_unit_range(tmp_path: Path) -> None:
    pixels = RNG.integers(0, 256, size=(7, 9), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "gray.png")
    loaded = load_array_file(tmp_path / "gray.png")
    assert loaded.shape == (1, 7, 9) and loaded.dtype == np.float32
    np.testing.assert_allclose(loaded[0], pixels / 255.0, atol=1e-7)


def test_rgb_png_is_three_channels(tmp_path: Path) -> None:
    pixels = RNG.integers(0, 256, size=(5, 6, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "rgb.png")
    loaded = load_array_file(tmp_path / "rgb.png")
    assert loaded.shape == (3, 5, 6)
    np.testing.assert_allclose(loaded, pixels.transpose(2, 0, 1) / 255.0, atol=1e-7)


def test_rgb_to_one_channel_is_itu_601_luminance(tmp_path: Path) -> None:
    pixels = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [100, 150, 200]]], dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "rgb.png")
    loaded = load_array_file(tmp_path / "rgb.png", channels=1)
    assert loaded.shape == (1, 1, 4)
    expected = [0.299, 0.587, 0.114, (0.299 * 100 + 0.587 * 150 + 0.114 * 200) / 255]
    np.testing.assert_allclose(loaded[0, 0], expected, atol=1e-6)


def test_grayscale_to_three_channels_repeats(tmp_path: Path) -> None:
    pixels = RNG.integers(0, 256, size=(4, 4), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "gray.png")
    loaded = load_array_file(tmp_path / "gray.png", channels=3)
    assert loaded.shape == (3, 4, 4)
    for channel in loaded:
        np.testing.assert_allclose(channel, pixels / 255.0, atol=1e-7)


@pytest.mark.parametrize(("have", "want"), [(4, 3), (2, 1), (3, 2), (1, 5)])
def test_other_channel_mismatches_are_errors(tmp_path: Path, have: int, want: int) -> None:
    np.save(tmp_path / "c.npy", np.zeros((have, 3, 3)))
    with pytest.raises(InputFileError, match=rf"c.npy: has {have} channels? but the design takes {want} channels?"):
        load_array_file(tmp_path / "c.npy", channels=want)


def test_convert_channels_identity_and_luma() -> None:
    array = RNG.uniform(size=(3, 2, 2)).astype(np.float32)
    assert convert_channels(array, 3, "x") is array
    assert convert_channels(array, None, "x") is array
    luma = convert_channels(array, 1, "x")
    assert luma.dtype == np.float32
    np.testing.assert_allclose(luma[0], 0.299 * array[0] + 0.587 * array[1] + 0.114 * array[2], rtol=1e-6)


@pytest.mark.parametrize(("suffix", "mode"), [(".jpg", "L"), (".jpeg", "RGB"), (".bmp", "RGB"), (".gif", "L")])
def test_other_image_formats(tmp_path: Path, suffix: str, mode: str) -> None:
    gradient = np.tile(np.linspace(0, 255, 32).astype(np.uint8), (16, 1))
    image = Image.fromarray(gradient).convert(mode)
    image.save(tmp_path / f"img{suffix}")
    loaded = load_array_file(tmp_path / f"img{suffix}", channels=1)
    assert loaded.shape == (1, 16, 32)
    # JPEG is lossy; every format must still give the gradient within a few grey levels.
    np.testing.assert_allclose(loaded[0], gradient / 255.0, atol=6 / 255)


def test_sixteen_bit_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    pixels = np.array([[0, 1000, 32768, 65535]], dtype=np.uint16)
    Image.fromarray(pixels).save(tmp_path / "deep.png")
    loaded = load_array_file(tmp_path / "deep.png")
    np.testing.assert_allclose(loaded[0, 0], pixels[0] / 65535.0, atol=1e-6)


def test_transparent_background_is_white(tmp_path: Path) -> None:
    rgba = np.zeros((3, 3, 4), dtype=np.uint8)  # black but fully transparent ...
    rgba[1, 1] = (0, 0, 0, 255)  # ... except one opaque black stroke pixel
    Image.fromarray(rgba).save(tmp_path / "drawing.png")
    loaded = load_array_file(tmp_path / "drawing.png", channels=1)
    expected = np.ones((3, 3), dtype=np.float32)
    expected[1, 1] = 0
    np.testing.assert_allclose(loaded[0], expected, atol=1e-6)


def test_animated_gif_gives_first_frame(tmp_path: Path) -> None:
    frames = [Image.fromarray(np.full((4, 4), value, dtype=np.uint8)) for value in (30, 220)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    loaded = load_array_file(tmp_path / "anim.gif", channels=1)
    np.testing.assert_allclose(loaded, 30 / 255.0, atol=1 / 255)


def test_corrupt_png(tmp_path: Path) -> None:
    Image.fromarray(RNG.integers(0, 256, size=(64, 64), dtype=np.uint8)).save(tmp_path / "good.png")
    good = (tmp_path / "good.png").read_bytes()
    (tmp_path / "truncated.png").write_bytes(good[: len(good) // 2])
    with pytest.raises(InputFileError, match="truncated.png: is damaged or truncated and cannot be decoded"):
        load_array_file(tmp_path / "truncated.png")
    damaged = bytearray(good)
    damaged[60:90] = bytes(30)  # zeroes over the start of the compressed pixels
    (tmp_path / "damaged.png").write_bytes(bytes(damaged))
    with pytest.raises(InputFileError, match="damaged.png: is damaged or truncated"):
        load_array_file(tmp_path / "damaged.png")
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(InputFileError, match="text.png: is not a valid PNG image"):
        load_array_file(tmp_path / "text.png")


@pytest.mark.parametrize(
    ("fmt", "position", "value"),
    [
        ("PNG", 11, 0x00),  # IHDR length 0: Pillow raises ValueError
        ("PNG", 35, 0x00),  # the chunk after IHDR misaligned: Pillow raises SyntaxError
        ("PNG", 20, 0xFF),  # IHDR's width changed, its checksum now wrong
        ("BMP", 30, 0x01),  # compression RLE8 on 24-bit pixels: Pillow raises ValueError
        ("JPEG", 4, 0xFF),  # a segment length broken
    ],
)
def test_damaged_image_headers(tmp_path: Path, fmt: str, position: int, value: int) -> None:
    path = tmp_path / f"damaged.{fmt.lower()}"
    Image.fromarray(RNG.integers(0, 256, size=(12, 10, 3), dtype=np.uint8)).save(path, fmt)
    content = bytearray(path.read_bytes())
    content[position] = value
    path.write_bytes(bytes(content))
    with pytest.raises(InputFileError, match=rf"{path.name}: "):
        load_array_file(path)


def test_huge_image_is_refused_from_its_header(tmp_path: Path) -> None:
    path = png_header_only(tmp_path / "huge.png", width=5000, height=5000)
    with pytest.raises(InputFileError, match=r"huge.png: is 5000×5000 pixels \(25,000,000\), too large"):
        load_array_file(path)
    path = png_header_only(tmp_path / "strip.png", width=9000, height=10)
    with pytest.raises(InputFileError, match=r"strip.png: is 9000×10 pixels .*8,192 on a side"):
        load_array_file(path)


def test_decompression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 40,000² = 1.6 gigapixels: Pillow itself refuses this one while reading the header.
    path = png_header_only(tmp_path / "bomb.png", width=40_000, height=40_000)
    decoded: list[object] = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image))
    peak = peak_allocation(refused(path, load_array_file, "bomb.png: .*pixels"))
    # Refused from the header: no pixel decoded, nothing near 1.6 GB allocated.
    assert decoded == []
    assert peak < 16 << 20  # imports on first use take a few MB; a payload would take GBs


def test_unknown_missing_and_folder_inputs(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a convolution")
    with pytest.raises(InputFileError, match="notes.txt: unknown kind of file"):
        load_array_file(tmp_path / "notes.txt")
    with pytest.raises(InputFileError, match="absent.png: no such file"):
        load_array_file(tmp_path / "absent.png")
    with pytest.raises(InputFileError, match="is a folder, not a file"):
        load_array_file(tmp_path)


def test_mnist_spec_through_load_array_file() -> None:
    digit = load_array_file("mnist:7:12")
    assert digit.shape == (1, 28, 28) and digit.dtype == np.float32
    np.testing.assert_array_equal(digit[0], bundled_digit(7, 12))
    assert load_array_file("mnist:0", channels=3).shape == (3, 28, 28)
    with pytest.raises(InputFileError, match="0 to 9, not 12"):
        load_array_file("mnist:12")
    with pytest.raises(InputFileError, match="has 1 channel but the design takes 2 channels"):
        load_array_file("mnist:1", channels=2)


# ------------------------------------------------- no bad file escapes as anything but InputFileError


def _valid_files(folder: Path) -> dict[str, bytes]:
    """One small valid file of every kind, by name."""
    pixels = RNG.integers(0, 256, size=(12, 10, 3), dtype=np.uint8)
    for name in ("a.png", "a.jpg", "a.bmp", "a.gif"):
        Image.fromarray(pixels).save(folder / name)
    np.save(folder / "a.npy", pixels.transpose(2, 0, 1).astype(np.float32))
    write_idx(folder / "a-idx3-ubyte", pixels.transpose(2, 0, 1).copy())
    write_idx(folder / "b-idx3-ubyte.gz", pixels.transpose(2, 0, 1).copy())
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def _load_or_input_error(path: Path) -> np.ndarray | None:
    try:
        array = load_array_file(path, channels=1)
    except InputFileError as error:
        assert str(error).startswith(path.name), str(error)
        return None
    assert array.dtype == np.float32 and array.ndim == 3 and array.shape[0] == 1
    assert np.all(np.isfinite(array))
    return array


def test_every_truncation_of_a_valid_file_is_handled(tmp_path: Path) -> None:
    originals = _valid_files(tmp_path)
    cut_folder = tmp_path / "cut"
    cut_folder.mkdir()
    for name, content in originals.items():
        whole = load_array_file(tmp_path / name, channels=1)
        path = cut_folder / name
        for length in range(len(content)):
            path.write_bytes(content[:length])
            result = _load_or_input_error(path)
            # A cut file is refused, or (when only a trailer after the pixels was cut, which
            # Pillow tolerates) gives exactly the whole picture: never a silently partial one.
            if result is not None:
                assert name.endswith((".png", ".jpg", ".bmp", ".gif")), f"{name} cut to {length} bytes loaded"
                np.testing.assert_array_equal(result, whole, err_msg=f"{name} cut to {length} bytes")


_PREFIXES = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"GIF89a", b"\x93NUMPY",
             b"\x00\x00\x08\x03", b"\x1f\x8b"]
_NAMES = ["f.png", "f.jpg", "f.npy", "f.gif", "f.bmp", "f.idx", "f-idx3-ubyte.gz", "f"]
_FUZZ_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ_SETTINGS
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=300), name=st.sampled_from(_NAMES))
def test_random_bytes_never_raise_another_exception_type(tmp_path: Path, prefix: bytes, body: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(prefix + body)
    _load_or_input_error(path)


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _valid_files(tmp_path_factory.mktemp("valid"))


@_FUZZ_SETTINGS
@given(data=st.data())
def test_damaged_valid_files_never_raise_another_exception_type(
    tmp_path: Path, valid_files: dict[str, bytes], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(valid_files)))
    content = bytearray(valid_files[name])
    # Damage the header region most: that is where parsers branch.
    positions = st.integers(0, min(len(content) - 1, 120)) | st.integers(0, len(content) - 1)
    for position, value in data.draw(st.lists(st.tuples(positions, st.integers(0, 255)), min_size=1, max_size=4)):
        content[position] = value
    path = tmp_path / name
    path.write_bytes(bytes(content))
    _load_or_input_error(path)
