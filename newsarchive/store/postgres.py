"""The team's store backend: PostgreSQL, shared by every machine.

``postgresql://user@host/database`` (any libpq URL: a socket directory as
``?host=/run/postgresql``, a password from ~/.pgpass) names it. The roles
are store/sql.py's, the same statements SQLite runs; this module supplies
the connection and what many writers at once need:

* Each write is one transaction (the connection is in autocommit between
  them, so no session sits idle in a transaction).
* Writers that must not interleave take advisory locks held to the end of
  their transaction (`_lock`): one per article being stored, one for the
  change log, one for linking copies.
* The change log cannot be followed by "the last number seen" alone: a
  transaction that took number 5 may commit after one that took number 6,
  and a follower that read 6 would skip 5 for good. Numbers are therefore
  taken under the change-log lock, held to commit, so they commit in
  order; and a follower reads only changes written by transactions older
  than every transaction still open (`SETTLED`: the xid each change row
  keeps against the snapshot's xmin), which holds even for a writer that
  bypassed the lock.

psycopg's failures leave this module only as domain errors (`_failure`).
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from newsarchive.errors import (
    ArchiveBusy,
    ArchiveError,
    ArchiveTooNew,
    NewsarchiveError,
    StorageError,
    StorageFull,
    StorageReadOnly,
)
from newsarchive.store import shown
from newsarchive.store.postgres_schema import MIGRATIONS, SCHEMA_VERSION
from newsarchive.store.sql import SQLStore, guard_errors

# Advisory locks of this program are (this key, a hash of the lock's name):
# another program's locks in the same database never collide with them.
LOCK_SPACE = 0x6E61  # "na"
# How long a statement may wait for a lock before the command gives up.
LOCK_TIMEOUT = "60s"


class Row:
    """A result row read by position or by column name, as sqlite3.Row."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence):
        self._names = names
        self._values = values

    def __getitem__(self, key):
        return self._values[self._names[key] if isinstance(key, str) else key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._names)


def _rows(cursor):
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    return functools.partial(Row, names)


@functools.lru_cache(maxsize=512)
def _dialect(sql: str) -> str:
    """A statement of store/sql.py with psycopg's placeholders."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(SQLStore):
    """Articles in PostgreSQL. Open with `open_store(url)`."""

    ROWID = "row_no"
    GREATEST = "greatest"
    SETTLED = "xid < pg_snapshot_xmin(pg_current_snapshot())"
    NOW = "CAST(extract(epoch FROM statement_timestamp()) AS DOUBLE PRECISION)"
    SKIP_LOCKED = " FOR UPDATE OF f SKIP LOCKED"

    def __init__(self, connection: Any, url: str):
        # Any: psycopg types rows by the row factory, this one gives Rows.
        self._db: Any = connection
        self._depth = 0
        self.url = url

    @classmethod
    def _connect(cls, url: str) -> Any:
        try:
            db = psycopg.connect(
                url, autocommit=True, row_factory=_rows, options=f"-c lock_timeout={LOCK_TIMEOUT}"
            )
        except psycopg.Error as error:
            # libpq's first line says what failed ("... port 5432 failed:
            # Connection refused", "role ... does not exist"); hints follow.
            reason = " ".join((str(error).strip().splitlines() or [type(error).__name__])[0].split())
            raise ArchiveError(
                f"cannot reach the store {shown(url)}: {reason}; check that PostgreSQL runs and the URL"
                " names its host, user and database"
            ) from None
        return db

    @classmethod
    def exists(cls, url: str) -> bool:
        with contextlib.closing(cls._connect(url)) as db:
            return db.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        store = cls(cls._connect(url), url)
        try:
            store._migrate()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    # -- schema ------------------------------------------------------------------

    def _version(self) -> int:
        if not self._db.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]:
            return 0
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        try:
            version = self._version()
            if version > SCHEMA_VERSION:
                raise ArchiveTooNew(
                    f"the store {shown(self.url)} has schema {version}, newer than this newsarchive"
                    f" understands ({SCHEMA_VERSION}); upgrade newsarchive"
                )
            if version == SCHEMA_VERSION:
                return
            # Another machine may be migrating: wait for it. The lock is
            # the session's, taken before each transaction begins, so the
            # transaction sees the tables that machine made (one that
            # began before them would look them up in stale caches).
            self._advisory("pg_advisory_lock", "schema")
            try:
                while version < SCHEMA_VERSION:
                    with self._transaction():
                        version = self._version()
                        if version >= SCHEMA_VERSION:
                            break
                        self._db.execute(MIGRATIONS[version])
                        if version == 0:
                            self._x(
                                "INSERT INTO meta (key, value) VALUES ('store_id', ?)", (uuid.uuid4().hex,)
                            )
                        version += 1
                        self._x(
                            "INSERT INTO meta (key, value) VALUES ('schema', ?)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            (str(version),),
                        )
            finally:
                if not self._db.closed:
                    self._advisory("pg_advisory_unlock", "schema")
        except psycopg.Error as error:
            raise self._failure(error) or error from None

    @property
    def store_id(self) -> str:
        """A random id made when the store was created: an index built from
        another store (a restored backup, another database) can tell."""
        return self._x("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0]

    def integrity(self) -> str:
        """ "ok" when the server answers with the schema this program
        expects; what differs otherwise (PostgreSQL checks its own pages)."""
        version = self._version()
        if version != SCHEMA_VERSION:
            return f"schema {version}, expected {SCHEMA_VERSION}"
        if self._x("SELECT count(*) FROM meta WHERE key = 'store_id'").fetchone()[0] != 1:
            return "the store's id is missing"
        return "ok"

    # -- the connection ------------------------------------------------------------

    def _x(self, sql: str, values: Sequence = ()) -> Any:
        return self._db.execute(_dialect(sql), values)

    def _xm(self, sql: str, rows: Iterable[Sequence]) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(_dialect(sql), rows)

    def _insert_id(self, sql: str, values: Sequence, key: str = "id") -> int:
        return self._x(f"{sql} RETURNING {key}", values).fetchone()[0]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT, rolled back on any error; inside another, it
        joins that one (the outermost commits)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            if not self._db.closed:
                self._db.execute("ROLLBACK")
            raise
        self._depth = 0
        self._db.execute("COMMIT")

    def _advisory(self, function: str, name: str):
        """One of PostgreSQL's advisory-lock functions on this program's lock
        `name`; what it returned."""
        return self._x(f"SELECT {function}(?, hashtext(?))", (LOCK_SPACE, name)).fetchone()[0]

    def _lock(self, name: str) -> None:
        self._advisory("pg_advisory_xact_lock", name)

    def hold(self, name: str) -> bool:
        """Take `name` for this connection until `release` (or until the
        process ends, killed or not), if no other holds it: whether taken."""
        return self._advisory("pg_try_advisory_lock", name)

    def release(self, name: str) -> None:
        if not self._db.closed:
            self._advisory("pg_advisory_unlock", name)

    def _failure(self, error: BaseException) -> NewsarchiveError | None:
        if not isinstance(error, psycopg.Error):
            return None
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        where = f"the store {shown(self.url)}"
        if isinstance(error, pg_errors.DiskFull):
            return StorageFull(
                f"{where} is out of disk space ({reason}); free space on its server, then run the command again"
            )
        if isinstance(error, pg_errors.ReadOnlySqlTransaction | pg_errors.InsufficientPrivilege):
            return StorageReadOnly(f"{where} refused a write ({reason}); connect as a user that may write")
        if isinstance(
            error, pg_errors.LockNotAvailable | pg_errors.DeadlockDetected | pg_errors.SerializationFailure
        ):
            return ArchiveBusy(f"{where} stayed busy ({reason}); run the command again")
        if isinstance(error, psycopg.OperationalError):
            return StorageError(
                f"{where} cannot be reached ({reason}); check the server, then run the command again"
            )
        return StorageError(f"{where} failed ({reason}); run `newsarchive doctor` to check it")


guard_errors(PostgresStore)
