"""The built-in store backend: SQLite, in one file of the archive.

One row per article keyed by canonical URL; a row for every version of an
article that changed (the latest one's text is the article row's); and a
change log whose sequence number only ever grows, so an index (or many, on many machines) can follow the
store by asking for the changes after the last one it applied.

WAL mode lets readers (search, show) work while a writer commits; every
write is one transaction; a busy database is waited for, not failed on.
SQLite's failures leave this module only as domain errors (`_failure`).
The roles it plays, in SQL, are store/sql.py's; its schema is in
sqlite_schema.py.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsarchive import errors
from newsarchive.errors import (
    ArchiveBusy,
    ArchiveError,
    ArchiveTooNew,
    BadInput,
    NewsarchiveError,
    StorageDamaged,
    StorageError,
)
from newsarchive.store.sql import SQLStore, guard_errors
from newsarchive.store.sqlite_schema import MIGRATIONS, SCHEMA_VERSION, statements

# How long a writer waits for another writer's transaction to finish.
BUSY_TIMEOUT_MS = 30_000


SCHEME = "sqlite"


def url_of(path: Path) -> str:
    """The store URL of an SQLite file: ``sqlite:///absolute/path``."""
    return f"{SCHEME}://{Path(path).absolute().as_posix()}"


def path_of(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme != SCHEME or parts.netloc or not parts.path:
        raise BadInput(f"{url!r} is not an SQLite store URL; write it as sqlite:///path/to/store.sqlite3")
    return Path(unquote(parts.path))


class SQLiteStore(SQLStore):
    """Articles in SQLite. Open with `open_store(url)` (or `SQLiteStore.open`
    with a URL or a path); use as a context manager or call close()."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db = connection
        self.path = path
        self.url = url_of(path)

    @classmethod
    def exists(cls, url: str) -> bool:
        return path_of(url).is_file()

    @classmethod
    def open(cls, target: str | Path) -> SQLiteStore:
        path = path_of(target) if isinstance(target, str) else Path(target)
        if not path.exists():  # a new store: its directory too (a --store elsewhere)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ArchiveError(f"cannot create the store {path}: {error.strerror}") from None
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return cls._connect(path)
            except sqlite3.OperationalError as error:
                # Switching a new database to WAL takes a lock that SQLite
                # does not wait for: two processes creating the archive at
                # once see "locked" here, and simply try again.
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise ArchiveError(f"cannot open the store {path}: {error}") from None
                time.sleep(0.05)
            except sqlite3.DatabaseError as error:
                raise ArchiveError(
                    f"cannot open the store {path}: {error}; run `newsarchive doctor` to check it"
                ) from None

    @classmethod
    def _connect(cls, path: Path) -> SQLiteStore:
        # An archive on a read-only disk (a backup, a mounted image) is still
        # read: SQLite is told the file cannot change, so WAL needs no -shm.
        read_only = path.exists() and not os.access(path.parent, os.W_OK)
        if read_only:
            db = sqlite3.connect(f"{path.absolute().as_uri()}?immutable=1", uri=True, isolation_level=None)
        else:
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not read_only and db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a commit survives a killed process; only a
            # power cut may lose the last transactions, never corrupt the file.
            db.execute("PRAGMA synchronous = NORMAL")
            store = cls(db, path)
            store._migrate()
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    # -- schema --------------------------------------------------------------

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ArchiveTooNew(
                f"the store {self.path} has schema {version}, newer than this newsarchive "
                f"understands ({SCHEMA_VERSION}); upgrade newsarchive"
            )
        if version < SCHEMA_VERSION and self._db.execute("PRAGMA query_only").fetchone()[0]:
            raise ArchiveError(
                f"the store {self.path} needs an upgrade, but it is read-only: make it writable"
            )
        while version < SCHEMA_VERSION:
            with self._transaction():
                # Re-read inside the write lock: another process may have
                # migrated while this one waited.
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    break
                step = MIGRATIONS[version]
                if callable(step):
                    step(self._db)
                else:
                    for statement in statements(step):
                        self._db.execute(statement)
                if version == 0:
                    import uuid

                    self._db.execute(
                        "INSERT INTO meta (key, value) VALUES ('store_id', ?)", (uuid.uuid4().hex,)
                    )
                version += 1
                self._db.execute(f"PRAGMA user_version = {version}")

    def _transaction(self):
        return _Transaction(self._db)

    @property
    def store_id(self) -> str:
        """A random id made when the store was created: an index built from
        another store (a restored backup, a new archive) can tell."""
        return self._db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0]

    def _x(self, sql: str, values: Sequence = ()) -> sqlite3.Cursor:
        return self._db.execute(sql, values)

    def _xm(self, sql: str, rows: Iterable[Sequence]) -> None:
        self._db.executemany(sql, rows)

    def _insert_id(self, sql: str, values: Sequence, key: str = "id") -> int:
        made = self._db.execute(sql, values).lastrowid
        assert made is not None  # an INSERT always gives one
        return made

    def integrity(self) -> str:
        """SQLite's own check of the file: "ok", or what is wrong."""
        rows = self._db.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(row[0] for row in rows[:5])

    def _failure(self, error: BaseException) -> NewsarchiveError | None:
        if isinstance(error, OSError | sqlite3.DatabaseError):
            return _storage_error(error, self.path.parent)
        return None


def _storage_error(error: BaseException, root: Path) -> NewsarchiveError | None:
    """SQLite's and the disk's failures as domain errors, else None."""
    if isinstance(error, OSError):
        return errors.disk_error(error, root)
    if not isinstance(error, sqlite3.DatabaseError):
        return None
    text = str(error).lower()
    if "full" in text:
        return errors.full(root)
    if "readonly" in text or "read-only" in text:
        return errors.read_only(root)
    if "malformed" in text or "not a database" in text:
        return StorageDamaged(
            f"the store in {root} is damaged ({error}); run `newsarchive doctor` to see what can be saved"
        )
    if "disk i/o" in text or "unable to open" in text:
        return StorageError(
            f"the archive at {root} cannot be written ({error}); check the disk, then run the command again"
        )
    if "locked" in text or "busy" in text:
        return ArchiveBusy(
            f"the store in {root} stayed busy ({error}); run the command again when the other writer is done"
        )
    return StorageError(f"the store in {root} failed ({error}); run `newsarchive doctor` to check it")


guard_errors(SQLiteStore)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error.

    IMMEDIATE takes the write lock at the start, so two writers queue on the
    busy timeout instead of failing halfway with "database is locked".
    Inside another (a batch of writes, as `linking`), it joins that one:
    the outermost commits or rolls back.
    """

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._outer = False

    def __enter__(self):
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
            self._outer = True

    def __exit__(self, exc_type, exc, tb):
        if self._outer:
            self._db.execute("ROLLBACK" if exc_type else "COMMIT")
