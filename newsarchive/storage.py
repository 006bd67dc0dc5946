"""Failures of the disk under the archive, in words that say what to do.

A full disk, a read-only mount or a damaged file reach newsarchive as
SQLite errors or OSErrors from deep inside a library; every write is a
transaction or an append, so what was stored before stays. This module
only recognizes such failures and explains them.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def storage_problem(error: BaseException, root: Path) -> str | None:
    """A one-line explanation when `error` is the archive's storage failing,
    else None (the error is something else, and should surface as it is)."""
    text = str(error).lower()
    if isinstance(error, sqlite3.DatabaseError):
        if "full" in text:
            return _full(root)
        if "readonly" in text or "read-only" in text:
            return _read_only(root)
        if "malformed" in text or "not a database" in text:
            return (
                f"the store in {root} is damaged ({error}); run `newsarchive doctor` to see what can be saved"
            )
        if "disk i/o" in text or "unable to open" in text:
            return f"the archive at {root} cannot be written ({error}); check the disk, then run the command again"
        return None
    if isinstance(error, OSError):
        if error.errno in _FULL:
            return _full(root)
        if error.errno in _READ_ONLY:
            return _read_only(root)
        if error.errno == errno.EIO:
            return f"the disk under {root} failed ({error.strerror}); check it, then run `newsarchive doctor`"
    return None


def _full(root: Path) -> str:
    return (
        f"the disk holding the archive ({root}) is full: free some space and run the command again;"
        " everything stored before this point is kept"
    )


def _read_only(root: Path) -> str:
    return f"the archive at {root} is read-only: make it writable, or choose another with --archive DIR"
