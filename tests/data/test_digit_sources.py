"""The sources of digits the browser shows (convdesigner.data.digit_sources), without Qt."""

from __future__ import annotations

import numpy as np
import pytest

from convdesigner.data import bundled_digit, bundled_images, bundled_labels, indices_of, write_idx
from convdesigner.data.digit_sources import BundledSource, DigitSource, IdxSource, find_labels_file
from convdesigner.data.loaders import load_idx_dataset


def test_the_bundled_source_names_and_gives_each_digit() -> None:
    source = BundledSource()
    assert source.bundled and source.labelled and len(source) == 10_000
    position = int(indices_of(7)[12])
    assert (source.label(position), source.index(position), source.spec(position)) == (7, 12, "mnist:7:12")
    digit = source.digit(position)
    assert digit.shape == (1, 28, 28) and digit.dtype == np.float32
    assert np.array_equal(digit[0], bundled_digit(7, 12))
    assert np.array_equal(source.raw(position), bundled_images()[position])


def test_positions_of_a_label_and_indices_within_it() -> None:
    source = BundledSource()
    for label in (0, 3, 9):
        positions = source.positions(label)
        assert np.array_equal(positions, indices_of(label))
        assert [source.index(int(p)) for p in positions[[0, 1, -1]]] == [0, 1, len(positions) - 1]
    assert np.array_equal(source.positions(None), np.arange(10_000))
    assert source.positions(3) is source.positions(3)   # computed once


def test_an_unlabelled_source_counts_positions_and_has_no_label() -> None:
    images = np.zeros((5, 4, 4), dtype=np.uint8)
    source = DigitSource("mine", images, None)
    assert not source.labelled and not source.bundled
    assert source.label(3) is None and source.index(3) == 3
    assert source.positions(2).size == 0
    assert np.array_equal(source.positions(None), np.arange(5))
    with pytest.raises(NotImplementedError):
        source.digit(0)


def test_an_idx_source_gives_its_images_scaled_to_one(tmp_path) -> None:
    images = np.ascontiguousarray(bundled_images()[:12])
    labels = np.ascontiguousarray(bundled_labels()[:12])
    images_path = tmp_path / "train-images-idx3-ubyte.gz"
    write_idx(images_path, images)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels)
    labels_path = find_labels_file(images_path)
    assert labels_path == tmp_path / "train-labels-idx1-ubyte.gz"
    source = IdxSource(load_idx_dataset(images_path, labels_path), images_path, labels_path)
    assert not source.bundled and source.labelled and len(source) == 12
    assert source.label(4) == int(labels[4])
    assert np.array_equal(source.digit(4), images[4][None].astype(np.float32) / np.float32(255))


@pytest.mark.parametrize(("images", "labels"), [
    ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte"),
    ("t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte.gz"),
    ("T10K-IMAGES.IDX3-UBYTE", "t10k-labels.idx1-ubyte"),
])
def test_the_labels_file_is_found_by_name(tmp_path, images, labels) -> None:
    (tmp_path / images).write_bytes(b"")
    (tmp_path / labels).write_bytes(b"")
    assert find_labels_file(tmp_path / images) == tmp_path / labels


@pytest.mark.parametrize("name", ["digits.idx", "train-images-idx3-ubyte"])
def test_no_labels_file_is_none(tmp_path, name) -> None:
    (tmp_path / name).write_bytes(b"")
    assert find_labels_file(tmp_path / name) is None
    assert find_labels_file(tmp_path / "missing" / "x-images-idx3-ubyte") is None

