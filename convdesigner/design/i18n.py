"""User-visible texts of the pure model, translatable without Qt.

The design model (validation messages, the counts in words, formulas, lessons, presets) never
imports Qt, yet the app shows its texts in the user's language. Two small tools make that work:

* :func:`QT_TRANSLATE_NOOP` marks an English text for Qt's ``pyside6-lupdate``, which recognises
  the call by its name and files ``text`` under ``context`` in the ``.ts`` file; at run time it
  returns ``text`` unchanged. Always call it with two string *literals* (lupdate reads the source,
  it does not run it); adjacent literals may be concatenated.
* :class:`Text` is a text built from numbers: the English ``template`` with named
  ``{placeholders}``, its ``values``, and the lupdate ``context`` of the template. A value may be a
  :class:`Text` itself (a plural noun, "the input" or "layer 3", a word such as "height"). In
  English, ``str(text)`` and ``template.format(**values)`` give the same sentence (a :class:`Text`
  formats as its English rendering); the app calls :meth:`Text.render` with Qt's translate
  function, which translates every template, nested ones too, before filling it in.

Placeholders may carry a format spec (``{weights:,}``): a translation must keep every placeholder
of its English template, and the tests check that it does.

Pure Python: no torch, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: ``translate(context, text) -> str``, e.g. ``QCoreApplication.translate``.
Translate = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """Mark ``text`` for translation under ``context``; returns ``text`` unchanged."""
    return text


@dataclass(frozen=True)
class Text:
    """An English ``template`` with named placeholders, its ``values`` and its lupdate ``context``.

    ``values`` may hold further :class:`Text` values, rendered (and translated) first.
    """

    context: str
    template: str
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def render(self, translate: Translate | None = None) -> str:
        """The text in English, or translated with ``translate(context, template)`` when given."""
        template = translate(self.context, self.template) if translate is not None else self.template
        values = {name: value.render(translate) if isinstance(value, Text) else value
                  for name, value in self.values.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message: fall back to the English one.
            return self.template.format(**values)

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


def plural(context: str, count: int, singular: str, many: str) -> Text:
    """``Text(context, singular or many, {"count": count})``: ``singular`` when ``count`` is 1.

    Both templates must be marked with :func:`QT_TRANSLATE_NOOP` where they are written.
    """
    return Text(context, singular if count == 1 else many, {"count": count})


__all__ = ["QT_TRANSLATE_NOOP", "Text", "Translate", "plural"]
