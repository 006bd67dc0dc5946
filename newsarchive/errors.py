"""Domain errors of newsarchive.

Library code raises these; only the command line turns them into messages
and exit codes, so every message here should already say what to do.

    NewsarchiveError
    ├── ArchiveError            the archive directory cannot be used
    │   ├── ArchiveMissing      no archive where one was expected
    │   ├── ArchiveTooNew       made by a newer newsarchive (schema ahead)
    │   └── ArchiveBusy         another process holds the writer lock
    ├── IndexUnavailable        the search index is missing or unreadable
    ├── NotFound                no article in the archive matches what was named
    ├── BadInput                what the user gave cannot be used
    │   ├── BadDate             a date bound that is not a date
    │   └── BadQuery            a search query that cannot be parsed
    ├── CaptureError            a WARC capture cannot be written or read
    ├── StorageError            the disk or database under the archive failed
    │   ├── StorageFull         no space left (what was stored before stays)
    │   ├── StorageReadOnly     the archive cannot be written
    │   └── StorageDamaged      a file of the archive is damaged
    └── NoArticle               a page holds no article (carries a reason)
"""

from __future__ import annotations

import errno
from pathlib import Path


class NewsarchiveError(Exception):
    """Base of every error newsarchive raises on purpose."""


class ArchiveError(NewsarchiveError):
    pass


class ArchiveMissing(ArchiveError):
    pass


class ArchiveTooNew(ArchiveError):
    pass


class ArchiveBusy(ArchiveError):
    pass


class IndexUnavailable(NewsarchiveError):
    pass


class NotFound(NewsarchiveError):
    """No article in the archive matches an id, id prefix or URL."""


class BadInput(NewsarchiveError):
    pass


class BadDate(BadInput):
    pass


class BadQuery(BadInput):
    pass


class CaptureError(NewsarchiveError):
    pass


class StorageError(NewsarchiveError):
    """A backend's own failure (SQLite's, the disk's), mapped once where
    the backend meets the rest of newsarchive."""


class StorageFull(StorageError):
    pass


class StorageReadOnly(StorageError):
    pass


class StorageDamaged(StorageError):
    pass


class NoArticle(NewsarchiveError):
    """A page was read but holds no article.

    `reason` is a short stable token (``empty``, ``too-large``, ``not-html``,
    ``index-page``, ``paywall``, ``login-wall``, ``needs-javascript``,
    ``no-text``, ``too-short``) so crawl summaries can count rejections by
    reason; the message says it in words.
    """

    def __init__(self, reason: str, message: str, partial=None):
        super().__init__(message)
        self.reason = reason
        # What the page does show, when it was read that far (a section
        # page's intro): an Article, not stored.
        self.partial = partial

    def __reduce__(self):
        """Crosses process boundaries whole (an extraction worker's answer)."""
        return NoArticle, (self.reason, str(self), self.partial)


# -- the disk under the archive ------------------------------------------------
#
# A full disk, a read-only mount or a failing device reach newsarchive as
# OSErrors from deep inside a library; every write is a transaction or an
# append, so what was stored before stays. Each backend (store, WARC writer,
# index engine) maps such a failure with these, once, where it meets it.

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
