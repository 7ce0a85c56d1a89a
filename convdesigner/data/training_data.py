"""Labelled digits to train and evaluate a design on, and the fixed held-out split.

Pure numpy (no torch, no Qt): the command line, the app's Train panel and the tests share it.

**The held-out split of the bundled digits** is fixed and never depends on a seed: for each label
``L`` with ``n_L`` bundled digits (``mnist:L:0`` … ``mnist:L:{n_L − 1}``, in the bundled order),
the digits ``mnist:L:i`` with ``i ≥ round(0.8·n_L)`` are held out -- never trained on -- and
accuracy is measured on them; the first 80 % of each label are the training digits. (``0.8·n`` is
never halfway between two integers, so the rounding is unambiguous: ``round(0.8·n) =
(8·n + 5) // 10``.)

**An MNIST IDX pair** (an image file and its label file, e.g. the 60,000 training digits) is
trained on whole; held-out accuracy is then still measured on the bundled held-out digits (they
come from MNIST's separate test set, so none of them is in the training files).

Pixels are fed exactly as ``mnist:L:i`` gives them to ``run``: float32 in [0, 1] (a byte divided
by 255), shape ``[1, 28, 28]``, no normalisation -- and, for a design whose input is larger (LeNet-5's
1×32×32), centred on a zero field of that size (:func:`convdesigner.data.fit.centre_on`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from convdesigner.data.loaders import load_idx_dataset
from convdesigner.data.mnist import bundled_images, bundled_labels, indices_of
from convdesigner.errors import InputFileError

#: The share of each label's bundled digits that is trained on; the rest is held out.
TRAIN_SHARE = 0.8
CLASSES = 10
#: The learning rate a run uses unless one is given (the command line's ``--lr``, the Train
#: panel's first value): twice PyTorch's 0.001 for Adam, because the bundled digits are few
#: (8,000 to train on) and a learner trains for 3 epochs. The learner's network with LeakyReLU
#: and a head then ends above 95 % held-out in 9 of 10 seeds, against 3 of 5 at 0.001
#: (benchmarks/train.py; README, "Training").
DEFAULT_LR = 0.002


def train_count(n: int) -> int:
    """``round(0.8·n)``: how many of a label's ``n`` bundled digits are trained on."""
    return (8 * n + 5) // 10


@dataclass(frozen=True, eq=False)
class LabelledDigits:
    """``images`` [N, H, W] as stored (uint8 for MNIST; read-only), ``labels`` int64 [N] (0 to 9),
    and ``name`` for messages. :meth:`batch` makes the float32 tensors' data."""

    images: np.ndarray
    labels: np.ndarray
    name: str

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """``(1, H, W)``: the digits are grayscale."""
        return (1, int(self.images.shape[1]), int(self.images.shape[2]))

    def pixels(self, indices: np.ndarray) -> np.ndarray:
        """float32 ``[len(indices), 1, H, W]`` in [0, 1], as ``mnist:L:i`` gives one digit."""
        chosen = self.images[indices]
        if chosen.dtype == np.uint8:
            scaled: np.ndarray = chosen.astype(np.float32) / np.float32(255.0)
        else:
            scaled = chosen.astype(np.float32)
        return scaled[:, np.newaxis]


@dataclass(frozen=True, eq=False)
class TrainingData:
    """What one training run reads: the digits it trains on and the held-out digits it measures
    accuracy on (each a :class:`LabelledDigits`), and a one-line description for messages."""

    train: LabelledDigits
    heldout: LabelledDigits
    description: str


def bundled_split() -> tuple[np.ndarray, np.ndarray]:
    """``(train_positions, heldout_positions)``: int64 positions in the bundled digits (see the
    module docstring), each ascending."""
    train, heldout = [], []
    for label in range(CLASSES):
        positions = indices_of(label)
        cut = train_count(len(positions))
        train.append(positions[:cut])
        heldout.append(positions[cut:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(heldout))


def _bundled(positions: np.ndarray, name: str) -> LabelledDigits:
    return LabelledDigits(bundled_images()[positions], bundled_labels()[positions].astype(np.int64),
                          name)


def bundled_heldout() -> LabelledDigits:
    """The bundled held-out digits (2,000 of the 10,000)."""
    return _bundled(bundled_split()[1], "the bundled held-out digits")


def bundled_training_data() -> TrainingData:
    """Train on the first 80 % of each label's bundled digits, measure on the last 20 %."""
    train, heldout = bundled_split()
    return TrainingData(_bundled(train, "the bundled training digits"),
                        _bundled(heldout, "the bundled held-out digits"),
                        f"bundled digits: {len(train):,} to train on, {len(heldout):,} held out")


def idx_digits(images_path: str | os.PathLike[str],
               labels_path: str | os.PathLike[str]) -> LabelledDigits:
    """An MNIST IDX image file and its label file as :class:`LabelledDigits`. Raises
    :class:`InputFileError` for a bad file, counts that differ, or labels outside 0 to 9."""
    dataset = load_idx_dataset(images_path, labels_path)
    assert dataset.labels is not None  # a labels path was given
    labels = dataset.labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= CLASSES):
        raise InputFileError(f"{os.path.basename(labels_path)}: labels must be 0 to 9, found "
                             f"{int(labels.min())} to {int(labels.max())}")
    return LabelledDigits(dataset.images, labels, dataset.name)


def idx_training_data(images_path: str | os.PathLike[str],
                      labels_path: str | os.PathLike[str]) -> TrainingData:
    """Train on a whole IDX pair; measure on the bundled held-out digits."""
    train = idx_digits(images_path, labels_path)
    heldout = bundled_heldout()
    return TrainingData(train, heldout, f"{train.name}: {len(train):,} digits to train on; "
                        f"{len(heldout):,} bundled digits held out")


def probabilities(scores: np.ndarray) -> np.ndarray:
    """Softmax of class scores (float64, summing to 1): what the prediction chart shows, and what
    ``torch.softmax`` gives for the same scores."""
    values = np.asarray(scores, dtype=np.float64).reshape(-1)
    exp = np.exp(values - values.max())
    result: np.ndarray = exp / exp.sum()
    return result
