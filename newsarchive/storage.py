"""Failures of the disk under the archive, as domain errors that say what
to do.

A full disk, a read-only mount or a failing device reach newsarchive as
OSErrors from deep inside a library; every write is a transaction or an
append, so what was stored before stays. Backends call `disk_error` where
they meet such a failure (the SQLite store maps its own error classes with
the same words, see `full` and `read_only`).
"""

from __future__ import annotations

import errno
from pathlib import Path

from newsarchive.errors import StorageDamaged, StorageError, StorageFull, StorageReadOnly

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def disk_error(error: OSError, root: Path) -> StorageError | None:
    """The domain error for `error` when it is the archive's disk failing,
    else None (the error is something else and should surface as it is)."""
    if error.errno in _FULL:
        return full(root)
    if error.errno in _READ_ONLY:
        return read_only(root)
    if error.errno == errno.EIO:
        return StorageDamaged(
            f"the disk under {root} failed ({error.strerror}); check it, then run `newsarchive doctor`"
        )
    return None


def full(root: Path) -> StorageFull:
    return StorageFull(
        f"the disk holding the archive ({root}) is full: free some space and run the command again;"
        " everything stored before this point is kept"
    )


def read_only(root: Path) -> StorageReadOnly:
    return StorageReadOnly(
        f"the archive at {root} is read-only: make it writable, or choose another with --archive DIR"
    )
