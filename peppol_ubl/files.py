"""Files: writing them so that a reader sees the old content or the new, never half of
either, and telling what a path that is no regular file is.

``write_atomic`` writes to a temporary file in the target's own folder (so the rename
stays on one file system), flushes it to disk and renames it over the target: a process
killed mid-write leaves the previous file untouched, plus at most a stray
``.NAME.*.tmp`` beside it. A new file gets the usual permissions (``0o666`` less the
umask); a replaced one keeps its own. Every file this package writes goes through here:
command-line outputs, imported and downloaded artefacts.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

__all__ = ["kind_of", "write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename (creating its folder if needed).

    Raises ``OSError`` when the folder cannot be created or written; the target is then
    unchanged and no temporary file is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def kind_of(mode: int) -> str:
    """What a file of ``st_mode`` ``mode`` is, for messages: ``a regular file``, ``a
    folder``, ``a named pipe``, ``a socket``, ``a character device`` …"""
    for test, kind in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"),
                       (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a file"
