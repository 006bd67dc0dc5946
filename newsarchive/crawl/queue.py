"""Where a crawl job's discovered URLs wait: the frontier's queue, by kind.

The frontier (crawl/frontier.py) decides which URLs earn a request; the
queue keeps them so that a killed crawl resumes with nothing lost. Its
promises, whatever keeps it: what a page found is saved in the same step
that marks the page done; pending URLs are served in discovery order;
a closed job is gone.

The built-in kinds keep the queue in the archive's store (the CrawlState
role): "store" for one crawler a job (a file lock keeps others out), and
"team" for a job that any number of crawlers, on any machines, work
together through a shared store. Another kind registers here or through the
``newsarchive.frontiers`` entry point group, and must pass
tests/contracts/test_frontier_contract.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from typing import Protocol

from newsarchive import registry
from newsarchive.crawl.settings import TEAM_STALE_SECONDS
from newsarchive.store import CrawlState, Queued

# Kind -> "module:class"; the class is made with the archive's store.
FRONTIERS = {"store": "newsarchive.crawl.queue:StoreQueue", "team": "newsarchive.crawl.queue:TeamQueue"}


class JobQueue(Protocol):
    kind: str

    def join(self, run_id: int, *, stale: float) -> None:
        """The crawl run that works the job from this queue (a shared queue
        holds the URLs it hands out for it while it shows signs of life)."""
        ...

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

    def join(self, run_id: int, *, stale: float) -> None:
        return None

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


class TeamQueue(StoreQueue):
    """A job shared by every crawler of the store, on any machine.

    A URL handed out is held by the crawl run it went to, so no other
    crawler fetches it; while that run shows signs of life (`beat`, every
    few seconds) it keeps it, and when the run ends or goes silent for
    `stale` seconds (killed, its machine gone) what it held is free again
    for the others, and nothing is lost. Claims skip rows another crawler
    is claiming (FOR UPDATE SKIP LOCKED on PostgreSQL). A job ends when
    its last URL is done, closed by whichever crawler sees that.
    """

    kind = "team"

    def __init__(self, store: CrawlState):
        super().__init__(store)
        # Until a run joins: a holder of its own that no run has.
        self.holder = -1 - secrets.randbelow(2**62)
        self.stale = TEAM_STALE_SECONDS

    def join(self, run_id: int, *, stale: float) -> None:
        self.holder, self.stale = run_id, stale

    def save(self, job: str, found: Iterable[Queued], done: Iterable[tuple[str, str | None]] = ()) -> None:
        self.store.frontier_save(job, found, done, shared=True)

    def next(self, job: str, *, after: int, limit: int) -> list[Queued]:
        return self.store.frontier_claim(job, holder=self.holder, limit=limit, stale=self.stale)

    def held_elsewhere(self, job: str) -> int:
        """URLs of the job other running crawlers hold: they may find more,
        or die and leave them (free once they are silent `stale` seconds)."""
        return self.store.frontier_held(job, holder=self.holder)

    def close(self, job: str) -> None:
        self.store.frontier_close(job, finished_only=True)

    def take(self, host: str, hold: float) -> float:
        """0.0 when this crawler may ask `host` now (the host is then its
        own until `free`, or `hold` seconds), else how long to wait before
        trying again."""
        return self.store.take_host(host, hold)

    def free(self, host: str, delay: float) -> None:
        """This crawler's request to `host` is over: the team's next may go
        `delay` seconds from now."""
        self.store.free_host(host, delay)


def open_queue(kind: str, store: CrawlState) -> JobQueue:
    """The frontier queue of `kind` for an archive with this store."""
    return registry.load("frontier kind", kind, FRONTIERS, "newsarchive.frontiers")(store)
