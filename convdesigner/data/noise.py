"""Random normal inputs with a seed: what a generator starts from (a 128×7×7 latent map, say).

Pure numpy: ``normal_input((C, H, W), seed)`` is the same array on every machine and every run
(NumPy's PCG64 generator, ``default_rng(seed).standard_normal``), so a lesson, the app's input
editor and ``convdesigner run --input normal:SEED`` all mean the same numbers.
"""

from __future__ import annotations

import re

import numpy as np

from convdesigner.errors import ConvDesignerError

#: ``normal:SEED`` as the command line's ``--input`` takes it.
_SPEC = re.compile(r"normal:(\d{1,19})")


def normal_input(shape: tuple[int, int, int], seed: int) -> np.ndarray:
    """float32 ``shape`` of standard normal values (mean 0, standard deviation 1) drawn from
    ``numpy.random.default_rng(seed)``; a new array. ``seed`` must be at least 0."""
    if seed < 0:
        raise ConvDesignerError(f"the seed must be at least 0, got {seed}")
    return np.random.default_rng(seed).standard_normal(shape, dtype=np.float32)


def parse_normal_spec(text: str) -> int | None:
    """The seed of ``"normal:SEED"``, or None when ``text`` is not such a spec."""
    found = _SPEC.fullmatch(text)
    return int(found.group(1)) if found else None
