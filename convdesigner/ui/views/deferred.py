"""Views that render on every frame do that work only while they are visible.

A view in a hidden tab or a closed dock would otherwise redraw its mosaics on every brush stroke
for nobody (measured: the sum view's 1.5 ms per stroke while the kernel matrix tab is in front).
Such a view records what it owes, renders it when it is shown, and its ``displayed_*`` accessors
(:func:`flushed`) render first, so what they return is always the newest state.

Threading: GUI thread only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Method = TypeVar("Method", bound=Callable)

NOTHING, SELECTION, NEW_FRAME = 0, 1, 2


class DeferredRendering:
    """Mixin for a QWidget view. Subclasses implement ``_render_now(new_frame: bool)`` and call
    :meth:`_owe_render` instead of rendering directly."""

    _owed = NOTHING

    def _owe_render(self, kind: int) -> None:
        self._owed = max(self._owed, kind)
        if self.isVisible():  # type: ignore[attr-defined]
            self.flush_render()

    def flush_render(self) -> None:
        """Render what is owed now (the accessors and showEvent call this)."""
        if self._owed:
            new_frame, self._owed = self._owed == NEW_FRAME, NOTHING
            self._render_now(new_frame)

    def _render_now(self, new_frame: bool) -> None:
        raise NotImplementedError

    def showEvent(self, event) -> None:
        super().showEvent(event)  # type: ignore[misc]
        self.flush_render()


def flushed(method: Method) -> Method:
    """Decorate an accessor so it first renders anything owed."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        self.flush_render()
        return method(self, *args, **kwargs)
    return wrapper  # type: ignore[return-value]
