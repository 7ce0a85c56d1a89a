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


class ResourceError(DesignError):
    """A design (or a file) would need more memory or time than this machine allows.

    Raised *before* anything large is allocated. ``text`` is the message as a translatable
    :class:`~convdesigner.design.i18n.Text` when there is one (else None), for the app to show in
    the user's language; ``str(error)`` is the English sentence. A subclass of
    :class:`DesignError`, so code that catches design errors catches it too.
    """

    def __init__(self, message: str, text: object | None = None) -> None:
        super().__init__(message)
        self.text = text


class ComputationCancelled(ConvDesignerError):  # noqa: N818 -- a request honoured, not a failure
    """A computation was stopped on request (the user's Stop, or the app quitting) between two
    layers; nothing it computed is used."""
