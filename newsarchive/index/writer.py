"""Keep the index following the store.

The index remembers the last change sequence number it applied (in a small
state file beside Whoosh's own); `catch_up` applies the store's later
changes, `rebuild` makes a new index from the whole store and swaps it in.
Both hold the archive's writer lock, so there is one index writer at a time
and readers are never disturbed: Whoosh commits atomically, and a rebuild
is built aside as a new generation and swapped in (generations.py).

Applying a change is idempotent (replace by id, or delete by id), so a
process killed between a Whoosh commit and the state file just re-applies a
few changes next time.

Whoosh writes slowly (pure Python), so a rebuild on a machine with several
cores runs Whoosh's own parallel writer: worker processes each build a
segment from batches of documents, and the segments are kept as they are
rather than merged (a merge would cost as much again as the build).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from newsarchive import procs
from newsarchive.index.codec import IndexCodec
from newsarchive.index.generations import begin, live, publish
from newsarchive.index.schema import INDEX_FORMAT, build_schema, document
from newsarchive.index.state import IndexState, is_current, read_state, write_state
from newsarchive.store import Store

# Changes applied per Whoosh commit when catching up: a commit costs a
# segment write, so batching amortizes it; the bound keeps memory flat.
CATCH_UP_BATCH = 1000
# A missing index with more changes than this to apply is built in bulk
# (aside, then swapped in) rather than a batch at a time: bulk adds skip
# the lookup a replace needs.
BULK_FROM = 5 * CATCH_UP_BATCH
# Memory for a catch-up writer's posting pool before it spills to disk: a
# crawl's index worker stays small beside the crawl.
CATCH_UP_LIMIT_MB = 8
# Memory for a rebuild writer's posting pool before it spills to disk (per
# worker process when the rebuild runs in parallel).
REBUILD_LIMIT_MB = 128
# Below this many articles a parallel rebuild costs more (starting workers,
# one segment each) than it saves; above it, one worker per core, up to
# PARALLEL_MAX (each worker's segment is one more for every search to read).
PARALLEL_FROM = 1000
PARALLEL_MAX = 4
# How segments are written. Not as one compound file: Whoosh reads a
# compound segment by copying each of its parts into memory (a BytesIO of
# the mapped file), so every search process would copy the whole postings
# file (hundreds of MB for 50,000 articles) before answering; separate
# files are read where needed.
SEGMENT_OPTIONS = {"codec": IndexCodec(), "compound": False}
# How long to wait for Whoosh's own lock; ours is already held, so only a
# foreign process could hold Whoosh's.
WHOOSH_LOCK_TIMEOUT = 10.0

Progress = Callable[[int, int], None]


def catch_up(index_root: Path, store: Store, progress: Progress | None = None) -> int:
    """Apply the store's changes since the index's last. A missing index is
    first made live empty, so searches answer (with what is indexed so far)
    from then on; a large backlog is then built aside in bulk, and an index
    of another format or store is rebuilt aside while it keeps answering.
    Returns the number of articles indexed or removed. Call with the
    archive's writer lock held."""
    from whoosh.index import open_dir

    where = live(index_root)
    state = read_state(where) if where else None
    if state is None or not _openable(where):
        where, state = _publish_empty(index_root, store)
    applied = 0
    if not is_current(state, store) or (state.seq == 0 and store.last_seq() > BULK_FROM):
        applied = rebuild(index_root, store, progress, limit_mb=CATCH_UP_LIMIT_MB)
        where = live(index_root)
        state = read_state(where)
    ix = open_dir(str(where))
    total = store.last_seq() - state.seq
    caught = 0
    try:
        while changes := store.changes_since(state.seq, limit=CATCH_UP_BATCH):
            # An article changed twice in one batch is applied once: Whoosh
            # cannot replace a document added in the same commit, and the
            # store holds only its latest version anyway.
            ids = list(dict.fromkeys(change.article_id for change in changes))
            articles = store.get_many(ids)
            writer = ix.writer(timeout=WHOOSH_LOCK_TIMEOUT, limitmb=CATCH_UP_LIMIT_MB, **SEGMENT_OPTIONS)
            try:
                for article_id in ids:
                    article = articles.get(article_id)
                    if article is None:
                        writer.delete_by_term("id", article_id)
                    else:
                        writer.update_document(**document(article))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            state = IndexState(state.format, state.store_id, changes[-1].seq)
            write_state(where, state)
            caught += len(changes)
            if progress:
                progress(caught, max(total, caught))
    finally:
        ix.close()
    return applied + caught


def _publish_empty(index_root: Path, store: Store) -> tuple[Path, IndexState]:
    """A new empty index made live at once (it takes milliseconds)."""
    from whoosh.index import create_in

    building = begin(index_root)
    create_in(str(building), build_schema()).close()
    state = IndexState(INDEX_FORMAT, store.store_id, 0)
    write_state(building, state)
    return publish(index_root, building), state


def catch_up_locked(
    index_root: Path, store: Store, lock_path: Path, *, wait: float, purpose: str
) -> str | None:
    """`catch_up` under the archive's writer lock, waiting `wait` seconds
    for it; the reason it could not run (the lock's holder), or None."""
    from newsarchive.errors import ArchiveBusy
    from newsarchive.lock import WriterLock

    try:
        with WriterLock(lock_path, timeout=wait, purpose=purpose):
            catch_up(index_root, store)
    except ArchiveBusy as busy:
        return str(busy)
    return None


def parallel_workers(articles: int) -> int:
    """Worker processes worth starting to index this many articles (1: none)."""
    if articles < PARALLEL_FROM or not hasattr(os, "fork"):
        return 1
    return min(procs.cores(), PARALLEL_MAX)


def rebuild(
    index_root: Path,
    store: Store,
    progress: Progress | None = None,
    *,
    workers: int = 1,
    limit_mb: int = REBUILD_LIMIT_MB,
) -> int:
    """Build a new index from the whole store beside the old one, then swap
    it in, with `workers` processes (see `parallel_workers`; only from a
    process with no other threads, as it forks). Returns the number of
    articles indexed. Call with the archive's writer lock held."""
    from whoosh.index import create_in

    # Read the sequence first: changes made while building are applied
    # again by the next catch-up, which is harmless.
    seq = store.last_seq()
    total = store.count()
    building = begin(index_root)
    ix = create_in(str(building), build_schema())
    options = {"limitmb": limit_mb, **SEGMENT_OPTIONS}
    if workers > 1:
        options.update(procs=workers, multisegment=True)
    done = 0
    with _workers_die_with_this_process(workers > 1):
        writer = ix.writer(**options)
        try:
            for article in store.iter_articles():
                writer.add_document(**document(article))
                done += 1
                if progress and done % 200 == 0:
                    progress(done, total)
            writer.commit()
        except BaseException:
            _stop_workers(writer)
            writer.cancel()
            ix.close()
            shutil.rmtree(building, ignore_errors=True)
            raise
    ix.close()
    write_state(building, IndexState(INDEX_FORMAT, store.store_id, seq))
    publish(index_root, building)
    if progress:
        progress(done, total)
    return done


def _openable(where: Path) -> bool:
    from whoosh.index import exists_in

    try:
        return exists_in(str(where))
    except OSError:
        return False


# -- parallel rebuilds -------------------------------------------------------------

_building_in: int | None = None  # pid of this process while it forks index workers


def _in_forked_worker() -> None:
    """Run in every child forked while a parallel rebuild starts its workers.

    Whoosh's workers wait for work forever: if the rebuild is killed they
    would outlive it, holding the archive's writer lock (inherited). So a
    worker asks Linux to kill it when its parent dies, and leaves Ctrl-C to
    the parent, which stops it."""
    if _building_in is None:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    procs.die_with_parent(signal.SIGKILL)
    if os.getppid() != _building_in:  # the parent died before the guard was set
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_forked_worker)


@contextmanager
def _workers_die_with_this_process(active: bool):
    global _building_in
    _building_in = os.getpid() if active else None
    try:
        yield
    finally:
        _building_in = None


def _stop_workers(writer) -> None:
    for task in getattr(writer, "tasks", ()):
        task.terminate()
        task.join()
