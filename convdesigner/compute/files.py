"""Writing output files atomically: the whole new file appears at once, or nothing changes."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from convdesigner.errors import ConvDesignerError


def _cannot_write(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and not path.parent.is_dir():
        return f"cannot write {path}: the folder {path.parent} does not exist"
    return f"cannot write {path}: {error.strerror or error}"


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary stream whose contents replace ``path`` when the ``with`` block succeeds.

    The stream is a temporary file in ``path``'s folder (so the final ``os.replace`` is a rename on
    one file system); it is flushed to disk before the rename and deleted if anything fails, so a
    crash or an error never leaves a partial ``path`` behind. An ``OSError`` (missing folder, no
    permission, full disk) is raised as :class:`ConvDesignerError` naming ``path``.
    """
    path = Path(path)
    if path.is_dir():
        raise ConvDesignerError(f"cannot write {path}: it is a folder, not a file")
    # open(..., "x") rather than tempfile.mkstemp: the file gets the usual permissions (umask)
    # instead of mkstemp's owner-only 0600, which it keeps after the rename.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        stream = open(temporary, "xb")
    except OSError as error:
        raise ConvDesignerError(_cannot_write(path, error)) from None
    try:
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise ConvDesignerError(_cannot_write(path, error)) from None
        raise
