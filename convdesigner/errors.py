"""Error types shared by every layer of the package.

Every error a user can cause (a bad design, a broken file, an impossible layer) is raised as a
subclass of :class:`ConvDesignerError` whose message is one plain-language sentence that carries the
numbers involved. Callers (the command line, the ui) show ``str(error)`` as it is.
"""


class ConvDesignerError(Exception):
    """Base class of every error meant to be shown to a user."""


class DesignError(ConvDesignerError):
    """A design (or a design file) is invalid: an impossible layer, a shape that collapses, a bad key."""


class InputFileError(ConvDesignerError):
    """An input file (image, ``.npy``, IDX, weights) cannot be used; nothing was changed."""
