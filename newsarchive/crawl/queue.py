"""Where a crawl job's discovered URLs wait: the frontier's queue, by kind.

The frontier (crawl/frontier.py) decides which URLs earn a request; the
queue keeps them so that a killed crawl resumes with nothing lost. Its
promises, whatever keeps it: what a page found is saved in the same step
that marks the page done; pending URLs are served in discovery order;
a closed job is gone.

The built-in kind, "store", keeps the queue in the archive's store (the
CrawlState role). Another kind registers here or through the
``newsarchive.frontiers`` entry point group, and must pass
tests/contracts/test_frontier_contract.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from newsarchive import registry
from newsarchive.store import CrawlState, Queued

# Kind -> "module:class"; the class is made with the archive's store.
FRONTIERS = {"store": "newsarchive.crawl.queue:StoreQueue"}


class JobQueue(Protocol):
    kind: str

    def states(self, job: str) -> Iterator[tuple[str, str, str]]:
        """(url, kind, "pending" or "done") of every URL the job has found."""
        ...

    def save(self, job: str, found: Iterable[Queued], done: Iterable[tuple[str, str | None]] = ()) -> None:
        """Add found URLs (each once; found again, one is pending again)
        and mark (url, outcome) done, as one step."""
        ...

    def next(self, job: str, *, after: int, limit: int) -> list[Queued]:
        """Pending URLs in discovery order, after queue place `after`."""
        ...

    def pending(self, job: str) -> int: ...

    def jobs(self) -> dict[str, int]:
        """Jobs with URLs still to fetch, and how many."""
        ...

    def close(self, job: str) -> None:
        """Forget a finished job: the next crawl of it starts afresh."""
        ...


class StoreQueue:
    """The queue in the archive's store, beside what it leads to."""

    kind = "store"

    def __init__(self, store: CrawlState):
        self.store = store

    def states(self, job: str) -> Iterator[tuple[str, str, str]]:
        return self.store.frontier_states(job)

    def save(self, job: str, found: Iterable[Queued], done: Iterable[tuple[str, str | None]] = ()) -> None:
        self.store.frontier_save(job, found, done)

    def next(self, job: str, *, after: int, limit: int) -> list[Queued]:
        return self.store.frontier_next(job, after=after, limit=limit)

    def pending(self, job: str) -> int:
        return self.store.frontier_pending(job)

    def jobs(self) -> dict[str, int]:
        return self.store.frontier_jobs()

    def close(self, job: str) -> None:
        self.store.frontier_close(job)


def open_queue(kind: str, store: CrawlState) -> JobQueue:
    """The frontier queue of `kind` for an archive with this store."""
    return registry.load("frontier kind", kind, FRONTIERS, "newsarchive.frontiers")(store)
