"""Inputs for a design: files, the bundled MNIST digits, MNIST-style preparation (numpy and Pillow only).

* :mod:`~convdesigner.data.mnist`   -- the 10,000 bundled MNIST digits and the ``mnist:7:12`` syntax;
* :mod:`~convdesigner.data.idx`     -- MNIST's IDX file format, read and write;
* :mod:`~convdesigner.data.loaders` -- any input (``.npy``, image, IDX, ``mnist:``) as float32 [C, H, W];
* :mod:`~convdesigner.data.prepare` -- photos and drawings turned into MNIST-style 28×28 digits.

Every problem with an input is raised as :class:`convdesigner.errors.InputFileError`.
"""

from convdesigner.data.idx import read_idx, read_idx_images, read_idx_labels, write_idx
from convdesigner.data.loaders import (
    LUMA_WEIGHTS,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    IdxDataset,
    convert_channels,
    load_array_file,
    load_idx_dataset,
)
from convdesigner.data.mnist import (
    bundled_digit,
    bundled_images,
    bundled_labels,
    indices_of,
    parse_input_spec,
)
from convdesigner.data.prepare import PreparedDigit, prepare_mnist_style

__all__ = [
    "LUMA_WEIGHTS",
    "MAX_IMAGE_PIXELS",
    "MAX_IMAGE_SIDE",
    "IdxDataset",
    "PreparedDigit",
    "bundled_digit",
    "bundled_images",
    "bundled_labels",
    "convert_channels",
    "indices_of",
    "load_array_file",
    "load_idx_dataset",
    "parse_input_spec",
    "prepare_mnist_style",
    "read_idx",
    "read_idx_images",
    "read_idx_labels",
    "write_idx",
]
