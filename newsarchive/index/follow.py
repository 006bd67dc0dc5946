"""The index follows the store: catch-ups from the change log, and while
pages are being stored, catch-ups beside the caller.

`catch_up` is the one place an index learns of the store's changes, for
every engine: it reads the change log in batches and hands each to the
engine's `apply`. Indexing costs CPU (Whoosh is pure Python): in the
process that stores it would hold up the crawl's reactor or the command, so
while pages are stored, catch-ups run in a worker process of their own
(`procs`), after every few stored articles, one at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsarchive import procs
from newsarchive.errors import IndexUnavailable
from newsarchive.index.api import Batch, Progress, SearchEngine, is_current

# Changes applied per engine commit when catching up: a commit costs a
# segment write, so batching amortizes it; the bound keeps memory flat.
CATCH_UP_BATCH = 1000
# A missing index with more changes than this to apply is built in bulk
# (aside, then swapped in) rather than a batch at a time: bulk adds skip
# the lookup a replace needs.
BULK_FROM = 5 * CATCH_UP_BATCH


# Called with the store before a catch-up reads the change log (the archive
# links copies with it, copies/link.py): what the index takes next can rely
# on it. A module-level function, so a worker process can be handed it.
Before = Callable[[Any], object]


def catch_up(
    engine: SearchEngine, store, progress: Progress | None = None, *, before: Before | None = None
) -> int:
    """Apply the store's changes since the index's last. A missing index is
    first made live empty, so searches answer (with what is indexed so far)
    from then on; a large backlog is then built aside in bulk, and an index
    of another format, engine or store is rebuilt aside while it keeps
    answering. Returns the number of articles indexed or removed. Call
    with the archive's writer lock held. `before` runs again before each
    batch: a catch-up that chases a long stream of stored pages keeps it
    following too."""
    if before is not None:
        before(store)
    state = engine.state()
    if state is None:
        engine.create_empty()
        state = engine.state()
    applied = 0
    if (
        state is None
        or not is_current(engine, state, store.store_id)
        or (state.seq == 0 and store.last_seq() > BULK_FROM)
    ):
        applied = engine.rebuild(progress, lean=True)
        state = engine.state()
    if state is None:
        raise IndexUnavailable(f"the {engine.name} index cannot be made; run `newsarchive doctor`")
    seq = state.seq
    total = store.last_seq() - seq
    caught = 0
    while changes := store.changes_since(seq, limit=CATCH_UP_BATCH):
        if before is not None and caught:
            before(store)
        # An article changed twice in one batch is applied once: the store
        # holds only its latest version anyway.
        ids = list(dict.fromkeys(change.article_id for change in changes))
        articles = store.get_many(ids)
        seq = changes[-1].seq
        kept = [i for i in ids if i in articles]
        batch = Batch(
            seq, [articles[i] for i in kept], [i for i in ids if i not in articles], store.earlier_texts(kept)
        )
        engine.apply(batch)
        caught += len(changes)
        if progress:
            progress(caught, max(total, caught))
    return applied + caught


def catch_up_locked(
    engine: SearchEngine, store, lock_path: Path, *, wait: float, purpose: str, before: Before | None = None
) -> str | None:
    """`catch_up` under the archive's writer lock, waiting `wait` seconds
    for it; the reason it could not run (the lock's holder), or None."""
    from newsarchive.errors import ArchiveBusy
    from newsarchive.lock import WriterLock

    try:
        with WriterLock(lock_path, timeout=wait, purpose=purpose):
            catch_up(engine, store, before=before)
    except ArchiveBusy as busy:
        return str(busy)
    return None


@dataclass(frozen=True)
class Pace:
    """When a catch-up is due while pages are stored: after at least
    `every` stored articles and `interval` seconds; each waits `wait`
    seconds for the writer lock before leaving its batch to the next."""

    every: int
    interval: float = 0.0
    wait: float = 0.5


# A crawl: each Whoosh commit writes a segment and merges small ones, so on
# a fast crawl a count alone would spend more time merging than indexing;
# on a polite one (a page a second or slower) the count decides. Measured
# on a 1,000-article local site: every 10 s left the whole index to the end
# (96 pages/s), every 3 s keeps it following (117 pages/s), every batch of
# 25 at once fights the crawl for the cores (80 pages/s).
CRAWL_PACE = Pace(every=25, interval=3.0)
# add and import: the rest is caught up at the end of the command.
PAGES_PACE = Pace(every=100)
# The same for an engine whose indexing is light: each commit (and the
# merges it sets off) costs more than its articles, so commits are fewer.
LIGHT_PAGES_PACE = Pace(every=500)


def indexing_worker(store_url: str, engine: str, before: Before | None = None) -> Executor:
    """One worker for `index_archive` calls, one at a time. Its fork server
    imports once what they need: this engine's writer, this store's
    backend (never another engine's library) and `before`'s module."""
    from newsarchive.index import engine_class
    from newsarchive.store import backend

    writer = engine_class(engine)
    preload = [getattr(writer, "BUILD", writer.__module__), backend(store_url).__module__]
    if before is not None:
        preload.append(before.__module__)
    return procs.pool(1, preload, name="index")


def index_archive(
    store_url: str, lock_path: Path, index_dir: Path, engine: str, wait: float, purpose: str,
    before: Before | None = None,
) -> str | None:  # fmt: skip
    """`catch_up_locked` in a worker, with a store connection of its own."""
    from newsarchive.index import open_engine
    from newsarchive.store import open_store

    with open_store(store_url) as store:
        return catch_up_locked(
            open_engine(engine, index_dir, store), store, lock_path, wait=wait, purpose=purpose, before=before
        )


class IndexFollower:
    """Keeps the index following the store while pages are being stored:
    after at least `every` stored articles and `interval` seconds, one
    catch-up in the indexing worker, never two at once. Each Whoosh commit
    writes a segment and merges small ones, so batches keep it cheap; the
    work runs beside the caller, who goes on storing."""

    def __init__(self, archive, pace: Pace, *, purpose: str):
        self._paths = (archive.store_url, archive.lock_path, archive.index_dir, archive.engine_name)
        self._before = archive.before_indexing
        self._purpose = purpose
        self._every, self._interval, self._wait = pace.every, pace.interval, pace.wait
        self._worker: Executor | None = None
        self._pending: Future | None = None
        self._stored = 0
        self._started = time.monotonic()

    def stored(self, count: int = 1) -> None:
        """Note stored articles; start a catch-up when one is due."""
        self._stored += count
        due = self._stored >= self._every and time.monotonic() - self._started >= self._interval
        if due and (self._pending is None or self._pending.done()):
            self._stored = 0
            self._started = time.monotonic()
            self._pending = self.submit(self._wait)

    def submit(self, wait: float) -> Future:
        """A catch-up now (after the one under way), waiting `wait` seconds
        for the writer lock: the reason it could not run, or None."""
        if self._worker is None:
            self._worker = indexing_worker(self._paths[0], self._paths[3], self._before)
        return self._worker.submit(index_archive, *self._paths, wait, self._purpose, self._before)

    def settle(self) -> None:
        """Wait for the catch-up under way; its failure is left to the next."""
        if self._pending is not None:
            with suppress(Exception):  # the final catch-up reports what is wrong
                self._pending.result()
            self._pending = None

    def close(self) -> None:
        if self._worker is not None:
            self._worker.shutdown()
