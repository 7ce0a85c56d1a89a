"""One lock for PyTorch work on the CPU that must not overlap in time, for a caller that trains
on a thread of the app's process: a training step and a live frame (or pixel explanation).

The app itself no longer trains in its own process (``ui/state/training.py`` runs the trainer in
a spawned process, which gave the command line's weights bit for bit in every run measured), so
today the live worker holds this lock uncontended. The history below is why it exists.

Why: results on the CPU depend on how many threads an operation runs on, and the live worker
runs small frames on one thread (``ui/state/live.threads_for``) while a training run uses all of
them. Measured here, a training run whose steps overlapped the live frames' computations often
came out a few float32 units in the last place away from the same run on the command line;
taking turns made that rarer (about one run in three still differs, for a reason not yet found:
see tests/ui/test_training.py). It costs the training a frame's time (a few milliseconds, a
handful of times a second) and spares the oversubscribed cores.

Uncontended (no training running) the lock costs nothing measurable. Pure Python; it is in
``compute`` because both the trainer's callers and the live worker reach it from here.
"""

from __future__ import annotations

import threading

#: Held by the live worker around each frame and explanation, and by a training run around each
#: step (see :meth:`convdesigner.compute.training.Trainer.run`'s ``step_lock``).
TORCH_WORK = threading.Lock()
