"""Writing output files atomically: see :mod:`convdesigner.atomic`, the one writer of the package.

Kept as an import location for older callers (the app's export dialog imports it from here).
"""

from __future__ import annotations

from convdesigner.atomic import atomic_output

__all__ = ["atomic_output"]
