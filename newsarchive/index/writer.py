"""Keep the index following the store.

The index remembers the last change sequence number it applied (in a small
state file beside Whoosh's own); `catch_up` applies the store's later
changes, `rebuild` makes a new index from the whole store and swaps it in.
Both hold the archive's writer lock, so there is one index writer at a time
and readers are never disturbed: Whoosh commits atomically and a rebuild is
built aside, then renamed into place.

Applying a change is idempotent (replace by id, or delete by id), so a
process killed between a Whoosh commit and the state file just re-applies a
few changes next time.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsarchive.index.schema import INDEX_FORMAT, build_schema, document
from newsarchive.store import Store

STATE_FILE = "newsarchive-index.json"
# Changes applied per Whoosh commit when catching up: a commit costs a
# segment write, so batching amortizes it; the bound keeps memory flat.
CATCH_UP_BATCH = 1000
# Memory for the rebuild writer's posting pool before it spills to disk.
REBUILD_LIMIT_MB = 256
# How long to wait for Whoosh's own lock; ours is already held, so only a
# foreign process could hold Whoosh's.
WHOOSH_LOCK_TIMEOUT = 10.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IndexState:
    format: int
    store_id: str
    seq: int


def read_state(index_dir: Path) -> IndexState | None:
    try:
        data = json.loads((index_dir / STATE_FILE).read_text(encoding="utf-8"))
        return IndexState(int(data["format"]), str(data["store_id"]), int(data["seq"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(index_dir: Path, state: IndexState) -> None:
    tmp = index_dir / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state.__dict__), encoding="utf-8")
    os.replace(tmp, index_dir / STATE_FILE)


def is_current(state: IndexState | None, store: Store) -> bool:
    """Whether an index with this state can be caught up (rather than rebuilt)."""
    return state is not None and state.format == INDEX_FORMAT and state.store_id == store.store_id


def catch_up(index_dir: Path, store: Store, progress: Progress | None = None) -> int:
    """Apply the store's changes since the index's last; rebuild the index
    instead when it is missing, of another format or of another store.
    Returns the number of articles indexed or removed. Call with the
    archive's writer lock held."""
    from whoosh.index import open_dir

    state = read_state(index_dir)
    applied = 0
    if not is_current(state, store) or not _openable(index_dir):
        applied = rebuild(index_dir, store, progress)
        state = read_state(index_dir)
    ix = open_dir(str(index_dir))
    total = store.last_seq() - state.seq
    caught = 0
    try:
        while changes := store.changes_since(state.seq, limit=CATCH_UP_BATCH):
            articles = store.get_many(change.article_id for change in changes)
            writer = ix.writer(timeout=WHOOSH_LOCK_TIMEOUT)
            try:
                for change in changes:
                    article = articles.get(change.article_id)
                    if article is None:
                        writer.delete_by_term("id", change.article_id)
                    else:
                        writer.update_document(**document(article))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            state = IndexState(state.format, state.store_id, changes[-1].seq)
            _write_state(index_dir, state)
            caught += len(changes)
            if progress:
                progress(caught, max(total, caught))
    finally:
        ix.close()
    return applied + caught


def rebuild(index_dir: Path, store: Store, progress: Progress | None = None) -> int:
    """Build a new index from the whole store beside the old one, then swap
    it in. Returns the number of articles indexed. Call with the archive's
    writer lock held."""
    from whoosh.index import create_in

    # Read the sequence first: changes made while building are applied
    # again by the next catch-up, which is harmless.
    seq = store.last_seq()
    total = store.count()
    fresh = index_dir.with_name(index_dir.name + ".new")
    stale = index_dir.with_name(index_dir.name + ".old")
    for leftover in (fresh, stale):  # from a rebuild that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    fresh.mkdir(parents=True)
    ix = create_in(str(fresh), build_schema())
    writer = ix.writer(limitmb=REBUILD_LIMIT_MB)
    done = 0
    try:
        for article in store.iter_articles():
            writer.add_document(**document(article))
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
    except BaseException:
        writer.cancel()
        ix.close()
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    writer.commit()
    ix.close()
    _write_state(fresh, IndexState(INDEX_FORMAT, store.store_id, seq))
    if index_dir.exists():
        os.rename(index_dir, stale)
    os.rename(fresh, index_dir)
    shutil.rmtree(stale, ignore_errors=True)
    if progress:
        progress(done, total)
    return done


def _openable(index_dir: Path) -> bool:
    from whoosh.index import exists_in

    try:
        return exists_in(str(index_dir))
    except OSError:
        return False
