"""Where CPU-bound work runs: in worker processes, beside the crawl's reactor
or the command that stores what they make.

Extraction is CPU-bound pure Python (trafilatura, lxml, htmldate). In a
thread it shares one interpreter lock with the reactor, so every page
extracted is time the downloader stands still. In processes it runs on the
machine's other cores while the reactor keeps fetching, capturing and
storing. Workers are forked from a server that has imported the
extraction code once (fast to start, nothing inherited from the crawl's
threads or its locks), are replaced every few hundred pages (so no library
cache grows through a long crawl; done by starting a new pool, as the
pool's own `max_tasks_per_child` can deadlock on Python 3.11), and exit by
themselves when the process that started them dies (`_exit_with`).

`add` and `import` use the same workers, a few pages ahead of the page
being stored. Indexing (pure-Python Whoosh) goes to a process of its own
for the same reason (`IndexFollower`). On one core, or where a fork server
is not available, both stay in threads of the calling process.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from pathlib import Path

# At most this many extraction processes: past it, the reactor (one core)
# is the limit, not extraction.
MAX_PROCESSES = 4
# Pages one worker process extracts before it is replaced.
PAGES_PER_PROCESS = 500
# `add` and `import` extract this many pages themselves before starting
# workers: a few pages are not worth the start.
INLINE_FIRST = 20


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Extraction:
    """The crawl's extraction workers. A worker that dies (a page that
    crashes a C library, the kernel's OOM killer) breaks a process pool for
    every page in flight: the pool is then replaced and those pages are
    tried once more, so only a page that kills its worker twice fails."""

    def __init__(self):
        self._executor, self._capacity = _executor()
        self._submitted = 0

    async def extract(self, body: bytes, url: str, content_type: str | None, fetched: str, rules, hints):
        self._submitted += 1
        if self._submitted > self._capacity:
            # The old pool's workers finish what they were given, then exit.
            self._executor.shutdown(wait=False)
            self._executor, self._capacity = _executor()
            self._submitted = 1
        for attempt in (1, 2):
            executor = self._executor
            try:
                future = executor.submit(extract_page, body, url, content_type, fetched, rules, hints)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                if executor is self._executor:  # the first page to notice replaces the pool
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor, self._capacity = _executor()
                    self._submitted = 0
                if attempt == 2:
                    return ("refused", "extraction-crashed", "extraction crashed on this page twice")
        raise AssertionError("unreachable")

    def shutdown(self) -> None:
        self._executor.shutdown()


def extracted_in_order(items: Iterable, arguments: Callable) -> Iterator[tuple]:
    """(item, outcome of `extract_page`) for each item, in order; `arguments`
    gives an item's arguments to `extract_page`, or None for an item not to
    extract (its outcome is None). Past the first pages, workers extract a
    few pages ahead of the caller; at most that many pages are held."""
    items = iter(items)
    for item in itertools.islice(items, INLINE_FIRST):
        args = arguments(item)
        yield item, extract_page(*args) if args is not None else None
    executor, _ = _executor()
    ahead = 2 * getattr(executor, "_max_workers", 1) + 2
    pending: deque = deque()
    try:
        for item in items:
            args = arguments(item)
            if args is None:
                pending.append((item, None, None))
            else:
                try:
                    pending.append((item, args, executor.submit(extract_page, *args)))
                except BrokenProcessPool:  # a worker died: go on without workers
                    executor.shutdown(wait=False, cancel_futures=True)
                    executor = ThreadPoolExecutor(max_workers=1)
                    pending.append((item, args, executor.submit(extract_page, *args)))
            while len(pending) > ahead:
                yield _settled(*pending.popleft())
        while pending:
            yield _settled(*pending.popleft())
    finally:
        executor.shutdown(cancel_futures=True)


def _settled(item, args, future):
    if future is None:
        return item, None
    try:
        return item, future.result()
    except BrokenProcessPool:  # its worker died (perhaps of this page): once more, here
        return item, extract_page(*args)


def _forkserver():
    """The fork server context, or None where processes are not worth it."""
    if cores() < 2 or "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["newsarchive.extract", "newsarchive.index.writer"])
    return context


def _executor() -> tuple[Executor, float]:
    """A new pool, and how many pages it takes before it is replaced."""
    context = _forkserver()
    if context is None:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract"), float("inf")
    processes = min(MAX_PROCESSES, cores() - 1)
    pool = ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_exit_with, initargs=(os.getpid(),)
    )
    return pool, PAGES_PER_PROCESS * processes


def indexing_worker() -> Executor:
    """One worker for `index_archive` calls, one at a time."""
    context = _forkserver()
    if context is None:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="index")
    return ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=_exit_with, initargs=(os.getpid(),)
    )


# How often a worker checks that the process it works for is still there.
PARENT_CHECK_SECONDS = 1.0


def _exit_with(pid: int) -> None:
    """In a worker: exit when process `pid` (the one that started the pool)
    is gone. Nothing else would end it: a pool worker holds its own task
    pipe open, and one from a fork server also holds the server's lifeline,
    so a crawl killed with SIGKILL would leave both behind for good."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the number now belongs to another user's process
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def index_archive(
    store_path: Path, lock_path: Path, index_dir: Path, wait: float, purpose: str
) -> str | None:
    """`catch_up_locked` in a worker, with a store connection of its own."""
    from newsarchive.index.writer import catch_up_locked
    from newsarchive.store import Store

    with Store.open(store_path) as store:
        return catch_up_locked(index_dir, store, lock_path, wait=wait, purpose=purpose)


def extract_page(body: bytes, url: str, content_type: str | None, fetched: str, rules, hints):
    """Extraction of one fetched page, in a worker: ("article", Article) or
    ("refused", reason, message). A refusal crosses the process boundary as
    plain values (an exception's own arguments would not survive pickling)."""
    from newsarchive.errors import NoArticle
    from newsarchive.extract import Hints, extract_article

    try:
        article = extract_article(
            body,
            url,
            content_type=content_type,
            fetched=fetched,
            rules=rules,
            hints=Hints(**hints) if hints else Hints(),
        )
    except NoArticle as refused:
        return ("refused", refused.reason, str(refused))
    return ("article", article)


class IndexFollower:
    """Keeps the index following the store while pages are being stored:
    after at least `every` stored articles and `interval` seconds, one
    catch-up in the indexing worker, never two at once. Each Whoosh commit
    writes a segment and merges small ones, so batches keep it cheap; the
    work runs beside the caller, who goes on storing."""

    def __init__(self, archive, *, every: int, interval: float = 0.0, wait: float = 0.5, purpose: str):
        self._paths = (archive.store_path, archive.lock_path, archive.index_dir)
        self._purpose = purpose
        self._every, self._interval, self._wait = every, interval, wait
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
            self._worker = indexing_worker()
        return self._worker.submit(index_archive, *self._paths, wait, self._purpose)

    def settle(self) -> None:
        """Wait for the catch-up under way; its failure is left to the next."""
        if self._pending is not None:
            with suppress(Exception):  # the final catch-up reports what is wrong
                self._pending.result()
            self._pending = None

    def close(self) -> None:
        if self._worker is not None:
            self._worker.shutdown()
