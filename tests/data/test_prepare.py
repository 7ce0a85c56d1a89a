"""MNIST-style preparation of photos and drawings: inversion, 20×20 fit, centre of mass at (14, 14)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from convdesigner.data import bundled_images, prepare_mnist_style
from convdesigner.errors import InputFileError

MNIST_CENTER = (14.0, 14.0)


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    rows, cols = np.indices(image.shape)
    total = image.sum()
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def ink_box(image: np.ndarray) -> tuple[int, int]:
    """(height, width) of the non-zero region."""
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def disc(shape: tuple[int, int], center: tuple[float, float], radius: float) -> np.ndarray:
    rows, cols = np.indices(shape)
    return (((rows - center[0]) ** 2 + (cols - center[1]) ** 2) <= radius**2).astype(np.float32)


def assert_centered(after: np.ndarray) -> None:
    row, col = center_of_mass(after)
    # MNIST shifts by whole pixels, so its centre of mass is within half a pixel of (14, 14).
    assert abs(row - MNIST_CENTER[0]) <= 0.5 + 1e-9, (row, col)
    assert abs(col - MNIST_CENTER[1]) <= 0.5 + 1e-9, (row, col)


def test_mnist_own_digits_have_their_center_of_mass_at_14_14() -> None:
    # The reference the preparation aims for, checked on the bundled MNIST digits themselves.
    images = bundled_images()[::50].astype(np.float64)
    for image in images:
        assert_centered(image)


def test_off_center_blob_is_centered() -> None:
    picture = np.zeros((100, 120), dtype=np.float32)
    picture += disc(picture.shape, center=(20, 95), radius=9)
    picture[15:45, 90:93] = 1.0  # a tail, so the shape is not symmetric
    prepared = prepare_mnist_style(picture)
    after = prepared.after
    assert after.shape == (28, 28) and after.dtype == np.float32
    assert after.min() >= 0.0 and after.max() == pytest.approx(1.0)
    assert not prepared.inverted
    assert_centered(after)
    assert prepared.center_of_mass == pytest.approx(center_of_mass(after))
    assert prepared.bbox == (11, 86, 45, 105)  # top, left, bottom, right (exclusive)
    # The longer side of the ink (34 rows) is fitted to 20 pixels.
    assert ink_box(after)[0] in (20, 21)  # the resize filter may spread a faint edge into one more row


def test_aspect_ratio_is_preserved() -> None:
    picture = np.zeros((200, 200), dtype=np.float32)
    picture[20:180, 150:190] = 1.0  # 160 tall × 40 wide, 4 : 1
    after = prepare_mnist_style(picture).after
    height, width = ink_box(after > 0.5)
    assert height == 20
    assert width == 5
    assert_centered(after)


def test_small_drawing_is_enlarged_to_twenty_pixels() -> None:
    picture = np.zeros((30, 30), dtype=np.float32)
    picture[3:11, 5:9] = 1.0  # 8 tall × 4 wide
    after = prepare_mnist_style(picture).after
    assert ink_box(after > 0.5) == (20, 10)
    assert_centered(after)


def test_dark_on_light_drawing_is_inverted() -> None:
    # A dark "0" (a ring) on light paper, off-centre, with a slightly grey paper tone.
    picture = np.full((80, 90), 0.9, dtype=np.float32)
    ring = disc(picture.shape, (30, 60), 15) - disc(picture.shape, (30, 60), 10)
    picture[ring > 0] = 0.1
    prepared = prepare_mnist_style(picture)
    assert prepared.inverted
    after = prepared.after
    # MNIST polarity: black background, light ink reaching 1; the paper tone is gone.
    assert after[0].max() == 0.0 and after[:, 0].max() == 0.0
    assert after.max() == pytest.approx(1.0)
    assert after[14, 14] == 0.0  # the ring's hole stays empty
    assert_centered(after)
    np.testing.assert_array_equal(prepared.before, picture)


def test_light_on_dark_is_not_inverted_and_both_polarities_agree() -> None:
    picture = np.zeros((64, 64), dtype=np.float32)
    picture[10:50, 20:28] = 1.0
    picture[10:18, 20:44] = 1.0  # a "7"-like shape
    light_on_dark = prepare_mnist_style(picture)
    dark_on_light = prepare_mnist_style(1.0 - picture)
    assert not light_on_dark.inverted
    assert dark_on_light.inverted
    np.testing.assert_allclose(light_on_dark.after, dark_on_light.after, atol=1e-6)


def best_shifted_correlation(expected: np.ndarray, actual: np.ndarray) -> float:
    """Correlation of the two images, allowing ``actual`` to be one pixel off in each direction."""
    return max(
        float(np.corrcoef(expected.ravel(), np.roll(actual, (down, right), axis=(0, 1)).ravel())[0, 1])
        for down in (-1, 0, 1)
        for right in (-1, 0, 1)
    )


def test_preparing_an_mnist_digit_gives_it_back() -> None:
    # An MNIST digit is already prepared; preparing it again must give it back, up to a pixel of
    # shift (MNIST rounded its own centre of mass from the original, finer scan).
    for position in range(0, 10_000, 97):
        digit = bundled_images()[position] / np.float32(255)
        after = prepare_mnist_style(digit).after
        assert best_shifted_correlation(digit, after) > 0.9, position
        assert_centered(after)


def test_ink_is_never_cut_off_at_the_field_edge() -> None:
    # An upside-down T: most of its ink is in the base, so centring its centre of mass exactly
    # would push the stem's top out of the field; the shift stops at the field's edge instead.
    picture = np.zeros((140, 140), dtype=np.float32)
    picture[20:120, 67:73] = 1.0  # stem, 100 rows
    picture[100:120, 20:120] = 1.0  # base, 100 columns
    prepared = prepare_mnist_style(picture)
    after = prepared.after
    assert ink_box(after > 0.5) == (20, 20)  # the whole fitted digit is there
    assert after[0].max() > 0.5  # its stem reaches the field's top row
    assert prepared.center_of_mass[0] > 15.0  # so its centre of mass sits below the centre
    assert abs(prepared.center_of_mass[1] - 14.0) <= 0.5  # sideways there was room: centred


def test_outputs_are_read_only_and_input_untouched() -> None:
    picture = disc((40, 40), (12, 25), 6)
    original = picture.copy()
    prepared = prepare_mnist_style(picture)
    np.testing.assert_array_equal(picture, original)
    with pytest.raises(ValueError):
        prepared.after[0, 0] = 1.0
    with pytest.raises(ValueError):
        prepared.before[0, 0] = 1.0


@pytest.mark.parametrize("level", [0.0, 1.0, 0.5])
def test_blank_pictures_are_refused_without_arithmetic_warnings(level: float) -> None:
    picture = np.full((50, 40), level, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a division by zero would surface as a RuntimeWarning
        with pytest.raises(InputFileError, match="the picture is blank"):
            prepare_mnist_style(picture)


def test_faint_noise_only_is_blank() -> None:
    rng = np.random.default_rng(3)
    picture = (0.8 + rng.uniform(-0.02, 0.02, size=(60, 60))).astype(np.float32)
    with pytest.raises(InputFileError, match=r"blank: .* less than 0.05"):
        prepare_mnist_style(picture)


@pytest.mark.parametrize(
    ("picture", "message"),
    [
        (np.zeros((3, 28, 28)), r"one grayscale picture \[H, W\]"),
        (np.zeros((1, 28)), r"at least 2×2"),
        (np.full((5, 5), 2.0), r"values in \[0, 1\], not from 2 to 2"),
        (np.array([[0.0, np.nan], [0.5, 1.0]]), r"values in \[0, 1\]"),
    ],
)
def test_bad_pictures_are_refused(picture: np.ndarray, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        prepare_mnist_style(picture)
