"""What a store does, by role, and the records it hands out.

The store is the archive's source of truth. Consumers type against the
role they need, not against a backend: the frontier against CrawlState,
the index follower against ChangeLog and Articles, site learning against
SiteKnowledge, crawl runs against RunLog. A backend (store/sqlite.py is
built in) implements them all, passes tests/contracts/test_store_contract.py,
and raises only domain errors (errors.StorageError and kin, ArchiveBusy),
never its driver's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import NamedTuple, Protocol

from newsarchive.article import Article


class Capture(NamedTuple):
    """Where the raw page of an article is kept: a record in a WARC file."""

    file: str
    offset: int
    digest: str


class Queued(NamedTuple):
    """A URL in a crawl job's frontier: discovered, to be fetched once."""

    url: str  # canonical
    kind: str  # robots, sitemap, feed, listing, article, page
    depth: int  # hops from the crawl's start
    hints: dict | None = None  # what a feed or sitemap said of it
    via: tuple[str, ...] = ()  # addresses that redirected here
    id: int = 0  # its place in the queue (discovery order)


class PutResult(NamedTuple):
    status: str  # "new", "updated" or "unchanged"
    article_id: str
    seq: int | None  # the change's sequence number; None when unchanged


class StoredArticle(NamedTuple):
    article: Article
    first_seen: str
    last_seen: str
    capture: Capture | None
    revisions: int


class Version(NamedTuple):
    """One version of an article as it was seen; or, with a `note`, a fetch
    that made no version ("reverted" to `number`, "degraded", "appended"
    entries of a live blog, "gone")."""

    number: int | None
    observed: str
    modified: str | None
    title: str | None
    subtitle: str | None
    text: str | None
    authors: tuple[str, ...]
    word_count: int | None
    content_hash: str | None
    changes: tuple[str, ...]
    detail: dict
    capture: Capture | None
    note: str | None = None
    reason: str | None = None


class Recheck(NamedTuple):
    """An archived article's re-check plan (versions/recheck.py)."""

    article_id: str
    url: str
    source: str
    due: float | None  # POSIX seconds; None: no more re-checks
    wait: float
    quiet_since: float
    stage: str
    checks: int = 0
    hint: dict | None = None  # what a feed or sitemap last said of it


class Change(NamedTuple):
    seq: int
    article_id: str


class Articles(Protocol):
    """Normalized articles, one per canonical URL, with their versions."""

    def put(
        self,
        article: Article,
        *,
        now: str,
        capture: Capture | None = None,
        keep_revision: bool = True,
        changes: tuple[str, ...] = (),
        detail: dict | None = None,
    ) -> PutResult:
        """Insert or update in one transaction: unchanged content only
        refreshes last_seen; any change is logged; a change of what readers
        see makes a new version (its `changes` flags and `detail`, when the
        caller classified it) and keeps the old one, unless `keep_revision`
        is off."""
        ...

    def versions(self, article_id: str, *, notes: bool = False) -> list[Version]:
        """The article's versions, oldest first (one when it never changed;
        none when it is not stored); with `notes`, the fetches that made
        none among them, in the order they were seen."""
        ...

    def note_version(
        self,
        article_id: str,
        *,
        now: str,
        note: str,
        version: int | None = None,
        reason: str | None = None,
        capture: Capture | None = None,
    ) -> None:
        """Record a fetch that made no version (see Version.note)."""
        ...

    def earlier_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The headline, subtitle and text of each article's earlier
        versions, as one text (what `search --all-versions` also searches);
        articles that never changed are left out."""
        ...

    def changed_since(self, moment: str) -> list[str]:
        """Ids of the articles whose text changed at or after `moment` (ISO
        8601, UTC): a new version, a revert, a live blog's new entries."""
        ...

    def delete(self, article_id: str, *, now: str) -> bool: ...

    def get(self, article_id: str) -> StoredArticle | None: ...

    def get_many(self, article_ids: Iterable[str]) -> dict[str, Article]: ...

    def resolve(self, ref: str) -> str | None:
        """An article id from an id, a unique id prefix or a URL."""
        ...

    def iter_articles(self, *, source: str | None = None, batch: int = 500) -> Iterator[Article]:
        """Every article (of one source), oldest stored first, in batches."""
        ...

    def count(self, *, source: str | None = None) -> int: ...

    def sources(self) -> list[str]: ...

    def capture_of(self, article_id: str) -> tuple[str, Capture | None] | None:
        """(content hash, capture) of a stored article, None if not stored."""
        ...

    def content_hashes(self) -> dict[str, str]: ...

    def captures_in(self, file: str, *, from_offset: int = 0) -> int: ...

    def stats(self) -> dict: ...


class ChangeLog(Protocol):
    """A sequence of changes that only grows: what an index follows."""

    @property
    def store_id(self) -> str:
        """Random, made with the store: an index can tell another store."""
        ...

    def last_seq(self) -> int: ...

    def changes_since(self, seq: int, limit: int | None = None) -> list[Change]:
        """The latest change of each article after `seq`, oldest first."""
        ...


class CrawlState(Protocol):
    """What crawls know of URLs and payloads, and the resumable frontier
    (the queue of crawl/queue.py's "store" kind)."""

    def is_archived(self, url: str) -> bool: ...

    def url_state(self, url: str) -> dict | None: ...

    def record_url(
        self,
        url: str,
        *,
        kind: str,
        now: str,
        status: int | None = None,
        fetched: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        reason: str | None = None,
        article_id: str | None = None,
    ) -> None: ...

    def urls_of_kind(self, kind: str, prefix: str) -> list[str]: ...

    def payload(self, digest: str) -> tuple[str, str, Capture] | None: ...

    def add_payload(self, uri: str, date: str, capture: Capture) -> None: ...

    def frontier_states(self, job: str) -> Iterator[tuple[str, str, str]]: ...

    def frontier_save(
        self,
        job: str,
        found: Iterable[Queued],
        done: Iterable[tuple[str, str | None]] = (),
        *,
        shared: bool = False,
    ) -> None:
        """Newly found URLs and finished ones, in one transaction (`shared`:
        other crawlers work the job too; see crawl/queue.py's TeamQueue)."""
        ...

    def frontier_next(self, job: str, *, after: int, limit: int) -> list[Queued]: ...

    def frontier_pending(self, job: str) -> int: ...

    def frontier_jobs(self) -> dict[str, int]: ...

    def frontier_close(self, job: str, *, finished_only: bool = False) -> bool: ...

    # A job many crawlers share: each claims URLs (held by its run while
    # the run shows signs of life), and every host is booked for them all.

    def frontier_claim(self, job: str, *, holder: int, limit: int, stale: float) -> list[Queued]: ...

    def frontier_held(self, job: str, *, holder: int) -> int: ...

    def take_host(self, host: str, hold: float) -> float: ...

    def free_host(self, host: str, delay: float) -> None: ...


class Rechecks(Protocol):
    """When each archived article is fetched again."""

    def plan_recheck(self, plan: Recheck, *, checked: bool = False) -> None:
        """Set an article's plan (`checked`: one more re-check was done)."""
        ...

    def recheck_of(self, article_id: str) -> Recheck | None: ...

    def due_rechecks(self, source: str, *, now: float, limit: int = 1000) -> list[Recheck]:
        """A source's articles due by `now`, the most overdue first."""
        ...

    def next_recheck(self, source: str) -> float | None:
        """When the source's next re-check is due, None if none is planned."""
        ...


class CopyEdge(NamedTuple):
    """A verified copy: `article_id` is a copy of the earlier `other_id`."""

    article_id: str
    other_id: str
    relation: str  # identical, near, trimmed, extended, partial
    containment: float


class CopyPrint(NamedTuple):
    """What linking kept of an article to find its copies by: its day,
    signature band keys and body key, and when it was recorded (a stamp
    that grows with every record)."""

    article_id: str
    day: int
    stamp: int
    bands: list[int]
    body: str


class Cluster(NamedTuple):
    """A story's copies: named by its earliest article, members oldest
    first, and the sources that ran it (each once, in that order)."""

    id: str
    members: list[str]
    sources: list[str]


class CopyIndex(Protocol):
    """Copies of a story (copies/): each article's fingerprint, verified
    edges and clusters, named by their earliest article."""

    def copy_prints(self, *, days: tuple[int, int] | None = None, after: int = 0) -> list[CopyPrint]:
        """The fingerprints recorded after stamp `after`, of articles
        whose day is within `days` (first, last) when given."""
        ...

    def copy_stamp(self) -> int:
        """The last record's stamp (0: none yet)."""
        ...

    def record_copies(
        self, article_id: str, *, day: int, bands: list[int], body: str, edges: list[CopyEdge]
    ) -> str:
        """Keep an article's fingerprint and its verified copies (replacing
        what was kept for it before) and put it in one cluster with them;
        the cluster's id."""
        ...

    def copy_edges(self, article_id: str) -> list[CopyEdge]:
        """The verified copies an article is in, either side."""
        ...

    def copies_seq(self) -> int:
        """How far in the change log linking has gone (0: not begun)."""
        ...

    def linking(self, upto: int, *, start: int | None = None) -> AbstractContextManager[bool]:
        """A batch of `record_copies` in one transaction, which also moves
        `copies_seq` to `upto`: all of it is kept, or none. It gives False
        (record nothing) when linking has moved on from `start` since the
        batch was read: another process linked it."""
        ...

    def linked(self, article_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
        """The (day, body key) each linked article was recorded with."""
        ...

    def cluster_ids(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Each linked article's cluster id (what folding needs, no more)."""
        ...

    def clusters_of(self, article_ids: Iterable[str]) -> dict[str, Cluster]:
        """Each article's cluster (those never linked are left out)."""
        ...


class Alert(NamedTuple):
    """A saved search: its query and filters (the search options, as
    typed), the command run with its new matches, and how far it has looked."""

    name: str
    query: str
    filters: dict
    command: str | None
    created: str
    last_run: str | None = None
    last_seq: int = 0
    reported: int = 0  # matches reported in all


class Alerts(Protocol):
    """Saved searches and the articles each has seen."""

    def add_alert(self, alert: Alert, seen: Iterable[str]) -> None:
        """Save an alert (BadInput if its name is taken) with the articles
        that match it already, which it will never report."""
        ...

    def alerts(self) -> list[Alert]: ...

    def remove_alert(self, name: str) -> bool:
        """Forget an alert and what it saw; whether there was one."""
        ...

    def alert_seen(self, name: str, article_ids: Iterable[str]) -> set[str]:
        """Those of the articles the alert has seen."""
        ...

    def alert_ran(
        self, name: str, *, seq: int, now: str, reported: Sequence[str], passed: Sequence[str]
    ) -> None:
        """Record a run in one transaction: it looked up to `seq`,
        reported these articles and saw those without reporting them."""
        ...


class RunLog(Protocol):
    """One row per crawl run: what `runs` and `stats` show."""

    def start_run(self, source: str, *, pid: int, now: str, machine: str | None = None) -> int: ...

    def update_run(self, run_id: int, *, pages: int, new: int, updated: int, errors: int) -> None:
        """The run's counts so far; also a sign of life, as `beat`."""
        ...

    def beat(self, run_id: int) -> None: ...

    def finish_run(self, run_id: int, *, status: str, now: str, summary: dict) -> None: ...

    def interrupt_stale_runs(
        self,
        source: str,
        alive: Callable[[int], bool],
        *,
        now: str,
        machine: str | None = None,
        stale: float | None = None,
    ) -> int: ...

    def crawlers(self, *, stale: float) -> list[dict]:
        """The runs alive now, with their machine and the URLs they hold."""
        ...

    def crawl_health(self) -> list[dict]: ...

    def runs(self, *, source: str | None = None, limit: int = 50) -> list[dict]: ...


class SiteKnowledge(Protocol):
    """What the archive has learnt of each site: boilerplate paragraphs
    and counted evidence (date order, ...)."""

    def boilerplate_of(self, source: str) -> frozenset[str]: ...

    def learn_boilerplate(self, source: str, *, now: str) -> dict[str, str]: ...

    def boilerplate(self, source: str | None = None) -> list[dict]: ...

    def forget_boilerplate(self, source: str, print_prefix: str, *, now: str) -> dict | None: ...

    def note_evidence(self, source: str, fact: str, article_id: str, value: str | None) -> None: ...

    def evidence(self, source: str, fact: str) -> dict[str, int]: ...

    def forget_evidence(self, source: str, fact: str) -> int: ...

    def known_sites(self) -> list[str]: ...


class Store(Articles, ChangeLog, CrawlState, Rechecks, CopyIndex, Alerts, RunLog, SiteKnowledge, Protocol):
    """A whole store backend: every role, plus its own upkeep."""

    url: str  # what open_store was given, so another process can open it too

    def integrity(self) -> str:
        """ "ok", or what the backend's own check found wrong."""
        ...

    def hold(self, name: str) -> bool:
        """Take `name` for this process until `release` (or its end), if no
        other process of any machine holds it: whether it was taken (one
        scheduler acting on a due source, one running the alerts)."""
        ...

    def release(self, name: str) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...
