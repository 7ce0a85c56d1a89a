"""Sources of digits to browse: the bundled MNIST test digits, or an IDX data set the user opened.

* :class:`DigitSource` -- images [N, H, W] as stored, labels [N] or None, positions by label and
  each digit's index within its label (``mnist:7:12`` is the 7 with index 12);
* :class:`BundledSource`, :class:`IdxSource` -- the two kinds;
* :func:`find_labels_file` -- the IDX label file that goes with an IDX image file, found by name.

No Qt: the digit browser (``convdesigner.ui.panels.digits``) shows these.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from convdesigner.data.loaders import IdxDataset
from convdesigner.data.mnist import bundled_digit, bundled_images, bundled_labels


def _ranks(labels: np.ndarray | None, count: int) -> np.ndarray:
    """For each position, its index among the digits with the same label (its position when unlabelled)."""
    if labels is None:
        return np.arange(count, dtype=np.int64)
    ranks = np.empty(count, dtype=np.int64)
    for label in np.unique(labels):
        where = np.flatnonzero(labels == label)
        ranks[where] = np.arange(where.size, dtype=np.int64)
    return ranks


class DigitSource:
    """Digits to browse: ``images`` [N, H, W] as stored, ``labels`` [N] or None, and how to use one.

    A *position* is an image's place in ``images``; the *index* of a labelled digit counts from 0
    within its label (``mnist:7:12`` is the 7 with index 12).
    """

    def __init__(self, name: str, images: np.ndarray, labels: np.ndarray | None) -> None:
        self.name = name
        self.images = images
        self.labels = labels
        self._ranks = _ranks(labels, len(images))
        self._positions: dict[int | None, np.ndarray] = {}

    @property
    def bundled(self) -> bool:
        return False

    @property
    def labelled(self) -> bool:
        return self.labels is not None

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def positions(self, label: int | None) -> np.ndarray:
        """Positions (ascending) of the digits labelled ``label``; every position for None."""
        if label not in self._positions:
            if label is None:
                self._positions[label] = np.arange(len(self), dtype=np.int64)
            elif self.labels is None:
                self._positions[label] = np.zeros(0, dtype=np.int64)
            else:
                self._positions[label] = np.flatnonzero(self.labels == label)
        return self._positions[label]

    def label(self, position: int) -> int | None:
        return None if self.labels is None else int(self.labels[position])

    def index(self, position: int) -> int:
        """Index of the digit at ``position`` within its label (its position when unlabelled)."""
        return int(self._ranks[position])

    def digit(self, position: int) -> np.ndarray:
        """The digit at ``position`` as a new float32 [1, H, W] array (ubyte scaled to [0, 1])."""
        raise NotImplementedError

    def raw(self, position: int) -> np.ndarray:
        """The stored pixels [H, W] of the digit at ``position`` (for thumbnails)."""
        pixels: np.ndarray = self.images[position]
        return pixels


class BundledSource(DigitSource):
    """The 10,000 bundled MNIST test digits."""

    def __init__(self) -> None:
        super().__init__("mnist", bundled_images(), bundled_labels())

    @property
    def bundled(self) -> bool:
        return True

    def digit(self, position: int) -> np.ndarray:
        label = self.label(position)
        assert label is not None  # every bundled digit is labelled
        return bundled_digit(label, self.index(position))[np.newaxis]

    def spec(self, position: int) -> str:
        """``mnist:LABEL:INDEX``, the name the command line and the app accept for this digit."""
        return f"mnist:{self.label(position)}:{self.index(position)}"


class IdxSource(DigitSource):
    """An IDX data set the user opened (its labels when a matching label file was found)."""

    def __init__(self, dataset: IdxDataset, path: Path, labels_path: Path | None) -> None:
        super().__init__(dataset.name, dataset.images, dataset.labels)
        self.dataset = dataset
        self.path = path
        self.labels_path = labels_path

    def digit(self, position: int) -> np.ndarray:
        return self.dataset.image(position)


def find_labels_file(images_path: str | os.PathLike[str]) -> Path | None:
    """The IDX label file that goes with an IDX image file, found next to it by name, or None.

    ``train-images-idx3-ubyte(.gz)`` → ``train-labels-idx1-ubyte(.gz)``, ``t10k-images.idx3-ubyte``
    → ``t10k-labels.idx1-ubyte``; compressed or not, whatever the image file is; case ignored.
    """
    images_path = Path(images_path)
    lower = images_path.name.lower()
    if "images" not in lower:
        return None
    start = lower.rfind("images")
    bare = (lower[:start] + "labels" + lower[start + len("images"):]).replace("idx3", "idx1")
    bare = bare.removesuffix(".gz")
    wanted = [bare, bare + ".gz"]
    try:
        entries = {entry.name.lower(): entry for entry in images_path.parent.iterdir() if entry.is_file()}
    except OSError:
        return None
    for name in wanted:
        if name in entries:
            return entries[name]
    return None



__all__ = ["BundledSource", "DigitSource", "IdxSource", "find_labels_file"]
