"""Write a Whoosh index: apply a batch of changes, or rebuild from the store.

The index remembers the last change sequence number it applied (in the
state file beside Whoosh's own); `apply` commits a batch and then moves
it, `rebuild` makes a new index from the whole store and swaps it in. The
caller (index/follow.py) holds the archive's writer lock, so there is one
index writer at a time and readers are never disturbed: Whoosh commits
atomically, and a rebuild is built aside as a new generation and swapped
in (generations.py).

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
from contextlib import contextmanager
from pathlib import Path

from newsarchive import procs
from newsarchive.errors import IndexUnavailable
from newsarchive.index.api import PAST_FIELD, Batch, IndexState, Progress, with_earlier
from newsarchive.index.generations import begin, live, publish
from newsarchive.index.state import read_state, write_state
from newsarchive.index.whoosh.codec import IndexCodec
from newsarchive.index.whoosh.compat import answer_to_former_paths
from newsarchive.index.whoosh.schema import INDEX_FORMAT, build_schema, document
from newsarchive.store import Store

answer_to_former_paths()  # indexes pickled by earlier versions name their old paths

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


def create_empty(index_root: Path, store: Store) -> None:
    """A new empty index made live at once (it takes milliseconds)."""
    from whoosh.index import create_in

    building = begin(index_root)
    create_in(str(building), build_schema()).close()
    write_state(building, IndexState(INDEX_FORMAT, store.store_id, 0, "whoosh"))
    publish(index_root, building)


def apply(index_root: Path, store: Store, batch: Batch) -> None:
    """One batch in one Whoosh commit, then the state file. A process killed
    in between re-applies the batch next time, which changes nothing
    (replace by id, delete by id)."""
    from whoosh.index import open_dir

    where = live(index_root)
    state = read_state(where) if where else None
    if where is None or state is None:
        raise IndexUnavailable(f"there is no index in {index_root} to apply changes to")
    ix = open_dir(str(where))
    try:
        writer = ix.writer(timeout=WHOOSH_LOCK_TIMEOUT, limitmb=CATCH_UP_LIMIT_MB, **SEGMENT_OPTIONS)
        try:
            for article_id in batch.delete:
                writer.delete_by_term("id", article_id)
            # An index built by an earlier release may lack a field added
            # since (earlier versions' text, the facet values): its
            # documents go without it until `reindex` adds it.
            past = (batch.past or {}) if PAST_FIELD in ix.schema else {}
            names = set(ix.schema.names())
            for article in batch.put:
                doc = document(article, past.get(article.id))
                writer.update_document(**{name: value for name, value in doc.items() if name in names})
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    finally:
        ix.close()
    write_state(where, state._replace(seq=batch.seq))


def usable(index_root: Path) -> bool:
    """Whether the live index's files can be opened."""
    where = live(index_root)
    return where is not None and _openable(where)


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
    lean: bool = False,
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
    options = {"limitmb": CATCH_UP_LIMIT_MB if lean else REBUILD_LIMIT_MB, **SEGMENT_OPTIONS}
    if workers > 1:
        options.update(procs=workers, multisegment=True)
    done = 0
    with _workers_die_with_this_process(workers > 1):
        writer = ix.writer(**options)
        try:
            for article, past in with_earlier(store, store.iter_articles()):
                writer.add_document(**document(article, past))
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
    write_state(building, IndexState(INDEX_FORMAT, store.store_id, seq, "whoosh"))
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
