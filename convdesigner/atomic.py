"""The one way this package writes a file: atomically, the whole new file at once or nothing.

Every output (design files, exported code, weights, ``run``'s ``.npz``, figures) goes through
:func:`atomic_output` (a binary stream) or :func:`write_text_atomically` / :func:`write_bytes_atomically`.
They behave as a careful editor does:

* The new contents go to a temporary file beside the target, are flushed to disk, then renamed
  over the target (``os.replace``, one file system), so a crash or an error never leaves a partial
  file; on an error the temporary file is deleted and the target is unchanged.
* The new file gets the usual permissions: those of the file it replaces, or, for a new file,
  ``0666`` less the umask (``0644`` under umask ``022``) -- not ``tempfile.mkstemp``'s ``0600``.
* A symbolic link is followed: the file it points to is replaced and the link stays a link.
* A character device or a named pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written to
  directly; it is never replaced by a regular file. Other special files (block devices, sockets)
  are refused.
* Temporary files of this module have a recognisable name (``.NAME.convdesigner-XXXXXXXXXXXX.tmp``);
  those older than :data:`STALE_SECONDS`, left behind by a save that was killed, are deleted by
  the next save into the same folder.

An ``OSError`` is raised as ``error_type`` (:class:`~convdesigner.errors.ConvDesignerError` unless
the caller asks for a subclass) with one line naming the path and the reason.

Pure Python: no numpy, torch or Qt, so every layer of the package may use it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from convdesigner.errors import ConvDesignerError

#: Temporary files of ours older than this (by modification time) are left-overs of a killed save.
STALE_SECONDS = 15 * 60
_TEMPORARY_TAG = "convdesigner-"
_TEMPORARY_NAME = re.compile(r"\..*\." + re.escape(_TEMPORARY_TAG) + r"[0-9a-f]{12}\.tmp", re.DOTALL)
# Room for the tag and suffix within the 255 bytes most file systems allow in a name.
_MAX_STEM_BYTES = 160


def temporary_name(target_name: str) -> str:
    """A fresh temporary file name for ``target_name`` that :func:`is_temporary_name` recognises."""
    stem = target_name
    while len(os.fsencode(stem)) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    return f".{stem}.{_TEMPORARY_TAG}{secrets.token_hex(6)}.tmp"


def is_temporary_name(name: str) -> bool:
    """Whether ``name`` is one of this module's temporary files."""
    return _TEMPORARY_NAME.fullmatch(name) is not None


def remove_stale_temporaries(folder: str | os.PathLike[str], older_than: float = STALE_SECONDS,
                             *, now: float | None = None) -> list[Path]:
    """Delete this module's temporary files in ``folder`` last modified ``older_than`` seconds
    before ``now`` (default: the current time) or earlier; return those deleted.

    Only regular files with this module's naming pattern are touched; errors are ignored (a
    left-over that cannot be deleted does not stop a save).
    """
    removed: list[Path] = []
    limit = (time.time() if now is None else now) - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_temporary_name(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime <= limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _reason(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and not path.parent.is_dir():
        return f"cannot write {path}: the folder {path.parent} does not exist"
    return f"cannot write {path}: {error.strerror or error}"


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str],
                  error_type: type[ConvDesignerError] = ConvDesignerError) -> Iterator[BinaryIO]:
    """Yield a binary stream whose contents replace ``path`` when the ``with`` block succeeds.

    See the module docstring for what happens with permissions, links, devices and left-overs.
    An ``OSError`` (missing folder, no permission, full disk) is raised as ``error_type`` naming
    ``path``; any other exception from the block propagates unchanged. Either way the target is
    left as it was and no temporary file remains.
    """
    shown = Path(path)
    # The real file: a link (or a chain of them, or a linked folder) is followed, so the link stays.
    target = Path(os.path.realpath(shown))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise error_type(_reason(shown, error)) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise error_type(f"cannot write {shown}: it is a folder, not a file")
    if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        with _write_through(shown, target, error_type) as stream:
            yield stream
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise error_type(f"cannot write {shown}: it is a special file (a device or a socket), "
                         "not a regular file")

    remove_stale_temporaries(target.parent)
    temporary = target.with_name(temporary_name(target.name))
    try:
        # open(..., "x") rather than tempfile.mkstemp: a new file gets 0666 less the umask.
        stream = open(temporary, "xb")  # noqa: SIM115 -- `with stream:` below, inside the try
    except OSError as error:
        raise error_type(_reason(shown, error)) from None
    try:
        with stream:
            if info is not None:  # keep the permissions of the file being replaced
                with contextlib.suppress(OSError):
                    os.chmod(stream.fileno(), stat.S_IMODE(info.st_mode))
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise error_type(_reason(shown, error)) from None
        raise


@contextlib.contextmanager
def _write_through(shown: Path, target: Path,
                   error_type: type[ConvDesignerError]) -> Iterator[BinaryIO]:
    """A device or pipe is written in place: there is nothing to replace atomically."""
    try:
        stream = open(target, "wb")  # noqa: SIM115 -- `with stream:` below, inside the try
    except OSError as error:
        raise error_type(_reason(shown, error)) from None
    try:
        with stream:
            yield stream
    except OSError as error:
        raise error_type(_reason(shown, error)) from None


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes,
                           error_type: type[ConvDesignerError] = ConvDesignerError) -> None:
    """Write ``data`` to ``path`` with :func:`atomic_output`."""
    with atomic_output(path, error_type) as stream:
        stream.write(data)


def write_text_atomically(path: str | os.PathLike[str], text: str,
                          error_type: type[ConvDesignerError] = ConvDesignerError) -> None:
    """Write ``text`` as UTF-8 to ``path`` with :func:`atomic_output`.

    A text that cannot be encoded (a lone surrogate such as ``"\\ud800"``) is refused as
    ``error_type`` before anything is written.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise error_type(f"cannot write {path}: the text holds a character that cannot be stored "
                         f"as UTF-8 ({error.object[error.start:error.end]!r} at position "
                         f"{error.start:,})") from None
    write_bytes_atomically(path, data, error_type)


__all__ = ["STALE_SECONDS", "atomic_output", "is_temporary_name", "remove_stale_temporaries",
           "temporary_name", "write_bytes_atomically", "write_text_atomically"]
