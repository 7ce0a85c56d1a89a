"""The app's PyTorch-backed work that is not a live frame: files and parameters.

Together with :mod:`convdesigner.ui.state.live` (frames, pixel explanations, partial maps) this is
the only way from ``ui/`` to PyTorch (``convdesigner.compute``); a test keeps it so. Every function
imports torch lazily, so the window still appears before torch is loaded.

Where each runs:

* :func:`open_design`, :func:`save_weights`, :func:`read_state_dict` and :func:`exported_code` run
  on a worker thread (:func:`convdesigner.ui.widgets.busy.run_busy`): reading, writing and
  initialising whole designs can take seconds.
* :func:`complete_parameters`, :func:`carry_parameters` and :func:`default_init_values` run on the
  GUI thread, inside a document edit, because an undo step must hold its parameters when it is
  pushed. They initialise only what the edit changed (one layer's kernels: a fraction of a
  millisecond for the opening design), and the memory budget and the 64 M-value weight limit
  refuse, before allocating, anything that could take long.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from convdesigner.design import Conv2d, Design

if TYPE_CHECKING:
    from convdesigner.compute.import_weights import Candidate, WeightMatch


# -- worker threads -----------------------------------------------------------------------------
def open_design(path: str | Path) -> Design:
    """A design file read and given its missing parameters (seeded default initialisation)."""
    from convdesigner.compute.weights import materialize_if_possible
    from convdesigner.design.io import load_design
    return materialize_if_possible(load_design(path))


def save_weights(design: Design, path: str | Path) -> None:
    """The design's parameters as a ``state_dict`` ``.pt`` file (atomically)."""
    from convdesigner.compute.export import save_weights as save
    save(design, Path(path))


def exported_code(design: Design, weights_file: str | None = None) -> str:
    """The runnable PyTorch code of ``design`` (see :func:`convdesigner.compute.export.generate_code`)."""
    from convdesigner.compute.export import generate_code
    return generate_code(design, weights_file=weights_file)


def max_inline_values() -> int:
    """How many parameter values exported code writes inline before it needs a weights file."""
    from convdesigner.compute.export import MAX_INLINE_VALUES
    return MAX_INLINE_VALUES


def read_state_dict(path: str | Path) -> dict[str, np.ndarray]:
    """A ``state_dict`` read safely (``weights_only``; bombs and damaged files refused)."""
    from convdesigner.compute.import_weights import read_state_dict as read
    return read(path)


# -- GUI thread, inside an edit -------------------------------------------------------------------
def complete_parameters(design: Design) -> Design:
    """Every buildable Conv2d of ``design`` given parameters (see
    :func:`convdesigner.compute.weights.materialize_if_possible`)."""
    from convdesigner.compute.weights import materialize_if_possible
    return materialize_if_possible(design)


def carry_parameters(design: Design) -> Design:
    """Parameters of the right shape for every Conv2d of an edited design, keeping what fits."""
    from convdesigner.compute.weights import carry_parameters as carry
    return carry(design)


def default_init_values(layer: Conv2d, seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    """PyTorch's default initialisation of ``layer``'s weight and bias under ``seed``."""
    from convdesigner.compute.weights import default_init_values as init
    return init(layer, seed)


# -- weight import (pure arithmetic on arrays already read) -------------------------------------
def match_weights(design: Design, state: dict[str, np.ndarray], source: str) -> WeightMatch:
    from convdesigner.compute.import_weights import match_weights as match
    return match(design, state, source=source)


def apply_match(design: Design, choices: dict[int, Candidate]) -> Design:
    from convdesigner.compute.import_weights import apply_match as apply
    return apply(design, choices)
